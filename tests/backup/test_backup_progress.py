"""Backup and restore show how far they have got: bytes done (of the dump's size for a
restore) and the rate, on stderr only, on a terminal or with ``--progress``.

The commands run as a person runs them (a child process, real pg_dump and
pg_restore); the watcher that reads the figures is tested on processes of its own.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

from gxschema.backup.watching import read_position_of, size_of, watching

from ..support.cli import clean_env, gxschema

# An amount as the bar prints it: "0 bytes", "1.1 kB", "12.3 MB".
AMOUNT = r"\d[\d,.]* (?:bytes|[kMGT]B)"
HIDE_CURSOR = "\x1b[?25l"  # what a drawn bar starts with


def test_backup_and_restore_show_bytes_on_stderr_and_only_the_result_on_stdout(
    pg_server, head_database, tmp_path: Path
) -> None:
    env = clean_env(**pg_server.env(head_database))
    backup = gxschema("backup", "--backup-dir", str(tmp_path), "--progress", "--json", env=env)
    assert backup.code == 0, backup.output
    dumped = json.loads(backup.stdout)  # stdout: the one JSON document, no bar in it
    assert re.search(rf"pg_dump .*{AMOUNT}", backup.stderr), backup.stderr

    target = f"gxtest_progress_{uuid.uuid4().hex[:8]}"
    try:
        restore = gxschema(
            "restore", "--backup-dir", str(tmp_path), "--latest", "--target-database", target,
            "--progress", "--json", env=env,
        )  # fmt: skip
        assert restore.code == 0, restore.output
        assert json.loads(restore.stdout)["target_database"] == target
        # of the dump's size, and all of it by the end
        done, total = re.findall(rf"({AMOUNT})/({AMOUNT})", restore.stderr)[-1]
        assert done == total, restore.stderr
        assert "pg_restore" in restore.stderr
        assert dumped["size_bytes"] > 0
    finally:
        pg_server.drop_database(target)


def test_no_bar_when_stderr_is_not_a_terminal_unless_forced(
    pg_server, head_database, tmp_path: Path
) -> None:
    env = clean_env(**pg_server.env(head_database))
    plain = gxschema("backup", "--backup-dir", str(tmp_path), env=env)
    assert plain.code == 0, plain.output
    assert HIDE_CURSOR not in plain.stderr and not re.search(AMOUNT, plain.stderr)
    assert "dumping" in plain.stderr  # the steps are still said


def test_the_size_of_a_growing_file_is_reported_about_every_interval(tmp_path: Path) -> None:
    growing = tmp_path / "dump.partial"
    seen: list[int] = []
    with watching(size_of(growing), seen.append, interval=0.05):
        time.sleep(0.2)  # not there yet: nothing reported
        assert seen == []
        for _ in range(3):
            with growing.open("ab") as file:
                file.write(b"x" * 1000)
            time.sleep(0.2)
    assert seen and seen[-1] == 3000
    assert seen == sorted(seen)
    after = len(seen)
    time.sleep(0.2)
    assert len(seen) == after  # stopped with the block


def test_how_far_a_child_has_read_into_a_file(tmp_path: Path) -> None:
    archive = tmp_path / "archive.dump"
    archive.write_bytes(b"\0" * 10_000)
    reader = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "f = open(sys.argv[1], 'rb', buffering=0); f.read(4321)\n"
            "print('read', flush=True); time.sleep(30)",
            str(archive),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout is not None and reader.stdout.readline() == "read\n"
        assert read_position_of(archive)() == 4321
        assert read_position_of(tmp_path / "another")() is None  # nobody reads that
    finally:
        reader.kill()
        reader.wait()
