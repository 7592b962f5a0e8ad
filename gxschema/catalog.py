"""The schema as data: read from PostgreSQL's catalog or rendered from the models, and compared.

A *catalog* is a plain dict in the shape of ``schema.json`` (see ``docs/schema-notes.md``)::

    {"enums": {"Name": ["VALUE", ...]},
     "tables": {"Table": {"columns": [...], "primary_key": {...}, "unique_indexes": [...],
                          "indexes": [...], "foreign_keys": [...]}}}

`from_database` reads it from ``pg_catalog`` (never from the models), `from_models`
renders it from SQLAlchemy tables, and `diff` lists every difference between two of
them as one line each that names the object. `gxschema verify`, `deploy`, `adopt` and
the tests all stand on these functions.

What a full catalog records besides the spec's keys (both readers write all of it):

- each index's ``method`` (btree, gin, hash...), ``keys`` (column names, or
  expressions in parentheses, with DESC / NULLS FIRST / NULLS LAST when not the
  default), ``include`` columns and partial ``predicate``; uniqueness is which list
  the index is in;
- ``check_constraints`` by name with their definition, apart from
  ``unique_constraints`` (which once held them too, so an extra CHECK was reported
  as a unique constraint and a missing one never);
- the table's ``comment`` and, in ``column_details`` (kept out of ``columns``, whose
  entries stay exactly the spec's), each column's comment, identity, generation and
  collation (when not its type's default).

One comparison, not two: the snapshots of ``gxschema/catalogs/`` and the spec predate
these keys and never change, so `diff` reads a key absent from the *expected* catalog
as its only value at that time (plain ascending btree, no CHECK, no identity or
generated column) or, for comments, which a snapshot cannot know, as "not compared".
The rule lives in `gxschema.catalog_compare`.

Expressions are compared in PostgreSQL's own deparsed text: the models' text is
rewritten by the server first (`canonicalise`, see `gxschema.catalog_canonical` for
why this and not normalisation in Python). `gxschema.drift.check` is the whole gate
(models, canonicalised, against the live database, plus grants and row-level security).

Alembic's ``compare_metadata`` (``alembic check``) is not run as part of it: it
compares a subset of the same things from the same models (tables, columns, types,
server defaults, nullability, comments, indexes and unique constraints by name and
columns, foreign keys), and reports drift as operations to generate, not one line per
object. ``tests/schema/test_verify_drift.py`` applies a set of drifts and shows that every
one ``compare_metadata`` reports, this diff reports too, naming the same object, and
that this diff reports drifts it does not see (partial-index predicates, CHECKs, grants).
"""

from __future__ import annotations

from sqlalchemy import Connection

from gxschema.catalog_canonical import canonicalise
from gxschema.catalog_compare import Catalog, Difference, diff
from gxschema.catalog_models import for_revision, from_metadata, from_models, table_from_model
from gxschema.catalog_read import read

__all__ = [
    "FOREIGN_TABLES",
    "Catalog",
    "Difference",
    "canonicalise",
    "diff",
    "for_revision",
    "from_database",
    "from_metadata",
    "from_models",
    "table_from_model",
]

# Tables that live in the same database but belong to other tools.
FOREIGN_TABLES = frozenset(
    {
        "alembic_version",
        "_prisma_migrations",
        "gxschema_backfill_progress",  # gxschema.backfill's cursors, created on first use
    }
)


def from_database(
    connection: Connection, schema: str = "public", *, include_foreign: bool = False
) -> Catalog:
    """Read the live catalog of `schema` from ``pg_catalog``.

    Tables of other tools (`FOREIGN_TABLES`) are left out unless `include_foreign` is true.
    """
    return read(connection, schema, skip=() if include_foreign else FOREIGN_TABLES)
