"""Pydantic v2 schemas of every table, for the Python services' APIs.

    from gxschema.schemas import UserProfileCreate, UserProfileRead, create_schema

    profile = UserProfileCreate.model_validate(request_json)  # camelCase or snake_case keys
    session.add(profile.to_model())
    UserProfileRead.model_validate(row).model_dump(by_alias=True)  # the services' JSON
    create_schema(Wallet), read_schema(Wallet), all_schemas()  # by model, or all 46

Each of the 46 tables has a ``<Model>Create`` and a ``<Model>Read``. Fields are the
models' attribute names; their aliases are the Prisma field names the TypeScript
services send. ``...Create`` models refuse what the database would refuse (NUL in
text, too long a ``character(n)``, integers out of range, numbers past their
``numeric(p, s)``, unknown enum labels, null in a NOT NULL column, naive timestamps,
values jsonb cannot hold); a column with a default may be left out, and keeps its
default. ``...Read`` models are built from ORM rows (``from_attributes``) and leave
out every column marked secret (``info={"secret": True}``: credential hashes,
tokens, the webhook signing key).

Most schemas are derived from the columns when first used (`gxschema.schemas.derive`),
so importing this package builds none of them. Seven tables have hand-written ones
that add the rules of their columns' meaning (`gxschema.schemas.platform`, `.cqrs`:
a rollout is 0-100, a webhook URL is http(s), a configuration value is of its
``valueType``; `SystemConfigRead.redacted()` masks secret values); see
`gxschema.schemas.registry`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the names a type checker sees; at run time __getattr__ finds them
    from gxschema.schemas.cqrs import OutboxCommandCreate, OutboxCommandRead
    from gxschema.schemas.platform import (
        ApiRateLimitCreate,
        ApiRateLimitRead,
        FeatureFlagCreate,
        FeatureFlagRead,
        HealthCheckMetricCreate,
        HealthCheckMetricRead,
        SystemConfigCreate,
        SystemConfigRead,
        WebhookDeliveryCreate,
        WebhookDeliveryRead,
        WebhookEndpointCreate,
        WebhookEndpointRead,
    )
    from gxschema.schemas.registry import (
        TableSchemas,
        all_schemas,
        create_schema,
        read_schema,
    )
    from gxschema.schemas.types import CountryCode

_FROM_MODULE: dict[str, str] = {
    "CountryCode": "gxschema.schemas.types",
    "TableSchemas": "gxschema.schemas.registry",
    "all_schemas": "gxschema.schemas.registry",
    "create_schema": "gxschema.schemas.registry",
    "read_schema": "gxschema.schemas.registry",
}


def __getattr__(name: str) -> Any:
    """``<Model>Create``/``<Model>Read`` of any table, and the registry's functions, on use."""
    if name in _FROM_MODULE:
        found = getattr(importlib.import_module(_FROM_MODULE[name]), name)
    elif name.endswith(("Create", "Read")):
        from gxschema.schemas.registry import schema_named

        found = schema_named(name)
        if found is None:
            raise AttributeError(f"module {__name__!r} has no schema {name!r}")
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = found  # built once: later lookups do not come here
    return found


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


def _derived_names() -> list[str]:
    from gxschema.models import DOMAINS  # not the registry: pydantic waits for the first use

    tables = sorted(name for names in DOMAINS.values() for name in names)
    every = [f"{table}{kind}" for table in tables for kind in ("Create", "Read")]
    return [name for name in every if name not in __all__]


__all__ = [
    "ApiRateLimitCreate",
    "ApiRateLimitRead",
    "CountryCode",
    "FeatureFlagCreate",
    "FeatureFlagRead",
    "HealthCheckMetricCreate",
    "HealthCheckMetricRead",
    "OutboxCommandCreate",
    "OutboxCommandRead",
    "SystemConfigCreate",
    "SystemConfigRead",
    "TableSchemas",
    "WebhookDeliveryCreate",
    "WebhookDeliveryRead",
    "WebhookEndpointCreate",
    "WebhookEndpointRead",
    "all_schemas",
    "create_schema",
    "read_schema",
]
__all__ += _derived_names()  # the other 39 tables' UserProfileCreate, UserProfileRead, ...
