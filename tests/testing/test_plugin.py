"""The plugin as a service uses it: pytest run on a throwaway project that has no conftest.

The throwaway project's tests use the fixtures by name only; the inner run is pointed at
this run's server with ``--gxschema-url``, and its databases get a prefix of their own, so
that what it leaves on the (shared) server can be told from everyone else's databases.
"""

from __future__ import annotations

import sys
import uuid

import pytest

from gxschema.testing.server import Server

pytest_plugins = ["pytester"]

# Codes no country uses (ISO 3166 keeps XA..XZ, ZZ for users), so the seed never holds them.
SESSION_TESTS = """
from sqlalchemy import func, select, text

from gxschema.models import Country

ADDED = "ZZ"


def _count(session, code):
    return session.scalar(select(func.count()).where(Country.country_code == code))


def test_a_session_commit_is_seen_inside_the_test(gxschema_session):
    assert session_countries(gxschema_session) > 200  # the reference seed was applied
    gxschema_session.add(Country(country_code=ADDED, country_name="Nowhere"))
    gxschema_session.commit()  # a savepoint of the outer transaction
    assert _count(gxschema_session, ADDED) == 1


def test_the_next_test_does_not_see_it(gxschema_session, gxschema_engine):
    assert _count(gxschema_session, ADDED) == 0
    with gxschema_engine.connect() as other:  # nor does any other connection
        found = other.scalar(
            text('SELECT count(*) FROM "Country" WHERE "countryCode" = :c'), {"c": ADDED}
        )
    assert found == 0


def session_countries(session):
    return session.scalar(select(func.count()).select_from(Country))
"""

COPY_TESTS = """
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool


@pytest.mark.parametrize("code", ["XA", "XB"])
def test_a_copy_of_its_own_takes_commits_and_ddl(gxschema_db, code):
    assert gxschema_db.name.startswith("{prefix}_db_")
    engine = create_engine(gxschema_db.url, poolclass=NullPool)
    with engine.begin() as connection:
        connection.execute(
            text('INSERT INTO "Country" ("countryCode", "countryName") VALUES (:c, :name)'),
            {{"c": code, "name": f"Place {{code}}"}},
        )
        connection.execute(text("CREATE TABLE scratch (id int)"))  # no clash with the other test
    with engine.connect() as connection:
        mine = connection.scalars(
            text('SELECT "countryCode" FROM "Country" WHERE "countryCode" IN (\\'XA\\', \\'XB\\')')
        ).all()
    engine.dispose()
    assert mine == [code]


@pytest.mark.asyncio
async def test_an_async_session_commit_is_rolled_back(gxschema_async_session):
    await gxschema_async_session.execute(
        text('INSERT INTO "Country" ("countryCode", "countryName") VALUES (\\'YY\\', \\'Y\\')')
    )
    await gxschema_async_session.commit()
    found = await gxschema_async_session.scalar(
        text('SELECT count(*) FROM "Country" WHERE "countryCode" = \\'YY\\'')
    )
    assert found == 1


@pytest.mark.asyncio
async def test_the_next_async_test_does_not_see_it(gxschema_async_session):
    found = await gxschema_async_session.scalar(
        text('SELECT count(*) FROM "Country" WHERE "countryCode" = \\'YY\\'')
    )
    assert found == 0
"""


@pytest.fixture
def service(pytester: pytest.Pytester) -> tuple[pytest.Pytester, str]:
    """A throwaway service project using the plugin; its databases' name prefix."""
    prefix = f"gxplugin{uuid.uuid4().hex[:10]}"
    pytester.makeini(
        f"""
        [pytest]
        asyncio_default_fixture_loop_scope = function
        gxschema_database_prefix = {prefix}
        gxschema_seed = reference
        """
    )
    pytester.makepyfile(test_sessions=SESSION_TESTS, test_copies=COPY_TESTS.format(prefix=prefix))
    return pytester, prefix


def _url(server: Server) -> str:
    return server.url(server.maintenance_database).render_as_string(hide_password=False)


def _databases(server: Server, prefix: str) -> list[str]:
    with server.admin() as connection:
        rows = connection.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s", (f"{prefix}%",)
        ).fetchall()
    return [row[0] for row in rows]


@pytest.mark.slow
@pytest.mark.parametrize("workers", [[], ["-p", "xdist", "-n", "2", "--dist", "loadfile"]])
def test_a_service_project_gets_isolated_databases_and_leaves_none(
    service: tuple[pytest.Pytester, str], pg_server: Server, workers: list[str]
) -> None:
    pytester, prefix = service
    ran = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "--gxschema-url", _url(pg_server), *workers
    )
    ran.assert_outcomes(passed=6)
    assert "gxschema test database: url (the server at postgresql" in ran.stdout.str()
    assert "template: migrated to head, reference data" in ran.stdout.str()
    assert _databases(pg_server, prefix) == []


def test_with_no_server_to_be_had_the_error_is_one_line_and_other_tests_run(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    monkeypatch.delenv("GXSCHEMA_TEST_DATABASE_URL", raising=False)
    monkeypatch.setenv("GXSCHEMA_TEST_NO_DOCKER", "1")
    monkeypatch.setenv("GXSCHEMA_TEST_NO_EMBEDDED", "1")
    monkeypatch.setenv("GXSCHEMA_TEST_PG_BIN", str(tmp_path))  # holds no pg_ctl
    pytester.makepyfile(
        "def test_needs_one(gxschema_session):\n    pass\n\ndef test_needs_none():\n    pass\n"
    )
    ran = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    ran.assert_outcomes(passed=1, errors=1)  # a test without the fixtures is not disturbed
    output = ran.stdout.str()
    assert "Traceback" not in output and "During handling" not in output
    explained = [line for line in output.splitlines() if line.startswith("no PostgreSQL server")]
    assert len(explained) == 1, output
    assert f"GXSCHEMA_TEST_PG_BIN={tmp_path} holds no pg_ctl" in explained[0]
    assert "--gxschema-url" in explained[0]
    assert "gxschema test database: none (no PostgreSQL server" in output


def test_a_bad_option_stops_the_run_with_one_line(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\ngxschema_fake_users = many\n")
    pytester.makepyfile("def test_nothing():\n    pass\n")
    ran = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    assert ran.ret == pytest.ExitCode.USAGE_ERROR
    assert "ini gxschema_fake_users must be a whole number, not 'many'" in ran.stderr.str()


def test_importing_the_plugin_loads_no_database_stack(pytester: pytest.Pytester) -> None:
    # every pytest run where gxschema[testing] is installed imports it, database or not
    ran = pytester.run(
        sys.executable,
        "-c",
        "import sys, gxschema.testing.plugin; print(sorted({m.split('.')[0] for m in sys.modules"
        " if m.split('.')[0] in ('sqlalchemy', 'alembic', 'psycopg') or"
        " m.startswith('gxschema.models')}))",
    )
    assert ran.ret == 0
    assert ran.outlines[-1] == "[]"
