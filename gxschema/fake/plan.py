"""Which tables the fake data fills, in which order, with how many rows."""

from __future__ import annotations

from gxschema.fake import (
    audit,
    business,
    cqrs,
    identity,
    kyc,
    licensing,
    notifications,
    platform,
    risk,
    security,
    trust,
    wallet,
)
from gxschema.fake.core import Context, FakeOptions, TableSpec
from gxschema.fake.pools import Pools

FILLED_TABLES: tuple[str, ...] = (
    "UserProfile",
    "OrganizationProfile",
    "UserOrganizationLink",
    "TrustScore",
    "FamilyRelationship",
    "KYCVerification",
    "KYCDocument",
    "Wallet",
    "Transaction",
    "Beneficiary",
    "Contact",
    "Collateral",
    "HoardingTaxSnapshot",
    "TransactionLimit",
    "TransactionRiskScore",
    "UserSession",
    "TrustedDevice",
    "PushToken",
    "Notification",
    "LicensedPartner",
    "Application",
    "License",
    "Credential",
    "PartnerGrant",
    "WebhookEndpoint",
    "WebhookDelivery",
    "ApiRateLimit",
    "HealthCheckMetric",
    "OutboxCommand",
    "EventLog",
    "EventDLQ",
    "ProjectorState",
    "HttpIdempotency",
    "BusinessAccount",
    "BusinessSignatory",
    "SignatoryRule",
    "TransactionApproval",
    "ApprovalVote",
    "AuditLog",
)
"""The tables `gxschema fake` writes, in the order it writes them (parents first).

Not filled, because they are reference data of `gxschema seed` or this package's own
records: Country, LegalTenderStatus, SystemConfig, FeatureFlag, SeedDataset,
SchemaMigrationRun, BackupRecord.
"""


def build_plan(options: FakeOptions, pools: Pools) -> list[TableSpec]:
    """Every table to fill, in `FILLED_TABLES` order, each with its exact row count."""
    ctx = Context(options, pools)
    specs = [
        *identity.tables(ctx),
        *trust.tables(ctx),
        *kyc.tables(ctx),
        *wallet.tables(ctx),
        *risk.tables(ctx),
        *security.tables(ctx),
        *notifications.tables(ctx),
        *licensing.tables(ctx),
        *platform.tables(ctx),
        *cqrs.tables(ctx),
        *business.tables(ctx),
        *audit.tables(ctx),
    ]
    by_name = {spec.table: spec for spec in specs}
    return [by_name[name] for name in FILLED_TABLES]
