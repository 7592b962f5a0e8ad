"""Generating the rows in worker processes, piece by piece, in order.

Making the rows (hashes, ids, Faker pools, formatting) costs Python several times
what the server spends storing them, so one process cannot keep PostgreSQL busy. Here
`workers` processes each take a piece of a table (a range of its users, wallets, ...,
see `TableSpec.pieces`) and make its rows as COPY text; the process holding the
connection sends the pieces in their order. The rows are those of the one-process
run, byte for byte, because every value is a function of the seed and the row's
position, never of who made it.

`Pieces` yields ``(table position, rows, COPY bytes)`` in the order of its specs. The workers write
each piece to a file in a temporary folder (``$TMPDIR``), and the parent reads, sends
and deletes it: so the workers can run up to `AHEAD_ROWS` rows ahead (and go on while
the connection builds a table's indexes after its COPY) with no process's memory
growing, and only one piece at a time passes through the parent.

Workers are started with ``spawn`` (a fresh interpreter: no threads or connections of
the parent are inherited) and get the options and the Faker pools, not the plan
(its generators are closures): each builds the plan itself. They ignore SIGINT, so
Ctrl-C reaches only the parent, which stops them. They never outlive the parent:
each asks the kernel for SIGKILL when the parent dies (`children.die_with_parent`,
so a SIGKILLed ``gxschema fake`` leaves no workers making rows for nobody), and
while workers run, SIGTERM to the parent unwinds like Ctrl-C (`children.stop_on_sigterm`):
the workers are stopped and the spool folder removed. A spool folder a SIGKILLed run
left behind is removed by the next run with workers (`remove_dead_spools`): each run
holds an ``flock`` on an owner file in its folder, which the kernel drops when the
process dies.
"""

from __future__ import annotations

import contextlib
import fcntl
import glob
import multiprocessing
import os
import shutil
import signal
import tempfile
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor

from gxschema import children
from gxschema.errors import ConfigError
from gxschema.fake.copytext import encode_rows
from gxschema.fake.core import FakeOptions, TableSpec
from gxschema.fake.pools import Pools

Piece = tuple[int, int, bytes]
"""A table's position in the specs given to `Pieces`, the number of rows, and those rows
as COPY text."""

AHEAD_ROWS = 1_500_000
"""How many rows the workers may make ahead of the COPY: enough to keep them busy while
the connection builds the indexes of the largest table (some 200 MB of spooled COPY
text at most)."""

SPOOL_PREFIX = "gxschema-fake-"
_OWNER_FILE = ".owner"

_plan: dict[str, TableSpec] = {}


def available_cpus() -> int:
    """CPUs this process may run on (its affinity mask, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def default_workers() -> int:
    """Generator processes for a large run: one per CPU, at most 8."""
    return max(1, min(8, available_cpus()))


_failed: list[BaseException] = []


def _start_worker(options: FakeOptions, pools: Pools, parent: int) -> None:
    children.die_with_parent(parent)  # first: the parent may already be gone
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        from gxschema.fake.plan import build_plan

        _plan.update((spec.table, spec) for spec in build_plan(options, pools))
    except Exception as error:
        # keep the error and let `_render` raise it, so the parent sees what failed
        # (a failed initializer would only say that the pool broke)
        _failed.append(error)


def _render(table: str, start: int, stop: int, path: str) -> int:
    """Write one piece's COPY text to `path`; return its number of rows."""
    if _failed:
        raise _failed[0]
    count, data = encode_rows(_plan[table].piece(start, stop))
    with open(path, "wb") as out:
        out.write(data)
    return count


def _own(folder: str) -> int:
    """Lock `folder` as this run's for as long as the returned descriptor stays open.

    The owner file is locked under a temporary name and only then renamed, so a
    `remove_dead_spools` running meanwhile never finds it unlocked.
    """
    claiming = os.path.join(folder, f"{_OWNER_FILE}.{os.getpid()}")
    descriptor = os.open(claiming, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    os.rename(claiming, os.path.join(folder, _OWNER_FILE))
    return descriptor


def remove_dead_spools(parent: str | None = None) -> list[str]:
    """Remove the spool folders (in `parent`, default ``$TMPDIR``) of runs that are gone.

    A folder whose owner file nobody holds locked belonged to a process that died
    without cleaning up (SIGKILL); folders without an owner file are left alone.
    """
    removed = []
    for folder in glob.glob(os.path.join(parent or tempfile.gettempdir(), SPOOL_PREFIX + "*")):
        try:
            descriptor = os.open(os.path.join(folder, _OWNER_FILE), os.O_RDWR)
        except OSError:
            continue
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            continue  # its run is alive
        else:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
        finally:
            os.close(descriptor)
    return removed


def _work(specs: Sequence[TableSpec], rows_per_piece: int) -> list[tuple[int, int, int]]:
    return [
        (number, start, stop)
        for number, spec in enumerate(specs)
        for start, stop in spec.pieces(rows_per_piece)
    ]


class Pieces:
    """Every table's rows as COPY text, in plan order: iterate over ``(table, rows, bytes)``.

    With `workers` 0 the pieces are made while iterating, one at a time, from `specs`.
    Otherwise that many worker processes start at once (so they work while the caller
    still prepares the database), each with a plan of its own built from `options` and
    `pools`, which must be what `specs` was built from. An exception in a worker is
    raised by the iteration; `close` (or leaving the ``with`` block) stops the workers.
    """

    def __init__(
        self,
        specs: Sequence[TableSpec],
        rows_per_piece: int,
        *,
        workers: int = 0,
        options: FakeOptions | None = None,
        pools: Pools | None = None,
        ahead_rows: int = AHEAD_ROWS,
    ) -> None:
        self._specs = specs
        self._work = iter(_work(specs, rows_per_piece))
        self._pending: deque[tuple[int, str, Future[int]]] = deque()
        self._pool: ProcessPoolExecutor | None = None
        self._spool: tempfile.TemporaryDirectory[str] | None = None
        self._submitted = 0
        self._held = contextlib.ExitStack()  # the SIGTERM handler, the spool owner lock
        if workers <= 0:
            return
        if options is None or pools is None:
            raise ValueError("worker processes need the options and pools the plan was made from")
        try:
            remove_dead_spools()
            self._spool = tempfile.TemporaryDirectory(prefix=SPOOL_PREFIX)
            self._held.callback(os.close, _own(self._spool.name))
        except OSError as error:
            raise ConfigError(
                f"the worker processes spool their rows in a temporary folder, and none could "
                f"be made ({error.strerror or error}): set TMPDIR to a writable folder, or run "
                "with --workers 0. Nothing was written"
            ) from None
        self._held.enter_context(children.stop_on_sigterm())
        self._pool = ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(options, pools, os.getpid()),
        )
        for _ in range(max(4 * workers, ahead_rows // max(1, rows_per_piece))):
            if not self._submit():
                break

    def _submit(self) -> bool:
        item = next(self._work, None)
        if item is None or self._pool is None or self._spool is None:
            return False
        path = os.path.join(self._spool.name, f"{self._submitted}.copy")
        self._submitted += 1
        number, start, stop = item
        table = self._specs[number].table
        self._pending.append((number, path, self._pool.submit(_render, table, start, stop, path)))
        return True

    def __iter__(self) -> Iterator[Piece]:
        if self._pool is None:
            for number, start, stop in self._work:
                count, data = encode_rows(self._specs[number].piece(start, stop))
                yield number, count, data
            return
        while self._pending:
            number, path, result = self._pending.popleft()
            count = result.result()
            with open(path, "rb") as spooled:
                data = spooled.read()
            os.unlink(path)
            self._submit()
            yield number, count, data

    def close(self, *, abandon: bool = False) -> None:
        """Stop the workers and remove the spool folder.

        Pieces not started are dropped. Those running are waited for, unless
        `abandon` (the process is being stopped, SIGTERM or Ctrl-C: a large piece
        may take seconds, and nobody wants it): then the workers are terminated,
        and a spool folder one was still writing into is left to the next run.
        """
        if self._pool is not None:
            if abandon:  # (Python 3.14 has terminate_workers() for this)
                for worker in list((self._pool._processes or {}).values()):
                    worker.terminate()
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        if self._spool is not None:
            with contextlib.suppress(OSError) if abandon else contextlib.nullcontext():
                self._spool.cleanup()
            self._spool = None
        self._held.close()

    def __enter__(self) -> Pieces:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *_exc: object) -> None:
        # an error still waits for the workers (nothing left behind); a stop does not
        self.close(abandon=exc_type is not None and not issubclass(exc_type, Exception))
