"""Running a `bench/` script against the test server, as its smoke tests do.

Each run gets a prefix of its own for its scratch databases (``GXBENCH_PREFIX``, see
`bench/_common.py`), and what it left is looked for under that prefix only: the
server is shared (two xdist workers, two suites), and another run's ``gxbench_*``
databases come and go while this one runs, so a before/after of all of them would
fail on theirs.
"""

from __future__ import annotations

import re
import subprocess
import sys
import uuid
from dataclasses import dataclass

from .cli import clean_env
from .paths import ROOT

_CREATED = re.compile(r"created scratch database (\S+)$", re.MULTILINE)


@dataclass(frozen=True)
class BenchRun:
    """What one run of a bench script printed, made and left."""

    stdout: str
    prefix: str
    created: tuple[str, ...]
    """The scratch databases it said it created (its stderr), in order."""
    left: frozenset[str]
    """Databases with its prefix on the server after it ended: none, if it cleaned up."""


def databases_named(pg_server, prefix: str) -> frozenset[str]:
    """The server's databases whose names start with `prefix` (taken literally)."""
    with pg_server.admin() as connection:
        rows = connection.execute(
            "SELECT datname FROM pg_database WHERE starts_with(datname, %s)", (prefix,)
        ).fetchall()
    return frozenset(row[0] for row in rows)


def fresh_prefix() -> str:
    """A scratch-database prefix no other run uses."""
    return f"gxbench_t{uuid.uuid4().hex[:8]}_"


def start_bench(
    pg_server, *args: str, prefix: str, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """Run `python bench/ARGS` against the test server with `GXBENCH_PREFIX=prefix`."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=clean_env(**pg_server.env("postgres"), GXBENCH_PREFIX=prefix),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def run_bench(pg_server, *args: str, timeout: float = 600) -> BenchRun:
    """Run `python bench/ARGS` against the test server under a fresh prefix; it must succeed."""
    prefix = fresh_prefix()
    ran = start_bench(pg_server, *args, prefix=prefix, timeout=timeout)
    assert ran.returncode == 0, ran.stderr[-3000:]
    created = tuple(_CREATED.findall(ran.stderr))
    strays = [name for name in created if not name.startswith(prefix)]
    assert not strays, f"scratch databases without the run's prefix {prefix}: {strays}"
    return BenchRun(ran.stdout, prefix, created, databases_named(pg_server, prefix))


def assert_cleaned_up(ran: BenchRun) -> None:
    """The run made scratch databases, all under its own prefix, and dropped every one."""
    assert ran.created, "it said it created no scratch database"
    assert ran.left == frozenset(), f"left behind: {sorted(ran.left)}"
