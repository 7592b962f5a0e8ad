"""Webhook delivery workers side by side: no deadlock, each delivery once, exact counters.

Real threads, each with its own session, against a real PostgreSQL; the sender is a
Python function that sleeps like an HTTP call would (no network). What this guards
against: workers that updated endpoint rows inside the batch transaction that locked
the deliveries, in delivery order, held across the batch (4 workers deadlocked 59
times over 600 deliveries and were slower than one).
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.orm import Session

from gxschema.models import Country, LicensedPartner, WebhookDelivery, WebhookEndpoint
from gxschema.platform import webhooks

SEND_S = 0.02
"""How long the fake sender takes, standing in for the HTTP round trip."""
EVENT = "transfer.completed"


@pytest.fixture
def pooled_engine(pg_server, head_database: str) -> Iterator[Engine]:
    """A pooled engine (the conftest's use NullPool: a connection per transaction)."""
    engine = create_engine(pg_server.url(head_database), pool_size=10, max_overflow=0)
    yield engine
    engine.dispose()


def _endpoints(engine: Engine, count: int, tag: str) -> list[str]:
    with Session(engine) as session:
        country = session.get(Country, "ZZ") or Country(
            country_code="ZZ", country_name="Testland", region="Europe"
        )
        made = []
        for n in range(count):
            partner = LicensedPartner(
                tenant_id=tag, company_name=f"Partner {tag} {n}", jurisdiction=country
            )
            made.append(
                WebhookEndpoint(
                    tenant_id=tag,
                    partner=partner,
                    url=f"https://example.com/{tag}/{n}",
                    secret="whsec_0123456789abcdef",
                    events=[EVENT],
                    retry_delay=3600,  # a failure is not retried while the test runs
                    max_retries=3,
                )
            )
        session.add_all(made)
        session.commit()
        return [endpoint.webhook_id for endpoint in made]


def _enqueue(engine: Engine, tag: str, events: int) -> None:
    with Session(engine) as session:
        for n in range(events):
            webhooks.enqueue(session, EVENT, {"n": n}, tag)
        session.commit()


def _deadlocks(engine: Engine) -> int:
    with engine.connect() as connection:
        connection.execute(text("SELECT pg_stat_clear_snapshot()"))
        return connection.scalar(
            text("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")
        )


class Workers:
    """`run(n)`: n threads, each with its own session, deliver until nothing is due."""

    def __init__(self, engine: Engine, failing: set[str]) -> None:
        self.engine = engine
        self.failing = failing
        self.sent: Counter[str] = Counter()
        self.errors: list[BaseException] = []
        self.open_transactions_while_sending = 0
        self._lock = threading.Lock()

    def _work(self, start: threading.Barrier) -> None:
        with Session(self.engine) as session:

            def send(attempt: webhooks.Attempt) -> webhooks.Response:
                with self._lock:
                    self.sent[attempt.delivery_id] += 1
                    self.open_transactions_while_sending += session.in_transaction()
                time.sleep(SEND_S)
                if attempt.webhook_id in self.failing:
                    return webhooks.Response(503, "busy")
                return webhooks.Response(204, "")

            start.wait()
            try:
                while webhooks.deliver_due(session, send, limit=5):
                    pass
            except BaseException as exc:  # a deadlock, a lock timeout...: the test fails
                with self._lock:
                    self.errors.append(exc)

    def run(self, count: int) -> float:
        start = threading.Barrier(count + 1)
        threads = [threading.Thread(target=self._work, args=(start,)) for _ in range(count)]
        for thread in threads:
            thread.start()
        start.wait()
        began = time.perf_counter()
        for thread in threads:
            thread.join(timeout=120)
        assert not any(thread.is_alive() for thread in threads)
        return time.perf_counter() - began


def _deadlock_errors(errors: list[BaseException]) -> list[BaseException]:
    return [
        error
        for error in errors
        if isinstance(getattr(error, "orig", error), psycopg.errors.DeadlockDetected)
    ]


def test_eight_workers_deliver_each_once_without_deadlock_and_faster_than_one(
    pooled_engine: Engine,
) -> None:
    engine = pooled_engine
    deadlocks_before = _deadlocks(engine)
    solo_ok, solo_failing = _endpoints(engine, 2, "solo")
    crowd = _endpoints(engine, 4, "crowd")
    failing = {solo_failing, crowd[1], crowd[3]}
    workers = Workers(engine, failing)

    _enqueue(engine, "solo", 20)  # 40 deliveries for one worker
    solo_s = workers.run(1)
    _enqueue(engine, "crowd", 100)  # 400 deliveries for eight
    crowd_s = workers.run(8)

    assert workers.errors == [] and _deadlock_errors(workers.errors) == []
    assert workers.open_transactions_while_sending == 0
    with Session(engine) as session:
        deliveries = session.execute(
            select(WebhookDelivery.delivery_id, WebhookDelivery.attempts, WebhookDelivery.error)
        ).all()
        assert len(deliveries) == 440
        assert set(workers.sent) == {row.delivery_id for row in deliveries}
        assert set(workers.sent.values()) == {1}, "a delivery was sent more than once"
        assert {(row.attempts, row.error) for row in deliveries} == {(1, None)}
        counters = {
            endpoint.webhook_id: (
                endpoint.failure_count,
                endpoint.last_success is None,
                endpoint.last_failure is None,
            )
            for endpoint in session.scalars(select(WebhookEndpoint))
        }
        per_endpoint = dict(
            session.execute(
                select(WebhookDelivery.webhook_id, func.count()).group_by(
                    WebhookDelivery.webhook_id
                )
            ).all()
        )
    for webhook_id, made in per_endpoint.items():
        if webhook_id in failing:  # every attempt failed: counted, never a success
            assert counters[webhook_id] == (made, True, False), webhook_id
        else:
            assert counters[webhook_id] == (0, False, True), webhook_id
    assert per_endpoint[crowd[0]] == 100 and per_endpoint[solo_ok] == 20

    engine.dispose()  # the backends exit and flush their statistics
    time.sleep(0.5)
    assert _deadlocks(engine) == deadlocks_before

    solo_rate, crowd_rate = 40 / solo_s, 400 / crowd_s
    assert crowd_rate > 2 * solo_rate, (
        f"8 workers: {crowd_rate:.0f}/s over {crowd_s:.1f}s, 1 worker: {solo_rate:.0f}/s"
    )
