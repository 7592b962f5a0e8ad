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

Workers: claim, send, record
----------------------------
Any number of workers deliver side by side; each round (`deliver_due`) is:

1. **claim** (`claim`), one short transaction: the oldest due deliveries are
   selected ``FOR UPDATE SKIP LOCKED`` (a worker never waits for another's rows)
   and marked taken, then committed;
2. **send**, with no transaction open: the HTTP call may take seconds and holds
   no lock and no connection;
3. **record** (`record_attempt`), one short transaction per attempt: a single-row
   UPDATE of the delivery, then one of its endpoint whose counters the UPDATE
   computes itself (``failureCount + 1``, ``greatest(lastFailure, now)``).

Workers cannot deadlock: a claim waits for nothing (it skips locked rows and
updates only those it locked), and a record transaction locks one delivery row,
then one endpoint row, and commits; whoever holds an endpoint row waits for
nothing more. (Enqueueing in a service's transaction takes only a KEY SHARE lock
on the endpoint, which the counters' UPDATE does not conflict with.) The old
design updated endpoints inside the batch transaction that locked the
deliveries, in delivery order, and held them across the rest of the batch.

The claim lives in the columns the table has (the schema has no lease column):
claiming sets ``attempts + 1`` (the attempt counts from its start), ``lastAttempt
= now`` and ``error = UNREPORTED_ATTEMPT``; recording replaces that error with the
outcome's. A claimed delivery is due again only when its backoff has passed and,
while still unreported, its lease too (``lease_s`` after ``lastAttempt``, default
`DEFAULT_LEASE_S`): so a worker that dies during the call leaves a delivery that
is retried later, its attempt counted in ``attempts`` (not in the endpoint's
counters: no outcome was seen). ``attempts`` is also the
fencing token: `record_attempt` writes only if the delivery is still claimed by
that attempt, so a late outcome after a lapsed lease is dropped, never counted
twice. Size the lease above ``limit`` times the sender's timeout: a claimed
batch is sent one after the other. A worker that dies on the last allowed
attempt leaves it given up, with ``UNREPORTED_ATTEMPT`` as its error.

Nothing here commits except `deliver_due`, which owns its transactions.

Async workers run the same round through the async session's greenlet, with an
``async def`` sender (awaited on the event loop, so other tasks run during the call)::

    results = await async_session.run_sync(webhooks.deliver_due, send_async, limit=5)
"""

from __future__ import annotations

import hashlib
import hmac
import inspect
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from sqlalchemy import ColumnElement, Float, Select, and_, cast, func, literal, or_, select, update
from sqlalchemy.exc import MissingGreenlet
from sqlalchemy.orm import Session
from sqlalchemy.util import await_only

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

DEFAULT_LEASE_S: Final = 300
"""How long a claimed, unreported attempt keeps its delivery from other workers."""
DEFAULT_CLAIM_LIMIT: Final = 10
"""Deliveries a worker claims per round: small, so that idle workers find work."""
UNREPORTED_ATTEMPT: Final = "attempt claimed; no outcome recorded yet"
"""``error`` of a delivery while a worker holds its claim (stays if the worker died)."""

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


def _is_due(current: datetime, lease_s: int) -> ColumnElement[bool]:
    """SQL: the delivery is due at `current` (a claim older than `lease_s` has lapsed)."""
    lease_over = WebhookDelivery.last_attempt + func.make_interval(
        0, 0, 0, 0, 0, 0, literal(lease_s, Float)
    )
    return and_(
        WebhookDelivery.success.is_(False),
        WebhookEndpoint.is_active.is_(True),
        WebhookDelivery.attempts <= WebhookEndpoint.max_retries,
        or_(
            WebhookDelivery.attempts == 0,
            WebhookDelivery.last_attempt.is_(None),
            and_(
                _due_at() <= literal(current),
                or_(
                    WebhookDelivery.error.is_(None),
                    WebhookDelivery.error != UNREPORTED_ATTEMPT,
                    lease_over <= literal(current),
                ),
            ),
        ),
    )


def _due_query(current: datetime, lease_s: int) -> Select[WebhookDelivery]:
    return (
        select(WebhookDelivery)
        .join(WebhookEndpoint, WebhookEndpoint.webhook_id == WebhookDelivery.webhook_id)
        .where(_is_due(current, lease_s))
        .order_by(WebhookDelivery.created_at, WebhookDelivery.delivery_id)
    )


def due(
    session: Session,
    now: datetime | None = None,
    limit: int = 100,
    lease_s: int = DEFAULT_LEASE_S,
) -> list[WebhookDelivery]:
    """Up to `limit` deliveries due at `now`, oldest first: a look, it takes nothing.

    For monitoring and tests; workers use `claim` (or `deliver_due`), which marks
    what it returns as taken. Deliveries of inactive endpoints are not due.
    """
    return list(session.scalars(_due_query(now or utcnow(), lease_s).limit(limit)))


def _expire(session: Session, model: type[Any], keys: list[str]) -> None:
    """Expire the rows an UPDATE changed that `session` holds, so they reload when read."""
    for key in keys:
        loaded = session.identity_map.get(session.identity_key(model, key))
        if loaded is not None:
            session.expire(loaded)


@dataclass(frozen=True)
class Attempt:
    """A claimed delivery: what a sender needs, as plain values.

    Plain values, not ORM objects, so that sending never touches the session:
    reading an expired ORM attribute would open a transaction and keep it open
    across the HTTP call, the very thing claiming avoids.
    """

    delivery_id: str
    webhook_id: str
    tenant_id: str
    event_type: str
    payload: Any
    url: str
    secret: str
    number: int
    """Which attempt this is (1 = the first); `record_attempt` checks it (a fencing token)."""
    started_at: datetime
    """The claim's time, now the delivery's ``lastAttempt``: retries back off from it."""


def claim(
    session: Session,
    now: datetime | None = None,
    limit: int = DEFAULT_CLAIM_LIMIT,
    lease_s: int = DEFAULT_LEASE_S,
) -> list[Attempt]:
    """Take up to `limit` due deliveries, oldest first, for one attempt each; not committed.

    Rows that another transaction has locked are skipped (``FOR UPDATE SKIP
    LOCKED``), so concurrent workers never wait for each other here; the taken
    deliveries get ``attempts + 1``, ``lastAttempt = now`` and ``error =
    UNREPORTED_ATTEMPT``. Commit at once: the committed row is the claim, not the
    lock, and no other worker takes the delivery until its backoff, or `lease_s`
    if that is longer, has passed. The endpoint rows are read, not locked.
    """
    current = now or utcnow()
    rows = session.execute(
        _due_query(current, lease_s)
        .with_only_columns(
            WebhookDelivery.delivery_id,
            WebhookDelivery.webhook_id,
            WebhookDelivery.tenant_id,
            WebhookDelivery.event_type,
            WebhookDelivery.payload,
            WebhookDelivery.attempts,
            WebhookEndpoint.url,
            WebhookEndpoint.secret,
        )
        .limit(limit)
        .with_for_update(of=WebhookDelivery, skip_locked=True)
    ).all()
    if not rows:
        return []
    session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.delivery_id.in_([row.delivery_id for row in rows]))
        .values(
            attempts=WebhookDelivery.attempts + 1,
            last_attempt=current,
            error=UNREPORTED_ATTEMPT,
            response_code=None,
            response_body=None,
        )
        .execution_options(synchronize_session=False)
    )
    _expire(session, WebhookDelivery, [row.delivery_id for row in rows])
    return [
        Attempt(
            delivery_id=row.delivery_id,
            webhook_id=row.webhook_id,
            tenant_id=row.tenant_id,
            event_type=row.event_type,
            payload=row.payload,
            url=row.url,
            secret=row.secret,
            number=row.attempts + 1,
            started_at=current,
        )
        for row in rows
    ]


@dataclass(frozen=True)
class AttemptResult:
    """What `record_attempt` concluded."""

    succeeded: bool
    attempts: int
    gave_up: bool
    """True when the attempt failed and it was the last one (``maxRetries`` retries done)."""
    next_attempt_at: datetime | None
    """When the next retry is due; None after a success, when given up or not recorded."""
    recorded: bool = True
    """False when the claim had lapsed and the delivery was taken again (or deleted):
    the late outcome is dropped, the newer attempt's counts."""


def record_attempt(
    session: Session,
    attempt: Attempt,
    *,
    status_code: int | None,
    body: str | None,
    error: str | None,
    now: datetime | None = None,
) -> AttemptResult:
    """Record the outcome of a claimed attempt, and on its endpoint; flushed, not committed.

    Pass the response's `status_code` and `body` (None when there was no response)
    and an `error` text for a failure without one (timeout, refused connection).
    Two single-row UPDATEs: the delivery (only while it is still this attempt's
    claim), then its endpoint's counters, computed by the UPDATE itself
    (``failureCount + 1``), so no read-modify-write and no lock held longer than
    the caller's short transaction. Commit at once.
    """
    current = now or utcnow()
    succeeded = error is None and status_code is not None and 200 <= status_code < 300
    kept_body = body[:RESPONSE_BODY_LIMIT] if body is not None else None
    claimed = session.execute(
        update(WebhookDelivery)
        .where(
            WebhookDelivery.delivery_id == attempt.delivery_id,
            WebhookDelivery.attempts == attempt.number,
            WebhookDelivery.error == UNREPORTED_ATTEMPT,
        )
        .values(success=succeeded, response_code=status_code, response_body=kept_body, error=error)
        .returning(WebhookDelivery.last_attempt)
        .execution_options(synchronize_session=False)
    ).one_or_none()
    if claimed is None:
        return AttemptResult(succeeded, attempt.number, False, None, recorded=False)
    _expire(session, WebhookDelivery, [attempt.delivery_id])
    endpoint_values: dict[str, Any] = (
        {"last_success": func.greatest(WebhookEndpoint.last_success, current), "failure_count": 0}
        if succeeded
        else {
            "last_failure": func.greatest(WebhookEndpoint.last_failure, current),
            "failure_count": WebhookEndpoint.failure_count + 1,
        }
    )
    policy = session.execute(
        update(WebhookEndpoint)
        .where(WebhookEndpoint.webhook_id == attempt.webhook_id)
        .values(updated_at=current, **endpoint_values)
        .returning(WebhookEndpoint.max_retries, WebhookEndpoint.retry_delay)
        .execution_options(synchronize_session=False)
    ).one()
    _expire(session, WebhookEndpoint, [attempt.webhook_id])
    if succeeded:
        return AttemptResult(True, attempt.number, False, None)
    if attempt.number > policy.max_retries:
        return AttemptResult(False, attempt.number, True, None)
    following = claimed.last_attempt + backoff(policy.retry_delay, attempt.number)
    return AttemptResult(False, attempt.number, False, following)


@dataclass(frozen=True)
class Response:
    """What a sender saw: a status and body, or an error text when there was no response."""

    status_code: int | None
    body: str | None = None
    error: str | None = None


Sender = Callable[[Attempt], Response | Awaitable[Response]]
"""POSTs one attempt (signed with `signature_header`) and says what came back.

A coroutine function is accepted when `deliver_due` runs under
``AsyncSession.run_sync``: its coroutine is awaited on the event loop.
"""


class AsyncSenderError(TypeError):
    """An ``async def`` sender was given to `deliver_due` called outside ``run_sync``."""


async def _nothing() -> None:
    return None


def _refuse_async_sender_outside_greenlet(send: Sender) -> None:
    """Raise `AsyncSenderError` for a coroutine-function sender that could not be awaited.

    Checked before the claim, so a caller's mistake leaves no delivery claimed.
    """
    if not (
        inspect.iscoroutinefunction(send)
        or inspect.iscoroutinefunction(type(send).__call__)  # an object with async __call__
    ):
        return
    probe = _nothing()
    try:
        await_only(probe)
    except MissingGreenlet:
        probe.close()
        raise AsyncSenderError(
            "an async sender needs deliver_due to run through AsyncSession.run_sync"
        ) from None


def _response_of(send: Sender, attempt: Attempt) -> Response:
    """Call `send`; when it returns an awaitable, await it from the async session's greenlet."""
    outcome = send(attempt)
    if not inspect.isawaitable(outcome):
        return outcome
    # Under AsyncSession.run_sync this code runs in a greenlet that can hand an awaitable
    # to the event loop and wait for it: the mechanism SQLAlchemy's own asyncio uses.
    return await_only(outcome)


def deliver_due(
    session: Session,
    send: Sender,
    *,
    limit: int = DEFAULT_CLAIM_LIMIT,
    lease_s: int = DEFAULT_LEASE_S,
) -> list[AttemptResult]:
    """One round of a delivery worker: claim, send outside any transaction, record each.

    Claims up to `limit` due deliveries in one short transaction, then for each
    calls `send` with no transaction open and records its outcome in a
    transaction of its own. A sender that raises fails the attempt with the
    exception as its error. Returns the results in claim order ([] when nothing
    was due). `session` must not be in a transaction: this commits.

    From async code: ``await async_session.run_sync(deliver_due, send)``, where `send`
    may be an ``async def``; it is awaited on the event loop with no transaction open.
    """
    if session.in_transaction():
        raise ValueError("deliver_due commits its own transactions: pass an idle session")
    _refuse_async_sender_outside_greenlet(send)
    with session.begin():
        attempts = claim(session, limit=limit, lease_s=lease_s)
    results = []
    for attempt in attempts:
        try:
            response = _response_of(send, attempt)
        except Exception as exc:  # a sender's failure is this attempt's failure, not the round's
            response = Response(None, None, f"{type(exc).__name__}: {exc}")
        with session.begin():
            results.append(
                record_attempt(
                    session,
                    attempt,
                    status_code=response.status_code,
                    body=response.body,
                    error=response.error,
                )
            )
    return results
