"""Reference data: countries and the legal standing of GX Coin in each."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, PrimaryKeyConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gxschema.models.base import Base, CountryCode, CreatedAt, UuidPk
from gxschema.models.enums import LegalTenderStatusEnum

if TYPE_CHECKING:
    from gxschema.models.identity import OrganizationProfile, UserProfile
    from gxschema.models.kyc import KYCDocument
    from gxschema.models.licensing import LicensedPartner


class Country(Base):
    """An ISO 3166-1 country with the region the services group it under."""

    __tablename__ = "Country"
    __table_args__ = (
        PrimaryKeyConstraint("countryCode", name="Country_pkey"),
        {
            "comment": (
                "ISO 3166-1 countries with the region the services group them "
                "under; reference data seeded from seeds/base/countries.csv."
            )
        },
    )

    country_code: Mapped[CountryCode] = mapped_column(
        "countryCode",
        primary_key=True,
        comment="ISO 3166-1 alpha-2 code, upper case (KE, NG, ...).",
    )
    country_name: Mapped[str] = mapped_column(
        "countryName", comment="ISO 3166-1 short name of the country."
    )
    region: Mapped[str | None] = mapped_column(
        "region",
        comment=(
            "Region the services group the country under: Africa, Asia, "
            "Europe, North America, South America or Oceania."
        ),
    )

    legal_tender_statuses: Mapped[list[LegalTenderStatus]] = relationship(
        back_populates="country",
        passive_deletes="all",
    )
    nationals: Mapped[list[UserProfile]] = relationship(
        back_populates="nationality",
        passive_deletes=True,
    )
    organizations: Mapped[list[OrganizationProfile]] = relationship(
        back_populates="jurisdiction",
        passive_deletes="all",
    )
    kyc_documents: Mapped[list[KYCDocument]] = relationship(
        back_populates="issuer_country",
        passive_deletes=True,
    )
    licensed_partners: Mapped[list[LicensedPartner]] = relationship(
        back_populates="jurisdiction",
        passive_deletes="all",
    )


class LegalTenderStatus(Base):
    """A dated record of GX Coin being recognised, sandboxed or legal tender in a country."""

    __tablename__ = "LegalTenderStatus"
    __table_args__ = (
        PrimaryKeyConstraint("statusId", name="LegalTenderStatus_pkey"),
        Index("LegalTenderStatus_countryCode_effectiveDate_idx", "countryCode", "effectiveDate"),
        {
            "comment": (
                "Dated records of GX Coin being recognised, sandboxed or legal "
                "tender in a country; the newest effectiveDate per country is "
                "the current standing."
            )
        },
    )

    status_id: Mapped[UuidPk] = mapped_column("statusId")
    country_code: Mapped[CountryCode] = mapped_column(
        "countryCode",
        ForeignKey(
            "Country.countryCode",
            name="LegalTenderStatus_countryCode_fkey",
            ondelete="RESTRICT",
            onupdate="CASCADE",
        ),
        comment="Country the status applies to.",
    )
    status: Mapped[LegalTenderStatusEnum] = mapped_column(
        "status", comment="Legal standing of GX Coin in the country from effectiveDate on."
    )
    effective_date: Mapped[datetime] = mapped_column(
        "effectiveDate", comment="When the status takes effect."
    )
    created_at: Mapped[CreatedAt] = mapped_column("createdAt")

    country: Mapped[Country] = relationship(back_populates="legal_tender_statuses")
