"""Schemas of the platform tables: rate limits, webhooks, flags, configuration, health."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    ConfigDict,
    Field,
    SecretStr,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from gxschema.models import (
    ApiRateLimit,
    FeatureFlag,
    HealthCheckMetric,
    SystemConfig,
    WebhookDelivery,
    WebhookEndpoint,
)
from gxschema.platform.config import SECRET_MASK, ConfigValueError, check
from gxschema.schemas.base import CreateSchema, ReadSchema
from gxschema.schemas.types import (
    HttpUrlText,
    JsonObject,
    JsonValue,
    NonEmptyText,
    NonNegativeInt4,
    Numeric20_4,
    PositiveInt4,
    Text,
    Timestamp,
)
from gxschema.seeding.schemas import CONFIG_KEY, FLAG_KEY

ValueType = Literal["string", "number", "boolean", "json"]
HealthStatus = Literal["healthy", "warning", "critical"]
Percent = Annotated[int, Field(ge=0, le=100)]
FlagKey = Annotated[NonEmptyText, StringConstraints(pattern=FLAG_KEY.pattern)]
ConfigKey = Annotated[NonEmptyText, StringConstraints(pattern=CONFIG_KEY.pattern)]
WebhookSecret = Annotated[SecretStr, Field(min_length=16)]
"""At least 16 characters: the HMAC key of every delivery's signature."""


# Rate limits


class ApiRateLimitCreate(CreateSchema):
    """One fixed window of one client on one endpoint (`gxschema.platform.ratelimit`)."""

    tenant_id: NonEmptyText
    client_id: NonEmptyText
    endpoint: NonEmptyText
    request_count: NonNegativeInt4 = 0
    window_start: Timestamp
    window_end: Timestamp
    max_requests: NonNegativeInt4
    window_minutes: PositiveInt4

    @model_validator(mode="after")
    def _window(self) -> ApiRateLimitCreate:
        if self.window_end - self.window_start != timedelta(minutes=self.window_minutes):
            raise PydanticCustomError(
                "window",
                "windowEnd must be windowStart + windowMinutes ({minutes} min)",
                {"minutes": self.window_minutes},
            )
        return self

    def to_model(self) -> ApiRateLimit:
        return ApiRateLimit(**self.column_values())


class ApiRateLimitRead(ReadSchema):
    rate_limit_id: str
    tenant_id: str
    client_id: str
    endpoint: str
    request_count: int
    window_start: datetime
    window_end: datetime
    max_requests: int
    window_minutes: int


# Webhooks


class WebhookEndpointCreate(CreateSchema):
    """A partner's webhook URL; the secret is write-only (no `WebhookEndpointRead` field)."""

    model_config = ConfigDict(hide_input_in_errors=True)  # never echo the secret

    tenant_id: NonEmptyText
    partner_id: NonEmptyText
    url: HttpUrlText
    secret: WebhookSecret
    events: list[NonEmptyText] = Field(min_length=1)
    is_active: bool = True
    max_retries: Annotated[int, Field(ge=0, le=100)] = 3  # retries end a day apart anyway
    retry_delay: PositiveInt4 = 300

    @field_validator("secret")
    @classmethod
    def _secret_is_text(cls, value: SecretStr) -> SecretStr:
        if "\x00" in value.get_secret_value():
            raise PydanticCustomError("nul_character", "must not contain the NUL character")
        return value

    def to_model(self) -> WebhookEndpoint:
        return WebhookEndpoint(**self.column_values())


class WebhookEndpointRead(ReadSchema):
    """An endpoint without its secret."""

    webhook_id: str
    tenant_id: str
    partner_id: str
    url: str
    events: list[str] | None
    is_active: bool
    max_retries: int
    retry_delay: int
    last_success: datetime | None
    last_failure: datetime | None
    failure_count: int
    created_at: datetime
    updated_at: datetime


class WebhookDeliveryCreate(CreateSchema):
    """An event to deliver to one endpoint (usually made by `webhooks.enqueue`)."""

    tenant_id: NonEmptyText
    webhook_id: NonEmptyText
    event_type: NonEmptyText
    payload: JsonObject

    def to_model(self) -> WebhookDelivery:
        return WebhookDelivery(**self.column_values(), attempts=0, success=False)


class WebhookDeliveryRead(ReadSchema):
    delivery_id: str
    tenant_id: str
    webhook_id: str
    event_type: str
    payload: dict[str, Any]
    attempts: int
    last_attempt: datetime | None
    success: bool
    response_code: int | None
    response_body: str | None
    error: str | None
    created_at: datetime


# Feature flags


class FeatureFlagCreate(CreateSchema):
    """A flag (`gxschema.platform.flags`); keys are snake_case, like the seeded ones."""

    tenant_id: NonEmptyText = "global"
    flag_key: FlagKey
    is_enabled: bool = False
    rollout_percent: Percent = 0
    target_user_ids: list[NonEmptyText] | None = None
    target_roles: list[NonEmptyText] | None = None
    description: Text | None = None

    def to_model(self) -> FeatureFlag:
        return FeatureFlag(**self.column_values())


class FeatureFlagRead(ReadSchema):
    flag_id: str
    tenant_id: str
    flag_key: str
    is_enabled: bool
    rollout_percent: int
    target_user_ids: list[str] | None
    target_roles: list[str] | None
    description: str | None
    created_at: datetime
    updated_at: datetime


# Configuration


class SystemConfigCreate(CreateSchema):
    """A typed value (`gxschema.platform.config`): the value must be of `value_type`."""

    model_config = ConfigDict(hide_input_in_errors=True)  # the value may be a secret

    config_key: ConfigKey
    tenant_id: NonEmptyText = "global"
    is_secret: bool = False  # before the value: its check must know
    value_type: ValueType
    config_value: JsonValue
    description: Text | None = None

    @field_validator("config_value")
    @classmethod
    def _of_its_type(cls, value: Any, info: ValidationInfo) -> Any:
        value_type = info.data.get("value_type")
        if value_type is None:
            return value  # the value type itself is reported
        try:
            return check(
                value,
                value_type,
                key=info.data.get("config_key", "value"),
                secret=info.data.get("is_secret", False),
            )
        except ConfigValueError as error:
            raise PydanticCustomError("value_type", str(error)) from None

    def to_model(self) -> SystemConfig:
        return SystemConfig(**self.column_values())


class SystemConfigRead(ReadSchema):
    """A configuration row; `redacted()` masks a secret value for display."""

    config_key: str
    tenant_id: str
    config_value: Any
    value_type: str
    description: str | None
    is_secret: bool
    created_at: datetime
    updated_at: datetime

    def redacted(self) -> SystemConfigRead:
        """This row with ``***`` in place of a secret value."""
        return self.model_copy(update={"config_value": SECRET_MASK}) if self.is_secret else self


# Health


class HealthCheckMetricCreate(CreateSchema):
    """A measurement (`gxschema.platform.health.record` computes the status)."""

    tenant_id: NonEmptyText = "global"
    service_name: NonEmptyText
    metric_name: NonEmptyText
    metric_value: Numeric20_4
    unit: Text | None = None
    status: HealthStatus
    threshold: Numeric20_4 | None = None
    timestamp: Timestamp | None = None

    def to_model(self) -> HealthCheckMetric:
        values = self.column_values()
        if values["timestamp"] is None:
            del values["timestamp"]  # the database's CURRENT_TIMESTAMP
        return HealthCheckMetric(**values)


class HealthCheckMetricRead(ReadSchema):
    metric_id: str
    tenant_id: str
    service_name: str
    metric_name: str
    metric_value: Decimal
    unit: str | None
    status: str
    threshold: Decimal | None
    timestamp: datetime


__all__ = [
    "ApiRateLimitCreate",
    "ApiRateLimitRead",
    "FeatureFlagCreate",
    "FeatureFlagRead",
    "HealthCheckMetricCreate",
    "HealthCheckMetricRead",
    "SystemConfigCreate",
    "SystemConfigRead",
    "WebhookDeliveryCreate",
    "WebhookDeliveryRead",
    "WebhookEndpointCreate",
    "WebhookEndpointRead",
]
