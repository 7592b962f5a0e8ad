"""gxschema.schemas: Create models refuse what PostgreSQL would, Read models load real rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from pydantic import ValidationError
from sqlalchemy.orm import Session

from gxschema.models import Country, LicensedPartner
from gxschema.models.enums import CommandType, OutboxStatus
from gxschema.platform import webhooks
from gxschema.schemas import (
    ApiRateLimitCreate,
    ApiRateLimitRead,
    CountryCode,
    FeatureFlagCreate,
    FeatureFlagRead,
    HealthCheckMetricCreate,
    HealthCheckMetricRead,
    OutboxCommandCreate,
    OutboxCommandRead,
    SystemConfigCreate,
    SystemConfigRead,
    WebhookDeliveryCreate,
    WebhookDeliveryRead,
    WebhookEndpointCreate,
    WebhookEndpointRead,
)

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
SECRET = "whsec_0123456789abcdef"


def _errors(model, **values) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(values)
    return [".".join(map(str, e["loc"])) for e in caught.value.errors()]


def _endpoint(**changes):
    values = {
        "tenantId": "t",
        "partnerId": "p",
        "url": "https://partner.example/hooks?x=1",
        "secret": SECRET,
        "events": ["transfer.completed"],
    }
    values.update(changes)
    return values


# Create: what the database or the column's meaning refuses


def test_feature_flag_rollout_and_key() -> None:
    flag = FeatureFlagCreate.model_validate({"flagKey": "enable_x", "rolloutPercent": 30})
    assert (flag.tenant_id, flag.is_enabled, flag.rollout_percent) == ("global", False, 30)
    assert FeatureFlagCreate(flag_key="enable_x", rollout_percent=100).rollout_percent == 100
    assert _errors(FeatureFlagCreate, flagKey="enable_x", rolloutPercent=101) == ["rolloutPercent"]
    assert _errors(FeatureFlagCreate, flagKey="enable_x", rolloutPercent=-1) == ["rolloutPercent"]
    assert _errors(FeatureFlagCreate, flagKey="Enable X") == ["flagKey"]
    assert _errors(FeatureFlagCreate, flagKey="enable_x", targetRoles=["ok", ""]) == [
        "targetRoles.1"
    ]
    assert _errors(FeatureFlagCreate, flagKey="enable_x", description="a\x00b") == ["description"]
    assert _errors(FeatureFlagCreate, flagKey="enable_x", colour="red") == ["colour"]


def test_webhook_endpoint_url_secret_events() -> None:
    endpoint = WebhookEndpointCreate.model_validate(_endpoint())
    assert endpoint.url == "https://partner.example/hooks?x=1"  # kept exactly as given
    assert (endpoint.max_retries, endpoint.retry_delay, endpoint.is_active) == (3, 300, True)
    assert SECRET not in repr(endpoint) and SECRET not in str(endpoint.model_dump())
    for url in (
        "ftp://partner.example/x",
        "partner.example/hooks",
        "https://",
        "http:///path",
        "https://exa mple.com/",
        "https://example.com:99999/",
        "javascript:alert(1)",
        "",
    ):
        assert _errors(WebhookEndpointCreate, **_endpoint(url=url)) == ["url"], url
    assert WebhookEndpointCreate.model_validate(_endpoint(url="http://10.0.0.1:8080/h")).url
    assert _errors(WebhookEndpointCreate, **_endpoint(secret="short")) == ["secret"]
    assert _errors(WebhookEndpointCreate, **_endpoint(events=[])) == ["events"]
    assert _errors(WebhookEndpointCreate, **_endpoint(retryDelay=0)) == ["retryDelay"]
    assert _errors(WebhookEndpointCreate, **_endpoint(maxRetries=2**31)) == ["maxRetries"]


def test_rate_limit_window_must_be_consistent() -> None:
    values = {
        "tenantId": "t",
        "clientId": "c",
        "endpoint": "GET /x",
        "windowStart": T0,
        "windowEnd": T0 + timedelta(minutes=5),
        "maxRequests": 100,
        "windowMinutes": 5,
    }
    assert ApiRateLimitCreate.model_validate(values).request_count == 0
    with pytest.raises(ValidationError, match="windowStart \\+ windowMinutes"):
        ApiRateLimitCreate.model_validate({**values, "windowMinutes": 1})
    naive = {**values, "windowStart": datetime(2026, 3, 1), "windowEnd": datetime(2026, 3, 1, 0, 5)}
    assert set(_errors(ApiRateLimitCreate, **naive)) == {"windowStart", "windowEnd"}
    assert _errors(ApiRateLimitCreate, **{**values, "requestCount": 2**31}) == ["requestCount"]
    assert _errors(ApiRateLimitCreate, **{**values, "clientId": ""}) == ["clientId"]


def test_system_config_value_matches_its_type() -> None:
    ok = SystemConfigCreate.model_validate(
        {"configKey": "transactionFeeBps", "valueType": "number", "configValue": 50}
    )
    assert (ok.tenant_id, ok.is_secret) == ("global", False)
    with pytest.raises(ValidationError, match="is number") as caught:
        SystemConfigCreate.model_validate(
            {"configKey": "transactionFeeBps", "valueType": "number", "configValue": "50"}
        )
    assert [e["loc"] for e in caught.value.errors()] == [("configValue",)]
    assert _errors(SystemConfigCreate, configKey="k", valueType="integer", configValue=1) == [
        "valueType"
    ]
    assert _errors(SystemConfigCreate, configKey="fee_bps", valueType="number", configValue=1) == [
        "configKey"
    ]
    assert _errors(SystemConfigCreate, configKey="k", valueType="json", configValue={"a": "\x00"})
    secret = {"configKey": "apiToken", "isSecret": True, "valueType": "number"}
    with pytest.raises(ValidationError) as caught:
        SystemConfigCreate.model_validate({**secret, "configValue": "hunter2-secret"})
    assert "hunter2" not in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        WebhookEndpointCreate.model_validate(_endpoint(secret="short-secret", url="x"))
    assert "short-secret" not in str(caught.value)


def test_health_metric_numeric_and_status() -> None:
    metric = HealthCheckMetricCreate.model_validate(
        {"serviceName": "api", "metricName": "p99", "metricValue": "1.23456", "status": "warning"}
    )
    assert metric.metric_value == Decimal("1.2346")  # rounded like numeric(20,4)
    base = {"serviceName": "api", "metricName": "p99", "metricValue": 1, "status": "healthy"}
    assert _errors(HealthCheckMetricCreate, **{**base, "status": "ok"}) == ["status"]
    assert _errors(HealthCheckMetricCreate, **{**base, "metricValue": 10**16}) == ["metricValue"]
    assert _errors(HealthCheckMetricCreate, **{**base, "metricValue": "NaN"}) == ["metricValue"]
    assert _errors(HealthCheckMetricCreate, **{**base, "metricValue": True}) == ["metricValue"]
    assert _errors(HealthCheckMetricCreate, **{**base, "threshold": "x"}) == ["threshold"]


def test_outbox_command_enum_and_payload() -> None:
    command = OutboxCommandCreate.model_validate(
        {
            "tenantId": "t",
            "service": "s",
            "commandType": "TRANSFER_TOKENS",
            "requestId": "r",
            "payload": {"amount": 5},
        }
    )
    assert command.command_type is CommandType.TRANSFER_TOKENS
    base = command.model_dump(by_alias=True)
    assert set(base) == {"tenantId", "service", "commandType", "requestId", "payload"}
    assert _errors(OutboxCommandCreate, **{**base, "commandType": "MINT"}) == ["commandType"]
    assert _errors(OutboxCommandCreate, **{**base, "payload": {"x": float("inf")}}) == ["payload"]
    assert _errors(OutboxCommandCreate, **{**base, "payload": {"x": 2**53 + 1}}) == ["payload"]
    assert _errors(OutboxCommandCreate, **{**base, "payload": [1]}) == ["payload"]


def test_country_code_length_and_form() -> None:
    from pydantic import TypeAdapter

    adapter = TypeAdapter(CountryCode)
    assert adapter.validate_python("LK") == "LK"
    for wrong in ("L", "LKA", "lk", "1K", ""):
        with pytest.raises(ValidationError):
            adapter.validate_python(wrong)


# Create -> database -> Read


def test_creates_insert_and_reads_load_from_rows(session: Session) -> None:
    session.add(Country(country_code="ZZ", country_name="Testland", region="Europe"))
    partner = LicensedPartner(tenant_id="t", company_name="P", jurisdiction_country_code="ZZ")
    session.add(partner)
    session.flush()
    endpoint = WebhookEndpointCreate.model_validate(_endpoint(partnerId=partner.partner_id))
    endpoint_row = endpoint.to_model()
    session.add(endpoint_row)
    session.flush()
    assert endpoint_row.secret == SECRET  # revealed for the row only
    delivery_row = WebhookDeliveryCreate(
        tenant_id="t", webhook_id=endpoint_row.webhook_id, event_type="e", payload={"a": 1}
    ).to_model()
    rows = [
        endpoint_row,
        delivery_row,
        FeatureFlagCreate(flag_key="enable_x", rollout_percent=5, target_roles=["a"]).to_model(),
        SystemConfigCreate(
            config_key="apiToken", value_type="string", config_value="tok", is_secret=True
        ).to_model(),
        HealthCheckMetricCreate(
            service_name="api", metric_name="m", metric_value=Decimal("1.5"), status="healthy"
        ).to_model(),
        ApiRateLimitCreate(
            tenant_id="t",
            client_id="c",
            endpoint="e",
            window_start=T0,
            window_end=T0 + timedelta(minutes=1),
            max_requests=5,
            window_minutes=1,
        ).to_model(),
        OutboxCommandCreate(
            tenant_id="t",
            service="s",
            command_type=CommandType.CREATE_USER,
            request_id="r",
            payload={},
        ).to_model(),
    ]
    session.add_all(rows)
    session.commit()
    for row in rows:
        session.refresh(row)
    endpoint_read = WebhookEndpointRead.model_validate(rows[0])
    assert "secret" not in endpoint_read.model_dump() and SECRET not in repr(endpoint_read)
    assert endpoint_read.model_dump(by_alias=True)["webhookId"] == endpoint_row.webhook_id
    (attempt,) = webhooks.claim(session)
    webhooks.record_attempt(session, attempt, status_code=500, body="x", error=None)
    delivery = WebhookDeliveryRead.model_validate(delivery_row)
    assert (delivery.attempts, delivery.response_code, delivery.success) == (1, 500, False)
    flag = FeatureFlagRead.model_validate(rows[2])
    assert (flag.rollout_percent, flag.target_roles, flag.target_user_ids) == (5, ["a"], None)
    config = SystemConfigRead.model_validate(rows[3])
    assert config.config_value == "tok" and config.redacted().config_value == "***"
    metric = HealthCheckMetricRead.model_validate(rows[4])
    assert metric.metric_value == Decimal("1.5") and metric.timestamp.tzinfo is not None
    assert ApiRateLimitRead.model_validate(rows[5]).request_count == 0
    command = OutboxCommandRead.model_validate(rows[6])
    assert (command.status, command.attempts, command.command_type) == (
        OutboxStatus.PENDING,
        0,
        CommandType.CREATE_USER,
    )
    assert OutboxCommandRead.model_validate_json(command.model_dump_json(by_alias=True)) == command
