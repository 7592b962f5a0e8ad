"""Taking a backup: pg_dump into a checked, recorded, pruned dump file.

`take_backup` dumps the configured database (custom format) into a directory,
writes its checksum beside it, records a ``BackupRecord`` and keeps only the newest
dumps of that database. The dump is written under a hidden temporary name and
renamed when complete, so a failed or killed backup never leaves a file that looks
like a backup, and its record says ``failed``.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.pool import NullPool

from gxschema import children, db, history
from gxschema.backup.common import Progress, one_line, quiet
from gxschema.backup.files import (
    checksum_path,
    file_prefix,
    fsync,
    prepare_directory,
    prune,
    remove_stale_partials,
    reserve,
    sha256_of,
    write_checksum,
)
from gxschema.backup.reaping import (
    DEAD_RUN_ERROR,
    holding_run_lock,
    reap_dead_backups,
    reap_scratch_quietly,
)
from gxschema.backup.records import record_finish, record_start, recordable
from gxschema.backup.server import database_name, row_counts, server_major
from gxschema.backup.tools import PgTool, dead_client_check, find_tool, libpq_environment, run_tool
from gxschema.backup.watching import ByteProgress, size_of, watching
from gxschema.errors import ConfigError, GxSchemaError, OperationError
from gxschema.models.base import new_uuid
from gxschema.settings import DatabaseSettings, redact

KINDS = ("scheduled", "manual", "pre-migration")


@dataclass
class BackupResult:
    """One backup taken: where it is, what it holds, and what pruning removed."""

    path: Path
    checksum: str
    size_bytes: int
    target: str
    kind: str
    schema_revision: str | None
    started_at: datetime
    finished_at: datetime
    tool: str
    backup_id: str | None = None
    """The ``BackupRecord`` id; None when the database has no such table yet."""
    pruned: list[Path] = field(default_factory=list)
    row_counts: dict[str, int] | None = None
    """Rows per table in the very snapshot pg_dump dumped (when asked for)."""

    @property
    def recorded(self) -> bool:
        return self.backup_id is not None

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "checksum": self.checksum,
            "size_bytes": self.size_bytes,
            "target": self.target,
            "kind": self.kind,
            "schema_revision": self.schema_revision,
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat(),
            "tool": self.tool,
            "recorded": self.recorded,
            "backup_id": self.backup_id,
            "pruned": [str(path) for path in self.pruned],
        }


def _dump(
    engine: Engine,
    tool: PgTool,
    env: dict[str, str],
    partial: Path,
    secrets: list[str],
    *,
    count_rows: bool,
    on_bytes: ByteProgress | None = None,
) -> dict[str, int] | None:
    """Run pg_dump into `partial`; with `count_rows`, count rows in the dump's snapshot.

    `on_bytes` is told the size of the dump written so far, about once a second and
    once more when pg_dump has finished.
    """
    arguments = ["--format=custom", "--no-password", f"--file={partial}"]

    def dump(*extra: str) -> None:
        with watching(size_of(partial), on_bytes):
            run_tool(tool, [*arguments, *extra], env, secrets)
        if on_bytes is not None:
            on_bytes(partial.stat().st_size)

    if not count_rows:
        dump()
        return None
    # Export a snapshot, have pg_dump dump exactly it, then count the rows in it:
    # the counts are those of the dump even while the database keeps changing.
    with engine.connect() as connection:
        connection.execution_options(isolation_level="REPEATABLE READ")
        snapshot = str(connection.execute(text("SELECT pg_export_snapshot()")).scalar_one())
        dump(f"--snapshot={snapshot}")
        counts = row_counts(connection)
        connection.rollback()
    return counts


@children.unwinds_on_sigterm
def take_backup(
    settings: DatabaseSettings,
    directory: Path,
    *,
    keep: int = 30,
    kind: str = "scheduled",
    engine: Engine | None = None,
    count_rows: bool = False,
    on_progress: Progress | None = None,
    on_bytes: ByteProgress | None = None,
) -> BackupResult:
    """Dump the database of `settings` into `directory`, record it, keep the newest `keep`.

    `engine` (of the same database) is used for the record and may be one that
    `connect` already waited for. `on_bytes` follows the dump's size while pg_dump
    writes it (`gxschema.backup.watching`). A failure leaves no dump file, marks the record
    failed and raises `OperationError`; older dumps are then left alone.
    """
    if keep < 1:
        raise ConfigError(f"keep must be at least 1 (got {keep}): the new dump is kept")
    if kind not in KINDS:
        raise ConfigError(f"unknown backup kind {kind!r} (choose one of {', '.join(KINDS)})")
    directory = prepare_directory(directory)
    own_engine = engine is None
    engine = engine or db.create_engine(settings, poolclass=NullPool)
    try:
        return _take(
            settings,
            directory,
            engine,
            keep=keep,
            kind=kind,
            count_rows=count_rows,
            say=on_progress or quiet,
            on_bytes=on_bytes,
        )
    finally:
        if own_engine:
            engine.dispose()


def _take(
    settings: DatabaseSettings,
    directory: Path,
    engine: Engine,
    *,
    keep: int,
    kind: str,
    count_rows: bool,
    say: Progress,
    on_bytes: ByteProgress | None = None,
) -> BackupResult:
    secrets = settings.secrets()
    target = settings.describe()
    database = database_name(settings)
    with contextlib.ExitStack() as run_lock:
        with engine.connect() as connection:
            major = server_major(connection)
            revision = history.current_revision(connection)
            can_record = recordable(connection)
            for dead in reap_dead_backups(connection) if can_record else []:
                say(f"marked backup {dead} failed: {DEAD_RUN_ERROR}")
        env = dead_client_check(libpq_environment(settings), major)
        tool = find_tool("pg_dump", major, env)
        remove_stale_partials(directory, engine if can_record else None)
        reap_scratch_quietly(engine, say)
        started_at = datetime.now(UTC)
        final, partial = reserve(directory, file_prefix(database), started_at)
        backup_id = new_uuid() if can_record else None
        try:
            if backup_id is not None:
                run_lock.enter_context(holding_run_lock(engine, backup_id))
                record_start(
                    engine,
                    backup_id=backup_id,
                    kind=kind,
                    target=target,
                    location=final,
                    revision=revision,
                    started_at=started_at,
                )
            say(f"dumping {target} with {tool.describe()} into {final}")
            counts = _dump(
                engine, tool, env, partial, secrets, count_rows=count_rows, on_bytes=on_bytes
            )
            digest = _publish(partial, final)
        except BaseException as error:
            message = redact(one_line(error), secrets)
            _forget_failed(engine, backup_id, partial, final, message, say)
            if not isinstance(error, Exception):
                raise
            error_class = type(error) if isinstance(error, GxSchemaError) else OperationError
            raise error_class(
                f"the backup of {target} failed, no dump was written: {message}"
            ) from None
        size = final.stat().st_size
        if backup_id is not None:
            record_finish(engine, backup_id, status="succeeded", size_bytes=size, checksum=digest)
        result = BackupResult(
            path=final,
            checksum=digest,
            size_bytes=size,
            target=target,
            kind=kind,
            schema_revision=revision,
            started_at=started_at,
            finished_at=datetime.now(UTC),
            tool=tool.describe(),
            backup_id=backup_id,
            row_counts=counts,
        )
        result.pruned = prune(directory, database, keep=keep, engine=engine)
        for path in result.pruned:
            say(f"pruned {path.name}")
        return result


def _publish(partial: Path, final: Path) -> str:
    """Give the complete dump its checksum and its final name, durably; its SHA-256."""
    digest = sha256_of(partial)
    fsync(partial)
    write_checksum(final, digest)
    os.replace(partial, final)
    fsync(final.parent)
    return digest


def _forget_failed(
    engine: Engine,
    backup_id: str | None,
    partial: Path,
    final: Path,
    message: str,
    say: Progress,
) -> None:
    """Leave nothing of a failed backup that looks like one; its record says failed."""
    partial.unlink(missing_ok=True)
    if not final.exists():
        checksum_path(final).unlink(missing_ok=True)
    if backup_id is not None:
        try:
            record_finish(engine, backup_id, status="failed", error=message)
        except Exception:  # the database may be what failed; the error raised says why
            say("could not record the failed backup in BackupRecord")
