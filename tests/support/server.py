"""The PostgreSQL server the tests create their databases on, whichever backend started it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import psycopg
from psycopg import sql
from sqlalchemy import URL


@dataclass(frozen=True)
class Server:
    """A PostgreSQL server the tests may create databases on, as a superuser."""

    host: str
    port: int
    user: str
    password: str | None
    version: int

    @classmethod
    def reached(cls, host: str, port: int, user: str, password: str | None) -> Server:
        """The server at `host`:`port`, with the major version it reports."""
        with psycopg.connect(
            host=host, port=port, user=user, password=password, dbname="postgres"
        ) as connection:
            version = connection.info.server_version // 10000
        return cls(host, port, user, password, version)

    def url(self, database: str, **parts: object) -> URL:
        return URL.create(
            "postgresql+psycopg",
            username=str(parts.get("username", self.user)),
            password=parts.get("password", self.password),  # type: ignore[arg-type]
            host=self.host,
            port=self.port,
            database=database,
        )

    def admin(self) -> psycopg.Connection:
        return self.connect("postgres")

    def connect(self, database: str, *, autocommit: bool = True) -> psycopg.Connection:
        """A psycopg connection to `database` as the superuser (autocommit by default)."""
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

    def create_database(self, template: str | None = None) -> str:
        name = f"gxtest_{uuid.uuid4().hex[:12]}"
        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template:
            statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
        with self.admin() as connection:
            connection.execute(statement)
        return name

    def drop_database(self, name: str) -> None:
        with self.admin() as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
