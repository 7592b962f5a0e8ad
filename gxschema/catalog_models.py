"""Rendering a catalog from the SQLAlchemy models, and the shipped snapshots.

Everything a model declares is rendered: besides the spec's columns, keys and
indexes, each index's method, keys, INCLUDE columns and predicate, the CHECK
constraints, the table and column comments, collations, identity and generated columns.

Column names and plain column keys come out exactly as the catalog reads them.
Expressions (expression keys, ordered keys, predicates, CHECKs, generation
expressions) come out in the models' own SQL text, which is not yet comparable with
what PostgreSQL deparses: `gxschema.catalog_canonical.canonicalise` lets the server
rewrite them before a comparison.
"""

from __future__ import annotations

import copy
import json
from importlib import resources
from typing import Any

from sqlalchemy import CheckConstraint, Column, Index, MetaData, Table
from sqlalchemy.dialects import postgresql
from sqlalchemy.sql import sqltypes
from sqlalchemy.sql.elements import ClauseElement, TextClause

from gxschema.catalog_compare import Catalog, empty_table

_DIALECT = postgresql.dialect()  # type: ignore[no-untyped-call]


def _format_type(column_type: Any) -> str:
    """What ``format_type()`` prints for a column of this SQLAlchemy type."""
    if getattr(column_type, "collation", None):  # format_type() leaves it out: compared apart
        column_type = copy.copy(column_type)
        column_type.collation = None
    if isinstance(column_type, sqltypes.Enum) and column_type.name:
        name = column_type.name
        return f'"{name}"' if name != name.lower() else name
    if isinstance(column_type, postgresql.ARRAY):
        return _format_type(column_type.item_type) + "[]"
    compiled: str = column_type.compile(dialect=_DIALECT).lower()
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
    if server_default is None or column.computed is not None or column.identity is not None:
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


def sql_text(clause: Any) -> str:
    """The model's SQL for an expression, as its DDL would write it (no table names)."""
    if isinstance(clause, str):
        return clause
    if isinstance(clause, ClauseElement):
        compiled = clause.compile(
            dialect=_DIALECT, compile_kwargs={"literal_binds": True, "include_table": False}
        )
        return str(compiled)
    return str(clause)


def needs_server(index: Index) -> bool:
    """Whether the index's keys, operator classes or predicate need the server's text."""
    options = index.dialect_options["postgresql"]
    if options.get("where") is not None or options.get("ops"):
        return True
    return not all(isinstance(expression, Column) for expression in index.expressions)


def _index(index: Index) -> dict[str, Any]:
    options = index.dialect_options["postgresql"]
    where = options.get("where")
    return {
        "name": index.name,
        "columns": [column.name for column in index.columns],
        "method": options.get("using") or "btree",
        "keys": [
            expression.name if isinstance(expression, Column) else f"({sql_text(expression)})"
            for expression in index.expressions
        ],
        "include": [getattr(c, "name", c) for c in options.get("include") or []],
        "predicate": None if where is None else sql_text(where),
    }


def check_name(constraint: CheckConstraint) -> str:
    """The constraint's name in the database, the metadata's naming convention applied."""
    name = _DIALECT.identifier_preparer.format_constraint(constraint)
    if not name:
        raise ValueError(f"a CHECK on {constraint.table.name!r} has no name")
    return name[1:-1].replace('""', '"') if name.startswith('"') else name


def _column_details(column: Any) -> dict[str, Any]:
    identity = column.identity
    computed = column.computed
    return {
        "comment": column.comment,
        "identity": None if identity is None else ("always" if identity.always else "by default"),
        "generated": None if computed is None else sql_text(computed.sqltext),
        "collation": getattr(column.type, "collation", None),
    }


def table_from_model(table: Table) -> dict[str, Any]:
    """Render one SQLAlchemy `Table` as a catalog entry."""
    entry = empty_table()
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
        entry["unique_indexes" if index.unique else "indexes"].append(_index(index))
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
    entry["check_constraints"] = {
        check_name(constraint): f"CHECK ({sql_text(constraint.sqltext)})"
        for constraint in table.constraints
        if isinstance(constraint, CheckConstraint)
    }
    entry["comment"] = table.comment
    entry["column_details"] = {column.name: _column_details(column) for column in table.columns}
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
    does its snapshot. A test keeps the newest one equal to the models. Snapshots
    record what revisions 0001-0005 define (no comments, no index details): see
    `gxschema.catalog_compare` for how they still compare with a full catalog.

    ``catalogs/revisions.json`` maps each revision to its snapshot file, named after
    the first revision that produced that catalog: a revision that leaves the catalog
    unchanged (roles, grants, comments) points at the same file rather than a copy.
    """
    snapshots = resources.files("gxschema").joinpath("catalogs")
    index: dict[str, str] = json.loads(
        snapshots.joinpath("revisions.json").read_text(encoding="utf-8")
    )
    if revision not in index:
        raise KeyError(f"no catalog snapshot for revision {revision!r}")
    loaded: Catalog = json.loads(snapshots.joinpath(index[revision]).read_text(encoding="utf-8"))
    return loaded
