"""Prisma's own parser and schema engine, run from a pinned Node project.

gxschema does not reimplement Prisma's schema language: to read a `schema.prisma` it
asks Prisma. The Node project (package.json + package-lock.json pinning `prisma`,
`@prisma/schema-engine-wasm`, ...) ships in the checkout as `tests/prisma/`; its
scripts are `dmmf.js` (Prisma's parsed data model, the DMMF, as JSON) and
`schema-engine.mjs` (the SQL `migrate diff` would run, computed offline).

The project is looked up in `GXSCHEMA_PRISMA_NODE_DIR`, then beside the package in a
checkout. Outside a checkout, copy `tests/prisma/` anywhere, run `npm ci
--ignore-scripts` in it and point `GXSCHEMA_PRISMA_NODE_DIR` at it. Only `gxschema
prisma check` needs it; the package itself never needs Node.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from gxschema.errors import ConfigError

NODE_DIR_VARIABLE = "GXSCHEMA_PRISMA_NODE_DIR"
CHECKOUT_NODE_DIR = Path(__file__).resolve().parents[2] / "tests" / "prisma"
"""Where the Node project is in a checkout of gxschema."""

TIMEOUT_SECONDS = 180

_HOW_TO_INSTALL = (
    "install Node 20+ and run `npm ci --ignore-scripts` in tests/prisma of a gxschema "
    f"checkout (or in a copy of that folder, named by {NODE_DIR_VARIABLE})"
)


class PrismaUnavailableError(ConfigError):
    """Node or the pinned Prisma packages are not installed."""


class PrismaSchemaError(ConfigError):
    """Prisma refused a schema file; the message is Prisma's own."""


def node_dir() -> Path:
    """The folder of the Node project whose `node_modules` holds the pinned Prisma."""
    configured = os.environ.get(NODE_DIR_VARIABLE)
    folder = Path(configured) if configured else CHECKOUT_NODE_DIR
    if not (folder / "node_modules" / "prisma").is_dir():
        where = f"{NODE_DIR_VARIABLE}={configured}" if configured else str(folder)
        raise PrismaUnavailableError(
            f"the Prisma packages are not installed ({where} has no node_modules/prisma): "
            + _HOW_TO_INSTALL
        )
    return folder


def node_executable() -> str:
    """The `node` on PATH; Prisma's tools are Node programs."""
    found = shutil.which("node")
    if found is None:
        raise PrismaUnavailableError("Node.js is not on PATH: " + _HOW_TO_INSTALL)
    return found


def available() -> str | None:
    """None when Prisma can run here, else the reason it cannot (for skips and messages)."""
    try:
        node_executable()
        node_dir()
    except PrismaUnavailableError as error:
        return str(error)
    return None


def _start(script: str, *arguments: str) -> subprocess.Popen[str]:
    folder = node_dir()
    return subprocess.Popen(
        [node_executable(), str(folder / script), *arguments],
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish(process: subprocess.Popen[str], script: str, what: str) -> str:
    """The stdout of a script; exit 2 means Prisma refused a schema (its own message)."""
    try:
        stdout, stderr = process.communicate(timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise PrismaUnavailableError(f"{script} did not finish in {TIMEOUT_SECONDS} s") from None
    if process.returncode == 2:
        raise PrismaSchemaError(f"Prisma cannot read {what}:\n{stderr.strip()}")
    if process.returncode != 0:
        raise PrismaUnavailableError(
            f"{script} failed (exit {process.returncode}): {stderr.strip()[-2000:]}"
        )
    return stdout


def run_script(script: str, *arguments: str, what: str) -> str:
    """Run one of the project's scripts and return its stdout.

    Exit 2 of a script means Prisma refused a schema: its message (stderr) is raised
    as `PrismaSchemaError`; anything else failing is an unexpected error of the tools.
    """
    return _finish(_start(script, *arguments), script, what)


def dmmf(*schema_files: Path) -> list[dict[str, Any]]:
    """Prisma's data model (DMMF `datamodel`) of each schema file, in order.

    The files are read at the same time (each is a `prisma generate`, a few seconds
    of mostly waiting); the first one Prisma refuses raises `PrismaSchemaError`.
    """
    for schema_file in schema_files:
        if not schema_file.is_file():
            raise ConfigError(f"{schema_file}: no such file")
    processes = [_start("dmmf.js", str(path.resolve())) for path in schema_files]
    try:
        outputs = [
            _finish(process, "dmmf.js", str(path))
            for process, path in zip(processes, schema_files, strict=True)
        ]
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.communicate()
    return [json.loads(output)["datamodel"] for output in outputs]


def migrate_diff(from_schema: Path | None, to_schema: Path, *, what: str) -> str:
    """The SQL Prisma's schema engine would run to go from one schema to another.

    ``from_schema=None`` starts from an empty database. No database is contacted.
    """
    start = ["--from-empty"] if from_schema is None else ["--from-schema", str(from_schema)]
    return run_script(
        "schema-engine.mjs", "diff", *start, "--to-schema", str(to_schema.resolve()), what=what
    )
