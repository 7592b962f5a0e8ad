"""Batched backfill: update a large table a few thousand rows at a time, resumably.

The *migrate* step of expand/contract (docs/writing-migrations.md) copies data into
a new column while the services keep writing. One ``UPDATE`` of the whole table
would lock every row for its whole duration and bloat the table in one go; this
helper walks the primary key instead (keyset pagination, never OFFSET)::

    WHERE pk > :last ORDER BY pk LIMIT :batch_size      -- the next batch's keys
    UPDATE ... WHERE pk > :last AND pk <= :upper         -- that batch, and only it

Each batch is its own short transaction under ``SET LOCAL statement_timeout`` and
``lock_timeout``, followed by a pause that lets autovacuum and replicas keep up.

**Resumable.** The cursor (the last key done, rows and batches so far) is a row of
``gxschema_backfill_progress``, written in the *same transaction* as its batch: a
batch and its cursor commit together or not at all, so a run killed at any point
resumes after the last committed batch and never updates a row twice. The table is
the helper's own, created on first use (the migrating role owns it), and is not part
of the schema: ``catalog.from_database`` and ``alembic check`` ignore it. It lives in
the database it describes because only there can the cursor commit with the batch;
``SchemaMigrationRun`` describes revision runs and would need a new column (a schema
change) to hold a cursor.

Rows inserted behind the cursor while it runs are not visited: install the trigger
(or dual writes) that fills the new column *before* the backfill starts.

From a revision (concurrent statements and long data changes run outside the
revision's transaction)::

    from gxschema import backfill

    with op.get_context().autocommit_block():
        backfill.run(op.get_bind(), job="0007_wallet_balance_v2", table="Wallet",
                     set_clause='"balanceV2" = "balance"', where='"balanceV2" IS NULL')

From a shell, as a separate step for the largest tables::

    python -m gxschema.backfill --job tx_amount_v2 --table Transaction \\
        --set '"amountV2" = "amount"' --where '"amountV2" IS NULL' --batch-size 5000
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

from gxschema import locking
from gxschema.errors import ConfigError, OperationError
from gxschema.identifiers import quote
from gxschema.locking import DBLocks, postgres_duration
from gxschema.retry import Backoff, Retry, is_lock_timeout

PROGRESS_TABLE = "gxschema_backfill_progress"

log = logging.getLogger(__name__)

_QUERY_CANCELED = "57014"

_CREATE_PROGRESS_TABLE = f"""
CREATE TABLE IF NOT EXISTS {PROGRESS_TABLE} (
    job text PRIMARY KEY,
    table_name text NOT NULL,
    key_column text NOT NULL,
    last_key text,
    rows_done bigint NOT NULL DEFAULT 0,
    batches_done bigint NOT NULL DEFAULT 0,
    started_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz
)
"""

_PRIMARY_KEY_SQL = """
SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
       array_length(con.conkey, 1) AS width
FROM pg_constraint con
JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = con.conkey[1]
WHERE con.conrelid = to_regclass(:table) AND con.contype = 'p'
"""


@dataclass(frozen=True)
class Progress:
    """Where a backfill job stands; handed to `on_progress` after every batch."""

    job: str
    table: str
    rows_done: int
    """Rows updated so far, by this run and the runs before it."""
    batches_done: int
    last_key: str | None
    """The last primary key done: the next batch starts after it."""
    elapsed_seconds: float
    """Time spent by this run."""
    rows_per_second: float
    """Rows updated per second by this run."""
    finished: bool


def _is_autocommit(connection: Connection) -> bool:
    """True inside Alembic's ``autocommit_block`` (or any AUTOCOMMIT connection)."""
    if connection.get_execution_options().get("isolation_level") == "AUTOCOMMIT":
        return True
    return bool(getattr(connection.connection.driver_connection, "autocommit", False))


@contextmanager
def _transaction(connection: Connection) -> Iterator[None]:
    """One short transaction, whether the connection autocommits or not.

    Inside Alembic's ``autocommit_block`` the connection autocommits each statement,
    so the batch and its cursor are bracketed by BEGIN/COMMIT explicitly.
    """
    if not _is_autocommit(connection):
        with connection.begin():
            yield
        return
    connection.exec_driver_sql("BEGIN")
    try:
        yield
    except BaseException:
        connection.exec_driver_sql("ROLLBACK")
        raise
    connection.exec_driver_sql("COMMIT")


def _primary_key(connection: Connection, table: str) -> tuple[str, str]:
    """The name and type of `table`'s one-column primary key, or a ConfigError."""
    if connection.execute(text("SELECT to_regclass(:t)"), {"t": quote(table)}).scalar() is None:
        raise ConfigError(f"backfill: there is no table {table!r}")
    row = connection.execute(text(_PRIMARY_KEY_SQL), {"table": quote(table)}).mappings().first()
    if row is None or row["width"] != 1:
        raise ConfigError(
            f"backfill: {table!r} needs a primary key of one column to walk in batches"
        )
    return str(row["name"]), str(row["type"])


@dataclass(frozen=True)
class _Cursor:
    last_key: str | None
    rows_done: int
    batches_done: int
    finished: bool


def _open_job(connection: Connection, job: str, table: str, key: str, restart: bool) -> _Cursor:
    with _transaction(connection):
        connection.execute(text(_CREATE_PROGRESS_TABLE))
        if restart:
            connection.execute(text(f"DELETE FROM {PROGRESS_TABLE} WHERE job = :job"), {"job": job})
        connection.execute(
            text(
                f"INSERT INTO {PROGRESS_TABLE} (job, table_name, key_column) "
                "VALUES (:job, :table, :key) ON CONFLICT (job) DO NOTHING"
            ),
            {"job": job, "table": table, "key": key},
        )
        row = (
            connection.execute(
                text(f"SELECT * FROM {PROGRESS_TABLE} WHERE job = :job"), {"job": job}
            )
            .mappings()
            .one()
        )
    if (row["table_name"], row["key_column"]) != (table, key):
        raise ConfigError(
            f"backfill job {job!r} already ran on {row['table_name']}.{row['key_column']}, "
            f"not {table}.{key}: use another job name, or restart=True to start it over"
        )
    return _Cursor(
        row["last_key"], row["rows_done"], row["batches_done"], row["finished_at"] is not None
    )


@contextmanager
def _job_lock(connection: Connection, job: str) -> Iterator[None]:
    """One run of a job at a time: a second one would race the first for the cursor."""
    key = DBLocks.BACKFILL_JOB.key(job)
    got = locking.try_lock(connection, key)
    if not _is_autocommit(connection):
        connection.commit()
    if not got:
        raise OperationError(f"backfill job {job!r} is already running in another session")
    try:
        yield
    finally:
        locking.unlock(connection, key)
        if not _is_autocommit(connection):
            connection.commit()


def run(
    connection: Connection | Engine,
    *,
    job: str,
    table: str,
    set_clause: str,
    where: str | None = None,
    batch_size: int = 1000,
    pause_seconds: float = 0.1,
    statement_timeout: str = "30s",
    lock_timeout: str = "2s",
    lock_retries: int = 5,
    max_batches: int | None = None,
    restart: bool = False,
    on_progress: Callable[[Progress], None] | None = None,
) -> Progress:
    """Run `UPDATE table SET set_clause [WHERE where]` in batches of `batch_size` keys.

    `job` names the run in ``gxschema_backfill_progress``: the same job name resumes
    where the last run stopped, and a finished job does nothing. `set_clause` and
    `where` are SQL written by the revision's author (never user input). A batch that
    waits longer than `lock_timeout` for a row lock is rolled back and retried up to
    `lock_retries` times with backoff; one that runs longer than `statement_timeout`
    fails the run (lower `batch_size`). `max_batches` stops after that many batches of
    this run (the job stays resumable). Returns the final progress.

    `connection` must not be inside a transaction of its own, unless it autocommits
    (Alembic's ``autocommit_block``): every batch commits.
    """
    if isinstance(connection, Engine):
        with connection.connect() as opened:
            return run(
                opened,
                job=job,
                table=table,
                set_clause=set_clause,
                where=where,
                batch_size=batch_size,
                pause_seconds=pause_seconds,
                statement_timeout=statement_timeout,
                lock_timeout=lock_timeout,
                lock_retries=lock_retries,
                max_batches=max_batches,
                restart=restart,
                on_progress=on_progress,
            )
    if not job or len(job) > 200:
        raise ConfigError("backfill: a job needs a name of 1 to 200 characters")
    if batch_size < 1 or pause_seconds < 0 or lock_retries < 0:
        raise ConfigError("backfill: batch_size must be at least 1, pauses and retries >= 0")
    try:
        timeouts = postgres_duration(statement_timeout), postgres_duration(lock_timeout)
    except ValueError as error:
        raise ConfigError(f"backfill: {error}") from None
    if connection.in_transaction() and not _is_autocommit(connection):
        raise ConfigError(
            "backfill: the connection is inside a transaction; every batch commits, so run "
            "it outside one (in a revision: within op.get_context().autocommit_block())"
        )
    key, key_type = _primary_key(connection, table)
    if not _is_autocommit(connection):
        connection.commit()
    with _job_lock(connection, job):
        cursor = _open_job(connection, job, table, key, restart)
        return _run_batches(
            connection,
            _Batches(job, table, key, key_type, set_clause, where, batch_size, timeouts),
            cursor,
            pause_seconds=pause_seconds,
            lock_retries=lock_retries,
            max_batches=max_batches,
            on_progress=on_progress,
        )


@dataclass(frozen=True)
class _Batches:
    """The statements of one job."""

    job: str
    table: str
    key: str
    key_type: str
    set_clause: str
    where: str | None
    batch_size: int
    timeouts: tuple[str, str]

    def _after_last(self) -> str:
        """Keys after the cursor; every key when there is none yet."""
        last = f"CAST(:last AS {self.key_type})"
        return f"({last} IS NULL OR {quote(self.key)} > {last})"

    def bounds_sql(self) -> str:
        """The last key of the next batch and its size (0 when nothing is left)."""
        key, table = quote(self.key), quote(self.table)
        return (
            f"SELECT max(k)::text AS upper, count(*) AS size FROM ("
            f"SELECT {key} AS k FROM {table} WHERE {self._after_last()} "
            f"ORDER BY {key} LIMIT :batch_size) AS batch"
        )

    def update_sql(self) -> str:
        key, table = quote(self.key), quote(self.table)
        condition = f"{self._after_last()} AND {key} <= CAST(:upper AS {self.key_type})"
        if self.where:
            condition += f" AND ({self.where})"
        return f"UPDATE {table} SET {self.set_clause} WHERE {condition}"


def _progress(batches: _Batches, cursor: _Cursor, started: float, rows_this_run: int) -> Progress:
    elapsed = time.monotonic() - started
    return Progress(
        job=batches.job,
        table=batches.table,
        rows_done=cursor.rows_done,
        batches_done=cursor.batches_done,
        last_key=cursor.last_key,
        elapsed_seconds=round(elapsed, 3),
        rows_per_second=round(rows_this_run / elapsed, 1) if elapsed > 0 else 0.0,
        finished=cursor.finished,
    )


def _one_batch(connection: Connection, batches: _Batches, cursor: _Cursor) -> _Cursor:
    """Update one batch and advance the cursor, in one transaction."""
    statement_timeout, lock_timeout = batches.timeouts
    with _transaction(connection):
        connection.execute(text(f"SET LOCAL statement_timeout = '{statement_timeout}'"))
        connection.execute(text(f"SET LOCAL lock_timeout = '{lock_timeout}'"))
        bounds = (
            connection.execute(
                text(batches.bounds_sql()),
                {"last": cursor.last_key, "batch_size": batches.batch_size},
            )
            .mappings()
            .one()
        )
        if bounds["size"] == 0:
            connection.execute(
                text(
                    f"UPDATE {PROGRESS_TABLE} SET finished_at = now(), updated_at = now() "
                    "WHERE job = :job"
                ),
                {"job": batches.job},
            )
            return _Cursor(cursor.last_key, cursor.rows_done, cursor.batches_done, True)
        updated = connection.execute(
            text(batches.update_sql()), {"last": cursor.last_key, "upper": bounds["upper"]}
        ).rowcount
        connection.execute(
            text(
                f"UPDATE {PROGRESS_TABLE} SET last_key = :upper, rows_done = rows_done + :rows, "
                "batches_done = batches_done + 1, updated_at = now() WHERE job = :job"
            ),
            {"upper": bounds["upper"], "rows": updated, "job": batches.job},
        )
    return _Cursor(bounds["upper"], cursor.rows_done + updated, cursor.batches_done + 1, False)


def _run_batches(
    connection: Connection,
    batches: _Batches,
    cursor: _Cursor,
    *,
    pause_seconds: float,
    lock_retries: int,
    max_batches: int | None,
    on_progress: Callable[[Progress], None] | None,
) -> Progress:
    started = time.monotonic()
    rows_at_start = cursor.rows_done
    done_this_run = 0
    last_log = started
    if cursor.last_key is not None and not cursor.finished:
        log.info("backfill %s: resuming after %s=%s", batches.job, batches.key, cursor.last_key)
    while not cursor.finished and (max_batches is None or done_this_run < max_batches):
        if done_this_run:
            time.sleep(pause_seconds)
        cursor = _with_lock_retries(connection, batches, cursor, lock_retries)
        if not cursor.finished:
            done_this_run += 1
        progress = _progress(batches, cursor, started, cursor.rows_done - rows_at_start)
        if on_progress is not None:
            on_progress(progress)
        if cursor.finished or time.monotonic() - last_log >= 10:
            last_log = time.monotonic()
            log.info(
                "backfill %s: %d rows in %d batches, last %s=%s, %.0f rows/s%s",
                batches.job,
                progress.rows_done,
                progress.batches_done,
                batches.key,
                progress.last_key,
                progress.rows_per_second,
                " (finished)" if progress.finished else "",
            )
    return _progress(batches, cursor, started, cursor.rows_done - rows_at_start)


def _with_lock_retries(
    connection: Connection, batches: _Batches, cursor: _Cursor, lock_retries: int
) -> _Cursor:
    after = f"after {batches.key}={cursor.last_key}"

    def waiting(_retry: int, _pause: float, _error: BaseException) -> None:
        log.info("backfill %s: lock timeout %s, retrying", batches.job, after)

    retrying = Retry(
        Backoff(first=0.5, cap=10.0),
        retryable=is_lock_timeout,
        attempts=lock_retries + 1,
        on_retry=waiting,
    )
    try:
        return retrying.call(lambda: _one_batch(connection, batches, cursor))
    except DBAPIError as error:
        if getattr(error.orig, "sqlstate", None) == _QUERY_CANCELED:
            raise OperationError(
                f"backfill {batches.job}: a batch of {batches.batch_size} rows {after} ran "
                f"longer than statement_timeout ({batches.timeouts[0]}): lower the batch "
                "size; rerun to resume"
            ) from None
        first = str(error.orig or error).strip().splitlines()[0]
        raise OperationError(
            f"backfill {batches.job}: the batch {after} failed: {first}; rerun to resume"
        ) from None


# ---------------------------------------------------------------------------
# python -m gxschema.backfill: a backfill as a step of its own, for the largest tables


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m gxschema.backfill",
        description="Update a table in batches by primary key; rerun the same --job to resume.",
    )
    parser.add_argument("--job", required=True, help="name of the run; the same name resumes")
    parser.add_argument("--table", required=True)
    parser.add_argument("--set", dest="set_clause", required=True, help="SQL after SET")
    parser.add_argument("--where", help="SQL condition rows must also meet")
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--pause", type=float, default=0.1, help="seconds between batches")
    parser.add_argument("--statement-timeout", default="30s")
    parser.add_argument("--lock-timeout", default="2s")
    parser.add_argument("--restart", action="store_true", help="forget the job's cursor first")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one job against the configured database, printing progress as JSON lines."""
    import json

    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    from gxschema.settings import ConfigurationError, load_settings

    arguments = _arguments(argv)

    def report(progress: Progress) -> None:
        print(json.dumps(asdict(progress)), flush=True)

    options: dict[str, Any] = {
        "job": arguments.job,
        "table": arguments.table,
        "set_clause": arguments.set_clause,
        "where": arguments.where,
        "batch_size": arguments.batch_size,
        "pause_seconds": arguments.pause,
        "statement_timeout": arguments.statement_timeout,
        "lock_timeout": arguments.lock_timeout,
        "restart": arguments.restart,
        "on_progress": report,
    }
    try:
        settings = load_settings()
        if not settings.is_configured:
            raise ConfigError("no database is configured: set DATABASE_URL or PGHOST/PGDATABASE")
        engine = create_engine(settings.url(), poolclass=NullPool, hide_parameters=True)
        try:
            run(engine, **options)
        finally:
            engine.dispose()
    except (ConfigError, ConfigurationError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except (OperationError, DBAPIError) as error:
        print(f"error: {str(error).strip().splitlines()[0]}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    sys.exit(main())
