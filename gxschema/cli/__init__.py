"""The `gxschema` command line: bring the database up, migrate, seed, check, back up.

Exit codes: 0 success; 1 a check found a problem or an operation failed;
2 bad input or configuration. Errors are one paragraph on stderr (``--debug``
adds the traceback); ``--json`` makes every result machine-readable.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

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
from gxschema.cli.global_options import SHARED, command_line
from gxschema.cli.output import Output

if TYPE_CHECKING:
    from typer._click import Command

app = typer.Typer(
    name="gxschema",
    help="The PostgreSQL schema of the GX Protocol backend: migrate, seed, verify, back up.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,
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
    ``--json`` and ``--debug`` work after a command's name too (`global_options`).
    """
    command = command_line(app)
    try:
        _run(command, _relative_targets_as_arguments(sys.argv[1:]))
    except SystemExit:
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            try:
                report_closed_output()
            except typer.Exit as closed:
                raise SystemExit(closed.exit_code) from None
        raise


def _run(command: Command, args: list[str]) -> NoReturn:
    """Run `command` on `args` and exit with its code; a usage error is one line, exit 2.

    Click reports a wrong option or value with the usage, a hint and a framed panel;
    every other error of gxschema is one ``gxschema: error:`` line on stderr (red on a
    terminal, and the JSON error document on stdout with ``--json``), so this one is
    too, naming the help to read. A group named without its command prints its help.
    """
    from typer._click.exceptions import ClickException, NoArgsIsHelpError

    try:
        returned = command.main(args=args, prog_name="gxschema", standalone_mode=False)
    except NoArgsIsHelpError:  # its help is printed already
        raise SystemExit(2) from None
    except ClickException as error:
        context = getattr(error, "ctx", None)
        hint = f" (see '{context.command_path} --help')" if context is not None else ""
        output = Output.current()
        if not output.as_json and "--json" in args[: _end_of_options(args)]:
            # parsing stopped before the command's own --json was read: it still counts
            output = Output.use(Output(as_json=True))
        # Typer checks a choice through pydantic, whose "Value error, " prefix says
        # nothing to a person who typed a wrong value
        message = error.format_message().replace(": Value error, ", ": ", 1)
        output.error(f"{message}{hint}", code=error.exit_code)
        raise SystemExit(error.exit_code) from None
    except typer.Abort:  # end of input at a prompt
        sys.stderr.write("gxschema: aborted\n")
        raise SystemExit(1) from None
    # Without standalone mode Typer returns an Exit's code (--help, --version, a
    # command's exit) instead of exiting; a command that returns normally returns None.
    raise SystemExit(returned if isinstance(returned, int) else 0)


def _end_of_options(args: list[str]) -> int:
    """Where the options end: at ``--``, or after the last word."""
    return args.index("--") if "--" in args else len(args)


FLAGS = frozenset({"--sql", "--allow-data-loss", *SHARED})
"""Options of migrate and downgrade that take no value: a ``-N`` after one is the target."""


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
            takes_value = before.startswith("--") and "=" not in before and before not in FLAGS
            if later[:1] == "-" and later[1:].isdigit() and not takes_value:
                return [*argv[:cut], *argv[cut + 1 :], "--", later]
        return argv
    return argv
