"""Licensing: partners, two applications each, a license per application, two API
credentials per license (only a hash of a secret nobody knows), and grants."""

from __future__ import annotations

from collections.abc import Iterator

from gxschema.fake.core import (
    DAY_MS,
    EPOCH_MS,
    NANO,
    Context,
    Row,
    TableSpec,
    hex_token,
    money,
    stamp,
)
from gxschema.fake.pools import COUNTRIES

APPS = ("Wallet App", "Merchant API")
CREDENTIALS_PER_LICENSE = 2
GRANT_PURPOSES = (
    "Merchant onboarding incentive",
    "Agent network liquidity",
    "Developer programme",
    "Pilot in rural cooperatives",
)


def tables(ctx: Context) -> list[TableSpec]:
    partners = ctx.partners
    apps = partners * len(APPS)
    return [
        TableSpec(
            "LicensedPartner",
            (
                "partnerId",
                "tenantId",
                "companyName",
                "jurisdictionCountryCode",
                "status",
                "createdAt",
            ),
            partners,
            lambda: _partners(ctx, 0, ctx.partners),
            lambda start, stop: _partners(ctx, start, stop),
            ctx.partners,
        ),
        TableSpec(
            "Application",
            ("appId", "tenantId", "partnerId", "appName", "createdAt"),
            apps,
            lambda: _applications(ctx, 0, ctx.partners),
            lambda start, stop: _applications(ctx, start, stop),
            ctx.partners,
        ),
        TableSpec(
            "License",
            ("licenseId", "tenantId", "appId", "licenseType", "status", "expiryDate", "createdAt"),
            apps,
            lambda: _licenses(ctx, 0, ctx.partners),
            lambda start, stop: _licenses(ctx, start, stop),
            ctx.partners,
        ),
        TableSpec(
            "Credential",
            (
                "credentialId",
                "tenantId",
                "licenseId",
                "clientId",
                "clientSecretHash",
                "status",
                "createdAt",
            ),
            apps * CREDENTIALS_PER_LICENSE,
            lambda: _credentials(ctx, 0, ctx.partners),
            lambda start, stop: _credentials(ctx, start, stop),
            ctx.partners,
        ),
        TableSpec(
            "PartnerGrant",
            (
                "grantId",
                "tenantId",
                "partnerId",
                "amount",
                "purpose",
                "issuanceTimestamp",
                "onChainTxId",
            ),
            sum(grants(partner) for partner in range(partners)),
            lambda: _grants(ctx, 0, ctx.partners),
            lambda start, stop: _grants(ctx, start, stop),
            ctx.partners,
        ),
    ]


def grants(partner: int) -> int:
    return 1 + partner % 2


def partner_status(partner: int) -> str:
    if partner % 9 == 8:
        return "REVOKED"
    if partner % 7 == 1:
        return "PENDING"
    return "ACTIVE"


def partner_id(ctx: Context, partner: int) -> str:
    return ctx.ids("LicensedPartner").of(partner)


def _partners(ctx: Context, start: int, stop: int) -> Iterator[Row]:
    """Partners ``start`` to ``stop - 1``."""
    for partner in range(start, stop):
        yield (
            partner_id(ctx, partner),
            ctx.partner_tenant(partner),
            ctx.partner_name(partner),
            COUNTRIES[partner % len(COUNTRIES)][0],
            partner_status(partner),
            stamp(ctx.partner_created_ms(partner)),
        )


def _applications(ctx: Context, start: int, stop: int) -> Iterator[Row]:
    """The applications of partners ``start`` to ``stop - 1``."""
    ids = ctx.ids("Application")
    for partner in range(start, stop):
        for app, kind in enumerate(APPS):
            yield (
                ids(partner, app),
                ctx.partner_tenant(partner),
                partner_id(ctx, partner),
                f"{ctx.partner_name(partner)} {kind}",
                stamp(ctx.partner_created_ms(partner) + (app + 1) * DAY_MS),
            )


def _licenses(ctx: Context, start: int, stop: int) -> Iterator[Row]:
    """The licenses of partners ``start`` to ``stop - 1``."""
    ids = ctx.ids("License")
    apps = ctx.ids("Application")
    for partner in range(start, stop):
        status = partner_status(partner)
        for app in range(len(APPS)):
            created = ctx.partner_created_ms(partner) + (app + 2) * DAY_MS
            sandbox = status == "PENDING" or (app == 1 and partner % 3 == 0)
            expiry = created + (90 if sandbox else 730) * DAY_MS
            if status == "REVOKED":
                license_status = "REVOKED"
            elif expiry < EPOCH_MS:
                license_status = "EXPIRED"
            else:
                license_status = "ACTIVE"
            yield (
                ids(partner, app),
                ctx.partner_tenant(partner),
                apps(partner, app),
                "SANDBOX" if sandbox else "PRODUCTION",
                license_status,
                stamp(expiry),
                stamp(created),
            )


def _credentials(ctx: Context, start: int, stop: int) -> Iterator[Row]:
    """The credentials of partners ``start`` to ``stop - 1``."""
    ids = ctx.ids("Credential")
    licenses = ctx.ids("License")
    secret_key = ctx.key("client-secret")
    for partner in range(start, stop):
        revoked_partner = partner_status(partner) == "REVOKED"
        for app in range(len(APPS)):
            created = ctx.partner_created_ms(partner) + (app + 2) * DAY_MS
            for number in range(CREDENTIALS_PER_LICENSE):
                index = (partner * len(APPS) + app) * CREDENTIALS_PER_LICENSE + number
                yield (
                    ids(partner, app, number),
                    ctx.partner_tenant(partner),
                    licenses(partner, app),
                    ctx.client_id(partner, app, number),
                    # the hash of a secret that was never made: no one can authenticate
                    "sha256$" + hex_token(secret_key, index),
                    "REVOKED" if revoked_partner or (number == 1 and index % 5 == 0) else "ACTIVE",
                    stamp(created + number * 30 * DAY_MS),
                )


def _grants(ctx: Context, start: int, stop: int) -> Iterator[Row]:
    """The grants of partners ``start`` to ``stop - 1``."""
    ids = ctx.ids("PartnerGrant")
    chain_key = ctx.key("grant-tx")
    for partner in range(start, stop):
        issued_from = ctx.partner_created_ms(partner) + 20 * DAY_MS
        for number in range(grants(partner)):
            value = ctx.hash("grant", partner * 2 + number)
            issued = partner_status(partner) != "PENDING"
            moment = issued_from + number * 60 * DAY_MS
            yield (
                ids(partner, number),
                ctx.partner_tenant(partner),
                partner_id(ctx, partner),
                money((10_000 + value % 490_000) * NANO),
                GRANT_PURPOSES[(value >> 20) % len(GRANT_PURPOSES)],
                stamp(moment) if issued else None,
                hex_token(chain_key, partner * 2 + number) if issued else None,
            )
