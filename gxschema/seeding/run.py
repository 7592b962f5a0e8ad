"""Seed a database for its environment, and record that environment, in one transaction.

What `gxschema seed`, `gxschema up` and the deploy pipeline (`gxschema.deploy`) share:
which files may be applied (where they are: `gxschema.seeding.folder`), and the one
transaction that takes the seed lock, checks and records the database's environment and
applies the datasets. The command line only reads options and prints; this module decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, text

from gxschema import environment
from gxschema.environment import Recording
from gxschema.errors import ConfigError
from gxschema.migrator import runner_name
from gxschema.privileges import ENVIRONMENT_KEY
from gxschema.seeding.apply import SEED_LOCK_KEY, apply
from gxschema.seeding.dataset import Dataset
from gxschema.seeding.errors import SeedValidationError
from gxschema.seeding.folder import check_environment_name as check_environment_name
from gxschema.seeding.folder import default_seeds_dir as default_seeds_dir
from gxschema.seeding.folder import seeds_folder as seeds_folder
from gxschema.seeding.load import load
from gxschema.seeding.report import SeedReport


def load_checked(folder: Path, env: str, only: list[str] | None) -> list[Dataset]:
    """The validated datasets of `env`; any problem is bad input (exit 2)."""
    try:
        datasets = load(folder, env, only)
    except SeedValidationError as error:
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


@dataclass(frozen=True)
class SeedRun:
    """What one seeding did: the datasets' report, for which environment, the record."""

    report: SeedReport
    environment: str
    recording: Recording | None


def seed_database(
    engine: Engine,
    folder: Path,
    *,
    env: str | None,
    only: list[str] | None = None,
    datasets: list[Dataset] | None = None,
    dry_run: bool = False,
    overwrite: bool = False,
    reassign: bool = False,
    command: str = "seed",
) -> SeedRun:
    """Seed for `env` (None: the environment the database records) and record `env`.

    In one transaction, under the seed lock: refuse an environment other than the
    recorded one (unless `reassign`) and demo data for a database treated as
    production (`gxschema.environment`), record the environment, apply the datasets
    (`datasets` if already loaded, else those of `folder`). A refusal or a failed seed
    writes nothing, the record included. `command` (seed, deploy, up) is named in the
    record's description.
    """
    with engine.begin() as connection:
        # the seed lock first, so that no other seeder records an environment between
        # this check and this record
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SEED_LOCK_KEY})
        chosen = environment.seed_environment(connection, env)
        environment.check_target(connection, chosen, reassign=reassign)
        if datasets is None:
            datasets = load_checked(folder, chosen, only)
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
        report = apply(
            connection,
            datasets,
            env=chosen,
            dry_run=dry_run,
            overwrite=overwrite,
            applied_by=runner_name(),
        )
    return SeedRun(report, chosen, recording)
