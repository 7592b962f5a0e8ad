"""Which PostgreSQL the tests run on, and a run that has none fails instead of passing."""

from __future__ import annotations

import json
import os
import pwd
import re
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from alembic import command
from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

from gxschema import catalog
from gxschema.alembic_config import make_config

from ..support import throwaway_server
from ..support.backends import BACKEND, BACKEND_DESCRIPTION, DOCKER_AVAILABLE, PG_BINDIR
from ..support.paths import FIXTURES, ROOT
from ..support.server import Server

# Test files run by the child pytest below: one whose tests all need a database, one mixed.
ROLES_TESTS = "tests/schema/test_roles.py"
SETTINGS_TESTS = "tests/core/test_settings.py"


def test_the_test_server_is_postgresql_15_or_newer(pg_server) -> None:
    assert pg_server.version >= 15, BACKEND_DESCRIPTION


@pytest.mark.skipif(
    not DOCKER_AVAILABLE,
    reason=f"no Docker engine answers, so testcontainers is not used (tests run on: {BACKEND})",
)
def test_testcontainers_postgres_15_reaches_the_spec() -> None:
    from testcontainers.postgres import PostgresContainer

    with PostgresContainer("postgres:15", driver="psycopg") as container:
        engine = create_engine(container.get_connection_url(), poolclass=NullPool)
        with engine.connect() as connection:
            assert connection.dialect.server_version_info[0] == 15
            command.upgrade(make_config(connection=connection), "head")
            live = catalog.from_database(connection)
        engine.dispose()
    spec = json.loads((FIXTURES / "schema.json").read_text())
    assert catalog.diff(spec, live) == []


# --- no server, no silent pass ------------------------------------------------------------


def _pytest_without_a_server(
    tmp_path, *args: str, **extra: str
) -> subprocess.CompletedProcess[str]:
    """Run pytest on this checkout in a child, with every way to a server taken away."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GXSCHEMA_TEST_", "PYTEST_", "PG")) and k != "DATABASE_URL"
    }
    # No Docker, no named server, binaries looked for in an empty directory only, and not
    # the embedded PostgreSQL (gxschema.testing's last resort).
    env.update(
        GXSCHEMA_TEST_NO_DOCKER="1",
        GXSCHEMA_TEST_NO_EMBEDDED="1",
        GXSCHEMA_TEST_PG_BIN=str(tmp_path),
        **extra,
    )
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:xdist", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_run_that_needs_a_database_and_has_none_fails_and_says_why(tmp_path) -> None:
    ran = _pytest_without_a_server(tmp_path, "-q", ROLES_TESTS)
    assert ran.returncode == pytest.ExitCode.USAGE_ERROR, ran.stdout + ran.stderr
    assert "selected tests need a database, and there is none" in ran.stderr
    assert f"GXSCHEMA_TEST_PG_BIN={tmp_path} holds no pg_ctl" in ran.stderr
    assert '-m "not db"' in ran.stderr


def test_not_db_leaves_out_exactly_the_tests_that_need_one(tmp_path) -> None:
    # Every test of test_roles needs a database; test_settings has some that do not.
    roles = _pytest_without_a_server(tmp_path, "--collect-only", "-q", ROLES_TESTS).stdout
    marked = _pytest_without_a_server(tmp_path, "--collect-only", "-q", "-m", "db", ROLES_TESTS)
    assert roles.count("test_roles.py::") == marked.stdout.count("test_roles.py::") > 0

    ran = _pytest_without_a_server(tmp_path, "-q", "-m", "not db", ROLES_TESTS, SETTINGS_TESTS)
    assert ran.returncode == pytest.ExitCode.OK, ran.stdout + ran.stderr
    assert re.search(r"\b[1-9]\d* passed, [1-9]\d* deselected", ran.stdout), ran.stdout


def test_skip_db_variable_skips_them_and_says_so(tmp_path) -> None:
    ran = _pytest_without_a_server(tmp_path, "-q", "-rs", ROLES_TESTS, GXSCHEMA_TEST_SKIP_DB="1")
    assert ran.returncode == pytest.ExitCode.OK, ran.stdout + ran.stderr
    assert "GXSCHEMA_TEST_SKIP_DB is set" in ran.stdout
    assert " passed" not in ran.stdout


# --- the throwaway server run as postgres (root only) ----------------------------------------

root_with_binaries = pytest.mark.skipif(
    os.geteuid() != 0 or PG_BINDIR is None or throwaway_server.cannot_run_as() is not None,
    reason="the throwaway server is started as the postgres user by root only",
)


@root_with_binaries
def test_throwaway_server_takes_the_password_over_tcp_and_leaves_nothing() -> None:
    started = throwaway_server.start(Path(PG_BINDIR or ""))
    try:
        server = Server.reached(started.host, started.port, started.user, started.password)
        assert server.version >= 15
        with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
            psycopg.connect(
                host=started.host, port=started.port, user="postgres", password="wrong"
            ).close()
        assert started.directory.stat().st_uid == pwd.getpwnam(throwaway_server.RUN_AS).pw_uid
    finally:
        started.stop()
    assert not started.directory.exists()
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(host=started.host, port=started.port, user="postgres", connect_timeout=2)


@root_with_binaries
def test_a_server_whose_session_died_is_removed_by_the_next() -> None:
    started = throwaway_server.start(Path(PG_BINDIR or ""))
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    (started.directory / throwaway_server.OWNER_FILE).write_text(f"{gone.pid}\n")
    try:
        throwaway_server.remove_orphans(Path(PG_BINDIR or ""))
        assert not started.directory.exists()
        with pytest.raises(psycopg.OperationalError):
            psycopg.connect(
                host=started.host, port=started.port, user="postgres", connect_timeout=2
            )
    finally:
        started.stop()
