"""Pydantic v2 schemas of the production tables, for the Python services' APIs.

    from gxschema.schemas import FeatureFlagCreate, FeatureFlagRead

    flag = FeatureFlagCreate.model_validate(request_json)     # camelCase or snake_case keys
    session.add(flag.to_model())
    FeatureFlagRead.model_validate(row).model_dump(by_alias=True)

``...Create`` models refuse what the database would refuse (NUL in text, integers
out of range, unknown enum labels, naive timestamps, numbers jsonb cannot hold,
country codes that are not two letters; see `gxschema.schemas.types`) and what the
column means (a rollout is 0-100, a webhook URL is http(s), a configuration value
is of its ``valueType``). ``...Read`` models are built from ORM rows
(``from_attributes``) and only check the column types. `WebhookEndpointRead` has no
``secret``; `SystemConfigRead.redacted()` masks secret values.
"""

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
from gxschema.schemas.types import CountryCode

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
    "WebhookDeliveryCreate",
    "WebhookDeliveryRead",
    "WebhookEndpointCreate",
    "WebhookEndpointRead",
]
