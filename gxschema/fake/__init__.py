"""Realistic synthetic data at scale: ``gxschema fake`` (library: `fill`).

    from gxschema.fake import FakeOptions, fill

    report = fill(engine, FakeOptions(users=10_000, transactions_per_user=10, seed=7))
    print(report.total_rows, report.rows_per_second)

Fills every domain the services write (39 tables: users and their KYC, trust,
sessions, devices, notifications; wallets and transactions; organisations with
business accounts and multi-signature approvals; licensed partners with their apps,
licenses, credentials and webhooks; outbox, events, audit, rate limits, health
metrics) with rows that satisfy every constraint of the schema and refer to each
other consistently. The same options give the same rows in any database.

How it runs (one transaction: a failure or Ctrl-C leaves the database as it was):

1. refuse a mainnet database and one whose filled tables already hold rows (other
   than the devnet demo rows) unless `force`, which empties them first (`guard`);
2. for large runs, drop the tables' indexes and keys (`deferred`);
3. stream every table with COPY, parents first, a batch at a time (`writer`);
4. create the indexes and keys again, PostgreSQL checking every constraint;
5. commit, then ANALYZE the filled tables so the planner knows their new sizes.

Modules: `core` (options, ids, randomness), `pools` (Faker-made names and phrases),
one module per domain (`identity`, `trust`, `kyc`, `wallet`, `risk`, `security`,
`notifications`, `licensing`, `platform`, `cqrs`, `business`, `audit`), `plan` (the
order), `writer` (COPY and progress), `guard` (refusals).
"""

from __future__ import annotations

import time
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
from gxschema.fake.plan import FILLED_TABLES, build_plan
from gxschema.fake.pools import Pools
from gxschema.fake.pools import build as build_pools
from gxschema.fake.writer import Reporter, TableResult, copy_tables

REBUILD_FROM = 200_000
"""Runs writing this many rows or more rebuild indexes and keys after the COPY by default."""
FAKE_LOCK_KEY = 0x6778_6661_6B65_2121
"""Advisory lock of fake runs ("gxfake!!"), so two runs never interleave."""

__all__ = [
    "FILLED_TABLES",
    "REBUILD_FROM",
    "FakeOptions",
    "FakeReport",
    "TableResult",
    "TableSpec",
    "build_plan",
    "fill",
    "make_pools",
]


@dataclass
class FakeReport:
    options: FakeOptions
    indexes: str = "kept"
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
                }
                for result in self.tables
            ],
            "indexes": self.indexes,
            "total_rows": self.total_rows,
            "seconds": round(self.seconds, 3),
            "rows_per_second": round(self.rows_per_second),
            "rebuild_seconds": None
            if self.rebuild_seconds is None
            else round(self.rebuild_seconds, 3),
            "analyze_seconds": None
            if self.analyze_seconds is None
            else round(self.analyze_seconds, 3),
            "replaced": self.replaced,
        }


def make_pools(seed: int) -> Pools:
    """Faker's pools for `seed`; a ConfigError when Faker is not installed."""
    try:
        return build_pools(seed)
    except ImportError:
        raise ConfigError("fake data needs Faker: pip install 'gxschema[demo]'") from None


def check(target: Target, *, force: bool) -> None:
    """Raise ConfigError when fake must not write to `target` (see `guard`)."""
    reason = target.mainnet_reason()
    if reason:
        raise ConfigError(
            f"refusing to write fake data to {target.database}: it looks like mainnet, "
            f"because {reason}. Nothing was written (--force does not override this)"
        )
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


def fill(
    engine: Engine,
    options: FakeOptions,
    *,
    force: bool = False,
    analyze: bool = True,
    demo_keys: DemoKeys | None = packaged_demo_keys,
    reporter: Reporter | None = None,
    specs: list[TableSpec] | None = None,
    rebuild_indexes: bool | None = None,
) -> FakeReport:
    """Check the database, then write the fake data in one transaction (see the module).

    With `rebuild_indexes` the tables' indexes and keys are dropped before the COPY and
    created again after it (`deferred`): for large loads much faster than maintaining
    them row by row, but readers are locked out until the commit. None (the default)
    rebuilds when the run writes at least `REBUILD_FROM` rows: below that, the fixed
    cost of some 190 CREATE INDEX and ALTER TABLE statements outweighs the gain.
    """
    problems = options.problems()
    if problems:
        raise ConfigError("; ".join(problems))
    if specs is None:
        specs = build_plan(options, make_pools(options.seed))
    if rebuild_indexes is None:
        rebuild_indexes = sum(spec.count for spec in specs) >= REBUILD_FROM
    report = FakeReport(options, indexes="rebuilt" if rebuild_indexes else "kept")
    with engine.connect() as connection:
        with connection.begin():
            connection.execute(text("SET LOCAL lock_timeout = '10s'"))
            connection.execute(select(func.pg_advisory_xact_lock(FAKE_LOCK_KEY)))
            target = inspect(connection, demo_keys)
            check(target, force=force)
            if target.existing:
                report.replaced = dict(target.existing)
                empty_filled_tables(connection)
            started = time.perf_counter()
            saved: list[deferred.Saved] = []
            if rebuild_indexes:
                connection.execute(text("SET LOCAL maintenance_work_mem = '256MB'"))
                saved = deferred.save(connection, [spec.table for spec in specs])
                deferred.drop(connection, saved)
            driver = cast("psycopg.Connection[Any]", connection.connection.driver_connection)
            report.tables = copy_tables(driver, specs, batch=options.batch, reporter=reporter)
            if saved:
                rebuilt = time.perf_counter()
                _restore(connection, saved, reporter)
                report.rebuild_seconds = time.perf_counter() - rebuilt
            report.seconds = time.perf_counter() - started
        if analyze:
            started = time.perf_counter()
            with connection.begin():
                names = ", ".join(f'"{spec.table}"' for spec in specs)
                connection.execute(text(f"ANALYZE {names}"))
            report.analyze_seconds = time.perf_counter() - started
    return report


def _restore(
    connection: Connection, saved: list[deferred.Saved], reporter: Reporter | None
) -> None:
    step = "indexes and keys"
    if reporter is not None:
        reporter.start(step, len(saved))
    deferred.restore(
        connection, saved, on_done=None if reporter is None else (lambda _item: reporter.advance(1))
    )
    if reporter is not None:
        reporter.finish()
