"""What `apply` did (or, in a dry run, would do), per dataset and table; `to_dict` for JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from gxschema.seeding.dataset import canonical


def _plain(value: Any) -> Any:
    """`value` as JSON output shows it: Decimal and timestamps as strings."""
    value = canonical(value)
    if isinstance(value, dict) and len(value) == 1:
        (tag, inner), *_ = value.items()
        if tag in {"decimal", "timestamp", "date"} and isinstance(inner, str):
            return inner
    return value


@dataclass(frozen=True)
class Difference:
    """A value in the database that differs from the file in an operator-owned column."""

    table: str
    key: str
    column: str
    database: Any
    file: Any
    action: Literal["kept", "reset"]

    def to_dict(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "key": self.key,
            "column": self.column,
            "database": _plain(self.database),
            "file": _plain(self.file),
            "action": self.action,
        }


@dataclass
class TableReport:
    """Rows of one table: inserted, updated, unchanged (not written), differing, absent."""

    table: str
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    differing: list[Difference] = field(default_factory=list)
    not_in_file: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Counts only; the dataset's `to_dict` lists the differences and absent rows."""
        return {
            "table": self.table,
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


@dataclass
class DatasetReport:
    """One dataset: its tables, and whether its checksum is (or would be) recorded."""

    name: str
    source: str
    version: str
    checksum: str
    row_count: int
    previous_checksum: str | None
    recorded: bool
    tables: list[TableReport] = field(default_factory=list)

    @property
    def inserted(self) -> int:
        return sum(table.inserted for table in self.tables)

    @property
    def updated(self) -> int:
        return sum(table.updated for table in self.tables)

    @property
    def unchanged(self) -> int:
        return sum(table.unchanged for table in self.tables)

    @property
    def differing(self) -> list[Difference]:
        return [difference for table in self.tables for difference in table.differing]

    @property
    def changed(self) -> bool:
        return bool(self.inserted or self.updated or self.recorded)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "source": self.source,
            "version": self.version,
            "checksum": self.checksum,
            "previous_checksum": self.previous_checksum,
            "row_count": self.row_count,
            "recorded": self.recorded,
            "changed": self.changed,
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "differing": [difference.to_dict() for difference in self.differing],
            "not_in_file": [
                {"table": table.table, "key": key}
                for table in self.tables
                for key in table.not_in_file
            ],
            "tables": [table.to_dict() for table in self.tables],
        }

    def summary(self) -> str:
        line = (
            f"{self.name} {self.version}: {self.inserted} inserted, {self.updated} updated, "
            f"{self.unchanged} unchanged"
        )
        kept = [d for d in self.differing if d.action == "kept"]
        if kept:
            line += f", {len(kept)} operator value(s) kept"
        reset = [d for d in self.differing if d.action == "reset"]
        if reset:
            line += f", {len(reset)} operator value(s) reset"
        absent = sum(len(table.not_in_file) for table in self.tables)
        if absent:
            line += f", {absent} row(s) in the database not in the file (left alone)"
        if self.recorded:
            line += f"; recorded checksum {self.checksum[:12]}"
        return line


@dataclass
class SeedReport:
    """The outcome of one `apply`: one `DatasetReport` per dataset, in apply order."""

    env: str
    dry_run: bool
    overwrite: bool
    datasets: list[DatasetReport] = field(default_factory=list)
    rows_compared: bool = True
    """False when the recorded checksums matched the files and no row was read
    (`gxschema.seeding.unchanged`): the datasets' row counts are then zero."""

    @property
    def changed(self) -> bool:
        """Whether anything was (in a dry run: would be) written."""
        return any(dataset.changed for dataset in self.datasets)

    def dataset(self, name: str) -> DatasetReport:
        for dataset in self.datasets:
            if dataset.name == name:
                return dataset
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "env": self.env,
            "dry_run": self.dry_run,
            "overwrite": self.overwrite,
            "changed": self.changed,
            "rows_compared": self.rows_compared,
            "datasets": [dataset.to_dict() for dataset in self.datasets],
        }

    def summary(self) -> str:
        """A few readable lines, e.g. for a Job's log."""
        mode = " (dry run: nothing written)" if self.dry_run else ""
        head = f"seed {self.env}{mode}: " + ("changes" if self.changed else "nothing to change")
        if not self.rows_compared:
            head += " (the recorded checksums match the files; rows not compared)"
        lines = [head] + [f"  {dataset.summary()}" for dataset in self.datasets]
        for dataset in self.datasets:
            for difference in dataset.differing:
                lines.append(
                    f"  {difference.table} {difference.key}: {difference.column} is "
                    f"{_plain(difference.database)!r} in the database, "
                    f"{_plain(difference.file)!r} in the file ({difference.action})"
                )
        return "\n".join(lines)
