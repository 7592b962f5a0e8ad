"""Where a database stands: its recorded environment, revision, pending revisions, recent
runs, seeds and backups."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, text

from gxschema import environment, migrator
from gxschema.backup import reap_dead_backups
from gxschema.identifiers import table_exists


def _rows(connection: Connection, table: str, sql: str) -> list[dict[str, Any]]:
    if not table_exists(connection, table):
        return []
    return [dict(row) for row in connection.execute(text(sql)).mappings()]


def collect(connection: Connection, *, limit: int = 5) -> dict[str, Any]:
    current = migrator.current_revision(connection)
    head = migrator.scripts().get_current_head()
    known = True
    try:
        pending = migrator.pending_revisions(current) if current != head else []
    except Exception:  # a revision this code does not know
        known, pending = False, []
    untracked = migrator.owned_tables_present(connection) if current is None else []
    reap_dead_backups(connection)  # a backup whose process is gone shows as failed, now
    standing = environment.standing(connection)
    return {
        "environment": standing.recorded,
        "environment_status": standing.describe(),
        "current_revision": current,
        "head_revision": head,
        "known_revision": known,
        "pending_revisions": pending,
        "at_head": current == head,
        "tables_without_history": len(untracked),
        "migration_runs": _rows(
            connection,
            "SchemaMigrationRun",
            f"""SELECT "fromRevision" AS from_revision, "toRevision" AS to_revision, direction,
                       status, runner, "appVersion" AS app_version, "startedAt" AS started_at,
                       "durationMs" AS duration_ms, error
                FROM "SchemaMigrationRun" ORDER BY "startedAt" DESC LIMIT {int(limit)}""",
        ),
        "seed_datasets": _rows(
            connection,
            "SeedDataset",
            """SELECT DISTINCT ON (name) name, version, checksum, "rowCount" AS row_count,
                      "appliedBy" AS applied_by, "appliedAt" AS applied_at
               FROM "SeedDataset" ORDER BY name, "appliedAt" DESC""",
        ),
        "backups": _rows(
            connection,
            "BackupRecord",
            f"""SELECT kind, target, location, "schemaRevision" AS schema_revision,
                       "sizeBytes" AS size_bytes, status, "startedAt" AS started_at,
                       "verifiedAt" AS verified_at
                FROM "BackupRecord" ORDER BY "startedAt" DESC LIMIT {int(limit)}""",
        ),
    }
