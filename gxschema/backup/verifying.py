"""Proving a dump restores: into a scratch database, compared with the source's row counts.

`verify` restores a dump into a scratch database, compares per-table row counts
with the source (or with the counts of the dump's own snapshot), always drops the
scratch database, and sets ``verifiedAt`` on the dump's record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.pool import NullPool

from gxschema import children, db
from gxschema.backup.common import Progress, one_line, quiet
from gxschema.backup.files import newest_dump
from gxschema.backup.reaping import guarding
from gxschema.backup.records import mark_verified
from gxschema.backup.restoring import restore
from gxschema.backup.server import Server, database_name, row_counts, scratch_name
from gxschema.errors import CheckFailedError, OperationError
from gxschema.settings import DatabaseSettings


@dataclass
class VerifyResult:
    dump: Path
    scratch_database: str
    tables: int
    rows: int
    compared_with: str
    """``snapshot`` (the counts of the dump's own snapshot) or ``live`` (the source now)."""
    verified_at: datetime
    recorded: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "dump": str(self.dump),
            "scratch_database": self.scratch_database,
            "scratch_dropped": True,
            "tables": self.tables,
            "rows": self.rows,
            "compared_with": self.compared_with,
            "verified_at": self.verified_at.isoformat(),
            "recorded": self.recorded,
        }


@children.unwinds_on_sigterm
def verify(
    settings: DatabaseSettings,
    dump: Path,
    *,
    expected_counts: dict[str, int] | None = None,
    engine: Engine | None = None,
    on_progress: Progress | None = None,
) -> VerifyResult:
    """Prove `dump` restores: into a scratch database, with the source's row counts.

    `expected_counts` are the counts of the dump's own snapshot (`take_backup` with
    ``count_rows``); without them the source's current counts are compared. The
    scratch database is dropped whatever happens; on success ``verifiedAt`` is set on
    the dump's ``BackupRecord``. Different counts raise `CheckFailedError`.
    """
    say = on_progress or quiet
    dump = dump.resolve()
    own_engine = engine is None
    engine = engine or db.create_engine(settings, poolclass=NullPool)
    scratch = scratch_name("verify")
    try:
        if expected_counts is None:
            with engine.connect() as connection:
                expected = row_counts(connection)
            compared_with = "live"
        else:
            expected, compared_with = dict(expected_counts), "snapshot"
        guard = Server(settings, avoid=scratch)
        try:
            with guarding(guard, scratch):  # from before its creation until it is dropped
                try:
                    restored = _restore_and_count(settings, dump, scratch, say)
                except BaseException:
                    _drop_scratch(settings, scratch, quietly=True)
                    raise
                _drop_scratch(settings, scratch, quietly=False)
        finally:
            guard.dispose()
        say(f"dropped the scratch database {scratch}")
        _compare_counts(dump, expected, restored)
        verified_at = datetime.now(UTC)
        recorded = mark_verified(engine, dump, verified_at)
    finally:
        if own_engine:
            engine.dispose()
    return VerifyResult(
        dump=dump,
        scratch_database=scratch,
        tables=len(restored),
        rows=sum(restored.values()),
        compared_with=compared_with,
        verified_at=verified_at,
        recorded=recorded,
    )


def _compare_counts(dump: Path, expected: dict[str, int], restored: dict[str, int]) -> None:
    """Raise `CheckFailedError` naming every table whose restored count differs."""
    mismatches = []
    for table in sorted(set(expected) | set(restored)):
        want, have = expected.get(table), restored.get(table)
        if want != have:
            mismatches.append(
                f"{table} (source {'missing' if want is None else want}, "
                f"restored {'missing' if have is None else have})"
            )
    if mismatches:
        raise CheckFailedError(
            f"the dump {dump.name} restores with other row counts than the source in "
            f"{len(mismatches)} table(s): {', '.join(mismatches[:20])}"
            + (", ..." if len(mismatches) > 20 else "")
        )


def _restore_and_count(
    settings: DatabaseSettings, dump: Path, scratch: str, say: Progress
) -> dict[str, int]:
    try:
        restore(settings, dump, scratch, privileges=False, on_progress=say)
    except OperationError as error:
        raise CheckFailedError(f"the dump {dump.name} cannot be restored: {error}") from None
    server = Server(settings, avoid=scratch)
    try:
        with server.connect_to(scratch) as connection:
            return row_counts(connection)
    finally:
        server.dispose()


def _drop_scratch(settings: DatabaseSettings, scratch: str, *, quietly: bool) -> None:
    try:
        server = Server(settings, avoid=scratch)
        try:
            server.drop(scratch)
        finally:
            server.dispose()
    except Exception as error:
        if not quietly:
            raise OperationError(
                f"could not drop the scratch database {scratch}: {one_line(error)}; drop it by hand"
            ) from None


def verify_latest(
    settings: DatabaseSettings,
    directory: Path,
    *,
    engine: Engine | None = None,
    on_progress: Progress | None = None,
) -> VerifyResult:
    """`verify` the newest dump of the configured database in `directory`."""
    database = database_name(settings)
    dump = newest_dump(directory, database)
    if dump is None:
        raise OperationError(f"there is no dump of {database} in {directory} to verify")
    return verify(settings, dump, engine=engine, on_progress=on_progress)
