"""The advisory lock that serialises migrations, and the session timeouts they run under.

Every run that changes the schema (``alembic upgrade``, ``gxschema migrate``, the Job)
holds one PostgreSQL session-level advisory lock for its whole run, so two Jobs
started at once apply each revision once: the second waits (bounded), then finds
the database current. `lock_timeout` makes a DDL statement that queues behind a
long transaction give up quickly instead of blocking every query queued behind it.
"""

from __future__ import annotations

import enum
import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, text

from gxschema.retry import poll

_SIGNED_63_BITS = 0x7FFF_FFFF_FFFF_FFFF


class DBLocks(enum.Enum):
    """Every PostgreSQL advisory lock gxschema takes: one list, so no two share a key.

    A lock of one thing (the migrations, seeding, the fake-data loader) has a fixed
    key, its letters folded into a signed 64-bit number. A lock of one run among
    many (a running backup, a scratch database, a backfill job) has a namespace,
    and `key` derives each run's key from it and the run's name: the first 63 bits
    of a SHA-256, so keys of different runs do not collide and stay clear of the
    fixed ones. A lock that nobody holds means its owner is gone, since PostgreSQL
    releases a session's locks when its connection ends (a killed process included).
    """

    MIGRATIONS = 0x6778_7363_6865_6D61 & _SIGNED_63_BITS  # "gxschema"
    """Held by every run that changes the schema, for the whole run."""
    SEEDING = 0x6778_7365_6564_7321 & _SIGNED_63_BITS  # "gxseeds!"
    """Serialises concurrent seeders (a transaction-level lock)."""
    FAKE_DATA = 0x6778_6661_6B65_2121  # "gxfake!!"
    """Serialises loads of fake data (a transaction-level lock)."""
    BACKUP_RUN = "backup"
    """Held by a running backup, keyed by its ``backupId``, in the database it dumps."""
    SCRATCH_DATABASE = "scratch"
    """Held on the server by whoever creates a scratch database, keyed by its name."""
    BACKFILL_JOB = "backfill"
    """Held by the one run of a backfill job, keyed by the job's name."""

    def key(self, name: str | None = None) -> int:
        """The advisory lock key: the fixed one, or that of the run called `name`."""
        if isinstance(self.value, int):
            if name is not None:
                raise ValueError(f"{self.name} is one lock, not one per run")
            return self.value
        if name is None:
            raise ValueError(f"{self.name} is one lock per run: name the run")
        digest = hashlib.sha256(f"gxschema:{self.value}:{name}".encode()).digest()
        return int.from_bytes(digest[:8], "big") & _SIGNED_63_BITS


MIGRATION_LOCK_KEY = DBLocks.MIGRATIONS.key()


DEFAULT_LOCK_TIMEOUT = "5s"
DEFAULT_STATEMENT_TIMEOUT = "15min"
DEFAULT_LOCK_WAIT_SECONDS = 600.0

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|min|h)?\s*$")


class MigrationLockTimeoutError(RuntimeError):
    """Another migration held the advisory lock for longer than we would wait."""


def postgres_duration(value: str | float | int) -> str:
    """A duration PostgreSQL accepts in ``SET lock_timeout``: ``5s``, ``500ms``, ``2min``.

    A bare number means seconds. Anything else is refused, so nothing but a
    duration reaches the ``SET`` statement.
    """
    if isinstance(value, int | float):
        return f"{int(float(value) * 1000)}ms"
    match = _DURATION.match(value)
    if match is None:
        raise ValueError(f"not a duration: {value!r} (use e.g. 5s, 500ms, 2min)")
    number, unit = match.groups()
    if unit is None:
        return f"{int(float(number) * 1000)}ms"
    if "." in number:
        factor = {"ms": 1, "s": 1000, "min": 60_000, "h": 3_600_000}[unit]
        return f"{int(float(number) * factor)}ms"
    return f"{number}{unit}"


def set_timeouts(connection: Connection, *, lock_timeout: str, statement_timeout: str) -> None:
    """Set both timeouts for the session (they outlive the transactions that follow)."""
    connection.execute(text(f"SET lock_timeout = '{postgres_duration(lock_timeout)}'"))
    connection.execute(text(f"SET statement_timeout = '{postgres_duration(statement_timeout)}'"))


def try_lock(connection: Connection, key: int = MIGRATION_LOCK_KEY) -> bool:
    """Take the advisory lock if it is free; never waits."""
    return bool(
        connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}).scalar()
    )


def unlock(connection: Connection, key: int = MIGRATION_LOCK_KEY) -> None:
    connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})


def lock_holder(connection: Connection, key: int = MIGRATION_LOCK_KEY) -> str | None:
    """Who holds the lock now: ``pid 123 (application, host)``, or None."""
    row = (
        connection.execute(
            text(
                """
            SELECT a.pid, a.application_name, a.client_addr::text AS client
            FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted
              AND ((l.classid::bigint << 32) | l.objid::bigint) = :key
            LIMIT 1
            """
            ),
            {"key": key},
        )
        .mappings()
        .first()
    )
    if row is None:
        return None
    return f"pid {row['pid']} ({row['application_name'] or 'unknown application'})"


@contextmanager
def migration_lock(
    connection: Connection,
    *,
    wait_seconds: float = DEFAULT_LOCK_WAIT_SECONDS,
    poll_seconds: float = 0.5,
    key: int = MIGRATION_LOCK_KEY,
) -> Iterator[bool]:
    """Hold the migration lock for the block; yields whether we had to wait for it.

    Polls with `pg_try_advisory_lock` rather than blocking in `pg_advisory_lock`, so
    the wait is bounded and the holder can be named when we give up.
    """
    tries = 0

    def taken() -> bool:
        nonlocal tries
        tries += 1
        got = try_lock(connection, key)
        connection.commit()
        return got

    if not poll(taken, seconds=wait_seconds, every=poll_seconds):
        holder = lock_holder(connection, key) or "another session"
        connection.commit()
        raise MigrationLockTimeoutError(
            f"another migration is running ({holder}); gave up after waiting "
            f"{wait_seconds:g}s for the migration lock"
        )
    waited = tries > 1
    try:
        yield waited
    finally:
        if connection.in_transaction():
            connection.rollback()
        if not connection.closed and not connection.invalidated:
            unlock(connection, key)
            connection.commit()
