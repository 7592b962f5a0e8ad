"""Which server the plugin chooses, and what it says about the choice (nothing is started)."""

from __future__ import annotations

import pytest

from gxschema.testing.backends import choose, redacted


@pytest.fixture
def nothing_else(monkeypatch: pytest.MonkeyPatch, tmp_path) -> str:
    """An environment with no Docker, no binaries (an empty folder) and no embedded server."""
    monkeypatch.setenv("GXSCHEMA_TEST_NO_DOCKER", "1")
    monkeypatch.setenv("GXSCHEMA_TEST_NO_EMBEDDED", "1")
    monkeypatch.setenv("GXSCHEMA_TEST_PG_BIN", str(tmp_path))
    return str(tmp_path)


def test_a_named_server_comes_first_and_its_password_is_not_shown(nothing_else: str) -> None:
    chosen = choose(
        "postgresql://app:s3cret@db.internal:6432/postgres", "GXSCHEMA_TEST_DATABASE_URL"
    )
    assert chosen.name == "url"
    assert "s3cret" not in chosen.description
    assert chosen.description == (
        "the server at postgresql://app:***@db.internal:6432/postgres,"
        " named by GXSCHEMA_TEST_DATABASE_URL"
    )


def test_a_url_without_a_password_is_shown_as_it_is() -> None:
    assert redacted("postgresql://postgres@localhost/postgres") == (
        "postgresql://postgres@localhost/postgres"
    )


def test_with_nothing_to_be_had_the_reason_names_every_backend_tried(nothing_else: str) -> None:
    chosen = choose(None)
    assert not chosen.available
    assert chosen.passed_over == (
        "no --gxschema-url or GXSCHEMA_TEST_DATABASE_URL",
        "Docker turned off (GXSCHEMA_TEST_NO_DOCKER)",
        f"GXSCHEMA_TEST_PG_BIN={nothing_else} holds no pg_ctl",
        "the embedded PostgreSQL turned off (GXSCHEMA_TEST_NO_EMBEDDED)",
    )
    assert "\n" not in chosen.description


def test_the_embedded_postgresql_is_the_last_resort(
    nothing_else: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("pgserver")
    monkeypatch.delenv("GXSCHEMA_TEST_NO_EMBEDDED")
    chosen = choose(None)
    assert chosen.name == "embedded"
    assert chosen.description.startswith("the embedded PostgreSQL (pgserver): no --gxschema-url")
