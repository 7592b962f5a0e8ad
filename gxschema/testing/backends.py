"""Which PostgreSQL server the tests run on, chosen once per run, and starting it.

In this order, the first that applies:

1. ``url``: a server the user names (``--gxschema-url`` or ``GXSCHEMA_TEST_DATABASE_URL``,
   a ``postgresql://`` URL of a superuser, or of a role that may create databases); the
   tests make their own databases there and drop them after;
2. ``docker``: a Docker engine answers and testcontainers is installed, so the
   ``postgres:15`` image runs for the session (``GXSCHEMA_TEST_NO_DOCKER=1`` turns this off);
3. ``local``: PostgreSQL's binaries are installed, so pytest-postgresql's executor starts a
   server from them in a temporary folder;
4. ``root``: the same binaries, but the tests run as root, which PostgreSQL refuses: a
   throwaway server runs as the ``postgres`` user instead (`throwaway`);
5. ``embedded``: the embedded PostgreSQL of ``gxschema up`` (the ``pgserver`` wheel,
   ``gxschema[embedded]``), in a temporary folder (``GXSCHEMA_TEST_NO_EMBEDDED=1`` turns
   this off);
6. ``none``: nothing could be had; the description says what was tried and what to do.

The binaries of 3 and 4 are those in ``GXSCHEMA_TEST_PG_BIN`` when it is set, else
``pg_config --bindir``'s, else the newest ``/usr/lib/postgresql/*/bin``.

Choosing only looks (an environment variable, a Docker ping, a file on disk) and starts
nothing: `started` starts the chosen server, when a test first needs it. Each pytest
process (each xdist worker) starts its own server, as `throwaway` explains; with ``url``
they share the named one.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from gxschema.testing import throwaway
from gxschema.testing.server import Server

URL_VARIABLE = "GXSCHEMA_TEST_DATABASE_URL"
IMAGE = "postgres:15"
"""The image of the ``docker`` backend: the major version the platform runs."""

NO_SERVER_HELP = (
    "name a server with --gxschema-url or GXSCHEMA_TEST_DATABASE_URL, start Docker,"
    " install PostgreSQL, or pip install 'gxschema[embedded]'"
)


class BackendError(RuntimeError):
    """The chosen server could not be had; the message says why in one line."""


@dataclass(frozen=True)
class Backend:
    """The server the run will use: `name` (see the module), and why it was chosen."""

    name: str
    description: str
    url: str | None = None
    bindir: str | None = None
    passed_over: tuple[str, ...] = field(default=())
    """Why each backend before it did not apply, one phrase each."""

    @property
    def available(self) -> bool:
        return self.name != "none"


def redacted(url: str) -> str:
    """`url` with its password, if any, replaced by ``***`` (for headers and messages)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rpartition("@")
    user = netloc[0].partition(":")[0]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc[2]}"))


def choose(url: str | None = None, url_source: str = "--gxschema-url") -> Backend:
    """The backend of this run (see the module); `url_source` names where `url` came from."""
    if url:
        return Backend("url", f"the server at {redacted(url)}, named by {url_source}", url=url)
    passed_over = [f"no --gxschema-url or {URL_VARIABLE}"]
    docker_unused = _why_not_docker()
    if docker_unused is None:
        return _chosen("docker", f"testcontainers, image {IMAGE}", passed_over)
    passed_over.append(docker_unused)
    bindir = pg_bindir()
    local_unused = _why_not_local(bindir)
    if local_unused is None and bindir is not None:
        if os.geteuid() != 0:
            return _chosen(
                "local", f"pytest-postgresql, local binaries in {bindir}", passed_over, bindir
            )
        return _chosen(
            "root",
            f"a throwaway server run as `{throwaway.RUN_AS}`, binaries in {bindir}",
            [*passed_over, "running as root"],
            bindir,
        )
    passed_over.append(local_unused or "no PostgreSQL binaries")
    embedded_unused = _why_not_embedded()
    if embedded_unused is None:
        return _chosen("embedded", "the embedded PostgreSQL (pgserver)", passed_over)
    passed_over.append(embedded_unused)
    return Backend(
        "none",
        f"no PostgreSQL server for the tests: {', '.join(passed_over)}; {NO_SERVER_HELP}",
        passed_over=tuple(passed_over),
    )


def _chosen(name: str, what: str, passed_over: list[str], bindir: str | None = None) -> Backend:
    return Backend(
        name, f"{what}: {', '.join(passed_over)}", bindir=bindir, passed_over=tuple(passed_over)
    )


def _installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def _why_not_docker() -> str | None:
    if os.environ.get("GXSCHEMA_TEST_NO_DOCKER"):
        return "Docker turned off (GXSCHEMA_TEST_NO_DOCKER)"
    if not (_installed("testcontainers") and _installed("docker")):
        return "testcontainers not installed"
    try:
        import docker  # type: ignore[import-untyped,unused-ignore]

        docker.from_env(timeout=3).ping()
    except Exception:  # the docker client raises many kinds; any means "no engine here"
        return "no Docker engine answers"
    return None


def pg_bindir() -> str | None:
    """The folder of the local PostgreSQL binaries (see the module), or None."""
    override = os.environ.get("GXSCHEMA_TEST_PG_BIN")
    if override:
        return override if (Path(override) / "pg_ctl").exists() else None
    candidates: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        ran = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
        candidates.append(Path(ran.stdout.strip()))
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    for candidate in candidates:
        if (candidate / "pg_ctl").exists():
            return str(candidate)
    return None


def _why_not_local(bindir: str | None) -> str | None:
    if bindir is None:
        override = os.environ.get("GXSCHEMA_TEST_PG_BIN")
        if override:
            return f"GXSCHEMA_TEST_PG_BIN={override} holds no pg_ctl"
        return "no PostgreSQL binaries found (pg_config, /usr/lib/postgresql/*/bin)"
    if os.geteuid() == 0:
        cannot = throwaway.cannot_run_as()
        return f"running as root and {cannot}" if cannot else None
    if not _installed("pytest_postgresql"):
        return "pytest-postgresql not installed"
    return None


def _why_not_embedded() -> str | None:
    if os.environ.get("GXSCHEMA_TEST_NO_EMBEDDED"):
        return "the embedded PostgreSQL turned off (GXSCHEMA_TEST_NO_EMBEDDED)"
    if not _installed("pgserver"):
        return "the embedded PostgreSQL not installed"
    return None


@contextmanager
def started(backend: Backend) -> Iterator[Server]:
    """Start `backend`'s server (or reach the named one) and stop it after; BackendError."""
    if not backend.available:
        raise BackendError(backend.description)
    if backend.name == "url":
        yield _reached_by_url(backend.url or "")
    elif backend.name == "docker":
        with _container() as server:
            yield server
    elif backend.name == "local":
        with _local(Path(backend.bindir or "")) as server:
            yield server
    elif backend.name == "root":
        with _throwaway(Path(backend.bindir or "")) as server:
            yield server
    elif backend.name == "embedded":
        with _embedded() as server:
            yield server
    else:
        raise BackendError(f"unknown test database backend {backend.name!r}")


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _reached_by_url(url: str) -> Server:
    try:
        return Server.from_url(url)
    except Exception as error:  # a bad URL (ArgumentError) or an unreachable server
        raise BackendError(
            f"cannot use the server at {redacted(url)}: {_first_line(error)}"
        ) from None


@contextmanager
def _container() -> Iterator[Server]:
    from testcontainers.postgres import PostgresContainer

    with PostgresContainer(IMAGE, driver=None) as container:
        yield Server.reached(
            container.get_container_host_ip(),
            int(container.get_exposed_port(5432)),
            container.username,
            container.password,
        )


@contextmanager
def _local(bindir: Path) -> Iterator[Server]:
    from pytest_postgresql.executors import PostgreSQLExecutor

    directory = Path(tempfile.mkdtemp(prefix=throwaway.DIRECTORY_PREFIX))
    port = throwaway.free_port()
    executor = PostgreSQLExecutor(
        executable=str(bindir / "pg_ctl"),
        host="127.0.0.1",
        port=port,
        datadir=str(directory / "data"),
        unixsocketdir=str(directory),
        logfile=str(directory / "log"),
        startparams="-w",
        dbname="postgres",
        postgres_options="-c max_connections=200",
    )
    try:
        executor.start()
    except Exception as error:
        shutil.rmtree(directory, ignore_errors=True)
        raise BackendError(f"the local PostgreSQL did not start: {_first_line(error)}") from None
    try:
        yield Server.reached("127.0.0.1", port, "postgres", None)
    finally:
        executor.stop()
        shutil.rmtree(directory, ignore_errors=True)


@contextmanager
def _throwaway(bindir: Path) -> Iterator[Server]:
    try:
        running = throwaway.start(bindir)
    except RuntimeError as error:
        raise BackendError(f"the throwaway PostgreSQL did not start: {error}") from None
    try:
        yield Server.reached(running.host, running.port, running.user, running.password)
    finally:
        running.stop()


@contextmanager
def _embedded() -> Iterator[Server]:
    from gxschema import embedded
    from gxschema.errors import GxSchemaError

    folder = Path(tempfile.mkdtemp(prefix="gxschema-test-embedded-"))
    try:
        state = embedded.start(folder)
    except GxSchemaError as error:
        shutil.rmtree(folder, ignore_errors=True)
        raise BackendError(_first_line(error)) from None
    try:
        yield Server.from_url(state.url)
    finally:
        embedded.stop(folder)
        shutil.rmtree(folder, ignore_errors=True)
