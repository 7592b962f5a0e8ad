"""Wallets and their transactions, payees, contacts, collateral and hoarding-tax snapshots.

Every user has one wallet and every organisation a business wallet. A wallet's
history is simulated in order from a random source of its own: a genesis MINT (for
a business wallet, a deposit from its owner), then transfers with other wallets of
the tenant, hoarding tax, loans and repayments, never spending more than the
balance. Transfers are whole Qirat (10^-5 coin); the 0.5% fee on transfers from 100
coins and the 1% tax use the column's 9 decimals exactly. The wallet's
``cachedBalance`` is the sum of its history: the Wallet rows replay the history they
cannot see yet (it is written after them), rather than keeping it.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import date

from gxschema.fake.core import (
    DAY_MS,
    EPOCH,
    EPOCH_MS,
    HOUR_MS,
    MINUTE_MS,
    NANO,
    QIRAT,
    Context,
    Row,
    TableSpec,
    hex_token,
    money,
    stamp,
)
from gxschema.fake.pools import CONTACT_NOTES, REMARKS

GENESIS_POOL = "SYSTEM_GENESIS_POOL"
TAX_POOL = "SYSTEM_TAX_POOL"
LOAN_POOL = "SYSTEM_LOAN_POOL"
TIERS = (100 * NANO, 500 * NANO, 1000 * NANO)
"""genesisTier1Amount .. genesisTier3Amount of the system_config seed, in nano-coins."""
FEE_THRESHOLD = 100 * NANO
FEE_DIVISOR = 200
"""transactionFeeBps = 50: the fee is 1/200 of the amount."""
_LOG_MAX = math.log(500)
CHAIN_GENESIS_MS = EPOCH_MS - 600 * DAY_MS
BLOCK_MS = 2000

BENEFICIARIES = (0, 1, 2, 3, 1, 0, 2)
CONTACTS = (1, 2, 3, 4, 0, 2, 3, 1)
NICKNAMES = ("Mum", "Dad", "Landlord", "Shop", "Sis", "Bro", "Boss", "Auntie")


def tables(ctx: Context) -> list[TableSpec]:
    tx_count = ctx.wallets * ctx.tx_per_wallet
    return [
        _wallet_table(ctx),
        _transaction_table(ctx, tx_count),
        _beneficiary_table(ctx),
        _contact_table(ctx),
        _collateral_table(ctx),
        _hoarding_tax_snapshot_table(ctx),
    ]


def _wallet_table(ctx: Context) -> TableSpec:
    """Declares the Wallet table."""
    return TableSpec(
        "Wallet",
        (
            "walletId",
            "tenantId",
            "profileId",
            "primaryAccountId",
            "walletName",
            "cachedBalance",
            "deletedAt",
            "createdAt",
            "updatedAt",
        ),
        ctx.wallets,
        lambda: _wallets(ctx, 0, ctx.wallets),
        lambda start, stop: _wallets(ctx, start, stop),
        ctx.wallets,
    )


def _transaction_table(ctx: Context, tx_count: int) -> TableSpec:
    """Declares the Transaction table."""
    return TableSpec(
        "Transaction",
        (
            "offTxId",
            "tenantId",
            "onChainTxId",
            "walletId",
            "type",
            "counterparty",
            "amount",
            "fee",
            "remark",
            "timestamp",
            "blockNumber",
        ),
        tx_count,
        lambda: _transactions(ctx, 0, ctx.wallets),
        lambda start, stop: _transactions(ctx, start, stop),
        ctx.wallets,
    )


def _beneficiary_table(ctx: Context) -> TableSpec:
    """Declares the Beneficiary table."""
    return TableSpec(
        "Beneficiary",
        (
            "beneficiaryId",
            "tenantId",
            "ownerProfileId",
            "beneficiaryIdentityId",
            "nickname",
            "createdAt",
        ),
        ctx.per_user_total(BENEFICIARIES, others=True),
        lambda: _beneficiaries(ctx, 0, ctx.users),
        lambda start, stop: _beneficiaries(ctx, start, stop),
        ctx.users,
    )


def _contact_table(ctx: Context) -> TableSpec:
    """Declares the Contact table."""
    return TableSpec(
        "Contact",
        (
            "contactId",
            "tenantId",
            "ownerProfileId",
            "contactProfileId",
            "displayName",
            "phoneNumber",
            "email",
            "notes",
            "isFavorite",
            "transactionCount",
            "lastTransactionAt",
            "status",
            "createdAt",
            "updatedAt",
        ),
        ctx.per_user_total(CONTACTS, others=True),
        lambda: _contacts(ctx, 0, ctx.users),
        lambda start, stop: _contacts(ctx, start, stop),
        ctx.users,
    )


def _collateral_table(ctx: Context) -> TableSpec:
    """Declares the Collateral table."""
    return TableSpec(
        "Collateral",
        (
            "collateralId",
            "onChainLoanId",
            "documentReference",
            "documentHash",
            "documentSize",
            "documentMime",
            "status",
            "createdAt",
        ),
        collateral_count(ctx),
        lambda: _collateral(ctx, 0, collateral_count(ctx)),
        lambda start, stop: _collateral(ctx, start, stop),
        collateral_count(ctx),
    )


def _hoarding_tax_snapshot_table(ctx: Context) -> TableSpec:
    """Declares the HoardingTaxSnapshot table."""
    return TableSpec(
        "HoardingTaxSnapshot",
        (
            "snapshotId",
            "tenantId",
            "walletId",
            "snapshotDate",
            "balance",
            "daysHeld",
            "taxableAmount",
            "taxRate",
            "taxOwed",
            "taxPaid",
            "paidAt",
            "fabricTxId",
            "createdAt",
        ),
        ctx.per_user_total(ctx.SNAPSHOTS),
        lambda: _snapshots(ctx, 0, ctx.users),
        lambda start, stop: _snapshots(ctx, start, stop),
        ctx.users,
    )


def collateral_count(ctx: Context) -> int:
    return ctx.users // 25 + 1


# One step of a wallet's history: (type, amount, fee, counterparty wallet or None,
# timestamp ms, balance after it), amounts in nano-coins.
Step = tuple[str, int, int, int | None, int, int]


def history(ctx: Context, wallet: int) -> Iterator[Step]:
    """The wallet's transactions, in time order; the same every time (own random source)."""
    count = ctx.tx_per_wallet
    if not count:
        return
    rng = ctx.random("transactions", wallet)
    rand = rng.random
    created = ctx.wallet_created_ms(wallet)
    span = EPOCH_MS - created
    owner = ctx.wallet_owner(wallet)
    business = wallet >= ctx.users
    scale = 10 if business else 1
    balance = loan = 0
    exp = math.exp
    for number in range(count):
        moment = created + (span * number + int(span * rand())) // count
        fee = 0
        counterparty: int | None = None
        if number == 0:
            if business:
                kind, amount, counterparty = "RECEIVED", (1000 + int(rand() * 19_000)) * NANO, owner
            else:
                kind, amount = "MINT", TIERS[int(rand() * 3)]
            balance += amount
            yield kind, amount, fee, counterparty, moment, balance
            continue
        roll = rand()
        amount = int(exp(rand() * _LOG_MAX) * 100_000) * scale * QIRAT
        if roll < 0.44:
            kind = "SENT"
            amount = min(amount, balance // 2 // QIRAT * QIRAT)
            if amount >= QIRAT:
                fee = amount // FEE_DIVISOR if amount >= FEE_THRESHOLD else 0
                balance -= amount + fee
            else:
                kind = "RECEIVED"
        elif roll < 0.89:
            kind = "RECEIVED"
        elif roll < 0.92 and balance >= 100 * QIRAT:
            kind, amount = "TAX", balance // 100
            balance -= amount
        elif roll < 0.95 and loan == 0:
            kind, amount = "LOAN_DISBURSEMENT", (50 + int(rand() * 1950)) * NANO
            loan = amount
            balance += amount
        elif loan and balance >= 2 * QIRAT:
            kind = "LOAN_REPAYMENT"
            amount = max(QIRAT, min(loan, balance // 2, max(loan // 4, 10 * NANO)) // QIRAT * QIRAT)
            amount = min(amount, loan)
            loan -= amount
            balance -= amount
        else:
            kind = "RECEIVED"
        if kind == "RECEIVED":
            balance += amount
        if kind in ("SENT", "RECEIVED"):
            other = ctx.random_other_user(owner, rng)
            counterparty = other if other is not None and other != owner else None
        yield kind, amount, fee, counterparty, moment, balance


def _wallets(ctx: Context, start: int, stop: int) -> Iterator[Row]:
    """Wallets ``start`` to ``stop - 1``."""
    ids = ctx.ids("Wallet")
    for wallet in range(start, stop):
        created = ctx.wallet_created_ms(wallet)
        if wallet < ctx.users:
            name = "Main wallet"
        else:
            name = f"{ctx.org_name(wallet - ctx.users)} operating account"
        last, balance = created, 0
        for step in history(ctx, wallet):
            last, balance = step[4], step[5]
        yield (
            ids.of(wallet),
            ctx.wallet_tenant(wallet),
            ctx.user_id(ctx.wallet_owner(wallet)),
            ctx.wallet_account(wallet),
            name,
            money(balance),
            None,
            stamp(created),
            stamp(last),
        )


def _remark(kind: str, value: int, moment: int) -> str | None:
    if kind == "MINT":
        return "Genesis distribution"
    if kind == "TAX":
        month = stamp(moment)[:7]  # YYYY-MM
        return f"Hoarding tax, cycle {month}"
    if kind == "LOAN_DISBURSEMENT":
        return "Loan disbursement"
    if kind == "LOAN_REPAYMENT":
        return "Loan repayment"
    if value % 10 < 4:
        return None
    return REMARKS[(value >> 8) % len(REMARKS)]


def _transactions(ctx: Context, start: int, stop: int) -> Iterator[Row]:
    """The transactions of wallets ``start`` to ``stop - 1``."""
    ids = ctx.ids("Transaction")
    tx_hash = ctx.hasher("tx")
    chain_key = ctx.key("onchain-tx")
    system = {"MINT": GENESIS_POOL, "TAX": TAX_POOL}
    per_wallet = ctx.tx_per_wallet
    account = ctx.wallet_account
    for wallet in range(start, stop):
        tenant = ctx.wallet_tenant(wallet)
        wallet_id = ctx.wallet_id(wallet)
        base = wallet * per_wallet
        for number, (kind, amount, fee, other, moment, _balance) in enumerate(history(ctx, wallet)):
            index = base + number
            value = tx_hash(index)
            if other is not None:
                counterparty = account(other)
            else:
                counterparty = system.get(
                    kind, LOAN_POOL if kind.startswith("LOAN") else GENESIS_POOL
                )
            pending = number == per_wallet - 1 and value % 50 == 0 and moment > EPOCH_MS - DAY_MS
            yield (
                ids.of(index),
                tenant,
                None if pending else hex_token(chain_key, index),
                wallet_id,
                kind,
                counterparty,
                money(amount),
                money(fee),
                _remark(kind, value, moment),
                stamp(moment),
                None if pending else (moment - CHAIN_GENESIS_MS) // BLOCK_MS,
            )


def _beneficiaries(ctx: Context, start: int, stop: int) -> Iterator[Row]:
    """The payees of users ``start`` to ``stop - 1``."""
    ids = ctx.ids("Beneficiary")
    for user in range(start, stop):
        tenant = ctx.user_tenant(user)
        owner = ctx.user_id(user)
        created = ctx.user_created_ms(user)
        for slot in range(ctx.user_count(BENEFICIARIES, user, others=True)):
            other = ctx.other_user(user, slot, "beneficiary")
            value = ctx.hash("beneficiary", user * 4 + slot)
            since = max(created, ctx.user_created_ms(other))
            nickname = (
                NICKNAMES[(value >> 8) % len(NICKNAMES)]
                if value % 5 == 0
                else ctx.user_name(other)[0]
            )
            yield (
                ids.of(user * 4 + slot),
                tenant,
                owner,
                ctx.user_id(other),
                nickname,
                stamp(since + (EPOCH_MS - since) * ((value >> 16) % 100) // 100),
            )


def _contacts(ctx: Context, start: int, stop: int) -> Iterator[Row]:
    """The contacts of users ``start`` to ``stop - 1``."""
    ids = ctx.ids("Contact")
    phone_key = ctx.key("external-phone")
    for user in range(start, stop):
        tenant = ctx.user_tenant(user)
        owner = ctx.user_id(user)
        created = ctx.user_created_ms(user)
        for slot in range(ctx.user_count(CONTACTS, user, others=True)):
            index = user * 4 + slot
            other = ctx.other_user(user, slot, "contact")
            value = ctx.hash("contact", index)
            linked = value % 100 < 85
            first, last = ctx.user_name(other)
            if linked:
                phone = ctx.user_phone(other)
                email = ctx.user_email(other)
            else:
                # someone not on the platform yet: a name and a number, no profile
                country = ctx.user_country(user)
                names = ctx.pools.names[country]
                first = names.first[(value >> 8) % len(names.first)]
                last = names.last[(value >> 20) % len(names.last)]
                phone = ctx.pools.phone(country, index % 9_999_991, phone_key)
                email = None
            since = max(created, ctx.user_created_ms(other))
            added = since + (EPOCH_MS - since) * ((value >> 32) % 60) // 100
            transactions = (value >> 40) % 25 if linked else 0
            last_at = added + (EPOCH_MS - added) * ((value >> 48) % 100) // 100
            status_roll = (value >> 56) % 20
            status = "BLOCKED" if status_roll == 0 else "ARCHIVED" if status_roll == 1 else "ACTIVE"
            yield (
                ids.of(index),
                tenant,
                owner,
                ctx.user_id(other) if linked else None,
                f"{first} {last}",
                phone,
                email,
                CONTACT_NOTES[(value >> 12) % len(CONTACT_NOTES)] if value % 7 == 0 else None,
                value % 6 == 0,
                transactions,
                stamp(last_at) if transactions else None,
                status,
                stamp(added),
                stamp(last_at if transactions else added),
            )


def _collateral(ctx: Context, start: int, stop: int) -> Iterator[Row]:
    """Collateral documents ``start`` to ``stop - 1``."""
    ids = ctx.ids("Collateral")
    loan_key = ctx.key("loan")
    document_key = ctx.key("collateral-document")
    for number in range(start, stop):
        value = ctx.hash("collateral", number)
        collateral_id = ids.of(number)
        kind = ("title-deed", "logbook", "invoice", "equipment-valuation")[value % 4]
        yield (
            collateral_id,
            "LOAN-" + hex_token(loan_key, number, 20).upper(),
            f"s3://gx-collateral/{kind}/{collateral_id}.pdf",
            hex_token(document_key, number),
            80_000 + (value >> 8) % 4_000_000,
            "application/pdf",
            "RELEASED" if (value >> 40) % 10 < 3 else "PLEDGED",
            stamp(EPOCH_MS - DAY_MS - (value >> 16) % (360 * DAY_MS)),
        )


def _month_start(months_before: int) -> date:
    """The first day of the month `months_before` months before EPOCH's month."""
    start = EPOCH.date()
    month_index = start.year * 12 + start.month - 1 - months_before
    return date(month_index // 12, month_index % 12 + 1, 1)


def _snapshots(ctx: Context, start: int, stop: int) -> Iterator[Row]:
    """The snapshots of the wallets of users ``start`` to ``stop - 1``."""
    ids = ctx.ids("HoardingTaxSnapshot")
    fabric_key = ctx.key("tax-payment")
    minimum = 100 * NANO
    for user in range(start, stop):
        count = ctx.snapshot_count(user)
        if not count:
            continue
        tenant = ctx.user_tenant(user)
        wallet_id = ctx.wallet_id(user)
        created = ctx.wallet_created_ms(user)
        steps = [(step[4], step[5]) for step in history(ctx, user)]
        for number in range(count):
            index = user * 4 + number
            day = _month_start(count - number)
            day_ms = (day - date(1970, 1, 1)).days * DAY_MS
            balance = 0
            for moment, after in steps:
                if moment >= day_ms:
                    break
                balance = after
            days_held = max(0, min(360, (day_ms - created) // DAY_MS))
            taxable = max(0, balance - minimum)
            owed = taxable * days_held // 3600
            paid = owed > 0 and number < count - 1
            value = ctx.hash("snapshot", index)
            yield (
                ids.of(index),
                tenant,
                wallet_id,
                day,
                money(balance),
                days_held,
                money(taxable),
                "0.1000",
                money(owed),
                paid,
                stamp(day_ms + 3 * DAY_MS + value % DAY_MS) if paid else None,
                hex_token(fabric_key, index) if paid else None,
                stamp(day_ms + HOUR_MS + (value >> 20) % (30 * MINUTE_MS)),
            )
