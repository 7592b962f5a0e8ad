"""Operations: this package's own record of migration runs, seed datasets and backups."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, PrimaryKeyConstraint
from sqlalchemy.orm import Mapped, mapped_column

from gxschema.models.base import Base, BigInt, GlobalTenantId, UuidPk, default


class SchemaMigrationRun(Base):
    """One run of a schema migration by this package (upgrade, downgrade, stamp or adopt)."""

    __tablename__ = "SchemaMigrationRun"
    __table_args__ = (
        PrimaryKeyConstraint("runId", name="SchemaMigrationRun_pkey"),
        Index("SchemaMigrationRun_tenantId_startedAt_idx", "tenantId", "startedAt"),
        Index("SchemaMigrationRun_status_startedAt_idx", "status", "startedAt"),
        {
            "comment": (
                "Every schema migration run by gxschema (upgrade, downgrade, "
                "stamp or adopt) with its outcome; written by gxschema migrate "
                "and gxschema adopt."
            )
        },
    )

    run_id: Mapped[UuidPk] = mapped_column("runId")
    tenant_id: Mapped[GlobalTenantId] = mapped_column("tenantId")
    from_revision: Mapped[str | None] = mapped_column(
        "fromRevision", comment="Alembic revision before the run; NULL for an empty database."
    )
    to_revision: Mapped[str] = mapped_column(
        "toRevision",
        comment=(
            "Alembic revision the run aimed at, or reached when it ended "
            "(base after a full downgrade)."
        ),
    )
    direction: Mapped[str] = mapped_column(
        "direction", comment="upgrade, downgrade, stamp or adopt."
    )
    status: Mapped[str] = mapped_column("status", comment="running, succeeded or failed.")
    runner: Mapped[str | None] = mapped_column(
        "runner", comment="Who ran it: the pod name (POD_NAME or HOSTNAME) or the host name."
    )
    app_version: Mapped[str | None] = mapped_column(
        "appVersion", comment="gxschema version that ran it."
    )
    error: Mapped[str | None] = mapped_column(
        "error", comment="One-line error of a failed run, passwords redacted."
    )
    started_at: Mapped[datetime] = mapped_column(
        "startedAt",
        server_default=default("CURRENT_TIMESTAMP"),
        comment="When the run started.",
    )
    finished_at: Mapped[datetime | None] = mapped_column(
        "finishedAt", comment="When the run ended; NULL while running."
    )
    duration_ms: Mapped[int | None] = mapped_column(
        "durationMs", comment="Duration of the run in milliseconds."
    )


class SeedDataset(Base):
    """A reference-data file applied to the database, by checksum."""

    __tablename__ = "SeedDataset"
    __table_args__ = (
        PrimaryKeyConstraint("datasetId", name="SeedDataset_pkey"),
        Index(
            "SeedDataset_tenantId_name_checksum_key", "tenantId", "name", "checksum", unique=True
        ),
        Index("SeedDataset_tenantId_name_appliedAt_idx", "tenantId", "name", "appliedAt"),
        {
            "comment": (
                "Reference-data files applied by gxschema seed, recorded by "
                "content checksum; a new row each time a dataset's content "
                "changes."
            )
        },
    )

    dataset_id: Mapped[UuidPk] = mapped_column("datasetId")
    tenant_id: Mapped[GlobalTenantId] = mapped_column("tenantId")
    name: Mapped[str] = mapped_column(
        "name", comment="Dataset name (countries, system_config, feature_flags, demo)."
    )
    version: Mapped[str] = mapped_column("version", comment="Version the seed file declares.")
    checksum: Mapped[str] = mapped_column("checksum", comment="SHA-256 of the dataset's content.")
    row_count: Mapped[int] = mapped_column("rowCount", comment="Rows in the dataset.")
    applied_by: Mapped[str | None] = mapped_column(
        "appliedBy", comment="Who applied it (pod or host name)."
    )
    applied_at: Mapped[datetime] = mapped_column(
        "appliedAt",
        server_default=default("CURRENT_TIMESTAMP"),
        comment="When it was applied.",
    )


class BackupRecord(Base):
    """A pg_dump backup taken by this package, and whether it was verified."""

    __tablename__ = "BackupRecord"
    __table_args__ = (
        PrimaryKeyConstraint("backupId", name="BackupRecord_pkey"),
        Index("BackupRecord_tenantId_kind_startedAt_idx", "tenantId", "kind", "startedAt"),
        Index("BackupRecord_status_startedAt_idx", "status", "startedAt"),
        {
            "comment": (
                "pg_dump backups taken by gxschema backup: where each is, its "
                "checksum, and when a restore test verified it."
            )
        },
    )

    backup_id: Mapped[UuidPk] = mapped_column("backupId")
    tenant_id: Mapped[GlobalTenantId] = mapped_column("tenantId")
    kind: Mapped[str] = mapped_column("kind", comment="scheduled, manual or pre-migration.")
    target: Mapped[str] = mapped_column(
        "target", comment="Database dumped, as user@host:port/database (never a password)."
    )
    location: Mapped[str] = mapped_column("location", comment="Path of the dump file.")
    schema_revision: Mapped[str | None] = mapped_column(
        "schemaRevision", comment="Alembic revision of the database when it was dumped."
    )
    size_bytes: Mapped[BigInt | None] = mapped_column(
        "sizeBytes", comment="Size of the dump in bytes."
    )
    checksum: Mapped[str | None] = mapped_column(
        "checksum", comment="SHA-256 of the dump file (also in its .sha256 file)."
    )
    status: Mapped[str] = mapped_column("status", comment="running, succeeded, failed or pruned.")
    error: Mapped[str | None] = mapped_column("error", comment="Why the backup failed.")
    started_at: Mapped[datetime] = mapped_column(
        "startedAt",
        server_default=default("CURRENT_TIMESTAMP"),
        comment="When the backup started.",
    )
    finished_at: Mapped[datetime | None] = mapped_column(
        "finishedAt", comment="When the backup ended."
    )
    verified_at: Mapped[datetime | None] = mapped_column(
        "verifiedAt",
        comment=(
            "When a restore test last restored the dump and found the same "
            "row counts; NULL if never."
        ),
    )
