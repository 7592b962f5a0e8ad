BEGIN;

-- Running upgrade 0004 -> 0005

COMMENT ON TABLE "Country" IS 'ISO 3166-1 countries with the region the services group them under; reference data seeded from seeds/base/countries.csv.';

COMMENT ON COLUMN "Country"."countryCode" IS 'ISO 3166-1 alpha-2 code, upper case (KE, NG, ...).';

COMMENT ON COLUMN "Country"."countryName" IS 'ISO 3166-1 short name of the country.';

COMMENT ON COLUMN "Country".region IS 'Region the services group the country under: Africa, Asia, Europe, North America, South America or Oceania.';

COMMENT ON TABLE "LegalTenderStatus" IS 'Dated records of GX Coin being recognised, sandboxed or legal tender in a country; the newest effectiveDate per country is the current standing.';

COMMENT ON COLUMN "LegalTenderStatus"."statusId" IS 'Primary key: a UUID the application generates (Prisma uuid()); no server default.';

COMMENT ON COLUMN "LegalTenderStatus"."countryCode" IS 'Country the status applies to.';

COMMENT ON COLUMN "LegalTenderStatus".status IS 'Legal standing of GX Coin in the country from effectiveDate on.';

COMMENT ON COLUMN "LegalTenderStatus"."effectiveDate" IS 'When the status takes effect.';

COMMENT ON COLUMN "LegalTenderStatus"."createdAt" IS 'When the row was inserted (set by the database).';

COMMENT ON TABLE "UserProfile" IS 'People registered with the protocol; the root of most per-user data (wallets, KYC, sessions, relationships). Soft-deleted through deletedAt.';

COMMENT ON COLUMN "UserProfile"."profileId" IS 'Primary key: a UUID the application generates (Prisma uuid()); no server default.';

COMMENT ON COLUMN "UserProfile"."tenantId" IS 'Tenant the row belongs to; every service query filters on it.';

COMMENT ON COLUMN "UserProfile"."firstName" IS 'Given name.';

COMMENT ON COLUMN "UserProfile"."lastName" IS 'Family name.';

COMMENT ON COLUMN "UserProfile".email IS 'Email address; unique across all tenants when set.';

COMMENT ON COLUMN "UserProfile"."phoneNum" IS 'Phone number in international format; unique across all tenants when set.';

COMMENT ON COLUMN "UserProfile"."identityNum" IS 'National identity document number, as entered.';

COMMENT ON COLUMN "UserProfile"."biometricHash" IS 'Hash of the person''s biometric template; unique, so one person registers once. Indexed twice (see docs/schema-notes.md).';

COMMENT ON COLUMN "UserProfile"."passwordHash" IS 'Salted hash of the password; the password itself is never stored.';

COMMENT ON COLUMN "UserProfile"."nationalityCountryCode" IS 'Nationality; set to NULL if the country is deleted.';

COMMENT ON COLUMN "UserProfile".status IS 'Verification state; new profiles start PENDING_VERIFICATION.';

COMMENT ON COLUMN "UserProfile"."deletedAt" IS 'When the profile was soft-deleted; NULL while it is live.';

COMMENT ON COLUMN "UserProfile"."createdAt" IS 'When the row was inserted (set by the database).';

COMMENT ON COLUMN "UserProfile"."updatedAt" IS 'When the row was last written: set by the application on every insert and update (Prisma @updatedAt); no server default.';

COMMENT ON TABLE "OrganizationProfile" IS 'Registered organisations (companies, NGOs, government bodies) that people belong to and that hold business accounts. Soft-deleted through deletedAt.';

COMMENT ON COLUMN "OrganizationProfile"."orgProfileId" IS 'Primary key: a UUID the application generates (Prisma uuid()); no server default.';

COMMENT ON COLUMN "OrganizationProfile"."tenantId" IS 'Tenant the row belongs to; every service query filters on it.';

COMMENT ON COLUMN "OrganizationProfile"."legalName" IS 'Registered legal name.';

COMMENT ON COLUMN "OrganizationProfile"."registrationNumber" IS 'Company or registry number in its jurisdiction.';

COMMENT ON COLUMN "OrganizationProfile"."jurisdictionCountryCode" IS 'Country the organisation is registered in.';

COMMENT ON COLUMN "OrganizationProfile".address IS 'Registered address, free text.';

COMMENT ON COLUMN "OrganizationProfile".status IS 'Verification state; new organisations start PENDING_VERIFICATION.';

COMMENT ON COLUMN "OrganizationProfile"."deletedAt" IS 'When the organisation was soft-deleted; NULL while it is live.';

COMMENT ON COLUMN "OrganizationProfile"."createdAt" IS 'When the row was inserted (set by the database).';

COMMENT ON COLUMN "OrganizationProfile"."updatedAt" IS 'When the row was last written: set by the application on every insert and update (Prisma @updatedAt); no server default.';

COMMENT ON TABLE "UserOrganizationLink" IS 'Membership of a user in an organisation, with the user''s role there; one row per tenant, user and organisation.';

COMMENT ON COLUMN "UserOrganizationLink".id IS 'Primary key: a CUID the application generates (Prisma cuid()); no server default.';

COMMENT ON COLUMN "UserOrganizationLink"."tenantId" IS 'Tenant the row belongs to; every service query filters on it.';

COMMENT ON COLUMN "UserOrganizationLink"."userProfileId" IS 'The member.';

COMMENT ON COLUMN "UserOrganizationLink"."orgProfileId" IS 'The organisation.';

COMMENT ON COLUMN "UserOrganizationLink".role IS 'The member''s role in the organisation, free text set by the services.';

COMMENT ON COLUMN "UserOrganizationLink"."addedAt" IS 'When the user was added to the organisation.';

COMMENT ON TABLE "FamilyRelationship" IS 'Relationships a profile declares with another person (family, business, friends), confirmed or rejected by the other side; they feed the trust score.';

COMMENT ON COLUMN "FamilyRelationship"."relationshipId" IS 'Primary key: a UUID the application generates (Prisma uuid()); no server default.';

COMMENT ON COLUMN "FamilyRelationship"."tenantId" IS 'Tenant the row belongs to; every service query filters on it.';

COMMENT ON COLUMN "FamilyRelationship"."initiatorProfileId" IS 'The profile that declared the relationship.';

COMMENT ON COLUMN "FamilyRelationship"."relatedProfileId" IS 'The other profile, once known; NULL while only relatedEmail identifies an invited person.';

COMMENT ON COLUMN "FamilyRelationship"."relatedEmail" IS 'Email of an invited person who has no profile yet.';

COMMENT ON COLUMN "FamilyRelationship"."relationType" IS 'Kind of relationship, from the initiator''s point of view.';

COMMENT ON COLUMN "FamilyRelationship".status IS 'Confirmation state; starts PENDING until the other side answers.';

COMMENT ON COLUMN "FamilyRelationship"."statusDocumentUrl" IS 'Object-storage URL of a document supporting the status (death or divorce certificate).';

COMMENT ON COLUMN "FamilyRelationship"."statusDocumentHash" IS 'Hash of that document, to detect a changed file.';

COMMENT ON COLUMN "FamilyRelationship"."statusRemarks" IS 'Free-text remarks on the status.';

COMMENT ON COLUMN "FamilyRelationship"."confirmedAt" IS 'When the other side confirmed.';

COMMENT ON COLUMN "FamilyRelationship"."rejectedAt" IS 'When the other side rejected.';

COMMENT ON COLUMN "FamilyRelationship"."pointsAwarded" IS 'Trust-score points this relationship contributes.';

COMMENT ON COLUMN "FamilyRelationship"."isApplicable" IS 'Whether the relationship counts for the trust score.';

COMMENT ON COLUMN "FamilyRelationship"."createdAt" IS 'When the row was inserted (set by the database).';

COMMENT ON COLUMN "FamilyRelationship"."updatedAt" IS 'When the row was last written: set by the application on every insert and update (Prisma @updatedAt); no server default.';

COMMENT ON TABLE "TrustScore" IS 'A profile''s trust score: family, business and friends scores weighted into a total; one row per profile, recomputed by the services.';

COMMENT ON COLUMN "TrustScore"."profileId" IS 'The profile scored; primary key, so one score per profile.';

COMMENT ON COLUMN "TrustScore"."tenantId" IS 'Tenant the row belongs to; every service query filters on it.';

COMMENT ON COLUMN "TrustScore"."familyScore" IS 'Points from family relationships.';

COMMENT ON COLUMN "TrustScore"."businessScore" IS 'Points from business relationships.';

COMMENT ON COLUMN "TrustScore"."friendsScore" IS 'Points from friend relationships.';

COMMENT ON COLUMN "TrustScore"."totalScore" IS 'Weighted total of the three scores.';

COMMENT ON COLUMN "TrustScore"."familyWeight" IS 'Weight of familyScore in totalScore (0.80 = 80 in 100).';

COMMENT ON COLUMN "TrustScore"."businessWeight" IS 'Weight of businessScore in totalScore (0.10 = 10 in 100).';

COMMENT ON COLUMN "TrustScore"."friendsWeight" IS 'Weight of friendsScore in totalScore (0.10 = 10 in 100).';

COMMENT ON COLUMN "TrustScore"."lastCalculatedAt" IS 'When the score was last computed.';

COMMENT ON COLUMN "TrustScore"."calculationVersion" IS 'Version of the scoring rules that computed it.';

COMMENT ON TABLE "KYCVerification" IS 'KYC (know your customer) reviews of a profile''s identity, with their outcome and a hash of the evidence.';

COMMENT ON COLUMN "KYCVerification"."kycId" IS 'Primary key: a UUID the application generates (Prisma uuid()); no server default.';

COMMENT ON COLUMN "KYCVerification"."profileId" IS 'The profile under review.';

COMMENT ON COLUMN "KYCVerification".status IS 'Outcome of the review.';

COMMENT ON COLUMN "KYCVerification"."verifiedAt" IS 'When the review concluded.';

COMMENT ON COLUMN "KYCVerification"."verifierDetails" IS 'Who or what verified (reviewer, provider, reference).';

COMMENT ON COLUMN "KYCVerification"."evidenceHash" IS 'Hash of the evidence bundle reviewed.';

COMMENT ON COLUMN "KYCVerification"."evidenceSize" IS 'Size of the evidence in bytes.';

COMMENT ON COLUMN "KYCVerification"."evidenceMime" IS 'MIME type of the evidence.';

COMMENT ON COLUMN "KYCVerification"."createdAt" IS 'When the row was inserted (set by the database).';

COMMENT ON COLUMN "KYCVerification"."updatedAt" IS 'When the row was last written: set by the application on every insert and update (Prisma @updatedAt); no server default.';

COMMENT ON TABLE "KYCDocument" IS 'Documents uploaded for a KYC review; the file lives in object storage, the row keeps its URL, hash and review state.';

COMMENT ON COLUMN "KYCDocument"."documentId" IS 'Primary key: a UUID the application generates (Prisma uuid()); no server default.';

COMMENT ON COLUMN "KYCDocument"."tenantId" IS 'Tenant the row belongs to; every service query filters on it.';

COMMENT ON COLUMN "KYCDocument"."kycId" IS 'The KYC review the document belongs to.';

COMMENT ON COLUMN "KYCDocument"."documentType" IS 'Kind of document.';

COMMENT ON COLUMN "KYCDocument"."documentNumber" IS 'Number printed on the document (passport number, ...).';

COMMENT ON COLUMN "KYCDocument"."issuingCountry" IS 'Country that issued the document; NULL if that country is deleted.';

COMMENT ON COLUMN "KYCDocument"."issuedDate" IS 'Date of issue printed on the document.';

COMMENT ON COLUMN "KYCDocument"."expiryDate" IS 'Expiry date printed on the document.';

COMMENT ON COLUMN "KYCDocument"."storageUrl" IS 'Object-storage URL of the file.';

COMMENT ON COLUMN "KYCDocument"."fileHash" IS 'Hash of the file, to detect tampering and duplicates.';

COMMENT ON COLUMN "KYCDocument"."fileSize" IS 'File size in bytes (the services accept up to kycMaxFileSize).';

COMMENT ON COLUMN "KYCDocument"."mimeType" IS 'MIME type of the file (one of kycAllowedMimeTypes).';

COMMENT ON COLUMN "KYCDocument"."encryptionKey" IS 'Key material or key reference of the stored file''s encryption, as the KYC service writes it; NULL when the file is not encrypted.';

COMMENT ON COLUMN "KYCDocument"."virusScanStatus" IS 'Result of the virus scan, as the scanner reports it.';

COMMENT ON COLUMN "KYCDocument"."virusScanDate" IS 'When the file was scanned.';

COMMENT ON COLUMN "KYCDocument".version IS 'Version of the document, 1 for the first upload.';

COMMENT ON COLUMN "KYCDocument"."replacesDocumentId" IS 'documentId of the document this upload replaces (not a foreign key).';

COMMENT ON COLUMN "KYCDocument"."uploadedAt" IS 'When the file was uploaded.';

COMMENT ON COLUMN "KYCDocument"."verifiedAt" IS 'When a reviewer accepted the document.';

COMMENT ON COLUMN "KYCDocument"."verifiedBy" IS 'Who accepted the document.';

COMMENT ON TABLE "Wallet" IS 'A profile''s wallets: the link to an on-chain account and the balance cached off-chain. Soft-deleted through deletedAt.';

COMMENT ON COLUMN "Wallet"."walletId" IS 'Primary key: a UUID the application generates (Prisma uuid()); no server default.';

COMMENT ON COLUMN "Wallet"."tenantId" IS 'Tenant the row belongs to; every service query filters on it.';

COMMENT ON COLUMN "Wallet"."profileId" IS 'The owner.';

COMMENT ON COLUMN "Wallet"."primaryAccountId" IS 'On-chain account id of the wallet; unique per tenant.';

COMMENT ON COLUMN "Wallet"."walletName" IS 'Name the owner gives the wallet.';

COMMENT ON COLUMN "Wallet"."cachedBalance" IS 'Balance in GX Coin as last computed off-chain (numeric(36,9); 1 coin = 100,000 Qirat); the chain is authoritative.';

COMMENT ON COLUMN "Wallet"."deletedAt" IS 'When the wallet was soft-deleted; NULL while it is live.';

COMMENT ON COLUMN "Wallet"."createdAt" IS 'When the row was inserted (set by the database).';

COMMENT ON COLUMN "Wallet"."updatedAt" IS 'When the row was last written: set by the application on every insert and update (Prisma @updatedAt); no server default.';

COMMENT ON TABLE "Transaction" IS 'Off-chain records of the on-chain transactions touching a wallet; append-only, the largest table by rows.';

COMMENT ON COLUMN "Transaction"."offTxId" IS 'Primary key: a UUID the application generates (Prisma uuid()); the off-chain id of the record.';

COMMENT ON COLUMN "Transaction"."tenantId" IS 'Tenant the row belongs to; every service query filters on it.';

COMMENT ON COLUMN "Transaction"."onChainTxId" IS 'Fabric transaction id on chain; unique per tenant, NULL until known.';

COMMENT ON COLUMN "Transaction"."walletId" IS 'The wallet the record belongs to.';

COMMENT ON COLUMN "Transaction".type IS 'Direction or kind of the movement, seen from the wallet.';

COMMENT ON COLUMN "Transaction".counterparty IS 'Account id on the other side: another wallet''s primaryAccountId or a system pool (SYSTEM_GENESIS_POOL, ...).';

COMMENT ON COLUMN "Transaction".amount IS 'Amount moved, in GX Coin (numeric(36,9); 1 coin = 100,000 Qirat).';

COMMENT ON COLUMN "Transaction".fee IS 'Fee charged, in GX Coin: transactionFeeBps basis points of amount, none below transactionFeeThreshold.';

COMMENT ON COLUMN "Transaction".remark IS 'Free-text note of the sender.';

COMMENT ON COLUMN "Transaction".timestamp IS 'When the transaction happened on chain.';

COMMENT ON COLUMN "Transaction"."blockNumber" IS 'Block that committed the transaction.';

COMMENT ON TABLE "Beneficiary" IS 'Saved payees of a profile: an identity id with a nickname, one row per tenant, owner and payee.';

COMMENT ON COLUMN "Beneficiary"."beneficiaryId" IS 'Primary key: a UUID the application generates (Prisma uuid()); no server default.';

COMMENT ON COLUMN "Beneficiary"."tenantId" IS 'Tenant the row belongs to; every service query filters on it.';

COMMENT ON COLUMN "Beneficiary"."ownerProfileId" IS 'The profile that saved the payee.';

COMMENT ON COLUMN "Beneficiary"."beneficiaryIdentityId" IS 'Identity of the payee (an account or profile id).';

COMMENT ON COLUMN "Beneficiary".nickname IS 'Name the owner gives the payee.';

COMMENT ON COLUMN "Beneficiary"."createdAt" IS 'When the row was inserted (set by the database).';

COMMENT ON TABLE "Contact" IS 'Entries of a profile''s address book, linked to another profile when the contact has one.';

COMMENT ON COLUMN "Contact"."contactId" IS 'Primary key: a UUID the application generates (Prisma uuid()); no server default.';

COMMENT ON COLUMN "Contact"."tenantId" IS 'Tenant the row belongs to; every service query filters on it.';

COMMENT ON COLUMN "Contact"."ownerProfileId" IS 'The profile whose address book this is.';

COMMENT ON COLUMN "Contact"."contactProfileId" IS 'The contact''s own profile, if any; NULL when that profile is deleted.';

COMMENT ON COLUMN "Contact"."displayName" IS 'Name shown in the address book.';

COMMENT ON COLUMN "Contact"."phoneNumber" IS 'Phone number as saved by the owner.';

COMMENT ON COLUMN "Contact".email IS 'Email as saved by the owner.';

COMMENT ON COLUMN "Contact".notes IS 'Free-text notes of the owner.';

COMMENT ON COLUMN "Contact"."isFavorite" IS 'Whether the owner starred the contact.';

COMMENT ON COLUMN "Contact"."transactionCount" IS 'Number of transactions the owner made with the contact.';

COMMENT ON COLUMN "Contact"."lastTransactionAt" IS 'When the owner last transacted with the contact.';

COMMENT ON COLUMN "Contact".status IS 'Whether the contact is active, blocked or archived.';

COMMENT ON COLUMN "Contact"."createdAt" IS 'When the row was inserted (set by the database).';

COMMENT ON COLUMN "Contact"."updatedAt" IS 'When the row was last written: set by the application on every insert and update (Prisma @updatedAt); no server default.';

COMMENT ON TABLE "Collateral" IS 'Collateral documents pledged against on-chain loans, one per loan; released when the loan is repaid.';

COMMENT ON COLUMN "Collateral"."collateralId" IS 'Primary key: a UUID the application generates (Prisma uuid()); no server default.';

COMMENT ON COLUMN "Collateral"."onChainLoanId" IS 'Id of the loan on chain; unique.';

COMMENT ON COLUMN "Collateral"."documentReference" IS 'Object-storage reference of the collateral document.';

COMMENT ON COLUMN "Collateral"."documentHash" IS 'Hash of the collateral document.';

COMMENT ON COLUMN "Collateral"."documentSize" IS 'Size of the document in bytes.';

COMMENT ON COLUMN "Collateral"."documentMime" IS 'MIME type of the document.';

COMMENT ON COLUMN "Collateral".status IS 'Whether the collateral is pledged or released.';

COMMENT ON COLUMN "Collateral"."createdAt" IS 'When the row was inserted (set by the database).';

COMMENT ON TABLE "HoardingTaxSnapshot" IS 'A wallet''s balance on a date with the hoarding (velocity) tax owed on it; one row per tenant, wallet and date.';

COMMENT ON COLUMN "HoardingTaxSnapshot"."snapshotId" IS 'Primary key: a UUID the application generates (Prisma uuid()); no server default.';

COMMENT ON COLUMN "HoardingTaxSnapshot"."tenantId" IS 'Tenant the row belongs to; every service query filters on it.';

COMMENT ON COLUMN "HoardingTaxSnapshot"."walletId" IS 'The wallet assessed.';

COMMENT ON COLUMN "HoardingTaxSnapshot"."snapshotDate" IS 'Date of the snapshot.';

COMMENT ON COLUMN "HoardingTaxSnapshot".balance IS 'Balance on that date, in GX Coin.';

COMMENT ON COLUMN "HoardingTaxSnapshot"."daysHeld" IS 'Days the balance was held, counted within the hoarding-tax cycle (velocityTaxCycleDays).';

COMMENT ON COLUMN "HoardingTaxSnapshot"."taxableAmount" IS 'Part of the balance the tax applies to, in GX Coin.';

COMMENT ON COLUMN "HoardingTaxSnapshot"."taxRate" IS 'Tax rate as a fraction: 0.1000 is 10 in 100 (velocityTaxRate).';

COMMENT ON COLUMN "HoardingTaxSnapshot"."taxOwed" IS 'Tax owed, in GX Coin: taxableAmount times taxRate.';

COMMENT ON COLUMN "HoardingTaxSnapshot"."taxPaid" IS 'Whether the tax has been paid.';

COMMENT ON COLUMN "HoardingTaxSnapshot"."paidAt" IS 'When the tax was paid.';

COMMENT ON COLUMN "HoardingTaxSnapshot"."fabricTxId" IS 'Fabric transaction that paid the tax.';

COMMENT ON COLUMN "HoardingTaxSnapshot"."createdAt" IS 'When the row was inserted (set by the database).';

COMMENT ON TABLE "BusinessAccount" IS 'An organisation''s account, backed by one wallet, whose transactions need signatory approvals; one per tenant and organisation.';

COMMENT ON COLUMN "BusinessAccount"."businessAccountId" IS 'Primary key: a UUID the application generates (Prisma uuid()); no server default.';

COMMENT ON COLUMN "BusinessAccount"."tenantId" IS 'Tenant the row belongs to; every service query filters on it.';

COMMENT ON COLUMN "BusinessAccount"."orgProfileId" IS 'The organisation that owns the account.';

COMMENT ON COLUMN "BusinessAccount"."walletId" IS 'The wallet holding the account''s funds; unique, and the wallet cannot be deleted while the account exists.';

COMMENT ON COLUMN "BusinessAccount"."defaultRequiredApprovals" IS 'Approvals a transaction needs when no SignatoryRule matches.';

COMMENT ON COLUMN "BusinessAccount"."createdAt" IS 'When the row was inserted (set by the database).';

COMMENT ON COLUMN "BusinessAccount"."updatedAt" IS 'When the row was last written: set by the application on every insert and update (Prisma @updatedAt); no server default.';

COMMENT ON TABLE "BusinessSignatory" IS 'People who may initiate or approve transactions of a business account; one row per tenant, account and person.';

COMMENT ON COLUMN "BusinessSignatory"."signatoryId" IS 'Primary key: a UUID the application generates (Prisma uuid()); no server default.';

COMMENT ON COLUMN "BusinessSignatory"."tenantId" IS 'Tenant the row belongs to; every service query filters on it.';

COMMENT ON COLUMN "BusinessSignatory"."businessAccountId" IS 'The business account.';

COMMENT ON COLUMN "BusinessSignatory"."profileId" IS 'The signatory.';

COMMENT ON COLUMN "BusinessSignatory".role IS 'The signatory''s role on the account.';

COMMENT ON COLUMN "BusinessSignatory"."canInitiateTransactions" IS 'Whether the signatory may start transactions.';

COMMENT ON COLUMN "BusinessSignatory"."canApproveTransactions" IS 'Whether the signatory may vote on approvals.';

COMMENT ON COLUMN "BusinessSignatory"."maxTransactionLimit" IS 'Largest amount, in GX Coin, the signatory may initiate; NULL for no limit.';

COMMENT ON COLUMN "BusinessSignatory"."invitedAt" IS 'When the signatory was invited.';

COMMENT ON COLUMN "BusinessSignatory"."confirmedAt" IS 'When the invitee accepted.';

COMMENT ON COLUMN "BusinessSignatory"."revokedAt" IS 'When the signatory was revoked; NULL while active.';

COMMENT ON TABLE "SignatoryRule" IS 'Approval rules of a business account: how many approvals a transaction needs, by amount range and transaction type.';

COMMENT ON COLUMN "SignatoryRule"."ruleId" IS 'Primary key: a UUID the application generates (Prisma uuid()); no server default.';

COMMENT ON COLUMN "SignatoryRule"."tenantId" IS 'Tenant the row belongs to; every service query filters on it.';

COMMENT ON COLUMN "SignatoryRule"."businessAccountId" IS 'The business account.';

COMMENT ON COLUMN "SignatoryRule"."minAmount" IS 'Lower bound of the amount range, in GX Coin; NULL for none.';

COMMENT ON COLUMN "SignatoryRule"."maxAmount" IS 'Upper bound of the amount range, in GX Coin; NULL for none.';

COMMENT ON COLUMN "SignatoryRule"."requiredApprovals" IS 'Approvals a matching transaction needs.';

COMMENT ON COLUMN "SignatoryRule"."transactionType" IS 'Transaction type the rule applies to; NULL for every type.';

COMMENT ON COLUMN "SignatoryRule"."dailyLimit" IS 'Total the account may move per day under this rule, in GX Coin.';

COMMENT ON COLUMN "SignatoryRule"."isActive" IS 'Whether the rule is in force.';

COMMENT ON COLUMN "SignatoryRule"."createdAt" IS 'When the row was inserted (set by the database).';

COMMENT ON COLUMN "SignatoryRule"."updatedAt" IS 'When the row was last written: set by the application on every insert and update (Prisma @updatedAt); no server default.';

COMMENT ON TABLE "TransactionApproval" IS 'Business transactions waiting for signatory approvals; each holds back one outbox command until enough votes arrive or it expires.';

COMMENT ON COLUMN "TransactionApproval"."approvalId" IS 'Primary key: a UUID the application generates (Prisma uuid()); no server default.';

COMMENT ON COLUMN "TransactionApproval"."tenantId" IS 'Tenant the row belongs to; every service query filters on it.';

COMMENT ON COLUMN "TransactionApproval"."businessAccountId" IS 'The business account.';

COMMENT ON COLUMN "TransactionApproval"."outboxCommandId" IS 'The command submitted once approved; unique per tenant.';

COMMENT ON COLUMN "TransactionApproval"."requiredApprovals" IS 'Approving votes needed before the command is submitted.';

COMMENT ON COLUMN "TransactionApproval"."receivedApprovals" IS 'Approving votes so far.';

COMMENT ON COLUMN "TransactionApproval".status IS 'State of the request.';

COMMENT ON COLUMN "TransactionApproval"."expiresAt" IS 'When an unfinished request expires.';

COMMENT ON COLUMN "TransactionApproval"."createdAt" IS 'When the row was inserted (set by the database).';

COMMENT ON COLUMN "TransactionApproval"."updatedAt" IS 'When the row was last written: set by the application on every insert and update (Prisma @updatedAt); no server default.';

COMMENT ON TABLE "ApprovalVote" IS 'One signatory''s vote on a transaction approval; one per tenant, approval and signatory.';

COMMENT ON COLUMN "ApprovalVote"."voteId" IS 'Primary key: a UUID the application generates (Prisma uuid()); no server default.';

COMMENT ON COLUMN "ApprovalVote"."tenantId" IS 'Tenant the row belongs to; every service query filters on it.';

COMMENT ON COLUMN "ApprovalVote"."approvalId" IS 'The approval voted on.';

COMMENT ON COLUMN "ApprovalVote"."signatoryId" IS 'The signatory who voted.';

COMMENT ON COLUMN "ApprovalVote".approved IS 'true to approve, false to reject.';

COMMENT ON COLUMN "ApprovalVote".remarks IS 'The signatory''s comment.';

COMMENT ON COLUMN "ApprovalVote"."votedAt" IS 'When the vote was cast.';

COMMENT ON TABLE "TransactionLimit" IS 'Send and receive limits on a profile or a wallet, by amount and count per time window.';

COMMENT ON COLUMN "TransactionLimit"."limitId" IS 'Primary key: a UUID the application generates (Prisma uuid()); no server default.';

COMMENT ON COLUMN "TransactionLimit"."tenantId" IS 'Tenant the row belongs to; every service query filters on it.';

COMMENT ON COLUMN "TransactionLimit"."profileId" IS 'The profile limited; NULL for a wallet-level limit.';

COMMENT ON COLUMN "TransactionLimit"."walletId" IS 'The wallet limited, if the limit is per wallet (not a foreign key).';

COMMENT ON COLUMN "TransactionLimit"."limitType" IS 'Which limit this is.';

COMMENT ON COLUMN "TransactionLimit"."limitAmount" IS 'Largest total in GX Coin within the limit''s window.';

COMMENT ON COLUMN "TransactionLimit"."maxCount" IS 'Largest number of transactions within the window; NULL for no count limit.';

COMMENT ON COLUMN "TransactionLimit"."timeWindowMinutes" IS 'Window length in minutes for window-based limits (VELOCITY_CHECK); NULL when the limit type fixes the window.';

COMMENT ON COLUMN "TransactionLimit"."isActive" IS 'Whether the limit is in force.';

COMMENT ON COLUMN "TransactionLimit"."createdAt" IS 'When the row was inserted (set by the database).';

COMMENT ON COLUMN "TransactionLimit"."updatedAt" IS 'When the row was last written: set by the application on every insert and update (Prisma @updatedAt); no server default.';

COMMENT ON TABLE "TransactionRiskScore" IS 'Risk assessments of transactions, one per transaction; high scores wait for a review.';

COMMENT ON COLUMN "TransactionRiskScore"."riskId" IS 'Primary key: a UUID the application generates (Prisma uuid()); no server default.';

COMMENT ON COLUMN "TransactionRiskScore"."tenantId" IS 'Tenant the row belongs to; every service query filters on it.';

COMMENT ON COLUMN "TransactionRiskScore"."offTxId" IS 'The transaction assessed; unique.';

COMMENT ON COLUMN "TransactionRiskScore"."riskScore" IS 'The score; higher is riskier.';

COMMENT ON COLUMN "TransactionRiskScore"."riskFactors" IS 'JSON detail of the factors behind the score.';

COMMENT ON COLUMN "TransactionRiskScore"."requiresReview" IS 'Whether a person must review the transaction.';

COMMENT ON COLUMN "TransactionRiskScore"."reviewedAt" IS 'When it was reviewed.';

COMMENT ON COLUMN "TransactionRiskScore"."reviewedBy" IS 'Who reviewed it.';

COMMENT ON COLUMN "TransactionRiskScore"."reviewNotes" IS 'The reviewer''s notes.';

COMMENT ON COLUMN "TransactionRiskScore"."calculatedAt" IS 'When the score was computed.';

COMMENT ON TABLE "UserSession" IS 'Login sessions, each identified by its refresh token; revoked or expired sessions are kept with their reason.';

COMMENT ON COLUMN "UserSession"."sessionId" IS 'Primary key: a UUID the application generates (Prisma uuid()); no server default.';

COMMENT ON COLUMN "UserSession"."tenantId" IS 'Tenant the row belongs to; every service query filters on it.';

COMMENT ON COLUMN "UserSession"."profileId" IS 'The profile logged in.';

COMMENT ON COLUMN "UserSession"."deviceId" IS 'Id of the device the session runs on, as the client reports it.';

COMMENT ON COLUMN "UserSession"."deviceName" IS 'Name of the device.';

COMMENT ON COLUMN "UserSession"."deviceOs" IS 'Operating system of the device.';

COMMENT ON COLUMN "UserSession"."ipAddress" IS 'IP address the session was created from.';

COMMENT ON COLUMN "UserSession"."userAgent" IS 'User agent of the client.';

COMMENT ON COLUMN "UserSession".status IS 'State of the session.';

COMMENT ON COLUMN "UserSession"."createdAt" IS 'When the row was inserted (set by the database).';

COMMENT ON COLUMN "UserSession"."lastActivityAt" IS 'When the session was last used.';

COMMENT ON COLUMN "UserSession"."expiresAt" IS 'When the session expires.';

COMMENT ON COLUMN "UserSession"."revokedAt" IS 'When the session was revoked.';

COMMENT ON COLUMN "UserSession"."revokedReason" IS 'Why it was revoked.';

COMMENT ON COLUMN "UserSession"."refreshToken" IS 'The refresh token; unique.';

COMMENT ON COLUMN "UserSession"."refreshTokenHash" IS 'Hash of the refresh token, for lookups.';

COMMENT ON TABLE "TrustedDevice" IS 'Devices a profile has marked as trusted, recognised by their fingerprint.';

COMMENT ON COLUMN "TrustedDevice"."deviceId" IS 'Primary key: a UUID the application generates (Prisma uuid()); no server default.';

COMMENT ON COLUMN "TrustedDevice"."tenantId" IS 'Tenant the row belongs to; every service query filters on it.';

COMMENT ON COLUMN "TrustedDevice"."profileId" IS 'The owner.';

COMMENT ON COLUMN "TrustedDevice"."deviceName" IS 'Name of the device.';

COMMENT ON COLUMN "TrustedDevice"."deviceFingerprint" IS 'Fingerprint that recognises the device; unique.';

COMMENT ON COLUMN "TrustedDevice"."deviceOs" IS 'Operating system of the device.';

COMMENT ON COLUMN "TrustedDevice"."firstSeenAt" IS 'When the device was first seen.';

COMMENT ON COLUMN "TrustedDevice"."lastSeenAt" IS 'When the device was last seen.';

COMMENT ON COLUMN "TrustedDevice"."isTrusted" IS 'Whether the device is currently trusted.';

COMMENT ON COLUMN "TrustedDevice"."trustVerifiedAt" IS 'When trust in the device was confirmed.';

COMMENT ON TABLE "Notification" IS 'In-app notifications to a profile, with their read state and the channels that delivered them; expire at expiresAt.';

COMMENT ON COLUMN "Notification"."notificationId" IS 'Primary key: a UUID the application generates (Prisma uuid()); no server default.';

COMMENT ON COLUMN "Notification"."tenantId" IS 'Tenant the row belongs to; every service query filters on it.';

COMMENT ON COLUMN "Notification"."recipientId" IS 'The profile notified.';

COMMENT ON COLUMN "Notification".type IS 'What the notification is about.';

COMMENT ON COLUMN "Notification".title IS 'Short title shown to the user.';

COMMENT ON COLUMN "Notification".message IS 'Body text shown to the user.';

COMMENT ON COLUMN "Notification"."actionUrl" IS 'Deep link of the action the notification offers.';

COMMENT ON COLUMN "Notification"."actionRequired" IS 'Whether the user must act (approve, confirm, ...).';

COMMENT ON COLUMN "Notification"."actionResourceType" IS 'Kind of the resource the action is about (e.g. TransactionApproval).';

COMMENT ON COLUMN "Notification"."actionResourceId" IS 'Id of that resource.';

COMMENT ON COLUMN "Notification".status IS 'Read state.';

COMMENT ON COLUMN "Notification"."readAt" IS 'When the user read it.';

COMMENT ON COLUMN "Notification"."actionedAt" IS 'When the user acted on it.';

COMMENT ON COLUMN "Notification"."sentViaEmail" IS 'Whether it was also sent by email.';

COMMENT ON COLUMN "Notification"."sentViaPush" IS 'Whether it was also sent as a push notification.';

COMMENT ON COLUMN "Notification"."emailSentAt" IS 'When the email was sent.';

COMMENT ON COLUMN "Notification"."pushSentAt" IS 'When the push notification was sent.';

COMMENT ON COLUMN "Notification"."createdAt" IS 'When the row was inserted (set by the database).';

COMMENT ON COLUMN "Notification"."expiresAt" IS 'When it expires and may be removed; NULL for never.';

COMMENT ON TABLE "PushToken" IS 'Push-notification tokens of a profile''s devices; a token belongs to one profile.';

COMMENT ON COLUMN "PushToken"."tokenId" IS 'Primary key: a UUID the application generates (Prisma uuid()); no server default.';

COMMENT ON COLUMN "PushToken"."tenantId" IS 'Tenant the row belongs to; every service query filters on it.';

COMMENT ON COLUMN "PushToken"."profileId" IS 'The owner.';

COMMENT ON COLUMN "PushToken".token IS 'The token issued by the push service; unique.';

COMMENT ON COLUMN "PushToken"."deviceId" IS 'Id of the device, as the client reports it.';

COMMENT ON COLUMN "PushToken".platform IS 'Push platform of the token, as the client names it.';

COMMENT ON COLUMN "PushToken"."isActive" IS 'Whether pushes are sent to it.';

COMMENT ON COLUMN "PushToken"."createdAt" IS 'When the row was inserted (set by the database).';

COMMENT ON COLUMN "PushToken"."lastUsedAt" IS 'When a push last used it.';

COMMENT ON TABLE "AuditLog" IS 'Audited security- and money-relevant events; append-only, never updated, each carrying a hash of its content.';

COMMENT ON COLUMN "AuditLog"."auditId" IS 'Primary key: a UUID the application generates (Prisma uuid()); no server default.';

COMMENT ON COLUMN "AuditLog"."tenantId" IS 'Tenant the row belongs to; every service query filters on it.';

COMMENT ON COLUMN "AuditLog"."eventType" IS 'What happened.';

COMMENT ON COLUMN "AuditLog"."actorProfileId" IS 'Profile that acted; NULL for the system (not a foreign key: the log outlives profiles).';

COMMENT ON COLUMN "AuditLog"."targetProfileId" IS 'Profile acted upon, if any (not a foreign key).';

COMMENT ON COLUMN "AuditLog"."resourceType" IS 'Kind of the resource concerned (Wallet, Transaction, ...).';

COMMENT ON COLUMN "AuditLog"."resourceId" IS 'Id of that resource.';

COMMENT ON COLUMN "AuditLog"."ipAddress" IS 'IP address of the actor.';

COMMENT ON COLUMN "AuditLog"."userAgent" IS 'User agent of the actor''s client.';

COMMENT ON COLUMN "AuditLog"."deviceId" IS 'Device of the actor.';

COMMENT ON COLUMN "AuditLog"."sessionId" IS 'Session of the actor (UserSession.sessionId, not a foreign key).';

COMMENT ON COLUMN "AuditLog"."previousValue" IS 'The resource before the event, as JSON.';

COMMENT ON COLUMN "AuditLog"."newValue" IS 'The resource after the event, as JSON.';

COMMENT ON COLUMN "AuditLog".metadata IS 'Further detail as JSON (mapped as event_metadata in Python).';

COMMENT ON COLUMN "AuditLog"."eventHash" IS 'Hash of the event''s content, to detect tampering.';

COMMENT ON COLUMN "AuditLog".timestamp IS 'When the event happened.';

COMMENT ON TABLE "LicensedPartner" IS 'Companies licensed to build on the protocol, each in one jurisdiction; unique by name per tenant.';

COMMENT ON COLUMN "LicensedPartner"."partnerId" IS 'Primary key: a UUID the application generates (Prisma uuid()); no server default.';

COMMENT ON COLUMN "LicensedPartner"."tenantId" IS 'Tenant the row belongs to; every service query filters on it.';

COMMENT ON COLUMN "LicensedPartner"."companyName" IS 'Legal name of the partner; unique per tenant.';

COMMENT ON COLUMN "LicensedPartner"."jurisdictionCountryCode" IS 'Country the partner is licensed in.';

COMMENT ON COLUMN "LicensedPartner".status IS 'State of the partner; new partners start PENDING.';

COMMENT ON COLUMN "LicensedPartner"."createdAt" IS 'When the row was inserted (set by the database).';

COMMENT ON TABLE "Application" IS 'Applications a licensed partner builds on the protocol; unique by name per tenant.';

COMMENT ON COLUMN "Application"."appId" IS 'Primary key: a UUID the application generates (Prisma uuid()); no server default.';

COMMENT ON COLUMN "Application"."tenantId" IS 'Tenant the row belongs to; every service query filters on it.';

COMMENT ON COLUMN "Application"."partnerId" IS 'The partner that owns the application.';

COMMENT ON COLUMN "Application"."appName" IS 'Name of the application; unique per tenant.';

COMMENT ON COLUMN "Application"."createdAt" IS 'When the row was inserted (set by the database).';

COMMENT ON TABLE "License" IS 'Licenses granted to a partner application, with their type and expiry.';

COMMENT ON COLUMN "License"."licenseId" IS 'Primary key: a UUID the application generates (Prisma uuid()); no server default.';

COMMENT ON COLUMN "License"."tenantId" IS 'Tenant the row belongs to; every service query filters on it.';

COMMENT ON COLUMN "License"."appId" IS 'The licensed application.';

COMMENT ON COLUMN "License"."licenseType" IS 'Kind of license, as the licensing service names it.';

COMMENT ON COLUMN "License".status IS 'State of the license.';

COMMENT ON COLUMN "License"."expiryDate" IS 'When the license expires; NULL for no expiry.';

COMMENT ON COLUMN "License"."createdAt" IS 'When the row was inserted (set by the database).';

COMMENT ON TABLE "Credential" IS 'API client credentials of a license; only a hash of the client secret is stored.';

COMMENT ON COLUMN "Credential"."credentialId" IS 'Primary key: a UUID the application generates (Prisma uuid()); no server default.';

COMMENT ON COLUMN "Credential"."tenantId" IS 'Tenant the row belongs to; every service query filters on it.';

COMMENT ON COLUMN "Credential"."licenseId" IS 'The license the credential belongs to.';

COMMENT ON COLUMN "Credential"."clientId" IS 'Public client id; unique per tenant.';

COMMENT ON COLUMN "Credential"."clientSecretHash" IS 'Hash of the client secret; the secret itself is never stored.';

COMMENT ON COLUMN "Credential".status IS 'Whether the credential may be used.';

COMMENT ON COLUMN "Credential"."createdAt" IS 'When the row was inserted (set by the database).';

COMMENT ON TABLE "PartnerGrant" IS 'Funds granted to a licensed partner, with the on-chain transaction that issued them.';

COMMENT ON COLUMN "PartnerGrant"."grantId" IS 'Primary key: a UUID the application generates (Prisma uuid()); no server default.';

COMMENT ON COLUMN "PartnerGrant"."tenantId" IS 'Tenant the row belongs to; every service query filters on it.';

COMMENT ON COLUMN "PartnerGrant"."partnerId" IS 'The partner funded.';

COMMENT ON COLUMN "PartnerGrant".amount IS 'Amount granted, in GX Coin.';

COMMENT ON COLUMN "PartnerGrant".purpose IS 'What the grant is for.';

COMMENT ON COLUMN "PartnerGrant"."issuanceTimestamp" IS 'When the grant was issued on chain.';

COMMENT ON COLUMN "PartnerGrant"."onChainTxId" IS 'Fabric transaction that issued the grant.';

COMMENT ON TABLE "OutboxCommand" IS 'Transactional outbox: commands the services write in their own transaction and a worker submits to the chaincode, idempotent by requestId.';

COMMENT ON COLUMN "OutboxCommand".id IS 'Primary key: a CUID the application generates (Prisma cuid()); no server default.';

COMMENT ON COLUMN "OutboxCommand"."tenantId" IS 'Tenant the row belongs to; every service query filters on it.';

COMMENT ON COLUMN "OutboxCommand".service IS 'Service that wrote the command.';

COMMENT ON COLUMN "OutboxCommand"."commandType" IS 'Chaincode command to submit.';

COMMENT ON COLUMN "OutboxCommand"."requestId" IS 'Idempotency key of the request; unique per tenant.';

COMMENT ON COLUMN "OutboxCommand".payload IS 'Arguments of the command, as JSON.';

COMMENT ON COLUMN "OutboxCommand".status IS 'Lifecycle: PENDING, LOCKED by a worker, SUBMITTED, then COMMITTED or FAILED.';

COMMENT ON COLUMN "OutboxCommand".attempts IS 'Submission attempts so far.';

COMMENT ON COLUMN "OutboxCommand"."lockedBy" IS 'Worker holding the command while it submits it.';

COMMENT ON COLUMN "OutboxCommand"."lockedAt" IS 'When the worker took it.';

COMMENT ON COLUMN "OutboxCommand"."submittedAt" IS 'When it was submitted to the chain.';

COMMENT ON COLUMN "OutboxCommand"."fabricTxId" IS 'Fabric transaction id of the submission.';

COMMENT ON COLUMN "OutboxCommand"."commitBlock" IS 'Block that committed the transaction.';

COMMENT ON COLUMN "OutboxCommand"."errorCode" IS 'Machine-readable code of the last error.';

COMMENT ON COLUMN "OutboxCommand".error IS 'Message of the last error.';

COMMENT ON COLUMN "OutboxCommand"."createdAt" IS 'When the row was inserted (set by the database).';

COMMENT ON COLUMN "OutboxCommand"."updatedAt" IS 'When the row was last written: set by the application on every insert and update (Prisma @updatedAt); no server default.';

COMMENT ON TABLE "ProjectorState" IS 'Checkpoints of the projectors: how far each has read a channel''s block stream, per tenant.';

COMMENT ON COLUMN "ProjectorState"."tenantId" IS 'Tenant the row belongs to; every service query filters on it.';

COMMENT ON COLUMN "ProjectorState"."projectorName" IS 'Name of the projector.';

COMMENT ON COLUMN "ProjectorState".channel IS 'Fabric channel it reads.';

COMMENT ON COLUMN "ProjectorState"."lastBlock" IS 'Last block fully projected.';

COMMENT ON COLUMN "ProjectorState"."lastEventIndex" IS 'Index of the last event projected within lastBlock.';

COMMENT ON COLUMN "ProjectorState"."updatedAt" IS 'When the row was last written: set by the application on every insert and update (Prisma @updatedAt); no server default.';

COMMENT ON TABLE "HttpIdempotency" IS 'Stored HTTP responses, replayed when the same request (tenant, method, path, body) comes again; rows expire after idempotencyTTLHours.';

COMMENT ON COLUMN "HttpIdempotency"."tenantId" IS 'Tenant the row belongs to; every service query filters on it.';

COMMENT ON COLUMN "HttpIdempotency".method IS 'HTTP method of the request.';

COMMENT ON COLUMN "HttpIdempotency".path IS 'Path of the request.';

COMMENT ON COLUMN "HttpIdempotency"."bodyHash" IS 'Hash of the request body.';

COMMENT ON COLUMN "HttpIdempotency"."responseBody" IS 'The response body replayed, as JSON.';

COMMENT ON COLUMN "HttpIdempotency"."responseHeaders" IS 'The response headers replayed, as JSON.';

COMMENT ON COLUMN "HttpIdempotency"."statusCode" IS 'HTTP status code of the response.';

COMMENT ON COLUMN "HttpIdempotency"."createdAt" IS 'When the row was inserted (set by the database).';

COMMENT ON COLUMN "HttpIdempotency"."ttlExpiresAt" IS 'When the row expires and may be deleted.';

COMMENT ON TABLE "EventLog" IS 'Chaincode events, ingested once each; append-only.';

COMMENT ON COLUMN "EventLog".id IS 'Primary key: a CUID the application generates (Prisma cuid()); no server default.';

COMMENT ON COLUMN "EventLog"."tenantId" IS 'Tenant the row belongs to; every service query filters on it.';

COMMENT ON COLUMN "EventLog"."fabricTxId" IS 'Fabric transaction that emitted the event.';

COMMENT ON COLUMN "EventLog"."blockNumber" IS 'Block of that transaction.';

COMMENT ON COLUMN "EventLog".channel IS 'Fabric channel.';

COMMENT ON COLUMN "EventLog".chaincode IS 'Chaincode that emitted the event.';

COMMENT ON COLUMN "EventLog"."eventName" IS 'Name of the event.';

COMMENT ON COLUMN "EventLog"."eventVersion" IS 'Version of the event''s payload schema.';

COMMENT ON COLUMN "EventLog".payload IS 'The event''s payload, as JSON.';

COMMENT ON COLUMN "EventLog"."txTimestamp" IS 'Timestamp of the transaction on chain.';

COMMENT ON COLUMN "EventLog"."ingestedAt" IS 'When the event was stored.';

COMMENT ON TABLE "EventDLQ" IS 'Dead-letter queue: chaincode events that could not be processed, kept with the reason for a later retry or inspection.';

COMMENT ON COLUMN "EventDLQ".id IS 'Primary key: a CUID the application generates (Prisma cuid()); no server default.';

COMMENT ON COLUMN "EventDLQ"."tenantId" IS 'Tenant the row belongs to; every service query filters on it.';

COMMENT ON COLUMN "EventDLQ".reason IS 'Why the event could not be processed.';

COMMENT ON COLUMN "EventDLQ"."rawPayload" IS 'The event as received, as JSON.';

COMMENT ON COLUMN "EventDLQ"."fabricTxId" IS 'Fabric transaction of the event, if known.';

COMMENT ON COLUMN "EventDLQ"."blockNumber" IS 'Block of the event, if known.';

COMMENT ON COLUMN "EventDLQ".channel IS 'Fabric channel, if known.';

COMMENT ON COLUMN "EventDLQ".chaincode IS 'Chaincode, if known.';

COMMENT ON COLUMN "EventDLQ"."createdAt" IS 'When the row was inserted (set by the database).';

COMMENT ON TABLE "ApiRateLimit" IS 'Request counters of the API rate limiter: one row per tenant, client, endpoint and fixed time window.';

COMMENT ON COLUMN "ApiRateLimit"."rateLimitId" IS 'Primary key: a UUID the application generates (Prisma uuid()); no server default.';

COMMENT ON COLUMN "ApiRateLimit"."tenantId" IS 'Tenant the row belongs to; every service query filters on it.';

COMMENT ON COLUMN "ApiRateLimit"."clientId" IS 'Client the requests are counted for.';

COMMENT ON COLUMN "ApiRateLimit".endpoint IS 'Endpoint counted.';

COMMENT ON COLUMN "ApiRateLimit"."requestCount" IS 'Requests made in the window so far.';

COMMENT ON COLUMN "ApiRateLimit"."windowStart" IS 'Start of the window.';

COMMENT ON COLUMN "ApiRateLimit"."windowEnd" IS 'End of the window; rows past it may be deleted.';

COMMENT ON COLUMN "ApiRateLimit"."maxRequests" IS 'Requests allowed in the window (rateLimitMaxRequests).';

COMMENT ON COLUMN "ApiRateLimit"."windowMinutes" IS 'Length of the window in minutes.';

COMMENT ON TABLE "WebhookEndpoint" IS 'Partners'' webhook URLs, the events each subscribes to and its retry policy.';

COMMENT ON COLUMN "WebhookEndpoint"."webhookId" IS 'Primary key: a UUID the application generates (Prisma uuid()); no server default.';

COMMENT ON COLUMN "WebhookEndpoint"."tenantId" IS 'Tenant the row belongs to; every service query filters on it.';

COMMENT ON COLUMN "WebhookEndpoint"."partnerId" IS 'The partner that registered the endpoint.';

COMMENT ON COLUMN "WebhookEndpoint".url IS 'URL the events are POSTed to.';

COMMENT ON COLUMN "WebhookEndpoint".secret IS 'Secret that signs the deliveries.';

COMMENT ON COLUMN "WebhookEndpoint".events IS 'Event types the endpoint subscribes to.';

COMMENT ON COLUMN "WebhookEndpoint"."isActive" IS 'Whether events are delivered to it.';

COMMENT ON COLUMN "WebhookEndpoint"."maxRetries" IS 'How many times a failed delivery is retried.';

COMMENT ON COLUMN "WebhookEndpoint"."retryDelay" IS 'Delay between retries, in seconds (300 = 5 minutes).';

COMMENT ON COLUMN "WebhookEndpoint"."lastSuccess" IS 'When a delivery last succeeded.';

COMMENT ON COLUMN "WebhookEndpoint"."lastFailure" IS 'When a delivery last failed.';

COMMENT ON COLUMN "WebhookEndpoint"."failureCount" IS 'Number of failed deliveries.';

COMMENT ON COLUMN "WebhookEndpoint"."createdAt" IS 'When the row was inserted (set by the database).';

COMMENT ON COLUMN "WebhookEndpoint"."updatedAt" IS 'When the row was last written: set by the application on every insert and update (Prisma @updatedAt); no server default.';

COMMENT ON TABLE "WebhookDelivery" IS 'Deliveries of an event to a webhook endpoint, with their attempts and the last response.';

COMMENT ON COLUMN "WebhookDelivery"."deliveryId" IS 'Primary key: a UUID the application generates (Prisma uuid()); no server default.';

COMMENT ON COLUMN "WebhookDelivery"."tenantId" IS 'Tenant the row belongs to; every service query filters on it.';

COMMENT ON COLUMN "WebhookDelivery"."webhookId" IS 'The endpoint delivered to.';

COMMENT ON COLUMN "WebhookDelivery"."eventType" IS 'Type of the event delivered.';

COMMENT ON COLUMN "WebhookDelivery".payload IS 'The event sent, as JSON.';

COMMENT ON COLUMN "WebhookDelivery".attempts IS 'Attempts made so far.';

COMMENT ON COLUMN "WebhookDelivery"."lastAttempt" IS 'When the last attempt was made.';

COMMENT ON COLUMN "WebhookDelivery".success IS 'Whether the delivery succeeded.';

COMMENT ON COLUMN "WebhookDelivery"."responseCode" IS 'HTTP status code of the last attempt.';

COMMENT ON COLUMN "WebhookDelivery"."responseBody" IS 'Body of the last response.';

COMMENT ON COLUMN "WebhookDelivery".error IS 'Error of the last attempt.';

COMMENT ON COLUMN "WebhookDelivery"."createdAt" IS 'When the row was inserted (set by the database).';

COMMENT ON TABLE "FeatureFlag" IS 'Feature flags switched on gradually: by percentage, user or role; seeded disabled from seeds/base/feature_flags.yaml.';

COMMENT ON COLUMN "FeatureFlag"."flagId" IS 'Primary key: a UUID the application generates (Prisma uuid()); no server default.';

COMMENT ON COLUMN "FeatureFlag"."tenantId" IS 'Tenant the row belongs to; every service query filters on it.';

COMMENT ON COLUMN "FeatureFlag"."flagKey" IS 'Key of the flag (enable_...); unique per tenant.';

COMMENT ON COLUMN "FeatureFlag"."isEnabled" IS 'Whether the feature is on at all.';

COMMENT ON COLUMN "FeatureFlag"."rolloutPercent" IS 'Share of users that get the feature, 0 to 100.';

COMMENT ON COLUMN "FeatureFlag"."targetUserIds" IS 'Profiles that get the feature regardless of rolloutPercent.';

COMMENT ON COLUMN "FeatureFlag"."targetRoles" IS 'Roles that get the feature regardless of rolloutPercent.';

COMMENT ON COLUMN "FeatureFlag".description IS 'What the flag switches.';

COMMENT ON COLUMN "FeatureFlag"."createdAt" IS 'When the row was inserted (set by the database).';

COMMENT ON COLUMN "FeatureFlag"."updatedAt" IS 'When the row was last written: set by the application on every insert and update (Prisma @updatedAt); no server default.';

COMMENT ON TABLE "SystemConfig" IS 'Typed configuration values such as the protocol parameters (fees, taxes, limits); seeded for tenant global from seeds/base/system_config.yaml.';

COMMENT ON COLUMN "SystemConfig"."configKey" IS 'Name of the parameter; the primary key on its own (see docs/schema-notes.md).';

COMMENT ON COLUMN "SystemConfig"."tenantId" IS 'Tenant the row belongs to; ''global'' (the default) for platform-wide rows.';

COMMENT ON COLUMN "SystemConfig"."configValue" IS 'The value, as JSON of the type valueType names; amounts in Qirat (1 coin = 100,000 Qirat).';

COMMENT ON COLUMN "SystemConfig"."valueType" IS 'Type of configValue: string, number, boolean or json.';

COMMENT ON COLUMN "SystemConfig".description IS 'What the parameter means.';

COMMENT ON COLUMN "SystemConfig"."isSecret" IS 'Whether the value is secret and must not be shown.';

COMMENT ON COLUMN "SystemConfig"."createdAt" IS 'When the row was inserted (set by the database).';

COMMENT ON COLUMN "SystemConfig"."updatedAt" IS 'When the row was last written: set by the application on every insert and update (Prisma @updatedAt); no server default.';

COMMENT ON TABLE "HealthCheckMetric" IS 'Health measurements of the services with their thresholds; append-only time series.';

COMMENT ON COLUMN "HealthCheckMetric"."metricId" IS 'Primary key: a UUID the application generates (Prisma uuid()); no server default.';

COMMENT ON COLUMN "HealthCheckMetric"."tenantId" IS 'Tenant the row belongs to; ''global'' (the default) for platform-wide rows.';

COMMENT ON COLUMN "HealthCheckMetric"."serviceName" IS 'Service measured.';

COMMENT ON COLUMN "HealthCheckMetric"."metricName" IS 'Metric measured.';

COMMENT ON COLUMN "HealthCheckMetric"."metricValue" IS 'The measured value, in unit.';

COMMENT ON COLUMN "HealthCheckMetric".unit IS 'Unit of metricValue and threshold, as the service names it (ms, bytes, ...).';

COMMENT ON COLUMN "HealthCheckMetric".status IS 'Health status the measurement gives, as the services name it.';

COMMENT ON COLUMN "HealthCheckMetric".threshold IS 'Value at which status changes, in unit.';

COMMENT ON COLUMN "HealthCheckMetric".timestamp IS 'When the measurement was taken.';

COMMENT ON TABLE "SchemaMigrationRun" IS 'Every schema migration run by gxschema (upgrade, downgrade, stamp or adopt) with its outcome; written by gxschema migrate and gxschema adopt.';

COMMENT ON COLUMN "SchemaMigrationRun"."runId" IS 'Primary key: a UUID the application generates (Prisma uuid()); no server default.';

COMMENT ON COLUMN "SchemaMigrationRun"."tenantId" IS 'Tenant the row belongs to; ''global'' (the default) for platform-wide rows.';

COMMENT ON COLUMN "SchemaMigrationRun"."fromRevision" IS 'Alembic revision before the run; NULL for an empty database.';

COMMENT ON COLUMN "SchemaMigrationRun"."toRevision" IS 'Alembic revision the run aimed at, or reached when it ended (base after a full downgrade).';

COMMENT ON COLUMN "SchemaMigrationRun".direction IS 'upgrade, downgrade, stamp or adopt.';

COMMENT ON COLUMN "SchemaMigrationRun".status IS 'running, succeeded or failed.';

COMMENT ON COLUMN "SchemaMigrationRun".runner IS 'Who ran it: the pod name (POD_NAME or HOSTNAME) or the host name.';

COMMENT ON COLUMN "SchemaMigrationRun"."appVersion" IS 'gxschema version that ran it.';

COMMENT ON COLUMN "SchemaMigrationRun".error IS 'One-line error of a failed run, passwords redacted.';

COMMENT ON COLUMN "SchemaMigrationRun"."startedAt" IS 'When the run started.';

COMMENT ON COLUMN "SchemaMigrationRun"."finishedAt" IS 'When the run ended; NULL while running.';

COMMENT ON COLUMN "SchemaMigrationRun"."durationMs" IS 'Duration of the run in milliseconds.';

COMMENT ON TABLE "SeedDataset" IS 'Reference-data files applied by gxschema seed, recorded by content checksum; a new row each time a dataset''s content changes.';

COMMENT ON COLUMN "SeedDataset"."datasetId" IS 'Primary key: a UUID the application generates (Prisma uuid()); no server default.';

COMMENT ON COLUMN "SeedDataset"."tenantId" IS 'Tenant the row belongs to; ''global'' (the default) for platform-wide rows.';

COMMENT ON COLUMN "SeedDataset".name IS 'Dataset name (countries, system_config, feature_flags, demo).';

COMMENT ON COLUMN "SeedDataset".version IS 'Version the seed file declares.';

COMMENT ON COLUMN "SeedDataset".checksum IS 'SHA-256 of the dataset''s content.';

COMMENT ON COLUMN "SeedDataset"."rowCount" IS 'Rows in the dataset.';

COMMENT ON COLUMN "SeedDataset"."appliedBy" IS 'Who applied it (pod or host name).';

COMMENT ON COLUMN "SeedDataset"."appliedAt" IS 'When it was applied.';

COMMENT ON TABLE "BackupRecord" IS 'pg_dump backups taken by gxschema backup: where each is, its checksum, and when a restore test verified it.';

COMMENT ON COLUMN "BackupRecord"."backupId" IS 'Primary key: a UUID the application generates (Prisma uuid()); no server default.';

COMMENT ON COLUMN "BackupRecord"."tenantId" IS 'Tenant the row belongs to; ''global'' (the default) for platform-wide rows.';

COMMENT ON COLUMN "BackupRecord".kind IS 'scheduled, manual or pre-migration.';

COMMENT ON COLUMN "BackupRecord".target IS 'Database dumped, as user@host:port/database (never a password).';

COMMENT ON COLUMN "BackupRecord".location IS 'Path of the dump file.';

COMMENT ON COLUMN "BackupRecord"."schemaRevision" IS 'Alembic revision of the database when it was dumped.';

COMMENT ON COLUMN "BackupRecord"."sizeBytes" IS 'Size of the dump in bytes.';

COMMENT ON COLUMN "BackupRecord".checksum IS 'SHA-256 of the dump file (also in its .sha256 file).';

COMMENT ON COLUMN "BackupRecord".status IS 'running, succeeded, failed or pruned.';

COMMENT ON COLUMN "BackupRecord".error IS 'Why the backup failed.';

COMMENT ON COLUMN "BackupRecord"."startedAt" IS 'When the backup started.';

COMMENT ON COLUMN "BackupRecord"."finishedAt" IS 'When the backup ended.';

COMMENT ON COLUMN "BackupRecord"."verifiedAt" IS 'When a restore test last restored the dump and found the same row counts; NULL if never.';

UPDATE alembic_version SET version_num='0005' WHERE alembic_version.version_num = '0004';

COMMIT;

