"""What every command needs: the database it works on, an engine, and error handling.

The database is the configured one (DATABASE_URL, PG* variables, PGPASSWORD_FILE);
with nothing configured, the embedded one that `gxschema up` started, if it runs.
Errors become one clear paragraph and an exit code, never a traceback (unless
``--debug``), and never contain the password.
"""

from __future__ import annotations

import functools
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import ParamSpec, TypeVar

import typer
from pydantic import ValidationError
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from gxschema import embedded
from gxschema.cli.output import Output
from gxschema.db import explain_connection_error
from gxschema.errors import ConfigError, GxSchemaError, OperationError
from gxschema.locking import MigrationLockTimeoutError
from gxschema.settings import ConfigurationError, DatabaseSettings, load_settings, redact


@dataclass
class State:
    """Options given before the command (``gxschema --debug --json status``)."""

    debug: bool = False
    home: Path | None = None
    secrets: list[str] = field(default_factory=list)


STATE = State()


def settings_or_embedded(*, allow_missing: bool = False) -> tuple[DatabaseSettings, str]:
    """The settings to use and where they came from (``configured`` or ``embedded``)."""
    try:
        settings = load_settings()
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in item['loc']) or 'settings'}: {item['msg']}"
            for item in error.errors()
        )
        raise ConfigError(f"invalid database settings: {problems}") from None
    if settings.is_configured:
        return settings, "configured"
    server = embedded.running(embedded.home(STATE.home))
    if server is not None:
        return DatabaseSettings(database_url=server.url), "embedded"
    if allow_missing:
        return settings, "none"
    raise ConfigError(
        "no database is configured: set DATABASE_URL, or PGHOST/PGPORT/PGUSER/PGDATABASE "
        "(with PGPASSWORD or PGPASSWORD_FILE), or run `gxschema up` for an embedded one"
    )


def make_engine(settings: DatabaseSettings) -> Engine:
    try:
        url = settings.url()
    except ConfigurationError as error:
        raise ConfigError(str(error)) from None
    STATE.secrets = settings.secrets()
    return create_engine(url, poolclass=NullPool, hide_parameters=True)


# Errors that retrying cannot fix: say so at once.
_PERMANENT = ("password authentication", "does not exist", "no password supplied", "no pg_hba")


def connect(settings: DatabaseSettings, *, wait_seconds: float = 30.0) -> Engine:
    """An engine whose database answered, after bounded retries with backoff.

    Unreachable hosts are retried until `wait_seconds` have passed; a wrong password,
    a missing role or database fail at once. Each failure is one sentence.
    """
    engine = make_engine(settings)
    deadline = time.monotonic() + wait_seconds
    delay = 0.5
    while True:
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            return engine
        except OperationalError as error:
            message = str(error.orig or error).lower()
            if any(marker in message for marker in _PERMANENT) or time.monotonic() >= deadline:
                engine.dispose()
                reason = explain_connection_error(error, settings)
                if not any(marker in message for marker in _PERMANENT):
                    reason += f" (gave up after {wait_seconds:g}s of retries)"
                raise ConfigError(reason) from None
        time.sleep(min(delay, max(0.0, deadline - time.monotonic())))
        delay = min(delay * 2, 5.0)


P = ParamSpec("P")
R = TypeVar("R")


def handle_errors(function: Callable[P, R]) -> Callable[P, R]:
    """Turn every failure of a command into a clear message and its exit code."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return function(*args, **kwargs)
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except Exception as error:  # every error ends here, as one paragraph
            code, message = _classify(error)
            if STATE.debug:
                traceback.print_exc()
            Output.current().error(redact(message, STATE.secrets), code=code)
            raise typer.Exit(code) from None

    return wrapper


def _classify(error: BaseException) -> tuple[int, str]:
    if isinstance(error, GxSchemaError):
        return error.exit_code, str(error)
    if isinstance(error, ConfigurationError):
        return 2, str(error)
    if isinstance(error, MigrationLockTimeoutError):
        return OperationError.exit_code, str(error)
    if isinstance(error, DBAPIError):
        original = error.orig or error
        first = str(original).strip().splitlines()[0] if str(original).strip() else ""
        return 1, f"the database refused: {first}"
    if isinstance(error, SQLAlchemyError):
        return 1, f"database error: {error}"
    if isinstance(error, OSError):
        return 2, f"{error.strerror or error}: {error.filename or ''}".rstrip(": ")
    return 1, f"unexpected error ({type(error).__name__}): {error} (rerun with --debug for details)"
