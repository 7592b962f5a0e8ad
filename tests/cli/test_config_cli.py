"""`gxschema config list|get|set` as operators run it, in a child process, on PostgreSQL."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from sqlalchemy import text

from ..support.cli import clean_env, gxschema

SECRET = "sk_live_TOPSECRET_4242"


@pytest.fixture
def database(pg_server, head_database, engine_for):
    engine = engine_for(head_database)
    rows = [
        ("transactionFeeBps", 50, "number", False, "Fee in basis points."),
        ("networkName", "devnet", "string", False, None),
        ("systemPaused", False, "boolean", False, None),
        ("feeTiers", {"tier1": 100}, "json", False, None),
        ("partnerApiToken", SECRET, "string", True, "Token of the partner API."),
        ("signingKeyId", 987654321, "number", True, None),
    ]
    with engine.begin() as connection:
        for key, value, value_type, secret, description in rows:
            connection.execute(
                text(
                    """INSERT INTO "SystemConfig" ("configKey", "tenantId", "configValue",
                       "valueType", "isSecret", "description", "updatedAt")
                       VALUES (:key, 'global', CAST(:value AS jsonb), :type, :secret,
                               :description, now())"""
                ),
                {
                    "key": key,
                    "value": json.dumps(value),
                    "type": value_type,
                    "secret": secret,
                    "description": description,
                },
            )
    return engine, clean_env(**pg_server.env(head_database))


def _stored(engine, key: str):
    with engine.connect() as connection:
        return connection.execute(
            text(
                'SELECT "configValue", "valueType", "isSecret" FROM "SystemConfig" '
                'WHERE "configKey" = :key'
            ),
            {"key": key},
        ).one_or_none()


def _no_secret(ran) -> None:
    assert SECRET not in ran.output and "987654321" not in ran.output, ran.output
    assert "Traceback" not in ran.output, ran.output


def test_list_shows_values_and_masks_secrets(database) -> None:
    _engine, env = database
    ran = gxschema("config", "list", env=env)
    assert ran.code == 0, ran.output
    _no_secret(ran)
    for shown in ("transactionFeeBps", "50", "networkName", "devnet", "partnerApiToken", "***"):
        assert shown in ran.stdout
    ran = gxschema("--json", "config", "list", env=env)
    assert ran.code == 0, ran.output
    _no_secret(ran)
    entries = {e["key"]: e for e in json.loads(ran.stdout)["entries"]}
    assert entries["transactionFeeBps"]["value"] == 50
    assert entries["feeTiers"]["value"] == {"tier1": 100}
    assert entries["partnerApiToken"] == {
        "key": "partnerApiToken",
        "type": "string",
        "value": "***",
        "secret": True,
        "description": "Token of the partner API.",
    }
    assert entries["signingKeyId"]["value"] == "***"
    other = gxschema("--json", "config", "list", "--tenant", "acme", env=env)
    assert other.code == 0 and json.loads(other.stdout)["entries"] == []


def test_get_prints_the_typed_value_never_a_secret(database) -> None:
    _engine, env = database
    assert gxschema("config", "get", "networkName", env=env).stdout.strip() == "devnet"
    ran = gxschema("--json", "config", "get", "transactionFeeBps", env=env)
    assert ran.code == 0 and json.loads(ran.stdout)["value"] == 50
    assert gxschema("config", "get", "feeTiers", env=env).stdout.strip() == '{"tier1": 100}'
    for key in ("partnerApiToken", "signingKeyId"):
        for args in (("config", "get", key), ("--json", "config", "get", key)):
            ran = gxschema(*args, env=env)
            assert ran.code == 0, ran.output
            _no_secret(ran)
            assert "***" in ran.stdout
    missing = gxschema("config", "get", "noSuchKey", env=env)
    assert missing.code == 2 and 'no config "noSuchKey"' in missing.stderr
    assert "Traceback" not in missing.output


def test_set_parses_the_value_as_its_type_and_commits(database) -> None:
    engine, env = database
    ran = gxschema("config", "set", "transactionFeeBps", "40", env=env)
    assert ran.code == 0, ran.output
    assert "transactionFeeBps = 40 (was 50)" in ran.stdout
    assert _stored(engine, "transactionFeeBps") == (40, "number", False)
    assert gxschema("config", "set", "transactionFeeBps", "0.25", env=env).code == 0
    assert _stored(engine, "transactionFeeBps")[0] == 0.25
    assert gxschema("config", "set", "systemPaused", "true", env=env).code == 0
    assert _stored(engine, "systemPaused")[0] is True
    assert gxschema("config", "set", "feeTiers", '{"tier1": 5, "tier2": [1]}', env=env).code == 0
    assert _stored(engine, "feeTiers")[0] == {"tier1": 5, "tier2": [1]}
    assert gxschema("config", "set", "networkName", "42", env=env).code == 0
    assert _stored(engine, "networkName")[0] == "42"  # a string key keeps text as text


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("transactionFeeBps", "fifty", 'config "transactionFeeBps" is a number: "fifty" is not'),
        ("transactionFeeBps", "true", "is not a number"),
        ("transactionFeeBps", "NaN", "is not a number"),
        ("systemPaused", "yes", "is neither true nor false"),
        ("feeTiers", "[1,", "is not valid JSON"),
        ("feeTiers", "7", "is json (JSON is required), not a number 7"),
    ],
)
def test_set_refuses_a_value_of_the_wrong_type(database, key, value, message) -> None:
    engine, env = database
    before = _stored(engine, key)
    ran = gxschema("config", "set", key, value, env=env)
    assert ran.code == 2, ran.output
    assert message in ran.stderr
    assert "Traceback" not in ran.output
    assert _stored(engine, key) == before


def test_set_never_echoes_a_secret(database) -> None:
    engine, env = database
    ran = gxschema("config", "set", "signingKeyId", "hunter2", env=env)
    assert ran.code == 2 and "hunter2" not in ran.output and "secret" in ran.stderr
    ran = gxschema("--json", "config", "set", "partnerApiToken", "sk_live_NEW_0001", env=env)
    assert ran.code == 0, ran.output
    assert "sk_live_NEW_0001" not in ran.output and SECRET not in ran.output
    assert json.loads(ran.stdout)["value"] == "***"
    assert _stored(engine, "partnerApiToken") == ("sk_live_NEW_0001", "string", True)
    # from stdin, out of the shell history
    child = subprocess.run(
        [sys.executable, "-m", "gxschema", "config", "set", "partnerApiToken", "-"],
        input="sk_live_FROM_STDIN\n",
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert child.returncode == 0, child.stderr
    assert "sk_live_FROM_STDIN" not in child.stdout + child.stderr
    assert _stored(engine, "partnerApiToken")[0] == "sk_live_FROM_STDIN"


def test_set_creates_a_key_only_with_its_type(database) -> None:
    engine, env = database
    ran = gxschema("config", "set", "newLimit", "10", env=env)
    assert ran.code == 2 and "give --type" in ran.stderr
    assert _stored(engine, "newLimit") is None
    ran = gxschema(
        "config",
        "set",
        "newLimit",
        "10",
        "--type",
        "number",
        "--description",
        "A new limit.",
        env=env,
    )
    assert ran.code == 0, ran.output
    assert _stored(engine, "newLimit") == (10, "number", False)
    ran = gxschema("config", "set", "newLimit", "x", "--type", "string", env=env)
    assert ran.code == 2 and "does not change the valueType" in ran.stderr
    ran = gxschema("config", "set", "other", "1", "--type", "integer", env=env)
    assert ran.code == 2 and "'integer' is not one of 'string', 'number'" in ran.stderr


def test_config_without_a_database_is_a_configuration_error(tmp_path) -> None:
    ran = gxschema("config", "list", env=clean_env(GXSCHEMA_HOME=str(tmp_path)))
    assert ran.code == 2 and "no database is configured" in ran.stderr
