"""Commands that change or inspect the schema: migrate, downgrade, status, verify."""

from __future__ import annotations

from typing import Annotated

import typer

from gxschema import migrator
from gxschema import status as status_module
from gxschema.cli.context import connect, handle_errors, settings_or_embedded
from gxschema.cli.output import Output
from gxschema.errors import CheckFailedError, ConfigError

LockTimeout = Annotated[
    str,
    typer.Option(help="How long one statement may wait for a table lock (e.g. 5s, 500ms)."),
]
LockRetries = Annotated[
    int, typer.Option(min=0, help="How often to retry a revision that hit the lock timeout.")
]
StatementTimeout = Annotated[str, typer.Option(help="How long one statement may run (e.g. 15min).")]
WaitSeconds = Annotated[
    float, typer.Option(min=0, help="How long to retry an unreachable database, in seconds.")
]


def _options(
    lock_timeout: str, statement_timeout: str, lock_retries: int
) -> migrator.MigrationOptions:
    from gxschema.locking import postgres_duration

    try:
        lock = postgres_duration(lock_timeout)
        statement = postgres_duration(statement_timeout)
    except ValueError as error:
        raise ConfigError(str(error)) from None
    return migrator.MigrationOptions(
        lock_timeout=lock, statement_timeout=statement, lock_retries=lock_retries
    )


def run_migration(
    target: str,
    direction: str,
    options: migrator.MigrationOptions,
    wait_seconds: float,
) -> migrator.MigrationResult:
    """Connect (with retries) and migrate; shared by migrate, downgrade, up and deploy."""
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


def _report(result: migrator.MigrationResult) -> None:
    if result.changed:
        human = (
            f"{result.direction}: {result.from_revision or 'base'} -> "
            f"{result.to_revision or 'base'} ({', '.join(result.applied)}) "
            f"in {result.duration_ms} ms"
        )
    else:
        human = f"already at {result.to_revision or 'base'}: nothing to do"
    Output.current().result(result.as_dict(), human)


def register(app: typer.Typer) -> None:
    @app.command()
    @handle_errors
    def migrate(
        revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
        sql: Annotated[
            bool, typer.Option("--sql", help="Print the SQL instead of running it (offline).")
        ] = False,
        lock_timeout: LockTimeout = "5s",
        statement_timeout: StatementTimeout = "15min",
        lock_retries: LockRetries = 10,
        wait: WaitSeconds = 30.0,
    ) -> None:
        """Upgrade the database to REVISION (default: head)."""
        options = _options(lock_timeout, statement_timeout, lock_retries)
        if sql:
            _offline_sql(revision, options)
            return
        _report(run_migration(revision, "upgrade", options, wait))

    @app.command()
    @handle_errors
    def downgrade(
        revision: Annotated[str, typer.Argument(help="Target revision, or base.")],
        lock_timeout: LockTimeout = "5s",
        statement_timeout: StatementTimeout = "15min",
        lock_retries: LockRetries = 10,
        wait: WaitSeconds = 30.0,
    ) -> None:
        """Downgrade the database to REVISION (each revision down is reversible)."""
        options = _options(lock_timeout, statement_timeout, lock_retries)
        _report(run_migration(revision, "downgrade", options, wait))

    @app.command()
    @handle_errors
    def status(
        check: Annotated[
            bool, typer.Option("--check", help="Exit 1 when revisions are pending.")
        ] = False,
        wait: WaitSeconds = 10.0,
    ) -> None:
        """Current and head revision, pending revisions, recent runs, seeds and backups."""
        settings, source = settings_or_embedded()
        engine = connect(settings, wait_seconds=wait)
        try:
            with engine.connect() as connection:
                report = status_module.collect(connection)
        finally:
            engine.dispose()
        report["database"] = settings.describe() if source == "configured" else "embedded"
        output = Output.current()
        pending = report["pending_revisions"]
        output.result(
            report,
            f"database: {report['database']}\n"
            f"environment: {report['environment_status']}\n"
            f"revision: {report['current_revision'] or 'none (empty)'}"
            f"   head: {report['head_revision']}\n"
            f"pending:  {', '.join(pending) if pending else 'none'}",
        )
        _status_tables(report)
        if check and not report["known_revision"]:
            raise CheckFailedError(
                f"the database is at {report['current_revision']!r}, unknown to this version"
            )
        if check and (pending or report["tables_without_history"]):
            raise CheckFailedError(
                f"{len(pending)} revision(s) pending: {', '.join(pending)}"
                if pending
                else "the database has tables but no migration history (run gxschema adopt)"
            )

    @app.command()
    @handle_errors
    def adopt(wait: WaitSeconds = 30.0) -> None:
        """Record the revision of a database made by Prisma (compares, never changes data)."""
        from gxschema import adopt as adopt_module

        settings, _source = settings_or_embedded()
        engine = connect(settings, wait_seconds=wait)
        try:
            result = adopt_module.adopt(engine)
        finally:
            engine.dispose()
        Output.current().result(
            result.as_dict(),
            f"adopted at revision {result.revision}: its {result.tables} tables match that "
            "revision exactly; run gxschema migrate to bring it to head"
            + ("" if result.recorded else " (the run is recorded once SchemaMigrationRun exists)"),
        )

    @app.command()
    @handle_errors
    def verify(
        wait: WaitSeconds = 10.0,
        grants: Annotated[
            bool,
            typer.Option(
                "--grants/--no-grants",
                help="Compare the roles' grants with the least-privilege policy too.",
            ),
        ] = True,
    ) -> None:
        """Compare the live database with the models; exit 1 on any difference.

        Tables, columns, defaults, identity and generated columns, keys, indexes (method,
        keys, ordering, predicate, uniqueness), CHECKs, comments, enums, and grants.
        """
        from gxschema import drift

        settings, _source = settings_or_embedded()
        engine = connect(settings, wait_seconds=wait)
        try:
            with engine.connect() as connection:
                differences = drift.check(connection, check_grants=grants)
                revision = migrator.current_revision(connection)
        finally:
            engine.dispose()
        output = Output.current()
        output.result(
            {
                "identical": not differences,
                "revision": revision,
                "differences": [d.as_dict() for d in differences],
            },
            "\n".join(f"  {d}" for d in differences)
            if differences
            else f"the database matches the models (revision {revision})",
        )
        if differences:
            raise CheckFailedError(f"{len(differences)} difference(s) from the models")


def _status_tables(report: dict[str, object]) -> None:
    output = Output.current()
    runs = report["migration_runs"]
    assert isinstance(runs, list)
    if runs:
        output.table(
            "Recent migration runs",
            ["started", "direction", "from", "to", "status", "runner", "ms"],
            [
                [
                    r["started_at"],
                    r["direction"],
                    r["from_revision"],
                    r["to_revision"],
                    r["status"],
                    r["runner"],
                    r["duration_ms"],
                ]
                for r in runs
            ],
        )
    seeds = report["seed_datasets"]
    assert isinstance(seeds, list)
    if seeds:
        output.table(
            "Seed datasets",
            ["dataset", "version", "rows", "checksum", "applied"],
            [
                [s["name"], s["version"], s["row_count"], s["checksum"][:12], s["applied_at"]]
                for s in seeds
            ],
        )
    backups = report["backups"]
    assert isinstance(backups, list)
    if backups:
        output.table(
            "Latest backups",
            ["started", "status", "revision", "bytes", "location", "verified"],
            [
                [
                    b["started_at"],
                    b["status"],
                    b["schema_revision"],
                    b["size_bytes"],
                    b["location"],
                    b["verified_at"],
                ]
                for b in backups
            ],
        )


def _offline_sql(revision: str, options: migrator.MigrationOptions) -> None:
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
