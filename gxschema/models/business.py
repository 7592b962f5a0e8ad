"""Business accounts and multi-signature approval of their transactions."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, PrimaryKeyConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gxschema.models.base import Amount, Base, CreatedAt, TenantId, UpdatedAt, UuidPk, default
from gxschema.models.enums import ApprovalStatus, OffChainTxType, SignatoryRole

if TYPE_CHECKING:
    from gxschema.models.cqrs import OutboxCommand
    from gxschema.models.identity import OrganizationProfile, UserProfile
    from gxschema.models.wallet import Wallet


class BusinessAccount(Base):
    """An organisation's account, backed by a wallet, that needs approvals to spend."""

    __tablename__ = "BusinessAccount"
    __table_args__ = (
        PrimaryKeyConstraint("businessAccountId", name="BusinessAccount_pkey"),
        Index("BusinessAccount_walletId_key", "walletId", unique=True),
        Index("BusinessAccount_tenantId_orgProfileId_key", "tenantId", "orgProfileId", unique=True),
        Index("BusinessAccount_tenantId_idx", "tenantId"),
    )

    business_account_id: Mapped[UuidPk] = mapped_column("businessAccountId")
    tenant_id: Mapped[TenantId] = mapped_column("tenantId")
    org_profile_id: Mapped[str] = mapped_column(
        "orgProfileId",
        ForeignKey(
            "OrganizationProfile.orgProfileId",
            name="BusinessAccount_orgProfileId_fkey",
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
    )
    wallet_id: Mapped[str] = mapped_column(
        "walletId",
        ForeignKey(
            "Wallet.walletId",
            name="BusinessAccount_walletId_fkey",
            ondelete="RESTRICT",
            onupdate="CASCADE",
        ),
    )
    default_required_approvals: Mapped[int] = mapped_column(
        "defaultRequiredApprovals",
        server_default=default("1"),
    )
    created_at: Mapped[CreatedAt] = mapped_column("createdAt")
    updated_at: Mapped[UpdatedAt] = mapped_column("updatedAt")

    organization: Mapped[OrganizationProfile] = relationship(back_populates="business_accounts")
    wallet: Mapped[Wallet] = relationship(back_populates="business_account")
    signatories: Mapped[list[BusinessSignatory]] = relationship(
        back_populates="business_account",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    rules: Mapped[list[SignatoryRule]] = relationship(
        back_populates="business_account",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    approvals: Mapped[list[TransactionApproval]] = relationship(
        back_populates="business_account",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class BusinessSignatory(Base):
    """A person allowed to initiate or approve transactions of a business account."""

    __tablename__ = "BusinessSignatory"
    __table_args__ = (
        PrimaryKeyConstraint("signatoryId", name="BusinessSignatory_pkey"),
        Index(
            "BusinessSignatory_tenantId_businessAccountId_profileId_key",
            "tenantId",
            "businessAccountId",
            "profileId",
            unique=True,
        ),
        Index("BusinessSignatory_tenantId_profileId_idx", "tenantId", "profileId"),
        Index("BusinessSignatory_tenantId_businessAccountId_idx", "tenantId", "businessAccountId"),
    )

    signatory_id: Mapped[UuidPk] = mapped_column("signatoryId")
    tenant_id: Mapped[TenantId] = mapped_column("tenantId")
    business_account_id: Mapped[str] = mapped_column(
        "businessAccountId",
        ForeignKey(
            "BusinessAccount.businessAccountId",
            name="BusinessSignatory_businessAccountId_fkey",
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
    )
    profile_id: Mapped[str] = mapped_column(
        "profileId",
        ForeignKey(
            "UserProfile.profileId",
            name="BusinessSignatory_profileId_fkey",
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
    )
    role: Mapped[SignatoryRole] = mapped_column("role")
    can_initiate_transactions: Mapped[bool] = mapped_column(
        "canInitiateTransactions",
        server_default=default("false"),
    )
    can_approve_transactions: Mapped[bool] = mapped_column(
        "canApproveTransactions",
        server_default=default("false"),
    )
    max_transaction_limit: Mapped[Amount | None] = mapped_column("maxTransactionLimit")
    invited_at: Mapped[datetime] = mapped_column(
        "invitedAt",
        server_default=default("CURRENT_TIMESTAMP"),
    )
    confirmed_at: Mapped[datetime | None] = mapped_column("confirmedAt")
    revoked_at: Mapped[datetime | None] = mapped_column("revokedAt")

    business_account: Mapped[BusinessAccount] = relationship(back_populates="signatories")
    profile: Mapped[UserProfile] = relationship(back_populates="signatory_roles")
    votes: Mapped[list[ApprovalVote]] = relationship(
        back_populates="signatory",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class SignatoryRule(Base):
    """How many approvals a business transaction needs, by amount range."""

    __tablename__ = "SignatoryRule"
    __table_args__ = (
        PrimaryKeyConstraint("ruleId", name="SignatoryRule_pkey"),
        Index("SignatoryRule_tenantId_businessAccountId_idx", "tenantId", "businessAccountId"),
        Index("SignatoryRule_tenantId_isActive_idx", "tenantId", "isActive"),
    )

    rule_id: Mapped[UuidPk] = mapped_column("ruleId")
    tenant_id: Mapped[TenantId] = mapped_column("tenantId")
    business_account_id: Mapped[str] = mapped_column(
        "businessAccountId",
        ForeignKey(
            "BusinessAccount.businessAccountId",
            name="SignatoryRule_businessAccountId_fkey",
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
    )
    min_amount: Mapped[Amount | None] = mapped_column("minAmount")
    max_amount: Mapped[Amount | None] = mapped_column("maxAmount")
    required_approvals: Mapped[int] = mapped_column("requiredApprovals")
    transaction_type: Mapped[OffChainTxType | None] = mapped_column("transactionType")
    daily_limit: Mapped[Amount | None] = mapped_column("dailyLimit")
    is_active: Mapped[bool] = mapped_column("isActive", server_default=default("true"))
    created_at: Mapped[CreatedAt] = mapped_column("createdAt")
    updated_at: Mapped[UpdatedAt] = mapped_column("updatedAt")

    business_account: Mapped[BusinessAccount] = relationship(back_populates="rules")


class TransactionApproval(Base):
    """A business transaction waiting for signatory approvals."""

    __tablename__ = "TransactionApproval"
    __table_args__ = (
        PrimaryKeyConstraint("approvalId", name="TransactionApproval_pkey"),
        Index(
            "TransactionApproval_tenantId_outboxCommandId_key",
            "tenantId",
            "outboxCommandId",
            unique=True,
        ),
        Index(
            "TransactionApproval_tenantId_businessAccountId_status_idx",
            "tenantId",
            "businessAccountId",
            "status",
        ),
        Index("TransactionApproval_status_expiresAt_idx", "status", "expiresAt"),
    )

    approval_id: Mapped[UuidPk] = mapped_column("approvalId")
    tenant_id: Mapped[TenantId] = mapped_column("tenantId")
    business_account_id: Mapped[str] = mapped_column(
        "businessAccountId",
        ForeignKey(
            "BusinessAccount.businessAccountId",
            name="TransactionApproval_businessAccountId_fkey",
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
    )
    outbox_command_id: Mapped[str] = mapped_column(
        "outboxCommandId",
        ForeignKey(
            "OutboxCommand.id",
            name="TransactionApproval_outboxCommandId_fkey",
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
    )
    required_approvals: Mapped[int] = mapped_column("requiredApprovals")
    received_approvals: Mapped[int] = mapped_column(
        "receivedApprovals",
        server_default=default("0"),
    )
    status: Mapped[ApprovalStatus] = mapped_column(
        "status",
        server_default=default("'PENDING'::\"ApprovalStatus\""),
    )
    expires_at: Mapped[datetime] = mapped_column("expiresAt")
    created_at: Mapped[CreatedAt] = mapped_column("createdAt")
    updated_at: Mapped[UpdatedAt] = mapped_column("updatedAt")

    business_account: Mapped[BusinessAccount] = relationship(back_populates="approvals")
    outbox_command: Mapped[OutboxCommand] = relationship(back_populates="approvals")
    votes: Mapped[list[ApprovalVote]] = relationship(
        back_populates="approval",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class ApprovalVote(Base):
    """One signatory's vote on a transaction approval."""

    __tablename__ = "ApprovalVote"
    __table_args__ = (
        PrimaryKeyConstraint("voteId", name="ApprovalVote_pkey"),
        Index(
            "ApprovalVote_tenantId_approvalId_signatoryId_key",
            "tenantId",
            "approvalId",
            "signatoryId",
            unique=True,
        ),
        Index("ApprovalVote_tenantId_signatoryId_idx", "tenantId", "signatoryId"),
    )

    vote_id: Mapped[UuidPk] = mapped_column("voteId")
    tenant_id: Mapped[TenantId] = mapped_column("tenantId")
    approval_id: Mapped[str] = mapped_column(
        "approvalId",
        ForeignKey(
            "TransactionApproval.approvalId",
            name="ApprovalVote_approvalId_fkey",
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
    )
    signatory_id: Mapped[str] = mapped_column(
        "signatoryId",
        ForeignKey(
            "BusinessSignatory.signatoryId",
            name="ApprovalVote_signatoryId_fkey",
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
    )
    approved: Mapped[bool] = mapped_column("approved")
    remarks: Mapped[str | None] = mapped_column("remarks")
    voted_at: Mapped[datetime] = mapped_column(
        "votedAt",
        server_default=default("CURRENT_TIMESTAMP"),
    )

    approval: Mapped[TransactionApproval] = relationship(back_populates="votes")
    signatory: Mapped[BusinessSignatory] = relationship(back_populates="votes")
