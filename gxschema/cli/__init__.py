"""The `gxschema` command line: bring the database up, migrate, seed, check, back up.

Exit codes: 0 success; 1 a check found a problem or an operation failed;
2 bad input or configuration. Errors are one paragraph on stderr (``--debug``
adds the traceback); ``--json`` makes every result machine-readable.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from gxschema.cli import (
    adopt_command,
    backup_commands,
    config_commands,
    deploy_command,
    dev_commands,
    docs_command,
    fake_command,
    migrate_commands,
    prisma_commands,
    revision_command,
    seed_command,
    status_command,
    verify_command,
)
from gxschema.cli.context import STATE, report_closed_output
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
        from gxschema import __version__

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


# Each module holds its commands at module level on its own Typer app: a module
# without a name (`migrate_commands.app`) adds its commands to the root, a named one
# (`config`, `prisma`) a group. The order here is the order of `gxschema --help`.
# Importing them costs typer only: what a command needs, it imports when it runs.
for commands in (
    migrate_commands,
    status_command,
    adopt_command,
    verify_command,
    seed_command,
    dev_commands,
    backup_commands,
    deploy_command,
    fake_command,
    docs_command,
    revision_command,
    config_commands,
    prisma_commands,
):
    app.add_typer(commands.app)


def main() -> None:
    """Run the command line; the one place where process-wide exits are settled.

    A relative downgrade target (``gxschema downgrade -1``) is passed on as the
    argument it is, not read as an unknown option ``-1``. A reader that closed stdout
    (``gxschema status | head -1``) before the final flush gets the same one line and
    exit 1 as one that closed it while a command wrote (`report_closed_output`).
    """
    try:
        app(args=_relative_targets_as_arguments(sys.argv[1:]), prog_name="gxschema")
    except SystemExit:
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            try:
                report_closed_output()
            except typer.Exit as closed:
                raise SystemExit(closed.exit_code) from None
        raise


def _relative_targets_as_arguments(argv: list[str]) -> list[str]:
    """`argv` with a ``-N`` after ``migrate``/``downgrade`` moved behind ``--``.

    Click reads ``-1`` as an option and answers "No such option"; after ``--`` it is
    the revision argument (the only one these commands take), which the migrator
    validates (exit 2 if it cannot go there). A ``-N`` that is an option's value
    (``--lock-retries -1``) stays where it is, for Click to refuse.
    """
    for position, word in enumerate(argv):
        if word == "--":
            return argv
        if word not in ("migrate", "downgrade"):
            continue
        for cut in range(position + 1, len(argv)):
            later, before = argv[cut], argv[cut - 1]
            if later == "--":
                return argv
            takes_value = before.startswith("--") and "=" not in before and before != "--sql"
            if later[:1] == "-" and later[1:].isdigit() and not takes_value:
                return [*argv[:cut], *argv[cut + 1 :], "--", later]
        return argv
    return argv
