"""Helpers for the CQRS tables: the command outbox, projector checkpoints, idempotency.

    from gxschema.cqrs import idempotency, outbox, projector

Every function takes a SQLAlchemy `Session` and never commits. From async code, run
them in the `AsyncSession`'s greenlet: ``await session.run_sync(outbox.claim, worker_id)``.
"""

from gxschema.cqrs import idempotency, outbox, projector

__all__ = ["idempotency", "outbox", "projector"]
