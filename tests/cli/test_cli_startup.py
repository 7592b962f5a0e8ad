"""The command line starts without the database stack: `--version` and `--help` stay fast.

Every command imports SQLAlchemy, Alembic, psycopg, pydantic and the models only when
it runs (docs/performance.md, "Start-up"). This checks what was imported, not how long
it took: a timed test would fail on a busy machine and pass on a slow import.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from ..support.cli import clean_env, gxschema

HEAVY = ("sqlalchemy", "alembic", "psycopg", "pydantic_settings", "gxschema.models")
# Typer 0.29 itself converts a command's parameters through pydantic once it builds a
# subcommand, so only the top-level options are held to not importing it.
TOP_LEVEL_HEAVY = (*HEAVY, "pydantic")

_IMPORTED_BY_COMMAND = """
import json, runpy, sys
sys.argv = ["gxschema", *json.loads(sys.argv[1])]
try:
    runpy.run_module("gxschema", run_name="__main__")
except SystemExit:
    pass
sys.stdout.write("\\n" + json.dumps(sorted(sys.modules)))
"""


def _modules_imported_by(*args: str, env: dict[str, str] | None = None) -> tuple[str, list[str]]:
    """What `gxschema ARGS` printed, and every module the process had imported."""
    ran = subprocess.run(
        [sys.executable, "-c", _IMPORTED_BY_COMMAND, json.dumps(list(args))],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        env=env,
    )
    printed, _, modules = ran.stdout.rpartition("\n")
    return printed, json.loads(modules)


@pytest.mark.parametrize(
    "args", [("--version",), ("--help",), ("deploy", "--help"), ("config", "--help")]
)
def test_the_command_line_starts_without_the_database_stack(args: tuple[str, ...]) -> None:
    printed, modules = _modules_imported_by(*args)

    assert "gxschema" in printed  # it did run: the version, or the help
    avoided = TOP_LEVEL_HEAVY if args[0].startswith("--") else HEAVY
    heavy = [m for m in modules if any(m == h or m.startswith(h + ".") for h in avoided)]
    assert heavy == [], f"`gxschema {' '.join(args)}` imported {heavy[:10]}"


def test_a_command_that_needs_the_models_still_gets_them() -> None:
    # the other side of the laziness: the import happens, inside the command
    printed, modules = _modules_imported_by("prisma", "export")

    assert "model Country" in printed
    assert "gxschema.models" in modules


def test_migrate_from_empty_runs_the_revisions_without_importing_the_models(
    pg_server, empty_database: str
) -> None:
    # The revisions never import the models and running them compares nothing, so the
    # 46 classes (a third of the command's start-up) stay unloaded: docs/performance.md
    env = clean_env(**pg_server.env(empty_database))
    printed, modules = _modules_imported_by("migrate", env=env)

    assert "upgrade: base -> " in printed, printed
    assert not [m for m in modules if m == "gxschema.models" or m.startswith("gxschema.models.")]
    status = gxschema("status", "--json", env=env)
    assert status.code == 0 and json.loads(status.stdout)["pending_revisions"] == [], status.output


def test_migrate_from_empty_imports_neither_sqlalchemy_nor_alembic(
    pg_server, empty_database: str
) -> None:
    # the revisions' rendered SQL through psycopg alone (gxschema.migrate_from_empty)
    env = clean_env(**pg_server.env(empty_database))
    printed, modules = _modules_imported_by("--json", "migrate", env=env)

    assert json.loads(printed)["path"] == "rendered-sql", printed
    avoided = ("sqlalchemy", "alembic", "pydantic_settings", "gxschema.models")
    heavy = [m for m in modules if any(m == h or m.startswith(h + ".") for h in avoided)]
    assert heavy == [], f"migrate from empty imported {heavy[:10]}"
    with pg_server.connect(empty_database) as connection:
        stamped = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    assert stamped == [(json.loads(printed)["to_revision"],)]


def test_a_seed_of_unchanged_files_loads_no_models_no_faker_no_orm(
    pg_server, head_database: str
) -> None:
    # one query answers it (gxschema.seeding.unchanged): nothing to read, validate or make
    env = clean_env(**pg_server.env(head_database))
    assert gxschema("seed", "--env", "mainnet", env=env).code == 0
    printed, modules = _modules_imported_by("seed", "--env", "mainnet", env=env)

    assert "nothing to change" in printed, printed
    # libpq reads the PG* variables itself (gxschema.libpq_env) and is asked over ctypes
    # (gxschema.libpq_client), before the command line loads (gxschema.entry_point): not
    # even the settings, psycopg, Typer or Rich are imported
    avoided = (
        *("gxschema.models", "faker", "sqlalchemy", "alembic", "yaml", "pydantic_settings"),
        *("pydantic", "psycopg", "typer", "rich", "gxschema.cli"),
    )
    heavy = [m for m in modules if any(m == h or m.startswith(h + ".") for h in avoided)]
    assert heavy == [], f"the no-op seed imported {heavy[:10]}"


def test_a_bare_seed_of_unchanged_files_takes_the_recorded_environment_in_one_query(
    pg_server, head_database: str
) -> None:
    env = clean_env(**pg_server.env(head_database))
    assert gxschema("seed", "--env", "devnet", env=env).code == 0
    printed, modules = _modules_imported_by("seed", env=env)

    assert "nothing to change" in printed and "devnet" in printed, printed
    assert not [m for m in modules if m == "sqlalchemy" or m.startswith("gxschema.models")]


def test_a_bare_seed_of_a_database_recorded_as_mainnet_still_refuses(
    pg_server, head_database: str
) -> None:
    # the one-query path never decides for mainnet: the full path refuses and says why
    env = clean_env(**pg_server.env(head_database))
    assert gxschema("seed", "--env", "mainnet", env=env).code == 0
    ran = gxschema("seed", env=env)
    assert ran.code == 2, ran.output
    assert "seeded only when named" in ran.stderr and "nothing to change" not in ran.stdout


def test_each_command_is_a_module_level_function() -> None:
    from gxschema.cli import deploy_command, migrate_commands, seed_command, status_command

    for module, name in (
        (migrate_commands, "migrate"),
        (migrate_commands, "downgrade"),
        (status_command, "status"),
        (seed_command, "seed"),
        (deploy_command, "deploy"),
    ):
        command = getattr(module, name)
        assert callable(command) and command.__module__ == module.__name__


def test_the_config_commands_default_tenant_is_the_librarys() -> None:
    from gxschema.cli import config_commands
    from gxschema.platform import config

    assert config_commands.DEFAULT_TENANT == config.DEFAULT_TENANT
