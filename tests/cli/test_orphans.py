"""A killed gxschema leaves nothing running and nothing the next run does not clean.

Real commands in child processes, real pg_dump/pg_restore, real signals. A backup is
held up by a lock the test takes on one table (pg_dump waits for it), a verify by a
pg_restore that sleeps first (a wrapper put first on PATH); then the `gxschema`
process is killed and we look at what is left: processes (psutil), sessions
(pg_stat_activity), files, records and scratch databases.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil
import psycopg
import pytest

from gxschema import backup, locking, seeding

from ..support.cli import clean_env, gxschema
from ..support.paths import ROOT

PG_BIN = os.environ.get("GXSCHEMA_TEST_PG_BIN", "")
SETTLE_S = 5.0
"""How long a child may take to notice its parent died (it takes milliseconds)."""


def _wait_for(condition: Callable[[], object], timeout: float, what: str) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout:g}s waiting for {what}")


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _descendants(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def _named(pid: int, name: str) -> list[psutil.Process]:
    found = []
    for child in _descendants(pid):
        try:
            if name in " ".join(child.cmdline()):
                found.append(child)
        except psutil.NoSuchProcess:
            continue
    return found


@pytest.fixture
def spawn() -> Iterator[Callable[..., subprocess.Popen[str]]]:
    """Start `gxschema ...` in the background; whatever is left is killed afterwards."""
    started: list[tuple[subprocess.Popen[str], list[psutil.Process]]] = []

    def start(*args: str, env: dict[str, str]) -> subprocess.Popen[str]:
        process = subprocess.Popen(
            [sys.executable, "-m", "gxschema", *args],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        started.append((process, []))
        return process

    def remember(process: subprocess.Popen[str]) -> None:
        for entry in started:
            if entry[0] is process:
                entry[1].extend(_descendants(process.pid))

    start.remember = remember  # type: ignore[attr-defined]
    yield start
    for process, children in started:  # a failing test must not leave orphans either
        for child in [*children, *_descendants(process.pid)]:
            with contextlib.suppress(psutil.NoSuchProcess):
                child.kill()
        process.kill()
        process.communicate()


@pytest.fixture
def blocked_table(pg_server, head_database: str) -> Iterator[psycopg.Connection]:
    """A session holding ACCESS EXCLUSIVE on "Country": pg_dump waits for it."""
    with psycopg.connect(
        host=pg_server.host,
        port=pg_server.port,
        user=pg_server.user,
        password=pg_server.password,
        dbname=head_database,
    ) as connection:
        connection.execute('LOCK TABLE "Country" IN ACCESS EXCLUSIVE MODE')
        yield connection
        connection.rollback()


def _query(pg_server, database: str, sql: str, *params: object) -> list[tuple]:
    with pg_server.connect(database) as connection:
        return connection.execute(sql, params).fetchall()


def _records(pg_server, database: str) -> list[tuple]:
    return _query(
        pg_server,
        database,
        'SELECT "backupId", status, error, location FROM "BackupRecord" ORDER BY "startedAt"',
    )


def _pg_dump_sessions(pg_server, database: str) -> list[tuple]:
    return _query(
        pg_server,
        database,
        """SELECT pid FROM pg_stat_activity
           WHERE datname = %s AND query LIKE 'LOCK TABLE %%ACCESS SHARE MODE'""",
        database,
    )


def _start_blocked_backup(spawn, pg_server, database: str, directory: Path):
    env = clean_env(**pg_server.env(database), PATH=f"{PG_BIN}:{os.environ['PATH']}")
    process = spawn("backup", "--backup-dir", str(directory), env=env)
    (pg_dump,) = _wait_for(lambda: _named(process.pid, "pg_dump --format"), 30, "pg_dump to start")
    _wait_for(lambda: _pg_dump_sessions(pg_server, database), 30, "pg_dump to connect")
    _wait_for(lambda: list(directory.glob(".*.partial")), 10, "the temporary dump file")
    spawn.remember(process)
    return process, pg_dump, env


def test_a_killed_backup_takes_pg_dump_along_and_the_next_run_fails_its_record(
    spawn, pg_server, head_database: str, blocked_table, tmp_path: Path
) -> None:
    process, pg_dump, env = _start_blocked_backup(spawn, pg_server, head_database, tmp_path)
    ((backup_id, status, _error, location),) = _records(pg_server, head_database)
    assert status == "running"
    # while its process lives, nobody takes its record for a dead one
    with psycopg.connect(**_conninfo(pg_server, head_database)) as probe:
        assert not _lock_is_free(probe, backup_id)

    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)

    _wait_for(lambda: not _alive(pg_dump.pid), SETTLE_S, "pg_dump to die with its parent")
    _wait_for(
        lambda: not _pg_dump_sessions(pg_server, head_database),
        SETTLE_S,
        "pg_dump's session to end",
    )
    partials = list(tmp_path.glob(".*.partial"))
    assert partials and _records(pg_server, head_database)[0][1] == "running"
    blocked_table.rollback()

    ran = gxschema("backup", "--backup-dir", str(tmp_path), env=env)
    assert ran.code == 0, ran.output
    records = {row[0]: row for row in _records(pg_server, head_database)}
    assert records[backup_id][1:3] == ("failed", backup.DEAD_RUN_ERROR)
    assert [row[1] for key, row in records.items() if key != backup_id] == ["succeeded"]
    assert list(tmp_path.glob(".*.partial")) == [], "the dead run's temporary file is left"
    assert len(list(tmp_path.glob("*.dump"))) == 1
    assert not Path(location).exists()


def test_status_marks_a_dead_backup_failed_at_once(
    spawn, pg_server, head_database: str, blocked_table, tmp_path: Path
) -> None:
    process, pg_dump, env = _start_blocked_backup(spawn, pg_server, head_database, tmp_path)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    _wait_for(lambda: not _alive(pg_dump.pid), SETTLE_S, "pg_dump to die with its parent")
    blocked_table.rollback()

    ran = gxschema("--json", "status", env=env)
    assert ran.code == 0, ran.output
    (shown,) = json.loads(ran.stdout)["backups"]
    assert shown["status"] == "failed"
    ((_id, status, error, _location),) = _records(pg_server, head_database)
    assert (status, error) == ("failed", backup.DEAD_RUN_ERROR)


def test_sigterm_stops_pg_dump_removes_the_file_and_fails_the_record(
    spawn, pg_server, head_database: str, blocked_table, tmp_path: Path
) -> None:
    process, pg_dump, _env = _start_blocked_backup(spawn, pg_server, head_database, tmp_path)

    process.send_signal(signal.SIGTERM)
    _out, err = process.communicate(timeout=20)

    assert process.returncode == 128 + signal.SIGTERM, err
    assert "Traceback" not in err and "SIGTERM" in err
    assert not _alive(pg_dump.pid)
    assert list(tmp_path.iterdir()) == []
    ((_id, status, error, _location),) = _records(pg_server, head_database)
    assert status == "failed" and "SIGTERM" in error


def _conninfo(pg_server, database: str) -> dict[str, object]:
    return {
        "host": pg_server.host,
        "port": pg_server.port,
        "user": pg_server.user,
        "password": pg_server.password,
        "dbname": database,
        "autocommit": True,
    }


def _lock_is_free(connection: psycopg.Connection, backup_id: str) -> bool:
    key = locking.DBLocks.BACKUP_RUN.key(backup_id)
    taken = connection.execute("SELECT pg_try_advisory_lock(%s)", (key,)).fetchone()[0]
    if taken:
        connection.execute("SELECT pg_advisory_unlock(%s)", (key,))
    return bool(taken)


def _slow_pg_restore(folder: Path) -> Path:
    """A pg_restore that sleeps a minute before it becomes the real one (same process)."""
    folder.mkdir()
    wrapper = folder / "pg_restore"
    real = Path(PG_BIN) / "pg_restore"
    wrapper.write_text(
        f"#!{sys.executable}\n"
        "import os, sys, time\n"
        "if '--version' not in sys.argv:\n"
        "    time.sleep(60)\n"
        f"os.execv({str(real)!r}, [{str(real)!r}, *sys.argv[1:]])\n"
    )
    wrapper.chmod(0o755)
    return folder


def _database_exists(pg_server, name: str) -> bool:
    return bool(_query(pg_server, "postgres", "SELECT 1 FROM pg_database WHERE datname = %s", name))


def _restoring_into(pg_restore: psutil.Process) -> str:
    """The scratch database this run's pg_restore restores into (its --dbname).

    Read off the process, not found by listing ``gxverify_*``: the server is shared, and
    another suite's verify may have a scratch database of its own at the same moment.
    """
    (name,) = re.findall(
        r"--dbname=dbname='(gxverify_[0-9a-f]{16})'", " ".join(pg_restore.cmdline())
    )
    return name


@contextlib.contextmanager
def _guard_when_freed(pg_server, scratch: str) -> Iterator[threading.Thread]:
    """Wait, in a thread, for the scratch database's lock, and hold it until the block ends.

    Queued while the run holds it, so it is ours the moment the killed run's session
    ends: no other run's reaper on the shared server can drop the dead run's scratch
    database before the test has seen it left behind.
    """
    key = locking.DBLocks.SCRATCH_DATABASE.key(scratch)
    with psycopg.connect(**_conninfo(pg_server, "postgres")) as holder:

        def wait() -> None:
            with contextlib.suppress(psycopg.Error):  # cancelled: the test failed already
                holder.execute("SELECT pg_advisory_lock(%s)", (key,))

        waiter = threading.Thread(target=wait, daemon=True)
        waiter.start()
        try:
            yield waiter
        finally:
            if waiter.is_alive():
                holder.cancel()
            waiter.join(timeout=10)  # closing the connection frees the lock


@pytest.mark.skipif(not PG_BIN, reason="GXSCHEMA_TEST_PG_BIN names the PostgreSQL binaries")
def test_a_killed_verify_takes_pg_restore_along_and_the_next_run_drops_its_scratch(
    spawn, pg_server, head_database: str, tmp_path: Path
) -> None:
    slow = _slow_pg_restore(tmp_path / "bin")
    dumps = tmp_path / "dumps"
    env = clean_env(**pg_server.env(head_database), PATH=f"{slow}:{PG_BIN}:{os.environ['PATH']}")
    process = spawn("backup", "--verify", "--backup-dir", str(dumps), env=env)
    (pg_restore,) = _wait_for(
        lambda: _named(process.pid, "pg_restore --no-owner"), 60, "pg_restore to start"
    )
    spawn.remember(process)
    scratch = _restoring_into(pg_restore)
    assert _database_exists(pg_server, scratch)

    with _guard_when_freed(pg_server, scratch) as guard:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        _wait_for(lambda: not _alive(pg_restore.pid), SETTLE_S, "pg_restore to die with its parent")
        guard.join(timeout=SETTLE_S)
        assert not guard.is_alive(), "the dead run's session still holds its scratch lock"
        assert _database_exists(pg_server, scratch)  # left by the dead run

    # a scratch database whose run is alive (it holds the lock) is left alone
    alive = f"gxverify_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(**_conninfo(pg_server, "postgres")) as owner:
        owner.execute("SELECT pg_advisory_lock(%s)", (locking.DBLocks.SCRATCH_DATABASE.key(alive),))
        owner.execute(f'CREATE DATABASE "{alive}"')
        try:
            env["PATH"] = f"{PG_BIN}:{os.environ['PATH']}"
            ran = gxschema("backup", "--verify", "--backup-dir", str(dumps), env=env)
            assert ran.code == 0, ran.output
            # (another suite's run on the server may have dropped it first: gone either way)
            assert not _database_exists(pg_server, scratch), "the dead run's scratch is still there"
            assert _database_exists(pg_server, alive)
        finally:
            owner.execute(f'DROP DATABASE IF EXISTS "{alive}" WITH (FORCE)')


def _start_busy_fake(spawn, pg_server, database: str, engine_for, tmp_path: Path):
    seeding.apply(  # fake's users need devnet's countries
        engine_for(database), seeding.load(ROOT / "seeds", "devnet"), env="devnet"
    )
    env = clean_env(**pg_server.env(database), TMPDIR=str(tmp_path))
    process = spawn("fake", "--users", "200000", "--workers", "2", "--batch", "100000", env=env)
    workers = _wait_for(
        lambda: (found := _named(process.pid, "spawn_main")) and len(found) >= 2 and found,
        60,
        "two worker processes",
    )
    spawn.remember(process)
    everything = _descendants(process.pid)
    time.sleep(1.0)  # they are making rows now
    assert all(_alive(worker.pid) for worker in workers)
    return process, everything, env


def _all_gone(processes: list[psutil.Process]) -> None:
    _wait_for(
        lambda: not any(_alive(child.pid) for child in processes),
        SETTLE_S,
        f"{[c.pid for c in processes if _alive(c.pid)]} to die with their parent",
    )


def test_fake_workers_die_when_fake_is_killed_and_the_next_run_removes_its_spool(
    spawn, pg_server, head_database: str, engine_for, tmp_path: Path
) -> None:
    process, everything, env = _start_busy_fake(
        spawn, pg_server, head_database, engine_for, tmp_path
    )
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)

    _all_gone(everything)
    (spool,) = tmp_path.glob("gxschema-fake-*")  # SIGKILL: nothing could remove it
    ran = gxschema("fake", "--users", "20", "--workers", "2", env=env)
    assert ran.code == 0, ran.output
    assert not spool.exists(), "the dead run's spool folder is still there"
    assert list(tmp_path.glob("gxschema-fake-*")) == []


def test_sigterm_stops_fake_and_its_workers_at_once(
    spawn, pg_server, head_database: str, engine_for, tmp_path: Path
) -> None:
    process, everything, _env = _start_busy_fake(
        spawn, pg_server, head_database, engine_for, tmp_path
    )
    stopped = time.monotonic()
    process.send_signal(signal.SIGTERM)
    _out, err = process.communicate(timeout=30)

    assert process.returncode == 128 + signal.SIGTERM, err
    assert "Traceback" not in err and "SIGTERM" in err
    assert time.monotonic() - stopped < 10, "it waited for the workers' pieces"
    _all_gone(everything)
