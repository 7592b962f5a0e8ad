"""Running a fake load: the checks, the transaction, the COPY and the index rebuild.

`fill` is what ``gxschema fake`` calls (see the package docstring for the steps);
`FakeReport` what it returns. Kept apart from the package's ``__init__`` so that the
worker processes (`parallel`), which only generate rows, import neither SQLAlchemy
nor the models.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, cast

import psycopg
from sqlalchemy import Connection, Engine, func, select, text

from gxschema.errors import ConfigError
from gxschema.fake import deferred
from gxschema.fake.core import FakeOptions, TableSpec
from gxschema.fake.guard import (
    DemoKeys,
    Target,
    empty_filled_tables,
    inspect,
    packaged_demo_keys,
)
from gxschema.fake.parallel import Pieces, available_cpus, default_workers
from gxschema.fake.plan import FILLED_TABLES, build_plan
from gxschema.fake.pools import Pools
from gxschema.fake.pools import build as build_pools
from gxschema.fake.thresholds import PARALLEL_FROM, REBUILD_FROM
from gxschema.fake.writer import Reporter, TableResult, copy_tables
from gxschema.identifiers import literal, quote
from gxschema.locking import DBLocks

FAKE_LOCK_KEY = DBLocks.FAKE_DATA.key()
"""Advisory lock of fake runs, so two runs never interleave."""


@dataclass
class FakeReport:
    options: FakeOptions
    indexes: str = "kept"
    workers: int = 0
    """Processes that generated the rows (0: the one holding the connection)."""
    """``rebuilt`` (dropped for the COPY, created again after it) or ``kept``."""
    tables: list[TableResult] = field(default_factory=list)
    seconds: float = 0.0
    """Time spent loading (COPY of every table, and rebuilding indexes and keys)."""
    rebuild_seconds: float | None = None
    """Of which rebuilding the indexes and keys (None when they were kept)."""
    analyze_seconds: float | None = None
    replaced: dict[str, int] = field(default_factory=dict)
    """With force: the rows that were there before, per table (counted up to 1000)."""

    @property
    def total_rows(self) -> int:
        return sum(result.rows for result in self.tables)

    @property
    def rows_per_second(self) -> float:
        return self.total_rows / self.seconds if self.seconds > 0 else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "users": self.options.users,
            "transactions_per_user": self.options.transactions_per_user,
            "tenants": self.options.tenants,
            "seed": self.options.seed,
            "batch": self.options.batch,
            "tables": [
                {
                    "table": result.table,
                    "rows": result.rows,
                    "seconds": round(result.seconds, 3),
                    "rows_per_second": round(result.rows_per_second),
                    "index_seconds": _rounded(result.index_seconds),
                }
                for result in self.tables
            ],
            "indexes": self.indexes,
            "workers": self.workers,
            "total_rows": self.total_rows,
            "seconds": round(self.seconds, 3),
            "rows_per_second": round(self.rows_per_second),
            "rebuild_seconds": _rounded(self.rebuild_seconds),
            "analyze_seconds": _rounded(self.analyze_seconds),
            "replaced": self.replaced,
        }


def _rounded(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds, 3)


def make_pools(seed: int) -> Pools:
    """Faker's pools for `seed`; a ConfigError when Faker is not installed."""
    try:
        return build_pools(seed)
    except ImportError:
        raise ConfigError("fake data needs Faker: pip install 'gxschema[demo]'") from None


def check(target: Target, *, force: bool, allow_testnet: bool = False) -> None:
    """Raise ConfigError when fake must not write to `target` (see `guard`)."""
    refused = target.refusal(allow_testnet=allow_testnet)
    if refused:
        raise ConfigError(refused)
    if target.missing_countries:
        raise ConfigError(
            f"the Country table lacks {', '.join(target.missing_countries)}, which fake "
            "users need: run `gxschema seed --env devnet` first. Nothing was written"
        )
    if target.existing and not force:
        raise ConfigError(
            f"{target.database} already holds rows fake would mix with "
            f"({target.describe_existing()}). Nothing was written; --force empties those "
            f"{len(FILLED_TABLES)} tables (reference data stays) and fills them anew"
        )


def _settle(
    options: FakeOptions,
    specs: list[TableSpec] | None,
    pools: Pools | None,
    rebuild_indexes: bool | None,
    workers: int | None,
) -> tuple[list[TableSpec], Pools | None, bool, int]:
    """The plan, and the defaults of `fill`'s choices, settled from the run's size."""
    problems = options.problems()
    if problems:
        raise ConfigError("; ".join(problems))
    if specs is None:
        pools = pools or make_pools(options.seed)
        specs = build_plan(options, pools)
    planned = sum(spec.count for spec in specs)
    if rebuild_indexes is None:
        rebuild_indexes = planned >= REBUILD_FROM
    if workers is None:
        workers = default_workers() if planned >= PARALLEL_FROM and available_cpus() > 1 else 0
    if pools is None:
        workers = 0
    if rebuild_indexes:
        # with every key dropped any order is valid: the largest tables first, so their
        # indexes are built while the workers still make the small ones' rows
        specs = sorted(specs, key=lambda spec: -spec.count)
    return specs, pools, rebuild_indexes, workers


def fill(
    engine: Engine,
    options: FakeOptions,
    *,
    force: bool = False,
    allow_testnet: bool = False,
    analyze: bool = True,
    demo_keys: DemoKeys | None = packaged_demo_keys,
    reporter: Reporter | None = None,
    specs: list[TableSpec] | None = None,
    pools: Pools | None = None,
    rebuild_indexes: bool | None = None,
    workers: int | None = None,
) -> FakeReport:
    """Check the database, then write the fake data in one transaction (see the module).

    A database recorded as testnet is refused unless `allow_testnet`; mainnet always
    (`guard`).

    With `rebuild_indexes` the tables' indexes and keys are dropped before the COPY and
    each table's are created again right after its COPY, the foreign keys at the end
    (`deferred`): for large loads much faster than maintaining them row by row, but
    readers are locked out until the commit. None (the default) rebuilds when the run
    writes at least `REBUILD_FROM` rows: below that, the fixed cost of some 190 CREATE
    INDEX and ALTER TABLE statements outweighs the gain.

    `workers` processes generate the rows (`parallel`); 0 generates them in this
    process. None (the default) uses one per CPU for runs of `PARALLEL_FROM` rows or
    more on a machine with several CPUs, else 0. Given `specs` without the `pools`
    they were built from (a plan of the caller's own), the rows are made here.
    """
    specs, pools, rebuild_indexes, workers = _settle(
        options, specs, pools, rebuild_indexes, workers
    )
    report = FakeReport(options, indexes="rebuilt" if rebuild_indexes else "kept", workers=workers)
    # the workers start first: they make the first pieces while this process connects,
    # checks and prepares the tables (a refused run stops them, having written nothing)
    with (
        Pieces(specs, options.batch, workers=workers, options=options, pools=pools) as source,
        engine.connect() as connection,
        connection.begin(),
    ):
        connection.execute(text("SET LOCAL lock_timeout = '10s'"))
        connection.execute(select(func.pg_advisory_xact_lock(FAKE_LOCK_KEY)))
        target = inspect(connection, demo_keys)
        check(target, force=force, allow_testnet=allow_testnet)
        if target.existing:
            report.replaced = dict(target.existing)
            empty_filled_tables(connection)
        started = time.perf_counter()
        saved: list[deferred.Saved] = []
        frozen: set[str] = set()
        rebuild_table = None
        if rebuild_indexes:
            connection.execute(text("SET LOCAL maintenance_work_mem = '256MB'"))
            saved = deferred.save(connection, [spec.table for spec in specs])
            deferred.drop(connection, saved)
            frozen = _truncate_empty(connection, [spec.table for spec in specs])

            def rebuild_table(spec: TableSpec) -> None:
                deferred.restore_table(connection, saved, spec.table)

        driver = cast("psycopg.Connection[Any]", connection.connection.driver_connection)
        report.tables = copy_tables(
            driver,
            specs,
            batch=options.batch,
            reporter=reporter,
            source=source,
            after_table=rebuild_table,
            freeze=frozen,
        )
        source.close()  # the workers are done: let them go before the foreign keys
        if saved:
            rebuilt = time.perf_counter()
            _restore_foreign_keys(connection, saved, reporter)
            report.rebuild_seconds = (
                sum(result.index_seconds or 0.0 for result in report.tables)
                + time.perf_counter()
                - rebuilt
            )
        report.seconds = time.perf_counter() - started
    if analyze:
        started = time.perf_counter()
        if reporter is not None:  # a step of its own: the bar says what it waits for
            reporter.start("ANALYZE", len(specs))
        analyze_tables(engine, [spec.table for spec in specs], sessions=available_cpus())
        report.analyze_seconds = time.perf_counter() - started
        if reporter is not None:
            reporter.advance(len(specs))
            reporter.finish()
    return report


def _truncate_empty(connection: Connection, tables: Sequence[str]) -> set[str]:
    """TRUNCATE those of `tables` that hold no row; return their names.

    Truncated in this transaction (cheap: they are empty, and with their keys dropped
    nothing points at them), their COPY may write the rows frozen (`copy_tables`).
    A table still holding the devnet demo rows, which fake adds to, is left as it is.
    """
    probes = " UNION ALL ".join(
        f"SELECT {literal(name)} WHERE NOT EXISTS (SELECT FROM {quote(name)})" for name in tables
    )
    empty = {str(name) for (name,) in connection.execute(text(probes))}
    if empty:
        connection.execute(text(f"TRUNCATE TABLE {', '.join(quote(name) for name in empty)}"))
    return empty


def analyze_tables(engine: Engine, tables: Sequence[str], *, sessions: int) -> None:
    """ANALYZE `tables` (given largest first) over up to `sessions` connections at once.

    After the commit, so nothing stops the work being shared: in one session
    ``ANALYZE a, b, c`` samples the tables one after the other on one core. The tables
    are dealt out in turn, so each session gets its share of the large ones.
    """
    shares = [list(tables[number::sessions]) for number in range(max(1, sessions))]

    def analyze(share: list[str]) -> None:
        with engine.connect() as connection, connection.begin():
            connection.execute(text(f"ANALYZE {', '.join(quote(name) for name in share)}"))

    shares = [share for share in shares if share]
    if len(shares) <= 1:
        for share in shares:
            analyze(share)
        return
    with ThreadPoolExecutor(max_workers=len(shares)) as pool:
        for done in [pool.submit(analyze, share) for share in shares]:
            done.result()


def _restore_foreign_keys(
    connection: Connection, saved: list[deferred.Saved], reporter: Reporter | None
) -> None:
    step = "foreign keys"
    foreign = [item for item in saved if item.kind == "fkey"]
    if reporter is not None:
        reporter.start(step, len(foreign))
    deferred.restore_foreign_keys(
        connection, saved, on_done=None if reporter is None else (lambda _item: reporter.advance(1))
    )
    if reporter is not None:
        reporter.finish()
