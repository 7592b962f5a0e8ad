"""Online migrations: concurrent index builds, NOT VALID constraints, lock retries, bounded waits.

Each test runs against the real PostgreSQL with other sessions playing the services:
a writer holding a transaction open, a second writer that must not stall, a session
holding a lock a migration needs.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import Connection, Engine, text

from gxschema import catalog, migrator, online
from gxschema.errors import ConfigError, OperationError

from ..support.cli import clean_env, gxschema
from ..support.paths import ROOT

ONLINE_INDEXES = [
    ("UserProfile_biometricHash_idx", "UserProfile"),
    ("UserProfile_tenantId_status_createdAt_idx", "UserProfile"),
    ("Transaction_tenantId_type_timestamp_idx", "Transaction"),
    ("AuditLog_tenantId_actorProfileId_eventType_timestamp_idx", "AuditLog"),
]


@pytest.fixture
def at_0001(empty_database: str, engine_for) -> tuple[str, Engine]:
    """A database at revision 0001, the one 0002 starts from."""
    engine = engine_for(empty_database)
    migrator.migrate(engine, "0001")
    return empty_database, engine


def _session(pg_server, database: str) -> psycopg.Connection:
    """A service's connection: its own transactions, not the migrator's."""
    return psycopg.connect(
        host=pg_server.host,
        port=pg_server.port,
        user=pg_server.user,
        password=pg_server.password,
        dbname=database,
    )


def _revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return migrator.current_revision(connection)


def _invalid_indexes(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return list(
            connection.execute(
                text(
                    "SELECT indexrelid::regclass::text FROM pg_index i "
                    "JOIN pg_class c ON c.oid = i.indexrelid "
                    "WHERE c.relnamespace = 'public'::regnamespace AND NOT i.indisvalid"
                )
            ).scalars()
        )


def _catalog_differences(engine: Engine, revision: str) -> list[object]:
    with engine.connect() as connection:
        return list(catalog.diff(catalog.for_revision(revision), catalog.from_database(connection)))


def _insert_user(session: psycopg.Connection, key: str) -> None:
    session.execute(
        """INSERT INTO "UserProfile" ("profileId", "tenantId", "firstName", "lastName",
           "biometricHash", "passwordHash", "updatedAt")
           VALUES (%s, 't1', 'Ada', 'Lovelace', %s, 'x', now())""",
        (key, f"bio-{key}"),
    )


def _wait_until(condition, *, timeout: float = 20.0, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def _build_waiting(engine: Engine) -> bool:
    """A CREATE INDEX CONCURRENTLY is waiting for older transactions to end."""
    with engine.connect() as connection:
        return bool(
            connection.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND query LIKE 'CREATE INDEX CONCURRENTLY%' AND wait_event_type = 'Lock'"
                )
            ).scalar()
        )


def _make_invalid_index(engine: Engine, name: str) -> None:
    """What a failed build leaves: an INVALID index `name` (a unique one over duplicates)."""
    with engine.begin() as connection:
        for key in ("a", "b"):  # two users of one tenant: a unique index on it fails
            connection.execute(
                text(
                    """INSERT INTO "UserProfile" ("profileId", "tenantId", "firstName",
                       "lastName", "biometricHash", "passwordHash", "updatedAt")
                       VALUES (:k, 't1', 'A', 'B', :k, 'x', now())"""
                ),
                {"k": key},
            )
    with engine.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT")
        with pytest.raises(Exception, match="could not create unique index"):
            connection.exec_driver_sql(
                f'CREATE UNIQUE INDEX CONCURRENTLY "{name}" ON "UserProfile" ("tenantId")'
            )
    assert _invalid_indexes(engine) == [f'"{name}"']


def _build_locks_on(engine: Engine, table: str) -> list[str]:
    """The lock modes the concurrent build's session holds on `table`."""
    with engine.connect() as connection:
        return list(
            connection.execute(
                text(
                    "SELECT l.mode FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                    "WHERE a.query LIKE 'CREATE INDEX CONCURRENTLY%' AND l.granted "
                    "AND l.relation = to_regclass(:table) ORDER BY 1"
                ),
                {"table": f'"{table}"'},
            ).scalars()
        )


# --- concurrent index builds ------------------------------------------------------------


def test_an_invalid_index_is_rebuilt_not_taken_as_done(at_0001) -> None:
    """A failed unique build left an INVALID index with 0002's name: the run replaces it."""
    _database, engine = at_0001
    _make_invalid_index(engine, "UserProfile_biometricHash_idx")

    migrator.migrate(engine, "0002")

    assert _revision(engine) == "0002"
    assert _invalid_indexes(engine) == []
    assert _catalog_differences(engine, "0002") == []  # the index 0002 defines, not the leftover


def test_offline_sql_refuses_an_invalid_index_and_says_what_to_run(
    pg_server, at_0001, tmp_path
) -> None:
    psql = shutil.which("psql")
    if psql is None:
        pytest.skip("psql is not installed")
    database, engine = at_0001
    _make_invalid_index(engine, "UserProfile_biometricHash_idx")
    script = tmp_path / "0002.sql"
    script.write_text(
        subprocess.run(
            [sys.executable, "-m", "alembic", "upgrade", "0001:0002", "--sql"],
            cwd=ROOT,
            env=clean_env(),
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    env = clean_env(**pg_server.env(database))
    command = [psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", str(script)]

    refused = subprocess.run(command, env=env, capture_output=True, text=True, check=False)

    assert refused.returncode != 0
    assert 'index "UserProfile_biometricHash_idx" is INVALID' in refused.stderr
    assert 'run DROP INDEX CONCURRENTLY "UserProfile_biometricHash_idx"' in refused.stderr
    assert _revision(engine) == "0001"
    with engine.connect() as connection:  # do what it says, then run the script again
        connection.execution_options(isolation_level="AUTOCOMMIT")
        connection.exec_driver_sql('DROP INDEX CONCURRENTLY "UserProfile_biometricHash_idx"')
    applied = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert applied.returncode == 0, applied.stderr
    assert _revision(engine) == "0002"
    assert _catalog_differences(engine, "0002") == []


def test_a_build_that_gives_up_leaves_0001_and_the_rerun_finishes(pg_server, at_0001) -> None:
    """The build times out waiting for a writer: INVALID index, still 0001; rerun reaches 0002."""
    database, engine = at_0001
    writer = _session(pg_server, database)
    _insert_user(writer, "open")  # an open transaction that wrote to UserProfile
    try:
        with pytest.raises(OperationError, match="within lock_timeout 300ms") as failed:
            migrator.migrate(
                engine,
                "0002",
                options=migrator.MigrationOptions(lock_timeout="300ms", lock_retries=0),
            )
        assert "stays at revision '0001'" in str(failed.value)
        assert f"pid {writer.info.backend_pid}" in str(failed.value)
        assert _revision(engine) == "0001"
        assert _invalid_indexes(engine) == ['"UserProfile_biometricHash_idx"']
        with engine.connect() as connection:  # the atomic part did not happen
            assert (
                connection.execute(text("SELECT to_regclass('\"FeatureFlag\"')")).scalar() is None
            )
    finally:
        writer.rollback()
        writer.close()

    migrator.migrate(engine, "0002")

    assert _revision(engine) == "0002"
    assert _invalid_indexes(engine) == []
    assert _catalog_differences(engine, "0002") == []


def test_the_migrator_retries_a_build_that_gave_up_and_replaces_its_index(
    pg_server, at_0001
) -> None:
    """The writer ends during the backoff: the retry drops the INVALID index and builds it."""
    database, engine = at_0001
    writer = _session(pg_server, database)
    _insert_user(writer, "open")
    ends = threading.Timer(1.0, writer.commit)
    ends.start()
    progress: list[str] = []
    try:
        result = migrator.migrate(
            engine,
            "0002",
            options=migrator.MigrationOptions(lock_timeout="300ms", lock_retries=3),
            on_progress=progress.append,
        )
    finally:
        ends.join()
        writer.close()
    assert result.retries >= 1 and any("lock_timeout hit" in line for line in progress)
    assert _revision(engine) == "0002"
    assert _invalid_indexes(engine) == []
    assert _catalog_differences(engine, "0002") == []


def test_a_killed_migration_is_replaced_by_its_rerun(pg_server, at_0001) -> None:
    """SIGKILL during a concurrent build: the server ends the orphaned build, the rerun wins."""
    database, engine = at_0001
    writer = _session(pg_server, database)
    _insert_user(writer, "open")
    env = clean_env(**pg_server.env(database))
    process = subprocess.Popen(
        [sys.executable, "-m", "gxschema", "migrate", "0002", "--lock-timeout", "60s"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_until(lambda: _build_waiting(engine), what="the concurrent build to wait")
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        # The orphaned build notices its client is gone (client_connection_check_interval)
        # and ends, although the writer's transaction is still open.
        _wait_until(lambda: not _build_waiting(engine), timeout=15, what="the orphan to end")
        assert _revision(engine) == "0001"
        assert _invalid_indexes(engine) == ['"UserProfile_biometricHash_idx"']
    finally:
        writer.rollback()
        writer.close()
        if process.poll() is None:
            process.kill()

    rerun = gxschema("migrate", "0002", env=env, timeout=120)

    assert rerun.code == 0, rerun.output
    assert _invalid_indexes(engine) == []
    assert _catalog_differences(engine, "0002") == []


def test_writers_go_on_while_the_build_waits_for_an_open_transaction(pg_server, at_0001) -> None:
    database, engine = at_0001
    first_writer = _session(pg_server, database)
    _insert_user(first_writer, "first")  # stays open: the build must wait for it
    outcome: dict[str, object] = {}

    def run_migration() -> None:
        try:
            outcome["result"] = migrator.migrate(
                engine, "0002", options=migrator.MigrationOptions(lock_timeout="30s")
            )
        except BaseException as error:  # handed to the test thread
            outcome["error"] = error

    migration = threading.Thread(target=run_migration)
    migration.start()
    try:
        _wait_until(lambda: _build_waiting(engine), what="the concurrent build to wait")
        # the build holds only SHARE UPDATE EXCLUSIVE, which INSERT/UPDATE/DELETE pass
        assert _build_locks_on(engine, "UserProfile") == ["ShareUpdateExclusiveLock"]
        second_writer = _session(pg_server, database)
        started = time.monotonic()
        _insert_user(second_writer, "second")
        second_writer.commit()
        took = time.monotonic() - started
        second_writer.close()
        assert took < 1.0, f"a writer waited {took:.2f}s behind the index build"
        assert _build_waiting(engine), "the build should still wait for the first writer"
    finally:
        first_writer.commit()
        first_writer.close()
        migration.join(timeout=60)
    assert "error" not in outcome, outcome
    assert _revision(engine) == "0002"
    assert _invalid_indexes(engine) == []
    with engine.connect() as connection:  # both writers' rows are there and indexed
        count = connection.execute(
            text('SELECT count(*) FROM "UserProfile" WHERE "biometricHash" LIKE \'bio-%\'')
        ).scalar()
    assert count == 2


# --- lock retries ---------------------------------------------------------------------


def test_the_lock_retry_gives_up_and_names_the_blocker(pg_server, at_0001) -> None:
    """0002's foreign key to LicensedPartner waits for its lock 50 ms at a time, then gives up."""
    database, engine = at_0001
    blocker = _session(pg_server, database)
    blocker.execute('LOCK TABLE "LicensedPartner" IN ROW EXCLUSIVE MODE')  # a writer's lock
    blocker_pid = blocker.info.backend_pid
    started = time.monotonic()
    try:
        with pytest.raises(OperationError) as failed:
            migrator.migrate(
                engine,
                "0002",
                options=migrator.MigrationOptions(lock_retries=0, statement_lock_attempts=3),
            )
    finally:
        blocker.rollback()
        blocker.close()
    message = str(failed.value)
    assert "WebhookEndpoint_partnerId_fkey" in message
    assert "after 3 attempts of lock_timeout 50ms" in message
    assert f"pid {blocker_pid}" in message and '"LicensedPartner" (RowExclusiveLock)' in message
    assert "stays at revision '0001'" in message
    assert time.monotonic() - started < 30
    assert _revision(engine) == "0001"
    with engine.connect() as connection:
        assert (
            connection.execute(text("SELECT to_regclass('\"WebhookEndpoint\"')")).scalar() is None
        )
        lock_timeout = connection.execute(text("SHOW lock_timeout")).scalar()
    assert lock_timeout != "50ms"  # the short timeout was local to the statement

    migrator.migrate(engine, "0002")  # the blocker is gone: the same run goes through
    assert _catalog_differences(engine, "0002") == []


@contextmanager
def _operations(connection: Connection) -> Iterator[MigrationContext]:
    """Run `gxschema.online` as a revision does: its own transaction, Alembic's `op`."""
    context = MigrationContext.configure(
        connection=connection, opts={"transaction_per_migration": True}
    )
    with Operations.context(context), context.begin_transaction(_per_migration=True):
        yield context


def test_not_null_and_foreign_key_on_a_populated_table(head_database, engine_for) -> None:
    engine = engine_for(head_database)
    with engine.begin() as connection:
        connection.execute(text('CREATE TABLE "Parent" ("id" int PRIMARY KEY)'))
        connection.execute(text('CREATE TABLE "Child" ("id" int PRIMARY KEY, "parentId" int)'))
        connection.execute(text('INSERT INTO "Parent" SELECT g FROM generate_series(1, 5000) g'))
        connection.execute(
            text('INSERT INTO "Child" SELECT g, 1 + g % 5000 FROM generate_series(1, 20000) g')
        )
    with engine.connect() as connection, _operations(connection):
        online.add_foreign_key_not_valid(
            "Child_parentId_fkey", "Child", "Parent", ["parentId"], ["id"], ondelete="CASCADE"
        )
        online.validate_constraint("Child", "Child_parentId_fkey")
        online.set_not_null_via_check("Child", "parentId")
        online.add_foreign_key_not_valid(  # a rerun: already there, nothing happens
            "Child_parentId_fkey", "Child", "Parent", ["parentId"], ["id"], ondelete="CASCADE"
        )
        online.set_not_null_via_check("Child", "parentId")
    with engine.connect() as connection:
        constraints = connection.execute(
            text(
                "SELECT conname, convalidated, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = '\"Child\"'::regclass AND contype <> 'p' ORDER BY 1"
            )
        ).all()
        not_null = connection.execute(
            text(
                "SELECT attnotnull FROM pg_attribute "
                "WHERE attrelid = '\"Child\"'::regclass AND attname = 'parentId'"
            )
        ).scalar()
    assert [tuple(row) for row in constraints] == [
        (
            "Child_parentId_fkey",
            True,
            'FOREIGN KEY ("parentId") REFERENCES "Parent"(id) ON DELETE CASCADE',
        )
    ]  # validated, and the temporary CHECK is gone
    assert not_null is True


def test_validation_refuses_rows_that_break_the_constraint(head_database, engine_for) -> None:
    engine = engine_for(head_database)
    with engine.begin() as connection:
        connection.execute(text('CREATE TABLE "Loose" ("id" int PRIMARY KEY, "v" int)'))
        connection.execute(text('INSERT INTO "Loose" VALUES (1, 1), (2, NULL)'))
    with (
        engine.connect() as connection,
        pytest.raises(Exception, match="is violated by some row"),
        _operations(connection),
    ):
        online.set_not_null_via_check("Loose", "v")
    with engine.connect() as connection:
        validated = connection.execute(
            text("SELECT convalidated FROM pg_constraint WHERE conname = 'Loose_v_not_null'")
        ).scalar()
        not_null = connection.execute(
            text(
                "SELECT attnotnull FROM pg_attribute "
                "WHERE attrelid = '\"Loose\"'::regclass AND attname = 'v'"
            )
        ).scalar()
    assert validated is False  # still enforced for new rows; fix the old one, then rerun
    assert not_null is False


# --- bounded waits --------------------------------------------------------------------


@pytest.mark.parametrize("zero", ["0", "0ms", "0s"])
def test_a_lock_timeout_of_zero_is_refused(zero: str) -> None:
    ran = gxschema("migrate", "--lock-timeout", zero, "--sql", env=clean_env())
    assert ran.code == 2
    assert "wait forever" in ran.stderr and "Traceback" not in ran.output
    assert ran.stdout == ""
    with pytest.raises(ConfigError, match="wait forever"):
        migrator.MigrationOptions(statement_timeout=zero)


def test_the_history_check_waits_only_the_lock_timeout(pg_server, head_database) -> None:
    holder = _session(pg_server, head_database)
    holder.execute("LOCK TABLE alembic_version IN ACCESS EXCLUSIVE MODE")
    holder_pid = holder.info.backend_pid
    started = time.monotonic()
    try:
        ran = gxschema(
            "migrate",
            "--lock-timeout",
            "200ms",
            "--lock-retries",
            "1",
            env=clean_env(**pg_server.env(head_database)),
            timeout=60,
        )
    finally:
        holder.rollback()
        holder.close()
    assert ran.code == 1, ran.output
    assert "could not read the migration history (alembic_version)" in ran.stderr
    assert f"pid {holder_pid}" in ran.stderr
    assert "Nothing was changed" in ran.stderr
    assert time.monotonic() - started < 20
