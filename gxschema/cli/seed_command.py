"""`gxschema seed`: validate the reference data, then apply it in one transaction."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from sqlalchemy import text

from gxschema.cli.context import connect, handle_errors, settings_or_embedded
from gxschema.cli.output import Output
from gxschema.errors import ConfigError

if TYPE_CHECKING:
    from gxschema.environment import Recording
    from gxschema.seeding import Dataset, SeedReport

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def default_seeds_dir() -> Path:
    """``$GXSCHEMA_SEEDS_DIR``, else the wheel's own seeds, else ``seeds/`` of a checkout."""
    configured = os.environ.get("GXSCHEMA_SEEDS_DIR")
    if configured:
        return Path(configured)
    for candidate in (_PACKAGE_DIR / "seeds", _PACKAGE_DIR.parent / "seeds"):
        if candidate.is_dir():
            return candidate
    raise ConfigError("no seed files found: give --seeds-dir or set GXSCHEMA_SEEDS_DIR")


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
) -> SeedReport:
    """Seed for `env` (None: the environment the database records) and record `env`.

    In one transaction, under the seed lock: refuse an environment other than the
    recorded one (unless `reassign`) and demo data for a database treated as
    production (`gxschema.environment`), record the environment, apply the datasets.
    A refusal or a failed seed writes nothing, the record included. `command` (seed,
    deploy, up) is named in the record's description.
    """
    from gxschema import environment, seeding
    from gxschema.migrator import runner_name
    from gxschema.seeding.apply import SEED_LOCK_KEY

    if env is not None and env not in seeding.ENVIRONMENTS:
        choices = ", ".join(seeding.ENVIRONMENTS)
        raise ConfigError(f"unknown environment {env!r} (choose one of {choices})")
    folder = Path(seeds_dir) if seeds_dir else default_seeds_dir()
    if not folder.is_dir():
        raise ConfigError(f"the seeds directory {folder} does not exist")
    # with --env the files are checked before connecting; without, once the record is read
    datasets = None if env is None else _load(folder, env, only)
    settings, _source = settings_or_embedded()
    engine = connect(settings, wait_seconds=30.0)
    try:
        with engine.begin() as connection:
            # the seed lock first, so that no other seeder records an environment between
            # this check and this record
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SEED_LOCK_KEY})
            chosen = environment.seed_environment(connection, env)
            environment.check_target(connection, chosen, reassign=reassign)
            if datasets is None:
                datasets = _load(folder, chosen, only)
            recording = None
            if not dry_run:
                # recorded first, so the seed writes for the environment the database now
                # has; the same transaction, so a failed seed takes the record back with it
                recording = environment.record(
                    connection,
                    chosen,
                    reassign=reassign,
                    by=f"`gxschema {command} --env {chosen}` on {runner_name()}",
                )
            report = seeding.apply(
                connection,
                datasets,
                env=chosen,
                dry_run=dry_run,
                overwrite=overwrite,
                applied_by=runner_name(),
            )
    finally:
        engine.dispose()
    if recording is not None and recording.changed:
        Output.current().info(recording.describe())
    if not quiet:
        _print(report, env=chosen, dry_run=dry_run, recording=recording)
    return report


def _load(folder: Path, env: str, only: list[str] | None) -> list[Dataset]:
    """The validated datasets of `env`; any problem is bad input (exit 2)."""
    from gxschema import seeding
    from gxschema.privileges import ENVIRONMENT_KEY

    try:
        datasets = seeding.load(folder, env, only)
    except seeding.SeedValidationError as error:
        raise ConfigError(str(error)) from None
    # seed files never hold the environment record: only `environment.record` writes it
    for dataset in datasets:
        for rows in dataset.tables:
            if rows.table == "SystemConfig" and any(
                row.get("configKey") == ENVIRONMENT_KEY for row in rows.rows
            ):
                raise ConfigError(
                    f"{dataset.source}: the key {ENVIRONMENT_KEY!r} is the database's "
                    "environment record, which seed files may not set (give --env instead)"
                )
    return datasets


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


def register(app: typer.Typer) -> None:
    @app.command()
    @handle_errors
    def seed(
        env: Annotated[
            str | None,
            typer.Option(
                help="devnet, testnet or mainnet, recorded in the database "
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
        )
