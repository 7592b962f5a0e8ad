"""`gxschema verify`: the drift gate, the live database against the models."""

from __future__ import annotations

from typing import Annotated

import typer

from gxschema.cli.context import connect, handle_errors, settings_or_embedded
from gxschema.cli.options import WaitSeconds
from gxschema.cli.output import Output
from gxschema.errors import CheckFailedError

app = typer.Typer()


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
    from gxschema import drift, migrator

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
