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
        {
            "comment": (
                "In-app notifications to a profile, with their read state and "
                "the channels that delivered them; expire at expiresAt."
            )
        },
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
        comment="The profile notified.",
    )
    type: Mapped[NotificationType] = mapped_column(
        "type", comment="What the notification is about."
    )
    title: Mapped[str] = mapped_column("title", comment="Short title shown to the user.")
    message: Mapped[str] = mapped_column("message", comment="Body text shown to the user.")
    action_url: Mapped[str | None] = mapped_column(
        "actionUrl", comment="Deep link of the action the notification offers."
    )
    action_required: Mapped[bool] = mapped_column(
        "actionRequired",
        server_default=default("false"),
        comment="Whether the user must act (approve, confirm, ...).",
    )
    action_resource_type: Mapped[str | None] = mapped_column(
        "actionResourceType",
        comment="Kind of the resource the action is about (e.g. TransactionApproval).",
    )
    action_resource_id: Mapped[str | None] = mapped_column(
        "actionResourceId", comment="Id of that resource."
    )
    status: Mapped[NotificationStatus] = mapped_column(
        "status",
        server_default=default("'UNREAD'::\"NotificationStatus\""),
        comment="Read state.",
    )
    read_at: Mapped[datetime | None] = mapped_column("readAt", comment="When the user read it.")
    actioned_at: Mapped[datetime | None] = mapped_column(
        "actionedAt", comment="When the user acted on it."
    )
    sent_via_email: Mapped[bool] = mapped_column(
        "sentViaEmail",
        server_default=default("false"),
        comment="Whether it was also sent by email.",
    )
    sent_via_push: Mapped[bool] = mapped_column(
        "sentViaPush",
        server_default=default("false"),
        comment="Whether it was also sent as a push notification.",
    )
    email_sent_at: Mapped[datetime | None] = mapped_column(
        "emailSentAt", comment="When the email was sent."
    )
    push_sent_at: Mapped[datetime | None] = mapped_column(
        "pushSentAt", comment="When the push notification was sent."
    )
    created_at: Mapped[CreatedAt] = mapped_column("createdAt")
    expires_at: Mapped[datetime | None] = mapped_column(
        "expiresAt", comment="When it expires and may be removed; NULL for never."
    )

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
        {
            "comment": (
                "Push-notification tokens of a profile's devices; a token belongs to one profile."
            )
        },
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
        comment="The owner.",
    )
    token: Mapped[str] = mapped_column(
        "token", info={"secret": True}, comment="The token issued by the push service; unique."
    )
    device_id: Mapped[str | None] = mapped_column(
        "deviceId", comment="Id of the device, as the client reports it."
    )
    platform: Mapped[str] = mapped_column(
        "platform", comment="Push platform of the token, as the client names it."
    )
    is_active: Mapped[bool] = mapped_column(
        "isActive", server_default=default("true"), comment="Whether pushes are sent to it."
    )
    created_at: Mapped[CreatedAt] = mapped_column("createdAt")
    last_used_at: Mapped[datetime] = mapped_column(
        "lastUsedAt",
        server_default=default("CURRENT_TIMESTAMP"),
        comment="When a push last used it.",
    )

    profile: Mapped[UserProfile] = relationship(back_populates="push_tokens")
