"""`gxschema prisma`: the schema.prisma of the TypeScript services, from the models.

``export`` writes the file (pure Python). ``check`` reads a file with Prisma's own
parser and lists how it differs from the models (exit 1 on any difference, 2 when
Prisma cannot read it or is not installed); ``check --sql`` prints the SQL Prisma
would run to take the models' schema to the file's, the start of a new revision.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from gxschema.cli.context import handle_errors
from gxschema.cli.options import PrismaVersion
from gxschema.cli.output import Output
from gxschema.errors import CheckFailedError, ConfigError

app = typer.Typer(
    name="prisma",
    help="The schema.prisma of the TypeScript services: export it, check one against the models.",
    no_args_is_help=True,
)


@app.command("export")
@handle_errors
def export_command(
    out: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Write to this file (default: stdout)."),
    ] = None,
    prisma_version: Annotated[
        PrismaVersion,
        typer.Option(
            "--prisma-version",
            help='6: the datasource names its URL (url = env("DATABASE_URL")), for '
            "Prisma 5 and 6; 7: no URL in the schema (Prisma 7 reads it from "
            "prisma.config.ts).",
        ),
    ] = "6",
) -> None:
    """Write the schema.prisma generated from the models (every table, enum, relation)."""
    from gxschema.prisma.export import STYLES, render_models

    style = "6" if prisma_version == "5" else prisma_version  # same blocks
    if style not in STYLES:  # the choice's values and the renderer's styles disagree
        raise ConfigError(f"--prisma-version {prisma_version}: use {', '.join(STYLES)}")
    prisma_version = style
    text = render_models(style=style)
    output = Output.current()
    if out is None:
        if output.as_json:
            output.result({"schema": text, "prisma_version": prisma_version})
        else:
            sys.stdout.write(text)
        return
    if out.parent and not out.parent.is_dir():
        raise ConfigError(f"{out.parent}: no such folder")
    out.write_text(text)
    output.result(
        {"written": str(out), "prisma_version": prisma_version},
        f"wrote {out} (Prisma {prisma_version} style); next: npx prisma generate",
    )


@app.command("check")
@handle_errors
def check_command(
    file: Annotated[Path, typer.Argument(help="The schema.prisma to compare.")],
    sql: Annotated[
        bool,
        typer.Option(
            "--sql",
            help="Print the SQL Prisma would run to go from the models' schema to "
            "FILE's instead (the starting point of a new revision).",
        ),
    ] = False,
) -> None:
    """Compare FILE with the models through Prisma's parser; exit 1 on any difference."""
    from gxschema.prisma.check import check, migration_sql

    output = Output.current()
    if sql:
        script = migration_sql(file)
        output.result({"file": str(file), "sql": script}, script.rstrip("\n"))
        return
    result = check(file)
    notes = [
        f"({name} is not in {file.name}: gxschema's own table, optional there)"
        for name in result.left_out
    ]
    if result.differences:
        output.result(
            {"file": str(file), "equal": False, "differences": result.differences},
            "\n".join(result.differences),
        )
        raise CheckFailedError(
            f"{file} differs from the models in {len(result.differences)} way(s)"
        )
    output.result(
        {"file": str(file), "equal": True, "differences": [], "left_out": result.left_out},
        "\n".join([f"{file} describes the same data model as the models", *notes]),
    )
