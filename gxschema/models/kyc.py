"""KYC: identity verifications and the documents submitted for them."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, PrimaryKeyConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gxschema.models.base import Base, CountryCode, CreatedAt, TenantId, UpdatedAt, UuidPk, default
from gxschema.models.enums import DocumentType, KycStatus

if TYPE_CHECKING:
    from gxschema.models.identity import UserProfile
    from gxschema.models.reference import Country


class KYCVerification(Base):
    """One KYC review of a profile's identity."""

    __tablename__ = "KYCVerification"
    __table_args__ = (
        PrimaryKeyConstraint("kycId", name="KYCVerification_pkey"),
        Index("KYCVerification_profileId_idx", "profileId"),
        Index("KYCVerification_status_idx", "status"),
    )

    kyc_id: Mapped[UuidPk] = mapped_column("kycId")
    profile_id: Mapped[str] = mapped_column(
        "profileId",
        ForeignKey(
            "UserProfile.profileId",
            name="KYCVerification_profileId_fkey",
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
    )
    status: Mapped[KycStatus] = mapped_column("status")
    verified_at: Mapped[datetime | None] = mapped_column("verifiedAt")
    verifier_details: Mapped[str | None] = mapped_column("verifierDetails")
    evidence_hash: Mapped[str | None] = mapped_column("evidenceHash")
    evidence_size: Mapped[int | None] = mapped_column("evidenceSize")
    evidence_mime: Mapped[str | None] = mapped_column("evidenceMime")
    created_at: Mapped[CreatedAt] = mapped_column("createdAt")
    updated_at: Mapped[UpdatedAt] = mapped_column("updatedAt")

    profile: Mapped[UserProfile] = relationship(back_populates="kyc_verifications")
    documents: Mapped[list[KYCDocument]] = relationship(
        back_populates="kyc",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class KYCDocument(Base):
    """A document uploaded for a KYC verification.

    The file lives in object storage; the row keeps its URL, hash and review state.
    """

    __tablename__ = "KYCDocument"
    __table_args__ = (
        PrimaryKeyConstraint("documentId", name="KYCDocument_pkey"),
        Index("KYCDocument_tenantId_kycId_idx", "tenantId", "kycId"),
        Index("KYCDocument_documentType_idx", "documentType"),
        Index("KYCDocument_fileHash_idx", "fileHash"),
    )

    document_id: Mapped[UuidPk] = mapped_column("documentId")
    tenant_id: Mapped[TenantId] = mapped_column("tenantId")
    kyc_id: Mapped[str] = mapped_column(
        "kycId",
        ForeignKey(
            "KYCVerification.kycId",
            name="KYCDocument_kycId_fkey",
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
    )
    document_type: Mapped[DocumentType] = mapped_column("documentType")
    document_number: Mapped[str | None] = mapped_column("documentNumber")
    issuing_country: Mapped[CountryCode | None] = mapped_column(
        "issuingCountry",
        ForeignKey(
            "Country.countryCode",
            name="KYCDocument_issuingCountry_fkey",
            ondelete="SET NULL",
            onupdate="CASCADE",
        ),
    )
    issued_date: Mapped[date | None] = mapped_column("issuedDate")
    expiry_date: Mapped[date | None] = mapped_column("expiryDate")
    storage_url: Mapped[str] = mapped_column("storageUrl")
    file_hash: Mapped[str] = mapped_column("fileHash")
    file_size: Mapped[int] = mapped_column("fileSize")
    mime_type: Mapped[str] = mapped_column("mimeType")
    encryption_key: Mapped[str | None] = mapped_column("encryptionKey")
    virus_scan_status: Mapped[str | None] = mapped_column("virusScanStatus")
    virus_scan_date: Mapped[datetime | None] = mapped_column("virusScanDate")
    version: Mapped[int] = mapped_column("version", server_default=default("1"))
    replaces_document_id: Mapped[str | None] = mapped_column("replacesDocumentId")
    uploaded_at: Mapped[datetime] = mapped_column(
        "uploadedAt",
        server_default=default("CURRENT_TIMESTAMP"),
    )
    verified_at: Mapped[datetime | None] = mapped_column("verifiedAt")
    verified_by: Mapped[str | None] = mapped_column("verifiedBy")

    kyc: Mapped[KYCVerification] = relationship(back_populates="documents")
    issuer_country: Mapped[Country | None] = relationship(back_populates="kyc_documents")
