"""Platform (new in schema v2.1).

Rate limits, webhooks, feature flags, configuration and health metrics.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, Numeric, PrimaryKeyConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gxschema.models.base import (
    Base,
    CreatedAt,
    GlobalTenantId,
    Json,
    TenantId,
    TextList,
    UpdatedAt,
    UuidPk,
    default,
)

if TYPE_CHECKING:
    from gxschema.models.licensing import LicensedPartner


class ApiRateLimit(Base):
    """The request count of one client on one endpoint in one fixed time window."""

    __tablename__ = "ApiRateLimit"
    __table_args__ = (
        PrimaryKeyConstraint("rateLimitId", name="ApiRateLimit_pkey"),
        Index(
            "ApiRateLimit_tenantId_clientId_endpoint_windowStart_key",
            "tenantId",
            "clientId",
            "endpoint",
            "windowStart",
            unique=True,
        ),
        Index("ApiRateLimit_tenantId_clientId_idx", "tenantId", "clientId"),
        Index("ApiRateLimit_windowEnd_idx", "windowEnd"),
    )

    rate_limit_id: Mapped[UuidPk] = mapped_column("rateLimitId")
    tenant_id: Mapped[TenantId] = mapped_column("tenantId")
    client_id: Mapped[str] = mapped_column("clientId")
    endpoint: Mapped[str] = mapped_column("endpoint")
    request_count: Mapped[int] = mapped_column("requestCount", server_default=default("0"))
    window_start: Mapped[datetime] = mapped_column("windowStart")
    window_end: Mapped[datetime] = mapped_column("windowEnd")
    max_requests: Mapped[int] = mapped_column("maxRequests")
    window_minutes: Mapped[int] = mapped_column("windowMinutes")


class WebhookEndpoint(Base):
    """A partner's webhook URL and the events it subscribes to."""

    __tablename__ = "WebhookEndpoint"
    __table_args__ = (
        PrimaryKeyConstraint("webhookId", name="WebhookEndpoint_pkey"),
        Index("WebhookEndpoint_tenantId_partnerId_idx", "tenantId", "partnerId"),
        Index("WebhookEndpoint_tenantId_isActive_idx", "tenantId", "isActive"),
    )

    webhook_id: Mapped[UuidPk] = mapped_column("webhookId")
    tenant_id: Mapped[TenantId] = mapped_column("tenantId")
    partner_id: Mapped[str] = mapped_column(
        "partnerId",
        ForeignKey(
            "LicensedPartner.partnerId",
            name="WebhookEndpoint_partnerId_fkey",
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
    )
    url: Mapped[str] = mapped_column("url")
    secret: Mapped[str] = mapped_column("secret")
    events: Mapped[TextList] = mapped_column("events")
    is_active: Mapped[bool] = mapped_column("isActive", server_default=default("true"))
    max_retries: Mapped[int] = mapped_column("maxRetries", server_default=default("3"))
    retry_delay: Mapped[int] = mapped_column("retryDelay", server_default=default("300"))
    last_success: Mapped[datetime | None] = mapped_column("lastSuccess")
    last_failure: Mapped[datetime | None] = mapped_column("lastFailure")
    failure_count: Mapped[int] = mapped_column("failureCount", server_default=default("0"))
    created_at: Mapped[CreatedAt] = mapped_column("createdAt")
    updated_at: Mapped[UpdatedAt] = mapped_column("updatedAt")

    partner: Mapped[LicensedPartner] = relationship(back_populates="webhook_endpoints")
    deliveries: Mapped[list[WebhookDelivery]] = relationship(
        back_populates="endpoint",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class WebhookDelivery(Base):
    """One delivery of an event to a webhook endpoint, with its attempts."""

    __tablename__ = "WebhookDelivery"
    __table_args__ = (
        PrimaryKeyConstraint("deliveryId", name="WebhookDelivery_pkey"),
        Index(
            "WebhookDelivery_tenantId_webhookId_createdAt_idx", "tenantId", "webhookId", "createdAt"
        ),
        Index("WebhookDelivery_tenantId_success_idx", "tenantId", "success"),
    )

    delivery_id: Mapped[UuidPk] = mapped_column("deliveryId")
    tenant_id: Mapped[TenantId] = mapped_column("tenantId")
    webhook_id: Mapped[str] = mapped_column(
        "webhookId",
        ForeignKey(
            "WebhookEndpoint.webhookId",
            name="WebhookDelivery_webhookId_fkey",
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
    )
    event_type: Mapped[str] = mapped_column("eventType")
    payload: Mapped[Json] = mapped_column("payload", nullable=False)
    attempts: Mapped[int] = mapped_column("attempts", server_default=default("0"))
    last_attempt: Mapped[datetime | None] = mapped_column("lastAttempt")
    success: Mapped[bool] = mapped_column("success", server_default=default("false"))
    response_code: Mapped[int | None] = mapped_column("responseCode")
    response_body: Mapped[str | None] = mapped_column("responseBody")
    error: Mapped[str | None] = mapped_column("error")
    created_at: Mapped[CreatedAt] = mapped_column("createdAt")

    endpoint: Mapped[WebhookEndpoint] = relationship(back_populates="deliveries")


class FeatureFlag(Base):
    """A feature switched on gradually: by percentage, user or role."""

    __tablename__ = "FeatureFlag"
    __table_args__ = (
        PrimaryKeyConstraint("flagId", name="FeatureFlag_pkey"),
        Index("FeatureFlag_tenantId_flagKey_key", "tenantId", "flagKey", unique=True),
        Index("FeatureFlag_tenantId_flagKey_isEnabled_idx", "tenantId", "flagKey", "isEnabled"),
    )

    flag_id: Mapped[UuidPk] = mapped_column("flagId")
    tenant_id: Mapped[TenantId] = mapped_column("tenantId")
    flag_key: Mapped[str] = mapped_column("flagKey")
    is_enabled: Mapped[bool] = mapped_column("isEnabled", server_default=default("false"))
    rollout_percent: Mapped[int] = mapped_column("rolloutPercent", server_default=default("0"))
    target_user_ids: Mapped[TextList] = mapped_column("targetUserIds")
    target_roles: Mapped[TextList] = mapped_column("targetRoles")
    description: Mapped[str | None] = mapped_column("description")
    created_at: Mapped[CreatedAt] = mapped_column("createdAt")
    updated_at: Mapped[UpdatedAt] = mapped_column("updatedAt")


class SystemConfig(Base):
    """A typed configuration value (protocol parameters and the like)."""

    __tablename__ = "SystemConfig"
    __table_args__ = (
        PrimaryKeyConstraint("configKey", name="SystemConfig_pkey"),
        Index("SystemConfig_tenantId_configKey_key", "tenantId", "configKey", unique=True),
        Index("SystemConfig_tenantId_idx", "tenantId"),
    )

    config_key: Mapped[str] = mapped_column("configKey", primary_key=True)
    tenant_id: Mapped[GlobalTenantId] = mapped_column("tenantId")
    config_value: Mapped[Json] = mapped_column("configValue", nullable=False)
    value_type: Mapped[str] = mapped_column("valueType")
    description: Mapped[str | None] = mapped_column("description")
    is_secret: Mapped[bool] = mapped_column("isSecret", server_default=default("false"))
    created_at: Mapped[CreatedAt] = mapped_column("createdAt")
    updated_at: Mapped[UpdatedAt] = mapped_column("updatedAt")


class HealthCheckMetric(Base):
    """A health measurement of a service, with its thresholds."""

    __tablename__ = "HealthCheckMetric"
    __table_args__ = (
        PrimaryKeyConstraint("metricId", name="HealthCheckMetric_pkey"),
        Index(
            "HealthCheckMetric_tenantId_serviceName_metricName_timestamp_idx",
            "tenantId",
            "serviceName",
            "metricName",
            "timestamp",
        ),
        Index("HealthCheckMetric_timestamp_idx", "timestamp"),
        Index("HealthCheckMetric_tenantId_status_timestamp_idx", "tenantId", "status", "timestamp"),
    )

    metric_id: Mapped[UuidPk] = mapped_column("metricId")
    tenant_id: Mapped[GlobalTenantId] = mapped_column("tenantId")
    service_name: Mapped[str] = mapped_column("serviceName")
    metric_name: Mapped[str] = mapped_column("metricName")
    metric_value: Mapped[Decimal] = mapped_column("metricValue", Numeric(20, 4))
    unit: Mapped[str | None] = mapped_column("unit")
    status: Mapped[str] = mapped_column("status")
    threshold: Mapped[Decimal | None] = mapped_column("threshold", Numeric(20, 4))
    timestamp: Mapped[datetime] = mapped_column(
        "timestamp",
        server_default=default("CURRENT_TIMESTAMP"),
    )
