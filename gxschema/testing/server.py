"""The PostgreSQL server tests create their databases on, whichever backend started it.

A `Server` is only an address and a superuser: every backend (`backends`) ends in one,
and everything that makes, copies or drops databases (`databases`, the fixtures) takes
one, so none of that cares whether the server is a container, a local process or the
embedded PostgreSQL.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import psycopg
    from sqlalchemy import URL

DEFAULT_PREFIX = "gxtest"
"""How the names of the databases the tests make begin, unless the run names another."""


@dataclass(frozen=True)
class Server:
    """A PostgreSQL server the tests may create databases on, as a superuser.

    `host` is a name or address, or (starting with ``/``) the folder of a Unix socket.
    `maintenance_database` is the one connected to for CREATE and DROP DATABASE.
    """

    host: str
    port: int
    user: str
    password: str | None
    version: int
    maintenance_database: str = "postgres"

    @classmethod
    def reached(
        cls,
        host: str,
        port: int,
        user: str,
        password: str | None,
        maintenance_database: str = "postgres",
    ) -> Server:
        """The server at `host`:`port`, with the major version it reports."""
        import psycopg

        with psycopg.connect(
            host=host, port=port, user=user, password=password, dbname=maintenance_database
        ) as connection:
            version = connection.info.server_version // 10000
        return cls(host, port, user, password, version, maintenance_database)

    @classmethod
    def from_url(cls, url: str) -> Server:
        """The server a ``postgresql://`` URL names; its database, if any, is the maintenance one.

        A socket folder may be given as the ``host`` query parameter (libpq's way, and
        the embedded PostgreSQL's).
        """
        from sqlalchemy.engine import make_url

        parsed = make_url(url)
        socket_folder = parsed.query.get("host")
        host = parsed.host or (socket_folder if isinstance(socket_folder, str) else None)
        return cls.reached(
            host or "localhost",
            parsed.port or 5432,
            parsed.username or "postgres",
            parsed.password,
            parsed.database or "postgres",
        )

    def url(self, database: str, **parts: object) -> URL:
        """A SQLAlchemy URL (psycopg 3) to `database`; `username`/`password` may replace ours."""
        from sqlalchemy import URL

        socket = self.host.startswith("/")
        return URL.create(
            "postgresql+psycopg",
            username=str(parts.get("username", self.user)),
            password=parts.get("password", self.password),  # type: ignore[arg-type]
            host=None if socket else self.host,
            port=self.port,
            database=database,
            query={"host": self.host} if socket else {},
        )

    def admin(self) -> psycopg.Connection:
        """An autocommit connection to the maintenance database."""
        return self.connect(self.maintenance_database)

    def connect(self, database: str, *, autocommit: bool = True) -> psycopg.Connection:
        """A psycopg connection to `database` as the superuser (autocommit by default)."""
        import psycopg

        return psycopg.connect(
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password,
            dbname=database,
            autocommit=autocommit,
        )

    def env(self, database: str) -> dict[str, str]:
        """Environment variables that point gxschema (and libpq tools) at `database`."""
        env = {
            "PGHOST": self.host,
            "PGPORT": str(self.port),
            "PGUSER": self.user,
            "PGDATABASE": database,
        }
        if self.password:
            env["PGPASSWORD"] = self.password
        return env

    def create_database(
        self, template: str | None = None, *, name: str | None = None, prefix: str = DEFAULT_PREFIX
    ) -> str:
        """Create a database (a copy of `template` if given); its name is returned.

        Without `name`, a new one: `prefix` and a random part, so that any number of
        sessions and workers sharing one server never collide.
        """
        from psycopg import sql

        name = name or f"{prefix}_{uuid.uuid4().hex[:12]}"
        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template:
            statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
        with self.admin() as connection:
            connection.execute(statement)
        return name

    def drop_database(self, name: str) -> None:
        """Drop `name` if it exists, ending any session still connected to it."""
        from psycopg import sql

        with self.admin() as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
