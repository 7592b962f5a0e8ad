"""``gxschema seed`` that changes nothing, answered without loading the command line.

A seed whose files the database already records is one query
(`gxschema.seeding.unchanged`). Through the full command it still pays for Typer, Rich,
the command modules and psycopg, some 0.3 s of CPU for one question; a Job or a script
that reruns its seed on every deploy pays that each time. So the console script
(`gxschema.entry_point`) first hands its arguments to `answer`, which takes only a
command line it understands completely, asks the question through libpq, and prints
what the full command prints in that case, byte for byte: the table and the sentence,
or the ``--json`` document.

It declines (returns None, having printed nothing) whenever it is not certain, and the
full command runs as if this did not exist, asking the same question again and saying
whatever there is to say:

- any word but ``seed``, ``--json``, ``--env``, ``--seeds-dir`` and ``--only`` (so
  ``--compare-rows``, ``--dry-run``, ``--overwrite``, ``--debug``, ``--help``, and
  ``--home``, which only names an embedded database, the one this never reaches);
- a database the environment does not name in libpq's terms (`gxschema.libpq_env`);
- any answer but "these very files, for this environment", including every error;
- output the full command would style or lay out otherwise: a terminal, where Rich
  colours the table (a person there does not notice a few tenths of a second), a
  terminal width the table does not fit, a non-UTF-8 stdout, a value Rich would read as
  markup, shell completion (``_GXSCHEMA_COMPLETE``).
"""

from __future__ import annotations

import os
import sys

from gxschema.seeding.layout import ENVIRONMENTS

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on this path
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any

    from gxschema.seeding.unchanged import UnchangedSeed

_TAKES_VALUE = ("--env", "--seeds-dir", "--only")
_RICH_STYLING = ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "_GXSCHEMA_COMPLETE")
"""Variables under which Rich (or Click's completion) would not print plain text."""

COLUMNS = ("dataset", "version", "rows", "checksum")
"""The table's header, as `gxschema.cli.seed_command` prints it for a no-op seed."""

CLOSED_OUTPUT = (
    "gxschema: error: the output was closed before the whole result was written (broken pipe)\n"
)
"""`gxschema.cli.context.report_closed_output`'s line (a test keeps the two the same)."""


class SeedArguments:
    """What a ``gxschema seed`` command line asks for, when this path can answer it."""

    __slots__ = ("as_json", "env", "only", "seeds_dir")

    def __init__(self) -> None:
        self.as_json = False
        self.env: str | None = None
        self.seeds_dir: str | None = None
        self.only: list[str] = []


QUESTION_CONNECT_TIMEOUT = "2"
"""Seconds the no-op question waits for a connection (libpq's least), whatever
``PGCONNECT_TIMEOUT`` or the URL say: those bound the full command's connection."""


def answer(argv: Sequence[str]) -> int | None:
    """Print the no-op seed's answer and return its exit code; None: run the full command.

    The environment is the process's own, which libpq reads too.
    """
    env = os.environ
    arguments = parse(argv)
    if arguments is None or any(name in env for name in _RICH_STYLING):
        return None
    if not arguments.as_json and not _plain_stdout():
        return None  # known before connecting: Rich's to print
    from gxschema.libpq_env import target_from_environment

    target = target_from_environment(env)
    if target is None:
        return None
    from gxschema.errors import ConfigError
    from gxschema.seeding.folder import seeds_location
    from gxschema.seeding.unchanged import unchanged_seed

    try:
        folder = seeds_location(arguments.seeds_dir)
    except ConfigError:
        return None
    # The question is a shortcut: a server that does not answer at once is the full
    # command's to wait for and explain. libpq's shortest bound (2 s) also keeps Ctrl-C,
    # which a blocking PQconnectdb only sees when it returns, prompt.
    parameters = {**target.parameters, "connect_timeout": QUESTION_CONNECT_TIMEOUT}
    unchanged = unchanged_seed(target.conninfo, folder, arguments.env, arguments.only, parameters)
    if unchanged is None:
        return None
    printed = as_json(unchanged) if arguments.as_json else as_text(unchanged, env)
    if printed is None:
        return None
    return _write(printed)


def parse(argv: Sequence[str]) -> SeedArguments | None:
    """`argv` as a seed this path takes, or None: any word it does not know, any doubt.

    ``--json`` may stand before or after ``seed``, as in the full command; an option's
    value may follow it or an ``=``. A value that starts with ``-``, or a second
    ``--env`` or ``--seeds-dir`` (Click would take the last), is left to the full
    command.
    """
    arguments = SeedArguments()
    seed_named = False
    words = list(argv)
    position = 0
    while position < len(words):
        word = words[position]
        position += 1
        if word == "--json":
            arguments.as_json = True
            continue
        if not seed_named:
            if word != "seed":
                return None
            seed_named = True
            continue
        name, equals, value = word.partition("=")
        if name not in _TAKES_VALUE:
            return None
        if not equals:
            if position >= len(words):
                return None
            value = words[position]
            position += 1
        if value.startswith("-"):
            return None
        if name == "--only":
            arguments.only.append(value)
        elif name == "--env":
            if arguments.env is not None or value not in ENVIRONMENTS:
                return None
            arguments.env = value
        elif arguments.seeds_dir is not None:
            return None
        else:
            arguments.seeds_dir = value
    return arguments if seed_named else None


def as_json(unchanged: UnchangedSeed) -> str:
    """The ``--json`` document, key for key as `SeedReport.to_dict` and the command make it."""
    import json

    datasets = [
        {
            "name": dataset.name,
            "source": dataset.source,
            "version": dataset.version,
            "checksum": dataset.checksum,
            "previous_checksum": dataset.checksum,
            "row_count": dataset.row_count,
            "recorded": False,
            "changed": False,
            "inserted": 0,
            "updated": 0,
            "unchanged": 0,
            "differing": [],
            "not_in_file": [],
            "tables": [],
        }
        for dataset in unchanged.datasets
    ]
    document: dict[str, Any] = {
        "env": unchanged.env,
        "dry_run": False,
        "overwrite": False,
        "changed": False,
        "rows_compared": False,
        "datasets": datasets,
        "environment": None,
    }
    return json.dumps(document, indent=2, default=str) + "\n"


def as_text(unchanged: UnchangedSeed, environ: Mapping[str, str]) -> str | None:
    """The table and the sentence as Rich prints them into a pipe or a file; None if unsure.

    Rich draws the table with heavy lines round the header and light ones round the
    rows, each cell padded by one space and left-justified, as wide as its widest value,
    and prints the title above it on one line (the console soft-wraps). On a terminal it
    adds colours and styles, and a table wider than the console it squeezes: those cases
    are left to Rich, as is any value it would read as markup or an emoji code.
    """
    if not _plain_stdout():
        return None
    rows = [
        [dataset.name, dataset.version, str(dataset.row_count), dataset.checksum[:12]]
        for dataset in unchanged.datasets
    ]
    if not all(_plain(cell) for row in rows for cell in row):
        return None
    widths = [max(len(cell) for cell in column) for column in zip(COLUMNS, *rows, strict=False)]
    title = f"Seed datasets ({unchanged.env}): recorded as these files"
    width = _console_width(environ)
    if sum(widths) + 3 * len(widths) + 1 > width or len(title) > width:
        return None

    def line(left: str, fill: str, middle: str, right: str) -> str:
        return left + middle.join(fill * (size + 2) for size in widths) + right

    def cells(edge: str, values: Sequence[str]) -> str:
        padded = (f" {value.ljust(size)} " for value, size in zip(values, widths, strict=True))
        return edge + edge.join(padded) + edge

    return "\n".join(
        [
            title,
            line("┏", "━", "┳", "┓"),
            cells("┃", COLUMNS),
            line("┡", "━", "╇", "┩"),
            *(cells("│", row) for row in rows),
            line("└", "─", "┴", "┘"),
            "nothing to change: the database records these very files for "
            f"{unchanged.env} (rows not compared; --compare-rows compares them)",
            "",
        ]
    )


def _plain(cell: str) -> bool:
    """Printable ASCII that Rich prints as it is: no markup (``[``), no emoji code (``:``)."""
    return all(" " <= character <= "~" for character in cell) and not set(cell) & {"[", ":"}


def _plain_stdout() -> bool:
    """Whether Rich would print plain UTF-8 text to stdout: not a terminal, not Windows."""
    try:
        terminal = sys.stdout.isatty()
    except ValueError:  # closed
        return False
    encoding = (sys.stdout.encoding or "").lower()
    return not terminal and encoding.startswith("utf") and sys.platform != "win32"


def _console_width(environ: Mapping[str, str]) -> int:
    """The width Rich gives its console: ``COLUMNS``, else the first terminal of stdin,
    stdout, stderr, else 80."""
    columns = environ.get("COLUMNS")
    if columns is not None and columns.isdigit():
        return int(columns)
    for descriptor in (0, 1, 2):
        try:
            return os.get_terminal_size(descriptor).columns or 80
        except (AttributeError, ValueError, OSError):
            continue
    return 80


def _write(printed: str) -> int:
    """Write `printed` to stdout: 0; a reader that went away gets the full command's line, 1."""
    try:
        sys.stdout.write(printed)
        sys.stdout.flush()
    except BrokenPipeError:
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.stderr.write(CLOSED_OUTPUT)
            sys.stderr.flush()
        except (OSError, ValueError):
            pass
        return 1
    return 0
