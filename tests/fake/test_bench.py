"""The benchmark scripts still run: each, at a tiny scale, prints its tables and cleans up.

Their figures are not checked (speed is not tested here; see docs/performance.md), only
that a script a reader is told to run works, names every method it compares, and
leaves no scratch database behind.
"""

from __future__ import annotations

import json

import pytest

from ..support.bench import assert_cleaned_up, run_bench


@pytest.mark.slow
def test_the_fake_benchmark_compares_every_method(pg_server) -> None:
    ran = run_bench(
        pg_server,
        "bench/fake.py",
        "--users",
        "120",
        "--orm-users",
        "10",
        "--small-users",
        "40",
        "--orm-full",
        "--variants",
        "--rounds",
        "2",
        timeout=600,
    )
    for method in (
        "ANALYZE included), median of 2",
        "no ANALYZE), median of 2",
        "gxschema fake --workers 0",
        "gxschema fake --indexes keep",
        "pg_restore -j 2 of a pg_dump -Fd",
        "psql -1: drop keys and indexes, \\copy, rebuild",
        "psql: drop, \\copy, commit, rebuild over 2 sessions",
        "psql -1 \\copy into the indexed tables",
        "10 users on top of the loaded tables (the ORM alone)",
        "10 users into empty tables (the whole loop)",
        "120 users (all) from empty tables: fake's own rows (the whole loop)",
        "pg_restore -j 2, then vacuumdb --analyze-only -j 2 (statistics, as fake)",
        "### CPU: the machine's busy CPU seconds during each method",
        "| gxschema fake, default flags (round 2) ",
        "| psql: the rebuild over 2 sessions ",
        "### Peak memory of gxschema fake",
    ):
        assert method in ran.stdout, method
    assert_cleaned_up(ran)


@pytest.mark.slow
def test_the_fake_benchmark_floor_only_times_fake_and_pg_restore_round_by_round(
    pg_server,
) -> None:
    ran = run_bench(
        pg_server,
        "bench/fake.py",
        "--users",
        "30",
        "--floor-only",
        "--rounds",
        "2",
        timeout=300,
    )
    assert "### gxschema fake against pg_restore -j 2 of its rows" in ran.stdout
    assert "| 1 " in ran.stdout and "| 2 " in ran.stdout
    assert "+ vacuumdb --analyze-only s" in ran.stdout
    cpu = ran.stdout.split("### CPU: the machine's busy CPU seconds", 1)[1]
    for method in (
        "gxschema fake, default flags",
        "pg_restore -j 2",
        "pg_restore -j 2, then vacuumdb --analyze-only -j 2",
    ):
        for round_number in (1, 2):
            assert f"| {method} (round {round_number}) " in cpu, (method, round_number)
    assert "psql" not in ran.stdout and "ORM" not in ran.stdout
    assert_cleaned_up(ran)


@pytest.mark.slow
def test_the_fake_benchmark_memory_mode_runs_fake_alone_at_each_size(pg_server) -> None:
    ran = run_bench(
        pg_server,
        "bench/fake.py",
        "--memory",
        "20,40",
        timeout=300,
    )
    assert "### Peak memory of gxschema fake" in ran.stdout
    assert "| 20 users, 0 workers " in ran.stdout and "| 40 users, 0 workers " in ran.stdout
    assert "pg_restore" not in ran.stdout
    assert_cleaned_up(ran)


@pytest.mark.slow
def test_the_online_migration_benchmark_measures_each_revision_under_load(
    pg_server, tmp_path
) -> None:
    figures = tmp_path / "figures.json"
    ran = run_bench(
        pg_server,
        "bench/online_migration.py",
        "--transactions",
        "2000",
        "--target",
        "0002",
        "--phases",
        "up,down",
        "--writers",
        "2",
        "--rate",
        "50",
        "--baseline",
        "1",
        "--pause",
        "0.3",
        "--json",
        str(figures),
        timeout=300,
    )
    for heading in (
        "### Baseline: the load alone",
        "### gxschema migrate, 0001 -> 0002 one revision at a time",
        "### gxschema downgrade, 0002 -> 0001 one revision at a time",
        "| migrate 0002 ",
        "| downgrade 0001 ",
        "### Goals at 2,000 transactions",
        "load average",
    ):
        assert heading in ran.stdout, heading
    found = json.loads(figures.read_text())
    assert found["transactions"] == 2000 and found["users"] == 200
    assert [window["command"] for window in found["up"]] == ["migrate 0002"]
    assert [window["command"] for window in found["down"]] == ["downgrade 0001"]
    assert found["baseline"]["writes"] > 0 and found["baseline"]["failed_writes"] == 0
    upgrade = found["up"][0]
    assert upgrade["exit"] == 0 and upgrade["writes"] > 0
    assert 0 < upgrade["seconds_in_database"] <= upgrade["seconds"]
    assert upgrade["longest_write_ms"] >= upgrade["p99_ms"] > 0
    assert upgrade["longest_write_ms"] >= upgrade["longest_wait_on_migration_ms"] >= 0
    fitted = run_bench(pg_server, "bench/online_migration.py", "--fit", str(figures), timeout=60)
    assert "| migrate 0002 " in fitted.stdout
    assert "at 100,000,000 (estimate)" in fitted.stdout
    assert fitted.created == ()  # --fit reads the figures only
    assert_cleaned_up(ran)
