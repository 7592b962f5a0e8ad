"""Notifications: in-app messages and the push tokens that deliver them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, PrimaryKeyConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gxschema.models.base import Base, CreatedAt, TenantId, UuidPk, default
from gxschema.models.enums import NotificationStatus, NotificationType

if TYPE_CHECKING:
    from gxschema.models.identity import UserProfile


class Notification(Base):
    """An in-app notification to a profile."""

    __tablename__ = "Notification"
    __table_args__ = (
        PrimaryKeyConstraint("notificationId", name="Notification_pkey"),
        Index("Notification_tenantId_recipientId_status_idx", "tenantId", "recipientId", "status"),
        Index(
            "Notification_tenantId_recipientId_createdAt_idx",
            "tenantId",
            "recipientId",
            "createdAt",
        ),
        Index("Notification_expiresAt_idx", "expiresAt"),
        Index("Notification_tenantId_type_status_idx", "tenantId", "type", "status"),
    )

    notification_id: Mapped[UuidPk] = mapped_column("notificationId")
    tenant_id: Mapped[TenantId] = mapped_column("tenantId")
    recipient_id: Mapped[str] = mapped_column(
        "recipientId",
        ForeignKey(
            "UserProfile.profileId",
            name="Notification_recipientId_fkey",
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
    )
    type: Mapped[NotificationType] = mapped_column("type")
    title: Mapped[str] = mapped_column("title")
    message: Mapped[str] = mapped_column("message")
    action_url: Mapped[str | None] = mapped_column("actionUrl")
    action_required: Mapped[bool] = mapped_column("actionRequired", server_default=default("false"))
    action_resource_type: Mapped[str | None] = mapped_column("actionResourceType")
    action_resource_id: Mapped[str | None] = mapped_column("actionResourceId")
    status: Mapped[NotificationStatus] = mapped_column(
        "status",
        server_default=default("'UNREAD'::\"NotificationStatus\""),
    )
    read_at: Mapped[datetime | None] = mapped_column("readAt")
    actioned_at: Mapped[datetime | None] = mapped_column("actionedAt")
    sent_via_email: Mapped[bool] = mapped_column("sentViaEmail", server_default=default("false"))
    sent_via_push: Mapped[bool] = mapped_column("sentViaPush", server_default=default("false"))
    email_sent_at: Mapped[datetime | None] = mapped_column("emailSentAt")
    push_sent_at: Mapped[datetime | None] = mapped_column("pushSentAt")
    created_at: Mapped[CreatedAt] = mapped_column("createdAt")
    expires_at: Mapped[datetime | None] = mapped_column("expiresAt")

    recipient: Mapped[UserProfile] = relationship(back_populates="notifications")


class PushToken(Base):
    """A push-notification token of one of a profile's devices."""

    __tablename__ = "PushToken"
    __table_args__ = (
        PrimaryKeyConstraint("tokenId", name="PushToken_pkey"),
        Index("PushToken_token_key", "token", unique=True),
        Index(
            "PushToken_tenantId_profileId_token_key", "tenantId", "profileId", "token", unique=True
        ),
        Index("PushToken_tenantId_profileId_idx", "tenantId", "profileId"),
        Index("PushToken_tenantId_isActive_idx", "tenantId", "isActive"),
    )

    token_id: Mapped[UuidPk] = mapped_column("tokenId")
    tenant_id: Mapped[TenantId] = mapped_column("tenantId")
    profile_id: Mapped[str] = mapped_column(
        "profileId",
        ForeignKey(
            "UserProfile.profileId",
            name="PushToken_profileId_fkey",
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
    )
    token: Mapped[str] = mapped_column("token")
    device_id: Mapped[str | None] = mapped_column("deviceId")
    platform: Mapped[str] = mapped_column("platform")
    is_active: Mapped[bool] = mapped_column("isActive", server_default=default("true"))
    created_at: Mapped[CreatedAt] = mapped_column("createdAt")
    last_used_at: Mapped[datetime] = mapped_column(
        "lastUsedAt",
        server_default=default("CURRENT_TIMESTAMP"),
    )

    profile: Mapped[UserProfile] = relationship(back_populates="push_tokens")
