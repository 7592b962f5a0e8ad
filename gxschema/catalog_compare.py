"""Comparing two catalogs: every difference as one line that names the object.

The shape of a catalog (see `gxschema.catalog`) is defined here, with the rule that
lets catalogs of different ages be compared: an aspect an older catalog does not
record is either *implied* (every catalog of that age had one value for it) or
*skipped* (it cannot be known):

- implied: an index without ``method``/``keys``/``include``/``predicate`` is a plain
  ascending btree on its ``columns`` with default operator classes and no predicate
  (all that Prisma and revisions 0001-0005 ever made); a table without
  ``check_constraints`` has none; a table without ``column_details`` has no identity,
  no generated column and only default collations. An index is always expected valid. So the
  snapshots that ``adopt`` matches stay byte-identical and adopt still refuses a
  database with a partial index, a CHECK or an identity column it never had.
- skipped: ``comment`` and the comments of ``column_details`` are compared only when
  the expected catalog records them (revision 0005 added comments without changing
  the snapshots, so a snapshot cannot say which comments its database has).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

Catalog = dict[str, Any]

INDEX_DETAILS = ("method", "keys", "include", "predicate")
"""What an index entry says beyond its name and ``columns``."""

COLUMN_DETAILS = ("comment", "identity", "generated", "collation")
"""What ``column_details`` says of each column (kept apart from ``columns``, whose
entries stay exactly the spec's)."""


def empty_table() -> dict[str, Any]:
    """A table entry with no columns, keys or indexes yet."""
    return {
        "columns": [],
        "primary_key": None,
        "unique_indexes": [],
        "indexes": [],
        "foreign_keys": [],
        "unique_constraints": [],
    }


@dataclass(frozen=True)
class Difference:
    """One way in which the actual catalog differs from the expected one."""

    kind: str  # missing, extra, changed
    subject: str  # e.g. 'index "UserProfile_email_key"'
    detail: str = ""

    def __str__(self) -> str:
        text_ = f"{self.kind} {self.subject}"
        return f"{text_}: {self.detail}" if self.detail else text_

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "subject": self.subject, "detail": self.detail}


def _by_name(items: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["name"]: item for item in items}


def diff(expected: Catalog, actual: Catalog) -> list[Difference]:
    """Every difference of `actual` from `expected`, sorted for stable output."""
    differences = _diff_enums(expected["enums"], actual["enums"])
    for name, want in expected["tables"].items():
        have = actual["tables"].get(name)
        if have is None:
            differences.append(Difference("missing", f'table "{name}"'))
            continue
        differences.extend(_diff_table(name, want, have))
    for name in actual["tables"].keys() - expected["tables"].keys():
        differences.append(Difference("extra", f'table "{name}"'))
    return sorted(differences, key=lambda d: (d.subject, d.kind, d.detail))


def _diff_enums(expected: dict[str, list[str]], actual: dict[str, list[str]]) -> list[Difference]:
    differences: list[Difference] = []
    for name, labels in expected.items():
        have = actual.get(name)
        if have is None:
            differences.append(Difference("missing", f'enum "{name}"'))
        elif have != labels:
            missing = [label for label in labels if label not in have]
            extra = [label for label in have if label not in labels]
            detail = []
            if missing:
                detail.append("missing values " + ", ".join(missing))
            if extra:
                detail.append("extra values " + ", ".join(extra))
            if not detail:
                detail.append(f"values in order {have}, expected {labels}")
            differences.append(Difference("changed", f'enum "{name}"', "; ".join(detail)))
    for name in actual.keys() - expected.keys():
        differences.append(Difference("extra", f'enum "{name}"'))
    return differences


def _diff_table(name: str, want: dict[str, Any], have: dict[str, Any]) -> list[Difference]:
    differences = _diff_columns(name, want, have)
    if want["primary_key"] != have["primary_key"]:
        differences.append(
            Difference(
                "changed",
                f'primary key of "{name}"',
                f"{have['primary_key']!r}, expected {want['primary_key']!r}",
            )
        )
    differences.extend(_diff_indexes(name, want, have))
    differences.extend(_diff_foreign_keys(name, want["foreign_keys"], have["foreign_keys"]))
    for constraint in have.get("unique_constraints", []):
        if constraint not in want.get("unique_constraints", []):
            differences.append(Difference("extra", f'constraint "{constraint}" on "{name}"'))
    differences.extend(_diff_checks(name, want, have))
    if "comment" in want and want["comment"] != have.get("comment"):
        differences.append(
            Difference(
                "changed",
                f'table "{name}"',
                f"comment {have.get('comment')!r}, expected {want['comment']!r}",
            )
        )
    return differences


def _diff_columns(name: str, want: dict[str, Any], have: dict[str, Any]) -> list[Difference]:
    differences: list[Difference] = []
    want_columns, have_columns = _by_name(want["columns"]), _by_name(have["columns"])
    for column in want_columns.keys() - have_columns.keys():
        differences.append(Difference("missing", f'column "{name}"."{column}"'))
    for column in have_columns.keys() - want_columns.keys():
        detail = _generation(have.get("column_details", {}).get(column, {}))
        differences.append(Difference("extra", f'column "{name}"."{column}"', detail))
    for column in want_columns.keys() & have_columns.keys():
        expected_column, actual_column = want_columns[column], have_columns[column]
        for field in ("type", "nullable", "default"):
            if expected_column[field] != actual_column[field]:
                differences.append(
                    Difference(
                        "changed",
                        f'column "{name}"."{column}"',
                        f"{field} {actual_column[field]!r}, expected {expected_column[field]!r}",
                    )
                )
        differences.extend(_diff_column_details(name, column, want, have))
    common = [c for c in want_columns if c in have_columns]
    if not differences and [c for c in have_columns if c in want_columns] != common:
        differences.append(Difference("changed", f'table "{name}"', "column order differs"))
    return differences


def _generation(details: dict[str, Any]) -> str:
    if details.get("identity"):
        return f"generated {details['identity']} as identity"
    if details.get("generated"):
        return f"generated always as ({details['generated']}) stored"
    return ""


def _diff_column_details(
    table: str, column: str, want: dict[str, Any], have: dict[str, Any]
) -> list[Difference]:
    """Identity and generation (implied none when not recorded), and comments (if recorded)."""
    implied = {"identity": None, "generated": None, "collation": None}  # comment: unknown
    expected = want.get("column_details", {}).get(column, implied)
    actual = have.get("column_details", {}).get(column, {})
    differences = []
    for field in COLUMN_DETAILS:
        if field not in expected:
            continue
        if expected[field] != actual.get(field):
            differences.append(
                Difference(
                    "changed",
                    f'column "{table}"."{column}"',
                    f"{field} {actual.get(field)!r}, expected {expected[field]!r}",
                )
            )
    return differences


def _complete_index(entry: dict[str, Any]) -> dict[str, Any]:
    """The entry with the details an older catalog implies (plain ascending btree)."""
    if "keys" in entry:
        return entry
    return {**entry, "method": "btree", "keys": entry["columns"], "include": [], "predicate": None}


def _diff_indexes(table: str, want: dict[str, Any], have: dict[str, Any]) -> list[Difference]:
    """Indexes by name, unique and plain together, so a change of uniqueness is one line."""

    def indexes(entry: dict[str, Any]) -> dict[str, tuple[bool, dict[str, Any]]]:
        found = {i["name"]: (True, i) for i in entry["unique_indexes"]}
        found.update({i["name"]: (False, i) for i in entry["indexes"]})
        return found

    def kind(unique: bool) -> str:
        return "unique index" if unique else "index"

    differences: list[Difference] = []
    expected, actual = indexes(want), indexes(have)
    for name in expected.keys() - actual.keys():
        unique, entry = expected[name]
        subject = f'{kind(unique)} "{name}" on "{table}" ({", ".join(entry["columns"])})'
        differences.append(Difference("missing", subject))
    for name in actual.keys() - expected.keys():
        unique, entry = actual[name]
        subject = (
            f'{kind(unique)} "{name}" on "{table}" ({", ".join(_complete_index(entry)["keys"])})'
        )
        differences.append(Difference("extra", subject))
    for name in expected.keys() & actual.keys():
        (want_unique, want_entry), (have_unique, have_entry) = expected[name], actual[name]
        subject = f'{kind(want_unique)} "{name}" on "{table}"'
        if want_unique != have_unique:
            differences.append(
                Difference("changed", subject, f"unique {have_unique}, expected {want_unique}")
            )
        if have_entry.get("valid") is False:
            detail = "invalid: an unfinished CREATE INDEX CONCURRENTLY; drop it and build it again"
            differences.append(Difference("changed", subject, detail))
        want_entry, have_entry = _complete_index(want_entry), _complete_index(have_entry)
        for field in INDEX_DETAILS:
            if want_entry[field] != have_entry[field]:
                differences.append(
                    Difference(
                        "changed",
                        subject,
                        f"{field} {have_entry[field]!r}, expected {want_entry[field]!r}",
                    )
                )
    return differences


def _diff_foreign_keys(
    table: str, expected: list[dict[str, Any]], actual: list[dict[str, Any]]
) -> list[Difference]:
    differences: list[Difference] = []
    want, have = _by_name(expected), _by_name(actual)
    for name in want.keys() - have.keys():
        columns = ", ".join(want[name]["columns"])
        differences.append(Difference("missing", f'foreign key "{name}" on "{table}" ({columns})'))
    for name in have.keys() - want.keys():
        columns = ", ".join(have[name]["columns"])
        differences.append(Difference("extra", f'foreign key "{name}" on "{table}" ({columns})'))
    for name in want.keys() & have.keys():
        for field in ("columns", "ref_table", "ref_columns", "on_delete", "on_update"):
            if field in want[name] and want[name][field] != have[name].get(field):
                differences.append(
                    Difference(
                        "changed",
                        f'foreign key "{name}" on "{table}"',
                        f"{field} {have[name].get(field)!r}, expected {want[name][field]!r}",
                    )
                )
    return differences


def _diff_checks(table: str, want: dict[str, Any], have: dict[str, Any]) -> list[Difference]:
    """CHECK constraints by name and definition (none implied when not recorded)."""
    expected: dict[str, str] = want.get("check_constraints", {})
    actual: dict[str, str] = have.get("check_constraints", {})
    differences: list[Difference] = []
    for name in expected.keys() - actual.keys():
        subject = f'check constraint "{name}" on "{table}"'
        differences.append(Difference("missing", subject, expected[name]))
    for name in actual.keys() - expected.keys():
        subject = f'check constraint "{name}" on "{table}"'
        differences.append(Difference("extra", subject, actual[name]))
    for name in expected.keys() & actual.keys():
        if expected[name] != actual[name]:
            differences.append(
                Difference(
                    "changed",
                    f'check constraint "{name}" on "{table}"',
                    f"{actual[name]}, expected {expected[name]}",
                )
            )
    return differences
