"""The schema matches the spec exactly: in the models, and in a migrated database.

The live catalog is read from pg_catalog (gxschema.catalog.from_database), never
from the models, and compared with tests/fixtures/schema.json.
"""

from __future__ import annotations

import json

import pytest
from alembic import command
from sqlalchemy import text

from gxschema import catalog
from gxschema.alembic_config import head_revision, make_config
from gxschema.models import metadata

from ..support.paths import FIXTURES, ROOT

SPEC = json.loads((FIXTURES / "schema.json").read_text())
BASELINE = json.loads((FIXTURES / "schema-v2.0-baseline.json").read_text())
SHARED = ROOT.parent / "shared"


def _live(engine) -> catalog.Catalog:
    with engine.connect() as connection:
        return catalog.from_database(connection)


def test_spec_counts() -> None:
    assert len(SPEC["tables"]) == 46
    assert len(SPEC["enums"]) == 22
    assert len(BASELINE["tables"]) == 37
    assert len(metadata.tables) == 46


def test_models_render_exactly_the_spec() -> None:
    rendered = catalog.from_models()
    assert catalog.diff(SPEC, rendered) == []
    # Beyond what diff compares: column order, app defaults and enum order too.
    for name, table in SPEC["tables"].items():
        assert rendered["tables"][name]["columns"] == table["columns"], name
    assert rendered["enums"] == SPEC["enums"]
    assert list(rendered["enums"]) == list(SPEC["enums"])


def test_newest_catalog_snapshot_is_the_models() -> None:
    assert catalog.diff(catalog.for_revision(head_revision()), catalog.from_models()) == []
    assert catalog.for_revision("0001") == BASELINE
    assert catalog.for_revision("0003") == SPEC
    assert catalog.for_revision("0004") == SPEC  # roles and grants: no catalog change
    assert catalog.for_revision("0005") == SPEC  # comments: no catalog change
    assert catalog.for_revision("0006") == SPEC  # roles and grants again


def test_one_snapshot_per_distinct_catalog_and_one_for_every_revision() -> None:
    """A revision that leaves the catalog unchanged points at its predecessor's file."""
    from alembic.script import ScriptDirectory

    snapshots = ROOT / "gxschema" / "catalogs"
    index = json.loads((snapshots / "revisions.json").read_text())
    revisions = [r.revision for r in ScriptDirectory.from_config(make_config()).walk_revisions()]
    assert sorted(index) == sorted(revisions)
    for revision in revisions:
        assert catalog.for_revision(revision)["tables"], revision
    files = sorted(path.name for path in snapshots.glob("*.json") if path.name != "revisions.json")
    assert sorted(set(index.values())) == files  # every file is some revision's
    contents = [(snapshots / name).read_bytes() for name in files]
    assert len(set(contents)) == len(contents), "two snapshot files are identical"
    # each file is named after the first revision that produced its catalog
    assert all(index[name.removesuffix(".json")] == name for name in files)
    with pytest.raises(KeyError, match="no catalog snapshot"):
        catalog.for_revision("9999")


@pytest.mark.parametrize(
    "name", ["schema.json", "schema-v2.0-baseline.json", "prisma_v2_0_init.sql"]
)
def test_fixture_copies_are_identical_to_shared(name: str) -> None:
    source = next(
        (p for p in (SHARED / "spec" / name, SHARED / "fixtures" / name) if p.exists()), None
    )
    if source is None:
        pytest.skip("../shared is not beside the project (a user's machine)")
    assert (FIXTURES / name).read_bytes() == source.read_bytes()


def test_head_on_empty_database_has_zero_differences(head_database, engine_for) -> None:
    live = _live(engine_for(head_database))
    differences = catalog.diff(SPEC, live)
    assert differences == [], "\n".join(map(str, differences))
    for name, table in SPEC["tables"].items():
        live_columns = [
            {k: c[k] for k in ("name", "type", "nullable", "default")}
            for c in live["tables"][name]["columns"]
        ]
        expected = [
            {k: c[k] for k in ("name", "type", "nullable", "default")} for c in table["columns"]
        ]
        assert live_columns == expected, name
    assert live["enums"] == SPEC["enums"]


def test_revision_0001_is_the_v2_0_baseline(empty_database, engine_for) -> None:
    engine = engine_for(empty_database)
    with engine.connect() as connection:
        command.upgrade(make_config(connection=connection), "0001")
    differences = catalog.diff(BASELINE, _live(engine))
    assert differences == [], "\n".join(map(str, differences))


def test_prisma_ddl_gives_the_same_catalog_as_revision_0001(empty_database, engine_for) -> None:
    engine = engine_for(empty_database)
    with engine.begin() as connection:
        connection.exec_driver_sql((FIXTURES / "prisma_v2_0_init.sql").read_text())
    live = _live(engine)
    assert catalog.diff(BASELINE, live) == []
    assert catalog.diff(catalog.for_revision("0001"), live) == []


def test_diff_names_each_kind_of_drift(head_database, engine_for) -> None:
    engine = engine_for(head_database)
    with engine.begin() as connection:
        connection.execute(text('DROP INDEX "UserProfile_tenantId_status_idx"'))
        connection.execute(text('ALTER TABLE "Wallet" ADD COLUMN "nickname" text'))
        connection.execute(text('ALTER TABLE "Country" ALTER COLUMN "region" SET NOT NULL'))
        connection.execute(text('ALTER TABLE "Transaction" ALTER COLUMN "fee" SET DEFAULT 1'))
    found = [str(d) for d in catalog.diff(SPEC, _live(engine))]
    assert found == sorted(found, key=lambda s: s.split(" ", 1)[1]) or len(found) == 4
    assert any('missing index "UserProfile_tenantId_status_idx"' in d for d in found)
    assert any('extra column "Wallet"."nickname"' in d for d in found)
    assert any('"Country"."region": nullable False, expected True' in d for d in found)
    assert any("\"Transaction\".\"fee\": default '1', expected '0'" in d for d in found)
    assert len(found) == 4
