"""`gxschema deploy`: everything the in-cluster migration Job does, in order.

1. wait for the database (bounded backoff), and refuse an ``--env`` other than the
   environment the database records (`gxschema.environment`) unless
   ``--reassign-environment``, before anything is written;
2. back up first, if asked (on by default for mainnet): a failed backup stops here,
   before anything changed;
3. migrate to head (advisory lock, lock timeout with retries, recorded run);
4. seed the reference data of the environment, and record the environment;
5. verify that the live schema is exactly the models' (drift fails the Job).

One summary at the end (JSON with ``--json``); each step's failure exits non-zero
with the step named.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer
from sqlalchemy import Engine

from gxschema import backup as backups
from gxschema import drift, environment, migrator
from gxschema.cli.backup_commands import DEFAULT_BACKUP_DIR, describe_backup
from gxschema.cli.context import connect, handle_errors, settings_or_embedded
from gxschema.cli.output import Output
from gxschema.cli.schema_commands import (
    LockRetries,
    LockTimeout,
    StatementTimeout,
    _options,
    run_migration,
)
from gxschema.cli.seed_command import run_seed
from gxschema.errors import CheckFailedError, ConfigError, GxSchemaError, OperationError
from gxschema.seeding.layout import ENVIRONMENTS
from gxschema.settings import DatabaseSettings

# Environments whose schema changes are backed up first unless told otherwise.
BACKUP_FIRST_BY_DEFAULT = frozenset({"mainnet"})


@dataclass(frozen=True)
class BackupDecision:
    """Whether deploy takes its pre-migration dump, and why (the summary says both)."""

    take: bool
    reason: str


def decide_backup(
    engine: Engine, *, env: str, requested: bool | None, always: bool
) -> BackupDecision:
    """Back up only when the migration will change something (or when told always).

    A dump protects against a migration going wrong, so with no revision pending there
    is nothing to protect: an Argo CD sync of an unchanged release must not cost a full
    dump of a large database each time. This only reads the current revision; a
    concurrent deploy of the same release can only move the database towards the same
    head, so "nothing pending" stays true. `always` (``--backup-always``) keeps the
    dump on every run.
    """
    if always:
        return BackupDecision(True, "--backup-always")
    if requested is False:
        return BackupDecision(False, "--no-backup-first")
    if requested is None and env not in BACKUP_FIRST_BY_DEFAULT:
        return BackupDecision(False, f"not asked for (off by default for {env})")
    with engine.connect() as connection:
        current = migrator.current_revision(connection)
    try:
        pending = migrator.pending_revisions(current, "head")
    except Exception:  # a revision this code does not know: the migration refuses it
        return BackupDecision(
            False, f"the database is at {current!r}, unknown to this version (nothing to apply)"
        )
    if not pending:
        return BackupDecision(False, f"no revision pending (already at {current})")
    return BackupDecision(True, f"{len(pending)} revision(s) pending: {', '.join(pending)}")


def _backup_first(
    settings: DatabaseSettings, directory: Path, engine: Engine, say: backups.Progress
) -> backups.BackupResult:
    """The pre-migration backup; any failure stops the deploy before it changes anything."""
    stop = "the pre-migration backup failed, so nothing was migrated"
    try:
        return backups.take_backup(
            settings, directory, kind="pre-migration", engine=engine, on_progress=say
        )
    except GxSchemaError as error:
        raise type(error)(f"{stop}: {error}") from None
    except Exception as error:
        raise OperationError(f"{stop}: {type(error).__name__}: {error}") from None


def register(app: typer.Typer) -> None:
    @app.command()
    @handle_errors
    def deploy(
        env: Annotated[
            str, typer.Option("--env", help="The environment: mainnet, testnet or devnet.")
        ],
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
        backup_dir: Annotated[
            Path,
            typer.Option(
                envvar="GXSCHEMA_BACKUP_DIR",
                help="Folder of the pre-migration dump (default: $GXSCHEMA_BACKUP_DIR, "
                "else ./backups).",
            ),
        ] = DEFAULT_BACKUP_DIR,
        wait_timeout: Annotated[
            float,
            typer.Option(min=0, help="How long to wait for the database to answer, in seconds."),
        ] = 120.0,
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
        if env not in ENVIRONMENTS:
            raise ConfigError(
                f"unknown environment {env!r} (choose one of {', '.join(ENVIRONMENTS)})"
            )
        options = _options(lock_timeout, statement_timeout, lock_retries)
        output = Output.current()
        clock = time.monotonic()
        settings, source = settings_or_embedded()
        where = settings.describe() if source == "configured" else "embedded"
        output.info(f"deploy {env}: waiting up to {wait_timeout:g}s for {where}")
        engine = connect(settings, wait_seconds=wait_timeout)
        try:
            # the database's recorded environment decides first: a mismatch is refused
            # before the backup and the migration (the seed records --env)
            with engine.connect() as connection:
                environment.check_target(connection, env, reassign=reassign_environment)
            backed_up = None
            decision = decide_backup(engine, env=env, requested=backup_first, always=backup_always)
            if decision.take:
                output.info(f"backing up {where} into {backup_dir} ({decision.reason})")
                backed_up = _backup_first(settings, backup_dir, engine, output.info)
            else:
                output.info(f"no backup: {decision.reason}")
            output.info("migrating to head")
            migration = run_migration("head", "upgrade", options, wait_timeout)
            output.info(f"seeding the {env} reference data")
            seeded = run_seed(
                env=env,
                seeds_dir=None,
                only=None,
                dry_run=False,
                overwrite=False,
                quiet=True,
                reassign=reassign_environment,
                command="deploy",
            )
            output.info("verifying the schema against the models")
            with engine.connect() as connection:
                differences = drift.check(connection)
                revision = migrator.current_revision(connection)
        finally:
            engine.dispose()
        seed_data: dict[str, Any] = seeded.to_dict()
        summary: dict[str, Any] = {
            "env": env,
            "database": where,
            "backup": {
                "taken": backed_up is not None,
                "reason": decision.reason,
                **(backed_up.as_dict() if backed_up else {}),
            },
            "migration": migration.as_dict(),
            "seed": seed_data,
            "verify": {
                "identical": not differences,
                "revision": revision,
                "differences": [difference.as_dict() for difference in differences],
            },
            "duration_ms": int((time.monotonic() - clock) * 1000),
        }
        datasets = seed_data.get("datasets", []) or []
        inserted = sum(int(d.get("inserted", 0) or 0) for d in datasets)
        updated = sum(int(d.get("updated", 0) or 0) for d in datasets)
        lines = [
            f"deploy {env} to {where}",
            describe_backup(backed_up) if backed_up else f"backup:   none ({decision.reason})",
            (
                f"migrated: {migration.from_revision or 'base'} -> {migration.to_revision} "
                f"({', '.join(migration.applied)})"
                if migration.changed
                else f"migrated: already at {migration.to_revision}, nothing to do"
            ),
            f"seeded:   {inserted} row(s) inserted, {updated} updated"
            f"{'' if seeded.changed else ' (nothing changed)'}",
            *(f"  {difference}" for difference in differences),
            (
                f"verify:   {len(differences)} difference(s) from the models"
                if differences
                else f"verify:   the database matches the models (revision {revision})"
            ),
        ]
        output.result(summary, "\n".join(lines))
        if differences:
            raise CheckFailedError(
                f"the schema differs from the models in {len(differences)} place(s) after "
                "the migration (see above)"
            )
