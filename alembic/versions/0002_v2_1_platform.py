"""v2.1: 30 more command types, 4 indexes, and the six platform tables.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28

- `CommandType` grows from 2 to 32 values. PostgreSQL 15 adds enum values inside a
  transaction, but a new value cannot be used in the transaction that added it:
  nothing here uses them. Four values sort before TRANSFER_TOKENS (BEFORE), the
  rest after it, in the order of schema v2.1.
- Indexes for the v2.1 hot queries; `UserProfile_biometricHash_idx` duplicates the
  unique index `UserProfile_biometricHash_key` (a quirk of v2.1 kept on purpose,
  see docs/schema-notes.md).
- New tables: ApiRateLimit, WebhookEndpoint, WebhookDelivery, FeatureFlag,
  SystemConfig, HealthCheckMetric.

How it stays online (what each step locks, and for how long):

1. The four indexes on existing, large tables (UserProfile, Transaction, AuditLog)
   are built first, one by one, with ``CREATE INDEX CONCURRENTLY`` outside the
   revision's transaction (`online.create_index_concurrently`): SHARE UPDATE
   EXCLUSIVE, which the services' INSERT/UPDATE/DELETE do not conflict with. They
   come first so that everything after them stays one transaction with the
   ``alembic_version`` stamp. A build that fails or is killed leaves the database
   at 0001 with the indexes already built (kept by the rerun) and at most one
   INVALID index (dropped and built again by the rerun).
2. Then, atomically: the enum values (``ALTER TYPE ... ADD VALUE`` locks only the
   type, which no query of the services locks), the six tables and their indexes
   (new and empty: nothing waits on them), and the foreign keys.
   `WebhookDelivery_webhookId_fkey` joins two new tables. `WebhookEndpoint_partnerId_fkey`
   takes SHARE ROW EXCLUSIVE on the existing ``LicensedPartner`` (no writes to it
   until commit), so it comes last, right before the commit, and waits for that
   lock through `online.execute_with_lock_retries` (50 ms per attempt, retried)
   instead of queueing the partner writers behind a long transaction. It is a plain
   (validated) key: WebhookEndpoint is empty, so validation reads nothing.

The downgrade cannot drop enum values (PostgreSQL has no such statement): it
recreates `CommandType` with its two v2.0 values and converts the column, and
refuses while any OutboxCommand row uses one of the values it would remove. It is
not online, and cannot be: converting the column rewrites ``OutboxCommand`` under
ACCESS EXCLUSIVE, so reads and writes of the outbox wait for the whole rewrite
(seconds per million rows). Lock retries bound only the wait *for* that lock (and
for the foreign key and table drops): they keep the outbox writers from queueing
behind a long transaction, not from waiting for the rewrite. Its order: the refusal
check; the four indexes dropped CONCURRENTLY (outside the transaction, so they are
first); then, atomically, the check again, the tables and the enum. If that last
part fails (a lock it could not get, a row inserted meanwhile), the database stays
at 0002 without the four indexes; rerunning the downgrade finishes it (the drops are
IF EXISTS), and ``gxschema verify`` names them until then.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from gxschema import online

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIMESTAMP3 = postgresql.TIMESTAMP(timezone=True, precision=3)
"""Prisma's DateTime: timestamp(3) with time zone."""

COMMAND_TYPES_V2_0 = ["CREATE_USER", "TRANSFER_TOKENS"]
COMMAND_TYPES_BEFORE_TRANSFER = [
    "UPDATE_USER_PROFILE",
    "SUSPEND_USER",
    "CREATE_RELATIONSHIP",
    "UPDATE_RELATIONSHIP",
]
COMMAND_TYPES_AFTER_TRANSFER = [
    "DISTRIBUTE_GENESIS",
    "QUERY_BALANCE",
    "CREATE_ORGANIZATION",
    "UPDATE_ORGANIZATION",
    "ADD_STAKEHOLDER",
    "REMOVE_STAKEHOLDER",
    "CREATE_BUSINESS_ACCOUNT",
    "ADD_SIGNATORY",
    "REVOKE_SIGNATORY",
    "UPDATE_SIGNATORY_RULES",
    "APPROVE_TRANSACTION",
    "REQUEST_LOAN",
    "APPROVE_LOAN",
    "REPAY_LOAN",
    "QUERY_LOAN_STATUS",
    "SUBMIT_PROPOSAL",
    "VOTE_ON_PROPOSAL",
    "EXECUTE_PROPOSAL",
    "QUERY_PROPOSAL",
    "CALCULATE_HOARDING_TAX",
    "PAY_HOARDING_TAX",
    "CALCULATE_TRANSACTION_FEE",
    "BOOTSTRAP_SYSTEM",
    "PAUSE_SYSTEM",
    "RESUME_SYSTEM",
    "INITIALIZE_COUNTRY",
]

NEW_INDEXES = [
    ("UserProfile_biometricHash_idx", "UserProfile", ["biometricHash"]),
    (
        "UserProfile_tenantId_status_createdAt_idx",
        "UserProfile",
        ["tenantId", "status", "createdAt"],
    ),
    ("Transaction_tenantId_type_timestamp_idx", "Transaction", ["tenantId", "type", "timestamp"]),
    (
        "AuditLog_tenantId_actorProfileId_eventType_timestamp_idx",
        "AuditLog",
        ["tenantId", "actorProfileId", "eventType", "timestamp"],
    ),
]

NEW_TABLES_IN_DROP_ORDER = [
    "HealthCheckMetric",
    "SystemConfig",
    "FeatureFlag",
    "WebhookDelivery",
    "WebhookEndpoint",
    "ApiRateLimit",
]


def upgrade() -> None:
    for name, table, columns in NEW_INDEXES:
        online.create_index_concurrently(name, table, columns)

    for value in COMMAND_TYPES_BEFORE_TRANSFER:
        op.execute(
            f"ALTER TYPE \"CommandType\" ADD VALUE IF NOT EXISTS '{value}' BEFORE 'TRANSFER_TOKENS'"
        )
    previous = "TRANSFER_TOKENS"
    for value in COMMAND_TYPES_AFTER_TRANSFER:
        op.execute(
            f"ALTER TYPE \"CommandType\" ADD VALUE IF NOT EXISTS '{value}' AFTER '{previous}'"
        )
        previous = value

    op.create_table(
        "ApiRateLimit",
        sa.Column("rateLimitId", sa.Text(), nullable=False),
        sa.Column("tenantId", sa.Text(), nullable=False),
        sa.Column("clientId", sa.Text(), nullable=False),
        sa.Column("endpoint", sa.Text(), nullable=False),
        sa.Column("requestCount", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("windowStart", TIMESTAMP3, nullable=False),
        sa.Column("windowEnd", TIMESTAMP3, nullable=False),
        sa.Column("maxRequests", sa.Integer(), nullable=False),
        sa.Column("windowMinutes", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("rateLimitId", name="ApiRateLimit_pkey"),
    )

    op.create_table(
        "WebhookEndpoint",
        sa.Column("webhookId", sa.Text(), nullable=False),
        sa.Column("tenantId", sa.Text(), nullable=False),
        sa.Column("partnerId", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("secret", sa.Text(), nullable=False),
        sa.Column("events", postgresql.ARRAY(sa.Text())),
        sa.Column("isActive", sa.Boolean(), nullable=False, server_default=sa.text("true")),
        sa.Column("maxRetries", sa.Integer(), nullable=False, server_default=sa.text("3")),
        sa.Column("retryDelay", sa.Integer(), nullable=False, server_default=sa.text("300")),
        sa.Column("lastSuccess", TIMESTAMP3),
        sa.Column("lastFailure", TIMESTAMP3),
        sa.Column("failureCount", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column(
            "createdAt", TIMESTAMP3, nullable=False, server_default=sa.text("CURRENT_TIMESTAMP")
        ),
        sa.Column("updatedAt", TIMESTAMP3, nullable=False),
        sa.PrimaryKeyConstraint("webhookId", name="WebhookEndpoint_pkey"),
    )

    op.create_table(
        "WebhookDelivery",
        sa.Column("deliveryId", sa.Text(), nullable=False),
        sa.Column("tenantId", sa.Text(), nullable=False),
        sa.Column("webhookId", sa.Text(), nullable=False),
        sa.Column("eventType", sa.Text(), nullable=False),
        sa.Column("payload", postgresql.JSONB(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("lastAttempt", TIMESTAMP3),
        sa.Column("success", sa.Boolean(), nullable=False, server_default=sa.text("false")),
        sa.Column("responseCode", sa.Integer()),
        sa.Column("responseBody", sa.Text()),
        sa.Column("error", sa.Text()),
        sa.Column(
            "createdAt", TIMESTAMP3, nullable=False, server_default=sa.text("CURRENT_TIMESTAMP")
        ),
        sa.PrimaryKeyConstraint("deliveryId", name="WebhookDelivery_pkey"),
    )

    op.create_table(
        "FeatureFlag",
        sa.Column("flagId", sa.Text(), nullable=False),
        sa.Column("tenantId", sa.Text(), nullable=False),
        sa.Column("flagKey", sa.Text(), nullable=False),
        sa.Column("isEnabled", sa.Boolean(), nullable=False, server_default=sa.text("false")),
        sa.Column("rolloutPercent", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("targetUserIds", postgresql.ARRAY(sa.Text())),
        sa.Column("targetRoles", postgresql.ARRAY(sa.Text())),
        sa.Column("description", sa.Text()),
        sa.Column(
            "createdAt", TIMESTAMP3, nullable=False, server_default=sa.text("CURRENT_TIMESTAMP")
        ),
        sa.Column("updatedAt", TIMESTAMP3, nullable=False),
        sa.PrimaryKeyConstraint("flagId", name="FeatureFlag_pkey"),
    )

    op.create_table(
        "SystemConfig",
        sa.Column("configKey", sa.Text(), nullable=False),
        sa.Column("tenantId", sa.Text(), nullable=False, server_default=sa.text("'global'::text")),
        sa.Column("configValue", postgresql.JSONB(), nullable=False),
        sa.Column("valueType", sa.Text(), nullable=False),
        sa.Column("description", sa.Text()),
        sa.Column("isSecret", sa.Boolean(), nullable=False, server_default=sa.text("false")),
        sa.Column(
            "createdAt", TIMESTAMP3, nullable=False, server_default=sa.text("CURRENT_TIMESTAMP")
        ),
        sa.Column("updatedAt", TIMESTAMP3, nullable=False),
        sa.PrimaryKeyConstraint("configKey", name="SystemConfig_pkey"),
    )

    op.create_table(
        "HealthCheckMetric",
        sa.Column("metricId", sa.Text(), nullable=False),
        sa.Column("tenantId", sa.Text(), nullable=False, server_default=sa.text("'global'::text")),
        sa.Column("serviceName", sa.Text(), nullable=False),
        sa.Column("metricName", sa.Text(), nullable=False),
        sa.Column("metricValue", sa.Numeric(20, 4), nullable=False),
        sa.Column("unit", sa.Text()),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("threshold", sa.Numeric(20, 4)),
        sa.Column(
            "timestamp", TIMESTAMP3, nullable=False, server_default=sa.text("CURRENT_TIMESTAMP")
        ),
        sa.PrimaryKeyConstraint("metricId", name="HealthCheckMetric_pkey"),
    )

    op.create_index(
        "ApiRateLimit_tenantId_clientId_endpoint_windowStart_key",
        "ApiRateLimit",
        ["tenantId", "clientId", "endpoint", "windowStart"],
        unique=True,
    )
    op.create_index("ApiRateLimit_tenantId_clientId_idx", "ApiRateLimit", ["tenantId", "clientId"])
    op.create_index("ApiRateLimit_windowEnd_idx", "ApiRateLimit", ["windowEnd"])
    op.create_index(
        "WebhookEndpoint_tenantId_partnerId_idx", "WebhookEndpoint", ["tenantId", "partnerId"]
    )
    op.create_index(
        "WebhookEndpoint_tenantId_isActive_idx", "WebhookEndpoint", ["tenantId", "isActive"]
    )
    op.create_index(
        "WebhookDelivery_tenantId_webhookId_createdAt_idx",
        "WebhookDelivery",
        ["tenantId", "webhookId", "createdAt"],
    )
    op.create_index(
        "WebhookDelivery_tenantId_success_idx", "WebhookDelivery", ["tenantId", "success"]
    )
    op.create_index(
        "FeatureFlag_tenantId_flagKey_key", "FeatureFlag", ["tenantId", "flagKey"], unique=True
    )
    op.create_index(
        "FeatureFlag_tenantId_flagKey_isEnabled_idx",
        "FeatureFlag",
        ["tenantId", "flagKey", "isEnabled"],
    )
    op.create_index(
        "SystemConfig_tenantId_configKey_key",
        "SystemConfig",
        ["tenantId", "configKey"],
        unique=True,
    )
    op.create_index("SystemConfig_tenantId_idx", "SystemConfig", ["tenantId"])
    op.create_index(
        "HealthCheckMetric_tenantId_serviceName_metricName_timestamp_idx",
        "HealthCheckMetric",
        ["tenantId", "serviceName", "metricName", "timestamp"],
    )
    op.create_index("HealthCheckMetric_timestamp_idx", "HealthCheckMetric", ["timestamp"])
    op.create_index(
        "HealthCheckMetric_tenantId_status_timestamp_idx",
        "HealthCheckMetric",
        ["tenantId", "status", "timestamp"],
    )

    op.create_foreign_key(
        "WebhookDelivery_webhookId_fkey",
        "WebhookDelivery",
        "WebhookEndpoint",
        ["webhookId"],
        ["webhookId"],
        ondelete="CASCADE",
        onupdate="CASCADE",
    )
    # Last: it locks the existing LicensedPartner against writes until the commit.
    online.execute_with_lock_retries(
        'ALTER TABLE "WebhookEndpoint" ADD CONSTRAINT "WebhookEndpoint_partnerId_fkey" '
        'FOREIGN KEY ("partnerId") REFERENCES "LicensedPartner" ("partnerId") '
        "ON DELETE CASCADE ON UPDATE CASCADE"
    )


def downgrade() -> None:
    _refuse_while_outbox_uses_new_command_types()
    for name, table, _columns in reversed(NEW_INDEXES):
        online.drop_index_concurrently(name, table)

    _refuse_while_outbox_uses_new_command_types()  # rows may have come since the first check
    online.execute_with_lock_retries(
        'ALTER TABLE "WebhookEndpoint" DROP CONSTRAINT "WebhookEndpoint_partnerId_fkey"'
    )
    for table in NEW_TABLES_IN_DROP_ORDER:
        online.execute_with_lock_retries(f'DROP TABLE "{table}"')

    kept = ", ".join(f"'{value}'" for value in COMMAND_TYPES_V2_0)
    op.execute('ALTER TYPE "CommandType" RENAME TO "CommandType_v2_1"')
    op.execute(f'CREATE TYPE "CommandType" AS ENUM ({kept})')
    # Rewrites OutboxCommand under ACCESS EXCLUSIVE: the one blocking step (see above).
    online.execute_with_lock_retries(
        'ALTER TABLE "OutboxCommand" ALTER COLUMN "commandType" TYPE "CommandType" '
        'USING "commandType"::text::"CommandType"'
    )
    op.execute('DROP TYPE "CommandType_v2_1"')


def _refuse_while_outbox_uses_new_command_types() -> None:
    kept = ", ".join(f"'{value}'" for value in COMMAND_TYPES_V2_0)
    op.execute(
        f"""
        DO $$
        DECLARE in_use bigint;
        BEGIN
            SELECT count(*) INTO in_use FROM "OutboxCommand"
            WHERE "commandType"::text NOT IN ({kept});
            IF in_use > 0 THEN
                RAISE EXCEPTION 'cannot downgrade to v2.0: % OutboxCommand rows use command types '
                    'that v2.0 does not have; delete or convert them first', in_use;
            END IF;
        END
        $$
        """
    )
