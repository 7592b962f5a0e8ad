"""Licensing: partners, their applications, licenses, API credentials and grants."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, PrimaryKeyConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gxschema.models.base import Amount, Base, CountryCode, CreatedAt, TenantId, UuidPk, default
from gxschema.models.enums import CredentialStatus, LicenseStatus, PartnerStatus

if TYPE_CHECKING:
    from gxschema.models.platform import WebhookEndpoint
    from gxschema.models.reference import Country


class LicensedPartner(Base):
    """A company licensed to build on the protocol in a jurisdiction."""

    __tablename__ = "LicensedPartner"
    __table_args__ = (
        PrimaryKeyConstraint("partnerId", name="LicensedPartner_pkey"),
        Index("LicensedPartner_tenantId_companyName_key", "tenantId", "companyName", unique=True),
        Index("LicensedPartner_tenantId_status_idx", "tenantId", "status"),
        {
            "comment": (
                "Companies licensed to build on the protocol, each in one "
                "jurisdiction; unique by name per tenant."
            )
        },
    )

    partner_id: Mapped[UuidPk] = mapped_column("partnerId")
    tenant_id: Mapped[TenantId] = mapped_column("tenantId")
    company_name: Mapped[str] = mapped_column(
        "companyName", comment="Legal name of the partner; unique per tenant."
    )
    jurisdiction_country_code: Mapped[CountryCode] = mapped_column(
        "jurisdictionCountryCode",
        ForeignKey(
            "Country.countryCode",
            name="LicensedPartner_jurisdictionCountryCode_fkey",
            ondelete="RESTRICT",
            onupdate="CASCADE",
        ),
        comment="Country the partner is licensed in.",
    )
    status: Mapped[PartnerStatus] = mapped_column(
        "status",
        server_default=default("'PENDING'::\"PartnerStatus\""),
        comment="State of the partner; new partners start PENDING.",
    )
    created_at: Mapped[CreatedAt] = mapped_column("createdAt")

    jurisdiction: Mapped[Country] = relationship(back_populates="licensed_partners")
    applications: Mapped[list[Application]] = relationship(
        back_populates="partner",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    grants: Mapped[list[PartnerGrant]] = relationship(
        back_populates="partner",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    webhook_endpoints: Mapped[list[WebhookEndpoint]] = relationship(
        back_populates="partner",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class Application(Base):
    """A partner's application."""

    __tablename__ = "Application"
    __table_args__ = (
        PrimaryKeyConstraint("appId", name="Application_pkey"),
        Index("Application_tenantId_appName_key", "tenantId", "appName", unique=True),
        Index("Application_tenantId_partnerId_idx", "tenantId", "partnerId"),
        {
            "comment": (
                "Applications a licensed partner builds on the protocol; unique by name per tenant."
            )
        },
    )

    app_id: Mapped[UuidPk] = mapped_column("appId")
    tenant_id: Mapped[TenantId] = mapped_column("tenantId")
    partner_id: Mapped[str] = mapped_column(
        "partnerId",
        ForeignKey(
            "LicensedPartner.partnerId",
            name="Application_partnerId_fkey",
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
        comment="The partner that owns the application.",
    )
    app_name: Mapped[str] = mapped_column(
        "appName", comment="Name of the application; unique per tenant."
    )
    created_at: Mapped[CreatedAt] = mapped_column("createdAt")

    partner: Mapped[LicensedPartner] = relationship(back_populates="applications")
    licenses: Mapped[list[License]] = relationship(
        back_populates="application",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class License(Base):
    """A license granted to a partner application."""

    __tablename__ = "License"
    __table_args__ = (
        PrimaryKeyConstraint("licenseId", name="License_pkey"),
        Index("License_tenantId_appId_idx", "tenantId", "appId"),
        Index("License_tenantId_status_idx", "tenantId", "status"),
        {"comment": "Licenses granted to a partner application, with their type and expiry."},
    )

    license_id: Mapped[UuidPk] = mapped_column("licenseId")
    tenant_id: Mapped[TenantId] = mapped_column("tenantId")
    app_id: Mapped[str] = mapped_column(
        "appId",
        ForeignKey(
            "Application.appId", name="License_appId_fkey", ondelete="CASCADE", onupdate="CASCADE"
        ),
        comment="The licensed application.",
    )
    license_type: Mapped[str] = mapped_column(
        "licenseType", comment="Kind of license, as the licensing service names it."
    )
    status: Mapped[LicenseStatus] = mapped_column(
        "status",
        server_default=default("'ACTIVE'::\"LicenseStatus\""),
        comment="State of the license.",
    )
    expiry_date: Mapped[datetime | None] = mapped_column(
        "expiryDate", comment="When the license expires; NULL for no expiry."
    )
    created_at: Mapped[CreatedAt] = mapped_column("createdAt")

    application: Mapped[Application] = relationship(back_populates="licenses")
    credentials: Mapped[list[Credential]] = relationship(
        back_populates="license",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class Credential(Base):
    """An API credential of a license; only a hash of the secret is stored."""

    __tablename__ = "Credential"
    __table_args__ = (
        PrimaryKeyConstraint("credentialId", name="Credential_pkey"),
        Index("Credential_tenantId_clientId_key", "tenantId", "clientId", unique=True),
        Index("Credential_tenantId_licenseId_idx", "tenantId", "licenseId"),
        {
            "comment": (
                "API client credentials of a license; only a hash of the client secret is stored."
            )
        },
    )

    credential_id: Mapped[UuidPk] = mapped_column("credentialId")
    tenant_id: Mapped[TenantId] = mapped_column("tenantId")
    license_id: Mapped[str] = mapped_column(
        "licenseId",
        ForeignKey(
            "License.licenseId",
            name="Credential_licenseId_fkey",
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
        comment="The license the credential belongs to.",
    )
    client_id: Mapped[str] = mapped_column(
        "clientId", comment="Public client id; unique per tenant."
    )
    client_secret_hash: Mapped[str] = mapped_column(
        "clientSecretHash",
        info={"secret": True},
        comment="Hash of the client secret; the secret itself is never stored.",
    )
    status: Mapped[CredentialStatus] = mapped_column(
        "status",
        server_default=default("'ACTIVE'::\"CredentialStatus\""),
        comment="Whether the credential may be used.",
    )
    created_at: Mapped[CreatedAt] = mapped_column("createdAt")

    license: Mapped[License] = relationship(back_populates="credentials")


class PartnerGrant(Base):
    """Funds granted to a partner."""

    __tablename__ = "PartnerGrant"
    __table_args__ = (
        PrimaryKeyConstraint("grantId", name="PartnerGrant_pkey"),
        Index("PartnerGrant_tenantId_partnerId_idx", "tenantId", "partnerId"),
        {
            "comment": (
                "Funds granted to a licensed partner, with the on-chain "
                "transaction that issued them."
            )
        },
    )

    grant_id: Mapped[UuidPk] = mapped_column("grantId")
    tenant_id: Mapped[TenantId] = mapped_column("tenantId")
    partner_id: Mapped[str] = mapped_column(
        "partnerId",
        ForeignKey(
            "LicensedPartner.partnerId",
            name="PartnerGrant_partnerId_fkey",
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
        comment="The partner funded.",
    )
    amount: Mapped[Amount] = mapped_column("amount", comment="Amount granted, in GX Coin.")
    purpose: Mapped[str | None] = mapped_column("purpose", comment="What the grant is for.")
    issuance_timestamp: Mapped[datetime | None] = mapped_column(
        "issuanceTimestamp", comment="When the grant was issued on chain."
    )
    on_chain_tx_id: Mapped[str | None] = mapped_column(
        "onChainTxId", comment="Fabric transaction that issued the grant."
    )

    partner: Mapped[LicensedPartner] = relationship(back_populates="grants")
