"""The shared machinery of the fake-data generators: options, table specs, ids, randomness.

Every value is a pure function of the seed and of the position of its row, never of
the order in which tables are written or of the batch size: the same `--seed` gives
the same rows, to the byte, in any database. Nothing is kept per row between tables.
What a child row needs of its parent (its id, tenant, creation time, account number)
is derived again from the parent's index:

- ids are uuid5 of ``<table>/<index parts>`` in a namespace derived from the seed
  (`IdMaker`), the ids Prisma's ``uuid()`` columns would hold; ``cuid()`` columns get
  CUID-shaped ids derived the same way (`cuid_at`);
- small random choices come from `mix64`, a bijective 64-bit hash of an index;
  bijective, so a value built from it (a token, an account number) is unique;
- sequences of choices (a wallet's history) come from a `random.Random` seeded with
  the index, so generating a wallet again gives the same history.

Timestamps are whole milliseconds before `EPOCH` (the columns keep milliseconds, so
they read back exactly), never "now", written as text (`stamp`).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from itertools import pairwise
from math import gcd
from random import Random
from typing import Any

from gxschema.fake.pools import Pools

Row = tuple[Any, ...]
"""One row, its values in the order of its `TableSpec.columns`."""

EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
"""The moment the fake history ends; every timestamp lies before it (or shortly after,
for expiry dates), so the data does not depend on the day it is made."""
_UNIX = datetime(1970, 1, 1, tzinfo=UTC)
EPOCH_MS = (EPOCH - _UNIX) // timedelta(milliseconds=1)
SECOND_MS = 1000
MINUTE_MS = 60 * SECOND_MS
HOUR_MS = 60 * MINUTE_MS
DAY_MS = 24 * HOUR_MS
HISTORY_DAYS = 540
"""Users join over the 18 months before `EPOCH`."""

MAX_USERS = 10_000_000
"""Phone numbers and other unique values are built for at most this many users."""

NANO = 1_000_000_000
"""Amounts are integers of 10^-9 coin internally: the 9 decimals of ``numeric(36,9)``."""
QIRAT = 10_000
"""1 Qirat = 10^-5 coin = 10,000 nano-coins; transfers are whole Qirat."""

FAKE_NAMESPACE = uuid.UUID("2f0c8e54-93a1-4c1e-b7d4-5e8a0b6f3d27")
"""The uuid5 namespace of fake data; the seed's own namespace is derived from it."""

GLOBAL_TENANT = "global"

_MASK = (1 << 64) - 1
RECENT = 1 << 15
"""How many users' (and wallets') derived facts a Context remembers (a few MB)."""


@dataclass(frozen=True)
class FakeOptions:
    """What `gxschema fake` was asked for."""

    users: int
    transactions_per_user: int = 10
    tenants: int = 1
    seed: int = 1
    batch: int = 5000

    def problems(self) -> list[str]:
        """What is wrong with these options, one sentence each (empty when they are valid)."""
        found = []
        if not 1 <= self.users <= MAX_USERS:
            found.append(f"--users must be between 1 and {MAX_USERS:,} (got {self.users})")
        if not 0 <= self.transactions_per_user <= 10_000:
            found.append(
                "--transactions-per-user must be between 0 and 10,000 "
                f"(got {self.transactions_per_user})"
            )
        if not 1 <= self.tenants <= 1000:
            found.append(f"--tenants must be between 1 and 1,000 (got {self.tenants})")
        elif self.tenants > self.users:
            found.append(
                f"--tenants ({self.tenants}) cannot exceed --users ({self.users}): "
                "every tenant needs at least one user"
            )
        if not 0 <= self.seed < 2**63:
            found.append(f"--seed must be a non-negative 63-bit integer (got {self.seed})")
        if not 1 <= self.batch <= 1_000_000:
            found.append(f"--batch must be between 1 and 1,000,000 (got {self.batch})")
        return found


@dataclass(frozen=True)
class TableSpec:
    """One table to fill: its columns, how many rows, and a fresh iterator over them.

    A table whose rows come from a loop over independent units (users, wallets,
    organisations: nothing carried from one unit to the next) also has `shard`, the
    rows of units ``[start, stop)`` alone, and `units`, how many units there are:
    ``shard(0, units)`` yields exactly ``rows()``, and so does any split of that range
    into consecutive pieces, concatenated. Worker processes generate such pieces side
    by side (see `writer`). Without `shard` the table is generated in one piece.
    """

    table: str
    columns: tuple[str, ...]
    count: int
    rows: Callable[[], Iterator[Row]]
    shard: Callable[[int, int], Iterator[Row]] | None = None
    units: int = 1

    def pieces(self, rows_per_piece: int) -> list[tuple[int, int]]:
        """Consecutive unit ranges covering the table, each about `rows_per_piece` rows."""
        if self.shard is None or self.units <= 1:
            return [(0, 1)]
        count = max(1, min(self.units, round(self.count / max(1, rows_per_piece))))
        bounds = [self.units * number // count for number in range(count + 1)]
        return list(pairwise(bounds))

    def piece(self, start: int, stop: int) -> Iterator[Row]:
        """The rows of one piece from `pieces` (all rows for a table without `shard`)."""
        if self.shard is None:
            return self.rows()
        return self.shard(start, stop)


def mix64(value: int) -> int:
    """SplitMix64's finalizer: a bijection of 64-bit integers that looks random."""
    value = (value + 0x9E3779B97F4A7C15) & _MASK
    value = ((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    value = ((value ^ (value >> 27)) * 0x94D049BB133111EB) & _MASK
    return value ^ (value >> 31)


def key_of(*parts: object) -> int:
    """A 64-bit key derived from `parts` (a seed and a purpose)."""
    digest = hashlib.sha256("/".join(str(part) for part in parts).encode()).digest()
    return int.from_bytes(digest[:8], "big")


_VARIANT = {digit: "89ab"[int(digit, 16) & 3] for digit in "0123456789abcdef"}


class IdMaker:
    """``uuid5(namespace, "<table>/<parts joined by />")`` as text, about 3x faster than `uuid`.

    Equal to ``str(uuid.uuid5(namespace, f"{table}/{'/'.join(parts)}"))``; a test checks it.
    """

    __slots__ = ("_prefix",)

    def __init__(self, namespace: uuid.UUID, table: str) -> None:
        self._prefix = hashlib.sha1(namespace.bytes + table.encode() + b"/", usedforsecurity=False)

    def __call__(self, *parts: object) -> str:
        digest = self._prefix.copy()
        digest.update("/".join([str(part) for part in parts]).encode())
        return _format(digest.hexdigest())

    def of(self, index: int) -> str:
        """The id of the row with one integer part (the common case, faster)."""
        digest = self._prefix.copy()
        digest.update(b"%d" % index)
        return _format(digest.hexdigest())


def _format(hexdigest: str) -> str:
    x = hexdigest
    return f"{x[:8]}-{x[8:12]}-5{x[13:16]}-{_VARIANT[x[16]]}{x[17:20]}-{x[20:32]}"


_BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"
_CUID_SPACE = 36**8


_PAIRS = tuple(a + b for a in _BASE36 for b in _BASE36)


def base36(number: int, width: int) -> str:
    """`number` in base 36, left-padded with zeros to `width` (or its rightmost digits)."""
    digits = []
    while number:
        number, rest = divmod(number, 1296)
        digits.append(_PAIRS[rest])
    return "".join(reversed(digits)).rjust(width, "0")[-width:]


def cuid_at(moment_ms: int, unique: int, key: int) -> str:
    """A CUID-shaped id (what Prisma's ``cuid()`` writes) for a row made at `moment_ms`.

    `unique` must differ between rows of a table: it is spread bijectively over the
    last 8 characters, so two rows never share an id.
    """
    spread = (unique * 0x5DEECE66D + key) % _CUID_SPACE  # odd, not a multiple of 3: bijective
    return (
        "c"
        + base36(moment_ms, 8)
        + base36(mix64((key + unique) & _MASK) & 0xFFFFF, 4)
        + "fk"
        + _PAIRS[key % 1296]
        + base36(spread, 8)
    )


def hex_token(key: int, index: int, length: int = 64) -> str:
    """A hex string unique for each `index` (its first 16 digits are a bijection of it)."""
    head = f"{mix64((key + index) & _MASK):016x}"
    if length <= 16:
        return head[:length]
    tail = hashlib.sha256(b"%d/%d" % (key, index)).hexdigest()
    return (head + tail)[:length]


def at(moment_ms: int) -> datetime:
    """The aware UTC datetime of a millisecond timestamp, exactly.

    ``fromtimestamp`` of the float is exact here: between 1970 and 2100 a float's error
    is under 0.3 microseconds and the result is rounded to the microsecond (a test
    checks it); it is twice as fast as adding a timedelta.
    """
    return datetime.fromtimestamp(moment_ms / 1000, UTC)


_HOURS_MINUTES = tuple(f" {hour:02d}:{minute:02d}:" for hour in range(24) for minute in range(60))
_SECONDS = tuple(f"{second:02d}." for second in range(60))
_MILLIS = tuple(f"{milli:03d}+00" for milli in range(1000))
_DAYS: dict[int, str] = {}


def stamp(moment_ms: int) -> str:
    """A millisecond timestamp as the text PostgreSQL reads: ``2025-09-22 02:21:26.891+00``.

    What the generators put in timestamp columns: a quarter of the cost of making a
    datetime and having psycopg format it, which was a tenth of all the work of a run.
    The ``+00`` makes it UTC in a ``timestamptz`` column too, whatever the session's
    time zone (a ``timestamp`` column ignores it). A test checks it against `at`.
    """
    day, rest = divmod(moment_ms, DAY_MS)
    date_text = _DAYS.get(day)
    if date_text is None:
        date_text = _DAYS[day] = at(day * DAY_MS).strftime("%Y-%m-%d")
    minute, rest = divmod(rest, MINUTE_MS)
    second, milli = divmod(rest, SECOND_MS)
    return date_text + _HOURS_MINUTES[minute] + _SECONDS[second] + _MILLIS[milli]


compact_json: Callable[[object], str] = json.JSONEncoder(separators=(",", ":")).encode
"""JSON text without spaces, from one shared encoder (``json.dumps`` with separators
builds a new encoder per call, which cost more than the encoding)."""


def money(nano: int) -> str:
    """An amount in nano-coins as the 9-decimal text ``numeric(36,9)`` stores."""
    if nano < 0:
        return "-" + money(-nano)
    whole, fraction = divmod(nano, NANO)
    return f"{whole}.{fraction:09d}"


def cycle_total(values: Sequence[int], start: int, step: int, count: int, cap: int) -> int:
    """Sum of ``min(values[(start + step*n) % len(values)], cap)`` for n in range(count).

    The per-entity counts of the generators follow short cycles of the entity index,
    so totals (for the progress bars and the checks) are exact without a pass over rows.
    """
    period = len(values) // gcd(step, len(values))
    cycle = [min(values[(start + step * n) % len(values)], cap) for n in range(period)]
    full, rest = divmod(count, period)
    return full * sum(cycle) + sum(cycle[:rest])


class Context:
    """Everything the generators share: options, tenants, ids and the derived facts.

    The facts about a user, wallet or organisation that other tables need are
    methods here (pure functions of the index), so no table keeps another's rows.
    """

    def __init__(self, options: FakeOptions, pools: Pools) -> None:
        self.options = options
        self.users = options.users
        self.tx_per_wallet = options.transactions_per_user
        self.tenant_count = options.tenants
        self.seed = options.seed
        self.pools = pools
        self.namespace = uuid.uuid5(FAKE_NAMESPACE, f"seed/{options.seed}")
        self.tenants: tuple[str, ...] = (
            GLOBAL_TENANT,
            *(f"tenant-{number:03d}" for number in range(1, options.tenants)),
        )
        self.organizations = max(1, self.users // 40)
        self.partners = max(2, self.users // 2000)
        self.wallets = self.users + self.organizations
        self._ids: dict[str, IdMaker] = {}
        self._keys: dict[str, int] = {}
        self._hashers: dict[str, Callable[[int], int]] = {}
        # facts many tables ask for again and again (a user's id is wanted some twenty
        # times over the tables), remembered for the most recent users and wallets
        self.user_id = lru_cache(maxsize=RECENT)(self.user_id)  # type: ignore[method-assign]
        self.user_created_ms = lru_cache(maxsize=RECENT)(self.user_created_ms)  # type: ignore[method-assign]
        self.wallet_account = lru_cache(maxsize=RECENT)(self.wallet_account)  # type: ignore[method-assign]

    # -- ids, keys and random sources -------------------------------------------------

    def ids(self, table: str) -> IdMaker:
        maker = self._ids.get(table)
        if maker is None:
            maker = self._ids[table] = IdMaker(self.namespace, table)
        return maker

    def key(self, purpose: str) -> int:
        found = self._keys.get(purpose)
        if found is None:
            found = self._keys[purpose] = key_of("gxschema-fake", self.seed, purpose)
        return found

    def hash(self, purpose: str, index: int) -> int:
        """A random-looking 64-bit value for `index`, fixed by the seed and `purpose`."""
        found = self._hashers.get(purpose)
        if found is None:
            found = self._hashers[purpose] = self.hasher(purpose)
        return found(index)

    def hasher(self, purpose: str) -> Callable[[int], int]:
        """``hash`` with `purpose` bound: ``mix64(key + index)``, inlined for hot loops."""
        start = (self.key(purpose) + 0x9E3779B97F4A7C15) & _MASK

        def value(index: int) -> int:
            x = (index + start) & _MASK
            x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
            x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK
            return x ^ (x >> 31)

        return value

    def random(self, purpose: str, index: int) -> Random:
        """A random source for `index` alone: the same sequence every time it is asked for."""
        return Random(self.key(purpose) ^ index)

    # -- tenants and users --------------------------------------------------------------

    def tenant_size(self, tenant: int) -> int:
        """How many users tenant number `tenant` has (users are dealt round-robin)."""
        return (self.users - tenant + self.tenant_count - 1) // self.tenant_count

    def user_tenant(self, user: int) -> str:
        return self.tenants[user % self.tenant_count]

    def per_user_total(self, values: Sequence[int], *, others: bool = False) -> int:
        """Total over all users of the count ``values[user % len(values)]``.

        With `others`, each count is capped at the number of other users in the user's
        tenant (tenant size - 1): for rows that each point at a different other user.
        """
        total = 0
        for tenant in range(self.tenant_count):
            size = self.tenant_size(tenant)
            cap = size - 1 if others else max(values, default=0)
            total += cycle_total(values, tenant, self.tenant_count, size, cap)
        return total

    def user_count(self, values: Sequence[int], user: int, *, others: bool = False) -> int:
        count = values[user % len(values)]
        if others:
            count = min(count, self.tenant_size(user % self.tenant_count) - 1)
        return count

    def other_user(self, user: int, slot: int, purpose: str) -> int:
        """Another user of `user`'s tenant, different for each `slot` < tenant size - 1."""
        tenant = user % self.tenant_count
        size = self.tenant_size(tenant)
        local = user // self.tenant_count
        offset = 1 + (self.hash(purpose, user) % (size - 1) + slot) % (size - 1)
        return tenant + self.tenant_count * ((local + offset) % size)

    def random_other_user(self, user: int, rng: Random) -> int | None:
        """A random other user of the same tenant, or None when the user is alone in it."""
        tenant = user % self.tenant_count
        size = self.tenant_size(tenant)
        if size < 2:
            return None
        local = user // self.tenant_count
        return tenant + self.tenant_count * ((local + 1 + rng.randrange(size - 1)) % size)

    def user_id(self, user: int) -> str:
        return self.ids("UserProfile").of(user)

    def user_country(self, user: int) -> str:
        return self.pools.country_for(self.hash("user", user) % 1000)

    def user_name(self, user: int) -> tuple[str, str]:
        value = self.hash("user", user)
        names = self.pools.names[self.user_country(user)]
        return names.first[(value >> 12) % len(names.first)], names.last[
            (value >> 24) % len(names.last)
        ]

    def user_email(self, user: int) -> str | None:
        value = self.hash("user", user)
        if (value >> 52) % 100 < 3:  # phone-only users
            return None
        first, last = self.user_name(user)
        domain = self.pools.email_domains[(value >> 44) % len(self.pools.email_domains)]
        return f"{self.pools.slug(first)}.{self.pools.slug(last)}{user + 1}@{domain}"

    def user_phone(self, user: int) -> str:
        return self.pools.phone(self.user_country(user), user, self.key("phone"))

    def user_status(self, user: int) -> str:
        roll = (self.hash("user", user) >> 36) % 100
        if roll < 80:
            return "VERIFIED"
        if roll < 90:
            return "PENDING_VERIFICATION"
        if roll < 93:
            return "REJECTED"
        if roll < 97:
            return "SUSPENDED"
        return "CLOSED"

    def user_created_ms(self, user: int) -> int:
        """When the user registered: up to 18 months before EPOCH, more of them lately.

        Users with hoarding-tax snapshots are at least five months old (see wallet.py).
        """
        value = self.hash("user-created", user)
        fraction = (value >> 11) / 2**53
        youngest = 5 * 31 * DAY_MS if self.snapshot_count(user) else 2 * DAY_MS
        span = HISTORY_DAYS * DAY_MS - youngest
        age = youngest + int(span * (1 - fraction**0.5))
        return EPOCH_MS - age - (value % 1000)

    # -- wallets -----------------------------------------------------------------------

    SNAPSHOTS = (0, 0, 1, 2, 3, 0, 1)

    def snapshot_count(self, user: int) -> int:
        return self.SNAPSHOTS[user % len(self.SNAPSHOTS)]

    def wallet_id(self, wallet: int) -> str:
        return self.ids("Wallet").of(wallet)

    def wallet_account(self, wallet: int) -> str:
        """The wallet's on-chain account (``primaryAccountId``): unique by construction."""
        return "gx1" + hex_token(self.key("account"), wallet, 38)

    def wallet_owner(self, wallet: int) -> int:
        """The user who owns `wallet` (a business wallet belongs to its organisation's owner)."""
        if wallet < self.users:
            return wallet
        return self.org_member(wallet - self.users, 0)

    def wallet_tenant(self, wallet: int) -> str:
        if wallet < self.users:
            return self.user_tenant(wallet)
        return self.org_tenant(wallet - self.users)

    def wallet_created_ms(self, wallet: int) -> int:
        if wallet < self.users:
            created = self.user_created_ms(wallet)
            return created + min(
                (EPOCH_MS - created) // 3, DAY_MS + self.hash("kyc", wallet) % DAY_MS
            )
        return self.org_created_ms(wallet - self.users) + 2 * HOUR_MS

    def transaction_id(self, wallet: int, number: int) -> str:
        return self.ids("Transaction").of(wallet * max(1, self.tx_per_wallet) + number)

    def transaction_slot_end_ms(self, wallet: int, number: int) -> int:
        """A moment after the wallet's transaction `number` and before the next one."""
        created = self.wallet_created_ms(wallet)
        span = EPOCH_MS - created
        return created + span * (number + 1) // max(1, self.tx_per_wallet)

    # -- organisations -------------------------------------------------------------------

    def org_tenant(self, org: int) -> str:
        return self.tenants[org % self.tenant_count]

    def org_member_count(self, org: int) -> int:
        return min(2 + org % 3, self.tenant_size(org % self.tenant_count))

    def org_member(self, org: int, slot: int) -> int:
        """The `slot`-th member of an organisation (slot 0 is its owner); distinct per slot."""
        tenant = org % self.tenant_count
        size = self.tenant_size(tenant)
        start = self.hash("org-members", org) % size
        return tenant + self.tenant_count * ((start + slot) % size)

    def org_id(self, org: int) -> str:
        return self.ids("OrganizationProfile").of(org)

    def org_created_ms(self, org: int) -> int:
        owner_created = self.user_created_ms(self.org_member(org, 0))
        return owner_created + (EPOCH_MS - owner_created) // 4

    def org_name(self, org: int) -> str:
        companies = self.pools.companies
        name = companies[org % len(companies)]
        return name if org < len(companies) else f"{name} {org // len(companies) + 1}"

    def business_account_id(self, org: int) -> str:
        return self.ids("BusinessAccount").of(org)

    # -- partners ------------------------------------------------------------------------

    def partner_tenant(self, partner: int) -> str:
        return self.tenants[partner % self.tenant_count]

    def partner_name(self, partner: int) -> str:
        """A company name no devnet demo partner has (they never end in these words)."""
        companies = self.pools.companies
        base = companies[(partner * 7 + 3) % len(companies)]
        kind = ("Payments", "Fintech", "Digital Finance", "Money")[partner % 4]
        lap = partner // len(companies)
        return f"{base} {kind}" + (f" {lap + 1}" if lap else "")

    def partner_created_ms(self, partner: int) -> int:
        return (
            EPOCH_MS - (HISTORY_DAYS - 10) * DAY_MS + self.hash("partner", partner) % (200 * DAY_MS)
        )

    def client_id(self, partner: int, app: int, credential: int) -> str:
        index = (partner * 2 + app) * 2 + credential
        prefix = "gxlive_" if credential == 0 else "gxtest_"
        return prefix + hex_token(self.key("client"), index, 24)
