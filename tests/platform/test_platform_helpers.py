"""gxschema.platform against a real PostgreSQL: flags, config, rate limits, webhooks, health.

Concurrency is real: threads, each with its own session and connection.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from gxschema.errors import ConfigError
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

from ..support.paths import ROOT

T0 = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)


# Feature flags


def _flag(session: Session, key: str, **values) -> FeatureFlag:
    flag = FeatureFlag(tenant_id=values.pop("tenant_id", "global"), flag_key=key, **values)
    session.add(flag)
    session.flush()
    return flag


def test_bucket_is_sha256_of_key_and_user_mod_100() -> None:
    for key, user in [("enable_webhooks", "user-1"), ("enable_x", ""), ("ü", "ñ-42")]:
        digest = hashlib.sha256(f"{key}:{user}".encode()).digest()
        assert flags.bucket(key, user) == int.from_bytes(digest, "big") % 100
    # pinned: a change of the formula would move every user of every rollout
    assert [flags.bucket("enable_webhooks", f"user-{i}") for i in range(5)] == [
        int(hashlib.sha256(f"enable_webhooks:user-{i}".encode()).hexdigest(), 16) % 100
        for i in range(5)
    ]


def test_flag_rules(session: Session) -> None:
    assert flags.is_enabled(session, "enable_nothing", user_id="u1") is False
    _flag(session, "enable_off", is_enabled=False, rollout_percent=100, target_user_ids=["u1"])
    assert flags.is_enabled(session, "enable_off", user_id="u1") is False
    _flag(
        session,
        "enable_targets",
        is_enabled=True,
        rollout_percent=0,
        target_user_ids=["u1"],
        target_roles=["admin"],
    )
    assert flags.is_enabled(session, "enable_targets", user_id="u1") is True
    assert flags.is_enabled(session, "enable_targets", user_id="u2", roles=["admin"]) is True
    assert flags.is_enabled(session, "enable_targets", user_id="u2", roles=["user"]) is False
    assert flags.is_enabled(session, "enable_targets") is False
    _flag(session, "enable_all", is_enabled=True, rollout_percent=100)
    assert flags.is_enabled(session, "enable_all") is True
    assert flags.is_enabled(session, "enable_all", user_id="anyone") is True
    _flag(session, "enable_half", is_enabled=True, rollout_percent=50)
    assert flags.is_enabled(session, "enable_half") is False  # no user, no bucket
    # per tenant, no fallback to global
    assert flags.is_enabled(session, "enable_all", tenant_id="acme") is False
    _flag(session, "enable_all", tenant_id="acme", is_enabled=False, rollout_percent=100)
    assert flags.is_enabled(session, "enable_all", tenant_id="acme") is False


def test_rollout_only_grows_with_the_percentage(session: Session) -> None:
    flag = _flag(session, "enable_growth", is_enabled=True, rollout_percent=10)
    users = [f"user-{i}" for i in range(2000)]
    at_10 = {u for u in users if flags.evaluate(flag, user_id=u)}
    flag.rollout_percent = 40
    at_40 = {u for u in users if flags.evaluate(flag, user_id=u)}
    assert at_10 < at_40


_CHILD = """
import json, os, sys
from sqlalchemy import create_engine
from sqlalchemy.orm import Session
from gxschema.platform import flags
engine = create_engine(os.environ["GX_URL"])
with Session(engine) as session:
    flag = flags.get(session, "enable_thirty")
    on = [i for i in range(10000) if flags.evaluate(flag, user_id=f"user-{i}")]
print(json.dumps({"hash": hash("probe"), "on": on}))
"""


def test_thirty_percent_rollout_is_stable_across_processes(
    session: Session, engine, pg_server, head_database
) -> None:
    _flag(session, "enable_thirty", is_enabled=True, rollout_percent=30)
    session.commit()
    # The flag is read once and evaluated for every user, as the child does: 10,000
    # lookups of the same row would only add 10,000 round trips (seconds), not a check.
    flag = flags.get(session, "enable_thirty")
    on = [i for i in range(10000) if flags.evaluate(flag, user_id=f"user-{i}")]
    assert 2800 <= len(on) <= 3200, len(on)
    assert [
        i for i in range(200) if flags.is_enabled(session, "enable_thirty", user_id=f"user-{i}")
    ] == [i for i in on if i < 200]  # the lookup and the evaluation agree

    seed = "1" if os.environ.get("PYTHONHASHSEED") != "1" else "2"
    url = pg_server.url(head_database).render_as_string(hide_password=False)
    child = subprocess.run(
        [sys.executable, "-c", _CHILD],
        env={**os.environ, "PYTHONHASHSEED": seed, "GX_URL": url},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    answer = json.loads(child.stdout)
    assert answer["hash"] != hash("probe")  # the processes really hash strings differently
    assert answer["on"] == on


# Configuration


def _config(session: Session, key: str, value, value_type: str, *, secret: bool = False) -> None:
    session.add(
        SystemConfig(
            config_key=key,
            tenant_id="global",
            config_value=value,
            value_type=value_type,
            is_secret=secret,
        )
    )
    session.flush()


def test_config_get_returns_the_value_as_its_type(session: Session) -> None:
    _config(session, "feeBps", 50, "number")
    _config(session, "rate", 0.5, "number")
    _config(session, "name", "GX", "string")
    _config(session, "paused", False, "boolean")
    _config(session, "tiers", {"a": [1, 2]}, "json")
    _config(session, "list", [1, "x"], "json")
    session.commit()
    session.expire_all()
    assert config.get(session, "feeBps") == 50 and type(config.get(session, "feeBps")) is int
    assert config.get(session, "rate") == 0.5
    assert config.get(session, "name") == "GX"
    assert config.get(session, "paused") is False
    assert config.get(session, "tiers") == {"a": [1, 2]}
    assert config.get(session, "list") == [1, "x"]
    assert config.get(session, "absent", default=None) is None
    assert config.get(session, "absent", default=7) == 7
    with pytest.raises(config.UnknownConfigKeyError, match="absent"):
        config.get(session, "absent")
    with pytest.raises(config.UnknownConfigKeyError):
        config.get(session, "feeBps", tenant_id="acme")


def test_config_set_checks_the_type(session: Session) -> None:
    _config(session, "feeBps", 50, "number")
    _config(session, "paused", False, "boolean")
    config.set(session, "feeBps", 40)
    assert config.get(session, "feeBps") == 40
    for wrong in ("40", True, None, [40], float("nan"), 2**60 + 1):
        with pytest.raises(config.ConfigValueError, match="feeBps") as caught:
            config.set(session, "feeBps", wrong)
        assert isinstance(caught.value, ConfigError) and caught.value.exit_code == 2
    with pytest.raises(config.ConfigValueError, match="boolean"):
        config.set(session, "paused", 0)
    with pytest.raises(config.ConfigValueError, match="valueType"):
        config.set(session, "feeBps", "x", value_type="string")
    with pytest.raises(config.UnknownConfigKeyError, match="valueType"):
        config.set(session, "brandNew", 1)
    config.set(session, "brandNew", {"k": 1}, value_type="json", description="new")
    with pytest.raises(config.ConfigValueError, match="unknown valueType"):
        config.set(session, "other", 1, value_type="integer")
    with pytest.raises(config.UnknownConfigKeyError, match="belongs to tenant"):
        config.set(session, "feeBps", 1, tenant_id="acme")
    session.commit()
    session.expire_all()
    assert config.get(session, "feeBps") == 40
    assert config.get(session, "brandNew") == {"k": 1}


def test_config_errors_never_show_a_secret_value(session: Session) -> None:
    _config(session, "apiToken", "s3cr3t-value", "string", secret=True)
    _config(session, "secretNumber", 1234567, "number", secret=True)
    with pytest.raises(config.ConfigValueError) as caught:
        config.set(session, "secretNumber", "hunter2-password")
    assert "hunter2" not in str(caught.value)
    with pytest.raises(config.ConfigValueError) as caught:
        config.parse("hunter2-password", "number", key="secretNumber", secret=True)
    assert "hunter2" not in str(caught.value)
    assert config.shown(session.get(SystemConfig, "apiToken")) == "***"


def test_config_parse_reads_command_line_text() -> None:
    assert config.parse("40", "number") == 40
    assert config.parse("-3", "number") == -3
    assert config.parse("0.25", "number") == 0.25
    assert config.parse("1e3", "number") == 1000.0
    assert config.parse("TRUE", "boolean") is True
    assert config.parse("false", "boolean") is False
    assert config.parse(" hi ", "string") == " hi "
    assert config.parse('{"a": [1]}', "json") == {"a": [1]}
    for text_value, value_type in [
        ("abc", "number"),
        ("nan", "number"),
        ("inf", "number"),
        ("yes", "boolean"),
        ("1", "boolean"),
        ("{", "json"),
        ("5", "json"),
        ('"x"', "json"),
    ]:
        with pytest.raises(config.ConfigValueError):
            config.parse(text_value, value_type, key="k")


def test_config_get_refuses_a_stored_value_of_the_wrong_type(session: Session) -> None:
    _config(session, "broken", "50", "number")
    with pytest.raises(config.ConfigValueError, match="broken"):
        config.get(session, "broken")


# Rate limits


def test_hit_counts_in_fixed_windows(session: Session) -> None:
    now = T0 + timedelta(seconds=30)
    first = ratelimit.hit(
        session, "c1", "GET /x", limit=2, window_minutes=1, tenant_id="t", now=now
    )
    assert first == ratelimit.Decision(True, 1, T0 + timedelta(minutes=1), 1, 2)
    second = ratelimit.hit(
        session, "c1", "GET /x", limit=2, window_minutes=1, tenant_id="t", now=now
    )
    third = ratelimit.hit(
        session, "c1", "GET /x", limit=2, window_minutes=1, tenant_id="t", now=now
    )
    assert (second.allowed, second.remaining) == (True, 0)
    assert (third.allowed, third.remaining, third.count) == (False, 0, 3)
    assert third.retry_after_s == 1  # the window is long past: retry at once
    current = ratelimit.hit(session, "c9", "GET /x", limit=2, window_minutes=60, tenant_id="t")
    assert 1 <= current.retry_after_s <= 3600
    # another client, endpoint or tenant has its own window
    assert (
        ratelimit.hit(
            session, "c2", "GET /x", limit=2, window_minutes=1, tenant_id="t", now=now
        ).count
        == 1
    )
    assert (
        ratelimit.hit(
            session, "c1", "GET /y", limit=2, window_minutes=1, tenant_id="t", now=now
        ).count
        == 1
    )
    assert (
        ratelimit.hit(
            session, "c1", "GET /x", limit=2, window_minutes=1, tenant_id="u", now=now
        ).count
        == 1
    )
    # the next window starts again
    later = ratelimit.hit(
        session,
        "c1",
        "GET /x",
        limit=2,
        window_minutes=1,
        tenant_id="t",
        now=now + timedelta(minutes=1),
    )
    assert (later.allowed, later.count) == (True, 1)
    row = session.scalars(
        select(ApiRateLimit).where(
            ApiRateLimit.client_id == "c1",
            ApiRateLimit.endpoint == "GET /x",
            ApiRateLimit.tenant_id == "t",
            ApiRateLimit.window_start == T0,
        )
    ).one()
    assert (row.request_count, row.max_requests, row.window_minutes) == (3, 2, 1)
    assert row.window_end == T0 + timedelta(minutes=1)


def test_windows_are_aligned_to_the_epoch() -> None:
    start, end = ratelimit.window(datetime(2026, 3, 1, 12, 7, 59, tzinfo=UTC), 5)
    assert (start, end) == (
        datetime(2026, 3, 1, 12, 5, tzinfo=UTC),
        datetime(2026, 3, 1, 12, 10, tzinfo=UTC),
    )
    with pytest.raises(ValueError):
        ratelimit.window(datetime(2026, 3, 1), 5)
    with pytest.raises(ValueError):
        ratelimit.window(T0, 0)


def test_purge_deletes_ended_windows(session: Session) -> None:
    for minute in range(3):
        ratelimit.hit(
            session,
            "c",
            "e",
            limit=5,
            window_minutes=1,
            tenant_id="t",
            now=T0 + timedelta(minutes=minute),
        )
    assert ratelimit.purge(session, T0 + timedelta(minutes=2)) == 2
    assert session.scalar(select(func.count()).select_from(ApiRateLimit)) == 1


def test_hit_is_exact_under_concurrency(engine) -> None:
    """8 threads x 50 hits on one window with a limit of 100: exactly 100 allowed."""
    workers, per_worker, limit = 8, 50, 100
    now = T0 + timedelta(seconds=10)  # every hit in the same window
    start = threading.Barrier(workers)
    decisions: list[list[ratelimit.Decision]] = [[] for _ in range(workers)]
    errors: list[BaseException] = []

    def work(index: int) -> None:
        try:
            with Session(engine) as session:
                session.execute(text("SELECT 1"))  # connect before the race starts
                start.wait()
                for _ in range(per_worker):
                    decisions[index].append(
                        ratelimit.hit(
                            session,
                            "client",
                            "POST /transfer",
                            limit=limit,
                            window_minutes=1,
                            tenant_id="t",
                            now=now,
                        )
                    )
                    session.commit()
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    every = [d for per in decisions for d in per]
    assert sum(d.allowed for d in every) == limit
    assert sorted(d.count for d in every) == list(range(1, workers * per_worker + 1))
    with Session(engine) as session:
        assert session.scalar(select(ApiRateLimit.request_count)) == workers * per_worker


# Webhooks


def test_sign_matches_an_independent_hmac() -> None:
    payload = b'{"event":"transfer.completed","amount":100}'
    secret = "whsec_0123456789abcdef"
    timestamp = 1767225600
    expected = hmac.new(secret.encode(), b"1767225600." + payload, hashlib.sha256).hexdigest()
    assert webhooks.sign(payload, secret, timestamp) == expected
    header = webhooks.signature_header(payload, secret, timestamp)
    assert header == f"t=1767225600,v1={expected}"
    assert webhooks.verify(payload, secret, header, now=timestamp + 10)


def test_verify_refuses_changes_old_timestamps_and_nonsense() -> None:
    payload = b'{"id":1}'
    secret = "whsec_0123456789abcdef"
    ts = 1767225600
    header = webhooks.signature_header(payload, secret, ts)
    assert webhooks.verify(payload, secret, header, now=ts)
    assert webhooks.verify(payload, secret, header, now=ts + 300)
    assert not webhooks.verify(payload, secret, header, now=ts + 301)  # too old
    assert not webhooks.verify(payload, secret, header, now=ts - 301)  # from the future
    assert not webhooks.verify(payload, secret, header, tolerance_s=10, now=ts + 11)
    for index in range(len(payload)):  # every changed byte fails
        changed = bytearray(payload)
        changed[index] ^= 0x01
        assert not webhooks.verify(bytes(changed), secret, header, now=ts)
    assert not webhooks.verify(payload + b" ", secret, header, now=ts)
    assert not webhooks.verify(payload, secret + "x", header, now=ts)
    signature = header.split("v1=")[1]
    flipped = ("0" if signature[0] != "0" else "1") + signature[1:]
    assert not webhooks.verify(payload, secret, f"t={ts},v1={flipped}", now=ts)
    # a changed timestamp invalidates the signature even when fresh
    assert not webhooks.verify(payload, secret, f"t={ts + 1},v1={signature}", now=ts)
    # rotation: any matching v1 is enough
    assert webhooks.verify(payload, secret, f"t={ts},v1={flipped},v1={signature}", now=ts)
    for nonsense in (
        "",
        "t=,v1=",
        f"v1={signature}",
        f"t={ts}",
        f"t=abc,v1={signature}",
        f"t={ts},v1=é",
        f"t=-{ts},v1={signature}",
        "garbage",
    ):
        assert not webhooks.verify(payload, secret, nonsense, now=ts), nonsense


def _endpoint(
    session: Session,
    *,
    tenant: str = "t",
    events=("transfer.completed",),
    active: bool = True,
    retry_delay: int = 60,
    max_retries: int = 3,
) -> WebhookEndpoint:
    country = session.get(Country, "ZZ") or Country(
        country_code="ZZ", country_name="Testland", region="Europe"
    )
    partner = LicensedPartner(
        tenant_id=tenant, company_name=f"Partner {os.urandom(4).hex()}", jurisdiction=country
    )
    endpoint = WebhookEndpoint(
        tenant_id=tenant,
        partner=partner,
        url="https://example.com/hook",
        secret="whsec_0123456789abcdef",
        events=None if events is None else list(events),
        is_active=active,
        retry_delay=retry_delay,
        max_retries=max_retries,
    )
    session.add(endpoint)
    session.flush()
    return endpoint


def test_enqueue_makes_one_delivery_per_subscribed_active_endpoint(session: Session) -> None:
    wanted = _endpoint(session, events=("user.created", "transfer.completed"))
    _endpoint(session, active=False)
    _endpoint(session, events=("user.created",))
    _endpoint(session, tenant="other")
    _endpoint(session, events=None)
    deliveries = webhooks.enqueue(session, "transfer.completed", {"id": 7}, "t")
    assert [(d.webhook_id, d.payload, d.attempts, d.success) for d in deliveries] == [
        (wanted.webhook_id, {"id": 7}, 0, False)
    ]
    assert webhooks.enqueue(session, "nobody.listens", {"id": 8}, "t") == []
    assert session.scalar(select(func.count()).select_from(WebhookDelivery)) == 1


def test_retries_follow_the_backoff_and_stop_after_max_retries(session: Session) -> None:
    endpoint = _endpoint(session, retry_delay=60, max_retries=3)
    (delivery,) = webhooks.enqueue(session, "transfer.completed", {"id": 1}, "t")
    session.commit()
    t = datetime.now(UTC).replace(microsecond=0)  # timestamp(3): keep to whole milliseconds
    assert webhooks.due(session, t) == [delivery]  # the first attempt is due at once

    schedule = []
    for attempt in range(1, 5):
        (claimed,) = webhooks.claim(session, t)
        session.commit()
        assert claimed.number == attempt and webhooks.due(session, t) == []
        result = webhooks.record_attempt(
            session, claimed, status_code=503, body="busy", error=None, now=t
        )
        session.commit()
        assert result.attempts == attempt and not result.succeeded and result.recorded
        if attempt <= 3:
            delay = result.next_attempt_at - t
            schedule.append(delay)
            assert webhooks.due(session, t + delay - timedelta(seconds=1)) == []
            assert webhooks.due(session, t + delay) == [delivery]
            session.rollback()
            t = t + delay
        else:
            assert result.gave_up and result.next_attempt_at is None
    assert schedule == [timedelta(seconds=60), timedelta(seconds=120), timedelta(seconds=240)]
    assert webhooks.due(session, t + timedelta(days=365)) == []  # given up: 1 + 3 retries
    session.refresh(endpoint)
    assert (endpoint.failure_count, endpoint.last_failure, endpoint.last_success) == (4, t, None)
    session.refresh(delivery)
    assert (
        delivery.attempts,
        delivery.success,
        delivery.response_code,
        delivery.response_body,
    ) == (4, False, 503, "busy")


def test_success_resets_the_failure_count(session: Session) -> None:
    endpoint = _endpoint(session)
    first, second = (
        webhooks.enqueue(session, "transfer.completed", {"n": n}, "t")[0] for n in range(2)
    )
    claims = {c.delivery_id: c for c in webhooks.claim(session, T0)}
    assert set(claims) == {first.delivery_id, second.delivery_id}
    webhooks.record_attempt(
        session, claims[first.delivery_id], status_code=None, body=None, error="timeout", now=T0
    )
    assert endpoint.failure_count == 1 and endpoint.last_failure == T0
    later = T0 + timedelta(minutes=5)
    result = webhooks.record_attempt(
        session, claims[second.delivery_id], status_code=204, body="", error=None, now=later
    )
    assert result.succeeded and not result.gave_up and result.next_attempt_at is None
    assert (endpoint.failure_count, endpoint.last_success, endpoint.last_failure) == (0, later, T0)
    assert second.success and second.last_attempt == T0  # backoff counts from the claim
    assert webhooks.due(session, later + timedelta(days=1)) == [first]
    # a 2xx with an error (say, the body could not be read) is a failure
    (retry,) = webhooks.claim(session, later)
    result = webhooks.record_attempt(
        session, retry, status_code=200, body=None, error="reset", now=later
    )
    assert not result.succeeded and endpoint.failure_count == 1
    # an outcome is recorded once: a second report of the same attempt changes nothing
    again = webhooks.record_attempt(session, retry, status_code=204, body="", error=None)
    assert not again.recorded and endpoint.failure_count == 1 and not first.success


def test_backoff_is_capped_at_a_day() -> None:
    assert webhooks.backoff(300, 1) == timedelta(seconds=300)
    assert webhooks.backoff(300, 4) == timedelta(seconds=2400)
    assert webhooks.backoff(300, 40) == timedelta(days=1)
    assert webhooks.backoff(200_000, 3) == timedelta(seconds=200_000)


def test_claim_hands_each_delivery_to_one_worker(engine) -> None:
    with Session(engine) as session:
        _endpoint(session)
        for n in range(6):
            webhooks.enqueue(session, "transfer.completed", {"n": n}, "t")
        session.commit()
    with Session(engine) as one, Session(engine) as two:
        first = webhooks.claim(one, limit=4)  # still locked: the other skips them
        second = webhooks.claim(two, limit=4)
        assert len(first) == 4 and len(second) == 2
        assert not {d.delivery_id for d in first} & {d.delivery_id for d in second}
        assert all(d.url == "https://example.com/hook" for d in first)
        one.commit()
        two.rollback()  # a claim rolled back gives its deliveries back
        assert len(webhooks.claim(two)) == 2 and webhooks.claim(one) == []


def test_a_lapsed_claim_is_taken_again_and_the_late_outcome_dropped(session: Session) -> None:
    endpoint = _endpoint(session, retry_delay=0)  # retries due at once: only the lease holds
    webhooks.enqueue(session, "transfer.completed", {"n": 1}, "t")
    (stale,) = webhooks.claim(session, T0, lease_s=60)
    assert webhooks.claim(session, T0 + timedelta(seconds=59), lease_s=60) == []
    (fresh,) = webhooks.claim(session, T0 + timedelta(seconds=60), lease_s=60)
    assert (stale.number, fresh.number) == (1, 2)
    late = webhooks.record_attempt(session, stale, status_code=204, body="", error=None)
    assert not late.recorded
    webhooks.record_attempt(session, fresh, status_code=500, body="", error=None)
    session.refresh(endpoint)
    assert (endpoint.failure_count, endpoint.last_success) == (1, None)


# Health


def test_health_status_from_thresholds(session: Session) -> None:
    cases = [
        (10, {}, "healthy", None),
        (499, {"warning": 500, "critical": 1000}, "healthy", Decimal(500)),
        (500, {"warning": 500, "critical": 1000}, "warning", Decimal(500)),
        (1000, {"warning": 500, "critical": 1000}, "critical", Decimal(1000)),
        (5000, {"critical": 1000}, "critical", Decimal(1000)),
        (21, {"warning": 20, "critical": 5, "higher_is_worse": False}, "healthy", Decimal(20)),
        (20, {"warning": 20, "critical": 5, "higher_is_worse": False}, "warning", Decimal(20)),
        (4.5, {"warning": 20, "critical": 5, "higher_is_worse": False}, "critical", Decimal(5)),
    ]
    for value, thresholds, status, threshold in cases:
        row = health.record(session, "svc", "m", value, unit="ms", **thresholds)
        assert (row.status, row.threshold) == (status, threshold), (value, thresholds)
    with pytest.raises(ValueError, match="critical threshold"):
        health.record(session, "svc", "m", 1, warning=10, critical=5)
    with pytest.raises(ValueError, match="critical threshold"):
        health.record(session, "svc", "m", 1, warning=5, critical=10, higher_is_worse=False)
    with pytest.raises(ValueError, match="finite"):
        health.record(session, "svc", "m", float("nan"))
    with pytest.raises(ValueError, match="numeric"):
        health.record(session, "svc", "m", 10**17)


def test_health_latest_per_metric(session: Session) -> None:
    health.record(session, "api", "latency", 100, warning=500, now=T0)
    health.record(session, "api", "latency", 700, warning=500, now=T0 + timedelta(seconds=1))
    health.record(session, "api", "errors", 0, critical=1, now=T0)
    health.record(session, "other", "latency", 1, now=T0 + timedelta(hours=1))
    session.commit()
    latest = health.latest(session, "api")
    assert {name: (row.metric_value, row.status) for name, row in latest.items()} == {
        "latency": (Decimal("700.0000"), "warning"),
        "errors": (Decimal("0.0000"), "healthy"),
    }
    assert health.worst(latest) == "warning"
    assert health.worst({}) == "healthy"
    assert health.latest(session, "nobody") == {}
