"""Bulk-load the way pg_restore does: rows first, then indexes and keys, in one transaction.

Inserting a row into a table with six B-tree indexes costs PostgreSQL far more than
the COPY of the row itself (on the development server, ten times more for
``Transaction``: each index insert is a random descent comparing text keys), and a
foreign key adds a lookup per row. Building an index from sorted rows afterwards, and
checking a foreign key with one join, is several times cheaper.

`drop` saves the exact definitions (``pg_get_indexdef``, ``pg_get_constraintdef``,
and any comment) of every index and key of the given tables, and of foreign keys that
point at them, then drops them; `restore` creates them again, identical, so
``gxschema verify`` sees the same schema. Every constraint is still checked by
PostgreSQL when it is created: a duplicate fails the unique index build, a dangling
reference fails the foreign key. Both run inside the caller's transaction, so a
failure rolls everything back. The price: the tables are locked (ACCESS EXCLUSIVE)
until the transaction ends, so no one else can read them during the load.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, text

from gxschema.identifiers import literal, quote


@dataclass(frozen=True)
class Saved:
    """A dropped object: what drops it, what creates it again, and its comment."""

    table: str
    name: str
    kind: str
    """``pkey`` (primary key or unique constraint), ``index``, or ``fkey``."""
    create: str
    drop: str
    comment: str | None


def save(connection: Connection, tables: Sequence[str]) -> list[Saved]:
    """The indexes and keys of `tables` (and foreign keys into them), in drop order."""
    names = list(tables)
    saved: list[Saved] = []
    foreign = connection.execute(
        text(
            """SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid),
                      obj_description(c.oid, 'pg_constraint')
               FROM pg_constraint c
               WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace
                 AND (c.conrelid::regclass::text IN :tables
                      OR c.confrelid::regclass::text IN :tables)
               ORDER BY 1, 2"""
        ).bindparams(bindparam("tables", expanding=True)),
        {"tables": [quote(name) for name in names]},
    ).all()
    for table, name, definition, comment in foreign:
        saved.append(_constraint(str(table), str(name), str(definition), comment, "fkey"))
    keys = connection.execute(
        text(
            """SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid),
                      obj_description(c.oid, 'pg_constraint')
               FROM pg_constraint c
               WHERE c.contype IN ('p', 'u') AND c.conrelid::regclass::text IN :tables
               ORDER BY 1, 2"""
        ).bindparams(bindparam("tables", expanding=True)),
        {"tables": [quote(name) for name in names]},
    ).all()
    for table, name, definition, comment in keys:
        saved.append(_constraint(str(table), str(name), str(definition), comment, "pkey"))
    indexes = connection.execute(
        text(
            """SELECT i.indrelid::regclass::text, ci.relname, pg_get_indexdef(i.indexrelid),
                      obj_description(i.indexrelid, 'pg_class')
               FROM pg_index i JOIN pg_class ci ON ci.oid = i.indexrelid
               WHERE i.indrelid::regclass::text IN :tables
                 AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid
                                 AND c.contype IN ('p', 'u', 'x'))
               ORDER BY 1, 2"""
        ).bindparams(bindparam("tables", expanding=True)),
        {"tables": [quote(name) for name in names]},
    ).all()
    for table, name, definition, comment in indexes:
        saved.append(
            Saved(
                table=str(table).strip('"'),
                name=str(name),
                kind="index",
                create=str(definition),
                drop=f"DROP INDEX {quote(str(name))}",
                comment=None
                if comment is None
                else f"COMMENT ON INDEX {quote(str(name))} IS {literal(str(comment))}",
            )
        )
    return saved


def _constraint(table: str, name: str, definition: str, comment: str | None, kind: str) -> Saved:
    return Saved(
        table=table.strip('"'),
        name=name,
        kind=kind,
        create=f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}",
        drop=f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}",
        comment=None
        if comment is None
        else f"COMMENT ON CONSTRAINT {quote(name)} ON {table} IS {literal(comment)}",
    )


def drop(connection: Connection, saved: Sequence[Saved]) -> None:
    """Drop what `save` found (foreign keys, then keys, then the other indexes)."""
    for item in saved:
        connection.execute(text(item.drop))


def restore(
    connection: Connection,
    saved: Sequence[Saved],
    on_done: Callable[[Saved], None] | None = None,
) -> None:
    """Create everything again: keys and indexes table by table, then foreign keys."""
    for table in dict.fromkeys(item.table for item in saved if item.kind != "fkey"):
        restore_table(connection, saved, table, on_done)
    restore_foreign_keys(connection, saved, on_done)


def restore_table(
    connection: Connection,
    saved: Sequence[Saved],
    table: str,
    on_done: Callable[[Saved], None] | None = None,
) -> None:
    """Create the keys and indexes of one table again (not its foreign keys)."""
    _create(
        connection, [item for item in saved if item.kind != "fkey" and item.table == table], on_done
    )


def restore_foreign_keys(
    connection: Connection,
    saved: Sequence[Saved],
    on_done: Callable[[Saved], None] | None = None,
) -> None:
    """Create the foreign keys again (once every table they join has its keys)."""
    _create(connection, [item for item in saved if item.kind == "fkey"], on_done)


def _create(
    connection: Connection, items: Sequence[Saved], on_done: Callable[[Saved], None] | None
) -> None:
    for item in items:
        connection.execute(text(item.create))
        if item.comment:
            connection.execute(text(item.comment))
        if on_done is not None:
            on_done(item)
