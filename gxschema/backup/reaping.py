"""Liveness of running backups and scratch databases, and reaping what dead runs left.

Nothing outlives a killed run for long. pg_dump and pg_restore die with gxschema
(`gxschema.children`: SIGKILL by the kernel when gxschema dies, and SIGTERM unwinds
like Ctrl-C, removing the temporary file and marking the record failed). What a
SIGKILL leaves is found by the next run (`take_backup`, `restore`, `verify`, and
`reap_dead_backups` for `gxschema status`): while a backup runs, its process holds a
session-level advisory lock keyed by its ``backupId`` (`DBLocks.BACKUP_RUN`),
taken before its record is written; a ``running`` record whose lock anyone can take
belongs to a process that is gone, so it is marked failed at once and its temporary
files are removed. Scratch databases are likewise held under a lock keyed by their
name from before they are created until they are dropped or renamed; one whose lock
nobody holds is dropped.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

from gxschema import locking
from gxschema.backup.common import Progress
from gxschema.backup.files import partials_of
from gxschema.backup.records import mark_dead, running
from gxschema.backup.server import SCRATCH_NAME, Server, drop_database
from gxschema.errors import OperationError
from gxschema.locking import DBLocks

DEAD_RUN_ERROR = "the run ended without finishing (its process is gone)"


@contextmanager
def holding_run_lock(engine: Engine, backup_id: str) -> Iterator[None]:
    """Hold the backup's advisory lock on a connection of its own for the block.

    Taken before the record is written, so a ``running`` record whose lock is
    free is always one whose process is gone (see `reap_dead_backups`).
    """
    key = DBLocks.BACKUP_RUN.key(backup_id)
    with engine.connect() as holder:
        if not locking.try_lock(holder, key):  # a fresh uuid: only a collision
            raise OperationError(f"the lock of backup {backup_id} is taken; try again")
        holder.commit()
        try:
            yield
        finally:
            if not holder.closed and not holder.invalidated:
                with contextlib.suppress(Exception):  # closing the connection frees it anyway
                    locking.unlock(holder, key)
                    holder.commit()


def reap_dead_backups(connection: Connection, *, remove_files: bool = True) -> list[str]:
    """Mark failed the ``running`` backups whose process is gone; their ids.

    A running backup holds its advisory lock (`holding_run_lock`) on the database
    it dumps, which `connection` must be connected to: if this session can take
    the lock, nobody holds it, the process died (SIGKILL, OOM, a lost pod) and the
    record gets ``status = 'failed'`` and `DEAD_RUN_ERROR` now, not after a day.
    With `remove_files`, its temporary files are removed too, where this process
    can see them (another pod's volume it cannot). Commits.
    """
    unfinished = running(connection)
    connection.commit()
    reaped = []
    for backup_id, location in unfinished:
        key = DBLocks.BACKUP_RUN.key(backup_id)
        if not locking.try_lock(connection, key):
            connection.commit()
            continue  # its process is alive and holds it
        try:
            updated = mark_dead(connection, backup_id, DEAD_RUN_ERROR)
            connection.commit()
        except DBAPIError:  # a role that may not write the record: the next backup will
            connection.rollback()
            break
        finally:
            locking.unlock(connection, key)
            connection.commit()
        if updated:
            reaped.append(backup_id)
            if remove_files and location:
                for path in partials_of(Path(location)):
                    with contextlib.suppress(OSError):
                        path.unlink(missing_ok=True)
    return reaped


def reap_scratch_databases(connection: Connection) -> list[str]:
    """Drop the scratch databases of runs that are gone; their names.

    Only names `server.scratch_name` makes, and only those whose lock (`guarding`)
    nobody holds on the server; one this role may not drop is left alone.
    `connection` must be in autocommit (DROP DATABASE runs outside transactions).
    """
    names = connection.execute(
        text("SELECT datname FROM pg_database WHERE datname ~ :pattern ORDER BY 1"),
        {"pattern": SCRATCH_NAME},
    ).scalars()
    dropped = []
    for name in list(names):
        if locking.lock_holder(connection, DBLocks.SCRATCH_DATABASE.key(name)) is not None:
            continue
        try:
            drop_database(connection, name)
        except DBAPIError:  # another role's: not ours to drop
            continue
        dropped.append(name)
    return dropped


def reap_scratch_quietly(engine: Engine, say: Progress) -> None:
    try:
        with engine.connect() as connection:
            connection = connection.execution_options(isolation_level="AUTOCOMMIT")
            for name in reap_scratch_databases(connection):
                say(f"dropped {name}, the scratch database of a run that ended without finishing")
    except Exception:  # tidying up must not fail the operation asked for
        say("could not look for scratch databases of runs that ended without finishing")


@contextmanager
def guarding(server: Server, scratch: str) -> Iterator[None]:
    """Hold the scratch database's lock for the block: create it and drop it inside."""
    key = DBLocks.SCRATCH_DATABASE.key(scratch)
    with server.engine.connect() as holder:
        if not locking.try_lock(holder, key):
            raise OperationError(f"the scratch database name {scratch} is in use; try again")
        try:
            yield
        finally:
            if not holder.closed and not holder.invalidated:
                with contextlib.suppress(Exception):
                    locking.unlock(holder, key)
