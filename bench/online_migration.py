"""Benchmark (not a test): upgrading a loaded v2.0 database to head while a service writes.

    python bench/online_migration.py [--users 100000] [--transactions-per-user 10]

A scratch database is migrated to the v2.0 baseline (revision 0001) and filled with
the countries and, from ``gxschema.fake``, users, wallets and 1,000,000 transactions
(then ANALYZE), as production is before its first ``gxschema migrate``. Then a writer
thread inserts one transaction per statement (autocommit, as a service does), and:

1. for `--baseline` seconds the writer runs alone: its insert latencies without any
   migration, the reference;
2. ``gxschema migrate`` (the Job's command, a child process, default lock and
   statement timeouts) upgrades 0001 to head while the writer goes on.

Reported: the migration's wall time, and the writer's inserts, median and worst
insert latency ("longest stall"), and longest gap between two commits, for the
baseline and during the migration, side by side; and, from the migration's
progress lines, which revision was running at the writer's longest stall.
"""

from __future__ import annotations

import subprocess
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from itertools import pairwise

import psycopg
from _common import (
    GXSCHEMA,
    Database,
    arguments,
    machine,
    migrate,
    percentile,
    say,
    server,
    table,
)
from sqlalchemy import insert

from gxschema.fake import FakeOptions, build_plan, deferred, make_pools
from gxschema.fake.writer import copy_tables

V2_0 = "0001"
LOADED = ("UserProfile", "Wallet", "Transaction")


@dataclass
class Writer:
    """Inserts transactions one by one until stopped; records when each one committed."""

    database: Database
    wallets: list[tuple[str, str]]
    commits: list[tuple[float, float]] = field(default_factory=list)
    """(started, committed) of each insert, perf_counter seconds."""
    errors: list[str] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        with psycopg.connect(**self.database.libpq(), autocommit=True) as connection:
            number = 0
            while not self._stop.is_set():
                tenant, wallet = self.wallets[number % len(self.wallets)]
                started = time.perf_counter()
                try:
                    connection.execute(
                        """INSERT INTO "Transaction" ("offTxId", "tenantId", "walletId", type,
                           counterparty, amount, fee, "timestamp")
                           VALUES (gen_random_uuid()::text, %s, %s, 'RECEIVED',
                                   'SYSTEM_GENESIS_POOL', %s, 0, %s)""",
                        (tenant, wallet, Decimal("1.5"), datetime.now(UTC)),
                        prepare=True,
                    )
                except psycopg.Error as error:  # keep writing, as a service retries
                    self.errors.append(str(error).splitlines()[0])
                    continue
                self.commits.append((started, time.perf_counter()))
                number += 1

    def stop(self) -> None:
        self._stop.set()

    def between(self, start: float, end: float) -> tuple[int, float, float, float]:
        """(inserts, median ms, worst ms, longest gap between commits ms) in [start, end]."""
        inside = [(s, c) for s, c in self.commits if start <= c <= end]
        if not inside:
            return 0, float("nan"), float("nan"), (end - start) * 1000
        latencies = [(c - s) * 1000 for s, c in inside]
        moments = [start] + [c for _s, c in inside] + [end]
        gap = max(b - a for a, b in pairwise(moments)) * 1000
        return len(inside), percentile(latencies, 0.5), max(latencies), gap


@dataclass
class Watcher:
    """Samples what the migration's session runs (pg_stat_activity), every 20 ms."""

    database: Database
    seen: list[tuple[float, str]] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        with psycopg.connect(**self.database.libpq(), autocommit=True) as connection:
            while not self._stop.is_set():
                for (query,) in connection.execute(
                    """SELECT left(regexp_replace(query, '\\s+', ' ', 'g'), 90)
                       FROM pg_stat_activity
                       WHERE datname = current_database() AND application_name = 'gxschema'
                         AND state = 'active' AND pid <> pg_backend_pid()"""
                ):
                    self.seen.append((time.perf_counter(), str(query)))
                time.sleep(0.02)

    def stop(self) -> None:
        self._stop.set()


def load_v2_0(database: Database, users: int, per_user: int) -> int:
    """Countries from the seed file, then users, wallets, transactions from fake."""
    from gxschema import seeding
    from gxschema.cli.seed_command import default_seeds_dir
    from gxschema.models import metadata

    (countries,) = seeding.load(default_seeds_dir(), "devnet", only=["countries"])
    options = FakeOptions(users=users, transactions_per_user=per_user)
    specs = [spec for spec in build_plan(options, make_pools(options.seed)) if spec.table in LOADED]
    engine = database.engine()
    with engine.connect() as connection:
        with connection.begin():
            connection.execute(insert(metadata.tables["Country"]), list(countries.tables[0].rows))
            saved = deferred.save(connection, list(LOADED))
            deferred.drop(connection, saved)
            copy_tables(connection.connection.driver_connection, specs, batch=5000)  # type: ignore[arg-type]
            deferred.restore(connection, saved)
        with connection.begin():
            connection.exec_driver_sql('ANALYZE "UserProfile", "Wallet", "Transaction"')
    engine.dispose()
    return sum(spec.count for spec in specs)


def main() -> None:
    parser = arguments(__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--transactions-per-user", type=int, default=10)
    parser.add_argument("--baseline", type=float, default=10.0, help="seconds")
    args = parser.parse_args()
    with server(keep=args.keep) as srv:
        database = srv.create()
        migrate(database, V2_0)
        say(f"v2.0 baseline: loading {args.users:,} users x {args.transactions_per_user}")
        rows = load_v2_0(database, args.users, args.transactions_per_user)
        engine = database.engine()
        with engine.connect() as connection:
            wallets = [
                (str(tenant), str(wallet))
                for tenant, wallet in connection.exec_driver_sql(
                    'SELECT "tenantId", "walletId" FROM "Wallet" ORDER BY random() LIMIT 1000'
                )
            ]
            transactions = connection.exec_driver_sql(
                'SELECT count(*) FROM "Transaction"'
            ).scalar_one()
        engine.dispose()

        writer = Writer(database, wallets)
        thread = threading.Thread(target=writer.run, daemon=True)
        thread.start()
        say(f"writer alone for {args.baseline:g}s")
        base_start = time.perf_counter()
        time.sleep(args.baseline)
        base_end = time.perf_counter()

        say("gxschema migrate (0001 -> head) while the writer writes")
        watcher = Watcher(database)
        watching = threading.Thread(target=watcher.run, daemon=True)
        watching.start()
        started = time.perf_counter()
        process = subprocess.run(
            [*GXSCHEMA, "migrate"], env=database.env(), capture_output=True, text=True, check=False
        )
        ended = time.perf_counter()
        watcher.stop()
        watching.join()
        time.sleep(1.0)
        writer.stop()
        thread.join()
        if process.returncode != 0:
            raise SystemExit(f"gxschema migrate failed: {process.stderr[-2000:]}")
        version = srv.version()

    base = writer.between(base_start, base_end)
    during = writer.between(started, ended)
    inside = [(s, c) for s, c in writer.commits if started <= c <= ended]
    worst = max(inside, key=lambda item: item[1] - item[0]) if inside else (started, started)
    seen = list(  # in the order they were first seen
        dict.fromkeys(
            statement.strip()
            for moment, statement in watcher.seen
            if worst[0] <= moment <= worst[1]
        )
    )
    print(f"\nMachine: {machine(version)}\n")
    table(
        f"Upgrading v2.0 (0001) holding {transactions:,} transactions ({rows:,} rows loaded) "
        "to head while a writer inserts",
        [
            "phase",
            "seconds",
            "inserts",
            "inserts/s",
            "median ms",
            "longest stall ms",
            "longest gap ms",
        ],
        [
            [
                "writer alone (baseline)",
                f"{base_end - base_start:.1f}",
                f"{base[0]:,}",
                f"{base[0] / (base_end - base_start):,.0f}",
                f"{base[1]:.2f}",
                f"{base[2]:.0f}",
                f"{base[3]:.0f}",
            ],
            [
                "during gxschema migrate",
                f"{ended - started:.1f}",
                f"{during[0]:,}",
                f"{during[0] / (ended - started):,.0f}",
                f"{during[1]:.2f}",
                f"{during[2]:.0f}",
                f"{during[3]:.0f}",
            ],
        ],
    )
    print(
        "The migration's statements seen running during the writer's longest stall, in order: "
        + (" | ".join(seen) if seen else "(none sampled)")
    )
    if writer.errors:
        print(f"Writer errors: {len(writer.errors)} (first: {writer.errors[0]})")


if __name__ == "__main__":
    main()
