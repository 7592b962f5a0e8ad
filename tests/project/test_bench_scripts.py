"""The start-up, migrate, seed and hot-read benchmarks still run, at a tiny scale.

Their figures are not checked (speed is measured by the scripts, not by tests; see
docs/performance.md), only that a script the doc tells a reader to run works, prints
every method it compares side by side, and leaves no scratch database behind.
"""

from __future__ import annotations

import pytest

from ..support.bench import assert_cleaned_up, databases_named, start_bench
from ..support.bench import run_bench as _bench


@pytest.mark.slow
def test_the_migrate_benchmark_runs_gxschema_beside_psql(pg_server) -> None:
    ran = _bench(pg_server, "bench/migrate.py", "--rounds", "1")
    for method in (
        "| gxschema migrate (child process) ",
        "| gxschema.migrator.migrate (in process, no start-up) ",
        "| psql -v ON_ERROR_STOP=1 -f offline SQL (the floor) ",
        "| psql -1 -f offline SQL, CONCURRENTLY made plain (one transaction) ",
        "| python -c pass (no database) ",
        "Load average (1 min) over the rounds",
    ):
        assert method in ran.stdout, method
    assert "| - " not in ran.stdout  # psql ran: every method has its figures
    assert_cleaned_up(ran)


@pytest.mark.slow
def test_the_seed_benchmark_runs_the_no_op_beside_its_floors(pg_server) -> None:
    ran = _bench(pg_server, "bench/seed.py", "--rounds", "1", "--env", "testnet")
    for method in (
        "| gxschema seed, first run (writes every row) ",
        "| gxschema seed, again: the no-op (one query) ",
        "| gxschema seed --compare-rows, again: the full no-op ",
        "| python -c pass (the interpreter) ",
        "| python: import psycopg, connect, SELECT 1 ",
        "| seeding.apply, again: compares every row, writes none ",
        "Load average (1 min) over the rounds",
    ):
        assert method in ran.stdout, method
    assert_cleaned_up(ran)


@pytest.mark.slow
def test_the_queries_benchmark_runs_each_read_through_the_package_and_psycopg(
    pg_server,
) -> None:
    ran = _bench(
        pg_server,
        "bench/queries.py",
        "--users",
        "200",
        "--runs",
        "20",
        "--no-plan-check",
    )
    assert "| psycopg p50 " in ran.stdout and "| package p50 " in ran.stdout
    for query in (
        "| wallet history page (20 latest) ",
        "| outbox claim (10 pending) ",
        "| unread notifications of a user ",
        "| audit log of an actor (50 latest) ",
        "| rate-limit hit (upsert of a window) ",
    ):
        assert query in ran.stdout, query
    assert_cleaned_up(ran)


@pytest.mark.parametrize(
    "prefix",
    ["gxbench_Semi;colon'", "mine_"],
    ids=["characters-sql-would-need-quoted", "not-under-gxbench"],
)
def test_a_bad_scratch_prefix_is_refused_in_one_line_before_anything_is_made(
    pg_server, prefix: str
) -> None:
    ran = start_bench(pg_server, "bench/seed.py", "--rounds", "1", prefix=prefix, timeout=60)
    assert ran.returncode == 2, ran.stderr[-2000:]
    assert ran.stderr.strip().splitlines() == [
        f"bench: GXBENCH_PREFIX={prefix!r} must be gxbench_ followed by at most"
        " 40 of a-z, 0-9 and _"
    ]
    assert ran.stdout == ""
    assert databases_named(pg_server, prefix) == frozenset()
