"""Trust: the social graph between profiles and the trust score computed from it."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, Numeric, PrimaryKeyConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gxschema.models.base import Base, CreatedAt, TenantId, UpdatedAt, UuidPk, default
from gxschema.models.enums import RelationshipStatus, RelationType

if TYPE_CHECKING:
    from gxschema.models.identity import UserProfile


class FamilyRelationship(Base):
    """A declared relationship between two profiles, confirmed or not by the other side."""

    __tablename__ = "FamilyRelationship"
    __table_args__ = (
        PrimaryKeyConstraint("relationshipId", name="FamilyRelationship_pkey"),
        Index(
            "FamilyRelationship_tenantId_initiatorProfileId_relatedProfi_key",
            "tenantId",
            "initiatorProfileId",
            "relatedProfileId",
            "relationType",
            unique=True,
        ),
        Index(
            "FamilyRelationship_tenantId_initiatorProfileId_idx", "tenantId", "initiatorProfileId"
        ),
        Index("FamilyRelationship_tenantId_relatedProfileId_idx", "tenantId", "relatedProfileId"),
        Index("FamilyRelationship_tenantId_status_idx", "tenantId", "status"),
        Index(
            "FamilyRelationship_tenantId_relationType_status_idx",
            "tenantId",
            "relationType",
            "status",
        ),
    )

    relationship_id: Mapped[UuidPk] = mapped_column("relationshipId")
    tenant_id: Mapped[TenantId] = mapped_column("tenantId")
    initiator_profile_id: Mapped[str] = mapped_column(
        "initiatorProfileId",
        ForeignKey(
            "UserProfile.profileId",
            name="FamilyRelationship_initiatorProfileId_fkey",
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
    )
    related_profile_id: Mapped[str | None] = mapped_column(
        "relatedProfileId",
        ForeignKey(
            "UserProfile.profileId",
            name="FamilyRelationship_relatedProfileId_fkey",
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
    )
    related_email: Mapped[str | None] = mapped_column("relatedEmail")
    relation_type: Mapped[RelationType] = mapped_column("relationType")
    status: Mapped[RelationshipStatus] = mapped_column(
        "status",
        server_default=default("'PENDING'::\"RelationshipStatus\""),
    )
    status_document_url: Mapped[str | None] = mapped_column("statusDocumentUrl")
    status_document_hash: Mapped[str | None] = mapped_column("statusDocumentHash")
    status_remarks: Mapped[str | None] = mapped_column("statusRemarks")
    confirmed_at: Mapped[datetime | None] = mapped_column("confirmedAt")
    rejected_at: Mapped[datetime | None] = mapped_column("rejectedAt")
    points_awarded: Mapped[int] = mapped_column("pointsAwarded", server_default=default("0"))
    is_applicable: Mapped[bool] = mapped_column("isApplicable", server_default=default("true"))
    created_at: Mapped[CreatedAt] = mapped_column("createdAt")
    updated_at: Mapped[UpdatedAt] = mapped_column("updatedAt")

    initiator: Mapped[UserProfile] = relationship(
        back_populates="initiated_relationships", foreign_keys=[initiator_profile_id]
    )
    related_profile: Mapped[UserProfile | None] = relationship(
        back_populates="received_relationships", foreign_keys=[related_profile_id]
    )


class TrustScore(Base):
    """A profile's trust score, weighted from family, business and friend relationships."""

    __tablename__ = "TrustScore"
    __table_args__ = (
        PrimaryKeyConstraint("profileId", name="TrustScore_pkey"),
        Index("TrustScore_tenantId_totalScore_idx", "tenantId", "totalScore"),
    )

    profile_id: Mapped[str] = mapped_column(
        "profileId",
        ForeignKey(
            "UserProfile.profileId",
            name="TrustScore_profileId_fkey",
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
        primary_key=True,
    )
    tenant_id: Mapped[TenantId] = mapped_column("tenantId")
    family_score: Mapped[int] = mapped_column("familyScore", server_default=default("0"))
    business_score: Mapped[int] = mapped_column("businessScore", server_default=default("0"))
    friends_score: Mapped[int] = mapped_column("friendsScore", server_default=default("0"))
    total_score: Mapped[int] = mapped_column("totalScore", server_default=default("0"))
    family_weight: Mapped[Decimal] = mapped_column(
        "familyWeight",
        Numeric(5, 2),
        server_default=default("0.80"),
    )
    business_weight: Mapped[Decimal] = mapped_column(
        "businessWeight",
        Numeric(5, 2),
        server_default=default("0.10"),
    )
    friends_weight: Mapped[Decimal] = mapped_column(
        "friendsWeight",
        Numeric(5, 2),
        server_default=default("0.10"),
    )
    last_calculated_at: Mapped[datetime] = mapped_column("lastCalculatedAt")
    calculation_version: Mapped[str] = mapped_column(
        "calculationVersion",
        server_default=default("'1.0'::text"),
    )

    profile: Mapped[UserProfile] = relationship(back_populates="trust_score")
