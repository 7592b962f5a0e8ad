"""`gxschema fake`: fill a development database with realistic, reproducible data, fast.

It refuses (exit 2, nothing written) a database recorded as mainnet whatever the
options, one recorded as testnet unless ``--allow-testnet``, one with reference data
but no recorded environment (treated as production), and one whose filled tables
already hold rows other than the devnet demo rows, unless ``--force`` (which empties
those tables first, never the environment record). Everything happens in
one transaction: a failure or Ctrl-C leaves the database as it was.
See `gxschema.fake` and `gxschema.fake.guard` for the rules.

What it prints: the run's plan and one overall progress bar (rows written of the
plan's, rows/s, ETA; `gxschema.cli.progress`) on stderr; the result on stdout, one
summary or the ``--json`` document, whose counts are the rows the server stored.
Each table's rows, seconds and rate are in the JSON always, for people with
``--verbose``.
"""

from __future__ import annotations

import enum
import time
from typing import TYPE_CHECKING, Annotated, Any

import typer

from gxschema.cli.context import connect, handle_errors, settings_or_embedded
from gxschema.cli.output import Output
from gxschema.cli.progress import ProgressBar, ShowProgress
from gxschema.errors import ConfigError
from gxschema.fake.thresholds import PARALLEL_FROM, REBUILD_FROM

if TYPE_CHECKING:
    from gxschema.fake import FakeReport, TableSpec


class IndexMode(enum.StrEnum):
    AUTO = "auto"
    REBUILD = "rebuild"
    KEEP = "keep"


# How the rows are written (the data's shape is the options above them in `fake`).
Force = Annotated[
    bool,
    typer.Option(
        "--force",
        help="Empty the tables fake fills first when they hold rows (never allowed on mainnet).",
    ),
]
AllowTestnet = Annotated[
    bool,
    typer.Option(
        "--allow-testnet",
        help="Allow a database recorded as testnet (load tests); mainnet never.",
    ),
]
Indexes = Annotated[
    IndexMode,
    typer.Option(
        help="rebuild: drop indexes and keys for the COPY and create them again "
        "after it (fast; readers wait until the commit); keep: maintain them row by "
        f"row; auto: rebuild from {REBUILD_FROM:,} rows on.",
    ),
]
Workers = Annotated[
    int | None,
    typer.Option(
        min=0,
        show_default=False,
        help="Processes generating the rows (0: none besides this one). "
        f"Default: one per CPU from {PARALLEL_FROM:,} rows on, else 0.",
    ),
]
Analyze = Annotated[
    bool,
    typer.Option("--analyze/--no-analyze", help="ANALYZE the filled tables afterwards."),
]
Verbose = Annotated[
    bool,
    typer.Option("--verbose", "-v", help="Also print each table's rows, seconds and rows/s."),
]

app = typer.Typer()


@app.command()
@handle_errors
def fake(
    users: Annotated[int, typer.Option("--users", help="How many users to make.")],
    transactions_per_user: Annotated[
        int, typer.Option("--transactions-per-user", help="Transactions per wallet.")
    ] = 10,
    tenants: Annotated[
        int,
        typer.Option(help="Tenants to spread the data over (global, tenant-001, ...)."),
    ] = 1,
    seed: Annotated[int, typer.Option(help="The same seed gives the same data.")] = 1,
    batch: Annotated[
        int, typer.Option(help="About how many rows one piece holds (made and sent at once).")
    ] = 5000,
    force: Force = False,
    allow_testnet: AllowTestnet = False,
    indexes: Indexes = IndexMode.AUTO,
    workers: Workers = None,
    analyze: Analyze = True,
    wait: Annotated[
        float, typer.Option(min=0, help="How long to retry an unreachable database (s).")
    ] = 30.0,
    progress: ShowProgress = None,
    verbose: Verbose = False,
) -> None:
    """Fill the database with realistic fake data (COPY, one transaction, reproducible)."""
    from gxschema.fake import FakeOptions, build_plan, fill, make_pools
    from gxschema.fake.guard import SHOWN, environment_refusal

    clock = time.monotonic()
    options = FakeOptions(
        users=users,
        transactions_per_user=transactions_per_user,
        tenants=tenants,
        seed=seed,
        batch=batch,
    )
    problems = options.problems()
    if problems:
        raise ConfigError("; ".join(problems))
    output = Output.current()
    settings, source = settings_or_embedded()
    where = settings.describe() if source == "configured" else "embedded"
    engine = connect(settings, wait_seconds=wait)
    try:
        # refused at once, before generating a row or starting a worker (fill asks again
        # in its transaction)
        with engine.connect() as connection:
            refused = environment_refusal(connection, allow_testnet=allow_testnet)
        if refused:
            raise ConfigError(refused)
        pools = make_pools(options.seed)
        specs = build_plan(options, pools)
        planned = sum(spec.count for spec in specs)
        # stderr: what is about to happen is progress too; stdout holds only the result.
        # The plan's counts are exact (the writer fails the run on any other count).
        output.errors.print(
            f"fake data for {where}: {users:,} users, {transactions_per_user} transactions "
            f"each, {tenants} tenant(s), seed {seed}: {planned:,} rows in {len(specs)} tables",
            markup=False,
        )
        reporter = OverallReporter(
            ProgressBar(output.errors, forced=progress, total=planned, unit="rows"), specs
        )
        try:
            report = fill(
                engine,
                options,
                force=force,
                allow_testnet=allow_testnet,
                analyze=analyze,
                reporter=reporter,
                specs=specs,
                pools=pools,
                workers=workers,
                rebuild_indexes=None if indexes is IndexMode.AUTO else indexes is IndexMode.REBUILD,
            )
        except BaseException:  # the bar stays where the run stopped, above the error
            reporter.close()
            raise
        reporter.close(tables=len(report.tables))
    finally:
        engine.dispose()
    data = report.as_dict()
    data["database"] = where
    data["wall_seconds"] = round(time.monotonic() - clock, 3)
    # the rows found before a --force were counted up to SHOWN per table: a count equal
    # to it means "at least", and says so (``1000+`` for people)
    data["replaced_counted_up_to"] = SHOWN
    _print_report(report, data, seed=seed, verbose=verbose, counted_up_to=SHOWN)


class OverallReporter:
    """`fill`'s progress (`gxschema.fake.writer.Reporter`) drawn as one bar of all rows.

    The bar counts the rows of every table together against the plan's total, so its
    rate and ETA are the run's; its label names the table being written, or the step
    after the tables (``foreign keys 12/40``) while the rows are all in.
    """

    def __init__(self, bar: ProgressBar, specs: list[TableSpec]) -> None:
        self._bar = bar
        self._tables = {spec.table for spec in specs}
        self._width = max((len(spec.table) for spec in specs), default=0)
        self._step: tuple[str, int] | None = None  # a step that is not a table, its size
        self._step_done = 0

    def start(self, table: str, total: int) -> None:
        if table in self._tables:
            self._step = None
            self._bar.update(description=table.ljust(self._width))
        else:
            self._step, self._step_done = (table, total), 0
            self._bar.update(description=self._step_label())

    def advance(self, rows: int) -> None:
        if self._step is None:
            self._bar.advance(rows)
        else:
            self._step_done += rows
            self._bar.update(description=self._step_label())

    def finish(self) -> None:
        pass

    def close(self, *, tables: int | None = None) -> None:
        """Leave the bar's final state on the screen (labelled with `tables` if done)."""
        if tables is not None:
            self._bar.update(description=f"{tables} tables".ljust(self._width))
        self._bar.close()

    def _step_label(self) -> str:
        assert self._step is not None
        name, size = self._step
        return f"{name} {self._step_done}/{size}".ljust(self._width)


def _print_report(
    report: FakeReport,
    data: dict[str, Any],
    *,
    seed: int,
    verbose: bool,
    counted_up_to: int,
) -> None:
    """The rows written, in all and with `verbose` per table (``data`` is the ``--json``)."""
    output = Output.current()
    if verbose:
        output.table(
            "Rows written",
            ["table", "rows", "seconds", "rows/s"],
            [
                [
                    item["table"],
                    f"{item['rows']:,}",
                    f"{item['seconds']:.2f}",
                    f"{item['rows_per_second']:,}",
                ]
                for item in data["tables"]
            ],
        )
    lines = [
        f"wrote {report.total_rows:,} rows into {len(report.tables)} tables in "
        f"{report.seconds:.1f}s ({report.rows_per_second:,.0f} rows/s), seed {seed}"
    ]
    if report.replaced:
        lines.append(
            "replaced what the tables held before (--force): "
            + ", ".join(
                f"{table} {count:,}{'+' if count >= counted_up_to else ''}"
                for table, count in report.replaced.items()
            )
        )
    if report.rebuild_seconds is not None:
        lines.append(
            f"  of which {report.rebuild_seconds:.1f}s rebuilding the indexes and keys "
            "(every constraint checked)"
        )
    if report.analyze_seconds is not None:
        lines.append(f"analyzed the filled tables in {report.analyze_seconds:.1f}s")
    output.result(data, "\n".join(lines))
