"""Health metrics (``HealthCheckMetric``): record a measurement with its status.

    from gxschema.platform import health

    health.record(session, "svc-identity", "p99_latency_ms", 840, unit="ms",
                  warning=500, critical=1000)                 # status "warning"
    health.record(session, "svc-identity", "free_disk_pct", 4, unit="%",
                  warning=20, critical=5, higher_is_worse=False)   # "critical"
    health.latest(session, "svc-identity")   # {"free_disk_pct": ..., "p99_latency_ms": ...}

Status, with `higher_is_worse` (the default): ``critical`` when value >= critical,
else ``warning`` when value >= warning, else ``healthy``. With
``higher_is_worse=False`` the comparisons are value <= critical and value <= warning.
A threshold that is not given is never crossed. The row's ``threshold`` is the
threshold that decided the status: the one crossed, or for a healthy value the next
one it would cross (warning if given, else critical).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Final, Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gxschema.models import HealthCheckMetric
from gxschema.models.base import utcnow

HealthStatus = Literal["healthy", "warning", "critical"]
HEALTHY: Final[HealthStatus] = "healthy"
WARNING: Final[HealthStatus] = "warning"
CRITICAL: Final[HealthStatus] = "critical"
STATUSES: Final[tuple[HealthStatus, ...]] = ("healthy", "warning", "critical")
"""From best to worst."""

DEFAULT_TENANT: Final = "global"
_LIMIT = Decimal("1e16")  # numeric(20, 4): 16 digits before the point
_QUANTUM = Decimal("0.0001")

Number = Decimal | int | float


def _decimal(value: Number, name: str) -> Decimal:
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"{name} is not a number: {value!r}") from None
    if not number.is_finite():
        raise ValueError(f"{name} must be finite, not {value!r}")
    rounded = number.quantize(_QUANTUM)
    if abs(rounded) >= _LIMIT:
        raise ValueError(f"{name} {value!r} does not fit numeric(20,4) (|x| < 1e16)")
    return rounded


def status_of(
    value: Number,
    *,
    warning: Number | None = None,
    critical: Number | None = None,
    higher_is_worse: bool = True,
) -> tuple[HealthStatus, Decimal | None]:
    """The status of `value` and the threshold that decided it (see the module's rules)."""
    number = _decimal(value, "value")
    warn = None if warning is None else _decimal(warning, "warning")
    crit = None if critical is None else _decimal(critical, "critical")
    if warn is not None and crit is not None:
        consistent = warn <= crit if higher_is_worse else warn >= crit
        if not consistent:
            direction = "above" if higher_is_worse else "below"
            raise ValueError(
                f"the critical threshold {crit} must be at or {direction} the warning "
                f"threshold {warn} (higher_is_worse={higher_is_worse})"
            )

    def crossed(threshold: Decimal | None) -> bool:
        if threshold is None:
            return False
        return number >= threshold if higher_is_worse else number <= threshold

    if crossed(crit):
        return CRITICAL, crit
    if crossed(warn):
        return WARNING, warn
    return HEALTHY, warn if warn is not None else crit


def record(
    session: Session,
    service: str,
    metric: str,
    value: Number,
    *,
    unit: str | None = None,
    warning: Number | None = None,
    critical: Number | None = None,
    higher_is_worse: bool = True,
    tenant_id: str = DEFAULT_TENANT,
    now: datetime | None = None,
) -> HealthCheckMetric:
    """Add a measurement of `metric` for `service`, with its status; flushed, not committed."""
    status, threshold = status_of(
        value, warning=warning, critical=critical, higher_is_worse=higher_is_worse
    )
    row = HealthCheckMetric(
        tenant_id=tenant_id,
        service_name=service,
        metric_name=metric,
        metric_value=_decimal(value, "value"),
        unit=unit,
        status=status,
        threshold=threshold,
        timestamp=now or utcnow(),
    )
    session.add(row)
    session.flush()
    return row


def latest(
    session: Session, service: str, *, tenant_id: str = DEFAULT_TENANT
) -> dict[str, HealthCheckMetric]:
    """The most recent measurement of each metric of `service`, by metric name."""
    ranked = (
        select(
            HealthCheckMetric.metric_id.label("id"),
            func.row_number()
            .over(
                partition_by=HealthCheckMetric.metric_name,
                order_by=HealthCheckMetric.timestamp.desc(),
            )
            .label("position"),
        )
        .where(HealthCheckMetric.tenant_id == tenant_id, HealthCheckMetric.service_name == service)
        .subquery()
    )
    rows = session.scalars(
        select(HealthCheckMetric)
        .join(ranked, ranked.c.id == HealthCheckMetric.metric_id)
        .where(ranked.c.position == 1)
        .order_by(HealthCheckMetric.metric_name)
    )
    return {row.metric_name: row for row in rows}


def worst(metrics: dict[str, HealthCheckMetric]) -> HealthStatus:
    """The worst status among `metrics` (``healthy`` when there are none)."""
    found: HealthStatus = HEALTHY
    for row in metrics.values():
        # an unknown status text (written by someone else) counts as the worst
        status = next((known for known in STATUSES if known == row.status), CRITICAL)
        if STATUSES.index(status) > STATUSES.index(found):
            found = status
    return found
