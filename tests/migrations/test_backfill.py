"""gxschema.backfill: bounded batches by primary key, resumable after a kill, with progress."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from alembic import command
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import text

from gxschema import backfill, catalog
from gxschema.alembic_config import make_config
from gxschema.errors import ConfigError, OperationError

from ..support.cli import clean_env
from ..support.paths import FIXTURES, ROOT

ROWS = 200

# Every row remembers how often it was updated and by which transaction: a batch
# done twice shows as touched = 2, and the transactions show the batch sizes.
_DEMO_TABLE = """
CREATE TABLE backfill_demo (
    id text PRIMARY KEY,
    amount integer NOT NULL,
    amount_v2 bigint,
    touched integer NOT NULL DEFAULT 0,
    batch_xid bigint
);
INSERT INTO backfill_demo (id, amount)
SELECT lpad(n::text, 6, '0'), n FROM generate_series(1, 200) AS n;
"""

SET_CLAUSE = "amount_v2 = amount, touched = touched + 1, batch_xid = txid_current()"


@pytest.fixture
def demo(empty_database, engine_for):
    engine = engine_for(empty_database)
    with engine.begin() as connection:
        connection.exec_driver_sql(_DEMO_TABLE)
    return engine


def _rows(engine) -> dict[str, list[int]]:
    with engine.connect() as connection:
        touched = connection.execute(
            text("SELECT touched FROM backfill_demo ORDER BY id")
        ).scalars()
        sizes = connection.execute(
            text(
                "SELECT count(*) FROM backfill_demo WHERE batch_xid IS NOT NULL "
                "GROUP BY batch_xid ORDER BY min(id)"
            )
        ).scalars()
        return {"touched": list(touched), "batch_sizes": list(sizes)}


def _cursor(engine, job: str) -> dict[str, object] | None:
    with engine.connect() as connection:
        exists = connection.execute(text("SELECT to_regclass('gxschema_backfill_progress')"))
        if exists.scalar() is None:
            return None
        row = connection.execute(
            text("SELECT * FROM gxschema_backfill_progress WHERE job = :job"), {"job": job}
        )
        found = row.mappings().first()
        return dict(found) if found else None


def test_updates_every_row_once_in_bounded_batches_and_reports_progress(demo) -> None:
    seen: list[backfill.Progress] = []
    final = backfill.run(
        demo,
        job="demo",
        table="backfill_demo",
        set_clause=SET_CLAUSE,
        batch_size=30,
        pause_seconds=0,
        on_progress=seen.append,
    )
    rows = _rows(demo)
    assert rows["touched"] == [1] * ROWS
    assert rows["batch_sizes"] == [30] * 6 + [20]  # one transaction per batch of <= 30 keys
    assert [p.rows_done for p in seen] == [30, 60, 90, 120, 150, 180, 200, 200]
    assert [p.batches_done for p in seen][-1] == 7 and seen[-1].finished
    assert seen[0].last_key == "000030" and final.last_key == "000200"
    assert final.rows_per_second > 0
    cursor = _cursor(demo, "demo")
    assert cursor is not None and cursor["rows_done"] == ROWS and cursor["finished_at"]
    # a finished job does nothing when run again
    again = backfill.run(demo, job="demo", table="backfill_demo", set_clause=SET_CLAUSE)
    assert again.finished and again.rows_done == ROWS
    assert _rows(demo)["touched"] == [1] * ROWS


def test_where_limits_the_rows_but_not_the_walk(demo) -> None:
    final = backfill.run(
        demo,
        job="even",
        table="backfill_demo",
        set_clause=SET_CLAUSE,
        where="amount % 2 = 0",
        batch_size=50,
        pause_seconds=0,
    )
    assert final.rows_done == ROWS // 2 and final.batches_done == 4
    assert sorted(set(_rows(demo)["touched"])) == [0, 1]


def test_resumes_after_sigkill_without_redoing_finished_batches(demo, pg_server, empty_database):
    env = clean_env(**pg_server.env(empty_database))
    arguments = [
        sys.executable,
        "-m",
        "gxschema.backfill",
        "--job=killed",
        "--table=backfill_demo",
        f"--set={SET_CLAUSE}",
        "--batch-size=10",
    ]
    child = subprocess.Popen(
        [*arguments, "--pause=0.1"], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            cursor = _cursor(demo, "killed")
            if cursor is not None and int(cursor["batches_done"]) >= 4:  # type: ignore[arg-type]
                break
            time.sleep(0.05)
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    cursor = _cursor(demo, "killed")
    assert cursor is not None and cursor["finished_at"] is None
    done_before = int(cursor["rows_done"])  # type: ignore[arg-type]
    assert 40 <= done_before < ROWS, cursor
    # what the cursor says is exactly what the table holds: batch and cursor commit together
    assert sum(_rows(demo)["touched"]) == done_before

    rerun = subprocess.run(
        [*arguments, "--pause=0"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert rerun.returncode == 0, rerun.stderr
    reports = [json.loads(line) for line in rerun.stdout.splitlines()]
    assert reports[0]["rows_done"] == done_before + 10  # the first batch after the cursor
    assert reports[-1]["finished"] and reports[-1]["rows_done"] == ROWS
    assert "resuming after id=" in rerun.stderr
    rows = _rows(demo)
    assert rows["touched"] == [1] * ROWS  # no row updated twice, none missed
    assert all(size == 10 for size in rows["batch_sizes"])


def test_runs_inside_a_revision_autocommit_block(demo) -> None:
    """The way a revision calls it: op.get_bind() within autocommit_block()."""
    with demo.connect() as connection:
        context = MigrationContext.configure(connection)
        with Operations.context(context), context.begin_transaction():
            op = Operations(context)
            with op.get_context().autocommit_block():
                final = backfill.run(
                    op.get_bind(),
                    job="in_revision",
                    table="backfill_demo",
                    set_clause=SET_CLAUSE,
                    batch_size=64,
                    pause_seconds=0,
                )
    assert final.finished and final.batches_done == 4
    assert _rows(demo)["batch_sizes"] == [64, 64, 64, 8]


SLEEP_10MS_PER_ROW = "(SELECT 0 FROM pg_sleep(0.01 + amount * 0))"  # correlated: once per row


def test_a_batch_over_statement_timeout_fails_clearly_and_keeps_the_cursor(demo) -> None:
    with pytest.raises(OperationError, match=r"longer than statement_timeout .* lower the batch"):
        backfill.run(
            demo,
            job="slow",
            table="backfill_demo",
            set_clause=f"{SET_CLAUSE}, amount = amount + {SLEEP_10MS_PER_ROW}",
            batch_size=50,
            statement_timeout="200ms",
        )
    cursor = _cursor(demo, "slow")
    assert cursor is not None and cursor["rows_done"] == 0 and cursor["last_key"] is None
    assert _rows(demo)["touched"] == [0] * ROWS


def test_refuses_bad_input_and_a_connection_inside_a_transaction(demo) -> None:
    with pytest.raises(ConfigError, match="no table 'nope'"):
        backfill.run(demo, job="x", table="nope", set_clause="a = 1")
    with pytest.raises(ConfigError, match="batch_size"):
        backfill.run(demo, job="x", table="backfill_demo", set_clause="a = 1", batch_size=0)
    with demo.connect() as connection:
        connection.execute(text("SELECT 1"))
        with pytest.raises(ConfigError, match="inside a transaction"):
            backfill.run(connection, job="x", table="backfill_demo", set_clause=SET_CLAUSE)
    backfill.run(demo, job="same", table="backfill_demo", set_clause=SET_CLAUSE, max_batches=1)
    with demo.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE other (id int PRIMARY KEY)")
    with pytest.raises(ConfigError, match=r"already ran on backfill_demo\.id"):
        backfill.run(demo, job="same", table="other", set_clause="id = id")


def test_progress_table_is_not_part_of_the_catalog(head_database, engine_for) -> None:
    engine = engine_for(head_database)
    backfill.run(engine, job="noop", table="Country", set_clause='"name" = "name"')
    spec = json.loads((FIXTURES / "schema.json").read_text())
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM gxschema_backfill_progress")).scalar()
        assert catalog.diff(spec, catalog.from_database(connection)) == []
    with engine.connect() as connection:
        command.check(make_config(connection=connection))  # no drift reported for it either


def test_command_line_refuses_without_a_database() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "gxschema.backfill", "--job=j", "--table=t", "--set=a = 1"],
        cwd=ROOT,
        env={**clean_env(), "HOME": os.environ.get("HOME", "/tmp")},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip().startswith("error: no database is configured")
