"""Security: each user's trusted devices, login sessions on them, and their push tokens."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from gxschema.fake.core import DAY_MS, EPOCH_MS, HOUR_MS, MINUTE_MS, Context, Row, TableSpec, stamp
from gxschema.fake.core import hex_token as token
from gxschema.fake.pools import APP_VERSIONS, DEVICES

DEVICES_PER_USER = (1, 2, 1, 1, 2)
SESSIONS_PER_USER = (1, 2, 3, 2, 1, 3)
ENDED = ("EXPIRED", "LOGGED_OUT", "REVOKED", "EXPIRED", "LOGGED_OUT")
REVOKE_REASONS = ("Signed in on a new device", "Password changed", "Revoked by support")


def tables(ctx: Context) -> list[TableSpec]:
    devices = ctx.per_user_total(DEVICES_PER_USER)
    return [
        TableSpec(
            "UserSession",
            (
                "sessionId",
                "tenantId",
                "profileId",
                "deviceId",
                "deviceName",
                "deviceOs",
                "ipAddress",
                "userAgent",
                "status",
                "createdAt",
                "lastActivityAt",
                "expiresAt",
                "revokedAt",
                "revokedReason",
                "refreshToken",
                "refreshTokenHash",
            ),
            ctx.per_user_total(SESSIONS_PER_USER),
            lambda: _sessions(ctx, 0, ctx.users),
            lambda start, stop: _sessions(ctx, start, stop),
            ctx.users,
        ),
        TableSpec(
            "TrustedDevice",
            (
                "deviceId",
                "tenantId",
                "profileId",
                "deviceName",
                "deviceFingerprint",
                "deviceOs",
                "firstSeenAt",
                "lastSeenAt",
                "isTrusted",
                "trustVerifiedAt",
            ),
            devices,
            lambda: _devices(ctx, 0, ctx.users),
            lambda start, stop: _devices(ctx, start, stop),
            ctx.users,
        ),
        TableSpec(
            "PushToken",
            (
                "tokenId",
                "tenantId",
                "profileId",
                "token",
                "deviceId",
                "platform",
                "isActive",
                "createdAt",
                "lastUsedAt",
            ),
            devices,
            lambda: _push_tokens(ctx, 0, ctx.users),
            lambda start, stop: _push_tokens(ctx, start, stop),
            ctx.users,
        ),
    ]


def device(ctx: Context, user: int, slot: int) -> tuple[str, str, str, int]:
    """(device id, model, OS, first seen ms) of the user's device `slot`."""
    index = user * 4 + slot
    value = ctx.hash("device", index)
    model, system = DEVICES[value % len(DEVICES)]
    created = ctx.user_created_ms(user)
    first_seen = created + (EPOCH_MS - created) * slot * ((value >> 8) % 50) // 100
    return ctx.ids("TrustedDevice").of(index), model, system, first_seen


def _devices(ctx: Context, start: int, stop: int) -> Iterator[Row]:
    """The trusted devices of users ``start`` to ``stop - 1``."""
    fingerprint_key = ctx.key("device-fingerprint")
    for user in range(start, stop):
        tenant = ctx.user_tenant(user)
        profile = ctx.user_id(user)
        for slot in range(ctx.user_count(DEVICES_PER_USER, user)):
            device_id, model, system, first_seen = device(ctx, user, slot)
            index = user * 4 + slot
            value = ctx.hash("device-seen", index)
            last_seen = first_seen + (EPOCH_MS - first_seen) * (50 + value % 50) // 100
            trusted = value >> 10 & 7 != 0
            yield (
                device_id,
                tenant,
                profile,
                model,
                token(fingerprint_key, index),
                system,
                stamp(first_seen),
                stamp(last_seen),
                trusted,
                stamp(first_seen + 5 * MINUTE_MS) if trusted else None,
            )


def _push_tokens(ctx: Context, start: int, stop: int) -> Iterator[Row]:
    """The push tokens of users ``start`` to ``stop - 1``."""
    ids = ctx.ids("PushToken")
    push_key = ctx.key("push-token")
    for user in range(start, stop):
        tenant = ctx.user_tenant(user)
        profile = ctx.user_id(user)
        active_user = ctx.user_status(user) not in ("SUSPENDED", "CLOSED")
        for slot in range(ctx.user_count(DEVICES_PER_USER, user)):
            device_id, _model, system, first_seen = device(ctx, user, slot)
            index = user * 4 + slot
            apple = system.startswith(("iOS", "iPadOS"))
            value = ctx.hash("push", index)
            yield (
                ids.of(index),
                tenant,
                profile,
                ("apns:" if apple else "fcm:") + token(push_key, index, 96),
                device_id,
                "ios" if apple else "android",
                active_user and value % 10 != 0,
                stamp(first_seen + MINUTE_MS),
                stamp(
                    first_seen
                    + MINUTE_MS
                    + (EPOCH_MS - first_seen - MINUTE_MS) * (value >> 8 & 0xFF) // 256
                ),
            )


def _sessions(ctx: Context, start: int, stop: int) -> Iterator[Row]:
    """The sessions of users ``start`` to ``stop - 1``."""
    ids = ctx.ids("UserSession")
    refresh_key = ctx.key("refresh-token")
    ips = ctx.pools.ips
    for user in range(start, stop):
        tenant = ctx.user_tenant(user)
        profile = ctx.user_id(user)
        devices = ctx.user_count(DEVICES_PER_USER, user)
        sessions = ctx.user_count(SESSIONS_PER_USER, user)
        can_log_in = ctx.user_status(user) not in ("SUSPENDED", "CLOSED")
        created_user = ctx.user_created_ms(user)
        for slot in range(sessions):
            index = user * 4 + slot
            value = ctx.hash("session", index)
            device_id, model, system, first_seen = device(ctx, user, slot % devices)
            latest = slot == sessions - 1
            if latest:
                created = EPOCH_MS - (value % (20 * DAY_MS)) - HOUR_MS
                created = max(created, first_seen, created_user)
            else:
                since = max(first_seen, created_user)
                created = since + (EPOCH_MS - 30 * DAY_MS - since) * (slot + 1) // (sessions + 1)
                created = max(created, since)
            status = "ACTIVE" if latest and can_log_in else ENDED[(value >> 8) % len(ENDED)]
            last_activity = min(created + (value >> 16) % (3 * DAY_MS), EPOCH_MS - 1)
            revoked = status in ("REVOKED", "LOGGED_OUT")
            refresh = "rt_" + token(refresh_key, index)
            version = APP_VERSIONS[(value >> 40) % len(APP_VERSIONS)]
            yield (
                ids.of(index),
                tenant,
                profile,
                device_id,
                model,
                system,
                ips[(value >> 24) % len(ips)],
                f"GXWallet/{version} ({system}; {model})",
                status,
                stamp(created),
                stamp(last_activity),
                stamp(created + 30 * DAY_MS),
                stamp(last_activity) if revoked else None,
                REVOKE_REASONS[(value >> 48) % len(REVOKE_REASONS)]
                if status == "REVOKED"
                else None,
                refresh,
                hashlib.sha256(refresh.encode()).hexdigest(),
            )
