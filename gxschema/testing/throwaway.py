"""A throwaway PostgreSQL server for a test session run as root (the ``root`` backend).

PostgreSQL refuses to run as root, and pytest-postgresql starts it as the calling user, so
as root the server runs as the ``postgres`` user that Debian's package creates (as the
project's ``.ci/run`` does): initdb into a temporary directory owned by it, a free port on
127.0.0.1, a random superuser password checked over TCP (scram, so tests can show that a
wrong one is refused), fsync off, and the whole directory removed when the session ends.

Each pytest process (each xdist worker) starts its own server rather than sharing one: a
server starts in about a second, nothing has to count which worker is the last one out (a
worker that crashes cannot strand the others or leave a shared server running), and
cluster-wide objects such as roles never collide between workers. It is also what
the non-root ``local`` backend (pytest-postgresql) does.

A session killed with SIGKILL cannot stop its server; the next session run as root stops
and removes every such server whose owning process is gone (see `remove_orphans`).
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

RUN_AS = "postgres"
DIRECTORY_PREFIX = "gxschema-test-pg-"
OWNER_FILE = "owner.pid"


def cannot_run_as(user: str = RUN_AS) -> str | None:
    """Why a server cannot be started as `user` from root, or None when it can."""
    try:
        pwd.getpwnam(user)
    except KeyError:
        return f"there is no `{user}` user to run PostgreSQL as (it refuses to run as root)"
    if not (shutil.which("runuser") or shutil.which("su")):
        return f"neither runuser nor su is installed to run PostgreSQL as `{user}`"
    return None


def _as_user(user: str, argv: list[str]) -> list[str]:
    runuser = shutil.which("runuser")
    if runuser:
        return [runuser, "-u", user, "--", *argv]
    import shlex

    return ["su", user, "-s", "/bin/sh", "-c", shlex.join(argv)]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class ThrowawayServer:
    """A running server: connect to `host`:`port` as `user` with `password`."""

    directory: Path
    bindir: Path
    port: int
    password: str
    run_as: str = RUN_AS
    host: str = "127.0.0.1"
    user: str = "postgres"

    def _pg_ctl(self, *args: str) -> subprocess.CompletedProcess[str]:
        argv = [str(self.bindir / "pg_ctl"), "-D", str(self.directory / "data"), *args]
        return subprocess.run(
            _as_user(self.run_as, argv), capture_output=True, text=True, check=False
        )

    def stop(self) -> None:
        """Stop the server at once (its data is thrown away) and remove its directory."""
        self._pg_ctl("-m", "immediate", "stop")
        shutil.rmtree(self.directory, ignore_errors=True)


def start(bindir: Path, run_as: str = RUN_AS) -> ThrowawayServer:
    """initdb and start a server as `run_as`; raises RuntimeError with PostgreSQL's words."""
    remove_orphans(bindir, run_as)
    account = pwd.getpwnam(run_as)
    directory = Path(tempfile.mkdtemp(prefix=DIRECTORY_PREFIX))
    (directory / OWNER_FILE).write_text(f"{os.getpid()}\n")
    directory.chmod(0o755)
    os.chown(directory, account.pw_uid, account.pw_gid)
    password = secrets.token_hex(16)
    pwfile = directory / "pwfile"
    pwfile.write_text(password + "\n")
    pwfile.chmod(0o600)
    os.chown(pwfile, account.pw_uid, account.pw_gid)

    # The locale is fixed rather than taken from the caller's environment, so every
    # machine gets the databases the project's servers have (UTF8, C.UTF-8).
    initdb = [
        str(bindir / "initdb"),
        *("-D", str(directory / "data"), "-U", "postgres"),
        *("--auth-local=trust", "--auth-host=scram-sha-256", f"--pwfile={pwfile}"),
        *("--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"),
    ]
    ran = subprocess.run(_as_user(run_as, initdb), capture_output=True, text=True, check=False)
    pwfile.unlink()
    if ran.returncode != 0:
        shutil.rmtree(directory, ignore_errors=True)
        raise RuntimeError(f"initdb failed: {(ran.stderr or ran.stdout).strip()}")

    # Another process may take the free port between the probe and the server's bind:
    # a few attempts on fresh ports make that race harmless.
    for _attempt in range(3):
        server = ThrowawayServer(directory, bindir, free_port(), password, run_as)
        options = (
            f"-p {server.port} -k '{directory}' -c listen_addresses=127.0.0.1"
            " -c fsync=off -c max_connections=200"
        )
        ran = server._pg_ctl("-l", str(directory / "log"), "-w", "-o", options, "start")
        if ran.returncode == 0:
            return server
    log = (directory / "log").read_text(errors="replace") if (directory / "log").exists() else ""
    server.stop()
    raise RuntimeError(f"pg_ctl start failed: {(ran.stderr or ran.stdout).strip()}\n{log}")


def remove_orphans(bindir: Path, run_as: str = RUN_AS) -> None:
    """Stop and remove the servers of earlier sessions whose process no longer exists."""
    for directory in Path(tempfile.gettempdir()).glob(f"{DIRECTORY_PREFIX}*"):
        try:
            owner = int((directory / OWNER_FILE).read_text())
        except (OSError, ValueError):
            continue
        if _alive(owner):
            continue
        ThrowawayServer(directory, bindir, 0, "", run_as).stop()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
