"""`gxschema seed`: validate the reference data, then apply it in one transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from gxschema.cli.context import connect, handle_errors, settings_or_embedded
from gxschema.cli.options import EnvironmentName
from gxschema.cli.output import Output

if TYPE_CHECKING:
    from pathlib import Path

    from gxschema.environment import Recording
    from gxschema.seeding import SeedReport
    from gxschema.settings import DatabaseSettings

app = typer.Typer()


def run_seed(
    *,
    env: str | None,
    seeds_dir: str | None,
    only: list[str] | None,
    dry_run: bool,
    overwrite: bool,
    quiet: bool = False,
    reassign: bool = False,
    command: str = "seed",
    compare_rows: bool = False,
) -> SeedReport:
    """Seed the configured (or embedded) database for `env` and record `env`; print it.

    `gxschema.seeding.run.seed_database` decides and writes (one transaction, under the
    seed lock); this reads the options, connects, and says what was done. With `env`
    the files are checked before connecting; without, once the record is read. First,
    unless `compare_rows` (or a dry run, an overwrite, a reassignment: they compare),
    one query may show that the database records these very files for `env`
    (`gxschema.seeding.unchanged`): then nothing else is imported, read or written.
    """
    from gxschema.seeding.folder import check_environment_name, seeds_folder

    if env is not None:
        check_environment_name(env)
    folder = seeds_folder(seeds_dir)
    may_skip = not (compare_rows or dry_run or overwrite or reassign)
    asked = False
    if may_skip:
        # Before the settings, which import SQLAlchemy and pydantic: libpq's own reading
        # of the environment names the same database (gxschema.libpq_env), or declines.
        from gxschema.libpq_env import target_from_environment
        from gxschema.seeding.unchanged import recorded_as_files

        target = target_from_environment()
        if target is not None:
            asked = True
            unchanged = recorded_as_files(target.conninfo, folder, env, only, target.parameters)
            if unchanged is not None:
                return _said_unchanged(unchanged, quiet=quiet)
    settings, _source = settings_or_embedded()
    if may_skip and not asked:
        unchanged = _recorded_as_files(settings, folder, env, only)
        if unchanged is not None:
            return _said_unchanged(unchanged, quiet=quiet)

    from gxschema.seeding.run import load_checked, seed_database

    datasets = None if env is None else load_checked(folder, env, only)
    engine = connect(settings, wait_seconds=30.0)
    try:
        seeded = seed_database(
            engine,
            folder,
            env=env,
            only=only,
            datasets=datasets,
            dry_run=dry_run,
            overwrite=overwrite,
            reassign=reassign,
            command=command,
        )
    finally:
        engine.dispose()
    if seeded.recording is not None and seeded.recording.changed:
        Output.current().info(seeded.recording.describe())
    if not quiet:
        _print(seeded.report, env=seeded.environment, dry_run=dry_run, recording=seeded.recording)
    return seeded.report


def _said_unchanged(report: SeedReport, *, quiet: bool) -> SeedReport:
    if not quiet:
        _print(report, env=report.env, dry_run=False, recording=None)
    return report


def _recorded_as_files(
    settings: DatabaseSettings, folder: Path, env: str | None, only: list[str] | None
) -> SeedReport | None:
    """The no-op seed's report if the database records these files for `env`, else None."""
    from gxschema.seeding.unchanged import recorded_as_files
    from gxschema.settings import ConfigurationError

    try:
        url = settings.url().set(drivername="postgresql")
    except ConfigurationError:
        return None  # the full seed's connect says what is wrong
    return recorded_as_files(url.render_as_string(hide_password=False), folder, env, only)


def _print(report: SeedReport, *, env: str, dry_run: bool, recording: Recording | None) -> None:
    output = Output.current()
    data: dict[str, Any] = report.to_dict()
    data.update(
        {
            "env": env,
            "dry_run": dry_run,
            "environment": recording.as_dict() if recording else None,
        }
    )
    datasets = data.get("datasets", [])
    if not report.rows_compared:
        output.table(
            f"Seed datasets ({env}): recorded as these files",
            ["dataset", "version", "rows", "checksum"],
            [
                [d.get("name"), d.get("version"), d.get("row_count"), d.get("checksum", "")[:12]]
                for d in datasets
            ],
        )
        output.result(
            data,
            "nothing to change: the database records these very files for "
            f"{env} (rows not compared; --compare-rows compares them)",
        )
        return
    output.table(
        f"Seed datasets ({env}{', dry run: nothing written' if dry_run else ''})",
        ["dataset", "inserted", "updated", "unchanged", "differing"],
        [
            [
                d.get("name"),
                d.get("inserted"),
                d.get("updated"),
                d.get("unchanged"),
                len(d.get("differing", []) or []),
            ]
            for d in datasets
        ],
    )
    lines = []
    for dataset in datasets:
        for item in dataset.get("differing", []) or []:
            where = f"{dataset.get('name')} {item.get('key')} {item.get('column', '')}".strip()
            if item.get("action") == "reset":
                lines.append(
                    f"  reset {where} to the file's {item.get('file')!r} "
                    f"(was {item.get('database')!r})"
                )
            else:
                lines.append(
                    f"  kept the operator's value of {where}: {item.get('database')!r} "
                    f"(file: {item.get('file')!r}); --overwrite resets it"
                )
    verdict = (
        "nothing to change"
        if not report.changed
        else ("would change the rows above" if dry_run else "applied")
    )
    output.result(data, "\n".join([*lines, verdict]))


@app.command()
@handle_errors
def seed(
    env: Annotated[
        EnvironmentName | None,
        typer.Option(
            help="The environment to seed for, recorded in the database "
            "(default: the environment it records).",
            show_default=False,
        ),
    ] = None,
    only: Annotated[
        list[str] | None, typer.Option(help="Apply only this dataset (repeatable).")
    ] = None,
    seeds_dir: Annotated[str | None, typer.Option(help="Folder of seed files.")] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change; write nothing.")
    ] = False,
    overwrite: Annotated[
        bool,
        typer.Option("--overwrite", help="Reset values an operator changed to the file's."),
    ] = False,
    reassign_environment: Annotated[
        bool,
        typer.Option(
            "--reassign-environment",
            help="Record --env even though the database records another environment.",
        ),
    ] = False,
    compare_rows: Annotated[
        bool,
        typer.Option(
            "--compare-rows",
            help="Compare every row with the files even when the database records these "
            "very files (finds rows deleted or changed by hand).",
        ),
    ] = False,
) -> None:
    """Validate the seed files, then apply them in one transaction (idempotent).

    The environment is recorded in the database; without --env the recorded one is
    used. Another environment, or devnet's demo data on a database treated as
    production, is refused unless --reassign-environment.
    """
    run_seed(
        env=env,
        seeds_dir=seeds_dir,
        only=only,
        dry_run=dry_run,
        overwrite=overwrite,
        reassign=reassign_environment,
        compare_rows=compare_rows,
    )
