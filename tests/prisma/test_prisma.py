"""The Prisma schema of the TypeScript services, proved with Prisma's own tools.

Prisma's parser (a DMMF dump through a custom generator), its schema engine (the
WebAssembly build, `migrate diff`) and its client (7, with the pg adapter) come from
the pinned Node project in tests/prisma. `.ci/run` installs it; where Node or its
node_modules are missing those tests skip and say why.

- the exported schema parses to exactly the data model of the backend's real v2.1
  file (tests/fixtures/schema_v2_1.prisma) for its 43 models;
- the DDL Prisma makes from the export builds the same catalog `gxschema migrate` does;
- a client generated from the export creates, reads (every relation), updates, upserts
  and deletes a row of every model, uses every enum value, and gets P2002 / P2003;
- `gxschema prisma check` names each deliberate change to a copy of the real file,
  passes the real and the exported file, and reports Prisma's message for a broken one;
- the committed docs/schema/schema.prisma is what the models export.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from sqlalchemy import (
    VARCHAR,
    Column,
    Float,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    Numeric,
    PrimaryKeyConstraint,
    SmallInteger,
    Table,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import TIMESTAMP, UUID

from gxschema import catalog
from gxschema.models import DOMAINS
from gxschema.prisma import dmmf, node
from gxschema.prisma.export import render, render_models
from gxschema.prisma.names import default_name

from ..support.cli import clean_env, gxschema
from ..support.paths import FIXTURES, ROOT

REAL_V2_1 = FIXTURES / "schema_v2_1.prisma"
COMMITTED = ROOT / "docs" / "schema" / "schema.prisma"
OPERATIONAL = DOMAINS["operations"]


def test_v2_1_fixture_is_the_shared_file() -> None:
    shared = ROOT.parent / "shared" / "fixtures" / REAL_V2_1.name
    if not shared.exists():
        pytest.skip("../shared is not beside the project (a user's machine)")
    assert REAL_V2_1.read_bytes() == shared.read_bytes()


@pytest.fixture(scope="session")
def prisma_node() -> Path:
    """The Node project with Prisma installed, or a skip saying what is missing."""
    reason = node.available()
    if reason is not None:
        pytest.skip(
            f"Prisma tests need Node and tests/prisma/node_modules (bash .ci/run): {reason}"
        )
    return node.node_dir()


@pytest.fixture(scope="session")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("prisma-export") / "schema.prisma"
    path.write_text(render_models())
    return path


@pytest.fixture(scope="session")
def datamodels(prisma_node: Path, exported: Path) -> dict[str, dict[str, Any]]:
    """Prisma's DMMF of the real v2.1 file and of the export (read at the same time)."""
    real, ours = node.dmmf(REAL_V2_1, exported)
    return {"real": real, "exported": ours}


def _as_parsed(datamodel: dict[str, Any], models: set[str]) -> dict[str, Any]:
    """The DMMF with field order, index order and doc comments taken out."""

    def undocumented(entry: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in entry.items() if k != "documentation"}

    return {
        "models": {
            model["name"]: {
                **undocumented({k: v for k, v in model.items() if k != "fields"}),
                "fields": sorted(
                    (undocumented(field) for field in model["fields"]), key=lambda f: f["name"]
                ),
            }
            for model in datamodel["models"]
            if model["name"] in models
        },
        "indexes": sorted(
            (i for i in datamodel["indexes"] if i["model"] in models),
            key=lambda i: json.dumps(i, sort_keys=True),
        ),
        "enums": [undocumented(e) for e in datamodel["enums"]],
        "types": datamodel["types"],
    }


def test_export_is_the_real_v2_1_data_model_as_prisma_parses_it(
    datamodels: dict[str, dict[str, Any]],
) -> None:
    real, ours = datamodels["real"], datamodels["exported"]
    v2_1 = {model["name"] for model in real["models"]}
    assert len(v2_1) == 43
    assert {model["name"] for model in ours["models"]} == v2_1 | set(OPERATIONAL)
    assert len(ours["enums"]) == 22
    # Everything Prisma's parser made of both files, but order and doc comments:
    # types, native types, defaults, ids, uniques, index names, relations and their
    # names and actions, enum values in order.
    assert _as_parsed(ours, v2_1) == _as_parsed(real, v2_1)
    # and the same through check's own comparison, which fills in Prisma's defaults
    assert (
        dmmf.differences(dmmf.canonical(ours), dmmf.canonical(real), optional_models=OPERATIONAL)
        == []
    )
    # the doc comments are there for the TypeScript developers
    documented = {
        field["name"]
        for model in ours["models"]
        if model["name"] == "Wallet"
        for field in model["fields"]
        if field.get("documentation")
    }
    assert {"walletId", "cachedBalance", "profileId"} <= documented


def test_prisma_7_style_has_no_url_and_the_same_models(tmp_path: Path) -> None:
    ran = gxschema(
        "prisma",
        "export",
        "--prisma-version",
        "7",
        "-o",
        "s7.prisma",
        env=clean_env(),
        cwd=tmp_path,
    )
    assert ran.code == 0, ran.output
    seven = (tmp_path / "s7.prisma").read_text()
    assert "url" not in seven.split("datasource db {")[1].split("}")[0]
    assert 'url      = env("DATABASE_URL")' in render_models(style="6")
    # the same enums and models after the blocks (the client test generates from it)
    six = render_models(style="6")
    assert seven.split("\nenum ", 1)[1] == six.split("\nenum ", 1)[1]
    assert seven.count("\nmodel ") == 46


def _apply(pg_server: Any, database: str, script: str) -> None:
    with pg_server.connect(database) as connection:
        connection.execute(script.encode())


def _without_comments(read: catalog.Catalog) -> catalog.Catalog:
    for table in read["tables"].values():
        table["comment"] = None
        for details in table.get("column_details", {}).values():
            details["comment"] = None
    return read


def test_prisma_ddl_of_the_export_builds_what_migrate_builds(
    prisma_node: Path,
    exported: Path,
    pg_server: Any,
    empty_database: str,
    head_database: str,
    engine_for: Any,
) -> None:
    script = node.migrate_diff(None, exported, what="the export")
    assert 'CREATE TABLE "UserProfile"' in script
    _apply(pg_server, empty_database, script)
    with engine_for(head_database).connect() as connection:
        migrated = _without_comments(catalog.from_database(connection))
    with engine_for(empty_database).connect() as connection:
        by_prisma = _without_comments(catalog.from_database(connection))
    assert set(by_prisma["tables"]) == set(migrated["tables"]) and len(by_prisma["tables"]) == 46
    # Columns, types, nullability, defaults, keys, indexes with their names, foreign
    # keys with their actions, enums in order. Not compared: comments (Prisma has no
    # COMMENT ON; the `///` docs stay in the schema file) and grants (0004/0006 roles).
    differences = catalog.diff(migrated, by_prisma)
    assert differences == [], "\n".join(map(str, differences))


@pytest.fixture(scope="session")
def client(prisma_node: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A Prisma Client generated (once) from the Prisma 7 style export, and its DMMF."""
    folder = tmp_path_factory.mktemp("prisma-client")
    schema = render_models(style="7").replace(
        '  provider = "prisma-client-js"\n',
        f'  provider = "prisma-client-js"\n  output   = "{folder / "client"}"\n',
    )
    (folder / "schema.prisma").write_text(schema)
    # prisma-client-js resolves @prisma/client from beside the schema
    (folder / "node_modules").symlink_to(prisma_node / "node_modules")
    generated = subprocess.run(
        [
            "node",
            str(prisma_node / "node_modules/prisma/build/index.js"),
            "generate",
            "--schema",
            "schema.prisma",
        ],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "PRISMA_SCHEMA_ENGINE_BINARY": "/bin/true", "CHECKPOINT_DISABLE": "1"},
        check=False,
    )
    assert generated.returncode == 0, generated.stdout + generated.stderr
    (datamodel,) = node.dmmf(folder / "schema.prisma")
    (folder / "dmmf.json").write_text(json.dumps({"datamodel": datamodel}))
    return {"client": folder / "client", "dmmf": folder / "dmmf.json"}


def test_prisma_client_uses_every_model_of_a_migrated_database(
    prisma_node: Path, client: dict[str, Path], pg_server: Any, head_database: str
) -> None:
    url = (
        f"postgresql://{quote(pg_server.user)}:{quote(pg_server.password or '')}"
        f"@{pg_server.host}:{pg_server.port}/{head_database}"
    )
    ran = subprocess.run(
        [
            "node",
            str(prisma_node / "client-exercise.js"),
            str(client["client"]),
            str(client["dmmf"]),
            url,
        ],
        cwd=prisma_node,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr
    report = json.loads(ran.stdout)
    models = report["models"]
    assert len(models) == 46
    steps = ["create", "read", "upsert-update", "upsert-create", "delete"]
    for name, result in models.items():
        assert "error" not in result, (name, result["error"])
        assert all(step in result["steps"] for step in steps), (name, result["steps"])
        assert result["readMatches"], name
        assert result["goneAfterDelete"], name
        assert result.get("updateStuck", True), name
        # every relation, both sides, brought a row back
        assert sorted(result.get("loadedRelations", [])) == sorted(result["relations"]), name
    assert sum("update" in result["steps"] for result in models.values()) == 46
    from gxschema.models import enums

    assert report["enumValues"] == {
        cls.__name__: [member.value for member in cls] for cls in enums.ALL_ENUMS
    }
    assert report["errors"]["unique"]["code"] == "P2002"
    assert report["errors"]["foreignKey"]["code"] == "P2003"


def _edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


@pytest.fixture
def changed_copy(tmp_path: Path) -> Path:
    """The real v2.1 file with four deliberate changes."""
    text = REAL_V2_1.read_text()
    text = _edit(text, "  identityNum            String?\n", "")
    text = _edit(
        text,
        "  balance      Decimal  @db.Decimal(36, 9)",
        "  balance      Decimal  @db.Decimal(38, 9)",
    )
    text = _edit(
        text,
        "references: [appId], onDelete: Cascade)",
        "references: [appId], onDelete: Restrict)",
    )
    text = _edit(
        text,
        "  @@index([tenantId, isTrusted])",
        '  @@index([tenantId, isTrusted], map: "TrustedDevice_trusted_idx")',
    )
    path = tmp_path / "schema.prisma"
    path.write_text(text)
    return path


def test_check_names_each_deliberate_change(prisma_node: Path, changed_copy: Path) -> None:
    ran = gxschema("prisma", "check", str(changed_copy), env=clean_env())
    assert ran.code == 1, ran.output
    assert ran.stdout.splitlines() == [
        "HoardingTaxSnapshot.balance: nativeType Decimal(36, 9) in the models, "
        "Decimal(38, 9) in schema.prisma",
        'License.application: relationOnDelete "Cascade" in the models, '
        '"Restrict" in schema.prisma',
        'TrustedDevice: index (tenantId, isTrusted) name "TrustedDevice_tenantId_isTrusted_idx" '
        'in the models, "TrustedDevice_trusted_idx" in schema.prisma',
        "UserProfile.identityNum: field only in the models",
    ]
    assert "differs from the models in 4 way(s)" in ran.stderr


def test_check_sql_is_the_ddl_from_the_models_to_the_file(
    prisma_node: Path, changed_copy: Path
) -> None:
    ran = gxschema("prisma", "check", "--sql", str(changed_copy), env=clean_env())
    assert ran.code == 0, ran.output
    for statement in (
        'ALTER TABLE "UserProfile" DROP COLUMN "identityNum";',
        'ALTER TABLE "HoardingTaxSnapshot" ALTER COLUMN "balance" SET DATA TYPE DECIMAL(38,9);',
        'REFERENCES "Application"("appId") ON DELETE RESTRICT ON UPDATE CASCADE;',
        'ALTER INDEX "TrustedDevice_tenantId_isTrusted_idx" RENAME TO "TrustedDevice_trusted_idx";',
    ):
        assert statement in ran.stdout
    assert "DROP TABLE" not in ran.stdout  # the operational tables the file lacks stay


def test_check_passes_the_real_file_and_the_export(prisma_node: Path, tmp_path: Path) -> None:
    ran = gxschema("prisma", "check", str(REAL_V2_1), env=clean_env())
    assert ran.code == 0, ran.output
    assert "describes the same data model as the models" in ran.stdout
    assert "SchemaMigrationRun is not in schema_v2_1.prisma" in ran.stdout
    exported = gxschema("prisma", "export", "-o", "schema.prisma", env=clean_env(), cwd=tmp_path)
    assert exported.code == 0, exported.output
    ran = gxschema("--json", "prisma", "check", "schema.prisma", env=clean_env(), cwd=tmp_path)
    assert ran.code == 0, ran.output
    assert json.loads(ran.stdout) == {
        "file": "schema.prisma",
        "equal": True,
        "differences": [],
        "left_out": [],
    }


def test_check_reports_prismas_message_for_a_broken_file(prisma_node: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.prisma"
    broken.write_text(
        _edit(REAL_V2_1.read_text(), "model Country {\n", "model Country {\n  oops Strin\n")
    )
    line = broken.read_text().splitlines().index("  oops Strin") + 1
    ran = gxschema("prisma", "check", str(broken), env=clean_env())
    assert ran.code == 2, ran.output
    assert ran.stdout == ""
    assert "P1012" in ran.stderr
    assert 'Type "Strin" is neither a built-in type' in ran.stderr
    assert f"{broken}:{line}" in ran.stderr  # the user's file and line, not a temporary copy
    assert "Traceback" not in ran.stderr


def test_check_without_the_node_project_says_how_to_get_it(tmp_path: Path) -> None:
    ran = gxschema(
        "prisma", "check", str(REAL_V2_1), env=clean_env(GXSCHEMA_PRISMA_NODE_DIR=str(tmp_path))
    )
    assert ran.code == 2, ran.output
    assert "npm ci" in ran.stderr and "GXSCHEMA_PRISMA_NODE_DIR" in ran.stderr
    assert "Traceback" not in ran.stderr


def test_export_to_stdout_as_text_and_as_json() -> None:
    ran = gxschema("prisma", "export", env=clean_env())
    assert ran.code == 0, ran.output
    assert ran.stdout == render_models()
    ran = gxschema("--json", "prisma", "export", "--prisma-version", "7", env=clean_env())
    assert ran.code == 0, ran.output
    assert json.loads(ran.stdout) == {"schema": render_models(style="7"), "prisma_version": "7"}


def test_export_rejects_an_unknown_prisma_version(tmp_path: Path) -> None:
    ran = gxschema(
        "prisma", "export", "--prisma-version", "4", "-o", "x.prisma", env=clean_env(), cwd=tmp_path
    )
    assert ran.code == 2
    # the option's choices refuse it, naming the ones there are, in one line
    assert "'4' is not one of '5', '6', '7'" in ran.stderr
    assert len(ran.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x.prisma").exists()


def test_committed_schema_prisma_is_what_the_models_export() -> None:
    assert COMMITTED.read_text() == render_models(), (
        "docs/schema/schema.prisma is older than the models: run `gxschema docs` "
        "(or `gxschema prisma export -o docs/schema/schema.prisma`) and commit it"
    )


def test_docs_check_fails_on_a_schema_prisma_older_than_the_models(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    stale = tmp_path / "docs" / "schema" / "schema.prisma"
    stale.write_text(stale.read_text().replace("  identityNum ", "  identityNumber "))
    ran = gxschema("docs", "--check", env=clean_env(), cwd=tmp_path)
    assert ran.code == 1
    assert "docs/schema/schema.prisma: differs from what the models generate" in ran.stdout
    written = gxschema("docs", env=clean_env(), cwd=tmp_path)
    assert "wrote    docs/schema/schema.prisma" in written.stdout
    assert stale.read_text() == render_models()


def _beyond_v2_1() -> MetaData:
    """Tables using what schema v2.1 does not: names Prisma would not pick, serial ids,
    database-generated defaults, other native types, two relations between two models."""
    metadata = MetaData()
    long_a, long_b = "aVeryLongColumnNameThatGoesOnAndOn", "anotherVeryLongColumnNameToo"
    Table(
        "Account",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("code", VARCHAR(40), nullable=False),
        Column("token", UUID(as_uuid=False), server_default=text("gen_random_uuid()")),
        Column("openedAt", TIMESTAMP(precision=6), nullable=False),
        Column("score", Float, nullable=True),
        Column("rank", SmallInteger, server_default=text("7"), nullable=False),
        Column("note", Text, server_default=text("'it''s'::text"), nullable=False),
        Column(long_a, Text),
        Column(long_b, Text),
        PrimaryKeyConstraint("id", name="Account_pkey"),
        Index("Account_code_unique", "code", unique=True),
        Index(default_name("Account", [long_a, long_b], "idx"), long_a, long_b),
        Index("Account_note_idx", "note", postgresql_using="hash"),
    )
    Table(
        "Transfer",
        metadata,
        Column("transferId", Text, nullable=False),
        Column("fromId", Integer, nullable=False),
        Column("toId", Integer, nullable=True),
        Column("amount", Numeric(12, 2), nullable=False, server_default=text("0")),
        PrimaryKeyConstraint("transferId", name="Transfer_primary"),
        ForeignKeyConstraint(
            ["fromId"],
            ["Account.id"],
            name="Transfer_fromId_fkey",
            ondelete="NO ACTION",
            onupdate="RESTRICT",
        ),
        ForeignKeyConstraint(
            ["toId"],
            ["Account.id"],
            name="Transfer_to_account",
            ondelete="SET NULL",
            onupdate="CASCADE",
        ),
        Index("transfer_by_from", "fromId"),
    )
    Table(  # names Prisma's grammar refuses: @@map / @map
        "ledger-entry",
        metadata,
        Column("entry id", Text, nullable=False),
        Column("accountId", Integer, nullable=False),
        PrimaryKeyConstraint("entry id", name="ledger-entry_pkey"),
        ForeignKeyConstraint(
            ["accountId"], ["Account.id"], name="ledger-entry_accountId_fkey", onupdate="CASCADE"
        ),
        Index("ledger-entry_entry id_accountId_idx", "entry id", "accountId"),
    )
    return metadata


def test_export_beyond_v2_1_round_trips_through_prismas_engine(
    prisma_node: Path, tmp_path: Path, pg_server: Any, empty_database: str, engine_for: Any
) -> None:
    metadata = _beyond_v2_1()
    text_ = render(metadata, revision="test")
    for expected in (
        "@id @default(autoincrement())",
        '@unique(map: "Account_code_unique") @db.VarChar(40)',
        '@default(dbgenerated("gen_random_uuid()")) @db.Uuid',
        "@db.Timestamp(6)",
        "@default(7) @db.SmallInt",
        '@default("it\'s")',
        '@id(map: "Transfer_primary")',
        '@@index([fromId], map: "transfer_by_from")',
        "onDelete: NoAction, onUpdate: Restrict)",
        'map: "Transfer_to_account")',
        '@relation("Transfer_fromId_fkey", fields: [fromId], references: [id]',
        "model ledgerEntry {",
        '  entryId   String  @id @map("entry id")',
        '@@map("ledger-entry")',
        "@@index([entryId, accountId])",
        "@@index([note], type: Hash)",
        "ledgerEntry                        ledgerEntry[]",
    ):
        assert expected in text_, expected
    assert 'map: "Account_aVeryLong' not in text_  # Prisma's own cut name needs no map
    schema = tmp_path / "schema.prisma"
    schema.write_text(text_)
    _apply(pg_server, empty_database, node.migrate_diff(None, schema, what="the export"))
    with engine_for(empty_database).connect() as connection:
        by_prisma = catalog.from_database(connection)
    other = pg_server.create_database()
    try:
        engine = engine_for(other)
        metadata.create_all(engine)
        with engine.connect() as connection:
            by_sqlalchemy = catalog.from_database(connection)
    finally:
        engine.dispose()
        pg_server.drop_database(other)
    differences = catalog.diff(by_sqlalchemy, by_prisma)
    assert differences == [], "\n".join(map(str, differences))
