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
        {
            "comment": (
                "A profile's wallets: the link to an on-chain account and the "
                "balance cached off-chain. Soft-deleted through deletedAt."
            )
        },
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
        comment="The owner.",
    )
    primary_account_id: Mapped[str] = mapped_column(
        "primaryAccountId", comment="On-chain account id of the wallet; unique per tenant."
    )
    wallet_name: Mapped[str] = mapped_column(
        "walletName", comment="Name the owner gives the wallet."
    )
    cached_balance: Mapped[Amount] = mapped_column(
        "cachedBalance",
        server_default=default("0"),
        comment=(
            "Balance in GX Coin as last computed off-chain (numeric(36,9); "
            "1 coin = 100,000 Qirat); the chain is authoritative."
        ),
    )
    deleted_at: Mapped[datetime | None] = mapped_column(
        "deletedAt", comment="When the wallet was soft-deleted; NULL while it is live."
    )
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
        {
            "comment": (
                "Off-chain records of the on-chain transactions touching a "
                "wallet; append-only, the largest table by rows."
            )
        },
    )

    off_tx_id: Mapped[UuidPk] = mapped_column(
        "offTxId",
        comment=(
            "Primary key: a UUID the application generates (Prisma uuid()); "
            "the off-chain id of the record."
        ),
    )
    tenant_id: Mapped[TenantId] = mapped_column("tenantId")
    on_chain_tx_id: Mapped[str | None] = mapped_column(
        "onChainTxId",
        comment="Fabric transaction id on chain; unique per tenant, NULL until known.",
    )
    wallet_id: Mapped[str] = mapped_column(
        "walletId",
        ForeignKey(
            "Wallet.walletId",
            name="Transaction_walletId_fkey",
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
        comment="The wallet the record belongs to.",
    )
    type: Mapped[OffChainTxType] = mapped_column(
        "type", comment="Direction or kind of the movement, seen from the wallet."
    )
    counterparty: Mapped[str] = mapped_column(
        "counterparty",
        comment=(
            "Account id on the other side: another wallet's "
            "primaryAccountId or a system pool (SYSTEM_GENESIS_POOL, ...)."
        ),
    )
    amount: Mapped[Amount] = mapped_column(
        "amount", comment="Amount moved, in GX Coin (numeric(36,9); 1 coin = 100,000 Qirat)."
    )
    fee: Mapped[Amount] = mapped_column(
        "fee",
        server_default=default("0"),
        comment=(
            "Fee charged, in GX Coin: transactionFeeBps basis points of "
            "amount, none below transactionFeeThreshold."
        ),
    )
    remark: Mapped[str | None] = mapped_column("remark", comment="Free-text note of the sender.")
    timestamp: Mapped[datetime] = mapped_column(
        "timestamp", comment="When the transaction happened on chain."
    )
    block_number: Mapped[BigInt | None] = mapped_column(
        "blockNumber", comment="Block that committed the transaction."
    )

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
        {
            "comment": (
                "Saved payees of a profile: an identity id with a nickname, one "
                "row per tenant, owner and payee."
            )
        },
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
        comment="The profile that saved the payee.",
    )
    beneficiary_identity_id: Mapped[str] = mapped_column(
        "beneficiaryIdentityId", comment="Identity of the payee (an account or profile id)."
    )
    nickname: Mapped[str] = mapped_column("nickname", comment="Name the owner gives the payee.")
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
        {
            "comment": (
                "Entries of a profile's address book, linked to another profile "
                "when the contact has one."
            )
        },
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
        comment="The profile whose address book this is.",
    )
    contact_profile_id: Mapped[str | None] = mapped_column(
        "contactProfileId",
        ForeignKey(
            "UserProfile.profileId",
            name="Contact_contactProfileId_fkey",
            ondelete="SET NULL",
            onupdate="CASCADE",
        ),
        comment="The contact's own profile, if any; NULL when that profile is deleted.",
    )
    display_name: Mapped[str] = mapped_column(
        "displayName", comment="Name shown in the address book."
    )
    phone_number: Mapped[str | None] = mapped_column(
        "phoneNumber", comment="Phone number as saved by the owner."
    )
    email: Mapped[str | None] = mapped_column("email", comment="Email as saved by the owner.")
    notes: Mapped[str | None] = mapped_column("notes", comment="Free-text notes of the owner.")
    is_favorite: Mapped[bool] = mapped_column(
        "isFavorite",
        server_default=default("false"),
        comment="Whether the owner starred the contact.",
    )
    transaction_count: Mapped[int] = mapped_column(
        "transactionCount",
        server_default=default("0"),
        comment="Number of transactions the owner made with the contact.",
    )
    last_transaction_at: Mapped[datetime | None] = mapped_column(
        "lastTransactionAt", comment="When the owner last transacted with the contact."
    )
    status: Mapped[ContactStatus] = mapped_column(
        "status",
        server_default=default("'ACTIVE'::\"ContactStatus\""),
        comment="Whether the contact is active, blocked or archived.",
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
        {
            "comment": (
                "Collateral documents pledged against on-chain loans, one per "
                "loan; released when the loan is repaid."
            )
        },
    )

    collateral_id: Mapped[UuidPk] = mapped_column("collateralId")
    on_chain_loan_id: Mapped[str] = mapped_column(
        "onChainLoanId", comment="Id of the loan on chain; unique."
    )
    document_reference: Mapped[str] = mapped_column(
        "documentReference", comment="Object-storage reference of the collateral document."
    )
    document_hash: Mapped[str] = mapped_column(
        "documentHash", comment="Hash of the collateral document."
    )
    document_size: Mapped[int | None] = mapped_column(
        "documentSize", comment="Size of the document in bytes."
    )
    document_mime: Mapped[str | None] = mapped_column(
        "documentMime", comment="MIME type of the document."
    )
    status: Mapped[CollateralStatus] = mapped_column(
        "status",
        server_default=default("'PLEDGED'::\"CollateralStatus\""),
        comment="Whether the collateral is pledged or released.",
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
        {
            "comment": (
                "A wallet's balance on a date with the hoarding (velocity) tax "
                "owed on it; one row per tenant, wallet and date."
            )
        },
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
        comment="The wallet assessed.",
    )
    snapshot_date: Mapped[date] = mapped_column("snapshotDate", comment="Date of the snapshot.")
    balance: Mapped[Amount] = mapped_column("balance", comment="Balance on that date, in GX Coin.")
    days_held: Mapped[int] = mapped_column(
        "daysHeld",
        comment=(
            "Days the balance was held, counted within the hoarding-tax "
            "cycle (velocityTaxCycleDays)."
        ),
    )
    taxable_amount: Mapped[Amount] = mapped_column(
        "taxableAmount", comment="Part of the balance the tax applies to, in GX Coin."
    )
    tax_rate: Mapped[Decimal] = mapped_column(
        "taxRate",
        Numeric(5, 4),
        comment="Tax rate as a fraction: 0.1000 is 10 in 100 (velocityTaxRate).",
    )
    tax_owed: Mapped[Amount] = mapped_column(
        "taxOwed", comment="Tax owed, in GX Coin: taxableAmount times taxRate."
    )
    tax_paid: Mapped[bool] = mapped_column(
        "taxPaid", server_default=default("false"), comment="Whether the tax has been paid."
    )
    paid_at: Mapped[datetime | None] = mapped_column("paidAt", comment="When the tax was paid.")
    fabric_tx_id: Mapped[str | None] = mapped_column(
        "fabricTxId", comment="Fabric transaction that paid the tax."
    )
    created_at: Mapped[CreatedAt] = mapped_column("createdAt")

    wallet: Mapped[Wallet] = relationship(back_populates="hoarding_tax_snapshots")
