"""The start-up, migrate, seed and hot-read benchmarks still run, at a tiny scale.

Their figures are not checked (speed is measured by the scripts, not by tests; see
docs/performance.md), only that a script the doc tells a reader to run works, prints
every method it compares side by side, and leaves no scratch database behind.
"""

from __future__ import annotations

import pytest

from ..support.bench import run_bench as _bench
from ..support.bench import scratch_databases as _scratch_databases


@pytest.mark.slow
def test_the_migrate_benchmark_runs_gxschema_beside_psql(pg_server) -> None:
    before = _scratch_databases(pg_server)
    printed = _bench(pg_server, "bench/migrate.py", "--rounds", "1")
    for method in (
        "| gxschema migrate (child process) ",
        "| gxschema.migrator.migrate (in process, no start-up) ",
        "| psql -v ON_ERROR_STOP=1 -f offline SQL (the floor) ",
        "| psql -1 -f offline SQL, CONCURRENTLY made plain (one transaction) ",
        "| python -c pass (no database) ",
        "Load average (1 min) over the rounds",
    ):
        assert method in printed, method
    assert "| - " not in printed  # psql ran: every method has its figures
    assert _scratch_databases(pg_server) == before


@pytest.mark.slow
def test_the_seed_benchmark_runs_the_no_op_beside_its_floors(pg_server) -> None:
    before = _scratch_databases(pg_server)
    printed = _bench(pg_server, "bench/seed.py", "--rounds", "1", "--env", "testnet")
    for method in (
        "| gxschema seed, first run (writes every row) ",
        "| gxschema seed, again: the no-op (one query) ",
        "| gxschema seed --compare-rows, again: the full no-op ",
        "| python -c pass (the interpreter) ",
        "| python: import psycopg, connect, SELECT 1 ",
        "| seeding.apply, again: compares every row, writes none ",
        "Load average (1 min) over the rounds",
    ):
        assert method in printed, method
    assert _scratch_databases(pg_server) == before


@pytest.mark.slow
def test_the_queries_benchmark_runs_each_read_through_the_package_and_psycopg(
    pg_server,
) -> None:
    before = _scratch_databases(pg_server)
    printed = _bench(
        pg_server,
        "bench/queries.py",
        "--users",
        "200",
        "--runs",
        "20",
        "--no-plan-check",
    )
    assert "| psycopg p50 " in printed and "| package p50 " in printed
    for query in (
        "| wallet history page (20 latest) ",
        "| outbox claim (10 pending) ",
        "| unread notifications of a user ",
        "| audit log of an actor (50 latest) ",
        "| rate-limit hit (upsert of a window) ",
    ):
        assert query in printed, query
    assert _scratch_databases(pg_server) == before
