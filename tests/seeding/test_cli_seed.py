"""`gxschema seed` as operators run it: exit codes, messages, and what the database holds."""

from __future__ import annotations

import json
import shutil

from sqlalchemy import text

from ..support.cli import clean_env, gxschema
from ..support.paths import ROOT

DEMO_TABLES = ("UserProfile", "Wallet", "Transaction", "LicensedPartner", "LegalTenderStatus")


def _counts(engine, tables) -> dict[str, int]:
    with engine.connect() as connection:
        return {t: connection.execute(text(f'SELECT count(*) FROM "{t}"')).scalar() for t in tables}


def _versions(engine) -> list[tuple[str, str]]:
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                """SELECT 'SystemConfig:' || "configKey", xmin::text FROM "SystemConfig"
               UNION ALL SELECT 'FeatureFlag:' || "flagKey", xmin::text FROM "FeatureFlag"
               UNION ALL SELECT 'Country:' || "countryCode", xmin::text FROM "Country"
               ORDER BY 1"""
            )
        ).all()
    return [(a, b) for a, b in rows]


def test_mainnet_gets_base_data_and_never_demo_rows(pg_server, head_database, engine_for) -> None:
    env = clean_env(**pg_server.env(head_database))
    ran = gxschema("--json", "seed", "--env", "mainnet", env=env)
    assert ran.code == 0, ran.output
    report = json.loads(ran.stdout)
    assert report["env"] == "mainnet" and report["changed"] is True
    engine = engine_for(head_database)
    assert _counts(engine, ("Country",)) == {"Country": 250}
    assert set(_counts(engine, DEMO_TABLES).values()) == {0}
    with engine.connect() as connection:
        fee = connection.execute(
            text(
                """SELECT "configValue", "valueType" FROM "SystemConfig"
               WHERE "configKey" = 'transactionFeeBps'"""
            )
        ).one()
    assert fee == (50, "number")


def test_second_seed_writes_nothing(pg_server, head_database, engine_for) -> None:
    env = clean_env(**pg_server.env(head_database))
    assert gxschema("seed", "--env", "devnet", env=env).code == 0
    engine = engine_for(head_database)
    before = _versions(engine)
    demo_before = _counts(engine, DEMO_TABLES)
    again = gxschema("seed", "--env", "devnet", env=env)
    assert again.code == 0
    assert "nothing to change" in again.stdout
    assert _versions(engine) == before
    assert _counts(engine, DEMO_TABLES) == demo_before and demo_before["UserProfile"] > 0


def test_operator_values_are_kept_then_reset_with_overwrite(
    pg_server, head_database, engine_for
) -> None:
    env = clean_env(**pg_server.env(head_database))
    assert gxschema("seed", "--env", "testnet", env=env).code == 0
    engine = engine_for(head_database)
    with engine.begin() as connection:
        connection.execute(
            text(
                """UPDATE "SystemConfig" SET "configValue" = '75'::jsonb
               WHERE "configKey" = 'transactionFeeBps'"""
            )
        )
    # the files are those the database records: nothing is compared, nothing reset
    unchanged = gxschema("seed", "--env", "testnet", env=env)
    assert unchanged.code == 0 and "rows not compared" in unchanged.stdout
    kept = gxschema("seed", "--env", "testnet", "--compare-rows", env=env)
    assert kept.code == 0
    assert "kept the operator's value of" in kept.stdout and "transactionFeeBps" in kept.stdout
    dry = gxschema("seed", "--env", "testnet", "--overwrite", "--dry-run", env=env)
    assert dry.code == 0 and "dry run" in dry.stdout

    def fee() -> object:
        with engine.connect() as connection:
            return connection.execute(
                text(
                    """SELECT "configValue" FROM "SystemConfig"
                   WHERE "configKey" = 'transactionFeeBps'"""
                )
            ).scalar()

    assert fee() == 75
    reset = gxschema("seed", "--env", "testnet", "--overwrite", env=env)
    assert reset.code == 0 and "reset" in reset.stdout
    assert fee() == 50


def test_malformed_seed_directory_exits_2_and_writes_nothing(
    pg_server, head_database, engine_for, tmp_path
) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    countries = seeds / "base" / "countries.csv"
    countries.write_text(countries.read_text().replace("\nFR,", "\nF1,", 1))
    config = seeds / "base" / "system_config.yaml"
    text_ = config.read_text()
    assert "configValue: 50\n" in text_
    config.write_text(text_.replace("configValue: 50\n", 'configValue: "50"\n', 1))
    env = clean_env(**pg_server.env(head_database))
    engine = engine_for(head_database)
    ran = gxschema("seed", "--env", "devnet", "--seeds-dir", str(seeds), env=env)
    assert ran.code == 2
    assert "Traceback" not in ran.output
    assert 'code "F1"' in ran.stderr and "countryCode" in ran.stderr
    assert 'key "transactionFeeBps"' in ran.stderr and 'is a string "50"' in ran.stderr
    tables = ("Country", "SystemConfig", "FeatureFlag", "SeedDataset", *DEMO_TABLES)
    assert set(_counts(engine, tables).values()) == {0}


def test_unknown_environment_is_bad_input(pg_server, head_database) -> None:
    ran = gxschema("seed", "--env", "staging", env=clean_env(**pg_server.env(head_database)))
    assert ran.code == 2
    assert "'staging' is not one of 'devnet', 'testnet', 'mainnet'" in ran.stderr


def _digests(engine, tables) -> dict[str, str]:
    """The md5 of each table's rows, as the server spells them: any change shows."""
    with engine.connect() as connection:
        return {
            table: connection.execute(
                text(
                    "SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
                    f'FROM "{table}" t'
                )
            ).scalar()
            for table in tables
        }


SEEDED_TABLES = ("Country", "SystemConfig", "FeatureFlag", "SeedDataset", *DEMO_TABLES)


def test_a_seed_of_unchanged_files_reads_the_record_and_changes_nothing(
    pg_server, head_database, engine_for
) -> None:
    env = clean_env(**pg_server.env(head_database))
    first = gxschema("--json", "seed", "--env", "devnet", env=env)
    assert first.code == 0 and json.loads(first.stdout)["rows_compared"] is True
    engine = engine_for(head_database)
    before = _digests(engine, SEEDED_TABLES)

    again = gxschema("--json", "seed", "--env", "devnet", env=env)

    assert again.code == 0, again.output
    report = json.loads(again.stdout)
    assert (report["changed"], report["rows_compared"]) == (False, False)
    assert [d["name"] for d in report["datasets"]] == [
        "countries",
        "system_config",
        "feature_flags",
        "demo",
    ]
    first_checksums = [d["checksum"] for d in json.loads(first.stdout)["datasets"]]
    assert [d["checksum"] for d in report["datasets"]] == first_checksums
    assert _digests(engine, SEEDED_TABLES) == before
    human = gxschema("seed", "--env", "devnet", env=env)
    assert human.code == 0 and "nothing to change" in human.stdout
    assert "rows not compared" in human.stdout
    # asked to compare, it reads every row, and still finds nothing to write
    compared = gxschema("--json", "seed", "--env", "devnet", "--compare-rows", env=env)
    assert compared.code == 0 and json.loads(compared.stdout)["rows_compared"] is True
    assert json.loads(compared.stdout)["changed"] is False
    assert _digests(engine, SEEDED_TABLES) == before


def test_a_changed_file_is_applied_by_the_next_seed(
    pg_server, head_database, engine_for, tmp_path
) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    env = clean_env(**pg_server.env(head_database))
    args = ("--json", "seed", "--env", "testnet", "--seeds-dir", str(seeds))
    assert gxschema(*args, env=env).code == 0
    countries = seeds / "base" / "countries.csv"
    assert "KE,Kenya,Africa\n" in countries.read_text()
    countries.write_text(countries.read_text().replace("KE,Kenya,Africa\n", "KE,Kenia,Africa\n"))

    changed = gxschema(*args, env=env)

    assert changed.code == 0, changed.output
    report = json.loads(changed.stdout)
    assert (report["changed"], report["rows_compared"]) == (True, True)
    by_name = {d["name"]: d for d in report["datasets"]}
    assert (by_name["countries"]["updated"], by_name["countries"]["recorded"]) == (1, True)
    assert not by_name["system_config"]["recorded"]
    engine = engine_for(head_database)
    with engine.connect() as connection:
        name = connection.execute(
            text("""SELECT "countryName" FROM "Country" WHERE "countryCode" = 'KE'""")
        ).scalar()
    assert name == "Kenia"
    settled = json.loads(gxschema(*args, env=env).stdout)
    assert (settled["changed"], settled["rows_compared"]) == (False, False)


def test_the_no_op_seed_reads_the_environment_record_under_its_key() -> None:
    from gxschema.privileges import ENVIRONMENT_KEY
    from gxschema.seeding import unchanged

    assert unchanged.ENVIRONMENT_KEY == ENVIRONMENT_KEY
