"""Online schema changes for revisions: DDL that lets the services keep writing.

A revision runs against a database the TypeScript services write to all day. Plain
DDL stops them: ``CREATE INDEX`` holds a SHARE lock (no INSERT/UPDATE/DELETE) for the
whole build, ``ADD FOREIGN KEY`` scans the table under SHARE ROW EXCLUSIVE, ``SET NOT
NULL`` scans it under ACCESS EXCLUSIVE, and any ALTER that *waits* for its lock makes
every writer that arrives after it queue behind it. The operations here avoid each:

- indexes are built and dropped ``CONCURRENTLY`` outside the revision's transaction
  (`create_index_concurrently`, `drop_index_concurrently`), idempotent on rerun: an
  index a killed or failed build left INVALID is dropped and rebuilt, never taken as
  done;
- foreign keys and CHECKs are added ``NOT VALID`` (no scan, a brief lock) and
  validated in their own step (`validate_constraint`), which scans under SHARE
  UPDATE EXCLUSIVE, a lock writers do not conflict with;
- a statement that needs a strong lock runs under a short ``lock_timeout`` and is
  retried with backoff (`execute_with_lock_retries`, after GitLab's
  ``with_lock_retries``): it never sits in the lock queue for long, so a writer
  queued behind it waits at most that timeout;
- ``NOT NULL`` on a big table goes through a validated CHECK first
  (`set_not_null_via_check`), so PostgreSQL 12+ sets it without a scan.

Revisions import this module (``from gxschema import online``); it imports only
Alembic, SQLAlchemy and `gxschema.blockers`/`gxschema.locking`, never the live
models, so a revision keeps meaning what it meant when it was written.

**Atomicity.** The index and validate operations commit the revision's transaction
so far (Alembic's ``autocommit_block``): put them *first* in ``upgrade()``, before the
steps that must stay atomic with the ``alembic_version`` stamp, so that a failure
leaves the database at the previous revision with, at most, finished indexes (kept
on rerun) or an INVALID one (replaced on rerun). Everything here is idempotent when
run online, so the migrator can rerun a revision that failed half-way.

**Offline (``--sql``).** The SQL is emitted for review, with ``COMMIT;``/``BEGIN;``
around the statements that must run outside a transaction, so the script is run
with ``psql -f`` (not ``-1``). Offline code cannot look at the database, so: an
index is created with ``IF NOT EXISTS`` behind a DO block that *refuses* (it cannot
drop CONCURRENTLY inside a DO block) when an INVALID index of that name exists;
``ADD CONSTRAINT`` is emitted plain (a rerun after it fails with "already exists");
and a strong-lock statement runs once under its short ``lock_timeout``, with no
retry (psql stops at the first lock timeout; rerun the script).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from alembic import op
from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

from gxschema import blockers, locking
from gxschema.identifiers import literal, quote
from gxschema.retry import Backoff, Retry, is_lock_timeout

STRONG_LOCK_TIMEOUT = "50ms"
"""How long one strong-lock statement may wait in the lock queue per attempt.

Every writer that arrives while the ALTER waits queues behind it, so this bounds a
writer's stall: 50 ms of queueing plus the few milliseconds the statement then
holds its lock keeps the stall well under 100 ms."""

LOCK_RETRY_ATTEMPTS = 40
"""Attempts per statement: with the pauses below, about a minute and a half of trying.

The operator can change it for a run without editing revisions: the migrator's
``MigrationOptions.statement_lock_attempts`` or ``alembic -x statement_lock_attempts=N``
(read from the Alembic config as `ATTEMPTS_SETTING`); a revision's explicit
``attempts=`` wins over both."""

ATTEMPTS_SETTING = "statement_lock_attempts"

FIRST_PAUSE_SECONDS = 0.1
MAX_PAUSE_SECONDS = 3.0

_REFERENTIAL_ACTIONS = frozenset({"CASCADE", "RESTRICT", "SET NULL", "SET DEFAULT", "NO ACTION"})
_QUOTED = re.compile(r'"((?:[^"]|"")+)"')


class LockRetriesExhaustedError(RuntimeError):
    """A strong-lock statement did not get its lock in any of its attempts."""


def _offline() -> bool:
    return bool(op.get_context().as_sql)


def _short_duration(value: str) -> str:
    """A PostgreSQL duration that is not zero (zero means: wait forever)."""
    duration = locking.postgres_duration(value)
    if float(re.sub(r"[a-z]+$", "", duration)) == 0:
        raise ValueError(f"lock_timeout {value!r} would wait forever (0 disables it in PostgreSQL)")
    return duration


# Indexes --------------------------------------------------------------------------


def create_index_sql(
    name: str,
    table: str,
    columns: Sequence[str],
    *,
    unique: bool = False,
    where: str | None = None,
    using: str | None = None,
) -> str:
    """The ``CREATE [UNIQUE] INDEX CONCURRENTLY IF NOT EXISTS`` statement, for review and tests."""
    parts = [
        f"CREATE {'UNIQUE ' if unique else ''}INDEX CONCURRENTLY IF NOT EXISTS {quote(name)}",
        f"ON {quote(table)}",
    ]
    if using:
        parts.append(f"USING {using}")
    parts.append("(" + ", ".join(quote(column) for column in columns) + ")")
    if where:
        parts.append(f"WHERE {where}")
    return " ".join(parts)


def index_state(connection: Connection, name: str) -> tuple[bool, str] | None:
    """(valid, table) of the index `name` on the search path, or None when there is none."""
    row = connection.execute(
        text(
            "SELECT i.indisvalid AND i.indisready, c.relname FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indrelid WHERE i.indexrelid = to_regclass(:name)"
        ),
        {"name": quote(name)},
    ).first()
    return None if row is None else (bool(row[0]), str(row[1]))


def create_index_concurrently(
    name: str,
    table: str,
    columns: Sequence[str],
    *,
    unique: bool = False,
    where: str | None = None,
    using: str | None = None,
) -> None:
    """Build an index without blocking the table's writers; safe to rerun.

    ``CREATE INDEX CONCURRENTLY`` takes SHARE UPDATE EXCLUSIVE, which INSERT, UPDATE
    and DELETE do not conflict with, and cannot run in a transaction block: it runs
    in an autocommit block (which commits what the revision did before it). It waits
    for transactions older than it under the session's ``lock_timeout``; if it gives
    up, is cancelled or killed, or a unique build meets duplicates, PostgreSQL leaves
    the index behind marked INVALID (``pg_index.indisvalid``): it costs every write
    and serves no read. So a VALID index of this name is left alone, an INVALID one
    is dropped concurrently and built again, and a missing one is built.

    The build runs under the session's ``statement_timeout`` (``--statement-timeout``,
    15 min by default): a build that needs longer (hundreds of millions of rows) is
    cancelled and retried from scratch every run, so raise it for such a run; the
    writers do not wait on the build, so a long one costs them nothing but I/O.
    """
    statement = create_index_sql(name, table, columns, unique=unique, where=where, using=using)
    context = op.get_context()
    with context.autocommit_block():
        if context.as_sql:
            op.execute(_refuse_invalid_index_sql(name))
            op.execute(statement)
            return
        connection = op.get_bind()
        state = index_state(connection, name)
        if state is not None and state[1] != table:
            raise RuntimeError(
                f"index {quote(name)} already exists on table {quote(state[1])}, "
                f"not on {quote(table)}: rename one of them"
            )
        if state is not None and state[0]:
            return
        if state is not None:
            connection.exec_driver_sql(f"DROP INDEX CONCURRENTLY IF EXISTS {quote(name)}")
        connection.exec_driver_sql(statement)


def _refuse_invalid_index_sql(name: str) -> str:
    """Offline stand-in for the INVALID check: stop the script, say what to run.

    A DO block runs in a transaction, where ``DROP INDEX CONCURRENTLY`` is not
    allowed, so offline SQL can only refuse; ``IF NOT EXISTS`` alone would take
    the INVALID index as done.
    """
    message = (
        f"index {quote(name)} is INVALID (left by a failed concurrent build): "
        f"run DROP INDEX CONCURRENTLY {quote(name)}; then run this script again"
    )
    return (
        "DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_index "
        f"WHERE indexrelid = to_regclass({literal(quote(name))}) AND NOT indisvalid) "
        f"THEN RAISE EXCEPTION {literal(message)}; END IF; END $$"
    )


def drop_index_concurrently(name: str, table: str | None = None) -> None:
    """Drop an index without blocking the table's readers and writers; safe to rerun.

    Plain ``DROP INDEX`` takes ACCESS EXCLUSIVE on the table; ``CONCURRENTLY`` waits
    for the queries using the index instead. `table` is only documentation (the
    name is unique in the schema); it keeps the call symmetric with the create.
    """
    del table
    with op.get_context().autocommit_block():
        op.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {quote(name)}")


# Strong locks ------------------------------------------------------------------------


def execute_with_lock_retries(
    sql: str,
    *,
    lock_timeout: str = STRONG_LOCK_TIMEOUT,
    attempts: int | None = None,
    first_pause: float = FIRST_PAUSE_SECONDS,
    max_pause: float = MAX_PAUSE_SECONDS,
) -> None:
    """Run one statement that needs a strong lock without stalling writers for long.

    An ALTER TABLE waiting for ACCESS EXCLUSIVE behind a long transaction blocks
    every query that arrives after it, for as long as it waits. So the statement
    runs in a SAVEPOINT under ``SET LOCAL lock_timeout`` (`lock_timeout`, 50 ms by
    default); on a lock timeout only that savepoint is rolled back, we pause (doubling
    from `first_pause` up to `max_pause`, with jitter so that two migrators do not
    retry in step) and try the statement again, while the revision's earlier work
    stays. After `attempts` tries it raises `LockRetriesExhaustedError` naming the
    sessions that hold locks on the statement's tables, and the revision's
    transaction rolls back whole. The session's own ``lock_timeout`` applies again
    after the statement. It must run inside the revision's transaction (not in an
    autocommit block): the lock it takes is held until that transaction commits,
    so put it late in the revision.
    """
    timeout = _short_duration(lock_timeout)
    attempts = attempts if attempts is not None else configured_attempts()
    if attempts < 1:
        raise ValueError("attempts must be at least 1")
    if _offline():
        op.execute(
            "SELECT set_config('gxschema.outer_lock_timeout', current_setting('lock_timeout'), "
            "true)"
        )
        op.execute(f"SET LOCAL lock_timeout = '{timeout}'")
        op.execute(sql)
        op.execute(
            "SELECT set_config('lock_timeout', current_setting('gxschema.outer_lock_timeout'), "
            "true)"
        )
        return
    connection = op.get_bind()
    if connection.get_execution_options().get("isolation_level") == "AUTOCOMMIT":
        raise RuntimeError(
            "execute_with_lock_retries needs the revision's transaction; "
            "it cannot run inside an autocommit block"
        )
    outer = connection.execute(text("SELECT current_setting('lock_timeout')")).scalar_one()

    def attempt() -> None:
        savepoint = connection.begin_nested()
        try:
            connection.execute(text("SELECT set_config('lock_timeout', :t, true)"), {"t": timeout})
            connection.exec_driver_sql(sql)
        except DBAPIError:
            savepoint.rollback()
            raise
        savepoint.commit()

    backoff = Backoff(first=first_pause, cap=max_pause, jitter=True)
    try:
        Retry(backoff, retryable=is_lock_timeout, attempts=attempts).call(attempt)
    except DBAPIError as error:
        if not is_lock_timeout(error):
            raise
        holders = blockers.describe_holders(
            blockers.lock_holders(connection, _relations_named_in(sql) or None)
        )
        raise LockRetriesExhaustedError(
            f"gave up on {_summary(sql)!r} after {attempts} attempts of "
            f"lock_timeout {timeout}; {holders}"
        ) from None
    connection.execute(text("SELECT set_config('lock_timeout', :t, true)"), {"t": outer})


def configured_attempts() -> int:
    """`LOCK_RETRY_ATTEMPTS`, unless the run's Alembic config says otherwise."""
    context = op.get_context()
    value = None
    if context.config is not None:
        value = context.config.attributes.get(ATTEMPTS_SETTING)
    if value is None and context.environment_context is not None:
        value = context.environment_context.get_x_argument(as_dictionary=True).get(ATTEMPTS_SETTING)
    return LOCK_RETRY_ATTEMPTS if value is None else int(value)


def _relations_named_in(sql: str) -> list[str]:
    return [name.replace('""', '"') for name in _QUOTED.findall(sql)]


def _summary(sql: str) -> str:
    one_line = " ".join(sql.split())
    return one_line if len(one_line) <= 100 else one_line[:97] + "..."


# Constraints -------------------------------------------------------------------------


def constraint_exists(connection: Connection, table: str, name: str) -> bool:
    return (
        connection.execute(
            text("SELECT 1 FROM pg_constraint WHERE conrelid = to_regclass(:t) AND conname = :n"),
            {"t": quote(table), "n": name},
        ).first()
        is not None
    )


def _referential_action(clause: str, action: str | None) -> str:
    if action is None:
        return ""
    normalized = " ".join(action.upper().split())
    if normalized not in _REFERENTIAL_ACTIONS:
        raise ValueError(f"{clause} {action!r} is not one of {sorted(_REFERENTIAL_ACTIONS)}")
    return f" {clause} {normalized}"


def add_foreign_key_not_valid(
    name: str,
    source_table: str,
    referent_table: str,
    local_cols: Sequence[str],
    remote_cols: Sequence[str],
    *,
    ondelete: str | None = None,
    onupdate: str | None = None,
) -> None:
    """Add a foreign key without scanning the table; `validate_constraint` it next.

    A plain ADD FOREIGN KEY checks every existing row while holding SHARE ROW
    EXCLUSIVE on both tables (no writes to either). NOT VALID only records the
    constraint, enforced from then on for new and changed rows, so the lock is held
    for milliseconds; it is still taken through `execute_with_lock_retries`, since
    waiting for it would queue the writers of both tables. Skipped when a
    constraint of that name exists already (a rerun).
    """
    statement = (
        f"ALTER TABLE {quote(source_table)} ADD CONSTRAINT {quote(name)} "
        f"FOREIGN KEY ({', '.join(quote(c) for c in local_cols)}) "
        f"REFERENCES {quote(referent_table)} ({', '.join(quote(c) for c in remote_cols)})"
        f"{_referential_action('ON DELETE', ondelete)}"
        f"{_referential_action('ON UPDATE', onupdate)} NOT VALID"
    )
    if _offline():
        statement = _unless_constraint_exists_sql(source_table, name, statement)
    elif constraint_exists(op.get_bind(), source_table, name):
        return
    execute_with_lock_retries(statement)


def add_check_not_valid(name: str, table: str, condition: str) -> None:
    """Add a CHECK without scanning the table; `validate_constraint` it next.

    ADD CHECK takes ACCESS EXCLUSIVE; with NOT VALID it holds it for milliseconds
    instead of a full scan, and it waits for it through `execute_with_lock_retries`.
    Skipped when a constraint of that name exists already (a rerun).
    """
    statement = (
        f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} CHECK ({condition}) NOT VALID"
    )
    if _offline():
        statement = _unless_constraint_exists_sql(table, name, statement)
    elif constraint_exists(op.get_bind(), table, name):
        return
    execute_with_lock_retries(statement)


def _unless_constraint_exists_sql(table: str, name: str, statement: str) -> str:
    """Offline stand-in for `constraint_exists`: `statement` only if `name` is not there.

    PostgreSQL has no ``ADD CONSTRAINT IF NOT EXISTS``; without this check, offline
    SQL run again after it stopped half-way would fail at the constraint the first
    run added. The dollar quote is tagged, so a CHECK condition holding ``$$`` cannot
    end the block early.
    """
    return (
        "DO $gxschema$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_constraint "
        f"WHERE conrelid = to_regclass({literal(quote(table))}) AND conname = {literal(name)}) "
        f"THEN {statement}; END IF; END $gxschema$"
    )


def validate_constraint(table: str, name: str) -> None:
    """Check the existing rows against a NOT VALID constraint, writers still writing.

    ``VALIDATE CONSTRAINT`` scans under SHARE UPDATE EXCLUSIVE (and ROW SHARE on a
    foreign key's referenced table), which INSERT/UPDATE/DELETE do not conflict
    with. It runs in an autocommit block so that the strong lock the ADD took is
    released (committed) before the scan starts, instead of being held through it.
    Validating a valid constraint does nothing, so a rerun is safe.
    """
    with op.get_context().autocommit_block():
        op.execute(f"ALTER TABLE {quote(table)} VALIDATE CONSTRAINT {quote(name)}")


def not_null_check_name(table: str, column: str) -> str:
    """The temporary CHECK's name, within PostgreSQL's 63 bytes."""
    return f"{table}_{column}_not_null"[:63]


def set_not_null_via_check(table: str, column: str) -> None:
    """``SET NOT NULL`` on a big table without a full scan under ACCESS EXCLUSIVE.

    ``ALTER COLUMN SET NOT NULL`` scans the whole table holding ACCESS EXCLUSIVE
    (no reads, no writes) unless a *validated* ``CHECK (col IS NOT NULL)`` already
    proves it, which PostgreSQL 12+ uses instead. So: add that CHECK NOT VALID
    (brief lock, retried), validate it (scan, writers unaffected), set NOT NULL
    (brief lock, retried, no scan), drop the CHECK (same lock). The last two hold
    ACCESS EXCLUSIVE until the revision's transaction commits: call this last in a
    revision. Rerun after a failure: each step is skipped or repeats harmlessly.
    """
    check = not_null_check_name(table, column)
    drop_check = f"ALTER TABLE {quote(table)} DROP CONSTRAINT IF EXISTS {quote(check)}"
    if not _offline() and _column_is_not_null(op.get_bind(), table, column):
        if constraint_exists(op.get_bind(), table, check):  # a rerun that stopped before it
            execute_with_lock_retries(drop_check)
        return
    add_check_not_valid(check, table, f"{quote(column)} IS NOT NULL")
    validate_constraint(table, check)
    execute_with_lock_retries(
        f"ALTER TABLE {quote(table)} ALTER COLUMN {quote(column)} SET NOT NULL"
    )
    execute_with_lock_retries(drop_check)


def _column_is_not_null(connection: Connection, table: str, column: str) -> bool:
    return bool(
        connection.execute(
            text(
                "SELECT attnotnull FROM pg_attribute "
                "WHERE attrelid = to_regclass(:t) AND attname = :c AND NOT attisdropped"
            ),
            {"t": quote(table), "c": column},
        ).scalar()
    )
