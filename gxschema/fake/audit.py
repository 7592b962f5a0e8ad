"""Audit: each user's trail (registration, KYC, wallet, then logins, transfers, changes),
hash-chained per user as the services chain it."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from gxschema.fake.core import (
    EPOCH_MS,
    MINUTE_MS,
    SECOND_MS,
    Context,
    IdMaker,
    Row,
    TableSpec,
    compact_json,
    stamp,
)
from gxschema.fake.kyc import FINAL_STATUS, ROUNDS
from gxschema.fake.pools import APP_VERSIONS
from gxschema.fake.security import DEVICES_PER_USER, device

EVENTS_PER_USER = (5, 6, 7, 8, 9, 6, 7)
LATER = (
    "USER_LOGIN",
    "USER_LOGIN",
    "USER_LOGIN",
    "SESSION_CREATED",
    "TRANSACTION_INITIATED",
    "TRANSACTION_COMPLETED",
    "TRANSACTION_COMPLETED",
    "PROFILE_UPDATED",
    "BENEFICIARY_ADDED",
    "DEVICE_TRUSTED",
    "USER_LOGOUT",
    "PASSWORD_CHANGED",
    "RELATIONSHIP_INVITED",
)
ADMIN_EVENT = {"SUSPENDED": "ADMIN_ACCOUNT_FROZEN", "CLOSED": "ADMIN_ACCOUNT_CLOSED"}


def tables(ctx: Context) -> list[TableSpec]:
    return [
        TableSpec(
            "AuditLog",
            (
                "auditId",
                "tenantId",
                "eventType",
                "actorProfileId",
                "targetProfileId",
                "resourceType",
                "resourceId",
                "ipAddress",
                "userAgent",
                "deviceId",
                "sessionId",
                "previousValue",
                "newValue",
                "metadata",
                "eventHash",
                "timestamp",
            ),
            ctx.per_user_total(EVENTS_PER_USER),
            lambda: _audit(ctx, 0, ctx.users),
            lambda start, stop: _audit(ctx, start, stop),
            ctx.users,
        )
    ]


def _audit(ctx: Context, start: int, stop: int) -> Iterator[Row]:
    """The audit trails of users ``start`` to ``stop - 1``."""
    ids = ctx.ids("AuditLog")
    audit_hash = ctx.hasher("audit")
    kyc_ids = ctx.ids("KYCVerification")
    sessions = ctx.ids("UserSession")
    ips = ctx.pools.ips
    for user in range(start, stop):
        tenant = ctx.user_tenant(user)
        profile = ctx.user_id(user)
        created = ctx.user_created_ms(user)
        status = ctx.user_status(user)
        count = ctx.user_count(EVENTS_PER_USER, user)
        device_id, model, system, _first_seen = device(ctx, user, 0)
        devices = ctx.user_count(DEVICES_PER_USER, user)
        previous = "0" * 64
        span = EPOCH_MS - created
        for number in range(count):
            index = user * 16 + number
            value = audit_hash(index)
            moment = created + span * number // (count + 1) + number * SECOND_MS
            actor, target, resource_type, resource_id, kind, before, after = _event(
                ctx, user, number, count, value, profile, status, devices, kyc_ids, sessions
            )
            version = APP_VERSIONS[(value >> 16) % len(APP_VERSIONS)]
            system_event = actor is None
            metadata = {"channel": "admin-console" if system_event else "mobile"}
            if not system_event:
                metadata["appVersion"] = version
            event = "|".join(
                [previous, kind, actor or "", target or "", resource_id or "", str(moment)]
            )
            previous = hashlib.sha256(event.encode()).hexdigest()
            yield (
                ids.of(index),
                tenant,
                kind,
                actor,
                target,
                resource_type,
                resource_id,
                None if system_event else ips[(value >> 24) % len(ips)],
                None if system_event else f"GXWallet/{version} ({system}; {model})",
                None if system_event else device_id,
                None if system_event or number < 4 else sessions.of(user * 4),
                None if before is None else compact_json(before),
                None if after is None else compact_json(after),
                compact_json(metadata),
                previous,
                stamp(min(moment + (value >> 32) % MINUTE_MS, EPOCH_MS - 1)),
            )


Change = dict[str, str | None] | None
Event = tuple[str | None, str | None, str | None, str | None, str, Change, Change]
"""(actor, target, resourceType, resourceId, eventType, previousValue, newValue)"""


def _event(
    ctx: Context,
    user: int,
    number: int,
    count: int,
    value: int,
    profile: str,
    status: str,
    devices: int,
    kyc_ids: IdMaker,
    sessions: IdMaker,
) -> Event:
    """The kind, actor, target, resource and change of event ``number`` of ``user``'s trail."""
    per_wallet = ctx.tx_per_wallet
    actor: str | None = profile
    target = resource_type = resource_id = None
    before: Change = None
    after: Change = None
    if number == 0:
        kind, resource_type, resource_id = "USER_REGISTERED", "UserProfile", profile
    elif number == 1:
        kind, resource_type = "KYC_SUBMITTED", "KYCVerification"
        resource_id = kyc_ids.of(user * 2)
    elif number == 2:
        final = FINAL_STATUS[status]
        kind = "KYC_REJECTED" if final == "REJECTED" else "KYC_APPROVED"
        if final == "PENDING":
            kind = "KYC_SUBMITTED"
        actor, target, resource_type = None, profile, "KYCVerification"
        resource_id = kyc_ids.of(user * 2 + ctx.user_count(ROUNDS, user) - 1)
    elif number == 3:
        kind, resource_type = "WALLET_CREATED", "Wallet"
        resource_id = ctx.wallet_id(user)
    elif number == count - 1 and status in ADMIN_EVENT:
        kind, actor, target = ADMIN_EVENT[status], None, profile
        resource_type, resource_id = "UserProfile", profile
        after = {"status": status}
    else:
        kind = LATER[value % len(LATER)]
        if kind.startswith("TRANSACTION") and per_wallet:
            resource_type = "Transaction"
            resource_id = ctx.transaction_id(user, (value >> 8) % per_wallet)
        elif kind == "PROFILE_UPDATED":
            resource_type, resource_id = "UserProfile", profile
            before, after = {"phoneNum": None}, {"phoneNum": ctx.user_phone(user)}
        elif kind in ("USER_LOGIN", "SESSION_CREATED", "USER_LOGOUT"):
            resource_type = "UserSession"
            resource_id = sessions.of(user * 4 + (value >> 8) % 2)
        elif kind == "DEVICE_TRUSTED":
            resource_type = "TrustedDevice"
            resource_id = ctx.ids("TrustedDevice").of(user * 4 + (devices - 1))
    return actor, target, resource_type, resource_id, kind, before, after
