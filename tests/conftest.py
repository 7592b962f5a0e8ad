"""Test databases: always a real PostgreSQL, chosen automatically.

1. ``docker``: a Docker engine answers, so testcontainers starts the
   ``postgres:15`` image;
2. ``server``: ``GXSCHEMA_TEST_PG=host:port`` names a running server
   (``.ci/run`` starts Debian's PostgreSQL 15 as the ``postgres`` user, since
   PostgreSQL refuses to run as root), used through pytest-postgresql's noproc fixture;
3. ``local``: pytest-postgresql starts the local PostgreSQL binaries itself.

The choice is printed in the test header. Each test that needs a database gets
its own, created for it and dropped after: ``empty_database`` (nothing in it) or
``head_database`` (migrated to head, copied from a template in milliseconds).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from pytest_postgresql import factories
from sqlalchemy import URL, Engine, create_engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _docker_answers() -> bool:
    if os.environ.get("GXSCHEMA_TEST_NO_DOCKER"):
        return False
    try:
        import docker  # type: ignore[import-untyped]

        docker.from_env(timeout=3).ping()
        return True
    except Exception:
        return False


def _pg_bindir() -> str | None:
    pg_config = shutil.which("pg_config")
    candidates = []
    if pg_config:
        bindir = subprocess.run(
            [pg_config, "--bindir"], capture_output=True, text=True, check=False
        ).stdout.strip()
        candidates.append(bindir)
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    for candidate in candidates:
        if (Path(candidate) / "pg_ctl").exists():
            return str(candidate)
    return None


def _choose_backend() -> tuple[str, str]:
    if _docker_answers():
        return "docker", "testcontainers, image postgres:15"
    if os.environ.get("GXSCHEMA_TEST_PG"):
        return "server", f"pytest-postgresql noproc, server at {os.environ['GXSCHEMA_TEST_PG']}"
    bindir = _pg_bindir()
    if bindir and os.geteuid() != 0:
        return "local", f"pytest-postgresql, local binaries in {bindir}"
    return "none", "no PostgreSQL: run `bash .ci/run`, which installs and starts one"


BACKEND, BACKEND_DESCRIPTION = _choose_backend()
DOCKER_AVAILABLE = BACKEND == "docker"


def pytest_report_header(config: pytest.Config) -> list[str]:
    return [f"gxschema test database: {BACKEND} ({BACKEND_DESCRIPTION})"]


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
    executable=str(Path(_pg_bindir() or "/usr/bin") / "pg_ctl"),
    port=None,
)


@dataclass(frozen=True)
class Server:
    """A PostgreSQL server the tests may create databases on, as a superuser."""

    host: str
    port: int
    user: str
    password: str | None
    version: int

    def url(self, database: str, **parts: object) -> URL:
        return URL.create(
            "postgresql+psycopg",
            username=str(parts.get("username", self.user)),
            password=parts.get("password", self.password),  # type: ignore[arg-type]
            host=self.host,
            port=self.port,
            database=database,
        )

    def admin(self) -> psycopg.Connection:
        return psycopg.connect(
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password,
            dbname="postgres",
            autocommit=True,
        )

    def env(self, database: str) -> dict[str, str]:
        """Environment variables that point gxschema (and libpq tools) at `database`."""
        env = {
            "PGHOST": self.host,
            "PGPORT": str(self.port),
            "PGUSER": self.user,
            "PGDATABASE": database,
        }
        if self.password:
            env["PGPASSWORD"] = self.password
        return env

    def create_database(self, template: str | None = None) -> str:
        name = f"gxtest_{uuid.uuid4().hex[:12]}"
        with self.admin() as connection:
            template_sql = f' TEMPLATE "{template}"' if template else ""
            connection.execute(f'CREATE DATABASE "{name}"{template_sql}')
        return name

    def drop_database(self, name: str) -> None:
        with self.admin() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def pg_server(request: pytest.FixtureRequest) -> Iterator[Server]:
    if BACKEND == "none":
        pytest.skip(BACKEND_DESCRIPTION)
    if BACKEND == "docker":
        from testcontainers.postgres import PostgresContainer

        with PostgresContainer("postgres:15", driver=None) as container:
            yield _server(
                container.get_container_host_ip(),
                int(container.get_exposed_port(5432)),
                container.username,
                container.password,
            )
        return
    fixture = "postgresql_server_noproc" if BACKEND == "server" else "postgresql_local_proc"
    executor = request.getfixturevalue(fixture)
    yield _server(executor.host, int(executor.port), executor.user, executor.password or None)


def _server(host: str, port: int, user: str, password: str | None) -> Server:
    with psycopg.connect(
        host=host, port=port, user=user, password=password, dbname="postgres"
    ) as connection:
        version = connection.info.server_version // 10000
    return Server(host, port, user, password, version)


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
