"""Business accounts: one per organisation, its signatories, rules, approvals and votes.

Each approval waits on an outbox command (written by cqrs.py from the same facts,
`approval`): a pending approval's command is PENDING, an approved one's COMMITTED,
a rejected or expired one's FAILED.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from gxschema.fake.core import (
    DAY_MS,
    EPOCH_MS,
    HOUR_MS,
    MINUTE_MS,
    NANO,
    SECOND_MS,
    Context,
    Row,
    TableSpec,
    cuid_at,
    money,
    stamp,
)

ROLES = ("OWNER", "DIRECTOR", "AUTHORIZED_SIGNATORY", "ACCOUNTANT")
APPROVERS = 3
"""Slots 0-2 (owner, director, authorised signatory) may approve; the accountant may not."""
APPROVALS_PER_ACCOUNT = 3
RULES_PER_ACCOUNT = 2
APPROVAL_STATUSES = (
    "PENDING",
    "APPROVED",
    "APPROVED",
    "REJECTED",
    "APPROVED",
    "EXPIRED",
    "APPROVED",
    "PENDING",
)
APPROVAL_SEGMENT = 3
"""The outbox segment of approval commands (see cqrs.py)."""
VOTE_REMARKS = ("Within budget", "Supplier verified", "Please attach the invoice", None, None)


@dataclass(frozen=True)
class Approval:
    status: str
    created_ms: int
    required: int
    votes: tuple[tuple[int, bool], ...]
    """(signatory slot, approved) of each vote, in the order they were cast."""


def approval(ctx: Context, org: int, number: int) -> Approval:
    index = org * APPROVALS_PER_ACCOUNT + number
    status = APPROVAL_STATUSES[index % len(APPROVAL_STATUSES)]
    value = ctx.hash("approval", index)
    approvers = min(ctx.org_member_count(org), APPROVERS)
    required = min(2, approvers)
    opened = ctx.org_created_ms(org) + DAY_MS
    if opened > EPOCH_MS - 4 * DAY_MS:
        status = "PENDING"  # an account this young has only open approvals
    if status == "PENDING":
        created = EPOCH_MS - HOUR_MS - value % (40 * HOUR_MS)
    else:
        created = opened + (EPOCH_MS - 4 * DAY_MS - opened) * (number + 1) // 4
    created = max(created, opened)
    votes: tuple[tuple[int, bool], ...]
    if status == "APPROVED":
        votes = tuple((slot, True) for slot in range(required))
    elif status == "REJECTED":
        votes = ((0, False),) if approvers < 2 else ((1, True), (0, False))
    elif status == "PENDING":
        votes = tuple((slot, True) for slot in range(required - 1))
    else:
        votes = ()
    return Approval(status, created, required, votes)


def approval_command_id(ctx: Context, org: int, number: int) -> str:
    """The id of the outbox command the approval waits on (cqrs.py writes it)."""
    index = org * APPROVALS_PER_ACCOUNT + number
    created = approval(ctx, org, number).created_ms - SECOND_MS
    return cuid_at(created, (APPROVAL_SEGMENT << 36) + index, ctx.key("OutboxCommand"))


def tables(ctx: Context) -> list[TableSpec]:
    orgs = ctx.organizations
    members = sum(ctx.org_member_count(org) for org in range(orgs))
    votes = sum(
        len(approval(ctx, org, number).votes)
        for org in range(orgs)
        for number in range(APPROVALS_PER_ACCOUNT)
    )
    return [
        _business_account_table(ctx, orgs),
        _business_signatory_table(ctx, orgs, members),
        _signatory_rule_table(ctx, orgs),
        _transaction_approval_table(ctx, orgs),
        _approval_vote_table(ctx, orgs, votes),
    ]


def _business_account_table(ctx: Context, orgs: int) -> TableSpec:
    """Declares the BusinessAccount table."""
    return TableSpec(
        "BusinessAccount",
        (
            "businessAccountId",
            "tenantId",
            "orgProfileId",
            "walletId",
            "defaultRequiredApprovals",
            "createdAt",
            "updatedAt",
        ),
        orgs,
        lambda: _accounts(ctx, 0, orgs),
        lambda start, stop: _accounts(ctx, start, stop),
        orgs,
    )


def _business_signatory_table(ctx: Context, orgs: int, members: int) -> TableSpec:
    """Declares the BusinessSignatory table."""
    return TableSpec(
        "BusinessSignatory",
        (
            "signatoryId",
            "tenantId",
            "businessAccountId",
            "profileId",
            "role",
            "canInitiateTransactions",
            "canApproveTransactions",
            "maxTransactionLimit",
            "invitedAt",
            "confirmedAt",
            "revokedAt",
        ),
        members,
        lambda: _signatories(ctx, 0, orgs),
        lambda start, stop: _signatories(ctx, start, stop),
        orgs,
    )


def _signatory_rule_table(ctx: Context, orgs: int) -> TableSpec:
    """Declares the SignatoryRule table."""
    return TableSpec(
        "SignatoryRule",
        (
            "ruleId",
            "tenantId",
            "businessAccountId",
            "minAmount",
            "maxAmount",
            "requiredApprovals",
            "transactionType",
            "dailyLimit",
            "isActive",
            "createdAt",
            "updatedAt",
        ),
        orgs * RULES_PER_ACCOUNT,
        lambda: _rules(ctx, 0, orgs),
        lambda start, stop: _rules(ctx, start, stop),
        orgs,
    )


def _transaction_approval_table(ctx: Context, orgs: int) -> TableSpec:
    """Declares the TransactionApproval table."""
    return TableSpec(
        "TransactionApproval",
        (
            "approvalId",
            "tenantId",
            "businessAccountId",
            "outboxCommandId",
            "requiredApprovals",
            "receivedApprovals",
            "status",
            "expiresAt",
            "createdAt",
            "updatedAt",
        ),
        orgs * APPROVALS_PER_ACCOUNT,
        lambda: _approvals(ctx, 0, orgs),
        lambda start, stop: _approvals(ctx, start, stop),
        orgs,
    )


def _approval_vote_table(ctx: Context, orgs: int, votes: int) -> TableSpec:
    """Declares the ApprovalVote table."""
    return TableSpec(
        "ApprovalVote",
        ("voteId", "tenantId", "approvalId", "signatoryId", "approved", "remarks", "votedAt"),
        votes,
        lambda: _votes(ctx, 0, orgs),
        lambda start, stop: _votes(ctx, start, stop),
        orgs,
    )


def _account_created(ctx: Context, org: int) -> int:
    return ctx.wallet_created_ms(ctx.users + org) + MINUTE_MS


def _accounts(ctx: Context, start: int, stop: int) -> Iterator[Row]:
    """The business accounts of organisations ``start`` to ``stop - 1``."""
    for org in range(start, stop):
        created = _account_created(ctx, org)
        yield (
            ctx.business_account_id(org),
            ctx.org_tenant(org),
            ctx.org_id(org),
            ctx.wallet_id(ctx.users + org),
            min(2, min(ctx.org_member_count(org), APPROVERS)),
            stamp(created),
            stamp(created),
        )


def _signatories(ctx: Context, start: int, stop: int) -> Iterator[Row]:
    """The signatories of organisations ``start`` to ``stop - 1``."""
    ids = ctx.ids("BusinessSignatory")
    for org in range(start, stop):
        tenant = ctx.org_tenant(org)
        account = ctx.business_account_id(org)
        opened = _account_created(ctx, org)
        for slot in range(ctx.org_member_count(org)):
            member = ctx.org_member(org, slot)
            invited = max(opened, ctx.user_created_ms(member)) + slot * HOUR_MS
            invited = min(invited, EPOCH_MS - 2 * HOUR_MS)
            role = ROLES[slot]
            revoked = slot == 3 and org % 5 == 0
            yield (
                ids(org, slot),
                tenant,
                account,
                ctx.user_id(member),
                role,
                slot < APPROVERS,
                slot < APPROVERS,
                money(25_000 * NANO) if role == "AUTHORIZED_SIGNATORY" else None,
                stamp(invited),
                stamp(invited + HOUR_MS),
                stamp(invited + 30 * DAY_MS)
                if revoked and invited + 30 * DAY_MS < EPOCH_MS
                else None,
            )


def _rules(ctx: Context, start: int, stop: int) -> Iterator[Row]:
    """The rules of organisations ``start`` to ``stop - 1``."""
    ids = ctx.ids("SignatoryRule")
    for org in range(start, stop):
        tenant = ctx.org_tenant(org)
        account = ctx.business_account_id(org)
        created = _account_created(ctx, org)
        required = min(2, min(ctx.org_member_count(org), APPROVERS))
        yield (
            ids(org, 0),
            tenant,
            account,
            money(0),
            money(1000 * NANO),
            1,
            "SENT",
            money(5000 * NANO),
            True,
            stamp(created),
            stamp(created),
        )
        yield (
            ids(org, 1),
            tenant,
            account,
            money(1000 * NANO),
            None,
            required,
            None,
            None,
            True,
            stamp(created),
            stamp(created),
        )


def _approvals(ctx: Context, start: int, stop: int) -> Iterator[Row]:
    """The approvals of organisations ``start`` to ``stop - 1``."""
    ids = ctx.ids("TransactionApproval")
    for org in range(start, stop):
        tenant = ctx.org_tenant(org)
        account = ctx.business_account_id(org)
        for number in range(APPROVALS_PER_ACCOUNT):
            facts = approval(ctx, org, number)
            received = sum(1 for _slot, approved in facts.votes if approved)
            last_vote = facts.created_ms + len(facts.votes) * HOUR_MS
            yield (
                ids(org, number),
                tenant,
                account,
                approval_command_id(ctx, org, number),
                facts.required,
                received,
                facts.status,
                stamp(facts.created_ms + 72 * HOUR_MS),
                stamp(facts.created_ms),
                stamp(facts.created_ms + 72 * HOUR_MS if facts.status == "EXPIRED" else last_vote),
            )


def _votes(ctx: Context, start: int, stop: int) -> Iterator[Row]:
    """The votes on approvals of organisations ``start`` to ``stop - 1``."""
    ids = ctx.ids("ApprovalVote")
    signatories = ctx.ids("BusinessSignatory")
    approvals = ctx.ids("TransactionApproval")
    for org in range(start, stop):
        tenant = ctx.org_tenant(org)
        for number in range(APPROVALS_PER_ACCOUNT):
            facts = approval(ctx, org, number)
            for order, (slot, approved) in enumerate(facts.votes):
                value = ctx.hash("vote", (org * APPROVALS_PER_ACCOUNT + number) * 4 + slot)
                yield (
                    ids(org, number, slot),
                    tenant,
                    approvals(org, number),
                    signatories(org, slot),
                    approved,
                    VOTE_REMARKS[value % len(VOTE_REMARKS)]
                    if approved
                    else "Amount above the agreed budget",
                    stamp(facts.created_ms + (order + 1) * HOUR_MS - value % (30 * MINUTE_MS)),
                )
