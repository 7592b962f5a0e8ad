"""Valid rows for any model, built generically from the spec (tests/fixtures/schema.json).

`Rows(session).make("Wallet")` adds a new `Wallet` to the session together with
every parent row its foreign keys need (a `UserProfile`, which needs a `Country`,
...), created recursively and attached through the model's many-to-one
relationship for that foreign key (or through the key columns when the model has
none). Every column gets a value generated from its spec type, except:

- foreign-key columns, which come from the parent row;
- columns with a server default or an app default (`uuid()`, `cuid()`,
  `updatedAt`), which are left unset so that the default is what gets stored.

Every parent is new, so a test can delete one parent and observe exactly one child.
Generated values are unique within the process (unique indexes never collide by
accident); `values=` overrides columns (by database column name), `parents=`
supplies parent objects (by foreign-key name or relationship attribute); a foreign
key whose columns are all in `values` gets no parent.
"""

from __future__ import annotations

import itertools
import json
import re
import string
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Mapper, RelationshipDirection, RelationshipProperty, Session

from gxschema.models import Base

from .paths import FIXTURES

SPEC: dict[str, Any] = json.loads((FIXTURES / "schema.json").read_text())
TABLES: dict[str, dict[str, Any]] = SPEC["tables"]
ENUMS: dict[str, list[str]] = SPEC["enums"]

NUMERIC = re.compile(r"^numeric\((\d+),(\d+)\)$")
_LITERAL = re.compile(r"^'((?:[^']|'')*)'::(.+)$")

NOW = object()
"""What `expected_default` returns for `CURRENT_TIMESTAMP`."""

_counter = itertools.count(1)
_letter_pairs = [a + b for a in string.ascii_uppercase for b in string.ascii_uppercase]
_country_codes = _letter_pairs + [  # then letter-digit pairs: character(2) takes any two
    a + b
    for a in string.ascii_uppercase + string.digits
    for b in string.ascii_uppercase + string.digits
    if a + b not in _letter_pairs
]
_country_counter = itertools.count()
_BASE_TIME = datetime(2024, 5, 17, 12, 30, 45, 123000, tzinfo=timezone(timedelta(hours=2)))
"""Generated timestamps: timezone-aware (+02:00) with millisecond precision, like timestamp(3)."""


def model(table: str) -> type[Any]:
    """The mapped class of `table`."""
    for mapper in Base.registry.mappers:
        if mapper.local_table.name == table:
            return mapper.class_
    raise LookupError(f"no model is mapped to table {table!r}")


def mapper_of(table: str) -> Mapper[Any]:
    return inspect(model(table))


def attribute(table: str, column: str) -> str:
    """The Python attribute mapped to database column `column` of `table`."""
    mapper = mapper_of(table)
    return mapper.get_property_by_column(mapper.local_table.c[column]).key


def get(obj: Any, column: str) -> Any:
    return getattr(obj, attribute(inspect(obj).mapper.local_table.name, column))


def identity(obj: Any) -> tuple[Any, ...]:
    """The primary key of a flushed object, in the order `Session.get` takes it."""
    key = inspect(obj).identity
    assert key is not None, f"{obj!r} has not been flushed"
    return tuple(key)


def spec_column(table: str, column: str) -> dict[str, Any]:
    return next(c for c in TABLES[table]["columns"] if c["name"] == column)


def foreign_key_columns(table: str) -> set[str]:
    return {c for fk in TABLES[table]["foreign_keys"] for c in fk["columns"]}


def relationship_for(table: str, fk: dict[str, Any]) -> RelationshipProperty[Any] | None:
    """The model's many-to-one relationship over exactly the columns of spec foreign key `fk`."""
    mapper = mapper_of(table)
    columns = {mapper.local_table.c[name] for name in fk["columns"]}
    for rel in mapper.relationships:
        if (
            rel.direction is RelationshipDirection.MANYTOONE
            and set(rel.local_columns) == columns
            and rel.mapper.local_table.name == fk["ref_table"]
        ):
            return rel
    return None


def expected_default(column: dict[str, Any]) -> Any:
    """The Python value a column's spec server default stores (`NOW` for CURRENT_TIMESTAMP)."""
    raw, type_ = column["default"], column["type"]
    if raw == "CURRENT_TIMESTAMP":
        return NOW
    literal = _LITERAL.match(raw)
    if literal:
        return literal.group(1).replace("''", "'")
    if type_ == "boolean":
        return {"true": True, "false": False}[raw]
    if type_ in ("integer", "bigint", "smallint"):
        return int(raw)
    if NUMERIC.match(type_):
        return Decimal(raw)
    raise ValueError(f"no expectation for default {raw!r} of type {type_}")


def enum_value(table: str, column: str, label: str) -> Any:
    """`label` as the model's Python enum member, if the column maps an enum class."""
    enum_class = getattr(mapper_of(table).local_table.c[column].type, "enum_class", None)
    return enum_class(label) if enum_class is not None else label


@dataclass
class Built:
    """A row added to the session by `Rows.make`."""

    table: str
    obj: Any
    values: dict[str, Any] = field(default_factory=dict)
    """The values `make` assigned, by database column name."""
    parents: dict[str, Any] = field(default_factory=dict)
    """The parent objects, by foreign-key name."""


class Rows:
    """Builds valid rows (and their parents) in one session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def make(
        self,
        table: str,
        values: dict[str, Any] | None = None,
        parents: dict[str, Any] | None = None,
    ) -> Built:
        """Add a new row of `table` and any parents it needs to the session (not flushed)."""
        values = dict(values or {})
        parents = dict(parents or {})
        spec = TABLES[table]
        built = Built(table, model(table)())
        fk_columns: set[str] = set()
        with self.session.no_autoflush:
            for fk in spec["foreign_keys"]:
                fk_columns.update(fk["columns"])
                if all(name in values for name in fk["columns"]):
                    continue
                rel = relationship_for(table, fk)
                parent = parents.get(fk["name"], parents.get(rel.key if rel else ""))
                if parent is None:
                    parent = self.make(fk["ref_table"]).obj
                built.parents[fk["name"]] = parent
                if rel is not None:
                    setattr(built.obj, rel.key, parent)
                else:
                    self.session.add(parent)
                    self.session.flush()
                    for name, ref in zip(fk["columns"], fk["ref_columns"], strict=True):
                        values[name] = get(parent, ref)
            for column in spec["columns"]:
                name = column["name"]
                if name in values:
                    value = values[name]
                elif name in fk_columns or column["default"] is not None:
                    continue  # from the parent, or the server default
                elif column.get("app_default"):
                    continue
                else:
                    value = self.value(table, name)
                setattr(built.obj, attribute(table, name), value)
                built.values[name] = value
        self.session.add(built.obj)
        return built

    def value(self, table: str, column: str) -> Any:
        """A new valid value for `column`, generated from its spec type."""
        spec = spec_column(table, column)
        type_ = spec["type"]
        n = next(_counter)
        if type_ == "text":
            return f"{column}-{n:06d}"
        if type_ == "character(2)":
            return self.country_code(table, column)
        if type_ == "integer":
            return n % 100_000 + 1
        if type_ == "bigint":
            return 2**40 + n
        if type_ == "boolean":
            return True
        if type_ == "date":
            return date(2024, 1, 1) + timedelta(days=n % 3650)
        if type_.startswith("timestamp"):
            return _BASE_TIME + timedelta(seconds=n, milliseconds=n % 1000)
        if type_ == "jsonb":
            return {"n": n, "nested": {"list": [1, "two", None], "ok": True}, "text": "é"}
        if type_ == "text[]":
            return [f"a-{n}", f"b-{n}"]
        numeric = NUMERIC.match(type_)
        if numeric:
            precision, scale = int(numeric.group(1)), int(numeric.group(2))
            whole = n % 10 ** min(precision - scale, 3)
            fraction = "123456789"[:scale].ljust(scale, "0")
            return Decimal(f"{whole}.{fraction}" if scale else str(whole))
        if type_.startswith('"'):
            return enum_value(table, column, ENUMS[type_.strip('"')][0])
        raise AssertionError(f"no value generator for {table}.{column} of type {type_}")

    def country_code(self, table: str, column: str) -> str:
        """A two-letter code no row of `table` holds yet (and no pending object of this session)."""
        mapped = model(table)
        attr = attribute(table, column)
        pending = {getattr(obj, attr, None) for obj in self.session.new if isinstance(obj, mapped)}
        for _ in _country_codes:
            code = _country_codes[next(_country_counter) % len(_country_codes)]
            if code in pending:
                continue
            with self.session.no_autoflush:
                taken = self.session.execute(
                    select(getattr(mapped, attr)).where(getattr(mapped, attr) == code)
                ).first()
            if taken is None:
                return code
        raise AssertionError(f"every two-letter code is taken in {table}.{column}")


def utcnow() -> datetime:
    return datetime.now(UTC)
