"""Restoring a dump: checksum first, never over a database that holds anything unless forced.

`restore` checks the dump's checksum, creates a missing target, and refuses one
that holds any table, view, sequence or type unless forced; then it restores into
a staging database and swaps it in only when the restore succeeded, so a failed
restore leaves the old database as it was.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gxschema import children
from gxschema.backup.common import Progress, quiet
from gxschema.backup.files import verify_checksum
from gxschema.backup.reaping import guarding, reap_scratch_quietly
from gxschema.backup.server import Server, check_database_name, objects_in, scratch_name
from gxschema.backup.tools import PgTool, find_pg_restore, libpq_environment, run_tool
from gxschema.backup.watching import ByteProgress, read_position_of, watching
from gxschema.errors import ConfigError
from gxschema.settings import DatabaseSettings


@dataclass
class RestoreResult:
    dump: Path
    target_database: str
    checksum: str
    created: bool
    """The target did not exist and was created."""
    replaced: bool
    """The target held objects and was replaced (``force``)."""
    duration_ms: int
    tool: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "dump": str(self.dump),
            "target_database": self.target_database,
            "checksum": self.checksum,
            "created": self.created,
            "replaced": self.replaced,
            "duration_ms": self.duration_ms,
            "tool": self.tool,
        }


@dataclass(frozen=True)
class _Restore:
    """One dump restored by one pg_restore, into whichever database it is pointed at."""

    tool: PgTool
    settings: DatabaseSettings
    dump: Path
    secrets: list[str]
    privileges: bool
    on_bytes: ByteProgress | None = None
    """Told how far pg_restore has read into the dump, about once a second."""

    def into(self, database: str) -> None:
        """Restore into `database` in one transaction, without owners."""
        with watching(read_position_of(self.dump), self.on_bytes):
            self._run_into(database)
        if self.on_bytes is not None:  # all of it was read: the last figure is the size
            self.on_bytes(self.dump.stat().st_size)

    def _run_into(self, database: str) -> None:
        env = libpq_environment(self.settings, database=database)
        # A conninfo string, so that no database name is ever taken for a URL or option.
        conninfo = "dbname='" + database.replace("\\", "\\\\").replace("'", "\\'") + "'"
        run_tool(
            self.tool,
            [
                "--no-owner",
                # Grants (and 0004's default privileges, which name the migrating role) need
                # a restoring role that may set them; a scratch copy for counting rows does not.
                *([] if self.privileges else ["--no-privileges"]),
                "--exit-on-error",
                "--single-transaction",
                "--no-password",
                f"--dbname={conninfo}",
                str(self.dump),
            ],
            env,
            self.secrets,
        )

    def into_new(self, server: Server, database: str) -> None:
        """Restore into `database`, which we just created; drop it again if that fails."""
        try:
            self.into(database)
        except BaseException:
            _drop_quietly(server, database)
            raise


@children.unwinds_on_sigterm
def restore(
    settings: DatabaseSettings,
    dump: Path,
    target_database: str,
    *,
    force: bool = False,
    privileges: bool = True,
    on_progress: Progress | None = None,
    on_bytes: ByteProgress | None = None,
) -> RestoreResult:
    """Restore `dump` into `target_database` on the server of `settings`.

    The checksum is checked first (a mismatch restores nothing). A missing target is
    created; one that holds any table, view, sequence or type is refused unless
    `force`, which restores into a new database and only then swaps it for the old
    one, so a failed restore leaves the old database as it was. The restore runs in
    one transaction (``--single-transaction --exit-on-error``), without owners.
    `privileges=False` skips grants and default privileges, for a restoring role that
    may not set those of the role that migrated the source. `on_bytes` follows how
    much of the dump pg_restore has read (`gxschema.backup.watching`).
    """
    say = on_progress or quiet
    check_database_name(target_database)
    dump = dump.resolve()
    checksum = verify_checksum(dump)
    say(f"checksum of {dump.name} verified")
    clock = time.monotonic()
    server = Server(settings, avoid=target_database)
    try:
        reap_scratch_quietly(server.engine, say)
        tool = find_pg_restore(settings, server.major())
        job = _Restore(tool, settings, dump, settings.secrets(), privileges, on_bytes)
        created = replaced = False
        if not server.exists(target_database):
            say(f"creating database {target_database}")
            server.create(target_database)
            created = True
            say(f"restoring {dump.name} into {target_database} with {tool.describe()}")
            job.into_new(server, target_database)
        else:
            with server.connect_to(target_database) as connection:
                objects = objects_in(connection)
            if objects and not force:
                shown = ", ".join(objects[:3]) + (", ..." if len(objects) > 3 else "")
                raise ConfigError(
                    f"the database {target_database} is not empty ({len(objects)} object(s): "
                    f"{shown}); nothing was restored. Restore into a new database, or use "
                    "--force to replace it (its contents are dropped)"
                )
            if not objects:
                say(f"restoring {dump.name} into {target_database} with {tool.describe()}")
                job.into(target_database)
            else:
                staging = scratch_name("restore")
                with guarding(server, staging):  # until renamed: no next run drops it
                    say(f"restoring {dump.name} into {staging} with {tool.describe()}")
                    server.create(staging)
                    job.into_new(server, staging)
                    say(f"replacing database {target_database} with the restored copy")
                    server.drop(target_database)
                    server.rename(staging, target_database)
                replaced = True
    finally:
        server.dispose()
    return RestoreResult(
        dump=dump,
        target_database=target_database,
        checksum=checksum,
        created=created,
        replaced=replaced,
        duration_ms=int((time.monotonic() - clock) * 1000),
        tool=tool.describe(),
    )


def _drop_quietly(server: Server, database: str) -> None:
    # The error being raised already says what went wrong.
    with contextlib.suppress(Exception):
        server.drop(database)
