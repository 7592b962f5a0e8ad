"""CQRS: the outbox (commands in every status), chaincode events, the dead-letter queue,
projector checkpoints and stored idempotent responses.

Outbox commands come in segments: a few system commands (one in each status, so
even a tiny run has them all), one CREATE_USER and some later commands per user,
two commands per organisation, and one per business approval. Most are COMMITTED
long ago; the PENDING, LOCKED and SUBMITTED ones are recent, as a live outbox's are.
"""

from __future__ import annotations

from collections.abc import Iterator

from gxschema.fake.business import (
    APPROVAL_SEGMENT,
    APPROVALS_PER_ACCOUNT,
    approval,
)
from gxschema.fake.core import (
    DAY_MS,
    EPOCH_MS,
    HOUR_MS,
    MINUTE_MS,
    SECOND_MS,
    Context,
    Row,
    TableSpec,
    compact_json,
    cuid_at,
    hex_token,
    stamp,
)
from gxschema.fake.pools import ENDPOINTS, SERVICES
from gxschema.fake.wallet import BLOCK_MS, CHAIN_GENESIS_MS

SYSTEM_COMMANDS = (
    ("BOOTSTRAP_SYSTEM", "COMMITTED"),
    ("INITIALIZE_COUNTRY", "COMMITTED"),
    ("PAUSE_SYSTEM", "COMMITTED"),
    ("RESUME_SYSTEM", "COMMITTED"),
    ("CALCULATE_HOARDING_TAX", "PENDING"),
    ("DISTRIBUTE_GENESIS", "LOCKED"),
    ("QUERY_BALANCE", "SUBMITTED"),
    ("PAY_HOARDING_TAX", "FAILED"),
)
LATER_COMMANDS = (0, 1, 2, 1, 3, 1)
"""Commands per user after CREATE_USER, by user index (cycled)."""
USER_COMMANDS = (
    "TRANSFER_TOKENS",
    "TRANSFER_TOKENS",
    "TRANSFER_TOKENS",
    "UPDATE_USER_PROFILE",
    "CREATE_RELATIONSHIP",
    "UPDATE_RELATIONSHIP",
    "QUERY_BALANCE",
    "REQUEST_LOAN",
    "REPAY_LOAN",
    "CALCULATE_TRANSACTION_FEE",
    "SUBMIT_PROPOSAL",
    "VOTE_ON_PROPOSAL",
    "SUSPEND_USER",
)
SERVICE_OF = {
    "CREATE_USER": 0,
    "UPDATE_USER_PROFILE": 0,
    "SUSPEND_USER": 5,
    "CREATE_RELATIONSHIP": 0,
    "UPDATE_RELATIONSHIP": 0,
    "REQUEST_LOAN": 3,
    "REPAY_LOAN": 3,
    "SUBMIT_PROPOSAL": 4,
    "VOTE_ON_PROPOSAL": 4,
    "CREATE_ORGANIZATION": 2,
    "CREATE_BUSINESS_ACCOUNT": 2,
    "APPROVE_TRANSACTION": 2,
    "BOOTSTRAP_SYSTEM": 5,
    "INITIALIZE_COUNTRY": 5,
    "PAUSE_SYSTEM": 5,
    "RESUME_SYSTEM": 5,
}
ERRORS = (
    ("ENDORSEMENT_POLICY_FAILURE", "endorsement policy failure: 1 of 2 peers endorsed"),
    ("MVCC_READ_CONFLICT", "transaction invalidated: MVCC_READ_CONFLICT"),
    ("TIMEOUT", "no commit event within 30s"),
    ("INSUFFICIENT_BALANCE", "chaincode: insufficient balance for transfer"),
)
EVENTS_PER_USER = (2, 3, 2, 4, 3)
LATER_EVENTS = ("TransferCompleted", "TransferCompleted", "RelationshipConfirmed", "KycApproved")
PROJECTORS = ("identity", "wallet", "organization", "loan", "governance")
CHANNEL = "gxchannel"
CHAINCODE = "gxtv3"
DLQ_REASONS = (
    "payload does not match the event schema: missing 'amount'",
    "unknown event name 'LegacyTransfer'",
    "projector timeout after 3 retries",
    "foreign key: wallet not found for account",
)
IDEMPOTENT_REQUESTS = (0, 1, 0, 2, 1)
_USER_SEGMENT, _LATER_SEGMENT, _ORG_SEGMENT, _SYSTEM_SEGMENT = 0, 1, 2, 4
"""Outbox segments; approvals are segment 3 (business.APPROVAL_SEGMENT)."""
HISTORY_START = 560 * DAY_MS


def tables(ctx: Context) -> list[TableSpec]:
    commands = (
        len(SYSTEM_COMMANDS)
        + ctx.users
        + ctx.per_user_total(LATER_COMMANDS)
        + ctx.organizations * (2 + APPROVALS_PER_ACCOUNT)
    )
    command_units = len(SYSTEM_COMMANDS) + ctx.users + ctx.organizations
    return [
        _outbox_command_table(ctx, commands, command_units),
        _event_log_table(ctx),
        _event_dlq_table(ctx),
        _projector_state_table(ctx),
        _http_idempotency_table(ctx),
    ]


def _outbox_command_table(ctx: Context, commands: int, command_units: int) -> TableSpec:
    """Declares the OutboxCommand table."""
    return TableSpec(
        "OutboxCommand",
        (
            "id",
            "tenantId",
            "service",
            "commandType",
            "requestId",
            "payload",
            "status",
            "attempts",
            "lockedBy",
            "lockedAt",
            "submittedAt",
            "fabricTxId",
            "commitBlock",
            "errorCode",
            "error",
            "createdAt",
            "updatedAt",
        ),
        commands,
        lambda: _commands(ctx, 0, command_units),
        lambda start, stop: _commands(ctx, start, stop),
        command_units,
    )


def _event_log_table(ctx: Context) -> TableSpec:
    """Declares the EventLog table."""
    return TableSpec(
        "EventLog",
        (
            "id",
            "tenantId",
            "fabricTxId",
            "blockNumber",
            "channel",
            "chaincode",
            "eventName",
            "eventVersion",
            "payload",
            "txTimestamp",
            "ingestedAt",
        ),
        ctx.per_user_total(EVENTS_PER_USER),
        lambda: _events(ctx, 0, ctx.users),
        lambda start, stop: _events(ctx, start, stop),
        ctx.users,
    )


def _event_dlq_table(ctx: Context) -> TableSpec:
    """Declares the EventDLQ table."""
    return TableSpec(
        "EventDLQ",
        (
            "id",
            "tenantId",
            "reason",
            "rawPayload",
            "fabricTxId",
            "blockNumber",
            "channel",
            "chaincode",
            "createdAt",
        ),
        dead_letters(ctx),
        lambda: _dead_letters(ctx, 0, dead_letters(ctx)),
        lambda start, stop: _dead_letters(ctx, start, stop),
        dead_letters(ctx),
    )


def _projector_state_table(ctx: Context) -> TableSpec:
    """Declares the ProjectorState table."""
    return TableSpec(
        "ProjectorState",
        ("tenantId", "projectorName", "channel", "lastBlock", "lastEventIndex", "updatedAt"),
        len(ctx.tenants) * len(PROJECTORS),
        lambda: _projectors(ctx, 0, len(ctx.tenants)),
        lambda start, stop: _projectors(ctx, start, stop),
        len(ctx.tenants),
    )


def _http_idempotency_table(ctx: Context) -> TableSpec:
    """Declares the HttpIdempotency table."""
    return TableSpec(
        "HttpIdempotency",
        (
            "tenantId",
            "method",
            "path",
            "bodyHash",
            "responseBody",
            "responseHeaders",
            "statusCode",
            "createdAt",
            "ttlExpiresAt",
        ),
        ctx.per_user_total(IDEMPOTENT_REQUESTS),
        lambda: _idempotency(ctx, 0, ctx.users),
        lambda start, stop: _idempotency(ctx, start, stop),
        ctx.users,
    )


def dead_letters(ctx: Context) -> int:
    return 3 + ctx.users // 500


def _block(moment: int) -> int:
    return (moment - CHAIN_GENESIS_MS) // BLOCK_MS


class _Commands:
    """Builds outbox rows; `row` turns a command's facts into its columns."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.key = ctx.key("OutboxCommand")
        self.requests = ctx.ids("OutboxCommand.requestId")
        self.fabric = ctx.key("outbox-fabric")
        self.hash = ctx.hasher("outbox")

    def row(
        self,
        segment: int,
        index: int,
        tenant: str,
        kind: str,
        status: str,
        created: int,
        payload: dict[str, object],
    ) -> Row:
        unique = (segment << 36) + index
        value = self.hash(unique)
        locked = status == "LOCKED"
        submitted = status in ("SUBMITTED", "COMMITTED")
        failed = status == "FAILED"
        attempts = {"PENDING": 0, "LOCKED": 1, "SUBMITTED": 1, "FAILED": 5}.get(
            status, 1 + (value % 20 == 0)
        )
        updated = created + (
            0 if status == "PENDING" else 2 * SECOND_MS + (value >> 8) % (3 * SECOND_MS)
        )
        error_code, error = ERRORS[(value >> 16) % len(ERRORS)] if failed else (None, None)
        service = SERVICES[SERVICE_OF.get(kind, 1)]
        return (
            cuid_at(created, unique, self.key),
            tenant,
            service,
            kind,
            self.requests(segment, index),
            compact_json(payload),
            status,
            attempts,
            f"outbox-submitter-{(value >> 24) % 3}" if locked else None,
            stamp(created + 200) if locked else None,
            stamp(created + SECOND_MS) if submitted else None,
            hex_token(self.fabric, unique) if submitted else None,
            _block(updated) if status == "COMMITTED" else None,
            error_code,
            error,
            stamp(created),
            stamp(updated),
        )


def _user_command_status(value: int) -> str:
    roll = value % 1000
    if roll < 15:
        return "PENDING"
    if roll < 20:
        return "LOCKED"
    if roll < 35:
        return "SUBMITTED"
    if roll < 55:
        return "FAILED"
    return "COMMITTED"


def _commands(ctx: Context, start: int, stop: int) -> Iterator[Row]:
    """Outbox commands of units ``start`` to ``stop - 1``: the system commands one unit
    each, then the users, then the organisations (with their approvals)."""
    build = _Commands(ctx)
    system = len(SYSTEM_COMMANDS)
    for index in range(start, min(stop, system)):
        kind, status = SYSTEM_COMMANDS[index]
        if status == "COMMITTED":
            created = EPOCH_MS - (HISTORY_START - index * DAY_MS)
        else:
            created = EPOCH_MS - (index + 1) * MINUTE_MS
        yield build.row(_SYSTEM_SEGMENT, index, "global", kind, status, created, {"step": index})
    for user in range(max(0, start - system), min(stop - system, ctx.users)):
        profile = ctx.user_id(user)
        tenant = ctx.user_tenant(user)
        created_user = ctx.user_created_ms(user)
        first, last = ctx.user_name(user)
        yield build.row(
            _USER_SEGMENT,
            user,
            tenant,
            "CREATE_USER",
            "COMMITTED",
            created_user + 2 * SECOND_MS,
            {"profileId": profile, "firstName": first, "lastName": last},
        )
        for number in range(ctx.user_count(LATER_COMMANDS, user)):
            index = user * 4 + number
            value = ctx.hash("user-command", index)
            kind = USER_COMMANDS[value % len(USER_COMMANDS)]
            status = _user_command_status(value >> 8)
            if status in ("PENDING", "LOCKED", "SUBMITTED"):
                created = EPOCH_MS - (value >> 20) % (30 * MINUTE_MS) - SECOND_MS
            else:
                created = created_user + (EPOCH_MS - created_user) * ((value >> 20) % 100) // 100
            payload: dict[str, object] = {"profileId": profile}
            if kind == "TRANSFER_TOKENS":
                payload = {
                    "fromAccount": ctx.wallet_account(user),
                    "amount": f"{(value >> 32) % 100_000 / 100:.2f}",
                    "currency": "GXC",
                }
            yield build.row(_LATER_SEGMENT, index, tenant, kind, status, created, payload)
    for org in range(max(0, start - system - ctx.users), stop - system - ctx.users):
        tenant = ctx.org_tenant(org)
        created = ctx.org_created_ms(org)
        payload = {"orgProfileId": ctx.org_id(org), "legalName": ctx.org_name(org)}
        yield build.row(
            _ORG_SEGMENT, org * 2, tenant, "CREATE_ORGANIZATION", "COMMITTED", created, payload
        )
        yield build.row(
            _ORG_SEGMENT,
            org * 2 + 1,
            tenant,
            "CREATE_BUSINESS_ACCOUNT",
            "COMMITTED",
            ctx.wallet_created_ms(ctx.users + org),
            {"orgProfileId": ctx.org_id(org), "walletId": ctx.wallet_id(ctx.users + org)},
        )
        for number in range(APPROVALS_PER_ACCOUNT):
            facts = approval(ctx, org, number)
            status = {"PENDING": "PENDING", "APPROVED": "COMMITTED"}.get(facts.status, "FAILED")
            yield build.row(
                APPROVAL_SEGMENT,
                org * APPROVALS_PER_ACCOUNT + number,
                tenant,
                "APPROVE_TRANSACTION",
                status,
                facts.created_ms - SECOND_MS,
                {
                    "businessAccountId": ctx.business_account_id(org),
                    "requiredApprovals": facts.required,
                },
            )


def _events(ctx: Context, start: int, stop: int) -> Iterator[Row]:
    """The events of users ``start`` to ``stop - 1``."""
    key = ctx.key("EventLog")
    fabric = ctx.key("event-fabric")
    for user in range(start, stop):
        tenant = ctx.user_tenant(user)
        profile = ctx.user_id(user)
        created_user = ctx.user_created_ms(user)
        count = ctx.user_count(EVENTS_PER_USER, user)
        for number in range(count):
            index = user * 4 + number
            value = ctx.hash("event", index)
            if number == 0:
                name, moment = "UserCreated", created_user + 4 * SECOND_MS
                payload: dict[str, object] = {"profileId": profile}
            elif number == 1:
                name, moment = "WalletCreated", ctx.wallet_created_ms(user) + 4 * SECOND_MS
                payload = {"walletId": ctx.wallet_id(user), "account": ctx.wallet_account(user)}
            else:
                name = LATER_EVENTS[value % len(LATER_EVENTS)]
                moment = created_user + (EPOCH_MS - created_user) * number // (count + 1)
                payload = {"profileId": profile, "sequence": number}
            moment = min(moment, EPOCH_MS - SECOND_MS)
            yield (
                cuid_at(moment, index, key),
                tenant,
                hex_token(fabric, index),
                _block(moment),
                CHANNEL,
                CHAINCODE,
                name,
                "1",
                compact_json(payload),
                stamp(moment),
                stamp(moment + 300 + (value >> 8) % (4 * SECOND_MS)),
            )


def _dead_letters(ctx: Context, start: int, stop: int) -> Iterator[Row]:
    """Dead letters ``start`` to ``stop - 1``."""
    key = ctx.key("EventDLQ")
    fabric = ctx.key("dlq-fabric")
    for number in range(start, stop):
        value = ctx.hash("dlq", number)
        moment = EPOCH_MS - value % (90 * DAY_MS)
        reason = DLQ_REASONS[number % len(DLQ_REASONS)]
        from_chain = number % 4 != 1
        yield (
            cuid_at(moment, number, key),
            ctx.tenants[number % len(ctx.tenants)],
            reason,
            compact_json(
                {"eventName": "LegacyTransfer" if number % 4 == 1 else "TransferCompleted"}
            ),
            hex_token(fabric, number) if from_chain else None,
            _block(moment) if from_chain else None,
            CHANNEL if from_chain else None,
            CHAINCODE if from_chain else None,
            stamp(moment),
        )


def _projectors(ctx: Context, start: int, stop: int) -> Iterator[Row]:
    """The checkpoints of tenants ``start`` to ``stop - 1``."""
    head = _block(EPOCH_MS)
    for tenant_number in range(start, stop):
        tenant = ctx.tenants[tenant_number]
        for number, name in enumerate(PROJECTORS):
            lag = (tenant_number * 7 + number * 3) % 12
            yield (
                tenant,
                f"{name}-projector",
                CHANNEL,
                head - lag,
                (tenant_number + number) % 5,
                stamp(EPOCH_MS - lag * BLOCK_MS),
            )


def _idempotency(ctx: Context, start: int, stop: int) -> Iterator[Row]:
    """The stored responses of users ``start`` to ``stop - 1``."""
    key = ctx.key("HttpIdempotency")
    for user in range(start, stop):
        tenant = ctx.user_tenant(user)
        created_user = ctx.user_created_ms(user)
        for number in range(ctx.user_count(IDEMPOTENT_REQUESTS, user)):
            index = user * 2 + number
            value = ctx.hash("idempotency", index)
            created = created_user + (EPOCH_MS - created_user) * ((value >> 8) % 100) // 100
            path = ENDPOINTS[value % 3 + 2 if value % 5 else 0]
            status = (201, 201, 200, 409, 422)[(value >> 16) % 5]
            body: dict[str, object] = (
                {"id": ctx.ids("HttpIdempotency.response")(index), "status": "accepted"}
                if status < 300
                else {"error": "conflict" if status == 409 else "validation failed"}
            )
            headers = {"content-type": "application/json"} if value >> 20 & 1 else None
            yield (
                tenant,
                "POST",
                path,
                hex_token(key, index),
                compact_json(body),
                None if headers is None else compact_json(headers),
                status,
                stamp(created),
                stamp(created + 24 * HOUR_MS),
            )
