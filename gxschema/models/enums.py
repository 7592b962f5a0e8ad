"""The 22 PostgreSQL enum types of the schema, as Python enums.

Each class has the name of its PostgreSQL type and its members in the type's sort order
(`pg_enum.enumsortorder`); the member value is the label stored in the database.
"""

from __future__ import annotations

import enum


class OutboxStatus(enum.StrEnum):
    """Lifecycle of a command in the transactional outbox."""

    PENDING = "PENDING"
    LOCKED = "LOCKED"
    SUBMITTED = "SUBMITTED"
    COMMITTED = "COMMITTED"
    FAILED = "FAILED"


class CommandType(enum.StrEnum):
    """Chaincode commands the outbox submits (v2.0 had 2; v2.1 has 32)."""

    CREATE_USER = "CREATE_USER"
    UPDATE_USER_PROFILE = "UPDATE_USER_PROFILE"
    SUSPEND_USER = "SUSPEND_USER"
    CREATE_RELATIONSHIP = "CREATE_RELATIONSHIP"
    UPDATE_RELATIONSHIP = "UPDATE_RELATIONSHIP"
    TRANSFER_TOKENS = "TRANSFER_TOKENS"
    DISTRIBUTE_GENESIS = "DISTRIBUTE_GENESIS"
    QUERY_BALANCE = "QUERY_BALANCE"
    CREATE_ORGANIZATION = "CREATE_ORGANIZATION"
    UPDATE_ORGANIZATION = "UPDATE_ORGANIZATION"
    ADD_STAKEHOLDER = "ADD_STAKEHOLDER"
    REMOVE_STAKEHOLDER = "REMOVE_STAKEHOLDER"
    CREATE_BUSINESS_ACCOUNT = "CREATE_BUSINESS_ACCOUNT"
    ADD_SIGNATORY = "ADD_SIGNATORY"
    REVOKE_SIGNATORY = "REVOKE_SIGNATORY"
    UPDATE_SIGNATORY_RULES = "UPDATE_SIGNATORY_RULES"
    APPROVE_TRANSACTION = "APPROVE_TRANSACTION"
    REQUEST_LOAN = "REQUEST_LOAN"
    APPROVE_LOAN = "APPROVE_LOAN"
    REPAY_LOAN = "REPAY_LOAN"
    QUERY_LOAN_STATUS = "QUERY_LOAN_STATUS"
    SUBMIT_PROPOSAL = "SUBMIT_PROPOSAL"
    VOTE_ON_PROPOSAL = "VOTE_ON_PROPOSAL"
    EXECUTE_PROPOSAL = "EXECUTE_PROPOSAL"
    QUERY_PROPOSAL = "QUERY_PROPOSAL"
    CALCULATE_HOARDING_TAX = "CALCULATE_HOARDING_TAX"
    PAY_HOARDING_TAX = "PAY_HOARDING_TAX"
    CALCULATE_TRANSACTION_FEE = "CALCULATE_TRANSACTION_FEE"
    BOOTSTRAP_SYSTEM = "BOOTSTRAP_SYSTEM"
    PAUSE_SYSTEM = "PAUSE_SYSTEM"
    RESUME_SYSTEM = "RESUME_SYSTEM"
    INITIALIZE_COUNTRY = "INITIALIZE_COUNTRY"


class UserProfileStatus(enum.StrEnum):
    """Verification state of a user profile."""

    PENDING_VERIFICATION = "PENDING_VERIFICATION"
    VERIFIED = "VERIFIED"
    REJECTED = "REJECTED"
    SUSPENDED = "SUSPENDED"
    CLOSED = "CLOSED"


class KycStatus(enum.StrEnum):
    """Outcome of a KYC verification."""

    PENDING = "PENDING"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    EXPIRED = "EXPIRED"


class OrgProfileStatus(enum.StrEnum):
    """Verification state of an organisation."""

    PENDING_VERIFICATION = "PENDING_VERIFICATION"
    VERIFIED = "VERIFIED"
    REJECTED = "REJECTED"
    SUSPENDED = "SUSPENDED"


class PartnerStatus(enum.StrEnum):
    """State of a licensed partner."""

    PENDING = "PENDING"
    ACTIVE = "ACTIVE"
    REVOKED = "REVOKED"


class LicenseStatus(enum.StrEnum):
    """State of a partner application's license."""

    ACTIVE = "ACTIVE"
    EXPIRED = "EXPIRED"
    REVOKED = "REVOKED"


class CredentialStatus(enum.StrEnum):
    """State of an API credential."""

    ACTIVE = "ACTIVE"
    REVOKED = "REVOKED"


class LegalTenderStatusEnum(enum.StrEnum):
    """Legal standing of GX Coin in a country."""

    RECOGNIZED = "RECOGNIZED"
    SANDBOX = "SANDBOX"
    ACTIVE_LEGAL_TENDER = "ACTIVE_LEGAL_TENDER"


class OffChainTxType(enum.StrEnum):
    """Kind of an off-chain transaction record."""

    MINT = "MINT"
    SENT = "SENT"
    RECEIVED = "RECEIVED"
    TAX = "TAX"
    LOAN_DISBURSEMENT = "LOAN_DISBURSEMENT"
    LOAN_REPAYMENT = "LOAN_REPAYMENT"


class CollateralStatus(enum.StrEnum):
    """Whether collateral is pledged against a loan or released."""

    PLEDGED = "PLEDGED"
    RELEASED = "RELEASED"


class RelationType(enum.StrEnum):
    """Kind of a relationship between two profiles."""

    FATHER = "FATHER"
    MOTHER = "MOTHER"
    SPOUSE = "SPOUSE"
    CHILD = "CHILD"
    SIBLING = "SIBLING"
    BUSINESS_PARTNER = "BUSINESS_PARTNER"
    DIRECTOR = "DIRECTOR"
    WORKPLACE_ASSOCIATE = "WORKPLACE_ASSOCIATE"
    FRIEND = "FRIEND"


class RelationshipStatus(enum.StrEnum):
    """State of a relationship between two profiles."""

    PENDING = "PENDING"
    CONFIRMED = "CONFIRMED"
    REJECTED = "REJECTED"
    DECEASED = "DECEASED"
    DIVORCED = "DIVORCED"
    NOT_APPLICABLE = "NOT_APPLICABLE"


class SignatoryRole(enum.StrEnum):
    """Role of a signatory on a business account."""

    OWNER = "OWNER"
    DIRECTOR = "DIRECTOR"
    AUTHORIZED_SIGNATORY = "AUTHORIZED_SIGNATORY"
    ACCOUNTANT = "ACCOUNTANT"
    VIEWER = "VIEWER"


class ApprovalStatus(enum.StrEnum):
    """State of a multi-signature approval request."""

    PENDING = "PENDING"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    EXPIRED = "EXPIRED"


class AuditEventType(enum.StrEnum):
    """Kind of an audited event."""

    USER_LOGIN = "USER_LOGIN"
    USER_LOGOUT = "USER_LOGOUT"
    USER_REGISTERED = "USER_REGISTERED"
    PROFILE_UPDATED = "PROFILE_UPDATED"
    PASSWORD_CHANGED = "PASSWORD_CHANGED"
    KYC_SUBMITTED = "KYC_SUBMITTED"
    KYC_APPROVED = "KYC_APPROVED"
    KYC_REJECTED = "KYC_REJECTED"
    TRANSACTION_INITIATED = "TRANSACTION_INITIATED"
    TRANSACTION_APPROVED = "TRANSACTION_APPROVED"
    TRANSACTION_REJECTED = "TRANSACTION_REJECTED"
    TRANSACTION_COMPLETED = "TRANSACTION_COMPLETED"
    TRANSACTION_FAILED = "TRANSACTION_FAILED"
    WALLET_CREATED = "WALLET_CREATED"
    BENEFICIARY_ADDED = "BENEFICIARY_ADDED"
    BENEFICIARY_REMOVED = "BENEFICIARY_REMOVED"
    RELATIONSHIP_INVITED = "RELATIONSHIP_INVITED"
    RELATIONSHIP_CONFIRMED = "RELATIONSHIP_CONFIRMED"
    RELATIONSHIP_REJECTED = "RELATIONSHIP_REJECTED"
    BUSINESS_SIGNATORY_ADDED = "BUSINESS_SIGNATORY_ADDED"
    BUSINESS_SIGNATORY_REVOKED = "BUSINESS_SIGNATORY_REVOKED"
    ADMIN_ACCOUNT_FROZEN = "ADMIN_ACCOUNT_FROZEN"
    ADMIN_ACCOUNT_UNFROZEN = "ADMIN_ACCOUNT_UNFROZEN"
    ADMIN_ACCOUNT_CLOSED = "ADMIN_ACCOUNT_CLOSED"
    SESSION_CREATED = "SESSION_CREATED"
    SESSION_REVOKED = "SESSION_REVOKED"
    DEVICE_TRUSTED = "DEVICE_TRUSTED"
    DEVICE_UNTRUSTED = "DEVICE_UNTRUSTED"


class SessionStatus(enum.StrEnum):
    """State of a user session."""

    ACTIVE = "ACTIVE"
    EXPIRED = "EXPIRED"
    REVOKED = "REVOKED"
    LOGGED_OUT = "LOGGED_OUT"


class NotificationType(enum.StrEnum):
    """Kind of an in-app notification."""

    RELATIONSHIP_INVITATION = "RELATIONSHIP_INVITATION"
    RELATIONSHIP_CONFIRMED = "RELATIONSHIP_CONFIRMED"
    RELATIONSHIP_REJECTED = "RELATIONSHIP_REJECTED"
    BUSINESS_SIGNATORY_INVITATION = "BUSINESS_SIGNATORY_INVITATION"
    TRANSACTION_APPROVAL_REQUEST = "TRANSACTION_APPROVAL_REQUEST"
    TRANSACTION_APPROVED = "TRANSACTION_APPROVED"
    TRANSACTION_REJECTED = "TRANSACTION_REJECTED"
    TRANSACTION_COMPLETED = "TRANSACTION_COMPLETED"
    KYC_STATUS_UPDATE = "KYC_STATUS_UPDATE"
    WALLET_CREDITED = "WALLET_CREDITED"
    WALLET_DEBITED = "WALLET_DEBITED"
    SYSTEM_ANNOUNCEMENT = "SYSTEM_ANNOUNCEMENT"
    SECURITY_ALERT = "SECURITY_ALERT"


class NotificationStatus(enum.StrEnum):
    """Read state of a notification."""

    UNREAD = "UNREAD"
    READ = "READ"
    ARCHIVED = "ARCHIVED"
    ACTIONED = "ACTIONED"


class DocumentType(enum.StrEnum):
    """Kind of a KYC document."""

    NATIONAL_ID = "NATIONAL_ID"
    PASSPORT = "PASSPORT"
    DRIVERS_LICENSE = "DRIVERS_LICENSE"
    PROOF_OF_ADDRESS = "PROOF_OF_ADDRESS"
    DEATH_CERTIFICATE = "DEATH_CERTIFICATE"
    DIVORCE_CERTIFICATE = "DIVORCE_CERTIFICATE"
    BUSINESS_REGISTRATION = "BUSINESS_REGISTRATION"
    TAX_REGISTRATION = "TAX_REGISTRATION"
    BANK_STATEMENT = "BANK_STATEMENT"
    UTILITY_BILL = "UTILITY_BILL"
    SELFIE_PHOTO = "SELFIE_PHOTO"
    OTHER = "OTHER"


class LimitType(enum.StrEnum):
    """Kind of a transaction limit."""

    DAILY_SEND = "DAILY_SEND"
    DAILY_RECEIVE = "DAILY_RECEIVE"
    MONTHLY_SEND = "MONTHLY_SEND"
    MONTHLY_RECEIVE = "MONTHLY_RECEIVE"
    SINGLE_TRANSACTION = "SINGLE_TRANSACTION"
    VELOCITY_CHECK = "VELOCITY_CHECK"


class ContactStatus(enum.StrEnum):
    """State of an address-book contact."""

    ACTIVE = "ACTIVE"
    BLOCKED = "BLOCKED"
    ARCHIVED = "ARCHIVED"


ALL_ENUMS: tuple[type[enum.StrEnum], ...] = (
    OutboxStatus,
    CommandType,
    UserProfileStatus,
    KycStatus,
    OrgProfileStatus,
    PartnerStatus,
    LicenseStatus,
    CredentialStatus,
    LegalTenderStatusEnum,
    OffChainTxType,
    CollateralStatus,
    RelationType,
    RelationshipStatus,
    SignatoryRole,
    ApprovalStatus,
    AuditEventType,
    SessionStatus,
    NotificationType,
    NotificationStatus,
    DocumentType,
    LimitType,
    ContactStatus,
)
"""Every enum of the schema, in the order the migrations create them."""
