"""The 46 tables of the GX Protocol schema, one module per domain.

Import models from here: ``from gxschema.models import UserProfile, Wallet``.
``metadata`` (also ``Base.metadata``) holds every table; the migrations and
``gxschema verify`` compare the database against it.
"""

from gxschema.models import enums
from gxschema.models.audit import AuditLog
from gxschema.models.base import NAMING_CONVENTION, Base, metadata
from gxschema.models.business import (
    ApprovalVote,
    BusinessAccount,
    BusinessSignatory,
    SignatoryRule,
    TransactionApproval,
)
from gxschema.models.cqrs import EventDLQ, EventLog, HttpIdempotency, OutboxCommand, ProjectorState
from gxschema.models.enums import *  # noqa: F403  (the enum classes, re-exported)
from gxschema.models.identity import OrganizationProfile, UserOrganizationLink, UserProfile
from gxschema.models.kyc import KYCDocument, KYCVerification
from gxschema.models.licensing import (
    Application,
    Credential,
    License,
    LicensedPartner,
    PartnerGrant,
)
from gxschema.models.notifications import Notification, PushToken
from gxschema.models.operations import BackupRecord, SchemaMigrationRun, SeedDataset
from gxschema.models.platform import (
    ApiRateLimit,
    FeatureFlag,
    HealthCheckMetric,
    SystemConfig,
    WebhookDelivery,
    WebhookEndpoint,
)
from gxschema.models.reference import Country, LegalTenderStatus
from gxschema.models.risk import TransactionLimit, TransactionRiskScore
from gxschema.models.security import TrustedDevice, UserSession
from gxschema.models.trust import FamilyRelationship, TrustScore
from gxschema.models.wallet import (
    Beneficiary,
    Collateral,
    Contact,
    HoardingTaxSnapshot,
    Transaction,
    Wallet,
)

DOMAINS: dict[str, tuple[str, ...]] = {
    "reference": (
        "Country",
        "LegalTenderStatus",
    ),
    "identity": (
        "UserProfile",
        "OrganizationProfile",
        "UserOrganizationLink",
    ),
    "trust": (
        "FamilyRelationship",
        "TrustScore",
    ),
    "kyc": (
        "KYCVerification",
        "KYCDocument",
    ),
    "wallet": (
        "Wallet",
        "Transaction",
        "Beneficiary",
        "Contact",
        "Collateral",
        "HoardingTaxSnapshot",
    ),
    "business": (
        "BusinessAccount",
        "BusinessSignatory",
        "SignatoryRule",
        "TransactionApproval",
        "ApprovalVote",
    ),
    "risk": (
        "TransactionLimit",
        "TransactionRiskScore",
    ),
    "security": (
        "UserSession",
        "TrustedDevice",
    ),
    "notifications": (
        "Notification",
        "PushToken",
    ),
    "audit": ("AuditLog",),
    "licensing": (
        "LicensedPartner",
        "Application",
        "License",
        "Credential",
        "PartnerGrant",
    ),
    "cqrs": (
        "OutboxCommand",
        "ProjectorState",
        "HttpIdempotency",
        "EventLog",
        "EventDLQ",
    ),
    "platform": (
        "ApiRateLimit",
        "WebhookEndpoint",
        "WebhookDelivery",
        "FeatureFlag",
        "SystemConfig",
        "HealthCheckMetric",
    ),
    "operations": (
        "SchemaMigrationRun",
        "SeedDataset",
        "BackupRecord",
    ),
}
"""Table names by domain module, in the order the docs present them."""

__all__ = [
    "NAMING_CONVENTION",
    "Base",
    "metadata",
    "enums",
    "Country",
    "LegalTenderStatus",
    "UserProfile",
    "OrganizationProfile",
    "UserOrganizationLink",
    "FamilyRelationship",
    "TrustScore",
    "KYCVerification",
    "KYCDocument",
    "Wallet",
    "Transaction",
    "Beneficiary",
    "Contact",
    "Collateral",
    "HoardingTaxSnapshot",
    "BusinessAccount",
    "BusinessSignatory",
    "SignatoryRule",
    "TransactionApproval",
    "ApprovalVote",
    "TransactionLimit",
    "TransactionRiskScore",
    "UserSession",
    "TrustedDevice",
    "Notification",
    "PushToken",
    "AuditLog",
    "LicensedPartner",
    "Application",
    "License",
    "Credential",
    "PartnerGrant",
    "OutboxCommand",
    "ProjectorState",
    "HttpIdempotency",
    "EventLog",
    "EventDLQ",
    "ApiRateLimit",
    "WebhookEndpoint",
    "WebhookDelivery",
    "FeatureFlag",
    "SystemConfig",
    "HealthCheckMetric",
    "SchemaMigrationRun",
    "SeedDataset",
    "BackupRecord",
    *(enum_class.__name__ for enum_class in enums.ALL_ENUMS),
]
