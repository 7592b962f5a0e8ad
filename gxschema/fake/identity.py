"""Identity: users, organisations, and who belongs to which organisation."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from gxschema.fake.core import (
    DAY_MS,
    EPOCH_MS,
    HOUR_MS,
    Context,
    Row,
    TableSpec,
    cuid_at,
    cycle_total,
    hex_token,
    stamp,
)

ID_DIGITS = {"KE": 8, "NG": 11, "GH": 10, "ZA": 13, "TZ": 20, "IN": 12, "GB": 9, "US": 9}
ORG_STATUSES = ("VERIFIED",) * 7 + ("PENDING_VERIFICATION", "PENDING_VERIFICATION", "SUSPENDED")
MEMBER_ROLES = ("OWNER", "ADMIN", "FINANCE", "MEMBER")
MEMBERS = (2, 3, 4)
"""Members per organisation, by index (cycled), as `Context.org_member_count` has them."""


def tables(ctx: Context) -> list[TableSpec]:
    return [
        TableSpec(
            "UserProfile",
            (
                "profileId",
                "tenantId",
                "firstName",
                "lastName",
                "email",
                "phoneNum",
                "identityNum",
                "biometricHash",
                "passwordHash",
                "nationalityCountryCode",
                "status",
                "deletedAt",
                "createdAt",
                "updatedAt",
            ),
            ctx.users,
            lambda: _users(ctx, 0, ctx.users),
            lambda start, stop: _users(ctx, start, stop),
            ctx.users,
        ),
        TableSpec(
            "OrganizationProfile",
            (
                "orgProfileId",
                "tenantId",
                "legalName",
                "registrationNumber",
                "jurisdictionCountryCode",
                "address",
                "status",
                "deletedAt",
                "createdAt",
                "updatedAt",
            ),
            ctx.organizations,
            lambda: _organizations(ctx, 0, ctx.organizations),
            lambda start, stop: _organizations(ctx, start, stop),
            ctx.organizations,
        ),
        TableSpec(
            "UserOrganizationLink",
            ("id", "tenantId", "userProfileId", "orgProfileId", "role", "addedAt"),
            sum(ctx.org_member_count(org) for org in range(ctx.organizations)),
            lambda: _links(ctx, 0, ctx.organizations),
            lambda start, stop: _links(ctx, start, stop),
            ctx.organizations,
        ),
    ]


def identity_number(country: str, value: int) -> str:
    digits = ID_DIGITS[country]
    number = f"{value % 10**digits:0{digits}d}"
    if country == "GH":
        return f"GHA-{number[:9]}-{number[9]}"
    if country == "GB":
        return f"GB{number}"
    return number


def _users(ctx: Context, start: int, stop: int) -> Iterator[Row]:
    """The profiles of users ``start`` to ``stop - 1``."""
    ids = ctx.ids("UserProfile")
    password_key = ctx.key("password")
    biometric_key = ctx.key("biometric")
    for user in range(start, stop):
        value = ctx.hash("user", user)
        country = ctx.user_country(user)
        first, last = ctx.user_name(user)
        status = ctx.user_status(user)
        created = ctx.user_created_ms(user)
        updated = created + (EPOCH_MS - created) * ((value >> 20) % 100) // 200
        deleted = stamp(updated) if status == "CLOSED" else None
        salt = hex_token(password_key, user, 16)
        # The real format (PBKDF2-SHA256, 100,000 iterations) over no password at all:
        # nobody can log in as a fake user, and no time goes into key stretching.
        digest = hashlib.sha256(f"{salt}/{user}".encode()).hexdigest()
        yield (
            ids.of(user),
            ctx.user_tenant(user),
            first,
            last,
            ctx.user_email(user),
            None if (value >> 56) % 20 == 0 else ctx.user_phone(user),
            None if status == "PENDING_VERIFICATION" else identity_number(country, value >> 8),
            hex_token(biometric_key, user),
            f"pbkdf2_sha256$100000${salt}${digest}",
            country,
            status,
            deleted,
            stamp(created),
            stamp(updated),
        )


def _organizations(ctx: Context, start: int, stop: int) -> Iterator[Row]:
    """The profiles of organisations ``start`` to ``stop - 1``."""
    for org in range(start, stop):
        value = ctx.hash("org", org)
        country = ctx.user_country(ctx.org_member(org, 0))
        created = ctx.org_created_ms(org)
        status = ORG_STATUSES[value % len(ORG_STATUSES)]
        addresses = ctx.pools.addresses[country]
        yield (
            ctx.org_id(org),
            ctx.org_tenant(org),
            ctx.org_name(org),
            None
            if status == "PENDING_VERIFICATION"
            else f"{country}-{(value >> 8) % 10**7:07d}-{2015 + (value >> 40) % 11}",
            country,
            addresses[(value >> 16) % len(addresses)],
            status,
            None,
            stamp(created),
            stamp(created + (value >> 24) % (30 * DAY_MS)),
        )


def _links_before(ctx: Context, org: int) -> int:
    """How many links organisations 0 to ``org - 1`` have, without a pass over them.

    `Context.org_member_count` is ``min(MEMBERS[org % 3], tenant size)``: within a
    tenant, a short cycle of the organisation index.
    """
    tenants = ctx.tenant_count
    total = 0
    for tenant in range(tenants):
        before = max(0, (org - tenant + tenants - 1) // tenants)  # its organisations < org
        total += cycle_total(MEMBERS, tenant, tenants, before, ctx.tenant_size(tenant))
    return total


def _links(ctx: Context, start: int, stop: int) -> Iterator[Row]:
    """The members of organisations ``start`` to ``stop - 1``."""
    key = ctx.key("UserOrganizationLink")
    unique = _links_before(ctx, start)  # numbers the links of all organisations in turn
    for org in range(start, stop):
        org_id = ctx.org_id(org)
        tenant = ctx.org_tenant(org)
        org_created = ctx.org_created_ms(org)
        for slot in range(ctx.org_member_count(org)):
            member = ctx.org_member(org, slot)
            added = max(org_created, ctx.user_created_ms(member)) + (slot + 1) * HOUR_MS
            yield (
                cuid_at(added, unique, key),
                tenant,
                ctx.user_id(member),
                org_id,
                MEMBER_ROLES[min(slot, len(MEMBER_ROLES) - 1)],
                stamp(added),
            )
            unique += 1
