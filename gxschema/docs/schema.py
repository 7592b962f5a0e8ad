"""The schema as the docs present it: domains, tables, columns, keys, enums, from the models.

Everything is read from the models (`gxschema.models`): the catalog shape comes from
`gxschema.catalog.table_from_model`, the purpose of a table and the meaning of a column
from their comments (which revision 0005 also puts into the database), the Python
attribute of a column from the ORM mapper. Order is fixed: domains and tables in the
order of `gxschema.models.DOMAINS`, columns in table order, keys by name.
"""

from __future__ import annotations

import enum
import importlib
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table
from sqlalchemy.sql import sqltypes

from gxschema import catalog

APP_DEFAULTS = {
    "uuid()": "`uuid()` (application)",
    "cuid()": "`cuid()` (application)",
    "updatedAt": "now, on every write (application)",
}
"""How an application-supplied default is shown."""


@dataclass(frozen=True)
class Column:
    name: str
    attribute: str
    type: str
    """What ``format_type()`` prints, e.g. ``numeric(36,9)`` or ``"KycStatus"``."""
    nullable: bool
    default: str | None
    app_default: str | None
    comment: str
    enum: str | None
    """The enum type's name when the column is an enum."""

    @property
    def shown_default(self) -> str:
        if self.default is not None:
            return f"`{self.default}`"
        if self.app_default is not None:
            return APP_DEFAULTS.get(self.app_default, self.app_default)
        return ""


@dataclass(frozen=True)
class Key:
    name: str
    columns: tuple[str, ...]


@dataclass(frozen=True)
class ForeignKey:
    name: str
    table: str
    columns: tuple[str, ...]
    ref_table: str
    ref_columns: tuple[str, ...]
    on_delete: str
    on_update: str


@dataclass
class TableInfo:
    name: str
    domain: str
    model: str
    """Import path of the model class, e.g. ``gxschema.models.Wallet``."""
    source: str
    """The file that defines the model class, e.g. ``gxschema/models/wallet.py``."""
    comment: str
    columns: list[Column]
    primary_key: Key
    unique_indexes: list[Key]
    indexes: list[Key]
    foreign_keys: list[ForeignKey]
    referenced_by: list[ForeignKey] = field(default_factory=list)

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)

    def has_column(self, name: str) -> bool:
        return any(column.name == name for column in self.columns)

    @property
    def enums(self) -> list[str]:
        return [column.enum for column in self.columns if column.enum is not None]


@dataclass(frozen=True)
class EnumInfo:
    name: str
    doc: str
    values: tuple[str, ...]
    used_by: tuple[tuple[str, str], ...]
    """(table, column) pairs that use the type, in table order."""


@dataclass(frozen=True)
class Domain:
    name: str
    module: str
    doc: str
    tables: tuple[str, ...]

    @property
    def title(self) -> str:
        """The first line of the module's docstring."""
        return self.doc.splitlines()[0].rstrip(".") if self.doc else self.name


@dataclass
class Schema:
    domains: list[Domain]
    tables: dict[str, TableInfo]
    enums: dict[str, EnumInfo]

    def domain_of(self, table: str) -> str:
        return self.tables[table].domain

    def domain(self, name: str) -> Domain:
        return next(domain for domain in self.domains if domain.name == name)


def _doc(obj: Any) -> str:
    """A docstring without its indentation, paragraphs joined into lines."""
    text = (getattr(obj, "__doc__", None) or "").strip()
    paragraphs = [" ".join(part.split()) for part in text.split("\n\n")]
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)


def _attributes(table: Table) -> tuple[str, str, dict[str, str]]:
    """The model's import path, its source file and the Python attribute of each column.

    The file is the module that defines the class (not its domain's name), so that the
    index names where a table lives even if a model is moved between modules.
    """
    from gxschema.models import Base

    for mapper in Base.registry.mappers:
        if mapper.local_table is table:
            attributes = {
                column.name: mapper.get_property_by_column(column).key for column in table.columns
            }
            source = mapper.class_.__module__.replace(".", "/") + ".py"
            return f"gxschema.models.{mapper.class_.__name__}", source, attributes
    raise LookupError(f"no model maps table {table.name!r}")


def _table(table: Table, domain: str) -> TableInfo:
    entry = catalog.table_from_model(table)
    model, source, attributes = _attributes(table)
    columns = []
    for rendered, column in zip(entry["columns"], table.columns, strict=True):
        enum_name = (
            column.type.name
            if isinstance(column.type, sqltypes.Enum) and column.type.name
            else None
        )
        columns.append(
            Column(
                name=rendered["name"],
                attribute=attributes[rendered["name"]],
                type=rendered["type"],
                nullable=rendered["nullable"],
                default=rendered["default"],
                app_default=rendered.get("app_default"),
                comment=column.comment or "",
                enum=enum_name,
            )
        )

    def keys(items: list[dict[str, Any]]) -> list[Key]:
        return sorted(
            (Key(item["name"], tuple(item["columns"])) for item in items), key=lambda k: k.name
        )

    foreign_keys = sorted(
        (
            ForeignKey(
                name=item["name"],
                table=table.name,
                columns=tuple(item["columns"]),
                ref_table=item["ref_table"],
                ref_columns=tuple(item["ref_columns"]),
                on_delete=item["on_delete"],
                on_update=item["on_update"],
            )
            for item in entry["foreign_keys"]
        ),
        key=lambda fk: fk.name,
    )
    primary_key = entry["primary_key"]
    return TableInfo(
        name=table.name,
        domain=domain,
        model=model,
        source=source,
        comment=table.comment or "",
        columns=columns,
        primary_key=Key(primary_key["name"], tuple(primary_key["columns"])),
        unique_indexes=keys(entry["unique_indexes"]),
        indexes=keys(entry["indexes"]),
        foreign_keys=foreign_keys,
    )


def load() -> Schema:
    """The schema of the models, ready to render."""
    from gxschema.models import DOMAINS, metadata
    from gxschema.models import enums as model_enums

    listed = [name for names in DOMAINS.values() for name in names]
    if sorted(listed) != sorted(metadata.tables):
        missing = sorted(set(metadata.tables) - set(listed))
        extra = sorted(set(listed) - set(metadata.tables))
        raise ValueError(
            f"gxschema.models.DOMAINS must list every table once (missing {missing}, "
            f"unknown {extra})"
        )
    domains = []
    tables: dict[str, TableInfo] = {}
    for name, table_names in DOMAINS.items():
        module = importlib.import_module(f"gxschema.models.{name}")
        domains.append(Domain(name, module.__name__, _doc(module), tuple(table_names)))
        for table_name in table_names:
            tables[table_name] = _table(metadata.tables[table_name], name)
    for table in tables.values():
        for foreign_key in table.foreign_keys:
            tables[foreign_key.ref_table].referenced_by.append(foreign_key)
    for table in tables.values():
        table.referenced_by.sort(key=lambda fk: (fk.table, fk.name))

    enum_classes: dict[str, type[enum.Enum]] = {cls.__name__: cls for cls in model_enums.ALL_ENUMS}
    enums = {}
    for enum_name, cls in enum_classes.items():
        used_by = tuple(
            (table.name, column.name)
            for table in tables.values()
            for column in table.columns
            if column.enum == enum_name
        )
        enums[enum_name] = EnumInfo(
            name=enum_name,
            doc=_doc(cls),
            values=tuple(str(member.value) for member in cls),
            used_by=used_by,
        )
    return Schema(domains=domains, tables=tables, enums=enums)
