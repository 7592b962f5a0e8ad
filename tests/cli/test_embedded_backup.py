"""`gxschema backup`, `restore` and `backup --verify` against the embedded PostgreSQL 16.

A developer with `gxschema up` often has older (or no) PostgreSQL client tools on the
system: the embedded server's own pg_dump and pg_restore, which come with pgserver,
must then be the ones used. PATH here holds no PostgreSQL binaries but pgserver's.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from gxschema.backup.tools import embedded_bindir

from ..support.cli import clean_env, gxschema

pytest.importorskip("pgserver", reason="the embedded PostgreSQL (pgserver) is not installed")


def _env() -> dict[str, str]:
    bindir = embedded_bindir()
    assert bindir is not None and (bindir / "pg_dump").exists()
    return clean_env(PATH=str(bindir))


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("embedded-backup")
    ran = gxschema("--json", "up", env=_env(), cwd=folder)
    assert ran.code == 0, ran.output
    yield folder
    gxschema("down", env=_env(), cwd=folder)


def _counts(url: str, database: str) -> dict[str, int]:
    engine = create_engine(
        url.replace("postgresql://", "postgresql+psycopg://").replace(
            "/postgres?", f"/{database}?"
        ),
        poolclass=NullPool,
    )
    with engine.connect() as connection:
        tables = connection.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
        ).scalars()
        counts = {
            table: int(connection.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one())
            for table in list(tables)
        }
    engine.dispose()
    return counts


def test_backup_verify_and_restore_with_the_embedded_servers_own_tools(project: Path) -> None:
    status = json.loads(gxschema("--json", "status", env=_env(), cwd=project).stdout)
    assert status["database"] == "embedded"

    backed_up = gxschema("--json", "backup", "--verify", env=_env(), cwd=project)
    assert backed_up.code == 0, backed_up.output
    result = json.loads(backed_up.stdout)
    assert result["tool"].startswith("pg_dump 16") and "pginstall" in result["tool"]
    assert result["verify"]["tables"] >= 46
    dump = Path(result["path"])
    assert dump.parent == project / "backups" and dump.exists()

    status = json.loads(gxschema("--json", "status", env=_env(), cwd=project).stdout)
    (listed,) = [b for b in status["backups"] if b["location"] == str(dump)]
    assert listed["status"] == "succeeded" and listed["verified_at"] is not None

    restored = gxschema(
        "--json", "restore", "--latest", "--target-database", "scratch", env=_env(), cwd=project
    )
    assert restored.code == 0, restored.output
    server = json.loads((project / ".gxschema" / "server.json").read_text())
    source = _counts(server["url"], "postgres")
    copy = _counts(server["url"], "scratch")
    assert copy == source
    assert copy["Country"] > 0 and copy["alembic_version"] == 1
