"""What the bench scripts share: the server, scratch databases, child processes, tables.

The server is the configured one ($DATABASE_URL or the PG* variables, as for every
gxschema command; the role must be allowed to create databases), else the embedded
PostgreSQL of `gxschema up`, started if needed (and stopped again at the end if this
script started it). Every script works in scratch databases ``gxbench_<random>``
that it creates and drops, so it never touches the configured database's data.

``GXBENCH_PREFIX`` (``gxbench_`` and more, e.g. ``gxbench_ci42_``) lengthens that
prefix for one run, and every name is told on stderr when it is created: two runs on
one server (two test workers, two CI jobs) can then each check that they left none
of their own behind without seeing the other's, which come and go meanwhile.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, text
from sqlalchemy.pool import NullPool

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as `python bench/x.py` from a checkout
    sys.path.insert(0, str(ROOT))

from gxschema import embedded  # noqa: E402
from gxschema.settings import DatabaseSettings, load_settings  # noqa: E402

GXSCHEMA = (sys.executable, "-m", "gxschema")

PREFIX_VARIABLE = "GXBENCH_PREFIX"
DEFAULT_PREFIX = "gxbench_"
# Always under gxbench_, so whoever looks for (or drops) benchmark leftovers by that name
# still finds a prefixed run's; short enough that the random part fits in 63 bytes.
_PREFIX = re.compile(r"gxbench_[a-z0-9_]{0,40}")


def scratch_prefix() -> str:
    """The prefix of this run's scratch databases: `GXBENCH_PREFIX`, else ``gxbench_``.

    A bad one ends the script with exit code 2 and one line, before anything is created.
    """
    prefix = os.environ.get(PREFIX_VARIABLE) or DEFAULT_PREFIX
    if not _PREFIX.fullmatch(prefix):
        print(
            f"bench: {PREFIX_VARIABLE}={prefix!r} must be gxbench_ followed by at most"
            " 40 of a-z, 0-9 and _",
            file=sys.stderr,
        )
        raise SystemExit(2)
    return prefix


@dataclass
class Database:
    """A scratch database: its URL, the libpq variables for child processes, an engine."""

    name: str
    url: URL
    server: Server

    def env(self) -> dict[str, str]:
        """This process's environment, pointed at this database (for gxschema and psql)."""
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("DATABASE_URL", "PGPASSWORD_FILE", "GXSCHEMA_PASSWORD_FILE")
        }
        host = self.url.host or str(self.url.query.get("host") or "")
        if host:
            env["PGHOST"] = host
        if self.url.port:
            env["PGPORT"] = str(self.url.port)
        if self.url.username:
            env["PGUSER"] = self.url.username
        if self.url.password:
            env["PGPASSWORD"] = str(self.url.password)
        env["PGDATABASE"] = self.name
        return env

    def engine(self, **options: Any) -> Engine:
        return create_engine(self.url, poolclass=NullPool, **options)

    def libpq(self) -> dict[str, Any]:
        """Keyword arguments for `psycopg.connect` to this database."""
        env = self.env()
        return {
            "host": env.get("PGHOST"),
            "port": env.get("PGPORT"),
            "user": env.get("PGUSER"),
            "password": env.get("PGPASSWORD"),
            "dbname": self.name,
        }

    def drop(self) -> None:
        self.server.drop(self.name)


@dataclass
class Server:
    url: URL
    """A URL of the server's maintenance database (where CREATE DATABASE runs)."""
    stop: Callable[[], None] = lambda: None
    scratch: list[str] = field(default_factory=list)
    prefix: str = DEFAULT_PREFIX
    """What this run's scratch database names start with (`scratch_prefix`)."""

    def admin(self) -> Engine:
        return create_engine(self.url, poolclass=NullPool, isolation_level="AUTOCOMMIT")

    def version(self) -> str:
        engine = self.admin()
        with engine.connect() as connection:
            version = str(connection.execute(text("SHOW server_version")).scalar_one())
        engine.dispose()
        return version

    def settle(self) -> None:
        """CHECKPOINT, so a timed step does not pay for writing out the previous one's pages.

        Needs a superuser or the pg_checkpoint role; without it, nothing is done.
        """
        engine = self.admin()
        with contextlib.suppress(Exception), engine.connect() as connection:
            connection.execute(text("CHECKPOINT"))
        engine.dispose()

    def create(self, template: str | None = None) -> Database:
        name = f"{self.prefix}{uuid.uuid4().hex[:10]}"
        engine = self.admin()
        with engine.connect() as connection:
            suffix = f' TEMPLATE "{template}"' if template else ""
            connection.execute(text(f'CREATE DATABASE "{name}"{suffix}'))
        engine.dispose()
        self.scratch.append(name)
        # on stderr, so that a killed run's leftovers can be named and a test can tell
        # its own scratch databases from another run's on the same server
        say(f"created scratch database {name}")
        return Database(name, self.url.set(database=name), self)

    def drop(self, name: str) -> None:
        engine = self.admin()
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()
        if name in self.scratch:
            self.scratch.remove(name)

    def psql(self) -> str | None:
        """A psql binary: on PATH, else the embedded server's."""
        found = shutil.which("psql")
        if found:
            return found
        with contextlib.suppress(Exception):
            from pgserver import _commands

            candidate = Path(_commands.POSTGRES_BIN_PATH) / "psql"
            if candidate.exists():
                return str(candidate)
        return None


@contextlib.contextmanager
def server(keep: bool = False) -> Iterator[Server]:
    """The server to benchmark on; scratch databases are dropped at the end unless `keep`."""
    prefix = scratch_prefix()
    settings = load_settings()
    if settings.is_configured:
        url = settings.url()
        chosen = Server(url.set(database=url.database or "postgres"), prefix=prefix)
    else:
        folder = embedded.home()
        was_running = embedded.running(folder) is not None
        started = embedded.start(folder)
        chosen = Server(DatabaseSettings(database_url=started.url).url(), prefix=prefix)
        if not was_running:
            chosen.stop = lambda: bool(embedded.stop(folder)) and None
    try:
        yield chosen
    finally:
        if not keep:
            for name in list(chosen.scratch):
                with contextlib.suppress(Exception):
                    chosen.drop(name)
        elif chosen.scratch:
            print(f"kept: {', '.join(chosen.scratch)}", file=sys.stderr)
        chosen.stop()


def migrate(database: Database, revision: str = "head") -> None:
    """Migrate in this process (no child start-up), as `gxschema migrate` would."""
    from gxschema import migrator

    engine = database.engine()
    try:
        migrator.migrate(engine, revision, direction="upgrade")
    finally:
        engine.dispose()


def seed(database: Database, env: str = "devnet") -> None:
    from gxschema import seeding
    from gxschema.seeding.run import default_seeds_dir

    engine = database.engine()
    try:
        seeding.apply(engine, seeding.load(default_seeds_dir(), env), env=env)
    finally:
        engine.dispose()


@dataclass(frozen=True)
class Ran:
    seconds: float
    max_rss_kb: int
    """The child's own peak RSS (``wait4``), not counting processes it started."""
    code: int
    stdout: str
    stderr: str
    tree: TreeMemory | None = None


@dataclass
class TreeMemory:
    """Peak memory of a process and all its descendants, sampled every 0.1 s from /proc.

    `rss_kb` sums each process's resident set (pages shared between them, such as
    libraries, are counted once per process: an upper bound); `pss_kb` sums their
    proportional set sizes (shared pages divided among the sharers: what the tree
    really costs). `processes` is the most processes seen at once.
    """

    rss_kb: int = 0
    pss_kb: int = 0
    processes: int = 0


def _descendants(root: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(entry))
    found, queue = [root], [root]
    while queue:
        for child in parents.get(queue.pop(), []):
            found.append(child)
            queue.append(child)
    return found


def _sample_tree(root: int, memory: TreeMemory, stop: Any) -> None:
    while not stop.wait(0.1):
        rss = pss = count = 0
        for pid in _descendants(root):
            try:
                with open(f"/proc/{pid}/smaps_rollup") as rollup:
                    for line in rollup:
                        if line.startswith("Rss:"):
                            rss += int(line.split()[1])
                        elif line.startswith("Pss:"):
                            pss += int(line.split()[1])
                count += 1
            except OSError:
                continue
        memory.rss_kb = max(memory.rss_kb, rss)
        memory.pss_kb = max(memory.pss_kb, pss)
        memory.processes = max(memory.processes, count)


def run(args: Sequence[str], env: dict[str, str], *, check: bool = True, tree: bool = False) -> Ran:
    """Run a child process; its wall time and its own peak RSS (``wait4``, not the sum).

    With `tree` (Linux), also the peak memory of the child and its descendants
    (`TreeMemory`), for commands that start worker processes.
    """
    import threading

    started = time.perf_counter()
    process = subprocess.Popen(
        list(args), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    memory = TreeMemory() if tree and os.path.exists("/proc/self/smaps_rollup") else None
    stop = threading.Event()
    sampler = None
    if memory is not None:
        sampler = threading.Thread(target=_sample_tree, args=(process.pid, memory, stop))
        sampler.start()
    # Read the pipes in threads-free fashion: communicate() waits for exit, but then
    # wait4 would find no child; so read, then reap with wait4 ourselves.
    stdout_data, stderr_data = _drain(process)
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    stop.set()
    if sampler is not None:
        sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    result = Ran(
        seconds, int(usage.ru_maxrss), process.returncode, stdout_data, stderr_data, memory
    )
    if check and result.code != 0:
        raise SystemExit(
            f"{' '.join(args[:4])}... failed ({result.code}):\n{result.stderr[-2000:]}"
        )
    return result


def _drain(process: subprocess.Popen[str]) -> tuple[str, str]:
    import threading

    chunks: dict[str, str] = {}

    def read(name: str, stream: Any) -> None:
        chunks[name] = stream.read()

    threads = [
        threading.Thread(target=read, args=("out", process.stdout)),
        threading.Thread(target=read, args=("err", process.stderr)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return chunks.get("out", ""), chunks.get("err", "")


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def table(title: str, header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A Markdown table (what docs/performance.md holds), printed and returned."""
    cells = [[str(cell) for cell in row] for row in rows]
    widths = [
        max(len(str(name)), *(len(row[index]) for row in cells))
        for index, name in enumerate(header)
    ]
    lines = [
        f"### {title}",
        "",
        "| "
        + " | ".join(name.ljust(width) for name, width in zip(header, widths, strict=True))
        + " |",
        "|" + "|".join("-" * (width + 2) for width in widths) + "|",
        *(
            "| "
            + " | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            + " |"
            for row in cells
        ),
        "",
    ]
    output = "\n".join(lines)
    print(output, flush=True)
    return output


def machine(server_version: str) -> str:
    """One line about where the figures come from."""
    memory = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f", {int(line.split()[1]) / 1024 / 1024:.0f} GB RAM"
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = f" ({line.split(':', 1)[1].strip()})"
                break
    return (
        f"{os.cpu_count()} cores{model}{memory}; PostgreSQL {server_version}; "
        f"Python {platform.python_version()}"
    )


def arguments(description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--keep", action="store_true", help="Keep the scratch databases.")
    return parser


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def load_average() -> tuple[float, float, float]:
    """The machine's load average (1, 5, 15 minutes), to print beside timed figures.

    On a shared machine a figure means little without it: compare it with the cores.
    """
    with contextlib.suppress(OSError, AttributeError):
        return os.getloadavg()
    return (float("nan"), float("nan"), float("nan"))
