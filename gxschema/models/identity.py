"""Identity: people, organisations, and who belongs to which organisation."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, PrimaryKeyConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gxschema.models.base import (
    Base,
    CountryCode,
    CreatedAt,
    CuidPk,
    TenantId,
    UpdatedAt,
    UuidPk,
    default,
)
from gxschema.models.enums import OrgProfileStatus, UserProfileStatus

if TYPE_CHECKING:
    from gxschema.models.business import BusinessAccount, BusinessSignatory
    from gxschema.models.kyc import KYCVerification
    from gxschema.models.notifications import Notification, PushToken
    from gxschema.models.reference import Country
    from gxschema.models.risk import TransactionLimit
    from gxschema.models.security import TrustedDevice, UserSession
    from gxschema.models.trust import FamilyRelationship, TrustScore
    from gxschema.models.wallet import Beneficiary, Contact, Wallet


class UserProfile(Base):
    """A person registered with the protocol; the root of most per-user data."""

    __tablename__ = "UserProfile"
    __table_args__ = (
        PrimaryKeyConstraint("profileId", name="UserProfile_pkey"),
        Index("UserProfile_email_key", "email", unique=True),
        Index("UserProfile_phoneNum_key", "phoneNum", unique=True),
        Index("UserProfile_biometricHash_key", "biometricHash", unique=True),
        Index("UserProfile_tenantId_status_idx", "tenantId", "status"),
        Index("UserProfile_tenantId_email_idx", "tenantId", "email"),
        Index("UserProfile_tenantId_phoneNum_idx", "tenantId", "phoneNum"),
        Index("UserProfile_tenantId_deletedAt_idx", "tenantId", "deletedAt"),
        Index(
            "UserProfile_tenantId_nationalityCountryCode_idx", "tenantId", "nationalityCountryCode"
        ),
        Index("UserProfile_biometricHash_idx", "biometricHash"),
        Index("UserProfile_tenantId_status_createdAt_idx", "tenantId", "status", "createdAt"),
        {
            "comment": (
                "People registered with the protocol; the root of most per-user "
                "data (wallets, KYC, sessions, relationships). Soft-deleted "
                "through deletedAt."
            )
        },
    )

    profile_id: Mapped[UuidPk] = mapped_column("profileId")
    tenant_id: Mapped[TenantId] = mapped_column("tenantId")
    first_name: Mapped[str] = mapped_column("firstName", comment="Given name.")
    last_name: Mapped[str] = mapped_column("lastName", comment="Family name.")
    email: Mapped[str | None] = mapped_column(
        "email", comment="Email address; unique across all tenants when set."
    )
    phone_num: Mapped[str | None] = mapped_column(
        "phoneNum",
        comment="Phone number in international format; unique across all tenants when set.",
    )
    identity_num: Mapped[str | None] = mapped_column(
        "identityNum", comment="National identity document number, as entered."
    )
    biometric_hash: Mapped[str] = mapped_column(
        "biometricHash",
        info={"secret": True},
        comment=(
            "Hash of the person's biometric template; unique, so one person "
            "registers once. Indexed twice (see docs/schema-notes.md)."
        ),
    )
    password_hash: Mapped[str] = mapped_column(
        "passwordHash",
        info={"secret": True},
        comment="Salted hash of the password; the password itself is never stored.",
    )
    nationality_country_code: Mapped[CountryCode | None] = mapped_column(
        "nationalityCountryCode",
        ForeignKey(
            "Country.countryCode",
            name="UserProfile_nationalityCountryCode_fkey",
            ondelete="SET NULL",
            onupdate="CASCADE",
        ),
        comment="Nationality; set to NULL if the country is deleted.",
    )
    status: Mapped[UserProfileStatus] = mapped_column(
        "status",
        server_default=default("'PENDING_VERIFICATION'::\"UserProfileStatus\""),
        comment="Verification state; new profiles start PENDING_VERIFICATION.",
    )
    deleted_at: Mapped[datetime | None] = mapped_column(
        "deletedAt", comment="When the profile was soft-deleted; NULL while it is live."
    )
    created_at: Mapped[CreatedAt] = mapped_column("createdAt")
    updated_at: Mapped[UpdatedAt] = mapped_column("updatedAt")

    nationality: Mapped[Country | None] = relationship(back_populates="nationals")
    kyc_verifications: Mapped[list[KYCVerification]] = relationship(
        back_populates="profile",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    initiated_relationships: Mapped[list[FamilyRelationship]] = relationship(
        back_populates="initiator",
        foreign_keys="FamilyRelationship.initiator_profile_id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    received_relationships: Mapped[list[FamilyRelationship]] = relationship(
        back_populates="related_profile",
        foreign_keys="FamilyRelationship.related_profile_id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    trust_score: Mapped[TrustScore | None] = relationship(
        back_populates="profile",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    wallets: Mapped[list[Wallet]] = relationship(
        back_populates="profile",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    beneficiaries: Mapped[list[Beneficiary]] = relationship(
        back_populates="owner",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    contacts: Mapped[list[Contact]] = relationship(
        back_populates="owner",
        foreign_keys="Contact.owner_profile_id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    contact_of: Mapped[list[Contact]] = relationship(
        back_populates="contact_profile",
        foreign_keys="Contact.contact_profile_id",
        passive_deletes=True,
    )
    signatory_roles: Mapped[list[BusinessSignatory]] = relationship(
        back_populates="profile",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    transaction_limits: Mapped[list[TransactionLimit]] = relationship(
        back_populates="profile",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    sessions: Mapped[list[UserSession]] = relationship(
        back_populates="profile",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    trusted_devices: Mapped[list[TrustedDevice]] = relationship(
        back_populates="profile",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    notifications: Mapped[list[Notification]] = relationship(
        back_populates="recipient",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    push_tokens: Mapped[list[PushToken]] = relationship(
        back_populates="profile",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    organization_links: Mapped[list[UserOrganizationLink]] = relationship(
        back_populates="user_profile",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class OrganizationProfile(Base):
    """A registered organisation (company, NGO, government body)."""

    __tablename__ = "OrganizationProfile"
    __table_args__ = (
        PrimaryKeyConstraint("orgProfileId", name="OrganizationProfile_pkey"),
        Index("OrganizationProfile_tenantId_status_idx", "tenantId", "status"),
        Index("OrganizationProfile_tenantId_deletedAt_idx", "tenantId", "deletedAt"),
        {
            "comment": (
                "Registered organisations (companies, NGOs, government bodies) "
                "that people belong to and that hold business accounts. "
                "Soft-deleted through deletedAt."
            )
        },
    )

    org_profile_id: Mapped[UuidPk] = mapped_column("orgProfileId")
    tenant_id: Mapped[TenantId] = mapped_column("tenantId")
    legal_name: Mapped[str] = mapped_column("legalName", comment="Registered legal name.")
    registration_number: Mapped[str | None] = mapped_column(
        "registrationNumber", comment="Company or registry number in its jurisdiction."
    )
    jurisdiction_country_code: Mapped[CountryCode] = mapped_column(
        "jurisdictionCountryCode",
        ForeignKey(
            "Country.countryCode",
            name="OrganizationProfile_jurisdictionCountryCode_fkey",
            ondelete="RESTRICT",
            onupdate="CASCADE",
        ),
        comment="Country the organisation is registered in.",
    )
    address: Mapped[str | None] = mapped_column("address", comment="Registered address, free text.")
    status: Mapped[OrgProfileStatus] = mapped_column(
        "status",
        server_default=default("'PENDING_VERIFICATION'::\"OrgProfileStatus\""),
        comment="Verification state; new organisations start PENDING_VERIFICATION.",
    )
    deleted_at: Mapped[datetime | None] = mapped_column(
        "deletedAt", comment="When the organisation was soft-deleted; NULL while it is live."
    )
    created_at: Mapped[CreatedAt] = mapped_column("createdAt")
    updated_at: Mapped[UpdatedAt] = mapped_column("updatedAt")

    jurisdiction: Mapped[Country] = relationship(back_populates="organizations")
    business_accounts: Mapped[list[BusinessAccount]] = relationship(
        back_populates="organization",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    member_links: Mapped[list[UserOrganizationLink]] = relationship(
        back_populates="organization",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class UserOrganizationLink(Base):
    """Membership of a user in an organisation."""

    __tablename__ = "UserOrganizationLink"
    __table_args__ = (
        PrimaryKeyConstraint("id", name="UserOrganizationLink_pkey"),
        Index(
            "UserOrganizationLink_tenantId_userProfileId_orgProfileId_key",
            "tenantId",
            "userProfileId",
            "orgProfileId",
            unique=True,
        ),
        Index("UserOrganizationLink_userProfileId_idx", "userProfileId"),
        Index("UserOrganizationLink_orgProfileId_idx", "orgProfileId"),
        Index("UserOrganizationLink_tenantId_idx", "tenantId"),
        {
            "comment": (
                "Membership of a user in an organisation, with the user's role "
                "there; one row per tenant, user and organisation."
            )
        },
    )

    id: Mapped[CuidPk] = mapped_column("id")
    tenant_id: Mapped[TenantId] = mapped_column("tenantId")
    user_profile_id: Mapped[str] = mapped_column(
        "userProfileId",
        ForeignKey(
            "UserProfile.profileId",
            name="UserOrganizationLink_userProfileId_fkey",
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
        comment="The member.",
    )
    org_profile_id: Mapped[str] = mapped_column(
        "orgProfileId",
        ForeignKey(
            "OrganizationProfile.orgProfileId",
            name="UserOrganizationLink_orgProfileId_fkey",
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
        comment="The organisation.",
    )
    role: Mapped[str] = mapped_column(
        "role", comment="The member's role in the organisation, free text set by the services."
    )
    added_at: Mapped[datetime] = mapped_column(
        "addedAt",
        server_default=default("CURRENT_TIMESTAMP"),
        comment="When the user was added to the organisation.",
    )

    user_profile: Mapped[UserProfile] = relationship(back_populates="organization_links")
    organization: Mapped[OrganizationProfile] = relationship(back_populates="member_links")
