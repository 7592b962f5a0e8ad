"""`gxschema prisma check`: how a schema.prisma differs from the models, through Prisma.

Both sides are read by Prisma's own parser: the file as it is, the models as
`export` renders them; `dmmf.differences` compares what the parser made of them.
The operational tables (`SchemaMigrationRun`, `SeedDataset`, `BackupRecord`) are
gxschema's own bookkeeping, which the services never read: a file may leave them
out (the backend's v2.1 file does), but if it has them they must match.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from gxschema.prisma import dmmf, node
from gxschema.prisma.export import render_models


def operational_tables() -> tuple[str, ...]:
    from gxschema.models import DOMAINS

    return DOMAINS["operations"]


@dataclass(frozen=True)
class CheckResult:
    """What `check` found: each difference in one line, and the models left out."""

    differences: list[str]
    left_out: list[str]
    """Operational tables the file does not have (not a difference)."""


def check(schema_file: Path) -> CheckResult:
    """Compare `schema_file` with the models as Prisma's parser sees both."""
    with tempfile.TemporaryDirectory(prefix="gxschema-prisma-") as folder:
        exported = Path(folder) / "schema.prisma"
        exported.write_text(render_models())
        theirs_raw, ours_raw = node.dmmf(schema_file, exported)
    theirs, ours = dmmf.canonical(theirs_raw), dmmf.canonical(ours_raw)
    left_out = [name for name in operational_tables() if name not in theirs["models"]]
    lines = dmmf.differences(
        ours,
        theirs,
        expected_label="the models",
        actual_label=schema_file.name,
        optional_models=left_out,
    )
    return CheckResult(differences=lines, left_out=left_out)


def migration_sql(schema_file: Path) -> str:
    """The SQL Prisma would run to take the models' schema to `schema_file`'s.

    Operational tables the file leaves out are left out of the models' side too, so
    the script does not drop them.
    """
    (theirs,) = node.dmmf(schema_file)
    present = {model["name"] for model in theirs["models"]}
    leave_out = [name for name in operational_tables() if name not in present]
    with tempfile.TemporaryDirectory(prefix="gxschema-prisma-") as folder:
        exported = Path(folder) / "models.prisma"
        exported.write_text(render_models(leave_out=leave_out))
        return node.migrate_diff(exported, schema_file, what=str(schema_file))
