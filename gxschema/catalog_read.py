"""Reading a catalog from ``pg_catalog`` (never from the models).

Expressions are read as PostgreSQL deparses them (``pg_get_indexdef``,
``pg_get_expr``, ``pg_get_constraintdef``): that text is the canonical form the
models' expressions are brought to as well (see `gxschema.catalog_canonical`).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import Connection, text

from gxschema.catalog_compare import Catalog, empty_table

_FK_ACTIONS = {
    "a": "NO ACTION",
    "r": "RESTRICT",
    "c": "CASCADE",
    "n": "SET NULL",
    "d": "SET DEFAULT",
}

_IDENTITY = {"a": "always", "d": "by default"}

# A generated column keeps its expression in pg_attrdef too: that is not a default.
# A column's collation is recorded only when it is not its type's default.
_COLUMNS_SQL = """
SELECT c.relname AS table_name, a.attname AS column_name,
       format_type(a.atttypid, a.atttypmod) AS column_type,
       NOT a.attnotnull AS nullable,
       CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, d.adrelid) END AS column_default,
       CASE WHEN a.attgenerated <> '' THEN pg_get_expr(d.adbin, d.adrelid, true) END
           AS generated,
       a.attidentity AS identity,
       col_description(c.oid, a.attnum) AS comment,
       CASE WHEN a.attcollation <> ty.typcollation THEN co.collname::text END AS collation
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_type ty ON ty.oid = a.atttypid
LEFT JOIN pg_collation co ON co.oid = a.attcollation
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE n.nspname = :schema AND c.relkind IN ('r', 'p')
  AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY c.relname, a.attnum
"""

_TABLE_COMMENTS_SQL = """
SELECT c.relname AS table_name, obj_description(c.oid, 'pg_class') AS comment
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = :schema AND c.relkind IN ('r', 'p')
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
# `keys` are the key columns by name, or expressions in parentheses, each followed by
# its operator class and its ordering when not the default (indoption bit 0: DESC,
# bit 1: NULLS FIRST); `include` the INCLUDE columns; `predicate` the WHERE of a partial
# index; `valid` is false for an index a CREATE INDEX CONCURRENTLY left unfinished.
_INDEXES_SQL = """
SELECT t.relname AS table_name, i.relname AS name, x.indisunique AS is_unique,
       am.amname AS method,
       array(SELECT a.attname FROM unnest(x.indkey) WITH ORDINALITY AS k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
             ORDER BY k.ord)::text[] AS columns,
       array(SELECT CASE WHEN k.attnum = 0
                         THEN '(' || pg_get_indexdef(x.indexrelid, k.ord::int, true) || ')'
                         ELSE (SELECT a.attname FROM pg_attribute a
                               WHERE a.attrelid = x.indrelid AND a.attnum = k.attnum)::text
                    END
                    || (SELECT CASE WHEN opc.opcdefault THEN '' ELSE ' ' || quote_ident(opc.opcname)
                               END FROM pg_opclass opc
                        WHERE opc.oid = x.indclass[(k.ord - 1)::int])
                    || CASE WHEN NOT pg_indexam_has_property(am.oid, 'can_order') THEN ''
                            WHEN x.indoption[(k.ord - 1)::int] & 1 <> 0
                            THEN CASE WHEN x.indoption[(k.ord - 1)::int] & 2 <> 0 THEN ' DESC'
                                      ELSE ' DESC NULLS LAST' END
                            WHEN x.indoption[(k.ord - 1)::int] & 2 <> 0 THEN ' NULLS FIRST'
                            ELSE '' END
             FROM unnest(x.indkey) WITH ORDINALITY AS k(attnum, ord)
             WHERE k.ord <= x.indnkeyatts ORDER BY k.ord)::text[] AS keys,
       array(SELECT a.attname FROM unnest(x.indkey) WITH ORDINALITY AS k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
             WHERE k.ord > x.indnkeyatts ORDER BY k.ord)::text[] AS include,
       pg_get_expr(x.indpred, x.indrelid, true) AS predicate,
       x.indisvalid AS valid
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_class t ON t.oid = x.indrelid
JOIN pg_am am ON am.oid = i.relam
JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE n.nspname = :schema AND t.relkind IN ('r', 'p')
  AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = x.indexrelid
                  AND con.conrelid = x.indrelid AND con.contype IN ('p', 'u', 'x'))
"""

_CONSTRAINTS_SQL = """
SELECT c.relname AS table_name, con.conname AS name, con.contype AS kind,
       pg_get_constraintdef(con.oid, true) AS definition
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


def read(connection: Connection, schema: str, skip: Collection[str] = ()) -> Catalog:
    """The catalog of `schema`, leaving out the tables named in `skip`."""
    params = {"schema": schema}
    tables: dict[str, dict[str, Any]] = {}

    def rows(sql: str) -> Any:
        for row in connection.execute(text(sql), params).mappings():
            if row["table_name"] not in skip:
                yield tables.setdefault(row["table_name"], _new_table()), row

    for entry, row in rows(_COLUMNS_SQL):
        entry["columns"].append(
            {
                "name": row["column_name"],
                "type": row["column_type"],
                "nullable": row["nullable"],
                "default": row["column_default"],
            }
        )
        entry["column_details"][row["column_name"]] = {
            "comment": row["comment"],
            "identity": _IDENTITY.get(row["identity"]),
            "generated": row["generated"],
            "collation": row["collation"],
        }
    for entry, row in rows(_TABLE_COMMENTS_SQL):
        entry["comment"] = row["comment"]
    for entry, row in rows(_PRIMARY_KEYS_SQL):
        entry["primary_key"] = {"name": row["name"], "columns": list(row["columns"])}
    for entry, row in rows(_INDEXES_SQL):
        entry["unique_indexes" if row["is_unique"] else "indexes"].append(
            {
                "name": row["name"],
                "columns": list(row["columns"]),
                "method": row["method"],
                "keys": list(row["keys"]),
                "include": list(row["include"]),
                "predicate": row["predicate"],
                "valid": row["valid"],
            }
        )
    for entry, row in rows(_CONSTRAINTS_SQL):
        if row["kind"] == "c":
            entry["check_constraints"][row["name"]] = row["definition"]
        else:
            entry["unique_constraints"].append(row["name"])
    for entry, row in rows(_FOREIGN_KEYS_SQL):
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


def _new_table() -> dict[str, Any]:
    return {**empty_table(), "comment": None, "column_details": {}, "check_constraints": {}}
