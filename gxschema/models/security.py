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
        {
            "comment": (
                "Login sessions, each identified by its refresh token; revoked "
                "or expired sessions are kept with their reason."
            )
        },
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
        comment="The profile logged in.",
    )
    device_id: Mapped[str] = mapped_column(
        "deviceId", comment="Id of the device the session runs on, as the client reports it."
    )
    device_name: Mapped[str | None] = mapped_column("deviceName", comment="Name of the device.")
    device_os: Mapped[str | None] = mapped_column(
        "deviceOs", comment="Operating system of the device."
    )
    ip_address: Mapped[str] = mapped_column(
        "ipAddress", comment="IP address the session was created from."
    )
    user_agent: Mapped[str] = mapped_column("userAgent", comment="User agent of the client.")
    status: Mapped[SessionStatus] = mapped_column(
        "status",
        server_default=default("'ACTIVE'::\"SessionStatus\""),
        comment="State of the session.",
    )
    created_at: Mapped[CreatedAt] = mapped_column("createdAt")
    last_activity_at: Mapped[datetime] = mapped_column(
        "lastActivityAt",
        server_default=default("CURRENT_TIMESTAMP"),
        comment="When the session was last used.",
    )
    expires_at: Mapped[datetime] = mapped_column("expiresAt", comment="When the session expires.")
    revoked_at: Mapped[datetime | None] = mapped_column(
        "revokedAt", comment="When the session was revoked."
    )
    revoked_reason: Mapped[str | None] = mapped_column(
        "revokedReason", comment="Why it was revoked."
    )
    refresh_token: Mapped[str] = mapped_column(
        "refreshToken", info={"secret": True}, comment="The refresh token; unique."
    )
    refresh_token_hash: Mapped[str] = mapped_column(
        "refreshTokenHash", info={"secret": True}, comment="Hash of the refresh token, for lookups."
    )

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
        {"comment": "Devices a profile has marked as trusted, recognised by their fingerprint."},
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
        comment="The owner.",
    )
    device_name: Mapped[str] = mapped_column("deviceName", comment="Name of the device.")
    device_fingerprint: Mapped[str] = mapped_column(
        "deviceFingerprint", comment="Fingerprint that recognises the device; unique."
    )
    device_os: Mapped[str | None] = mapped_column(
        "deviceOs", comment="Operating system of the device."
    )
    first_seen_at: Mapped[datetime] = mapped_column(
        "firstSeenAt",
        server_default=default("CURRENT_TIMESTAMP"),
        comment="When the device was first seen.",
    )
    last_seen_at: Mapped[datetime] = mapped_column(
        "lastSeenAt",
        server_default=default("CURRENT_TIMESTAMP"),
        comment="When the device was last seen.",
    )
    is_trusted: Mapped[bool] = mapped_column(
        "isTrusted",
        server_default=default("false"),
        comment="Whether the device is currently trusted.",
    )
    trust_verified_at: Mapped[datetime | None] = mapped_column(
        "trustVerifiedAt", comment="When trust in the device was confirmed."
    )

    profile: Mapped[UserProfile] = relationship(back_populates="trusted_devices")
