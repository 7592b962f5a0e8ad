"""`gxschema status`: where the database stands; ``--check`` fails while work is pending."""

from __future__ import annotations

from typing import Annotated

import typer

from gxschema.cli.context import connect, handle_errors, settings_or_embedded
from gxschema.cli.options import WaitSeconds
from gxschema.cli.output import Output
from gxschema.errors import CheckFailedError

app = typer.Typer()


@app.command()
@handle_errors
def status(
    check: Annotated[
        bool, typer.Option("--check", help="Exit 1 when revisions are pending.")
    ] = False,
    wait: WaitSeconds = 10.0,
) -> None:
    """Current and head revision, pending revisions, recent runs, seeds and backups."""
    from gxschema import status as status_module

    settings, source = settings_or_embedded()
    engine = connect(settings, wait_seconds=wait)
    try:
        with engine.connect() as connection:
            report = status_module.collect(connection)
    finally:
        engine.dispose()
    report["database"] = settings.describe() if source == "configured" else "embedded"
    output = Output.current()
    pending = report["pending_revisions"]
    output.result(
        report,
        f"database: {report['database']}\n"
        f"environment: {report['environment_status']}\n"
        f"revision: {report['current_revision'] or 'none (empty)'}"
        f"   head: {report['head_revision']}\n"
        f"pending:  {', '.join(pending) if pending else 'none'}",
    )
    _status_tables(report)
    if check and not report["known_revision"]:
        raise CheckFailedError(
            f"the database is at {report['current_revision']!r}, unknown to this version"
        )
    if check and (pending or report["tables_without_history"]):
        raise CheckFailedError(
            f"{len(pending)} revision(s) pending: {', '.join(pending)}"
            if pending
            else "the database has tables but no migration history (run gxschema adopt)"
        )


def _status_tables(report: dict[str, object]) -> None:
    output = Output.current()
    runs = report["migration_runs"]
    assert isinstance(runs, list)
    if runs:
        output.table(
            "Recent migration runs",
            ["started", "direction", "from", "to", "status", "runner", "ms"],
            [
                [
                    r["started_at"],
                    r["direction"],
                    r["from_revision"],
                    r["to_revision"],
                    r["status"],
                    r["runner"],
                    r["duration_ms"],
                ]
                for r in runs
            ],
        )
    seeds = report["seed_datasets"]
    assert isinstance(seeds, list)
    if seeds:
        output.table(
            "Seed datasets",
            ["dataset", "version", "rows", "checksum", "applied"],
            [
                [s["name"], s["version"], s["row_count"], s["checksum"][:12], s["applied_at"]]
                for s in seeds
            ],
        )
    backups = report["backups"]
    assert isinstance(backups, list)
    if backups:
        output.table(
            "Latest backups",
            ["started", "status", "revision", "bytes", "location", "verified"],
            [
                [
                    b["started_at"],
                    b["status"],
                    b["schema_revision"],
                    b["size_bytes"],
                    b["location"],
                    b["verified_at"],
                ]
                for b in backups
            ],
        )
