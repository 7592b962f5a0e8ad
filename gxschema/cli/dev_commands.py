"""`gxschema up` and `gxschema down`: a working, seeded database with one command."""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy import text

from gxschema import embedded, migrator
from gxschema.cli.context import STATE, connect, handle_errors, settings_or_embedded
from gxschema.cli.output import Output
from gxschema.cli.schema_commands import run_migration
from gxschema.cli.seed_command import run_seed
from gxschema.settings import DatabaseSettings


def register(app: typer.Typer) -> None:
    @app.command()
    @handle_errors
    def up(
        env: Annotated[str, typer.Option(help="Seed for this environment.")] = "devnet",
        seeds_dir: Annotated[
            str | None, typer.Option(help="Seed files (default: the package's own).")
        ] = None,
    ) -> None:
        """Start the embedded database if none is configured, migrate to head, and seed."""
        output = Output.current()
        settings, source = settings_or_embedded(allow_missing=True)
        server = None
        if source == "none":
            folder = embedded.home(STATE.home)
            output.info(f"no database configured: starting the embedded PostgreSQL in {folder}")
            server = embedded.start(folder)
            settings = DatabaseSettings(database_url=server.url)
        result = run_migration("head", "upgrade", migrator.MigrationOptions(), 30.0)
        report = run_seed(
            env=env, seeds_dir=seeds_dir, only=None, dry_run=False, overwrite=False, quiet=True
        )
        engine = connect(settings, wait_seconds=10.0)
        try:
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
            "seed": seeded,
        }
        inserted = sum(int(d.get("inserted", 0)) for d in seeded.get("datasets", []))
        updated = sum(int(d.get("updated", 0)) for d in seeded.get("datasets", []))
        output.result(
            summary,
            f"database:  {url}\n"
            f"revision:  {result.to_revision} ({len(result.applied)} revision(s) applied now)\n"
            f"tables:    {tables}\n"
            f"seeded:    {env}: {inserted} row(s) inserted, {updated} updated"
            f"{'' if report.changed else ' (nothing changed)'}",
        )

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
