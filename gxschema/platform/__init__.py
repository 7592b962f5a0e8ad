"""Helpers for the platform tables, so that services use them correctly.

    from gxschema.platform import config, flags, health, ratelimit, webhooks

- `flags`: is a feature on for a user (stable percentage rollout, targets);
- `config`: typed ``SystemConfig`` values (get, checked set);
- `ratelimit`: fixed-window counting in one atomic statement;
- `webhooks`: HMAC signatures, deliveries, retries with exponential backoff;
- `health`: measurements with a healthy / warning / critical status.

Every function takes a SQLAlchemy `Session` and never commits: the caller decides
the transaction (functions that write flush, so database errors surface at once).

Async services call the same functions in their `AsyncSession`'s greenlet, so there is
one implementation to trust (`gxschema.db.async_session_factory` makes the sessions)::

    decision = await session.run_sync(ratelimit.hit, client, endpoint, limit=100,
                                      window_minutes=1, tenant_id=tenant)
    await session.commit()
"""

from gxschema.platform import config, flags, health, ratelimit, webhooks

__all__ = ["config", "flags", "health", "ratelimit", "webhooks"]
