"""Output for people (rich) or for machines (``--json``), and one way to print errors."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from typing import Any, ClassVar

from rich.console import Console


def silence_stdout() -> None:
    """Point file descriptor 1 at /dev/null: later writes and the final flush succeed."""
    with contextlib.suppress(OSError, ValueError):  # no real stdout (captured): no-op
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


ERROR_STYLE = "red"


class _Console(Console):
    """A rich console that notes a closed stdout (``gxschema migrate | head -1``).

    Rich's default ends the process at once with a silent exit 1: a migration could
    stop between two revisions because a reader went away, and the exit reads like a
    failed check (``status --check``). Instead the command goes on with stdout pointed
    at /dev/null and, when it has finished, says in one line that its output was cut
    (`gxschema.cli.context.report_closed_output`, exit 1).
    """

    def on_broken_pipe(self) -> None:
        if self.stderr:  # nowhere left to say anything: the exit code will do
            self.quiet = True
            return
        Output.stdout_closed = True
        silence_stdout()


class Output:
    """Where a command's results go; `--json` switches every command to JSON."""

    _current: ClassVar[Output | None] = None
    stdout_closed: ClassVar[bool] = False
    """The reader of stdout went away while the command wrote to it."""

    def __init__(self, *, as_json: bool = False) -> None:
        self.as_json = as_json
        self._result_printed = False
        self.console = _Console(highlight=False, soft_wrap=True)
        self.errors = _Console(stderr=True, highlight=False, soft_wrap=True)

    @classmethod
    def current(cls) -> Output:
        if cls._current is None:
            cls._current = Output()
        return cls._current

    @classmethod
    def use(cls, output: Output) -> Output:
        """Make `output` the current one, for a new command (stdout not closed yet)."""
        cls._current = output
        cls.stdout_closed = False
        return output

    def info(self, message: str) -> None:
        """Progress for people, on stderr: stdout holds only the result.

        So ``gxschema migrate > result.txt`` captures what was done, a pipe reads only
        the answer, and with ``--json`` stdout is one JSON document.
        """
        self.errors.print(message, markup=False)

    def result(self, data: dict[str, Any], human: str | None = None) -> None:
        self._result_printed = True
        if self.as_json:
            try:
                sys.stdout.write(json.dumps(data, indent=2, default=str) + "\n")
                sys.stdout.flush()
            except BrokenPipeError:
                Output.stdout_closed = True
                silence_stdout()
        elif human is not None:
            self.console.print(human, markup=False)

    def table(self, title: str, columns: list[str], rows: list[list[Any]]) -> None:
        if self.as_json:
            return
        from rich.table import Table  # only commands that print a table load it

        table = Table(title=title, title_justify="left")
        for column in columns:
            table.add_column(column)
        for row in rows:
            table.add_row(*["" if value is None else str(value) for value in row])
        self.console.print(table)

    def error(self, message: str, *, code: int) -> None:
        """The error on stderr: red on a terminal, plain when piped or with NO_COLOR.

        Rich decides, as for every colour it prints: colour only where stderr is a
        terminal, none with ``NO_COLOR`` set (no-color.org), and colour even into a
        pipe with ``FORCE_COLOR`` set (a CI log that renders it).
        """
        self.errors.print(f"gxschema: error: {message}", markup=False, style=ERROR_STYLE)
        if self.as_json and not self._result_printed:  # stdout holds one JSON document
            try:
                sys.stdout.write(json.dumps({"error": message, "exit_code": code}) + "\n")
                sys.stdout.flush()
            except BrokenPipeError:
                # The reader is gone; the error is on stderr already and keeps its exit
                # code. Stdout goes to /dev/null so the final flush cannot fail again.
                silence_stdout()
