"""Devnet demo data, generated with Faker from the fixed seed in ``seeds/devnet/demo.yaml``.

Same spec, same Faker version: same rows, to the byte, on every run and in every
database. Ids are uuid5 of fixed names (`stable_id`), so a rerun finds every row
already there. Timestamps are whole seconds before the spec's `epoch` (the columns
keep milliseconds, so they read back exactly), never "now".

No secret is stored: API client secrets and user passwords are generated, hashed
(sha256 for the high-entropy client secret, PBKDF2-SHA256 with a derived salt for
passwords) and thrown away.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import ROUND_DOWN, Decimal
from pathlib import Path
from random import Random
from typing import TYPE_CHECKING, Any

from gxschema.models.enums import (
    CredentialStatus,
    KycStatus,
    LegalTenderStatusEnum,
    LicenseStatus,
    OffChainTxType,
    PartnerStatus,
    UserProfileStatus,
)
from gxschema.seeding.dataset import Dataset, TableRows, stable_id
from gxschema.seeding.files import read_yaml
from gxschema.seeding.schemas import DemoSpec, validate

if TYPE_CHECKING:
    from faker import Faker

QIRAT = Decimal("0.00001")
"""The smallest amount: 1 coin = 100,000 Qirat."""
GENESIS_AMOUNT = Decimal("100")
"""What each demo wallet is minted first: genesisTier1Amount (10,000,000 Qirat)."""
FEE_THRESHOLD = Decimal("100")
"""transactionFeeThreshold in coins: smaller transfers pay no fee."""
FEE_BPS = 50
"""transactionFeeBps."""
GENESIS_POOL = "SYSTEM_GENESIS_POOL"
PASSWORD_ITERATIONS = 100_000
KYC_MIME_TYPES = ("image/jpeg", "image/png", "application/pdf")
PRIMARY_KEYS = {
    "LegalTenderStatus": "statusId",
    "LicensedPartner": "partnerId",
    "Application": "appId",
    "License": "licenseId",
    "Credential": "credentialId",
    "UserProfile": "profileId",
    "KYCVerification": "kycId",
    "Wallet": "walletId",
    "Transaction": "offTxId",
}
"""The demo tables in the order they are written (each refers only to earlier ones)."""


def load_demo(
    path: Path, label: str, errors: list[str], country_codes: frozenset[str] | None
) -> Dataset | None:
    """Validate demo.yaml (its countries against `country_codes`) and generate the rows."""
    before = len(errors)
    parsed, document = read_yaml(path, label, errors)
    if not parsed:
        return None
    if document is None:
        errors.append(f"{label}: the file is empty")
        return None
    spec = validate(DemoSpec, document, label, errors)
    if spec is None:
        return None
    seen: dict[tuple[str, str], int] = {}
    for index, entry in enumerate(spec.legal_tender):
        where = f"{label}: legalTender[{index}]"
        first = seen.setdefault((entry.country, entry.status), index)
        if first != index:
            errors.append(f"{where}: duplicate of legalTender[{first}]")
        if country_codes is not None and entry.country not in country_codes:
            errors.append(f'{where}.country: "{entry.country}" is not in the countries dataset')
    try:
        from faker import Faker
    except ImportError:
        errors.append(f"{label}: the demo data needs Faker: pip install 'gxschema[demo]'")
        return None
    try:
        Faker(spec.locale)
    except AttributeError:
        errors.append(f'{label}: locale: Faker has no locale "{spec.locale}"')
    if len(errors) > before:
        return None
    return generate(spec, label)


def password_hash(password: str, salt: str, iterations: int = PASSWORD_ITERATIONS) -> str:
    """``pbkdf2_sha256$<iterations>$<salt>$<hex digest>`` of `password`."""
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), iterations)
    return f"pbkdf2_sha256${iterations}${salt}${digest.hex()}"


def secret_hash(secret: str) -> str:
    """``sha256$<hex digest>`` of a high-entropy client secret."""
    return f"sha256${hashlib.sha256(secret.encode()).hexdigest()}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower()) or "user"


@dataclass
class _Demo:
    """The generator's state: Faker, its random source, and the rows made so far."""

    spec: DemoSpec
    fake: Faker
    random: Random
    epoch: datetime
    rows: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {table: [] for table in PRIMARY_KEYS}
    )
    used: set[str] = field(default_factory=set)

    def id(self, table: str, *parts: object) -> str:
        return stable_id("demo", self.spec.tenant_id, table, *parts)

    def before_epoch(self, low_days: int, high_days: int) -> datetime:
        return self.epoch - timedelta(seconds=self.random.randint(low_days, high_days) * 86_400)

    def unique(self, make: Any) -> str:
        """A value from `make()` not produced before in this dataset."""
        for _ in range(1000):
            value = str(make())
            if value not in self.used:
                self.used.add(value)
                return value
        raise RuntimeError("the demo generator cannot find a unique value")  # pragma: no cover

    def add(self, table: str, row: dict[str, Any]) -> dict[str, Any]:
        self.rows[table].append(row)
        return row


def generate(spec: DemoSpec, source: str) -> Dataset:
    """The demo dataset `spec` describes (needs Faker)."""
    from faker import Faker

    fake = Faker(spec.locale)
    fake.seed_instance(spec.faker_seed)
    epoch = spec.epoch.astimezone(UTC).replace(microsecond=0)
    demo = _Demo(spec, fake, fake.random, epoch)
    countries = [entry.country for entry in spec.legal_tender]
    _legal_tender(demo)
    for number in range(spec.partners):
        _partner(demo, number, countries)
    accounts = [_user(demo, number, countries) for number in range(spec.users)]
    for number, wallet in enumerate(demo.rows["Wallet"]):
        others = [account for account in accounts if account != wallet["primaryAccountId"]]
        _transactions(demo, number, wallet, others or [GENESIS_POOL])
    tables = tuple(
        TableRows(table, (key,), tuple(demo.rows[table])) for table, key in PRIMARY_KEYS.items()
    )
    return Dataset("demo", source, spec.version, tables, demo=True)


def _legal_tender(demo: _Demo) -> None:
    for entry in demo.spec.legal_tender:
        effective = demo.before_epoch(30, 330).replace(hour=0, minute=0, second=0)
        demo.add(
            "LegalTenderStatus",
            {
                "statusId": demo.id("LegalTenderStatus", entry.country, entry.status),
                "countryCode": entry.country,
                "status": LegalTenderStatusEnum(entry.status),
                "effectiveDate": effective,
                "createdAt": effective,
            },
        )


def _partner(demo: _Demo, number: int, countries: list[str]) -> None:
    fake, tenant = demo.fake, demo.spec.tenant_id
    company = demo.unique(fake.company)
    created = demo.before_epoch(300, 360)
    partner = demo.add(
        "LicensedPartner",
        {
            "partnerId": demo.id("LicensedPartner", number),
            "tenantId": tenant,
            "companyName": company,
            "jurisdictionCountryCode": demo.random.choice(countries),
            "status": PartnerStatus.ACTIVE,
            "createdAt": created,
        },
    )
    application = demo.add(
        "Application",
        {
            "appId": demo.id("Application", number),
            "tenantId": tenant,
            "partnerId": partner["partnerId"],
            "appName": f"{company} Wallet",
            "createdAt": created + timedelta(days=1),
        },
    )
    license_row = demo.add(
        "License",
        {
            "licenseId": demo.id("License", number),
            "tenantId": tenant,
            "appId": application["appId"],
            "licenseType": "SANDBOX",
            "status": LicenseStatus.ACTIVE,
            "expiryDate": demo.epoch + timedelta(days=365),
            "createdAt": created + timedelta(days=2),
        },
    )
    client_secret = fake.password(length=48, special_chars=False)
    demo.add(
        "Credential",
        {
            "credentialId": demo.id("Credential", number),
            "tenantId": tenant,
            "licenseId": license_row["licenseId"],
            "clientId": demo.unique(lambda: "gxdemo_" + fake.hexify("^" * 24)),
            "clientSecretHash": secret_hash(client_secret),
            "status": CredentialStatus.ACTIVE,
            "createdAt": created + timedelta(days=2),
        },
    )


def _user(demo: _Demo, number: int, countries: list[str]) -> str:
    """Make a verified user with KYC and a wallet; return the wallet's account id."""
    fake, tenant, random = demo.fake, demo.spec.tenant_id, demo.random
    first, last = fake.first_name(), fake.last_name()
    profile_id = demo.id("UserProfile", number)
    created = demo.before_epoch(200, 300)
    demo.add(
        "UserProfile",
        {
            "profileId": profile_id,
            "tenantId": tenant,
            "firstName": first,
            "lastName": last,
            "email": f"{_slug(first)}.{_slug(last)}.{number + 1}@example.com",
            "phoneNum": demo.unique(lambda: f"+1555{random.randint(0, 9_999_999):07d}"),
            "identityNum": fake.bothify("??#######", letters="ABCDEFGHJKLMNPRSTUVWXYZ"),
            "biometricHash": hashlib.sha256(f"{profile_id}/{fake.uuid4()}".encode()).hexdigest(),
            "passwordHash": password_hash(fake.password(length=20), fake.hexify("^" * 32)),
            "nationalityCountryCode": random.choice(countries),
            "status": UserProfileStatus.VERIFIED,
            "deletedAt": None,
            "createdAt": created,
        },
    )
    verified = created + timedelta(days=random.randint(1, 5))
    demo.add(
        "KYCVerification",
        {
            "kycId": demo.id("KYCVerification", number),
            "profileId": profile_id,
            "status": KycStatus.APPROVED,
            "verifiedAt": verified,
            "verifierDetails": "devnet demo data (gxschema seed)",
            "evidenceHash": fake.sha256(),
            "evidenceSize": random.randint(100_000, 5_000_000),
            "evidenceMime": random.choice(KYC_MIME_TYPES),
            "createdAt": created,
        },
    )
    account = demo.unique(lambda: "gx1" + fake.hexify("^" * 38))
    demo.add(
        "Wallet",
        {
            "walletId": demo.id("Wallet", number),
            "tenantId": tenant,
            "profileId": profile_id,
            "primaryAccountId": account,
            "walletName": "Main wallet",
            "cachedBalance": Decimal(0),
            "deletedAt": None,
            "createdAt": verified,
        },
    )
    return account


def _transactions(demo: _Demo, number: int, wallet: dict[str, Any], others: list[str]) -> None:
    """A genesis MINT, then transfers; sets the wallet's cachedBalance to their sum."""
    fake, random = demo.fake, demo.random
    count = demo.spec.transactions_per_wallet
    moment: datetime = wallet["createdAt"]
    step = max(1, int((demo.epoch - moment).total_seconds()) // (count + 1))
    balance = Decimal(0)
    for index in range(count):
        moment += timedelta(seconds=random.randint(step // 2, step))
        amount = Decimal(random.randint(100_000, 15_000_000)) * QIRAT
        fee = Decimal(0)
        if index == 0:
            kind, amount, counterparty = OffChainTxType.MINT, GENESIS_AMOUNT, GENESIS_POOL
            remark = "Genesis distribution (tier 1)"
        else:
            kind = random.choice([OffChainTxType.SENT, OffChainTxType.RECEIVED])
            counterparty = random.choice(others)
            remark = fake.sentence(nb_words=4)
        if kind == OffChainTxType.SENT:
            amount = min(amount, (balance / 2).quantize(QIRAT, ROUND_DOWN))
            if amount >= FEE_THRESHOLD:
                fee = (amount * FEE_BPS / 10_000).quantize(QIRAT, ROUND_DOWN)
            balance -= amount + fee
        else:
            balance += amount
        demo.add(
            "Transaction",
            {
                "offTxId": demo.id("Transaction", number, index),
                "tenantId": demo.spec.tenant_id,
                "onChainTxId": demo.unique(fake.sha256),
                "walletId": wallet["walletId"],
                "type": kind,
                "counterparty": counterparty,
                "amount": amount,
                "fee": fee,
                "remark": remark,
                "timestamp": moment,
                "blockNumber": int(moment.timestamp()) // 2,
            },
        )
    wallet["cachedBalance"] = balance
