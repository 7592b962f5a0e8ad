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
        {
            "comment": (
                "Request counters of the API rate limiter: one row per tenant, "
                "client, endpoint and fixed time window."
            )
        },
    )

    rate_limit_id: Mapped[UuidPk] = mapped_column("rateLimitId")
    tenant_id: Mapped[TenantId] = mapped_column("tenantId")
    client_id: Mapped[str] = mapped_column(
        "clientId", comment="Client the requests are counted for."
    )
    endpoint: Mapped[str] = mapped_column("endpoint", comment="Endpoint counted.")
    request_count: Mapped[int] = mapped_column(
        "requestCount", server_default=default("0"), comment="Requests made in the window so far."
    )
    window_start: Mapped[datetime] = mapped_column("windowStart", comment="Start of the window.")
    window_end: Mapped[datetime] = mapped_column(
        "windowEnd", comment="End of the window; rows past it may be deleted."
    )
    max_requests: Mapped[int] = mapped_column(
        "maxRequests", comment="Requests allowed in the window (rateLimitMaxRequests)."
    )
    window_minutes: Mapped[int] = mapped_column(
        "windowMinutes", comment="Length of the window in minutes."
    )


class WebhookEndpoint(Base):
    """A partner's webhook URL and the events it subscribes to."""

    __tablename__ = "WebhookEndpoint"
    __table_args__ = (
        PrimaryKeyConstraint("webhookId", name="WebhookEndpoint_pkey"),
        Index("WebhookEndpoint_tenantId_partnerId_idx", "tenantId", "partnerId"),
        Index("WebhookEndpoint_tenantId_isActive_idx", "tenantId", "isActive"),
        {
            "comment": (
                "Partners' webhook URLs, the events each subscribes to and its retry policy."
            )
        },
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
        comment="The partner that registered the endpoint.",
    )
    url: Mapped[str] = mapped_column("url", comment="URL the events are POSTed to.")
    secret: Mapped[str] = mapped_column(
        "secret", info={"secret": True}, comment="Secret that signs the deliveries."
    )
    events: Mapped[TextList] = mapped_column(
        "events", comment="Event types the endpoint subscribes to."
    )
    is_active: Mapped[bool] = mapped_column(
        "isActive", server_default=default("true"), comment="Whether events are delivered to it."
    )
    max_retries: Mapped[int] = mapped_column(
        "maxRetries",
        server_default=default("3"),
        comment="How many times a failed delivery is retried.",
    )
    retry_delay: Mapped[int] = mapped_column(
        "retryDelay",
        server_default=default("300"),
        comment="Delay between retries, in seconds (300 = 5 minutes).",
    )
    last_success: Mapped[datetime | None] = mapped_column(
        "lastSuccess", comment="When a delivery last succeeded."
    )
    last_failure: Mapped[datetime | None] = mapped_column(
        "lastFailure", comment="When a delivery last failed."
    )
    failure_count: Mapped[int] = mapped_column(
        "failureCount", server_default=default("0"), comment="Number of failed deliveries."
    )
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
        {
            "comment": (
                "Deliveries of an event to a webhook endpoint, with their "
                "attempts and the last response."
            )
        },
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
        comment="The endpoint delivered to.",
    )
    event_type: Mapped[str] = mapped_column("eventType", comment="Type of the event delivered.")
    payload: Mapped[Json] = mapped_column(
        "payload", nullable=False, comment="The event sent, as JSON."
    )
    attempts: Mapped[int] = mapped_column(
        "attempts", server_default=default("0"), comment="Attempts made so far."
    )
    last_attempt: Mapped[datetime | None] = mapped_column(
        "lastAttempt", comment="When the last attempt was made."
    )
    success: Mapped[bool] = mapped_column(
        "success", server_default=default("false"), comment="Whether the delivery succeeded."
    )
    response_code: Mapped[int | None] = mapped_column(
        "responseCode", comment="HTTP status code of the last attempt."
    )
    response_body: Mapped[str | None] = mapped_column(
        "responseBody", comment="Body of the last response."
    )
    error: Mapped[str | None] = mapped_column("error", comment="Error of the last attempt.")
    created_at: Mapped[CreatedAt] = mapped_column("createdAt")

    endpoint: Mapped[WebhookEndpoint] = relationship(back_populates="deliveries")


class FeatureFlag(Base):
    """A feature switched on gradually: by percentage, user or role."""

    __tablename__ = "FeatureFlag"
    __table_args__ = (
        PrimaryKeyConstraint("flagId", name="FeatureFlag_pkey"),
        Index("FeatureFlag_tenantId_flagKey_key", "tenantId", "flagKey", unique=True),
        Index("FeatureFlag_tenantId_flagKey_isEnabled_idx", "tenantId", "flagKey", "isEnabled"),
        {
            "comment": (
                "Feature flags switched on gradually: by percentage, user or "
                "role; seeded disabled from seeds/base/feature_flags.yaml."
            )
        },
    )

    flag_id: Mapped[UuidPk] = mapped_column("flagId")
    tenant_id: Mapped[TenantId] = mapped_column("tenantId")
    flag_key: Mapped[str] = mapped_column(
        "flagKey", comment="Key of the flag (enable_...); unique per tenant."
    )
    is_enabled: Mapped[bool] = mapped_column(
        "isEnabled", server_default=default("false"), comment="Whether the feature is on at all."
    )
    rollout_percent: Mapped[int] = mapped_column(
        "rolloutPercent",
        server_default=default("0"),
        comment="Share of users that get the feature, 0 to 100.",
    )
    target_user_ids: Mapped[TextList] = mapped_column(
        "targetUserIds", comment="Profiles that get the feature regardless of rolloutPercent."
    )
    target_roles: Mapped[TextList] = mapped_column(
        "targetRoles", comment="Roles that get the feature regardless of rolloutPercent."
    )
    description: Mapped[str | None] = mapped_column(
        "description", comment="What the flag switches."
    )
    created_at: Mapped[CreatedAt] = mapped_column("createdAt")
    updated_at: Mapped[UpdatedAt] = mapped_column("updatedAt")


class SystemConfig(Base):
    """A typed configuration value (protocol parameters and the like)."""

    __tablename__ = "SystemConfig"
    __table_args__ = (
        PrimaryKeyConstraint("configKey", name="SystemConfig_pkey"),
        Index("SystemConfig_tenantId_configKey_key", "tenantId", "configKey", unique=True),
        Index("SystemConfig_tenantId_idx", "tenantId"),
        {
            "comment": (
                "Typed configuration values such as the protocol parameters "
                "(fees, taxes, limits); seeded for tenant global from "
                "seeds/base/system_config.yaml."
            )
        },
    )

    config_key: Mapped[str] = mapped_column(
        "configKey",
        primary_key=True,
        comment="Name of the parameter; the primary key on its own (see docs/schema-notes.md).",
    )
    tenant_id: Mapped[GlobalTenantId] = mapped_column("tenantId")
    config_value: Mapped[Json] = mapped_column(
        "configValue",
        nullable=False,
        comment=(
            "The value, as JSON of the type valueType names; amounts in "
            "Qirat (1 coin = 100,000 Qirat)."
        ),
    )
    value_type: Mapped[str] = mapped_column(
        "valueType", comment="Type of configValue: string, number, boolean or json."
    )
    description: Mapped[str | None] = mapped_column(
        "description", comment="What the parameter means."
    )
    is_secret: Mapped[bool] = mapped_column(
        "isSecret",
        server_default=default("false"),
        comment="Whether the value is secret and must not be shown.",
    )
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
        {
            "comment": (
                "Health measurements of the services with their thresholds; "
                "append-only time series."
            )
        },
    )

    metric_id: Mapped[UuidPk] = mapped_column("metricId")
    tenant_id: Mapped[GlobalTenantId] = mapped_column("tenantId")
    service_name: Mapped[str] = mapped_column("serviceName", comment="Service measured.")
    metric_name: Mapped[str] = mapped_column("metricName", comment="Metric measured.")
    metric_value: Mapped[Decimal] = mapped_column(
        "metricValue", Numeric(20, 4), comment="The measured value, in unit."
    )
    unit: Mapped[str | None] = mapped_column(
        "unit",
        comment="Unit of metricValue and threshold, as the service names it (ms, bytes, ...).",
    )
    status: Mapped[str] = mapped_column(
        "status", comment="Health status the measurement gives, as the services name it."
    )
    threshold: Mapped[Decimal | None] = mapped_column(
        "threshold", Numeric(20, 4), comment="Value at which status changes, in unit."
    )
    timestamp: Mapped[datetime] = mapped_column(
        "timestamp",
        server_default=default("CURRENT_TIMESTAMP"),
        comment="When the measurement was taken.",
    )
