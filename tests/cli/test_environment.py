"""The environment a database records, and the commands that obey it (real PostgreSQL).

Every refusal is checked from the outside: the exit code, one line on stderr, and a
content hash of every table (``alembic_version`` included) that must not move.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.pool import NullPool

from gxschema import seeding

from ..support.cli import Ran, clean_env, gxschema
from ..support.paths import ROOT
from ..support.server import Server


def _hashes(engine: Engine) -> dict[str, str]:
    """The content of every table of the database, as one digest per table."""
    with engine.connect() as connection:
        tables = connection.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
        ).scalars()
        return {
            table: connection.execute(
                text(
                    "SELECT coalesce(md5(string_agg(t::text, '' ORDER BY t::text)), 'empty') "
                    f'FROM "{table}" AS t'
                )
            ).scalar_one()
            for table in tables
        }


def _record(engine: Engine) -> dict[str, object] | None:
    with engine.connect() as connection:
        row = (
            connection.execute(
                text(
                    """SELECT "tenantId", "configValue", "valueType", "isSecret", description,
                          xmin::text AS version
                   FROM "SystemConfig" WHERE "configKey" = 'environment'"""
                )
            )
            .mappings()
            .one_or_none()
        )
    return None if row is None else dict(row)


def _count(engine: Engine, table: str) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one())


def _refused(ran: Ran) -> str:
    """Assert the command refused as bad input, in one line; return that line.

    It is the last line on stderr; the command's progress up to it comes before.
    """
    assert ran.code == 2, ran.output
    assert "Traceback" not in ran.output
    lines = ran.stderr.strip().splitlines()
    errors = [line for line in lines if line.startswith("gxschema: error: ")]
    assert len(errors) == 1 and lines[-1] == errors[0], ran.stderr
    return errors[0]


@pytest.fixture(scope="module")
def mainnet(pg_server: Server) -> Iterator[tuple[dict[str, str], Engine]]:
    """An empty database deployed as mainnet by the real command: (its env, an engine)."""
    name = pg_server.create_database()
    env = clean_env(**pg_server.env(name))
    engine = create_engine(pg_server.url(name), poolclass=NullPool)
    try:
        ran = gxschema("deploy", "--env", "mainnet", "--no-backup-first", env=env)
        assert ran.code == 0, ran.output
        yield env, engine
    finally:
        engine.dispose()
        pg_server.drop_database(name)


def test_deploy_records_the_environment_and_status_shows_it(mainnet) -> None:
    env, engine = mainnet
    record = _record(engine)
    assert record is not None
    assert record["tenantId"] == "global"
    assert record["configValue"] == "mainnet" and record["valueType"] == "string"
    assert record["isSecret"] is False
    assert "deploy --env mainnet" in str(record["description"])
    assert "--reassign-environment" in str(record["description"])
    status = gxschema("--json", "status", env=env)
    assert status.code == 0, status.output
    assert json.loads(status.stdout)["environment"] == "mainnet"
    assert "environment: recorded as mainnet" in gxschema("status", env=env).stdout


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("seed",), "seed --env mainnet"),
        (("seed", "--env", "devnet"), "recorded as mainnet, not devnet"),
        (("seed", "--env", "testnet", "--dry-run"), "--reassign-environment"),
        (("up",), "gxschema migrate"),
        (("up", "--configured-database"), "seed --env mainnet"),
        (("up", "--configured-database", "--env", "devnet"), "recorded as mainnet"),
        (("fake", "--users", "10"), "recorded as mainnet"),
        (("fake", "--users", "10", "--force", "--allow-testnet"), "recorded as mainnet"),
        (("config", "set", "environment", "devnet"), "--reassign-environment"),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, tuple) else None,
)
def test_a_mainnet_database_refuses_demo_and_fake_data(mainnet, args, says) -> None:
    env, engine = mainnet
    before = _hashes(engine)
    assert "alembic_version" in before and len(before) > 40
    line = _refused(gxschema(*args, env=env))
    assert says in line, line
    assert _hashes(engine) == before


def test_deploying_another_environment_refuses_before_the_backup(mainnet, tmp_path) -> None:
    env, engine = mainnet
    before = _hashes(engine)
    backups = tmp_path / "backups"
    ran = gxschema(
        "deploy", "--env", "testnet", "--backup-first", "--backup-dir", str(backups), env=env
    )
    assert "recorded as mainnet, not testnet" in _refused(ran)
    assert not backups.exists() or not any(backups.iterdir())
    assert _hashes(engine) == before


def test_testnet_takes_fake_data_only_when_allowed_and_keeps_its_record(
    pg_server, head_database, engine_for
) -> None:
    env = clean_env(**pg_server.env(head_database))
    engine = engine_for(head_database)
    seeded = gxschema("seed", "--env", "testnet", env=env)
    assert seeded.code == 0, seeded.output
    assert "environment: recorded testnet" in seeded.output
    record = _record(engine)
    assert record is not None and record["configValue"] == "testnet"

    before = _hashes(engine)
    refused = gxschema("fake", "--users", "10", env=env)
    assert "--allow-testnet" in _refused(refused)
    assert refused.stdout == ""  # refused before planning a row
    assert _hashes(engine) == before

    allowed = gxschema("fake", "--users", "10", "--allow-testnet", env=env)
    assert allowed.code == 0, allowed.output
    assert _count(engine, "UserProfile") == 10
    forced = gxschema("fake", "--users", "12", "--allow-testnet", "--force", env=env)
    assert forced.code == 0, forced.output
    assert _count(engine, "UserProfile") == 12
    assert _record(engine) == record  # --force emptied the filled tables, not the record

    # a bare seed uses the recorded environment; so does --overwrite, without touching it
    bare = gxschema("--json", "seed", env=env)
    assert bare.code == 0, bare.output
    assert json.loads(bare.stdout)["env"] == "testnet"
    assert gxschema("seed", "--env", "testnet", "--overwrite", env=env).code == 0
    assert _record(engine) == record


def test_reassigning_the_environment_needs_the_flag_and_says_so(
    pg_server, head_database, engine_for
) -> None:
    env = clean_env(**pg_server.env(head_database))
    engine = engine_for(head_database)
    assert gxschema("seed", "--env", "testnet", env=env).code == 0
    before = _hashes(engine)
    assert "--reassign-environment" in _refused(gxschema("seed", "--env", "devnet", env=env))
    assert _hashes(engine) == before

    moved = gxschema("seed", "--env", "devnet", "--reassign-environment", env=env)
    assert moved.code == 0, moved.output
    assert "reassigned from testnet to devnet" in moved.output
    record = _record(engine)
    assert record is not None and record["configValue"] == "devnet"
    assert _count(engine, "UserProfile") > 0  # the demo rows came with it


def test_base_data_without_a_record_is_treated_as_production(
    pg_server, head_database, engine_for
) -> None:
    env = clean_env(**pg_server.env(head_database))
    engine = engine_for(head_database)
    # seeded before environments were recorded: reference data, no record, no demo rows
    seeding.apply(engine, seeding.load(ROOT / "seeds", "mainnet"), env="mainnet")
    before = _hashes(engine)
    demo = _refused(gxschema("seed", "--env", "devnet", env=env))
    assert "treated as production" in demo
    assert "gxschema seed --env testnet" in demo and "--reassign-environment" in demo
    assert "treated as production" in _refused(gxschema("fake", "--users", "10", env=env))
    assert "give --env" in _refused(gxschema("seed", env=env))
    assert _hashes(engine) == before
    assert "reference data present" in gxschema("status", env=env).stdout

    recorded = gxschema("seed", "--env", "testnet", env=env)
    assert recorded.code == 0, recorded.output
    assert (_record(engine) or {}).get("configValue") == "testnet"


def test_an_empty_database_without_a_record_accepts_devnet(
    pg_server, head_database, engine_for
) -> None:
    env = clean_env(**pg_server.env(head_database))
    engine = engine_for(head_database)
    dry = gxschema("seed", "--env", "devnet", "--dry-run", env=env)
    assert dry.code == 0, dry.output
    assert _record(engine) is None  # a dry run records nothing

    ran = gxschema("seed", "--env", "devnet", env=env)
    assert ran.code == 0, ran.output
    record = _record(engine)
    assert record is not None and record["configValue"] == "devnet"
    assert _count(engine, "UserProfile") > 0
    again = gxschema("seed", env=env)
    assert again.code == 0 and "nothing to change" in again.stdout
    assert _record(engine) == record  # the same environment does not rewrite the row


def test_up_on_a_configured_database_only_when_told_and_as_recorded(
    pg_server, empty_database, engine_for
) -> None:
    env = clean_env(**pg_server.env(empty_database))
    engine = engine_for(empty_database)
    assert "gxschema migrate" in _refused(gxschema("up", env=env))
    assert "give --env" in _refused(gxschema("up", "--configured-database", env=env))
    assert _hashes(engine) == {}  # not even migrated

    ran = gxschema("--json", "up", "--configured-database", "--env", "testnet", env=env)
    assert ran.code == 0, ran.output
    summary = json.loads(ran.stdout)
    assert summary["database"] == "configured" and summary["environment"] == "testnet"
    assert (_record(engine) or {}).get("configValue") == "testnet"
    assert _count(engine, "UserProfile") == 0


def test_seed_files_cannot_set_the_environment(
    pg_server, head_database, engine_for, tmp_path: Path
) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    config = seeds / "base" / "system_config.yaml"
    config.write_text(
        config.read_text()
        + "  environment:\n    valueType: string\n    configValue: devnet\n"
        + "    description: set by a file\n"
    )
    env = clean_env(**pg_server.env(head_database))
    engine = engine_for(head_database)
    line = _refused(gxschema("seed", "--env", "mainnet", "--seeds-dir", str(seeds), env=env))
    assert "environment record" in line
    assert _count(engine, "SystemConfig") == 0


def test_a_failed_seed_records_nothing(pg_server, head_database, engine_for) -> None:
    env = clean_env(**pg_server.env(head_database))
    engine = engine_for(head_database)
    with engine.begin() as connection:  # the last dataset fails after the others were written
        connection.execute(
            text(
                """CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS
                   $$ BEGIN RAISE EXCEPTION 'no flags today'; END $$;
                   CREATE TRIGGER refuse BEFORE INSERT ON "FeatureFlag"
                   FOR EACH ROW EXECUTE FUNCTION refuse()"""
            )
        )
    ran = gxschema("seed", "--env", "testnet", env=env)
    assert ran.code == 1 and "no flags today" in ran.stderr, ran.output
    assert _record(engine) is None
    assert _count(engine, "Country") == 0 and _count(engine, "SeedDataset") == 0


def test_two_seeds_of_different_environments_at_once_record_one(
    pg_server, head_database, engine_for
) -> None:
    import subprocess
    import sys

    env = clean_env(**pg_server.env(head_database))
    engine = engine_for(head_database)
    started = {
        name: subprocess.Popen(
            [sys.executable, "-m", "gxschema", "seed", "--env", name],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("testnet", "mainnet")
    }
    codes = {name: process.wait(timeout=300) for name, process in started.items()}
    winners = [name for name, code in codes.items() if code == 0]
    assert sorted(codes.values()) == [0, 2], codes
    record = _record(engine)
    assert record is not None and record["configValue"] == winners[0]


def test_the_seeding_library_refuses_demo_rows_where_the_record_does(
    pg_server, head_database, engine_for
) -> None:
    engine = engine_for(head_database)
    devnet = seeding.load(ROOT / "seeds", "devnet")
    ran = gxschema("seed", "--env", "testnet", env=clean_env(**pg_server.env(head_database)))
    assert ran.code == 0, ran.output
    before = _hashes(engine)
    with pytest.raises(seeding.SeedError, match="recorded as testnet"):
        seeding.apply(engine, devnet, env="devnet")
    assert _hashes(engine) == before
    assert seeding.apply(engine, devnet, env="devnet", dry_run=True).changed  # reads only
