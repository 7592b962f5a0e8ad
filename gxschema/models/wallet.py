"""Wallets: balances, off-chain transaction records, payees, collateral and hoarding tax."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, Numeric, PrimaryKeyConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gxschema.models.base import (
    Amount,
    Base,
    BigInt,
    CreatedAt,
    TenantId,
    UpdatedAt,
    UuidPk,
    default,
)
from gxschema.models.enums import CollateralStatus, ContactStatus, OffChainTxType

if TYPE_CHECKING:
    from gxschema.models.business import BusinessAccount
    from gxschema.models.identity import UserProfile
    from gxschema.models.risk import TransactionRiskScore


class Wallet(Base):
    """A profile's wallet: the link to its on-chain account and a cached balance."""

    __tablename__ = "Wallet"
    __table_args__ = (
        PrimaryKeyConstraint("walletId", name="Wallet_pkey"),
        Index("Wallet_tenantId_primaryAccountId_key", "tenantId", "primaryAccountId", unique=True),
        Index("Wallet_tenantId_profileId_idx", "tenantId", "profileId"),
        Index("Wallet_tenantId_deletedAt_idx", "tenantId", "deletedAt"),
    )

    wallet_id: Mapped[UuidPk] = mapped_column("walletId")
    tenant_id: Mapped[TenantId] = mapped_column("tenantId")
    profile_id: Mapped[str] = mapped_column(
        "profileId",
        ForeignKey(
            "UserProfile.profileId",
            name="Wallet_profileId_fkey",
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
    )
    primary_account_id: Mapped[str] = mapped_column("primaryAccountId")
    wallet_name: Mapped[str] = mapped_column("walletName")
    cached_balance: Mapped[Amount] = mapped_column("cachedBalance", server_default=default("0"))
    deleted_at: Mapped[datetime | None] = mapped_column("deletedAt")
    created_at: Mapped[CreatedAt] = mapped_column("createdAt")
    updated_at: Mapped[UpdatedAt] = mapped_column("updatedAt")

    profile: Mapped[UserProfile] = relationship(back_populates="wallets")
    transactions: Mapped[list[Transaction]] = relationship(
        back_populates="wallet",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    business_account: Mapped[BusinessAccount | None] = relationship(
        back_populates="wallet",
        passive_deletes="all",
    )
    hoarding_tax_snapshots: Mapped[list[HoardingTaxSnapshot]] = relationship(
        back_populates="wallet",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class Transaction(Base):
    """An off-chain record of an on-chain transaction touching a wallet."""

    __tablename__ = "Transaction"
    __table_args__ = (
        PrimaryKeyConstraint("offTxId", name="Transaction_pkey"),
        Index("Transaction_tenantId_onChainTxId_key", "tenantId", "onChainTxId", unique=True),
        Index("Transaction_tenantId_walletId_timestamp_idx", "tenantId", "walletId", "timestamp"),
        Index(
            "Transaction_tenantId_counterparty_timestamp_idx",
            "tenantId",
            "counterparty",
            "timestamp",
        ),
        Index("Transaction_timestamp_idx", "timestamp"),
        Index("Transaction_tenantId_type_timestamp_idx", "tenantId", "type", "timestamp"),
    )

    off_tx_id: Mapped[UuidPk] = mapped_column("offTxId")
    tenant_id: Mapped[TenantId] = mapped_column("tenantId")
    on_chain_tx_id: Mapped[str | None] = mapped_column("onChainTxId")
    wallet_id: Mapped[str] = mapped_column(
        "walletId",
        ForeignKey(
            "Wallet.walletId",
            name="Transaction_walletId_fkey",
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
    )
    type: Mapped[OffChainTxType] = mapped_column("type")
    counterparty: Mapped[str] = mapped_column("counterparty")
    amount: Mapped[Amount] = mapped_column("amount")
    fee: Mapped[Amount] = mapped_column("fee", server_default=default("0"))
    remark: Mapped[str | None] = mapped_column("remark")
    timestamp: Mapped[datetime] = mapped_column("timestamp")
    block_number: Mapped[BigInt | None] = mapped_column("blockNumber")

    wallet: Mapped[Wallet] = relationship(back_populates="transactions")
    risk_score: Mapped[TransactionRiskScore | None] = relationship(
        back_populates="transaction",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class Beneficiary(Base):
    """A saved payee of a profile."""

    __tablename__ = "Beneficiary"
    __table_args__ = (
        PrimaryKeyConstraint("beneficiaryId", name="Beneficiary_pkey"),
        Index(
            "Beneficiary_tenantId_ownerProfileId_beneficiaryIdentityId_key",
            "tenantId",
            "ownerProfileId",
            "beneficiaryIdentityId",
            unique=True,
        ),
        Index("Beneficiary_ownerProfileId_idx", "ownerProfileId"),
    )

    beneficiary_id: Mapped[UuidPk] = mapped_column("beneficiaryId")
    tenant_id: Mapped[TenantId] = mapped_column("tenantId")
    owner_profile_id: Mapped[str] = mapped_column(
        "ownerProfileId",
        ForeignKey(
            "UserProfile.profileId",
            name="Beneficiary_ownerProfileId_fkey",
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
    )
    beneficiary_identity_id: Mapped[str] = mapped_column("beneficiaryIdentityId")
    nickname: Mapped[str] = mapped_column("nickname")
    created_at: Mapped[CreatedAt] = mapped_column("createdAt")

    owner: Mapped[UserProfile] = relationship(back_populates="beneficiaries")


class Contact(Base):
    """An entry in a profile's address book, possibly linked to another profile."""

    __tablename__ = "Contact"
    __table_args__ = (
        PrimaryKeyConstraint("contactId", name="Contact_pkey"),
        Index(
            "Contact_tenantId_ownerProfileId_contactProfileId_key",
            "tenantId",
            "ownerProfileId",
            "contactProfileId",
            unique=True,
        ),
        Index("Contact_tenantId_ownerProfileId_idx", "tenantId", "ownerProfileId"),
        Index("Contact_tenantId_status_idx", "tenantId", "status"),
    )

    contact_id: Mapped[UuidPk] = mapped_column("contactId")
    tenant_id: Mapped[TenantId] = mapped_column("tenantId")
    owner_profile_id: Mapped[str] = mapped_column(
        "ownerProfileId",
        ForeignKey(
            "UserProfile.profileId",
            name="Contact_ownerProfileId_fkey",
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
    )
    contact_profile_id: Mapped[str | None] = mapped_column(
        "contactProfileId",
        ForeignKey(
            "UserProfile.profileId",
            name="Contact_contactProfileId_fkey",
            ondelete="SET NULL",
            onupdate="CASCADE",
        ),
    )
    display_name: Mapped[str] = mapped_column("displayName")
    phone_number: Mapped[str | None] = mapped_column("phoneNumber")
    email: Mapped[str | None] = mapped_column("email")
    notes: Mapped[str | None] = mapped_column("notes")
    is_favorite: Mapped[bool] = mapped_column("isFavorite", server_default=default("false"))
    transaction_count: Mapped[int] = mapped_column("transactionCount", server_default=default("0"))
    last_transaction_at: Mapped[datetime | None] = mapped_column("lastTransactionAt")
    status: Mapped[ContactStatus] = mapped_column(
        "status",
        server_default=default("'ACTIVE'::\"ContactStatus\""),
    )
    created_at: Mapped[CreatedAt] = mapped_column("createdAt")
    updated_at: Mapped[UpdatedAt] = mapped_column("updatedAt")

    owner: Mapped[UserProfile] = relationship(
        back_populates="contacts", foreign_keys=[owner_profile_id]
    )
    contact_profile: Mapped[UserProfile | None] = relationship(
        back_populates="contact_of", foreign_keys=[contact_profile_id]
    )


class Collateral(Base):
    """Collateral pledged against an on-chain loan."""

    __tablename__ = "Collateral"
    __table_args__ = (
        PrimaryKeyConstraint("collateralId", name="Collateral_pkey"),
        Index("Collateral_onChainLoanId_key", "onChainLoanId", unique=True),
        Index("Collateral_onChainLoanId_idx", "onChainLoanId"),
        Index("Collateral_status_idx", "status"),
    )

    collateral_id: Mapped[UuidPk] = mapped_column("collateralId")
    on_chain_loan_id: Mapped[str] = mapped_column("onChainLoanId")
    document_reference: Mapped[str] = mapped_column("documentReference")
    document_hash: Mapped[str] = mapped_column("documentHash")
    document_size: Mapped[int | None] = mapped_column("documentSize")
    document_mime: Mapped[str | None] = mapped_column("documentMime")
    status: Mapped[CollateralStatus] = mapped_column(
        "status",
        server_default=default("'PLEDGED'::\"CollateralStatus\""),
    )
    created_at: Mapped[CreatedAt] = mapped_column("createdAt")


class HoardingTaxSnapshot(Base):
    """A wallet's balance at a date, with the hoarding (velocity) tax owed on it."""

    __tablename__ = "HoardingTaxSnapshot"
    __table_args__ = (
        PrimaryKeyConstraint("snapshotId", name="HoardingTaxSnapshot_pkey"),
        Index(
            "HoardingTaxSnapshot_tenantId_walletId_snapshotDate_key",
            "tenantId",
            "walletId",
            "snapshotDate",
            unique=True,
        ),
        Index(
            "HoardingTaxSnapshot_tenantId_snapshotDate_taxPaid_idx",
            "tenantId",
            "snapshotDate",
            "taxPaid",
        ),
        Index("HoardingTaxSnapshot_tenantId_taxPaid_idx", "tenantId", "taxPaid"),
    )

    snapshot_id: Mapped[UuidPk] = mapped_column("snapshotId")
    tenant_id: Mapped[TenantId] = mapped_column("tenantId")
    wallet_id: Mapped[str] = mapped_column(
        "walletId",
        ForeignKey(
            "Wallet.walletId",
            name="HoardingTaxSnapshot_walletId_fkey",
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
    )
    snapshot_date: Mapped[date] = mapped_column("snapshotDate")
    balance: Mapped[Amount] = mapped_column("balance")
    days_held: Mapped[int] = mapped_column("daysHeld")
    taxable_amount: Mapped[Amount] = mapped_column("taxableAmount")
    tax_rate: Mapped[Decimal] = mapped_column("taxRate", Numeric(5, 4))
    tax_owed: Mapped[Amount] = mapped_column("taxOwed")
    tax_paid: Mapped[bool] = mapped_column("taxPaid", server_default=default("false"))
    paid_at: Mapped[datetime | None] = mapped_column("paidAt")
    fabric_tx_id: Mapped[str | None] = mapped_column("fabricTxId")
    created_at: Mapped[CreatedAt] = mapped_column("createdAt")

    wallet: Mapped[Wallet] = relationship(back_populates="hoarding_tax_snapshots")
