"""Child processes that never outlive gxschema, and a SIGTERM that unwinds like Ctrl-C.

A killed ``gxschema`` must not leave pg_dump finishing a file nobody will rename,
pg_restore filling a scratch database nobody will drop, or fake's workers making
rows nobody will send. Two mechanisms, for two ways of dying:

- **SIGKILL** (the OOM killer, ``kubectl delete --grace-period=0``, a pod past its
  deadline) runs no code in the dying process, so the children must be told by
  the kernel: `die_with_parent` asks Linux (``prctl(PR_SET_PDEATHSIG)``) to send
  them SIGKILL when their parent exits. It runs in the child: as ``preexec_fn`` of
  a subprocess (`die_with_parent_hook`), or first thing in a multiprocessing
  worker. The signal follows the *thread* that started the child, so children are
  started from the main thread here. Elsewhere than Linux it does nothing.
- **SIGTERM** (what Kubernetes and systemd send first) kills Python without running
  ``finally`` blocks or ``with`` exits. Inside `stop_on_sigterm` it raises
  `Terminated` instead, so the code unwinds as after Ctrl-C: ``subprocess.run``
  kills its child, temporary files are removed, records are marked failed, and
  the process exits with 143 (128 + SIGTERM).

What a killed run leaves in the database or on disk (a ``running`` record, a
scratch database, a ``.partial`` file) is cleaned by the next run: see
`gxschema.backup`.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


class Terminated(SystemExit):
    """SIGTERM arrived: unwind, clean up, exit 143 (a `SystemExit`, so no traceback)."""

    def __init__(self) -> None:
        super().__init__(128 + signal.SIGTERM)

    def __str__(self) -> str:
        return "stopped by SIGTERM"


def die_with_parent(parent: int | None = None, sig: int = signal.SIGKILL) -> None:
    """In a child: have the kernel send `sig` to this process when its parent exits.

    `parent` is the parent's pid as the parent saw it before starting the child:
    if the parent is already gone (it died between starting the child and this
    call), the child ends itself at once rather than run as an orphan.
    """
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, sig, 0, 0, 0)
    if parent is not None and os.getppid() != parent:
        os.kill(os.getpid(), sig)


def die_with_parent_hook() -> Callable[[], None]:
    """A ``preexec_fn`` for `subprocess` that makes the child die with this process."""
    return functools.partial(die_with_parent, os.getpid())


def _raise_terminated(_signum: int, _frame: FrameType | None) -> None:
    sys.stderr.write("gxschema: stopped by SIGTERM: ending child processes, cleaning up\n")
    raise Terminated()


@contextmanager
def stop_on_sigterm() -> Iterator[None]:
    """While inside, SIGTERM raises `Terminated` (in the main thread) instead of killing.

    Outside the main thread (where Python cannot set handlers) it changes nothing.
    The previous handler is put back on the way out.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def unwinds_on_sigterm(function: Callable[P, R]) -> Callable[P, R]:
    """Decorate: the whole call runs inside `stop_on_sigterm`."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with stop_on_sigterm():
            return function(*args, **kwargs)

    return wrapper
