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
    )

    run_id: Mapped[UuidPk] = mapped_column("runId")
    tenant_id: Mapped[GlobalTenantId] = mapped_column("tenantId")
    from_revision: Mapped[str | None] = mapped_column("fromRevision")
    to_revision: Mapped[str] = mapped_column("toRevision")
    direction: Mapped[str] = mapped_column("direction")
    status: Mapped[str] = mapped_column("status")
    runner: Mapped[str | None] = mapped_column("runner")
    app_version: Mapped[str | None] = mapped_column("appVersion")
    error: Mapped[str | None] = mapped_column("error")
    started_at: Mapped[datetime] = mapped_column(
        "startedAt",
        server_default=default("CURRENT_TIMESTAMP"),
    )
    finished_at: Mapped[datetime | None] = mapped_column("finishedAt")
    duration_ms: Mapped[int | None] = mapped_column("durationMs")


class SeedDataset(Base):
    """A reference-data file applied to the database, by checksum."""

    __tablename__ = "SeedDataset"
    __table_args__ = (
        PrimaryKeyConstraint("datasetId", name="SeedDataset_pkey"),
        Index(
            "SeedDataset_tenantId_name_checksum_key", "tenantId", "name", "checksum", unique=True
        ),
        Index("SeedDataset_tenantId_name_appliedAt_idx", "tenantId", "name", "appliedAt"),
    )

    dataset_id: Mapped[UuidPk] = mapped_column("datasetId")
    tenant_id: Mapped[GlobalTenantId] = mapped_column("tenantId")
    name: Mapped[str] = mapped_column("name")
    version: Mapped[str] = mapped_column("version")
    checksum: Mapped[str] = mapped_column("checksum")
    row_count: Mapped[int] = mapped_column("rowCount")
    applied_by: Mapped[str | None] = mapped_column("appliedBy")
    applied_at: Mapped[datetime] = mapped_column(
        "appliedAt",
        server_default=default("CURRENT_TIMESTAMP"),
    )


class BackupRecord(Base):
    """A pg_dump backup taken by this package, and whether it was verified."""

    __tablename__ = "BackupRecord"
    __table_args__ = (
        PrimaryKeyConstraint("backupId", name="BackupRecord_pkey"),
        Index("BackupRecord_tenantId_kind_startedAt_idx", "tenantId", "kind", "startedAt"),
        Index("BackupRecord_status_startedAt_idx", "status", "startedAt"),
    )

    backup_id: Mapped[UuidPk] = mapped_column("backupId")
    tenant_id: Mapped[GlobalTenantId] = mapped_column("tenantId")
    kind: Mapped[str] = mapped_column("kind")
    target: Mapped[str] = mapped_column("target")
    location: Mapped[str] = mapped_column("location")
    schema_revision: Mapped[str | None] = mapped_column("schemaRevision")
    size_bytes: Mapped[BigInt | None] = mapped_column("sizeBytes")
    checksum: Mapped[str | None] = mapped_column("checksum")
    status: Mapped[str] = mapped_column("status")
    error: Mapped[str | None] = mapped_column("error")
    started_at: Mapped[datetime] = mapped_column(
        "startedAt",
        server_default=default("CURRENT_TIMESTAMP"),
    )
    finished_at: Mapped[datetime | None] = mapped_column("finishedAt")
    verified_at: Mapped[datetime | None] = mapped_column("verifiedAt")
