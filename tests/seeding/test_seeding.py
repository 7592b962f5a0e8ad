"""Reference data: the seed files carry the facts, and `apply` writes them exactly once.

Every test that touches a database uses a real PostgreSQL database migrated to head
(`head_database`). "Unchanged" is checked with `_snapshot`: every row of every table
with its xmin, so an UPDATE that rewrites a row with the same values is caught too.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pycountry
import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from gxschema.models import metadata
from gxschema.seeding import (
    SeedError,
    SeedValidationError,
    apply,
    load,
)
from gxschema.seeding.schemas import REGIONS

from ..support.demo import DEMO_COUNTS, DEMO_TABLES
from ..support.paths import ROOT

SEEDS = ROOT / "seeds"
SEED_FACTS = ROOT.parent / "shared" / "reference" / "seed-facts.md"

# seed-facts.md, "Protocol parameters": key -> (valueType, value).
PROTOCOL_PARAMETERS: dict[str, tuple[str, Any]] = {
    "transactionFeeThreshold": ("number", 10000000),
    "transactionFeeBps": ("number", 50),
    "velocityTaxCycleDays": ("number", 360),
    "velocityTaxMinimumBalance": ("number", 10000000),
    "velocityTaxRate": ("number", 10),
    "genesisTier1Amount": ("number", 10000000),
    "genesisTier2Amount": ("number", 50000000),
    "genesisTier3Amount": ("number", 100000000),
    "loanMaximumAmount": ("number", 10000000000),
    "loanMinimumAmount": ("number", 100000),
    "loanDefaultDurationDays": ("number", 365),
    "governanceQuorumPercentage": ("number", 51),
    "governanceApprovalThreshold": ("number", 66),
    "governanceProposalDurationDays": ("number", 14),
    "systemPoolGenesis": ("string", "SYSTEM_GENESIS_POOL"),
    "systemPoolTaxCollection": ("string", "SYSTEM_TAX_COLLECTION_POOL"),
    "systemPoolLoan": ("string", "SYSTEM_LOAN_POOL"),
    "systemPoolBurned": ("string", "SYSTEM_BURNED_POOL"),
    "currencySymbol": ("string", "GXC"),
    "currencyName": ("string", "GX Coin"),
    "currencyDecimals": ("number", 5),
    "totalSupplyCap": ("number", 21000000000000000),
    "kycRequired": ("boolean", True),
    "kycMaxFileSize": ("number", 10485760),
    "kycAllowedMimeTypes": ("json", ["image/jpeg", "image/png", "application/pdf"]),
    "rateLimitMaxRequests": ("number", 100),
    "rateLimitWindowMs": ("number", 60000),
    "idempotencyTTLHours": ("number", 24),
    "orgMinimumStakeholders": ("number", 2),
    "orgMaximumStakeholders": ("number", 20),
    "orgDefaultThreshold": ("number", 2),
}
PYTHON_TYPE = {"number": int, "string": str, "boolean": bool, "json": list}
JSONB_TYPE = {"number": "number", "string": "string", "boolean": "boolean", "json": "array"}

REQUIRED_FLAGS = {"enable_trust_score_v2", "enable_sentinel_ha"}
CAPABILITY_FLAGS = {  # capability -> a word its flag key must contain
    "webhooks": "webhook",
    "hoarding tax": "hoarding",
    "business multi-signature": "multisig",
    "loan pool": "loan",
    "governance": "governance",
}
BASE_COUNTS = {"Country": 250, "SystemConfig": len(PROTOCOL_PARAMETERS), "FeatureFlag": 7}


# --- helpers -----------------------------------------------------------------------


def _snapshot(engine: Engine) -> dict[str, list[tuple[str, str]]]:
    """Every row of every table, as (xmin, row as JSON), sorted."""
    found: dict[str, list[tuple[str, str]]] = {}
    with engine.connect() as connection:
        for name in metadata.tables:
            rows = connection.execute(
                text(f'SELECT xmin::text, row_to_json(t)::text FROM "{name}" t')
            ).all()
            found[name] = sorted((str(xmin), str(row)) for xmin, row in rows)
    return found


def _counts(engine: Engine, *tables: str) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            name: connection.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one()
            for name in tables
        }


def _rows(engine: Engine, table: str, order_by: str) -> list[dict[str, Any]]:
    with engine.connect() as connection:
        return [
            json.loads(row)
            for (row,) in connection.execute(
                text(f'SELECT row_to_json(t)::text FROM "{table}" t ORDER BY "{order_by}"')
            )
        ]


def _copy_seeds(tmp_path: Path) -> Path:
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    content = path.read_text(encoding="utf-8")
    assert content.count(old) == 1, f"{old!r} must occur once in {path.name}"
    path.write_text(content.replace(old, new), encoding="utf-8")


def _line_of(path: Path, start: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith(start):
            return number
    raise AssertionError(f"no line starts with {start!r} in {path}")


def _countries_row_of(path: Path, line: int) -> int:
    """The data row number of a line of countries.csv (the header row is not a row)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    header = next(n for n, text_ in enumerate(lines, 1) if text_.startswith("countryCode,"))
    return line - header


# --- the files carry the facts --------------------------------------------------------


# Codes beyond ISO 3166-1 that the file carries on purpose (its header says why).
USER_ASSIGNED = {"XK": "Kosovo"}


def test_countries_match_pycountry_exactly() -> None:
    (countries,) = load(SEEDS, "mainnet", only=["countries"])
    rows = countries.tables[0].rows
    by_code = {row["countryCode"]: row for row in rows}
    assert len(rows) == len(by_code) == 250
    iso = {country.alpha_2: country.name for country in pycountry.countries}
    assert len(iso) == 249
    # If ISO ever assigns XK, the exception and the header's note must be revisited.
    assert not set(USER_ASSIGNED) & set(iso)
    assert {code: row["countryName"] for code, row in by_code.items()} == iso | USER_ASSIGNED
    assert by_code["XK"]["region"] == "Europe"
    assert all(row["region"] in REGIONS for row in rows)
    assert set(REGIONS) == {row["region"] for row in rows}
    # The documented rule: M49 regions; Antarctica goes to South America.
    assert by_code["AQ"]["region"] == "South America"
    assert by_code["BV"]["region"] == by_code["GS"]["region"] == "South America"
    assert by_code["HM"]["region"] == by_code["UM"]["region"] == "Oceania"
    assert by_code["TF"]["region"] == by_code["IO"]["region"] == "Africa"
    assert by_code["MX"]["region"] == by_code["PA"]["region"] == "North America"
    assert by_code["RU"]["region"] == "Europe"
    assert by_code["CY"]["region"] == "Asia"
    header = (SEEDS / "base" / "countries.csv").read_text(encoding="utf-8").split("countryCode,")[0]
    for code in ("AQ", "BV", "HM", "TF", "GS", "UM"):
        assert code in header, f"the header comment must give the rule for {code}"
    for reason in ("XK", "user-assigned", "European Union", "IMF", "SWIFT"):
        assert reason in header, f"the header comment must say why XK is there: {reason}"


def test_system_config_carries_every_protocol_parameter() -> None:
    (config,) = load(SEEDS, "mainnet", only=["system_config"])
    rows = {row["configKey"]: row for row in config.tables[0].rows}
    assert set(rows) == set(PROTOCOL_PARAMETERS)
    for key, (value_type, value) in PROTOCOL_PARAMETERS.items():
        row = rows[key]
        assert row["tenantId"] == "global", key
        assert row["valueType"] == value_type, key
        assert type(row["configValue"]) is PYTHON_TYPE[value_type], key
        assert row["configValue"] == value, key
        assert row["description"], key


def test_protocol_parameters_above_are_those_of_seed_facts() -> None:
    if not SEED_FACTS.exists():
        pytest.skip("../shared is not beside the project (a user's machine)")
    section = SEED_FACTS.read_text().split("## Protocol parameters")[1].split("\n## ")[0]
    keys: set[str] = set()
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and re.fullmatch(r"[a-zA-Z0-9 /]+", cells[0]) and cells[0] != "key":
            keys.update(part.strip() for part in cells[0].split("/"))
    assert keys == set(PROTOCOL_PARAMETERS)


def test_feature_flags_start_disabled() -> None:
    (flags,) = load(SEEDS, "mainnet", only=["feature_flags"])
    rows = {row["flagKey"]: row for row in flags.tables[0].rows}
    assert set(rows) >= REQUIRED_FLAGS
    for capability, word in CAPABILITY_FLAGS.items():
        assert [key for key in rows if word in key], f"no flag for {capability}"
    assert len(rows) == len(REQUIRED_FLAGS) + len(CAPABILITY_FLAGS)
    for key, row in rows.items():
        assert row["isEnabled"] is False, key
        assert row["rolloutPercent"] == 0, key
        assert row["tenantId"] == "global", key
        assert row["description"], key


def test_demo_data_is_only_for_devnet() -> None:
    assert [d.name for d in load(SEEDS, "mainnet")] == [
        "countries",
        "system_config",
        "feature_flags",
    ]
    assert [d.name for d in load(SEEDS, "testnet")] == [d.name for d in load(SEEDS, "mainnet")]
    devnet = load(SEEDS, "devnet")
    assert [d.name for d in devnet][-1] == "demo" and devnet[-1].demo
    with pytest.raises(SeedValidationError) as raised:
        load(SEEDS, "mainnet", only=["demo"])
    assert raised.value.errors == [
        'dataset "demo" is not seeded in environment "mainnet" '
        '(it gets "countries", "system_config", "feature_flags")'
    ]


def test_demo_generation_is_reproducible_and_stores_no_secret() -> None:
    first, second = load(SEEDS, "devnet", only=["demo"]), load(SEEDS, "devnet", only=["demo"])
    assert first[0].checksum == second[0].checksum
    assert first[0].tables == second[0].tables
    tables = {table.table: table.rows for table in first[0].tables}
    assert {name: len(rows) for name, rows in tables.items()} == DEMO_COUNTS
    (credential,) = tables["Credential"]
    assert re.fullmatch(r"sha256\$[0-9a-f]{64}", credential["clientSecretHash"])
    for user in tables["UserProfile"]:
        assert user["status"] == "VERIFIED"
        assert re.fullmatch(r"pbkdf2_sha256\$\d+\$[0-9a-f]{32}\$[0-9a-f]{64}", user["passwordHash"])
    for wallet in tables["Wallet"]:
        moves = [t for t in tables["Transaction"] if t["walletId"] == wallet["walletId"]]
        total = sum(
            (-(t["amount"] + t["fee"]) if t["type"] == "SENT" else t["amount"]) for t in moves
        )
        assert wallet["cachedBalance"] == total > 0


def test_demo_rows_do_not_depend_on_the_process() -> None:
    """Same rows in another process, whatever its hash seed (set order, dict order)."""
    code = (
        "import sys; from pathlib import Path; from gxschema.seeding import load; "
        "print(load(Path(sys.argv[1]), 'devnet', only=['demo'])[0].checksum)"
    )
    found = {
        subprocess.run(
            [sys.executable, "-c", code, str(SEEDS)],
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for hash_seed in ("1", "2")
    }
    assert found == {load(SEEDS, "devnet", only=["demo"])[0].checksum}


# --- apply ---------------------------------------------------------------------------


@pytest.mark.parametrize("env", ["mainnet", "testnet", "devnet"])
def test_seeding_an_empty_database(env: str, head_database: str, engine_for: Callable) -> None:
    engine = engine_for(head_database)
    datasets = load(SEEDS, env)
    report = apply(engine, datasets, env=env, applied_by="pytest")

    demo = env == "devnet"
    expected = dict(BASE_COUNTS) | {
        table: (count if demo else 0) for table, count in DEMO_COUNTS.items()
    }
    assert _counts(engine, *expected) == expected
    assert _counts(engine, "SeedDataset") == {"SeedDataset": 4 if demo else 3}
    assert report.changed
    for dataset, dataset_report in zip(datasets, report.datasets, strict=True):
        assert dataset_report.inserted == dataset.row_count
        assert dataset_report.updated == dataset_report.unchanged == 0
        assert dataset_report.recorded and dataset_report.previous_checksum is None
    with engine.connect() as connection:
        recorded = connection.execute(
            text('SELECT name, checksum, "rowCount", "appliedBy", version FROM "SeedDataset"')
        ).all()
        types = dict(
            connection.execute(
                text('SELECT "configKey", jsonb_typeof("configValue") FROM "SystemConfig"')
            ).all()
        )
        config = dict(
            connection.execute(text('SELECT "configKey", "configValue" FROM "SystemConfig"')).all()
        )
        touched = connection.execute(
            text('SELECT count(*) FROM "SystemConfig" WHERE "updatedAt" IS NULL')
        ).scalar_one()
    assert sorted(recorded) == sorted(
        (d.name, d.checksum, d.row_count, "pytest", d.version) for d in datasets
    )
    assert types == {key: JSONB_TYPE[kind] for key, (kind, _) in PROTOCOL_PARAMETERS.items()}
    assert config == {key: value for key, (_, value) in PROTOCOL_PARAMETERS.items()}
    assert touched == 0


def test_second_apply_writes_nothing(head_database: str, engine_for: Callable) -> None:
    engine = engine_for(head_database)
    datasets = load(SEEDS, "devnet")
    apply(engine, datasets, env="devnet")
    before = _snapshot(engine)

    report = apply(engine, load(SEEDS, "devnet"), env="devnet")

    assert _snapshot(engine) == before
    assert not report.changed
    assert report.to_dict()["changed"] is False
    for dataset_report, dataset in zip(report.datasets, datasets, strict=True):
        assert (dataset_report.inserted, dataset_report.updated) == (0, 0)
        assert dataset_report.unchanged == dataset.row_count
        assert not dataset_report.recorded
        assert dataset_report.previous_checksum == dataset.checksum
        assert dataset_report.differing == []
    assert "nothing to change" in report.summary()


def test_demo_rows_are_identical_in_two_fresh_databases(
    pg_server: Any, head_template: str, head_database: str, engine_for: Callable
) -> None:
    other = pg_server.create_database(template=head_template)
    try:
        engines = [engine_for(head_database), engine_for(other)]
        for engine in engines:
            apply(engine, load(SEEDS, "devnet"), env="devnet")
        for table in (*DEMO_TABLES, "Country"):
            key = metadata.tables[table].primary_key.columns.keys()[0]
            first, second = (_rows(engine, table, key) for engine in engines)
            assert first == second, table
            assert len(first) == (DEMO_COUNTS | {"Country": 250})[table]
        flags = [_rows(engine, "FeatureFlag", "flagKey") for engine in engines]
        assert [f["flagId"] for f in flags[0]] == [f["flagId"] for f in flags[1]]
        for engine in engines:
            engine.dispose()
    finally:
        pg_server.drop_database(other)


def test_mainnet_never_gets_demo_rows(head_database: str, engine_for: Callable) -> None:
    engine = engine_for(head_database)
    before = _snapshot(engine)
    with pytest.raises(SeedError, match='refusing to apply the demo dataset "demo" to mainnet'):
        apply(engine, load(SEEDS, "devnet"), env="mainnet")
    with pytest.raises(SeedError, match="refusing"):
        apply(engine, load(SEEDS, "devnet", only=["demo"]), env="testnet")
    assert _snapshot(engine) == before


def _set(engine: Engine, sql: str) -> None:
    with engine.begin() as connection:
        connection.execute(text(sql))


def test_operator_values_are_kept_and_reported_then_reset_with_overwrite(
    head_database: str, engine_for: Callable
) -> None:
    engine = engine_for(head_database)
    apply(engine, load(SEEDS, "mainnet"), env="mainnet")
    _set(
        engine,
        """UPDATE "SystemConfig" SET "configValue" = '75'
           WHERE "configKey" = 'transactionFeeBps'""",
    )
    # jsonb 1 is not true, though Python says 1 == True.
    _set(
        engine,
        """UPDATE "SystemConfig" SET "configValue" = '1' WHERE "configKey" = 'kycRequired'""",
    )
    _set(
        engine,
        """UPDATE "FeatureFlag" SET "isEnabled" = true, "rolloutPercent" = 25
           WHERE "flagKey" = 'enable_webhooks'""",
    )
    before = _snapshot(engine)

    report = apply(engine, load(SEEDS, "mainnet"), env="mainnet")

    assert _snapshot(engine) == before
    assert not report.changed
    config = report.dataset("system_config")
    assert [d.to_dict() for d in config.differing] == [
        {
            "table": "SystemConfig",
            "key": "transactionFeeBps",
            "column": "configValue",
            "database": 75,
            "file": 50,
            "action": "kept",
        },
        {
            "table": "SystemConfig",
            "key": "kycRequired",
            "column": "configValue",
            "database": 1,
            "file": True,
            "action": "kept",
        },
    ]
    flags = report.dataset("feature_flags")
    assert {(d.key, d.column, d.database, d.file, d.action) for d in flags.differing} == {
        ("global/enable_webhooks", "isEnabled", True, False, "kept"),
        ("global/enable_webhooks", "rolloutPercent", 25, 0, "kept"),
    }
    assert "transactionFeeBps: configValue is 75 in the database, 50 in the file (kept)" in (
        report.summary()
    )
    as_json = json.loads(json.dumps(report.to_dict()))
    assert as_json["changed"] is False
    config_json = next(d for d in as_json["datasets"] if d["name"] == "system_config")
    assert config_json["differing"] == [d.to_dict() for d in config.differing]

    reset = apply(engine, load(SEEDS, "mainnet"), env="mainnet", overwrite=True)

    assert reset.changed
    assert reset.dataset("system_config").updated == 2
    assert reset.dataset("feature_flags").updated == 1
    assert {d.action for d in reset.dataset("system_config").differing} == {"reset"}
    with engine.connect() as connection:
        value, updated_at, created_at = connection.execute(
            text(
                'SELECT "configValue", "updatedAt", "createdAt" FROM "SystemConfig" '
                "WHERE \"configKey\" = 'transactionFeeBps'"
            )
        ).one()
        flag = connection.execute(
            text(
                'SELECT "isEnabled", "rolloutPercent" FROM "FeatureFlag" '
                "WHERE \"flagKey\" = 'enable_webhooks'"
            )
        ).one()
    assert value == 50
    assert updated_at > created_at
    assert tuple(flag) == (False, 0)
    after = _snapshot(engine)
    changed = {t for t in after if after[t] != before[t]}
    assert changed == {"SystemConfig", "FeatureFlag"}
    assert len(set(after["SystemConfig"]) - set(before["SystemConfig"])) == 2
    assert not apply(engine, load(SEEDS, "mainnet"), env="mainnet").changed


def test_dry_run_writes_nothing_but_reports(head_database: str, engine_for: Callable) -> None:
    engine = engine_for(head_database)
    before = _snapshot(engine)

    report = apply(engine, load(SEEDS, "devnet"), env="devnet", dry_run=True)

    assert _snapshot(engine) == before
    assert report.dry_run and report.changed
    assert report.to_dict()["dry_run"] is True
    assert report.dataset("countries").inserted == 250
    assert report.dataset("demo").inserted == sum(DEMO_COUNTS.values())
    assert all(dataset.recorded for dataset in report.datasets)

    apply(engine, load(SEEDS, "mainnet"), env="mainnet")
    _set(
        engine,
        """UPDATE "SystemConfig" SET "configValue" = '"XGC"'
           WHERE "configKey" = 'currencySymbol'""",
    )
    before = _snapshot(engine)
    for overwrite in (False, True):
        report = apply(
            engine, load(SEEDS, "mainnet"), env="mainnet", dry_run=True, overwrite=overwrite
        )
        (difference,) = report.dataset("system_config").differing
        assert (difference.key, difference.database, difference.file) == (
            "currencySymbol",
            "XGC",
            "GXC",
        )
        assert report.dataset("system_config").updated == (1 if overwrite else 0)
        assert report.changed is overwrite
    assert _snapshot(engine) == before


def test_a_changed_file_is_upserted_and_recorded(
    tmp_path: Path, head_database: str, engine_for: Callable
) -> None:
    engine = engine_for(head_database)
    seeds = _copy_seeds(tmp_path)
    original = load(seeds, "mainnet")
    apply(engine, original, env="mainnet")
    before = _snapshot(engine)
    countries_csv = seeds / "base" / "countries.csv"
    _edit(countries_csv, "# version: 2026.2", "# version: 2026.3")
    _edit(countries_csv, "KE,Kenya,Africa\n", "KE,Republic of Kenya,Africa\n")
    _edit(countries_csv, "ZW,Zimbabwe,Africa\n", "")
    _edit(
        seeds / "base" / "system_config.yaml",
        "description: Transaction fee in basis points (50 = 0.5%).",
        "description: Transaction fee, in basis points (50 = 0.5%).",
    )

    changed = load(seeds, "mainnet")
    report = apply(engine, changed, env="mainnet", applied_by="pytest")

    countries = report.dataset("countries")
    assert (countries.inserted, countries.updated, countries.unchanged) == (0, 1, 248)
    assert countries.tables[0].not_in_file == ["ZW"]
    assert countries.to_dict()["not_in_file"] == [{"table": "Country", "key": "ZW"}]
    assert countries.recorded and countries.previous_checksum == original[0].checksum
    assert countries.checksum == changed[0].checksum != original[0].checksum
    config = report.dataset("system_config")
    assert (config.updated, config.recorded) == (1, True)
    assert not report.dataset("feature_flags").recorded
    with engine.connect() as connection:
        names = dict(
            connection.execute(
                text(
                    'SELECT "countryCode", "countryName" FROM "Country" '
                    "WHERE \"countryCode\" IN ('KE', 'ZW')"
                )
            ).all()
        )
        records = connection.execute(
            text(
                'SELECT checksum, version, "appliedBy" FROM "SeedDataset" '
                "WHERE name = 'countries' ORDER BY \"appliedAt\""
            )
        ).all()
        fee = connection.execute(
            text(
                'SELECT "configValue", "updatedAt" FROM "SystemConfig" '
                "WHERE \"configKey\" = 'transactionFeeBps'"
            )
        ).one()
        applied_at = connection.execute(
            text(
                'SELECT "appliedAt" FROM "SeedDataset" '
                "WHERE name = 'system_config' ORDER BY \"appliedAt\" DESC LIMIT 1"
            )
        ).scalar_one()
    assert names == {"KE": "Republic of Kenya", "ZW": "Zimbabwe"}
    assert [tuple(r) for r in records] == [
        (original[0].checksum, "2026.2", None),
        (changed[0].checksum, "2026.3", "pytest"),
    ]
    # The value is the operator's; the row was rewritten for its description, at the
    # time of the seed's transaction.
    assert tuple(fee) == (50, applied_at)
    after = _snapshot(engine)
    # Only the rows that changed were rewritten.
    assert len(set(after["Country"]) - set(before["Country"])) == 1
    assert len(set(after["SystemConfig"]) - set(before["SystemConfig"])) == 1
    assert after["FeatureFlag"] == before["FeatureFlag"]

    # Unchanged now: nothing written, nothing recorded.
    again = _snapshot(engine)
    assert not apply(engine, load(seeds, "mainnet"), env="mainnet").changed
    assert _snapshot(engine) == again

    # Back to the first file: upserted again, and its old record becomes the latest.
    reverted = apply(engine, original, env="mainnet")
    assert reverted.dataset("countries").updated == 1
    assert reverted.dataset("countries").recorded
    with engine.connect() as connection:
        latest = connection.execute(
            text(
                "SELECT checksum, count(*) OVER () FROM \"SeedDataset\" WHERE name = 'countries' "
                'ORDER BY "appliedAt" DESC LIMIT 1'
            )
        ).one()
    assert tuple(latest) == (original[0].checksum, 2)


# --- malformed seed directories --------------------------------------------------------


def _break_country_code(seeds: Path) -> list[str]:
    path = seeds / "base" / "countries.csv"
    _edit(path, "FR,France,Europe\n", "Fr,France,Europe\n")
    line = _line_of(path, "Fr,")
    row = _countries_row_of(path, line)
    return [
        f'seeds/base/countries.csv row {row} (line {line}, code "Fr"): countryCode: '
        'must be two uppercase letters (ISO 3166-1 alpha-2), not "Fr"'
    ]


def _number_as_string(seeds: Path) -> list[str]:
    path = seeds / "base" / "system_config.yaml"
    _edit(path, "    configValue: 50\n", '    configValue: "50"\n')
    return [
        'seeds/base/system_config.yaml key "transactionFeeBps": configValue: '
        'valueType is number but the value is a string "50"'
    ]


def _duplicate_key(seeds: Path) -> list[str]:
    path = seeds / "base" / "feature_flags.yaml"
    first = _line_of(path, "  enable_webhooks:")
    with path.open("a", encoding="utf-8") as file:
        file.write("  enable_webhooks:\n    description: Twice.\n")
        file.write("    isEnabled: false\n    rolloutPercent: 0\n")
    second = len(path.read_text(encoding="utf-8").splitlines()) - 3
    return [
        f'seeds/base/feature_flags.yaml line {second}: duplicate key "enable_webhooks" '
        f"(first on line {first})"
    ]


def _duplicate_country(seeds: Path) -> list[str]:
    path = seeds / "base" / "countries.csv"
    _edit(path, "FI,Finland,Europe\n", "FI,Finland,Europe\nFI,Finland,Europe\n")
    line = _line_of(path, "FI,")
    return [
        f"seeds/base/countries.csv row {_countries_row_of(path, line + 1)} (line {line + 1}, "
        f'code "FI"): countryCode: duplicate of row {_countries_row_of(path, line)} '
        f"(line {line})"
    ]


def _broken_yaml_line(seeds: Path) -> list[str]:
    path = seeds / "base" / "system_config.yaml"
    _edit(
        path,
        "description: Display name of the currency.",
        "description: Display name: of the currency.",
    )
    line = _line_of(path, "    description: Display name:")
    return [
        f"seeds/base/system_config.yaml line {line}: broken YAML: "
        "mapping values are not allowed here"
    ]


def _broken_csv_line(seeds: Path) -> list[str]:
    path = seeds / "base" / "countries.csv"
    _edit(path, "DE,Germany,Europe\n", 'DE,"Germany"y,Europe\n')
    _edit(path, "IT,Italy,Europe\n", "IT,Italy,Europe,Rome\n")
    german, italian = _line_of(path, "DE,"), _line_of(path, "IT,")
    return [
        f"seeds/base/countries.csv row {_countries_row_of(path, german)} (line {german}): "
        "broken CSV line: ',' expected after '\"'",
        f"seeds/base/countries.csv row {_countries_row_of(path, italian)} (line {italian}): "
        "broken CSV line: expected 3 fields (countryCode, countryName, region), found 4",
    ]


def _bad_flag_and_demo(seeds: Path) -> list[str]:
    _edit(
        seeds / "base" / "feature_flags.yaml",
        "    rolloutPercent: 0\n  enable_sentinel_ha:",
        "    rolloutPercent: 150\n  enable_sentinel_ha:",
    )
    _edit(
        seeds / "devnet" / "demo.yaml",
        "  - {country: GH, status: SANDBOX}",
        "  - {country: GH, status: LEGAL}",
    )
    _edit(seeds / "devnet" / "demo.yaml", "users: 5", "users: five")
    return [
        'seeds/base/feature_flags.yaml key "enable_trust_score_v2": rolloutPercent: '
        "must be at most 100, not 150",
        "seeds/devnet/demo.yaml: legalTender[2].status: must be one of "
        "'RECOGNIZED', 'SANDBOX' or 'ACTIVE_LEGAL_TENDER', not a string \"LEGAL\"",
        'seeds/devnet/demo.yaml: users: must be a whole number, not a string "five"',
    ]


def _config_header_and_entries(seeds: Path) -> list[str]:
    path = seeds / "base" / "system_config.yaml"
    _edit(path, 'version: "2026.1"', "version: 2026.1")
    _edit(path, "    valueType: boolean\n", "    valueType: bool\n")
    _edit(
        path,
        "    description: Default API rate limit, requests per window.\n",
        "    descripton: Default API rate limit, requests per window.\n",
    )
    label = "seeds/base/system_config.yaml"
    return [
        f"{label}: version: must be a string, not a number 2026.1",
        f'{label} key "kycRequired": valueType: must be one of '
        "'string', 'number', 'boolean' or 'json', not a string \"bool\"",
        f'{label} key "rateLimitMaxRequests": description: missing (required)',
        f'{label} key "rateLimitMaxRequests": descripton: unknown field',
    ]


BREAKAGES = {
    "bad country code": _break_country_code,
    "number given as a string": _number_as_string,
    "duplicate key": _duplicate_key,
    "duplicate country": _duplicate_country,
    "broken YAML line": _broken_yaml_line,
    "broken CSV line": _broken_csv_line,
    "bad flag and demo spec": _bad_flag_and_demo,
    "config header and entries": _config_header_and_entries,
}


@pytest.mark.parametrize("breakage", BREAKAGES.values(), ids=BREAKAGES.keys())
def test_a_malformed_seed_dir_is_refused_precisely(
    breakage: Callable[[Path], list[str]],
    tmp_path: Path,
    head_database: str,
    engine_for: Callable,
) -> None:
    engine = engine_for(head_database)
    seeds = _copy_seeds(tmp_path)
    expected = breakage(seeds)
    before = _snapshot(engine)

    with pytest.raises(SeedValidationError) as raised:
        apply(engine, load(seeds, "devnet"), env="devnet")

    assert raised.value.errors == expected
    assert _snapshot(engine) == before


def test_every_problem_is_listed_at_once(
    tmp_path: Path, head_database: str, engine_for: Callable
) -> None:
    engine = engine_for(head_database)
    apply(engine, load(SEEDS, "devnet"), env="devnet")
    before = _snapshot(engine)
    seeds = _copy_seeds(tmp_path)
    expected = [
        *_break_country_code(seeds),
        *_broken_csv_line(seeds),
        *_number_as_string(seeds),
        *_duplicate_key(seeds),
        *_bad_flag_and_demo(seeds),
    ]

    with pytest.raises(SeedValidationError) as raised:
        apply(engine, load(seeds, "devnet"), env="devnet")

    assert sorted(raised.value.errors) == sorted(expected)
    message = str(raised.value)
    assert message.startswith(
        f"The seed data is not valid ({len(expected)} problems); nothing was applied:\n"
    )
    for error in expected:
        assert f"\n  - {error}" in message
    assert _snapshot(engine) == before


def test_unknown_env_and_dataset_names_are_refused() -> None:
    with pytest.raises(SeedValidationError) as raised:
        load(SEEDS, "prodnet", only=["countries", "countrys"])
    assert raised.value.errors == [
        'unknown environment "prodnet": expected one of "mainnet", "testnet", "devnet"',
        'unknown dataset "countrys": expected one of "countries", "system_config", '
        '"feature_flags", "demo"',
    ]
    with pytest.raises(SeedError, match='unknown environment "prodnet"'):
        apply(None, [], env="prodnet")  # type: ignore[arg-type]


def test_a_missing_file_is_reported(tmp_path: Path) -> None:
    seeds = _copy_seeds(tmp_path)
    (seeds / "base" / "feature_flags.yaml").unlink()
    with pytest.raises(SeedValidationError) as raised:
        load(seeds, "testnet")
    assert raised.value.errors == ["seeds/base/feature_flags.yaml: file not found"]


# --- failures while applying -------------------------------------------------------------


def test_a_failure_in_the_last_dataset_leaves_the_database_as_before(
    head_database: str, engine_for: Callable
) -> None:
    engine = engine_for(head_database)
    datasets = load(SEEDS, "devnet")
    demo_user = next(t for t in datasets[-1].tables if t.table == "UserProfile").rows[-1]
    # A user of the services who already has the last demo user's email address:
    # the demo dataset's insert into UserProfile breaks the unique index.
    _set(engine, "INSERT INTO \"Country\" VALUES ('ZZ', 'Test', 'Europe')")
    _set(
        engine,
        f"""INSERT INTO "UserProfile" ("profileId", "tenantId", "firstName", "lastName",
              email, "biometricHash", "passwordHash", "updatedAt")
            VALUES ('someone', 'global', 'Some', 'One', '{demo_user["email"]}', 'b', 'p', now())""",
    )
    before = _snapshot(engine)

    with pytest.raises(IntegrityError, match="UserProfile_email_key"):
        apply(engine, datasets, env="devnet")

    assert _snapshot(engine) == before
    assert _counts(engine, "Country", "SeedDataset") == {"Country": 1, "SeedDataset": 0}


def test_apply_in_the_callers_transaction(head_database: str, engine_for: Callable) -> None:
    engine = engine_for(head_database)
    datasets = load(SEEDS, "mainnet")
    before = _snapshot(engine)

    # The caller began the transaction: apply uses a savepoint, the caller decides.
    with engine.connect() as connection:
        connection.begin()
        report = apply(connection, datasets, env="mainnet")
        assert report.changed
        assert connection.execute(text('SELECT count(*) FROM "Country"')).scalar_one() == 250
        connection.rollback()
    assert _snapshot(engine) == before

    # A failing apply inside the caller's transaction rolls back to its savepoint only.
    broken = load(SEEDS, "devnet")
    with Session(engine) as session:
        session.execute(text("INSERT INTO \"Country\" VALUES ('ZZ', 'Test', 'Europe')"))
        session.execute(
            text(
                """INSERT INTO "UserProfile" ("profileId", "tenantId", "firstName", "lastName",
                     email, "biometricHash", "passwordHash", "updatedAt")
                   VALUES ('x', 'global', 'X', 'Y', :email, 'b', 'p', now())"""
            ),
            {
                "email": next(t for t in broken[-1].tables if t.table == "UserProfile").rows[0][
                    "email"
                ]
            },
        )
        with pytest.raises(IntegrityError):
            apply(session, broken, env="devnet")
        assert session.execute(text('SELECT count(*) FROM "Country"')).scalar_one() == 1
        session.commit()
    assert _counts(engine, "Country", "UserProfile", "SeedDataset") == {
        "Country": 1,
        "UserProfile": 1,
        "SeedDataset": 0,
    }

    # A session with no transaction: apply commits its own.
    with Session(engine) as session:
        assert apply(session, datasets, env="mainnet").changed
    assert _counts(engine, "Country")["Country"] == 251
