"""The warm parent of the test suite's `gxschema` commands (run as a script, never imported).

Every `python -m gxschema` the suite starts spends a second importing SQLAlchemy,
psycopg, pydantic, Alembic, Typer and Rich before it does anything. This process imports
them once and then forks one child per command (`tests/support/zygote.py` is the client
and says when a fresh interpreter is used instead). It imports no `gxschema` module, so
the package's own import-time code and its lazy imports run afresh in every command.

It speaks over the SOCK_SEQPACKET socket whose fd is its second argument, one JSON
message per packet. It first sends ``{"ready", "read", "iterated"}``: which environment
variables the preloaded libraries read while importing (or whether they scanned them
all), so that the client can tell when a command's environment would have given them
another value. Then, per request ``{"argv", "env", "cwd"}`` carrying the command's
stdout and stderr descriptors, it answers ``{"pid"}`` once the child is forked and
``{"status"}`` (the wait status) once it has ended.
It ends when the socket closes; the client starts it with PR_SET_PDEATHSIG as well,
so it also dies with the pytest process that started it.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import importlib
import io
import json
import os
import runpy
import signal
import socket
import sys
import time
import traceback

PRELOAD = (
    "sqlalchemy",
    "sqlalchemy.orm",
    "psycopg",
    "pydantic",
    "pydantic_settings",
    "alembic.command",
    "typer",
    "rich.console",
)
"""Third-party modules every command needs; never `gxschema`, whose lazy imports are under test."""

_PR_SET_PDEATHSIG = 1
_MAX_PACKET = 1 << 20


class _RecordingEnviron(os._Environ):  # type: ignore[name-defined]
    """`os.environ` while the libraries import: which variables did they look at?"""

    read: set[str] = set()
    iterated = False

    def __getitem__(self, key):  # get() and `in` come through here too
        _RecordingEnviron.read.add(key)
        return super().__getitem__(key)

    def __iter__(self):  # copies, items(), any scan: every variable counts as read
        _RecordingEnviron.iterated = True
        return super().__iter__()


def _preload() -> dict:
    environ_class = os.environ.__class__
    os.environ.__class__ = _RecordingEnviron
    try:
        for name in PRELOAD:
            importlib.import_module(name)
    finally:
        os.environ.__class__ = environ_class
    return {
        "ready": True,
        "read": sorted(_RecordingEnviron.read),
        "iterated": _RecordingEnviron.iterated,
    }


def _die_with(parent: int) -> None:
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)


def _stream_settings(stream: io.TextIOWrapper) -> dict:
    """How this interpreter set up a standard stream: a fresh one would do the same."""
    return {
        "encoding": stream.encoding,
        "errors": stream.errors,
        "line_buffering": stream.line_buffering,
        "write_through": stream.write_through,
        "raw": isinstance(stream.buffer, io.RawIOBase),
    }


_STDIO = {
    "stdin": (0, "r", _stream_settings(sys.stdin)),
    "stdout": (1, "w", _stream_settings(sys.stdout)),
    "stderr": (2, "w", _stream_settings(sys.stderr)),
}


def _fresh_stdio() -> None:
    """New `sys.std*` on fds 0-2, made as the interpreter makes them at start-up."""
    for name, (fd, mode, settings) in _STDIO.items():
        buffering = 0 if settings["raw"] else -1
        buffer = open(fd, mode + "b", buffering=buffering, closefd=False)  # noqa: SIM115
        raw = buffer if settings["raw"] else buffer.raw
        raw.name = f"<{name}>"
        text = io.TextIOWrapper(
            buffer,
            encoding=settings["encoding"],
            errors=settings["errors"],
            line_buffering=settings["line_buffering"],
            write_through=settings["write_through"],
        )
        text.mode = mode
        setattr(sys, name, text)
        setattr(sys, f"__{name}__", text)


def _exit_code(exit: SystemExit) -> int:
    """What the interpreter exits with for an uncaught SystemExit."""
    code = exit.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    with contextlib.suppress(Exception):
        sys.stderr.write(f"{code}\n")
    return 1


def _finish(code: int, interrupted: bool = False) -> None:
    """Interpreter shutdown, in its order: threads, atexit, flush; then leave.

    An uncaught KeyboardInterrupt ends the process by SIGINT, as Python does, so that
    whoever waits for it sees the signal rather than an exit code.
    """
    import atexit
    import threading

    with contextlib.suppress(BaseException):
        threading._shutdown()  # type: ignore[attr-defined]
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            code = 120  # as Python does when it cannot flush stdout at exit
    if interrupted:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)
    os._exit(code)


def _command(zygote: int, channel: int, request: dict, out_fd: int, err_fd: int) -> None:
    """In the forked child: become `python -m gxschema ARGS` and never return."""
    try:
        os.setsid()  # own process group: the client's timeout kills it all
        _die_with(zygote)
        null = os.open(os.devnull, os.O_RDONLY)
        for source, target in ((null, 0), (out_fd, 1), (err_fd, 2)):
            os.dup2(source, target)
        for fd in {null, out_fd, err_fd, channel} - {0, 1, 2}:
            os.close(fd)
        if request["cwd"] is not None:
            os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])  # putenv too: libpq reads PG* itself
        time.tzset()
        sys.path[0] = os.getcwd()  # what `-m` puts first
        sys.argv = ["-m", *request["argv"]]  # runpy puts __main__.py's path first
        sys.orig_argv = [sys.executable, "-m", "gxschema", *request["argv"]]
        _fresh_stdio()
    except BaseException:
        os._exit(125)
    try:
        runpy.run_module("gxschema", run_name="__main__", alter_sys=True)
        code = 0
    except SystemExit as exit:
        code = _exit_code(exit)
    except BaseException as error:
        sys.excepthook(type(error), error, error.__traceback__)
        _finish(1, interrupted=isinstance(error, KeyboardInterrupt))
    _finish(code)


def _send(channel: socket.socket, message: dict) -> None:
    channel.send(json.dumps(message).encode())


def main() -> None:
    parent = int(sys.argv[1])
    _die_with(parent)
    channel = socket.socket(fileno=int(sys.argv[2]))
    try:
        _send(channel, _preload())
    except BaseException:
        _send(channel, {"ready": False, "error": traceback.format_exc()})
        return
    while True:
        data, fds, _flags, _address = socket.recv_fds(channel, _MAX_PACKET, 2)
        if not data:
            return  # the client closed the socket: the pytest process is done
        request = json.loads(data)
        out_fd, err_fd = fds
        pid = os.fork()
        if pid == 0:
            _command(os.getppid(), channel.fileno(), request, out_fd, err_fd)
        os.close(out_fd)
        os.close(err_fd)
        _send(channel, {"pid": pid})
        _pid, status = os.waitpid(pid, 0)
        _send(channel, {"status": status})


if __name__ == "__main__":
    main()
