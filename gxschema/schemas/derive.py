"""Create and Read schemas derived from a model's columns, for any of the 46 tables.

One rule per column type, so that what a ``...Create`` model accepts is what
PostgreSQL accepts for the column, and what it refuses PostgreSQL would refuse:

========================  ===================================================
column                    Create field
========================  ===================================================
``text``                  ``str`` without NUL (text cannot hold ``\\x00``)
``character(n)``          at most ``n`` characters; as PostgreSQL does, spaces
                          past the ``n``-th are cut, anything else is refused
``varchar(n)``            at most ``n`` characters
``integer``/``bigint``    an ``int`` within 32 / 64 bits
``numeric(p, s)``         a finite ``Decimal`` rounded to ``s`` places (the
                          database rounds too) below ``10^(p-s)``
enum                      the Python enum (its labels, as the JSON carries them)
``jsonb``                 any JSON value jsonb stores and the services read back
                          exactly; SQL NULL is ``None`` only where the column is
                          nullable
``text[]``                a list of such texts
``timestamptz``           a datetime with a time zone (a naive one would be read
                          in the session's time zone)
``date``, ``boolean``     ``date``, ``bool``
========================  ===================================================

A nullable column is ``X | None``. A column the database or the application fills
when it is left out (a server default, a generated id, ``@updatedAt``) is optional
in Create, and leaving it out leaves it to that default: `DerivedCreate.to_model`
passes only the fields that were given. Sending ``null`` for a NOT NULL column is
refused even where it has a default, as PostgreSQL refuses an explicit NULL.

Field names are the models' attribute names; the alias of each is the Prisma field
name the TypeScript services send (the column's name), so ``model_validate`` takes
both spellings and ``model_dump(by_alias=True)`` gives the services' JSON.

Secrets: a column whose ``info`` holds ``{"secret": True}`` (credential hashes,
tokens, the webhook signing key) is a `SecretStr` in Create (never echoed in
``repr`` or in validation errors) and is left out of Read: no API response built
from a Read model can leak it. Marking a new credential column that way is all
its schemas need.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any, ClassVar, cast

from pydantic import (
    AfterValidator,
    AliasChoices,
    AwareDatetime,
    BeforeValidator,
    ConfigDict,
    Field,
    SecretStr,
    StringConstraints,
    create_model,
)
from pydantic_core import PydanticCustomError
from sqlalchemy import Column, inspect
from sqlalchemy.sql import sqltypes
from sqlalchemy.types import TypeEngine

from gxschema.models.base import Base
from gxschema.schemas.base import CreateSchema, ReadSchema
from gxschema.schemas.types import Int4, Int8, Text, json_value, no_nul, numeric

SECRET_INFO_KEY = "secret"
"""The key of a column's ``info`` that marks it secret (``info={"secret": True}``)."""


def is_secret(column: Column[Any]) -> bool:
    """Whether the column holds a credential that no Read model may carry."""
    return bool(column.info.get(SECRET_INFO_KEY))


class DerivedCreate(CreateSchema):
    """A Create schema derived from a model's columns (see the module's docstring)."""

    orm_model: ClassVar[type[Base]]

    def to_model(self) -> Base:
        """The ORM row of the given fields; the left-out ones get their defaults on insert."""
        values = self.column_values()
        return self.orm_model(**{name: values[name] for name in self.model_fields_set})


class DerivedSecretCreate(DerivedCreate):
    """A derived Create schema with a secret field: inputs are never echoed in errors."""

    model_config = ConfigDict(hide_input_in_errors=True)


class DerivedRead(ReadSchema):
    """A Read schema derived from a model's columns: every column but the secret ones."""

    orm_model: ClassVar[type[Base]]


def create_schema_of(model: type[Base]) -> type[DerivedCreate]:
    """A new ``<Model>Create`` class for `model`, one field per writable column."""
    fields: dict[str, Any] = {}
    any_secret = False
    for key, column in _columns(model):
        annotation = _create_type(column)
        any_secret = any_secret or is_secret(column)
        if column.nullable:
            annotation = annotation | None
        required = not column.nullable and not fills_itself(column)
        default: Any = ... if required else None
        # Left out, a NOT NULL column keeps its default; null itself is refused, so the
        # JSON schema must not announce null as the default.
        extra = _no_default_in_json_schema if default is None and not column.nullable else None
        fields[key] = (
            annotation,
            Field(
                default, alias=_alias(column), description=column.comment, json_schema_extra=extra
            ),
        )
    schema = cast(
        type[DerivedCreate],
        create_model(
            f"{model.__name__}Create",
            __base__=DerivedSecretCreate if any_secret else DerivedCreate,
            __module__="gxschema.schemas",  # where they are found: `gxschema.schemas.XCreate`
            __doc__=f"A row to insert into {model.__tablename__}, checked as PostgreSQL would.",
            **fields,
        ),
    )
    schema.orm_model = model
    return schema


def read_schema_of(model: type[Base]) -> type[DerivedRead]:
    """A new ``<Model>Read`` class for `model`: every column but the secret ones."""
    fields: dict[str, Any] = {}
    for key, column in _columns(model):
        if is_secret(column):
            continue
        annotation = _read_type(column.type)
        if column.nullable:
            annotation = annotation | None
        # The attribute's name first: an ORM row read by the Prisma name could find
        # something else (AuditLog's column "metadata" is `event_metadata`, while
        # `AuditLog.metadata` is SQLAlchemy's MetaData).
        alias = _alias(column)
        fields[key] = (
            annotation,
            Field(
                validation_alias=AliasChoices(key, alias),
                serialization_alias=alias,
                description=column.comment,
            ),
        )
    schema = cast(
        type[DerivedRead],
        create_model(
            f"{model.__name__}Read",
            __base__=DerivedRead,
            __module__="gxschema.schemas",  # where they are found: `gxschema.schemas.XCreate`
            __doc__=f"A row of {model.__tablename__} as the services return it (no secrets).",
            **fields,
        ),
    )
    schema.orm_model = model
    return schema


def fills_itself(column: Column[Any]) -> bool:
    """Whether a left-out value is filled in: a server or Python default, identity, serial."""
    return (
        column.default is not None
        or column.server_default is not None
        or column.identity is not None
        or column.table.autoincrement_column is column  # serial (integer keys only)
    )


def _columns(model: type[Base]) -> list[tuple[str, Column[Any]]]:
    """(attribute name, column) of every column the model maps, in the table's order."""
    return [(prop.key, cast(Column[Any], prop.columns[0])) for prop in inspect(model).column_attrs]


def _alias(column: Column[Any]) -> str:
    from gxschema.prisma.export import prisma_name

    return prisma_name(column.name)


def _create_type(column: Column[Any]) -> Any:
    if is_secret(column):
        return _annotated(SecretStr, AfterValidator(_secret_no_nul), *_length(column.type))
    annotation = _value_type(column.type)
    if isinstance(column.type, sqltypes.JSON) and not column.nullable:
        annotation = Annotated[annotation, AfterValidator(_not_json_null)]
    return annotation


def _value_type(column_type: TypeEngine[Any]) -> Any:
    """The checked Python type of a value of `column_type` (Create)."""
    if isinstance(column_type, sqltypes.ARRAY):
        return list[_value_type(column_type.item_type)]  # type: ignore[misc]
    if isinstance(column_type, sqltypes.Enum):
        return _enum_type(column_type)
    if isinstance(column_type, sqltypes.Boolean):
        return bool
    if isinstance(column_type, sqltypes.BigInteger):
        return Int8
    if isinstance(column_type, sqltypes.Integer):
        return Int4
    if isinstance(column_type, sqltypes.Numeric):
        if column_type.precision is None:
            return Annotated[Decimal, Field(allow_inf_nan=False)]
        scale = column_type.scale or 0
        return Annotated[Decimal, BeforeValidator(numeric(column_type.precision, scale))]
    if isinstance(column_type, sqltypes.CHAR) and column_type.length:
        length = StringConstraints(max_length=column_type.length)  # after the cut below
        padded = BeforeValidator(_blank_padded(column_type.length))
        return Annotated[str, length, AfterValidator(no_nul), padded]
    if isinstance(column_type, sqltypes.String):
        return _annotated(Text, *_length(column_type))
    if isinstance(column_type, sqltypes.DateTime):
        return AwareDatetime if column_type.timezone else datetime
    if isinstance(column_type, sqltypes.Date):
        return date
    if isinstance(column_type, sqltypes.JSON):
        return Annotated[Any, AfterValidator(json_value)]
    raise TypeError(f"no schema type for the column type {column_type!r}")


def _read_type(column_type: TypeEngine[Any]) -> Any:
    """The Python type of a stored value of `column_type` (Read: any stored row loads)."""
    if isinstance(column_type, sqltypes.ARRAY):
        return list[_read_type(column_type.item_type)]  # type: ignore[misc]
    if isinstance(column_type, sqltypes.Enum):
        return _enum_type(column_type)
    if isinstance(column_type, sqltypes.JSON):
        return Any
    python_type: Any = column_type.python_type
    return python_type


def _enum_type(column_type: sqltypes.Enum) -> Any:
    enum_class = column_type.enum_class
    if enum_class is not None and issubclass(enum_class, Enum):
        return enum_class
    from typing import Literal

    return Literal[tuple(column_type.enums)]  # a native enum without a Python class


def _annotated(base: Any, *metadata: Any) -> Any:
    return Annotated[(base, *metadata)] if metadata else base


def _length(column_type: TypeEngine[Any]) -> list[Any]:
    length = getattr(column_type, "length", None)
    return [Field(max_length=length)] if length else []


def _blank_padded(length: int) -> Any:
    """``character(n)``'s rule: longer than `n` is refused unless the rest is spaces (cut)."""

    def check(value: Any) -> Any:
        if not isinstance(value, str) or len(value) <= length:
            return value
        if value[length:].strip(" "):
            raise PydanticCustomError(
                "string_too_long",
                "must be at most {length} characters (character({length}))",
                {"length": length},
            )
        return value[:length]

    return check


def _no_default_in_json_schema(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def _secret_no_nul(value: SecretStr) -> SecretStr:
    no_nul(value.get_secret_value())
    return value


def _not_json_null(value: Any) -> Any:
    if value is None:
        raise PydanticCustomError("json_null", "must not be null (the column is NOT NULL)")
    return value
