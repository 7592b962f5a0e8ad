"""Platform: partners' webhooks and their deliveries, API rate-limit windows, health metrics."""

from __future__ import annotations

from collections.abc import Iterator

from gxschema.fake.core import (
    DAY_MS,
    EPOCH_MS,
    HOUR_MS,
    MINUTE_MS,
    SECOND_MS,
    Context,
    Row,
    TableSpec,
    compact_json,
    hex_token,
    stamp,
)
from gxschema.fake.licensing import APPS, CREDENTIALS_PER_LICENSE, partner_id, partner_status
from gxschema.fake.pools import ENDPOINTS, SERVICES

WEBHOOKS_PER_PARTNER = 2
WEBHOOK_EVENTS = (
    ("transaction.completed", "transaction.failed"),
    ("wallet.credited", "wallet.debited", "kyc.approved"),
)
CREDENTIAL_WINDOWS = 12
"""Hourly rate-limit windows per API credential (the last 12 hours)."""
USER_WINDOWS = (0, 1, 2, 1)
"""One-minute windows per user (the user's app calling the API)."""
METRICS = (
    # name, unit, typical value, degraded from, unhealthy from
    ("latency_p95", "ms", 180.0, 400.0, 1000.0),
    ("error_rate", "percent", 0.4, 2.0, 5.0),
    ("cpu_usage", "percent", 35.0, 75.0, 90.0),
    ("outbox_lag", "commands", 12.0, 500.0, 5000.0),
)
SAMPLE_EVERY = 5 * MINUTE_MS


def tables(ctx: Context) -> list[TableSpec]:
    endpoints = ctx.partners * WEBHOOKS_PER_PARTNER
    credentials = ctx.partners * len(APPS) * CREDENTIALS_PER_LICENSE
    limit_units = ctx.partners + ctx.users
    return [
        _webhook_endpoint_table(ctx, endpoints),
        _webhook_delivery_table(ctx, endpoints),
        _api_rate_limit_table(ctx, credentials, limit_units),
        _health_check_metric_table(ctx),
    ]


def _webhook_endpoint_table(ctx: Context, endpoints: int) -> TableSpec:
    """Declares the WebhookEndpoint table."""
    return TableSpec(
        "WebhookEndpoint",
        (
            "webhookId",
            "tenantId",
            "partnerId",
            "url",
            "secret",
            "events",
            "isActive",
            "maxRetries",
            "retryDelay",
            "lastSuccess",
            "lastFailure",
            "failureCount",
            "createdAt",
            "updatedAt",
        ),
        endpoints,
        lambda: _endpoints(ctx, 0, ctx.partners),
        lambda start, stop: _endpoints(ctx, start, stop),
        ctx.partners,
    )


def _webhook_delivery_table(ctx: Context, endpoints: int) -> TableSpec:
    """Declares the WebhookDelivery table."""
    return TableSpec(
        "WebhookDelivery",
        (
            "deliveryId",
            "tenantId",
            "webhookId",
            "eventType",
            "payload",
            "attempts",
            "lastAttempt",
            "success",
            "responseCode",
            "responseBody",
            "error",
            "createdAt",
        ),
        deliveries(ctx),
        lambda: _deliveries(ctx, 0, endpoints),
        lambda start, stop: _deliveries(ctx, start, stop),
        endpoints,
    )


def _api_rate_limit_table(ctx: Context, credentials: int, limit_units: int) -> TableSpec:
    """Declares the ApiRateLimit table."""
    return TableSpec(
        "ApiRateLimit",
        (
            "rateLimitId",
            "tenantId",
            "clientId",
            "endpoint",
            "requestCount",
            "windowStart",
            "windowEnd",
            "maxRequests",
            "windowMinutes",
        ),
        credentials * CREDENTIAL_WINDOWS + ctx.per_user_total(USER_WINDOWS),
        lambda: _rate_limits(ctx, 0, limit_units),
        lambda start, stop: _rate_limits(ctx, start, stop),
        limit_units,
    )


def _health_check_metric_table(ctx: Context) -> TableSpec:
    """Declares the HealthCheckMetric table."""
    return TableSpec(
        "HealthCheckMetric",
        (
            "metricId",
            "tenantId",
            "serviceName",
            "metricName",
            "metricValue",
            "unit",
            "status",
            "threshold",
            "timestamp",
        ),
        samples(ctx) * len(SERVICES) * len(METRICS),
        lambda: _metrics(ctx, 0, samples(ctx)),
        lambda start, stop: _metrics(ctx, start, stop),
        samples(ctx),
    )


def deliveries(ctx: Context) -> int:
    return max(ctx.partners * WEBHOOKS_PER_PARTNER, ctx.users // 4)


def samples(ctx: Context) -> int:
    """Five-minute samples per service and metric: at least an hour, more for more users."""
    return max(12, ctx.users // 200)


def _endpoints(ctx: Context, start: int, stop: int) -> Iterator[Row]:
    """The webhooks of partners ``start`` to ``stop - 1``."""
    ids = ctx.ids("WebhookEndpoint")
    secret_key = ctx.key("webhook-secret")
    for partner in range(start, stop):
        host = ctx.pools.slug(ctx.partner_name(partner))[:40]
        created = ctx.partner_created_ms(partner) + 5 * DAY_MS
        active = partner_status(partner) == "ACTIVE"
        for number in range(WEBHOOKS_PER_PARTNER):
            index = partner * WEBHOOKS_PER_PARTNER + number
            value = ctx.hash("webhook", index)
            failures = (value % 7) if value % 4 == 0 else 0
            yield (
                ids(partner, number),
                ctx.partner_tenant(partner),
                partner_id(ctx, partner),
                f"https://hooks.{host}.example.com/gx/{('payments', 'wallets')[number]}",
                # a random fake signing secret; fake data holds no real one
                "whsec_" + hex_token(secret_key, index, 40),
                list(WEBHOOK_EVENTS[number]),
                active,
                3 if number == 0 else 5,
                300,
                stamp(EPOCH_MS - value % HOUR_MS) if active else None,
                stamp(EPOCH_MS - (value >> 8) % (3 * DAY_MS)) if failures else None,
                failures,
                stamp(created),
                stamp(max(created, EPOCH_MS - (value >> 16) % (30 * DAY_MS))),
            )


def _deliveries(ctx: Context, start: int, stop: int) -> Iterator[Row]:
    """The deliveries to webhooks ``start`` to ``stop - 1``."""
    ids = ctx.ids("WebhookDelivery")
    webhooks = ctx.ids("WebhookEndpoint")
    endpoints = ctx.partners * WEBHOOKS_PER_PARTNER
    total = deliveries(ctx)
    for endpoint in range(start, stop):
        partner, number = divmod(endpoint, WEBHOOKS_PER_PARTNER)
        tenant = ctx.partner_tenant(partner)
        webhook = webhooks(partner, number)
        events = WEBHOOK_EVENTS[number]
        count = total // endpoints + (endpoint < total % endpoints)
        opened = ctx.partner_created_ms(partner) + 5 * DAY_MS
        for delivery in range(count):
            index = endpoint * (total // endpoints + 1) + delivery
            value = ctx.hash("delivery", index)
            created = opened + (EPOCH_MS - opened) * (delivery + 1) // (count + 1)
            success = value % 20 != 0
            code = 200 if success else (500, 503, 404, None)[(value >> 8) % 4]
            attempts = 1 if success else 1 + (value >> 12) % 5
            user = (value >> 16) % ctx.users
            yield (
                ids(endpoint, delivery),
                tenant,
                webhook,
                events[value % len(events)],
                compact_json({"walletId": ctx.wallet_id(user), "sequence": delivery}),
                attempts,
                stamp(created + attempts * 30 * SECOND_MS),
                success,
                code,
                '{"ok":true}' if success else None,
                None if success else ("connection timed out" if code is None else f"HTTP {code}"),
                stamp(created),
            )


def _rate_limits(ctx: Context, start: int, stop: int) -> Iterator[Row]:
    """Rate-limit windows of units ``start`` to ``stop - 1``: the partners (their API
    credentials' windows), then the users."""
    ids = ctx.ids("ApiRateLimit")
    hour_start = EPOCH_MS - EPOCH_MS % HOUR_MS
    partners = ctx.partners
    for partner in range(start, min(stop, partners)):
        tenant = ctx.partner_tenant(partner)
        for app in range(len(APPS)):
            for number in range(CREDENTIALS_PER_LICENSE):
                # the credentials of all partners, numbered in turn
                credential = (partner * len(APPS) + app) * CREDENTIALS_PER_LICENSE + number
                client = ctx.client_id(partner, app, number)
                for window in range(CREDENTIAL_WINDOWS):
                    value = ctx.hash("rate-credential", credential * 16 + window)
                    window_start = hour_start - (window + 1) * HOUR_MS
                    yield (
                        ids("credential", credential, window),
                        tenant,
                        client,
                        ENDPOINTS[window % len(ENDPOINTS)],
                        value % 1200,
                        stamp(window_start),
                        stamp(window_start + HOUR_MS),
                        1000,
                        60,
                    )
    minute_start = EPOCH_MS - EPOCH_MS % MINUTE_MS
    for user in range(max(0, start - partners), stop - partners):
        tenant = ctx.user_tenant(user)
        client = f"user:{ctx.user_id(user)}"
        for window in range(ctx.user_count(USER_WINDOWS, user)):
            value = ctx.hash("rate-user", user * 4 + window)
            # windows of one user never share a start: each has its own 600-minute range
            window_start = minute_start - (1 + window * 600 + (value >> 8) % 600) * MINUTE_MS
            yield (
                ids("user", user, window),
                tenant,
                client,
                ENDPOINTS[value % len(ENDPOINTS)],
                1 + (value >> 20) % 60,
                stamp(window_start),
                stamp(window_start + MINUTE_MS),
                60,
                1,
            )


def _metrics(ctx: Context, start: int, stop: int) -> Iterator[Row]:
    """Samples ``start`` to ``stop - 1`` of every service and metric."""
    ids = ctx.ids("HealthCheckMetric")
    count = samples(ctx)
    latest = EPOCH_MS - EPOCH_MS % SAMPLE_EVERY
    for sample in range(start, stop):
        moment = latest - (count - 1 - sample) * SAMPLE_EVERY
        index = sample * len(SERVICES) * len(METRICS)  # the readings numbered in turn
        for service in SERVICES:
            for name, unit, typical, degraded, unhealthy in METRICS:
                value = ctx.hash("metric", index)
                spike = value % 200 == 0
                factor = 0.6 + (value >> 8) % 900 / 1000 + (8.0 if spike else 0.0)
                reading = round(typical * factor, 4)
                status = (
                    "unhealthy"
                    if reading >= unhealthy
                    else "degraded"
                    if reading >= degraded
                    else "healthy"
                )
                yield (
                    ids.of(index),
                    "global",
                    service,
                    name,
                    f"{reading:.4f}",
                    unit,
                    status,
                    f"{degraded:.4f}",
                    stamp(moment + (value >> 20) % (10 * SECOND_MS)),
                )
                index += 1
