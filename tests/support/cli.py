"""Running the real `gxschema` command, as a user would, in a child process."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

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


def gxschema(*args: str, env: dict[str, str], cwd: Path | None = None, timeout: float = 300) -> Ran:
    result = subprocess.run(
        [sys.executable, "-m", "gxschema", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return Ran(result.returncode, result.stdout, result.stderr)
