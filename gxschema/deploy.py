"""The deploy pipeline: everything the in-cluster migration Job does, in order.

1. wait for the database (the caller's `connect`, bounded backoff), and refuse an
   environment other than the one the database records (`gxschema.environment`)
   unless `reassign_environment`, before anything is written;
2. back up first when asked and a revision is pending (`decide_backup`; on by
   default for mainnet): a failed backup stops here, before anything changed;
3. migrate to head (advisory lock, lock timeout with retries, recorded run);
4. record the environment and seed its reference data (`gxschema.seeding.run`);
5. verify that the live schema is exactly the models' (`gxschema.drift`).

`gxschema deploy` reads the options, calls `deploy` and prints the `DeployResult`;
drift after the migration is the caller's to turn into a failure (the result says
it, so the summary can still be printed first).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import Engine

from gxschema import backup as backups
from gxschema import drift, environment, migrator
from gxschema.errors import GxSchemaError, OperationError
from gxschema.seeding.report import SeedReport
from gxschema.seeding.run import check_environment_name, seed_database, seeds_folder
from gxschema.settings import DatabaseSettings

BACKUP_FIRST_BY_DEFAULT = frozenset({"mainnet"})
"""Environments whose schema changes are backed up first unless told otherwise."""

Progress = Callable[[str], None]


class Connect(Protocol):
    """How the pipeline waits for the database: an engine whose database answered."""

    def __call__(self, settings: DatabaseSettings, *, wait_seconds: float) -> Engine: ...


@dataclass(frozen=True)
class DeployRequest:
    """What to deploy: the environment, and how to treat the backup and the migration."""

    env: str
    backup_first: bool | None = None
    """True/False: back up (when a revision is pending) or not; None: the env's default."""
    backup_always: bool = False
    """Back up even when no revision is pending."""
    backup_dir: Path = Path("backups")
    wait_seconds: float = 120.0
    migration: migrator.MigrationOptions = field(default_factory=migrator.MigrationOptions)
    reassign_environment: bool = False


@dataclass(frozen=True)
class BackupDecision:
    """Whether deploy takes its pre-migration dump, and why (the summary says both)."""

    take: bool
    reason: str


@dataclass(frozen=True)
class DeployResult:
    """What each step did, for the summary (``as_dict`` is the ``--json`` document)."""

    env: str
    database: str
    decision: BackupDecision
    backup: backups.BackupResult | None
    migration: migrator.MigrationResult
    seed: SeedReport
    differences: list[Any]
    revision: str | None
    duration_ms: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "env": self.env,
            "database": self.database,
            "backup": {
                "taken": self.backup is not None,
                "reason": self.decision.reason,
                **(self.backup.as_dict() if self.backup else {}),
            },
            "migration": self.migration.as_dict(),
            "seed": self.seed.to_dict(),
            "verify": {
                "identical": not self.differences,
                "revision": self.revision,
                "differences": [difference.as_dict() for difference in self.differences],
            },
            "duration_ms": self.duration_ms,
        }


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


def backup_first(
    settings: DatabaseSettings, directory: Path, engine: Engine, say: Progress
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


def deploy(
    settings: DatabaseSettings,
    request: DeployRequest,
    *,
    connect: Connect,
    database: str,
    on_progress: Progress,
) -> DeployResult:
    """Run the pipeline on the database of `settings` (described as `database`)."""
    env = request.env
    check_environment_name(env)
    clock = time.monotonic()
    on_progress(f"deploy {env}: waiting up to {request.wait_seconds:g}s for {database}")
    engine = connect(settings, wait_seconds=request.wait_seconds)
    try:
        # the database's recorded environment decides first: a mismatch is refused
        # before the backup and the migration (the seed records it)
        with engine.connect() as connection:
            environment.check_target(connection, env, reassign=request.reassign_environment)
        backed_up = None
        decision = decide_backup(
            engine, env=env, requested=request.backup_first, always=request.backup_always
        )
        if decision.take:
            on_progress(f"backing up {database} into {request.backup_dir} ({decision.reason})")
            backed_up = backup_first(settings, request.backup_dir, engine, on_progress)
        else:
            on_progress(f"no backup: {decision.reason}")
        on_progress("migrating to head")
        migration = migrator.migrate(
            engine,
            "head",
            direction="upgrade",
            options=request.migration,
            secrets=settings.secrets(),
            on_progress=on_progress,
        )
        on_progress(f"seeding the {env} reference data")
        seeded = seed_database(
            engine,
            seeds_folder(None),
            env=env,
            only=None,  # every dataset of the environment
            dry_run=False,
            overwrite=False,  # values an operator changed stay as they are
            reassign=request.reassign_environment,
            command="deploy",
        )
        if seeded.recording is not None and seeded.recording.changed:
            on_progress(seeded.recording.describe())
        on_progress("verifying the schema against the models")
        with engine.connect() as connection:
            differences = drift.check(connection)
            revision = migrator.current_revision(connection)
    finally:
        engine.dispose()
    return DeployResult(
        env=env,
        database=database,
        decision=decision,
        backup=backed_up,
        migration=migration,
        seed=seeded.report,
        differences=list(differences),
        revision=revision,
        duration_ms=int((time.monotonic() - clock) * 1000),
    )
