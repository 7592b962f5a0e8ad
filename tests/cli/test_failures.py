"""Every failure is one clear line with exit 1 or 2, never "unexpected error", never a secret.

Each test runs the real command in a child process against the test server and
checks what a person (or a Job) sees: the exit code, stderr, and that nothing of the
password shows, whatever the URL looks like.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from gxschema import migrator

from ..support.cli import Ran, clean_env, gxschema
from ..support.server import Server

# A port nothing listens on (the first of the reserved tcpmux: never a PostgreSQL).
CLOSED_PORT = "1"


def assert_one_clear_line(ran: Ran, code: int) -> str:
    """`ran` exited `code` with one ``gxschema: error:`` line, the last on stderr; that line.

    The lines before it are the command's progress, which goes to stderr too.
    """
    assert ran.code == code, ran.output
    lines = ran.stderr.strip().splitlines()
    errors = [line for line in lines if line.startswith("gxschema: error: ")]
    assert len(errors) == 1 and lines[-1] == errors[0], ran.stderr
    assert "unexpected error" not in ran.output and "Traceback" not in ran.output
    return errors[0]


def fragments(secret: str, size: int = 4) -> set[str]:
    return {secret[start : start + size] for start in range(len(secret) - size + 1)}


# --- the password stays secret, whatever the URL looks like ----------------------------

# Passwords written into DATABASE_URL without percent-encoding, as people paste them.
# Each is long and made of parts found nowhere in the messages.
NASTY_PASSWORDS = [
    "Kq7@vXw9@Zt3",  # two un-encoded @: the tail would be read as the host
    "Kq7vX@w9:Zt3",  # @ then :, the tail would be read as host:port (a ValueError)
    "Kq7v#Xw9@Zt3/Jm5",  # # and / and @
    "Kq7v?Xw9@Zt3:Jm5",  # ? and : and @
    "Kq7v:Xw9/Zt3?Jm5#Hy",  # no @ at all, every other separator
    "Kq7v%Xw9@Zt3",  # a % that is not an escape, and an @
]


@pytest.mark.parametrize("password", NASTY_PASSWORDS)
def test_a_password_in_a_url_never_shows_in_an_error(password: str) -> None:
    url = f"postgresql://gxuser:{password}@127.0.0.1:{CLOSED_PORT}/gx_protocol"
    ran = gxschema("status", "--wait", "0", env=clean_env(DATABASE_URL=url))
    # Exit 2 when the URL cannot be read (an un-encoded @); a URL that can (one @, the
    # password holding : / ? # only) is sent to a closed port: a database not
    # answering, exit 1. Either way one line, and no piece of the password.
    line = assert_one_clear_line(ran, 2 if "@" in password else 1)
    leaked = {piece for piece in fragments(password) if piece in ran.output}
    assert not leaked, f"{leaked} of the password in: {line}"


@pytest.mark.parametrize("password", NASTY_PASSWORDS[:2])
def test_debug_tracebacks_hide_the_password_too(password: str) -> None:
    url = f"postgresql://gxuser:{password}@127.0.0.1:{CLOSED_PORT}/gx_protocol"
    ran = gxschema("--debug", "migrate", "--wait", "0", env=clean_env(DATABASE_URL=url))
    assert ran.code == 2 and "Traceback" in ran.stderr  # --debug shows it...
    assert not {piece for piece in fragments(password) if piece in ran.output}  # ...redacted


@pytest.mark.parametrize("password", [p for p in NASTY_PASSWORDS if "@" in p])
def test_a_url_with_an_unencoded_at_sign_is_bad_configuration(password: str) -> None:
    url = f"postgresql://gxuser:{password}@127.0.0.1:{CLOSED_PORT}/gx_protocol"
    ran = gxschema("migrate", "--wait", "0", env=clean_env(DATABASE_URL=url))
    line = assert_one_clear_line(ran, 2)
    assert "DATABASE_URL" in line and "%40" in line  # says what to do about it
    assert not {piece for piece in fragments(password) if piece in ran.output}


def test_the_password_of_a_url_that_parses_is_used_and_never_shown(
    pg_server: Server, head_database: str
) -> None:
    """A password with # / ? : (but one @) is a valid URL: it connects (or is refused)."""
    password = "Wr0ng#Pa/ss?wo:rd"
    url = f"postgresql://{pg_server.user}:{password}@{pg_server.host}:{pg_server.port}/{head_database}"
    ran = gxschema("status", "--wait", "0", env=clean_env(DATABASE_URL=url))
    if not pg_server.password:
        pytest.skip("this test server trusts every connection (no password check)")
    line = assert_one_clear_line(ran, 2)
    assert "authentication failed" in line
    assert not {piece for piece in fragments(password) if piece in ran.output}


# --- revision targets that cannot be reached ------------------------------------------


def _migrated_to_0003(pg_server: Server, database: str) -> dict[str, str]:
    env = clean_env(**pg_server.env(database))
    ran = gxschema("migrate", "0003", env=env)
    assert ran.code == 0, ran.output
    return env


@pytest.fixture(scope="module")
def database_at_0003(pg_server: Server) -> Iterator[str]:
    """One database at 0003 for the refusals (each checks it is still there after)."""
    name = pg_server.create_database()
    _migrated_to_0003(pg_server, name)
    yield name
    pg_server.drop_database(name)


def _revision(engine_for, database: str) -> str:
    with engine_for(database).connect() as connection:
        return str(connection.execute(text("SELECT version_num FROM alembic_version")).scalar())


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("downgrade", "0005"), "the database is at 0003, below 0005"),
        (("migrate", "0002"), "the database is at 0003, above 0002"),
        (("migrate", "+99"), "cannot go up 99 revision(s) from 0003"),
        (("downgrade", "-99"), "cannot go down 99 revision(s) from 0003"),
        (("downgrade", "+1"), "goes the wrong way"),
        (("migrate", "-1"), "goes the wrong way"),
        (("migrate", "no_such_revision"), "unknown revision 'no_such_revision'"),
        (("downgrade", "no_such_revision"), "unknown revision 'no_such_revision'"),
        (("downgrade", "-0"), "unknown revision '-0'"),
        (("migrate", ""), "no target revision given"),
    ],
)
def test_an_unreachable_revision_target_is_bad_input_and_changes_nothing(
    pg_server: Server, database_at_0003: str, engine_for, args: tuple[str, ...], says: str
) -> None:
    ran = gxschema(*args, env=clean_env(**pg_server.env(database_at_0003)))
    line = assert_one_clear_line(ran, 2)
    assert says in line
    assert _revision(engine_for, database_at_0003) == "0003"
    with engine_for(database_at_0003).connect() as connection:
        runs = connection.execute(text('SELECT count(*) FROM "SchemaMigrationRun"')).scalar()
    assert runs == 1  # only the migration to 0003: a refused target records no run


def test_a_relative_downgrade_is_an_argument_not_an_option(
    pg_server: Server, empty_database: str, engine_for
) -> None:
    ran = gxschema(
        "downgrade", "-1", "--wait", "5", env=_migrated_to_0003(pg_server, empty_database)
    )
    assert ran.code == 0, ran.output
    assert _revision(engine_for, empty_database) == "0002"


# --- a reader that closes the output --------------------------------------------------


def _piped_into_a_closed_reader(args: list[str], env: dict[str, str]) -> Ran:
    """Run gxschema with stdout a pipe whose reader has already gone (as `| head`)."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before anything is written
    try:
        completed = subprocess.run(
            [sys.executable, "-m", "gxschema", *args],
            env=env,
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        os.close(write_end)
    return Ran(completed.returncode, "", completed.stderr)


@pytest.mark.parametrize("args", [["status"], ["--json", "status"], ["--json", "verify"]])
def test_a_closed_output_is_one_line_and_exit_1(
    pg_server: Server, head_database: str, args: list[str]
) -> None:
    ran = _piped_into_a_closed_reader(args, clean_env(**pg_server.env(head_database)))
    line = assert_one_clear_line(ran, 1)
    assert "output was closed" in line


def test_a_closed_output_does_not_stop_a_deploy_half_way(
    pg_server: Server, empty_database: str, engine_for
) -> None:
    """deploy prints progress before it migrates: a reader gone by then changes nothing
    of what it does; it runs to the end, then says the output was cut (exit 1)."""
    env = clean_env(**pg_server.env(empty_database))
    ran = _piped_into_a_closed_reader(["deploy", "--env", "testnet", "--wait", "5"], env)
    line = assert_one_clear_line(ran, 1)
    assert "output was closed" in line
    assert _revision(engine_for, empty_database) == migrator.scripts().get_current_head()
    with engine_for(empty_database).connect() as connection:
        assert connection.execute(text('SELECT count(*) FROM "Country"')).scalar() > 0


def test_an_error_is_still_said_and_keeps_its_code_when_the_output_is_closed(
    pg_server: Server, head_database: str
) -> None:
    """--json writes the error to stdout too; a closed stdout must not swallow it."""
    env = clean_env(**pg_server.env(head_database))
    ran = _piped_into_a_closed_reader(["--json", "migrate", "no_such_revision"], env)
    line = assert_one_clear_line(ran, 2)
    assert "unknown revision 'no_such_revision'" in line


def test_status_piped_into_head_is_never_a_silent_exit_1(
    pg_server: Server, head_database: str
) -> None:
    """The shell's own `| head -1`: either all was written in time (0) or one line (1)."""
    env = clean_env(**pg_server.env(head_database))
    for args in (["status"], ["--json", "status"]):
        command = [sys.executable, "-m", "gxschema", *args]
        pipeline = subprocess.run(
            ["bash", "-c", 'set -o pipefail; "$@" | head -c 10 >/dev/null', "pipe", *command],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert pipeline.returncode in (0, 1), pipeline.stderr
        assert "Traceback" not in pipeline.stderr and "unexpected" not in pipeline.stderr
        if pipeline.returncode == 1:
            assert "output was closed" in pipeline.stderr


# --- pg_dump and pg_restore output that is not UTF-8 ----------------------------------


def _tool_speaking_latin1(folder: Path, name: str, server_major: int) -> None:
    """A `name` first on PATH that answers --version like the real one, then fails
    printing a message with a byte that is not UTF-8 (as a LATIN1 server's would)."""
    script = folder / name
    script.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = "--version" ]; then\n'
        f'  echo "{name} (PostgreSQL) {server_major}.0"; exit 0\n'
        "fi\n"
        f"printf '{name}: error: relation \"caf\\351\" does not exist\\n' >&2\n"
        "exit 1\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)


def _server_major(engine_for, database: str) -> int:
    with engine_for(database).connect() as connection:
        return int(connection.execute(text("SHOW server_version_num")).scalar()) // 10000


@pytest.mark.parametrize("tool", ["pg_dump", "pg_restore"])
def test_undecodable_tool_output_is_one_clear_line(
    pg_server: Server, head_database: str, engine_for, tmp_path: Path, tool: str
) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    major = _server_major(engine_for, head_database)
    _tool_speaking_latin1(bin_dir, tool, major)
    env = clean_env(**pg_server.env(head_database))
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    backups = tmp_path / "backups"
    if tool == "pg_dump":
        ran = gxschema("backup", "--backup-dir", str(backups), env=env)
    else:
        real = clean_env(**pg_server.env(head_database))
        made = gxschema("backup", "--backup-dir", str(backups), env=real)
        assert made.code == 0, made.output
        [dump] = sorted(backups.glob("*.dump"))
        target = f"gxtest_never_{uuid.uuid4().hex[:12]}"
        ran = gxschema(
            "restore", "--backup-dir", str(backups), "--file", dump.name, "--target-database", target,
            env=env,
        )  # fmt: skip
        pg_server.drop_database(target)
    line = assert_one_clear_line(ran, 1)
    assert f"{tool} failed" in line and "caf" in line


# --- deploy backs up only when a revision is pending -----------------------------------


def _backups(engine_for, database: str) -> list[tuple[str, str, str]]:
    with engine_for(database).connect() as connection:
        rows = connection.execute(
            text('SELECT kind, status, location FROM "BackupRecord" ORDER BY "startedAt"')
        )
        return [tuple(row) for row in rows]


def test_deploy_backs_up_only_when_a_revision_is_pending(
    pg_server: Server, empty_database: str, engine_for, tmp_path: Path
) -> None:
    env = clean_env(**pg_server.env(empty_database))
    assert gxschema("migrate", "0004", env=env).code == 0  # BackupRecord exists, 0005+ pending
    folder = tmp_path / "backups"
    deploy = ("--json", "deploy", "--env", "mainnet", "--backup-first", "--backup-dir", str(folder))

    first = gxschema(*deploy, env=env)
    assert first.code == 0, first.output
    summary = json.loads(first.stdout)["backup"]
    assert summary["taken"] is True and "pending" in summary["reason"]
    assert summary["recorded"] is True and summary["schema_revision"] == "0004"
    [dump] = sorted(folder.glob("*.dump"))
    assert summary["path"] == str(dump)

    second = gxschema(*deploy, env=env)
    assert second.code == 0, second.output
    assert json.loads(second.stdout)["backup"] == {
        "taken": False,
        "reason": f"no revision pending (already at {migrator.scripts().get_current_head()})",
    }
    assert sorted(folder.glob("*.dump")) == [dump]
    assert _backups(engine_for, empty_database) == [("pre-migration", "succeeded", str(dump))]

    # --backup-always: the old behaviour, a dump on every run.
    for _ in range(2):
        ran = gxschema(*deploy, "--backup-always", env=env)
        assert ran.code == 0, ran.output
        assert json.loads(ran.stdout)["backup"]["reason"] == "--backup-always"
    assert len(sorted(folder.glob("*.dump"))) == 3
    assert len(_backups(engine_for, empty_database)) == 3

    # Human output says it too.
    plain = gxschema("deploy", "--env", "mainnet", "--backup-dir", str(folder), env=env)
    assert plain.code == 0, plain.output
    assert "backup:   none (no revision pending" in plain.stdout
    assert len(sorted(folder.glob("*.dump"))) == 3
