"""Alembic environment of gxschema.

- The database comes from the package's own settings (DATABASE_URL, the PG*
  variables, or PGPASSWORD_FILE), or from a connection handed over by the
  ``gxschema`` command line in ``config.attributes["connection"]``. With nothing
  configured, it is the embedded database `gxschema up` runs (found from any folder
  of the project, as ``gxschema`` finds it); with none, one line says what to set.
- The whole run holds the migration advisory lock (a session lock: it outlives the
  commits); each revision runs in its own transaction, under ``lock_timeout`` and
  ``statement_timeout``, which are session settings and so also bound the
  statements a revision runs outside its transaction (``gxschema.online``'s
  concurrent index builds, in Alembic's ``autocommit_block``). Zero, which
  PostgreSQL reads as "no limit", is refused. A revision is stamped in
  ``alembic_version`` in its own transaction, so one that fails leaves the stamp at
  the revision before it.
- Autogenerate and ``alembic check`` compare types and server defaults, and look
  only at the tables the package owns (not ``_prisma_migrations`` and the like).
- ``--sql`` (offline) output starts with a header saying how to run it
  (`OFFLINE_HEADER`), then the same timeouts, so it can be reviewed and run as it
  is with ``psql -X -v ON_ERROR_STOP=1 -f``. Not in one transaction (``psql -1``):
  each revision commits its own, and the concurrent index builds step out of them
  (``COMMIT;`` ... ``BEGIN;``), which one big transaction would not allow; under
  ``-1`` those COMMITs would silently end psql's transaction, so the file would look
  atomic and not be. Its first statement refuses to run inside a transaction block.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from logging.config import fileConfig
from typing import Any

from alembic import context
from alembic.util.exc import CommandError
from sqlalchemy import Connection, Engine, create_engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from gxschema import embedded, locking, migrator
from gxschema.errors import ConfigError
from gxschema.settings import ConfigurationError, DatabaseSettings, load_settings

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)
    # Alembic's command line both logs a failure and prints it as ``FAILED: ...``: the
    # printed line is the one message, not the same sentence twice.
    logging.getLogger("alembic.util.messaging").setLevel(logging.CRITICAL)


def _target_metadata() -> Any:
    """The models' metadata, what autogenerate and ``alembic check`` compare against.

    Running revisions compares nothing, so gxschema's migrator says so
    (``compare_metadata=False``) and the 46 models are not imported: they were a third
    of ``gxschema migrate``'s time on an empty database. Every other caller gets them.
    """
    if config.attributes.get("compare_metadata", True) is False:
        return None
    from gxschema.models import metadata

    return metadata


target_metadata = _target_metadata()


def _option(name: str, default: str) -> str:
    """`-x name=value`, else the ini file's `[alembic] name`, else `default`."""
    x_arguments = context.get_x_argument(as_dictionary=True)
    return str(
        config.attributes.get(name)
        or x_arguments.get(name)
        or config.get_main_option(name)
        or default
    )


def _options() -> migrator.MigrationOptions:
    try:
        return migrator.MigrationOptions(
            lock_timeout=_option("lock_timeout", locking.DEFAULT_LOCK_TIMEOUT),
            statement_timeout=_option("statement_timeout", locking.DEFAULT_STATEMENT_TIMEOUT),
            lock_wait_seconds=float(_option("lock_wait", str(locking.DEFAULT_LOCK_WAIT_SECONDS))),
        )
    except ConfigError as error:  # alembic's own command line prints these as one line
        raise CommandError(str(error)) from None


OPTIONS = _options()
LOCK_TIMEOUT = OPTIONS.lock_timeout
STATEMENT_TIMEOUT = OPTIONS.statement_timeout
LOCK_WAIT_SECONDS = OPTIONS.lock_wait_seconds


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """Reflect only the tables of our metadata; other tools' tables are not ours."""
    if type_ == "table":
        return target_metadata is None or name in target_metadata.tables
    return True


def _configure(**options: Any) -> None:
    if target_metadata is not None:  # autogenerate may run: how it writes revisions
        from gxschema import autogen

        options["process_revision_directives"] = autogen.process_revision_directives
    context.configure(
        target_metadata=target_metadata,
        transaction_per_migration=True,
        compare_type=True,
        compare_server_default=True,
        include_name=include_name,
        **options,
    )


OFFLINE_HEADER = """\
-- gxschema migrations as SQL (gxschema migrate --sql). Run this file as it is:
--
--     psql -X -v ON_ERROR_STOP=1 -f FILE.sql
--
-- Each revision runs in a transaction of its own (BEGIN ... COMMIT below) that also
-- stamps alembic_version; concurrent index builds run between two of them, outside any
-- transaction, as PostgreSQL requires. So the file is NOT one atomic transaction and
-- must not run as one: psql -1 (--single-transaction), or AUTOCOMMIT off, is refused by
-- the first statement, before anything changes. If a statement fails, the revisions
-- before it stay applied and alembic_version names the last one: fix the cause and run
-- the SQL of the rest (gxschema migrate --sql THAT_REVISION:head)."""

# The statement that opens a transaction block is the first of its transaction, so
# only inside one that somebody else opened (psql -1, AUTOCOMMIT off) does a
# statement start later than its transaction.
REFUSE_A_TRANSACTION_BLOCK = (
    "DO $$ BEGIN IF transaction_timestamp() <> statement_timestamp() THEN RAISE EXCEPTION "
    "'this file commits each revision on its own and cannot run inside one transaction: "
    "run it with psql -X -v ON_ERROR_STOP=1 -f FILE, not psql -1 (--single-transaction) "
    "nor with AUTOCOMMIT off'; END IF; END $$"
)


def run_migrations_offline() -> None:
    _configure(dialect_name="postgresql", literal_binds=True)
    context.get_context().impl.static_output(OFFLINE_HEADER)
    context.execute(REFUSE_A_TRANSACTION_BLOCK)
    context.execute(f"SET lock_timeout = '{LOCK_TIMEOUT}'")
    context.execute(f"SET statement_timeout = '{STATEMENT_TIMEOUT}'")
    with context.begin_transaction():
        context.run_migrations()


def _run_online(connection: Connection) -> None:
    if connection.in_transaction():
        connection.commit()
    with locking.migration_lock(connection, wait_seconds=LOCK_WAIT_SECONDS):
        migrator.bound_waits(connection, OPTIONS)
        _configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
        if connection.in_transaction():
            connection.commit()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if isinstance(connection, Engine):  # some callers (pytest-alembic) hand over an engine
        with connection.connect() as engine_connection:
            _run_online(engine_connection)
        return
    if connection is not None:
        _run_online(connection)
        return
    settings = _settings_or_embedded()
    engine = create_engine(settings.url(), poolclass=NullPool, hide_parameters=True)
    try:
        with _connected(engine, settings) as connection:
            _run_online(connection)
    finally:
        engine.dispose()


def _settings_or_embedded() -> DatabaseSettings:
    """The configured database, else the embedded one `gxschema up` runs: as `gxschema` does.

    ``alembic upgrade head`` in a fresh checkout with nothing configured would otherwise
    try libpq's default socket and end in a traceback. A problem is a `CommandError`,
    which alembic's command line prints as one line (``FAILED: ...``), exiting non-zero.
    """
    from pydantic import ValidationError

    try:
        settings = load_settings()
        if not settings.is_configured:
            server = embedded.running(embedded.home())
            if server is None:
                raise CommandError(embedded.NOTHING_CONFIGURED)
            settings = DatabaseSettings(database_url=server.url)
        settings.url()  # a URL that cannot be read is said here, in one line
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        raise CommandError(f"invalid database settings: {problems}") from None
    except ConfigurationError as error:
        raise CommandError(str(error)) from None
    return settings


@contextmanager
def _connected(engine: Engine, settings: DatabaseSettings) -> Iterator[Connection]:
    """A connection of `engine`; one that cannot be made is one line, not a traceback."""
    try:
        connection = engine.connect()
    except OperationalError as error:
        from gxschema.db import explain_connection_error

        raise CommandError(explain_connection_error(error, settings)) from None
    with connection:
        yield connection


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
