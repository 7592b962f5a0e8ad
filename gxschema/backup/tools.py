"""Finding pg_dump and pg_restore, and running them without leaking the password.

A tool must be at least the server's major version (pg_dump refuses a newer server;
pg_restore's SQL must suit the server it restores into), so the candidates are the
one on PATH, then each ``/usr/lib/postgresql/<major>/bin``, newest first, and last
the client tools that come with the embedded PostgreSQL (the `pgserver` wheel of
``gxschema up``): the embedded server is PostgreSQL 16, often newer than the tools
the system has, and its own pg_dump and pg_restore are then the ones that fit it. The
password reaches a tool only through ``PGPASSWORD`` in its environment, never on its
command line (which every user of the host can read in ``ps``), and its messages
pass through `redact`.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from gxschema import children
from gxschema.errors import ConfigError, OperationError
from gxschema.settings import DatabaseSettings, redact

# Where Debian and Ubuntu install each major version of the client tools.
PG_LIB_DIRS = (Path("/usr/lib/postgresql"),)

_VERSION = re.compile(r"\(PostgreSQL\)\s+(\d+)")
# libpq connection parameters a URL may carry in its query, and their variables.
_QUERY_TO_ENV = {
    "host": "PGHOST",
    "hostaddr": "PGHOSTADDR",
    "port": "PGPORT",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslcrl": "PGSSLCRL",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "application_name": "PGAPPNAME",
    "options": "PGOPTIONS",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
    "passfile": "PGPASSFILE",
}
# Variables that would point the tools elsewhere than the settings do.
_CONNECTION_VARIABLES = (
    "PGHOST",
    "PGHOSTADDR",
    "PGPORT",
    "PGUSER",
    "PGPASSWORD",
    "PGDATABASE",
    "PGSERVICE",
    "DATABASE_URL",
)


@dataclass(frozen=True)
class PgTool:
    name: str
    path: str
    major: int

    def describe(self) -> str:
        return f"{self.name} {self.major} ({self.path})"


def embedded_bindir() -> Path | None:
    """The bin folder of the embedded PostgreSQL (pgserver), if that is installed.

    Found from the package's location without importing it: importing pgserver sets
    up its server machinery, which a backup of another server does not need.
    """
    try:
        spec = importlib.util.find_spec("pgserver")
    except (ImportError, ValueError):
        return None
    if spec is None or spec.origin is None:
        return None
    bindir = Path(spec.origin).parent / "pginstall" / "bin"
    return bindir if bindir.is_dir() else None


def _tool_candidates(name: str) -> list[str]:
    """`name` on PATH, in each /usr/lib/postgresql/<major>/bin (newest first), in pgserver's."""
    found: list[str] = []
    on_path = shutil.which(name)
    if on_path:
        found.append(on_path)
    versioned: list[tuple[int, str]] = []
    for lib in PG_LIB_DIRS:
        for bindir in lib.glob("*/bin"):
            tool = bindir / name
            if bindir.parent.name.isdigit() and tool.is_file() and os.access(tool, os.X_OK):
                versioned.append((int(bindir.parent.name), str(tool)))
    found += [path for _major, path in sorted(versioned, reverse=True)]
    # Last: the system's own tools come first whenever they fit the server.
    embedded = embedded_bindir()
    if embedded is not None and os.access(embedded / name, os.X_OK):
        found.append(str(embedded / name))
    unique: list[str] = []
    seen: set[str] = set()
    for path in found:
        real = os.path.realpath(path)
        if real not in seen:
            seen.add(real)
            unique.append(path)
    return unique


def _tool_major(path: str, env: dict[str, str]) -> int | None:
    try:
        completed = subprocess.run(
            [path, "--version"],
            env=env,
            capture_output=True,
            text=True,
            errors="replace",  # see run_tool
            check=False,
            timeout=30,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    match = _VERSION.search(completed.stdout)
    return int(match.group(1)) if match and completed.returncode == 0 else None


def find_tool(name: str, server_major: int | None, env: dict[str, str] | None = None) -> PgTool:
    """The first `name` (PATH, /usr/lib/postgresql newest first, pgserver) that fits the server.

    pg_dump refuses a server newer than itself, so it must be at least the server's
    major version; so must pg_restore, whose SQL has to suit the server it restores into.
    """
    candidates = _tool_candidates(name)
    seen: list[PgTool] = []
    for path in candidates:
        major = _tool_major(path, env if env is not None else dict(os.environ))
        if major is None:
            continue
        tool = PgTool(name, path, major)
        if server_major is None or major >= server_major:
            return tool
        seen.append(tool)
    wanted = f"PostgreSQL {server_major} or newer" if server_major else "PostgreSQL"
    if not seen:
        raise ConfigError(
            f"{name} was not found on PATH, in /usr/lib/postgresql/*/bin nor in the embedded "
            f"PostgreSQL: install the client tools of {wanted} (e.g. the postgresql-client "
            "package)"
        )
    found = ", ".join(tool.describe() for tool in seen)
    raise ConfigError(
        f"no {name} can work with this server: it runs PostgreSQL {server_major} and {name} "
        f"must be that version or newer, but only {found} is installed; install the "
        f"PostgreSQL {server_major} client tools"
    )


def find_pg_restore(settings: DatabaseSettings, server_major: int) -> PgTool:
    """pg_restore of the server's version or newer, else the newest one installed."""
    env = libpq_environment(settings)
    try:
        return find_tool("pg_restore", server_major, env)
    except ConfigError:
        # An older pg_restore can still restore into a newer server; it says
        # clearly itself when a dump's format is too new for it.
        candidates = [
            PgTool("pg_restore", path, major)
            for path in _tool_candidates("pg_restore")
            if (major := _tool_major(path, env)) is not None
        ]
        if not candidates:
            raise
        return max(candidates, key=lambda tool: tool.major)


def libpq_environment(settings: DatabaseSettings, database: str | None = None) -> dict[str, str]:
    """The environment for pg_dump/pg_restore: this process's, pointed where `settings` say.

    The password goes into ``PGPASSWORD`` of the child only, never onto its command line.
    """
    url = settings.url()
    env = {key: value for key, value in os.environ.items() if key not in _CONNECTION_VARIABLES}
    for key, value in url.query.items():
        variable = _QUERY_TO_ENV.get(key)
        if variable is not None:
            env[variable] = value if isinstance(value, str) else value[-1]
    if url.host:
        env["PGHOST"] = url.host
    if url.port:
        env["PGPORT"] = str(url.port)
    if url.username:
        env["PGUSER"] = url.username
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    name = database or url.database
    if name:
        env["PGDATABASE"] = name
    return env


def dead_client_check(env: dict[str, str], server_major: int) -> dict[str, str]:
    """`env` with the server told to end the tool's session soon after the tool dies.

    PostgreSQL notices a vanished client only when it next reads from or writes to
    it, so a killed pg_dump waiting for a table lock would keep its place in that
    lock's queue (blocking whoever queues behind it) until the lock is granted.
    ``client_connection_check_interval`` (PostgreSQL 14+) has it check while waiting.
    """
    if server_major < 14:
        return env
    options = env.get("PGOPTIONS", "")
    check = "-c client_connection_check_interval=2000"
    return {**env, "PGOPTIONS": f"{options} {check}".strip()}


def run_tool(tool: PgTool, arguments: list[str], env: dict[str, str], secrets: list[str]) -> None:
    completed = subprocess.run(
        [tool.path, *arguments],
        env=env,
        capture_output=True,
        text=True,
        # The tools print names and server messages as bytes in whatever encoding the
        # database or locale uses (a SQL_ASCII database, LATIN1 messages): a byte that
        # is not UTF-8 must not turn the tool's own error into a UnicodeDecodeError.
        errors="replace",
        check=False,
        stdin=subprocess.DEVNULL,
        preexec_fn=children.die_with_parent_hook(),  # no pg_dump finishing for nobody
    )
    if completed.returncode != 0:
        hint = ""
        if "row-level security" in (completed.stderr or ""):
            # pg_dump reads with row_security off: a role that neither owns SystemConfig
            # nor has BYPASSRLS is refused rather than given a dump without the secret rows.
            hint = (
                "; the backup role must own the tables or have BYPASSRLS "
                "(ALTER ROLE <backup role> BYPASSRLS) to dump SystemConfig, whose secret rows "
                "row-level security hides"
            )
        raise OperationError(
            redact(
                f"{tool.name} failed (exit {completed.returncode}): "
                f"{_stderr_summary(completed)}{hint}",
                secrets,
            )
        )


def _stderr_summary(completed: subprocess.CompletedProcess[str]) -> str:
    lines = [line.strip() for line in (completed.stderr or "").splitlines() if line.strip()]
    lines = [re.sub(r"^(pg_dump|pg_restore): ", "", line) for line in lines]
    summary = " / ".join(lines[:4]) or "no message"
    return summary if len(summary) <= 600 else summary[:597] + "..."
