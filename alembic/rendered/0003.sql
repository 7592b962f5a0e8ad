BEGIN;

-- Running upgrade 0002 -> 0003

CREATE TABLE "SchemaMigrationRun" (
    "runId" TEXT NOT NULL, 
    "tenantId" TEXT DEFAULT 'global'::text NOT NULL, 
    "fromRevision" TEXT, 
    "toRevision" TEXT NOT NULL, 
    direction TEXT NOT NULL, 
    status TEXT NOT NULL, 
    runner TEXT, 
    "appVersion" TEXT, 
    error TEXT, 
    "startedAt" TIMESTAMP(3) WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
    "finishedAt" TIMESTAMP(3) WITH TIME ZONE, 
    "durationMs" INTEGER, 
    CONSTRAINT "SchemaMigrationRun_pkey" PRIMARY KEY ("runId")
);

CREATE TABLE "SeedDataset" (
    "datasetId" TEXT NOT NULL, 
    "tenantId" TEXT DEFAULT 'global'::text NOT NULL, 
    name TEXT NOT NULL, 
    version TEXT NOT NULL, 
    checksum TEXT NOT NULL, 
    "rowCount" INTEGER NOT NULL, 
    "appliedBy" TEXT, 
    "appliedAt" TIMESTAMP(3) WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
    CONSTRAINT "SeedDataset_pkey" PRIMARY KEY ("datasetId")
);

CREATE TABLE "BackupRecord" (
    "backupId" TEXT NOT NULL, 
    "tenantId" TEXT DEFAULT 'global'::text NOT NULL, 
    kind TEXT NOT NULL, 
    target TEXT NOT NULL, 
    location TEXT NOT NULL, 
    "schemaRevision" TEXT, 
    "sizeBytes" BIGINT, 
    checksum TEXT, 
    status TEXT NOT NULL, 
    error TEXT, 
    "startedAt" TIMESTAMP(3) WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
    "finishedAt" TIMESTAMP(3) WITH TIME ZONE, 
    "verifiedAt" TIMESTAMP(3) WITH TIME ZONE, 
    CONSTRAINT "BackupRecord_pkey" PRIMARY KEY ("backupId")
);

CREATE INDEX "SchemaMigrationRun_tenantId_startedAt_idx" ON "SchemaMigrationRun" ("tenantId", "startedAt");

CREATE INDEX "SchemaMigrationRun_status_startedAt_idx" ON "SchemaMigrationRun" (status, "startedAt");

CREATE UNIQUE INDEX "SeedDataset_tenantId_name_checksum_key" ON "SeedDataset" ("tenantId", name, checksum);

CREATE INDEX "SeedDataset_tenantId_name_appliedAt_idx" ON "SeedDataset" ("tenantId", name, "appliedAt");

CREATE INDEX "BackupRecord_tenantId_kind_startedAt_idx" ON "BackupRecord" ("tenantId", kind, "startedAt");

CREATE INDEX "BackupRecord_status_startedAt_idx" ON "BackupRecord" (status, "startedAt");

UPDATE alembic_version SET version_num='0003' WHERE alembic_version.version_num = '0002';

COMMIT;

