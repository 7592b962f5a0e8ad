"""Identifiers in runtime SQL: quoted by psycopg, and whether a table exists.

Table and database names are mixed-case (``"BackupRecord"``) or chosen by a user
(a restore target), so they are always quoted, and quoted by `psycopg.sql` rather
than by hand: one implementation of PostgreSQL's rule (double the ``"``) that the
driver itself relies on. Alembic revisions quote through `gxschema.online`, which
imports only this module of the package.
"""

from __future__ import annotations

from psycopg import sql
from sqlalchemy import Connection, text


def quote(*names: str) -> str:
    """``"name"``, or ``"schema"."name"`` for several parts, ready to put into SQL text."""
    return sql.Identifier(*names).as_string()


def table_exists(connection: Connection, name: str, schema: str = "public") -> bool:
    """Whether `schema`.`name` is a relation this session can see (without locking it)."""
    found = connection.execute(
        text("SELECT to_regclass(:name)"), {"name": quote(schema, name)}
    ).scalar()
    return found is not None


def literal(value: str) -> str:
    """``'value'`` as an SQL string literal, for statements that take no bind parameters."""
    return sql.Literal(value).as_string().strip()
