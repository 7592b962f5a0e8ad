"""`apply`: write validated datasets in one transaction, idempotently.

Transactions: `apply` always works in one transaction of its own making, and the
database is exactly as before if anything fails:

- given an `Engine`, or a `Connection`/`Session` with no transaction in progress,
  `apply` begins a transaction, commits it on success and rolls it back on error;
- given a `Connection`/`Session` whose transaction the caller already began, it works
  inside a SAVEPOINT: on error the savepoint is rolled back and the error raised,
  on success the caller decides whether to commit.

A transaction-level advisory lock serialises concurrent seeders. A dry run only
reads (and, in a transaction of its own, runs it READ ONLY).

Per row: a row missing from the database is inserted; a row whose values equal the
file's is not touched (no UPDATE, so its xmin stays); a row that differs is updated,
except in operator-owned columns (see `TableRows.operator_columns`), whose database
value is kept and reported unless `overwrite`. Rows in the database that the file
does not list are never deleted. ``updatedAt`` is set on every row written.
A dataset whose checksum is not the last one recorded for its name is recorded in
``SeedDataset``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Connection, Engine, RowMapping, Table, func, insert, select, text, tuple_
from sqlalchemy import update as sql_update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from gxschema.locking import DBLocks
from gxschema.models import metadata
from gxschema.seeding.dataset import Dataset, TableRows, stable_id
from gxschema.seeding.errors import SeedError
from gxschema.seeding.layout import DEMO_ENVIRONMENTS, ENVIRONMENTS
from gxschema.seeding.report import DatasetReport, Difference, SeedReport, TableReport

SeedTarget = Engine | Connection | Session
"""Where `apply` writes: an engine, a connection, or an ORM session."""

SEED_LOCK_KEY = DBLocks.SEEDING.key()
"""The advisory lock key of seeding, distinct from the migration lock."""

RECORD_TENANT = "global"
"""The tenant of `SeedDataset` records."""

_CHUNK = 1000


def apply(
    target: SeedTarget,
    datasets: Sequence[Dataset],
    *,
    env: str,
    dry_run: bool = False,
    overwrite: bool = False,
    applied_by: str | None = None,
) -> SeedReport:
    """Apply `datasets` (from `load`) to the database of `target` for environment `env`.

    Returns what was written, or with `dry_run` what would be, without writing.
    `overwrite` resets operator-changed values (SystemConfig values, feature flag
    switches) to the file's. `applied_by` is stored in ``SeedDataset.appliedBy``.
    Raises `SeedError` before touching the database if `env` is unknown or a demo
    dataset is offered to an environment other than devnet, and before writing if the
    database's recorded environment refuses demo rows (`gxschema.environment`).
    """
    if env not in ENVIRONMENTS:
        raise SeedError(f'unknown environment "{env}": expected one of {", ".join(ENVIRONMENTS)}')
    for dataset in datasets:
        if dataset.demo and env not in DEMO_ENVIRONMENTS:
            raise SeedError(
                f'refusing to apply the demo dataset "{dataset.name}" to {env}: '
                f"demo rows belong to {', '.join(sorted(DEMO_ENVIRONMENTS))} only"
            )
    report = SeedReport(env=env, dry_run=dry_run, overwrite=overwrite)
    with _transaction(target, read_only=dry_run) as connection:
        connection.execute(select(func.pg_advisory_xact_lock(SEED_LOCK_KEY)))
        if not dry_run and any(dataset.demo for dataset in datasets):
            _refuse_demo_outside_devnet(connection)
        now: datetime = connection.execute(select(func.now())).scalar_one()
        for dataset in datasets:
            report.datasets.append(
                _apply_dataset(
                    connection,
                    dataset,
                    now=now,
                    dry_run=dry_run,
                    overwrite=overwrite,
                    applied_by=applied_by,
                )
            )
    return report


def _refuse_demo_outside_devnet(connection: Connection) -> None:
    """Demo rows only where the database's recorded environment allows them.

    `gxschema seed` checks (and records) the environment before calling `apply`; this
    holds every other caller of the library to the record too (an unrecorded database
    is judged by the commands, which say how to record it).
    """
    from gxschema import environment  # not at import time: it imports this package

    reason = environment.demo_refusal(environment.standing(connection))
    if reason:
        raise SeedError(
            f"refusing the demo rows: {reason} (see gxschema.environment); nothing was written"
        )


@contextmanager
def _transaction(target: SeedTarget, *, read_only: bool) -> Iterator[Connection]:
    if isinstance(target, Engine):
        with target.connect() as connection, _transaction(connection, read_only=read_only) as c:
            yield c
    elif isinstance(target, Session):
        if target.in_transaction():
            with target.begin_nested():
                yield target.connection()
        else:
            with target.begin():
                connection = target.connection()
                if read_only:
                    connection.execute(text("SET TRANSACTION READ ONLY"))
                yield connection
    elif target.in_transaction():
        with target.begin_nested():
            yield target
    else:
        with target.begin():
            if read_only:
                target.execute(text("SET TRANSACTION READ ONLY"))
            yield target


def _apply_dataset(
    connection: Connection,
    dataset: Dataset,
    *,
    now: datetime,
    dry_run: bool,
    overwrite: bool,
    applied_by: str | None,
) -> DatasetReport:
    previous = _last_checksum(connection, dataset.name)
    report = DatasetReport(
        name=dataset.name,
        source=dataset.source,
        version=dataset.version,
        checksum=dataset.checksum,
        row_count=dataset.row_count,
        previous_checksum=previous,
        recorded=previous != dataset.checksum,
    )
    for rows in dataset.tables:
        report.tables.append(
            _apply_table(connection, rows, now=now, dry_run=dry_run, overwrite=overwrite)
        )
    if report.recorded and not dry_run:
        _record(connection, dataset, now=now, applied_by=applied_by)
    return report


def _apply_table(
    connection: Connection, rows: TableRows, *, now: datetime, dry_run: bool, overwrite: bool
) -> TableReport:
    table = metadata.tables[rows.table]
    report = TableReport(rows.table)
    existing = _existing(connection, table, rows)
    touch = "updatedAt" in table.c
    inserts: list[dict[str, Any]] = []
    for row in rows.rows:
        key = rows.key_of(row)
        current = existing.get(key)
        if current is None:
            values = dict(row)
            if touch and "updatedAt" not in values:
                values["updatedAt"] = row.get("createdAt", now)
            inserts.append(values)
            report.inserted += 1
            continue
        changes: dict[str, Any] = {}
        for column, value in row.items():
            if column in rows.key or column in rows.insert_only or same(current[column], value):
                continue
            if column in rows.operator_columns:
                action: Literal["kept", "reset"] = "reset" if overwrite else "kept"
                report.differing.append(
                    Difference(rows.table, _label(key), column, current[column], value, action)
                )
                if not overwrite:
                    continue
            changes[column] = value
        if not changes:
            report.unchanged += 1
            continue
        report.updated += 1
        if not dry_run:
            if touch:
                changes["updatedAt"] = now
            condition = [
                table.c[column] == part for column, part in zip(rows.key, key, strict=True)
            ]
            connection.execute(sql_update(table).where(*condition).values(changes))
    if inserts and not dry_run:
        for start in range(0, len(inserts), _CHUNK):
            connection.execute(insert(table), inserts[start : start + _CHUNK])
    if rows.scope is not None:
        report.not_in_file = _not_in_file(connection, table, rows)
    return report


def _existing(
    connection: Connection, table: Table, rows: TableRows
) -> dict[tuple[Any, ...], RowMapping]:
    """The database's rows with the keys of `rows`, by key."""
    if not rows.rows:
        return {}
    columns = [table.c[name] for name in rows.rows[0]]
    key_columns = [table.c[name] for name in rows.key]
    keys = [rows.key_of(row) for row in rows.rows]
    found: dict[tuple[Any, ...], RowMapping] = {}
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        if len(key_columns) == 1:
            condition = key_columns[0].in_([key[0] for key in chunk])
        else:
            condition = tuple_(*key_columns).in_(chunk)
        for row in connection.execute(select(*columns).where(condition)).mappings():
            found[tuple(row[name] for name in rows.key)] = row
    return found


def _not_in_file(connection: Connection, table: Table, rows: TableRows) -> list[str]:
    """Keys of the rows in the dataset's scope that the file does not list."""
    listed = {rows.key_of(row) for row in rows.rows}
    key_columns = [table.c[name] for name in rows.key]
    scope = rows.scope or {}
    condition = [table.c[column] == value for column, value in scope.items()]
    query = select(*key_columns).where(*condition).order_by(*key_columns)
    return [_label(tuple(key)) for key in connection.execute(query) if tuple(key) not in listed]


def _last_checksum(connection: Connection, name: str) -> str | None:
    seed = metadata.tables["SeedDataset"]
    query = (
        select(seed.c.checksum)
        .where(seed.c.tenantId == RECORD_TENANT, seed.c.name == name)
        .order_by(seed.c.appliedAt.desc())
        .limit(1)
    )
    checksum: str | None = connection.execute(query).scalar_one_or_none()
    return checksum


def _record(
    connection: Connection, dataset: Dataset, *, now: datetime, applied_by: str | None
) -> None:
    """Record the dataset's checksum; a checksum seen before (a revert) moves to now."""
    seed = metadata.tables["SeedDataset"]
    values = {
        "datasetId": stable_id("SeedDataset", RECORD_TENANT, dataset.name, dataset.checksum),
        "tenantId": RECORD_TENANT,
        "name": dataset.name,
        "version": dataset.version,
        "checksum": dataset.checksum,
        "rowCount": dataset.row_count,
        "appliedBy": applied_by,
        "appliedAt": now,
    }
    statement = pg_insert(seed).values(values)
    statement = statement.on_conflict_do_update(
        index_elements=[seed.c.tenantId, seed.c.name, seed.c.checksum],
        set_={
            "version": statement.excluded.version,
            "rowCount": statement.excluded.rowCount,
            "appliedBy": statement.excluded.appliedBy,
            "appliedAt": statement.excluded.appliedAt,
        },
    )
    connection.execute(statement)


def _label(key: tuple[Any, ...]) -> str:
    return "/".join(str(part) for part in key)


def same(database: Any, file: Any) -> bool:
    """Whether a database value equals a file value, with JSON's types kept apart.

    Python says ``True == 1``; jsonb does not, so neither does this: a boolean only
    equals a boolean. Enum members compare by their label.
    """
    if isinstance(database, enum.Enum):
        database = database.value
    if isinstance(file, enum.Enum):
        file = file.value
    if isinstance(database, bool) or isinstance(file, bool):
        return type(database) is type(file) and database == file
    if isinstance(database, list | tuple) and isinstance(file, list | tuple):
        return len(database) == len(file) and all(map(same, database, file))
    if isinstance(database, Mapping) and isinstance(file, Mapping):
        return database.keys() == file.keys() and all(same(database[k], file[k]) for k in file)
    if isinstance(database, list | tuple | Mapping) or isinstance(file, list | tuple | Mapping):
        return False
    return bool(database == file)
