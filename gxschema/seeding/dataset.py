"""A validated dataset: the rows it puts in which tables, and the checksum of its content.

`Dataset` is what `load` returns and `apply` writes. Rows use the database's column
names (camelCase) and Python values of the column types (str, int, bool, Decimal,
aware datetime, lists and dicts for jsonb), so they compare directly with what
PostgreSQL returns.
"""

from __future__ import annotations

import enum
import hashlib
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

SEED_NAMESPACE = uuid.UUID("7b21d1eb-f6d4-4485-853d-b4a313858861")
"""The uuid5 namespace of every id the seed data derives (never change it: ids would move)."""


def stable_id(*parts: object) -> str:
    """A UUID derived from `parts`: the same parts give the same id on every run."""
    return str(uuid.uuid5(SEED_NAMESPACE, "/".join(str(part) for part in parts)))


Row = Mapping[str, Any]


@dataclass(frozen=True)
class TableRows:
    """The rows a dataset owns in one table, and how `apply` treats them.

    - `key`: the columns that identify a row (the primary key, or a natural key).
    - `insert_only`: written when the row is inserted, never compared or updated
      (e.g. a derived id where the natural key is what identifies the row).
    - `operator_columns`: values an operator may change in the database; when they
      differ from the file they are kept and reported, unless `overwrite`.
    - `scope`: column values that select the rows of the table this dataset is
      responsible for (e.g. tenantId "global"), to report rows missing from the
      file; None means the table is not checked for such rows.
    """

    table: str
    key: tuple[str, ...]
    rows: tuple[Row, ...]
    insert_only: frozenset[str] = frozenset()
    operator_columns: frozenset[str] = frozenset()
    scope: Mapping[str, Any] | None = None

    def key_of(self, row: Row) -> tuple[Any, ...]:
        return tuple(row[column] for column in self.key)


@dataclass(frozen=True)
class Dataset:
    """One seed file, validated: its rows, version and checksum."""

    name: str
    source: str
    version: str
    tables: tuple[TableRows, ...]
    demo: bool = False
    checksum: str = ""
    """What the dataset is recorded under. `load` gives the checksum of its file and of
    the code that makes its rows (`gxschema.seeding.fingerprint`), which the no-op seed
    can compute without making them; a dataset built in code gets its content's."""

    def __post_init__(self) -> None:
        if not self.checksum:
            object.__setattr__(self, "checksum", content_checksum(self.tables))

    @property
    def row_count(self) -> int:
        return sum(len(table.rows) for table in self.tables)


def canonical(value: Any) -> Any:
    """`value` as plain JSON data, the same for equal values whatever their spelling."""
    if isinstance(value, enum.Enum):
        return canonical(value.value)
    if isinstance(value, Decimal):
        return {"decimal": format(value.normalize(), "f")}
    if isinstance(value, datetime):
        return {"timestamp": value.astimezone(UTC).isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, Mapping):
        return {str(key): canonical(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [canonical(item) for item in value]
    return value


def content_checksum(tables: tuple[TableRows, ...]) -> str:
    """SHA-256 of the rows' canonical JSON: independent of formatting, comments, row order."""
    content = [
        {
            "table": table.table,
            "rows": sorted(
                (canonical(dict(row)) for row in table.rows),
                key=lambda row: json.dumps([row.get(column) for column in table.key]),
            ),
        }
        for table in tables
    ]
    encoded = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()
