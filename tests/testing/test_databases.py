"""The template the plugin builds: what it holds, and nothing left when building fails."""

from __future__ import annotations

import pytest

from gxschema.errors import GxSchemaError
from gxschema.testing.databases import Contents, build_template, new_name
from gxschema.testing.server import Server


def _exists(server: Server, name: str) -> bool:
    with server.admin() as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        return found.fetchone() is not None


def test_fake_users_come_with_the_reference_seed_they_live_in(pg_server: Server) -> None:
    name = new_name("gxtest", "template")
    build_template(pg_server, name, Contents(fake_users=3))
    try:
        with pg_server.connect(name) as connection:
            countries = connection.execute('SELECT count(*) FROM "Country"').fetchone()
            users = connection.execute('SELECT count(*) FROM "UserProfile"').fetchone()
            head = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    finally:
        pg_server.drop_database(name)
    assert countries is not None and countries[0] >= 249
    assert users == (3,)
    assert head is not None and head[0].startswith("00")


def test_a_template_that_cannot_be_seeded_is_dropped(
    pg_server: Server, monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    monkeypatch.setenv("GXSCHEMA_SEEDS_DIR", str(tmp_path))  # no seed files in it
    name = new_name("gxtest", "template")
    with pytest.raises(GxSchemaError):
        build_template(pg_server, name, Contents(seed="reference"))
    assert not _exists(pg_server, name)


def test_contents_refuse_an_unknown_seed() -> None:
    with pytest.raises(ValueError, match="unknown seed 'prod'"):
        Contents(seed="prod")
