"""An embedded PostgreSQL for development: `gxschema up` with nothing configured.

It uses the `pgserver` wheel (PostgreSQL 16 binaries inside a Python package), keeps
its data in a folder of the project (``.gxschema/`` by default, git-ignored, found
from any folder below it, see `home`), and listens on a Unix socket only. The server
keeps running after the command exits, so later commands (``gxschema status``, the
services) reach it; `gxschema down` stops it.
"""

from __future__ import annotations

import json
import os
import subprocess
import warnings
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from gxschema.errors import ConfigError, OperationError

DEFAULT_HOME = Path(".gxschema")
STATE_FILE = "server.json"

NOTHING_CONFIGURED = (
    "no database is configured: set DATABASE_URL, or PGHOST/PGPORT/PGUSER/PGDATABASE "
    "(with PGPASSWORD or PGPASSWORD_FILE), or run `gxschema up` for an embedded one"
)
"""What `gxschema` and ``alembic`` say when there is neither a setting nor a running server."""


def home(path: str | os.PathLike[str] | None = None) -> Path:
    """The folder of the embedded database.

    `path` (``--home``) or ``$GXSCHEMA_HOME`` when given, taken as they are: a named
    folder is never searched for. Else the nearest ``.gxschema/`` in the working folder
    or one above it (`find_upward`), so that every command run from anywhere inside a
    project reaches the database `gxschema up` made at its top, as git finds ``.git/``;
    `up` itself uses that one too rather than starting a second server in a subfolder.
    Else ``.gxschema/`` in the working folder, where a first `up` makes it.
    """
    chosen = path or os.environ.get("GXSCHEMA_HOME")
    if chosen:
        return Path(chosen).resolve()
    here = Path.cwd()
    return find_upward(here) or here / DEFAULT_HOME


def find_upward(start: Path) -> Path | None:
    """The nearest ``.gxschema/`` folder in `start` or above it, up to the root; else None.

    Only a folder counts (a file of that name is not ours). The walk stops at the
    filesystem root: a project's database lives at or above the folder a command runs in.
    """
    for folder in (start, *start.parents):
        candidate = folder / DEFAULT_HOME
        if candidate.is_dir():
            return candidate
    return None


@dataclass(frozen=True)
class EmbeddedServer:
    data_dir: Path
    url: str

    def as_dict(self) -> dict[str, str]:
        return {"data_dir": str(self.data_dir), "url": self.url}


def _pgserver() -> ModuleType:
    # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); pgserver copes.
    warnings.filterwarnings("ignore", module="platformdirs")
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    try:
        import pgserver
    except ImportError:
        raise ConfigError(
            "no database is configured and the embedded PostgreSQL is not installed: "
            "pip install 'gxschema[embedded]', or set DATABASE_URL (or PGHOST/PGDATABASE)"
        ) from None
    return pgserver


def start(folder: Path) -> EmbeddedServer:
    """Start (or reuse) the embedded server whose data lives in `folder`/pgdata."""
    pgserver = _pgserver()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ".gitignore").write_text("*\n")
    data_dir = folder / "pgdata"
    try:
        server = pgserver.get_server(data_dir, cleanup_mode=None)
        url = str(server.get_uri("postgres"))
    except Exception as error:  # pgserver raises bare subprocess/OS errors
        log = data_dir / "log"
        tail = log.read_text(errors="replace").strip().splitlines()[-3:] if log.exists() else []
        raise OperationError(
            f"the embedded PostgreSQL in {data_dir} did not start ({type(error).__name__}: "
            f"{error}){' - ' + ' / '.join(tail) if tail else ''}"
        ) from None
    state = EmbeddedServer(data_dir=data_dir, url=url)
    (folder / STATE_FILE).write_text(json.dumps(state.as_dict(), indent=2) + "\n")
    return state


def running(folder: Path) -> EmbeddedServer | None:
    """The embedded server of `folder` if it is running now, else None."""
    state_file = folder / STATE_FILE
    data_dir = folder / "pgdata"
    pid_file = data_dir / "postmaster.pid"
    if not state_file.exists() or not pid_file.exists():
        return None
    try:
        pid = int(pid_file.read_text().splitlines()[0])
        os.kill(pid, 0)
    except (ValueError, IndexError, ProcessLookupError, PermissionError, OSError):
        return None
    state = json.loads(state_file.read_text())
    return EmbeddedServer(data_dir=Path(state["data_dir"]), url=str(state["url"]))


def stop(folder: Path) -> bool:
    """Stop the embedded server of `folder`; False when it was not running."""
    if running(folder) is None:
        return False
    _pgserver()
    from pgserver import _commands

    pg_ctl = getattr(_commands, "pg_ctl")  # noqa: B009  (made at import time by pgserver)

    user = "pgserver" if os.geteuid() == 0 else None
    if user is not None:
        # As root, pgserver runs PostgreSQL as its own user, which must be able to reach
        # the data folder; something (a tmp cleaner, pytest) may have tightened a parent.
        from pgserver.utils import ensure_prefix_permissions

        ensure_prefix_permissions(folder / "pgdata")
    try:
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=folder / "pgdata", user=user)
    except subprocess.CalledProcessError as error:
        detail = (error.stderr or error.stdout or b"").decode(errors="replace").strip()
        raise OperationError(
            f"could not stop the embedded PostgreSQL in {folder / 'pgdata'}: {detail or error}"
        ) from None
    return True
