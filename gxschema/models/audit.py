"""Audit: the append-only log of security- and money-relevant events."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, PrimaryKeyConstraint
from sqlalchemy.orm import Mapped, mapped_column

from gxschema.models.base import Base, Json, TenantId, UuidPk, default
from gxschema.models.enums import AuditEventType


class AuditLog(Base):
    """An audited event; append-only, never updated."""

    __tablename__ = "AuditLog"
    __table_args__ = (
        PrimaryKeyConstraint("auditId", name="AuditLog_pkey"),
        Index("AuditLog_tenantId_eventType_timestamp_idx", "tenantId", "eventType", "timestamp"),
        Index(
            "AuditLog_tenantId_actorProfileId_timestamp_idx",
            "tenantId",
            "actorProfileId",
            "timestamp",
        ),
        Index(
            "AuditLog_tenantId_targetProfileId_timestamp_idx",
            "tenantId",
            "targetProfileId",
            "timestamp",
        ),
        Index(
            "AuditLog_tenantId_resourceType_resourceId_idx",
            "tenantId",
            "resourceType",
            "resourceId",
        ),
        Index("AuditLog_timestamp_idx", "timestamp"),
        Index(
            "AuditLog_tenantId_actorProfileId_eventType_timestamp_idx",
            "tenantId",
            "actorProfileId",
            "eventType",
            "timestamp",
        ),
    )

    audit_id: Mapped[UuidPk] = mapped_column("auditId")
    tenant_id: Mapped[TenantId] = mapped_column("tenantId")
    event_type: Mapped[AuditEventType] = mapped_column("eventType")
    actor_profile_id: Mapped[str | None] = mapped_column("actorProfileId")
    target_profile_id: Mapped[str | None] = mapped_column("targetProfileId")
    resource_type: Mapped[str | None] = mapped_column("resourceType")
    resource_id: Mapped[str | None] = mapped_column("resourceId")
    ip_address: Mapped[str | None] = mapped_column("ipAddress")
    user_agent: Mapped[str | None] = mapped_column("userAgent")
    device_id: Mapped[str | None] = mapped_column("deviceId")
    session_id: Mapped[str | None] = mapped_column("sessionId")
    previous_value: Mapped[Json | None] = mapped_column("previousValue", nullable=True)
    new_value: Mapped[Json | None] = mapped_column("newValue", nullable=True)
    event_metadata: Mapped[Json | None] = mapped_column("metadata", nullable=True)
    event_hash: Mapped[str] = mapped_column("eventHash")
    timestamp: Mapped[datetime] = mapped_column(
        "timestamp",
        server_default=default("CURRENT_TIMESTAMP"),
    )
