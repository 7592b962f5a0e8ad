"""The fast path's libpq parameters reach the very database the settings name, or say None."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from gxschema.libpq_env import target_from_environment
from gxschema.settings import load_settings

_VARIABLES = (
    "DATABASE_URL",
    "PGHOST",
    "PGPORT",
    "PGUSER",
    "PGPASSWORD",
    "PGDATABASE",
    "PGSSLMODE",
    "PGPASSWORD_FILE",
    "GXSCHEMA_PASSWORD_FILE",
    "PGCONNECT_TIMEOUT",
    "PGAPPNAME",
    "GXSCHEMA_HOME",
)
_WHO = (
    "SELECT current_user, current_database(), current_setting('application_name'),"
    " current_setting('port')"
)


@pytest.fixture
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in _VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def _through_settings() -> tuple[object, ...]:
    url = load_settings().url()
    with psycopg.connect(url.set(drivername="postgresql").render_as_string(False)) as connection:
        row = connection.execute(_WHO).fetchone()
    assert row is not None
    return tuple(row)


def _through_fast_path() -> tuple[object, ...]:
    target = target_from_environment()
    assert target is not None, "the fast path declined an environment it should take"
    with psycopg.connect(target.conninfo, **target.parameters) as connection:
        row = connection.execute(_WHO).fetchone()
    assert row is not None
    return tuple(row)


def test_pg_variables_reach_the_settings_database(
    pg_server, empty_database: str, clean_environment: pytest.MonkeyPatch
) -> None:
    for name, value in pg_server.env(empty_database).items():
        clean_environment.setenv(name, value)
    same = _through_settings()
    assert same[1] == empty_database and same[2] == "gxschema"
    assert _through_fast_path() == same


def test_a_url_alone_and_a_password_file_reach_the_settings_database(
    pg_server, empty_database: str, clean_environment: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    if pg_server.host.startswith("/"):
        pytest.skip("the server listens on a socket folder; the URL form is tested over TCP")
    secret = tmp_path / "password"
    secret.write_text(f"{pg_server.password or ''}\n", encoding="utf-8")
    clean_environment.setenv(
        "DATABASE_URL",
        f"postgresql+psycopg://{pg_server.user}:wrong@{pg_server.host}:{pg_server.port}"
        f"/{empty_database}?application_name=fastpath",
    )
    clean_environment.setenv("PGPASSWORD_FILE", str(secret))
    same = _through_settings()
    assert same[1:3] == (empty_database, "fastpath")
    assert _through_fast_path() == same


@pytest.mark.parametrize(
    "environment",
    [
        {},  # nothing configured: the embedded database
        {"PGUSER": "someone"},  # still nothing that names a database
        {"DATABASE_URL": "postgresql://u@h/d", "PGHOST": "other"},  # the settings combine
        {"DATABASE_URL": "mysql://u@h/d"},
        {"DATABASE_URL": "postgresql://u:p@ss@h/d"},
        {"PGHOST": "h", "PGPORT": "five"},
        {"PGHOST": " "},
        {"PGHOST": "h", "PGPASSWORD_FILE": "/nonexistent/password"},
    ],
)
def test_in_any_doubt_the_fast_path_declines(environment: dict[str, str]) -> None:
    assert target_from_environment(environment) is None


def test_defaults_are_the_settings_unless_the_environment_names_them() -> None:
    target = target_from_environment({"PGHOST": "h"})
    assert target is not None
    assert target.parameters == {"connect_timeout": "10", "application_name": "gxschema"}
    named = target_from_environment({"PGHOST": "h", "PGAPPNAME": "svc", "PGCONNECT_TIMEOUT": "3"})
    assert named is not None and named.parameters == {}
