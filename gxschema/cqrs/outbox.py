"""The transactional outbox (``OutboxCommand``): enqueue, claim, and record the outcome.

    from gxschema.cqrs import outbox

    # in the request's transaction, with the business rows:
    outbox.enqueue(session, tenant_id=t, service="svc-identity",
                   command_type=CommandType.CREATE_USER, request_id=req_id, payload={...})

    # in the worker, one short transaction per batch:
    for command in outbox.claim(session, worker_id, limit=10):
        ...
    session.commit()

Lifecycle::

    PENDING --claim--> LOCKED --mark_submitted--> SUBMITTED --mark_committed--> COMMITTED
               ^          |                           |
               |          +--mark_failed / release_stale (attempts < max)--> PENDING
               |          +--mark_failed / release_stale (attempts >= max)--> FAILED

- `enqueue` is idempotent on (tenantId, requestId): a repeat (even a concurrent one)
  returns the command already there and changes nothing (its payload is not
  compared).
- `claim` takes PENDING commands oldest first (by ``createdAt``, which the index
  on (status, createdAt) serves without sorting the queue; ties in no set order) with
  ``FOR UPDATE SKIP LOCKED`` and marks them LOCKED (``lockedBy``, ``lockedAt``) in
  the same statement; concurrent workers never get the same command. Each claim
  counts one attempt (``attempts``), so a command that keeps crashing its workers
  is failed by `release_stale` too.
- ``mark_*`` change a command only from the state it is expected in and only while
  it is still held the way the caller saw it (same ``lockedBy``); otherwise they
  raise `OutboxStateError` and change nothing. A worker whose lock was released as
  stale therefore cannot overwrite the next worker's outcome.
- `mark_failed` sends the command back to PENDING for another attempt, or to FAILED
  once it has had `max_attempts` attempts (default `DEFAULT_MAX_ATTEMPTS`) or when
  the failure is not retryable.
- `release_stale` frees commands LOCKED longer than a given age (crashed workers).
  SUBMITTED commands are never released: they are on the ledger already.

Nothing here commits.
"""

from __future__ import annotations

import typing
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, Final

from sqlalchemy import CursorResult, Integer, Table, bindparam, case, cast, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from gxschema.models import OutboxCommand
from gxschema.models.base import utcnow
from gxschema.models.enums import CommandType, OutboxStatus

DEFAULT_MAX_ATTEMPTS: Final = 5
STALE_ERROR: Final = "the worker's lock expired (release_stale)"


class OutboxStateError(RuntimeError):
    """A command is not in the state (or not held by the worker) a transition needs."""


def enqueue(
    session: Session,
    *,
    tenant_id: str,
    service: str,
    command_type: CommandType | str,
    request_id: str,
    payload: dict[str, Any],
) -> OutboxCommand:
    """A new PENDING command, or the one already there for (`tenant_id`, `request_id`)."""
    kind = CommandType(command_type)  # ValueError for an unknown command type
    now = utcnow()
    inserted = session.scalars(
        pg_insert(OutboxCommand)
        .values(
            tenant_id=tenant_id,
            service=service,
            command_type=kind,
            request_id=request_id,
            payload=payload,
            status=OutboxStatus.PENDING,
            attempts=0,
            updated_at=now,
        )
        .on_conflict_do_nothing(index_elements=["tenantId", "requestId"])
        .returning(OutboxCommand),
    ).one_or_none()
    if inserted is not None:
        return inserted
    return session.scalars(
        select(OutboxCommand).where(
            OutboxCommand.tenant_id == tenant_id, OutboxCommand.request_id == request_id
        )
    ).one()


def _claim_statement() -> Any:
    table = typing.cast(Table, OutboxCommand.__table__)
    picked = (
        select(table.c.id)
        .where(table.c.status == OutboxStatus.PENDING)
        .order_by(table.c.createdAt)  # served by "OutboxCommand_status_createdAt_idx"
        .limit(bindparam("limit", type_=Integer))
        .with_for_update(skip_locked=True)
        .cte("picked")
    )
    locked = (
        update(table)
        .where(table.c.id == picked.c.id)
        .values(
            status=OutboxStatus.LOCKED,
            lockedBy=bindparam("worker_id"),
            lockedAt=bindparam("now"),
            attempts=table.c.attempts + 1,
            updatedAt=bindparam("now"),
        )
        .returning(*table.c)
    )
    # A Core UPDATE loaded as entities: cheaper than an ORM-enabled UPDATE ... RETURNING.
    return select(OutboxCommand).from_statement(locked).execution_options(populate_existing=True)


CLAIM: Final = _claim_statement()
"""The statement of `claim`, built once (parameters ``limit``, ``worker_id``, ``now``)::

    WITH picked AS (SELECT id FROM "OutboxCommand" WHERE status = 'PENDING'
                    ORDER BY "createdAt" LIMIT :limit FOR UPDATE SKIP LOCKED)
    UPDATE "OutboxCommand" SET status = 'LOCKED', "lockedBy" = :worker_id,
           "lockedAt" = :now, attempts = attempts + 1, "updatedAt" = :now
    FROM picked WHERE "OutboxCommand".id = picked.id RETURNING "OutboxCommand".*
"""


def claim(
    session: Session, worker_id: str, limit: int = 10, *, now: datetime | None = None
) -> list[OutboxCommand]:
    """Up to `limit` PENDING commands, oldest first, now LOCKED by `worker_id`.

    The list is sorted by (``createdAt``, ``id``).
    """
    if limit < 1:
        return []
    current = now or utcnow()
    claimed = session.scalars(CLAIM, {"limit": limit, "worker_id": worker_id, "now": current})
    return sorted(claimed, key=lambda command: (command.created_at, command.id))


def _transition(
    session: Session,
    command: OutboxCommand,
    expected: Iterable[OutboxStatus],
    values: dict[str, Any],
) -> OutboxCommand:
    allowed = tuple(expected)
    seen_status, seen_holder = command.status, command.locked_by
    if seen_status not in allowed:
        raise OutboxStateError(f"command {command.id} is {seen_status}, not {' or '.join(allowed)}")
    changed = session.scalars(
        update(OutboxCommand)
        .where(
            OutboxCommand.id == command.id,
            OutboxCommand.status == seen_status,
            OutboxCommand.locked_by.is_not_distinct_from(seen_holder),
        )
        .values(updated_at=values.pop("updated_at", utcnow()), **values)
        .returning(OutboxCommand)
        .execution_options(synchronize_session=False, populate_existing=True)
    ).one_or_none()
    if changed is None:
        raise OutboxStateError(
            f"command {command.id} changed since it was read (it was {seen_status}"
            f"{f' held by {seen_holder}' if seen_holder else ''}): not overwriting"
        )
    return changed


def mark_submitted(
    session: Session,
    command: OutboxCommand,
    *,
    fabric_tx_id: str | None = None,
    now: datetime | None = None,
) -> OutboxCommand:
    """LOCKED -> SUBMITTED: sent to the ledger, with its transaction id if known."""
    current = now or utcnow()
    return _transition(
        session,
        command,
        (OutboxStatus.LOCKED,),
        {
            "status": OutboxStatus.SUBMITTED,
            "submitted_at": current,
            "fabric_tx_id": fabric_tx_id,
            "updated_at": current,
        },
    )


def mark_committed(
    session: Session,
    command: OutboxCommand,
    *,
    commit_block: int | None = None,
    fabric_tx_id: str | None = None,
    now: datetime | None = None,
) -> OutboxCommand:
    """SUBMITTED (or LOCKED) -> COMMITTED: the ledger committed it, in `commit_block`."""
    values: dict[str, Any] = {
        "status": OutboxStatus.COMMITTED,
        "commit_block": commit_block,
        "error": None,
        "error_code": None,
        "updated_at": now or utcnow(),
    }
    if fabric_tx_id is not None:
        values["fabric_tx_id"] = fabric_tx_id
    return _transition(session, command, (OutboxStatus.SUBMITTED, OutboxStatus.LOCKED), values)


def mark_failed(
    session: Session,
    command: OutboxCommand,
    *,
    error: str,
    error_code: str | None = None,
    retryable: bool = True,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    now: datetime | None = None,
) -> OutboxCommand:
    """LOCKED or SUBMITTED -> PENDING (another attempt) or FAILED (attempts used up).

    FAILED when `retryable` is false or the command has had `max_attempts` attempts.
    The lock is cleared either way; `error` and `error_code` are kept.
    """
    final = not retryable or command.attempts >= max_attempts
    return _transition(
        session,
        command,
        (OutboxStatus.LOCKED, OutboxStatus.SUBMITTED),
        {
            "status": OutboxStatus.FAILED if final else OutboxStatus.PENDING,
            "locked_by": None,
            "locked_at": None,
            "error": error,
            "error_code": error_code,
            "updated_at": now or utcnow(),
        },
    )


def release_stale(
    session: Session,
    older_than: datetime | timedelta,
    *,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    now: datetime | None = None,
) -> int:
    """Free commands LOCKED before `older_than` (a time, or an age before `now`).

    Each goes back to PENDING, or to FAILED if it has had `max_attempts` attempts.
    Returns how many were released.
    """
    current = now or utcnow()
    cutoff = current - older_than if isinstance(older_than, timedelta) else older_than
    exhausted = OutboxCommand.attempts >= max_attempts
    result = session.execute(
        update(OutboxCommand)
        .where(OutboxCommand.status == OutboxStatus.LOCKED, OutboxCommand.locked_at < cutoff)
        .values(
            status=cast(
                case((exhausted, OutboxStatus.FAILED.value), else_=OutboxStatus.PENDING.value),
                OutboxCommand.status.type,
            ),
            error=case((exhausted, STALE_ERROR), else_=OutboxCommand.error),
            locked_by=None,
            locked_at=None,
            updated_at=current,
        )
        .execution_options(synchronize_session="fetch")
    )
    return typing.cast("CursorResult[Any]", result).rowcount


def counts(session: Session, *, tenant_id: str | None = None) -> dict[OutboxStatus, int]:
    """How many commands are in each status (of `tenant_id`, or of every tenant)."""
    statement = select(OutboxCommand.status, func.count()).group_by(OutboxCommand.status)
    if tenant_id is not None:
        statement = statement.where(OutboxCommand.tenant_id == tenant_id)
    found = {status: 0 for status in OutboxStatus}
    for status, number in session.execute(statement):
        found[status] = number
    return found
