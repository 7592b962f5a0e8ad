"""How far a running pg_dump or pg_restore has got, in bytes, about once a second.

Neither tool reports its progress in a form worth parsing (pg_restore's
``--verbose`` names items, not how much of the archive is left), so the command
watches the file instead: for pg_dump, the size of the dump being written; for
pg_restore, how far into the archive it has read, which Linux shows as the position
of its file descriptor (``/proc/<pid>/fdinfo``). Where that cannot be read (another
system, another user's process) the restore simply reports nothing until it ends.
pg_restore reads the whole archive before it builds the indexes and validates the
keys, so the last part of a restore goes on with all of the bytes read.

The watcher is a daemon thread that only reads and calls back, so a slow or failing
callback never holds up the tool, and it is stopped before the tool's result is used.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

ByteProgress = Callable[[int], None]
"""Told the bytes done so far (written by pg_dump, read by pg_restore)."""

INTERVAL_SECONDS = 1.0


@contextlib.contextmanager
def watching(
    measure: Callable[[], int | None],
    report: ByteProgress | None,
    *,
    interval: float = INTERVAL_SECONDS,
) -> Iterator[None]:
    """Call `report` with `measure()` every `interval` seconds while the block runs.

    A measure of None (nothing to see yet) is not reported; an error in either is
    swallowed, since progress must never be why a backup fails.
    """
    if report is None:
        yield
        return
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(interval):
            with contextlib.suppress(Exception):
                value = measure()
                if value is not None:
                    report(value)

    thread = threading.Thread(target=loop, name="gxschema-progress", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=interval + 1)


def size_of(path: Path) -> Callable[[], int | None]:
    """The size of `path` as it is written (None until it exists)."""

    def measure() -> int | None:
        try:
            return path.stat().st_size
        except OSError:
            return None

    return measure


def read_position_of(path: Path) -> Callable[[], int | None]:
    """How far a child of this process has read into `path` (None when unknown).

    The child is found once, by its open descriptor on `path`, among this process's
    children in /proc; after that only its ``fdinfo`` is read each time.
    """
    target = os.path.realpath(path)
    found: list[str] = []  # the fdinfo file of the child's descriptor, once found

    def measure() -> int | None:
        if not found:
            descriptor = _descriptor_on(target)
            if descriptor is None:
                return None
            found.append(descriptor)
        try:
            with open(found[0]) as info:
                for line in info:
                    if line.startswith("pos:"):
                        return int(line.split()[1])
        except (OSError, ValueError):
            return None
        return None

    return measure


def _descriptor_on(target: str) -> str | None:
    """``/proc/<pid>/fdinfo/<fd>`` of a child process that has `target` open."""
    for pid in _children():
        folder = f"/proc/{pid}/fd"
        with contextlib.suppress(OSError):
            for fd in os.listdir(folder):
                with contextlib.suppress(OSError):
                    if os.readlink(f"{folder}/{fd}") == target:
                        return f"/proc/{pid}/fdinfo/{fd}"
    return None


def _children() -> list[str]:
    """The ids of this process's child processes (none where /proc is not Linux's)."""
    me = str(os.getpid())
    children = []
    with contextlib.suppress(OSError):
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            with contextlib.suppress(OSError, IndexError):
                with open(f"/proc/{entry}/stat") as stat:
                    # "pid (command) state ppid ...": the command may hold spaces
                    fields = stat.read().rsplit(")", 1)[1].split()
                if fields[1] == me:
                    children.append(entry)
    return children
