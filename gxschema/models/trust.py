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
        {
            "comment": (
                "Relationships a profile declares with another person (family, "
                "business, friends), confirmed or rejected by the other side; "
                "they feed the trust score."
            )
        },
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
        comment="The profile that declared the relationship.",
    )
    related_profile_id: Mapped[str | None] = mapped_column(
        "relatedProfileId",
        ForeignKey(
            "UserProfile.profileId",
            name="FamilyRelationship_relatedProfileId_fkey",
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
        comment=(
            "The other profile, once known; NULL while only relatedEmail "
            "identifies an invited person."
        ),
    )
    related_email: Mapped[str | None] = mapped_column(
        "relatedEmail", comment="Email of an invited person who has no profile yet."
    )
    relation_type: Mapped[RelationType] = mapped_column(
        "relationType", comment="Kind of relationship, from the initiator's point of view."
    )
    status: Mapped[RelationshipStatus] = mapped_column(
        "status",
        server_default=default("'PENDING'::\"RelationshipStatus\""),
        comment="Confirmation state; starts PENDING until the other side answers.",
    )
    status_document_url: Mapped[str | None] = mapped_column(
        "statusDocumentUrl",
        comment=(
            "Object-storage URL of a document supporting the status (death or divorce certificate)."
        ),
    )
    status_document_hash: Mapped[str | None] = mapped_column(
        "statusDocumentHash", comment="Hash of that document, to detect a changed file."
    )
    status_remarks: Mapped[str | None] = mapped_column(
        "statusRemarks", comment="Free-text remarks on the status."
    )
    confirmed_at: Mapped[datetime | None] = mapped_column(
        "confirmedAt", comment="When the other side confirmed."
    )
    rejected_at: Mapped[datetime | None] = mapped_column(
        "rejectedAt", comment="When the other side rejected."
    )
    points_awarded: Mapped[int] = mapped_column(
        "pointsAwarded",
        server_default=default("0"),
        comment="Trust-score points this relationship contributes.",
    )
    is_applicable: Mapped[bool] = mapped_column(
        "isApplicable",
        server_default=default("true"),
        comment="Whether the relationship counts for the trust score.",
    )
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
        {
            "comment": (
                "A profile's trust score: family, business and friends scores "
                "weighted into a total; one row per profile, recomputed by the "
                "services."
            )
        },
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
        comment="The profile scored; primary key, so one score per profile.",
    )
    tenant_id: Mapped[TenantId] = mapped_column("tenantId")
    family_score: Mapped[int] = mapped_column(
        "familyScore", server_default=default("0"), comment="Points from family relationships."
    )
    business_score: Mapped[int] = mapped_column(
        "businessScore", server_default=default("0"), comment="Points from business relationships."
    )
    friends_score: Mapped[int] = mapped_column(
        "friendsScore", server_default=default("0"), comment="Points from friend relationships."
    )
    total_score: Mapped[int] = mapped_column(
        "totalScore", server_default=default("0"), comment="Weighted total of the three scores."
    )
    family_weight: Mapped[Decimal] = mapped_column(
        "familyWeight",
        Numeric(5, 2),
        server_default=default("0.80"),
        comment="Weight of familyScore in totalScore (0.80 = 80 in 100).",
    )
    business_weight: Mapped[Decimal] = mapped_column(
        "businessWeight",
        Numeric(5, 2),
        server_default=default("0.10"),
        comment="Weight of businessScore in totalScore (0.10 = 10 in 100).",
    )
    friends_weight: Mapped[Decimal] = mapped_column(
        "friendsWeight",
        Numeric(5, 2),
        server_default=default("0.10"),
        comment="Weight of friendsScore in totalScore (0.10 = 10 in 100).",
    )
    last_calculated_at: Mapped[datetime] = mapped_column(
        "lastCalculatedAt", comment="When the score was last computed."
    )
    calculation_version: Mapped[str] = mapped_column(
        "calculationVersion",
        server_default=default("'1.0'::text"),
        comment="Version of the scoring rules that computed it.",
    )

    profile: Mapped[UserProfile] = relationship(back_populates="trust_score")
