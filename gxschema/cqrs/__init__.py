"""Helpers for the CQRS tables: the command outbox, projector checkpoints, idempotency.

    from gxschema.cqrs import idempotency, outbox, projector

Every function takes a SQLAlchemy `Session` and never commits.
"""

from gxschema.cqrs import idempotency, outbox, projector

__all__ = ["idempotency", "outbox", "projector"]
