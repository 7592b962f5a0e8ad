"""The command line against a real database: exit codes, messages, and what it records."""

from __future__ import annotations

import json
import time
import uuid

import psycopg
import pytest
from sqlalchemy import text

from gxschema.alembic_config import head_revision, script_directory

from ..support.cli import clean_env, gxschema
from ..support.paths import FIXTURES


@pytest.fixture
def env_for(pg_server):
    def make(database: str, **extra: str) -> dict[str, str]:
        return clean_env(**{**pg_server.env(database), **extra})

    return make


def _scalar(engine, sql: str):
    with engine.connect() as connection:
        return connection.execute(text(sql)).scalar()


def test_migrate_from_empty_records_the_run(empty_database, env_for, engine_for) -> None:
    ran = gxschema("migrate", env=env_for(empty_database, HOSTNAME="job-pod-1"))
    assert ran.code == 0, ran.output
    assert "base -> 0006 (0001, 0002, 0003, 0004, 0005, 0006)" in ran.stdout
    engine = engine_for(empty_database)
    with engine.connect() as connection:
        runs = connection.execute(
            text(
                'SELECT "fromRevision", "toRevision", direction, status, runner, '
                '"appVersion", "durationMs", "finishedAt" FROM "SchemaMigrationRun"'
            )
        ).all()
    assert len(runs) == 1
    from_rev, to_rev, direction, status, runner, version, duration, finished = runs[0]
    assert (from_rev, to_rev, direction, status, runner) == (
        None,
        "0006",
        "upgrade",
        "succeeded",
        "job-pod-1",
    )
    assert version and duration is not None and duration >= 0 and finished is not None


def test_second_migrate_does_nothing(head_database, env_for, engine_for) -> None:
    ran = gxschema("migrate", env=env_for(head_database))
    assert ran.code == 0
    assert "already at 0006: nothing to do" in ran.stdout
    assert _scalar(engine_for(head_database), 'SELECT count(*) FROM "SchemaMigrationRun"') == 0


def test_status_json_and_check(head_database, env_for) -> None:
    env = env_for(head_database)
    ran = gxschema("--json", "status", env=env)
    assert ran.code == 0, ran.output
    report = json.loads(ran.stdout)
    assert report["current_revision"] == "0006" and report["head_revision"] == "0006"
    assert report["pending_revisions"] == [] and report["at_head"] is True
    assert gxschema("downgrade", "0002", env=env).code == 0
    checked = gxschema("status", "--check", env=env)
    assert checked.code == 1
    assert "4 revision(s) pending: 0003, 0004, 0005, 0006" in checked.stderr
    assert gxschema("status", env=env).code == 0  # without --check, only informs


def test_verify_passes_at_head(head_database, env_for) -> None:
    ran = gxschema("verify", env=env_for(head_database))
    assert ran.code == 0, ran.output
    assert "matches the models (revision 0006)" in ran.stdout


def test_verify_catches_dropped_index_added_column_missing_enum_value(
    head_database, env_for, engine_for
) -> None:
    with engine_for(head_database).begin() as connection:
        connection.execute(text('DROP INDEX "Notification_tenantId_recipientId_status_idx"'))
        connection.execute(text('ALTER TABLE "Wallet" ADD COLUMN "colour" text'))
        connection.execute(text("""ALTER TYPE "ContactStatus" RENAME VALUE 'ARCHIVED' TO 'OLD'"""))
    ran = gxschema("--json", "verify", env=env_for(head_database))
    assert ran.code == 1
    report = json.loads(ran.stdout)
    subjects = {(d["kind"], d["subject"], d["detail"]) for d in report["differences"]}
    assert ("extra", 'column "Wallet"."colour"', "") in subjects
    assert any(
        k == "missing" and s.startswith('index "Notification_tenantId_recipientId_status_idx"')
        for k, s, _ in subjects
    )
    assert (
        "changed",
        'enum "ContactStatus"',
        "missing values ARCHIVED; extra values OLD",
    ) in subjects
    assert len(subjects) == 3
    human = gxschema("verify", env=env_for(head_database))
    assert human.code == 1 and "3 difference(s) from the models" in human.stderr


def test_migrate_refuses_a_database_without_history(empty_database, env_for, engine_for) -> None:
    with engine_for(empty_database).begin() as connection:
        connection.exec_driver_sql((FIXTURES / "prisma_v2_0_init.sql").read_text())
    ran = gxschema("migrate", env=env_for(empty_database))
    assert ran.code == 1
    assert "37 gxschema tables but no migration history" in ran.stderr
    assert "gxschema adopt" in ran.stderr
    assert _scalar(engine_for(empty_database), "SELECT to_regclass('alembic_version')") is None


def test_migrate_refuses_an_unknown_revision(head_database, env_for, engine_for) -> None:
    with engine_for(head_database).begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    ran = gxschema("migrate", env=env_for(head_database))
    assert ran.code == 1
    assert "'0099'" in ran.stderr and "head '0006'" in ran.stderr
    assert "Traceback" not in ran.output
    down = gxschema("downgrade", "0001", env=env_for(head_database))
    assert down.code == 1 and "'0099'" in down.stderr
    assert _scalar(engine_for(head_database), "SELECT version_num FROM alembic_version") == "0099"


def test_unknown_target_revision_is_bad_input(head_database, env_for) -> None:
    ran = gxschema("migrate", "0042", env=env_for(head_database))
    assert ran.code == 2
    assert (
        "unknown revision '0042' (known revisions: 0001, 0002, 0003, 0004, 0005, 0006)"
        in ran.stderr
    )


def test_blocked_migration_gives_up_naming_the_blocker_then_succeeds(
    pg_server, empty_database, env_for, engine_for
) -> None:
    env = env_for(empty_database)
    assert gxschema("migrate", "0001", env=env).code == 0
    blocker = psycopg.connect(**_libpq(pg_server, empty_database), autocommit=False)
    try:
        # An open transaction that wrote to UserProfile: CREATE INDEX must wait for it.
        blocker.execute('LOCK TABLE "UserProfile" IN ROW EXCLUSIVE MODE')
        blocker_pid = blocker.info.backend_pid
        started = time.monotonic()
        ran = gxschema("migrate", "--lock-timeout", "200ms", "--lock-retries", "2", env=env)
        elapsed = time.monotonic() - started
        assert ran.code == 1, ran.output
        assert f"pid {blocker_pid}" in ran.stderr
        assert "gave up after 3 attempts" in ran.stderr
        assert "stays at revision '0001'" in ran.stderr
        assert elapsed < 60
        engine = engine_for(empty_database)
        assert _scalar(engine, "SELECT version_num FROM alembic_version") == "0001"
        failed = _scalar(engine, "SELECT count(*) FROM pg_tables WHERE tablename = 'ApiRateLimit'")
        assert failed == 0
    finally:
        blocker.rollback()
        blocker.close()
    rerun = gxschema("migrate", env=env)
    assert rerun.code == 0, rerun.output
    assert _scalar(engine_for(empty_database), "SELECT version_num FROM alembic_version") == "0006"


def _libpq(pg_server, database: str) -> dict[str, object]:
    return {
        "host": pg_server.host,
        "port": pg_server.port,
        "user": pg_server.user,
        "password": pg_server.password,
        "dbname": database,
    }


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"PGPASSWORD": "Not/The=Right@Pass:word%#?"}, "authentication failed for user"),
        ({"PGPORT": "1"}, "nothing accepts connections at 127.0.0.1:1"),
        ({"PGDATABASE": "no_such_database"}, "the database 'no_such_database' does not exist"),
        # With password authentication PostgreSQL does not reveal that a role is missing.
        ({"PGUSER": "no_such_role"}, "'no_such_role'"),
    ],
)
def test_bad_configuration_is_one_clear_line(
    pg_server, head_database, env_for, change, expected
) -> None:
    if "PGPASSWORD" in change and not pg_server.password:
        pytest.skip("this test server trusts every connection (no password check)")
    env = env_for(head_database, **change)
    started = time.monotonic()
    # --wait 1: room for a retry (the first comes after 0.5 s), for the unreachable port
    ran = gxschema("migrate", "--wait", "1", env=env)
    assert time.monotonic() - started < 60
    # Nothing answering is worth retrying later (exit 1, the Job retries it); the
    # other settings are wrong and stay wrong (exit 2, the Job fails at once).
    assert ran.code == (1 if "PGPORT" in change else 2)
    assert expected in ran.stderr
    assert "Traceback" not in ran.output
    assert len(ran.stderr.strip().splitlines()) == 1
    if "PGPASSWORD" in change:
        assert change["PGPASSWORD"] not in ran.output
    if pg_server.password and pg_server.password != pg_server.user:
        assert pg_server.password not in ran.output


def test_no_database_configured_is_a_configuration_error(tmp_path) -> None:
    ran = gxschema("status", env=clean_env(GXSCHEMA_HOME=str(tmp_path / "nothing")))
    assert ran.code == 2
    assert "no database is configured" in ran.stderr


def test_offline_sql_from_the_cli(tmp_path) -> None:
    ran = gxschema("migrate", "--sql", env=clean_env())
    assert ran.code == 0, ran.output
    assert ran.stdout.startswith("-- gxschema migrations as SQL")  # how to run it: env.py
    assert "\nSET lock_timeout = '5s';" in ran.stdout
    # one per revision, and one per concurrent index build of 0002 (it steps out of its transaction)
    revisions = len(list(script_directory().walk_revisions()))
    assert ran.stdout.count("COMMIT;") == revisions + 4


def test_a_failed_migration_is_recorded_with_its_error_and_no_password(
    pg_server, empty_database, env_for, engine_for
) -> None:
    suffix = uuid.uuid4().hex[:8]
    migrator_role, password = f"mig_{suffix}", f"S3cret/p@ss:{suffix}#?"
    assert gxschema("migrate", "0003", env=env_for(empty_database)).code == 0
    with pg_server.admin() as admin:
        admin.execute(f"CREATE ROLE \"{migrator_role}\" LOGIN PASSWORD '{password}'")
        admin.execute(f'GRANT CONNECT ON DATABASE "{empty_database}" TO "{migrator_role}"')
    with engine_for(empty_database).begin() as connection:
        connection.execute(text(f'GRANT USAGE, CREATE ON SCHEMA public TO "{migrator_role}"'))
        connection.execute(text(f'GRANT ALL ON ALL TABLES IN SCHEMA public TO "{migrator_role}"'))
    # The roles exist (an administrator made them), so 0004 runs; 0005 must own the
    # tables to COMMENT on them, which this migrating role does not.
    roles = {
        "GXSCHEMA_APP_ROLE": f"gx_app_{suffix}",
        "GXSCHEMA_READONLY_ROLE": f"gx_ro_{suffix}",
        "GXSCHEMA_SECRET_READER_ROLE": f"gx_sr_{suffix}",
    }
    with pg_server.admin() as admin:
        for role in roles.values():
            admin.execute(f'CREATE ROLE "{role}" NOLOGIN')
    try:
        env = env_for(
            empty_database, PGUSER=migrator_role, PGPASSWORD=password, HOSTNAME="job-pod-2", **roles
        )
        ran = gxschema("migrate", "--lock-retries", "0", env=env)
        assert ran.code == 1
        assert "must be owner of table" in ran.stderr
        assert "the database stays at the last completed revision" in ran.stderr
        assert password not in ran.output
        with engine_for(empty_database).connect() as connection:
            row = connection.execute(
                text(
                    """SELECT "fromRevision", "toRevision", status, runner, error
                       FROM "SchemaMigrationRun" WHERE direction = 'upgrade'
                       ORDER BY "startedAt" DESC LIMIT 1"""
                )
            ).one()
            version = connection.execute(text("SELECT version_num FROM alembic_version"))
            assert version.scalar() == "0004"
        # toRevision keeps the target of a failed run; where it stopped is alembic_version.
        assert row[:4] == ("0003", head_revision(), "failed", "job-pod-2")
        assert "must be owner of table" in row[4] and password not in row[4]
    finally:
        with engine_for(empty_database).begin() as connection:
            for role in (migrator_role, *roles.values()):  # one at a time: PostgreSQL
                connection.execute(text(f'DROP OWNED BY "{role}"'))  # trips over a shared ACL
        with pg_server.admin() as admin:
            for role in (migrator_role, *roles.values()):
                admin.execute(f'DROP ROLE "{role}"')
