"""Comparing two data models as Prisma's parser sees them (its DMMF).

Text is the wrong thing to compare: field order, comments, alignment and whether a
default is spelled out (`onDelete: Restrict` on a required relation, `map:` with the
name Prisma would pick anyway) change nothing Prisma does. The DMMF has all of that
resolved except the defaults, which `canonical` fills in: each relation's effective
`onDelete`/`onUpdate` and each key's and index's effective database name.

`differences` then lists, one line each, what differs: a model or field only on one
side, a field's type, native type, optionality, default, uniqueness, relation, an
index's name or kind, an enum's values.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from gxschema.prisma.names import Kind, default_name

_FIELD_KEYS = (
    "kind",
    "type",
    "isList",
    "isRequired",
    "isUnique",
    "isId",
    "isUpdatedAt",
    "hasDefaultValue",
    "default",
    "nativeType",
    "dbName",
    "relationName",
    "relationFromFields",
    "relationToFields",
    "relationOnDelete",
    "relationOnUpdate",
)
"""What a field is, to Prisma; `documentation` and derived flags are left out."""

_INDEX_KIND: dict[str, Kind] = {"id": "pkey", "unique": "key", "normal": "idx", "fulltext": "idx"}


def canonical(datamodel: dict[str, Any]) -> dict[str, Any]:
    """The DMMF `datamodel` keyed by name, with Prisma's defaults made explicit."""
    models: dict[str, Any] = {}
    for model in datamodel["models"]:
        table = model.get("dbName") or model["name"]
        columns = {field["name"]: field.get("dbName") or field["name"] for field in model["fields"]}
        fields = {field["name"]: _field(field) for field in model["fields"]}
        models[model["name"]] = {
            "dbName": table,
            "fields": fields,
            "indexes": {},
            "_columns": columns,
        }
    for index in datamodel.get("indexes", []):
        model = models[index["model"]]
        names = [part["name"] for part in index["fields"]]
        kind = _INDEX_KIND.get(index["type"], "idx")
        database_name = index.get("dbName") or default_name(
            model["dbName"],
            [model["_columns"][name] for name in names],
            kind,
        )
        key = f"{index['type']}({', '.join(names)})"
        model["indexes"][key] = {
            "name": database_name,
            "fields": [
                {k: v for k, v in part.items() if v is not None} for part in index["fields"]
            ],
            "algorithm": index.get("algorithm"),
        }
    for model in models.values():
        del model["_columns"]
    enums = {
        enum["name"]: {
            "dbName": enum.get("dbName"),
            "values": [(value["name"], value.get("dbName")) for value in enum["values"]],
        }
        for enum in datamodel["enums"]
    }
    return {"models": models, "enums": enums}


def _field(field: dict[str, Any]) -> dict[str, Any]:
    described = {key: field.get(key) for key in _FIELD_KEYS}
    if field["kind"] == "object" and field.get("relationFromFields"):
        # Prisma's defaults for the side holding the foreign key.
        if described["relationOnDelete"] is None:
            described["relationOnDelete"] = "Restrict" if field["isRequired"] else "SetNull"
        if described["relationOnUpdate"] is None:
            described["relationOnUpdate"] = "Cascade"
    if field["kind"] == "object" and not field.get("relationFromFields"):
        described["relationFromFields"] = described["relationToFields"] = None
    return described


def _show(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, list) and len(value) == 2 and isinstance(value[1], list):
        return f"{value[0]}({', '.join(map(str, value[1]))})"  # a native type
    return json.dumps(value, sort_keys=True)


def differences(
    expected: dict[str, Any],
    actual: dict[str, Any],
    *,
    expected_label: str = "the models",
    actual_label: str = "the file",
    optional_models: Iterable[str] = (),
) -> list[str]:
    """Each way `actual` differs from `expected`, one line each (canonical DMMFs).

    A model named in `optional_models` may be missing from `actual` (it is only
    compared when present).
    """
    lines: list[str] = []
    optional = set(optional_models)
    for name in sorted(set(expected["enums"]) | set(actual["enums"])):
        left, right = expected["enums"].get(name), actual["enums"].get(name)
        if left is None or right is None:
            where = expected_label if right is None else actual_label
            lines.append(f"enum {name}: only in {where}")
        elif left != right:
            lines.append(
                f"enum {name}: values {_values(left)} in {expected_label}, "
                f"{_values(right)} in {actual_label}"
            )
    for name in sorted(set(expected["models"]) | set(actual["models"])):
        left, right = expected["models"].get(name), actual["models"].get(name)
        if right is None and name in optional:
            continue
        if left is None or right is None:
            where = expected_label if right is None else actual_label
            lines.append(f"{name}: model only in {where}")
            continue
        if left["dbName"] != right["dbName"]:
            lines.append(
                f"{name}: table {left['dbName']} in {expected_label}, "
                f"{right['dbName']} in {actual_label}"
            )
        lines.extend(_field_differences(name, left, right, expected_label, actual_label))
        lines.extend(_index_differences(name, left, right, expected_label, actual_label))
    return lines


def _values(enum: dict[str, Any]) -> str:
    return ", ".join(name if db is None else f"{name}@map({db})" for name, db in enum["values"])


def _field_differences(
    model: str, left: dict[str, Any], right: dict[str, Any], ours: str, theirs: str
) -> list[str]:
    lines = []
    for field in sorted(set(left["fields"]) | set(right["fields"])):
        a, b = left["fields"].get(field), right["fields"].get(field)
        if a is None or b is None:
            lines.append(f"{model}.{field}: field only in {ours if b is None else theirs}")
            continue
        for key in _FIELD_KEYS:
            if a[key] != b[key]:
                lines.append(
                    f"{model}.{field}: {key} {_show(a[key])} in {ours}, {_show(b[key])} in {theirs}"
                )
    return lines


def _index_differences(
    model: str, left: dict[str, Any], right: dict[str, Any], ours: str, theirs: str
) -> list[str]:
    lines = []
    for key in sorted(set(left["indexes"]) | set(right["indexes"])):
        a, b = left["indexes"].get(key), right["indexes"].get(key)
        if a is None or b is None:
            present = a or b
            where = ours if b is None else theirs
            lines.append(f"{model}: {_index_label(key)} {present['name']} only in {where}")
            continue
        for part in ("name", "fields", "algorithm"):
            if a[part] != b[part]:
                lines.append(
                    f"{model}: {_index_label(key)} {part} {_show(a[part])} in {ours}, "
                    f"{_show(b[part])} in {theirs}"
                )
    return lines


def _index_label(key: str) -> str:
    kind, _, columns = key.partition("(")
    word = {"id": "primary key", "unique": "unique index", "normal": "index"}.get(kind, kind)
    return f"{word} ({columns}"
