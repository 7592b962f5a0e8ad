"""gxschema.cqrs: outbox, projector checkpoints, idempotency."""
