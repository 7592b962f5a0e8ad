"""HTTP idempotency (``HttpIdempotency``): replay the stored response of a repeated request.

    from gxschema.cqrs import idempotency

    key = dict(tenant_id=t, method="POST", path="/v1/transfers",
               body_hash=idempotency.body_hash(raw_body))
    stored = idempotency.get(session, **key)
    if stored is not None:
        return stored.status_code, stored.response_body, stored.response_headers
    ... handle the request ...
    idempotency.put(session, **key, status_code=201, response_body=body)

A request is identified by (tenant, method, path, body hash); the method is stored in
upper case. A stored response lives for `ttl` (default `DEFAULT_TTL`; None keeps it
until deleted): after ``ttlExpiresAt`` `get` no longer returns it, `put` may replace
it, and `purge` deletes it. While it lives, the first response stored wins: a second
`put` (say, from a concurrent duplicate request) keeps it and returns it.
Nothing here commits.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any, Final, cast

from sqlalchemy import CursorResult, delete, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from gxschema.models import HttpIdempotency
from gxschema.models.base import utcnow

DEFAULT_TTL: Final = timedelta(hours=24)


def body_hash(body: bytes) -> str:
    """The ``bodyHash`` of a request body: lowercase hex SHA-256 of its bytes."""
    return hashlib.sha256(body).hexdigest()


def _live(now: datetime) -> Any:
    return or_(HttpIdempotency.ttl_expires_at.is_(None), HttpIdempotency.ttl_expires_at > now)


def get(
    session: Session,
    *,
    tenant_id: str,
    method: str,
    path: str,
    body_hash: str,
    now: datetime | None = None,
) -> HttpIdempotency | None:
    """The stored response of this request, or None (never stored, or expired)."""
    return session.scalars(
        select(HttpIdempotency).where(
            HttpIdempotency.tenant_id == tenant_id,
            HttpIdempotency.method == method.upper(),
            HttpIdempotency.path == path,
            HttpIdempotency.body_hash == body_hash,
            _live(now or utcnow()),
        )
    ).one_or_none()


def put(
    session: Session,
    *,
    tenant_id: str,
    method: str,
    path: str,
    body_hash: str,
    status_code: int,
    response_body: Any,
    response_headers: dict[str, Any] | None = None,
    ttl: timedelta | None = DEFAULT_TTL,
    now: datetime | None = None,
) -> HttpIdempotency:
    """Store the response of this request and return the stored one (the first, if live)."""
    if response_body is None:
        raise ValueError("response_body must be a JSON value, not None (store {} for no body)")
    current = now or utcnow()
    expires = None if ttl is None else current + ttl
    values: dict[str, Any] = {
        "tenant_id": tenant_id,
        "method": method.upper(),
        "path": path,
        "body_hash": body_hash,
        "status_code": status_code,
        "response_body": response_body,
        "response_headers": response_headers,
        "created_at": current,
        "ttl_expires_at": expires,
    }
    statement = pg_insert(HttpIdempotency).values(**values)
    excluded = statement.excluded
    stored = session.scalars(
        statement.on_conflict_do_update(
            index_elements=["tenantId", "method", "path", "bodyHash"],
            set_={
                "statusCode": excluded.statusCode,
                "responseBody": excluded.responseBody,
                "responseHeaders": excluded.responseHeaders,
                "createdAt": excluded.createdAt,
                "ttlExpiresAt": excluded.ttlExpiresAt,
            },
            where=HttpIdempotency.ttl_expires_at <= current,
        )
        .returning(HttpIdempotency)
        .execution_options(populate_existing=True)
    ).one_or_none()
    if stored is not None:
        return stored
    live = get(
        session, tenant_id=tenant_id, method=method, path=path, body_hash=body_hash, now=current
    )
    if live is None:  # pragma: no cover - the conflicting row is live by the WHERE above
        raise RuntimeError("the idempotency row vanished while it was being stored")
    return live


def purge(session: Session, *, now: datetime | None = None) -> int:
    """Delete the stored responses that expired at or before `now`; returns how many."""
    result = session.execute(
        delete(HttpIdempotency).where(HttpIdempotency.ttl_expires_at <= (now or utcnow())),
        execution_options={"synchronize_session": False},
    )
    return cast("CursorResult[Any]", result).rowcount
