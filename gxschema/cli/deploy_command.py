"""`gxschema deploy`: everything the in-cluster migration Job does, in order.

The pipeline (wait, back up if a revision is pending, migrate, record the
environment and seed, verify) is `gxschema.deploy`'s; this command reads the options,
runs it against the configured database and prints one summary at the end (JSON with
``--json``). Each step's failure exits non-zero with the step named; drift after the
migration exits 1 once the summary is printed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from gxschema.cli.backup_commands import describe_backup
from gxschema.cli.context import connect, handle_errors, settings_or_embedded
from gxschema.cli.options import (
    DEFAULT_BACKUP_DIR,
    BackupDir,
    EnvironmentName,
    LockRetries,
    LockTimeout,
    StatementTimeout,
    WaitSeconds,
    deprecated_alias,
    migration_options,
    renamed,
)
from gxschema.cli.output import Output
from gxschema.errors import CheckFailedError

if TYPE_CHECKING:
    from gxschema.deploy import DeployResult

app = typer.Typer()


@app.command()
@handle_errors
def deploy(
    env: Annotated[EnvironmentName, typer.Option("--env", help="The environment to deploy.")],
    backup_first: Annotated[
        bool | None,
        typer.Option(
            "--backup-first/--no-backup-first",
            help="Back up before migrating when a revision is pending; a failed backup "
            "stops the deploy (default: on for mainnet, off for testnet and devnet).",
        ),
    ] = None,
    backup_always: Annotated[
        bool,
        typer.Option(
            "--backup-always",
            help="Back up before migrating even when no revision is pending.",
        ),
    ] = False,
    backup_dir: BackupDir = DEFAULT_BACKUP_DIR,
    wait: WaitSeconds = 120.0,
    wait_timeout: Annotated[float | None, deprecated_alias("--wait-timeout", "--wait")] = None,
    lock_timeout: LockTimeout = "5s",
    lock_retries: LockRetries = 10,
    statement_timeout: StatementTimeout = "15min",
    reassign_environment: Annotated[
        bool,
        typer.Option(
            "--reassign-environment",
            help="Deploy --env even though the database records another environment "
            "(the record is changed).",
        ),
    ] = False,
) -> None:
    """Wait for the database, back up (optionally), migrate to head, seed, verify."""
    from gxschema.deploy import DeployRequest
    from gxschema.deploy import deploy as run_deploy

    request = DeployRequest(
        env=env,
        backup_first=backup_first,
        backup_always=backup_always,
        backup_dir=backup_dir,
        wait_seconds=renamed(wait, wait_timeout),
        migration=migration_options(lock_timeout, statement_timeout, lock_retries),
        reassign_environment=reassign_environment,
    )
    output = Output.current()
    settings, source = settings_or_embedded()
    where = settings.describe() if source == "configured" else "embedded"
    result = run_deploy(settings, request, connect=connect, database=where, on_progress=output.info)
    output.result(result.as_dict(), _summary(result))
    if result.differences:
        raise CheckFailedError(
            f"the schema differs from the models in {len(result.differences)} place(s) after "
            "the migration (see above)"
        )


def _summary(result: DeployResult) -> str:
    """The summary for people: one line per step, the differences before the verdict."""
    migration, differences = result.migration, result.differences
    datasets = result.seed.to_dict().get("datasets", []) or []
    inserted = sum(int(d.get("inserted", 0) or 0) for d in datasets)
    updated = sum(int(d.get("updated", 0) or 0) for d in datasets)
    return "\n".join(
        [
            f"deploy {result.env} to {result.database}",
            describe_backup(result.backup)
            if result.backup
            else f"backup:   none ({result.decision.reason})",
            (
                f"migrated: {migration.from_revision or 'base'} -> {migration.to_revision} "
                f"({', '.join(migration.applied)})"
                if migration.changed
                else f"migrated: already at {migration.to_revision}, nothing to do"
            ),
            f"seeded:   {inserted} row(s) inserted, {updated} updated"
            f"{'' if result.seed.changed else ' (nothing changed)'}",
            *(f"  {difference}" for difference in differences),
            (
                f"verify:   {len(differences)} difference(s) from the models"
                if differences
                else f"verify:   the database matches the models (revision {result.revision})"
            ),
        ]
    )
