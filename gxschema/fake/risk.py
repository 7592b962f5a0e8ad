"""Risk and limits: each user's send limits, and risk scores of one transaction in ten."""

from __future__ import annotations

from collections.abc import Iterator

from gxschema.fake.core import (
    DAY_MS,
    EPOCH_MS,
    HOUR_MS,
    NANO,
    Context,
    Row,
    TableSpec,
    compact_json,
    money,
    stamp,
)

LIMITS = (2, 2, 3, 2, 2, 3)
"""Limits per user: daily and monthly send for all, a third (single/velocity) for some."""
SCORED_EVERY = 10
"""One transaction in SCORED_EVERY has a risk score."""
SCORED_REMAINDER = 3
REVIEWERS = tuple(f"risk-analyst-{number:02d}" for number in range(1, 7))
REVIEW_NOTES = (
    "Known counterparty, regular pattern",
    "Customer confirmed by phone",
    "Escalated to compliance",
    "False positive: salary payment",
)


def tables(ctx: Context) -> list[TableSpec]:
    transactions = ctx.wallets * ctx.tx_per_wallet
    scored = (transactions + SCORED_EVERY - 1 - SCORED_REMAINDER) // SCORED_EVERY
    return [
        TableSpec(
            "TransactionLimit",
            (
                "limitId",
                "tenantId",
                "profileId",
                "walletId",
                "limitType",
                "limitAmount",
                "maxCount",
                "timeWindowMinutes",
                "isActive",
                "createdAt",
                "updatedAt",
            ),
            ctx.per_user_total(LIMITS),
            lambda: _limits(ctx, 0, ctx.users),
            lambda start, stop: _limits(ctx, start, stop),
            ctx.users,
        ),
        TableSpec(
            "TransactionRiskScore",
            (
                "riskId",
                "tenantId",
                "offTxId",
                "riskScore",
                "riskFactors",
                "requiresReview",
                "reviewedAt",
                "reviewedBy",
                "reviewNotes",
                "calculatedAt",
            ),
            scored,
            lambda: _risk_scores(ctx, 0, scored),
            lambda start, stop: _risk_scores(ctx, start, stop),
            scored,
        ),
    ]


def _limits(ctx: Context, start: int, stop: int) -> Iterator[Row]:
    """The limits of users ``start`` to ``stop - 1``."""
    ids = ctx.ids("TransactionLimit")
    for user in range(start, stop):
        tenant = ctx.user_tenant(user)
        profile = ctx.user_id(user)
        verified = ctx.user_status(user) == "VERIFIED"
        created = ctx.wallet_created_ms(user)
        daily = (5000 if verified else 500) * NANO
        for slot in range(ctx.user_count(LIMITS, user)):
            index = user * 3 + slot
            wallet = None
            count = window = None
            if slot == 0:
                kind, amount, window = "DAILY_SEND", daily, 1440
            elif slot == 1:
                kind, amount, window = "MONTHLY_SEND", daily * 20, 43200
            elif user % 4:
                kind, amount, wallet = "SINGLE_TRANSACTION", daily // 2, ctx.wallet_id(user)
            else:
                kind, amount, count, window = "VELOCITY_CHECK", daily, 20, 60
            yield (
                ids.of(index),
                tenant,
                profile,
                wallet,
                kind,
                money(amount),
                count,
                window,
                ctx.user_status(user) not in ("SUSPENDED", "CLOSED"),
                stamp(created),
                stamp(created),
            )


def _risk_scores(ctx: Context, start: int, stop: int) -> Iterator[Row]:
    """Risk scores ``start`` to ``stop - 1`` (score n is of transaction number
    ``n * SCORED_EVERY + SCORED_REMAINDER``)."""
    ids = ctx.ids("TransactionRiskScore")
    per_wallet = ctx.tx_per_wallet
    total = ctx.wallets * per_wallet
    first = SCORED_REMAINDER + start * SCORED_EVERY
    for index in range(first, min(total, SCORED_REMAINDER + stop * SCORED_EVERY), SCORED_EVERY):
        wallet, number = divmod(index, per_wallet)
        value = ctx.hash("risk", index)
        score = int((value % 1000) ** 2 / 10_000)  # most scores low, a few high
        review = score >= 70
        calculated = ctx.transaction_slot_end_ms(wallet, number)
        reviewed = review and value >> 40 & 1 == 1 and calculated < EPOCH_MS - DAY_MS
        factors = {
            "model": "gx-risk-2025.11",
            "velocity": round((value >> 10) % 100 / 100, 2),
            "amountZScore": round(((value >> 20) % 600 - 100) / 100, 2),
            "newCounterparty": (value >> 30) % 3 == 0,
            "nightTime": (value >> 32) % 5 == 0,
        }
        yield (
            ids.of(index),
            ctx.wallet_tenant(wallet),
            ctx.transaction_id(wallet, number),
            score,
            compact_json(factors),
            review,
            stamp(calculated + 4 * HOUR_MS) if reviewed else None,
            REVIEWERS[(value >> 44) % len(REVIEWERS)] if reviewed else None,
            REVIEW_NOTES[(value >> 48) % len(REVIEW_NOTES)] if reviewed else None,
            stamp(calculated),
        )
