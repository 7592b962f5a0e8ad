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
        {
            "comment": (
                "Audited security- and money-relevant events; append-only, "
                "never updated, each carrying a hash of its content."
            )
        },
    )

    audit_id: Mapped[UuidPk] = mapped_column("auditId")
    tenant_id: Mapped[TenantId] = mapped_column("tenantId")
    event_type: Mapped[AuditEventType] = mapped_column("eventType", comment="What happened.")
    actor_profile_id: Mapped[str | None] = mapped_column(
        "actorProfileId",
        comment=(
            "Profile that acted; NULL for the system (not a foreign key: "
            "the log outlives profiles)."
        ),
    )
    target_profile_id: Mapped[str | None] = mapped_column(
        "targetProfileId", comment="Profile acted upon, if any (not a foreign key)."
    )
    resource_type: Mapped[str | None] = mapped_column(
        "resourceType", comment="Kind of the resource concerned (Wallet, Transaction, ...)."
    )
    resource_id: Mapped[str | None] = mapped_column("resourceId", comment="Id of that resource.")
    ip_address: Mapped[str | None] = mapped_column("ipAddress", comment="IP address of the actor.")
    user_agent: Mapped[str | None] = mapped_column(
        "userAgent", comment="User agent of the actor's client."
    )
    device_id: Mapped[str | None] = mapped_column("deviceId", comment="Device of the actor.")
    session_id: Mapped[str | None] = mapped_column(
        "sessionId", comment="Session of the actor (UserSession.sessionId, not a foreign key)."
    )
    previous_value: Mapped[Json | None] = mapped_column(
        "previousValue", nullable=True, comment="The resource before the event, as JSON."
    )
    new_value: Mapped[Json | None] = mapped_column(
        "newValue", nullable=True, comment="The resource after the event, as JSON."
    )
    event_metadata: Mapped[Json | None] = mapped_column(
        "metadata",
        nullable=True,
        comment="Further detail as JSON (mapped as event_metadata in Python).",
    )
    event_hash: Mapped[str] = mapped_column(
        "eventHash", comment="Hash of the event's content, to detect tampering."
    )
    timestamp: Mapped[datetime] = mapped_column(
        "timestamp",
        server_default=default("CURRENT_TIMESTAMP"),
        comment="When the event happened.",
    )
