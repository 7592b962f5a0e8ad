"""Running the real `gxschema` command, as a user would, in a child process.

The child is forked from a warm process that has the third-party libraries imported
(`tests/support/zygote.py`), or is a fresh interpreter when that could make a difference,
when the caller asks for one (``fresh=True``), or for the whole run with
``GXSCHEMA_TEST_FRESH_PROCESSES=1``.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .zygote import ZYGOTE

_CONNECTION_VARIABLES = (
    "DATABASE_URL",
    "PGHOST",
    "PGPORT",
    "PGUSER",
    "PGPASSWORD",
    "PGDATABASE",
    "PGPASSWORD_FILE",
    "GXSCHEMA_PASSWORD_FILE",
    "GXSCHEMA_HOME",
)


@dataclass
class Ran:
    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _CONNECTION_VARIABLES}
    env.update(extra)
    return env


def gxschema(
    *args: str,
    env: dict[str, str],
    cwd: Path | None = None,
    timeout: float = 300,
    fresh: bool = False,
) -> Ran:
    """`python -m gxschema ARGS`: exit code and output, decoded as `subprocess` text mode does."""
    warm = None if fresh else ZYGOTE.run(list(args), env, cwd, timeout)
    if warm is not None:
        code, stdout, stderr = warm
        return Ran(code, _as_text(stdout), _as_text(stderr))
    result = subprocess.run(
        [sys.executable, "-m", "gxschema", *args],
        env=env,
        cwd=cwd,
        stdin=subprocess.DEVNULL,  # as the warm child: never pytest's own (a terminal)
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return Ran(result.returncode, result.stdout, result.stderr)


def _as_text(data: bytes) -> str:
    """As ``subprocess.run(text=True)``: the locale's encoding, universal newlines."""
    return io.TextIOWrapper(io.BytesIO(data)).read()
