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
        {
            "comment": (
                "An organisation's account, backed by one wallet, whose "
                "transactions need signatory approvals; one per tenant and "
                "organisation."
            )
        },
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
        comment="The organisation that owns the account.",
    )
    wallet_id: Mapped[str] = mapped_column(
        "walletId",
        ForeignKey(
            "Wallet.walletId",
            name="BusinessAccount_walletId_fkey",
            ondelete="RESTRICT",
            onupdate="CASCADE",
        ),
        comment=(
            "The wallet holding the account's funds; unique, and the wallet "
            "cannot be deleted while the account exists."
        ),
    )
    default_required_approvals: Mapped[int] = mapped_column(
        "defaultRequiredApprovals",
        server_default=default("1"),
        comment="Approvals a transaction needs when no SignatoryRule matches.",
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
        {
            "comment": (
                "People who may initiate or approve transactions of a business "
                "account; one row per tenant, account and person."
            )
        },
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
        comment="The business account.",
    )
    profile_id: Mapped[str] = mapped_column(
        "profileId",
        ForeignKey(
            "UserProfile.profileId",
            name="BusinessSignatory_profileId_fkey",
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
        comment="The signatory.",
    )
    role: Mapped[SignatoryRole] = mapped_column(
        "role", comment="The signatory's role on the account."
    )
    can_initiate_transactions: Mapped[bool] = mapped_column(
        "canInitiateTransactions",
        server_default=default("false"),
        comment="Whether the signatory may start transactions.",
    )
    can_approve_transactions: Mapped[bool] = mapped_column(
        "canApproveTransactions",
        server_default=default("false"),
        comment="Whether the signatory may vote on approvals.",
    )
    max_transaction_limit: Mapped[Amount | None] = mapped_column(
        "maxTransactionLimit",
        comment="Largest amount, in GX Coin, the signatory may initiate; NULL for no limit.",
    )
    invited_at: Mapped[datetime] = mapped_column(
        "invitedAt",
        server_default=default("CURRENT_TIMESTAMP"),
        comment="When the signatory was invited.",
    )
    confirmed_at: Mapped[datetime | None] = mapped_column(
        "confirmedAt", comment="When the invitee accepted."
    )
    revoked_at: Mapped[datetime | None] = mapped_column(
        "revokedAt", comment="When the signatory was revoked; NULL while active."
    )

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
        {
            "comment": (
                "Approval rules of a business account: how many approvals a "
                "transaction needs, by amount range and transaction type."
            )
        },
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
        comment="The business account.",
    )
    min_amount: Mapped[Amount | None] = mapped_column(
        "minAmount", comment="Lower bound of the amount range, in GX Coin; NULL for none."
    )
    max_amount: Mapped[Amount | None] = mapped_column(
        "maxAmount", comment="Upper bound of the amount range, in GX Coin; NULL for none."
    )
    required_approvals: Mapped[int] = mapped_column(
        "requiredApprovals", comment="Approvals a matching transaction needs."
    )
    transaction_type: Mapped[OffChainTxType | None] = mapped_column(
        "transactionType", comment="Transaction type the rule applies to; NULL for every type."
    )
    daily_limit: Mapped[Amount | None] = mapped_column(
        "dailyLimit", comment="Total the account may move per day under this rule, in GX Coin."
    )
    is_active: Mapped[bool] = mapped_column(
        "isActive", server_default=default("true"), comment="Whether the rule is in force."
    )
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
        {
            "comment": (
                "Business transactions waiting for signatory approvals; each "
                "holds back one outbox command until enough votes arrive or it "
                "expires."
            )
        },
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
        comment="The business account.",
    )
    outbox_command_id: Mapped[str] = mapped_column(
        "outboxCommandId",
        ForeignKey(
            "OutboxCommand.id",
            name="TransactionApproval_outboxCommandId_fkey",
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
        comment="The command submitted once approved; unique per tenant.",
    )
    required_approvals: Mapped[int] = mapped_column(
        "requiredApprovals", comment="Approving votes needed before the command is submitted."
    )
    received_approvals: Mapped[int] = mapped_column(
        "receivedApprovals",
        server_default=default("0"),
        comment="Approving votes so far.",
    )
    status: Mapped[ApprovalStatus] = mapped_column(
        "status",
        server_default=default("'PENDING'::\"ApprovalStatus\""),
        comment="State of the request.",
    )
    expires_at: Mapped[datetime] = mapped_column(
        "expiresAt", comment="When an unfinished request expires."
    )
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
        {
            "comment": (
                "One signatory's vote on a transaction approval; one per "
                "tenant, approval and signatory."
            )
        },
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
        comment="The approval voted on.",
    )
    signatory_id: Mapped[str] = mapped_column(
        "signatoryId",
        ForeignKey(
            "BusinessSignatory.signatoryId",
            name="ApprovalVote_signatoryId_fkey",
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
        comment="The signatory who voted.",
    )
    approved: Mapped[bool] = mapped_column("approved", comment="true to approve, false to reject.")
    remarks: Mapped[str | None] = mapped_column("remarks", comment="The signatory's comment.")
    voted_at: Mapped[datetime] = mapped_column(
        "votedAt",
        server_default=default("CURRENT_TIMESTAMP"),
        comment="When the vote was cast.",
    )

    approval: Mapped[TransactionApproval] = relationship(back_populates="votes")
    signatory: Mapped[BusinessSignatory] = relationship(back_populates="votes")
