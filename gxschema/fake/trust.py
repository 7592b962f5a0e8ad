"""Trust: relationships between users, and the trust score computed from them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from gxschema.fake.core import DAY_MS, EPOCH_MS, HOUR_MS, Context, Row, TableSpec, hex_token, stamp

RELATIONS = (0, 1, 2, 1, 3, 0, 1, 2)
"""Relationships each user initiates, by user index (cycled), at most one per other user."""

TYPES = (
    ("FATHER", 12),
    ("MOTHER", 12),
    ("SPOUSE", 14),
    ("CHILD", 10),
    ("SIBLING", 16),
    ("BUSINESS_PARTNER", 8),
    ("DIRECTOR", 3),
    ("WORKPLACE_ASSOCIATE", 10),
    ("FRIEND", 15),
)
_TYPE_BY_PERCENT = tuple(name for name, share in TYPES for _ in range(share))
POINTS = {
    "FATHER": 15,
    "MOTHER": 15,
    "SPOUSE": 20,
    "CHILD": 10,
    "SIBLING": 10,
    "BUSINESS_PARTNER": 5,
    "DIRECTOR": 5,
    "WORKPLACE_ASSOCIATE": 3,
    "FRIEND": 2,
}
FAMILY = frozenset({"FATHER", "MOTHER", "SPOUSE", "CHILD", "SIBLING"})
BUSINESS = frozenset({"BUSINESS_PARTNER", "DIRECTOR", "WORKPLACE_ASSOCIATE"})


@dataclass(frozen=True)
class Relation:
    slot: int
    related: int | None
    email: str | None
    kind: str
    status: str
    created_ms: int


def tables(ctx: Context) -> list[TableSpec]:
    return [
        TableSpec(
            "TrustScore",
            (
                "profileId",
                "tenantId",
                "familyScore",
                "businessScore",
                "friendsScore",
                "totalScore",
                "familyWeight",
                "businessWeight",
                "friendsWeight",
                "lastCalculatedAt",
                "calculationVersion",
            ),
            ctx.users,
            lambda: _scores(ctx, 0, ctx.users),
            lambda start, stop: _scores(ctx, start, stop),
            ctx.users,
        ),
        TableSpec(
            "FamilyRelationship",
            (
                "relationshipId",
                "tenantId",
                "initiatorProfileId",
                "relatedProfileId",
                "relatedEmail",
                "relationType",
                "status",
                "statusDocumentUrl",
                "statusDocumentHash",
                "statusRemarks",
                "confirmedAt",
                "rejectedAt",
                "pointsAwarded",
                "isApplicable",
                "createdAt",
                "updatedAt",
            ),
            ctx.per_user_total(RELATIONS, others=True),
            lambda: _relationships(ctx, 0, ctx.users),
            lambda start, stop: _relationships(ctx, start, stop),
            ctx.users,
        ),
    ]


def relations(ctx: Context, user: int) -> Iterator[Relation]:
    """The relationships `user` initiates (a pure function of the user's index)."""
    created = ctx.user_created_ms(user)
    for slot in range(ctx.user_count(RELATIONS, user, others=True)):
        other = ctx.other_user(user, slot, "family")
        value = ctx.hash("family", user * 8 + slot)
        kind = _TYPE_BY_PERCENT[value % 100]
        roll = (value >> 8) % 100
        invited = roll < 12
        if invited:
            status = "PENDING"
        elif roll < 72:
            status = "CONFIRMED"
        elif roll < 84:
            status = "PENDING"
        elif roll < 90:
            status = "REJECTED"
        elif roll < 94:
            status = "DECEASED" if kind in ("FATHER", "MOTHER", "SIBLING") else "CONFIRMED"
        elif roll < 97:
            status = "DIVORCED" if kind == "SPOUSE" else "CONFIRMED"
        else:
            status = "NOT_APPLICABLE"
        start = max(created, ctx.user_created_ms(other))
        moment = start + (EPOCH_MS - start) * ((value >> 16) % 90) // 100
        email = ctx.user_email(other) if invited else None
        if invited and email is None:
            first, last = ctx.user_name(other)
            email = f"{ctx.pools.slug(first)}.{ctx.pools.slug(last)}@example.org"
        yield Relation(slot, None if invited else other, email, kind, status, moment)


def _relationships(ctx: Context, start: int, stop: int) -> Iterator[Row]:
    """The relationships users ``start`` to ``stop - 1`` initiate."""
    ids = ctx.ids("FamilyRelationship")
    document_key = ctx.key("relationship-document")
    for user in range(start, stop):
        tenant = ctx.user_tenant(user)
        initiator = ctx.user_id(user)
        for relation in relations(ctx, user):
            index = user * 8 + relation.slot
            relationship_id = ids.of(index)
            created = relation.created_ms
            answered = min(created + HOUR_MS + (index % 72) * HOUR_MS, EPOCH_MS - 1)
            status = relation.status
            document = status in ("DECEASED", "DIVORCED")
            updated = answered if status != "PENDING" else created
            yield (
                relationship_id,
                tenant,
                initiator,
                None if relation.related is None else ctx.user_id(relation.related),
                relation.email,
                relation.kind,
                status,
                f"s3://gx-trust-documents/{tenant}/{relationship_id}.pdf" if document else None,
                hex_token(document_key, index) if document else None,
                {
                    "DECEASED": "Death certificate verified",
                    "DIVORCED": "Divorce decree on file",
                    "REJECTED": "The other person declined",
                    "NOT_APPLICABLE": "Marked not applicable by the initiator",
                }.get(status),
                stamp(answered) if status in ("CONFIRMED", "DECEASED", "DIVORCED") else None,
                stamp(answered) if status == "REJECTED" else None,
                POINTS[relation.kind] if status == "CONFIRMED" else 0,
                status != "NOT_APPLICABLE",
                stamp(created),
                stamp(updated),
            )


def _scores(ctx: Context, start: int, stop: int) -> Iterator[Row]:
    """The trust scores of users ``start`` to ``stop - 1``."""
    for user in range(start, stop):
        family = business = friends = 0
        for relation in relations(ctx, user):
            if relation.status != "CONFIRMED":
                continue
            points = POINTS[relation.kind]
            if relation.kind in FAMILY:
                family += points
            elif relation.kind in BUSINESS:
                business += points
            else:
                friends += points
        total = (80 * family + 10 * business + 10 * friends) // 100
        value = ctx.hash("trust", user)
        yield (
            ctx.user_id(user),
            ctx.user_tenant(user),
            family,
            business,
            friends,
            total,
            "0.80",
            "0.10",
            "0.10",
            stamp(EPOCH_MS - value % (7 * DAY_MS)),
            "1.0" if value >> 40 & 1 else "1.1",
        )
