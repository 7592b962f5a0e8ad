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
        {
            "comment": (
                "Transactional outbox: commands the services write in their own "
                "transaction and a worker submits to the chaincode, idempotent "
                "by requestId."
            )
        },
    )

    id: Mapped[CuidPk] = mapped_column("id")
    tenant_id: Mapped[TenantId] = mapped_column("tenantId")
    service: Mapped[str] = mapped_column("service", comment="Service that wrote the command.")
    command_type: Mapped[CommandType] = mapped_column(
        "commandType", comment="Chaincode command to submit."
    )
    request_id: Mapped[str] = mapped_column(
        "requestId", comment="Idempotency key of the request; unique per tenant."
    )
    payload: Mapped[Json] = mapped_column(
        "payload", nullable=False, comment="Arguments of the command, as JSON."
    )
    status: Mapped[OutboxStatus] = mapped_column(
        "status",
        server_default=default("'PENDING'::\"OutboxStatus\""),
        comment="Lifecycle: PENDING, LOCKED by a worker, SUBMITTED, then COMMITTED or FAILED.",
    )
    attempts: Mapped[int] = mapped_column(
        "attempts", server_default=default("0"), comment="Submission attempts so far."
    )
    locked_by: Mapped[str | None] = mapped_column(
        "lockedBy", comment="Worker holding the command while it submits it."
    )
    locked_at: Mapped[datetime | None] = mapped_column(
        "lockedAt", comment="When the worker took it."
    )
    submitted_at: Mapped[datetime | None] = mapped_column(
        "submittedAt", comment="When it was submitted to the chain."
    )
    fabric_tx_id: Mapped[str | None] = mapped_column(
        "fabricTxId", comment="Fabric transaction id of the submission."
    )
    commit_block: Mapped[BigInt | None] = mapped_column(
        "commitBlock", comment="Block that committed the transaction."
    )
    error_code: Mapped[str | None] = mapped_column(
        "errorCode", comment="Machine-readable code of the last error."
    )
    error: Mapped[str | None] = mapped_column("error", comment="Message of the last error.")
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
        {
            "comment": (
                "Checkpoints of the projectors: how far each has read a "
                "channel's block stream, per tenant."
            )
        },
    )

    tenant_id: Mapped[TenantId] = mapped_column("tenantId", primary_key=True)
    projector_name: Mapped[str] = mapped_column(
        "projectorName", primary_key=True, comment="Name of the projector."
    )
    channel: Mapped[str] = mapped_column(
        "channel", primary_key=True, comment="Fabric channel it reads."
    )
    last_block: Mapped[BigInt] = mapped_column("lastBlock", comment="Last block fully projected.")
    last_event_index: Mapped[int] = mapped_column(
        "lastEventIndex", comment="Index of the last event projected within lastBlock."
    )
    updated_at: Mapped[UpdatedAt] = mapped_column("updatedAt")


class HttpIdempotency(Base):
    """A stored HTTP response, replayed for a repeated idempotent request."""

    __tablename__ = "HttpIdempotency"
    __table_args__ = (
        PrimaryKeyConstraint("tenantId", "method", "path", "bodyHash", name="HttpIdempotency_pkey"),
        Index("HttpIdempotency_ttlExpiresAt_idx", "ttlExpiresAt"),
        {
            "comment": (
                "Stored HTTP responses, replayed when the same request (tenant, "
                "method, path, body) comes again; rows expire after "
                "idempotencyTTLHours."
            )
        },
    )

    tenant_id: Mapped[TenantId] = mapped_column("tenantId", primary_key=True)
    method: Mapped[str] = mapped_column(
        "method", primary_key=True, comment="HTTP method of the request."
    )
    path: Mapped[str] = mapped_column("path", primary_key=True, comment="Path of the request.")
    body_hash: Mapped[str] = mapped_column(
        "bodyHash", primary_key=True, comment="Hash of the request body."
    )
    response_body: Mapped[Json] = mapped_column(
        "responseBody", nullable=False, comment="The response body replayed, as JSON."
    )
    response_headers: Mapped[Json | None] = mapped_column(
        "responseHeaders", nullable=True, comment="The response headers replayed, as JSON."
    )
    status_code: Mapped[int] = mapped_column(
        "statusCode", comment="HTTP status code of the response."
    )
    created_at: Mapped[CreatedAt] = mapped_column("createdAt")
    ttl_expires_at: Mapped[datetime | None] = mapped_column(
        "ttlExpiresAt", comment="When the row expires and may be deleted."
    )


class EventLog(Base):
    """A chaincode event, ingested once."""

    __tablename__ = "EventLog"
    __table_args__ = (
        PrimaryKeyConstraint("id", name="EventLog_pkey"),
        Index("EventLog_tenantId_blockNumber_idx", "tenantId", "blockNumber"),
        Index("EventLog_fabricTxId_idx", "fabricTxId"),
        Index("EventLog_tenantId_eventName_idx", "tenantId", "eventName"),
        {"comment": "Chaincode events, ingested once each; append-only."},
    )

    id: Mapped[CuidPk] = mapped_column("id")
    tenant_id: Mapped[TenantId] = mapped_column("tenantId")
    fabric_tx_id: Mapped[str] = mapped_column(
        "fabricTxId", comment="Fabric transaction that emitted the event."
    )
    block_number: Mapped[BigInt] = mapped_column(
        "blockNumber", comment="Block of that transaction."
    )
    channel: Mapped[str] = mapped_column("channel", comment="Fabric channel.")
    chaincode: Mapped[str] = mapped_column("chaincode", comment="Chaincode that emitted the event.")
    event_name: Mapped[str] = mapped_column("eventName", comment="Name of the event.")
    event_version: Mapped[str] = mapped_column(
        "eventVersion", comment="Version of the event's payload schema."
    )
    payload: Mapped[Json] = mapped_column(
        "payload", nullable=False, comment="The event's payload, as JSON."
    )
    tx_timestamp: Mapped[datetime] = mapped_column(
        "txTimestamp", comment="Timestamp of the transaction on chain."
    )
    ingested_at: Mapped[datetime] = mapped_column(
        "ingestedAt",
        server_default=default("CURRENT_TIMESTAMP"),
        comment="When the event was stored.",
    )


class EventDLQ(Base):
    """A chaincode event that could not be processed (dead-letter queue)."""

    __tablename__ = "EventDLQ"
    __table_args__ = (
        PrimaryKeyConstraint("id", name="EventDLQ_pkey"),
        Index("EventDLQ_tenantId_createdAt_idx", "tenantId", "createdAt"),
        {
            "comment": (
                "Dead-letter queue: chaincode events that could not be "
                "processed, kept with the reason for a later retry or "
                "inspection."
            )
        },
    )

    id: Mapped[CuidPk] = mapped_column("id")
    tenant_id: Mapped[TenantId] = mapped_column("tenantId")
    reason: Mapped[str] = mapped_column("reason", comment="Why the event could not be processed.")
    raw_payload: Mapped[Json] = mapped_column(
        "rawPayload", nullable=False, comment="The event as received, as JSON."
    )
    fabric_tx_id: Mapped[str | None] = mapped_column(
        "fabricTxId", comment="Fabric transaction of the event, if known."
    )
    block_number: Mapped[BigInt | None] = mapped_column(
        "blockNumber", comment="Block of the event, if known."
    )
    channel: Mapped[str | None] = mapped_column("channel", comment="Fabric channel, if known.")
    chaincode: Mapped[str | None] = mapped_column("chaincode", comment="Chaincode, if known.")
    created_at: Mapped[CreatedAt] = mapped_column("createdAt")
