"""KYC: each user's verifications (a rejected first attempt for some) and their documents."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from gxschema.fake.core import DAY_MS, EPOCH_MS, HOUR_MS, MINUTE_MS, Context, Row, TableSpec, stamp
from gxschema.fake.core import hex_token as token

ROUNDS = (1, 1, 1, 2, 1, 1, 1)
"""KYC verifications per user, by user index (cycled): every seventh user tried twice."""
DOCUMENTS_PER_KYC = 2
FINAL_STATUS = {
    "VERIFIED": "APPROVED",
    "PENDING_VERIFICATION": "PENDING",
    "REJECTED": "REJECTED",
    "SUSPENDED": "APPROVED",
    "CLOSED": "EXPIRED",
}
VERIFIERS = (
    "Smile ID: document and selfie match",
    "Onfido: document verified, liveness passed",
    "Manual review by compliance",
    "Youverify: NIN match",
)
ID_DOCUMENTS = ("NATIONAL_ID",) * 12 + ("PASSPORT",) * 5 + ("DRIVERS_LICENSE",) * 3
SUPPORTING = ("SELFIE_PHOTO",) * 12 + ("PROOF_OF_ADDRESS",) * 5 + ("UTILITY_BILL",) * 3
MIME = {"SELFIE_PHOTO": "image/jpeg", "PROOF_OF_ADDRESS": "application/pdf"}
REVIEWERS = tuple(f"compliance-reviewer-{number:02d}" for number in range(1, 13))


def tables(ctx: Context) -> list[TableSpec]:
    verifications = ctx.per_user_total(ROUNDS)
    return [
        TableSpec(
            "KYCVerification",
            (
                "kycId",
                "profileId",
                "status",
                "verifiedAt",
                "verifierDetails",
                "evidenceHash",
                "evidenceSize",
                "evidenceMime",
                "createdAt",
                "updatedAt",
            ),
            verifications,
            lambda: _verifications(ctx, 0, ctx.users),
            lambda start, stop: _verifications(ctx, start, stop),
            ctx.users,
        ),
        TableSpec(
            "KYCDocument",
            (
                "documentId",
                "tenantId",
                "kycId",
                "documentType",
                "documentNumber",
                "issuingCountry",
                "issuedDate",
                "expiryDate",
                "storageUrl",
                "fileHash",
                "fileSize",
                "mimeType",
                "encryptionKey",
                "virusScanStatus",
                "virusScanDate",
                "version",
                "replacesDocumentId",
                "uploadedAt",
                "verifiedAt",
                "verifiedBy",
            ),
            verifications * DOCUMENTS_PER_KYC,
            lambda: _documents(ctx, 0, ctx.users),
            lambda start, stop: _documents(ctx, start, stop),
            ctx.users,
        ),
    ]


def _rounds(ctx: Context, user: int) -> Iterator[tuple[int, str, int]]:
    """(round, status, createdAt ms) of each verification of `user`."""
    rounds = ctx.user_count(ROUNDS, user)
    created = ctx.user_created_ms(user)
    final = FINAL_STATUS[ctx.user_status(user)]
    gap = min(3 * DAY_MS, (EPOCH_MS - created) // 4)
    for number in range(rounds):
        status = final if number == rounds - 1 else "REJECTED"
        yield number, status, created + HOUR_MS + number * gap


def _verifications(ctx: Context, start: int, stop: int) -> Iterator[Row]:
    """The verifications of users ``start`` to ``stop - 1``."""
    ids = ctx.ids("KYCVerification")
    evidence = ctx.key("kyc-evidence")
    for user in range(start, stop):
        profile = ctx.user_id(user)
        for number, status, created in _rounds(ctx, user):
            index = user * 2 + number
            value = ctx.hash("kyc", index)
            reviewed = created + 20 * MINUTE_MS + value % (20 * HOUR_MS)
            yield (
                ids.of(index),
                profile,
                status,
                stamp(reviewed) if status in ("APPROVED", "EXPIRED") else None,
                None if status == "PENDING" else VERIFIERS[(value >> 8) % len(VERIFIERS)],
                token(evidence, index),
                200_000 + (value >> 16) % 4_800_000,
                ("image/jpeg", "image/png", "application/pdf")[(value >> 40) % 3],
                stamp(created),
                stamp(created if status == "PENDING" else reviewed),
            )


def _documents(ctx: Context, start: int, stop: int) -> Iterator[Row]:
    """The documents of users ``start`` to ``stop - 1``."""
    kyc_ids = ctx.ids("KYCVerification")
    ids = ctx.ids("KYCDocument")
    document_hash = ctx.hasher("kyc-document")
    file_key = ctx.key("kyc-file")
    for user in range(start, stop):
        tenant = ctx.user_tenant(user)
        country = ctx.user_country(user)
        profile = ctx.user_id(user)
        for number, status, created in _rounds(ctx, user):
            kyc_index = user * 2 + number
            kyc_id = kyc_ids.of(kyc_index)
            for slot in range(DOCUMENTS_PER_KYC):
                index = kyc_index * DOCUMENTS_PER_KYC + slot
                value = document_hash(index)
                kind = (ID_DOCUMENTS if slot == 0 else SUPPORTING)[value % 20]
                document_id = ids.of(index)
                uploaded = created + slot * MINUTE_MS
                identity = slot == 0
                issued = date(2015, 1, 1) + timedelta(days=(value >> 8) % 3650)
                mime = MIME.get(kind, "image/jpeg")
                extension = "pdf" if mime == "application/pdf" else "jpg"
                verified = status in ("APPROVED", "EXPIRED")
                yield (
                    document_id,
                    tenant,
                    kyc_id,
                    kind,
                    f"{country}{(value >> 20) % 10**8:08d}" if identity else None,
                    country if identity else None,
                    issued if identity else None,
                    issued + timedelta(days=3652) if identity else None,
                    f"s3://gx-kyc-{tenant}/{profile}/{document_id}.{extension}",
                    token(file_key, index),
                    150_000 + (value >> 32) % 3_000_000,
                    mime,
                    f"kms://gx-kyc/{tenant}/data-key-{(value >> 48) % 12 + 1:02d}",
                    "CLEAN",
                    stamp(uploaded + 90 * 1000),
                    number + 1,
                    ids.of((kyc_index - 1) * DOCUMENTS_PER_KYC + slot) if number else None,
                    stamp(uploaded),
                    stamp(uploaded + 6 * HOUR_MS) if verified else None,
                    REVIEWERS[(value >> 52) % len(REVIEWERS)] if verified else None,
                )
