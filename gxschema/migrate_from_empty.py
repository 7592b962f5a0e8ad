"""`gxschema migrate` of an empty database: the revisions' rendered SQL, through psycopg alone.

The first migration of a database (a new environment, a test, a developer's laptop)
is the common case, and on it the Alembic path spent most of its time starting:
importing SQLAlchemy and Alembic, then running each statement through them (issue 17:
2.9x psql running the same SQL). Airflow meets the same case with ``create_all`` and a
stamp; this runs instead the revisions' own offline SQL, rendered ahead of time
(`gxschema.rendered_revisions`), so the database ends exactly as Alembic would leave it:

- under the same migration advisory lock (`gxschema.locking.MIGRATION_LOCK_KEY`), the
  same session ``lock_timeout`` and ``statement_timeout`` and the same
  ``client_connection_check_interval`` as `gxschema.migrator`;
- revision by revision, each ``BEGIN`` ... ``COMMIT`` of the offline SQL one round trip,
  the concurrent index builds alone between them; a revision that hits ``lock_timeout``
  is run again with the migrator's backoff, as often as ``--lock-retries`` says;
- ``alembic_version`` stamped by the SQL itself, as in the offline file, and one
  ``SchemaMigrationRun`` row written at the end with the fields the migrator writes
  (`gxschema.runs.finish` for a run that started before the table existed).

A failure leaves what the Alembic path leaves: the revisions completed stay, the
failed one is rolled back (its concurrent indexes, idempotent, stay), the run is
recorded as failed when its table exists, and the rerun (the Alembic path, since the
database is no longer empty) reaches head.

It runs only when it is certainly equivalent; otherwise `migrate_from_empty` returns
None before it has changed anything and the caller takes the Alembic path, which then
does (and explains) the rest. That path handles, by design:

- a database with anything in its ``public`` schema (a table, a type, a function,
  ``alembic_version``), or another current schema: "nothing of ours" is read strictly;
- ``GXSCHEMA_*_ROLE`` variables (the SQL is rendered with the default role names), and
  timeouts other than a plain positive ``<integer><ms|s|min|h>``;
- shipped SQL that is missing or was rendered from other revision files;
- settings that `gxschema.libpq_env` cannot read with certainty (the embedded
  database, a password file that cannot be read, ...), and any failure to connect at
  once: a wrong password (exit 2), an unreachable server (retried, then exit 1);
- another session holding the migration lock: the migrator waits for it as usual;
- the roles of revisions 0004 and 0006: the migrating role being one of them, or one
  missing that it may not create; the migrator's `gxschema.privileges.preflight` then
  refuses with the CREATE ROLE to run (exit 2).

The constants below repeat what `gxschema.locking`, `gxschema.migrator`,
`gxschema.privileges` and `gxschema.runs` hold, since importing those imports
SQLAlchemy; ``tests/migrations/test_fast_path.py`` keeps each equal to its original.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import socket
import time
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from gxschema import __version__, rendered_revisions
from gxschema.errors import OperationError
from gxschema.migration_result import RENDERED_SQL_PATH, MigrationResult
from gxschema.retry import Backoff, Retry, is_lock_timeout

if TYPE_CHECKING:
    import psycopg

    from gxschema.rendered_revisions import RenderedRevision

MIGRATION_LOCK_KEY = 0x6778_7363_6865_6D61 & 0x7FFF_FFFF_FFFF_FFFF
"""`gxschema.locking.MIGRATION_LOCK_KEY`."""
DEFAULT_ROLES = ("gx_app", "gx_readonly", "gx_secret_reader")
"""`gxschema.privileges.Roles()`: the roles the rendered SQL creates or grants to."""
RETRY_FIRST_SECONDS = 1.0
"""`gxschema.migrator.MigrationOptions.retry_base_seconds`."""
RETRY_CAP_SECONDS = 30.0
"""`gxschema.migrator.MigrationOptions.retry_max_seconds`."""
CLIENT_CHECK_INTERVAL = "2s"
"""`gxschema.migrator.CLIENT_CHECK_INTERVAL`."""
RUNS_TABLE = "SchemaMigrationRun"
"""`gxschema.runs.TABLE`."""
FIRST_CONNECT_TIMEOUT = "2"
"""Seconds the fast path waits for its connection (libpq's least) before leaving the
database to the migrator, whatever ``PGCONNECT_TIMEOUT`` or the URL say."""

_PLAIN_DURATION = re.compile(r"^(\d+)(ms|s|min|h)$")

_STATE = """
SELECT current_schema(),
       EXISTS (SELECT FROM pg_class WHERE relnamespace = 'public'::regnamespace)
       OR EXISTS (SELECT FROM pg_type WHERE typnamespace = 'public'::regnamespace)
       OR EXISTS (SELECT FROM pg_proc WHERE pronamespace = 'public'::regnamespace)
       OR to_regclass('alembic_version') IS NOT NULL,
       current_user::text,
       (SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user),
       ARRAY(SELECT name FROM unnest(%(roles)s::text[]) AS name
             WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = name))
"""
"""Whether the schema is empty, and what the role preflight needs: one round trip."""

_RECORD = f"""
INSERT INTO "{RUNS_TABLE}"
    ("runId", "fromRevision", "toRevision", direction, status, runner,
     "appVersion", error, "startedAt", "finishedAt", "durationMs")
VALUES (%(run_id)s, NULL, %(to_rev)s, 'upgrade', %(status)s, %(runner)s,
        %(version)s, %(error)s, %(started_at)s, CURRENT_TIMESTAMP, %(duration)s)
"""


class _DeclinedError(Exception):
    """Why the fast path does not apply; nothing was changed."""


def plain_duration(value: str) -> str | None:
    """`value` if it is a positive ``<integer><unit>`` PostgreSQL reads as it is, else None.

    For these `gxschema.migrator.bounded_timeout` gives back the value unchanged; the
    rest (a bare number, a fraction, zero, nonsense) is the migrator's to convert or
    refuse in its own words.
    """
    match = _PLAIN_DURATION.match(value)
    if match is None or int(match.group(1)) == 0:
        return None
    return value


def runner_name() -> str:
    """`gxschema.runs.runner_name`: the pod name in Kubernetes (HOSTNAME), else the host."""
    return os.environ.get("POD_NAME") or os.environ.get("HOSTNAME") or socket.gethostname()


def migrate_from_empty(
    *,
    lock_timeout: str,
    statement_timeout: str,
    lock_retries: int,
    on_progress: Callable[[str], None] | None = None,
    on_decline: Callable[[str], None] | None = None,
) -> MigrationResult | None:
    """Bring an empty database to head by the rendered SQL; None where it does not apply.

    None means nothing was changed and the Alembic path is to run; `on_decline` hears
    why. Once it has started changing the database, a failure is an `OperationError`
    worded as the migrator's, never None.
    """
    say = on_progress or (lambda _message: None)
    started_at = datetime.now(UTC)
    clock = time.monotonic()
    try:
        return _migrate(
            lock_timeout, statement_timeout, lock_retries, say, started_at=started_at, clock=clock
        )
    except _DeclinedError as declined:
        if on_decline is not None:
            on_decline(str(declined))
        return None


def _migrate(
    lock_timeout: str,
    statement_timeout: str,
    lock_retries: int,
    say: Callable[[str], None],
    *,
    started_at: datetime,
    clock: float,
) -> MigrationResult:
    variables = [name for name in rendered_revisions.ROLE_VARIABLES if os.environ.get(name)]
    if variables:
        raise _DeclinedError(
            f"{', '.join(variables)} set: the rendered SQL names the default roles"
        )
    timeouts = (plain_duration(lock_timeout), plain_duration(statement_timeout))
    if None in timeouts:
        raise _DeclinedError("a timeout not of the form <integer><ms|s|min|h>")
    revisions = rendered_revisions.load()
    if revisions is None:
        raise _DeclinedError(
            "the rendered SQL is missing or stale (python -m gxschema.rendered_revisions --write)"
        )

    from gxschema.libpq_env import target_from_environment

    target = target_from_environment()
    if target is None:
        raise _DeclinedError("the settings are not plain libpq ones (gxschema.libpq_env)")

    import psycopg
    from psycopg.conninfo import make_conninfo

    # A shortcut: a server that does not answer at once is the migrator's to wait for
    # (--wait) and explain, so this connection waits libpq's least, not connect_timeout.
    parameters = {**target.parameters, "connect_timeout": FIRST_CONNECT_TIMEOUT}
    try:
        connection = psycopg.connect(make_conninfo(target.conninfo, **parameters), autocommit=True)
    except psycopg.Error:
        raise _DeclinedError(
            "could not connect at once: the migrator retries and explains"
        ) from None
    with connection:
        try:
            row = connection.execute("SELECT pg_try_advisory_lock(%s)", (MIGRATION_LOCK_KEY,))
            locked = row.fetchone()
        except psycopg.Error as error:
            raise _DeclinedError(f"the lock could not be asked for: {error}") from None
        if not locked or not locked[0]:
            raise _DeclinedError(
                "another session holds the migration lock: the migrator waits for it"
            )
        try:
            _prepare(connection, timeouts[0] or lock_timeout, timeouts[1] or statement_timeout)
            say("empty database: applying the revisions' rendered SQL (no Alembic)")
            return _apply(
                connection, revisions, lock_retries, say, started_at=started_at, clock=clock
            )
        finally:
            if not connection.closed and not connection.broken:
                try:
                    if connection.info.transaction_status != 0:  # not IDLE
                        connection.execute("ROLLBACK")
                    connection.execute("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK_KEY,))
                except psycopg.Error:
                    pass  # closing the connection releases the lock too


def _prepare(
    connection: psycopg.Connection[Any], lock_timeout: str, statement_timeout: str
) -> None:
    """Bound every wait, as the migrator does, then refuse what is not an empty database."""
    import psycopg

    try:
        connection.execute(f"SET lock_timeout = '{lock_timeout}'".encode())
        connection.execute(f"SET statement_timeout = '{statement_timeout}'".encode())
        # before PostgreSQL 14, or without kernel support, the migrator goes on without it
        with contextlib.suppress(psycopg.Error):
            connection.execute(
                f"SET client_connection_check_interval = '{CLIENT_CHECK_INTERVAL}'".encode()
            )
        row = connection.execute(_STATE.encode(), {"roles": list(DEFAULT_ROLES)}).fetchone()
    except psycopg.Error as error:
        raise _DeclinedError(f"the database could not be inspected: {error}") from None
    assert row is not None
    schema, anything, user, may_create_roles, missing = row
    if schema != "public":
        raise _DeclinedError(f"the current schema is {schema!r}, not public")
    if anything:
        raise _DeclinedError("the public schema is not empty")
    if user in DEFAULT_ROLES:
        raise _DeclinedError(f"the migrating role {user} is one of the group roles")
    if missing and not may_create_roles:
        raise _DeclinedError(f"role(s) {', '.join(missing)} missing and {user} may not create them")


def _apply(
    connection: psycopg.Connection[Any],
    revisions: Sequence[RenderedRevision],
    lock_retries: int,
    say: Callable[[str], None],
    *,
    started_at: datetime,
    clock: float,
) -> MigrationResult:
    import psycopg

    result = MigrationResult(None, None, "upgrade", path=RENDERED_SQL_PATH)
    error_text: str | None = None

    def waiting(retry: int, pause: float, _error: BaseException) -> None:
        result.retries = retry
        say(f"lock_timeout hit; retry {retry}/{lock_retries} in {pause:g}s")

    try:
        for rendered in revisions:
            retrying = Retry(
                Backoff(first=RETRY_FIRST_SECONDS, cap=RETRY_CAP_SECONDS),
                retryable=is_lock_timeout,
                attempts=max(1, lock_retries + 1),
                on_retry=waiting,
            )
            try:
                retrying.call(functools.partial(_run, connection, rendered))
            except psycopg.Error as error:
                raise _failure(error, result.to_revision, retrying.tried) from None
            result.to_revision = rendered.revision
            result.applied.append(rendered.revision)
    except BaseException as error:
        error_text = _one_line(error)
        raise
    finally:
        result.duration_ms = int((time.monotonic() - clock) * 1000)
        _record(connection, result, error_text, started_at)
    return result


def _run(connection: psycopg.Connection[Any], rendered: RenderedRevision) -> None:
    """One revision's SQL, step by step; a failed transaction is rolled back before raising."""
    import psycopg

    for step in rendered.steps():
        try:
            connection.execute(step.sql.encode())
        except psycopg.Error:
            if not connection.broken and connection.info.transaction_status != 0:
                connection.execute("ROLLBACK")
            raise


def _failure(error: psycopg.Error, current: str | None, tried: int) -> OperationError:
    """The migrator's words for a revision that failed (`migrator._run_with_lock_retries`).

    For a lock timeout the migrator also names the sessions holding locks on our tables
    (`gxschema.blockers`, on SQLAlchemy); this does not, and says where to look instead.
    """
    if is_lock_timeout(error):
        return OperationError(
            f"gave up after {tried} attempts: a revision could not take its locks within "
            "lock_timeout (see pg_locks and pg_stat_activity for the sessions holding "
            f"them). The database stays at revision {current!r}; rerun once the blocker ends"
        )
    return OperationError(
        f"the migration failed at revision {current!r} -> 'head': {_one_line(error)}; "
        "the database stays at the last completed revision"
    )


def _record(
    connection: psycopg.Connection[Any],
    result: MigrationResult,
    error: str | None,
    started_at: datetime,
) -> None:
    """The run's ``SchemaMigrationRun`` row, once revision 0003 has made the table."""
    import psycopg

    if connection.broken or connection.closed:
        return  # the server went away: there is nowhere to write it
    try:
        exists = connection.execute(f"SELECT to_regclass('public.\"{RUNS_TABLE}\"')".encode())
        found = exists.fetchone()
        if not found or found[0] is None:
            return
        if error is not None:
            error = _redacted(error)
        connection.execute(
            _RECORD.encode(),
            {
                "run_id": str(uuid.uuid4()),
                "to_rev": result.to_revision or "base",
                "status": "failed" if error is not None else "succeeded",
                "runner": runner_name(),
                "version": __version__,
                "error": error,
                "started_at": started_at,
                "duration": result.duration_ms,
            },
        )
    except psycopg.Error:
        if error is None:
            raise
        # the run failed already: its error is what the operator needs to see


def _redacted(message: str) -> str:
    """`message` without the password, as the migrator records it (`gxschema.settings.redact`).

    Only a failed run gets here, so importing the settings (pydantic, SQLAlchemy's URL)
    costs nothing that matters.
    """
    from gxschema.settings import load_settings, redact

    try:
        secrets = load_settings().secrets()
    except Exception:  # settings that do not load hold no secret we could name
        secrets = [os.environ.get("PGPASSWORD", "")]
    return redact(message, [secret for secret in secrets if secret])


def _one_line(error: BaseException) -> str:
    lines = [line.strip() for line in str(error).strip().splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__
