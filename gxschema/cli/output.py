"""Output for people (rich) or for machines (``--json``), and one way to print errors."""

from __future__ import annotations

import json
import os
import sys
from typing import Any, ClassVar

from rich.console import Console
from rich.table import Table


class _Console(Console):
    """A rich console that lets a closed stdout (``gxschema status | head -1``) surface.

    Rich's default ends the process with a silent exit 1, which reads like a failed
    check (``status --check``); raising `BrokenPipeError` instead lets the command line
    report it as one line (`gxschema.cli.context.report_closed_output`).
    """

    def on_broken_pipe(self) -> None:
        raise BrokenPipeError(32, "Broken pipe")


class Output:
    """Where a command's results go; `--json` switches every command to JSON."""

    _current: ClassVar[Output | None] = None

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
        cls._current = output
        return output

    def info(self, message: str) -> None:
        """Progress for people; on stderr when JSON is the result on stdout."""
        if self.as_json:
            self.errors.print(message, markup=False)
        else:
            self.console.print(message, markup=False)

    def result(self, data: dict[str, Any], human: str | None = None) -> None:
        self._result_printed = True
        if self.as_json:
            sys.stdout.write(json.dumps(data, indent=2, default=str) + "\n")
        elif human is not None:
            self.console.print(human, markup=False)

    def table(self, title: str, columns: list[str], rows: list[list[Any]]) -> None:
        if self.as_json:
            return
        table = Table(title=title, title_justify="left")
        for column in columns:
            table.add_column(column)
        for row in rows:
            table.add_row(*["" if value is None else str(value) for value in row])
        self.console.print(table)

    def error(self, message: str, *, code: int) -> None:
        self.errors.print(f"gxschema: error: {message}", markup=False)
        if self.as_json and not self._result_printed:  # stdout holds one JSON document
            try:
                sys.stdout.write(json.dumps({"error": message, "exit_code": code}) + "\n")
                sys.stdout.flush()
            except BrokenPipeError:
                # The reader is gone; the error is on stderr already and keeps its exit
                # code. Stdout goes to /dev/null so the final flush cannot fail again.
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
