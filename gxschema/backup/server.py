"""Database administration on the backup's server: scratch databases, create, drop, rename.

`Server` connects to the configured database, or to ``postgres`` (then ``template1``)
when that is the one being replaced or does not exist any more. Scratch databases
(verify's, and the staging copy of ``restore --force``) get names only
`scratch_name` makes, so nothing else is ever dropped as a dead run's leftovers.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy
from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from gxschema import db
from gxschema.errors import ConfigError
from gxschema.identifiers import quote
from gxschema.settings import DatabaseSettings

# Names `scratch_name` makes: only these are ever dropped as a dead run's leftovers.
SCRATCH_NAME = r"^gx(verify|restore)_[0-9a-f]{16}$"


def check_database_name(name: str) -> None:
    if not name or len(name.encode("utf-8")) > 63 or "\x00" in name:
        raise ConfigError(f"{name!r} is not a usable database name (1 to 63 bytes)")


def server_major(connection: Connection) -> int:
    return int(connection.execute(text("SHOW server_version_num")).scalar_one()) // 10000


def database_name(settings: DatabaseSettings) -> str:
    url = settings.url()
    return url.database or url.username or "postgres"


def row_counts(connection: Connection) -> dict[str, int]:
    """Exact rows per table of every user schema (``Table``, or ``schema.Table``)."""
    tables = connection.execute(
        text(
            """SELECT schemaname, tablename FROM pg_tables
               WHERE schemaname NOT IN ('pg_catalog', 'information_schema')
                 AND schemaname NOT LIKE 'pg\\_%'
               ORDER BY schemaname, tablename"""
        )
    ).all()
    counts: dict[str, int] = {}
    for schema, table in tables:
        key = table if schema == "public" else f"{schema}.{table}"
        counts[key] = int(
            connection.execute(text(f"SELECT count(*) FROM {quote(schema, table)}")).scalar_one()
        )
    return counts


def objects_in(connection: Connection) -> list[str]:
    """Relations and types that a restore would collide with."""
    return list(
        connection.execute(
            text(
                """SELECT n.nspname || '.' || c.relname FROM pg_class c
                   JOIN pg_namespace n ON n.oid = c.relnamespace
                   WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
                     AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                     AND n.nspname NOT LIKE 'pg\\_%'
                   UNION ALL
                   SELECT n.nspname || '.' || t.typname FROM pg_type t
                   JOIN pg_namespace n ON n.oid = t.typnamespace
                   WHERE t.typtype IN ('e', 'd')
                     AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                     AND n.nspname NOT LIKE 'pg\\_%'
                   ORDER BY 1"""
            )
        ).scalars()
    )


def drop_database(connection: Connection, name: str) -> None:
    """Drop `name` if it exists, ending its sessions (`connection` in autocommit)."""
    connection.execute(text(f"DROP DATABASE IF EXISTS {quote(name)} WITH (FORCE)"))


class Server:
    """Database-level work (create, drop, rename) on the server the settings name.

    It connects to the configured database, or to ``postgres`` (then ``template1``)
    when that is the one being replaced or does not exist any more.
    """

    def __init__(self, settings: DatabaseSettings, *, avoid: str | None = None) -> None:
        self.settings = settings
        self.url: URL = settings.url()
        self.engine = self._maintenance_engine(avoid)

    def _maintenance_engine(self, avoid: str | None) -> Engine:
        configured = self.url.database
        names = [configured] if configured and configured != avoid else []
        names += [name for name in ("postgres", "template1") if name != avoid]
        last: OperationalError | None = None
        for name in names:
            candidate = self.engine_for(name, isolation_level="AUTOCOMMIT")
            try:
                with candidate.connect() as connection:
                    connection.execute(text("SELECT 1"))
                return candidate
            except OperationalError as error:
                candidate.dispose()
                last = error
                if "does not exist" not in str(error.orig or error):
                    break
        assert last is not None
        raise ConfigError(db.explain_connection_error(last, self.settings)) from None

    def engine_for(self, database: str, **options: Any) -> Engine:
        return sqlalchemy.create_engine(
            self.url.set(database=database), poolclass=NullPool, hide_parameters=True, **options
        )

    @contextmanager
    def connect_to(self, database: str) -> Iterator[Connection]:
        engine = self.engine_for(database)
        try:
            with engine.connect() as connection:
                yield connection
        finally:
            engine.dispose()

    def major(self) -> int:
        with self.engine.connect() as connection:
            return server_major(connection)

    def exists(self, name: str) -> bool:
        with self.engine.connect() as connection:
            found = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            ).scalar()
        return found is not None

    def create(self, name: str) -> None:
        with self.engine.connect() as connection:
            connection.execute(text(f"CREATE DATABASE {quote(name)}"))

    def drop(self, name: str) -> None:
        with self.engine.connect() as connection:
            drop_database(connection, name)

    def rename(self, old: str, new: str) -> None:
        with self.engine.connect() as connection:
            connection.execute(text(f"ALTER DATABASE {quote(old)} RENAME TO {quote(new)}"))

    def dispose(self) -> None:
        self.engine.dispose()


def scratch_name(purpose: str) -> str:
    return f"gx{purpose}_{uuid.uuid4().hex[:16]}"
