"""Fixed-window rate limiting on ``ApiRateLimit``, exact under concurrency.

    from gxschema.platform import ratelimit

    decision = ratelimit.hit(session, client_id, "POST /transfers",
                             limit=100, window_minutes=1, tenant_id=tenant)
    session.commit()
    if not decision.allowed:
        return 429, {"Retry-After": decision.retry_after_s}

Windows are aligned to the Unix epoch: a window of `window_minutes` starts at a
multiple of ``window_minutes * 60`` seconds (UTC) and the row of a (tenant, client,
endpoint, window start) is unique. `hit` counts a request with ONE statement::

    INSERT ... VALUES (..., requestCount = 1, ...)
    ON CONFLICT ("tenantId", "clientId", "endpoint", "windowStart")
    DO UPDATE SET "requestCount" = "ApiRateLimit"."requestCount" + 1, ...
    RETURNING "requestCount"

PostgreSQL serialises the increments on the row, so with N concurrent requests
every one sees a distinct count 1..N and exactly `limit` of them are allowed (a
request is allowed when its count is at most `limit`). Refused requests are
counted too, so ``requestCount`` shows the pressure on the endpoint;
``maxRequests`` records the latest `limit` applied to the window. The row lock
is held until the caller's transaction ends: commit soon after `hit`.

The window start comes from `now` (default: this machine's UTC clock); machines
whose clocks differ by seconds only disagree about requests at the window edge.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final, cast

from sqlalchemy import CursorResult, delete, text
from sqlalchemy.orm import Session

from gxschema.models import ApiRateLimit
from gxschema.models.base import utcnow

HIT_SQL: Final = text(
    """INSERT INTO "ApiRateLimit"
       ("rateLimitId", "tenantId", "clientId", "endpoint", "requestCount",
        "windowStart", "windowEnd", "maxRequests", "windowMinutes")
       VALUES (gen_random_uuid()::text, :tenant_id, :client_id, :endpoint, 1,
               :window_start, :window_end, :max_requests, :window_minutes)
       ON CONFLICT ("tenantId", "clientId", "endpoint", "windowStart")
       DO UPDATE SET "requestCount" = "ApiRateLimit"."requestCount" + 1,
                     "maxRequests" = EXCLUDED."maxRequests"
       RETURNING "requestCount\""""
)
"""The one statement of `hit` (also what the benchmark's plain-SQL loop runs)."""

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Decision:
    """The answer to one request: allowed or not, how many remain, when the window resets."""

    allowed: bool
    remaining: int
    reset_at: datetime
    count: int
    """This request's number in the window (1 for the first)."""
    limit: int

    @property
    def retry_after_s(self) -> int:
        """Whole seconds until the window resets, for a ``Retry-After`` header (at least 1)."""
        return max(1, int((self.reset_at - utcnow()).total_seconds() + 0.999))


def window(now: datetime, window_minutes: int) -> tuple[datetime, datetime]:
    """The (start, end) of the fixed window of `window_minutes` that holds `now`."""
    if window_minutes < 1:
        raise ValueError(f"window_minutes must be at least 1, not {window_minutes}")
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    length = window_minutes * 60
    elapsed = int((now - _EPOCH) // timedelta(seconds=1))
    start = _EPOCH + timedelta(seconds=elapsed - elapsed % length)
    return start, start + timedelta(seconds=length)


def hit(
    session: Session,
    client_id: str,
    endpoint: str,
    *,
    limit: int,
    window_minutes: int,
    tenant_id: str,
    now: datetime | None = None,
) -> Decision:
    """Count one request of `client_id` on `endpoint` and decide whether it is allowed."""
    if limit < 0:
        raise ValueError(f"limit must not be negative, not {limit}")
    start, end = window(now or utcnow(), window_minutes)
    count = session.execute(
        HIT_SQL,
        {
            "tenant_id": tenant_id,
            "client_id": client_id,
            "endpoint": endpoint,
            "window_start": start,
            "window_end": end,
            "max_requests": limit,
            "window_minutes": window_minutes,
        },
    ).scalar_one()
    return Decision(
        allowed=count <= limit,
        remaining=max(0, limit - count),
        reset_at=end,
        count=count,
        limit=limit,
    )


def purge(session: Session, before: datetime) -> int:
    """Delete the windows that ended at or before `before`; returns how many."""
    result = session.execute(
        delete(ApiRateLimit).where(ApiRateLimit.window_end <= before),
        execution_options={"synchronize_session": False},
    )
    return cast("CursorResult[Any]", result).rowcount
