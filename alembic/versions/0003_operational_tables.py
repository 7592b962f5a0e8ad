"""The operational tables of gxschema: migration runs, seed datasets, backups.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28

Not part of the GX Protocol schema v2.1: gxschema records here what it did to the
database. Their kind/status columns are text holding a small fixed vocabulary
(SchemaMigrationRun.direction: upgrade, downgrade, stamp, adopt; status: running,
succeeded, failed; BackupRecord.status: running, succeeded, failed, pruned).

Locks (measured from ``pg_locks`` inside the revision's transaction, PostgreSQL 15):
only the three new tables and their indexes, ACCESS EXCLUSIVE until the commit;
no existing table is locked, so the services' reads and writes never wait on it.
The downgrade drops the three tables (ACCESS EXCLUSIVE on them only), which the
services do not use; a ``gxschema status`` reading them waits until the commit.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIMESTAMP3 = postgresql.TIMESTAMP(timezone=True, precision=3)
"""Prisma's DateTime: timestamp(3) with time zone."""

TABLES = ["SchemaMigrationRun", "SeedDataset", "BackupRecord"]


def upgrade() -> None:
    op.create_table(
        "SchemaMigrationRun",
        sa.Column("runId", sa.Text(), nullable=False),
        sa.Column("tenantId", sa.Text(), nullable=False, server_default=sa.text("'global'::text")),
        sa.Column("fromRevision", sa.Text()),
        sa.Column("toRevision", sa.Text(), nullable=False),
        sa.Column("direction", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("runner", sa.Text()),
        sa.Column("appVersion", sa.Text()),
        sa.Column("error", sa.Text()),
        sa.Column(
            "startedAt", TIMESTAMP3, nullable=False, server_default=sa.text("CURRENT_TIMESTAMP")
        ),
        sa.Column("finishedAt", TIMESTAMP3),
        sa.Column("durationMs", sa.Integer()),
        sa.PrimaryKeyConstraint("runId", name="SchemaMigrationRun_pkey"),
    )

    op.create_table(
        "SeedDataset",
        sa.Column("datasetId", sa.Text(), nullable=False),
        sa.Column("tenantId", sa.Text(), nullable=False, server_default=sa.text("'global'::text")),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("version", sa.Text(), nullable=False),
        sa.Column("checksum", sa.Text(), nullable=False),
        sa.Column("rowCount", sa.Integer(), nullable=False),
        sa.Column("appliedBy", sa.Text()),
        sa.Column(
            "appliedAt", TIMESTAMP3, nullable=False, server_default=sa.text("CURRENT_TIMESTAMP")
        ),
        sa.PrimaryKeyConstraint("datasetId", name="SeedDataset_pkey"),
    )

    op.create_table(
        "BackupRecord",
        sa.Column("backupId", sa.Text(), nullable=False),
        sa.Column("tenantId", sa.Text(), nullable=False, server_default=sa.text("'global'::text")),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("location", sa.Text(), nullable=False),
        sa.Column("schemaRevision", sa.Text()),
        sa.Column("sizeBytes", sa.BigInteger()),
        sa.Column("checksum", sa.Text()),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("error", sa.Text()),
        sa.Column(
            "startedAt", TIMESTAMP3, nullable=False, server_default=sa.text("CURRENT_TIMESTAMP")
        ),
        sa.Column("finishedAt", TIMESTAMP3),
        sa.Column("verifiedAt", TIMESTAMP3),
        sa.PrimaryKeyConstraint("backupId", name="BackupRecord_pkey"),
    )

    op.create_index(
        "SchemaMigrationRun_tenantId_startedAt_idx", "SchemaMigrationRun", ["tenantId", "startedAt"]
    )
    op.create_index(
        "SchemaMigrationRun_status_startedAt_idx", "SchemaMigrationRun", ["status", "startedAt"]
    )
    op.create_index(
        "SeedDataset_tenantId_name_checksum_key",
        "SeedDataset",
        ["tenantId", "name", "checksum"],
        unique=True,
    )
    op.create_index(
        "SeedDataset_tenantId_name_appliedAt_idx", "SeedDataset", ["tenantId", "name", "appliedAt"]
    )
    op.create_index(
        "BackupRecord_tenantId_kind_startedAt_idx",
        "BackupRecord",
        ["tenantId", "kind", "startedAt"],
    )
    op.create_index("BackupRecord_status_startedAt_idx", "BackupRecord", ["status", "startedAt"])


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
