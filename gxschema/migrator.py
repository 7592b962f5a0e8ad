"""Running migrations safely: history checks, lock retries, and a record of every run.

`migrate` is what ``gxschema migrate``, ``gxschema downgrade`` and the Job call:

- refuses a database that has our tables but no history (``gxschema adopt`` first),
  and one stamped with a revision this code does not know (newer code ran there);
- holds the migration advisory lock for the whole run (re-entrant for env.py);
- marks ``SchemaMigrationRun`` rows left ``running`` by a dead run as failed;
- runs every statement, from the history check on, under ``lock_timeout`` and
  ``statement_timeout`` (zero, which PostgreSQL reads as "no limit", is refused), so
  no run waits without bound behind another session;
- retries a revision that hit ``lock_timeout`` with backoff, and when it gives up
  names the sessions holding locks on our tables; completed revisions stay applied.
  A revision that fails half-way leaves ``alembic_version`` where it was: its
  transaction rolls back, and what its ``gxschema.online`` steps committed before
  (concurrent indexes) is idempotent, so the retry or the next run finishes it;
- records the run (from/to, direction, status, runner, version, duration, error).

``gxschema migrate`` of an empty database to head does not come here:
`gxschema.migrate_from_empty` runs the revisions' rendered SQL under the same lock,
timeouts and record, and hands every other case (and every refusal) to this module.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from alembic import command
from alembic.util.exc import CommandError
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

from gxschema import __version__, blockers, data_loss, locking, online, privileges, runs
from gxschema.alembic_config import make_config
from gxschema.errors import ConfigError, OperationError
from gxschema.history import chain
from gxschema.history import current_revision as current_revision
from gxschema.history import scripts as scripts
from gxschema.migration_result import MigrationResult as MigrationResult
from gxschema.retry import Backoff, Retry, is_lock_timeout
from gxschema.runs import runner_name as runner_name
from gxschema.settings import redact

CLIENT_CHECK_INTERVAL = "2s"
"""How often the server checks that the migrator is still connected (PostgreSQL 14+):
a killed migrator's concurrent index build is cancelled within this, instead of
running on, holding the migration lock, until it ends on its own."""


def bounded_timeout(value: str, option: str) -> str:
    """`value` as a PostgreSQL duration, refusing zero: PostgreSQL reads 0 as "wait forever"."""
    try:
        duration = locking.postgres_duration(value)
    except ValueError as error:
        raise ConfigError(f"{option}: {error}") from None
    if float(duration.rstrip("minsh")) == 0:
        raise ConfigError(
            f"{option} {value} would let a statement wait forever (PostgreSQL reads 0 as "
            "no limit); give a bound, e.g. 5s or 500ms"
        )
    return duration


@dataclass
class MigrationOptions:
    lock_timeout: str = locking.DEFAULT_LOCK_TIMEOUT
    statement_timeout: str = locking.DEFAULT_STATEMENT_TIMEOUT
    lock_retries: int = 10
    lock_wait_seconds: float = locking.DEFAULT_LOCK_WAIT_SECONDS
    retry_base_seconds: float = 1.0
    retry_max_seconds: float = 30.0
    statement_lock_attempts: int | None = None
    """Tries of each strong-lock statement in `gxschema.online` (None: its default)."""
    allow_data_loss: bool = False
    """Let a downgrade drop tables that hold rows (`gxschema.data_loss`)."""

    def __post_init__(self) -> None:
        self.lock_timeout = bounded_timeout(self.lock_timeout, "--lock-timeout")
        self.statement_timeout = bounded_timeout(self.statement_timeout, "--statement-timeout")

    def lock_retry(self, on_retry: Callable[[int, float, BaseException], None]) -> Retry:
        """How a statement that hit ``lock_timeout`` is retried: doubling pauses, capped."""
        return Retry(
            Backoff(first=self.retry_base_seconds, cap=self.retry_max_seconds),
            retryable=is_lock_timeout,
            attempts=max(1, self.lock_retries + 1),
            on_retry=on_retry,
        )


def owned_tables_present(connection: Connection) -> list[str]:
    """Which of the package's tables exist in the database.

    The models (46 classes, a third of a migration's start-up) are imported only when
    the schema holds a table at all: an empty database, the common case of a first
    ``gxschema migrate``, is answered by the query alone.
    """
    present = set(
        connection.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        ).scalars()
    )
    if not present:
        return []
    return sorted(present & set(_owned_table_names()))


def _owned_table_names() -> list[str]:
    from gxschema.models import metadata

    return list(metadata.tables)


def check_history(connection: Connection) -> str | None:
    """The current revision, after refusing the states we must not migrate from."""
    revision = current_revision(connection)
    if revision is None:
        present = owned_tables_present(connection)
        if present:
            raise OperationError(
                f"the database has {len(present)} gxschema tables but no migration history "
                "(it was made by Prisma or by hand): run `gxschema adopt` to record which "
                "revision it is at, then migrate"
            )
        return None
    try:
        scripts().get_revision(revision)
    except CommandError:
        head = scripts().get_current_head()
        raise OperationError(
            f"the database is at revision {revision!r}, which this gxschema "
            f"({__version__}, head {head!r}) does not know: newer code has migrated it. "
            "Deploy that version instead; nothing was changed"
        ) from None
    return revision


def pending_revisions(current: str | None, target: str = "heads") -> list[str]:
    """Revisions that an upgrade from `current` to `target` would apply, oldest first."""
    script = scripts()
    upper = script.get_current_head() if target in ("head", "heads") else target
    revisions = list(script.iterate_revisions(upper, current or "base"))
    return [rev.revision for rev in reversed(revisions) if rev.revision != current]


def lock_holders(connection: Connection) -> list[dict[str, Any]]:
    """Other sessions holding locks on the package's tables: the likely blockers."""
    return blockers.lock_holders(connection, [*_owned_table_names(), privileges.HISTORY_TABLE])


describe_holders = blockers.describe_holders


def bound_waits(connection: Connection, options: MigrationOptions) -> None:
    """Every statement of the run from here on, history check included, waits boundedly.

    Session settings, committed, so that they outlive the transactions that follow
    (env.py sets the same again for runs that start from ``alembic`` itself).
    """
    locking.set_timeouts(
        connection, lock_timeout=options.lock_timeout, statement_timeout=options.statement_timeout
    )
    connection.commit()
    _notice_dead_client(connection)


def _notice_dead_client(connection: Connection) -> None:
    """Let the server cancel our statements once this process is gone (PostgreSQL 14+).

    Without it a killed migrator's ``CREATE INDEX CONCURRENTLY`` runs on to its end,
    and its session keeps the migration lock all that time, so the rerun that should
    replace the index waits for it instead. Older servers, and platforms without the
    kernel support, do not have the setting: then we go on without it.
    """
    try:
        with connection.begin_nested():
            connection.execute(
                text(f"SET client_connection_check_interval = '{CLIENT_CHECK_INTERVAL}'")
            )
    except DBAPIError:
        pass
    connection.commit()


def _read_history(
    connection: Connection, options: MigrationOptions, say: Callable[[str], None]
) -> str | None:
    """`check_history` under the lock timeout, retried like a revision, then refused clearly.

    A session holding a lock on ``alembic_version`` (a migration run by hand in an
    open psql transaction, a stuck ``alembic stamp``) would otherwise make us wait
    for it without end before doing anything.
    """

    def read() -> str | None:
        try:
            return check_history(connection)
        except DBAPIError:
            connection.rollback()
            raise

    def waiting(retry: int, pause: float, _error: BaseException) -> None:
        holders = describe_holders(lock_holders(connection))
        connection.commit()
        say(f"alembic_version is locked ({holders}); retry {retry} in {pause:g}s")

    retrying = options.lock_retry(waiting)
    try:
        return retrying.call(read)
    except DBAPIError as error:
        if not is_lock_timeout(error):
            raise
        holders = describe_holders(lock_holders(connection))
        connection.commit()
        raise OperationError(
            f"could not read the migration history (alembic_version) within "
            f"lock_timeout {options.lock_timeout} in {retrying.tried} attempts; {holders}. "
            "Nothing was changed; rerun once the blocker ends"
        ) from None


def migrate(
    engine: Engine,
    target: str = "head",
    *,
    direction: str = "upgrade",
    options: MigrationOptions | None = None,
    secrets: list[str] | None = None,
    on_progress: Callable[[str], None] | None = None,
) -> MigrationResult:
    """Upgrade (or downgrade) the database of `engine` to `target`."""
    options = options or MigrationOptions()
    say = on_progress or (lambda _message: None)
    secrets = secrets or []
    if direction not in ("upgrade", "downgrade"):
        raise ConfigError(f"unknown direction {direction!r}")
    _validate_target(target, direction)
    check_role_settings()
    started_at = datetime.now(UTC)
    clock = time.monotonic()
    with (
        engine.connect() as connection,
        locking.migration_lock(connection, wait_seconds=options.lock_wait_seconds) as waited,
    ):
        if waited:
            say("waited for another migration to finish")
        bound_waits(connection, options)
        from_rev = _read_history(connection, options, say)
        connection.commit()
        _check_reachable(from_rev, target, direction)
        if direction == "downgrade":
            _refuse_data_loss(connection, from_rev, target, options, say)
        stale = runs.mark_stale(connection)
        if stale:
            say(f"marked {stale} unfinished earlier run(s) as failed")
        result = MigrationResult(from_rev, from_rev, direction, waited_for_lock=waited)
        if direction == "upgrade":
            todo = pending_revisions(from_rev, target)
            if not todo:
                return result
            privileges.preflight(connection, todo)  # roles it may not create: say so first
            connection.commit()
        run_id = str(uuid.uuid4())  # what the models' new_uuid makes, without importing them
        started = runs.start(connection, run_id, direction, from_rev, _resolve(target))
        error_text: str | None = None
        try:
            _run_with_lock_retries(connection, target, direction, options, result, say)
        except BaseException as error:
            error_text = redact(_one_line(error), secrets)
            raise
        finally:
            if connection.in_transaction():
                connection.rollback()
            result.to_revision = current_revision(connection)
            connection.commit()
            result.applied = _applied_between(from_rev, result.to_revision, direction)
            result.duration_ms = int((time.monotonic() - clock) * 1000)
            if current_revision(connection) is not None:
                runs.flush_pending_adoption(connection)
            runs.finish(
                connection,
                run_id=run_id,
                started=started,
                direction=direction,
                from_rev=from_rev,
                to_rev=result.to_revision,
                status="failed" if error_text else "succeeded",
                duration_ms=result.duration_ms,
                error=error_text,
                started_at=started_at,
            )
    return result


def check_role_settings() -> None:
    """Refuse role names (read by revisions 0004 and 0006) that are not plain SQL identifiers."""
    privileges.roles()


def _resolve(target: str) -> str:
    if target in ("head", "heads"):
        head = scripts().get_current_head()
        return head or "base"
    return target


def _validate_target(target: str, direction: str) -> None:
    if direction == "downgrade" and target in ("head", "heads"):
        raise ConfigError("downgrade needs a revision below the current one, not head")
    if not target.strip():
        raise ConfigError("no target revision given (a revision, head, base, +N or -N)")
    if target.startswith(("-", "+")) and not (target[1:].isdigit() and int(target[1:]) > 0):
        raise ConfigError(f"unknown revision {target!r} (a relative target is +N or -N, e.g. -1)")
    if target in ("head", "heads", "base") or target.startswith(("-", "+")):
        return
    try:
        found = scripts().get_revision(target)
    except CommandError:
        found = None
    if found is None:
        known = ", ".join(chain())
        raise ConfigError(f"unknown revision {target!r} (known revisions: {known})")


def _refuse_data_loss(
    connection: Connection,
    current: str | None,
    target: str,
    options: MigrationOptions,
    say: Callable[[str], None],
) -> None:
    """Stop a downgrade that would drop tables with rows, unless the operator allowed it."""
    lost = data_loss.refuse_data_loss(
        connection,
        current,
        data_loss.destination(current, target),
        allowed=options.allow_data_loss,
    )
    connection.commit()
    if lost:
        say(f"--allow-data-loss: dropping {len(lost)} table(s) with rows: {', '.join(lost)}")


def _check_reachable(current: str | None, target: str, direction: str) -> None:
    """Refuse, as bad input (exit 2), a target that `direction` cannot reach from `current`.

    Alembic's own errors for these (a downgrade "target" above the current revision,
    ``+99`` past head) are exceptions with its internal wording; this says what the
    database is at and which command goes the other way. It assumes one line of
    history (as the project keeps it); with branches it leaves the judgement to Alembic.
    """
    script = scripts()
    if len(script.get_heads()) != 1:
        return
    revisions = chain(script)
    applied = revisions.index(current) + 1 if current in revisions else 0
    here = current or "base"
    command_name = "migrate" if direction == "upgrade" else "downgrade"
    if target.startswith(("-", "+")):
        steps = int(target[1:])
        if (target[0] == "+") != (direction == "upgrade"):
            other = "downgrade" if direction == "upgrade" else "migrate"
            raise ConfigError(
                f"`{command_name} {target}` goes the wrong way: use `gxschema {other} "
                f"{'-' if direction == 'upgrade' else '+'}{steps}`"
            )
        room = len(revisions) - applied if direction == "upgrade" else applied
        if steps > room:
            where = f"head {revisions[-1]}" if direction == "upgrade" else "base"
            raise ConfigError(
                f"cannot go {'up' if direction == 'upgrade' else 'down'} {steps} revision(s) "
                f"from {here}: there are {room} between it and {where}"
            )
        return
    wanted = {"head": len(revisions), "heads": len(revisions), "base": 0}.get(target)
    if wanted is None:
        wanted = revisions.index(target) + 1 if target in revisions else applied
    if direction == "upgrade" and wanted < applied:
        raise ConfigError(
            f"the database is at {here}, above {target}: `gxschema downgrade {target}` "
            "goes down (nothing was changed)"
        )
    if direction == "downgrade" and wanted > applied:
        raise ConfigError(
            f"the database is at {here}, below {target}: `gxschema migrate {target}` "
            "goes up (nothing was changed)"
        )


def _applied_between(start: str | None, end: str | None, direction: str) -> list[str]:
    if start == end:
        return []
    script = scripts()
    upper, lower = (end, start) if direction == "upgrade" else (start, end)
    revisions = list(script.iterate_revisions(upper or "base", lower or "base"))
    names = [rev.revision for rev in revisions if rev.revision != lower]
    return list(reversed(names)) if direction == "upgrade" else names


def _run_with_lock_retries(
    connection: Connection,
    target: str,
    direction: str,
    options: MigrationOptions,
    result: MigrationResult,
    say: Callable[[str], None],
) -> None:
    config = make_config(
        connection=connection,
        lock_timeout=options.lock_timeout,
        statement_timeout=options.statement_timeout,
        lock_wait=str(options.lock_wait_seconds),
        compare_metadata=False,  # env.py need not import the models to run revisions
        **{online.ATTEMPTS_SETTING: options.statement_lock_attempts},
    )

    def run() -> None:
        try:
            if direction == "upgrade":
                command.upgrade(config, target)
            else:
                command.downgrade(config, target)
        except DBAPIError:
            if connection.in_transaction():
                connection.rollback()
            raise

    def waiting(retry: int, pause: float, _error: BaseException) -> None:
        holders = describe_holders(lock_holders(connection))
        connection.commit()
        result.retries = retry
        say(f"lock_timeout hit ({holders}); retry {retry}/{options.lock_retries} in {pause:g}s")

    retrying = options.lock_retry(waiting)
    try:
        retrying.call(run)
    except online.LockRetriesExhaustedError as error:
        if connection.in_transaction():
            connection.rollback()
        raise OperationError(
            f"{error}. The revision was rolled back: the database stays at revision "
            f"{current_revision(connection)!r}; rerun once the blocker ends"
        ) from None
    except DBAPIError as error:
        if not is_lock_timeout(error):
            raise OperationError(
                f"the migration failed at revision {current_revision(connection)!r} "
                f"-> {target!r}: {_one_line(error)}; the database stays at the last "
                "completed revision"
            ) from None
        holders = describe_holders(lock_holders(connection))
        connection.commit()
        raise OperationError(
            f"gave up after {retrying.tried} attempts: a revision could not take its locks "
            f"within lock_timeout {options.lock_timeout}; {holders}. The database stays "
            f"at revision {current_revision(connection)!r}; rerun once the blocker ends"
        ) from None


def _one_line(error: BaseException) -> str:
    original = getattr(error, "orig", None) or error
    lines = [line.strip() for line in str(original).strip().splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__
