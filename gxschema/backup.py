"""Backups with pg_dump: checked, recorded, pruned, restorable, and proven restorable.

`take_backup` dumps the configured database (custom format) into a directory as
``<database>-<UTC time>.dump``, writes ``<name>.sha256`` beside it (the format of
``sha256sum``, so ``sha256sum -c`` checks it too), records a ``BackupRecord`` and
keeps only the newest dumps of that database. `restore` checks the checksum first
and refuses to overwrite a database that holds anything unless forced. `verify`
restores a dump into a scratch database, compares per-table row counts with the
source, always drops the scratch database, and sets ``verifiedAt``.

The password reaches pg_dump and pg_restore only through the ``PGPASSWORD`` variable
of the child process, never on a command line (which every user of the host can
read in ``ps``); error messages pass through `redact`. A dump is written under a
hidden temporary name and renamed when complete, so a failed or killed backup never
leaves a file that looks like a backup.

Nothing outlives a killed run for long. pg_dump and pg_restore die with gxschema
(`gxschema.children`: SIGKILL by the kernel when gxschema dies, and SIGTERM unwinds
like Ctrl-C, removing the temporary file and marking the record failed). What
a SIGKILL leaves is found by the next run (`take_backup`, `restore`, `verify`,
and `reap_dead_backups` for `gxschema status`): while a backup runs, its process
holds a session-level advisory lock keyed by its ``backupId``
(`locking.run_lock_key`), taken before its record is written; a ``running`` record
whose lock anyone can take belongs to a process that is gone, so it is marked
failed at once and its temporary files are removed. Scratch databases (verify's,
and the staging copy of ``restore --force``) are likewise held under a lock keyed
by their name from before they are created until they are dropped or renamed; one
whose lock nobody holds is dropped.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy
from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.pool import NullPool

from gxschema import children, db, locking, migrator
from gxschema.errors import CheckFailedError, ConfigError, GxSchemaError, OperationError
from gxschema.models.base import new_uuid
from gxschema.settings import DatabaseSettings, redact

DUMP_SUFFIX = ".dump"
CHECKSUM_SUFFIX = ".sha256"
KINDS = ("scheduled", "manual", "pre-migration")
STAMP_FORMAT = "%Y%m%dT%H%M%SZ"
# Where Debian and Ubuntu install each major version of the client tools.
PG_LIB_DIRS = (Path("/usr/lib/postgresql"),)
# Temporary files no record accounts for (a database without BackupRecord, another
# database's run) are removed once older than this; a live one is younger.
STALE_AFTER = timedelta(days=1)
DEAD_RUN_ERROR = "the run ended without finishing (its process is gone)"
# Names `_scratch_name` makes: only these are ever dropped as a dead run's leftovers.
_SCRATCH_NAME = r"^gx(verify|restore)_[0-9a-f]{16}$"

_DUMP_NAME = re.compile(
    r"^(?P<database>.+)-(?P<stamp>\d{8}T\d{6}Z)(?:-(?P<sequence>\d+))?"
    + re.escape(DUMP_SUFFIX)
    + "$"
)
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

Progress = Callable[[str], None]


def _quiet(_message: str) -> None:
    return None


# --------------------------------------------------------------------------- results


@dataclass
class BackupResult:
    """One backup taken: where it is, what it holds, and what pruning removed."""

    path: Path
    checksum: str
    size_bytes: int
    target: str
    kind: str
    schema_revision: str | None
    started_at: datetime
    finished_at: datetime
    tool: str
    backup_id: str | None = None
    """The ``BackupRecord`` id; None when the database has no such table yet."""
    pruned: list[Path] = field(default_factory=list)
    row_counts: dict[str, int] | None = None
    """Rows per table in the very snapshot pg_dump dumped (when asked for)."""

    @property
    def recorded(self) -> bool:
        return self.backup_id is not None

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "checksum": self.checksum,
            "size_bytes": self.size_bytes,
            "target": self.target,
            "kind": self.kind,
            "schema_revision": self.schema_revision,
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat(),
            "tool": self.tool,
            "recorded": self.recorded,
            "backup_id": self.backup_id,
            "pruned": [str(path) for path in self.pruned],
        }


@dataclass
class RestoreResult:
    dump: Path
    target_database: str
    checksum: str
    created: bool
    """The target did not exist and was created."""
    replaced: bool
    """The target held objects and was replaced (``force``)."""
    duration_ms: int
    tool: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "dump": str(self.dump),
            "target_database": self.target_database,
            "checksum": self.checksum,
            "created": self.created,
            "replaced": self.replaced,
            "duration_ms": self.duration_ms,
            "tool": self.tool,
        }


@dataclass
class VerifyResult:
    dump: Path
    scratch_database: str
    tables: int
    rows: int
    compared_with: str
    """``snapshot`` (the counts of the dump's own snapshot) or ``live`` (the source now)."""
    verified_at: datetime
    recorded: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "dump": str(self.dump),
            "scratch_database": self.scratch_database,
            "scratch_dropped": True,
            "tables": self.tables,
            "rows": self.rows,
            "compared_with": self.compared_with,
            "verified_at": self.verified_at.isoformat(),
            "recorded": self.recorded,
        }


# --------------------------------------------------------------------------- tools


@dataclass(frozen=True)
class PgTool:
    name: str
    path: str
    major: int

    def describe(self) -> str:
        return f"{self.name} {self.major} ({self.path})"


def _tool_candidates(name: str) -> list[str]:
    """`name` on PATH first, then in each /usr/lib/postgresql/<major>/bin, newest first."""
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
            errors="replace",  # see _run_tool
            check=False,
            timeout=30,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    match = _VERSION.search(completed.stdout)
    return int(match.group(1)) if match and completed.returncode == 0 else None


def find_tool(name: str, server_major: int | None, env: dict[str, str] | None = None) -> PgTool:
    """The first `name` (PATH, then /usr/lib/postgresql, newest first) that fits the server.

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
            f"{name} was not found on PATH nor in /usr/lib/postgresql/*/bin: install the "
            f"client tools of {wanted} (e.g. the postgresql-client package)"
        )
    found = ", ".join(tool.describe() for tool in seen)
    raise ConfigError(
        f"no {name} can work with this server: it runs PostgreSQL {server_major} and {name} "
        f"must be that version or newer, but only {found} is installed; install the "
        f"PostgreSQL {server_major} client tools"
    )


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


def _dead_client_check(env: dict[str, str], server_major: int) -> dict[str, str]:
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


def _run_tool(tool: PgTool, arguments: list[str], env: dict[str, str], secrets: list[str]) -> None:
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


# --------------------------------------------------------------------------- files


def checksum_path(dump: Path) -> Path:
    return dump.with_name(dump.name + CHECKSUM_SUFFIX)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fsync(path: Path) -> None:
    """Make a file (or a directory entry) durable; ignored where unsupported."""
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def file_prefix(database: str) -> str:
    """The database name as it starts dump file names (no path characters)."""
    cleaned = re.sub(r"[^A-Za-z0-9_.-]", "_", database)
    return "_" + cleaned[1:] if cleaned.startswith(".") else cleaned or "database"


def _sort_key(path: Path) -> tuple[str, int]:
    match = _DUMP_NAME.match(path.name)
    assert match is not None
    return match.group("stamp"), int(match.group("sequence") or 0)


def list_dumps(directory: Path, database: str | None = None) -> list[Path]:
    """The dumps in `directory` (of `database` only, if given), newest first."""
    if not directory.is_dir():
        return []
    prefix = file_prefix(database) if database is not None else None
    dumps = []
    for path in directory.iterdir():
        match = _DUMP_NAME.match(path.name)
        if match is None or not path.is_file():
            continue
        if prefix is not None and match.group("database") != prefix:
            continue
        dumps.append(path.resolve())
    return sorted(dumps, key=_sort_key, reverse=True)


def newest_dump(directory: Path, database: str | None = None) -> Path | None:
    dumps = list_dumps(directory, database)
    return dumps[0] if dumps else None


def dump_database(path: Path) -> str | None:
    """The database prefix a dump's file name starts with."""
    match = _DUMP_NAME.match(path.name)
    return match.group("database") if match else None


def prepare_directory(directory: Path) -> Path:
    """`directory`, created if missing, as an absolute path; refused if not writable."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise ConfigError(
            f"the backup directory {directory} exists but is not a directory"
        ) from None
    except OSError as error:
        raise ConfigError(
            f"cannot create the backup directory {directory}: {error.strerror or error}"
        ) from None
    if not os.access(directory, os.W_OK | os.X_OK):
        raise ConfigError(f"the backup directory {directory} is not writable by this user")
    return directory.resolve()


def _reserve(directory: Path, prefix: str, when: datetime) -> tuple[Path, Path]:
    """A free dump name for `when` and its temporary file, created atomically (0600)."""
    stamp = when.strftime(STAMP_FORMAT)
    sequence = 0
    while True:
        name = f"{prefix}-{stamp}{f'-{sequence}' if sequence else ''}{DUMP_SUFFIX}"
        final = directory / name
        partial = directory / f".{name}.partial"
        if not final.exists() and not checksum_path(final).exists():
            try:
                os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
                return final, partial
            except FileExistsError:
                pass
        sequence += 1


def _partials_of(final: Path) -> list[Path]:
    """The temporary files of the dump `final` while its backup runs."""
    return [
        final.with_name(f".{final.name}.partial"),
        final.with_name(f".{checksum_path(final).name}.partial"),
    ]


def _remove_stale_partials(directory: Path, engine: Engine | None = None) -> None:
    """Temporary files of backups that are over: their record says so, or they are old.

    A record that is no longer ``running`` (failed, or marked failed by
    `reap_dead_backups`) means nobody will finish its files; files no record
    accounts for are removed after `STALE_AFTER`.
    """
    partials = list(directory.glob(".*.partial"))
    if not partials:
        return
    over: set[str] = set()
    if engine is not None:
        finals = [str(directory / path.name[1 : -len(".partial")]) for path in partials]
        finals += [name.removesuffix(CHECKSUM_SUFFIX) for name in finals]
        with engine.connect() as connection:
            if _table_exists(connection, "BackupRecord"):
                over = set(
                    connection.execute(
                        text(
                            """SELECT location FROM "BackupRecord"
                               WHERE location = ANY(:finals) AND status <> 'running'"""
                        ),
                        {"finals": finals},
                    ).scalars()
                )
    cutoff = time.time() - STALE_AFTER.total_seconds()
    for path in partials:
        final = str(directory / path.name[1 : -len(".partial")])
        finished = final in over or final.removesuffix(CHECKSUM_SUFFIX) in over
        try:
            if finished or path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            continue


def _write_checksum(final: Path, digest: str) -> None:
    target = checksum_path(final)
    temporary = target.with_name(f".{target.name}.partial")
    temporary.write_text(f"{digest}  {final.name}\n", encoding="utf-8")
    _fsync(temporary)
    os.replace(temporary, target)


def verify_checksum(dump: Path) -> str:
    """The dump's SHA-256, after checking it against ``<dump>.sha256``.

    A missing, unreadable or different checksum raises `OperationError`.
    """
    if not dump.is_file():
        raise ConfigError(f"no dump at {dump}")
    sidecar = checksum_path(dump)
    try:
        content = sidecar.read_text(encoding="utf-8").split()
    except FileNotFoundError:
        raise OperationError(
            f"the dump {dump.name} has no checksum file ({sidecar.name}) beside it, so "
            "nothing tells whether it is intact"
        ) from None
    except OSError as error:
        raise OperationError(f"cannot read {sidecar}: {error.strerror or error}") from None
    expected = content[0].lower() if content else ""
    if not re.fullmatch(r"[0-9a-f]{64}", expected):
        raise OperationError(f"{sidecar.name} does not hold a SHA-256 checksum")
    actual = sha256_of(dump)
    if actual != expected:
        raise OperationError(
            f"the dump {dump.name} does not match its checksum (expected {expected[:16]}..., "
            f"found {actual[:16]}...): it is damaged or was changed"
        )
    return actual


# --------------------------------------------------------------------------- database


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _check_database_name(name: str) -> None:
    if not name or len(name.encode("utf-8")) > 63 or "\x00" in name:
        raise ConfigError(f"{name!r} is not a usable database name (1 to 63 bytes)")


def _server_major(connection: Connection) -> int:
    return int(connection.execute(text("SHOW server_version_num")).scalar_one()) // 10000


def _table_exists(connection: Connection, name: str) -> bool:
    found = connection.execute(
        text("SELECT to_regclass(:name)"), {"name": f"public.{quote_identifier(name)}"}
    ).scalar()
    return found is not None


def database_name(settings: DatabaseSettings) -> str:
    url = settings.url()
    return url.database or url.username or "postgres"


def row_counts(connection: Connection) -> dict[str, int]:
    """Exact rows per table of every user schema (``Table``, or ``schema.Table``)."""
    tables = connection.execute(
        text(
            """SELECT schemaname, tablename FROM pg_tables
               WHERE schemaname NOT IN ('pg_catalog', 'information_schema')
                 AND schemaname NOT LIKE 'pg\\_%'
               ORDER BY schemaname, tablename"""
        )
    ).all()
    counts: dict[str, int] = {}
    for schema, table in tables:
        key = table if schema == "public" else f"{schema}.{table}"
        counts[key] = int(
            connection.execute(
                text(f"SELECT count(*) FROM {quote_identifier(schema)}.{quote_identifier(table)}")
            ).scalar_one()
        )
    return counts


def _objects_in(connection: Connection) -> list[str]:
    """Relations and types that a restore would collide with."""
    return list(
        connection.execute(
            text(
                """SELECT n.nspname || '.' || c.relname FROM pg_class c
                   JOIN pg_namespace n ON n.oid = c.relnamespace
                   WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
                     AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                     AND n.nspname NOT LIKE 'pg\\_%'
                   UNION ALL
                   SELECT n.nspname || '.' || t.typname FROM pg_type t
                   JOIN pg_namespace n ON n.oid = t.typnamespace
                   WHERE t.typtype IN ('e', 'd')
                     AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                     AND n.nspname NOT LIKE 'pg\\_%'
                   ORDER BY 1"""
            )
        ).scalars()
    )


class _Server:
    """Database-level work (create, drop, rename) on the server the settings name.

    It connects to the configured database, or to ``postgres`` (then ``template1``)
    when that is the one being replaced or does not exist any more.
    """

    def __init__(self, settings: DatabaseSettings, *, avoid: str | None = None) -> None:
        self.settings = settings
        self.url: URL = settings.url()
        self.engine = self._maintenance_engine(avoid)

    def _maintenance_engine(self, avoid: str | None) -> Engine:
        configured = self.url.database
        names = [configured] if configured and configured != avoid else []
        names += [name for name in ("postgres", "template1") if name != avoid]
        last: OperationalError | None = None
        for name in names:
            candidate = self.engine_for(name, isolation_level="AUTOCOMMIT")
            try:
                with candidate.connect() as connection:
                    connection.execute(text("SELECT 1"))
                return candidate
            except OperationalError as error:
                candidate.dispose()
                last = error
                if "does not exist" not in str(error.orig or error):
                    break
        assert last is not None
        raise ConfigError(db.explain_connection_error(last, self.settings)) from None

    def engine_for(self, database: str, **options: Any) -> Engine:
        return sqlalchemy.create_engine(
            self.url.set(database=database), poolclass=NullPool, hide_parameters=True, **options
        )

    @contextmanager
    def connect_to(self, database: str) -> Iterator[Connection]:
        engine = self.engine_for(database)
        try:
            with engine.connect() as connection:
                yield connection
        finally:
            engine.dispose()

    def major(self) -> int:
        with self.engine.connect() as connection:
            return _server_major(connection)

    def exists(self, name: str) -> bool:
        with self.engine.connect() as connection:
            found = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            ).scalar()
        return found is not None

    def create(self, name: str) -> None:
        with self.engine.connect() as connection:
            connection.execute(text(f"CREATE DATABASE {quote_identifier(name)}"))

    def drop(self, name: str) -> None:
        with self.engine.connect() as connection:
            connection.execute(
                text(f"DROP DATABASE IF EXISTS {quote_identifier(name)} WITH (FORCE)")
            )

    def rename(self, old: str, new: str) -> None:
        with self.engine.connect() as connection:
            connection.execute(
                text(f"ALTER DATABASE {quote_identifier(old)} RENAME TO {quote_identifier(new)}")
            )

    def dispose(self) -> None:
        self.engine.dispose()


def _scratch_name(purpose: str) -> str:
    return f"gx{purpose}_{uuid.uuid4().hex[:16]}"


# --------------------------------------------------------------------------- backup


def _record_start(
    engine: Engine,
    *,
    backup_id: str,
    kind: str,
    target: str,
    location: Path,
    revision: str | None,
    started_at: datetime,
) -> None:
    with engine.begin() as connection:
        connection.execute(
            text(
                """INSERT INTO "BackupRecord"
                   ("backupId", kind, target, location, "schemaRevision", status, "startedAt")
                   VALUES (:backup_id, :kind, :target, :location, :revision, 'running', :started)"""
            ),
            {
                "backup_id": backup_id,
                "kind": kind,
                "target": target,
                "location": str(location),
                "revision": revision,
                "started": started_at,
            },
        )


@contextmanager
def _holding_run_lock(engine: Engine, backup_id: str) -> Iterator[None]:
    """Hold the backup's advisory lock on a connection of its own for the block.

    Taken before the record is written, so a ``running`` record whose lock is
    free is always one whose process is gone (see `reap_dead_backups`).
    """
    key = locking.run_lock_key("backup", backup_id)
    with engine.connect() as holder:
        if not locking.try_lock(holder, key):  # a fresh uuid: only a collision
            raise OperationError(f"the lock of backup {backup_id} is taken; try again")
        holder.commit()
        try:
            yield
        finally:
            if not holder.closed and not holder.invalidated:
                with contextlib.suppress(Exception):  # closing the connection frees it anyway
                    locking.unlock(holder, key)
                    holder.commit()


def reap_dead_backups(connection: Connection, *, remove_files: bool = True) -> list[str]:
    """Mark failed the ``running`` backups whose process is gone; their ids.

    A running backup holds its advisory lock (`_holding_run_lock`) on the database
    it dumps, which `connection` must be connected to: if this session can take
    the lock, nobody holds it, the process died (SIGKILL, OOM, a lost pod) and the
    record gets ``status = 'failed'`` and `DEAD_RUN_ERROR` now, not after a day.
    With `remove_files`, its temporary files are removed too, where this process
    can see them (another pod's volume it cannot). Commits.
    """
    if not _table_exists(connection, "BackupRecord"):
        return []
    running = connection.execute(
        text("""SELECT "backupId", location FROM "BackupRecord" WHERE status = 'running'""")
    ).all()
    connection.commit()
    reaped = []
    for backup_id, location in running:
        key = locking.run_lock_key("backup", backup_id)
        if not locking.try_lock(connection, key):
            connection.commit()
            continue  # its process is alive and holds it
        try:
            updated = connection.execute(
                text(
                    """UPDATE "BackupRecord" SET status = 'failed', "finishedAt" = :now,
                       error = coalesce(error, :error)
                       WHERE "backupId" = :backup_id AND status = 'running'"""
                ),
                {"now": datetime.now(UTC), "error": DEAD_RUN_ERROR, "backup_id": backup_id},
            )
            connection.commit()
        except DBAPIError:  # a role that may not write the record: the next backup will
            connection.rollback()
            break
        finally:
            locking.unlock(connection, key)
            connection.commit()
        if updated.rowcount:
            reaped.append(backup_id)
            if remove_files and location:
                for path in _partials_of(Path(location)):
                    with contextlib.suppress(OSError):
                        path.unlink(missing_ok=True)
    return reaped


def reap_scratch_databases(connection: Connection) -> list[str]:
    """Drop the scratch databases of runs that are gone; their names.

    Only names `_scratch_name` makes, and only those whose lock (`_guarding`)
    nobody holds on the server; one this role may not drop is left alone.
    `connection` must be in autocommit (DROP DATABASE runs outside transactions).
    """
    names = connection.execute(
        text("SELECT datname FROM pg_database WHERE datname ~ :pattern ORDER BY 1"),
        {"pattern": _SCRATCH_NAME},
    ).scalars()
    dropped = []
    for name in list(names):
        if locking.lock_holder(connection, locking.run_lock_key("scratch", name)) is not None:
            continue
        try:
            connection.execute(
                text(f"DROP DATABASE IF EXISTS {quote_identifier(name)} WITH (FORCE)")
            )
        except DBAPIError:  # another role's: not ours to drop
            continue
        dropped.append(name)
    return dropped


def _reap_scratch_quietly(engine: Engine, say: Progress) -> None:
    try:
        with engine.connect() as connection:
            connection = connection.execution_options(isolation_level="AUTOCOMMIT")
            for name in reap_scratch_databases(connection):
                say(f"dropped {name}, the scratch database of a run that ended without finishing")
    except Exception:  # tidying up must not fail the operation asked for
        say("could not look for scratch databases of runs that ended without finishing")


@contextmanager
def _guarding(server: _Server, scratch: str) -> Iterator[None]:
    """Hold the scratch database's lock for the block: create it and drop it inside."""
    key = locking.run_lock_key("scratch", scratch)
    with server.engine.connect() as holder:
        if not locking.try_lock(holder, key):
            raise OperationError(f"the scratch database name {scratch} is in use; try again")
        try:
            yield
        finally:
            if not holder.closed and not holder.invalidated:
                with contextlib.suppress(Exception):
                    locking.unlock(holder, key)


def _record_finish(
    engine: Engine,
    backup_id: str,
    *,
    status: str,
    size_bytes: int | None = None,
    checksum: str | None = None,
    error: str | None = None,
) -> None:
    with engine.begin() as connection:
        connection.execute(
            text(
                """UPDATE "BackupRecord" SET status = :status, "sizeBytes" = :size,
                   checksum = :checksum, error = :error, "finishedAt" = :finished
                   WHERE "backupId" = :backup_id"""
            ),
            {
                "status": status,
                "size": size_bytes,
                "checksum": checksum,
                "error": error,
                "finished": datetime.now(UTC),
                "backup_id": backup_id,
            },
        )


def _dump(
    engine: Engine,
    tool: PgTool,
    env: dict[str, str],
    partial: Path,
    secrets: list[str],
    *,
    count_rows: bool,
) -> dict[str, int] | None:
    """Run pg_dump into `partial`; with `count_rows`, count rows in the dump's snapshot."""
    arguments = ["--format=custom", "--no-password", f"--file={partial}"]
    if not count_rows:
        _run_tool(tool, arguments, env, secrets)
        return None
    # Export a snapshot, have pg_dump dump exactly it, then count the rows in it:
    # the counts are those of the dump even while the database keeps changing.
    with engine.connect() as connection:
        connection.execution_options(isolation_level="REPEATABLE READ")
        snapshot = str(connection.execute(text("SELECT pg_export_snapshot()")).scalar_one())
        _run_tool(tool, [*arguments, f"--snapshot={snapshot}"], env, secrets)
        counts = row_counts(connection)
        connection.rollback()
    return counts


def _one_line(error: BaseException) -> str:
    if isinstance(error, GxSchemaError):
        return str(error)
    if isinstance(error, OSError):
        where = f": {error.filename}" if error.filename else ""
        return f"{error.strerror or error}{where}"
    original = getattr(error, "orig", None) or error
    lines = [line.strip() for line in str(original).splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__


@children.unwinds_on_sigterm
def take_backup(
    settings: DatabaseSettings,
    directory: Path,
    *,
    keep: int = 30,
    kind: str = "scheduled",
    engine: Engine | None = None,
    count_rows: bool = False,
    on_progress: Progress | None = None,
) -> BackupResult:
    """Dump the database of `settings` into `directory`, record it, keep the newest `keep`.

    `engine` (of the same database) is used for the record and may be one that
    `connect` already waited for. A failure leaves no dump file, marks the record
    failed and raises `OperationError`; older dumps are then left alone.
    """
    if keep < 1:
        raise ConfigError(f"keep must be at least 1 (got {keep}): the new dump is kept")
    if kind not in KINDS:
        raise ConfigError(f"unknown backup kind {kind!r} (choose one of {', '.join(KINDS)})")
    say = on_progress or _quiet
    directory = prepare_directory(directory)
    secrets = settings.secrets()
    target = settings.describe()
    database = database_name(settings)
    own_engine = engine is None
    engine = engine or db.create_engine(settings, poolclass=NullPool)
    run_lock = contextlib.ExitStack()
    try:
        with engine.connect() as connection:
            major = _server_major(connection)
            revision = migrator.current_revision(connection)
            recordable = _table_exists(connection, "BackupRecord")
            for dead in reap_dead_backups(connection) if recordable else []:
                say(f"marked backup {dead} failed: {DEAD_RUN_ERROR}")
        env = _dead_client_check(libpq_environment(settings), major)
        tool = find_tool("pg_dump", major, env)
        _remove_stale_partials(directory, engine if recordable else None)
        _reap_scratch_quietly(engine, say)
        started_at = datetime.now(UTC)
        final, partial = _reserve(directory, file_prefix(database), started_at)
        backup_id = new_uuid() if recordable else None
        try:
            if backup_id is not None:
                run_lock.enter_context(_holding_run_lock(engine, backup_id))
                _record_start(
                    engine,
                    backup_id=backup_id,
                    kind=kind,
                    target=target,
                    location=final,
                    revision=revision,
                    started_at=started_at,
                )
            say(f"dumping {target} with {tool.describe()} into {final}")
            counts = _dump(engine, tool, env, partial, secrets, count_rows=count_rows)
            digest = sha256_of(partial)
            _fsync(partial)
            _write_checksum(final, digest)
            os.replace(partial, final)
            _fsync(directory)
        except BaseException as error:
            partial.unlink(missing_ok=True)
            if not final.exists():
                checksum_path(final).unlink(missing_ok=True)
            message = redact(_one_line(error), secrets)
            if backup_id is not None:
                try:
                    _record_finish(engine, backup_id, status="failed", error=message)
                except Exception:  # the database may be what failed; the error below says why
                    say("could not record the failed backup in BackupRecord")
            if not isinstance(error, Exception):
                raise
            error_class = type(error) if isinstance(error, GxSchemaError) else OperationError
            raise error_class(
                f"the backup of {target} failed, no dump was written: {message}"
            ) from None
        size = final.stat().st_size
        if backup_id is not None:
            _record_finish(engine, backup_id, status="succeeded", size_bytes=size, checksum=digest)
        finished_at = datetime.now(UTC)
        result = BackupResult(
            path=final,
            checksum=digest,
            size_bytes=size,
            target=target,
            kind=kind,
            schema_revision=revision,
            started_at=started_at,
            finished_at=finished_at,
            tool=tool.describe(),
            backup_id=backup_id,
            row_counts=counts,
        )
        result.pruned = prune(directory, database, keep=keep, engine=engine)
        for path in result.pruned:
            say(f"pruned {path.name}")
        return result
    finally:
        run_lock.close()
        if own_engine:
            engine.dispose()


def prune(directory: Path, database: str, *, keep: int, engine: Engine | None = None) -> list[Path]:
    """Delete all but the newest `keep` dumps of `database` (and their checksums).

    Their ``BackupRecord`` rows become ``pruned``. Dumps of other databases in the
    same directory are left alone.
    """
    if keep < 1:
        raise ConfigError(f"keep must be at least 1 (got {keep})")
    old = list_dumps(directory, database)[keep:]
    if not old:
        return []
    if engine is not None:
        with engine.begin() as connection:
            if _table_exists(connection, "BackupRecord"):
                connection.execute(
                    text(
                        """UPDATE "BackupRecord" SET status = 'pruned'
                           WHERE location = ANY(:locations) AND status = 'succeeded'"""
                    ),
                    {"locations": [str(path) for path in old]},
                )
    for path in old:
        try:
            path.unlink(missing_ok=True)
            checksum_path(path).unlink(missing_ok=True)
        except OSError as error:
            raise OperationError(
                f"the backup succeeded, but removing the old dump {path} failed: "
                f"{error.strerror or error}"
            ) from None
    return old


# --------------------------------------------------------------------------- restore


def _pg_restore(
    tool: PgTool,
    settings: DatabaseSettings,
    dump: Path,
    database: str,
    secrets: list[str],
    *,
    privileges: bool = True,
) -> None:
    env = libpq_environment(settings, database=database)
    # A conninfo string, so that no database name is ever taken for a URL or option.
    conninfo = "dbname='" + database.replace("\\", "\\\\").replace("'", "\\'") + "'"
    _run_tool(
        tool,
        [
            "--no-owner",
            # Grants (and 0004's default privileges, which name the migrating role) need
            # a restoring role that may set them; a scratch copy for counting rows does not.
            *([] if privileges else ["--no-privileges"]),
            "--exit-on-error",
            "--single-transaction",
            "--no-password",
            f"--dbname={conninfo}",
            str(dump),
        ],
        env,
        secrets,
    )


def _find_pg_restore(settings: DatabaseSettings, server_major: int) -> PgTool:
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


@children.unwinds_on_sigterm
def restore(
    settings: DatabaseSettings,
    dump: Path,
    target_database: str,
    *,
    force: bool = False,
    privileges: bool = True,
    on_progress: Progress | None = None,
) -> RestoreResult:
    """Restore `dump` into `target_database` on the server of `settings`.

    The checksum is checked first (a mismatch restores nothing). A missing target is
    created; one that holds any table, view, sequence or type is refused unless
    `force`, which restores into a new database and only then swaps it for the old
    one, so a failed restore leaves the old database as it was. The restore runs in
    one transaction (``--single-transaction --exit-on-error``), without owners.
    `privileges=False` skips grants and default privileges, for a restoring role that
    may not set those of the role that migrated the source.
    """
    say = on_progress or _quiet
    _check_database_name(target_database)
    dump = dump.resolve()
    checksum = verify_checksum(dump)
    say(f"checksum of {dump.name} verified")
    secrets = settings.secrets()
    clock = time.monotonic()
    server = _Server(settings, avoid=target_database)
    try:
        _reap_scratch_quietly(server.engine, say)
        tool = _find_pg_restore(settings, server.major())
        created = replaced = False
        if not server.exists(target_database):
            say(f"creating database {target_database}")
            server.create(target_database)
            created = True
            say(f"restoring {dump.name} into {target_database} with {tool.describe()}")
            _restore_or_drop(
                server, tool, settings, dump, target_database, secrets, privileges=privileges
            )
        else:
            with server.connect_to(target_database) as connection:
                objects = _objects_in(connection)
            if objects and not force:
                shown = ", ".join(objects[:3]) + (", ..." if len(objects) > 3 else "")
                raise ConfigError(
                    f"the database {target_database} is not empty ({len(objects)} object(s): "
                    f"{shown}); nothing was restored. Restore into a new database, or use "
                    "--force to replace it (its contents are dropped)"
                )
            if not objects:
                say(f"restoring {dump.name} into {target_database} with {tool.describe()}")
                _pg_restore(tool, settings, dump, target_database, secrets, privileges=privileges)
            else:
                staging = _scratch_name("restore")
                with _guarding(server, staging):  # until renamed: no next run drops it
                    say(f"restoring {dump.name} into {staging} with {tool.describe()}")
                    server.create(staging)
                    _restore_or_drop(
                        server, tool, settings, dump, staging, secrets, privileges=privileges
                    )
                    say(f"replacing database {target_database} with the restored copy")
                    server.drop(target_database)
                    server.rename(staging, target_database)
                replaced = True
    finally:
        server.dispose()
    return RestoreResult(
        dump=dump,
        target_database=target_database,
        checksum=checksum,
        created=created,
        replaced=replaced,
        duration_ms=int((time.monotonic() - clock) * 1000),
        tool=tool.describe(),
    )


def _restore_or_drop(
    server: _Server,
    tool: PgTool,
    settings: DatabaseSettings,
    dump: Path,
    database: str,
    secrets: list[str],
    *,
    privileges: bool = True,
) -> None:
    """Restore into `database`, which we just created; drop it again if that fails."""
    try:
        _pg_restore(tool, settings, dump, database, secrets, privileges=privileges)
    except BaseException:
        _drop_quietly(server, database)
        raise


def _drop_quietly(server: _Server, database: str) -> None:
    # The error being raised already says what went wrong.
    with contextlib.suppress(Exception):
        server.drop(database)


# --------------------------------------------------------------------------- verify


@children.unwinds_on_sigterm
def verify(
    settings: DatabaseSettings,
    dump: Path,
    *,
    expected_counts: dict[str, int] | None = None,
    engine: Engine | None = None,
    on_progress: Progress | None = None,
) -> VerifyResult:
    """Prove `dump` restores: into a scratch database, with the source's row counts.

    `expected_counts` are the counts of the dump's own snapshot (`take_backup` with
    ``count_rows``); without them the source's current counts are compared. The
    scratch database is dropped whatever happens; on success ``verifiedAt`` is set on
    the dump's ``BackupRecord``. Different counts raise `CheckFailedError`.
    """
    say = on_progress or _quiet
    dump = dump.resolve()
    own_engine = engine is None
    engine = engine or db.create_engine(settings, poolclass=NullPool)
    scratch = _scratch_name("verify")
    try:
        if expected_counts is None:
            with engine.connect() as connection:
                expected = row_counts(connection)
            compared_with = "live"
        else:
            expected, compared_with = dict(expected_counts), "snapshot"
        guard = _Server(settings, avoid=scratch)
        try:
            with _guarding(guard, scratch):  # from before its creation until it is dropped
                try:
                    restored = _restore_and_count(settings, dump, scratch, say)
                except BaseException:
                    _drop_scratch(settings, scratch, quietly=True)
                    raise
                _drop_scratch(settings, scratch, quietly=False)
        finally:
            guard.dispose()
        say(f"dropped the scratch database {scratch}")
        mismatches = []
        for table in sorted(set(expected) | set(restored)):
            want, have = expected.get(table), restored.get(table)
            if want != have:
                mismatches.append(
                    f"{table} (source {'missing' if want is None else want}, "
                    f"restored {'missing' if have is None else have})"
                )
        if mismatches:
            raise CheckFailedError(
                f"the dump {dump.name} restores with other row counts than the source in "
                f"{len(mismatches)} table(s): {', '.join(mismatches[:20])}"
                + (", ..." if len(mismatches) > 20 else "")
            )
        verified_at = datetime.now(UTC)
        with engine.begin() as connection:
            recorded = False
            if _table_exists(connection, "BackupRecord"):
                updated = connection.execute(
                    text(
                        """UPDATE "BackupRecord" SET "verifiedAt" = :verified
                           WHERE location = :location AND status = 'succeeded'"""
                    ),
                    {"verified": verified_at, "location": str(dump)},
                )
                recorded = bool(updated.rowcount)
    finally:
        if own_engine:
            engine.dispose()
    return VerifyResult(
        dump=dump,
        scratch_database=scratch,
        tables=len(restored),
        rows=sum(restored.values()),
        compared_with=compared_with,
        verified_at=verified_at,
        recorded=recorded,
    )


def _restore_and_count(
    settings: DatabaseSettings, dump: Path, scratch: str, say: Progress
) -> dict[str, int]:
    try:
        restore(settings, dump, scratch, privileges=False, on_progress=say)
    except OperationError as error:
        raise CheckFailedError(f"the dump {dump.name} cannot be restored: {error}") from None
    server = _Server(settings, avoid=scratch)
    try:
        with server.connect_to(scratch) as connection:
            return row_counts(connection)
    finally:
        server.dispose()


def _drop_scratch(settings: DatabaseSettings, scratch: str, *, quietly: bool) -> None:
    try:
        server = _Server(settings, avoid=scratch)
        try:
            server.drop(scratch)
        finally:
            server.dispose()
    except Exception as error:
        if not quietly:
            raise OperationError(
                f"could not drop the scratch database {scratch}: {_one_line(error)}; "
                "drop it by hand"
            ) from None


def verify_latest(
    settings: DatabaseSettings,
    directory: Path,
    *,
    engine: Engine | None = None,
    on_progress: Progress | None = None,
) -> VerifyResult:
    """`verify` the newest dump of the configured database in `directory`."""
    database = database_name(settings)
    dump = newest_dump(directory, database)
    if dump is None:
        raise OperationError(f"there is no dump of {database} in {directory} to verify")
    return verify(settings, dump, engine=engine, on_progress=on_progress)
