"""Rows made by worker processes: the same bytes, the same database, and clean failures.

`gxschema fake` generates large runs in worker processes that hand COPY text to the
process holding the connection (gxschema.fake.parallel, gxschema.fake.copytext). These
tests check that the text is what psycopg itself would send, that the database holds
exactly what a one-process run writes, and that a failing worker or Ctrl-C leaves the
database as it was and no process or spooled file behind.
"""

from __future__ import annotations

import copy
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from psycopg import adapt
from sqlalchemy import text

from gxschema.errors import ConfigError
from gxschema.fake import FILLED_TABLES, FakeOptions, build_plan, copytext, fill, make_pools
from gxschema.fake.parallel import Pieces

from ..support.cli import clean_env, gxschema
from ..support.fake import apply_seeds, devnet_databases, table_hashes
from ..support.paths import ROOT

ODD_ROWS = [
    # text with every escaped character, the placeholders the fast path uses, empty text
    ("back\\slash", "tab\there", "new\nline\r\n", "\x01soh\x02stx", "", None),
    ("\b\v\f", "ünïcödé ✓", "NULL", "\\N", "'quoted'", "a,b"),
]
ARRAYS = [
    ["plain", "with space", 'dou"ble', "back\\slash", "", "NULL", "a,b", "{brace}"],
    [],
    ["tab\tnew\nline"],
]


@pytest.fixture(scope="module")
def pools():
    return make_pools(3)


def _psycopg_text(rows) -> bytes:
    from psycopg._copy_base import TextFormatter

    formatter = TextFormatter(adapt.Transformer())
    out = bytearray()
    for row in rows:
        out += formatter.write_row(row)
    return bytes(out + formatter.end())


# -- without a database -----------------------------------------------------------------


def test_python_and_psycopg_formatting_agree_on_every_fake_table(pools) -> None:
    specs = build_plan(FakeOptions(users=300, transactions_per_user=3, tenants=2), pools)
    for spec in specs:
        rows = list(spec.rows())
        count, data = copytext.encode_rows(rows)
        assert count == len(rows) == spec.count
        assert data == _psycopg_text(rows), spec.table
        assert copytext.encode_rows_here(rows) == (count, data), spec.table


def test_python_formatting_escapes_what_psycopg_escapes() -> None:
    moments = [
        datetime(2025, 3, 1, 12, 30, 45, 123000, tzinfo=UTC),
        datetime(2025, 3, 1, 12, 30, 45, tzinfo=timezone(timedelta(hours=3))),
        datetime(1999, 12, 31, 23, 59, 59),
    ]
    rows = [
        *ODD_ROWS,
        *(
            (array, moment, date(2024, 2, 29), True, False, -(2**40))
            for array, moment in zip(ARRAYS, moments, strict=True)
        ),
    ]
    assert copytext.encode_rows_here(rows) == (len(rows), _psycopg_text(rows))
    # and without the odd text rows: arrays, time zones, dates, booleans, large ints
    assert copytext.encode_rows_here(rows[2:]) == (3, _psycopg_text(rows[2:]))


def test_an_unknown_value_type_is_named() -> None:
    with pytest.raises(TypeError, match="float"):
        copytext.encode_rows_here([("a", 1.5)])


def test_workers_make_the_same_pieces_in_the_same_order(pools) -> None:
    options = FakeOptions(users=60, transactions_per_user=2, tenants=3)
    specs = build_plan(options, pools)
    specs.reverse()  # any order of the plan: workers find tables by name
    here = list(Pieces(specs, 7))
    with Pieces(specs, 7, workers=2, options=options, pools=pools, ahead_rows=50) as source:
        there = list(source)
    assert len(here) > 3 * len(specs)  # many pieces per table
    assert there == here
    assert multiprocessing.active_children() == []


# -- against PostgreSQL -----------------------------------------------------------------


def test_odd_values_read_back_as_written(pg_server, head_database, engine_for) -> None:
    engine = engine_for(head_database)
    rows = [
        (*ODD_ROWS[0], ARRAYS[0], datetime(2025, 3, 1, 12, 30, 45, 123000, tzinfo=UTC)),
        (
            *ODD_ROWS[1],
            ARRAYS[1],
            datetime(2025, 3, 1, 15, 30, tzinfo=timezone(timedelta(hours=3))),
        ),
    ]
    _count, data = copytext.encode_rows_here(rows)
    with engine.connect() as connection:
        connection.exec_driver_sql(
            "CREATE TEMP TABLE odd (a text, b text, c text, d text, e text, f text, "
            "g text[], h timestamp(3))"
        )
        driver = connection.connection.driver_connection
        with driver.cursor() as cursor, cursor.copy("COPY odd FROM STDIN") as copy:
            copy.write(data)
        back = connection.execute(text("SELECT * FROM odd ORDER BY h")).all()
    assert [tuple(row[:7]) for row in back] == [row[:7] for row in rows]
    # a timestamp column keeps the UTC wall time of an aware value (the offset is ignored:
    # fake data is always UTC)
    assert back[0][7] == datetime(2025, 3, 1, 12, 30, 45, 123000)


def test_workers_write_exactly_what_one_process_writes(
    pg_server, head_template, engine_for
) -> None:
    with devnet_databases(pg_server, head_template, engine_for, 2) as (first, second):
        options = FakeOptions(users=50, transactions_per_user=3, tenants=2, seed=5, batch=9)
        alone = fill(first, options, workers=0, rebuild_indexes=False)
        together = fill(second, options, workers=2, rebuild_indexes=True)
        assert (alone.workers, together.workers) == (0, 2)
        assert alone.total_rows == together.total_rows
        assert table_hashes(first) == table_hashes(second)
        # rebuilt in size order, largest first, yet every table is there
        sizes = [result.rows for result in together.tables]
        assert sizes == sorted(sizes, reverse=True)
        assert sorted(result.table for result in together.tables) == sorted(FILLED_TABLES)


def test_a_rebuilt_load_writes_empty_tables_frozen_and_keeps_the_demo_rows(
    pg_server, head_template, engine_for
) -> None:
    with devnet_databases(pg_server, head_template, engine_for, 1) as (engine,):
        before = _row_counts(engine)
        assert before["Transaction"] > 0  # the devnet seed's demo rows, which fake adds to
        options = FakeOptions(users=60, transactions_per_user=3, seed=7)
        report = fill(engine, options, workers=0, rebuild_indexes=True)
        written = {result.table: result.rows for result in report.tables}
        assert _row_counts(engine) == {
            table: before[table] + written[table] for table in FILLED_TABLES
        }
        empty = {table for table in FILLED_TABLES if before[table] == 0 and written[table] > 0}
        assert "AuditLog" in empty
        with engine.connect() as connection:
            # their COPY (FREEZE) made every page all-visible at once (fill's ANALYZE
            # read the visibility map into relallvisible); the others' pages are not yet
            pages = {
                str(name): (int(total), int(visible))
                for name, total, visible in connection.execute(
                    text(
                        "SELECT relname, relpages, relallvisible FROM pg_class "
                        "WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'"
                    )
                )
            }
        assert all(pages[table][0] > 0 and pages[table][1] == pages[table][0] for table in empty)
        assert pages["Transaction"][1] == 0


def _row_counts(engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            table: connection.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one()
            for table in FILLED_TABLES
        }


def test_a_failing_worker_leaves_nothing_behind(
    pg_server, head_database, engine_for, pools, monkeypatch, tmp_path
) -> None:
    engine = engine_for(head_database)
    apply_seeds(engine, "devnet")
    before = table_hashes(engine)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    options = FakeOptions(users=40, transactions_per_user=2, batch=10)
    specs = build_plan(options, pools)
    broken = copy.copy(pools)
    broken.email_domains = ()  # emails need a domain: the workers fail on the first user
    with pytest.raises(ZeroDivisionError):
        fill(engine, options, specs=specs, pools=broken, workers=2)
    assert table_hashes(engine) == before
    assert multiprocessing.active_children() == []
    assert list(tmp_path.iterdir()) == []  # the spooled pieces are gone


def test_no_temporary_folder_is_a_clear_refusal(
    pg_server, head_database, engine_for, pools, monkeypatch, tmp_path
) -> None:
    engine = engine_for(head_database)
    apply_seeds(engine, "devnet")
    before = table_hashes(engine)
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    monkeypatch.setattr(tempfile, "tempdir", str(not_a_folder))
    with pytest.raises(ConfigError, match=r"set TMPDIR .* --workers 0\. Nothing was written"):
        fill(engine, FakeOptions(users=30), pools=pools, workers=2)
    assert table_hashes(engine) == before
    assert multiprocessing.active_children() == []


def test_the_command_runs_workers_and_says_so(pg_server, head_database, engine_for) -> None:
    apply_seeds(engine_for(head_database), "devnet")
    env = clean_env(**pg_server.env(head_database))
    ran = gxschema("--json", "fake", "--users", "30", "--workers", "2", "--batch", "20", env=env)
    assert ran.code == 0, ran.stderr
    report = json.loads(ran.stdout)
    assert report["workers"] == 2
    assert report["total_rows"] == sum(item["rows"] for item in report["tables"])
    bad = gxschema("fake", "--users", "30", "--workers", "-1", env=env)
    assert bad.code == 2
    assert "--workers" in bad.stderr


@pytest.mark.slow
def test_ctrl_c_stops_the_workers_and_rolls_back(
    pg_server, head_database, engine_for, tmp_path
) -> None:
    engine = engine_for(head_database)
    apply_seeds(engine, "devnet")
    before = table_hashes(engine)
    env = clean_env(**pg_server.env(head_database), TMPDIR=str(tmp_path))
    child = subprocess.Popen(
        [sys.executable, "-m", "gxschema", "fake", "--users", "40000", "--workers", "2"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    workers: list[int] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and child.poll() is None:
        if any(tmp_path.glob("gxschema-fake-*/*.copy")):
            workers = _children(child.pid)
            break
        time.sleep(0.05)
    assert workers, "the workers never spooled a piece"
    time.sleep(1.0)
    os.kill(child.pid, signal.SIGINT)
    _out, err = child.communicate(timeout=60)
    assert child.returncode != 0
    assert "Traceback" not in err
    assert table_hashes(engine) == before
    assert list(tmp_path.iterdir()) == []
    # the workers (and multiprocessing's resource tracker) end with their parent
    deadline = time.monotonic() + 10
    while [pid for pid in workers if Path(f"/proc/{pid}").exists()]:
        assert time.monotonic() < deadline, f"left running: {workers}"
        time.sleep(0.1)


def _children(pid: int) -> list[int]:
    ran = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    return [int(child) for child in ran.stdout.split()]
