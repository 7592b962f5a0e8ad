"""Run `python -m gxschema` forked from a warm process instead of a new interpreter.

A new interpreter spends a second of CPU importing SQLAlchemy, psycopg, pydantic,
Alembic, Typer and Rich before the command does anything; over the suite's thousands of
commands that is most of its time. `tests/support/zygote_server.py` imports them once per
pytest process and forks a child per command, which then behaves as `python -m gxschema`
would: its own session, the cwd and environment it was given, stdin from /dev/null,
standard streams set up as a fresh interpreter sets them, exit codes as Python gives them.
No `gxschema` module is preloaded, so the package's own import-time work runs every time.

A fresh interpreter is used instead (`Zygote.run` returns None) whenever the warm one
could behave differently: the environment differs from the one the warm process started
with in a variable that shapes the interpreter or its libraries at start-up (PYTHON*,
LC_*/LANG, LD_*, PATH, PSYCOPG_IMPL, or anything the preloaded libraries were seen to
read while importing), the caller is not the main thread, the process was forked from
the one that started the warm process, or the warm process cannot be started.
``GXSCHEMA_TEST_FRESH_PROCESSES=1`` turns it off for a whole run. Tests that check which
modules a command imports start their own interpreters and are not affected.

The warm process is started on first use, one per pytest process (so one per xdist
worker), and stopped at exit; it also dies with its pytest process (PR_SET_PDEATHSIG and
the closed socket), and each command dies with it in turn.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from gxschema.children import die_with_parent_hook

OFF_VARIABLE = "GXSCHEMA_TEST_FRESH_PROCESSES"
"""Set to 1: every command gets a fresh interpreter, as before the warm process existed."""

_SERVER = Path(__file__).with_name("zygote_server.py")
_START_TIMEOUT_S = 60.0
_MAX_PACKET = 1 << 20
_INTERPRETER_PREFIXES = ("PYTHON", "LC_", "LD_", "OPENSSL", "SSL_")
_INTERPRETER_VARIABLES = frozenset({"LANG", "LANGUAGE", "PATH", "PSYCOPG_IMPL", "TMPDIR"})


class ZygoteError(RuntimeError):
    """The warm process stopped answering in the middle of a command."""


def _reaches_startup(name: str) -> bool:
    return name.startswith(_INTERPRETER_PREFIXES) or name in _INTERPRETER_VARIABLES


class Zygote:
    """The client side: one warm process, started lazily, owned by the process that made it."""

    def __init__(self) -> None:
        self._owner = os.getpid()
        self._process: subprocess.Popen[bytes] | None = None
        self._channel: socket.socket | None = None
        self._env: dict[str, str] = {}
        self._read_at_import: frozenset[str] = frozenset()
        self._iterated_at_import = False
        self._broken = False

    def differs_for(self, env: dict[str, str]) -> bool:
        """Would a fresh interpreter with `env` start differently from the warm one?"""
        changed = {k for k in env.keys() | self._env.keys() if env.get(k) != self._env.get(k)}
        if changed and self._iterated_at_import:
            return True
        return any(_reaches_startup(k) or k in self._read_at_import for k in changed)

    def run(
        self, argv: list[str], env: dict[str, str], cwd: Path | None, timeout: float
    ) -> tuple[int, bytes, bytes] | None:
        """Exit code, stdout, stderr of `python -m gxschema ARGV`, or None: run it fresh."""
        if os.environ.get(OFF_VARIABLE) == "1" or os.getpid() != self._owner:
            return None
        if threading.current_thread() is not threading.main_thread():
            return None  # one command at a time over the socket; and PDEATHSIG follows threads
        if not self._started() or self.differs_for(env):
            return None
        assert self._channel is not None
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            request = {"argv": argv, "env": env, "cwd": str(cwd or os.getcwd())}
            try:
                socket.send_fds(
                    self._channel, [json.dumps(request).encode()], [out.fileno(), err.fileno()]
                )
                pid = self._receive(_START_TIMEOUT_S)["pid"]
            except (OSError, KeyError, ZygoteError):
                self._give_up()
                return None  # nothing ran: the fresh interpreter runs it instead
            try:
                status = self._receive(timeout)["status"]
            except TimeoutError:
                _kill_group(pid)
                status = self._receive(_START_TIMEOUT_S)["status"]
                raise subprocess.TimeoutExpired(
                    [sys.executable, "-m", "gxschema", *argv], timeout, _read(out), _read(err)
                ) from None
            return os.waitstatus_to_exitcode(status), _read(out), _read(err)

    def _receive(self, timeout: float) -> dict:
        assert self._channel is not None
        self._channel.settimeout(timeout)
        try:
            data = self._channel.recv(_MAX_PACKET)
        except TimeoutError:
            raise
        except OSError as error:
            self._give_up()
            raise ZygoteError(f"the warm process stopped answering: {error}") from error
        if not data:
            self._give_up()
            raise ZygoteError("the warm process ended")
        return json.loads(data)

    def _started(self) -> bool:
        if self._channel is not None:
            return True
        if self._broken:
            return False
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            self._process = subprocess.Popen(
                [sys.executable, str(_SERVER), str(os.getpid()), str(theirs.fileno())],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                pass_fds=(theirs.fileno(),),
                preexec_fn=die_with_parent_hook(),
                env=dict(os.environ),
            )
        except OSError:
            self._broken = True
            return False
        finally:
            theirs.close()
        self._channel = ours
        self._env = dict(os.environ)
        atexit.register(self.stop)
        try:
            ready = self._receive(_START_TIMEOUT_S)
        except (TimeoutError, ZygoteError):
            self._give_up()
            return False
        if not ready.get("ready"):
            self._give_up()
            return False
        self._read_at_import = frozenset(ready["read"])
        self._iterated_at_import = bool(ready["iterated"])
        return True

    def _give_up(self) -> None:
        """Stop the warm process and use fresh interpreters from now on."""
        self._broken = True
        self.stop()

    def stop(self) -> None:
        if self._channel is not None:
            self._channel.close()
            self._channel = None
        if self._process is not None:
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None


def _kill_group(pid: int) -> None:
    for kill in (os.killpg, os.kill):
        with contextlib.suppress(ProcessLookupError):
            kill(pid, signal.SIGKILL)


def _read(file) -> bytes:
    file.seek(0)
    return file.read()


ZYGOTE = Zygote()
"""This process's warm process (each xdist worker has its own)."""
