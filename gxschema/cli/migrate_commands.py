"""`gxschema migrate` and `gxschema downgrade`: move the schema along its revisions.

Both take the same lock and statement timeouts and lock retries
(`gxschema.cli.options`); the work is `gxschema.migrator`'s, except for ``migrate`` of
an empty database to head, which `gxschema.migrate_from_empty` does without Alembic.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from gxschema.cli.context import connect, handle_errors, settings_or_embedded
from gxschema.cli.options import (
    LockRetries,
    LockTimeout,
    StatementTimeout,
    WaitSeconds,
    migration_options,
)
from gxschema.cli.output import Output

if TYPE_CHECKING:
    from gxschema.migrator import MigrationOptions, MigrationResult

app = typer.Typer()


def run_migration(
    target: str,
    direction: str,
    options: MigrationOptions,
    wait_seconds: float,
) -> MigrationResult:
    """Connect (with retries) and migrate; shared by migrate, downgrade and up."""
    from gxschema import migrator

    output = Output.current()
    settings, _source = settings_or_embedded()
    engine = connect(settings, wait_seconds=wait_seconds)
    try:
        return migrator.migrate(
            engine,
            target,
            direction=direction,
            options=options,
            secrets=settings.secrets(),
            on_progress=output.info,
        )
    finally:
        engine.dispose()


@app.command()
@handle_errors
def migrate(
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
    sql: Annotated[
        bool,
        typer.Option(
            "--sql",
            help="Print the SQL instead of running it (offline); run that with "
            "psql -X -v ON_ERROR_STOP=1 -f FILE, not psql -1: each revision commits on its own.",
        ),
    ] = False,
    lock_timeout: LockTimeout = "5s",
    statement_timeout: StatementTimeout = "15min",
    lock_retries: LockRetries = 10,
    wait: WaitSeconds = 30.0,
) -> None:
    """Upgrade the database to REVISION (default: head)."""
    if not sql and revision in ("head", "heads"):
        fast = _from_empty(lock_timeout, statement_timeout, lock_retries)
        if fast is not None:
            _report(fast)
            return
    options = migration_options(lock_timeout, statement_timeout, lock_retries)
    if sql:
        _offline_sql(revision, options)
        return
    _report(run_migration(revision, "upgrade", options, wait))


def _from_empty(
    lock_timeout: str, statement_timeout: str, lock_retries: int
) -> MigrationResult | None:
    """An empty database to head by the revisions' rendered SQL, without Alembic, or None.

    `gxschema.migrate_from_empty` says when it applies; when it does not (``--debug``
    says why), nothing was changed and the migrator runs as for any database.
    """
    from gxschema.cli.context import STATE
    from gxschema.migrate_from_empty import migrate_from_empty

    output = Output.current()

    def declined(reason: str) -> None:
        if STATE.debug:
            output.info(f"not the rendered-SQL path ({reason}): migrating through Alembic")

    return migrate_from_empty(
        lock_timeout=lock_timeout,
        statement_timeout=statement_timeout,
        lock_retries=lock_retries,
        on_progress=output.info,
        on_decline=declined,
    )


@app.command()
@handle_errors
def downgrade(
    revision: Annotated[str, typer.Argument(help="Target revision, or base.")],
    lock_timeout: LockTimeout = "5s",
    statement_timeout: StatementTimeout = "15min",
    lock_retries: LockRetries = 10,
    wait: WaitSeconds = 30.0,
    allow_data_loss: Annotated[
        bool,
        typer.Option(
            "--allow-data-loss",
            help="Let the downgrade drop tables that still hold rows (refused otherwise).",
        ),
    ] = False,
) -> None:
    """Downgrade the database to REVISION (each revision down is reversible)."""
    options = migration_options(lock_timeout, statement_timeout, lock_retries)
    options.allow_data_loss = allow_data_loss
    _report(run_migration(revision, "downgrade", options, wait))


def _report(result: MigrationResult) -> None:
    if result.changed:
        human = (
            f"{result.direction}: {result.from_revision or 'base'} -> "
            f"{result.to_revision or 'base'} ({', '.join(result.applied)}) "
            f"in {result.duration_ms} ms"
        )
    else:
        human = f"already at {result.to_revision or 'base'}: nothing to do"
    Output.current().result(result.as_dict(), human)


def _offline_sql(revision: str, options: MigrationOptions) -> None:
    """Print the SQL of the revisions up to `revision`, from base (or `FROM:TO`)."""
    import contextlib
    import io
    import sys

    from alembic import command

    from gxschema.alembic_config import make_config

    buffer = io.StringIO()
    config = make_config(
        lock_timeout=options.lock_timeout, statement_timeout=options.statement_timeout
    )
    config.output_buffer = buffer
    with contextlib.redirect_stdout(sys.stderr):
        command.upgrade(config, revision, sql=True)
    sys.stdout.write(buffer.getvalue())
