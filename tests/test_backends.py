"""Which PostgreSQL the tests run on: testcontainers where Docker answers, else local binaries."""

from __future__ import annotations

import json

import pytest
from alembic import command
from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

from gxschema import catalog
from gxschema.alembic_config import make_config

from .conftest import BACKEND, BACKEND_DESCRIPTION, DOCKER_AVAILABLE, FIXTURES


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
