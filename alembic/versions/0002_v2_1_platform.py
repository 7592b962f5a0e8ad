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

The downgrade cannot drop enum values (PostgreSQL has no such statement): it
recreates `CommandType` with its two v2.0 values and converts the column, and
refuses while any OutboxCommand row uses one of the values it would remove.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

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

    for name, table, columns in NEW_INDEXES:
        op.create_index(name, table, columns)

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
        "WebhookEndpoint_partnerId_fkey",
        "WebhookEndpoint",
        "LicensedPartner",
        ["partnerId"],
        ["partnerId"],
        ondelete="CASCADE",
        onupdate="CASCADE",
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


def downgrade() -> None:
    for table in NEW_TABLES_IN_DROP_ORDER:
        op.drop_table(table)
    for name, table, _columns in reversed(NEW_INDEXES):
        op.drop_index(name, table_name=table)

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
    op.execute('ALTER TYPE "CommandType" RENAME TO "CommandType_v2_1"')
    op.execute(f'CREATE TYPE "CommandType" AS ENUM ({kept})')
    op.execute(
        'ALTER TABLE "OutboxCommand" ALTER COLUMN "commandType" TYPE "CommandType" '
        'USING "commandType"::text::"CommandType"'
    )
    op.execute('DROP TYPE "CommandType_v2_1"')
