"""Which PostgreSQL the tests run on, chosen once per process, in this order.

1. ``docker``: a Docker engine answers, so testcontainers starts the
   ``postgres:15`` image (``GXSCHEMA_TEST_NO_DOCKER=1`` turns this off);
2. ``server``: ``GXSCHEMA_TEST_PG=host:port`` names a running server (with
   ``GXSCHEMA_TEST_PG_USER``, ``GXSCHEMA_TEST_PG_PASSWORD``), used through
   pytest-postgresql's noproc fixture;
3. ``local``: not root, so pytest-postgresql starts the local PostgreSQL binaries itself;
4. ``root``: root, so a throwaway server runs as the ``postgres`` user, as ``.ci/run``
   does, since PostgreSQL refuses to run as root (`throwaway_server`);
5. ``none``: no server can be had; BACKEND_DESCRIPTION says why and what to do.

The binaries of 3 and 4 are those in ``GXSCHEMA_TEST_PG_BIN`` when it is set, else
``pg_config --bindir``'s, else the newest ``/usr/lib/postgresql/*/bin``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from . import throwaway_server


def _docker_answers() -> bool:
    if os.environ.get("GXSCHEMA_TEST_NO_DOCKER"):
        return False
    try:
        import docker  # type: ignore[import-untyped]

        docker.from_env(timeout=3).ping()
        return True
    except Exception:
        return False


def _pg_bindir() -> str | None:
    override = os.environ.get("GXSCHEMA_TEST_PG_BIN")
    if override:
        return override if (Path(override) / "pg_ctl").exists() else None
    pg_config = shutil.which("pg_config")
    candidates = []
    if pg_config:
        bindir = subprocess.run(
            [pg_config, "--bindir"], capture_output=True, text=True, check=False
        ).stdout.strip()
        candidates.append(bindir)
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    for candidate in candidates:
        if (Path(candidate) / "pg_ctl").exists():
            return str(candidate)
    return None


_NO_SERVER_HELP = (
    "run `bash .ci/run` (installs and starts PostgreSQL 15), set GXSCHEMA_TEST_PG=host:port,"
    ' or leave out the tests that need one: -m "not db" (or GXSCHEMA_TEST_SKIP_DB=1)'
)


def _choose_backend(bindir: str | None) -> tuple[str, str]:
    if _docker_answers():
        return "docker", "testcontainers, image postgres:15"
    if os.environ.get("GXSCHEMA_TEST_PG"):
        return "server", f"pytest-postgresql noproc, server at {os.environ['GXSCHEMA_TEST_PG']}"
    if bindir is None:
        where = (
            f"GXSCHEMA_TEST_PG_BIN={os.environ['GXSCHEMA_TEST_PG_BIN']} holds no pg_ctl"
            if os.environ.get("GXSCHEMA_TEST_PG_BIN")
            else "no PostgreSQL binaries found (pg_config, /usr/lib/postgresql/*/bin)"
        )
        return "none", f"no Docker, no GXSCHEMA_TEST_PG, {where}: {_NO_SERVER_HELP}"
    if os.geteuid() != 0:
        return "local", f"pytest-postgresql, local binaries in {bindir}"
    why_not = throwaway_server.cannot_run_as()
    if why_not:
        return "none", f"running as root and {why_not}: {_NO_SERVER_HELP}"
    return "root", f"a throwaway server run as `{throwaway_server.RUN_AS}`, binaries in {bindir}"


PG_BINDIR = _pg_bindir()
BACKEND, BACKEND_DESCRIPTION = _choose_backend(PG_BINDIR)
DOCKER_AVAILABLE = BACKEND == "docker"
