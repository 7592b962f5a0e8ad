"""How big the schema is, counted the same way from the models or from a live database.

`count` takes a catalog (the shape of `gxschema.catalog`), so the numbers the docs
print from the models are the numbers a test measures from a migrated database with
`catalog.from_database`. The published phase report's figures are kept here, beside
ours, for the comparison in ``docs/schema-notes.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

from gxschema.catalog import Catalog


@dataclass(frozen=True)
class Counts:
    tables: int
    columns: int
    enums: int
    command_types: int
    primary_keys: int
    indexes: int
    """Indexes other than the primary keys' (Prisma's @@index, @@unique and @unique)."""
    unique_indexes: int
    foreign_keys: int


def count(catalog: Catalog) -> Counts:
    tables = catalog["tables"].values()
    return Counts(
        tables=len(catalog["tables"]),
        columns=sum(len(table["columns"]) for table in tables),
        enums=len(catalog["enums"]),
        command_types=len(catalog["enums"].get("CommandType", [])),
        primary_keys=sum(1 for table in tables if table["primary_key"]),
        indexes=sum(len(table["indexes"]) + len(table["unique_indexes"]) for table in tables),
        unique_indexes=sum(len(table["unique_indexes"]) for table in tables),
        foreign_keys=sum(len(table["foreign_keys"]) for table in tables),
    )


PHASE_REPORT: dict[str, int] = {
    "tables": 46,
    "enums": 18,
    "command_types": 38,
    "indexes": 127,
    "foreign_keys": 89,
}
"""What the published phase report claims; it gives no other figure."""

V2_1_REVISION = "0002"
"""The revision whose catalog is exactly the GX Protocol schema v2.1 (43 tables)."""

_ROWS: tuple[tuple[str, str], ...] = (
    ("tables", "tables"),
    ("columns", "columns"),
    ("enums", "enum types"),
    ("command_types", "`CommandType` values (command types)"),
    ("primary_keys", "primary keys"),
    ("indexes", "indexes besides the primary keys"),
    ("unique_indexes", "of which unique"),
    ("foreign_keys", "foreign keys"),
)


def comparison_table(v2_1: Counts, head: Counts, head_revision: str) -> str:
    """The Markdown table of the phase report's claims against the measured counts."""
    lines = [
        f"| | phase report claims | v2.1 schema (revision `{V2_1_REVISION}`) | "
        f"gxschema head (revision `{head_revision}`) |",
        "|---|---:|---:|---:|",
    ]
    for field, label in _ROWS:
        claimed = PHASE_REPORT.get(field)
        lines.append(
            f"| {label} | {'' if claimed is None else claimed} | {getattr(v2_1, field)} | "
            f"{getattr(head, field)} |"
        )
    return "\n".join(lines) + "\n"
