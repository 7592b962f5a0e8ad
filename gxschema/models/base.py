"""The declarative base, the shared `MetaData`, and the reusable column types.

Every table of the schema is declared on `Base` and so lands in the one `metadata`
that Alembic compares against. Identifiers follow Prisma's conventions (the
TypeScript services read the same tables through Prisma Client): tables are the
model names, columns are camelCase, and every key and index carries the exact
name Prisma gives it. Python attributes are snake_case; each `mapped_column`
names its database column explicitly.

The naming convention below only applies to objects declared without a name;
the models name every primary key, index and foreign key themselves, because
SQLAlchemy shortens names past 63 bytes differently from Prisma.
"""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from sqlalchemy import (
    CHAR,
    BigInteger,
    Boolean,
    Date,
    Integer,
    MetaData,
    Numeric,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, ENUM, JSONB, TIMESTAMP
from sqlalchemy.orm import DeclarativeBase, mapped_column
from sqlalchemy.types import TypeEngine

from gxschema.cuid import cuid
from gxschema.models import enums as _enums

NAMING_CONVENTION: dict[str, str] = {
    "pk": "%(table_name)s_pkey",
    "ix": "%(table_name)s_%(column_0_N_name)s_idx",
    "uq": "%(table_name)s_%(column_0_N_name)s_key",
    "fk": "%(table_name)s_%(column_0_N_name)s_fkey",
    "ck": "%(table_name)s_%(constraint_name)s_check",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)
"""The one `MetaData` of the schema: every model's table is in it."""


def utcnow() -> datetime:
    """The current time, timezone-aware; what Prisma's `@updatedAt` writes."""
    from datetime import UTC

    return datetime.now(UTC)


def new_uuid() -> str:
    """A random UUID as text; what Prisma's `@default(uuid())` writes."""
    return str(uuid.uuid4())


def pg_enum(enum_class: type[enum.Enum]) -> ENUM:
    """The PostgreSQL enum type bound to `enum_class`, named after the class.

    Labels are the members' values, so the database holds `'PENDING'`, not the
    member's repr. The types are created by the migrations, never implicitly.
    """
    return ENUM(
        enum_class,
        name=enum_class.__name__,
        values_callable=lambda members: [member.value for member in members],
        create_type=False,
        validate_strings=True,
    )


TIMESTAMP_TZ = TIMESTAMP(timezone=True, precision=3)
"""Prisma's `DateTime` on PostgreSQL: `timestamp(3) with time zone`."""

_TYPE_MAP: dict[Any, TypeEngine[Any]] = {
    str: Text(),
    int: Integer(),
    bool: Boolean(),
    datetime: TIMESTAMP_TZ,
    date: Date(),
    dict[str, Any]: JSONB(none_as_null=True),
    list[str]: ARRAY(Text()),
}
_TYPE_MAP.update({enum_class: pg_enum(enum_class) for enum_class in _enums.ALL_ENUMS})


class Base(DeclarativeBase):
    """Declarative base of every gxschema model."""

    metadata = metadata
    type_annotation_map = _TYPE_MAP


# Reusable column types. Each is used as `Mapped[T]` together with
# `mapped_column("camelCaseName", ...)`, which adds the column's own name.

UuidPk = Annotated[
    str,
    mapped_column(
        Text,
        primary_key=True,
        default=new_uuid,
        comment="Primary key: a UUID the application generates (Prisma uuid()); no server default.",
    ),
]
"""A text primary key the application fills with a UUID (Prisma `uuid()`)."""

CuidPk = Annotated[
    str,
    mapped_column(
        Text,
        primary_key=True,
        default=cuid,
        comment="Primary key: a CUID the application generates (Prisma cuid()); no server default.",
    ),
]
"""A text primary key the application fills with a CUID (Prisma `cuid()`)."""

TenantId = Annotated[
    str,
    mapped_column(Text, comment="Tenant the row belongs to; every service query filters on it."),
]
"""The tenant a row belongs to; every service query filters on it."""

GlobalTenantId = Annotated[
    str,
    mapped_column(
        Text,
        server_default=text("'global'::text"),
        comment="Tenant the row belongs to; 'global' (the default) for platform-wide rows.",
    ),
]
"""A tenant id that defaults to the platform-wide tenant `global`."""

CreatedAt = Annotated[
    datetime,
    mapped_column(
        TIMESTAMP_TZ,
        server_default=text("CURRENT_TIMESTAMP"),
        comment="When the row was inserted (set by the database).",
    ),
]
"""Set by the database when the row is inserted."""

UpdatedAt = Annotated[
    datetime,
    mapped_column(
        TIMESTAMP_TZ,
        default=utcnow,
        onupdate=utcnow,
        comment="When the row was last written: set by the application on every insert and "
        "update (Prisma @updatedAt); no server default.",
    ),
]
"""Set by the application on every insert and update (Prisma `@updatedAt`); no server default."""

CountryCode = Annotated[str, mapped_column(CHAR(2))]
"""An ISO 3166-1 alpha-2 code, `character(2)`."""

Amount = Annotated[Decimal, mapped_column(Numeric(36, 9))]
"""A coin amount with 9 decimal places."""

BigInt = Annotated[int, mapped_column(BigInteger)]
"""A 64-bit integer (block numbers, byte sizes, Qirat totals)."""

Json = Annotated[dict[str, Any], mapped_column(JSONB(none_as_null=True))]
"""A JSON document stored as `jsonb`; Python None is SQL NULL, never the JSON value null."""

TextList = Annotated[list[str] | None, mapped_column(ARRAY(Text))]
"""A Prisma scalar list: `text[]`, nullable, no default."""


def default(sql: str) -> Any:
    """A server default spelled exactly as the schema spec spells it.

    `alembic check` evaluates defaults on the server and would not notice
    `'0'::numeric` in place of `0`; the catalog test compares the text.
    """
    return text(sql)
