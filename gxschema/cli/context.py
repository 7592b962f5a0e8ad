"""What every command needs: the database it works on, an engine, and error handling.

The database is the configured one (DATABASE_URL, PG* variables, PGPASSWORD_FILE);
with nothing configured, the embedded one that `gxschema up` started, if it runs.
Errors become one clear paragraph and an exit code, never a traceback (unless
``--debug``), and never contain the password.
"""

from __future__ import annotations

import functools
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, ParamSpec, TypeVar

import typer

from gxschema.cli.output import Output, silence_stdout
from gxschema.errors import ConfigError, GxSchemaError, OperationError

# SQLAlchemy, psycopg, pydantic and Alembic are imported by the functions that use
# them, never here: every command imports this module, and `gxschema --version` or
# `--help` must not pay for a database stack it does not use (docs/performance.md).
if TYPE_CHECKING:
    from sqlalchemy import Engine

    from gxschema.settings import DatabaseSettings


@dataclass
class State:
    """Options given before the command (``gxschema --debug --json status``)."""

    debug: bool = False
    home: Path | None = None
    secrets: list[str] = field(default_factory=list)


STATE = State()


def settings_or_embedded(*, allow_missing: bool = False) -> tuple[DatabaseSettings, str]:
    """The settings to use and where they came from (``configured`` or ``embedded``)."""
    from pydantic import ValidationError

    from gxschema import embedded
    from gxschema.settings import DatabaseSettings, load_settings

    try:
        settings = load_settings()
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in item['loc']) or 'settings'}: {item['msg']}"
            for item in error.errors()
        )
        raise ConfigError(f"invalid database settings: {problems}") from None
    # Known before anything can fail: even a URL that does not parse has its password
    # (or what may be part of it) redacted from every message.
    STATE.secrets = settings.secrets()
    if settings.is_configured:
        return settings, "configured"
    server = embedded.running(embedded.home(STATE.home))
    if server is not None:
        return DatabaseSettings(database_url=server.url), "embedded"
    if allow_missing:
        return settings, "none"
    raise ConfigError(embedded.NOTHING_CONFIGURED)


def make_engine(settings: DatabaseSettings) -> Engine:
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    from gxschema.settings import ConfigurationError

    try:
        url = settings.url()
    except ConfigurationError as error:
        raise ConfigError(str(error)) from None
    STATE.secrets = settings.secrets()
    return create_engine(url, poolclass=NullPool, hide_parameters=True)


class DatabaseUnreachableError(OperationError):
    """The database did not answer within the wait: exit 1, worth retrying later."""


# Errors that retrying cannot fix: configuration (exit 2), said at once. Anything else
# (refused, timed out, unresolvable, starting up, too many clients) may pass: retried.
_PERMANENT = (
    "password authentication",
    "does not exist",
    "no password supplied",
    "no pg_hba",
    "invalid ",
    "sslmode",
    "does not support ssl",
)


def connect(settings: DatabaseSettings, *, wait_seconds: float = 30.0) -> Engine:
    """An engine whose database answered, after bounded retries with backoff.

    Two kinds of failure, with the exit codes the Kubernetes Jobs' podFailurePolicy
    relies on (docs/kubernetes.md):

    - configuration (a wrong password, a missing role or database, a bad connection
      option): `ConfigError`, exit 2, at once; retrying the same settings cannot help,
      so the Job fails without retrying;
    - the database did not answer before `wait_seconds` (down, restarting, a failover,
      DNS not ready): `DatabaseUnreachableError`, exit 1, which the Job retries under
      its backoffLimit, since the next attempt may well find it up.

    Each failure is one sentence, without the password.
    """
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError, OperationalError

    from gxschema.db import explain_connection_error
    from gxschema.retry import Backoff, Retry

    def permanent(error: BaseException) -> bool:
        return any(
            marker in str(getattr(error, "orig", None) or error).lower() for marker in _PERMANENT
        )

    def answered() -> Engine:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return engine

    engine = make_engine(settings)
    retrying = Retry(
        Backoff(first=0.5, cap=5.0),
        retryable=lambda error: isinstance(error, OperationalError) and not permanent(error),
        seconds=wait_seconds,
    )
    try:
        return retrying.call(answered)
    except OperationalError as error:
        engine.dispose()
        reason = explain_connection_error(error, settings)
        if permanent(error):
            raise ConfigError(reason) from None
        raise DatabaseUnreachableError(
            f"{reason} (gave up after {wait_seconds:g}s of retries)"
        ) from None
    except DBAPIError as error:
        # Not an OperationalError: the driver refused the settings themselves
        # (an unknown connection option in DATABASE_URL's query, ...).
        engine.dispose()
        raise ConfigError(explain_connection_error(error, settings)) from None


P = ParamSpec("P")
R = TypeVar("R")


def handle_errors(function: Callable[P, R]) -> Callable[P, R]:
    """Turn every failure of a command into a clear message and its exit code."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            result = function(*args, **kwargs)
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except BrokenPipeError:  # a write that did not go through `Output`
            _print_traceback_if_debugging()
            report_closed_output()
        except Exception as error:  # every error ends here, as one paragraph
            from gxschema.settings import redact

            code, message = _classify(error)
            _print_traceback_if_debugging()
            Output.current().error(redact(message, STATE.secrets), code=code)
            raise typer.Exit(code) from None
        if Output.stdout_closed:  # it did its work, but not all of its output arrived
            report_closed_output()
        return result

    return wrapper


def _print_traceback_if_debugging() -> None:
    """With ``--debug``, the traceback of the error being handled, secrets redacted too."""
    if STATE.debug:
        from gxschema.settings import redact

        sys.stderr.write(redact(traceback.format_exc(), STATE.secrets))


def report_closed_output() -> NoReturn:
    """End the command whose stdout was closed by its reader (``| head -1``): exit 1.

    Not silent, since a bare exit 1 reads like a failed check (``status --check``), and
    not 2, since nothing is wrong with the input: the command could not deliver its
    whole result. One line on stderr says so. The command itself ran to its end (a
    migration is not cut between two revisions because a reader left: `Output` goes on
    writing into /dev/null), so what it changed stays changed. Stdout is pointed at
    /dev/null first, so that the interpreter's final flush cannot fail again.
    """
    silence_stdout()
    try:
        sys.stderr.write(
            "gxschema: error: the output was closed before the whole result was written "
            "(broken pipe)\n"
        )
        sys.stderr.flush()
    except OSError:  # stderr closed too: the exit code is all that is left
        pass
    raise typer.Exit(1)


def _classify(error: BaseException) -> tuple[int, str]:
    if isinstance(error, GxSchemaError):  # most failures: said without importing anything
        return error.exit_code, str(error)
    import psycopg
    from alembic.script.revision import RevisionError
    from alembic.util.exc import CommandError as AlembicCommandError
    from sqlalchemy.exc import DBAPIError, SQLAlchemyError

    from gxschema.locking import MigrationLockTimeoutError
    from gxschema.seeding.errors import SeedError
    from gxschema.settings import ConfigurationError

    if isinstance(error, ConfigurationError):
        return 2, str(error)
    if isinstance(error, MigrationLockTimeoutError):
        return OperationError.exit_code, str(error)
    if isinstance(error, SeedError):  # seeding refused (demo data for mainnet, ...): input
        return 2, str(error)
    if isinstance(error, DBAPIError):
        original = error.orig or error
        first = str(original).strip().splitlines()[0] if str(original).strip() else ""
        return 1, f"the database refused: {first}"
    if isinstance(error, SQLAlchemyError):
        return 1, f"database error: {error}"
    if isinstance(error, psycopg.Error):  # raised by code that talks to psycopg directly
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return 1, f"the database refused: {first}"
    if isinstance(error, AlembicCommandError | RevisionError):
        # A revision target Alembic cannot resolve or reach: input, like an unknown one.
        return 2, f"cannot migrate there: {error}"
    if isinstance(error, UnicodeError):
        return 1, f"text that is not valid {getattr(error, 'encoding', 'UTF-8')}: {error}"
    if isinstance(error, OSError):
        return 2, f"{error.strerror or error}: {error.filename or ''}".rstrip(": ")
    return 1, f"unexpected error ({type(error).__name__}): {error} (rerun with --debug for details)"
