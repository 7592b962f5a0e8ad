"""Table and column comments: what each table and column is for, in the database itself.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28

`COMMENT ON TABLE` and `COMMENT ON COLUMN` for the 46 tables and every column, so that
`psql \\d+` and database tools show what the models document: purpose, units (GX Coin,
Qirat, basis points, seconds, milliseconds, bytes), and who sets a value. The comments
are written out below as data, because a revision never imports the models; they are
equal to the models' `comment=`, which `alembic check` compares, so a later change of a
comment needs a revision of its own. They are applied with Alembic's comment operations
(`op.create_table_comment`, `op.alter_column(comment=)`), which quote each literal through
the dialect and emit nothing but `COMMENT ON` (see the offline `--sql` output). A `%` would
come out doubled there (the driver's paramstyle), so the comments hold none
(tests/migrations/test_migrations.py checks the models' text, which equals this).

COMMENT takes a SHARE UPDATE EXCLUSIVE lock on each table: it waits for no reader or
writer, only for DDL and VACUUM. The downgrade sets every comment back to NULL. The
schema catalog does not change.

Locks (measured from ``pg_locks`` inside the revision's transaction, PostgreSQL 15):
SHARE UPDATE EXCLUSIVE on all 46 tables, held until the revision commits (one
transaction). INSERT/UPDATE/DELETE/SELECT do not conflict with it, and a COMMENT
*waiting* for it does not queue them either. What it does conflict with: VACUUM and
ANALYZE (autovacuum started on a table is cancelled, an anti-wraparound one is
waited for, up to ``lock_timeout``), CREATE INDEX CONCURRENTLY and other DDL, which
wait for the commit.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES: dict[str, str] = {
    "Country": (
        "ISO 3166-1 countries with the region the services group them under; reference data "
        "seeded from seeds/base/countries.csv."
    ),
    "LegalTenderStatus": (
        "Dated records of GX Coin being recognised, sandboxed or legal tender in a country; "
        "the newest effectiveDate per country is the current standing."
    ),
    "UserProfile": (
        "People registered with the protocol; the root of most per-user data (wallets, KYC, "
        "sessions, relationships). Soft-deleted through deletedAt."
    ),
    "OrganizationProfile": (
        "Registered organisations (companies, NGOs, government bodies) that people belong to "
        "and that hold business accounts. Soft-deleted through deletedAt."
    ),
    "UserOrganizationLink": (
        "Membership of a user in an organisation, with the user's role there; one row per "
        "tenant, user and organisation."
    ),
    "FamilyRelationship": (
        "Relationships a profile declares with another person (family, business, friends), "
        "confirmed or rejected by the other side; they feed the trust score."
    ),
    "TrustScore": (
        "A profile's trust score: family, business and friends scores weighted into a total; "
        "one row per profile, recomputed by the services."
    ),
    "KYCVerification": (
        "KYC (know your customer) reviews of a profile's identity, with their outcome and a "
        "hash of the evidence."
    ),
    "KYCDocument": (
        "Documents uploaded for a KYC review; the file lives in object storage, the row keeps "
        "its URL, hash and review state."
    ),
    "Wallet": (
        "A profile's wallets: the link to an on-chain account and the balance cached "
        "off-chain. Soft-deleted through deletedAt."
    ),
    "Transaction": (
        "Off-chain records of the on-chain transactions touching a wallet; append-only, the "
        "largest table by rows."
    ),
    "Beneficiary": (
        "Saved payees of a profile: an identity id with a nickname, one row per tenant, owner "
        "and payee."
    ),
    "Contact": (
        "Entries of a profile's address book, linked to another profile when the contact has one."
    ),
    "Collateral": (
        "Collateral documents pledged against on-chain loans, one per loan; released when the "
        "loan is repaid."
    ),
    "HoardingTaxSnapshot": (
        "A wallet's balance on a date with the hoarding (velocity) tax owed on it; one row per "
        "tenant, wallet and date."
    ),
    "BusinessAccount": (
        "An organisation's account, backed by one wallet, whose transactions need signatory "
        "approvals; one per tenant and organisation."
    ),
    "BusinessSignatory": (
        "People who may initiate or approve transactions of a business account; one row per "
        "tenant, account and person."
    ),
    "SignatoryRule": (
        "Approval rules of a business account: how many approvals a transaction needs, by "
        "amount range and transaction type."
    ),
    "TransactionApproval": (
        "Business transactions waiting for signatory approvals; each holds back one outbox "
        "command until enough votes arrive or it expires."
    ),
    "ApprovalVote": (
        "One signatory's vote on a transaction approval; one per tenant, approval and signatory."
    ),
    "TransactionLimit": (
        "Send and receive limits on a profile or a wallet, by amount and count per time window."
    ),
    "TransactionRiskScore": (
        "Risk assessments of transactions, one per transaction; high scores wait for a review."
    ),
    "UserSession": (
        "Login sessions, each identified by its refresh token; revoked or expired sessions are "
        "kept with their reason."
    ),
    "TrustedDevice": "Devices a profile has marked as trusted, recognised by their fingerprint.",
    "Notification": (
        "In-app notifications to a profile, with their read state and the channels that "
        "delivered them; expire at expiresAt."
    ),
    "PushToken": "Push-notification tokens of a profile's devices; a token belongs to one profile.",
    "AuditLog": (
        "Audited security- and money-relevant events; append-only, never updated, each "
        "carrying a hash of its content."
    ),
    "LicensedPartner": (
        "Companies licensed to build on the protocol, each in one jurisdiction; unique by name "
        "per tenant."
    ),
    "Application": (
        "Applications a licensed partner builds on the protocol; unique by name per tenant."
    ),
    "License": "Licenses granted to a partner application, with their type and expiry.",
    "Credential": (
        "API client credentials of a license; only a hash of the client secret is stored."
    ),
    "PartnerGrant": (
        "Funds granted to a licensed partner, with the on-chain transaction that issued them."
    ),
    "OutboxCommand": (
        "Transactional outbox: commands the services write in their own transaction and a "
        "worker submits to the chaincode, idempotent by requestId."
    ),
    "ProjectorState": (
        "Checkpoints of the projectors: how far each has read a channel's block stream, per tenant."
    ),
    "HttpIdempotency": (
        "Stored HTTP responses, replayed when the same request (tenant, method, path, body) "
        "comes again; rows expire after idempotencyTTLHours."
    ),
    "EventLog": "Chaincode events, ingested once each; append-only.",
    "EventDLQ": (
        "Dead-letter queue: chaincode events that could not be processed, kept with the reason "
        "for a later retry or inspection."
    ),
    "ApiRateLimit": (
        "Request counters of the API rate limiter: one row per tenant, client, endpoint and "
        "fixed time window."
    ),
    "WebhookEndpoint": (
        "Partners' webhook URLs, the events each subscribes to and its retry policy."
    ),
    "WebhookDelivery": (
        "Deliveries of an event to a webhook endpoint, with their attempts and the last response."
    ),
    "FeatureFlag": (
        "Feature flags switched on gradually: by percentage, user or role; seeded disabled "
        "from seeds/base/feature_flags.yaml."
    ),
    "SystemConfig": (
        "Typed configuration values such as the protocol parameters (fees, taxes, limits); "
        "seeded for tenant global from seeds/base/system_config.yaml."
    ),
    "HealthCheckMetric": (
        "Health measurements of the services with their thresholds; append-only time series."
    ),
    "SchemaMigrationRun": (
        "Every schema migration run by gxschema (upgrade, downgrade, stamp or adopt) with its "
        "outcome; written by gxschema migrate and gxschema adopt."
    ),
    "SeedDataset": (
        "Reference-data files applied by gxschema seed, recorded by content checksum; a new "
        "row each time a dataset's content changes."
    ),
    "BackupRecord": (
        "pg_dump backups taken by gxschema backup: where each is, its checksum, and when a "
        "restore test verified it."
    ),
}
"""The comment of each table."""

COLUMNS: dict[str, dict[str, str]] = {
    "Country": {
        "countryCode": "ISO 3166-1 alpha-2 code, upper case (KE, NG, ...).",
        "countryName": "ISO 3166-1 short name of the country.",
        "region": (
            "Region the services group the country under: Africa, Asia, Europe, North America, "
            "South America or Oceania."
        ),
    },
    "LegalTenderStatus": {
        "statusId": (
            "Primary key: a UUID the application generates (Prisma uuid()); no server default."
        ),
        "countryCode": "Country the status applies to.",
        "status": "Legal standing of GX Coin in the country from effectiveDate on.",
        "effectiveDate": "When the status takes effect.",
        "createdAt": "When the row was inserted (set by the database).",
    },
    "UserProfile": {
        "profileId": (
            "Primary key: a UUID the application generates (Prisma uuid()); no server default."
        ),
        "tenantId": "Tenant the row belongs to; every service query filters on it.",
        "firstName": "Given name.",
        "lastName": "Family name.",
        "email": "Email address; unique across all tenants when set.",
        "phoneNum": "Phone number in international format; unique across all tenants when set.",
        "identityNum": "National identity document number, as entered.",
        "biometricHash": (
            "Hash of the person's biometric template; unique, so one person registers once. "
            "Indexed twice (see docs/schema-notes.md)."
        ),
        "passwordHash": "Salted hash of the password; the password itself is never stored.",
        "nationalityCountryCode": "Nationality; set to NULL if the country is deleted.",
        "status": "Verification state; new profiles start PENDING_VERIFICATION.",
        "deletedAt": "When the profile was soft-deleted; NULL while it is live.",
        "createdAt": "When the row was inserted (set by the database).",
        "updatedAt": (
            "When the row was last written: set by the application on every insert and update "
            "(Prisma @updatedAt); no server default."
        ),
    },
    "OrganizationProfile": {
        "orgProfileId": (
            "Primary key: a UUID the application generates (Prisma uuid()); no server default."
        ),
        "tenantId": "Tenant the row belongs to; every service query filters on it.",
        "legalName": "Registered legal name.",
        "registrationNumber": "Company or registry number in its jurisdiction.",
        "jurisdictionCountryCode": "Country the organisation is registered in.",
        "address": "Registered address, free text.",
        "status": "Verification state; new organisations start PENDING_VERIFICATION.",
        "deletedAt": "When the organisation was soft-deleted; NULL while it is live.",
        "createdAt": "When the row was inserted (set by the database).",
        "updatedAt": (
            "When the row was last written: set by the application on every insert and update "
            "(Prisma @updatedAt); no server default."
        ),
    },
    "UserOrganizationLink": {
        "id": "Primary key: a CUID the application generates (Prisma cuid()); no server default.",
        "tenantId": "Tenant the row belongs to; every service query filters on it.",
        "userProfileId": "The member.",
        "orgProfileId": "The organisation.",
        "role": "The member's role in the organisation, free text set by the services.",
        "addedAt": "When the user was added to the organisation.",
    },
    "FamilyRelationship": {
        "relationshipId": (
            "Primary key: a UUID the application generates (Prisma uuid()); no server default."
        ),
        "tenantId": "Tenant the row belongs to; every service query filters on it.",
        "initiatorProfileId": "The profile that declared the relationship.",
        "relatedProfileId": (
            "The other profile, once known; NULL while only relatedEmail identifies an invited "
            "person."
        ),
        "relatedEmail": "Email of an invited person who has no profile yet.",
        "relationType": "Kind of relationship, from the initiator's point of view.",
        "status": "Confirmation state; starts PENDING until the other side answers.",
        "statusDocumentUrl": (
            "Object-storage URL of a document supporting the status (death or divorce certificate)."
        ),
        "statusDocumentHash": "Hash of that document, to detect a changed file.",
        "statusRemarks": "Free-text remarks on the status.",
        "confirmedAt": "When the other side confirmed.",
        "rejectedAt": "When the other side rejected.",
        "pointsAwarded": "Trust-score points this relationship contributes.",
        "isApplicable": "Whether the relationship counts for the trust score.",
        "createdAt": "When the row was inserted (set by the database).",
        "updatedAt": (
            "When the row was last written: set by the application on every insert and update "
            "(Prisma @updatedAt); no server default."
        ),
    },
    "TrustScore": {
        "profileId": "The profile scored; primary key, so one score per profile.",
        "tenantId": "Tenant the row belongs to; every service query filters on it.",
        "familyScore": "Points from family relationships.",
        "businessScore": "Points from business relationships.",
        "friendsScore": "Points from friend relationships.",
        "totalScore": "Weighted total of the three scores.",
        "familyWeight": "Weight of familyScore in totalScore (0.80 = 80 in 100).",
        "businessWeight": "Weight of businessScore in totalScore (0.10 = 10 in 100).",
        "friendsWeight": "Weight of friendsScore in totalScore (0.10 = 10 in 100).",
        "lastCalculatedAt": "When the score was last computed.",
        "calculationVersion": "Version of the scoring rules that computed it.",
    },
    "KYCVerification": {
        "kycId": (
            "Primary key: a UUID the application generates (Prisma uuid()); no server default."
        ),
        "profileId": "The profile under review.",
        "status": "Outcome of the review.",
        "verifiedAt": "When the review concluded.",
        "verifierDetails": "Who or what verified (reviewer, provider, reference).",
        "evidenceHash": "Hash of the evidence bundle reviewed.",
        "evidenceSize": "Size of the evidence in bytes.",
        "evidenceMime": "MIME type of the evidence.",
        "createdAt": "When the row was inserted (set by the database).",
        "updatedAt": (
            "When the row was last written: set by the application on every insert and update "
            "(Prisma @updatedAt); no server default."
        ),
    },
    "KYCDocument": {
        "documentId": (
            "Primary key: a UUID the application generates (Prisma uuid()); no server default."
        ),
        "tenantId": "Tenant the row belongs to; every service query filters on it.",
        "kycId": "The KYC review the document belongs to.",
        "documentType": "Kind of document.",
        "documentNumber": "Number printed on the document (passport number, ...).",
        "issuingCountry": "Country that issued the document; NULL if that country is deleted.",
        "issuedDate": "Date of issue printed on the document.",
        "expiryDate": "Expiry date printed on the document.",
        "storageUrl": "Object-storage URL of the file.",
        "fileHash": "Hash of the file, to detect tampering and duplicates.",
        "fileSize": "File size in bytes (the services accept up to kycMaxFileSize).",
        "mimeType": "MIME type of the file (one of kycAllowedMimeTypes).",
        "encryptionKey": (
            "Key material or key reference of the stored file's encryption, as the KYC service "
            "writes it; NULL when the file is not encrypted."
        ),
        "virusScanStatus": "Result of the virus scan, as the scanner reports it.",
        "virusScanDate": "When the file was scanned.",
        "version": "Version of the document, 1 for the first upload.",
        "replacesDocumentId": (
            "documentId of the document this upload replaces (not a foreign key)."
        ),
        "uploadedAt": "When the file was uploaded.",
        "verifiedAt": "When a reviewer accepted the document.",
        "verifiedBy": "Who accepted the document.",
    },
    "Wallet": {
        "walletId": (
            "Primary key: a UUID the application generates (Prisma uuid()); no server default."
        ),
        "tenantId": "Tenant the row belongs to; every service query filters on it.",
        "profileId": "The owner.",
        "primaryAccountId": "On-chain account id of the wallet; unique per tenant.",
        "walletName": "Name the owner gives the wallet.",
        "cachedBalance": (
            "Balance in GX Coin as last computed off-chain (numeric(36,9); 1 coin = 100,000 "
            "Qirat); the chain is authoritative."
        ),
        "deletedAt": "When the wallet was soft-deleted; NULL while it is live.",
        "createdAt": "When the row was inserted (set by the database).",
        "updatedAt": (
            "When the row was last written: set by the application on every insert and update "
            "(Prisma @updatedAt); no server default."
        ),
    },
    "Transaction": {
        "offTxId": (
            "Primary key: a UUID the application generates (Prisma uuid()); the off-chain id "
            "of the record."
        ),
        "tenantId": "Tenant the row belongs to; every service query filters on it.",
        "onChainTxId": "Fabric transaction id on chain; unique per tenant, NULL until known.",
        "walletId": "The wallet the record belongs to.",
        "type": "Direction or kind of the movement, seen from the wallet.",
        "counterparty": (
            "Account id on the other side: another wallet's primaryAccountId or a system pool "
            "(SYSTEM_GENESIS_POOL, ...)."
        ),
        "amount": "Amount moved, in GX Coin (numeric(36,9); 1 coin = 100,000 Qirat).",
        "fee": (
            "Fee charged, in GX Coin: transactionFeeBps basis points of amount, none below "
            "transactionFeeThreshold."
        ),
        "remark": "Free-text note of the sender.",
        "timestamp": "When the transaction happened on chain.",
        "blockNumber": "Block that committed the transaction.",
    },
    "Beneficiary": {
        "beneficiaryId": (
            "Primary key: a UUID the application generates (Prisma uuid()); no server default."
        ),
        "tenantId": "Tenant the row belongs to; every service query filters on it.",
        "ownerProfileId": "The profile that saved the payee.",
        "beneficiaryIdentityId": "Identity of the payee (an account or profile id).",
        "nickname": "Name the owner gives the payee.",
        "createdAt": "When the row was inserted (set by the database).",
    },
    "Contact": {
        "contactId": (
            "Primary key: a UUID the application generates (Prisma uuid()); no server default."
        ),
        "tenantId": "Tenant the row belongs to; every service query filters on it.",
        "ownerProfileId": "The profile whose address book this is.",
        "contactProfileId": "The contact's own profile, if any; NULL when that profile is deleted.",
        "displayName": "Name shown in the address book.",
        "phoneNumber": "Phone number as saved by the owner.",
        "email": "Email as saved by the owner.",
        "notes": "Free-text notes of the owner.",
        "isFavorite": "Whether the owner starred the contact.",
        "transactionCount": "Number of transactions the owner made with the contact.",
        "lastTransactionAt": "When the owner last transacted with the contact.",
        "status": "Whether the contact is active, blocked or archived.",
        "createdAt": "When the row was inserted (set by the database).",
        "updatedAt": (
            "When the row was last written: set by the application on every insert and update "
            "(Prisma @updatedAt); no server default."
        ),
    },
    "Collateral": {
        "collateralId": (
            "Primary key: a UUID the application generates (Prisma uuid()); no server default."
        ),
        "onChainLoanId": "Id of the loan on chain; unique.",
        "documentReference": "Object-storage reference of the collateral document.",
        "documentHash": "Hash of the collateral document.",
        "documentSize": "Size of the document in bytes.",
        "documentMime": "MIME type of the document.",
        "status": "Whether the collateral is pledged or released.",
        "createdAt": "When the row was inserted (set by the database).",
    },
    "HoardingTaxSnapshot": {
        "snapshotId": (
            "Primary key: a UUID the application generates (Prisma uuid()); no server default."
        ),
        "tenantId": "Tenant the row belongs to; every service query filters on it.",
        "walletId": "The wallet assessed.",
        "snapshotDate": "Date of the snapshot.",
        "balance": "Balance on that date, in GX Coin.",
        "daysHeld": (
            "Days the balance was held, counted within the hoarding-tax cycle "
            "(velocityTaxCycleDays)."
        ),
        "taxableAmount": "Part of the balance the tax applies to, in GX Coin.",
        "taxRate": "Tax rate as a fraction: 0.1000 is 10 in 100 (velocityTaxRate).",
        "taxOwed": "Tax owed, in GX Coin: taxableAmount times taxRate.",
        "taxPaid": "Whether the tax has been paid.",
        "paidAt": "When the tax was paid.",
        "fabricTxId": "Fabric transaction that paid the tax.",
        "createdAt": "When the row was inserted (set by the database).",
    },
    "BusinessAccount": {
        "businessAccountId": (
            "Primary key: a UUID the application generates (Prisma uuid()); no server default."
        ),
        "tenantId": "Tenant the row belongs to; every service query filters on it.",
        "orgProfileId": "The organisation that owns the account.",
        "walletId": (
            "The wallet holding the account's funds; unique, and the wallet cannot be deleted "
            "while the account exists."
        ),
        "defaultRequiredApprovals": "Approvals a transaction needs when no SignatoryRule matches.",
        "createdAt": "When the row was inserted (set by the database).",
        "updatedAt": (
            "When the row was last written: set by the application on every insert and update "
            "(Prisma @updatedAt); no server default."
        ),
    },
    "BusinessSignatory": {
        "signatoryId": (
            "Primary key: a UUID the application generates (Prisma uuid()); no server default."
        ),
        "tenantId": "Tenant the row belongs to; every service query filters on it.",
        "businessAccountId": "The business account.",
        "profileId": "The signatory.",
        "role": "The signatory's role on the account.",
        "canInitiateTransactions": "Whether the signatory may start transactions.",
        "canApproveTransactions": "Whether the signatory may vote on approvals.",
        "maxTransactionLimit": (
            "Largest amount, in GX Coin, the signatory may initiate; NULL for no limit."
        ),
        "invitedAt": "When the signatory was invited.",
        "confirmedAt": "When the invitee accepted.",
        "revokedAt": "When the signatory was revoked; NULL while active.",
    },
    "SignatoryRule": {
        "ruleId": (
            "Primary key: a UUID the application generates (Prisma uuid()); no server default."
        ),
        "tenantId": "Tenant the row belongs to; every service query filters on it.",
        "businessAccountId": "The business account.",
        "minAmount": "Lower bound of the amount range, in GX Coin; NULL for none.",
        "maxAmount": "Upper bound of the amount range, in GX Coin; NULL for none.",
        "requiredApprovals": "Approvals a matching transaction needs.",
        "transactionType": "Transaction type the rule applies to; NULL for every type.",
        "dailyLimit": "Total the account may move per day under this rule, in GX Coin.",
        "isActive": "Whether the rule is in force.",
        "createdAt": "When the row was inserted (set by the database).",
        "updatedAt": (
            "When the row was last written: set by the application on every insert and update "
            "(Prisma @updatedAt); no server default."
        ),
    },
    "TransactionApproval": {
        "approvalId": (
            "Primary key: a UUID the application generates (Prisma uuid()); no server default."
        ),
        "tenantId": "Tenant the row belongs to; every service query filters on it.",
        "businessAccountId": "The business account.",
        "outboxCommandId": "The command submitted once approved; unique per tenant.",
        "requiredApprovals": "Approving votes needed before the command is submitted.",
        "receivedApprovals": "Approving votes so far.",
        "status": "State of the request.",
        "expiresAt": "When an unfinished request expires.",
        "createdAt": "When the row was inserted (set by the database).",
        "updatedAt": (
            "When the row was last written: set by the application on every insert and update "
            "(Prisma @updatedAt); no server default."
        ),
    },
    "ApprovalVote": {
        "voteId": (
            "Primary key: a UUID the application generates (Prisma uuid()); no server default."
        ),
        "tenantId": "Tenant the row belongs to; every service query filters on it.",
        "approvalId": "The approval voted on.",
        "signatoryId": "The signatory who voted.",
        "approved": "true to approve, false to reject.",
        "remarks": "The signatory's comment.",
        "votedAt": "When the vote was cast.",
    },
    "TransactionLimit": {
        "limitId": (
            "Primary key: a UUID the application generates (Prisma uuid()); no server default."
        ),
        "tenantId": "Tenant the row belongs to; every service query filters on it.",
        "profileId": "The profile limited; NULL for a wallet-level limit.",
        "walletId": "The wallet limited, if the limit is per wallet (not a foreign key).",
        "limitType": "Which limit this is.",
        "limitAmount": "Largest total in GX Coin within the limit's window.",
        "maxCount": "Largest number of transactions within the window; NULL for no count limit.",
        "timeWindowMinutes": (
            "Window length in minutes for window-based limits (VELOCITY_CHECK); NULL when the "
            "limit type fixes the window."
        ),
        "isActive": "Whether the limit is in force.",
        "createdAt": "When the row was inserted (set by the database).",
        "updatedAt": (
            "When the row was last written: set by the application on every insert and update "
            "(Prisma @updatedAt); no server default."
        ),
    },
    "TransactionRiskScore": {
        "riskId": (
            "Primary key: a UUID the application generates (Prisma uuid()); no server default."
        ),
        "tenantId": "Tenant the row belongs to; every service query filters on it.",
        "offTxId": "The transaction assessed; unique.",
        "riskScore": "The score; higher is riskier.",
        "riskFactors": "JSON detail of the factors behind the score.",
        "requiresReview": "Whether a person must review the transaction.",
        "reviewedAt": "When it was reviewed.",
        "reviewedBy": "Who reviewed it.",
        "reviewNotes": "The reviewer's notes.",
        "calculatedAt": "When the score was computed.",
    },
    "UserSession": {
        "sessionId": (
            "Primary key: a UUID the application generates (Prisma uuid()); no server default."
        ),
        "tenantId": "Tenant the row belongs to; every service query filters on it.",
        "profileId": "The profile logged in.",
        "deviceId": "Id of the device the session runs on, as the client reports it.",
        "deviceName": "Name of the device.",
        "deviceOs": "Operating system of the device.",
        "ipAddress": "IP address the session was created from.",
        "userAgent": "User agent of the client.",
        "status": "State of the session.",
        "createdAt": "When the row was inserted (set by the database).",
        "lastActivityAt": "When the session was last used.",
        "expiresAt": "When the session expires.",
        "revokedAt": "When the session was revoked.",
        "revokedReason": "Why it was revoked.",
        "refreshToken": "The refresh token; unique.",
        "refreshTokenHash": "Hash of the refresh token, for lookups.",
    },
    "TrustedDevice": {
        "deviceId": (
            "Primary key: a UUID the application generates (Prisma uuid()); no server default."
        ),
        "tenantId": "Tenant the row belongs to; every service query filters on it.",
        "profileId": "The owner.",
        "deviceName": "Name of the device.",
        "deviceFingerprint": "Fingerprint that recognises the device; unique.",
        "deviceOs": "Operating system of the device.",
        "firstSeenAt": "When the device was first seen.",
        "lastSeenAt": "When the device was last seen.",
        "isTrusted": "Whether the device is currently trusted.",
        "trustVerifiedAt": "When trust in the device was confirmed.",
    },
    "Notification": {
        "notificationId": (
            "Primary key: a UUID the application generates (Prisma uuid()); no server default."
        ),
        "tenantId": "Tenant the row belongs to; every service query filters on it.",
        "recipientId": "The profile notified.",
        "type": "What the notification is about.",
        "title": "Short title shown to the user.",
        "message": "Body text shown to the user.",
        "actionUrl": "Deep link of the action the notification offers.",
        "actionRequired": "Whether the user must act (approve, confirm, ...).",
        "actionResourceType": (
            "Kind of the resource the action is about (e.g. TransactionApproval)."
        ),
        "actionResourceId": "Id of that resource.",
        "status": "Read state.",
        "readAt": "When the user read it.",
        "actionedAt": "When the user acted on it.",
        "sentViaEmail": "Whether it was also sent by email.",
        "sentViaPush": "Whether it was also sent as a push notification.",
        "emailSentAt": "When the email was sent.",
        "pushSentAt": "When the push notification was sent.",
        "createdAt": "When the row was inserted (set by the database).",
        "expiresAt": "When it expires and may be removed; NULL for never.",
    },
    "PushToken": {
        "tokenId": (
            "Primary key: a UUID the application generates (Prisma uuid()); no server default."
        ),
        "tenantId": "Tenant the row belongs to; every service query filters on it.",
        "profileId": "The owner.",
        "token": "The token issued by the push service; unique.",
        "deviceId": "Id of the device, as the client reports it.",
        "platform": "Push platform of the token, as the client names it.",
        "isActive": "Whether pushes are sent to it.",
        "createdAt": "When the row was inserted (set by the database).",
        "lastUsedAt": "When a push last used it.",
    },
    "AuditLog": {
        "auditId": (
            "Primary key: a UUID the application generates (Prisma uuid()); no server default."
        ),
        "tenantId": "Tenant the row belongs to; every service query filters on it.",
        "eventType": "What happened.",
        "actorProfileId": (
            "Profile that acted; NULL for the system (not a foreign key: the log outlives "
            "profiles)."
        ),
        "targetProfileId": "Profile acted upon, if any (not a foreign key).",
        "resourceType": "Kind of the resource concerned (Wallet, Transaction, ...).",
        "resourceId": "Id of that resource.",
        "ipAddress": "IP address of the actor.",
        "userAgent": "User agent of the actor's client.",
        "deviceId": "Device of the actor.",
        "sessionId": "Session of the actor (UserSession.sessionId, not a foreign key).",
        "previousValue": "The resource before the event, as JSON.",
        "newValue": "The resource after the event, as JSON.",
        "metadata": "Further detail as JSON (mapped as event_metadata in Python).",
        "eventHash": "Hash of the event's content, to detect tampering.",
        "timestamp": "When the event happened.",
    },
    "LicensedPartner": {
        "partnerId": (
            "Primary key: a UUID the application generates (Prisma uuid()); no server default."
        ),
        "tenantId": "Tenant the row belongs to; every service query filters on it.",
        "companyName": "Legal name of the partner; unique per tenant.",
        "jurisdictionCountryCode": "Country the partner is licensed in.",
        "status": "State of the partner; new partners start PENDING.",
        "createdAt": "When the row was inserted (set by the database).",
    },
    "Application": {
        "appId": (
            "Primary key: a UUID the application generates (Prisma uuid()); no server default."
        ),
        "tenantId": "Tenant the row belongs to; every service query filters on it.",
        "partnerId": "The partner that owns the application.",
        "appName": "Name of the application; unique per tenant.",
        "createdAt": "When the row was inserted (set by the database).",
    },
    "License": {
        "licenseId": (
            "Primary key: a UUID the application generates (Prisma uuid()); no server default."
        ),
        "tenantId": "Tenant the row belongs to; every service query filters on it.",
        "appId": "The licensed application.",
        "licenseType": "Kind of license, as the licensing service names it.",
        "status": "State of the license.",
        "expiryDate": "When the license expires; NULL for no expiry.",
        "createdAt": "When the row was inserted (set by the database).",
    },
    "Credential": {
        "credentialId": (
            "Primary key: a UUID the application generates (Prisma uuid()); no server default."
        ),
        "tenantId": "Tenant the row belongs to; every service query filters on it.",
        "licenseId": "The license the credential belongs to.",
        "clientId": "Public client id; unique per tenant.",
        "clientSecretHash": "Hash of the client secret; the secret itself is never stored.",
        "status": "Whether the credential may be used.",
        "createdAt": "When the row was inserted (set by the database).",
    },
    "PartnerGrant": {
        "grantId": (
            "Primary key: a UUID the application generates (Prisma uuid()); no server default."
        ),
        "tenantId": "Tenant the row belongs to; every service query filters on it.",
        "partnerId": "The partner funded.",
        "amount": "Amount granted, in GX Coin.",
        "purpose": "What the grant is for.",
        "issuanceTimestamp": "When the grant was issued on chain.",
        "onChainTxId": "Fabric transaction that issued the grant.",
    },
    "OutboxCommand": {
        "id": "Primary key: a CUID the application generates (Prisma cuid()); no server default.",
        "tenantId": "Tenant the row belongs to; every service query filters on it.",
        "service": "Service that wrote the command.",
        "commandType": "Chaincode command to submit.",
        "requestId": "Idempotency key of the request; unique per tenant.",
        "payload": "Arguments of the command, as JSON.",
        "status": "Lifecycle: PENDING, LOCKED by a worker, SUBMITTED, then COMMITTED or FAILED.",
        "attempts": "Submission attempts so far.",
        "lockedBy": "Worker holding the command while it submits it.",
        "lockedAt": "When the worker took it.",
        "submittedAt": "When it was submitted to the chain.",
        "fabricTxId": "Fabric transaction id of the submission.",
        "commitBlock": "Block that committed the transaction.",
        "errorCode": "Machine-readable code of the last error.",
        "error": "Message of the last error.",
        "createdAt": "When the row was inserted (set by the database).",
        "updatedAt": (
            "When the row was last written: set by the application on every insert and update "
            "(Prisma @updatedAt); no server default."
        ),
    },
    "ProjectorState": {
        "tenantId": "Tenant the row belongs to; every service query filters on it.",
        "projectorName": "Name of the projector.",
        "channel": "Fabric channel it reads.",
        "lastBlock": "Last block fully projected.",
        "lastEventIndex": "Index of the last event projected within lastBlock.",
        "updatedAt": (
            "When the row was last written: set by the application on every insert and update "
            "(Prisma @updatedAt); no server default."
        ),
    },
    "HttpIdempotency": {
        "tenantId": "Tenant the row belongs to; every service query filters on it.",
        "method": "HTTP method of the request.",
        "path": "Path of the request.",
        "bodyHash": "Hash of the request body.",
        "responseBody": "The response body replayed, as JSON.",
        "responseHeaders": "The response headers replayed, as JSON.",
        "statusCode": "HTTP status code of the response.",
        "createdAt": "When the row was inserted (set by the database).",
        "ttlExpiresAt": "When the row expires and may be deleted.",
    },
    "EventLog": {
        "id": "Primary key: a CUID the application generates (Prisma cuid()); no server default.",
        "tenantId": "Tenant the row belongs to; every service query filters on it.",
        "fabricTxId": "Fabric transaction that emitted the event.",
        "blockNumber": "Block of that transaction.",
        "channel": "Fabric channel.",
        "chaincode": "Chaincode that emitted the event.",
        "eventName": "Name of the event.",
        "eventVersion": "Version of the event's payload schema.",
        "payload": "The event's payload, as JSON.",
        "txTimestamp": "Timestamp of the transaction on chain.",
        "ingestedAt": "When the event was stored.",
    },
    "EventDLQ": {
        "id": "Primary key: a CUID the application generates (Prisma cuid()); no server default.",
        "tenantId": "Tenant the row belongs to; every service query filters on it.",
        "reason": "Why the event could not be processed.",
        "rawPayload": "The event as received, as JSON.",
        "fabricTxId": "Fabric transaction of the event, if known.",
        "blockNumber": "Block of the event, if known.",
        "channel": "Fabric channel, if known.",
        "chaincode": "Chaincode, if known.",
        "createdAt": "When the row was inserted (set by the database).",
    },
    "ApiRateLimit": {
        "rateLimitId": (
            "Primary key: a UUID the application generates (Prisma uuid()); no server default."
        ),
        "tenantId": "Tenant the row belongs to; every service query filters on it.",
        "clientId": "Client the requests are counted for.",
        "endpoint": "Endpoint counted.",
        "requestCount": "Requests made in the window so far.",
        "windowStart": "Start of the window.",
        "windowEnd": "End of the window; rows past it may be deleted.",
        "maxRequests": "Requests allowed in the window (rateLimitMaxRequests).",
        "windowMinutes": "Length of the window in minutes.",
    },
    "WebhookEndpoint": {
        "webhookId": (
            "Primary key: a UUID the application generates (Prisma uuid()); no server default."
        ),
        "tenantId": "Tenant the row belongs to; every service query filters on it.",
        "partnerId": "The partner that registered the endpoint.",
        "url": "URL the events are POSTed to.",
        "secret": "Secret that signs the deliveries.",
        "events": "Event types the endpoint subscribes to.",
        "isActive": "Whether events are delivered to it.",
        "maxRetries": "How many times a failed delivery is retried.",
        "retryDelay": "Delay between retries, in seconds (300 = 5 minutes).",
        "lastSuccess": "When a delivery last succeeded.",
        "lastFailure": "When a delivery last failed.",
        "failureCount": "Number of failed deliveries.",
        "createdAt": "When the row was inserted (set by the database).",
        "updatedAt": (
            "When the row was last written: set by the application on every insert and update "
            "(Prisma @updatedAt); no server default."
        ),
    },
    "WebhookDelivery": {
        "deliveryId": (
            "Primary key: a UUID the application generates (Prisma uuid()); no server default."
        ),
        "tenantId": "Tenant the row belongs to; every service query filters on it.",
        "webhookId": "The endpoint delivered to.",
        "eventType": "Type of the event delivered.",
        "payload": "The event sent, as JSON.",
        "attempts": "Attempts made so far.",
        "lastAttempt": "When the last attempt was made.",
        "success": "Whether the delivery succeeded.",
        "responseCode": "HTTP status code of the last attempt.",
        "responseBody": "Body of the last response.",
        "error": "Error of the last attempt.",
        "createdAt": "When the row was inserted (set by the database).",
    },
    "FeatureFlag": {
        "flagId": (
            "Primary key: a UUID the application generates (Prisma uuid()); no server default."
        ),
        "tenantId": "Tenant the row belongs to; every service query filters on it.",
        "flagKey": "Key of the flag (enable_...); unique per tenant.",
        "isEnabled": "Whether the feature is on at all.",
        "rolloutPercent": "Share of users that get the feature, 0 to 100.",
        "targetUserIds": "Profiles that get the feature regardless of rolloutPercent.",
        "targetRoles": "Roles that get the feature regardless of rolloutPercent.",
        "description": "What the flag switches.",
        "createdAt": "When the row was inserted (set by the database).",
        "updatedAt": (
            "When the row was last written: set by the application on every insert and update "
            "(Prisma @updatedAt); no server default."
        ),
    },
    "SystemConfig": {
        "configKey": (
            "Name of the parameter; the primary key on its own (see docs/schema-notes.md)."
        ),
        "tenantId": "Tenant the row belongs to; 'global' (the default) for platform-wide rows.",
        "configValue": (
            "The value, as JSON of the type valueType names; amounts in Qirat (1 coin = "
            "100,000 Qirat)."
        ),
        "valueType": "Type of configValue: string, number, boolean or json.",
        "description": "What the parameter means.",
        "isSecret": "Whether the value is secret and must not be shown.",
        "createdAt": "When the row was inserted (set by the database).",
        "updatedAt": (
            "When the row was last written: set by the application on every insert and update "
            "(Prisma @updatedAt); no server default."
        ),
    },
    "HealthCheckMetric": {
        "metricId": (
            "Primary key: a UUID the application generates (Prisma uuid()); no server default."
        ),
        "tenantId": "Tenant the row belongs to; 'global' (the default) for platform-wide rows.",
        "serviceName": "Service measured.",
        "metricName": "Metric measured.",
        "metricValue": "The measured value, in unit.",
        "unit": "Unit of metricValue and threshold, as the service names it (ms, bytes, ...).",
        "status": "Health status the measurement gives, as the services name it.",
        "threshold": "Value at which status changes, in unit.",
        "timestamp": "When the measurement was taken.",
    },
    "SchemaMigrationRun": {
        "runId": (
            "Primary key: a UUID the application generates (Prisma uuid()); no server default."
        ),
        "tenantId": "Tenant the row belongs to; 'global' (the default) for platform-wide rows.",
        "fromRevision": "Alembic revision before the run; NULL for an empty database.",
        "toRevision": (
            "Alembic revision the run aimed at, or reached when it ended (base after a full "
            "downgrade)."
        ),
        "direction": "upgrade, downgrade, stamp or adopt.",
        "status": "running, succeeded or failed.",
        "runner": "Who ran it: the pod name (POD_NAME or HOSTNAME) or the host name.",
        "appVersion": "gxschema version that ran it.",
        "error": "One-line error of a failed run, passwords redacted.",
        "startedAt": "When the run started.",
        "finishedAt": "When the run ended; NULL while running.",
        "durationMs": "Duration of the run in milliseconds.",
    },
    "SeedDataset": {
        "datasetId": (
            "Primary key: a UUID the application generates (Prisma uuid()); no server default."
        ),
        "tenantId": "Tenant the row belongs to; 'global' (the default) for platform-wide rows.",
        "name": "Dataset name (countries, system_config, feature_flags, demo).",
        "version": "Version the seed file declares.",
        "checksum": "SHA-256 of the dataset's content.",
        "rowCount": "Rows in the dataset.",
        "appliedBy": "Who applied it (pod or host name).",
        "appliedAt": "When it was applied.",
    },
    "BackupRecord": {
        "backupId": (
            "Primary key: a UUID the application generates (Prisma uuid()); no server default."
        ),
        "tenantId": "Tenant the row belongs to; 'global' (the default) for platform-wide rows.",
        "kind": "scheduled, manual or pre-migration.",
        "target": "Database dumped, as user@host:port/database (never a password).",
        "location": "Path of the dump file.",
        "schemaRevision": "Alembic revision of the database when it was dumped.",
        "sizeBytes": "Size of the dump in bytes.",
        "checksum": "SHA-256 of the dump file (also in its .sha256 file).",
        "status": "running, succeeded, failed or pruned.",
        "error": "Why the backup failed.",
        "startedAt": "When the backup started.",
        "finishedAt": "When the backup ended.",
        "verifiedAt": (
            "When a restore test last restored the dump and found the same row counts; NULL if "
            "never."
        ),
    },
}
"""The comment of each column, by table, in column order."""


def upgrade() -> None:
    # Alembic's comment operations render each literal through the dialect, so no
    # quoting by hand; with no type given, alter_column emits only COMMENT ON COLUMN
    # (no ALTER TABLE, no type change): PostgreSQL needs no existing type for it.
    for table, comment in TABLES.items():
        op.create_table_comment(table, comment, existing_comment=None)
        for column, column_comment in COLUMNS[table].items():
            op.alter_column(table, column, comment=column_comment, existing_comment=None)


def downgrade() -> None:
    for table in reversed(TABLES):
        for column, column_comment in COLUMNS[table].items():
            op.alter_column(table, column, comment=None, existing_comment=column_comment)
        op.drop_table_comment(table, existing_comment=TABLES[table])
