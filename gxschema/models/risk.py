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
    )
    wallet_id: Mapped[str | None] = mapped_column("walletId")
    limit_type: Mapped[LimitType] = mapped_column("limitType")
    limit_amount: Mapped[Amount] = mapped_column("limitAmount")
    max_count: Mapped[int | None] = mapped_column("maxCount")
    time_window_minutes: Mapped[int | None] = mapped_column("timeWindowMinutes")
    is_active: Mapped[bool] = mapped_column("isActive", server_default=default("true"))
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
    )
    risk_score: Mapped[int] = mapped_column("riskScore")
    risk_factors: Mapped[Json] = mapped_column("riskFactors", nullable=False)
    requires_review: Mapped[bool] = mapped_column("requiresReview", server_default=default("false"))
    reviewed_at: Mapped[datetime | None] = mapped_column("reviewedAt")
    reviewed_by: Mapped[str | None] = mapped_column("reviewedBy")
    review_notes: Mapped[str | None] = mapped_column("reviewNotes")
    calculated_at: Mapped[datetime] = mapped_column(
        "calculatedAt",
        server_default=default("CURRENT_TIMESTAMP"),
    )

    transaction: Mapped[Transaction] = relationship(back_populates="risk_score")
