"""Test databases: always a real PostgreSQL, from the package's own pytest plugin.

`gxschema.testing` (registered by ``pip install -e '.[test]'``) chooses the server (one
named by ``GXSCHEMA_TEST_PG=host:port``, as ``.ci/run`` exports it, or by ``--gxschema-url``;
else Docker, the local binaries, the embedded PostgreSQL: ``tests/support/backends.py``),
builds the template at head and copies it; the choice is printed in the test header. The
fixtures here are the names this suite has always used for the plugin's.

Every test that needs a database (that uses ``pg_server`` or ``gxschema_server``, directly
or through another fixture) is marked ``db``. When no server can be had, a run that
selected such tests fails and says why, rather than skipping them and passing: deselect
them with ``-m "not db"``, or skip them with ``GXSCHEMA_TEST_SKIP_DB=1``.

Each test that needs a database gets its own, created for it and dropped after:
``empty_database`` (nothing in it) or ``head_database`` (migrated to head, copied
from the template in milliseconds).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from gxschema.testing.databases import Database
from gxschema.testing.plugin import chosen_backend, use_backend

from .support.backends import BACKEND_DESCRIPTION, CHOSEN
from .support.server import Server

SKIP_DB = os.environ.get("GXSCHEMA_TEST_SKIP_DB", "") not in ("", "0")

# A test needs a database when one of these is among its fixtures, directly or through
# another fixture (pytest's closure of a test's fixtures holds both).
_DATABASE_FIXTURES = frozenset({"pg_server", "gxschema_server"})


def pytest_configure(config: pytest.Config) -> None:
    if not config.getoption("gxschema_url"):
        use_backend(config, CHOSEN)
    backend = chosen_backend(config)
    if backend.bindir:
        # Tests that put pg_dump and pg_restore on PATH take them from here: the binaries
        # of the server the tests run on, so their versions match.
        os.environ.setdefault("GXSCHEMA_TEST_PG_BIN", backend.bindir)


def pytest_report_header(config: pytest.Config) -> list[str]:
    # the plugin prints the backend's line; this adds only what the suite does with it
    return ["gxschema test database skipped: GXSCHEMA_TEST_SKIP_DB is set"] if SKIP_DB else []


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
    backend = chosen_backend(session.config)
    if backend.available or SKIP_DB or session.config.option.collectonly:
        return
    needing = [item for item in session.items if item.get_closest_marker("db")]
    if not needing:
        return
    description = BACKEND_DESCRIPTION if backend is CHOSEN else backend.description
    reason = (
        f"{len(needing)} of the {len(session.items)} selected tests need a database, and"
        f" there is none: {description}"
    )
    if hasattr(session.config, "workerinput"):
        # An xdist worker cannot end the run from here (the controller would take it for
        # a crash); a session that should fail makes the controller stop with the reason,
        # after the worker's first database test has failed with it (see `gxschema_server`).
        session.shouldfail = reason
        return
    raise pytest.UsageError(reason)


@pytest.fixture(scope="session")
def pg_server(gxschema_server: Server) -> Server:
    """The run's server (the plugin's `gxschema_server`)."""
    return gxschema_server


@pytest.fixture
def empty_database(pg_server: Server) -> Iterator[str]:
    """A new, empty database; dropped after the test."""
    name = pg_server.create_database()
    yield name
    pg_server.drop_database(name)


@pytest.fixture(scope="session")
def head_template(gxschema_template: str) -> str:
    """The database migrated to head once per session (per worker); copy it, never use it."""
    return gxschema_template


@pytest.fixture
def head_database(gxschema_db: Database) -> str:
    """A new database at head (a copy of the template); dropped after."""
    return gxschema_db.name


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
