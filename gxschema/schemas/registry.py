"""The Create and Read schema of every table, built once, on first use.

Seven tables have hand-written schemas (`gxschema.schemas.platform`, `.cqrs`): their
columns carry rules the types cannot say (a rollout is 0-100, a rate-limit window is
``windowMinutes`` long, a configuration value is of its ``valueType``, an outbox
command is submitted without its status). Every other table gets the schemas
`gxschema.schemas.derive` builds from its columns. Both kinds take the Prisma field
names as aliases, build their row with ``to_model()``, and leave secrets out of Read.
"""

from __future__ import annotations

import importlib
import threading
from functools import cache
from typing import NamedTuple

from gxschema.models import DOMAINS, Base
from gxschema.schemas.base import CreateSchema, ReadSchema
from gxschema.schemas.derive import create_schema_of, read_schema_of

HAND_WRITTEN: dict[str, str] = {
    "ApiRateLimit": "gxschema.schemas.platform",
    "FeatureFlag": "gxschema.schemas.platform",
    "HealthCheckMetric": "gxschema.schemas.platform",
    "SystemConfig": "gxschema.schemas.platform",
    "WebhookDelivery": "gxschema.schemas.platform",
    "WebhookEndpoint": "gxschema.schemas.platform",
    "OutboxCommand": "gxschema.schemas.cqrs",
}
"""Tables whose ``<Model>Create``/``<Model>Read`` are written by hand, by defining module."""

SUFFIXES = ("Create", "Read")

_BUILDING = threading.Lock()


class TableSchemas(NamedTuple):
    """The model of one table and its two schemas."""

    model: type[Base]
    create: type[CreateSchema]
    read: type[ReadSchema]


def model_named(name: str) -> type[Base]:
    """The model class of the table `name` (``"UserProfile"``); KeyError if there is none."""
    import gxschema.models

    if name in _TABLE_NAMES:
        return getattr(gxschema.models, name)  # type: ignore[no-any-return]
    raise KeyError(f"no table named {name!r} (the tables are listed in gxschema.models.DOMAINS)")


def schemas_of(name: str) -> TableSchemas:
    """The schemas of the table `name`: hand-written if it has them, else derived.

    Built once per process: two threads asking at once get the same classes.
    """
    with _BUILDING:
        return _schemas_of(name)


@cache
def _schemas_of(name: str) -> TableSchemas:
    model = model_named(name)
    if name in HAND_WRITTEN:
        module = importlib.import_module(HAND_WRITTEN[name])
        return TableSchemas(model, getattr(module, f"{name}Create"), getattr(module, f"{name}Read"))
    return TableSchemas(model, create_schema_of(model), read_schema_of(model))


def create_schema(model: type[Base] | str) -> type[CreateSchema]:
    """The Create schema of a model (``create_schema(UserProfile)`` or by table name)."""
    return schemas_of(_name(model)).create


def read_schema(model: type[Base] | str) -> type[ReadSchema]:
    """The Read schema of a model (``read_schema(UserProfile)`` or by table name)."""
    return schemas_of(_name(model)).read


def all_schemas() -> list[TableSchemas]:
    """The schemas of all 46 tables, in the order of `gxschema.models.DOMAINS`."""
    return [schemas_of(name) for names in DOMAINS.values() for name in names]


def schema_named(attribute: str) -> type[CreateSchema] | type[ReadSchema] | None:
    """The schema called `attribute` (``"UserProfileCreate"``), or None if there is none."""
    for suffix in SUFFIXES:
        table = attribute.removesuffix(suffix)
        if table != attribute and table in _TABLE_NAMES:
            found = schemas_of(table)
            return found.create if suffix == "Create" else found.read
    return None


def _name(model: type[Base] | str) -> str:
    if isinstance(model, str):
        return model
    table = getattr(model, "__tablename__", None)
    if not isinstance(table, str) or table not in _TABLE_NAMES or model_named(table) is not model:
        raise KeyError(f"{model!r} is not one of the gxschema models")
    return table


_TABLE_NAMES = frozenset(name for names in DOMAINS.values() for name in names)
