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
        {
            "comment": (
                "KYC (know your customer) reviews of a profile's identity, with "
                "their outcome and a hash of the evidence."
            )
        },
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
        comment="The profile under review.",
    )
    status: Mapped[KycStatus] = mapped_column("status", comment="Outcome of the review.")
    verified_at: Mapped[datetime | None] = mapped_column(
        "verifiedAt", comment="When the review concluded."
    )
    verifier_details: Mapped[str | None] = mapped_column(
        "verifierDetails", comment="Who or what verified (reviewer, provider, reference)."
    )
    evidence_hash: Mapped[str | None] = mapped_column(
        "evidenceHash", comment="Hash of the evidence bundle reviewed."
    )
    evidence_size: Mapped[int | None] = mapped_column(
        "evidenceSize", comment="Size of the evidence in bytes."
    )
    evidence_mime: Mapped[str | None] = mapped_column(
        "evidenceMime", comment="MIME type of the evidence."
    )
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
        {
            "comment": (
                "Documents uploaded for a KYC review; the file lives in object "
                "storage, the row keeps its URL, hash and review state."
            )
        },
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
        comment="The KYC review the document belongs to.",
    )
    document_type: Mapped[DocumentType] = mapped_column("documentType", comment="Kind of document.")
    document_number: Mapped[str | None] = mapped_column(
        "documentNumber", comment="Number printed on the document (passport number, ...)."
    )
    issuing_country: Mapped[CountryCode | None] = mapped_column(
        "issuingCountry",
        ForeignKey(
            "Country.countryCode",
            name="KYCDocument_issuingCountry_fkey",
            ondelete="SET NULL",
            onupdate="CASCADE",
        ),
        comment="Country that issued the document; NULL if that country is deleted.",
    )
    issued_date: Mapped[date | None] = mapped_column(
        "issuedDate", comment="Date of issue printed on the document."
    )
    expiry_date: Mapped[date | None] = mapped_column(
        "expiryDate", comment="Expiry date printed on the document."
    )
    storage_url: Mapped[str] = mapped_column(
        "storageUrl", comment="Object-storage URL of the file."
    )
    file_hash: Mapped[str] = mapped_column(
        "fileHash", comment="Hash of the file, to detect tampering and duplicates."
    )
    file_size: Mapped[int] = mapped_column(
        "fileSize", comment="File size in bytes (the services accept up to kycMaxFileSize)."
    )
    mime_type: Mapped[str] = mapped_column(
        "mimeType", comment="MIME type of the file (one of kycAllowedMimeTypes)."
    )
    encryption_key: Mapped[str | None] = mapped_column(
        "encryptionKey",
        comment=(
            "Key material or key reference of the stored file's encryption, "
            "as the KYC service writes it; NULL when the file is not "
            "encrypted."
        ),
    )
    virus_scan_status: Mapped[str | None] = mapped_column(
        "virusScanStatus", comment="Result of the virus scan, as the scanner reports it."
    )
    virus_scan_date: Mapped[datetime | None] = mapped_column(
        "virusScanDate", comment="When the file was scanned."
    )
    version: Mapped[int] = mapped_column(
        "version",
        server_default=default("1"),
        comment="Version of the document, 1 for the first upload.",
    )
    replaces_document_id: Mapped[str | None] = mapped_column(
        "replacesDocumentId",
        comment="documentId of the document this upload replaces (not a foreign key).",
    )
    uploaded_at: Mapped[datetime] = mapped_column(
        "uploadedAt",
        server_default=default("CURRENT_TIMESTAMP"),
        comment="When the file was uploaded.",
    )
    verified_at: Mapped[datetime | None] = mapped_column(
        "verifiedAt", comment="When a reviewer accepted the document."
    )
    verified_by: Mapped[str | None] = mapped_column(
        "verifiedBy", comment="Who accepted the document."
    )

    kyc: Mapped[KYCVerification] = relationship(back_populates="documents")
    issuer_country: Mapped[Country | None] = relationship(back_populates="kyc_documents")
