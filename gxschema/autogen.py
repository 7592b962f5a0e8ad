"""Autogenerate that writes online revisions: what `alembic revision --autogenerate` emits.

Alembic compares the models with a database and writes plain DDL: ``CREATE INDEX``,
``ADD CONSTRAINT ... FOREIGN KEY``, ``SET NOT NULL``. On the production tables
those statements hold a lock that stops the services' writes for as long as the
build, the validation scan or the NOT NULL scan lasts. `process_revision_directives`
(wired into ``alembic/env.py``) rewrites them before the file is written, into the
operations of `gxschema.online`:

==========================================  ============================================
autogenerate found                          the revision calls
==========================================  ============================================
a new index on an existing table            ``online.create_index_concurrently``
an index dropped from an existing table     ``online.drop_index_concurrently``
a new foreign key on an existing table      ``online.add_foreign_key_not_valid``, and
                                            ``VALIDATE CONSTRAINT`` in a revision of its own
                                            written after it
NOT NULL added to an existing column        ``online.set_not_null_via_check``
==========================================  ============================================

A table the revision creates (or drops) is empty (or going away), so its indexes and
keys stay plain ``op`` calls: there is nothing to scan and nobody to block. The same
rules apply to the downgrade, which Alembic derives from the upgrade before this hook
runs. The concurrent index operations move to the top of each function, so the rest
stays atomic with the revision's ``alembic_version`` stamp, as squawk checks. Each
rewritten operation is a subclass of the Alembic operation it replaces, so
``alembic check`` still reports the difference by the same name.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any
from uuid import uuid4

from alembic.autogenerate import renderers
from alembic.autogenerate.api import AutogenContext
from alembic.autogenerate.rewriter import Rewriter
from alembic.operations import ops
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column
from sqlalchemy.dialects import postgresql
from sqlalchemy.sql.elements import ClauseElement

from gxschema.identifiers import quote

ONLINE_IMPORT = "from gxschema import online"


class CreateIndexConcurrentlyOp(ops.CreateIndexOp):
    """A new index on a table that already holds rows: built without blocking writes."""

    @classmethod
    def replacing(cls, op: ops.CreateIndexOp) -> CreateIndexConcurrentlyOp:
        return cls(
            op.index_name,
            op.table_name,
            op.columns,
            schema=op.schema,
            unique=op.unique,
            if_not_exists=op.if_not_exists,
            **op.kw,
        )


class DropIndexConcurrentlyOp(ops.DropIndexOp):
    """An index dropped from a table that stays: dropped without blocking reads or writes."""

    @classmethod
    def replacing(cls, op: ops.DropIndexOp) -> DropIndexConcurrentlyOp:
        return cls(
            op.index_name,
            op.table_name,
            schema=op.schema,
            if_exists=op.if_exists,
            _reverse=op._reverse,
            **op.kw,
        )


class AddForeignKeyNotValidOp(ops.CreateForeignKeyOp):
    """A foreign key added NOT VALID: checks new rows at once, scans no existing row."""

    @classmethod
    def replacing(cls, op: ops.CreateForeignKeyOp) -> AddForeignKeyNotValidOp:
        return cls(
            op.constraint_name,
            op.source_table,
            op.referent_table,
            op.local_cols,
            op.remote_cols,
            **op.kw,
        )


class ValidateConstraintOp(ops.MigrateOperation):
    """VALIDATE CONSTRAINT: the scan, under a lock that lets writers through."""

    def __init__(self, table_name: str, constraint_name: str) -> None:
        self.table_name = table_name
        self.constraint_name = constraint_name

    def to_diff_tuple(self) -> tuple[Any, ...]:
        return ("validate_constraint", self.table_name, self.constraint_name)

    def reverse(self) -> ops.MigrateOperation:  # validating again has nothing to undo
        return self


class SetNotNullViaCheckOp(ops.AlterColumnOp):
    """SET NOT NULL proved by a validated CHECK first, so PostgreSQL skips its own scan."""

    @classmethod
    def replacing(cls, op: ops.AlterColumnOp) -> SetNotNullViaCheckOp:
        return cls(
            op.table_name,
            op.column_name,
            schema=op.schema,
            existing_type=op.existing_type,
            existing_nullable=True,
            modify_nullable=False,
        )


def _new_or_dropped_tables(directives: Sequence[ops.MigrationScript]) -> frozenset[str]:
    """Tables that the revision creates or drops, in either direction."""
    found: set[str] = set()
    for script in directives:
        for container in (*script.upgrade_ops_list, *script.downgrade_ops_list):
            for op in _walk(container.ops):
                if isinstance(op, ops.CreateTableOp | ops.DropTableOp):
                    found.add(op.table_name)
    return frozenset(found)


def _walk(operations: Iterable[ops.MigrateOperation]) -> Iterator[ops.MigrateOperation]:
    for op in operations:
        if isinstance(op, ops.OpContainer):
            yield from _walk(op.ops)
        else:
            yield op


def _index_is_supported(op: ops.CreateIndexOp) -> bool:
    """The online operation takes columns by name, WHERE and USING; nothing else.

    An index on expressions, or with INCLUDE or operator classes, stays a plain
    ``op.create_index``: squawk then names it, and its author writes the concurrent
    build by hand (docs/writing-migrations.md).
    """
    supported = {"postgresql_where", "postgresql_using"}
    plain_columns = all(isinstance(column, Column | str) for column in op.columns)
    return plain_columns and all(value is None or key in supported for key, value in op.kw.items())


def _rewriter(new_or_dropped: frozenset[str]) -> Rewriter:
    """The rewrites, for a revision that creates or drops `new_or_dropped`."""
    writer = Rewriter()

    def create_index(
        context: MigrationContext, revision: Any, op: ops.CreateIndexOp
    ) -> ops.MigrateOperation:
        if op.table_name in new_or_dropped or not _index_is_supported(op):
            return op
        return CreateIndexConcurrentlyOp.replacing(op)

    def drop_index(
        context: MigrationContext, revision: Any, op: ops.DropIndexOp
    ) -> ops.MigrateOperation:
        if op.table_name is None or op.table_name in new_or_dropped:
            return op
        return DropIndexConcurrentlyOp.replacing(op)

    def add_foreign_key(
        context: MigrationContext, revision: Any, op: ops.CreateForeignKeyOp
    ) -> list[ops.MigrateOperation]:
        # Without a name there is nothing to VALIDATE later: left as is, squawk names it.
        if op.source_table in new_or_dropped or not op.constraint_name:
            return [op]
        name = str(op.constraint_name)
        return [
            AddForeignKeyNotValidOp.replacing(op),
            ValidateConstraintOp(op.source_table, name),
        ]

    def alter_column(
        context: MigrationContext, revision: Any, op: ops.AlterColumnOp
    ) -> list[ops.MigrateOperation]:
        if op.modify_nullable is not False or op.table_name in new_or_dropped:
            return [op]
        not_null = SetNotNullViaCheckOp.replacing(op)
        op.modify_nullable = None  # the rest of the change (type, default, comment) stays
        rest_changes = (
            op.modify_type is not None
            or op.modify_server_default is not False
            or op.modify_comment is not False
            or op.modify_name is not None
        )
        return [op, not_null] if rest_changes else [not_null]

    writer.rewrites(ops.CreateIndexOp)(create_index)
    writer.rewrites(ops.DropIndexOp)(drop_index)
    writer.rewrites(ops.CreateForeignKeyOp)(add_foreign_key)
    writer.rewrites(ops.AlterColumnOp)(alter_column)
    return writer


def process_revision_directives(
    context: MigrationContext, revision: Any, directives: list[ops.MigrationScript]
) -> None:
    """The hook for ``context.configure(process_revision_directives=...)``."""
    _rewriter(_new_or_dropped_tables(directives))(context, revision, directives)
    for script in directives:
        for container in (*script.upgrade_ops_list, *script.downgrade_ops_list):
            _concurrent_indexes_first(container)
    validations = [
        op
        for script in directives
        for container in script.upgrade_ops_list
        for op in _take(container, ValidateConstraintOp)
    ]
    if validations and directives:
        directives.append(_validation_revision(directives[-1], validations))


def _take(container: ops.OpContainer, kind: Any) -> list[Any]:
    """Remove the operations of `kind` from `container` (at any depth) and return them."""
    taken = [op for op in container.ops if isinstance(op, kind)]
    kept = [op for op in container.ops if not isinstance(op, kind)]
    for op in kept:
        if isinstance(op, ops.OpContainer):
            taken += _take(op, kind)
    container.ops = [op for op in kept if not (isinstance(op, ops.OpContainer) and not op.ops)]
    return taken


def _concurrent_indexes_first(container: ops.OpContainer) -> None:
    """Move the concurrent index builds and drops ahead of the transactional changes.

    They run outside the revision's transaction, committing what came before them;
    first, they leave the rest of the revision atomic with its ``alembic_version``
    stamp, and a rerun after a failure finds them done (`online` is idempotent). An
    index on a column the same revision adds to its table stays where it is.
    """
    adding_columns = {
        op.table_name for op in _walk(container.ops) if isinstance(op, ops.AddColumnOp)
    }
    early: list[ops.MigrateOperation] = []
    for table_ops in container.ops:
        if isinstance(table_ops, ops.ModifyTableOps) and table_ops.table_name not in adding_columns:
            moved = _take(table_ops, CreateIndexConcurrentlyOp | DropIndexConcurrentlyOp)
            if moved:
                early.append(
                    ops.ModifyTableOps(table_ops.table_name, moved, schema=table_ops.schema)
                )
    remaining = [op for op in container.ops if not (isinstance(op, ops.OpContainer) and not op.ops)]
    container.ops = early + remaining


def _validation_revision(
    previous: ops.MigrationScript, validations: list[ValidateConstraintOp]
) -> ops.MigrationScript:
    """A revision of its own for VALIDATE CONSTRAINT, after the one that adds them NOT VALID.

    The revision that adds a key NOT VALID commits (releasing the ADD's lock) before
    this one starts, so VALIDATE runs in a transaction holding only SHARE UPDATE
    EXCLUSIVE, which writers pass; a rerun validates again harmlessly. In one
    revision the VALIDATE would have to run outside the transaction that stamps the
    revision, which squawk's prefer-robust-stmts rightly reports as not rerunnable.
    """
    rev_id = previous.rev_id
    next_id = (
        str(int(rev_id) + 1).zfill(len(rev_id))
        if rev_id and rev_id.isdigit()
        else uuid4().hex[-12:]
    )
    names = ", ".join(op.constraint_name for op in validations)
    script = ops.MigrationScript(
        rev_id=next_id,
        upgrade_ops=ops.UpgradeOps(list(validations)),
        downgrade_ops=ops.DowngradeOps([]),
        message=f"validate {names}",
        head=previous.rev_id,
        version_path=previous.version_path,
    )
    script._needs_render = True
    return script


# ---------------------------------------------------------------------------
# Rendering: what the revision file says for each rewritten operation


def _sql(element: Any) -> str:
    """A partial index's WHERE clause as PostgreSQL text, without table prefixes."""
    if isinstance(element, ClauseElement):
        return str(
            element.compile(
                dialect=postgresql.dialect(),  # type: ignore[no-untyped-call]
                compile_kwargs={"literal_binds": True, "include_table": False},
            )
        )
    return str(element)


def _index_column(column: Any) -> str:
    """A column by its name (`_index_is_supported` let only names and Columns through)."""
    return column if isinstance(column, str) else str(column.name)


def _call(autogen_context: AutogenContext, function: str, *args: Any, **options: Any) -> str:
    autogen_context.imports.add(ONLINE_IMPORT)
    given = [repr(arg) for arg in args]
    given += [f"{key}={value!r}" for key, value in options.items() if value not in (None, False)]
    return f"online.{function}({', '.join(given)})"


def _render_create_index(autogen_context: AutogenContext, op: CreateIndexConcurrentlyOp) -> str:
    where = op.kw.get("postgresql_where")
    return _call(
        autogen_context,
        "create_index_concurrently",
        str(op.index_name),
        op.table_name,
        [_index_column(column) for column in op.columns],
        unique=op.unique,
        where=None if where is None else _sql(where),
        using=op.kw.get("postgresql_using"),
    )


def _render_drop_index(autogen_context: AutogenContext, op: DropIndexConcurrentlyOp) -> str:
    return _call(autogen_context, "drop_index_concurrently", str(op.index_name), op.table_name)


def _render_add_foreign_key(autogen_context: AutogenContext, op: AddForeignKeyNotValidOp) -> str:
    return _call(
        autogen_context,
        "add_foreign_key_not_valid",
        str(op.constraint_name),
        op.source_table,
        op.referent_table,
        list(op.local_cols),
        list(op.remote_cols),
        ondelete=op.kw.get("ondelete"),
        onupdate=op.kw.get("onupdate"),
    )


def _render_validate(autogen_context: AutogenContext, op: ValidateConstraintOp) -> str:
    # In the revision's own transaction (see `_validation_revision`), not in an
    # autocommit block as `online.validate_constraint` does.
    statement = (
        f"ALTER TABLE {quote(op.table_name)} VALIDATE CONSTRAINT {quote(op.constraint_name)}"
    )
    return f"op.execute({statement!r})"


def _render_set_not_null(autogen_context: AutogenContext, op: SetNotNullViaCheckOp) -> str:
    return _call(autogen_context, "set_not_null_via_check", op.table_name, op.column_name)


renderers.dispatch_for(CreateIndexConcurrentlyOp)(_render_create_index)
renderers.dispatch_for(DropIndexConcurrentlyOp)(_render_drop_index)
renderers.dispatch_for(AddForeignKeyNotValidOp)(_render_add_foreign_key)
renderers.dispatch_for(ValidateConstraintOp)(_render_validate)
renderers.dispatch_for(SetNotNullViaCheckOp)(_render_set_not_null)
