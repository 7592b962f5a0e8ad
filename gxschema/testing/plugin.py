"""The pytest plugin: options, the header line, and the fixtures (see `gxschema.testing`).

Registered through the ``pytest11`` entry point, so it is loaded in every pytest run of an
environment where ``gxschema[testing]`` is installed, whether the project uses it or not.
Hence: importing it loads neither SQLAlchemy, nor Alembic, nor the models, and nothing
is started or connected to until a test asks for one of its fixtures. The header line only
*chooses* the backend (`backends.choose`), it does not start it.
"""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator, Iterator
from contextlib import ExitStack
from typing import TYPE_CHECKING, NoReturn

import pytest

from gxschema.testing.databases import SEEDS, Contents, Database

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine
    from sqlalchemy.ext.asyncio import AsyncSession
    from sqlalchemy.orm import Session

    from gxschema.testing.backends import Backend
    from gxschema.testing.server import Server

try:
    import pytest_asyncio
except ImportError:  # the async fixture then says what to install
    pytest_asyncio = None  # type: ignore[assignment]

_BACKEND = pytest.StashKey["Backend"]()
_CONTENTS = pytest.StashKey[Contents]()
_PREFIX = pytest.StashKey[str]()
_PREFIX_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,29}")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("gxschema", "gxschema test databases")
    group.addoption(
        "--gxschema-url",
        dest="gxschema_url",
        metavar="URL",
        help="the PostgreSQL server to make the test databases on, as a postgresql:// URL of"
        " a role that may create databases (default: $GXSCHEMA_TEST_DATABASE_URL, else"
        " Docker, local binaries or the embedded PostgreSQL)",
    )
    group.addoption(
        "--gxschema-seed",
        dest="gxschema_seed",
        choices=SEEDS,
        help="what the template database is seeded with (default: ini gxschema_seed, or none)",
    )
    group.addoption(
        "--gxschema-fake-users",
        dest="gxschema_fake_users",
        type=int,
        metavar="N",
        help="fill the template database with N fake users and their data (implies at least"
        " the reference seed; default: ini gxschema_fake_users, or 0)",
    )
    parser.addini(
        "gxschema_seed", f"template seed: {', '.join(SEEDS)} (default none)", default="none"
    )
    parser.addini("gxschema_fake_users", "fake users in the template (default 0)", default="0")
    parser.addini(
        "gxschema_database_prefix",
        "how the names of the run's databases begin (default gxtest)",
        default="gxtest",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Check the options now, so bad ones stop the run with one line before any test."""
    seed = config.getoption("gxschema_seed") or str(config.getini("gxschema_seed"))
    fake_users = config.getoption("gxschema_fake_users")
    if fake_users is None:
        raw = str(config.getini("gxschema_fake_users")).strip()
        if not raw.isdigit():
            raise pytest.UsageError(f"ini gxschema_fake_users must be a whole number, not {raw!r}")
        fake_users = int(raw)
    try:
        config.stash[_CONTENTS] = Contents(seed=seed, fake_users=fake_users)
    except ValueError as error:
        raise pytest.UsageError(f"gxschema: {error}") from None
    prefix = str(config.getini("gxschema_database_prefix"))
    if not _PREFIX_PATTERN.fullmatch(prefix):
        raise pytest.UsageError(
            f"ini gxschema_database_prefix {prefix!r} must be 1 to 30 lower-case letters,"
            " digits or underscores, beginning with a letter"
        )
    config.stash[_PREFIX] = prefix


def chosen_backend(config: pytest.Config) -> Backend:
    """The backend of this run, chosen on first use and then the same for the whole run."""
    if _BACKEND not in config.stash:
        from gxschema.testing.backends import URL_VARIABLE, choose

        named = config.getoption("gxschema_url")
        source = "--gxschema-url"
        if not named and os.environ.get(URL_VARIABLE):
            named, source = os.environ[URL_VARIABLE], URL_VARIABLE
        config.stash[_BACKEND] = choose(named, source)
    return config.stash[_BACKEND]


def use_backend(config: pytest.Config, backend: Backend) -> None:
    """Make `backend` the run's, for a conftest that chooses its own way.

    Call it from ``pytest_configure``, before the header or any fixture has chosen; the
    project's own tests name their server with a variable of their own, for instance.
    """
    config.stash[_BACKEND] = backend


def pytest_report_header(config: pytest.Config) -> list[str]:
    backend = chosen_backend(config)
    contents = config.stash[_CONTENTS]
    template = f"; template: {contents.describe()}" if contents != Contents() else ""
    return [f"gxschema test database: {backend.name} ({backend.description}){template}"]


@pytest.fixture(scope="session")
def gxschema_server(request: pytest.FixtureRequest) -> Iterator[Server]:
    """The PostgreSQL server of the run (per xdist worker), started on first use."""
    from gxschema.testing.backends import BackendError, started

    failure: str | None
    with ExitStack() as stack:
        try:
            server = stack.enter_context(started(chosen_backend(request.config)))
        except BackendError as error:
            failure = str(error)
        else:
            failure = None
        if failure is not None:  # failed outside the except: no "during handling" chain
            pytest.fail(failure, pytrace=False)
        yield server


@pytest.fixture(scope="session")
def gxschema_template(gxschema_server: Server, request: pytest.FixtureRequest) -> Iterator[str]:
    """The name of this worker's template: at head, seeded as asked; never connect to it."""
    from gxschema.errors import GxSchemaError
    from gxschema.testing.databases import build_template, new_name

    name = new_name(request.config.stash[_PREFIX], "template")
    failure: str | None
    try:
        build_template(gxschema_server, name, request.config.stash[_CONTENTS])
    except GxSchemaError as error:  # a refusal of gxschema's own (seed, fake): its one line
        failure = f"the gxschema template database was not built: {error}"
    else:
        failure = None
    if failure is not None:
        pytest.fail(failure, pytrace=False)
    yield name
    gxschema_server.drop_database(name)


@pytest.fixture
def gxschema_db(
    gxschema_server: Server, gxschema_template: str, request: pytest.FixtureRequest
) -> Iterator[Database]:
    """A database of the test's own, a copy of the template (``.name``, ``.url``, ``.env()``).

    For tests that commit for real, run DDL, or need several connections; dropped after.
    """
    from gxschema.testing.databases import new_name

    name = gxschema_server.create_database(
        template=gxschema_template, name=new_name(request.config.stash[_PREFIX], "db")
    )
    yield Database(gxschema_server, name)
    gxschema_server.drop_database(name)


@pytest.fixture(scope="session")
def gxschema_shared_db(
    gxschema_server: Server, gxschema_template: str, request: pytest.FixtureRequest
) -> Iterator[Database]:
    """This worker's copy of the template that the rolled-back fixtures work in."""
    from gxschema.testing.databases import new_name

    name = gxschema_server.create_database(
        template=gxschema_template, name=new_name(request.config.stash[_PREFIX], "shared")
    )
    yield Database(gxschema_server, name)
    gxschema_server.drop_database(name)


@pytest.fixture(scope="session")
def gxschema_engine(gxschema_shared_db: Database) -> Iterator[Engine]:
    """An engine (`gxschema.db.create_engine`) on the shared database.

    What it commits stays for later tests: write through `gxschema_connection` or
    `gxschema_session`, or use `gxschema_db` for a database of the test's own.
    """
    from gxschema.db import create_engine
    from gxschema.settings import DatabaseSettings

    server = gxschema_shared_db.server
    settings = DatabaseSettings(
        host=server.host,
        port=server.port,
        user=server.user,
        password=server.password,
        database=gxschema_shared_db.name,
    )
    # test rows are no secret, and a failing statement's values help to see why it failed
    engine = create_engine(settings, hide_parameters=False)
    yield engine
    engine.dispose()


@pytest.fixture
def gxschema_connection(gxschema_engine: Engine) -> Iterator[Connection]:
    """A connection inside a transaction that is rolled back after the test."""
    from gxschema.testing.databases import rolled_back_connection

    with rolled_back_connection(gxschema_engine) as connection:
        yield connection


@pytest.fixture
def gxschema_session(gxschema_connection: Connection) -> Iterator[Session]:
    """A `Session` whose commits are savepoints of `gxschema_connection`: all rolled back."""
    from gxschema.testing.databases import joined_session

    with joined_session(gxschema_connection) as session:
        yield session


if pytest_asyncio is not None:

    @pytest_asyncio.fixture
    async def gxschema_async_session(
        gxschema_shared_db: Database,
    ) -> AsyncIterator[AsyncSession]:
        """An `AsyncSession` (psycopg 3 async) on the shared database, rolled back after."""
        from gxschema.testing.databases import rolled_back_async_session

        async with rolled_back_async_session(gxschema_shared_db) as session:
            yield session

else:

    @pytest.fixture
    def gxschema_async_session() -> NoReturn:
        """Needs pytest-asyncio, which is not installed: says so."""
        pytest.fail(
            "gxschema_async_session needs pytest-asyncio: pip install 'gxschema[testing]'",
            pytrace=False,
        )
