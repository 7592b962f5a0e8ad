"""Adopting Prisma-made databases, and migrations that survive races, kills and stale runs."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import psycopg
from sqlalchemy import text
from sqlalchemy.orm import Session

from gxschema import catalog

from ..support.cli import clean_env, gxschema
from ..support.paths import FIXTURES, ROOT
from ..support.rows import Rows

SPEC = json.loads((FIXTURES / "schema.json").read_text())
BASELINE = json.loads((FIXTURES / "schema-v2.0-baseline.json").read_text())


def _load_prisma(engine) -> None:
    with engine.begin() as connection:
        connection.exec_driver_sql((FIXTURES / "prisma_v2_0_init.sql").read_text())
        # Prisma's own bookkeeping table: adopt must neither need nor touch it.
        connection.exec_driver_sql(
            'CREATE TABLE "_prisma_migrations" ("id" varchar(36) PRIMARY KEY, '
            '"migration_name" varchar(255) NOT NULL)'
        )
        connection.exec_driver_sql(
            "INSERT INTO \"_prisma_migrations\" VALUES ('m1', '20240101000000_init')"
        )


def _content_hashes(engine, tables) -> dict[str, tuple[int, str]]:
    hashes = {}
    with engine.connect() as connection:
        for table in tables:
            hashes[table] = tuple(
                connection.execute(
                    text(
                        f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' "
                        f"ORDER BY t::text), '')) FROM \"{table}\" t"
                    )
                ).one()
            )
    return hashes


def _revision(engine) -> str | None:
    with engine.connect() as connection:
        if connection.execute(text("SELECT to_regclass('alembic_version')")).scalar() is None:
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def test_adopt_then_migrate_keeps_every_row_of_all_37_tables(
    pg_server, empty_database, engine_for
) -> None:
    engine = engine_for(empty_database)
    _load_prisma(engine)
    with Session(engine) as session:
        rows = Rows(session)
        for table in BASELINE["tables"]:
            rows.make(table)
            rows.make(table)
        session.commit()
    before = _content_hashes(engine, [*BASELINE["tables"], "_prisma_migrations"])
    assert min(count for table, (count, _) in before.items() if table != "_prisma_migrations") >= 2

    env = clean_env(**pg_server.env(empty_database), HOSTNAME="adopt-job")
    adopted = gxschema("--json", "adopt", env=env)
    assert adopted.code == 0, adopted.output
    result = json.loads(adopted.stdout)
    assert result["revision"] == "0001" and result["tables"] == 37
    assert result["differences_by_revision"]["0001"] == 0
    assert _revision(engine) == "0001"
    assert _content_hashes(engine, before) == before  # adopt writes no data

    migrated = gxschema("migrate", env=env)
    assert migrated.code == 0, migrated.output
    with engine.connect() as connection:
        live = catalog.from_database(connection)
        runs = connection.execute(
            text(
                'SELECT direction, "toRevision", status, runner FROM "SchemaMigrationRun" '
                'ORDER BY "startedAt"'
            )
        ).all()
    assert catalog.diff(SPEC, live) == []
    assert _content_hashes(engine, before) == before  # every pre-existing row identical
    assert [tuple(r) for r in runs] == [
        ("adopt", "0001", "succeeded", "adopt-job"),
        ("upgrade", "0006", "succeeded", "adopt-job"),
    ]


def test_adopt_recognises_a_v2_1_prisma_database(pg_server, empty_database, engine_for) -> None:
    engine = engine_for(empty_database)
    env = clean_env(**pg_server.env(empty_database))
    assert gxschema("migrate", "0002", env=env).code == 0
    with engine.begin() as connection:  # what Prisma would have built from the v2.1 schema
        connection.execute(text("DROP TABLE alembic_version"))
    adopted = gxschema("--json", "adopt", env=env)
    assert adopted.code == 0, adopted.output
    assert json.loads(adopted.stdout)["revision"] == "0002"
    assert gxschema("migrate", env=env).code == 0
    assert _revision(engine) == "0006"


def test_adopt_refuses_a_drifted_database_and_names_the_difference(
    pg_server, empty_database, engine_for
) -> None:
    engine = engine_for(empty_database)
    _load_prisma(engine)
    with engine.begin() as connection:
        connection.execute(text('DROP INDEX "Transaction_timestamp_idx"'))
    ran = gxschema("adopt", env=clean_env(**pg_server.env(empty_database)))
    assert ran.code == 1
    assert "matches no known revision; nothing was written" in ran.stderr
    assert "closest is '0001', with 1 difference(s)" in ran.stderr
    assert 'missing index "Transaction_timestamp_idx" on "Transaction" (timestamp)' in ran.stderr
    assert _revision(engine) is None


def test_adopt_refuses_a_database_with_history_or_empty(
    pg_server, head_database, empty_database
) -> None:
    with_history = gxschema("adopt", env=clean_env(**pg_server.env(head_database)))
    assert with_history.code == 1 and "already has a migration history" in with_history.stderr
    empty = gxschema("adopt", env=clean_env(**pg_server.env(empty_database)))
    assert empty.code == 1 and "nothing to adopt" in empty.stderr


def test_four_concurrent_migrations_all_succeed_with_one_history(
    pg_server, empty_database, engine_for
) -> None:
    env = clean_env(**pg_server.env(empty_database))
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "gxschema", "--json", "migrate"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    outputs = [process.communicate(timeout=300) for process in processes]
    assert [p.returncode for p in processes] == [0, 0, 0, 0], outputs
    results = [json.loads(stdout) for stdout, _ in outputs]
    assert sorted(len(r["applied"]) for r in results) == [0, 0, 0, 6]
    engine = engine_for(empty_database)
    with engine.connect() as connection:
        runs = connection.execute(text('SELECT count(*) FROM "SchemaMigrationRun"')).scalar()
        assert catalog.diff(SPEC, catalog.from_database(connection)) == []
    assert runs == 1 and _revision(engine) == "0006"


def test_sigkill_mid_revision_leaves_the_last_completed_revision(
    pg_server, empty_database, engine_for
) -> None:
    env = clean_env(**pg_server.env(empty_database))
    assert gxschema("migrate", "0001", env=env).code == 0
    blocker = psycopg.connect(
        host=pg_server.host,
        port=pg_server.port,
        user=pg_server.user,
        password=pg_server.password,
        dbname=empty_database,
    )
    blocker.execute('LOCK TABLE "UserProfile" IN ROW EXCLUSIVE MODE')
    process = subprocess.Popen(
        [sys.executable, "-m", "gxschema", "migrate", "--lock-timeout", "60s"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        with pg_server.connect(empty_database) as watcher:
            while time.monotonic() < deadline:  # until 0002 waits for the lock, mid-revision
                waiting = watcher.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    "AND datname = current_database()"
                ).fetchone()
                if waiting and waiting[0]:
                    break
                time.sleep(0.1)
            else:
                raise AssertionError("the migration never reached revision 0002")
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        blocker.rollback()
        blocker.close()
    engine = engine_for(empty_database)
    # PostgreSQL rolls back the killed client's transaction once it notices the socket closed.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with engine.connect() as connection:
            busy = connection.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid() AND state <> 'idle'"
                )
            ).scalar()
        if not busy:
            break
        time.sleep(0.2)
    assert _revision(engine) == "0001"
    with engine.connect() as connection:
        live = catalog.from_database(connection)
    # 0002 builds its first index CONCURRENTLY, outside its transaction: the kill may leave
    # that one index behind (INVALID, or VALID if it finished), which the rerun keeps or rebuilds.
    differences = catalog.diff(BASELINE, live)
    assert [d for d in differences if "UserProfile_biometricHash_idx" not in d.subject] == []
    rerun = gxschema("migrate", env=env)
    assert rerun.code == 0, rerun.stderr
    with engine.connect() as connection:
        assert catalog.diff(SPEC, catalog.from_database(connection)) == []


def test_a_run_left_running_by_a_dead_process_is_marked_failed(
    pg_server, head_database, engine_for
) -> None:
    engine = engine_for(head_database)
    with engine.begin() as connection:
        connection.execute(
            text(
                """INSERT INTO "SchemaMigrationRun"
                   ("runId", "toRevision", direction, status, runner)
               VALUES ('dead-run', '0005', 'upgrade', 'running', 'killed-pod')"""
            )
        )
    ran = gxschema("migrate", env=clean_env(**pg_server.env(head_database)))
    assert ran.code == 0
    assert "marked 1 unfinished earlier run(s) as failed" in ran.output
    with engine.connect() as connection:
        status, error, finished = connection.execute(
            text(
                """SELECT status, error, "finishedAt" FROM "SchemaMigrationRun"
               WHERE "runId" = 'dead-run'"""
            )
        ).one()
    assert status == "failed" and "ended without finishing" in error and finished is not None
