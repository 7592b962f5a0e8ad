"""The schema as data: read from PostgreSQL's catalog or rendered from the models, and compared.

A *catalog* is a plain dict in the shape of ``schema.json`` (see ``docs/schema-notes.md``)::

    {"enums": {"Name": ["VALUE", ...]},
     "tables": {"Table": {"columns": [...], "primary_key": {...}, "unique_indexes": [...],
                          "indexes": [...], "foreign_keys": [...]}}}

`from_database` reads it from ``pg_catalog`` (never from the models), `from_metadata`
renders it from SQLAlchemy tables, and `diff` lists every difference between two of
them as readable sentences. `gxschema verify`, `gxschema adopt` and the tests all
stand on these three functions.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from typing import Any

from sqlalchemy import Connection, MetaData, Table, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.sql import sqltypes
from sqlalchemy.sql.elements import TextClause

Catalog = dict[str, Any]

# Tables that live in the same database but belong to other tools.
FOREIGN_TABLES = frozenset(
    {
        "alembic_version",
        "_prisma_migrations",
        "gxschema_backfill_progress",  # gxschema.backfill's cursors, created on first use
    }
)

_FK_ACTIONS = {
    "a": "NO ACTION",
    "r": "RESTRICT",
    "c": "CASCADE",
    "n": "SET NULL",
    "d": "SET DEFAULT",
}

_COLUMNS_SQL = """
SELECT c.relname AS table_name, a.attname AS column_name,
       format_type(a.atttypid, a.atttypmod) AS column_type,
       NOT a.attnotnull AS nullable,
       pg_get_expr(d.adbin, d.adrelid) AS column_default
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE n.nspname = :schema AND c.relkind IN ('r', 'p')
  AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY c.relname, a.attnum
"""

_PRIMARY_KEYS_SQL = """
SELECT c.relname AS table_name, con.conname AS name,
       array(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
             ORDER BY k.ord)::text[] AS columns
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = :schema AND con.contype = 'p'
"""

# Indexes that do not back a constraint (Prisma makes unique *indexes*, not constraints).
_INDEXES_SQL = """
SELECT t.relname AS table_name, i.relname AS name, x.indisunique AS is_unique,
       array(SELECT a.attname FROM unnest(x.indkey) WITH ORDINALITY AS k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
             ORDER BY k.ord)::text[] AS columns
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_class t ON t.oid = x.indrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE n.nspname = :schema AND t.relkind IN ('r', 'p')
  AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = x.indexrelid
                  AND con.conrelid = x.indrelid AND con.contype IN ('p', 'u', 'x'))
"""

_UNIQUE_CONSTRAINTS_SQL = """
SELECT c.relname AS table_name, con.conname AS name
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = :schema AND con.contype IN ('u', 'x', 'c')
"""

_FOREIGN_KEYS_SQL = """
SELECT c.relname AS table_name, con.conname AS name, rc.relname AS ref_table,
       con.confdeltype AS on_delete, con.confupdtype AS on_update,
       array(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
             ORDER BY k.ord)::text[] AS columns,
       array(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum
             ORDER BY k.ord)::text[] AS ref_columns
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_class rc ON rc.oid = con.confrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = :schema AND con.contype = 'f'
"""

_ENUMS_SQL = """
SELECT t.typname AS name, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS labels
FROM pg_type t
JOIN pg_enum e ON e.enumtypid = t.oid
JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE n.nspname = :schema
GROUP BY t.typname
"""


def _empty_table() -> dict[str, Any]:
    return {
        "columns": [],
        "primary_key": None,
        "unique_indexes": [],
        "indexes": [],
        "foreign_keys": [],
        "unique_constraints": [],
    }


def from_database(
    connection: Connection, schema: str = "public", *, include_foreign: bool = False
) -> Catalog:
    """Read the live catalog of `schema` from ``pg_catalog``.

    Tables of other tools (``alembic_version``, ``_prisma_migrations``) are left out
    unless `include_foreign` is true.
    """
    params = {"schema": schema}
    tables: dict[str, dict[str, Any]] = {}

    def table(name: str) -> dict[str, Any] | None:
        if name in FOREIGN_TABLES and not include_foreign:
            return None
        return tables.setdefault(name, _empty_table())

    for row in connection.execute(text(_COLUMNS_SQL), params).mappings():
        entry = table(row["table_name"])
        if entry is not None:
            entry["columns"].append(
                {
                    "name": row["column_name"],
                    "type": row["column_type"],
                    "nullable": row["nullable"],
                    "default": row["column_default"],
                }
            )
    for row in connection.execute(text(_PRIMARY_KEYS_SQL), params).mappings():
        entry = table(row["table_name"])
        if entry is not None:
            entry["primary_key"] = {"name": row["name"], "columns": list(row["columns"])}
    for row in connection.execute(text(_INDEXES_SQL), params).mappings():
        entry = table(row["table_name"])
        if entry is not None:
            key = "unique_indexes" if row["is_unique"] else "indexes"
            entry[key].append({"name": row["name"], "columns": list(row["columns"])})
    for row in connection.execute(text(_UNIQUE_CONSTRAINTS_SQL), params).mappings():
        entry = table(row["table_name"])
        if entry is not None:
            entry["unique_constraints"].append(row["name"])
    for row in connection.execute(text(_FOREIGN_KEYS_SQL), params).mappings():
        entry = table(row["table_name"])
        if entry is not None:
            entry["foreign_keys"].append(
                {
                    "name": row["name"],
                    "columns": list(row["columns"]),
                    "ref_table": row["ref_table"],
                    "ref_columns": list(row["ref_columns"]),
                    "on_delete": _FK_ACTIONS[row["on_delete"]],
                    "on_update": _FK_ACTIONS[row["on_update"]],
                }
            )
    enums = {
        row["name"]: list(row["labels"])
        for row in connection.execute(text(_ENUMS_SQL), params).mappings()
    }
    return {"enums": enums, "tables": tables}


# ---------------------------------------------------------------------------
# Rendering the models


def _format_type(column_type: Any) -> str:
    """What ``format_type()`` prints for a column of this SQLAlchemy type."""
    dialect = postgresql.dialect()  # type: ignore[no-untyped-call]
    if isinstance(column_type, sqltypes.Enum) and column_type.name:
        name = column_type.name
        return f'"{name}"' if name != name.lower() else name
    if isinstance(column_type, postgresql.ARRAY):
        return _format_type(column_type.item_type) + "[]"
    compiled: str = column_type.compile(dialect=dialect).lower()
    compiled = compiled.replace(", ", ",")
    replacements = {
        "char(": "character(",
        "varchar(": "character varying(",
        "timestamp(3) with time zone": "timestamp(3) with time zone",
        "timestamp with time zone": "timestamp with time zone",
    }
    for old, new in replacements.items():
        if compiled.startswith(old):
            compiled = new + compiled[len(old) :]
    return compiled


def _server_default(column: Any) -> str | None:
    server_default = column.server_default
    if server_default is None:
        return None
    argument = server_default.arg
    if isinstance(argument, TextClause):
        return str(argument.text)
    return f"'{argument}'::text" if isinstance(argument, str) else str(argument)


def _app_default(column: Any) -> str | None:
    """The application-supplied default, named as the spec names it."""
    from gxschema.cuid import cuid
    from gxschema.models.base import new_uuid, utcnow

    default = getattr(column.default, "arg", None)
    if default is None:
        return None
    function = getattr(default, "__wrapped__", default)
    named = {new_uuid: "uuid()", cuid: "cuid()", utcnow: "updatedAt"}
    for candidate, name in named.items():
        if function is candidate or getattr(function, "__name__", None) == candidate.__name__:
            return name
    return "python"


def table_from_model(table: Table) -> dict[str, Any]:
    """Render one SQLAlchemy `Table` as a catalog entry."""
    entry = _empty_table()
    for column in table.columns:
        rendered: dict[str, Any] = {
            "name": column.name,
            "type": _format_type(column.type),
            "nullable": bool(column.nullable),
            "default": _server_default(column),
        }
        app_default = _app_default(column)
        if app_default is not None:
            rendered["app_default"] = app_default
        entry["columns"].append(rendered)
    primary_key = table.primary_key
    entry["primary_key"] = {
        "name": primary_key.name,
        "columns": [column.name for column in primary_key.columns],
    }
    for index in table.indexes:
        key = "unique_indexes" if index.unique else "indexes"
        entry[key].append(
            {"name": index.name, "columns": [column.name for column in index.columns]}
        )
    for constraint in table.foreign_key_constraints:
        elements = list(constraint.elements)
        entry["foreign_keys"].append(
            {
                "name": constraint.name,
                "columns": [element.parent.name for element in elements],
                "ref_table": elements[0].column.table.name,
                "ref_columns": [element.column.name for element in elements],
                "on_delete": (constraint.ondelete or "NO ACTION").upper(),
                "on_update": (constraint.onupdate or "NO ACTION").upper(),
            }
        )
    return entry


def from_metadata(metadata: MetaData) -> Catalog:
    """Render every table of `metadata`, and the enum types its columns use."""
    enums: dict[str, list[str]] = {}
    tables: dict[str, dict[str, Any]] = {}
    for table in metadata.sorted_tables:
        tables[table.name] = table_from_model(table)
        for column in table.columns:
            if isinstance(column.type, sqltypes.Enum) and column.type.name:
                enums[column.type.name] = list(column.type.enums)
    return {"enums": enums, "tables": tables}


def from_models() -> Catalog:
    """The catalog the package's models describe: what `head` should look like."""
    from gxschema.models import enums as model_enums
    from gxschema.models import metadata

    catalog = from_metadata(metadata)
    # Keep the enums in the order the migrations create them.
    catalog["enums"] = {
        enum_class.__name__: [member.value for member in enum_class]
        for enum_class in model_enums.ALL_ENUMS
    }
    return catalog


def for_revision(revision: str) -> Catalog:
    """The catalog as it stands after `revision` (a snapshot shipped with the package).

    Each released revision has one; a released revision never changes, so neither
    does its snapshot. A test keeps the newest one equal to the models.
    """
    resource = resources.files("gxschema").joinpath("catalogs", f"{revision}.json")
    if not resource.is_file():
        raise KeyError(f"no catalog snapshot for revision {revision!r}")
    loaded: Catalog = json.loads(resource.read_text(encoding="utf-8"))
    return loaded


# ---------------------------------------------------------------------------
# Comparing


@dataclass(frozen=True)
class Difference:
    """One way in which the actual catalog differs from the expected one."""

    kind: str  # missing, extra, changed
    subject: str  # e.g. 'index "UserProfile_email_key"'
    detail: str = ""

    def __str__(self) -> str:
        text_ = f"{self.kind} {self.subject}"
        return f"{text_}: {self.detail}" if self.detail else text_

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "subject": self.subject, "detail": self.detail}


def _by_name(items: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["name"]: item for item in items}


def _diff_named(
    kind: str, table: str, expected: list[dict[str, Any]], actual: list[dict[str, Any]]
) -> list[Difference]:
    differences: list[Difference] = []
    want, have = _by_name(expected), _by_name(actual)
    for name in want.keys() - have.keys():
        columns = ", ".join(want[name]["columns"])
        differences.append(Difference("missing", f'{kind} "{name}" on "{table}" ({columns})'))
    for name in have.keys() - want.keys():
        columns = ", ".join(have[name]["columns"])
        differences.append(Difference("extra", f'{kind} "{name}" on "{table}" ({columns})'))
    for name in want.keys() & have.keys():
        for field in ("columns", "ref_table", "ref_columns", "on_delete", "on_update"):
            if field in want[name] and want[name][field] != have[name].get(field):
                differences.append(
                    Difference(
                        "changed",
                        f'{kind} "{name}" on "{table}"',
                        f"{field} {have[name].get(field)!r}, expected {want[name][field]!r}",
                    )
                )
    return differences


def diff(expected: Catalog, actual: Catalog) -> list[Difference]:
    """Every difference of `actual` from `expected`, sorted for stable output."""
    differences: list[Difference] = []
    for name, labels in expected["enums"].items():
        have = actual["enums"].get(name)
        if have is None:
            differences.append(Difference("missing", f'enum "{name}"'))
        elif have != labels:
            missing = [label for label in labels if label not in have]
            extra = [label for label in have if label not in labels]
            detail = []
            if missing:
                detail.append("missing values " + ", ".join(missing))
            if extra:
                detail.append("extra values " + ", ".join(extra))
            if not detail:
                detail.append(f"values in order {have}, expected {labels}")
            differences.append(Difference("changed", f'enum "{name}"', "; ".join(detail)))
    for name in actual["enums"].keys() - expected["enums"].keys():
        differences.append(Difference("extra", f'enum "{name}"'))

    for name, want in expected["tables"].items():
        have = actual["tables"].get(name)
        if have is None:
            differences.append(Difference("missing", f'table "{name}"'))
            continue
        differences.extend(_diff_table(name, want, have))
    for name in actual["tables"].keys() - expected["tables"].keys():
        differences.append(Difference("extra", f'table "{name}"'))
    return sorted(differences, key=lambda d: (d.subject, d.kind, d.detail))


def _diff_table(name: str, want: dict[str, Any], have: dict[str, Any]) -> list[Difference]:
    differences: list[Difference] = []
    want_columns, have_columns = _by_name(want["columns"]), _by_name(have["columns"])
    for column in want_columns.keys() - have_columns.keys():
        differences.append(Difference("missing", f'column "{name}"."{column}"'))
    for column in have_columns.keys() - want_columns.keys():
        differences.append(Difference("extra", f'column "{name}"."{column}"'))
    for column in want_columns.keys() & have_columns.keys():
        expected_column, actual_column = want_columns[column], have_columns[column]
        for field in ("type", "nullable", "default"):
            if expected_column[field] != actual_column[field]:
                differences.append(
                    Difference(
                        "changed",
                        f'column "{name}"."{column}"',
                        f"{field} {actual_column[field]!r}, expected {expected_column[field]!r}",
                    )
                )
    common = [c for c in want_columns if c in have_columns]
    if not differences and [c for c in have_columns if c in want_columns] != common:
        differences.append(Difference("changed", f'table "{name}"', "column order differs"))

    if want["primary_key"] != have["primary_key"]:
        differences.append(
            Difference(
                "changed",
                f'primary key of "{name}"',
                f"{have['primary_key']!r}, expected {want['primary_key']!r}",
            )
        )
    differences.extend(
        _diff_named("unique index", name, want["unique_indexes"], have["unique_indexes"])
    )
    differences.extend(_diff_named("index", name, want["indexes"], have["indexes"]))
    differences.extend(_diff_named("foreign key", name, want["foreign_keys"], have["foreign_keys"]))
    for constraint in have.get("unique_constraints", []):
        if constraint not in want.get("unique_constraints", []):
            differences.append(Difference("extra", f'constraint "{constraint}" on "{name}"'))
    return differences
