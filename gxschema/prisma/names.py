"""What a Prisma schema names that the database does not: constraint defaults, relation fields.

Prisma derives the name of every key and index from the table and column names; a
schema only spells a name out (`map:`) when the database's differs. `default_name`
is that derivation, including the 63-byte cut PostgreSQL forces.

The fields a relation adds to both models (`UserProfile.wallets`, `Wallet.userProfile`)
exist only in the Prisma schema: they are the TypeScript services' API, named by the
backend's schema v2.1, and the SQLAlchemy models (snake_case, named for Python)
cannot carry them. `RELATION_FIELDS` keeps them, keyed by the foreign key each
relation stands for; a foreign key missing from it gets names derived the way
`prisma format` would, so a new revision still exports and `gxschema prisma check`
shows the names to confirm.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

POSTGRES_NAME_LIMIT = 63
"""Longest identifier PostgreSQL keeps, in bytes; Prisma cuts its names to fit."""

Kind = Literal["pkey", "key", "idx", "fkey"]


def default_name(table: str, columns: list[str], kind: Kind) -> str:
    """The name Prisma gives a constraint or index it is not told the name of.

    ``<Table>_<col>_<col>_<kind>``, with ``<Table>_<cols>`` cut so the whole name is at
    most 63 bytes (`FamilyRelationship_tenantId_initiatorProfileId_relatedProfi_key`);
    a primary key is ``<Table>_pkey``.
    """
    stem = table if kind == "pkey" else "_".join([table, *columns])
    suffix = f"_{kind}"
    room = POSTGRES_NAME_LIMIT - len(suffix.encode())
    encoded = stem.encode()
    if len(encoded) > room:
        stem = encoded[:room].decode(errors="ignore")
    return stem + suffix


class RelationFields(NamedTuple):
    """The Prisma names of one relation (one foreign key)."""

    on_child: str
    """Field on the model holding the foreign key (`Wallet.userProfile`)."""
    on_parent: str
    """Back-relation field on the referenced model (`UserProfile.wallets`)."""
    relation: str | None = None
    """The relation's name; only needed where two relations join the same two models."""
    spell_actions: bool = False
    """Write `onDelete` even where it is Prisma's default, as v2.1 does for this one."""


RELATION_FIELDS: dict[str, RelationFields] = {
    # reference
    "LegalTenderStatus_countryCode_fkey": RelationFields("country", "legalTenderStatuses"),
    # identity
    "UserProfile_nationalityCountryCode_fkey": RelationFields("nationalityCountry", "userProfiles"),
    "OrganizationProfile_jurisdictionCountryCode_fkey": RelationFields(
        "country", "organizationProfiles"
    ),
    "UserOrganizationLink_userProfileId_fkey": RelationFields("userProfile", "organizationLinks"),
    "UserOrganizationLink_orgProfileId_fkey": RelationFields("organizationProfile", "userLinks"),
    # trust
    "FamilyRelationship_initiatorProfileId_fkey": RelationFields(
        "initiator", "initiatedRelationships", "InitiatedRelationships"
    ),
    "FamilyRelationship_relatedProfileId_fkey": RelationFields(
        "related", "receivedRelationships", "ReceivedRelationships"
    ),
    "TrustScore_profileId_fkey": RelationFields("userProfile", "trustScore"),
    # kyc
    "KYCVerification_profileId_fkey": RelationFields("userProfile", "kycVerifications"),
    "KYCDocument_kycId_fkey": RelationFields("kycVerification", "documents"),
    "KYCDocument_issuingCountry_fkey": RelationFields("country", "kycDocuments"),
    # wallet
    "Wallet_profileId_fkey": RelationFields("userProfile", "wallets"),
    "Transaction_walletId_fkey": RelationFields("wallet", "transactions"),
    "Beneficiary_ownerProfileId_fkey": RelationFields("userProfile", "beneficiaries"),
    "Contact_ownerProfileId_fkey": RelationFields("owner", "ownedContacts", "OwnedContacts"),
    "Contact_contactProfileId_fkey": RelationFields(
        "contactProfile", "contactedBy", "ContactedBy", spell_actions=True
    ),
    "HoardingTaxSnapshot_walletId_fkey": RelationFields("wallet", "hoardingTaxSnapshots"),
    # business
    "BusinessAccount_orgProfileId_fkey": RelationFields("organization", "businessAccounts"),
    "BusinessAccount_walletId_fkey": RelationFields("wallet", "businessAccount"),
    "BusinessSignatory_businessAccountId_fkey": RelationFields("businessAccount", "signatories"),
    "BusinessSignatory_profileId_fkey": RelationFields("userProfile", "businessSignatories"),
    "SignatoryRule_businessAccountId_fkey": RelationFields("businessAccount", "signatoryRules"),
    "TransactionApproval_businessAccountId_fkey": RelationFields(
        "businessAccount", "pendingApprovals"
    ),
    "TransactionApproval_outboxCommandId_fkey": RelationFields(
        "outboxCommand", "transactionApprovals"
    ),
    "ApprovalVote_approvalId_fkey": RelationFields("approval", "approvers"),
    "ApprovalVote_signatoryId_fkey": RelationFields("signatory", "approvalVotes"),
    # risk
    "TransactionLimit_profileId_fkey": RelationFields("userProfile", "transactionLimits"),
    "TransactionRiskScore_offTxId_fkey": RelationFields("transaction", "riskScore"),
    # security
    "UserSession_profileId_fkey": RelationFields("userProfile", "sessions"),
    "TrustedDevice_profileId_fkey": RelationFields("userProfile", "trustedDevices"),
    # notifications
    "Notification_recipientId_fkey": RelationFields("recipient", "notifications"),
    "PushToken_profileId_fkey": RelationFields("userProfile", "pushTokens"),
    # licensing
    "LicensedPartner_jurisdictionCountryCode_fkey": RelationFields("country", "licensedPartners"),
    "Application_partnerId_fkey": RelationFields("partner", "applications"),
    "License_appId_fkey": RelationFields("application", "licenses"),
    "Credential_licenseId_fkey": RelationFields("license", "credentials"),
    "PartnerGrant_partnerId_fkey": RelationFields("partner", "partnerGrants"),
    # platform (v2.1 names the partner's back-relation after the model, as `prisma format` does)
    "WebhookEndpoint_partnerId_fkey": RelationFields("partner", "WebhookEndpoint"),
    "WebhookDelivery_webhookId_fkey": RelationFields("webhook", "deliveries"),
}
"""Prisma field names of each relation of schema v2.1, by foreign key name."""


def derived_relation_fields(
    child: str,
    parent: str,
    constraint: str,
    *,
    columns: list[str],
    taken: set[tuple[str, str]],
) -> RelationFields:
    """Names for a relation `RELATION_FIELDS` does not know, close to what `prisma format` picks.

    The child's field is its foreign key column without the ``Id`` (``walletId`` ->
    ``wallet``), or the parent model's name with a lower-case first letter; the
    parent's field is the child model's name, followed by the child's field's name
    when that is taken (two relations from the same model). The relation is named
    after the foreign key, unique in the database. A name already used on a model
    (`taken`: (model, field) pairs) gets a number.
    """
    column = columns[0] if len(columns) == 1 else ""
    if column.endswith("Id") and len(column) > 2:
        on_child = column[:-2]
    else:
        on_child = parent[:1].lower() + parent[1:]
    on_child = _free(child, on_child, taken)
    on_parent = child
    if (parent, on_parent) in taken:
        on_parent = child + on_child[:1].upper() + on_child[1:]
    return RelationFields(on_child, _free(parent, on_parent, taken), constraint)


def _free(model: str, name: str, taken: set[tuple[str, str]]) -> str:
    candidate, number = name, 1
    while (model, candidate) in taken:
        number += 1
        candidate = f"{name}{number}"
    return candidate
