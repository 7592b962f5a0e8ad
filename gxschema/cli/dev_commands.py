"""`gxschema up` and `gxschema down`: a working, seeded database with one command.

`up` is for the embedded database: it starts one when nothing is configured (or uses
the one it started before), migrates it and seeds it, for devnet unless told
otherwise. It never migrates or seeds a configured database (DATABASE_URL, PG*
variables) by habit, since that may be production: it refuses and points to
`gxschema migrate` and `gxschema seed --env ...`, unless ``--configured-database``
says it is meant, and even then the database's recorded environment decides
(`gxschema.environment`): ``--env`` must match it, and without ``--env`` it is used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from gxschema import embedded
from gxschema.cli.context import STATE, connect, handle_errors, settings_or_embedded
from gxschema.cli.migrate_commands import run_migration
from gxschema.cli.options import EnvironmentName
from gxschema.cli.output import Output
from gxschema.cli.seed_command import run_seed
from gxschema.errors import ConfigError

if TYPE_CHECKING:
    from gxschema.settings import DatabaseSettings

EMBEDDED_ENVIRONMENT = "devnet"
"""What the embedded database is seeded for unless it records or is told another."""


app = typer.Typer()


@app.command()
@handle_errors
def up(
    env: Annotated[
        EnvironmentName | None,
        typer.Option(
            help="Seed for this environment (default: the one the database records, "
            f"else {EMBEDDED_ENVIRONMENT} for the embedded database).",
            show_default=False,
        ),
    ] = None,
    seeds_dir: Annotated[
        str | None, typer.Option(help="Seed files (default: the package's own).")
    ] = None,
    configured_database: Annotated[
        bool,
        typer.Option(
            "--configured-database",
            help="Migrate and seed the configured database (DATABASE_URL, PG*) too; "
            "its recorded environment still decides.",
        ),
    ] = False,
) -> None:
    """Start the embedded database if none is configured, migrate to head, and seed."""
    from sqlalchemy import text

    from gxschema import environment, migrator

    output = Output.current()
    settings, source, server = _database_to_bring_up(configured_database)
    engine = connect(settings, wait_seconds=30.0)
    try:
        # the environment decides before anything is written (the seed checks it again
        # under its lock, and records it)
        with engine.connect() as connection:
            wanted: str | None = env
            if wanted is None and source != "configured" and not environment.recorded(connection):
                wanted = EMBEDDED_ENVIRONMENT  # the developer's own new database
            seeded_for = environment.seed_environment(connection, wanted)
            environment.check_target(connection, seeded_for)
        result = run_migration("head", "upgrade", migrator.MigrationOptions(), 30.0)
        report = run_seed(
            env=seeded_for,
            seeds_dir=seeds_dir,
            only=None,
            dry_run=False,
            overwrite=False,
            quiet=True,
            command="up",
        )
        with engine.connect() as connection:
            tables = connection.execute(
                text(
                    "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' "
                    "AND tablename <> 'alembic_version'"
                )
            ).scalar()
    finally:
        engine.dispose()
    server = server or embedded.running(embedded.home(STATE.home))
    url = server.url if server and source != "configured" else settings.describe()
    seeded = report.to_dict()
    summary = {
        "database": "embedded" if server or source == "embedded" else "configured",
        "url": url,
        "revision": result.to_revision,
        "migrated": result.applied,
        "tables": tables,
        "environment": seeded_for,
        "seed": seeded,
    }
    inserted = sum(int(d.get("inserted", 0)) for d in seeded.get("datasets", []))
    updated = sum(int(d.get("updated", 0)) for d in seeded.get("datasets", []))
    output.result(
        summary,
        f"database:  {url}\n"
        f"revision:  {result.to_revision} ({len(result.applied)} revision(s) applied now)\n"
        f"tables:    {tables}\n"
        f"seeded:    {seeded_for}: {inserted} row(s) inserted, {updated} updated"
        f"{'' if report.changed else ' (nothing changed)'}",
    )


def _database_to_bring_up(
    configured_database: bool,
) -> tuple[DatabaseSettings, str, embedded.EmbeddedServer | None]:
    """The settings `up` works on, where they come from, and the server it started.

    A configured database only with ``--configured-database``; with nothing configured
    or running, the embedded PostgreSQL is started now.
    """
    from gxschema.settings import DatabaseSettings

    settings, source = settings_or_embedded(allow_missing=True)
    if source == "configured" and not configured_database:
        raise ConfigError(
            f"gxschema up is for the embedded database and changes nothing in "
            f"{settings.describe()}, which DATABASE_URL or the PG variables configure: "
            "use `gxschema migrate` and `gxschema seed --env ...` "
            "(or `gxschema up --configured-database` if this is meant)"
        )
    if source != "none":
        return settings, source, None
    folder = embedded.home(STATE.home)
    Output.current().info(f"no database configured: starting the embedded PostgreSQL in {folder}")
    server = embedded.start(folder)
    return DatabaseSettings(database_url=server.url), source, server


@app.command()
@handle_errors
def down() -> None:
    """Stop the embedded database (its data stays in the folder)."""
    folder = embedded.home(STATE.home)
    stopped = embedded.stop(folder)
    Output.current().result(
        {"stopped": stopped, "data_dir": str(folder)},
        f"stopped the embedded PostgreSQL in {folder}"
        if stopped
        else f"the embedded PostgreSQL in {folder} is not running",
    )
