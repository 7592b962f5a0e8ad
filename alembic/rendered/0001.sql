BEGIN;

CREATE TABLE alembic_version (
    version_num VARCHAR(32) NOT NULL, 
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

-- Running upgrade  -> 0001

CREATE TYPE "OutboxStatus" AS ENUM ('PENDING', 'LOCKED', 'SUBMITTED', 'COMMITTED', 'FAILED');

CREATE TYPE "CommandType" AS ENUM ('CREATE_USER', 'TRANSFER_TOKENS');

CREATE TYPE "UserProfileStatus" AS ENUM ('PENDING_VERIFICATION', 'VERIFIED', 'REJECTED', 'SUSPENDED', 'CLOSED');

CREATE TYPE "KycStatus" AS ENUM ('PENDING', 'APPROVED', 'REJECTED', 'EXPIRED');

CREATE TYPE "OrgProfileStatus" AS ENUM ('PENDING_VERIFICATION', 'VERIFIED', 'REJECTED', 'SUSPENDED');

CREATE TYPE "PartnerStatus" AS ENUM ('PENDING', 'ACTIVE', 'REVOKED');

CREATE TYPE "LicenseStatus" AS ENUM ('ACTIVE', 'EXPIRED', 'REVOKED');

CREATE TYPE "CredentialStatus" AS ENUM ('ACTIVE', 'REVOKED');

CREATE TYPE "LegalTenderStatusEnum" AS ENUM ('RECOGNIZED', 'SANDBOX', 'ACTIVE_LEGAL_TENDER');

CREATE TYPE "OffChainTxType" AS ENUM ('MINT', 'SENT', 'RECEIVED', 'TAX', 'LOAN_DISBURSEMENT', 'LOAN_REPAYMENT');

CREATE TYPE "CollateralStatus" AS ENUM ('PLEDGED', 'RELEASED');

CREATE TYPE "RelationType" AS ENUM ('FATHER', 'MOTHER', 'SPOUSE', 'CHILD', 'SIBLING', 'BUSINESS_PARTNER', 'DIRECTOR', 'WORKPLACE_ASSOCIATE', 'FRIEND');

CREATE TYPE "RelationshipStatus" AS ENUM ('PENDING', 'CONFIRMED', 'REJECTED', 'DECEASED', 'DIVORCED', 'NOT_APPLICABLE');

CREATE TYPE "SignatoryRole" AS ENUM ('OWNER', 'DIRECTOR', 'AUTHORIZED_SIGNATORY', 'ACCOUNTANT', 'VIEWER');

CREATE TYPE "ApprovalStatus" AS ENUM ('PENDING', 'APPROVED', 'REJECTED', 'EXPIRED');

CREATE TYPE "AuditEventType" AS ENUM ('USER_LOGIN', 'USER_LOGOUT', 'USER_REGISTERED', 'PROFILE_UPDATED', 'PASSWORD_CHANGED', 'KYC_SUBMITTED', 'KYC_APPROVED', 'KYC_REJECTED', 'TRANSACTION_INITIATED', 'TRANSACTION_APPROVED', 'TRANSACTION_REJECTED', 'TRANSACTION_COMPLETED', 'TRANSACTION_FAILED', 'WALLET_CREATED', 'BENEFICIARY_ADDED', 'BENEFICIARY_REMOVED', 'RELATIONSHIP_INVITED', 'RELATIONSHIP_CONFIRMED', 'RELATIONSHIP_REJECTED', 'BUSINESS_SIGNATORY_ADDED', 'BUSINESS_SIGNATORY_REVOKED', 'ADMIN_ACCOUNT_FROZEN', 'ADMIN_ACCOUNT_UNFROZEN', 'ADMIN_ACCOUNT_CLOSED', 'SESSION_CREATED', 'SESSION_REVOKED', 'DEVICE_TRUSTED', 'DEVICE_UNTRUSTED');

CREATE TYPE "SessionStatus" AS ENUM ('ACTIVE', 'EXPIRED', 'REVOKED', 'LOGGED_OUT');

CREATE TYPE "NotificationType" AS ENUM ('RELATIONSHIP_INVITATION', 'RELATIONSHIP_CONFIRMED', 'RELATIONSHIP_REJECTED', 'BUSINESS_SIGNATORY_INVITATION', 'TRANSACTION_APPROVAL_REQUEST', 'TRANSACTION_APPROVED', 'TRANSACTION_REJECTED', 'TRANSACTION_COMPLETED', 'KYC_STATUS_UPDATE', 'WALLET_CREDITED', 'WALLET_DEBITED', 'SYSTEM_ANNOUNCEMENT', 'SECURITY_ALERT');

CREATE TYPE "NotificationStatus" AS ENUM ('UNREAD', 'READ', 'ARCHIVED', 'ACTIONED');

CREATE TYPE "DocumentType" AS ENUM ('NATIONAL_ID', 'PASSPORT', 'DRIVERS_LICENSE', 'PROOF_OF_ADDRESS', 'DEATH_CERTIFICATE', 'DIVORCE_CERTIFICATE', 'BUSINESS_REGISTRATION', 'TAX_REGISTRATION', 'BANK_STATEMENT', 'UTILITY_BILL', 'SELFIE_PHOTO', 'OTHER');

CREATE TYPE "LimitType" AS ENUM ('DAILY_SEND', 'DAILY_RECEIVE', 'MONTHLY_SEND', 'MONTHLY_RECEIVE', 'SINGLE_TRANSACTION', 'VELOCITY_CHECK');

CREATE TYPE "ContactStatus" AS ENUM ('ACTIVE', 'BLOCKED', 'ARCHIVED');

CREATE TABLE "Country" (
    "countryCode" CHAR(2) NOT NULL, 
    "countryName" TEXT NOT NULL, 
    region TEXT, 
    CONSTRAINT "Country_pkey" PRIMARY KEY ("countryCode")
);

CREATE TABLE "LegalTenderStatus" (
    "statusId" TEXT NOT NULL, 
    "countryCode" CHAR(2) NOT NULL, 
    status "LegalTenderStatusEnum" NOT NULL, 
    "effectiveDate" TIMESTAMP(3) WITH TIME ZONE NOT NULL, 
    "createdAt" TIMESTAMP(3) WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
    CONSTRAINT "LegalTenderStatus_pkey" PRIMARY KEY ("statusId")
);

CREATE TABLE "UserProfile" (
    "profileId" TEXT NOT NULL, 
    "tenantId" TEXT NOT NULL, 
    "firstName" TEXT NOT NULL, 
    "lastName" TEXT NOT NULL, 
    email TEXT, 
    "phoneNum" TEXT, 
    "identityNum" TEXT, 
    "biometricHash" TEXT NOT NULL, 
    "passwordHash" TEXT NOT NULL, 
    "nationalityCountryCode" CHAR(2), 
    status "UserProfileStatus" DEFAULT 'PENDING_VERIFICATION'::"UserProfileStatus" NOT NULL, 
    "deletedAt" TIMESTAMP(3) WITH TIME ZONE, 
    "createdAt" TIMESTAMP(3) WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
    "updatedAt" TIMESTAMP(3) WITH TIME ZONE NOT NULL, 
    CONSTRAINT "UserProfile_pkey" PRIMARY KEY ("profileId")
);

CREATE TABLE "KYCVerification" (
    "kycId" TEXT NOT NULL, 
    "profileId" TEXT NOT NULL, 
    status "KycStatus" NOT NULL, 
    "verifiedAt" TIMESTAMP(3) WITH TIME ZONE, 
    "verifierDetails" TEXT, 
    "evidenceHash" TEXT, 
    "evidenceSize" INTEGER, 
    "evidenceMime" TEXT, 
    "createdAt" TIMESTAMP(3) WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
    "updatedAt" TIMESTAMP(3) WITH TIME ZONE NOT NULL, 
    CONSTRAINT "KYCVerification_pkey" PRIMARY KEY ("kycId")
);

CREATE TABLE "OrganizationProfile" (
    "orgProfileId" TEXT NOT NULL, 
    "tenantId" TEXT NOT NULL, 
    "legalName" TEXT NOT NULL, 
    "registrationNumber" TEXT, 
    "jurisdictionCountryCode" CHAR(2) NOT NULL, 
    address TEXT, 
    status "OrgProfileStatus" DEFAULT 'PENDING_VERIFICATION'::"OrgProfileStatus" NOT NULL, 
    "deletedAt" TIMESTAMP(3) WITH TIME ZONE, 
    "createdAt" TIMESTAMP(3) WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
    "updatedAt" TIMESTAMP(3) WITH TIME ZONE NOT NULL, 
    CONSTRAINT "OrganizationProfile_pkey" PRIMARY KEY ("orgProfileId")
);

CREATE TABLE "FamilyRelationship" (
    "relationshipId" TEXT NOT NULL, 
    "tenantId" TEXT NOT NULL, 
    "initiatorProfileId" TEXT NOT NULL, 
    "relatedProfileId" TEXT, 
    "relatedEmail" TEXT, 
    "relationType" "RelationType" NOT NULL, 
    status "RelationshipStatus" DEFAULT 'PENDING'::"RelationshipStatus" NOT NULL, 
    "statusDocumentUrl" TEXT, 
    "statusDocumentHash" TEXT, 
    "statusRemarks" TEXT, 
    "confirmedAt" TIMESTAMP(3) WITH TIME ZONE, 
    "rejectedAt" TIMESTAMP(3) WITH TIME ZONE, 
    "pointsAwarded" INTEGER DEFAULT 0 NOT NULL, 
    "isApplicable" BOOLEAN DEFAULT true NOT NULL, 
    "createdAt" TIMESTAMP(3) WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
    "updatedAt" TIMESTAMP(3) WITH TIME ZONE NOT NULL, 
    CONSTRAINT "FamilyRelationship_pkey" PRIMARY KEY ("relationshipId")
);

CREATE TABLE "TrustScore" (
    "profileId" TEXT NOT NULL, 
    "tenantId" TEXT NOT NULL, 
    "familyScore" INTEGER DEFAULT 0 NOT NULL, 
    "businessScore" INTEGER DEFAULT 0 NOT NULL, 
    "friendsScore" INTEGER DEFAULT 0 NOT NULL, 
    "totalScore" INTEGER DEFAULT 0 NOT NULL, 
    "familyWeight" NUMERIC(5, 2) DEFAULT 0.80 NOT NULL, 
    "businessWeight" NUMERIC(5, 2) DEFAULT 0.10 NOT NULL, 
    "friendsWeight" NUMERIC(5, 2) DEFAULT 0.10 NOT NULL, 
    "lastCalculatedAt" TIMESTAMP(3) WITH TIME ZONE NOT NULL, 
    "calculationVersion" TEXT DEFAULT '1.0'::text NOT NULL, 
    CONSTRAINT "TrustScore_pkey" PRIMARY KEY ("profileId")
);

CREATE TABLE "Wallet" (
    "walletId" TEXT NOT NULL, 
    "tenantId" TEXT NOT NULL, 
    "profileId" TEXT NOT NULL, 
    "primaryAccountId" TEXT NOT NULL, 
    "walletName" TEXT NOT NULL, 
    "cachedBalance" NUMERIC(36, 9) DEFAULT 0 NOT NULL, 
    "deletedAt" TIMESTAMP(3) WITH TIME ZONE, 
    "createdAt" TIMESTAMP(3) WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
    "updatedAt" TIMESTAMP(3) WITH TIME ZONE NOT NULL, 
    CONSTRAINT "Wallet_pkey" PRIMARY KEY ("walletId")
);

CREATE TABLE "Transaction" (
    "offTxId" TEXT NOT NULL, 
    "tenantId" TEXT NOT NULL, 
    "onChainTxId" TEXT, 
    "walletId" TEXT NOT NULL, 
    type "OffChainTxType" NOT NULL, 
    counterparty TEXT NOT NULL, 
    amount NUMERIC(36, 9) NOT NULL, 
    fee NUMERIC(36, 9) DEFAULT 0 NOT NULL, 
    remark TEXT, 
    timestamp TIMESTAMP(3) WITH TIME ZONE NOT NULL, 
    "blockNumber" BIGINT, 
    CONSTRAINT "Transaction_pkey" PRIMARY KEY ("offTxId")
);

CREATE TABLE "Beneficiary" (
    "beneficiaryId" TEXT NOT NULL, 
    "tenantId" TEXT NOT NULL, 
    "ownerProfileId" TEXT NOT NULL, 
    "beneficiaryIdentityId" TEXT NOT NULL, 
    nickname TEXT NOT NULL, 
    "createdAt" TIMESTAMP(3) WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
    CONSTRAINT "Beneficiary_pkey" PRIMARY KEY ("beneficiaryId")
);

CREATE TABLE "Contact" (
    "contactId" TEXT NOT NULL, 
    "tenantId" TEXT NOT NULL, 
    "ownerProfileId" TEXT NOT NULL, 
    "contactProfileId" TEXT, 
    "displayName" TEXT NOT NULL, 
    "phoneNumber" TEXT, 
    email TEXT, 
    notes TEXT, 
    "isFavorite" BOOLEAN DEFAULT false NOT NULL, 
    "transactionCount" INTEGER DEFAULT 0 NOT NULL, 
    "lastTransactionAt" TIMESTAMP(3) WITH TIME ZONE, 
    status "ContactStatus" DEFAULT 'ACTIVE'::"ContactStatus" NOT NULL, 
    "createdAt" TIMESTAMP(3) WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
    "updatedAt" TIMESTAMP(3) WITH TIME ZONE NOT NULL, 
    CONSTRAINT "Contact_pkey" PRIMARY KEY ("contactId")
);

CREATE TABLE "BusinessAccount" (
    "businessAccountId" TEXT NOT NULL, 
    "tenantId" TEXT NOT NULL, 
    "orgProfileId" TEXT NOT NULL, 
    "walletId" TEXT NOT NULL, 
    "defaultRequiredApprovals" INTEGER DEFAULT 1 NOT NULL, 
    "createdAt" TIMESTAMP(3) WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
    "updatedAt" TIMESTAMP(3) WITH TIME ZONE NOT NULL, 
    CONSTRAINT "BusinessAccount_pkey" PRIMARY KEY ("businessAccountId")
);

CREATE TABLE "BusinessSignatory" (
    "signatoryId" TEXT NOT NULL, 
    "tenantId" TEXT NOT NULL, 
    "businessAccountId" TEXT NOT NULL, 
    "profileId" TEXT NOT NULL, 
    role "SignatoryRole" NOT NULL, 
    "canInitiateTransactions" BOOLEAN DEFAULT false NOT NULL, 
    "canApproveTransactions" BOOLEAN DEFAULT false NOT NULL, 
    "maxTransactionLimit" NUMERIC(36, 9), 
    "invitedAt" TIMESTAMP(3) WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
    "confirmedAt" TIMESTAMP(3) WITH TIME ZONE, 
    "revokedAt" TIMESTAMP(3) WITH TIME ZONE, 
    CONSTRAINT "BusinessSignatory_pkey" PRIMARY KEY ("signatoryId")
);

CREATE TABLE "SignatoryRule" (
    "ruleId" TEXT NOT NULL, 
    "tenantId" TEXT NOT NULL, 
    "businessAccountId" TEXT NOT NULL, 
    "minAmount" NUMERIC(36, 9), 
    "maxAmount" NUMERIC(36, 9), 
    "requiredApprovals" INTEGER NOT NULL, 
    "transactionType" "OffChainTxType", 
    "dailyLimit" NUMERIC(36, 9), 
    "isActive" BOOLEAN DEFAULT true NOT NULL, 
    "createdAt" TIMESTAMP(3) WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
    "updatedAt" TIMESTAMP(3) WITH TIME ZONE NOT NULL, 
    CONSTRAINT "SignatoryRule_pkey" PRIMARY KEY ("ruleId")
);

CREATE TABLE "TransactionApproval" (
    "approvalId" TEXT NOT NULL, 
    "tenantId" TEXT NOT NULL, 
    "businessAccountId" TEXT NOT NULL, 
    "outboxCommandId" TEXT NOT NULL, 
    "requiredApprovals" INTEGER NOT NULL, 
    "receivedApprovals" INTEGER DEFAULT 0 NOT NULL, 
    status "ApprovalStatus" DEFAULT 'PENDING'::"ApprovalStatus" NOT NULL, 
    "expiresAt" TIMESTAMP(3) WITH TIME ZONE NOT NULL, 
    "createdAt" TIMESTAMP(3) WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
    "updatedAt" TIMESTAMP(3) WITH TIME ZONE NOT NULL, 
    CONSTRAINT "TransactionApproval_pkey" PRIMARY KEY ("approvalId")
);

CREATE TABLE "ApprovalVote" (
    "voteId" TEXT NOT NULL, 
    "tenantId" TEXT NOT NULL, 
    "approvalId" TEXT NOT NULL, 
    "signatoryId" TEXT NOT NULL, 
    approved BOOLEAN NOT NULL, 
    remarks TEXT, 
    "votedAt" TIMESTAMP(3) WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
    CONSTRAINT "ApprovalVote_pkey" PRIMARY KEY ("voteId")
);

CREATE TABLE "KYCDocument" (
    "documentId" TEXT NOT NULL, 
    "tenantId" TEXT NOT NULL, 
    "kycId" TEXT NOT NULL, 
    "documentType" "DocumentType" NOT NULL, 
    "documentNumber" TEXT, 
    "issuingCountry" CHAR(2), 
    "issuedDate" DATE, 
    "expiryDate" DATE, 
    "storageUrl" TEXT NOT NULL, 
    "fileHash" TEXT NOT NULL, 
    "fileSize" INTEGER NOT NULL, 
    "mimeType" TEXT NOT NULL, 
    "encryptionKey" TEXT, 
    "virusScanStatus" TEXT, 
    "virusScanDate" TIMESTAMP(3) WITH TIME ZONE, 
    version INTEGER DEFAULT 1 NOT NULL, 
    "replacesDocumentId" TEXT, 
    "uploadedAt" TIMESTAMP(3) WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
    "verifiedAt" TIMESTAMP(3) WITH TIME ZONE, 
    "verifiedBy" TEXT, 
    CONSTRAINT "KYCDocument_pkey" PRIMARY KEY ("documentId")
);

CREATE TABLE "TransactionLimit" (
    "limitId" TEXT NOT NULL, 
    "tenantId" TEXT NOT NULL, 
    "profileId" TEXT, 
    "walletId" TEXT, 
    "limitType" "LimitType" NOT NULL, 
    "limitAmount" NUMERIC(36, 9) NOT NULL, 
    "maxCount" INTEGER, 
    "timeWindowMinutes" INTEGER, 
    "isActive" BOOLEAN DEFAULT true NOT NULL, 
    "createdAt" TIMESTAMP(3) WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
    "updatedAt" TIMESTAMP(3) WITH TIME ZONE NOT NULL, 
    CONSTRAINT "TransactionLimit_pkey" PRIMARY KEY ("limitId")
);

CREATE TABLE "TransactionRiskScore" (
    "riskId" TEXT NOT NULL, 
    "tenantId" TEXT NOT NULL, 
    "offTxId" TEXT NOT NULL, 
    "riskScore" INTEGER NOT NULL, 
    "riskFactors" JSONB NOT NULL, 
    "requiresReview" BOOLEAN DEFAULT false NOT NULL, 
    "reviewedAt" TIMESTAMP(3) WITH TIME ZONE, 
    "reviewedBy" TEXT, 
    "reviewNotes" TEXT, 
    "calculatedAt" TIMESTAMP(3) WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
    CONSTRAINT "TransactionRiskScore_pkey" PRIMARY KEY ("riskId")
);

CREATE TABLE "HoardingTaxSnapshot" (
    "snapshotId" TEXT NOT NULL, 
    "tenantId" TEXT NOT NULL, 
    "walletId" TEXT NOT NULL, 
    "snapshotDate" DATE NOT NULL, 
    balance NUMERIC(36, 9) NOT NULL, 
    "daysHeld" INTEGER NOT NULL, 
    "taxableAmount" NUMERIC(36, 9) NOT NULL, 
    "taxRate" NUMERIC(5, 4) NOT NULL, 
    "taxOwed" NUMERIC(36, 9) NOT NULL, 
    "taxPaid" BOOLEAN DEFAULT false NOT NULL, 
    "paidAt" TIMESTAMP(3) WITH TIME ZONE, 
    "fabricTxId" TEXT, 
    "createdAt" TIMESTAMP(3) WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
    CONSTRAINT "HoardingTaxSnapshot_pkey" PRIMARY KEY ("snapshotId")
);

CREATE TABLE "UserSession" (
    "sessionId" TEXT NOT NULL, 
    "tenantId" TEXT NOT NULL, 
    "profileId" TEXT NOT NULL, 
    "deviceId" TEXT NOT NULL, 
    "deviceName" TEXT, 
    "deviceOs" TEXT, 
    "ipAddress" TEXT NOT NULL, 
    "userAgent" TEXT NOT NULL, 
    status "SessionStatus" DEFAULT 'ACTIVE'::"SessionStatus" NOT NULL, 
    "createdAt" TIMESTAMP(3) WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
    "lastActivityAt" TIMESTAMP(3) WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
    "expiresAt" TIMESTAMP(3) WITH TIME ZONE NOT NULL, 
    "revokedAt" TIMESTAMP(3) WITH TIME ZONE, 
    "revokedReason" TEXT, 
    "refreshToken" TEXT NOT NULL, 
    "refreshTokenHash" TEXT NOT NULL, 
    CONSTRAINT "UserSession_pkey" PRIMARY KEY ("sessionId")
);

CREATE TABLE "TrustedDevice" (
    "deviceId" TEXT NOT NULL, 
    "tenantId" TEXT NOT NULL, 
    "profileId" TEXT NOT NULL, 
    "deviceName" TEXT NOT NULL, 
    "deviceFingerprint" TEXT NOT NULL, 
    "deviceOs" TEXT, 
    "firstSeenAt" TIMESTAMP(3) WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
    "lastSeenAt" TIMESTAMP(3) WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
    "isTrusted" BOOLEAN DEFAULT false NOT NULL, 
    "trustVerifiedAt" TIMESTAMP(3) WITH TIME ZONE, 
    CONSTRAINT "TrustedDevice_pkey" PRIMARY KEY ("deviceId")
);

CREATE TABLE "Notification" (
    "notificationId" TEXT NOT NULL, 
    "tenantId" TEXT NOT NULL, 
    "recipientId" TEXT NOT NULL, 
    type "NotificationType" NOT NULL, 
    title TEXT NOT NULL, 
    message TEXT NOT NULL, 
    "actionUrl" TEXT, 
    "actionRequired" BOOLEAN DEFAULT false NOT NULL, 
    "actionResourceType" TEXT, 
    "actionResourceId" TEXT, 
    status "NotificationStatus" DEFAULT 'UNREAD'::"NotificationStatus" NOT NULL, 
    "readAt" TIMESTAMP(3) WITH TIME ZONE, 
    "actionedAt" TIMESTAMP(3) WITH TIME ZONE, 
    "sentViaEmail" BOOLEAN DEFAULT false NOT NULL, 
    "sentViaPush" BOOLEAN DEFAULT false NOT NULL, 
    "emailSentAt" TIMESTAMP(3) WITH TIME ZONE, 
    "pushSentAt" TIMESTAMP(3) WITH TIME ZONE, 
    "createdAt" TIMESTAMP(3) WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
    "expiresAt" TIMESTAMP(3) WITH TIME ZONE, 
    CONSTRAINT "Notification_pkey" PRIMARY KEY ("notificationId")
);

CREATE TABLE "PushToken" (
    "tokenId" TEXT NOT NULL, 
    "tenantId" TEXT NOT NULL, 
    "profileId" TEXT NOT NULL, 
    token TEXT NOT NULL, 
    "deviceId" TEXT, 
    platform TEXT NOT NULL, 
    "isActive" BOOLEAN DEFAULT true NOT NULL, 
    "createdAt" TIMESTAMP(3) WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
    "lastUsedAt" TIMESTAMP(3) WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
    CONSTRAINT "PushToken_pkey" PRIMARY KEY ("tokenId")
);

CREATE TABLE "AuditLog" (
    "auditId" TEXT NOT NULL, 
    "tenantId" TEXT NOT NULL, 
    "eventType" "AuditEventType" NOT NULL, 
    "actorProfileId" TEXT, 
    "targetProfileId" TEXT, 
    "resourceType" TEXT, 
    "resourceId" TEXT, 
    "ipAddress" TEXT, 
    "userAgent" TEXT, 
    "deviceId" TEXT, 
    "sessionId" TEXT, 
    "previousValue" JSONB, 
    "newValue" JSONB, 
    metadata JSONB, 
    "eventHash" TEXT NOT NULL, 
    timestamp TIMESTAMP(3) WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
    CONSTRAINT "AuditLog_pkey" PRIMARY KEY ("auditId")
);

CREATE TABLE "UserOrganizationLink" (
    id TEXT NOT NULL, 
    "tenantId" TEXT NOT NULL, 
    "userProfileId" TEXT NOT NULL, 
    "orgProfileId" TEXT NOT NULL, 
    role TEXT NOT NULL, 
    "addedAt" TIMESTAMP(3) WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
    CONSTRAINT "UserOrganizationLink_pkey" PRIMARY KEY (id)
);

CREATE TABLE "LicensedPartner" (
    "partnerId" TEXT NOT NULL, 
    "tenantId" TEXT NOT NULL, 
    "companyName" TEXT NOT NULL, 
    "jurisdictionCountryCode" CHAR(2) NOT NULL, 
    status "PartnerStatus" DEFAULT 'PENDING'::"PartnerStatus" NOT NULL, 
    "createdAt" TIMESTAMP(3) WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
    CONSTRAINT "LicensedPartner_pkey" PRIMARY KEY ("partnerId")
);

CREATE TABLE "Application" (
    "appId" TEXT NOT NULL, 
    "tenantId" TEXT NOT NULL, 
    "partnerId" TEXT NOT NULL, 
    "appName" TEXT NOT NULL, 
    "createdAt" TIMESTAMP(3) WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
    CONSTRAINT "Application_pkey" PRIMARY KEY ("appId")
);

CREATE TABLE "License" (
    "licenseId" TEXT NOT NULL, 
    "tenantId" TEXT NOT NULL, 
    "appId" TEXT NOT NULL, 
    "licenseType" TEXT NOT NULL, 
    status "LicenseStatus" DEFAULT 'ACTIVE'::"LicenseStatus" NOT NULL, 
    "expiryDate" TIMESTAMP(3) WITH TIME ZONE, 
    "createdAt" TIMESTAMP(3) WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
    CONSTRAINT "License_pkey" PRIMARY KEY ("licenseId")
);

CREATE TABLE "Credential" (
    "credentialId" TEXT NOT NULL, 
    "tenantId" TEXT NOT NULL, 
    "licenseId" TEXT NOT NULL, 
    "clientId" TEXT NOT NULL, 
    "clientSecretHash" TEXT NOT NULL, 
    status "CredentialStatus" DEFAULT 'ACTIVE'::"CredentialStatus" NOT NULL, 
    "createdAt" TIMESTAMP(3) WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
    CONSTRAINT "Credential_pkey" PRIMARY KEY ("credentialId")
);

CREATE TABLE "PartnerGrant" (
    "grantId" TEXT NOT NULL, 
    "tenantId" TEXT NOT NULL, 
    "partnerId" TEXT NOT NULL, 
    amount NUMERIC(36, 9) NOT NULL, 
    purpose TEXT, 
    "issuanceTimestamp" TIMESTAMP(3) WITH TIME ZONE, 
    "onChainTxId" TEXT, 
    CONSTRAINT "PartnerGrant_pkey" PRIMARY KEY ("grantId")
);

CREATE TABLE "Collateral" (
    "collateralId" TEXT NOT NULL, 
    "onChainLoanId" TEXT NOT NULL, 
    "documentReference" TEXT NOT NULL, 
    "documentHash" TEXT NOT NULL, 
    "documentSize" INTEGER, 
    "documentMime" TEXT, 
    status "CollateralStatus" DEFAULT 'PLEDGED'::"CollateralStatus" NOT NULL, 
    "createdAt" TIMESTAMP(3) WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
    CONSTRAINT "Collateral_pkey" PRIMARY KEY ("collateralId")
);

CREATE TABLE "OutboxCommand" (
    id TEXT NOT NULL, 
    "tenantId" TEXT NOT NULL, 
    service TEXT NOT NULL, 
    "commandType" "CommandType" NOT NULL, 
    "requestId" TEXT NOT NULL, 
    payload JSONB NOT NULL, 
    status "OutboxStatus" DEFAULT 'PENDING'::"OutboxStatus" NOT NULL, 
    attempts INTEGER DEFAULT 0 NOT NULL, 
    "lockedBy" TEXT, 
    "lockedAt" TIMESTAMP(3) WITH TIME ZONE, 
    "submittedAt" TIMESTAMP(3) WITH TIME ZONE, 
    "fabricTxId" TEXT, 
    "commitBlock" BIGINT, 
    "errorCode" TEXT, 
    error TEXT, 
    "createdAt" TIMESTAMP(3) WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
    "updatedAt" TIMESTAMP(3) WITH TIME ZONE NOT NULL, 
    CONSTRAINT "OutboxCommand_pkey" PRIMARY KEY (id)
);

CREATE TABLE "ProjectorState" (
    "tenantId" TEXT NOT NULL, 
    "projectorName" TEXT NOT NULL, 
    channel TEXT NOT NULL, 
    "lastBlock" BIGINT NOT NULL, 
    "lastEventIndex" INTEGER NOT NULL, 
    "updatedAt" TIMESTAMP(3) WITH TIME ZONE NOT NULL, 
    CONSTRAINT "ProjectorState_pkey" PRIMARY KEY ("tenantId", "projectorName", channel)
);

CREATE TABLE "HttpIdempotency" (
    "tenantId" TEXT NOT NULL, 
    method TEXT NOT NULL, 
    path TEXT NOT NULL, 
    "bodyHash" TEXT NOT NULL, 
    "responseBody" JSONB NOT NULL, 
    "responseHeaders" JSONB, 
    "statusCode" INTEGER NOT NULL, 
    "createdAt" TIMESTAMP(3) WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
    "ttlExpiresAt" TIMESTAMP(3) WITH TIME ZONE, 
    CONSTRAINT "HttpIdempotency_pkey" PRIMARY KEY ("tenantId", method, path, "bodyHash")
);

CREATE TABLE "EventLog" (
    id TEXT NOT NULL, 
    "tenantId" TEXT NOT NULL, 
    "fabricTxId" TEXT NOT NULL, 
    "blockNumber" BIGINT NOT NULL, 
    channel TEXT NOT NULL, 
    chaincode TEXT NOT NULL, 
    "eventName" TEXT NOT NULL, 
    "eventVersion" TEXT NOT NULL, 
    payload JSONB NOT NULL, 
    "txTimestamp" TIMESTAMP(3) WITH TIME ZONE NOT NULL, 
    "ingestedAt" TIMESTAMP(3) WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
    CONSTRAINT "EventLog_pkey" PRIMARY KEY (id)
);

CREATE TABLE "EventDLQ" (
    id TEXT NOT NULL, 
    "tenantId" TEXT NOT NULL, 
    reason TEXT NOT NULL, 
    "rawPayload" JSONB NOT NULL, 
    "fabricTxId" TEXT, 
    "blockNumber" BIGINT, 
    channel TEXT, 
    chaincode TEXT, 
    "createdAt" TIMESTAMP(3) WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
    CONSTRAINT "EventDLQ_pkey" PRIMARY KEY (id)
);

CREATE INDEX "LegalTenderStatus_countryCode_effectiveDate_idx" ON "LegalTenderStatus" ("countryCode", "effectiveDate");

CREATE UNIQUE INDEX "UserProfile_email_key" ON "UserProfile" (email);

CREATE UNIQUE INDEX "UserProfile_phoneNum_key" ON "UserProfile" ("phoneNum");

CREATE UNIQUE INDEX "UserProfile_biometricHash_key" ON "UserProfile" ("biometricHash");

CREATE INDEX "UserProfile_tenantId_status_idx" ON "UserProfile" ("tenantId", status);

CREATE INDEX "UserProfile_tenantId_email_idx" ON "UserProfile" ("tenantId", email);

CREATE INDEX "UserProfile_tenantId_phoneNum_idx" ON "UserProfile" ("tenantId", "phoneNum");

CREATE INDEX "UserProfile_tenantId_deletedAt_idx" ON "UserProfile" ("tenantId", "deletedAt");

CREATE INDEX "UserProfile_tenantId_nationalityCountryCode_idx" ON "UserProfile" ("tenantId", "nationalityCountryCode");

CREATE INDEX "KYCVerification_profileId_idx" ON "KYCVerification" ("profileId");

CREATE INDEX "KYCVerification_status_idx" ON "KYCVerification" (status);

CREATE INDEX "OrganizationProfile_tenantId_status_idx" ON "OrganizationProfile" ("tenantId", status);

CREATE INDEX "OrganizationProfile_tenantId_deletedAt_idx" ON "OrganizationProfile" ("tenantId", "deletedAt");

CREATE UNIQUE INDEX "FamilyRelationship_tenantId_initiatorProfileId_relatedProfi_key" ON "FamilyRelationship" ("tenantId", "initiatorProfileId", "relatedProfileId", "relationType");

CREATE INDEX "FamilyRelationship_tenantId_initiatorProfileId_idx" ON "FamilyRelationship" ("tenantId", "initiatorProfileId");

CREATE INDEX "FamilyRelationship_tenantId_relatedProfileId_idx" ON "FamilyRelationship" ("tenantId", "relatedProfileId");

CREATE INDEX "FamilyRelationship_tenantId_status_idx" ON "FamilyRelationship" ("tenantId", status);

CREATE INDEX "FamilyRelationship_tenantId_relationType_status_idx" ON "FamilyRelationship" ("tenantId", "relationType", status);

CREATE INDEX "TrustScore_tenantId_totalScore_idx" ON "TrustScore" ("tenantId", "totalScore");

CREATE UNIQUE INDEX "Wallet_tenantId_primaryAccountId_key" ON "Wallet" ("tenantId", "primaryAccountId");

CREATE INDEX "Wallet_tenantId_profileId_idx" ON "Wallet" ("tenantId", "profileId");

CREATE INDEX "Wallet_tenantId_deletedAt_idx" ON "Wallet" ("tenantId", "deletedAt");

CREATE UNIQUE INDEX "Transaction_tenantId_onChainTxId_key" ON "Transaction" ("tenantId", "onChainTxId");

CREATE INDEX "Transaction_tenantId_walletId_timestamp_idx" ON "Transaction" ("tenantId", "walletId", timestamp);

CREATE INDEX "Transaction_tenantId_counterparty_timestamp_idx" ON "Transaction" ("tenantId", counterparty, timestamp);

CREATE INDEX "Transaction_timestamp_idx" ON "Transaction" (timestamp);

CREATE UNIQUE INDEX "Beneficiary_tenantId_ownerProfileId_beneficiaryIdentityId_key" ON "Beneficiary" ("tenantId", "ownerProfileId", "beneficiaryIdentityId");

CREATE INDEX "Beneficiary_ownerProfileId_idx" ON "Beneficiary" ("ownerProfileId");

CREATE UNIQUE INDEX "Contact_tenantId_ownerProfileId_contactProfileId_key" ON "Contact" ("tenantId", "ownerProfileId", "contactProfileId");

CREATE INDEX "Contact_tenantId_ownerProfileId_idx" ON "Contact" ("tenantId", "ownerProfileId");

CREATE INDEX "Contact_tenantId_status_idx" ON "Contact" ("tenantId", status);

CREATE UNIQUE INDEX "BusinessAccount_walletId_key" ON "BusinessAccount" ("walletId");

CREATE UNIQUE INDEX "BusinessAccount_tenantId_orgProfileId_key" ON "BusinessAccount" ("tenantId", "orgProfileId");

CREATE INDEX "BusinessAccount_tenantId_idx" ON "BusinessAccount" ("tenantId");

CREATE UNIQUE INDEX "BusinessSignatory_tenantId_businessAccountId_profileId_key" ON "BusinessSignatory" ("tenantId", "businessAccountId", "profileId");

CREATE INDEX "BusinessSignatory_tenantId_profileId_idx" ON "BusinessSignatory" ("tenantId", "profileId");

CREATE INDEX "BusinessSignatory_tenantId_businessAccountId_idx" ON "BusinessSignatory" ("tenantId", "businessAccountId");

CREATE INDEX "SignatoryRule_tenantId_businessAccountId_idx" ON "SignatoryRule" ("tenantId", "businessAccountId");

CREATE INDEX "SignatoryRule_tenantId_isActive_idx" ON "SignatoryRule" ("tenantId", "isActive");

CREATE UNIQUE INDEX "TransactionApproval_tenantId_outboxCommandId_key" ON "TransactionApproval" ("tenantId", "outboxCommandId");

CREATE INDEX "TransactionApproval_tenantId_businessAccountId_status_idx" ON "TransactionApproval" ("tenantId", "businessAccountId", status);

CREATE INDEX "TransactionApproval_status_expiresAt_idx" ON "TransactionApproval" (status, "expiresAt");

CREATE UNIQUE INDEX "ApprovalVote_tenantId_approvalId_signatoryId_key" ON "ApprovalVote" ("tenantId", "approvalId", "signatoryId");

CREATE INDEX "ApprovalVote_tenantId_signatoryId_idx" ON "ApprovalVote" ("tenantId", "signatoryId");

CREATE INDEX "KYCDocument_tenantId_kycId_idx" ON "KYCDocument" ("tenantId", "kycId");

CREATE INDEX "KYCDocument_documentType_idx" ON "KYCDocument" ("documentType");

CREATE INDEX "KYCDocument_fileHash_idx" ON "KYCDocument" ("fileHash");

CREATE INDEX "TransactionLimit_tenantId_profileId_idx" ON "TransactionLimit" ("tenantId", "profileId");

CREATE INDEX "TransactionLimit_tenantId_walletId_idx" ON "TransactionLimit" ("tenantId", "walletId");

CREATE INDEX "TransactionLimit_tenantId_isActive_idx" ON "TransactionLimit" ("tenantId", "isActive");

CREATE UNIQUE INDEX "TransactionRiskScore_offTxId_key" ON "TransactionRiskScore" ("offTxId");

CREATE INDEX "TransactionRiskScore_tenantId_requiresReview_idx" ON "TransactionRiskScore" ("tenantId", "requiresReview");

CREATE INDEX "TransactionRiskScore_tenantId_riskScore_idx" ON "TransactionRiskScore" ("tenantId", "riskScore");

CREATE UNIQUE INDEX "HoardingTaxSnapshot_tenantId_walletId_snapshotDate_key" ON "HoardingTaxSnapshot" ("tenantId", "walletId", "snapshotDate");

CREATE INDEX "HoardingTaxSnapshot_tenantId_snapshotDate_taxPaid_idx" ON "HoardingTaxSnapshot" ("tenantId", "snapshotDate", "taxPaid");

CREATE INDEX "HoardingTaxSnapshot_tenantId_taxPaid_idx" ON "HoardingTaxSnapshot" ("tenantId", "taxPaid");

CREATE UNIQUE INDEX "UserSession_refreshToken_key" ON "UserSession" ("refreshToken");

CREATE UNIQUE INDEX "UserSession_tenantId_sessionId_key" ON "UserSession" ("tenantId", "sessionId");

CREATE INDEX "UserSession_tenantId_profileId_status_idx" ON "UserSession" ("tenantId", "profileId", status);

CREATE INDEX "UserSession_refreshTokenHash_idx" ON "UserSession" ("refreshTokenHash");

CREATE INDEX "UserSession_expiresAt_idx" ON "UserSession" ("expiresAt");

CREATE INDEX "UserSession_tenantId_deviceId_idx" ON "UserSession" ("tenantId", "deviceId");

CREATE UNIQUE INDEX "TrustedDevice_deviceFingerprint_key" ON "TrustedDevice" ("deviceFingerprint");

CREATE UNIQUE INDEX "TrustedDevice_tenantId_profileId_deviceFingerprint_key" ON "TrustedDevice" ("tenantId", "profileId", "deviceFingerprint");

CREATE INDEX "TrustedDevice_tenantId_profileId_idx" ON "TrustedDevice" ("tenantId", "profileId");

CREATE INDEX "TrustedDevice_tenantId_isTrusted_idx" ON "TrustedDevice" ("tenantId", "isTrusted");

CREATE INDEX "Notification_tenantId_recipientId_status_idx" ON "Notification" ("tenantId", "recipientId", status);

CREATE INDEX "Notification_tenantId_recipientId_createdAt_idx" ON "Notification" ("tenantId", "recipientId", "createdAt");

CREATE INDEX "Notification_expiresAt_idx" ON "Notification" ("expiresAt");

CREATE INDEX "Notification_tenantId_type_status_idx" ON "Notification" ("tenantId", type, status);

CREATE UNIQUE INDEX "PushToken_token_key" ON "PushToken" (token);

CREATE UNIQUE INDEX "PushToken_tenantId_profileId_token_key" ON "PushToken" ("tenantId", "profileId", token);

CREATE INDEX "PushToken_tenantId_profileId_idx" ON "PushToken" ("tenantId", "profileId");

CREATE INDEX "PushToken_tenantId_isActive_idx" ON "PushToken" ("tenantId", "isActive");

CREATE INDEX "AuditLog_tenantId_eventType_timestamp_idx" ON "AuditLog" ("tenantId", "eventType", timestamp);

CREATE INDEX "AuditLog_tenantId_actorProfileId_timestamp_idx" ON "AuditLog" ("tenantId", "actorProfileId", timestamp);

CREATE INDEX "AuditLog_tenantId_targetProfileId_timestamp_idx" ON "AuditLog" ("tenantId", "targetProfileId", timestamp);

CREATE INDEX "AuditLog_tenantId_resourceType_resourceId_idx" ON "AuditLog" ("tenantId", "resourceType", "resourceId");

CREATE INDEX "AuditLog_timestamp_idx" ON "AuditLog" (timestamp);

CREATE UNIQUE INDEX "UserOrganizationLink_tenantId_userProfileId_orgProfileId_key" ON "UserOrganizationLink" ("tenantId", "userProfileId", "orgProfileId");

CREATE INDEX "UserOrganizationLink_userProfileId_idx" ON "UserOrganizationLink" ("userProfileId");

CREATE INDEX "UserOrganizationLink_orgProfileId_idx" ON "UserOrganizationLink" ("orgProfileId");

CREATE INDEX "UserOrganizationLink_tenantId_idx" ON "UserOrganizationLink" ("tenantId");

CREATE UNIQUE INDEX "LicensedPartner_tenantId_companyName_key" ON "LicensedPartner" ("tenantId", "companyName");

CREATE INDEX "LicensedPartner_tenantId_status_idx" ON "LicensedPartner" ("tenantId", status);

CREATE UNIQUE INDEX "Application_tenantId_appName_key" ON "Application" ("tenantId", "appName");

CREATE INDEX "Application_tenantId_partnerId_idx" ON "Application" ("tenantId", "partnerId");

CREATE INDEX "License_tenantId_appId_idx" ON "License" ("tenantId", "appId");

CREATE INDEX "License_tenantId_status_idx" ON "License" ("tenantId", status);

CREATE UNIQUE INDEX "Credential_tenantId_clientId_key" ON "Credential" ("tenantId", "clientId");

CREATE INDEX "Credential_tenantId_licenseId_idx" ON "Credential" ("tenantId", "licenseId");

CREATE INDEX "PartnerGrant_tenantId_partnerId_idx" ON "PartnerGrant" ("tenantId", "partnerId");

CREATE UNIQUE INDEX "Collateral_onChainLoanId_key" ON "Collateral" ("onChainLoanId");

CREATE INDEX "Collateral_onChainLoanId_idx" ON "Collateral" ("onChainLoanId");

CREATE INDEX "Collateral_status_idx" ON "Collateral" (status);

CREATE UNIQUE INDEX "OutboxCommand_tenantId_requestId_key" ON "OutboxCommand" ("tenantId", "requestId");

CREATE INDEX "OutboxCommand_status_createdAt_idx" ON "OutboxCommand" (status, "createdAt");

CREATE INDEX "OutboxCommand_tenantId_status_idx" ON "OutboxCommand" ("tenantId", status);

CREATE INDEX "OutboxCommand_fabricTxId_idx" ON "OutboxCommand" ("fabricTxId");

CREATE INDEX "HttpIdempotency_ttlExpiresAt_idx" ON "HttpIdempotency" ("ttlExpiresAt");

CREATE INDEX "EventLog_tenantId_blockNumber_idx" ON "EventLog" ("tenantId", "blockNumber");

CREATE INDEX "EventLog_fabricTxId_idx" ON "EventLog" ("fabricTxId");

CREATE INDEX "EventLog_tenantId_eventName_idx" ON "EventLog" ("tenantId", "eventName");

CREATE INDEX "EventDLQ_tenantId_createdAt_idx" ON "EventDLQ" ("tenantId", "createdAt");

ALTER TABLE "LegalTenderStatus" ADD CONSTRAINT "LegalTenderStatus_countryCode_fkey" FOREIGN KEY("countryCode") REFERENCES "Country" ("countryCode") ON DELETE RESTRICT ON UPDATE CASCADE;

ALTER TABLE "UserProfile" ADD CONSTRAINT "UserProfile_nationalityCountryCode_fkey" FOREIGN KEY("nationalityCountryCode") REFERENCES "Country" ("countryCode") ON DELETE SET NULL ON UPDATE CASCADE;

ALTER TABLE "KYCVerification" ADD CONSTRAINT "KYCVerification_profileId_fkey" FOREIGN KEY("profileId") REFERENCES "UserProfile" ("profileId") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "OrganizationProfile" ADD CONSTRAINT "OrganizationProfile_jurisdictionCountryCode_fkey" FOREIGN KEY("jurisdictionCountryCode") REFERENCES "Country" ("countryCode") ON DELETE RESTRICT ON UPDATE CASCADE;

ALTER TABLE "FamilyRelationship" ADD CONSTRAINT "FamilyRelationship_initiatorProfileId_fkey" FOREIGN KEY("initiatorProfileId") REFERENCES "UserProfile" ("profileId") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "FamilyRelationship" ADD CONSTRAINT "FamilyRelationship_relatedProfileId_fkey" FOREIGN KEY("relatedProfileId") REFERENCES "UserProfile" ("profileId") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "TrustScore" ADD CONSTRAINT "TrustScore_profileId_fkey" FOREIGN KEY("profileId") REFERENCES "UserProfile" ("profileId") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "Wallet" ADD CONSTRAINT "Wallet_profileId_fkey" FOREIGN KEY("profileId") REFERENCES "UserProfile" ("profileId") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "Transaction" ADD CONSTRAINT "Transaction_walletId_fkey" FOREIGN KEY("walletId") REFERENCES "Wallet" ("walletId") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "Beneficiary" ADD CONSTRAINT "Beneficiary_ownerProfileId_fkey" FOREIGN KEY("ownerProfileId") REFERENCES "UserProfile" ("profileId") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "Contact" ADD CONSTRAINT "Contact_ownerProfileId_fkey" FOREIGN KEY("ownerProfileId") REFERENCES "UserProfile" ("profileId") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "Contact" ADD CONSTRAINT "Contact_contactProfileId_fkey" FOREIGN KEY("contactProfileId") REFERENCES "UserProfile" ("profileId") ON DELETE SET NULL ON UPDATE CASCADE;

ALTER TABLE "BusinessAccount" ADD CONSTRAINT "BusinessAccount_orgProfileId_fkey" FOREIGN KEY("orgProfileId") REFERENCES "OrganizationProfile" ("orgProfileId") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "BusinessAccount" ADD CONSTRAINT "BusinessAccount_walletId_fkey" FOREIGN KEY("walletId") REFERENCES "Wallet" ("walletId") ON DELETE RESTRICT ON UPDATE CASCADE;

ALTER TABLE "BusinessSignatory" ADD CONSTRAINT "BusinessSignatory_businessAccountId_fkey" FOREIGN KEY("businessAccountId") REFERENCES "BusinessAccount" ("businessAccountId") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "BusinessSignatory" ADD CONSTRAINT "BusinessSignatory_profileId_fkey" FOREIGN KEY("profileId") REFERENCES "UserProfile" ("profileId") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "SignatoryRule" ADD CONSTRAINT "SignatoryRule_businessAccountId_fkey" FOREIGN KEY("businessAccountId") REFERENCES "BusinessAccount" ("businessAccountId") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "TransactionApproval" ADD CONSTRAINT "TransactionApproval_businessAccountId_fkey" FOREIGN KEY("businessAccountId") REFERENCES "BusinessAccount" ("businessAccountId") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "TransactionApproval" ADD CONSTRAINT "TransactionApproval_outboxCommandId_fkey" FOREIGN KEY("outboxCommandId") REFERENCES "OutboxCommand" (id) ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "ApprovalVote" ADD CONSTRAINT "ApprovalVote_approvalId_fkey" FOREIGN KEY("approvalId") REFERENCES "TransactionApproval" ("approvalId") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "ApprovalVote" ADD CONSTRAINT "ApprovalVote_signatoryId_fkey" FOREIGN KEY("signatoryId") REFERENCES "BusinessSignatory" ("signatoryId") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "KYCDocument" ADD CONSTRAINT "KYCDocument_kycId_fkey" FOREIGN KEY("kycId") REFERENCES "KYCVerification" ("kycId") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "KYCDocument" ADD CONSTRAINT "KYCDocument_issuingCountry_fkey" FOREIGN KEY("issuingCountry") REFERENCES "Country" ("countryCode") ON DELETE SET NULL ON UPDATE CASCADE;

ALTER TABLE "TransactionLimit" ADD CONSTRAINT "TransactionLimit_profileId_fkey" FOREIGN KEY("profileId") REFERENCES "UserProfile" ("profileId") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "TransactionRiskScore" ADD CONSTRAINT "TransactionRiskScore_offTxId_fkey" FOREIGN KEY("offTxId") REFERENCES "Transaction" ("offTxId") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "HoardingTaxSnapshot" ADD CONSTRAINT "HoardingTaxSnapshot_walletId_fkey" FOREIGN KEY("walletId") REFERENCES "Wallet" ("walletId") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "UserSession" ADD CONSTRAINT "UserSession_profileId_fkey" FOREIGN KEY("profileId") REFERENCES "UserProfile" ("profileId") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "TrustedDevice" ADD CONSTRAINT "TrustedDevice_profileId_fkey" FOREIGN KEY("profileId") REFERENCES "UserProfile" ("profileId") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "Notification" ADD CONSTRAINT "Notification_recipientId_fkey" FOREIGN KEY("recipientId") REFERENCES "UserProfile" ("profileId") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "PushToken" ADD CONSTRAINT "PushToken_profileId_fkey" FOREIGN KEY("profileId") REFERENCES "UserProfile" ("profileId") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "UserOrganizationLink" ADD CONSTRAINT "UserOrganizationLink_userProfileId_fkey" FOREIGN KEY("userProfileId") REFERENCES "UserProfile" ("profileId") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "UserOrganizationLink" ADD CONSTRAINT "UserOrganizationLink_orgProfileId_fkey" FOREIGN KEY("orgProfileId") REFERENCES "OrganizationProfile" ("orgProfileId") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "LicensedPartner" ADD CONSTRAINT "LicensedPartner_jurisdictionCountryCode_fkey" FOREIGN KEY("jurisdictionCountryCode") REFERENCES "Country" ("countryCode") ON DELETE RESTRICT ON UPDATE CASCADE;

ALTER TABLE "Application" ADD CONSTRAINT "Application_partnerId_fkey" FOREIGN KEY("partnerId") REFERENCES "LicensedPartner" ("partnerId") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "License" ADD CONSTRAINT "License_appId_fkey" FOREIGN KEY("appId") REFERENCES "Application" ("appId") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "Credential" ADD CONSTRAINT "Credential_licenseId_fkey" FOREIGN KEY("licenseId") REFERENCES "License" ("licenseId") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "PartnerGrant" ADD CONSTRAINT "PartnerGrant_partnerId_fkey" FOREIGN KEY("partnerId") REFERENCES "LicensedPartner" ("partnerId") ON DELETE CASCADE ON UPDATE CASCADE;

INSERT INTO alembic_version (version_num) VALUES ('0001') RETURNING alembic_version.version_num;

COMMIT;

