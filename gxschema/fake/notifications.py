"""Notifications: a few per user over their history; the latest ones are still unread."""

from __future__ import annotations

from collections.abc import Iterator

from gxschema.fake.core import DAY_MS, EPOCH_MS, MINUTE_MS, Context, Row, TableSpec, stamp

NOTIFICATIONS = (2, 3, 4, 5, 6, 3, 4)
KINDS = (
    "WALLET_CREDITED",
    "WALLET_CREDITED",
    "WALLET_DEBITED",
    "WALLET_DEBITED",
    "TRANSACTION_COMPLETED",
    "KYC_STATUS_UPDATE",
    "RELATIONSHIP_INVITATION",
    "RELATIONSHIP_CONFIRMED",
    "SECURITY_ALERT",
    "SYSTEM_ANNOUNCEMENT",
    "TRANSACTION_APPROVAL_REQUEST",
    "BUSINESS_SIGNATORY_INVITATION",
    "RELATIONSHIP_REJECTED",
    "TRANSACTION_APPROVED",
    "TRANSACTION_REJECTED",
)
TEXT = {
    "WALLET_CREDITED": ("Money received", "You received {amount} GX Coin."),
    "WALLET_DEBITED": ("Money sent", "You sent {amount} GX Coin."),
    "TRANSACTION_COMPLETED": (
        "Transfer complete",
        "Your transfer of {amount} GX Coin is on chain.",
    ),
    "KYC_STATUS_UPDATE": ("Identity check", "Your identity documents have been reviewed."),
    "RELATIONSHIP_INVITATION": ("New relationship", "Someone added you as family. Confirm?"),
    "RELATIONSHIP_CONFIRMED": ("Relationship confirmed", "Your relationship was confirmed."),
    "RELATIONSHIP_REJECTED": ("Relationship declined", "Your relationship request was declined."),
    "SECURITY_ALERT": ("New sign-in", "Your account was used on a new device."),
    "SYSTEM_ANNOUNCEMENT": ("Scheduled maintenance", "Transfers pause briefly on Sunday 02:00."),
    "TRANSACTION_APPROVAL_REQUEST": ("Approval needed", "A business payment awaits your vote."),
    "BUSINESS_SIGNATORY_INVITATION": ("Signatory invitation", "You were invited as a signatory."),
    "TRANSACTION_APPROVED": ("Payment approved", "A business payment you voted on was approved."),
    "TRANSACTION_REJECTED": ("Payment rejected", "A business payment you voted on was rejected."),
}
ACTION = {
    "RELATIONSHIP_INVITATION": ("FamilyRelationship", "/trust/relationships"),
    "TRANSACTION_APPROVAL_REQUEST": ("TransactionApproval", "/business/approvals"),
    "BUSINESS_SIGNATORY_INVITATION": ("BusinessSignatory", "/business/signatories"),
}


def tables(ctx: Context) -> list[TableSpec]:
    return [
        TableSpec(
            "Notification",
            (
                "notificationId",
                "tenantId",
                "recipientId",
                "type",
                "title",
                "message",
                "actionUrl",
                "actionRequired",
                "actionResourceType",
                "actionResourceId",
                "status",
                "readAt",
                "actionedAt",
                "sentViaEmail",
                "sentViaPush",
                "emailSentAt",
                "pushSentAt",
                "createdAt",
                "expiresAt",
            ),
            ctx.per_user_total(NOTIFICATIONS),
            lambda: _notifications(ctx, 0, ctx.users),
            lambda start, stop: _notifications(ctx, start, stop),
            ctx.users,
        )
    ]


def _notifications(ctx: Context, start: int, stop: int) -> Iterator[Row]:
    """The notifications of users ``start`` to ``stop - 1``."""
    ids = ctx.ids("Notification")
    notification_hash = ctx.hasher("notification")
    per_wallet = ctx.tx_per_wallet
    for user in range(start, stop):
        tenant = ctx.user_tenant(user)
        recipient = ctx.user_id(user)
        created_user = ctx.user_created_ms(user)
        count = ctx.user_count(NOTIFICATIONS, user)
        unread = 1 + user % 2
        span = EPOCH_MS - created_user
        for number in range(count):
            index = user * 8 + number
            value = notification_hash(index)
            kind = KINDS[value % len(KINDS)]
            if kind.startswith(("WALLET", "TRANSACTION_COMPLETED")) and not per_wallet:
                kind = "SYSTEM_ANNOUNCEMENT"
            created = created_user + span * (number + 1) // (count + 1)
            title, template = TEXT[kind]
            amount = f"{(value >> 8) % 50_000 / 100:.2f}"
            resource_type = resource_id = url = None
            if kind in ACTION:
                resource_type, url = ACTION[kind]
            elif kind.startswith(("WALLET", "TRANSACTION_COMPLETED")):
                resource_type = "Transaction"
                resource_id = ctx.transaction_id(user, (value >> 24) % per_wallet)
                url = f"/wallet/transactions/{resource_id}"
            action_required = kind in ACTION
            if number >= count - unread:
                status = "UNREAD"
            elif action_required:
                status = "ACTIONED"
            else:
                status = "ARCHIVED" if (value >> 32) % 6 == 0 else "READ"
            read = created + MINUTE_MS + (value >> 36) % DAY_MS
            read = min(read, EPOCH_MS - 1)
            email = (value >> 40) % 3 == 0
            push = (value >> 42) % 5 != 0
            yield (
                ids.of(index),
                tenant,
                recipient,
                kind,
                title,
                template.format(amount=amount),
                url,
                action_required,
                resource_type,
                resource_id,
                status,
                stamp(read) if status != "UNREAD" else None,
                stamp(read) if status == "ACTIONED" else None,
                email,
                push,
                stamp(created + 2000) if email else None,
                stamp(created + 500) if push else None,
                stamp(created),
                stamp(created + 90 * DAY_MS) if (value >> 48) % 4 else None,
            )
