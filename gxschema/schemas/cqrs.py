"""Schemas of the command outbox."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from gxschema.models import OutboxCommand
from gxschema.models.enums import CommandType, OutboxStatus
from gxschema.schemas.base import CreateSchema, ReadSchema
from gxschema.schemas.types import JsonObject, NonEmptyText


class OutboxCommandCreate(CreateSchema):
    """A command to submit (`gxschema.cqrs.outbox.enqueue` takes the same fields)."""

    tenant_id: NonEmptyText
    service: NonEmptyText
    command_type: CommandType
    request_id: NonEmptyText
    payload: JsonObject

    def to_model(self) -> OutboxCommand:
        return OutboxCommand(**self.column_values(), status=OutboxStatus.PENDING, attempts=0)


class OutboxCommandRead(ReadSchema):
    id: str
    tenant_id: str
    service: str
    command_type: CommandType
    request_id: str
    payload: dict[str, Any]
    status: OutboxStatus
    attempts: int
    locked_by: str | None
    locked_at: datetime | None
    submitted_at: datetime | None
    fabric_tx_id: str | None
    commit_block: int | None
    error_code: str | None
    error: str | None
    created_at: datetime
    updated_at: datetime
