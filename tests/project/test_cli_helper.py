"""`tests/support/cli.gxschema` forks commands from a warm process: they behave as fresh ones.

Each case runs the same command both ways, forked from the warm process
(`tests/support/zygote.py`, called directly so that a silent fallback cannot pass for
it) and in a new interpreter (``fresh=True``), and compares exit code, stdout and stderr.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time

import psutil
import pytest

from ..support.cli import Ran, _as_text, clean_env, gxschema
from ..support.paths import ROOT
from ..support.zygote import OFF_VARIABLE, ZYGOTE


def _warm(*args: str, env: dict[str, str], timeout: float = 120) -> Ran:
    ran = ZYGOTE.run(list(args), env, None, timeout)
    assert ran is not None, "the warm process declined a command it should run"
    code, stdout, stderr = ran
    return Ran(code, _as_text(stdout), _as_text(stderr))


def _both(*args: str, env: dict[str, str]) -> tuple[Ran, Ran]:
    return _warm(*args, env=env), gxschema(*args, env=env, fresh=True)


@pytest.fixture(autouse=True)
def _warm_processes_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(OFF_VARIABLE, raising=False)


@pytest.mark.parametrize(
    ("args", "code"),
    [(("--version",), 0), (("--no-such-option",), 2), (("migrate", "--help"), 0)],
)
def test_a_command_without_a_database_prints_the_same(args: tuple[str, ...], code: int) -> None:
    warm, fresh = _both(*args, env=clean_env())

    assert (warm.code, warm.stdout, warm.stderr) == (fresh.code, fresh.stdout, fresh.stderr)
    assert warm.code == code and warm.output


def test_a_command_against_a_database_prints_the_same(pg_server, head_database: str) -> None:
    warm, fresh = _both("status", "--json", env=clean_env(**pg_server.env(head_database)))

    assert (warm.code, warm.stdout, warm.stderr) == (fresh.code, fresh.stdout, fresh.stderr)
    assert warm.code == 0 and json.loads(warm.stdout)["pending_revisions"] == []


def test_a_check_that_finds_a_problem_exits_1_the_same(pg_server, empty_database: str) -> None:
    warm, fresh = _both("verify", env=clean_env(**pg_server.env(empty_database)))

    assert (warm.code, warm.stdout, warm.stderr) == (fresh.code, fresh.stdout, fresh.stderr)
    assert warm.code == 1 and "difference(s) from the models" in warm.stderr


@pytest.mark.parametrize("colour", [{}, {"NO_COLOR": "1"}, {"FORCE_COLOR": "1"}])
def test_colour_is_decided_from_the_commands_own_environment(colour: dict[str, str]) -> None:
    # no terminal either way: plain unless FORCE_COLOR, and NO_COLOR is honoured
    warm, fresh = _both("migrate", "--no-such-option", env=clean_env(COLUMNS="100", **colour))

    assert (warm.code, warm.stdout, warm.stderr) == (fresh.code, fresh.stdout, fresh.stderr)
    assert ("\x1b[" in warm.output) == (colour == {"FORCE_COLOR": "1"}), warm.output


def test_each_command_gets_its_own_environment(
    pg_server, head_database: str, empty_database: str
) -> None:
    at_head = _warm("status", "--json", env=clean_env(**pg_server.env(head_database)))
    empty = _warm("status", "--json", env=clean_env(**pg_server.env(empty_database)))

    assert at_head.code == empty.code == 0, at_head.output + empty.output
    assert json.loads(at_head.stdout)["current_revision"] is not None
    assert json.loads(empty.stdout)["current_revision"] is None


def test_a_relative_path_is_read_from_the_commands_cwd(tmp_path) -> None:
    warm_dir, fresh_dir = tmp_path / "warm", tmp_path / "fresh"
    warm_dir.mkdir()
    fresh_dir.mkdir()
    warm = ZYGOTE.run(["prisma", "export", "-o", "schema.prisma"], clean_env(), warm_dir, 120)
    fresh = gxschema("prisma", "export", "-o", "schema.prisma", env=clean_env(), cwd=fresh_dir)

    assert warm is not None and warm[0] == fresh.code == 0, fresh.output
    written = (warm_dir / "schema.prisma").read_text(encoding="utf-8")
    assert "model Country" in written
    assert written == (fresh_dir / "schema.prisma").read_text(encoding="utf-8")


def test_a_command_that_outlives_its_timeout_is_killed(tmp_path) -> None:
    # a server that accepts and never answers: the connection waits for the timeout
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        env = clean_env(PGHOST="127.0.0.1", PGPORT=str(silent.getsockname()[1]))
        env.update(PGUSER="nobody", PGDATABASE="nothing", PGCONNECT_TIMEOUT="120")
        started = time.monotonic()
        with pytest.raises(subprocess.TimeoutExpired):
            ZYGOTE.run(["status"], env, None, 2)

    assert time.monotonic() - started < 30
    assert ZYGOTE._process is not None
    assert psutil.Process(ZYGOTE._process.pid).children() == []
    assert _warm("--version", env=clean_env()).code == 0  # and the warm process goes on


_PARENT = """
import sys
sys.path.insert(0, sys.argv[1])
from tests.support.cli import clean_env
from tests.support.zygote import ZYGOTE
assert ZYGOTE.run(["--version"], clean_env(), None, 60) is not None
print(ZYGOTE._process.pid, flush=True)
sys.stdin.read()
"""


def test_the_warm_process_dies_with_its_parent() -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", _PARENT, str(ROOT)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={k: v for k, v in os.environ.items() if k != OFF_VARIABLE},
    )
    try:
        zygote = psutil.Process(int(parent.stdout.readline()))
        assert zygote.ppid() == parent.pid
        parent.send_signal(signal.SIGKILL)
        parent.wait(10)
        zygote.wait(10)  # psutil.TimeoutExpired if it outlived its parent
    finally:
        parent.kill()
        parent.wait()


def test_what_could_change_the_interpreter_goes_to_a_fresh_one() -> None:
    env = clean_env()
    assert ZYGOTE.run(["--version"], env, None, 60) is not None  # started

    assert not ZYGOTE.differs_for({**env, "PGDATABASE": "other", "NO_COLOR": "1"})
    for name, value in [
        ("PYTHONWARNINGS", "error"),
        ("LC_ALL", "C"),
        ("LANG", "de_DE.UTF-8"),
        ("PSYCOPG_IMPL", "python"),
        ("LD_PRELOAD", "x.so"),
        ("PATH", "/nowhere"),
        ("TYPER_USE_RICH", "0"),  # read by Typer while it imports
    ]:
        assert ZYGOTE.differs_for({**env, name: value}), name
        assert ZYGOTE.run(["--version"], {**env, name: value}, None, 60) is None, name


def test_the_switch_turns_the_warm_process_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(OFF_VARIABLE, "1")

    assert ZYGOTE.run(["--version"], clean_env(), None, 60) is None
    assert gxschema("--version", env=clean_env()).stdout.startswith("gxschema ")


_STAND_IN = """
import atexit, json, os, sys
atexit.register(lambda: print("atexit ran"))
streams = {
    name: [stream.encoding, stream.errors, stream.line_buffering, stream.write_through]
    for name, stream in (("in", sys.stdin), ("out", sys.stdout), ("err", sys.stderr))
}
print(json.dumps({
    "argv": sys.argv[1:], "argv0": os.path.basename(sys.argv[0]), "path0": sys.path[0],
    "cwd": os.getcwd(), "stdin": sys.stdin.read(), "streams": streams, "name": __name__,
    "pgdatabase": os.environ.get("PGDATABASE"),
}))
sys.stdout.write("unflushed, no newline")
ending = sys.argv[1]
if ending == "text":
    sys.exit("a message instead of a code")
if ending == "none":
    sys.exit(None)
if ending == "code":
    sys.exit(300)
if ending == "raise":
    raise ValueError("boom")
"""


@pytest.mark.parametrize(("ending", "code"), [("text", 1), ("none", 0), ("code", 44), ("raise", 1)])
def test_the_child_starts_and_ends_as_python_m_does(tmp_path, ending: str, code: int) -> None:
    # A `gxschema` package in the cwd comes first on sys.path, as with `python -m`: that it
    # runs at all shows the warm process holds no gxschema module of its own.
    (tmp_path / "gxschema").mkdir()
    (tmp_path / "gxschema" / "__init__.py").write_text("")
    (tmp_path / "gxschema" / "__main__.py").write_text(_STAND_IN)
    env = clean_env(PGDATABASE="stand_in")
    warm = ZYGOTE.run([ending, "x"], env, tmp_path, 60)
    fresh = gxschema(ending, "x", env=env, cwd=tmp_path, fresh=True)

    assert warm is not None
    warm_code, warm_out, warm_err = warm[0], _as_text(warm[1]), _as_text(warm[2])
    assert (warm_code, warm_out) == (fresh.code, fresh.stdout) and warm_code == code
    assert json.loads(warm_out.splitlines()[0])["path0"] == str(tmp_path)
    assert warm_out.endswith("unflushed, no newlineatexit ran\n")
    if ending == "raise":  # the frames above the module differ: runpy's entry points
        assert warm_err.startswith("Traceback (most recent call last):\n")
        assert warm_err.splitlines()[-1] == fresh.stderr.splitlines()[-1] == "ValueError: boom"
    else:
        assert warm_err == fresh.stderr
