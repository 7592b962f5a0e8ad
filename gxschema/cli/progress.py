"""A progress bar on stderr for long commands (``fake``, ``backup``, ``restore``).

Progress is for a person watching, so by default the bar is drawn only when stderr is
a terminal: piped into a file or a CI log, a command prints no bar at all (a log of
redrawn bars is noise, and the result says what happened). ``--progress`` forces it
(``2>fake.log`` then ``tail -f fake.log``), drawn with a terminal's control codes and
redrawn once a second; ``--no-progress`` hides it on a terminal too.

The bar never touches stdout, which holds the command's result alone (its ``--json``
document, or the summary for people), so ``gxschema --json fake ... | jq`` works with
or without a bar. A bar that was never advanced is never drawn: a command refused
before it started work shows its error, not an empty bar.

    with ProgressBar(output.errors, forced=progress, total=planned, unit="rows") as bar:
        bar.update(description="Wallet")
        bar.advance(5000)

Rich is imported only when a bar is actually drawn.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID

Unit = Literal["rows", "bytes"]
"""What a bar counts: rows are shown as ``1,234 rows``, bytes as ``1.2 MB``."""

ShowProgress = Annotated[
    bool | None,
    typer.Option(
        "--progress/--no-progress",
        show_default=False,
        help="Show a progress bar on stderr. Default: only when stderr is a terminal.",
    ),
]
"""The option that forces (``--progress``) or hides (``--no-progress``) the bar."""


def progress_shown(console: Console, forced: bool | None) -> bool:
    """Whether to draw a bar: as `forced` says, else when the console is a terminal."""
    return console.is_terminal if forced is None else forced


def format_amount(amount: float, unit: Unit) -> str:
    """``1,234 rows`` or ``1.2 MB``: an amount as the bar shows it."""
    if unit == "bytes":
        from rich.filesize import decimal

        return decimal(int(amount))
    return f"{amount:,.0f} rows"


class ProgressBar:
    """One bar of a command's work: done / total, rate, and the time left (ETA).

    `total` None draws a bar without an end (the amount and rate only); `estimated`
    marks the total as an estimate (``about 1,234 rows``): a bar must not present a
    guess as a count. When the bar is not shown (see `progress_shown`) every method
    does nothing, so a command calls them unconditionally.
    """

    def __init__(
        self,
        console: Console,
        *,
        forced: bool | None = None,
        total: float | None,
        unit: Unit,
        description: str = "",
        estimated: bool = False,
    ) -> None:
        self.shown = progress_shown(console, forced)
        self._console = console
        self._total = total
        self._unit: Unit = unit
        self._description = description
        self._estimated = estimated
        self._progress: Progress | None = None
        self._task: TaskID | None = None

    def _started(self) -> tuple[Progress, TaskID] | None:
        """The live bar, drawn from its first update on (None when not shown)."""
        if not self.shown:
            return None
        if self._progress is None or self._task is None:
            self._progress = _make_progress(self._console, self._unit, self._estimated)
            self._task = self._progress.add_task(self._description, total=self._total)
            self._progress.start()
        return self._progress, self._task

    def advance(self, amount: float) -> None:
        """`amount` more of the work is done."""
        live = self._started()
        if live is not None:
            live[0].advance(live[1], amount)

    def update(
        self,
        *,
        description: str | None = None,
        completed: float | None = None,
        total: float | None = None,
    ) -> None:
        """Change what the bar says: its label, the amount done so far, its total."""
        if self._progress is None and description is not None:
            self._description = description  # drawn with the label from the first frame on
        live = self._started()
        if live is None:
            return
        changes: dict[str, Any] = {}
        if description is not None:
            changes["description"] = description
        if completed is not None:
            changes["completed"] = completed
        if total is not None:
            changes["total"] = total
        live[0].update(live[1], **changes)

    def close(self) -> None:
        """Draw the bar's final state once more and leave it on the screen."""
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
            self._task = None

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _make_progress(console: Console, unit: Unit, estimated: bool) -> Progress:
    from rich.console import Console as RichConsole
    from rich.progress import BarColumn, Progress, TextColumn

    refreshes = 4.0
    if not console.is_terminal:  # forced into a file or a pipe: terminal codes, seldom
        console = RichConsole(file=console.file, force_terminal=True, highlight=False)
        refreshes = 1.0
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        *_columns(unit, estimated),
        console=console,
        refresh_per_second=refreshes,
        transient=False,
    )


def _columns(unit: Unit, estimated: bool) -> list[Any]:
    """The amount done of the total, the rate and the time left (elapsed once done)."""
    from rich.progress import ProgressColumn, Task
    from rich.text import Text

    class Amount(ProgressColumn):
        def render(self, task: Task) -> Text:
            done = format_amount(task.completed, unit)
            if task.total is None:
                return Text(done, style="progress.download")
            total = format_amount(task.total, unit)
            if unit == "rows":  # "1,234/5,678 rows", not "1,234 rows/5,678 rows"
                done = f"{task.completed:,.0f}"
            about = "about " if estimated else ""
            return Text(f"{done}/{about}{total}", style="progress.download")

    class Rate(ProgressColumn):
        def render(self, task: Task) -> Text:
            if task.finished and task.finished_time:  # the whole run's, not the last moments'
                speed: float | None = task.completed / task.finished_time
            else:
                speed = task.speed
            if speed is None:
                return Text("")
            return Text(f"{format_amount(speed, unit)}/s", style="progress.data.speed")

    class TimeLeft(ProgressColumn):
        def render(self, task: Task) -> Text:
            if task.finished:
                return Text(
                    f"in {_clock(task.finished_time or task.elapsed)}", style="progress.elapsed"
                )
            if task.total is None:  # no end to estimate: how long it has run
                return Text(_clock(task.elapsed), style="progress.elapsed")
            left = task.time_remaining
            shown = "-:--:--" if left is None else _clock(left)
            return Text(f"ETA {shown}", style="progress.remaining")

    return [Amount(), Rate(), TimeLeft()]


def _clock(seconds: float | None) -> str:
    """``0:01:05``: a duration as the bar shows it."""
    whole = int(seconds or 0)
    hours, rest = divmod(whole, 3600)
    minutes, second = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{second:02d}"
