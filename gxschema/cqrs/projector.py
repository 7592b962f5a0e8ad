"""Projector checkpoints (``ProjectorState``): how far a projector has read a channel.

    from gxschema.cqrs import projector

    start = projector.load(session, "wallets", "gxchannel", tenant_id=t)  # None at first
    ... apply block 812, events 0..3 ...
    projector.save(session, "wallets", "gxchannel", block=812, event_index=3, tenant_id=t)
    session.commit()   # with the projected rows, in the same transaction

A checkpoint is the position (``lastBlock``, ``lastEventIndex``) of the last event
applied. It never moves backwards: `save` with a position before the stored one
raises `CheckpointRegressionError` and changes nothing (a stale or duplicated
projector run must not make the next one replay events). Saving the same position
again is allowed and only touches ``updatedAt``. The comparison happens in the
upsert itself, so two concurrent savers cannot move it back either.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Final

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from gxschema.models import ProjectorState
from gxschema.models.base import utcnow

_SAVE: Final = text(
    """INSERT INTO "ProjectorState"
       ("tenantId", "projectorName", "channel", "lastBlock", "lastEventIndex", "updatedAt")
       VALUES (:tenant_id, :projector_name, :channel, :block, :event_index, :now)
       ON CONFLICT ("tenantId", "projectorName", "channel") DO UPDATE
       SET "lastBlock" = EXCLUDED."lastBlock",
           "lastEventIndex" = EXCLUDED."lastEventIndex",
           "updatedAt" = EXCLUDED."updatedAt"
       WHERE ("ProjectorState"."lastBlock", "ProjectorState"."lastEventIndex")
             <= (EXCLUDED."lastBlock", EXCLUDED."lastEventIndex")
       RETURNING "lastBlock", "lastEventIndex", "updatedAt\""""
)


class CheckpointRegressionError(ValueError):
    """A checkpoint save that would move the position backwards."""


@dataclass(frozen=True, order=True)
class Checkpoint:
    """The position of the last event a projector applied; ordered by position."""

    block: int
    event_index: int
    updated_at: datetime | None = field(default=None, compare=False)


def load(
    session: Session, projector_name: str, channel: str, *, tenant_id: str
) -> Checkpoint | None:
    """The stored checkpoint, or None when the projector has not saved one yet."""
    found = session.execute(
        select(
            ProjectorState.last_block, ProjectorState.last_event_index, ProjectorState.updated_at
        ).where(
            ProjectorState.tenant_id == tenant_id,
            ProjectorState.projector_name == projector_name,
            ProjectorState.channel == channel,
        )
    ).one_or_none()
    return None if found is None else Checkpoint(found[0], found[1], found[2])


def save(
    session: Session,
    projector_name: str,
    channel: str,
    block: int,
    event_index: int,
    *,
    tenant_id: str,
    now: datetime | None = None,
) -> Checkpoint:
    """Store the position (`block`, `event_index`); raises if it is before the stored one."""
    if block < 0 or event_index < 0:
        raise ValueError(f"a position is never negative: ({block}, {event_index})")
    saved = session.execute(
        _SAVE,
        {
            "tenant_id": tenant_id,
            "projector_name": projector_name,
            "channel": channel,
            "block": block,
            "event_index": event_index,
            "now": now or utcnow(),
        },
    ).one_or_none()
    if saved is None:
        stored = load(session, projector_name, channel, tenant_id=tenant_id)
        at = f"({stored.block}, {stored.event_index})" if stored else "a later position"
        raise CheckpointRegressionError(
            f'projector "{projector_name}" on "{channel}" (tenant "{tenant_id}") is at {at}; '
            f"refusing to move it back to ({block}, {event_index})"
        )
    return Checkpoint(saved[0], saved[1], saved[2])
