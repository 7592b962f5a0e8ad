"""The no-op seed answered before the command line loads (`gxschema.noop_seed`).

A second seed of the same files takes the fast path (no Typer, Rich, psycopg,
SQLAlchemy or pydantic is imported) and prints, byte for byte, what the full command
prints; everything else (a changed file, another environment, a seed that compares or
writes, a wrong password, styled output) goes to the full command, with its messages and
exit codes. Each child runs the real entry point, `gxschema.entry_point.main`, or the
full command line, `gxschema.cli.main`, and writes the modules it imported to a file.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from ..support.cli import clean_env, gxschema
from ..support.paths import ROOT
from ..support.silent import silent_libpq_env, silent_port

HEAVY = (
    "typer",
    "rich",
    "psycopg",
    "sqlalchemy",
    "pydantic",
    "pydantic_settings",
    "yaml",
    "faker",
    "gxschema.cli",
    "gxschema.models",
)

_CHILD = """
import sys
modules_file, entry, *args = sys.argv[1:]
sys.argv = ["gxschema", *args]
if entry == "no-libpq":  # as on a system where neither psycopg's libpq nor libpq.so.5 loads
    import gxschema.libpq_client as client
    client.candidates = lambda: [modules_file + ".absent-libpq.so"]
if entry == "full":
    from gxschema.cli import main
else:
    from gxschema.entry_point import main
try:
    main()
finally:
    import json
    with open(modules_file, "w", encoding="utf-8") as handle:
        json.dump(sorted(sys.modules), handle)
"""


@dataclass
class Ran:
    code: int
    stdout: str
    stderr: str
    modules: list[str]

    @property
    def heavy(self) -> list[str]:
        return [m for m in self.modules if any(m == h or m.startswith(h + ".") for h in HEAVY)]


def _run(entry: str, *args: str, env: dict[str, str], tmp_path: Path, stdout=None) -> Ran:
    """`gxschema ARGS` through `entry` (fast, full, no-libpq): output, code, modules."""
    modules_file = tmp_path / f"modules-{len(list(tmp_path.iterdir()))}.json"
    ran = subprocess.run(
        [sys.executable, "-c", _CHILD, str(modules_file), entry, *args],
        env=env,
        stdout=subprocess.PIPE if stdout is None else stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
        check=False,
    )
    modules = json.loads(modules_file.read_text(encoding="utf-8"))
    return Ran(ran.returncode, ran.stdout or "", ran.stderr, modules)


def _seeded(pg_server, database: str, *args: str) -> dict[str, str]:
    env = clean_env(**pg_server.env(database))
    first = gxschema("seed", *args, env=env)
    assert first.code == 0, first.output
    return env


def test_a_seed_that_changes_nothing_is_answered_without_the_command_line(
    pg_server, head_database: str, tmp_path: Path
) -> None:
    env = _seeded(pg_server, head_database, "--env", "devnet")
    for args in (
        ("seed", "--env", "devnet"),
        ("seed",),  # bare: the recorded devnet
        ("seed", "--json"),
        ("--json", "seed", "--env=devnet"),
        ("seed", "--only", "countries", "--only=demo"),  # a table narrower than its title
        ("seed", "--seeds-dir", str(ROOT / "seeds"), "--only", "system_config"),
    ):
        fast = _run("fast", *args, env=env, tmp_path=tmp_path)
        full = _run("full", *args, env=env, tmp_path=tmp_path)

        assert fast.heavy == [], f"{args}: the fast path imported {fast.heavy[:8]}"
        assert "typer" in full.modules  # the reference did run the command line
        assert (fast.code, fast.stdout, fast.stderr) == (full.code, full.stdout, full.stderr), args
        assert fast.code == 0
        assert "recorded as these files" in fast.stdout or '"rows_compared": false' in fast.stdout
    document = json.loads(_run("fast", "seed", "--json", env=env, tmp_path=tmp_path).stdout)
    assert document["rows_compared"] is False and document["changed"] is False
    assert [d["name"] for d in document["datasets"]] == [
        "countries",
        "system_config",
        "feature_flags",
        "demo",
    ]


def test_without_a_loadable_libpq_psycopg_asks_and_the_answer_is_the_same(
    pg_server, head_database: str, tmp_path: Path
) -> None:
    env = _seeded(pg_server, head_database, "--env", "testnet")
    for args in (("seed", "--env", "testnet"), ("seed", "--json")):
        fallback = _run("no-libpq", *args, env=env, tmp_path=tmp_path)
        full = _run("full", *args, env=env, tmp_path=tmp_path)

        assert "psycopg" in fallback.modules  # it asked through psycopg's binding ...
        assert "typer" not in fallback.modules  # ... and still answered before the command line
        assert (fallback.code, fallback.stdout, fallback.stderr) == (
            full.code,
            full.stdout,
            full.stderr,
        )
        assert fallback.code == 0 and "testnet" in fallback.stdout


def test_seeds_that_compare_write_or_refuse_run_the_full_command(
    pg_server, head_database: str, tmp_path: Path
) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    env = _seeded(pg_server, head_database, "--env", "devnet", "--seeds-dir", str(seeds))
    here = ("--seeds-dir", str(seeds))
    for flag in ("--compare-rows", "--dry-run", "--overwrite"):
        ran = _run("fast", "seed", *here, flag, env=env, tmp_path=tmp_path)
        assert "typer" in ran.modules, flag
        assert ran.code == 0 and "nothing to change" in ran.stdout, (flag, ran.stderr)
        assert "recorded as these files" not in ran.stdout  # every row was compared

    other = _run("fast", "seed", *here, "--env", "testnet", env=env, tmp_path=tmp_path)
    assert "typer" in other.modules
    assert other.code == 2 and "recorded as devnet, not testnet" in other.stderr, other.stderr

    with (seeds / "base" / "system_config.yaml").open("a", encoding="utf-8") as handle:
        handle.write("\n# a comment changes the file's checksum, not its rows\n")
    changed = _run("fast", "seed", *here, env=env, tmp_path=tmp_path)
    assert "typer" in changed.modules
    assert changed.code == 0 and "recorded as these files" not in changed.stdout, changed.stdout
    again = _run("fast", "seed", *here, env=env, tmp_path=tmp_path)  # the new file recorded
    assert again.heavy == [] and again.code == 0 and "recorded as these files" in again.stdout


def test_a_bare_seed_of_a_database_recorded_as_mainnet_is_refused_by_the_full_command(
    pg_server, head_database: str, tmp_path: Path
) -> None:
    env = _seeded(pg_server, head_database, "--env", "mainnet")
    bare = _run("fast", "seed", env=env, tmp_path=tmp_path)
    full = _run("full", "seed", env=env, tmp_path=tmp_path)

    assert "typer" in bare.modules
    assert (bare.code, bare.stdout, bare.stderr) == (full.code, full.stdout, full.stderr)
    assert bare.code == 2 and "seeded only when named" in bare.stderr
    named = _run("fast", "seed", "--env", "mainnet", env=env, tmp_path=tmp_path)
    assert named.heavy == [] and named.code == 0


def test_a_wrong_password_gets_the_full_commands_message_and_exit_code(
    pg_server, head_database: str, tmp_path: Path
) -> None:
    if not pg_server.password:
        pytest.skip("the test server trusts every connection: no password to get wrong")
    env = {**_seeded(pg_server, head_database, "--env", "devnet"), "PGPASSWORD": "not-it"}
    fast = _run("fast", "seed", env=env, tmp_path=tmp_path)
    full = _run("full", "seed", env=env, tmp_path=tmp_path)

    assert "typer" in fast.modules
    assert (fast.code, fast.stdout, fast.stderr) == (full.code, full.stdout, full.stderr)
    assert fast.code == 2 and "not-it" not in fast.stderr, fast.stderr


def test_output_rich_would_style_or_squeeze_is_left_to_the_full_command(
    pg_server, head_database: str, tmp_path: Path
) -> None:
    env = _seeded(pg_server, head_database, "--env", "devnet")
    for extra in ({"FORCE_COLOR": "1"}, {"COLUMNS": "30"}, {"_GXSCHEMA_COMPLETE": "complete_bash"}):
        fast = _run("fast", "seed", env={**env, **extra}, tmp_path=tmp_path)
        assert "typer" in fast.modules, extra
    import pty

    leader, follower = pty.openpty()
    try:  # a terminal: Rich colours the table there
        on_terminal = _run("fast", "seed", env=env, tmp_path=tmp_path, stdout=follower)
    finally:
        os.close(follower)
        os.close(leader)
    assert "typer" in on_terminal.modules and on_terminal.code == 0
    squeezed = _run("fast", "seed", env={**env, "COLUMNS": "30"}, tmp_path=tmp_path)
    full = _run("full", "seed", env={**env, "COLUMNS": "30"}, tmp_path=tmp_path)
    assert squeezed.stdout == full.stdout and "…" in squeezed.stdout


def test_a_closed_stdout_gets_the_full_commands_line_and_exit_1(
    pg_server, head_database: str, tmp_path: Path
) -> None:
    env = _seeded(pg_server, head_database, "--env", "devnet")
    for as_json in ((), ("--json",)):
        results = []
        for entry in ("fast", "full"):
            reader, writer = os.pipe()
            os.close(reader)  # nobody will read: the first write fails with EPIPE
            try:
                results.append(
                    _run(entry, "seed", *as_json, env=env, tmp_path=tmp_path, stdout=writer)
                )
            finally:
                os.close(writer)
        fast, full = results
        assert fast.heavy == []
        assert (fast.code, fast.stderr) == (full.code, full.stderr)
        assert fast.code == 1 and "broken pipe" in fast.stderr and "Traceback" not in fast.stderr


def test_an_unreachable_server_is_left_to_the_full_command(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # In this process, since the full command retries an unreachable server for 30 s:
    # the fast path tries once, prints nothing and hands over (`answer` returns None).
    from gxschema.noop_seed import answer

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.delenv("DATABASE_URL", raising=False)
    for name, value in (("PGHOST", "127.0.0.1"), ("PGPORT", str(port)), ("PGDATABASE", "gx")):
        monkeypatch.setenv(name, value)
    from gxschema import libpq_client
    from gxschema.libpq_env import target_from_environment

    target = target_from_environment()
    assert target is not None
    with pytest.raises(libpq_client.LibpqError, match=f"port {port} failed"):
        libpq_client.fetch(target.conninfo, target.parameters, "SELECT 1", [])
    assert answer(["seed", "--env", "devnet"]) is None
    assert capsys.readouterr() == ("", "")


def test_a_server_that_never_answers_is_given_up_on_in_two_seconds(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A host that accepts the connection and then says nothing (a hung proxy, a
    # firewall's tarpit): the shortcut's question waits libpq's least, 2 s, not the
    # 30 s the operator set for the real connection, then hands over to the full command.
    from gxschema.noop_seed import answer

    with silent_port() as port:
        monkeypatch.delenv("DATABASE_URL", raising=False)
        for name, value in silent_libpq_env(port).items():
            monkeypatch.setenv(name, value)
        started = time.monotonic()
        assert answer(["seed", "--env", "devnet"]) is None
        waited = time.monotonic() - started
    assert 1.5 <= waited < 8, waited
    assert capsys.readouterr() == ("", "")


def test_ctrl_c_while_the_question_waits_ends_with_130_and_no_traceback(tmp_path: Path) -> None:
    # Ctrl-C reaches the console script while libpq waits for a server that never
    # answers: the blocking connect returns within its 2 s, then the interrupt ends the
    # command as the full command line ends on Ctrl-C: exit 130, nothing printed.
    with silent_port() as port:
        env = clean_env(**silent_libpq_env(port, connect_timeout="10"))
        child = subprocess.Popen(
            [sys.executable, "-m", "gxschema", "seed", "--json", "--env", "devnet"],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # until the child has connected and waits
            time.sleep(0.05)
            if child.poll() is not None or _has_connected(child.pid, port):
                break
        started = time.monotonic()
        child.send_signal(signal.SIGINT)
        stdout, stderr = child.communicate(timeout=30)
        waited = time.monotonic() - started
    assert child.returncode == 130, (child.returncode, stdout, stderr)
    assert stdout == "" and "Traceback" not in stderr
    assert waited < 5, waited


def _has_connected(pid: int, port: int) -> bool:
    """Whether process `pid` holds a TCP connection to `port` on this host (Linux /proc)."""
    inodes = set()
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
        with open("/proc/net/tcp", encoding="ascii") as table:
            rows = table.read().splitlines()[1:]
    except OSError:
        return False
    wanted = f":{port:04X}"
    return any(row.split()[2].endswith(wanted) and row.split()[9] in inodes for row in rows)


@pytest.mark.parametrize(
    ("argv", "taken"),
    [
        (["seed"], (False, None, None, [])),
        (["--json", "seed", "--env", "testnet"], (True, "testnet", None, [])),
        (
            ["seed", "--only=a", "--only", "b", "--seeds-dir=x", "--json"],
            (True, None, "x", ["a", "b"]),
        ),
        (["seed", "--compare-rows"], None),
        (["seed", "--dry-run"], None),
        (["seed", "--overwrite"], None),
        (["seed", "--reassign-environment"], None),
        (["seed", "--debug"], None),
        (["seed", "--help"], None),
        (["--home", "x", "seed"], None),
        (["seed", "--env", "staging"], None),
        (["seed", "--env", "devnet", "--env", "testnet"], None),
        (["seed", "--env"], None),
        (["seed", "--only", "--json"], None),
        (["seed", "--", "x"], None),
        (["seed", "extra"], None),
        (["status"], None),
        (["--json"], None),
    ],
)
def test_the_command_lines_the_fast_path_takes(argv: list[str], taken: tuple | None) -> None:
    from gxschema.noop_seed import parse

    parsed = parse(argv)
    if taken is None:
        assert parsed is None
    else:
        assert parsed is not None
        assert (parsed.as_json, parsed.env, parsed.seeds_dir, parsed.only) == taken


@pytest.mark.parametrize("columns", ["200", "52", "49"])
@pytest.mark.parametrize("versions", [("2026.2", "2026.1"), ("1", "10.0.0-rc.1+build.7")])
def test_the_table_is_the_one_rich_draws(
    columns: str,
    versions: tuple[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from gxschema.cli.output import Output
    from gxschema.cli.seed_command import _print
    from gxschema.noop_seed import as_text
    from gxschema.seeding.unchanged import RecordedDataset, UnchangedSeed

    monkeypatch.setenv("COLUMNS", columns)
    unchanged = UnchangedSeed(
        "devnet",
        [
            RecordedDataset("countries", "seeds/base/countries.csv", versions[0], "ab" * 32, 250),
            RecordedDataset("demo", "seeds/devnet/demo.yaml", versions[1], "0f" * 32, 43),
        ],
    )
    ours = as_text(unchanged, os.environ)
    Output.use(Output())
    _print(unchanged.report(), env="devnet", dry_run=False, recording=None)
    rich = capsys.readouterr().out

    if ours is None:  # declined: only because Rich would squeeze the table
        assert "…" in rich
    else:
        assert ours == rich


def test_a_value_rich_would_read_as_markup_is_left_to_rich() -> None:
    from gxschema.noop_seed import as_text
    from gxschema.seeding.unchanged import RecordedDataset, UnchangedSeed

    for version in ("[bold]1", "1:smile:", "2026\t1", "2026.1é"):
        unchanged = UnchangedSeed("devnet", [RecordedDataset("demo", "s/d", version, "ab" * 32, 1)])
        assert as_text(unchanged, {"COLUMNS": "200"}) is None, version


def test_fakers_version_is_read_as_importlib_metadata_reads_it() -> None:
    from importlib import metadata

    from gxschema.seeding.fingerprint import _faker_version

    assert _faker_version() == metadata.version("faker")


_WHO = (
    "SELECT current_user, current_database(), current_setting('application_name'),"
    " current_setting('client_encoding')"
)


def test_libpq_over_ctypes_reaches_the_database_psycopg_reaches(
    pg_server, empty_database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the two ways `gxschema.libpq_env` names a database: PG* variables that libpq reads
    # itself, and a URL whose password a mounted file overrides
    import psycopg

    from gxschema import libpq_client
    from gxschema.libpq_env import target_from_environment

    assert libpq_client.load() is not None, "neither psycopg's libpq nor libpq.so.5 loaded"
    for name in ("DATABASE_URL", "PGPASSWORD_FILE", "GXSCHEMA_PASSWORD_FILE", "PGAPPNAME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in pg_server.env(empty_database).items():
        monkeypatch.setenv(name, value)
    secret = tmp_path / "password"
    secret.write_text(f"{pg_server.password or ''}\n", encoding="utf-8")
    url = (
        f"postgresql+psycopg://{pg_server.user}:wrong@{pg_server.host}:{pg_server.port}"
        f"/{empty_database}?application_name=fastpath"
    )
    for environ in (
        dict(os.environ),
        {"DATABASE_URL": url, "PGPASSWORD_FILE": str(secret)},
    ):
        target = target_from_environment(environ)
        assert target is not None
        ours = libpq_client.fetch(target.conninfo, target.parameters, _WHO, [])
        with psycopg.connect(target.conninfo, **target.parameters) as connection:
            row = connection.execute(_WHO).fetchone()
        assert row is not None
        assert ours[0][:3] == tuple(row)[:3] and ours[0][1] == empty_database
        assert ours[0][3] == "UTF8"  # asked for: the text is decoded as UTF-8
        if "DATABASE_URL" in environ:
            assert ours[0][2] == "fastpath"
        for name in ("PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE"):
            monkeypatch.delenv(name, raising=False)  # the URL alone, for the second


def test_a_password_of_any_characters_and_arguments_are_sent_as_they_are(
    pg_server, empty_database: str
) -> None:
    import uuid

    from psycopg import sql

    from gxschema import libpq_client

    role = f"gx_fastpath_{uuid.uuid4().hex[:10]}"
    password = "a p'a\\ss=w\"o rd;"
    if not pg_server.password:
        pytest.skip("the test server trusts every connection: no password to check")
    with pg_server.admin() as admin:
        admin.execute(
            sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
                sql.Identifier(role), sql.Literal(password)
            )
        )
    try:
        parameters = {
            "host": pg_server.host,
            "port": str(pg_server.port),
            "user": role,
            "password": password,
            "dbname": empty_database,
        }
        rows = libpq_client.fetch(
            "", parameters, "SELECT current_user, $1::text, $2::text IS NULL", ["'; x", ""]
        )
        assert rows == [(role, "'; x", "f")]
        wrong = {**parameters, "password": password + "!"}
        with pytest.raises(libpq_client.LibpqError, match="password authentication failed"):
            libpq_client.fetch("", wrong, "SELECT 1", [])
    finally:
        with pg_server.admin() as admin:
            admin.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))
