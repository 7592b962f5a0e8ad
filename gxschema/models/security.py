"""Security: login sessions and trusted devices."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, PrimaryKeyConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gxschema.models.base import Base, CreatedAt, TenantId, UuidPk, default
from gxschema.models.enums import SessionStatus

if TYPE_CHECKING:
    from gxschema.models.identity import UserProfile


class UserSession(Base):
    """A login session, identified by its refresh token."""

    __tablename__ = "UserSession"
    __table_args__ = (
        PrimaryKeyConstraint("sessionId", name="UserSession_pkey"),
        Index("UserSession_refreshToken_key", "refreshToken", unique=True),
        Index("UserSession_tenantId_sessionId_key", "tenantId", "sessionId", unique=True),
        Index("UserSession_tenantId_profileId_status_idx", "tenantId", "profileId", "status"),
        Index("UserSession_refreshTokenHash_idx", "refreshTokenHash"),
        Index("UserSession_expiresAt_idx", "expiresAt"),
        Index("UserSession_tenantId_deviceId_idx", "tenantId", "deviceId"),
    )

    session_id: Mapped[UuidPk] = mapped_column("sessionId")
    tenant_id: Mapped[TenantId] = mapped_column("tenantId")
    profile_id: Mapped[str] = mapped_column(
        "profileId",
        ForeignKey(
            "UserProfile.profileId",
            name="UserSession_profileId_fkey",
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
    )
    device_id: Mapped[str] = mapped_column("deviceId")
    device_name: Mapped[str | None] = mapped_column("deviceName")
    device_os: Mapped[str | None] = mapped_column("deviceOs")
    ip_address: Mapped[str] = mapped_column("ipAddress")
    user_agent: Mapped[str] = mapped_column("userAgent")
    status: Mapped[SessionStatus] = mapped_column(
        "status",
        server_default=default("'ACTIVE'::\"SessionStatus\""),
    )
    created_at: Mapped[CreatedAt] = mapped_column("createdAt")
    last_activity_at: Mapped[datetime] = mapped_column(
        "lastActivityAt",
        server_default=default("CURRENT_TIMESTAMP"),
    )
    expires_at: Mapped[datetime] = mapped_column("expiresAt")
    revoked_at: Mapped[datetime | None] = mapped_column("revokedAt")
    revoked_reason: Mapped[str | None] = mapped_column("revokedReason")
    refresh_token: Mapped[str] = mapped_column("refreshToken")
    refresh_token_hash: Mapped[str] = mapped_column("refreshTokenHash")

    profile: Mapped[UserProfile] = relationship(back_populates="sessions")


class TrustedDevice(Base):
    """A device a profile has marked as trusted."""

    __tablename__ = "TrustedDevice"
    __table_args__ = (
        PrimaryKeyConstraint("deviceId", name="TrustedDevice_pkey"),
        Index("TrustedDevice_deviceFingerprint_key", "deviceFingerprint", unique=True),
        Index(
            "TrustedDevice_tenantId_profileId_deviceFingerprint_key",
            "tenantId",
            "profileId",
            "deviceFingerprint",
            unique=True,
        ),
        Index("TrustedDevice_tenantId_profileId_idx", "tenantId", "profileId"),
        Index("TrustedDevice_tenantId_isTrusted_idx", "tenantId", "isTrusted"),
    )

    device_id: Mapped[UuidPk] = mapped_column("deviceId")
    tenant_id: Mapped[TenantId] = mapped_column("tenantId")
    profile_id: Mapped[str] = mapped_column(
        "profileId",
        ForeignKey(
            "UserProfile.profileId",
            name="TrustedDevice_profileId_fkey",
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
    )
    device_name: Mapped[str] = mapped_column("deviceName")
    device_fingerprint: Mapped[str] = mapped_column("deviceFingerprint")
    device_os: Mapped[str | None] = mapped_column("deviceOs")
    first_seen_at: Mapped[datetime] = mapped_column(
        "firstSeenAt",
        server_default=default("CURRENT_TIMESTAMP"),
    )
    last_seen_at: Mapped[datetime] = mapped_column(
        "lastSeenAt",
        server_default=default("CURRENT_TIMESTAMP"),
    )
    is_trusted: Mapped[bool] = mapped_column("isTrusted", server_default=default("false"))
    trust_verified_at: Mapped[datetime | None] = mapped_column("trustVerifiedAt")

    profile: Mapped[UserProfile] = relationship(back_populates="trusted_devices")
