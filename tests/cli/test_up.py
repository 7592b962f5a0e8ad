"""`gxschema up` on a machine with no PostgreSQL configured: the embedded server (PostgreSQL 16)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from gxschema import catalog

from ..support.cli import clean_env, gxschema
from ..support.paths import FIXTURES

pytest.importorskip("pgserver", reason="the embedded PostgreSQL (pgserver) is not installed")

SPEC = json.loads((FIXTURES / "schema.json").read_text())


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A folder standing for a fresh clone: no database configured, no .gxschema yet."""
    folder = tmp_path_factory.mktemp("fresh-clone")
    yield folder
    gxschema("down", env=clean_env(), cwd=folder)


def _row_versions(url: str) -> dict[str, list[tuple[str, str]]]:
    engine = create_engine(
        url.replace("postgresql://", "postgresql+psycopg://"), poolclass=NullPool
    )
    versions = {}
    with engine.connect() as connection:
        for table in SPEC["tables"]:
            rows = connection.execute(text(f'SELECT ctid::text, xmin::text FROM "{table}"')).all()
            versions[table] = sorted((str(a), str(b)) for a, b in rows)
    engine.dispose()
    return versions


def _recorded_environment(url: str) -> object:
    engine = create_engine(
        url.replace("postgresql://", "postgresql+psycopg://"), poolclass=NullPool
    )
    with engine.connect() as connection:
        value = connection.execute(
            text("""SELECT "configValue" FROM "SystemConfig" WHERE "configKey" = 'environment'""")
        ).scalar()
    engine.dispose()
    return value


def test_up_from_a_fresh_clone_then_again_changes_nothing(project: Path) -> None:
    first = gxschema("--json", "up", env=clean_env(), cwd=project)
    assert first.code == 0, first.output
    summary = json.loads(first.stdout)
    assert summary["database"] == "embedded"
    assert summary["revision"] == "0006"
    assert summary["migrated"] == ["0001", "0002", "0003", "0004", "0005", "0006"]
    assert summary["tables"] == 46
    assert summary["seed"]["changed"] is True
    assert (project / ".gxschema" / "pgdata" / "PG_VERSION").exists()
    url = summary["url"]
    assert url.startswith("postgresql://") and str(project) in url

    before = _row_versions(url)
    assert len(before["Country"]) == 250
    assert before["UserProfile"], "devnet demo users are seeded by default"
    assert summary["environment"] == "devnet"
    assert _recorded_environment(url) == "devnet"  # so production-only refusals never apply

    second = gxschema("--json", "up", env=clean_env(), cwd=project)
    assert second.code == 0, second.output
    again = json.loads(second.stdout)
    assert again["migrated"] == [] and again["seed"]["changed"] is False
    assert again["url"] == url
    assert _row_versions(url) == before  # no row was rewritten

    human = gxschema("up", env=clean_env(), cwd=project)
    assert "nothing changed" in human.stdout


def test_embedded_postgres_16_matches_the_spec(project: Path) -> None:
    ran = gxschema("--json", "up", env=clean_env(), cwd=project)
    url = json.loads(ran.stdout)["url"]
    engine = create_engine(
        url.replace("postgresql://", "postgresql+psycopg://"), poolclass=NullPool
    )
    with engine.connect() as connection:
        assert connection.dialect.server_version_info[0] >= 16
        differences = catalog.diff(SPEC, catalog.from_database(connection))
    engine.dispose()
    assert differences == []


def test_other_commands_find_the_embedded_database(project: Path) -> None:
    gxschema("up", env=clean_env(), cwd=project)
    status = gxschema("--json", "status", env=clean_env(), cwd=project)
    assert status.code == 0, status.output
    assert json.loads(status.stdout)["current_revision"] == "0006"
    assert gxschema("verify", env=clean_env(), cwd=project).code == 0


def test_down_stops_it_and_keeps_the_data(project: Path) -> None:
    gxschema("up", env=clean_env(), cwd=project)
    stopped = gxschema("down", env=clean_env(), cwd=project)
    assert stopped.code == 0 and "stopped" in stopped.stdout
    assert gxschema("status", env=clean_env(), cwd=project).code == 2
    again = gxschema("down", env=clean_env(), cwd=project)
    assert "is not running" in again.stdout
    assert (project / ".gxschema" / "pgdata" / "PG_VERSION").exists()
    restarted = gxschema("--json", "up", env=clean_env(), cwd=project)
    assert restarted.code == 0
    assert json.loads(restarted.stdout)["seed"]["changed"] is False
