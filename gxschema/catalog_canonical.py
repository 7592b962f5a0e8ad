"""Bringing the models' expressions to PostgreSQL's canonical text, by asking PostgreSQL.

An index predicate, an expression key, a CHECK or a generation expression is text
in the models (``"deletedAt" IS NULL``) and a parse tree in the database, which
``pg_get_expr`` deparses its own way (``("deletedAt" IS NULL)``, casts made explicit,
``status = 'ACTIVE'::"UserStatus"``, ``amount >= 0::numeric``). Two ways to compare
them were possible:

- normalise both texts in Python (strip parentheses, guess casts, case, spacing):
  a second SQL parser to keep in step with PostgreSQL's deparser, wrong on the first
  construct it does not know, and wrong silently (a false "equal" lets drift through);
- let the server build the model's object and deparse it: exact by construction,
  since both sides are then the same function's output on equivalent parse trees.

This module does the second. In a transaction that is always rolled back, it creates
``pg_temp."T" (LIKE public."T")`` for each table whose models need it (same column
names and types as the live table), builds the model's indexes, CHECKs and generated
columns on it with SQLAlchemy's own DDL, reads them back with the very reader that
reads the live schema (`gxschema.catalog_read`), and replaces the models' text with
what it read. Nothing is written: temporary objects, rolled back, never on the real
tables (no lock beyond ACCESS SHARE on them). The models declare no expression today,
so for them this does nothing and costs nothing; a model that adds one is compared
exactly, the moment it is added. An object the server refuses to build (a column
missing from the live table) keeps the model's text, and the comparison reports it,
next to the missing column that caused it.
"""

from __future__ import annotations

import copy
from typing import Any

from sqlalchemy import CheckConstraint, Column, Connection, MetaData, Table, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.schema import AddConstraint, CreateIndex

from gxschema import catalog_read
from gxschema.catalog_compare import Catalog
from gxschema.catalog_models import check_name, needs_server, sql_text
from gxschema.errors import ConfigError

_TEMP_SCHEMA_SQL = "SELECT nspname FROM pg_namespace WHERE oid = pg_my_temp_schema()"


def _needs_server(table: Table) -> bool:
    return (
        any(needs_server(index) for index in table.indexes)
        or any(isinstance(c, CheckConstraint) for c in table.constraints)
        or any(column.computed is not None for column in table.columns)
    )


def canonicalise(
    connection: Connection, metadata: MetaData, expected: Catalog, schema: str = "public"
) -> Catalog:
    """`expected` (rendered from `metadata`) with every expression as the server writes it."""
    tables = [
        table
        for table in metadata.sorted_tables
        if table.name in expected["tables"] and _needs_server(table)
    ]
    if not tables:
        return expected
    result = copy.deepcopy(expected)
    transaction = connection.begin_nested() if connection.in_transaction() else connection.begin()
    try:
        built = [table for table in tables if _build(connection, table, schema)]
        if built:
            temp_schema = connection.execute(text(_TEMP_SCHEMA_SQL)).scalar_one()
            canonical = catalog_read.read(connection, temp_schema)
            for table in built:
                _replace(result["tables"][table.name], canonical["tables"][table.name], table)
    finally:
        transaction.rollback()
    return result


def _attempt(connection: Connection, statement: Any) -> bool:
    """Run one DDL statement in its own savepoint; False if the server refused it."""
    try:
        with connection.begin_nested():
            connection.execute(statement)
    except DBAPIError:
        return False
    return True


_NO_SUCH_TABLE = "42P01"


def temporary_copy(connection: Connection, table: str, schema: str = "public") -> bool:
    """``pg_temp.<table>``, LIKE the live one; False if there is no live table to copy.

    A server that will not make it at all (no TEMP privilege, a read-only standby) is a
    setting to fix, not a drift to report: it fails with one line saying so, rather than
    letting every expression look changed.
    """
    quote = connection.dialect.identifier_preparer.quote
    like = f"CREATE TEMP TABLE {quote(table)} (LIKE {quote(schema)}.{quote(table)})"
    try:
        with connection.begin_nested():
            connection.execute(text(like))
    except DBAPIError as error:
        if getattr(error.orig, "sqlstate", None) == _NO_SUCH_TABLE:
            return False  # the comparison reports the table missing
        raise ConfigError(
            "verify compares expressions in the server's own text, which needs a temporary "
            f"table, and the server refused one: {str(error.orig).splitlines()[0]} "
            "(grant TEMPORARY on the database to this role, or verify on the primary)"
        ) from None
    return True


def _build(connection: Connection, table: Table, schema: str) -> bool:
    """The model's expression objects on a temporary copy of the live table."""
    if not temporary_copy(connection, table.name, schema):
        return False
    convention = MetaData(naming_convention=table.metadata.naming_convention)
    copied = table.to_metadata(convention, schema="pg_temp")
    for index in copied.indexes:
        if needs_server(index):
            _attempt(connection, CreateIndex(index))
    for constraint in copied.constraints:
        if isinstance(constraint, CheckConstraint):
            _attempt(connection, AddConstraint(constraint))
    for column in copied.columns:
        if column.computed is not None:
            _attempt(connection, text(_generated_column_sql(connection, table.name, column)))
    return True


def _generated_column_sql(connection: Connection, table: str, column: Column[Any]) -> str:
    quote = connection.dialect.identifier_preparer.quote
    type_ = column.type.compile(dialect=connection.dialect)
    assert column.computed is not None
    return (
        f"ALTER TABLE pg_temp.{quote(table)} DROP COLUMN IF EXISTS {quote(column.name)}, "
        f"ADD COLUMN {quote(column.name)} {type_} "
        f"GENERATED ALWAYS AS ({sql_text(column.computed.sqltext)}) STORED"
    )


def _replace(entry: dict[str, Any], canonical: dict[str, Any], table: Table) -> None:
    """Put the server's text in place of the models' wherever the server built the object."""
    for kind in ("unique_indexes", "indexes"):
        built = {index["name"]: index for index in canonical[kind]}
        entry[kind] = [built.get(index["name"], index) for index in entry[kind]]
    for constraint in table.constraints:
        if isinstance(constraint, CheckConstraint):
            name = check_name(constraint)
            if name in canonical["check_constraints"]:
                entry["check_constraints"][name] = canonical["check_constraints"][name]
    for column in table.columns:
        generated = canonical["column_details"].get(column.name, {}).get("generated")
        if column.computed is not None and generated is not None:
            entry["column_details"][column.name]["generated"] = generated
