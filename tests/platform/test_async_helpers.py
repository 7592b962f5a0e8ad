"""The platform helpers from asyncio: `AsyncSession.run_sync`, real tasks, a real pool.

The helpers have one (sync) implementation; an async service runs them in its session's
greenlet. These tests hold the async path to the guarantees the threaded tests assert
(tests/platform/test_platform_helpers.py, test_webhook_workers.py): exact rate-limit
counts under concurrent hits, each webhook delivery sent once, no transaction open while
a sender awaits. Each task has its own `AsyncSession` and connection; the event loop is
`asyncio.run`, so no pytest plugin is needed.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import Session

from gxschema.db import async_session_factory, async_session_scope
from gxschema.models import (
    ApiRateLimit,
    Country,
    FeatureFlag,
    LicensedPartner,
    SystemConfig,
    WebhookDelivery,
    WebhookEndpoint,
)
from gxschema.platform import config, flags, health, ratelimit, webhooks
from gxschema.settings import DatabaseSettings

from ..support.async_tasks import connected, run_with_engine, settings_for, started_together

T0 = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)
EVENT = "transfer.completed"
TASKS = 8


@pytest.fixture
def settings(pg_server, head_database: str) -> DatabaseSettings:
    """Settings naming a new database at head, as a service would configure them."""
    return settings_for(pg_server.url(head_database))


@pytest.fixture
def sync_engine(head_database: str, engine_for) -> Engine:
    """A sync engine on the same database, to set up rows and read what the tasks wrote."""
    return engine_for(head_database)


# The engine and the session factory


def test_async_engine_has_the_sync_defaults_and_psycopgs_async_driver(
    settings: DatabaseSettings,
) -> None:
    async def body(engine: AsyncEngine) -> None:
        assert engine.dialect.is_async and engine.dialect.driver == "psycopg"
        assert engine.pool._pre_ping  # type: ignore[attr-defined]
        async with async_session_factory(engine)() as session:
            with pytest.raises(DBAPIError) as raised:
                await session.execute(text("SELECT 1 / :n"), {"n": 0})
            assert "hide_parameters" in str(raised.value)  # the bound values are not shown

    run_with_engine(settings, body, pool_size=TASKS)


def test_async_session_reads_its_objects_after_commit(
    settings: DatabaseSettings, sync_engine: Engine
) -> None:
    """expire_on_commit is off: a reload after commit would need the greenlet and raise."""

    async def body(engine: AsyncEngine) -> str:
        async with async_session_factory(engine)() as session:
            flag = FeatureFlag(tenant_id="global", flag_key="enable_async", is_enabled=True)
            session.add(flag)
            await session.commit()
            return f"{flag.flag_key}={flag.is_enabled}"

    assert run_with_engine(settings, body, pool_size=TASKS) == "enable_async=True"
    with Session(sync_engine) as session:
        assert session.scalar(select(FeatureFlag.flag_key)) == "enable_async"


def test_async_session_scope_commits_or_rolls_back(
    settings: DatabaseSettings, sync_engine: Engine
) -> None:
    async def body(engine: AsyncEngine) -> None:
        async with async_session_scope(engine) as session:
            session.add(FeatureFlag(tenant_id="global", flag_key="enable_kept", is_enabled=True))
        with pytest.raises(RuntimeError, match="boom"):
            async with async_session_scope(engine) as session:
                session.add(FeatureFlag(tenant_id="global", flag_key="enable_lost"))
                await session.flush()
                raise RuntimeError("boom")

    run_with_engine(settings, body, pool_size=TASKS)
    with Session(sync_engine) as session:
        assert list(session.scalars(select(FeatureFlag.flag_key))) == ["enable_kept"]


def _eventually_zero(engine: Engine, count_query: str, within_s: float = 5.0) -> bool:
    deadline = time.monotonic() + within_s
    with engine.connect() as connection:
        while connection.scalar(text(count_query)) != 0:
            if time.monotonic() > deadline:
                return False
            connection.execute(text("SELECT pg_stat_clear_snapshot()"))
            time.sleep(0.05)
    return True


def test_async_session_scope_without_an_engine_uses_the_environment_and_disposes_it(
    settings: DatabaseSettings, sync_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert settings.database_url is not None
    for name in ("PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE", "PGPASSWORD_FILE"):
        monkeypatch.delenv(name, raising=False)
    # A name of its own in the URL, to find the scope's connections among the server's.
    url = settings.database_url.get_secret_value() + "?application_name=gx-async-scope-test"
    monkeypatch.setenv("DATABASE_URL", url)
    left_open = (
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'gx-async-scope-test'"
    )

    async def body() -> None:
        async with async_session_scope() as session:
            session.add(FeatureFlag(tenant_id="global", flag_key="enable_env", is_enabled=True))

    asyncio.run(body())
    with Session(sync_engine) as session:
        assert list(session.scalars(select(FeatureFlag.flag_key))) == ["enable_env"]
    # The scope's engine closed its connection (the server ends the backend a moment later).
    assert _eventually_zero(sync_engine, left_open)


# Every helper module through run_sync


def test_flags_config_and_health_run_in_the_async_sessions_greenlet(
    settings: DatabaseSettings, sync_engine: Engine
) -> None:
    async def body(engine: AsyncEngine) -> dict[str, Any]:
        async with async_session_factory(engine).begin() as session:
            session.add(
                FeatureFlag(
                    tenant_id="global", flag_key="enable_x", is_enabled=True, rollout_percent=100
                )
            )
            await session.run_sync(config.set, "feeBps", 50, value_type="number")
            await session.run_sync(health.record, "api", "latency", 700, warning=500, now=T0)
        async with async_session_factory(engine)() as session:
            latest = await session.run_sync(health.latest, "api")
            return {
                "flag": await session.run_sync(flags.is_enabled, "enable_x", user_id="u1"),
                "absent flag": await session.run_sync(flags.is_enabled, "enable_nothing"),
                "fee": await session.run_sync(config.get, "feeBps"),
                "latency": (latest["latency"].metric_value, latest["latency"].status),
            }

    assert run_with_engine(settings, body, pool_size=TASKS) == {
        "flag": True,
        "absent flag": False,
        "fee": 50,
        "latency": (Decimal("700.0000"), "warning"),
    }
    with Session(sync_engine) as session:
        assert session.scalar(select(SystemConfig.config_value)) == 50


def test_a_helpers_error_reaches_the_async_caller_unchanged(settings: DatabaseSettings) -> None:
    async def body(engine: AsyncEngine) -> None:
        async with async_session_factory(engine)() as session:
            with pytest.raises(config.UnknownConfigKeyError, match="absent"):
                await session.run_sync(config.get, "absent")

    run_with_engine(settings, body, pool_size=TASKS)


# Rate limiting


def test_hit_from_eight_tasks_is_exact(settings: DatabaseSettings, sync_engine: Engine) -> None:
    """8 tasks x 50 hits on one window with a limit of 100: exactly 100 allowed."""
    per_task, limit = 50, 100
    now = T0 + timedelta(seconds=10)  # every hit in the same window

    async def body(engine: AsyncEngine) -> list[tuple[int, list[ratelimit.Decision]]]:
        factory = async_session_factory(engine)

        async def work(_index: int, start: asyncio.Barrier) -> tuple[int, list[ratelimit.Decision]]:
            decisions = []
            async with factory() as session:
                pid = await connected(session)
                await start.wait()
                for _ in range(per_task):
                    decisions.append(
                        await session.run_sync(
                            ratelimit.hit,
                            "client",
                            "POST /transfer",
                            limit=limit,
                            window_minutes=1,
                            tenant_id="t",
                            now=now,
                        )
                    )
                    await session.commit()
            return pid, decisions

        return await started_together(TASKS, work)

    outcome = run_with_engine(settings, body, pool_size=TASKS)
    assert len({pid for pid, _ in outcome}) == TASKS  # each task had a connection of its own
    every = [decision for _, decisions in outcome for decision in decisions]
    assert sum(decision.allowed for decision in every) == limit
    assert sorted(decision.count for decision in every) == list(range(1, TASKS * per_task + 1))
    with Session(sync_engine) as session:
        assert session.scalar(select(ApiRateLimit.request_count)) == TASKS * per_task


# Webhooks


def _endpoints(engine: Engine, count: int, failing: int) -> tuple[list[str], set[str]]:
    """`count` active endpoints subscribed to EVENT; the first `failing` answer 503."""
    with Session(engine) as session:
        country = Country(country_code="ZZ", country_name="Testland", region="Europe")
        made = [
            WebhookEndpoint(
                tenant_id="t",
                partner=LicensedPartner(
                    tenant_id="t", company_name=f"Partner {n}", jurisdiction=country
                ),
                url=f"https://example.com/{n}",
                secret="whsec_0123456789abcdef",
                events=[EVENT],
                retry_delay=3600,  # a failure is not retried while the test runs
                max_retries=3,
            )
            for n in range(count)
        ]
        session.add_all(made)
        session.flush()
        for n in range(30):
            webhooks.enqueue(session, EVENT, {"n": n}, "t")
        session.commit()
        ids = [endpoint.webhook_id for endpoint in made]
        return ids, set(ids[:failing])


def test_async_workers_send_each_delivery_once_with_no_transaction_open(
    settings: DatabaseSettings, sync_engine: Engine
) -> None:
    endpoint_ids, failing = _endpoints(sync_engine, 4, failing=1)
    sent: Counter[str] = Counter()
    sending = {"now": 0, "most": 0, "inside a transaction": 0}

    async def body(engine: AsyncEngine) -> list[webhooks.AttemptResult]:
        factory = async_session_factory(engine)

        async def work(_index: int, start: asyncio.Barrier) -> list[webhooks.AttemptResult]:
            async with factory() as session:

                async def send(attempt: webhooks.Attempt) -> webhooks.Response:
                    sent[attempt.delivery_id] += 1
                    sending["inside a transaction"] += session.in_transaction()
                    sending["now"] += 1
                    sending["most"] = max(sending["most"], sending["now"])
                    await asyncio.sleep(0.01)  # the HTTP round trip, on the event loop
                    sending["now"] -= 1
                    if attempt.webhook_id in failing:
                        return webhooks.Response(503, "busy")
                    return webhooks.Response(204, "")

                await start.wait()
                results: list[webhooks.AttemptResult] = []
                while batch := await session.run_sync(webhooks.deliver_due, send, limit=5):
                    results.extend(batch)
                return results

        return [result for results in await started_together(TASKS, work) for result in results]

    results = run_with_engine(settings, body, pool_size=TASKS)
    deliveries = 30 * len(endpoint_ids)
    assert len(results) == deliveries and len(sent) == deliveries
    assert set(sent.values()) == {1}  # each delivery sent exactly once
    assert sending["inside a transaction"] == 0
    assert sending["most"] > 1  # the senders overlapped: awaited, not run one by one
    with Session(sync_engine) as session:
        rows = session.execute(
            select(WebhookDelivery.webhook_id, WebhookDelivery.success, WebhookDelivery.attempts)
        ).all()
        assert len(rows) == deliveries
        assert all(attempts == 1 for _, _, attempts in rows)
        assert all(success == (webhook_id not in failing) for webhook_id, success, _ in rows)
        counters = {
            webhook_id: failures
            for webhook_id, failures in session.execute(
                select(WebhookEndpoint.webhook_id, WebhookEndpoint.failure_count)
            )
        }
        assert counters == {
            webhook_id: (30 if webhook_id in failing else 0) for webhook_id in endpoint_ids
        }


def test_an_async_sender_outside_run_sync_is_refused_before_anything_is_claimed(
    sync_engine: Engine,
) -> None:
    _endpoints(sync_engine, 1, failing=0)

    async def send(_attempt: webhooks.Attempt) -> webhooks.Response:
        return webhooks.Response(204, "")

    refused = pytest.raises(webhooks.AsyncSenderError, match=r"AsyncSession\.run_sync")
    with Session(sync_engine) as session, refused:
        webhooks.deliver_due(session, send)
    with Session(sync_engine) as session:
        assert session.scalar(select(func.sum(WebhookDelivery.attempts))) == 0
