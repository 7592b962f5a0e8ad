"""What `gxschema fake` prints, and where: a bar on stderr, the result alone on stdout.

The command runs as a user runs it (a child process whose stdout and stderr are pipes,
not a terminal): by default no bar, ``--progress`` forces one; the counts it reports
are compared with what the tables hold. The bar itself (`gxschema.cli.progress`) is
also drawn into a string, where a terminal is or is not pretended.
"""

from __future__ import annotations

import io
import json
import re

import pytest
from rich.console import Console
from sqlalchemy import Engine, text

from gxschema.cli.fake_command import OverallReporter
from gxschema.cli.progress import ProgressBar
from gxschema.fake import FILLED_TABLES, FakeOptions, build_plan, make_pools

from ..support.cli import clean_env, gxschema
from ..support.fake import apply_seeds

CONTROL_CODES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
BAR = "━"


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            table: connection.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one()
            for table in FILLED_TABLES
        }


def _screen(stderr: str) -> list[str]:
    """The lines a terminal would have shown, each redraw of the bar a line of its own."""
    return [line for line in CONTROL_CODES.sub("", stderr.replace("\r", "\n")).splitlines() if line]


@pytest.fixture
def devnet(pg_server, head_database, engine_for):
    """A database at head, seeded for devnet (with the demo rows): (env, engine)."""
    engine = engine_for(head_database)
    apply_seeds(engine, "devnet")
    return clean_env(**pg_server.env(head_database)), engine


# -- the command ----------------------------------------------------------------------


def test_piped_json_is_the_result_alone_no_bar_and_counts_are_the_tables(devnet) -> None:
    env, engine = devnet
    before = _counts(engine)  # the devnet demo rows, which fake leaves in place
    ran = gxschema("--json", "fake", "--users", "20", env=env)
    assert ran.code == 0, ran.output
    report = json.loads(ran.stdout)  # nothing else on stdout
    written = {item["table"]: item["rows"] for item in report["tables"]}
    after = _counts(engine)
    assert {table: after[table] - before[table] for table in FILLED_TABLES} == written
    assert report["total_rows"] == sum(written.values())
    # stderr: the plan in one line (its total is exact: the writer fails any other
    # count), and no bar, no terminal codes, since stderr is not a terminal
    assert ran.stderr.splitlines() == [
        line for line in ran.stderr.splitlines() if line.startswith("fake data for ")
    ]
    assert f": {report['total_rows']:,} rows in {len(FILLED_TABLES)} tables" in ran.stderr
    assert BAR not in ran.stderr and "\x1b" not in ran.stderr
    assert report["replaced"] == {}
    assert report["replaced_counted_up_to"] == 1000


def test_forced_progress_leaves_the_bars_final_state_on_stderr(devnet) -> None:
    env, engine = devnet
    before = sum(_counts(engine).values())
    ran = gxschema("--json", "fake", "--users", "20", "--progress", env=env)
    assert ran.code == 0, ran.output
    report = json.loads(ran.stdout)  # the bar never reaches stdout
    total = report["total_rows"]
    assert total == sum(_counts(engine).values()) - before
    final = _screen(ran.stderr)[-1]
    assert BAR in final
    assert f"{len(FILLED_TABLES)} tables" in final
    assert f"{total:,}/{total:,} rows" in final
    assert re.search(r"[\d,]+ rows/s", final), final


def test_verbose_adds_each_tables_rows_to_the_summary(devnet) -> None:
    env, engine = devnet
    before = _counts(engine)
    plain = gxschema("fake", "--users", "20", "--no-analyze", env=env)
    assert plain.code == 0, plain.output
    summary = plain.stdout.splitlines()
    total = sum(_counts(engine).values()) - sum(before.values())
    assert summary[0].startswith(f"wrote {total:,} rows into 39 tables")
    assert not any("KYCDocument" in line for line in summary)
    assert BAR not in plain.stderr

    verbose = gxschema("fake", "--users", "20", "--force", "--no-analyze", "--verbose", env=env)
    assert verbose.code == 0, verbose.output
    # --force emptied the tables (the demo rows too): they hold what this run wrote
    counts = _counts(engine)
    for table in FILLED_TABLES:
        assert re.search(rf"│ {table} +│ {counts[table]:,} +│", verbose.stdout), table
    assert BAR not in verbose.stderr


def test_rows_replaced_beyond_the_counting_limit_are_said_to_be_at_least(devnet) -> None:
    env, _engine = devnet
    first = gxschema(
        "fake", "--users", "100", "--transactions-per-user", "10", "--no-analyze", env=env
    )
    assert first.code == 0, first.output
    again = gxschema("fake", "--users", "20", "--force", "--no-analyze", env=env)
    assert again.code == 0, again.output
    # 100 users' wallets and one organisation's, 10 transactions each, and the demo's:
    # more than the 1000 counted, which must not be printed as if exact
    assert "Transaction 1,000+" in again.stdout
    assert "UserProfile 105," in again.stdout  # below the limit: the exact count


# -- the bar ----------------------------------------------------------------------------


def _console(*, terminal: bool) -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, force_terminal=terminal, width=100), out


def test_no_bar_when_not_a_terminal_unless_forced() -> None:
    console, out = _console(terminal=False)
    with ProgressBar(console, total=10, unit="rows") as bar:
        bar.advance(10)
    assert out.getvalue() == ""

    with ProgressBar(console, forced=True, total=10, unit="rows", description="copy") as bar:
        bar.advance(10)
    assert "10/10 rows" in _screen(out.getvalue())[-1]


def test_no_progress_hides_the_bar_on_a_terminal_and_unused_bars_draw_nothing() -> None:
    console, out = _console(terminal=True)
    with ProgressBar(console, forced=False, total=10, unit="rows") as bar:
        bar.advance(5)
    with ProgressBar(console, total=10, unit="rows"):
        pass  # a refused command: no empty bar above its error
    assert out.getvalue() == ""


def test_an_estimated_total_is_labelled_as_one_and_bytes_are_sizes() -> None:
    console, out = _console(terminal=True)
    with ProgressBar(console, total=2_000_000, unit="bytes", estimated=True) as bar:
        bar.update(completed=1_500_000, description="dump")
    final = _screen(out.getvalue())[-1]
    assert "1.5 MB/about 2.0 MB" in final
    assert "ETA" in final

    console, out = _console(terminal=True)
    with ProgressBar(console, total=None, unit="bytes") as bar:  # a size not known ahead
        bar.advance(1_000)
    final = _screen(out.getvalue())[-1]
    assert "1.0 kB" in final and "/" not in final.split("kB")[0]
    assert "ETA" not in final and "0:00:00" in final


def test_one_bar_counts_every_tables_rows_and_names_the_steps_after_them() -> None:
    """`fill`'s reporter calls, as the writer and the index rebuild make them."""
    specs = build_plan(FakeOptions(users=3, transactions_per_user=1), make_pools(1))
    total = sum(spec.count for spec in specs)
    console, out = _console(terminal=True)
    reporter = OverallReporter(ProgressBar(console, total=total, unit="rows"), specs)
    for spec in specs:
        reporter.start(spec.table, spec.count)
        reporter.advance(spec.count)
        reporter.finish()
    reporter.start("foreign keys", 3)
    reporter.advance(1)
    reporter.advance(1)
    reporter.close()  # stopped here (Ctrl-C): the bar shows where
    final = _screen(out.getvalue())[-1]
    assert final.startswith("foreign keys 2/3")
    assert f"{total:,}/{total:,} rows" in final  # the steps' items are not rows
