"""`gxschema docs`: the schema reference and ER diagrams, generated from the models.

Needs no database. ``--check`` exits 1 when the committed docs differ from what the
models generate, naming each file; it compares the Markdown pages, the graphviz
sources and the generated blocks byte for byte, and for each SVG only that it exists
and carries the hash of its current source (SVGs differ between graphviz versions).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gxschema.cli.context import handle_errors
from gxschema.cli.options import deprecated_alias, renamed
from gxschema.cli.output import Output
from gxschema.errors import CheckFailedError

DEFAULT_OUT = Path("docs/schema")


app = typer.Typer()


@app.command()
@handle_errors
def docs(
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Write nothing; exit 1 when the docs on disk differ from what the "
            "models generate.",
        ),
    ] = False,
    out: Annotated[
        Path,
        typer.Option(
            "-o",
            "--output",
            help="Folder of the schema reference (default docs/schema). The generated "
            "blocks of schema-notes.md and scaling.md and the *.dot diagrams in the "
            "folder above it are kept up to date too.",
        ),
    ] = DEFAULT_OUT,
    out_before: Annotated[Path | None, deprecated_alias("--out", "--output")] = None,
) -> None:
    """Generate the schema reference and ER diagrams from the models (or --check them)."""
    from gxschema import docs as generator
    from gxschema.docs import diagrams
    from gxschema.docs.generate import show

    out = renamed(out, out_before)  # --output, as `prisma export` names where it writes
    output = Output.current()
    planned = generator.plan(out)
    if check:
        problems = generator.check(planned)
        output.result(
            {"up_to_date": not problems, "problems": [p.as_dict() for p in problems]},
            "\n".join(f"  {problem}" for problem in problems)
            if problems
            else f"the docs in {show(out)} are up to date with the models",
        )
        if problems:
            raise CheckFailedError(
                f"{len(problems)} generated doc file(s) differ from the models; "
                "run `gxschema docs` and commit the result"
            )
        return
    result = generator.write(planned, diagrams.find_dot())
    lines = [
        f"wrote {len(result.written)} file(s), {result.unchanged} unchanged, "
        f"rendered {len(result.rendered)} diagram(s), removed {len(result.removed)}",
        *(f"  wrote    {show(path)}" for path in result.written),
        *(f"  rendered {show(path)}" for path in result.rendered),
        *(f"  removed  {show(path)}" for path in result.removed),
        *(
            f"  skipped  {show(path)} (not there: its generated blocks were not written)"
            for path in result.skipped
        ),
    ]
    output.result(result.as_dict(), "\n".join(lines))
