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
2. for large runs, drop the tables' indexes and keys (`deferred`), and truncate the
   tables that are empty, so their COPY writes the rows frozen (no later rewrite of
   every page for hint bits);
3. stream every table with COPY, a piece at a time (`writer`): parents first, or
   with the keys dropped the largest tables first; large runs have worker processes
   make the rows (`parallel`), one per CPU;
4. with the keys dropped, create each table's indexes and keys again right after its
   COPY (while the workers make the next tables' rows), the foreign keys at the end:
   PostgreSQL checks every constraint;
5. commit, then ANALYZE the filled tables so the planner knows their new sizes, over
   one session per CPU.

Modules: `load` (`fill`: the steps above), `core` (options, ids, randomness), `pools`
(Faker-made names and phrases), one module per domain (`identity`, `trust`, `kyc`,
`wallet`, `risk`, `security`, `notifications`, `licensing`, `platform`, `cqrs`,
`business`, `audit`), `plan` (the order), `parallel` (worker processes), `copytext`
(rows as COPY text), `writer` (COPY and progress), `deferred` (dropping and rebuilding
indexes and keys), `guard` (refusals).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gxschema.fake.core import FakeOptions, TableSpec
    from gxschema.fake.load import FakeReport, fill, make_pools
    from gxschema.fake.plan import FILLED_TABLES, build_plan
    from gxschema.fake.thresholds import PARALLEL_FROM, REBUILD_FROM
    from gxschema.fake.writer import TableResult

__all__ = [
    "FILLED_TABLES",
    "PARALLEL_FROM",
    "REBUILD_FROM",
    "FakeOptions",
    "FakeReport",
    "TableResult",
    "TableSpec",
    "build_plan",
    "fill",
    "make_pools",
]

_LOADED_LAZILY = {
    "PARALLEL_FROM": "thresholds",
    "REBUILD_FROM": "thresholds",
    "FakeOptions": "core",
    "TableSpec": "core",
    "FILLED_TABLES": "plan",
    "build_plan": "plan",
    "FakeReport": "load",
    "TableResult": "load",
    "fill": "load",
    "make_pools": "load",
}


def __getattr__(name: str) -> Any:
    # the worker processes import this package to generate rows: loading (SQLAlchemy,
    # the models) is imported only by those who ask for it; and the command line
    # imports `gxschema.fake.thresholds` for `fake --help` without the generators
    if name in _LOADED_LAZILY:
        module = importlib.import_module(f"gxschema.fake.{_LOADED_LAZILY[name]}")
        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
