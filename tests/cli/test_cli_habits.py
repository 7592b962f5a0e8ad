"""The command line's habits: flags after the command, choices, completion, one name per
option, results on stdout and everything else on stderr, errors in red on a terminal.

Each test runs the real `gxschema` in a child process, as a person or a script would,
and checks what it printed where and how it exited.
"""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
import uuid
from typing import Any

import pytest

from gxschema.cli import app
from gxschema.cli.global_options import PANEL, SHARED, command_line
from gxschema.cli.options import (
    BackupKind,
    ConfigValueType,
    EnvironmentName,
    PrismaVersion,
    choices,
)

from ..support.cli import Ran, clean_env, gxschema

# A port nothing listens on (the first of the reserved tcpmux: never a PostgreSQL).
CLOSED_PORT = "1"
UNREACHABLE = f"postgresql://gx:secret@127.0.0.1:{CLOSED_PORT}/gx_protocol"
WIDE = {"COLUMNS": "200"}  # help on one line per option, whatever the terminal


@pytest.fixture
def env_for(pg_server):
    def make(database: str, **extra: str) -> dict[str, str]:
        return clean_env(**{**pg_server.env(database), **extra})

    return make


def _json(ran: Ran) -> Any:
    """Stdout as the one JSON document it must be (json.loads refuses anything more)."""
    return json.loads(ran.stdout)


# --- --json and --debug after the command ---------------------------------------------


def test_json_after_the_command_is_the_same_as_before_it(head_database, env_for) -> None:
    env = env_for(head_database)
    before = gxschema("--json", "status", env=env)
    after = gxschema("status", "--json", env=env)
    assert before.code == after.code == 0, after.output
    assert _json(after) == _json(before)
    assert _json(after)["current_revision"] == "0006"


def test_json_after_a_command_of_a_group(head_database, env_for) -> None:
    env = env_for(head_database)
    listed = gxschema("config", "list", "--json", env=env)
    assert listed.code == 0, listed.output
    assert _json(listed)["tenant"] == "global"
    # an error is the one JSON document too, whichever side of the command --json is on
    missing = gxschema("config", "get", "noSuchKey", "--json", env=env)
    assert missing.code == 2
    assert _json(missing)["exit_code"] == 2 and "noSuchKey" in _json(missing)["error"]


def test_json_after_a_command_that_needs_no_database() -> None:
    ran = gxschema("prisma", "export", "--json", env=clean_env())
    assert ran.code == 0, ran.output
    assert "model Country" in _json(ran)["schema"]


def test_a_relative_downgrade_target_after_json(head_database, env_for) -> None:
    ran = gxschema("downgrade", "--json", "-1", env=env_for(head_database))
    assert ran.code == 0, ran.output
    assert _json(ran)["to_revision"] == "0005"


def test_debug_after_the_command_shows_the_traceback() -> None:
    ran = gxschema("migrate", "--wait", "0", "--debug", env=clean_env(DATABASE_URL=UNREACHABLE))
    assert ran.code == 1
    assert "Traceback" in ran.stderr and "gxschema: error: " in ran.stderr
    plain = gxschema("migrate", "--wait", "0", env=clean_env(DATABASE_URL=UNREACHABLE))
    assert plain.code == 1 and "Traceback" not in plain.stderr


def test_a_double_dash_still_ends_the_options(head_database, env_for) -> None:
    # after --, "--json" is the key to look up, not the flag
    ran = gxschema("config", "get", "--", "--json", env=env_for(head_database))
    assert ran.code == 2
    assert ran.stdout == ""
    assert 'no config "--json"' in ran.stderr


def _commands(command: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    found = []
    for name, sub in getattr(command, "commands", {}).items():
        found.append(((*path, name), sub))
        found += _commands(sub, (*path, name))
    return found


def test_every_command_takes_the_global_flags() -> None:
    commands = _commands(command_line(app))
    assert len(commands) >= 15
    for path, command in commands:
        names = {name for parameter in command.params for name in parameter.opts}
        assert set(SHARED) <= names, f"gxschema {' '.join(path)} lacks {set(SHARED) - names}"


@pytest.mark.parametrize("command", [("status",), ("config", "get"), ("backup",)])
def test_a_commands_help_lists_the_global_flags(command: tuple[str, ...]) -> None:
    ran = gxschema(*command, "--help", env=clean_env(**WIDE))
    assert ran.code == 0, ran.output
    panel = ran.stdout[ran.stdout.index(PANEL) :]
    assert "--json" in panel and "--debug" in panel


# --- choices: in --help, completed by the shell, checked ---------------------------------


@pytest.mark.parametrize(
    ("command", "option", "values"),
    [
        (("seed",), "--env", "devnet|testnet|mainnet"),
        (("deploy",), "--env", "devnet|testnet|mainnet"),
        (("up",), "--env", "devnet|testnet|mainnet"),
        (("backup",), "--kind", "scheduled|manual|pre-migration"),
        (("fake",), "--indexes", "auto|rebuild|keep"),
        (("prisma", "export"), "--prisma-version", "5|6|7"),
        (("config", "set"), "--type", "string|number|boolean|json"),
    ],
)
def test_help_lists_the_choices(command: tuple[str, ...], option: str, values: str) -> None:
    ran = gxschema(*command, "--help", env=clean_env(**WIDE))
    assert ran.code == 0, ran.output
    line = next(line for line in ran.stdout.splitlines() if re.match(rf"\W*{option}\s", line))
    assert values in line


def _complete(words: str) -> list[str]:
    """What bash completion offers for the last word of `words` (Typer's env protocol)."""
    cword = len(words.split()) - (0 if words.endswith(" ") else 1)
    env = clean_env(_GXSCHEMA_COMPLETE="complete_bash", COMP_WORDS=words, COMP_CWORD=str(cword))
    ran = gxschema(env=env)
    assert ran.code == 0, ran.output
    return ran.stdout.split()


def test_the_shell_completes_choices_commands_and_options() -> None:
    assert _complete("gxschema seed --env ") == ["devnet", "testnet", "mainnet"]
    assert _complete("gxschema backup --kind pre") == ["pre-migration"]
    assert _complete("gxschema fake --indexes ") == ["auto", "rebuild", "keep"]
    assert "status" in _complete("gxschema st")
    assert {"--json", "--debug", "--check", "--wait"} <= set(_complete("gxschema status --"))


def test_the_completion_script_can_be_shown() -> None:
    # Typer finds the shell among the command's parents: run it from bash (the exit
    # after it keeps bash from replacing itself with the command)
    command = f"'{sys.executable}' -m gxschema --show-completion; exit $?"
    ran = subprocess.run(
        ["bash", "-c", command], env=clean_env(), capture_output=True, text=True, timeout=60
    )
    assert ran.returncode == 0, ran.stderr
    assert "_GXSCHEMA_COMPLETE=complete_bash" in ran.stdout
    assert "complete " in ran.stdout and "gxschema" in ran.stdout


def test_a_value_outside_the_choices_is_bad_input_in_one_line() -> None:
    ran = gxschema("seed", "--env", "staging", env=clean_env(DATABASE_URL=UNREACHABLE))
    assert ran.code == 2
    assert ran.stderr.splitlines() == [
        "gxschema: error: Invalid value for '--env': 'staging' is not one of "
        "'devnet', 'testnet', 'mainnet'. (see 'gxschema seed --help')"
    ]
    assert ran.stdout == ""


def test_a_wrong_option_is_one_line_and_a_json_document_with_json() -> None:
    ran = gxschema("status", "--bogus", env=clean_env())
    assert ran.code == 2 and ran.stdout == ""
    assert ran.stderr.splitlines() == [
        "gxschema: error: No such option: --bogus (see 'gxschema status --help')"
    ]
    as_json = gxschema("status", "--json", "--bogus", env=clean_env())
    assert as_json.code == 2
    assert _json(as_json) == {
        "error": "No such option: --bogus (see 'gxschema status --help')",
        "exit_code": 2,
    }


def test_a_group_without_its_command_shows_its_help() -> None:
    ran = gxschema("config", env=clean_env())
    assert ran.code == 2
    assert "Usage: gxschema config" in ran.stdout and "set" in ran.stdout


@pytest.mark.parametrize(
    ("kind", "library"),
    [
        (EnvironmentName, "gxschema.seeding.layout:ENVIRONMENTS"),
        (BackupKind, "gxschema.backup:KINDS"),
        (ConfigValueType, "gxschema.seeding.schemas:VALUE_TYPES"),
    ],
)
def test_the_choices_are_the_libraries(kind: Any, library: str) -> None:
    import importlib

    module, name = library.split(":")
    assert set(choices(kind)) == set(getattr(importlib.import_module(module), name))


def test_the_prisma_versions_are_the_renderers_styles() -> None:
    from gxschema.prisma.export import STYLES

    assert set(choices(PrismaVersion)) == {*STYLES, "5"}


# --- one name for one option --------------------------------------------------------------


def test_one_name_for_one_option_on_every_command() -> None:
    # the wait for the database is --wait, where a command writes is --output, the
    # folder of the dumps is --backup-dir
    for path, command in _commands(command_line(app)):
        names = {
            name
            for parameter in command.params
            if not getattr(parameter, "hidden", False)
            for name in parameter.opts
        }
        old = {"--wait-timeout", "--timeout", "--out", "--dir"}
        assert not old & names, f"gxschema {' '.join(path)}"


def test_the_old_wait_timeout_still_works_with_a_note() -> None:
    env = clean_env(DATABASE_URL=UNREACHABLE)
    ran = gxschema("deploy", "--env", "testnet", "--wait-timeout", "0", env=env)
    assert ran.code == 1, ran.output
    assert "gxschema: note: --wait-timeout is deprecated; use --wait" in ran.stderr
    assert "gave up after 0s" in ran.stderr
    new = gxschema("deploy", "--env", "testnet", "--wait", "0", env=env)
    assert new.code == 1 and "deprecated" not in new.stderr
    assert "gave up after 0s" in new.stderr
    shown = gxschema("deploy", "--help", env=clean_env(**WIDE))
    assert "--wait " in shown.stdout and "--wait-timeout" not in shown.stdout


def test_the_old_dir_of_backup_and_restore_still_works_with_a_note(
    pg_server, head_database, env_for, tmp_path
) -> None:
    env = env_for(head_database)
    ran = gxschema("backup", "--dir", str(tmp_path), env=env)
    assert ran.code == 0, ran.output
    assert "gxschema: note: --dir is deprecated; use --backup-dir" in ran.stderr
    assert [path.suffix for path in sorted(tmp_path.iterdir())] == [".dump", ".sha256"]
    target = f"gxtest_habits_{uuid.uuid4().hex[:8]}"
    restored = gxschema(
        "restore", "--dir", str(tmp_path), "--latest", "--target-database", target, env=env
    )
    try:
        assert restored.code == 0, restored.output
        assert "deprecated; use --backup-dir" in restored.stderr
    finally:
        pg_server.drop_database(target)


def test_the_old_out_of_docs_still_works_with_a_note(tmp_path) -> None:
    old = gxschema("docs", "--check", "--out", str(tmp_path / "schema"), env=clean_env())
    new = gxschema("docs", "--check", "-o", str(tmp_path / "schema"), env=clean_env())
    assert old.code == new.code == 1  # nothing generated there yet: both name that folder
    assert "gxschema: note: --out is deprecated; use --output" in old.stderr
    assert "deprecated" not in new.stderr
    assert old.stdout == new.stdout and str(tmp_path / "schema") in new.stdout


# --- results on stdout, progress on stderr ----------------------------------------------------


def test_migrate_prints_its_result_alone(empty_database, env_for) -> None:
    env = env_for(empty_database)
    ran = gxschema("migrate", env=env)
    assert ran.code == 0, ran.output
    assert ran.stdout.startswith("upgrade: base -> 0006") and ran.stdout.count("\n") == 1
    down = gxschema("downgrade", "0004", "--json", env=env)
    assert down.code == 0, down.output
    assert _json(down)["to_revision"] == "0004"


def test_progress_goes_to_stderr_and_the_result_to_stdout(head_database, env_for, tmp_path) -> None:
    env = env_for(head_database)
    ran = gxschema("backup", "--backup-dir", str(tmp_path), env=env)
    assert ran.code == 0, ran.output
    assert [line.split(":")[0] for line in ran.stdout.splitlines()] == ["backup", "database"]
    assert "dumping" in ran.stderr  # what it did on the way, for the person watching
    as_json = gxschema("backup", "--backup-dir", str(tmp_path), "--json", env=env)
    assert as_json.code == 0, as_json.output
    assert _json(as_json)["kind"] == "scheduled" and "dumping" in as_json.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("status",),
        ("verify",),
        ("migrate",),
        ("seed", "--env", "devnet", "--dry-run"),
        ("config", "list"),
        ("downgrade", "0005"),
    ],
)
def test_a_json_run_prints_one_document_on_stdout(
    head_database, env_for, args: tuple[str, ...]
) -> None:
    ran = gxschema(*args, "--json", env=env_for(head_database))
    assert ran.code == 0, ran.output
    assert isinstance(_json(ran), dict)  # one document, nothing before or after it


def test_seed_prints_only_its_result_on_stdout(head_database, env_for) -> None:
    ran = gxschema("seed", "--env", "devnet", "--json", env=env_for(head_database))
    assert ran.code == 0, ran.output
    assert _json(ran)["env"] == "devnet"


# --- errors in red on a terminal, plain otherwise -----------------------------------------------

RED = "\x1b[31m"


def _stderr_on_a_terminal(*args: str, **env: str) -> str:
    """What `gxschema ARGS` wrote to stderr when stderr was a terminal (a pty)."""
    leader, follower = pty.openpty()
    environment = clean_env(TERM="xterm-256color", DATABASE_URL=UNREACHABLE, **env)
    for name in ("NO_COLOR", "FORCE_COLOR"):
        if name not in env:
            environment.pop(name, None)
    try:
        subprocess.run(
            [sys.executable, "-m", "gxschema", *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=follower,
            env=environment,
            timeout=60,
            check=False,
        )
    finally:
        os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the pty's other end is closed: all of it was read
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    return b"".join(chunks).decode()


def test_an_error_is_red_on_a_terminal() -> None:
    written = _stderr_on_a_terminal("status", "--wait", "0")
    assert f"{RED}gxschema: error: " in written


def test_an_error_is_plain_with_no_color_or_when_piped() -> None:
    assert "\x1b" not in _stderr_on_a_terminal("status", "--wait", "0", NO_COLOR="1")
    piped = gxschema("status", "--wait", "0", env=clean_env(DATABASE_URL=UNREACHABLE))
    assert piped.code == 1
    assert piped.stderr.startswith("gxschema: error: ") and "\x1b" not in piped.stderr


def test_force_color_colours_an_error_even_in_a_pipe() -> None:
    env = clean_env(DATABASE_URL=UNREACHABLE, FORCE_COLOR="1")
    env.pop("NO_COLOR", None)
    ran = gxschema("status", "--wait", "0", env=env)
    assert ran.code == 1
    assert ran.stderr.startswith(f"{RED}gxschema: error: ")
