"""Webhooks: signing, verifying, queueing deliveries and retrying them with backoff.

Signature
---------
``sign(payload, secret, timestamp)`` is the lowercase hex HMAC-SHA256, keyed with the
endpoint's secret (UTF-8), of ``f"{timestamp}.".encode() + payload``: the Unix time
in seconds, a dot, then the exact body bytes. Deliveries carry it in the
`SIGNATURE_HEADER` header, formatted by `signature_header`::

    X-GX-Signature: t=1767225600,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd

`verify` accepts the header when its timestamp is within `tolerance_s` of now (in
either direction: a replayed old delivery fails) and any ``v1`` value matches,
compared in constant time (`hmac.compare_digest`); several ``v1`` values may be
given, e.g. while a secret is rotated. Other keys are ignored; a malformed header
fails, it never raises.

Deliveries and retries
----------------------
`enqueue` creates one ``WebhookDelivery`` per active endpoint of the tenant whose
``events`` contain the event type. A delivery is attempted at once, then retried
while it has failed: retry n (n = 1, 2, ...) is due ``retryDelay * 2**(n-1)``
seconds after the previous attempt (never more than a day apart, or
``retryDelay`` if that is longer). After ``maxRetries`` retries (``1 + maxRetries``
attempts in all) the delivery is given up: it stays with ``success`` false and is
no longer `due`. An attempt succeeds when there was a response with a 2xx status
and no error. The endpoint's ``lastSuccess`` and ``lastFailure`` are the times of
its latest successful and failed attempts, and ``failureCount`` counts its failed
attempts since the last success.

Nothing here commits. `due` locks the deliveries it returns (``FOR UPDATE SKIP
LOCKED``): workers in concurrent transactions get different deliveries, and the
lock lasts until the caller's transaction ends.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from sqlalchemy import ColumnElement, Float, cast, func, literal, or_, select, update
from sqlalchemy.orm import Session

from gxschema.models import WebhookDelivery, WebhookEndpoint
from gxschema.models.base import utcnow

SIGNATURE_HEADER: Final = "X-GX-Signature"
"""The HTTP header that carries `signature_header`."""

SIGNATURE_VERSION: Final = "v1"
DEFAULT_TOLERANCE_S: Final = 300
MAX_BACKOFF_S: Final = 86_400
"""Retries are never more than a day apart (unless ``retryDelay`` itself is longer)."""
RESPONSE_BODY_LIMIT: Final = 10_000
"""Characters of a response body kept in ``responseBody``."""

_MAX_EXPONENT: Final = 30


def sign(payload: bytes, secret: str, timestamp: int) -> str:
    """Hex HMAC-SHA256 of ``f"{timestamp}.".encode() + payload`` keyed with `secret`."""
    message = f"{int(timestamp)}.".encode() + payload
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(payload: bytes, secret: str, timestamp: int) -> str:
    """The `SIGNATURE_HEADER` value: ``t=<timestamp>,v1=<hex signature>``."""
    return f"t={int(timestamp)},{SIGNATURE_VERSION}={sign(payload, secret, timestamp)}"


def _parse(header: str) -> tuple[int | None, list[str]]:
    timestamp: int | None = None
    signatures: list[str] = []
    for part in header.split(","):
        name, sep, value = part.strip().partition("=")
        if not sep:
            continue
        if name == "t":
            value = value.strip()
            if not value.isascii() or not value.isdigit():
                return None, []
            timestamp = int(value)
        elif name == SIGNATURE_VERSION:
            signatures.append(value.strip())
    return timestamp, signatures


def verify(
    payload: bytes,
    secret: str,
    header: str,
    tolerance_s: int = DEFAULT_TOLERANCE_S,
    now: float | None = None,
) -> bool:
    """Whether `header` is a valid, fresh signature of `payload` with `secret`."""
    timestamp, signatures = _parse(header)
    if timestamp is None or not signatures:
        return False
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance_s:
        return False
    expected = sign(payload, secret, timestamp).encode()
    matched = False
    for candidate in signatures:  # compare with every candidate: no early exit
        given = candidate.encode("utf-8", errors="replace")
        matched = hmac.compare_digest(expected, given) or matched
    return matched


def backoff(retry_delay_s: int, retry: int) -> timedelta:
    """How long after the previous attempt retry number `retry` (1, 2, ...) is due."""
    if retry < 1:
        return timedelta(0)
    delay = retry_delay_s * 2 ** min(retry - 1, _MAX_EXPONENT)
    return timedelta(seconds=min(delay, max(retry_delay_s, MAX_BACKOFF_S)))


def next_attempt_at(delivery: WebhookDelivery, endpoint: WebhookEndpoint) -> datetime | None:
    """When `delivery` is next due; None when it succeeded or was given up."""
    if delivery.success or delivery.attempts > endpoint.max_retries:
        return None
    if delivery.attempts == 0 or delivery.last_attempt is None:
        return delivery.created_at
    return delivery.last_attempt + backoff(endpoint.retry_delay, delivery.attempts)


def enqueue(
    session: Session,
    event_type: str,
    payload: dict[str, Any],
    tenant_id: str,
) -> list[WebhookDelivery]:
    """One new delivery of `payload` per active endpoint of `tenant_id` subscribed to it."""
    endpoints = session.scalars(
        select(WebhookEndpoint)
        .where(
            WebhookEndpoint.tenant_id == tenant_id,
            WebhookEndpoint.is_active.is_(True),
            WebhookEndpoint.events.any_() == event_type,
        )
        .order_by(WebhookEndpoint.webhook_id)
    ).all()
    deliveries = [
        WebhookDelivery(
            tenant_id=tenant_id,
            webhook_id=endpoint.webhook_id,
            event_type=event_type,
            payload=payload,
            attempts=0,
            success=False,
        )
        for endpoint in endpoints
    ]
    session.add_all(deliveries)
    session.flush()
    return deliveries


def _due_at() -> ColumnElement[Any]:
    """SQL for when a delivery that was attempted before is next due (see `backoff`)."""
    exponent = func.least(WebhookDelivery.attempts - 1, _MAX_EXPONENT)
    delay = func.least(
        cast(WebhookEndpoint.retry_delay, Float) * func.power(2, exponent),
        func.greatest(WebhookEndpoint.retry_delay, MAX_BACKOFF_S),
    )
    return WebhookDelivery.last_attempt + func.make_interval(0, 0, 0, 0, 0, 0, delay)


def due(session: Session, now: datetime | None = None, limit: int = 100) -> list[WebhookDelivery]:
    """Up to `limit` deliveries due at `now`, oldest first, locked (``SKIP LOCKED``).

    Their endpoints are loaded too (``delivery.endpoint``); deliveries of inactive
    endpoints are not due.
    """
    current = now or utcnow()
    statement = (
        select(WebhookDelivery)
        .join(WebhookEndpoint, WebhookEndpoint.webhook_id == WebhookDelivery.webhook_id)
        .where(
            WebhookDelivery.success.is_(False),
            WebhookEndpoint.is_active.is_(True),
            WebhookDelivery.attempts <= WebhookEndpoint.max_retries,
            or_(
                WebhookDelivery.attempts == 0,
                WebhookDelivery.last_attempt.is_(None),
                _due_at() <= literal(current),
            ),
        )
        .order_by(WebhookDelivery.created_at, WebhookDelivery.delivery_id)
        .limit(limit)
        .with_for_update(of=WebhookDelivery, skip_locked=True)
    )
    deliveries = list(session.scalars(statement))
    ids = {delivery.webhook_id for delivery in deliveries}
    if ids:  # load the endpoints in one query (not locked: attempts update them atomically)
        session.scalars(select(WebhookEndpoint).where(WebhookEndpoint.webhook_id.in_(ids))).all()
    return deliveries


@dataclass(frozen=True)
class AttemptResult:
    """What `record_attempt` concluded."""

    succeeded: bool
    attempts: int
    gave_up: bool
    """True when the attempt failed and it was the last one (``maxRetries`` retries done)."""
    next_attempt_at: datetime | None
    """When the next retry is due; None after a success or when given up."""


def record_attempt(
    session: Session,
    delivery: WebhookDelivery,
    *,
    status_code: int | None,
    body: str | None,
    error: str | None,
    now: datetime | None = None,
) -> AttemptResult:
    """Record one delivery attempt, and its outcome on the endpoint; flushed, not committed.

    Pass the response's `status_code` and `body` (None when there was no response)
    and an `error` text for a failure without one (timeout, refused connection).
    """
    current = now or utcnow()
    succeeded = error is None and status_code is not None and 200 <= status_code < 300
    kept_body = body[:RESPONSE_BODY_LIMIT] if body is not None else None
    session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.delivery_id == delivery.delivery_id)
        .values(
            attempts=WebhookDelivery.attempts + 1,
            last_attempt=current,
            success=succeeded,
            response_code=status_code,
            response_body=kept_body,
            error=error,
        )
        .execution_options(synchronize_session="fetch")
    )
    endpoint_values: dict[str, Any] = (
        {"last_success": current, "failure_count": 0}
        if succeeded
        else {"last_failure": current, "failure_count": WebhookEndpoint.failure_count + 1}
    )
    session.execute(
        update(WebhookEndpoint)
        .where(WebhookEndpoint.webhook_id == delivery.webhook_id)
        .values(updated_at=current, **endpoint_values)
        .execution_options(synchronize_session="fetch")
    )
    session.refresh(delivery)
    endpoint = session.get(WebhookEndpoint, delivery.webhook_id, populate_existing=True)
    if endpoint is None:  # deleted meanwhile (the delivery went with it, by cascade)
        return AttemptResult(succeeded, delivery.attempts, not succeeded, None)
    following = next_attempt_at(delivery, endpoint)
    return AttemptResult(
        succeeded=succeeded,
        attempts=delivery.attempts,
        gave_up=not succeeded and following is None,
        next_attempt_at=following,
    )
