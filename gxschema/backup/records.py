"""``BackupRecord`` rows: the only place that reads and writes them.

A database migrated before 0003 has no ``BackupRecord`` table; backups of it are
still taken, just not recorded, so every reader here answers "nothing" there.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, text

from gxschema.identifiers import table_exists

TABLE = "BackupRecord"


def recordable(connection: Connection) -> bool:
    """Whether this database has the table backups are recorded in."""
    return table_exists(connection, TABLE)


def record_start(
    engine: Engine,
    *,
    backup_id: str,
    kind: str,
    target: str,
    location: Path,
    revision: str | None,
    started_at: datetime,
) -> None:
    with engine.begin() as connection:
        connection.execute(
            text(
                """INSERT INTO "BackupRecord"
                   ("backupId", kind, target, location, "schemaRevision", status, "startedAt")
                   VALUES (:backup_id, :kind, :target, :location, :revision, 'running', :started)"""
            ),
            {
                "backup_id": backup_id,
                "kind": kind,
                "target": target,
                "location": str(location),
                "revision": revision,
                "started": started_at,
            },
        )


def record_finish(
    engine: Engine,
    backup_id: str,
    *,
    status: str,
    size_bytes: int | None = None,
    checksum: str | None = None,
    error: str | None = None,
) -> None:
    with engine.begin() as connection:
        connection.execute(
            text(
                """UPDATE "BackupRecord" SET status = :status, "sizeBytes" = :size,
                   checksum = :checksum, error = :error, "finishedAt" = :finished
                   WHERE "backupId" = :backup_id"""
            ),
            {
                "status": status,
                "size": size_bytes,
                "checksum": checksum,
                "error": error,
                "finished": datetime.now(UTC),
                "backup_id": backup_id,
            },
        )


def running(connection: Connection) -> Sequence[tuple[str, str | None]]:
    """``(backupId, location)`` of every record still ``running``; [] without the table."""
    if not recordable(connection):
        return []
    rows = connection.execute(
        text("""SELECT "backupId", location FROM "BackupRecord" WHERE status = 'running'""")
    ).all()
    return [(backup_id, location) for backup_id, location in rows]


def mark_dead(connection: Connection, backup_id: str, error: str) -> bool:
    """Mark a ``running`` record failed with `error`; whether it was still running."""
    updated = connection.execute(
        text(
            """UPDATE "BackupRecord" SET status = 'failed', "finishedAt" = :now,
               error = coalesce(error, :error)
               WHERE "backupId" = :backup_id AND status = 'running'"""
        ),
        {"now": datetime.now(UTC), "error": error, "backup_id": backup_id},
    )
    return bool(updated.rowcount)


def finished_locations(engine: Engine, locations: list[str]) -> set[str]:
    """Those of `locations` whose record is no longer ``running``: nobody finishes them."""
    with engine.connect() as connection:
        if not recordable(connection):
            return set()
        return set(
            connection.execute(
                text(
                    """SELECT location FROM "BackupRecord"
                       WHERE location = ANY(:locations) AND status <> 'running'"""
                ),
                {"locations": locations},
            ).scalars()
        )


def mark_pruned(engine: Engine, dumps: Iterable[Path]) -> None:
    """The succeeded records of `dumps` become ``pruned`` (their files are going)."""
    with engine.begin() as connection:
        if recordable(connection):
            connection.execute(
                text(
                    """UPDATE "BackupRecord" SET status = 'pruned'
                       WHERE location = ANY(:locations) AND status = 'succeeded'"""
                ),
                {"locations": [str(path) for path in dumps]},
            )


def mark_verified(engine: Engine, dump: Path, verified_at: datetime) -> bool:
    """Set ``verifiedAt`` on the dump's succeeded record; whether there was one."""
    with engine.begin() as connection:
        if not recordable(connection):
            return False
        updated = connection.execute(
            text(
                """UPDATE "BackupRecord" SET "verifiedAt" = :verified
                   WHERE location = :location AND status = 'succeeded'"""
            ),
            {"verified": verified_at, "location": str(dump)},
        )
        return bool(updated.rowcount)
