"""`gxschema backup` and `gxschema restore`: dumps that are checked, pruned and proven.

The work is done by `gxschema.backup`; these commands only read options, print, and
turn failures into exit codes.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from gxschema.cli.context import STATE, connect, handle_errors, settings_or_embedded
from gxschema.cli.options import (
    DEFAULT_BACKUP_DIR,
    BackupDir,
    BackupDirBefore,
    BackupKind,
    WaitSeconds,
    renamed,
)
from gxschema.cli.output import Output
from gxschema.cli.progress import ProgressBar, ShowProgress
from gxschema.errors import ConfigError

if TYPE_CHECKING:
    from gxschema.backup import BackupResult


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024:
            return f"{size} B" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} TiB"


def describe_backup(result: BackupResult) -> str:
    recorded = "recorded in BackupRecord" if result.recorded else "not recorded (no BackupRecord)"
    lines = [
        f"backup:   {result.path} ({human_size(result.size_bytes)}, sha256 "
        f"{result.checksum[:16]}...)",
        f"database: {result.target} at revision {result.schema_revision or 'none'}; {recorded}",
    ]
    if result.pruned:
        lines.append(f"pruned:   {', '.join(path.name for path in result.pruned)}")
    return "\n".join(lines)


def _chosen_dump(directory: Path, file: str | None, latest: bool) -> Path:
    from gxschema import backup as backups

    if (file is None) == (not latest):
        raise ConfigError("name the dump to restore: give either --file NAME or --latest")
    if file is not None:
        path = Path(file)
        return path if path.is_absolute() or path.parent != Path() else directory / path
    dumps = backups.list_dumps(directory)
    if not dumps:
        raise ConfigError(f"there is no dump in {directory}")
    databases = sorted({backups.dump_database(path) or "" for path in dumps})
    if len(databases) > 1:
        raise ConfigError(
            f"{directory} holds dumps of several databases ({', '.join(databases)}): "
            "name the one to restore with --file"
        )
    return dumps[0]


app = typer.Typer()


@app.command("backup")
@handle_errors
def backup_command(
    directory: BackupDir = DEFAULT_BACKUP_DIR,
    directory_before: BackupDirBefore = None,
    keep: Annotated[
        int, typer.Option(min=1, help="Keep only the newest KEEP dumps of this database.")
    ] = 30,
    verify: Annotated[
        bool,
        typer.Option(
            "--verify",
            help="Then restore the new dump into a scratch database, compare row counts "
            "with the source, drop the scratch database and set verifiedAt.",
        ),
    ] = False,
    kind: Annotated[BackupKind, typer.Option(help="The kind recorded in BackupRecord.")] = (
        "scheduled"
    ),
    wait: WaitSeconds = 30.0,
    progress: ShowProgress = None,
) -> None:
    """Dump the database (pg_dump, custom format) with a SHA-256 checksum; prune old dumps."""
    from gxschema import backup as backups

    directory = renamed(directory, directory_before)
    output = Output.current()
    settings, _source = settings_or_embedded()
    engine = connect(settings, wait_seconds=wait)
    try:
        # The dump's size as pg_dump writes it: no total, since compressed it ends
        # up far smaller than the database.
        with ProgressBar(
            output.errors, forced=progress, total=None, unit="bytes", description="pg_dump"
        ) as bar:
            result = backups.take_backup(
                settings,
                directory,
                keep=keep,
                kind=kind,
                engine=engine,
                count_rows=verify,
                on_progress=output.info,
                on_bytes=lambda done: bar.update(completed=done),
            )
        data = result.as_dict()
        human = describe_backup(result)
        if verify:
            verified = backups.verify(
                settings,
                result.path,
                expected_counts=result.row_counts,
                engine=engine,
                on_progress=output.info,
            )
            data["verify"] = verified.as_dict()
            human += (
                f"\nverified: restored into a scratch database (dropped again): "
                f"{verified.tables} tables, {verified.rows} rows, the same as the source"
            )
    finally:
        engine.dispose()
    output.result(data, human)


@app.command("restore")
@handle_errors
def restore_command(
    target_database: Annotated[
        str,
        typer.Option(
            "--target-database",
            help="Database to restore into (created if missing) on the configured server.",
        ),
    ],
    directory: BackupDir = DEFAULT_BACKUP_DIR,
    directory_before: BackupDirBefore = None,
    file: Annotated[
        str | None,
        typer.Option("--file", help="The dump's file name in BACKUP_DIR (or a path)."),
    ] = None,
    latest: Annotated[
        bool, typer.Option("--latest", help="Restore the newest dump in BACKUP_DIR.")
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Replace a target database that is not empty (it is dropped and "
            "recreated from the dump once the restore has succeeded).",
        ),
    ] = False,
    no_privileges: Annotated[
        bool,
        typer.Option(
            "--no-privileges",
            help="Skip grants and default privileges (for a restoring role that may not "
            "set those of the role that ran the migrations; re-grant afterwards).",
        ),
    ] = False,
    progress: ShowProgress = None,
) -> None:
    """Restore a dump (its checksum checked first) into a database; never over data
    without --force."""
    from gxschema import backup as backups

    output = Output.current()
    dump = _chosen_dump(renamed(directory, directory_before), file, latest)
    settings, _source = settings_or_embedded()
    STATE.secrets = settings.secrets()
    # How far pg_restore has read into the dump, of its size.
    with ProgressBar(
        output.errors,
        forced=progress,
        total=dump.stat().st_size if dump.is_file() else None,
        unit="bytes",
        description="pg_restore",
    ) as bar:
        result = backups.restore(
            settings,
            dump,
            target_database,
            force=force,
            privileges=not no_privileges,
            on_progress=output.info,
            on_bytes=lambda done: bar.update(completed=done),
        )
    how = "replaced" if result.replaced else "created" if result.created else "was empty"
    output.result(
        result.as_dict(),
        f"restored {result.dump.name} into {result.target_database} "
        f"({'database ' + how}) in {result.duration_ms} ms",
    )
