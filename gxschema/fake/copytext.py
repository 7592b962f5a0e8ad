"""Rows as COPY text (PostgreSQL's default COPY format), made without a connection.

Worker processes turn their rows into the bytes ``COPY ... FROM STDIN`` reads, so the
process that holds the connection only forwards them. `encode_rows` uses the formatter
behind psycopg's ``Copy.write_row`` (C) when it can import it, and otherwise formats
in Python (`encode_rows_here`) what that would make, byte for byte (a test compares
the two on every fake table):
tab-separated values, ``\\N`` for NULL, backslash escapes for the control characters
and the backslash, ``t``/``f`` for booleans, ISO 8601 for dates and times (an aware
time keeps its offset, which a ``timestamp`` column ignores and a ``timestamptz``
column honours), and ``{...}`` array literals for lists of text.

Only the value types the fake generators make are known; any other is a bug there and
raises TypeError naming it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from functools import lru_cache
from typing import Any

try:  # psycopg's own row formatter (C), the one behind Copy.write_row: twice as fast
    from psycopg._copy_base import format_row_text as _format_row
except ImportError:  # a private name: if a psycopg release moves it, format here
    _format_row = None


@lru_cache(maxsize=1)
def _transformer() -> Any:
    from psycopg.adapt import Transformer

    return Transformer()


_ARRAY_SPECIAL = frozenset('{}," \\\t\n\r\v\f')


def _array_element(value: str | None) -> str:
    if value is None:
        return "NULL"
    if value == "" or value.upper() == "NULL" or not _ARRAY_SPECIAL.isdisjoint(value):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return value


def _text_array(values: list[Any]) -> str:
    for value in values:
        if value is not None and type(value) is not str:
            raise TypeError(f"fake data: only lists of text are written, not {type(value)}")
    return "{" + ",".join(_array_element(value) for value in values) + "}"


def _boolean(value: bool) -> str:
    return "t" if value else "f"


_FORMATTERS: dict[type, Callable[[Any], str]] = {
    int: str,
    bool: _boolean,
    datetime: str,  # "2025-01-31 12:00:00.123000+00:00": ISO 8601 with a space
    date: str,
    list: _text_array,
}

_ESCAPES = str.maketrans(
    {
        "\\": "\\\\",
        "\b": "\\b",
        "\t": "\\t",
        "\n": "\\n",
        "\v": "\\v",
        "\f": "\\f",
        "\r": "\\r",
    }
)
"""COPY text escapes: a value may hold any character but these must not appear raw."""


def _text(value: Any) -> str:
    """A value as COPY text, escaped (None: ``\\N``)."""
    if value is None:
        return "\\N"
    if type(value) is str:
        text: str = value
    else:
        formatter = _FORMATTERS.get(type(value))
        if formatter is None:
            raise TypeError(f"fake data: no COPY text for values of {type(value)}: {value!r}")
        text = formatter(value)
    return text.translate(_ESCAPES)


def encode_rows(rows: Iterable[tuple[Any, ...]]) -> tuple[int, bytes]:
    """How many rows, and their COPY text as UTF-8 (one line per row)."""
    if _format_row is not None:
        transformer = _transformer()
        out = bytearray()
        count = 0
        for row in rows:
            _format_row(row, transformer, out)
            count += 1
        return count, bytes(out)
    return encode_rows_here(rows)


def encode_rows_here(rows: Iterable[tuple[Any, ...]]) -> tuple[int, bytes]:
    """`encode_rows` in Python alone (when psycopg's formatter cannot be imported)."""
    lines = ["\t".join([_text(value) for value in row]) for row in rows]
    if not lines:
        return 0, b""
    return len(lines), ("\n".join(lines) + "\n").encode()
