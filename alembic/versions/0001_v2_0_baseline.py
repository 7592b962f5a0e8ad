"""v2.0 baseline: the 37 tables and 22 enums that Prisma created in production.

Revision ID: 0001
Revises:
Create Date: 2026-11-28

This is what `prisma migrate` built from the v2.0 schema
(tests/fixtures/prisma_v2_0_init.sql), object for object and name for name: enums,
tables with their primary keys, then unique indexes and indexes, then foreign keys.
A database that Prisma made is already at this revision: `gxschema adopt` records
it without running it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIMESTAMP3 = postgresql.TIMESTAMP(timezone=True, precision=3)
"""Prisma's DateTime: timestamp(3) with time zone."""


def existing_enum(name: str) -> postgresql.ENUM:
    """A column type naming an enum this revision creates with CREATE TYPE itself."""
    return postgresql.ENUM(name=name, create_type=False)


ENUMS: dict[str, list[str]] = {
    "OutboxStatus": ["PENDING", "LOCKED", "SUBMITTED", "COMMITTED", "FAILED"],
    "CommandType": ["CREATE_USER", "TRANSFER_TOKENS"],
    "UserProfileStatus": ["PENDING_VERIFICATION", "VERIFIED", "REJECTED", "SUSPENDED", "CLOSED"],
    "KycStatus": ["PENDING", "APPROVED", "REJECTED", "EXPIRED"],
    "OrgProfileStatus": ["PENDING_VERIFICATION", "VERIFIED", "REJECTED", "SUSPENDED"],
    "PartnerStatus": ["PENDING", "ACTIVE", "REVOKED"],
    "LicenseStatus": ["ACTIVE", "EXPIRED", "REVOKED"],
    "CredentialStatus": ["ACTIVE", "REVOKED"],
    "LegalTenderStatusEnum": ["RECOGNIZED", "SANDBOX", "ACTIVE_LEGAL_TENDER"],
    "OffChainTxType": ["MINT", "SENT", "RECEIVED", "TAX", "LOAN_DISBURSEMENT", "LOAN_REPAYMENT"],
    "CollateralStatus": ["PLEDGED", "RELEASED"],
    "RelationType": [
        "FATHER",
        "MOTHER",
        "SPOUSE",
        "CHILD",
        "SIBLING",
        "BUSINESS_PARTNER",
        "DIRECTOR",
        "WORKPLACE_ASSOCIATE",
        "FRIEND",
    ],
    "RelationshipStatus": [
        "PENDING",
        "CONFIRMED",
        "REJECTED",
        "DECEASED",
        "DIVORCED",
        "NOT_APPLICABLE",
    ],
    "SignatoryRole": ["OWNER", "DIRECTOR", "AUTHORIZED_SIGNATORY", "ACCOUNTANT", "VIEWER"],
    "ApprovalStatus": ["PENDING", "APPROVED", "REJECTED", "EXPIRED"],
    "AuditEventType": [
        "USER_LOGIN",
        "USER_LOGOUT",
        "USER_REGISTERED",
        "PROFILE_UPDATED",
        "PASSWORD_CHANGED",
        "KYC_SUBMITTED",
        "KYC_APPROVED",
        "KYC_REJECTED",
        "TRANSACTION_INITIATED",
        "TRANSACTION_APPROVED",
        "TRANSACTION_REJECTED",
        "TRANSACTION_COMPLETED",
        "TRANSACTION_FAILED",
        "WALLET_CREATED",
        "BENEFICIARY_ADDED",
        "BENEFICIARY_REMOVED",
        "RELATIONSHIP_INVITED",
        "RELATIONSHIP_CONFIRMED",
        "RELATIONSHIP_REJECTED",
        "BUSINESS_SIGNATORY_ADDED",
        "BUSINESS_SIGNATORY_REVOKED",
        "ADMIN_ACCOUNT_FROZEN",
        "ADMIN_ACCOUNT_UNFROZEN",
        "ADMIN_ACCOUNT_CLOSED",
        "SESSION_CREATED",
        "SESSION_REVOKED",
        "DEVICE_TRUSTED",
        "DEVICE_UNTRUSTED",
    ],
    "SessionStatus": ["ACTIVE", "EXPIRED", "REVOKED", "LOGGED_OUT"],
    "NotificationType": [
        "RELATIONSHIP_INVITATION",
        "RELATIONSHIP_CONFIRMED",
        "RELATIONSHIP_REJECTED",
        "BUSINESS_SIGNATORY_INVITATION",
        "TRANSACTION_APPROVAL_REQUEST",
        "TRANSACTION_APPROVED",
        "TRANSACTION_REJECTED",
        "TRANSACTION_COMPLETED",
        "KYC_STATUS_UPDATE",
        "WALLET_CREDITED",
        "WALLET_DEBITED",
        "SYSTEM_ANNOUNCEMENT",
        "SECURITY_ALERT",
    ],
    "NotificationStatus": ["UNREAD", "READ", "ARCHIVED", "ACTIONED"],
    "DocumentType": [
        "NATIONAL_ID",
        "PASSPORT",
        "DRIVERS_LICENSE",
        "PROOF_OF_ADDRESS",
        "DEATH_CERTIFICATE",
        "DIVORCE_CERTIFICATE",
        "BUSINESS_REGISTRATION",
        "TAX_REGISTRATION",
        "BANK_STATEMENT",
        "UTILITY_BILL",
        "SELFIE_PHOTO",
        "OTHER",
    ],
    "LimitType": [
        "DAILY_SEND",
        "DAILY_RECEIVE",
        "MONTHLY_SEND",
        "MONTHLY_RECEIVE",
        "SINGLE_TRANSACTION",
        "VELOCITY_CHECK",
    ],
    "ContactStatus": ["ACTIVE", "BLOCKED", "ARCHIVED"],
}
"""The enum types of v2.0, labels in sort order (CommandType had 2 values then)."""

TABLES_IN_DROP_ORDER = [
    "EventDLQ",
    "EventLog",
    "HttpIdempotency",
    "ProjectorState",
    "Collateral",
    "PartnerGrant",
    "Credential",
    "License",
    "Application",
    "LicensedPartner",
    "UserOrganizationLink",
    "AuditLog",
    "PushToken",
    "Notification",
    "TrustedDevice",
    "UserSession",
    "HoardingTaxSnapshot",
    "TransactionRiskScore",
    "TransactionLimit",
    "KYCDocument",
    "ApprovalVote",
    "TransactionApproval",
    "OutboxCommand",
    "SignatoryRule",
    "BusinessSignatory",
    "BusinessAccount",
    "Contact",
    "Beneficiary",
    "Transaction",
    "Wallet",
    "TrustScore",
    "FamilyRelationship",
    "OrganizationProfile",
    "KYCVerification",
    "UserProfile",
    "LegalTenderStatus",
    "Country",
]
"""Children before parents, so each drop finds no foreign key pointing at it."""


def upgrade() -> None:
    for name, labels in ENUMS.items():
        labels_sql = ", ".join(f"'{label}'" for label in labels)
        op.execute(f'CREATE TYPE "{name}" AS ENUM ({labels_sql})')

    op.create_table(
        "Country",
        sa.Column("countryCode", sa.CHAR(2), nullable=False),
        sa.Column("countryName", sa.Text(), nullable=False),
        sa.Column("region", sa.Text()),
        sa.PrimaryKeyConstraint("countryCode", name="Country_pkey"),
    )

    op.create_table(
        "LegalTenderStatus",
        sa.Column("statusId", sa.Text(), nullable=False),
        sa.Column("countryCode", sa.CHAR(2), nullable=False),
        sa.Column("status", existing_enum("LegalTenderStatusEnum"), nullable=False),
        sa.Column("effectiveDate", TIMESTAMP3, nullable=False),
        sa.Column(
            "createdAt", TIMESTAMP3, nullable=False, server_default=sa.text("CURRENT_TIMESTAMP")
        ),
        sa.PrimaryKeyConstraint("statusId", name="LegalTenderStatus_pkey"),
    )

    op.create_table(
        "UserProfile",
        sa.Column("profileId", sa.Text(), nullable=False),
        sa.Column("tenantId", sa.Text(), nullable=False),
        sa.Column("firstName", sa.Text(), nullable=False),
        sa.Column("lastName", sa.Text(), nullable=False),
        sa.Column("email", sa.Text()),
        sa.Column("phoneNum", sa.Text()),
        sa.Column("identityNum", sa.Text()),
        sa.Column("biometricHash", sa.Text(), nullable=False),
        sa.Column("passwordHash", sa.Text(), nullable=False),
        sa.Column("nationalityCountryCode", sa.CHAR(2)),
        sa.Column(
            "status",
            existing_enum("UserProfileStatus"),
            nullable=False,
            server_default=sa.text("'PENDING_VERIFICATION'::\"UserProfileStatus\""),
        ),
        sa.Column("deletedAt", TIMESTAMP3),
        sa.Column(
            "createdAt", TIMESTAMP3, nullable=False, server_default=sa.text("CURRENT_TIMESTAMP")
        ),
        sa.Column("updatedAt", TIMESTAMP3, nullable=False),
        sa.PrimaryKeyConstraint("profileId", name="UserProfile_pkey"),
    )

    op.create_table(
        "KYCVerification",
        sa.Column("kycId", sa.Text(), nullable=False),
        sa.Column("profileId", sa.Text(), nullable=False),
        sa.Column("status", existing_enum("KycStatus"), nullable=False),
        sa.Column("verifiedAt", TIMESTAMP3),
        sa.Column("verifierDetails", sa.Text()),
        sa.Column("evidenceHash", sa.Text()),
        sa.Column("evidenceSize", sa.Integer()),
        sa.Column("evidenceMime", sa.Text()),
        sa.Column(
            "createdAt", TIMESTAMP3, nullable=False, server_default=sa.text("CURRENT_TIMESTAMP")
        ),
        sa.Column("updatedAt", TIMESTAMP3, nullable=False),
        sa.PrimaryKeyConstraint("kycId", name="KYCVerification_pkey"),
    )

    op.create_table(
        "OrganizationProfile",
        sa.Column("orgProfileId", sa.Text(), nullable=False),
        sa.Column("tenantId", sa.Text(), nullable=False),
        sa.Column("legalName", sa.Text(), nullable=False),
        sa.Column("registrationNumber", sa.Text()),
        sa.Column("jurisdictionCountryCode", sa.CHAR(2), nullable=False),
        sa.Column("address", sa.Text()),
        sa.Column(
            "status",
            existing_enum("OrgProfileStatus"),
            nullable=False,
            server_default=sa.text("'PENDING_VERIFICATION'::\"OrgProfileStatus\""),
        ),
        sa.Column("deletedAt", TIMESTAMP3),
        sa.Column(
            "createdAt", TIMESTAMP3, nullable=False, server_default=sa.text("CURRENT_TIMESTAMP")
        ),
        sa.Column("updatedAt", TIMESTAMP3, nullable=False),
        sa.PrimaryKeyConstraint("orgProfileId", name="OrganizationProfile_pkey"),
    )

    op.create_table(
        "FamilyRelationship",
        sa.Column("relationshipId", sa.Text(), nullable=False),
        sa.Column("tenantId", sa.Text(), nullable=False),
        sa.Column("initiatorProfileId", sa.Text(), nullable=False),
        sa.Column("relatedProfileId", sa.Text()),
        sa.Column("relatedEmail", sa.Text()),
        sa.Column("relationType", existing_enum("RelationType"), nullable=False),
        sa.Column(
            "status",
            existing_enum("RelationshipStatus"),
            nullable=False,
            server_default=sa.text("'PENDING'::\"RelationshipStatus\""),
        ),
        sa.Column("statusDocumentUrl", sa.Text()),
        sa.Column("statusDocumentHash", sa.Text()),
        sa.Column("statusRemarks", sa.Text()),
        sa.Column("confirmedAt", TIMESTAMP3),
        sa.Column("rejectedAt", TIMESTAMP3),
        sa.Column("pointsAwarded", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("isApplicable", sa.Boolean(), nullable=False, server_default=sa.text("true")),
        sa.Column(
            "createdAt", TIMESTAMP3, nullable=False, server_default=sa.text("CURRENT_TIMESTAMP")
        ),
        sa.Column("updatedAt", TIMESTAMP3, nullable=False),
        sa.PrimaryKeyConstraint("relationshipId", name="FamilyRelationship_pkey"),
    )

    op.create_table(
        "TrustScore",
        sa.Column("profileId", sa.Text(), nullable=False),
        sa.Column("tenantId", sa.Text(), nullable=False),
        sa.Column("familyScore", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("businessScore", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("friendsScore", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("totalScore", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("familyWeight", sa.Numeric(5, 2), nullable=False, server_default=sa.text("0.80")),
        sa.Column(
            "businessWeight", sa.Numeric(5, 2), nullable=False, server_default=sa.text("0.10")
        ),
        sa.Column(
            "friendsWeight", sa.Numeric(5, 2), nullable=False, server_default=sa.text("0.10")
        ),
        sa.Column("lastCalculatedAt", TIMESTAMP3, nullable=False),
        sa.Column(
            "calculationVersion", sa.Text(), nullable=False, server_default=sa.text("'1.0'::text")
        ),
        sa.PrimaryKeyConstraint("profileId", name="TrustScore_pkey"),
    )

    op.create_table(
        "Wallet",
        sa.Column("walletId", sa.Text(), nullable=False),
        sa.Column("tenantId", sa.Text(), nullable=False),
        sa.Column("profileId", sa.Text(), nullable=False),
        sa.Column("primaryAccountId", sa.Text(), nullable=False),
        sa.Column("walletName", sa.Text(), nullable=False),
        sa.Column("cachedBalance", sa.Numeric(36, 9), nullable=False, server_default=sa.text("0")),
        sa.Column("deletedAt", TIMESTAMP3),
        sa.Column(
            "createdAt", TIMESTAMP3, nullable=False, server_default=sa.text("CURRENT_TIMESTAMP")
        ),
        sa.Column("updatedAt", TIMESTAMP3, nullable=False),
        sa.PrimaryKeyConstraint("walletId", name="Wallet_pkey"),
    )

    op.create_table(
        "Transaction",
        sa.Column("offTxId", sa.Text(), nullable=False),
        sa.Column("tenantId", sa.Text(), nullable=False),
        sa.Column("onChainTxId", sa.Text()),
        sa.Column("walletId", sa.Text(), nullable=False),
        sa.Column("type", existing_enum("OffChainTxType"), nullable=False),
        sa.Column("counterparty", sa.Text(), nullable=False),
        sa.Column("amount", sa.Numeric(36, 9), nullable=False),
        sa.Column("fee", sa.Numeric(36, 9), nullable=False, server_default=sa.text("0")),
        sa.Column("remark", sa.Text()),
        sa.Column("timestamp", TIMESTAMP3, nullable=False),
        sa.Column("blockNumber", sa.BigInteger()),
        sa.PrimaryKeyConstraint("offTxId", name="Transaction_pkey"),
    )

    op.create_table(
        "Beneficiary",
        sa.Column("beneficiaryId", sa.Text(), nullable=False),
        sa.Column("tenantId", sa.Text(), nullable=False),
        sa.Column("ownerProfileId", sa.Text(), nullable=False),
        sa.Column("beneficiaryIdentityId", sa.Text(), nullable=False),
        sa.Column("nickname", sa.Text(), nullable=False),
        sa.Column(
            "createdAt", TIMESTAMP3, nullable=False, server_default=sa.text("CURRENT_TIMESTAMP")
        ),
        sa.PrimaryKeyConstraint("beneficiaryId", name="Beneficiary_pkey"),
    )

    op.create_table(
        "Contact",
        sa.Column("contactId", sa.Text(), nullable=False),
        sa.Column("tenantId", sa.Text(), nullable=False),
        sa.Column("ownerProfileId", sa.Text(), nullable=False),
        sa.Column("contactProfileId", sa.Text()),
        sa.Column("displayName", sa.Text(), nullable=False),
        sa.Column("phoneNumber", sa.Text()),
        sa.Column("email", sa.Text()),
        sa.Column("notes", sa.Text()),
        sa.Column("isFavorite", sa.Boolean(), nullable=False, server_default=sa.text("false")),
        sa.Column("transactionCount", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("lastTransactionAt", TIMESTAMP3),
        sa.Column(
            "status",
            existing_enum("ContactStatus"),
            nullable=False,
            server_default=sa.text("'ACTIVE'::\"ContactStatus\""),
        ),
        sa.Column(
            "createdAt", TIMESTAMP3, nullable=False, server_default=sa.text("CURRENT_TIMESTAMP")
        ),
        sa.Column("updatedAt", TIMESTAMP3, nullable=False),
        sa.PrimaryKeyConstraint("contactId", name="Contact_pkey"),
    )

    op.create_table(
        "BusinessAccount",
        sa.Column("businessAccountId", sa.Text(), nullable=False),
        sa.Column("tenantId", sa.Text(), nullable=False),
        sa.Column("orgProfileId", sa.Text(), nullable=False),
        sa.Column("walletId", sa.Text(), nullable=False),
        sa.Column(
            "defaultRequiredApprovals", sa.Integer(), nullable=False, server_default=sa.text("1")
        ),
        sa.Column(
            "createdAt", TIMESTAMP3, nullable=False, server_default=sa.text("CURRENT_TIMESTAMP")
        ),
        sa.Column("updatedAt", TIMESTAMP3, nullable=False),
        sa.PrimaryKeyConstraint("businessAccountId", name="BusinessAccount_pkey"),
    )

    op.create_table(
        "BusinessSignatory",
        sa.Column("signatoryId", sa.Text(), nullable=False),
        sa.Column("tenantId", sa.Text(), nullable=False),
        sa.Column("businessAccountId", sa.Text(), nullable=False),
        sa.Column("profileId", sa.Text(), nullable=False),
        sa.Column("role", existing_enum("SignatoryRole"), nullable=False),
        sa.Column(
            "canInitiateTransactions", sa.Boolean(), nullable=False, server_default=sa.text("false")
        ),
        sa.Column(
            "canApproveTransactions", sa.Boolean(), nullable=False, server_default=sa.text("false")
        ),
        sa.Column("maxTransactionLimit", sa.Numeric(36, 9)),
        sa.Column(
            "invitedAt", TIMESTAMP3, nullable=False, server_default=sa.text("CURRENT_TIMESTAMP")
        ),
        sa.Column("confirmedAt", TIMESTAMP3),
        sa.Column("revokedAt", TIMESTAMP3),
        sa.PrimaryKeyConstraint("signatoryId", name="BusinessSignatory_pkey"),
    )

    op.create_table(
        "SignatoryRule",
        sa.Column("ruleId", sa.Text(), nullable=False),
        sa.Column("tenantId", sa.Text(), nullable=False),
        sa.Column("businessAccountId", sa.Text(), nullable=False),
        sa.Column("minAmount", sa.Numeric(36, 9)),
        sa.Column("maxAmount", sa.Numeric(36, 9)),
        sa.Column("requiredApprovals", sa.Integer(), nullable=False),
        sa.Column("transactionType", existing_enum("OffChainTxType")),
        sa.Column("dailyLimit", sa.Numeric(36, 9)),
        sa.Column("isActive", sa.Boolean(), nullable=False, server_default=sa.text("true")),
        sa.Column(
            "createdAt", TIMESTAMP3, nullable=False, server_default=sa.text("CURRENT_TIMESTAMP")
        ),
        sa.Column("updatedAt", TIMESTAMP3, nullable=False),
        sa.PrimaryKeyConstraint("ruleId", name="SignatoryRule_pkey"),
    )

    op.create_table(
        "TransactionApproval",
        sa.Column("approvalId", sa.Text(), nullable=False),
        sa.Column("tenantId", sa.Text(), nullable=False),
        sa.Column("businessAccountId", sa.Text(), nullable=False),
        sa.Column("outboxCommandId", sa.Text(), nullable=False),
        sa.Column("requiredApprovals", sa.Integer(), nullable=False),
        sa.Column("receivedApprovals", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column(
            "status",
            existing_enum("ApprovalStatus"),
            nullable=False,
            server_default=sa.text("'PENDING'::\"ApprovalStatus\""),
        ),
        sa.Column("expiresAt", TIMESTAMP3, nullable=False),
        sa.Column(
            "createdAt", TIMESTAMP3, nullable=False, server_default=sa.text("CURRENT_TIMESTAMP")
        ),
        sa.Column("updatedAt", TIMESTAMP3, nullable=False),
        sa.PrimaryKeyConstraint("approvalId", name="TransactionApproval_pkey"),
    )

    op.create_table(
        "ApprovalVote",
        sa.Column("voteId", sa.Text(), nullable=False),
        sa.Column("tenantId", sa.Text(), nullable=False),
        sa.Column("approvalId", sa.Text(), nullable=False),
        sa.Column("signatoryId", sa.Text(), nullable=False),
        sa.Column("approved", sa.Boolean(), nullable=False),
        sa.Column("remarks", sa.Text()),
        sa.Column(
            "votedAt", TIMESTAMP3, nullable=False, server_default=sa.text("CURRENT_TIMESTAMP")
        ),
        sa.PrimaryKeyConstraint("voteId", name="ApprovalVote_pkey"),
    )

    op.create_table(
        "KYCDocument",
        sa.Column("documentId", sa.Text(), nullable=False),
        sa.Column("tenantId", sa.Text(), nullable=False),
        sa.Column("kycId", sa.Text(), nullable=False),
        sa.Column("documentType", existing_enum("DocumentType"), nullable=False),
        sa.Column("documentNumber", sa.Text()),
        sa.Column("issuingCountry", sa.CHAR(2)),
        sa.Column("issuedDate", sa.Date()),
        sa.Column("expiryDate", sa.Date()),
        sa.Column("storageUrl", sa.Text(), nullable=False),
        sa.Column("fileHash", sa.Text(), nullable=False),
        sa.Column("fileSize", sa.Integer(), nullable=False),
        sa.Column("mimeType", sa.Text(), nullable=False),
        sa.Column("encryptionKey", sa.Text()),
        sa.Column("virusScanStatus", sa.Text()),
        sa.Column("virusScanDate", TIMESTAMP3),
        sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("1")),
        sa.Column("replacesDocumentId", sa.Text()),
        sa.Column(
            "uploadedAt", TIMESTAMP3, nullable=False, server_default=sa.text("CURRENT_TIMESTAMP")
        ),
        sa.Column("verifiedAt", TIMESTAMP3),
        sa.Column("verifiedBy", sa.Text()),
        sa.PrimaryKeyConstraint("documentId", name="KYCDocument_pkey"),
    )

    op.create_table(
        "TransactionLimit",
        sa.Column("limitId", sa.Text(), nullable=False),
        sa.Column("tenantId", sa.Text(), nullable=False),
        sa.Column("profileId", sa.Text()),
        sa.Column("walletId", sa.Text()),
        sa.Column("limitType", existing_enum("LimitType"), nullable=False),
        sa.Column("limitAmount", sa.Numeric(36, 9), nullable=False),
        sa.Column("maxCount", sa.Integer()),
        sa.Column("timeWindowMinutes", sa.Integer()),
        sa.Column("isActive", sa.Boolean(), nullable=False, server_default=sa.text("true")),
        sa.Column(
            "createdAt", TIMESTAMP3, nullable=False, server_default=sa.text("CURRENT_TIMESTAMP")
        ),
        sa.Column("updatedAt", TIMESTAMP3, nullable=False),
        sa.PrimaryKeyConstraint("limitId", name="TransactionLimit_pkey"),
    )

    op.create_table(
        "TransactionRiskScore",
        sa.Column("riskId", sa.Text(), nullable=False),
        sa.Column("tenantId", sa.Text(), nullable=False),
        sa.Column("offTxId", sa.Text(), nullable=False),
        sa.Column("riskScore", sa.Integer(), nullable=False),
        sa.Column("riskFactors", postgresql.JSONB(), nullable=False),
        sa.Column("requiresReview", sa.Boolean(), nullable=False, server_default=sa.text("false")),
        sa.Column("reviewedAt", TIMESTAMP3),
        sa.Column("reviewedBy", sa.Text()),
        sa.Column("reviewNotes", sa.Text()),
        sa.Column(
            "calculatedAt", TIMESTAMP3, nullable=False, server_default=sa.text("CURRENT_TIMESTAMP")
        ),
        sa.PrimaryKeyConstraint("riskId", name="TransactionRiskScore_pkey"),
    )

    op.create_table(
        "HoardingTaxSnapshot",
        sa.Column("snapshotId", sa.Text(), nullable=False),
        sa.Column("tenantId", sa.Text(), nullable=False),
        sa.Column("walletId", sa.Text(), nullable=False),
        sa.Column("snapshotDate", sa.Date(), nullable=False),
        sa.Column("balance", sa.Numeric(36, 9), nullable=False),
        sa.Column("daysHeld", sa.Integer(), nullable=False),
        sa.Column("taxableAmount", sa.Numeric(36, 9), nullable=False),
        sa.Column("taxRate", sa.Numeric(5, 4), nullable=False),
        sa.Column("taxOwed", sa.Numeric(36, 9), nullable=False),
        sa.Column("taxPaid", sa.Boolean(), nullable=False, server_default=sa.text("false")),
        sa.Column("paidAt", TIMESTAMP3),
        sa.Column("fabricTxId", sa.Text()),
        sa.Column(
            "createdAt", TIMESTAMP3, nullable=False, server_default=sa.text("CURRENT_TIMESTAMP")
        ),
        sa.PrimaryKeyConstraint("snapshotId", name="HoardingTaxSnapshot_pkey"),
    )

    op.create_table(
        "UserSession",
        sa.Column("sessionId", sa.Text(), nullable=False),
        sa.Column("tenantId", sa.Text(), nullable=False),
        sa.Column("profileId", sa.Text(), nullable=False),
        sa.Column("deviceId", sa.Text(), nullable=False),
        sa.Column("deviceName", sa.Text()),
        sa.Column("deviceOs", sa.Text()),
        sa.Column("ipAddress", sa.Text(), nullable=False),
        sa.Column("userAgent", sa.Text(), nullable=False),
        sa.Column(
            "status",
            existing_enum("SessionStatus"),
            nullable=False,
            server_default=sa.text("'ACTIVE'::\"SessionStatus\""),
        ),
        sa.Column(
            "createdAt", TIMESTAMP3, nullable=False, server_default=sa.text("CURRENT_TIMESTAMP")
        ),
        sa.Column(
            "lastActivityAt",
            TIMESTAMP3,
            nullable=False,
            server_default=sa.text("CURRENT_TIMESTAMP"),
        ),
        sa.Column("expiresAt", TIMESTAMP3, nullable=False),
        sa.Column("revokedAt", TIMESTAMP3),
        sa.Column("revokedReason", sa.Text()),
        sa.Column("refreshToken", sa.Text(), nullable=False),
        sa.Column("refreshTokenHash", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("sessionId", name="UserSession_pkey"),
    )

    op.create_table(
        "TrustedDevice",
        sa.Column("deviceId", sa.Text(), nullable=False),
        sa.Column("tenantId", sa.Text(), nullable=False),
        sa.Column("profileId", sa.Text(), nullable=False),
        sa.Column("deviceName", sa.Text(), nullable=False),
        sa.Column("deviceFingerprint", sa.Text(), nullable=False),
        sa.Column("deviceOs", sa.Text()),
        sa.Column(
            "firstSeenAt", TIMESTAMP3, nullable=False, server_default=sa.text("CURRENT_TIMESTAMP")
        ),
        sa.Column(
            "lastSeenAt", TIMESTAMP3, nullable=False, server_default=sa.text("CURRENT_TIMESTAMP")
        ),
        sa.Column("isTrusted", sa.Boolean(), nullable=False, server_default=sa.text("false")),
        sa.Column("trustVerifiedAt", TIMESTAMP3),
        sa.PrimaryKeyConstraint("deviceId", name="TrustedDevice_pkey"),
    )

    op.create_table(
        "Notification",
        sa.Column("notificationId", sa.Text(), nullable=False),
        sa.Column("tenantId", sa.Text(), nullable=False),
        sa.Column("recipientId", sa.Text(), nullable=False),
        sa.Column("type", existing_enum("NotificationType"), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("actionUrl", sa.Text()),
        sa.Column("actionRequired", sa.Boolean(), nullable=False, server_default=sa.text("false")),
        sa.Column("actionResourceType", sa.Text()),
        sa.Column("actionResourceId", sa.Text()),
        sa.Column(
            "status",
            existing_enum("NotificationStatus"),
            nullable=False,
            server_default=sa.text("'UNREAD'::\"NotificationStatus\""),
        ),
        sa.Column("readAt", TIMESTAMP3),
        sa.Column("actionedAt", TIMESTAMP3),
        sa.Column("sentViaEmail", sa.Boolean(), nullable=False, server_default=sa.text("false")),
        sa.Column("sentViaPush", sa.Boolean(), nullable=False, server_default=sa.text("false")),
        sa.Column("emailSentAt", TIMESTAMP3),
        sa.Column("pushSentAt", TIMESTAMP3),
        sa.Column(
            "createdAt", TIMESTAMP3, nullable=False, server_default=sa.text("CURRENT_TIMESTAMP")
        ),
        sa.Column("expiresAt", TIMESTAMP3),
        sa.PrimaryKeyConstraint("notificationId", name="Notification_pkey"),
    )

    op.create_table(
        "PushToken",
        sa.Column("tokenId", sa.Text(), nullable=False),
        sa.Column("tenantId", sa.Text(), nullable=False),
        sa.Column("profileId", sa.Text(), nullable=False),
        sa.Column("token", sa.Text(), nullable=False),
        sa.Column("deviceId", sa.Text()),
        sa.Column("platform", sa.Text(), nullable=False),
        sa.Column("isActive", sa.Boolean(), nullable=False, server_default=sa.text("true")),
        sa.Column(
            "createdAt", TIMESTAMP3, nullable=False, server_default=sa.text("CURRENT_TIMESTAMP")
        ),
        sa.Column(
            "lastUsedAt", TIMESTAMP3, nullable=False, server_default=sa.text("CURRENT_TIMESTAMP")
        ),
        sa.PrimaryKeyConstraint("tokenId", name="PushToken_pkey"),
    )

    op.create_table(
        "AuditLog",
        sa.Column("auditId", sa.Text(), nullable=False),
        sa.Column("tenantId", sa.Text(), nullable=False),
        sa.Column("eventType", existing_enum("AuditEventType"), nullable=False),
        sa.Column("actorProfileId", sa.Text()),
        sa.Column("targetProfileId", sa.Text()),
        sa.Column("resourceType", sa.Text()),
        sa.Column("resourceId", sa.Text()),
        sa.Column("ipAddress", sa.Text()),
        sa.Column("userAgent", sa.Text()),
        sa.Column("deviceId", sa.Text()),
        sa.Column("sessionId", sa.Text()),
        sa.Column("previousValue", postgresql.JSONB()),
        sa.Column("newValue", postgresql.JSONB()),
        sa.Column("metadata", postgresql.JSONB()),
        sa.Column("eventHash", sa.Text(), nullable=False),
        sa.Column(
            "timestamp", TIMESTAMP3, nullable=False, server_default=sa.text("CURRENT_TIMESTAMP")
        ),
        sa.PrimaryKeyConstraint("auditId", name="AuditLog_pkey"),
    )

    op.create_table(
        "UserOrganizationLink",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("tenantId", sa.Text(), nullable=False),
        sa.Column("userProfileId", sa.Text(), nullable=False),
        sa.Column("orgProfileId", sa.Text(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column(
            "addedAt", TIMESTAMP3, nullable=False, server_default=sa.text("CURRENT_TIMESTAMP")
        ),
        sa.PrimaryKeyConstraint("id", name="UserOrganizationLink_pkey"),
    )

    op.create_table(
        "LicensedPartner",
        sa.Column("partnerId", sa.Text(), nullable=False),
        sa.Column("tenantId", sa.Text(), nullable=False),
        sa.Column("companyName", sa.Text(), nullable=False),
        sa.Column("jurisdictionCountryCode", sa.CHAR(2), nullable=False),
        sa.Column(
            "status",
            existing_enum("PartnerStatus"),
            nullable=False,
            server_default=sa.text("'PENDING'::\"PartnerStatus\""),
        ),
        sa.Column(
            "createdAt", TIMESTAMP3, nullable=False, server_default=sa.text("CURRENT_TIMESTAMP")
        ),
        sa.PrimaryKeyConstraint("partnerId", name="LicensedPartner_pkey"),
    )

    op.create_table(
        "Application",
        sa.Column("appId", sa.Text(), nullable=False),
        sa.Column("tenantId", sa.Text(), nullable=False),
        sa.Column("partnerId", sa.Text(), nullable=False),
        sa.Column("appName", sa.Text(), nullable=False),
        sa.Column(
            "createdAt", TIMESTAMP3, nullable=False, server_default=sa.text("CURRENT_TIMESTAMP")
        ),
        sa.PrimaryKeyConstraint("appId", name="Application_pkey"),
    )

    op.create_table(
        "License",
        sa.Column("licenseId", sa.Text(), nullable=False),
        sa.Column("tenantId", sa.Text(), nullable=False),
        sa.Column("appId", sa.Text(), nullable=False),
        sa.Column("licenseType", sa.Text(), nullable=False),
        sa.Column(
            "status",
            existing_enum("LicenseStatus"),
            nullable=False,
            server_default=sa.text("'ACTIVE'::\"LicenseStatus\""),
        ),
        sa.Column("expiryDate", TIMESTAMP3),
        sa.Column(
            "createdAt", TIMESTAMP3, nullable=False, server_default=sa.text("CURRENT_TIMESTAMP")
        ),
        sa.PrimaryKeyConstraint("licenseId", name="License_pkey"),
    )

    op.create_table(
        "Credential",
        sa.Column("credentialId", sa.Text(), nullable=False),
        sa.Column("tenantId", sa.Text(), nullable=False),
        sa.Column("licenseId", sa.Text(), nullable=False),
        sa.Column("clientId", sa.Text(), nullable=False),
        sa.Column("clientSecretHash", sa.Text(), nullable=False),
        sa.Column(
            "status",
            existing_enum("CredentialStatus"),
            nullable=False,
            server_default=sa.text("'ACTIVE'::\"CredentialStatus\""),
        ),
        sa.Column(
            "createdAt", TIMESTAMP3, nullable=False, server_default=sa.text("CURRENT_TIMESTAMP")
        ),
        sa.PrimaryKeyConstraint("credentialId", name="Credential_pkey"),
    )

    op.create_table(
        "PartnerGrant",
        sa.Column("grantId", sa.Text(), nullable=False),
        sa.Column("tenantId", sa.Text(), nullable=False),
        sa.Column("partnerId", sa.Text(), nullable=False),
        sa.Column("amount", sa.Numeric(36, 9), nullable=False),
        sa.Column("purpose", sa.Text()),
        sa.Column("issuanceTimestamp", TIMESTAMP3),
        sa.Column("onChainTxId", sa.Text()),
        sa.PrimaryKeyConstraint("grantId", name="PartnerGrant_pkey"),
    )

    op.create_table(
        "Collateral",
        sa.Column("collateralId", sa.Text(), nullable=False),
        sa.Column("onChainLoanId", sa.Text(), nullable=False),
        sa.Column("documentReference", sa.Text(), nullable=False),
        sa.Column("documentHash", sa.Text(), nullable=False),
        sa.Column("documentSize", sa.Integer()),
        sa.Column("documentMime", sa.Text()),
        sa.Column(
            "status",
            existing_enum("CollateralStatus"),
            nullable=False,
            server_default=sa.text("'PLEDGED'::\"CollateralStatus\""),
        ),
        sa.Column(
            "createdAt", TIMESTAMP3, nullable=False, server_default=sa.text("CURRENT_TIMESTAMP")
        ),
        sa.PrimaryKeyConstraint("collateralId", name="Collateral_pkey"),
    )

    op.create_table(
        "OutboxCommand",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("tenantId", sa.Text(), nullable=False),
        sa.Column("service", sa.Text(), nullable=False),
        sa.Column("commandType", existing_enum("CommandType"), nullable=False),
        sa.Column("requestId", sa.Text(), nullable=False),
        sa.Column("payload", postgresql.JSONB(), nullable=False),
        sa.Column(
            "status",
            existing_enum("OutboxStatus"),
            nullable=False,
            server_default=sa.text("'PENDING'::\"OutboxStatus\""),
        ),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("lockedBy", sa.Text()),
        sa.Column("lockedAt", TIMESTAMP3),
        sa.Column("submittedAt", TIMESTAMP3),
        sa.Column("fabricTxId", sa.Text()),
        sa.Column("commitBlock", sa.BigInteger()),
        sa.Column("errorCode", sa.Text()),
        sa.Column("error", sa.Text()),
        sa.Column(
            "createdAt", TIMESTAMP3, nullable=False, server_default=sa.text("CURRENT_TIMESTAMP")
        ),
        sa.Column("updatedAt", TIMESTAMP3, nullable=False),
        sa.PrimaryKeyConstraint("id", name="OutboxCommand_pkey"),
    )

    op.create_table(
        "ProjectorState",
        sa.Column("tenantId", sa.Text(), nullable=False),
        sa.Column("projectorName", sa.Text(), nullable=False),
        sa.Column("channel", sa.Text(), nullable=False),
        sa.Column("lastBlock", sa.BigInteger(), nullable=False),
        sa.Column("lastEventIndex", sa.Integer(), nullable=False),
        sa.Column("updatedAt", TIMESTAMP3, nullable=False),
        sa.PrimaryKeyConstraint("tenantId", "projectorName", "channel", name="ProjectorState_pkey"),
    )

    op.create_table(
        "HttpIdempotency",
        sa.Column("tenantId", sa.Text(), nullable=False),
        sa.Column("method", sa.Text(), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("bodyHash", sa.Text(), nullable=False),
        sa.Column("responseBody", postgresql.JSONB(), nullable=False),
        sa.Column("responseHeaders", postgresql.JSONB()),
        sa.Column("statusCode", sa.Integer(), nullable=False),
        sa.Column(
            "createdAt", TIMESTAMP3, nullable=False, server_default=sa.text("CURRENT_TIMESTAMP")
        ),
        sa.Column("ttlExpiresAt", TIMESTAMP3),
        sa.PrimaryKeyConstraint(
            "tenantId", "method", "path", "bodyHash", name="HttpIdempotency_pkey"
        ),
    )

    op.create_table(
        "EventLog",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("tenantId", sa.Text(), nullable=False),
        sa.Column("fabricTxId", sa.Text(), nullable=False),
        sa.Column("blockNumber", sa.BigInteger(), nullable=False),
        sa.Column("channel", sa.Text(), nullable=False),
        sa.Column("chaincode", sa.Text(), nullable=False),
        sa.Column("eventName", sa.Text(), nullable=False),
        sa.Column("eventVersion", sa.Text(), nullable=False),
        sa.Column("payload", postgresql.JSONB(), nullable=False),
        sa.Column("txTimestamp", TIMESTAMP3, nullable=False),
        sa.Column(
            "ingestedAt", TIMESTAMP3, nullable=False, server_default=sa.text("CURRENT_TIMESTAMP")
        ),
        sa.PrimaryKeyConstraint("id", name="EventLog_pkey"),
    )

    op.create_table(
        "EventDLQ",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("tenantId", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("rawPayload", postgresql.JSONB(), nullable=False),
        sa.Column("fabricTxId", sa.Text()),
        sa.Column("blockNumber", sa.BigInteger()),
        sa.Column("channel", sa.Text()),
        sa.Column("chaincode", sa.Text()),
        sa.Column(
            "createdAt", TIMESTAMP3, nullable=False, server_default=sa.text("CURRENT_TIMESTAMP")
        ),
        sa.PrimaryKeyConstraint("id", name="EventDLQ_pkey"),
    )

    op.create_index(
        "LegalTenderStatus_countryCode_effectiveDate_idx",
        "LegalTenderStatus",
        ["countryCode", "effectiveDate"],
    )
    op.create_index("UserProfile_email_key", "UserProfile", ["email"], unique=True)
    op.create_index("UserProfile_phoneNum_key", "UserProfile", ["phoneNum"], unique=True)
    op.create_index("UserProfile_biometricHash_key", "UserProfile", ["biometricHash"], unique=True)
    op.create_index("UserProfile_tenantId_status_idx", "UserProfile", ["tenantId", "status"])
    op.create_index("UserProfile_tenantId_email_idx", "UserProfile", ["tenantId", "email"])
    op.create_index("UserProfile_tenantId_phoneNum_idx", "UserProfile", ["tenantId", "phoneNum"])
    op.create_index("UserProfile_tenantId_deletedAt_idx", "UserProfile", ["tenantId", "deletedAt"])
    op.create_index(
        "UserProfile_tenantId_nationalityCountryCode_idx",
        "UserProfile",
        ["tenantId", "nationalityCountryCode"],
    )
    op.create_index("KYCVerification_profileId_idx", "KYCVerification", ["profileId"])
    op.create_index("KYCVerification_status_idx", "KYCVerification", ["status"])
    op.create_index(
        "OrganizationProfile_tenantId_status_idx", "OrganizationProfile", ["tenantId", "status"]
    )
    op.create_index(
        "OrganizationProfile_tenantId_deletedAt_idx",
        "OrganizationProfile",
        ["tenantId", "deletedAt"],
    )
    op.create_index(
        "FamilyRelationship_tenantId_initiatorProfileId_relatedProfi_key",
        "FamilyRelationship",
        ["tenantId", "initiatorProfileId", "relatedProfileId", "relationType"],
        unique=True,
    )
    op.create_index(
        "FamilyRelationship_tenantId_initiatorProfileId_idx",
        "FamilyRelationship",
        ["tenantId", "initiatorProfileId"],
    )
    op.create_index(
        "FamilyRelationship_tenantId_relatedProfileId_idx",
        "FamilyRelationship",
        ["tenantId", "relatedProfileId"],
    )
    op.create_index(
        "FamilyRelationship_tenantId_status_idx", "FamilyRelationship", ["tenantId", "status"]
    )
    op.create_index(
        "FamilyRelationship_tenantId_relationType_status_idx",
        "FamilyRelationship",
        ["tenantId", "relationType", "status"],
    )
    op.create_index("TrustScore_tenantId_totalScore_idx", "TrustScore", ["tenantId", "totalScore"])
    op.create_index(
        "Wallet_tenantId_primaryAccountId_key",
        "Wallet",
        ["tenantId", "primaryAccountId"],
        unique=True,
    )
    op.create_index("Wallet_tenantId_profileId_idx", "Wallet", ["tenantId", "profileId"])
    op.create_index("Wallet_tenantId_deletedAt_idx", "Wallet", ["tenantId", "deletedAt"])
    op.create_index(
        "Transaction_tenantId_onChainTxId_key",
        "Transaction",
        ["tenantId", "onChainTxId"],
        unique=True,
    )
    op.create_index(
        "Transaction_tenantId_walletId_timestamp_idx",
        "Transaction",
        ["tenantId", "walletId", "timestamp"],
    )
    op.create_index(
        "Transaction_tenantId_counterparty_timestamp_idx",
        "Transaction",
        ["tenantId", "counterparty", "timestamp"],
    )
    op.create_index("Transaction_timestamp_idx", "Transaction", ["timestamp"])
    op.create_index(
        "Beneficiary_tenantId_ownerProfileId_beneficiaryIdentityId_key",
        "Beneficiary",
        ["tenantId", "ownerProfileId", "beneficiaryIdentityId"],
        unique=True,
    )
    op.create_index("Beneficiary_ownerProfileId_idx", "Beneficiary", ["ownerProfileId"])
    op.create_index(
        "Contact_tenantId_ownerProfileId_contactProfileId_key",
        "Contact",
        ["tenantId", "ownerProfileId", "contactProfileId"],
        unique=True,
    )
    op.create_index(
        "Contact_tenantId_ownerProfileId_idx", "Contact", ["tenantId", "ownerProfileId"]
    )
    op.create_index("Contact_tenantId_status_idx", "Contact", ["tenantId", "status"])
    op.create_index("BusinessAccount_walletId_key", "BusinessAccount", ["walletId"], unique=True)
    op.create_index(
        "BusinessAccount_tenantId_orgProfileId_key",
        "BusinessAccount",
        ["tenantId", "orgProfileId"],
        unique=True,
    )
    op.create_index("BusinessAccount_tenantId_idx", "BusinessAccount", ["tenantId"])
    op.create_index(
        "BusinessSignatory_tenantId_businessAccountId_profileId_key",
        "BusinessSignatory",
        ["tenantId", "businessAccountId", "profileId"],
        unique=True,
    )
    op.create_index(
        "BusinessSignatory_tenantId_profileId_idx", "BusinessSignatory", ["tenantId", "profileId"]
    )
    op.create_index(
        "BusinessSignatory_tenantId_businessAccountId_idx",
        "BusinessSignatory",
        ["tenantId", "businessAccountId"],
    )
    op.create_index(
        "SignatoryRule_tenantId_businessAccountId_idx",
        "SignatoryRule",
        ["tenantId", "businessAccountId"],
    )
    op.create_index(
        "SignatoryRule_tenantId_isActive_idx", "SignatoryRule", ["tenantId", "isActive"]
    )
    op.create_index(
        "TransactionApproval_tenantId_outboxCommandId_key",
        "TransactionApproval",
        ["tenantId", "outboxCommandId"],
        unique=True,
    )
    op.create_index(
        "TransactionApproval_tenantId_businessAccountId_status_idx",
        "TransactionApproval",
        ["tenantId", "businessAccountId", "status"],
    )
    op.create_index(
        "TransactionApproval_status_expiresAt_idx", "TransactionApproval", ["status", "expiresAt"]
    )
    op.create_index(
        "ApprovalVote_tenantId_approvalId_signatoryId_key",
        "ApprovalVote",
        ["tenantId", "approvalId", "signatoryId"],
        unique=True,
    )
    op.create_index(
        "ApprovalVote_tenantId_signatoryId_idx", "ApprovalVote", ["tenantId", "signatoryId"]
    )
    op.create_index("KYCDocument_tenantId_kycId_idx", "KYCDocument", ["tenantId", "kycId"])
    op.create_index("KYCDocument_documentType_idx", "KYCDocument", ["documentType"])
    op.create_index("KYCDocument_fileHash_idx", "KYCDocument", ["fileHash"])
    op.create_index(
        "TransactionLimit_tenantId_profileId_idx", "TransactionLimit", ["tenantId", "profileId"]
    )
    op.create_index(
        "TransactionLimit_tenantId_walletId_idx", "TransactionLimit", ["tenantId", "walletId"]
    )
    op.create_index(
        "TransactionLimit_tenantId_isActive_idx", "TransactionLimit", ["tenantId", "isActive"]
    )
    op.create_index(
        "TransactionRiskScore_offTxId_key", "TransactionRiskScore", ["offTxId"], unique=True
    )
    op.create_index(
        "TransactionRiskScore_tenantId_requiresReview_idx",
        "TransactionRiskScore",
        ["tenantId", "requiresReview"],
    )
    op.create_index(
        "TransactionRiskScore_tenantId_riskScore_idx",
        "TransactionRiskScore",
        ["tenantId", "riskScore"],
    )
    op.create_index(
        "HoardingTaxSnapshot_tenantId_walletId_snapshotDate_key",
        "HoardingTaxSnapshot",
        ["tenantId", "walletId", "snapshotDate"],
        unique=True,
    )
    op.create_index(
        "HoardingTaxSnapshot_tenantId_snapshotDate_taxPaid_idx",
        "HoardingTaxSnapshot",
        ["tenantId", "snapshotDate", "taxPaid"],
    )
    op.create_index(
        "HoardingTaxSnapshot_tenantId_taxPaid_idx", "HoardingTaxSnapshot", ["tenantId", "taxPaid"]
    )
    op.create_index("UserSession_refreshToken_key", "UserSession", ["refreshToken"], unique=True)
    op.create_index(
        "UserSession_tenantId_sessionId_key", "UserSession", ["tenantId", "sessionId"], unique=True
    )
    op.create_index(
        "UserSession_tenantId_profileId_status_idx",
        "UserSession",
        ["tenantId", "profileId", "status"],
    )
    op.create_index("UserSession_refreshTokenHash_idx", "UserSession", ["refreshTokenHash"])
    op.create_index("UserSession_expiresAt_idx", "UserSession", ["expiresAt"])
    op.create_index("UserSession_tenantId_deviceId_idx", "UserSession", ["tenantId", "deviceId"])
    op.create_index(
        "TrustedDevice_deviceFingerprint_key", "TrustedDevice", ["deviceFingerprint"], unique=True
    )
    op.create_index(
        "TrustedDevice_tenantId_profileId_deviceFingerprint_key",
        "TrustedDevice",
        ["tenantId", "profileId", "deviceFingerprint"],
        unique=True,
    )
    op.create_index(
        "TrustedDevice_tenantId_profileId_idx", "TrustedDevice", ["tenantId", "profileId"]
    )
    op.create_index(
        "TrustedDevice_tenantId_isTrusted_idx", "TrustedDevice", ["tenantId", "isTrusted"]
    )
    op.create_index(
        "Notification_tenantId_recipientId_status_idx",
        "Notification",
        ["tenantId", "recipientId", "status"],
    )
    op.create_index(
        "Notification_tenantId_recipientId_createdAt_idx",
        "Notification",
        ["tenantId", "recipientId", "createdAt"],
    )
    op.create_index("Notification_expiresAt_idx", "Notification", ["expiresAt"])
    op.create_index(
        "Notification_tenantId_type_status_idx", "Notification", ["tenantId", "type", "status"]
    )
    op.create_index("PushToken_token_key", "PushToken", ["token"], unique=True)
    op.create_index(
        "PushToken_tenantId_profileId_token_key",
        "PushToken",
        ["tenantId", "profileId", "token"],
        unique=True,
    )
    op.create_index("PushToken_tenantId_profileId_idx", "PushToken", ["tenantId", "profileId"])
    op.create_index("PushToken_tenantId_isActive_idx", "PushToken", ["tenantId", "isActive"])
    op.create_index(
        "AuditLog_tenantId_eventType_timestamp_idx",
        "AuditLog",
        ["tenantId", "eventType", "timestamp"],
    )
    op.create_index(
        "AuditLog_tenantId_actorProfileId_timestamp_idx",
        "AuditLog",
        ["tenantId", "actorProfileId", "timestamp"],
    )
    op.create_index(
        "AuditLog_tenantId_targetProfileId_timestamp_idx",
        "AuditLog",
        ["tenantId", "targetProfileId", "timestamp"],
    )
    op.create_index(
        "AuditLog_tenantId_resourceType_resourceId_idx",
        "AuditLog",
        ["tenantId", "resourceType", "resourceId"],
    )
    op.create_index("AuditLog_timestamp_idx", "AuditLog", ["timestamp"])
    op.create_index(
        "UserOrganizationLink_tenantId_userProfileId_orgProfileId_key",
        "UserOrganizationLink",
        ["tenantId", "userProfileId", "orgProfileId"],
        unique=True,
    )
    op.create_index(
        "UserOrganizationLink_userProfileId_idx", "UserOrganizationLink", ["userProfileId"]
    )
    op.create_index(
        "UserOrganizationLink_orgProfileId_idx", "UserOrganizationLink", ["orgProfileId"]
    )
    op.create_index("UserOrganizationLink_tenantId_idx", "UserOrganizationLink", ["tenantId"])
    op.create_index(
        "LicensedPartner_tenantId_companyName_key",
        "LicensedPartner",
        ["tenantId", "companyName"],
        unique=True,
    )
    op.create_index(
        "LicensedPartner_tenantId_status_idx", "LicensedPartner", ["tenantId", "status"]
    )
    op.create_index(
        "Application_tenantId_appName_key", "Application", ["tenantId", "appName"], unique=True
    )
    op.create_index("Application_tenantId_partnerId_idx", "Application", ["tenantId", "partnerId"])
    op.create_index("License_tenantId_appId_idx", "License", ["tenantId", "appId"])
    op.create_index("License_tenantId_status_idx", "License", ["tenantId", "status"])
    op.create_index(
        "Credential_tenantId_clientId_key", "Credential", ["tenantId", "clientId"], unique=True
    )
    op.create_index("Credential_tenantId_licenseId_idx", "Credential", ["tenantId", "licenseId"])
    op.create_index(
        "PartnerGrant_tenantId_partnerId_idx", "PartnerGrant", ["tenantId", "partnerId"]
    )
    op.create_index("Collateral_onChainLoanId_key", "Collateral", ["onChainLoanId"], unique=True)
    op.create_index("Collateral_onChainLoanId_idx", "Collateral", ["onChainLoanId"])
    op.create_index("Collateral_status_idx", "Collateral", ["status"])
    op.create_index(
        "OutboxCommand_tenantId_requestId_key",
        "OutboxCommand",
        ["tenantId", "requestId"],
        unique=True,
    )
    op.create_index("OutboxCommand_status_createdAt_idx", "OutboxCommand", ["status", "createdAt"])
    op.create_index("OutboxCommand_tenantId_status_idx", "OutboxCommand", ["tenantId", "status"])
    op.create_index("OutboxCommand_fabricTxId_idx", "OutboxCommand", ["fabricTxId"])
    op.create_index("HttpIdempotency_ttlExpiresAt_idx", "HttpIdempotency", ["ttlExpiresAt"])
    op.create_index("EventLog_tenantId_blockNumber_idx", "EventLog", ["tenantId", "blockNumber"])
    op.create_index("EventLog_fabricTxId_idx", "EventLog", ["fabricTxId"])
    op.create_index("EventLog_tenantId_eventName_idx", "EventLog", ["tenantId", "eventName"])
    op.create_index("EventDLQ_tenantId_createdAt_idx", "EventDLQ", ["tenantId", "createdAt"])

    op.create_foreign_key(
        "LegalTenderStatus_countryCode_fkey",
        "LegalTenderStatus",
        "Country",
        ["countryCode"],
        ["countryCode"],
        ondelete="RESTRICT",
        onupdate="CASCADE",
    )
    op.create_foreign_key(
        "UserProfile_nationalityCountryCode_fkey",
        "UserProfile",
        "Country",
        ["nationalityCountryCode"],
        ["countryCode"],
        ondelete="SET NULL",
        onupdate="CASCADE",
    )
    op.create_foreign_key(
        "KYCVerification_profileId_fkey",
        "KYCVerification",
        "UserProfile",
        ["profileId"],
        ["profileId"],
        ondelete="CASCADE",
        onupdate="CASCADE",
    )
    op.create_foreign_key(
        "OrganizationProfile_jurisdictionCountryCode_fkey",
        "OrganizationProfile",
        "Country",
        ["jurisdictionCountryCode"],
        ["countryCode"],
        ondelete="RESTRICT",
        onupdate="CASCADE",
    )
    op.create_foreign_key(
        "FamilyRelationship_initiatorProfileId_fkey",
        "FamilyRelationship",
        "UserProfile",
        ["initiatorProfileId"],
        ["profileId"],
        ondelete="CASCADE",
        onupdate="CASCADE",
    )
    op.create_foreign_key(
        "FamilyRelationship_relatedProfileId_fkey",
        "FamilyRelationship",
        "UserProfile",
        ["relatedProfileId"],
        ["profileId"],
        ondelete="CASCADE",
        onupdate="CASCADE",
    )
    op.create_foreign_key(
        "TrustScore_profileId_fkey",
        "TrustScore",
        "UserProfile",
        ["profileId"],
        ["profileId"],
        ondelete="CASCADE",
        onupdate="CASCADE",
    )
    op.create_foreign_key(
        "Wallet_profileId_fkey",
        "Wallet",
        "UserProfile",
        ["profileId"],
        ["profileId"],
        ondelete="CASCADE",
        onupdate="CASCADE",
    )
    op.create_foreign_key(
        "Transaction_walletId_fkey",
        "Transaction",
        "Wallet",
        ["walletId"],
        ["walletId"],
        ondelete="CASCADE",
        onupdate="CASCADE",
    )
    op.create_foreign_key(
        "Beneficiary_ownerProfileId_fkey",
        "Beneficiary",
        "UserProfile",
        ["ownerProfileId"],
        ["profileId"],
        ondelete="CASCADE",
        onupdate="CASCADE",
    )
    op.create_foreign_key(
        "Contact_ownerProfileId_fkey",
        "Contact",
        "UserProfile",
        ["ownerProfileId"],
        ["profileId"],
        ondelete="CASCADE",
        onupdate="CASCADE",
    )
    op.create_foreign_key(
        "Contact_contactProfileId_fkey",
        "Contact",
        "UserProfile",
        ["contactProfileId"],
        ["profileId"],
        ondelete="SET NULL",
        onupdate="CASCADE",
    )
    op.create_foreign_key(
        "BusinessAccount_orgProfileId_fkey",
        "BusinessAccount",
        "OrganizationProfile",
        ["orgProfileId"],
        ["orgProfileId"],
        ondelete="CASCADE",
        onupdate="CASCADE",
    )
    op.create_foreign_key(
        "BusinessAccount_walletId_fkey",
        "BusinessAccount",
        "Wallet",
        ["walletId"],
        ["walletId"],
        ondelete="RESTRICT",
        onupdate="CASCADE",
    )
    op.create_foreign_key(
        "BusinessSignatory_businessAccountId_fkey",
        "BusinessSignatory",
        "BusinessAccount",
        ["businessAccountId"],
        ["businessAccountId"],
        ondelete="CASCADE",
        onupdate="CASCADE",
    )
    op.create_foreign_key(
        "BusinessSignatory_profileId_fkey",
        "BusinessSignatory",
        "UserProfile",
        ["profileId"],
        ["profileId"],
        ondelete="CASCADE",
        onupdate="CASCADE",
    )
    op.create_foreign_key(
        "SignatoryRule_businessAccountId_fkey",
        "SignatoryRule",
        "BusinessAccount",
        ["businessAccountId"],
        ["businessAccountId"],
        ondelete="CASCADE",
        onupdate="CASCADE",
    )
    op.create_foreign_key(
        "TransactionApproval_businessAccountId_fkey",
        "TransactionApproval",
        "BusinessAccount",
        ["businessAccountId"],
        ["businessAccountId"],
        ondelete="CASCADE",
        onupdate="CASCADE",
    )
    op.create_foreign_key(
        "TransactionApproval_outboxCommandId_fkey",
        "TransactionApproval",
        "OutboxCommand",
        ["outboxCommandId"],
        ["id"],
        ondelete="CASCADE",
        onupdate="CASCADE",
    )
    op.create_foreign_key(
        "ApprovalVote_approvalId_fkey",
        "ApprovalVote",
        "TransactionApproval",
        ["approvalId"],
        ["approvalId"],
        ondelete="CASCADE",
        onupdate="CASCADE",
    )
    op.create_foreign_key(
        "ApprovalVote_signatoryId_fkey",
        "ApprovalVote",
        "BusinessSignatory",
        ["signatoryId"],
        ["signatoryId"],
        ondelete="CASCADE",
        onupdate="CASCADE",
    )
    op.create_foreign_key(
        "KYCDocument_kycId_fkey",
        "KYCDocument",
        "KYCVerification",
        ["kycId"],
        ["kycId"],
        ondelete="CASCADE",
        onupdate="CASCADE",
    )
    op.create_foreign_key(
        "KYCDocument_issuingCountry_fkey",
        "KYCDocument",
        "Country",
        ["issuingCountry"],
        ["countryCode"],
        ondelete="SET NULL",
        onupdate="CASCADE",
    )
    op.create_foreign_key(
        "TransactionLimit_profileId_fkey",
        "TransactionLimit",
        "UserProfile",
        ["profileId"],
        ["profileId"],
        ondelete="CASCADE",
        onupdate="CASCADE",
    )
    op.create_foreign_key(
        "TransactionRiskScore_offTxId_fkey",
        "TransactionRiskScore",
        "Transaction",
        ["offTxId"],
        ["offTxId"],
        ondelete="CASCADE",
        onupdate="CASCADE",
    )
    op.create_foreign_key(
        "HoardingTaxSnapshot_walletId_fkey",
        "HoardingTaxSnapshot",
        "Wallet",
        ["walletId"],
        ["walletId"],
        ondelete="CASCADE",
        onupdate="CASCADE",
    )
    op.create_foreign_key(
        "UserSession_profileId_fkey",
        "UserSession",
        "UserProfile",
        ["profileId"],
        ["profileId"],
        ondelete="CASCADE",
        onupdate="CASCADE",
    )
    op.create_foreign_key(
        "TrustedDevice_profileId_fkey",
        "TrustedDevice",
        "UserProfile",
        ["profileId"],
        ["profileId"],
        ondelete="CASCADE",
        onupdate="CASCADE",
    )
    op.create_foreign_key(
        "Notification_recipientId_fkey",
        "Notification",
        "UserProfile",
        ["recipientId"],
        ["profileId"],
        ondelete="CASCADE",
        onupdate="CASCADE",
    )
    op.create_foreign_key(
        "PushToken_profileId_fkey",
        "PushToken",
        "UserProfile",
        ["profileId"],
        ["profileId"],
        ondelete="CASCADE",
        onupdate="CASCADE",
    )
    op.create_foreign_key(
        "UserOrganizationLink_userProfileId_fkey",
        "UserOrganizationLink",
        "UserProfile",
        ["userProfileId"],
        ["profileId"],
        ondelete="CASCADE",
        onupdate="CASCADE",
    )
    op.create_foreign_key(
        "UserOrganizationLink_orgProfileId_fkey",
        "UserOrganizationLink",
        "OrganizationProfile",
        ["orgProfileId"],
        ["orgProfileId"],
        ondelete="CASCADE",
        onupdate="CASCADE",
    )
    op.create_foreign_key(
        "LicensedPartner_jurisdictionCountryCode_fkey",
        "LicensedPartner",
        "Country",
        ["jurisdictionCountryCode"],
        ["countryCode"],
        ondelete="RESTRICT",
        onupdate="CASCADE",
    )
    op.create_foreign_key(
        "Application_partnerId_fkey",
        "Application",
        "LicensedPartner",
        ["partnerId"],
        ["partnerId"],
        ondelete="CASCADE",
        onupdate="CASCADE",
    )
    op.create_foreign_key(
        "License_appId_fkey",
        "License",
        "Application",
        ["appId"],
        ["appId"],
        ondelete="CASCADE",
        onupdate="CASCADE",
    )
    op.create_foreign_key(
        "Credential_licenseId_fkey",
        "Credential",
        "License",
        ["licenseId"],
        ["licenseId"],
        ondelete="CASCADE",
        onupdate="CASCADE",
    )
    op.create_foreign_key(
        "PartnerGrant_partnerId_fkey",
        "PartnerGrant",
        "LicensedPartner",
        ["partnerId"],
        ["partnerId"],
        ondelete="CASCADE",
        onupdate="CASCADE",
    )


def downgrade() -> None:
    for table in TABLES_IN_DROP_ORDER:
        op.drop_table(table)
    for name in reversed(list(ENUMS)):
        op.execute(f'DROP TYPE "{name}"')
