"""Adopting a database that has the schema but no migration history (made by Prisma).

The live catalog is compared with the catalog of each known revision. When it
matches one exactly, that revision is stamped (nothing else is written: no data,
no table is touched, ``_prisma_migrations`` is left alone) and the adoption is
recorded as a ``SchemaMigrationRun`` with direction ``adopt``. Revisions before
``0003`` have no ``SchemaMigrationRun`` table yet: the record then waits in a
comment on ``alembic_version`` and is written by the next migration that creates
the table. When no revision matches, nothing is written and the differences from
the closest revision are listed.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from alembic import command
from sqlalchemy import Connection, Engine, text

from gxschema import __version__, catalog, locking, migrator
from gxschema.alembic_config import make_config
from gxschema.errors import CheckFailedError, OperationError
from gxschema.models.base import new_uuid

_PENDING_MARK = "gxschema-pending-adoption:"


@dataclass
class AdoptResult:
    revision: str
    tables: int
    recorded: bool
    compared: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "revision": self.revision,
            "tables": self.tables,
            "recorded": self.recorded,
            "differences_by_revision": self.compared,
        }


def _known_revisions() -> list[str]:
    """Every revision, oldest first."""
    return [rev.revision for rev in reversed(list(migrator.scripts().walk_revisions()))]


def match(live: catalog.Catalog) -> tuple[str | None, dict[str, list[catalog.Difference]]]:
    """The oldest revision whose catalog equals `live`, and the differences from each.

    The oldest, because revisions that change no catalog (roles, grants) must still run.
    """
    differences = {}
    for revision in _known_revisions():
        try:
            expected = catalog.for_revision(revision)
        except KeyError:
            continue
        differences[revision] = catalog.diff(expected, live)
    exact = [revision for revision, found in differences.items() if not found]
    return (exact[0] if exact else None), differences


def adopt(engine: Engine) -> AdoptResult:
    clock = time.monotonic()
    started_at = datetime.now(UTC)
    with (
        engine.connect() as connection,
        locking.migration_lock(connection, wait_seconds=locking.DEFAULT_LOCK_WAIT_SECONDS),
    ):
        current = migrator.current_revision(connection)
        if current is not None:
            raise OperationError(
                f"the database already has a migration history (revision {current!r}): "
                "nothing to adopt; use gxschema migrate"
            )
        live = catalog.from_database(connection)
        connection.commit()
        if not live["tables"]:
            raise OperationError(
                "the database has none of the schema's tables: nothing to adopt; "
                "run gxschema migrate to build it"
            )
        revision, differences = match(live)
        if revision is None:
            closest = min(differences, key=lambda rev: len(differences[rev]))
            listed = "\n".join(f"  {d}" for d in differences[closest])
            raise CheckFailedError(
                f"the database matches no known revision; nothing was written. The closest is "
                f"{closest!r}, with {len(differences[closest])} difference(s):\n{listed}"
            )
        command.stamp(make_config(connection=connection), revision)
        connection.commit()
        record = {
            "runId": new_uuid(),
            "toRevision": revision,
            "runner": migrator.runner_name(),
            "appVersion": __version__,
            "startedAt": started_at.isoformat(),
            "durationMs": int((time.monotonic() - clock) * 1000),
        }
        recorded = _record(connection, record)
        return AdoptResult(
            revision=revision,
            tables=len(live["tables"]),
            recorded=recorded,
            compared={rev: len(found) for rev, found in differences.items()},
        )


def _has_run_table(connection: Connection) -> bool:
    found = connection.execute(text("""SELECT to_regclass('public."SchemaMigrationRun"')"""))
    return found.scalar() is not None


def _insert(connection: Connection, record: dict[str, Any]) -> None:
    connection.execute(
        text(
            """INSERT INTO "SchemaMigrationRun"
               ("runId", "fromRevision", "toRevision", direction, status, runner,
                "appVersion", "startedAt", "finishedAt", "durationMs")
               VALUES (:runId, NULL, :toRevision, 'adopt', 'succeeded', :runner,
                       :appVersion, CAST(:startedAt AS timestamptz), CURRENT_TIMESTAMP,
                       :durationMs)"""
        ),
        record,
    )


def _record(connection: Connection, record: dict[str, Any]) -> bool:
    if _has_run_table(connection):
        _insert(connection, record)
        connection.commit()
        return True
    comment = _PENDING_MARK + json.dumps(record)
    connection.execute(text(f"COMMENT ON TABLE alembic_version IS {_quote(comment)}"))
    connection.commit()
    return False


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def record_pending(connection: Connection) -> bool:
    """Write an adoption that waited for the SchemaMigrationRun table; True if one did."""
    if not _has_run_table(connection):
        return False
    comment = connection.execute(
        text("SELECT obj_description('public.alembic_version'::regclass, 'pg_class')")
    ).scalar()
    if not comment or not str(comment).startswith(_PENDING_MARK):
        return False
    _insert(connection, json.loads(str(comment)[len(_PENDING_MARK) :]))
    connection.execute(text("COMMENT ON TABLE alembic_version IS NULL"))
    connection.commit()
    return True
