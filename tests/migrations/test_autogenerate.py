"""Autogenerate writes online revisions, and `gxschema revision` numbers them.

The model changes are made on a copy of the metadata (never on the models), and every
revision is written into a temporary folder, never into alembic/versions/.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Column, ForeignKeyConstraint, Index, MetaData, Table, Text, text

from gxschema import models as live_models
from gxschema.alembic_config import script_directory
from gxschema.cli.revision_command import format_with_ruff, next_revision_id, revision_config

from ..support.cli import clean_env, gxschema

NEW_INDEX = "Transaction_counterparty_idx"
NEW_FK = "TransactionLimit_walletId_fkey"


def _changed_metadata(*, more: bool = False) -> MetaData:
    """The models plus an index on Transaction and a foreign key between two existing
    tables; with `more`, also NOT NULL on an existing column and a new indexed table."""
    changed = MetaData(naming_convention=live_models.metadata.naming_convention)
    for table in live_models.metadata.tables.values():
        table.to_metadata(changed)
    Index(NEW_INDEX, changed.tables["Transaction"].c.counterparty)
    changed.tables["TransactionLimit"].append_constraint(
        ForeignKeyConstraint(
            ["walletId"], ["Wallet.walletId"], name=NEW_FK, ondelete="CASCADE", onupdate="CASCADE"
        )
    )
    if more:
        changed.tables["AuditLog"].c.resourceType.nullable = False
        gadget = Table(
            "Gadget",
            changed,
            Column("gadgetId", Text, primary_key=True, comment="The gadget's id."),
            Column("label", Text, nullable=False, comment="What it is called."),
            comment="A table that is new in the revision.",
        )
        Index("Gadget_label_idx", gadget.c.label)
    return changed


@pytest.fixture
def changed_models(monkeypatch) -> MetaData:
    """env.py reads `live_models.metadata` when Alembic runs it: give it the copy."""
    changed = _changed_metadata()
    monkeypatch.setattr(live_models, "metadata", changed)
    return changed


@pytest.fixture
def more_changed_models(monkeypatch) -> MetaData:
    changed = _changed_metadata(more=True)
    monkeypatch.setattr(live_models, "metadata", changed)
    return changed


def _autogenerate(engine, versions: Path) -> list[Path]:
    """Autogenerate through Alembic's API into `versions`, as `gxschema revision` does."""
    rev_id = next_revision_id(script_directory())
    with engine.connect() as connection:
        written = command.revision(
            revision_config(versions, connection=connection),
            message="counterparty index and limit wallet key",
            autogenerate=True,
            rev_id=rev_id,
            version_path=str(versions),
        )
    scripts = written if isinstance(written, list) else [written]
    paths = [Path(script.path) for script in scripts if script is not None]
    for path in paths:
        format_with_ruff(path)
    return paths


def _compact(source: str) -> str:
    """Python source without whitespace or magic trailing commas: what ruff wraps differs."""
    return re.sub(r"\s+", "", source).replace(",)", ")").replace(",]", "]")


def _offline_sql(versions: Path, span: str) -> str:
    config = revision_config(versions)
    config.output_buffer = io.StringIO()
    command.upgrade(config, span, sql=True)
    return config.output_buffer.getvalue()


def _squawk(sql: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    squawk = shutil.which("squawk") or str(Path(sys.executable).parent / "squawk")
    if not os.path.exists(squawk):
        pytest.skip("squawk-cli is not installed")
    script = tmp_path / "revision.sql"
    script.write_text(sql)
    return subprocess.run(
        [squawk, "--reporter", "gcc", str(script)],  # no exclusions, ever
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )


def _upgrade_and_downgrade(path: Path) -> tuple[str, str]:
    upgrade, downgrade = path.read_text().split("def downgrade() -> None:")
    return _compact(upgrade), _compact(downgrade)


def test_autogenerate_writes_online_operations_that_pass_squawk_and_apply(
    changed_models, head_database, engine_for, tmp_path
) -> None:
    engine = engine_for(head_database)
    head = script_directory().get_current_head()
    assert head is not None
    first, second = (str(int(head) + step).zfill(4) for step in (1, 2))
    versions = tmp_path / "versions"
    versions.mkdir()
    paths = _autogenerate(engine, versions)

    # the key is added NOT VALID in one revision and validated in the next
    assert [path.name for path in paths] == [
        f"{first}_counterparty_index_and_limit_wallet_key.py",
        f"{second}_validate_transactionlimit_walletid_fkey.py",
    ]
    source = paths[0].read_text()
    assert f"Revision ID: {first}\nRevises: {head}\nCreate Date: " in source
    assert "\nfrom gxschema import online\n" in source
    assert "from gxschema.models" not in source and "import gxschema.models" not in source
    upgrade, downgrade = _upgrade_and_downgrade(paths[0])
    index = f'online.create_index_concurrently("{NEW_INDEX}","Transaction",["counterparty"])'
    key = (
        f'online.add_foreign_key_not_valid("{NEW_FK}","TransactionLimit","Wallet",["walletId"],'
        '["walletId"],ondelete="CASCADE",onupdate="CASCADE")'
    )
    assert index in upgrade and key in upgrade
    assert upgrade.index(index) < upgrade.index(key)  # the concurrent build first
    assert "VALIDATE" not in upgrade and "op.create_index" not in upgrade
    assert f'online.drop_index_concurrently("{NEW_INDEX}","Transaction")' in downgrade
    assert f'op.drop_constraint("{NEW_FK}","TransactionLimit",type_="foreignkey")' in downgrade
    validate, undo = _upgrade_and_downgrade(paths[1])
    assert f"Revises: {first}\n" in paths[1].read_text()
    statement = f'ALTER TABLE "TransactionLimit" VALIDATE CONSTRAINT "{NEW_FK}"'
    assert validate.endswith(
        f"op.execute({''.join(repr(statement).split())})####endAlembiccommands###"
    )
    assert undo.endswith("###pass####endAlembiccommands###")  # validating has no undo

    for path in paths:  # lint-clean as written
        linted = subprocess.run(
            [sys.executable, "-m", "ruff", "check", "--no-cache", str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert linted.returncode == 0, linted.stdout

    sql = _offline_sql(versions, f"{head}:{second}")
    assert f'CREATE INDEX CONCURRENTLY IF NOT EXISTS "{NEW_INDEX}"' in sql
    assert "NOT VALID" in sql and f'VALIDATE CONSTRAINT "{NEW_FK}"' in sql
    linted = _squawk(sql, tmp_path)
    assert linted.returncode == 0, linted.stdout + linted.stderr

    with engine.connect() as connection:
        command.upgrade(revision_config(versions, connection=connection), "heads")
        state = connection.execute(
            text("SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass(:name)"),
            {"name": f'"{NEW_INDEX}"'},
        ).scalar()
        validated = connection.execute(
            text("SELECT convalidated FROM pg_constraint WHERE conname = :name"),
            {"name": NEW_FK},
        ).scalar()
        connection.commit()
        assert (state, validated) == (True, True)
        # the database now matches the changed models: nothing left to generate
        command.check(revision_config(versions, connection=connection))
        command.downgrade(revision_config(versions, connection=connection), head)
        gone = connection.execute(
            text("SELECT to_regclass(:i), count(*) FROM pg_constraint WHERE conname = :fk"),
            {"i": f'"{NEW_INDEX}"', "fk": NEW_FK},
        ).one()
        assert tuple(gone) == (None, 0)


def test_autogenerate_keeps_a_new_tables_index_plain_and_sets_not_null_through_a_check(
    more_changed_models, head_database, engine_for, tmp_path
) -> None:
    paths = _autogenerate(engine_for(head_database), tmp_path)
    upgrade, downgrade = _upgrade_and_downgrade(paths[0])
    assert 'online.set_not_null_via_check("AuditLog","resourceType")' in upgrade
    # the table the revision creates is empty: its index stays a plain one
    assert 'op.create_index("Gadget_label_idx","Gadget",["label"],unique=False)' in upgrade
    assert upgrade.count("op.create_index(") == 1 and upgrade.count("_concurrently(") == 1
    assert 'op.drop_index("Gadget_label_idx",table_name="Gadget")' in downgrade
    assert 'op.alter_column("AuditLog","resourceType"' in downgrade  # DROP NOT NULL is instant
    with engine_for(head_database).connect() as connection:
        command.upgrade(revision_config(tmp_path, connection=connection), "heads")
        not_null = connection.execute(
            text(
                "SELECT attnotnull FROM pg_attribute WHERE attrelid = '\"AuditLog\"'::regclass "
                "AND attname = 'resourceType'"
            )
        ).scalar()
        leftover = connection.execute(
            text("SELECT count(*) FROM pg_constraint WHERE conname LIKE '%resourceType_not_null'")
        ).scalar()
        assert (not_null, leftover) == (True, 0)


def test_alembic_check_still_reports_the_rewritten_operations(
    more_changed_models, head_database, engine_for, tmp_path
) -> None:
    from alembic.util.exc import AutogenerateDiffsDetected

    with (
        engine_for(head_database).connect() as connection,
        pytest.raises(AutogenerateDiffsDetected, match=NEW_FK),
    ):
        command.check(revision_config(tmp_path, connection=connection))
    assert not list(tmp_path.iterdir())  # check writes nothing


# gxschema revision ------------------------------------------------------------------


def _env(pg_server=None, database: str | None = None, home: Path | None = None) -> dict[str, str]:
    extra = pg_server.env(database) if pg_server is not None and database else {}
    return clean_env(**extra, GXSCHEMA_HOME=str(home or Path("/nonexistent-gxschema-home")))


def test_revision_numbers_after_the_head_and_writes_a_clean_skeleton(tmp_path) -> None:
    head = script_directory().get_current_head()
    assert head is not None
    first, second = (str(int(head) + step).zfill(4) for step in (1, 2))
    ran = gxschema(
        "revision",
        "-m",
        "Add wallet limits!",
        "--empty",
        "--version-path",
        str(tmp_path),
        env=_env(home=tmp_path / "home"),
    )
    assert ran.code == 0, ran.output
    assert f"wrote revision {first} (after {head})" in ran.stdout
    ran = gxschema(
        "--json",
        "revision",
        "-m",
        "then more",
        "--empty",
        "--version-path",
        str(tmp_path),
        env=_env(home=tmp_path / "home"),
    )
    assert ran.code == 0, ran.output
    assert f'"revision": "{second}"' in ran.stdout and f'"down_revision": "{first}"' in ran.stdout
    files = sorted(path.name for path in tmp_path.glob("*.py"))
    assert files == [f"{first}_add_wallet_limits.py", f"{second}_then_more.py"]
    written = (tmp_path / files[1]).read_text()
    assert f'revision: str = "{second}"\ndown_revision: str | None = "{first}"' in written
    assert f"Revises: {first}\n" in written
    lint = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", "--no-cache", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert lint.returncode == 0, lint.stdout


def test_revision_refuses_two_heads(tmp_path) -> None:
    (tmp_path / "0900_branch.py").write_text(
        'revision = "0900"\ndown_revision = "0001"\nbranch_labels = None\ndepends_on = None\n'
        "def upgrade(): pass\ndef downgrade(): pass\n"
    )
    ran = gxschema(
        "revision",
        "-m",
        "x",
        "--empty",
        "--version-path",
        str(tmp_path),
        env=_env(home=tmp_path / "home"),
    )
    assert ran.code == 2
    assert ran.stderr.strip().count("\n") == 0 and "has 2 heads" in ran.stderr
    assert "merge them" in ran.stderr
    assert sorted(p.name for p in tmp_path.glob("*.py")) == ["0900_branch.py"]


def test_revision_autogenerate_needs_a_database_at_head(
    pg_server, empty_database, tmp_path
) -> None:
    ran = gxschema(
        "revision", "-m", "x", "--version-path", str(tmp_path), env=_env(home=tmp_path / "home")
    )
    assert ran.code == 2 and "none is configured" in ran.stderr and "--empty" in ran.stderr
    ran = gxschema(
        "revision",
        "-m",
        "x",
        "--version-path",
        str(tmp_path),
        env=_env(pg_server, empty_database, tmp_path / "home"),
    )
    head = script_directory().get_current_head()
    assert ran.code == 2
    assert f"the database is at base (empty), not at head {head}" in ran.stderr
    assert "gxschema migrate" in ran.stderr
    assert not list(tmp_path.glob("*.py"))


def test_revision_autogenerate_on_a_database_at_head(pg_server, head_database, tmp_path) -> None:
    ran = gxschema(
        "revision",
        "-m",
        "nothing new",
        "--version-path",
        str(tmp_path),
        env=_env(pg_server, head_database, tmp_path / "home"),
    )
    assert ran.code == 0, ran.output
    (written,) = tmp_path.glob("*_nothing_new.py")
    upgrade, _ = _upgrade_and_downgrade(written)
    assert upgrade.endswith("###pass####endAlembiccommands###")  # the models match the head
