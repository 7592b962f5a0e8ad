"""Alembic environment of gxschema.

- The database comes from the package's own settings (DATABASE_URL, the PG*
  variables, or PGPASSWORD_FILE), or from a connection handed over by the
  ``gxschema`` command line in ``config.attributes["connection"]``.
- The whole run holds the migration advisory lock; each revision runs in its own
  transaction, under ``lock_timeout`` and ``statement_timeout``.
- Autogenerate and ``alembic check`` compare types and server defaults, and look
  only at the tables the package owns (not ``_prisma_migrations`` and the like).
- ``--sql`` (offline) output starts with the same timeouts, so it can be run with
  ``psql -1 -f`` and reviewed as it is.
"""

from __future__ import annotations

from logging.config import fileConfig
from typing import Any

from alembic import context
from sqlalchemy import Connection, Engine, create_engine
from sqlalchemy.pool import NullPool

from gxschema import locking
from gxschema.models import metadata
from gxschema.settings import load_settings

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = metadata


def _option(name: str, default: str) -> str:
    """`-x name=value`, else the ini file's `[alembic] name`, else `default`."""
    x_arguments = context.get_x_argument(as_dictionary=True)
    return str(
        config.attributes.get(name)
        or x_arguments.get(name)
        or config.get_main_option(name)
        or default
    )


LOCK_TIMEOUT = locking.postgres_duration(_option("lock_timeout", locking.DEFAULT_LOCK_TIMEOUT))
STATEMENT_TIMEOUT = locking.postgres_duration(
    _option("statement_timeout", locking.DEFAULT_STATEMENT_TIMEOUT)
)
LOCK_WAIT_SECONDS = float(_option("lock_wait", str(locking.DEFAULT_LOCK_WAIT_SECONDS)))


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """Reflect only the tables of our metadata; other tools' tables are not ours."""
    if type_ == "table":
        return name in target_metadata.tables
    return True


def _configure(**options: Any) -> None:
    context.configure(
        target_metadata=target_metadata,
        transaction_per_migration=True,
        compare_type=True,
        compare_server_default=True,
        include_name=include_name,
        **options,
    )


def run_migrations_offline() -> None:
    _configure(dialect_name="postgresql", literal_binds=True)
    context.execute(f"SET lock_timeout = '{LOCK_TIMEOUT}'")
    context.execute(f"SET statement_timeout = '{STATEMENT_TIMEOUT}'")
    with context.begin_transaction():
        context.run_migrations()


def _run_online(connection: Connection) -> None:
    if connection.in_transaction():
        connection.commit()
    with locking.migration_lock(connection, wait_seconds=LOCK_WAIT_SECONDS):
        locking.set_timeouts(
            connection, lock_timeout=LOCK_TIMEOUT, statement_timeout=STATEMENT_TIMEOUT
        )
        connection.commit()
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
    engine = create_engine(load_settings().url(), poolclass=NullPool, hide_parameters=True)
    try:
        with engine.connect() as connection:
            _run_online(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
