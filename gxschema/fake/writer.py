"""Streaming rows into PostgreSQL with COPY, table after table, with a progress bar each.

`copy_tables` takes each table's rows as COPY text, a piece at a time, from worker
processes (or from this one, for small runs: see `parallel`) and hands them to
psycopg's ``cursor.copy()``; the server checks constraints and fills indexes as the
rows arrive. Only a bounded number of pieces is ever in memory.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from psycopg import Connection, sql

from gxschema.fake.core import TableSpec
from gxschema.fake.parallel import Piece, Pieces


@dataclass(frozen=True)
class TableResult:
    table: str
    rows: int
    seconds: float
    """The COPY of the rows."""
    index_seconds: float | None = None
    """Building the table's indexes and keys after it (when they were dropped for it)."""

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0


class Reporter(Protocol):
    """Receives progress: a table starts, some of its rows are written, it is done.

    The hook ``gxschema fake``'s overall progress bar is drawn from
    (`gxschema.cli.fake_command`): `start` names a table of the plan with its row
    count, or a step that is not a table (``foreign keys``) with its number of items.
    """

    def start(self, table: str, total: int) -> None: ...

    def advance(self, rows: int) -> None: ...

    def finish(self) -> None: ...


class SilentReporter:
    def start(self, table: str, total: int) -> None:
        pass

    def advance(self, rows: int) -> None:
        pass

    def finish(self) -> None:
        pass


class RichReporter:
    """One rich progress bar per table, on the given console (stderr for the CLI)."""

    def __init__(self, console: Any, specs: Sequence[TableSpec]) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TaskID,
            TextColumn,
            TimeElapsedColumn,
        )

        self._progress = Progress(
            TextColumn("{task.description:<22}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[speed]:>12}"),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        )
        width = max(len(spec.table) for spec in specs) if specs else 10
        self._width = width
        self._tasks: dict[str, TaskID] = {
            spec.table: self._progress.add_task(
                spec.table.ljust(width), total=spec.count, speed="", start=False
            )
            for spec in specs
        }
        self._current: TaskID | None = None
        self._started = 0.0
        self._done = 0
        self._live = False

    def start(self, table: str, total: int) -> None:
        if not self._live:  # shown from the first table on, never for a refused run
            self._progress.start()
            self._live = True
        if table not in self._tasks:  # a step that is not a table (rebuilding indexes)
            self._tasks[table] = self._progress.add_task(
                table.ljust(self._width), total=total, speed="", start=False
            )
        self._current = self._tasks[table]
        self._progress.start_task(self._current)
        self._started = time.perf_counter()
        self._done = 0

    def advance(self, rows: int) -> None:
        if self._current is None:
            return
        self._done += rows
        elapsed = time.perf_counter() - self._started
        speed = f"{self._done / elapsed:,.0f} rows/s" if elapsed > 0 else ""
        self._progress.update(self._current, advance=rows, speed=speed)

    def finish(self) -> None:
        if self._current is not None:
            self._progress.stop_task(self._current)
        self._current = None

    def close(self) -> None:
        if self._live:
            self._progress.stop()
            self._live = False


def copy_tables(
    connection: Connection[Any],
    specs: Sequence[TableSpec],
    *,
    batch: int,
    reporter: Reporter | None = None,
    source: Iterable[Piece] | None = None,
    after_table: Callable[[TableSpec], None] | None = None,
    freeze: Collection[str] = (),
) -> list[TableResult]:
    """COPY every spec's rows into its table, in order, inside the connection's transaction.

    The rows come as COPY text from `source` (`parallel.Pieces`: worker processes),
    by default made here, `batch` rows at a time. `after_table` runs once a table is
    loaded (to build its indexes while the workers make the next tables' rows).
    The tables named in `freeze` get their rows written frozen (``COPY ... (FREEZE)``:
    they must have been created or truncated in this transaction), already marked
    committed and visible to all: neither the ANALYZE after the load nor the first
    readers and VACUUM then rewrite every page to set hint bits, as after a plain COPY.
    Raises RuntimeError if a generator yields a different number of rows than its
    spec announced (a bug: the transaction is then rolled back by the caller).
    """
    reporter = reporter or SilentReporter()
    if source is None:
        source = Pieces(specs, batch)
    upcoming = iter(source)
    piece = next(upcoming, None)
    results: list[TableResult] = []
    with connection.cursor() as cursor:
        for number, spec in enumerate(specs):
            statement = sql.SQL("COPY {} ({}) FROM STDIN{}").format(
                sql.Identifier(spec.table),
                sql.SQL(", ").join(sql.Identifier(column) for column in spec.columns),
                sql.SQL(" (FREEZE)" if spec.table in freeze else ""),
            )
            reporter.start(spec.table, spec.count)
            started = time.perf_counter()
            written = 0
            with cursor.copy(statement) as copy:
                while piece is not None and piece[0] == number:
                    _table, count, data = piece
                    if data:
                        copy.write(data)
                    written += count
                    reporter.advance(count)
                    piece = next(upcoming, None)
            seconds = time.perf_counter() - started
            # what the server says it stored (COPY's row count), not what was sent: the
            # report's counts are the table's rows, whatever the generators believed
            stored = cursor.rowcount
            if written != spec.count or stored != written:
                reporter.finish()
                raise RuntimeError(
                    f"the {spec.table} generator made {written} rows, not the {spec.count} "
                    f"it announced (the server stored {stored})"
                )
            index_seconds = None
            if after_table is not None:
                indexed = time.perf_counter()
                after_table(spec)
                index_seconds = time.perf_counter() - indexed
            reporter.finish()
            results.append(TableResult(spec.table, stored, seconds, index_seconds))
    return results
