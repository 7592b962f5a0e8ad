"""Connection settings: every way of giving the password works, and it never leaks."""

from __future__ import annotations

import uuid
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from gxschema.db import create_engine, explain_connection_error
from gxschema.settings import ConfigurationError, DatabaseSettings, redact

AWKWARD_PASSWORD = "p/a=s@s:w%o#r?d 25%&x"


@pytest.fixture
def awkward_role(pg_server) -> str:
    """A login role whose password holds every character that breaks URLs."""
    role = f"gx_awkward_{uuid.uuid4().hex[:8]}"
    with pg_server.admin() as connection:
        connection.execute(
            psycopg.sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
                psycopg.sql.Identifier(role), psycopg.sql.Literal(AWKWARD_PASSWORD)
            )
        )
    yield role
    with pg_server.admin() as connection:
        connection.execute(psycopg.sql.SQL("DROP ROLE {}").format(psycopg.sql.Identifier(role)))


def _passwords_are_checked(pg_server, role: str) -> bool:
    try:
        psycopg.connect(
            host=pg_server.host,
            port=pg_server.port,
            user=role,
            password="certainly-wrong",
            dbname="postgres",
        ).close()
    except psycopg.OperationalError:
        return True
    return False


def _current_user(settings: DatabaseSettings) -> str:
    engine = create_engine(settings)
    try:
        with engine.connect() as connection:
            return str(connection.execute(text("SELECT current_user")).scalar())
    finally:
        engine.dispose()


def _libpq_env(monkeypatch: pytest.MonkeyPatch, pg_server, role: str) -> None:
    for name in ("DATABASE_URL", "PGPASSWORD", "PGPASSWORD_FILE", "GXSCHEMA_PASSWORD_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PGHOST", pg_server.host)
    monkeypatch.setenv("PGPORT", str(pg_server.port))
    monkeypatch.setenv("PGUSER", role)
    monkeypatch.setenv("PGDATABASE", "postgres")


def test_awkward_password_from_pgpassword_connects(monkeypatch, pg_server, awkward_role) -> None:
    _libpq_env(monkeypatch, pg_server, awkward_role)
    monkeypatch.setenv("PGPASSWORD", AWKWARD_PASSWORD)
    assert _current_user(DatabaseSettings()) == awkward_role


def test_awkward_password_from_a_mounted_file_connects(
    monkeypatch, pg_server, awkward_role, tmp_path: Path
) -> None:
    _libpq_env(monkeypatch, pg_server, awkward_role)
    secret = tmp_path / "password"
    secret.write_text(AWKWARD_PASSWORD + "\n")  # Secrets often end with a newline
    monkeypatch.setenv("PGPASSWORD_FILE", str(secret))
    assert _current_user(DatabaseSettings()) == awkward_role


def test_database_url_without_password_takes_it_from_the_file(
    monkeypatch, pg_server, awkward_role, tmp_path: Path
) -> None:
    _libpq_env(monkeypatch, pg_server, awkward_role)
    for name in ("PGHOST", "PGPORT", "PGUSER", "PGDATABASE"):
        monkeypatch.delenv(name)
    secret = tmp_path / "password"
    secret.write_text(AWKWARD_PASSWORD)
    monkeypatch.setenv(
        "DATABASE_URL", f"postgres://{awkward_role}@{pg_server.host}:{pg_server.port}/postgres"
    )
    monkeypatch.setenv("PGPASSWORD_FILE", str(secret))
    assert _current_user(DatabaseSettings()) == awkward_role


def test_wrong_password_gives_a_clear_error_without_the_password(
    monkeypatch, pg_server, awkward_role
) -> None:
    if not _passwords_are_checked(pg_server, awkward_role):
        pytest.skip("this test server trusts every connection (no password check)")
    _libpq_env(monkeypatch, pg_server, awkward_role)
    wrong = "Wr0ng/p@ss:word#?"
    monkeypatch.setenv("PGPASSWORD", wrong)
    settings = DatabaseSettings()
    with pytest.raises(OperationalError) as raised:
        _current_user(settings)
    message = explain_connection_error(raised.value, settings)
    assert message.startswith(f"authentication failed for user '{awkward_role}'")
    assert wrong not in message
    assert AWKWARD_PASSWORD not in message


def test_password_never_in_repr_or_str() -> None:
    settings = DatabaseSettings(host="db", user="gx", password=AWKWARD_PASSWORD, database="gx")
    assert AWKWARD_PASSWORD not in repr(settings)
    assert AWKWARD_PASSWORD not in str(settings.url())
    assert AWKWARD_PASSWORD not in repr(settings.url())
    assert settings.url().password == AWKWARD_PASSWORD
    assert settings.describe() == "gx@db:5432/gx"


def test_redact_hides_raw_and_encoded_forms() -> None:
    message = "failed for p/a=s@s:w%o#r?d 25%&x and p%2Fa%3Ds%40s%3Aw%25o%23r%3Fd%2025%25%26x"
    assert redact(message, [AWKWARD_PASSWORD]) == "failed for *** and ***"


def test_malformed_database_url_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="not a valid URL"):
        DatabaseSettings(database_url="::not a url::").url()
    with pytest.raises(ConfigurationError, match="must be a PostgreSQL URL"):
        DatabaseSettings(database_url="mysql://u@h/d").url()


def test_unreadable_password_file_is_a_configuration_error(tmp_path: Path) -> None:
    settings = DatabaseSettings(host="db", password_file=tmp_path / "absent")
    with pytest.raises(ConfigurationError, match="cannot read the password file"):
        settings.url()


def test_is_configured_only_when_a_database_is_named(monkeypatch) -> None:
    for name in (
        "DATABASE_URL",
        "PGHOST",
        "PGDATABASE",
        "PGPASSWORD_FILE",
        "GXSCHEMA_PASSWORD_FILE",
    ):
        monkeypatch.delenv(name, raising=False)
    assert not DatabaseSettings().is_configured
    monkeypatch.setenv("PGHOST", "db.example")
    assert DatabaseSettings().is_configured
