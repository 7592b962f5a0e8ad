"""`gxschema adopt`: give a database made by Prisma its place in the migration history."""

from __future__ import annotations

import typer

from gxschema.cli.context import connect, handle_errors, settings_or_embedded
from gxschema.cli.options import WaitSeconds
from gxschema.cli.output import Output

app = typer.Typer()


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
