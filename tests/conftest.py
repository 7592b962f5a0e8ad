"""Test databases: always a real PostgreSQL, chosen automatically.

The server comes from Docker, from ``GXSCHEMA_TEST_PG=host:port``, or from the local
PostgreSQL binaries (as root, a throwaway server run as the ``postgres`` user, as
``.ci/run`` does): ``tests/support/backends.py`` says in which order and why. The
choice is printed in the test header.

Every test that needs a database (that uses ``pg_server``, directly or through another
fixture) is marked ``db``. When no server can be had, a run that selected such tests
fails and says why, rather than skipping them and passing: deselect them with
``-m "not db"``, or skip them with ``GXSCHEMA_TEST_SKIP_DB=1``.

Each test that needs a database gets its own, created for it and dropped after:
``empty_database`` (nothing in it) or ``head_database`` (migrated to head, copied
from a template in milliseconds).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_postgresql import factories
from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from .support import throwaway_server
from .support.backends import BACKEND, BACKEND_DESCRIPTION, PG_BINDIR
from .support.server import Server

SKIP_DB = os.environ.get("GXSCHEMA_TEST_SKIP_DB", "") not in ("", "0")
if BACKEND in ("local", "root"):
    # Tests that put pg_dump and pg_restore on PATH take them from here: the binaries
    # of the server the tests run on, so their versions match.
    os.environ.setdefault("GXSCHEMA_TEST_PG_BIN", PG_BINDIR or "")

# A test needs a database when one of these is among its fixtures, directly or through
# another fixture (pytest's closure of a test's fixtures holds both).
_DATABASE_FIXTURES = frozenset({"pg_server", "postgresql_server_noproc", "postgresql_local_proc"})


def pytest_report_header(config: pytest.Config) -> list[str]:
    skipped = " (skipped: GXSCHEMA_TEST_SKIP_DB is set)" if SKIP_DB else ""
    return [f"gxschema test database: {BACKEND} ({BACKEND_DESCRIPTION}){skipped}"]


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # tryfirst: the marks must be on the items before `-m` deselects by them.
    skip = pytest.mark.skip(
        reason="GXSCHEMA_TEST_SKIP_DB is set: tests that need a database are skipped"
    )
    for item in items:
        if _DATABASE_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.db)
            if SKIP_DB:
                item.add_marker(skip)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Refuse to run database tests that could only be skipped: a green run must mean they ran."""
    if BACKEND != "none" or SKIP_DB or session.config.option.collectonly:
        return
    needing = [item for item in session.items if item.get_closest_marker("db")]
    if not needing:
        return
    reason = (
        f"{len(needing)} of the {len(session.items)} selected tests need a database, and"
        f" there is none: {BACKEND_DESCRIPTION}"
    )
    if hasattr(session.config, "workerinput"):
        # An xdist worker cannot end the run from here (the controller would take it for
        # a crash); a session that should fail makes the controller stop with the reason,
        # after the worker's first database test has failed with it (see `pg_server`).
        session.shouldfail = reason
        return
    raise pytest.UsageError(reason)


_server_host, _, _server_port = os.environ.get("GXSCHEMA_TEST_PG", "127.0.0.1:5432").partition(":")
# pytest-postgresql makes a template database of this name: unique per session, so two
# sessions (or xdist workers) sharing one server never collide.
_TEMPLATE_NAME = f"gxschema_tmpl_{uuid.uuid4().hex[:10]}"
postgresql_server_noproc = factories.postgresql_noproc(
    dbname=_TEMPLATE_NAME,
    host=_server_host,
    port=int(_server_port or 5432),
    user=os.environ.get("GXSCHEMA_TEST_PG_USER", "postgres"),
    password=os.environ.get("GXSCHEMA_TEST_PG_PASSWORD"),
)
postgresql_local_proc = factories.postgresql_proc(
    dbname=_TEMPLATE_NAME,
    executable=str(Path(PG_BINDIR or "/usr/bin") / "pg_ctl"),
    port=None,
)


@pytest.fixture(scope="session")
def pg_server(request: pytest.FixtureRequest) -> Iterator[Server]:
    if BACKEND == "none":
        pytest.fail(BACKEND_DESCRIPTION, pytrace=False)
    if BACKEND == "docker":
        from testcontainers.postgres import PostgresContainer

        with PostgresContainer("postgres:15", driver=None) as container:
            yield Server.reached(
                container.get_container_host_ip(),
                int(container.get_exposed_port(5432)),
                container.username,
                container.password,
            )
        return
    if BACKEND == "root":
        try:
            started = throwaway_server.start(Path(PG_BINDIR or ""))
        except RuntimeError as error:
            pytest.fail(f"the throwaway PostgreSQL server did not start: {error}", pytrace=False)
        try:
            yield Server.reached(started.host, started.port, started.user, started.password)
        finally:
            started.stop()
        return
    fixture = "postgresql_server_noproc" if BACKEND == "server" else "postgresql_local_proc"
    executor = request.getfixturevalue(fixture)
    yield Server.reached(
        executor.host, int(executor.port), executor.user, executor.password or None
    )


@pytest.fixture
def empty_database(pg_server: Server) -> Iterator[str]:
    """A new, empty database; dropped after the test."""
    name = pg_server.create_database()
    yield name
    pg_server.drop_database(name)


@pytest.fixture(scope="session")
def head_template(pg_server: Server) -> Iterator[str]:
    """A database migrated to head once per session, copied by `head_database`."""
    from alembic import command

    from gxschema.alembic_config import make_config

    name = pg_server.create_database()
    engine = create_engine(pg_server.url(name), poolclass=NullPool)
    with engine.connect() as connection:
        command.upgrade(make_config(connection=connection), "head")
    engine.dispose()
    yield name
    pg_server.drop_database(name)


@pytest.fixture
def head_database(pg_server: Server, head_template: str) -> Iterator[str]:
    """A new database at head (a copy of the session's template); dropped after."""
    name = pg_server.create_database(template=head_template)
    yield name
    pg_server.drop_database(name)


@pytest.fixture
def engine_for(pg_server: Server) -> Iterator[object]:
    """`engine_for(database)` makes an engine that is disposed of after the test."""
    engines: list[Engine] = []

    def make(database: str) -> Engine:
        engine = create_engine(pg_server.url(database), poolclass=NullPool)
        engines.append(engine)
        return engine

    yield make
    for engine in engines:
        engine.dispose()


@pytest.fixture
def engine(head_database: str, engine_for) -> Engine:
    """An engine on a new database at head (a module may define its own `engine`)."""
    return engine_for(head_database)


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """An ORM session on `engine`, closed after the test (nothing is committed for you)."""
    with Session(engine) as opened:
        yield opened
