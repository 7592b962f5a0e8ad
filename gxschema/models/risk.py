"""Risk and limits: per-profile transaction limits and per-transaction risk scores."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, PrimaryKeyConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gxschema.models.base import Amount, Base, CreatedAt, Json, TenantId, UpdatedAt, UuidPk, default
from gxschema.models.enums import LimitType

if TYPE_CHECKING:
    from gxschema.models.identity import UserProfile
    from gxschema.models.wallet import Transaction


class TransactionLimit(Base):
    """A send or receive limit on a profile."""

    __tablename__ = "TransactionLimit"
    __table_args__ = (
        PrimaryKeyConstraint("limitId", name="TransactionLimit_pkey"),
        Index("TransactionLimit_tenantId_profileId_idx", "tenantId", "profileId"),
        Index("TransactionLimit_tenantId_walletId_idx", "tenantId", "walletId"),
        Index("TransactionLimit_tenantId_isActive_idx", "tenantId", "isActive"),
        {
            "comment": (
                "Send and receive limits on a profile or a wallet, by amount "
                "and count per time window."
            )
        },
    )

    limit_id: Mapped[UuidPk] = mapped_column("limitId")
    tenant_id: Mapped[TenantId] = mapped_column("tenantId")
    profile_id: Mapped[str | None] = mapped_column(
        "profileId",
        ForeignKey(
            "UserProfile.profileId",
            name="TransactionLimit_profileId_fkey",
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
        comment="The profile limited; NULL for a wallet-level limit.",
    )
    wallet_id: Mapped[str | None] = mapped_column(
        "walletId", comment="The wallet limited, if the limit is per wallet (not a foreign key)."
    )
    limit_type: Mapped[LimitType] = mapped_column("limitType", comment="Which limit this is.")
    limit_amount: Mapped[Amount] = mapped_column(
        "limitAmount", comment="Largest total in GX Coin within the limit's window."
    )
    max_count: Mapped[int | None] = mapped_column(
        "maxCount",
        comment="Largest number of transactions within the window; NULL for no count limit.",
    )
    time_window_minutes: Mapped[int | None] = mapped_column(
        "timeWindowMinutes",
        comment=(
            "Window length in minutes for window-based limits "
            "(VELOCITY_CHECK); NULL when the limit type fixes the window."
        ),
    )
    is_active: Mapped[bool] = mapped_column(
        "isActive", server_default=default("true"), comment="Whether the limit is in force."
    )
    created_at: Mapped[CreatedAt] = mapped_column("createdAt")
    updated_at: Mapped[UpdatedAt] = mapped_column("updatedAt")

    profile: Mapped[UserProfile | None] = relationship(back_populates="transaction_limits")


class TransactionRiskScore(Base):
    """The risk assessment of one transaction."""

    __tablename__ = "TransactionRiskScore"
    __table_args__ = (
        PrimaryKeyConstraint("riskId", name="TransactionRiskScore_pkey"),
        Index("TransactionRiskScore_offTxId_key", "offTxId", unique=True),
        Index("TransactionRiskScore_tenantId_requiresReview_idx", "tenantId", "requiresReview"),
        Index("TransactionRiskScore_tenantId_riskScore_idx", "tenantId", "riskScore"),
        {
            "comment": (
                "Risk assessments of transactions, one per transaction; high "
                "scores wait for a review."
            )
        },
    )

    risk_id: Mapped[UuidPk] = mapped_column("riskId")
    tenant_id: Mapped[TenantId] = mapped_column("tenantId")
    off_tx_id: Mapped[str] = mapped_column(
        "offTxId",
        ForeignKey(
            "Transaction.offTxId",
            name="TransactionRiskScore_offTxId_fkey",
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
        comment="The transaction assessed; unique.",
    )
    risk_score: Mapped[int] = mapped_column("riskScore", comment="The score; higher is riskier.")
    risk_factors: Mapped[Json] = mapped_column(
        "riskFactors", nullable=False, comment="JSON detail of the factors behind the score."
    )
    requires_review: Mapped[bool] = mapped_column(
        "requiresReview",
        server_default=default("false"),
        comment="Whether a person must review the transaction.",
    )
    reviewed_at: Mapped[datetime | None] = mapped_column(
        "reviewedAt", comment="When it was reviewed."
    )
    reviewed_by: Mapped[str | None] = mapped_column("reviewedBy", comment="Who reviewed it.")
    review_notes: Mapped[str | None] = mapped_column("reviewNotes", comment="The reviewer's notes.")
    calculated_at: Mapped[datetime] = mapped_column(
        "calculatedAt",
        server_default=default("CURRENT_TIMESTAMP"),
        comment="When the score was computed.",
    )

    transaction: Mapped[Transaction] = relationship(back_populates="risk_score")
