"""The Prisma type and default of a column.

A column's Prisma scalar (or enum) type and the `@db.` native type that gives the
same PostgreSQL type back; the application's defaults Prisma can spell (`uuid()`,
`cuid()`, `@updatedAt`); and the server default as the argument of `@default(...)`.
`gxschema.prisma.export` writes them into the model blocks.
"""

from __future__ import annotations

import json
import re
from typing import Any

from sqlalchemy import Column, Table
from sqlalchemy.dialects import postgresql
from sqlalchemy.sql import sqltypes
from sqlalchemy.sql.elements import TextClause

from gxschema.errors import ConfigError


class ExportError(ConfigError):
    """A model uses something a Prisma schema cannot express."""


def application_default(column: Column[Any]) -> str | None:
    """The Prisma name of the value the application gives the column, if Prisma has one.

    `uuid()` and `cuid()` for the id generators, `updatedAt` for the timestamp the
    models write on every insert and update; any other Python default has no Prisma
    spelling and is left out (the TypeScript services must supply the value).
    """
    from gxschema.cuid import cuid
    from gxschema.models.base import new_uuid, utcnow

    function = getattr(column.default, "arg", None)
    function = getattr(function, "__wrapped__", function)
    if function is new_uuid:
        return "uuid()"
    if function is cuid:
        return "cuid()"
    if function is utcnow and column.onupdate is not None:
        return "updatedAt"
    return None


def is_serial(table: Table, column: Column[Any]) -> bool:
    """Whether PostgreSQL makes the column `serial` (SQLAlchemy's implicit autoincrement)."""
    return (
        table.autoincrement_column is column
        and column.server_default is None
        and column.identity is None
        and column.default is None
    )


def enum_type(column_type: Any) -> sqltypes.Enum | None:
    if isinstance(column_type, postgresql.ARRAY):
        return enum_type(column_type.item_type)
    return column_type if isinstance(column_type, sqltypes.Enum) else None


def prisma_type(table: Table, column: Column[Any]) -> tuple[str, str | None]:
    """The Prisma scalar (or enum) type of a column and its `@db.` attribute, if needed.

    A native type is written only where it differs from what Prisma maps the scalar
    to on PostgreSQL (String -> text, Int -> integer, DateTime -> timestamp(3), ...).
    """
    column_type = column.type
    if isinstance(column_type, postgresql.ARRAY):
        column_type = column_type.item_type
    enum_ = enum_type(column_type)
    if enum_ is not None and enum_.name:
        return enum_.name, None
    if isinstance(column_type, sqltypes.DateTime):
        timezone = bool(getattr(column_type, "timezone", False))
        precision = getattr(column_type, "precision", None)
        if not timezone and precision == 3:
            return "DateTime", None
        native = "Timestamptz" if timezone else "Timestamp"
        return "DateTime", f"@db.{native}" + (f"({precision})" if precision is not None else "")
    if isinstance(column_type, sqltypes.Date):
        return "DateTime", "@db.Date"
    if isinstance(column_type, sqltypes.Numeric) and not isinstance(column_type, sqltypes.Float):
        precision, scale = column_type.precision, column_type.scale
        if precision is None:
            return "Decimal", None  # numeric without precision: Prisma's own Decimal
        return "Decimal", f"@db.Decimal({precision}, {scale or 0})"
    if isinstance(column_type, sqltypes.Float):
        return "Float", "@db.Real" if isinstance(column_type, sqltypes.REAL) else None
    if isinstance(column_type, sqltypes.CHAR) and not isinstance(column_type, sqltypes.VARCHAR):
        return "String", f"@db.Char({column_type.length or 1})"
    if isinstance(column_type, postgresql.UUID):
        return "String", "@db.Uuid"
    if isinstance(column_type, sqltypes.String):
        if isinstance(column_type, sqltypes.VARCHAR) or column_type.length is not None:
            length = column_type.length
            return "String", f"@db.VarChar({length})" if length else "@db.VarChar"
        return "String", None
    if isinstance(column_type, sqltypes.BigInteger):
        return "BigInt", None
    if isinstance(column_type, sqltypes.SmallInteger):
        return "Int", "@db.SmallInt"
    if isinstance(column_type, sqltypes.Integer):
        return "Int", None
    if isinstance(column_type, sqltypes.Boolean):
        return "Boolean", None
    if isinstance(column_type, postgresql.JSONB):
        return "Json", None
    if isinstance(column_type, sqltypes.JSON):
        return "Json", "@db.Json"
    if isinstance(column_type, sqltypes.LargeBinary):
        return "Bytes", None
    raise ExportError(
        f"{table.name}.{column.name}: no Prisma type for {column.type!r}; "
        "teach gxschema.prisma.export this type"
    )


_STRING_LITERAL = re.compile(r"^'((?:[^']|'')*)'(?:::[\w\s\"]+)?$")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def server_default(table: Table, column: Column[Any], prisma_type: str) -> str | None:
    """The column's server default as the argument of Prisma's `@default(...)`."""
    default = column.server_default
    if default is None:
        return None
    argument = getattr(default, "arg", None)
    sql = str(argument.text if isinstance(argument, TextClause) else argument).strip()
    if sql.upper() in ("CURRENT_TIMESTAMP", "NOW()", "CURRENT_TIMESTAMP(3)"):
        return "now()"
    if sql.startswith("nextval("):
        return "autoincrement()"
    if sql in ("true", "false") and prisma_type == "Boolean":
        return sql
    if _NUMBER.match(sql) and prisma_type in ("Int", "BigInt", "Decimal", "Float"):
        return sql
    literal = _STRING_LITERAL.match(sql)
    if literal:
        value = literal.group(1).replace("''", "'")
        if enum_type(column.type) is not None:
            return value
        if prisma_type == "String":
            return json.dumps(value)
    return f"dbgenerated({json.dumps(sql)})"
