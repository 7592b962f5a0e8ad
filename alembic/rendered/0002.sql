BEGIN;

-- Running upgrade 0001 -> 0002

COMMIT;

DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_index WHERE indexrelid = to_regclass('"UserProfile_biometricHash_idx"') AND NOT indisvalid) THEN RAISE EXCEPTION 'index "UserProfile_biometricHash_idx" is INVALID (left by a failed concurrent build): run DROP INDEX CONCURRENTLY "UserProfile_biometricHash_idx"; then run this script again'; END IF; END $$;

CREATE INDEX CONCURRENTLY IF NOT EXISTS "UserProfile_biometricHash_idx" ON "UserProfile" ("biometricHash");

BEGIN;

COMMIT;

DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_index WHERE indexrelid = to_regclass('"UserProfile_tenantId_status_createdAt_idx"') AND NOT indisvalid) THEN RAISE EXCEPTION 'index "UserProfile_tenantId_status_createdAt_idx" is INVALID (left by a failed concurrent build): run DROP INDEX CONCURRENTLY "UserProfile_tenantId_status_createdAt_idx"; then run this script again'; END IF; END $$;

CREATE INDEX CONCURRENTLY IF NOT EXISTS "UserProfile_tenantId_status_createdAt_idx" ON "UserProfile" ("tenantId", "status", "createdAt");

BEGIN;

COMMIT;

DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_index WHERE indexrelid = to_regclass('"Transaction_tenantId_type_timestamp_idx"') AND NOT indisvalid) THEN RAISE EXCEPTION 'index "Transaction_tenantId_type_timestamp_idx" is INVALID (left by a failed concurrent build): run DROP INDEX CONCURRENTLY "Transaction_tenantId_type_timestamp_idx"; then run this script again'; END IF; END $$;

CREATE INDEX CONCURRENTLY IF NOT EXISTS "Transaction_tenantId_type_timestamp_idx" ON "Transaction" ("tenantId", "type", "timestamp");

BEGIN;

COMMIT;

DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_index WHERE indexrelid = to_regclass('"AuditLog_tenantId_actorProfileId_eventType_timestamp_idx"') AND NOT indisvalid) THEN RAISE EXCEPTION 'index "AuditLog_tenantId_actorProfileId_eventType_timestamp_idx" is INVALID (left by a failed concurrent build): run DROP INDEX CONCURRENTLY "AuditLog_tenantId_actorProfileId_eventType_timestamp_idx"; then run this script again'; END IF; END $$;

CREATE INDEX CONCURRENTLY IF NOT EXISTS "AuditLog_tenantId_actorProfileId_eventType_timestamp_idx" ON "AuditLog" ("tenantId", "actorProfileId", "eventType", "timestamp");

BEGIN;

ALTER TYPE "CommandType" ADD VALUE IF NOT EXISTS 'UPDATE_USER_PROFILE' BEFORE 'TRANSFER_TOKENS';

ALTER TYPE "CommandType" ADD VALUE IF NOT EXISTS 'SUSPEND_USER' BEFORE 'TRANSFER_TOKENS';

ALTER TYPE "CommandType" ADD VALUE IF NOT EXISTS 'CREATE_RELATIONSHIP' BEFORE 'TRANSFER_TOKENS';

ALTER TYPE "CommandType" ADD VALUE IF NOT EXISTS 'UPDATE_RELATIONSHIP' BEFORE 'TRANSFER_TOKENS';

ALTER TYPE "CommandType" ADD VALUE IF NOT EXISTS 'DISTRIBUTE_GENESIS' AFTER 'TRANSFER_TOKENS';

ALTER TYPE "CommandType" ADD VALUE IF NOT EXISTS 'QUERY_BALANCE' AFTER 'DISTRIBUTE_GENESIS';

ALTER TYPE "CommandType" ADD VALUE IF NOT EXISTS 'CREATE_ORGANIZATION' AFTER 'QUERY_BALANCE';

ALTER TYPE "CommandType" ADD VALUE IF NOT EXISTS 'UPDATE_ORGANIZATION' AFTER 'CREATE_ORGANIZATION';

ALTER TYPE "CommandType" ADD VALUE IF NOT EXISTS 'ADD_STAKEHOLDER' AFTER 'UPDATE_ORGANIZATION';

ALTER TYPE "CommandType" ADD VALUE IF NOT EXISTS 'REMOVE_STAKEHOLDER' AFTER 'ADD_STAKEHOLDER';

ALTER TYPE "CommandType" ADD VALUE IF NOT EXISTS 'CREATE_BUSINESS_ACCOUNT' AFTER 'REMOVE_STAKEHOLDER';

ALTER TYPE "CommandType" ADD VALUE IF NOT EXISTS 'ADD_SIGNATORY' AFTER 'CREATE_BUSINESS_ACCOUNT';

ALTER TYPE "CommandType" ADD VALUE IF NOT EXISTS 'REVOKE_SIGNATORY' AFTER 'ADD_SIGNATORY';

ALTER TYPE "CommandType" ADD VALUE IF NOT EXISTS 'UPDATE_SIGNATORY_RULES' AFTER 'REVOKE_SIGNATORY';

ALTER TYPE "CommandType" ADD VALUE IF NOT EXISTS 'APPROVE_TRANSACTION' AFTER 'UPDATE_SIGNATORY_RULES';

ALTER TYPE "CommandType" ADD VALUE IF NOT EXISTS 'REQUEST_LOAN' AFTER 'APPROVE_TRANSACTION';

ALTER TYPE "CommandType" ADD VALUE IF NOT EXISTS 'APPROVE_LOAN' AFTER 'REQUEST_LOAN';

ALTER TYPE "CommandType" ADD VALUE IF NOT EXISTS 'REPAY_LOAN' AFTER 'APPROVE_LOAN';

ALTER TYPE "CommandType" ADD VALUE IF NOT EXISTS 'QUERY_LOAN_STATUS' AFTER 'REPAY_LOAN';

ALTER TYPE "CommandType" ADD VALUE IF NOT EXISTS 'SUBMIT_PROPOSAL' AFTER 'QUERY_LOAN_STATUS';

ALTER TYPE "CommandType" ADD VALUE IF NOT EXISTS 'VOTE_ON_PROPOSAL' AFTER 'SUBMIT_PROPOSAL';

ALTER TYPE "CommandType" ADD VALUE IF NOT EXISTS 'EXECUTE_PROPOSAL' AFTER 'VOTE_ON_PROPOSAL';

ALTER TYPE "CommandType" ADD VALUE IF NOT EXISTS 'QUERY_PROPOSAL' AFTER 'EXECUTE_PROPOSAL';

ALTER TYPE "CommandType" ADD VALUE IF NOT EXISTS 'CALCULATE_HOARDING_TAX' AFTER 'QUERY_PROPOSAL';

ALTER TYPE "CommandType" ADD VALUE IF NOT EXISTS 'PAY_HOARDING_TAX' AFTER 'CALCULATE_HOARDING_TAX';

ALTER TYPE "CommandType" ADD VALUE IF NOT EXISTS 'CALCULATE_TRANSACTION_FEE' AFTER 'PAY_HOARDING_TAX';

ALTER TYPE "CommandType" ADD VALUE IF NOT EXISTS 'BOOTSTRAP_SYSTEM' AFTER 'CALCULATE_TRANSACTION_FEE';

ALTER TYPE "CommandType" ADD VALUE IF NOT EXISTS 'PAUSE_SYSTEM' AFTER 'BOOTSTRAP_SYSTEM';

ALTER TYPE "CommandType" ADD VALUE IF NOT EXISTS 'RESUME_SYSTEM' AFTER 'PAUSE_SYSTEM';

ALTER TYPE "CommandType" ADD VALUE IF NOT EXISTS 'INITIALIZE_COUNTRY' AFTER 'RESUME_SYSTEM';

CREATE TABLE "ApiRateLimit" (
    "rateLimitId" TEXT NOT NULL, 
    "tenantId" TEXT NOT NULL, 
    "clientId" TEXT NOT NULL, 
    endpoint TEXT NOT NULL, 
    "requestCount" INTEGER DEFAULT 0 NOT NULL, 
    "windowStart" TIMESTAMP(3) WITH TIME ZONE NOT NULL, 
    "windowEnd" TIMESTAMP(3) WITH TIME ZONE NOT NULL, 
    "maxRequests" INTEGER NOT NULL, 
    "windowMinutes" INTEGER NOT NULL, 
    CONSTRAINT "ApiRateLimit_pkey" PRIMARY KEY ("rateLimitId")
);

CREATE TABLE "WebhookEndpoint" (
    "webhookId" TEXT NOT NULL, 
    "tenantId" TEXT NOT NULL, 
    "partnerId" TEXT NOT NULL, 
    url TEXT NOT NULL, 
    secret TEXT NOT NULL, 
    events TEXT[], 
    "isActive" BOOLEAN DEFAULT true NOT NULL, 
    "maxRetries" INTEGER DEFAULT 3 NOT NULL, 
    "retryDelay" INTEGER DEFAULT 300 NOT NULL, 
    "lastSuccess" TIMESTAMP(3) WITH TIME ZONE, 
    "lastFailure" TIMESTAMP(3) WITH TIME ZONE, 
    "failureCount" INTEGER DEFAULT 0 NOT NULL, 
    "createdAt" TIMESTAMP(3) WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
    "updatedAt" TIMESTAMP(3) WITH TIME ZONE NOT NULL, 
    CONSTRAINT "WebhookEndpoint_pkey" PRIMARY KEY ("webhookId")
);

CREATE TABLE "WebhookDelivery" (
    "deliveryId" TEXT NOT NULL, 
    "tenantId" TEXT NOT NULL, 
    "webhookId" TEXT NOT NULL, 
    "eventType" TEXT NOT NULL, 
    payload JSONB NOT NULL, 
    attempts INTEGER DEFAULT 0 NOT NULL, 
    "lastAttempt" TIMESTAMP(3) WITH TIME ZONE, 
    success BOOLEAN DEFAULT false NOT NULL, 
    "responseCode" INTEGER, 
    "responseBody" TEXT, 
    error TEXT, 
    "createdAt" TIMESTAMP(3) WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("deliveryId")
);

CREATE TABLE "FeatureFlag" (
    "flagId" TEXT NOT NULL, 
    "tenantId" TEXT NOT NULL, 
    "flagKey" TEXT NOT NULL, 
    "isEnabled" BOOLEAN DEFAULT false NOT NULL, 
    "rolloutPercent" INTEGER DEFAULT 0 NOT NULL, 
    "targetUserIds" TEXT[], 
    "targetRoles" TEXT[], 
    description TEXT, 
    "createdAt" TIMESTAMP(3) WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
    "updatedAt" TIMESTAMP(3) WITH TIME ZONE NOT NULL, 
    CONSTRAINT "FeatureFlag_pkey" PRIMARY KEY ("flagId")
);

CREATE TABLE "SystemConfig" (
    "configKey" TEXT NOT NULL, 
    "tenantId" TEXT DEFAULT 'global'::text NOT NULL, 
    "configValue" JSONB NOT NULL, 
    "valueType" TEXT NOT NULL, 
    description TEXT, 
    "isSecret" BOOLEAN DEFAULT false NOT NULL, 
    "createdAt" TIMESTAMP(3) WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
    "updatedAt" TIMESTAMP(3) WITH TIME ZONE NOT NULL, 
    CONSTRAINT "SystemConfig_pkey" PRIMARY KEY ("configKey")
);

CREATE TABLE "HealthCheckMetric" (
    "metricId" TEXT NOT NULL, 
    "tenantId" TEXT DEFAULT 'global'::text NOT NULL, 
    "serviceName" TEXT NOT NULL, 
    "metricName" TEXT NOT NULL, 
    "metricValue" NUMERIC(20, 4) NOT NULL, 
    unit TEXT, 
    status TEXT NOT NULL, 
    threshold NUMERIC(20, 4), 
    timestamp TIMESTAMP(3) WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
    CONSTRAINT "HealthCheckMetric_pkey" PRIMARY KEY ("metricId")
);

CREATE UNIQUE INDEX "ApiRateLimit_tenantId_clientId_endpoint_windowStart_key" ON "ApiRateLimit" ("tenantId", "clientId", endpoint, "windowStart");

CREATE INDEX "ApiRateLimit_tenantId_clientId_idx" ON "ApiRateLimit" ("tenantId", "clientId");

CREATE INDEX "ApiRateLimit_windowEnd_idx" ON "ApiRateLimit" ("windowEnd");

CREATE INDEX "WebhookEndpoint_tenantId_partnerId_idx" ON "WebhookEndpoint" ("tenantId", "partnerId");

CREATE INDEX "WebhookEndpoint_tenantId_isActive_idx" ON "WebhookEndpoint" ("tenantId", "isActive");

CREATE INDEX "WebhookDelivery_tenantId_webhookId_createdAt_idx" ON "WebhookDelivery" ("tenantId", "webhookId", "createdAt");

CREATE INDEX "WebhookDelivery_tenantId_success_idx" ON "WebhookDelivery" ("tenantId", success);

CREATE UNIQUE INDEX "FeatureFlag_tenantId_flagKey_key" ON "FeatureFlag" ("tenantId", "flagKey");

CREATE INDEX "FeatureFlag_tenantId_flagKey_isEnabled_idx" ON "FeatureFlag" ("tenantId", "flagKey", "isEnabled");

CREATE UNIQUE INDEX "SystemConfig_tenantId_configKey_key" ON "SystemConfig" ("tenantId", "configKey");

CREATE INDEX "SystemConfig_tenantId_idx" ON "SystemConfig" ("tenantId");

CREATE INDEX "HealthCheckMetric_tenantId_serviceName_metricName_timestamp_idx" ON "HealthCheckMetric" ("tenantId", "serviceName", "metricName", timestamp);

CREATE INDEX "HealthCheckMetric_timestamp_idx" ON "HealthCheckMetric" (timestamp);

CREATE INDEX "HealthCheckMetric_tenantId_status_timestamp_idx" ON "HealthCheckMetric" ("tenantId", status, timestamp);

ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_webhookId_fkey" FOREIGN KEY("webhookId") REFERENCES "WebhookEndpoint" ("webhookId") ON DELETE CASCADE ON UPDATE CASCADE;

SELECT set_config('gxschema.outer_lock_timeout', current_setting('lock_timeout'), true);

SET LOCAL lock_timeout = '50ms';

ALTER TABLE "WebhookEndpoint" ADD CONSTRAINT "WebhookEndpoint_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "LicensedPartner" ("partnerId") ON DELETE CASCADE ON UPDATE CASCADE;

SELECT set_config('lock_timeout', current_setting('gxschema.outer_lock_timeout'), true);

UPDATE alembic_version SET version_num='0002' WHERE alembic_version.version_num = '0001';

COMMIT;

