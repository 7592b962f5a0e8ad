"""``--json`` and ``--debug`` after the command's name as well as before it.

People type ``gxschema status --json`` as often as ``gxschema --json status``; Click
only reads an option on the command it belongs to, so a flag of the root group
after a subcommand is "No such option". Rather than declare the two flags on every
command function (and count on each new command to remember), the built command
tree is given them once, here: every command and group below the root gets a copy of
the root's own option, with the same name, help and parsing, so it is listed in that
command's ``--help`` and completed by the shell, and ``--`` still ends the options as
Click has it. A copy sets what the root's option sets (`SHARED`), and only to turn a
flag on: the root's callback has already run when a subcommand's options are parsed,
so ``gxschema --json status`` stays JSON. (A usage error that stops the parsing before
a copy is read is settled in `gxschema.cli.main`, which looks for ``--json`` itself.)
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

import typer
from typer import _click as click
from typer.core import TyperGroup, TyperOption

PANEL = "Global options"
"""Where a subcommand's ``--help`` lists the flags it shares with the root."""


def _json_on(_context: click.Context, _parameter: click.Parameter, value: Any) -> Any:
    if value:
        from gxschema.cli.output import Output

        Output.use(Output(as_json=True))
    return value


def _debug_on(_context: click.Context, _parameter: click.Parameter, value: Any) -> Any:
    if value:
        from gxschema.cli.context import STATE

        STATE.debug = True
    return value


SHARED: dict[str, Callable[[click.Context, click.Parameter, Any], Any]] = {
    "--json": _json_on,
    "--debug": _debug_on,
}
"""The root's flags that every command accepts too, and what each turns on."""


def _commands_below(group: TyperGroup) -> Iterator[click.Command]:
    for command in group.commands.values():
        yield command
        if isinstance(command, TyperGroup):
            yield from _commands_below(command)


def _shared_options(root: click.Command) -> list[TyperOption]:
    options = [
        parameter
        for parameter in root.params
        if isinstance(parameter, TyperOption) and set(parameter.opts) & set(SHARED)
    ]
    missing = set(SHARED) - {name for option in options for name in option.opts}
    if missing:  # a renamed root option must not silently stop working after commands
        raise RuntimeError(f"the root command has no {', '.join(sorted(missing))} option")
    return options


def add_to_every_command(root: click.Command) -> click.Command:
    """`root`, with its ``--json`` and ``--debug`` accepted by every command below it.

    A command that declares an option of the same name keeps its own (none does
    today); the copy is left out there.
    """
    if not isinstance(root, TyperGroup):
        return root
    shared = _shared_options(root)
    for command in _commands_below(root):
        taken = {name for parameter in command.params for name in parameter.opts}
        for option in shared:
            if set(option.opts) & taken:
                continue
            duplicate = copy.copy(option)
            (name,) = set(option.opts) & set(SHARED)
            duplicate.expose_value = False  # the command function does not take it
            duplicate.callback = SHARED[name]
            duplicate.rich_help_panel = PANEL
            command.params.append(duplicate)
    return root


def command_line(app: typer.Typer) -> click.Command:
    """The Click command `app` builds, each command taking the global flags too."""
    return add_to_every_command(typer.main.get_command(app))
