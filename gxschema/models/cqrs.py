"""CQRS and events: the command outbox, projector checkpoints, HTTP idempotency, event log."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Index, PrimaryKeyConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gxschema.models.base import Base, BigInt, CreatedAt, CuidPk, Json, TenantId, UpdatedAt, default
from gxschema.models.enums import CommandType, OutboxStatus

if TYPE_CHECKING:
    from gxschema.models.business import TransactionApproval


class OutboxCommand(Base):
    """A command to submit to the chaincode (transactional outbox)."""

    __tablename__ = "OutboxCommand"
    __table_args__ = (
        PrimaryKeyConstraint("id", name="OutboxCommand_pkey"),
        Index("OutboxCommand_tenantId_requestId_key", "tenantId", "requestId", unique=True),
        Index("OutboxCommand_status_createdAt_idx", "status", "createdAt"),
        Index("OutboxCommand_tenantId_status_idx", "tenantId", "status"),
        Index("OutboxCommand_fabricTxId_idx", "fabricTxId"),
    )

    id: Mapped[CuidPk] = mapped_column("id")
    tenant_id: Mapped[TenantId] = mapped_column("tenantId")
    service: Mapped[str] = mapped_column("service")
    command_type: Mapped[CommandType] = mapped_column("commandType")
    request_id: Mapped[str] = mapped_column("requestId")
    payload: Mapped[Json] = mapped_column("payload", nullable=False)
    status: Mapped[OutboxStatus] = mapped_column(
        "status",
        server_default=default("'PENDING'::\"OutboxStatus\""),
    )
    attempts: Mapped[int] = mapped_column("attempts", server_default=default("0"))
    locked_by: Mapped[str | None] = mapped_column("lockedBy")
    locked_at: Mapped[datetime | None] = mapped_column("lockedAt")
    submitted_at: Mapped[datetime | None] = mapped_column("submittedAt")
    fabric_tx_id: Mapped[str | None] = mapped_column("fabricTxId")
    commit_block: Mapped[BigInt | None] = mapped_column("commitBlock")
    error_code: Mapped[str | None] = mapped_column("errorCode")
    error: Mapped[str | None] = mapped_column("error")
    created_at: Mapped[CreatedAt] = mapped_column("createdAt")
    updated_at: Mapped[UpdatedAt] = mapped_column("updatedAt")

    approvals: Mapped[list[TransactionApproval]] = relationship(
        back_populates="outbox_command",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class ProjectorState(Base):
    """How far a projector has read a channel's block stream (checkpoint)."""

    __tablename__ = "ProjectorState"
    __table_args__ = (
        PrimaryKeyConstraint("tenantId", "projectorName", "channel", name="ProjectorState_pkey"),
    )

    tenant_id: Mapped[TenantId] = mapped_column("tenantId", primary_key=True)
    projector_name: Mapped[str] = mapped_column("projectorName", primary_key=True)
    channel: Mapped[str] = mapped_column("channel", primary_key=True)
    last_block: Mapped[BigInt] = mapped_column("lastBlock")
    last_event_index: Mapped[int] = mapped_column("lastEventIndex")
    updated_at: Mapped[UpdatedAt] = mapped_column("updatedAt")


class HttpIdempotency(Base):
    """A stored HTTP response, replayed for a repeated idempotent request."""

    __tablename__ = "HttpIdempotency"
    __table_args__ = (
        PrimaryKeyConstraint("tenantId", "method", "path", "bodyHash", name="HttpIdempotency_pkey"),
        Index("HttpIdempotency_ttlExpiresAt_idx", "ttlExpiresAt"),
    )

    tenant_id: Mapped[TenantId] = mapped_column("tenantId", primary_key=True)
    method: Mapped[str] = mapped_column("method", primary_key=True)
    path: Mapped[str] = mapped_column("path", primary_key=True)
    body_hash: Mapped[str] = mapped_column("bodyHash", primary_key=True)
    response_body: Mapped[Json] = mapped_column("responseBody", nullable=False)
    response_headers: Mapped[Json | None] = mapped_column("responseHeaders", nullable=True)
    status_code: Mapped[int] = mapped_column("statusCode")
    created_at: Mapped[CreatedAt] = mapped_column("createdAt")
    ttl_expires_at: Mapped[datetime | None] = mapped_column("ttlExpiresAt")


class EventLog(Base):
    """A chaincode event, ingested once."""

    __tablename__ = "EventLog"
    __table_args__ = (
        PrimaryKeyConstraint("id", name="EventLog_pkey"),
        Index("EventLog_tenantId_blockNumber_idx", "tenantId", "blockNumber"),
        Index("EventLog_fabricTxId_idx", "fabricTxId"),
        Index("EventLog_tenantId_eventName_idx", "tenantId", "eventName"),
    )

    id: Mapped[CuidPk] = mapped_column("id")
    tenant_id: Mapped[TenantId] = mapped_column("tenantId")
    fabric_tx_id: Mapped[str] = mapped_column("fabricTxId")
    block_number: Mapped[BigInt] = mapped_column("blockNumber")
    channel: Mapped[str] = mapped_column("channel")
    chaincode: Mapped[str] = mapped_column("chaincode")
    event_name: Mapped[str] = mapped_column("eventName")
    event_version: Mapped[str] = mapped_column("eventVersion")
    payload: Mapped[Json] = mapped_column("payload", nullable=False)
    tx_timestamp: Mapped[datetime] = mapped_column("txTimestamp")
    ingested_at: Mapped[datetime] = mapped_column(
        "ingestedAt",
        server_default=default("CURRENT_TIMESTAMP"),
    )


class EventDLQ(Base):
    """A chaincode event that could not be processed (dead-letter queue)."""

    __tablename__ = "EventDLQ"
    __table_args__ = (
        PrimaryKeyConstraint("id", name="EventDLQ_pkey"),
        Index("EventDLQ_tenantId_createdAt_idx", "tenantId", "createdAt"),
    )

    id: Mapped[CuidPk] = mapped_column("id")
    tenant_id: Mapped[TenantId] = mapped_column("tenantId")
    reason: Mapped[str] = mapped_column("reason")
    raw_payload: Mapped[Json] = mapped_column("rawPayload", nullable=False)
    fabric_tx_id: Mapped[str | None] = mapped_column("fabricTxId")
    block_number: Mapped[BigInt | None] = mapped_column("blockNumber")
    channel: Mapped[str | None] = mapped_column("channel")
    chaincode: Mapped[str | None] = mapped_column("chaincode")
    created_at: Mapped[CreatedAt] = mapped_column("createdAt")
