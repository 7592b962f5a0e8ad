"""Running a `bench/` script against the test server, as its smoke tests do."""

from __future__ import annotations

import subprocess
import sys

from .cli import clean_env
from .paths import ROOT


def scratch_databases(pg_server) -> set[str]:
    """The benchmarks' scratch databases (`gxbench_*`) on the server now."""
    with pg_server.admin() as connection:
        rows = connection.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE 'gxbench%'"
        ).fetchall()
    return {row[0] for row in rows}


def run_bench(pg_server, *args: str, timeout: float = 600) -> str:
    """Run `python bench/ARGS` against the test server; it must succeed; its stdout."""
    ran = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=clean_env(**pg_server.env("postgres")),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr[-3000:]
    return ran.stdout
