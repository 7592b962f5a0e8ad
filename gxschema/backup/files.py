"""Dump files on disk: their names, checksums, temporary files and retention.

A dump is ``<database>-<UTC time>[-<n>].dump`` with ``<name>.sha256`` beside it (the
format of ``sha256sum``, so ``sha256sum -c`` checks it too). While a backup runs it
writes hidden ``.<name>.partial`` files and renames them when complete, so a failed
or killed backup never leaves a file that looks like a backup; what a dead run left
is removed by `remove_stale_partials`.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine

from gxschema.backup.records import finished_locations, mark_pruned
from gxschema.errors import ConfigError, OperationError

DUMP_SUFFIX = ".dump"
CHECKSUM_SUFFIX = ".sha256"
STAMP_FORMAT = "%Y%m%dT%H%M%SZ"
# Temporary files no record accounts for (a database without BackupRecord, another
# database's run) are removed once older than this; a live one is younger.
STALE_AFTER = timedelta(days=1)

_DUMP_NAME = re.compile(
    r"^(?P<database>.+)-(?P<stamp>\d{8}T\d{6}Z)(?:-(?P<sequence>\d+))?"
    + re.escape(DUMP_SUFFIX)
    + "$"
)


def checksum_path(dump: Path) -> Path:
    return dump.with_name(dump.name + CHECKSUM_SUFFIX)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fsync(path: Path) -> None:
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


def reserve(directory: Path, prefix: str, when: datetime) -> tuple[Path, Path]:
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


def partials_of(final: Path) -> list[Path]:
    """The temporary files of the dump `final` while its backup runs."""
    return [
        final.with_name(f".{final.name}.partial"),
        final.with_name(f".{checksum_path(final).name}.partial"),
    ]


def remove_stale_partials(directory: Path, engine: Engine | None = None) -> None:
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
        over = finished_locations(engine, finals)
    cutoff = time.time() - STALE_AFTER.total_seconds()
    for path in partials:
        final = str(directory / path.name[1 : -len(".partial")])
        finished = final in over or final.removesuffix(CHECKSUM_SUFFIX) in over
        try:
            if finished or path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            continue


def write_checksum(final: Path, digest: str) -> None:
    target = checksum_path(final)
    temporary = target.with_name(f".{target.name}.partial")
    temporary.write_text(f"{digest}  {final.name}\n", encoding="utf-8")
    fsync(temporary)
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
        mark_pruned(engine, old)
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
