"""Reading seed files into plain Python values, with the line numbers errors need.

Nothing here knows what a country or a parameter is: `read_csv` gives rows of
strings, `read_yaml` gives the document. Every problem found is appended to the
caller's `errors` list as a message that starts with the file's label, so one
pass reports all of them.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

_META_LINE = re.compile(r"^#\s*(version)\s*:\s*(\S.*?)\s*$")


@dataclass(frozen=True)
class CsvRow:
    """One data row: its number among the data rows (from 1), its line, its values."""

    number: int
    line: int
    values: dict[str, str]


@dataclass
class CsvFile:
    """A CSV file: ``# version: ...`` from its header comment, and its data rows."""

    meta: dict[str, str] = field(default_factory=dict)
    rows: list[CsvRow] = field(default_factory=list)


def read_text(path: Path, label: str, errors: list[str]) -> str | None:
    """The file's text, or None with the reason appended to `errors`."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        errors.append(f"{label}: file not found")
    except UnicodeDecodeError as error:
        errors.append(f"{label}: not UTF-8 text (byte {error.start})")
    except OSError as error:
        errors.append(f"{label}: cannot read the file ({error.strerror})")
    return None


def read_csv(path: Path, label: str, columns: Sequence[str], errors: list[str]) -> CsvFile | None:
    """Rows of a CSV file whose header row must be exactly `columns`.

    The file may start with a comment block (lines starting with ``#``, and blank
    lines); ``# version: X`` in it is metadata. A row that cannot be parsed or has
    the wrong number of fields is reported and skipped; the rest are still read.
    """
    text = read_text(path, label, errors)
    if text is None:
        return None
    lines = text.splitlines(keepends=True)
    result = CsvFile()
    offset = 0
    while offset < len(lines) and (not lines[offset].strip() or lines[offset].startswith("#")):
        match = _META_LINE.match(lines[offset].strip())
        if match:
            result.meta[match.group(1)] = match.group(2)
        offset += 1

    reader = csv.reader(lines[offset:], strict=True)
    header: list[str] | None = None
    number = 0
    while True:
        start = offset + reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            number += 1 if header is not None else 0
            end = offset + reader.line_num
            where = f"row {number} (line {start})" if header is not None else f"line {start}"
            through = f" (the row runs to line {end})" if end > start else ""
            errors.append(f"{label} {where}: broken CSV line: {error}{through}")
            continue
        if not record or (len(record) == 1 and not record[0].strip()):
            continue
        if header is None:
            header = record
            if header != list(columns):
                errors.append(
                    f"{label} line {start}: the header row must be "
                    f'"{",".join(columns)}", not "{",".join(header)}"'
                )
                return None
            continue
        number += 1
        if len(record) != len(columns):
            errors.append(
                f"{label} row {number} (line {start}): broken CSV line: expected "
                f"{len(columns)} fields ({', '.join(columns)}), found {len(record)}"
            )
            continue
        result.rows.append(CsvRow(number, start, dict(zip(columns, record, strict=True))))
    if header is None:
        errors.append(f'{label}: no header row (expected "{",".join(columns)}")')
        return None
    return result


class _DuplicateKeyLoader(yaml.SafeLoader):
    """A safe loader that records duplicate mapping keys instead of keeping the last."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[str, int, int]] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in seen:
                self.duplicates.append((key, line, seen[key]))
            else:
                seen[key] = line
        return super().construct_mapping(node, deep=deep)


def read_yaml(path: Path, label: str, errors: list[str]) -> tuple[bool, Any]:
    """``(True, document)`` for a file that parses (safe types only), else ``(False, None)``.

    A key that appears twice in one mapping is an error (plain YAML loaders keep the
    last one silently), but the document is still returned so that the rest of it
    can be checked too. A syntax error is reported with its line number.
    """
    text = read_text(path, label, errors)
    if text is None:
        return False, None
    loader = _DuplicateKeyLoader(text)
    try:
        document = loader.get_single_data()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f" line {mark.line + 1}" if mark is not None else ""
        problem = error.problem or "cannot be parsed"
        context = ""
        if error.context:
            started = error.context_mark
            at = f" that starts on line {started.line + 1}" if started is not None else ""
            context = f" ({error.context}{at})"
        errors.append(f"{label}{where}: broken YAML: {problem}{context}")
        return False, None
    except yaml.YAMLError as error:
        errors.append(f"{label}: broken YAML: {error}")
        return False, None
    finally:
        loader.dispose()
    for key, line, first in loader.duplicates:
        errors.append(f'{label} line {line}: duplicate key "{key}" (first on line {first})')
    return True, document
