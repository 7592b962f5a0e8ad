"""The `gxschema` command line: bring the database up, migrate, seed, check, back up.

Exit codes: 0 success; 1 a check found a problem or an operation failed;
2 bad input or configuration. Errors are one paragraph on stderr (``--debug``
adds the traceback); ``--json`` makes every result machine-readable.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gxschema import __version__
from gxschema.cli import (
    backup_commands,
    config_commands,
    deploy_command,
    dev_commands,
    docs_command,
    fake_command,
    revision_command,
    schema_commands,
    seed_command,
)
from gxschema.cli.context import STATE
from gxschema.cli.output import Output

app = typer.Typer(
    name="gxschema",
    help="The PostgreSQL schema of the GX Protocol backend: migrate, seed, verify, back up.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"gxschema {__version__}")
        raise typer.Exit()


@app.callback()
def _global_options(
    json_output: Annotated[
        bool, typer.Option("--json", help="Print results as JSON on stdout.")
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of errors.")] = False,
    home: Annotated[
        Path | None,
        typer.Option(
            "--home", envvar="GXSCHEMA_HOME", help="Folder of the embedded database (.gxschema)."
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    STATE.debug = debug
    STATE.home = home
    Output.use(Output(as_json=json_output))


schema_commands.register(app)
seed_command.register(app)
dev_commands.register(app)
backup_commands.register(app)
deploy_command.register(app)
config_commands.register(app)
fake_command.register(app)
docs_command.register(app)
revision_command.register(app)


def main() -> None:
    app()
