"""`gxschema seed`: validate the reference data, then apply it in one transaction."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from gxschema.cli.context import connect, handle_errors, settings_or_embedded
from gxschema.cli.output import Output
from gxschema.errors import ConfigError

if TYPE_CHECKING:
    from gxschema.seeding import SeedReport

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
    env: str,
    seeds_dir: str | None,
    only: list[str] | None,
    dry_run: bool,
    overwrite: bool,
    quiet: bool = False,
) -> SeedReport:
    from gxschema import seeding
    from gxschema.migrator import runner_name

    if env not in seeding.ENVIRONMENTS:
        choices = ", ".join(seeding.ENVIRONMENTS)
        raise ConfigError(f"unknown environment {env!r} (choose one of {choices})")
    folder = Path(seeds_dir) if seeds_dir else default_seeds_dir()
    if not folder.is_dir():
        raise ConfigError(f"the seeds directory {folder} does not exist")
    try:
        datasets = seeding.load(folder, env, only)
    except seeding.SeedValidationError as error:
        raise ConfigError(str(error)) from None
    settings, _source = settings_or_embedded()
    engine = connect(settings, wait_seconds=30.0)
    try:
        with engine.begin() as connection:
            report = seeding.apply(
                connection,
                datasets,
                env=env,
                dry_run=dry_run,
                overwrite=overwrite,
                applied_by=runner_name(),
            )
    finally:
        engine.dispose()
    if not quiet:
        _print(report, env=env, dry_run=dry_run)
    return report


def _print(report: SeedReport, *, env: str, dry_run: bool) -> None:
    output = Output.current()
    data: dict[str, Any] = report.to_dict()
    data.update({"env": env, "dry_run": dry_run})
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
        env: Annotated[str, typer.Option(help="devnet, testnet or mainnet.")] = "devnet",
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
    ) -> None:
        """Validate the seed files, then apply them in one transaction (idempotent)."""
        run_seed(env=env, seeds_dir=seeds_dir, only=only, dry_run=dry_run, overwrite=overwrite)
