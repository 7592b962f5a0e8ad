"""`gxschema migrate` of an empty database runs the revisions' rendered SQL, and ends as Alembic.

`gxschema.migrate_from_empty` takes an empty database to head without importing Alembic
or SQLAlchemy; everything else goes through the migrator. Here the two paths migrate
twin databases through the real command and must leave the same schema (the catalog,
``pg_dump --schema-only`` with grants, policies and default privileges), the same
``alembic_version`` and equivalent ``SchemaMigrationRun`` rows, fail the same way half
way, and share the migrator's lock and role refusal. ``GXSCHEMA_APP_ROLE=gx_app`` (the
default name, given explicitly) makes a run take the Alembic path, since the rendered
SQL is only trusted for role names no variable changed; each test checks which path
ran from the ``--json`` result.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

from gxschema import (
    catalog,
    locking,
    migrate_from_empty,
    migrator,
    privileges,
    rendered_revisions,
    runs,
)
from gxschema.backup.tools import find_tool
from gxschema.errors import ConfigError

from ..support.cli import clean_env, gxschema
from ..support.paths import ROOT
from ..support.silent import silent_libpq_env, silent_port

ALEMBIC = {"GXSCHEMA_APP_ROLE": "gx_app"}
"""The default role name, named: the fast path declines, the migrator runs."""
TAKEN = "empty database: applying the revisions' rendered SQL"
"""What the fast path says on stderr when it runs."""

_RUN_FIELDS = (
    '"fromRevision", "toRevision", direction, status, runner, "appVersion", error, '
    '"startedAt" <= "finishedAt", "durationMs" >= 0'
)


def _migrate(pg_server, database: str, *args: str, **extra: str) -> dict:
    env = clean_env(**pg_server.env(database), **extra)
    ran = gxschema("--json", "migrate", *args, env=env)
    assert ran.code == 0, ran.output
    return json.loads(ran.stdout)


def _history(pg_server, database: str) -> tuple[list, list]:
    with pg_server.connect(database) as connection:
        version = connection.execute("SELECT version_num FROM alembic_version").fetchall()
        found = connection.execute("SELECT to_regclass('\"SchemaMigrationRun\"')").fetchone()
        if found is None or found[0] is None:
            return version, []
        rows = connection.execute(
            f'SELECT {_RUN_FIELDS} FROM "SchemaMigrationRun" ORDER BY "startedAt"'
        ).fetchall()
    return version, rows


def _catalog(pg_server, database: str) -> dict:
    engine = create_engine(pg_server.url(database), poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return catalog.from_database(connection)
    finally:
        engine.dispose()


def _schema_dump(pg_server, database: str) -> list[str]:
    """``pg_dump --schema-only``: tables, grants, policies, default privileges, comments."""
    tool = find_tool("pg_dump", None)
    env = clean_env(**pg_server.env(database))
    dumped = subprocess.run(
        [str(tool.path), "--schema-only", database],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    # pg_dump 16.10+ brackets the dump with a random key (\restrict KEY): not the schema
    return [
        line
        for line in dumped.stdout.splitlines()
        if not line.startswith(("\\restrict", "\\unrestrict"))
    ]


@pytest.fixture
def twin_databases(pg_server):
    names = [pg_server.create_database(), pg_server.create_database()]
    yield names
    for name in names:
        pg_server.drop_database(name)


def test_the_shipped_sql_is_what_the_revisions_render_now() -> None:
    # after changing a revision: python -m gxschema.rendered_revisions --write
    target = rendered_revisions.folder()
    assert target is not None
    assert rendered_revisions.stale_files(target) == []
    loaded = rendered_revisions.load()
    assert loaded is not None and [r.revision for r in loaded] == migrator.pending_revisions(None)


def test_the_wheel_carries_every_file_of_the_rendered_sql() -> None:
    # setup.py copies alembic/ into the wheel by [tool.gxschema.ship]'s patterns
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["gxschema"]["ship"]
    target = rendered_revisions.folder()
    assert target is not None and target.parent == ROOT / "alembic"
    patterns = config["alembic"]["files"]
    names = sorted(path.name for path in target.iterdir())
    assert "index.json" in names and len(names) > 1
    assert [n for n in names if not any(fnmatch(n, p) for p in patterns)] == []


def test_shipped_sql_of_other_revision_files_is_not_trusted(tmp_path: Path, monkeypatch) -> None:
    source = rendered_revisions.shipped.folder("alembic")
    assert source is not None
    copy = tmp_path / "alembic"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(rendered_revisions.shipped, "folder", lambda _name: copy)
    assert rendered_revisions.load() is not None

    revision = sorted((copy / "versions").glob("0003_*.py"))[0]
    revision.write_text(revision.read_text() + "\n# edited without --write\n")
    assert rendered_revisions.load() is None


def test_the_copies_of_the_migrators_settings_equal_their_originals() -> None:
    # the fast path repeats them so as not to import SQLAlchemy: they must not drift
    assert migrate_from_empty.MIGRATION_LOCK_KEY == locking.MIGRATION_LOCK_KEY
    assert privileges.Roles().all() == migrate_from_empty.DEFAULT_ROLES
    assert tuple(privileges.ROLE_VARIABLES.values()) == rendered_revisions.ROLE_VARIABLES
    options = migrator.MigrationOptions()
    assert options.retry_base_seconds == migrate_from_empty.RETRY_FIRST_SECONDS
    assert options.retry_max_seconds == migrate_from_empty.RETRY_CAP_SECONDS
    assert migrate_from_empty.CLIENT_CHECK_INTERVAL == migrator.CLIENT_CHECK_INTERVAL
    assert migrate_from_empty.RUNS_TABLE == runs.TABLE
    assert migrate_from_empty.runner_name() == runs.runner_name()
    assert (options.lock_timeout, options.statement_timeout) == (
        locking.DEFAULT_LOCK_TIMEOUT,
        locking.DEFAULT_STATEMENT_TIMEOUT,
    )


@pytest.mark.parametrize(
    "value", ["5s", "500ms", "2min", "1h", "05s", "0s", "0ms", "5", "1.5s", " 5s", "5 s", "x", ""]
)
def test_a_timeout_the_fast_path_takes_is_the_one_the_migrator_would_set(value: str) -> None:
    plain = migrate_from_empty.plain_duration(value)
    if plain is None:
        return  # the migrator converts or refuses it, in its own words
    try:
        bounded = migrator.bounded_timeout(value, "--lock-timeout")
    except ConfigError:
        pytest.fail(f"the fast path takes {value!r}, which the migrator refuses")
    assert plain == bounded


def test_from_empty_both_paths_build_the_same_database(pg_server, twin_databases) -> None:
    fast_db, alembic_db = twin_databases
    fast = _migrate(pg_server, fast_db)
    slow = _migrate(pg_server, alembic_db, **ALEMBIC)

    assert fast["path"] == "rendered-sql" and slow["path"] == "alembic"
    for key in ("from_revision", "to_revision", "applied", "changed", "direction"):
        assert fast[key] == slow[key], key
    assert fast["to_revision"] == migrator.pending_revisions(None)[-1]
    assert _catalog(pg_server, fast_db) == _catalog(pg_server, alembic_db)
    assert _schema_dump(pg_server, fast_db) == _schema_dump(pg_server, alembic_db)
    fast_history, slow_history = _history(pg_server, fast_db), _history(pg_server, alembic_db)
    assert fast_history == slow_history
    assert len(fast_history[1]) == 1 and fast_history[1][0][3] == "succeeded"

    verified = gxschema("verify", "--json", env=clean_env(**pg_server.env(fast_db)))
    assert verified.code == 0, verified.output
    assert json.loads(verified.stdout)["differences"] == []


def test_the_fast_path_says_it_ran_and_debug_says_why_not(pg_server, empty_database) -> None:
    env = clean_env(**pg_server.env(empty_database))
    first = gxschema("--debug", "migrate", env=env)
    assert first.code == 0, first.output
    assert TAKEN in first.stderr and "upgrade: base -> 0006" in first.stdout

    again = gxschema("--debug", "--json", "migrate", env=env)
    assert again.code == 0, again.output
    assert json.loads(again.stdout)["path"] == "alembic"
    assert "not the rendered-SQL path (the public schema is not empty)" in again.stderr


def test_a_database_with_one_table_takes_the_alembic_path(pg_server, empty_database) -> None:
    with pg_server.connect(empty_database) as connection:
        connection.execute("CREATE TABLE notes (id integer)")
    result = _migrate(pg_server, empty_database)

    assert result["path"] == "alembic" and result["to_revision"] == "0006"
    assert _history(pg_server, empty_database)[0] == [("0006",)]


def test_a_database_below_head_takes_the_alembic_path(pg_server, empty_database) -> None:
    assert _migrate(pg_server, empty_database, "0003")["path"] == "alembic"
    result = _migrate(pg_server, empty_database)

    assert result["path"] == "alembic"
    assert (result["from_revision"], result["to_revision"]) == ("0003", "0006")


_REFUSE_POLICIES = """
CREATE SCHEMA hook;
CREATE FUNCTION hook.refuse() RETURNS event_trigger LANGUAGE plpgsql AS
  $$ BEGIN RAISE EXCEPTION 'policies are refused here'; END $$;
CREATE EVENT TRIGGER refuse_policies ON ddl_command_start
  WHEN TAG IN ('CREATE POLICY') EXECUTE FUNCTION hook.refuse();
"""
"""Makes revision 0006 (the only one that creates policies) fail, outside ``public``."""


def test_a_failure_half_way_ends_as_on_the_alembic_path_and_the_rerun_reaches_head(
    pg_server, twin_databases
) -> None:
    fast_db, alembic_db = twin_databases
    outcomes = []
    for database, extra in ((fast_db, {}), (alembic_db, ALEMBIC)):
        with pg_server.connect(database) as connection:
            connection.execute(_REFUSE_POLICIES)
        env = clean_env(**pg_server.env(database), **extra)
        ran = gxschema("--debug", "migrate", env=env)
        outcomes.append((ran.code, ran.stderr.strip().splitlines()[-1]))
        assert (TAKEN in ran.stderr) == (database == fast_db), ran.stderr

    assert outcomes[0] == outcomes[1]
    assert outcomes[0][0] == 1 and "policies are refused here" in outcomes[0][1]
    fast_history, slow_history = _history(pg_server, fast_db), _history(pg_server, alembic_db)
    assert fast_history == slow_history
    assert fast_history[0] == [("0005",)]  # 0001-0005 stay, 0006 rolled back
    ((_from, to, _direction, status, *_rest),) = fast_history[1]
    assert (to, status) == ("0005", "failed")
    assert _schema_dump(pg_server, fast_db) == _schema_dump(pg_server, alembic_db)

    with pg_server.connect(fast_db) as connection:
        connection.execute("DROP EVENT TRIGGER refuse_policies")
    rerun = _migrate(pg_server, fast_db)
    assert (rerun["path"], rerun["from_revision"], rerun["to_revision"]) == (
        "alembic",
        "0005",
        "0006",
    )
    verified = gxschema("verify", env=clean_env(**pg_server.env(fast_db)))
    assert verified.code == 0, verified.output


def test_a_held_migration_lock_is_waited_for_by_the_migrator(pg_server, empty_database) -> None:
    env = clean_env(**pg_server.env(empty_database))
    with pg_server.connect(empty_database) as holder:
        holder.execute("SELECT pg_advisory_lock(%s)", (locking.MIGRATION_LOCK_KEY,))
        child = subprocess.Popen(
            [sys.executable, "-m", "gxschema", "--json", "--debug", "migrate"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(3)
        assert child.poll() is None  # still waiting, nothing applied behind the holder
        with pg_server.connect(empty_database) as look:
            found = look.execute("SELECT to_regclass('alembic_version')").fetchone()
        assert found is not None and found[0] is None
        holder.execute("SELECT pg_advisory_unlock(%s)", (locking.MIGRATION_LOCK_KEY,))
        stdout, stderr = child.communicate(timeout=120)

    assert child.returncode == 0, stderr
    result = json.loads(stdout)
    assert result["path"] == "alembic" and result["waited_for_lock"] is True
    assert result["to_revision"] == "0006"
    assert "holds the migration lock" in stderr and "waited for another migration" in stderr


def test_a_role_the_migrator_may_not_create_is_refused_before_anything_runs(
    pg_server, empty_database
) -> None:
    # Roles are the cluster's: a missing one is one named by a variable, which the
    # rendered SQL does not know, so the migrator's own preflight answers (exit 2).
    suffix = empty_database[-8:]
    login = f"gx_owner_{suffix}"
    with pg_server.admin() as admin:
        admin.execute(f"CREATE ROLE {login} LOGIN PASSWORD 'pw-{suffix}'")
    try:
        env = clean_env(
            **{**pg_server.env(empty_database), "PGUSER": login, "PGPASSWORD": f"pw-{suffix}"},
            GXSCHEMA_SECRET_READER_ROLE=f"gx_reader_{suffix}",
        )
        ran = gxschema("migrate", env=env)
        assert ran.code == 2, ran.output
        assert f"CREATE ROLE gx_reader_{suffix} NOLOGIN;" in ran.stderr
        assert "Traceback" not in ran.output
        with pg_server.connect(empty_database) as connection:
            found = connection.execute("SELECT to_regclass('alembic_version')").fetchone()
        assert found is not None and found[0] is None  # nothing applied
    finally:
        with pg_server.admin() as admin:
            admin.execute(f"DROP ROLE IF EXISTS {login}")


def test_a_wrong_password_is_bad_configuration_on_the_fast_path_too(
    pg_server, empty_database
) -> None:
    env = clean_env(**{**pg_server.env(empty_database), "PGPASSWORD": "not-the-password"})
    ran = gxschema("migrate", "--wait", "1", env=env)
    assert ran.code == 2, ran.output
    assert "Traceback" not in ran.output and "not-the-password" not in ran.output


def test_a_server_that_never_answers_is_left_to_the_migrator_within_two_seconds(
    monkeypatch,
) -> None:
    # A host that accepts the connection and says nothing: the fast path waits libpq's
    # least (2 s), not the operator's 30, and declines, changing nothing; the migrator
    # then waits (--wait) and explains as it always did.
    declined: list[str] = []
    with silent_port() as port:
        monkeypatch.delenv("DATABASE_URL", raising=False)
        for name, value in silent_libpq_env(port).items():
            monkeypatch.setenv(name, value)
        started = time.monotonic()
        result = migrate_from_empty.migrate_from_empty(
            lock_timeout="5s",
            statement_timeout="60s",
            lock_retries=0,
            on_decline=declined.append,
        )
        waited = time.monotonic() - started
    assert result is None
    assert declined and "could not connect" in declined[0]
    assert 1.5 <= waited < 8, waited
