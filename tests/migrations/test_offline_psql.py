"""`gxschema migrate --sql` runs as its header, the README and docs/operations.md say.

The offline SQL commits each revision on its own and builds indexes concurrently
between them, so it cannot be one transaction: the documented command is
``psql -X -v ON_ERROR_STOP=1 -f``, and ``psql -1`` is refused before anything changes
(it would otherwise run, with every COMMIT silently ending psql's transaction).
"""

from __future__ import annotations

import io
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import text

from gxschema import online

from ..support.cli import clean_env, gxschema
from ..support.paths import ROOT

DOCUMENTED = "psql -X -v ON_ERROR_STOP=1 -f"


def _offline_sql(tmp_path: Path) -> tuple[Path, list[str]]:
    """The offline SQL in a file, and the command its header says to run it with."""
    ran = gxschema("migrate", "--sql", env=clean_env())
    assert ran.code == 0, ran.output
    script = tmp_path / "head.sql"
    script.write_text(ran.stdout)
    found = re.search(r"^--\s+(psql .*FILE\.sql)$", ran.stdout, re.MULTILINE)
    assert found, "the header names no psql command"
    command = shlex.split(found.group(1).replace("FILE.sql", str(script)))
    return script, command


def _psql(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    psql = shutil.which("psql")
    if psql is None:
        pytest.skip("psql is not installed")
    return subprocess.run(
        [psql, *command[1:]], env=env, capture_output=True, text=True, check=False, timeout=300
    )


def test_the_documented_command_is_the_one_in_the_header_readme_and_operations(
    tmp_path: Path,
) -> None:
    _script, command = _offline_sql(tmp_path)
    assert " ".join(command[:-1]) == DOCUMENTED
    for doc in ("README.md", "docs/operations.md"):
        assert DOCUMENTED in (ROOT / doc).read_text(), f"{doc} does not say how to run --sql"
    help_text = gxschema("migrate", "--help", env=clean_env(COLUMNS="200")).stdout
    assert DOCUMENTED in " ".join(help_text.split())


def test_the_documented_command_reaches_head_with_no_drift(
    pg_server, empty_database, tmp_path
) -> None:
    _script, command = _offline_sql(tmp_path)
    applied = _psql(command, {**os.environ, **pg_server.env(empty_database)})
    database = clean_env(**pg_server.env(empty_database))
    assert applied.returncode == 0, applied.stderr
    assert "ERROR" not in applied.stderr and "WARNING" not in applied.stderr, applied.stderr
    verified = gxschema("--json", "verify", env=database)
    assert verified.code == 0, verified.output
    status = gxschema("--json", "status", env=database)
    assert '"at_head": true' in status.stdout


@pytest.mark.parametrize("how", ["single transaction", "autocommit off"])
def test_one_transaction_is_refused_before_anything_changes(
    how: str, pg_server, empty_database, engine_for, tmp_path
) -> None:
    _script, command = _offline_sql(tmp_path)
    env = {**os.environ, **pg_server.env(empty_database)}
    if how == "single transaction":
        command = [command[0], "-1", *command[1:]]
    else:  # a ~/.psqlrc that turns AUTOCOMMIT off: psql opens the transaction itself
        psqlrc = tmp_path / "psqlrc"
        psqlrc.write_text("\\set AUTOCOMMIT off\n")
        command = [part for part in command if part != "-X"]
        env["PSQLRC"] = str(psqlrc)
    refused = _psql(command, env)
    assert refused.returncode != 0
    errors = [line for line in refused.stderr.splitlines() if "ERROR" in line]
    assert len(errors) == 1 and "cannot run inside one transaction" in errors[0], refused.stderr
    assert DOCUMENTED in errors[0]
    with engine_for(empty_database).connect() as connection:
        tables = connection.execute(
            text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        ).scalar()
    assert tables == 0


def _offline_online_sql() -> str:
    """What a revision's NOT VALID constraints and NOT NULL render to as offline SQL."""
    buffer = io.StringIO()
    context = MigrationContext.configure(
        dialect_name="postgresql",
        opts={"as_sql": True, "output_buffer": buffer, "literal_binds": True},
    )
    with Operations.context(context):
        online.add_foreign_key_not_valid(
            "Child_parentId_fkey", "Child", "Parent", ["parentId"], ["id"]
        )
        online.add_check_not_valid("Child_id_positive", "Child", '"id" > 0')
        online.set_not_null_via_check("Child", "parentId")
    return buffer.getvalue()


def test_offline_not_valid_constraints_can_run_again(pg_server, empty_database, tmp_path) -> None:
    """Offline SQL that stopped half-way is run again: a constraint already added is skipped."""
    sql = _offline_online_sql()
    assert sql.count("IF NOT EXISTS (SELECT 1 FROM pg_constraint") == 3
    setup = 'CREATE TABLE "Parent" (id int PRIMARY KEY);\n'
    setup += 'CREATE TABLE "Child" (id int PRIMARY KEY, "parentId" int);\n'
    setup += 'INSERT INTO "Parent" VALUES (1); INSERT INTO "Child" VALUES (1, 1);\n'
    script = tmp_path / "constraints.sql"
    script.write_text(f"BEGIN;\n{sql}COMMIT;\n")
    env = {**os.environ, **pg_server.env(empty_database)}
    base = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1"]
    assert _psql([*base, "-c", setup], env).returncode == 0
    for run in ("first", "again"):
        ran = _psql([*base, "-f", str(script)], env)
        assert ran.returncode == 0, f"{run}: {ran.stderr}"
    listed = _psql(
        [
            *base,
            "-At",
            "-c",
            "SELECT conname, convalidated FROM pg_constraint "
            "WHERE conrelid = '\"Child\"'::regclass AND contype <> 'p' ORDER BY 1",
        ],
        env,
    )
    assert listed.stdout.split() == ["Child_id_positive|f", "Child_parentId_fkey|f"]
