"""Benchmark (not a test): the hot reads through the package beside bare psycopg, index by index.

    python bench/queries.py [--users 100000] [--transactions-per-user 10] [--runs 1000]

Fills a scratch database (head, seeded for devnet) with ``gxschema.fake`` (100,000
users and 1,000,000 transactions by default, then ANALYZE), and for each hot query of
the services:

- checks with ``EXPLAIN (FORMAT JSON)`` that it is answered through the index meant
  for it (and by no sequential scan of its table): the script fails otherwise;
- runs it `--runs` times two ways, taking turns run by run so that load elsewhere on
  the machine falls on both alike, with parameters drawn at random from the data:
  *psycopg*, the SQL on one bare psycopg connection, prepared, autocommit (the
  floor: the server's work and one round trip); and *package*, what a service
  calls: the helper (``outbox.claim``, ``ratelimit.hit``) or the ORM query of the
  models, in a Session of ``gxschema.db.session_factory`` per run (its transaction,
  its pre-ping, its rows turned into objects: the package's overhead);
- reports client-side latency percentiles of both (round trips included).

The queries: a wallet's transaction history page; the outbox claim (``outbox.claim``'s
own UPDATE ... RETURNING, rolled back so every run finds the same pending commands);
a user's unread notifications; the audit log of an actor; a rate-limit hit
(``ratelimit.hit``'s upsert, on windows that exist). The bare reads select every
column, as the ORM does.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import psycopg
from _common import (
    Database,
    arguments,
    load_average,
    machine,
    migrate,
    percentile,
    say,
    seed,
    server,
    table,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from gxschema.cqrs import outbox
from gxschema.db import create_engine, session_factory
from gxschema.fake import FakeOptions, fill
from gxschema.models import AuditLog, Notification, Transaction
from gxschema.models.enums import NotificationStatus
from gxschema.platform import ratelimit
from gxschema.settings import DatabaseSettings


@dataclass(frozen=True)
class Query:
    name: str
    sql: str
    table: str
    index: str
    sample: str
    """SQL returning rows of parameters to draw from."""
    rollback: bool = False
    """Run each execution in a transaction that is rolled back (the outbox claim)."""
    params: Callable[[Sequence[Any]], Sequence[Any]] = lambda row: row
    package: Callable[[Session, Sequence[Any]], int] = lambda _session, _params: 0
    """The same work through the package, in `session`; returns the rows it got."""


def _window_params(row: Sequence[Any]) -> Sequence[Any]:
    tenant, client, endpoint, start, minutes, limit = row
    return (tenant, client, endpoint, start, start + timedelta(minutes=minutes), limit, minutes)


def _wallet_history(session: Session, params: Sequence[Any]) -> int:
    tenant, wallet = params
    query = (
        select(Transaction)
        .where(Transaction.tenant_id == tenant, Transaction.wallet_id == wallet)
        .order_by(Transaction.timestamp.desc())
        .limit(20)
    )
    return len(session.scalars(query).all())


def _outbox_claim(session: Session, _params: Sequence[Any]) -> int:
    claimed = len(outbox.claim(session, "bench-worker", 10))
    session.rollback()  # the same pending commands for the next run
    return claimed


def _unread_notifications(session: Session, params: Sequence[Any]) -> int:
    tenant, profile = params
    query = (
        select(Notification)
        .where(
            Notification.tenant_id == tenant,
            Notification.recipient_id == profile,
            Notification.status == NotificationStatus.UNREAD,
        )
        .order_by(Notification.created_at.desc())
        .limit(20)
    )
    return len(session.scalars(query).all())


def _actor_audit_log(session: Session, params: Sequence[Any]) -> int:
    tenant, profile = params
    query = (
        select(AuditLog)
        .where(AuditLog.tenant_id == tenant, AuditLog.actor_profile_id == profile)
        .order_by(AuditLog.timestamp.desc())
        .limit(50)
    )
    return len(session.scalars(query).all())


def _rate_limit_hit(session: Session, params: Sequence[Any]) -> int:
    tenant, client, endpoint, start, _end, limit, minutes = params
    ratelimit.hit(
        session,
        client,
        endpoint,
        limit=limit,
        window_minutes=minutes,
        tenant_id=tenant,
        now=start,
    )
    session.commit()
    return 1


QUERIES = (
    Query(
        "wallet history page (20 latest)",
        """SELECT * FROM "Transaction" WHERE "tenantId" = %s AND "walletId" = %s
           ORDER BY "timestamp" DESC LIMIT 20""",
        "Transaction",
        "Transaction_tenantId_walletId_timestamp_idx",
        """SELECT "tenantId", "walletId" FROM "Wallet" ORDER BY random() LIMIT 2000""",
        package=_wallet_history,
    ),
    Query(
        "outbox claim (10 pending)",
        """WITH picked AS (
               SELECT id FROM "OutboxCommand" WHERE status = 'PENDING'
               ORDER BY "createdAt" LIMIT 10 FOR UPDATE SKIP LOCKED)
           UPDATE "OutboxCommand" SET status = 'LOCKED', "lockedBy" = 'bench-worker',
                  "lockedAt" = now(), attempts = attempts + 1, "updatedAt" = now()
           FROM picked WHERE "OutboxCommand".id = picked.id
           RETURNING "OutboxCommand".*""",
        "OutboxCommand",
        "OutboxCommand_status_createdAt_idx",
        "SELECT 1",
        rollback=True,
        params=lambda _row: (),
        package=_outbox_claim,
    ),
    Query(
        "unread notifications of a user",
        """SELECT * FROM "Notification"
           WHERE "tenantId" = %s AND "recipientId" = %s AND status = 'UNREAD'
           ORDER BY "createdAt" DESC LIMIT 20""",
        "Notification",
        "Notification_tenantId_recipientId_status_idx",
        """SELECT "tenantId", "profileId" FROM "UserProfile" ORDER BY random()
           LIMIT 2000""",
        package=_unread_notifications,
    ),
    Query(
        "audit log of an actor (50 latest)",
        """SELECT * FROM "AuditLog" WHERE "tenantId" = %s AND "actorProfileId" = %s
           ORDER BY "timestamp" DESC LIMIT 50""",
        "AuditLog",
        "AuditLog_tenantId_actorProfileId_timestamp_idx",
        """SELECT "tenantId", "profileId" FROM "UserProfile" ORDER BY random()
           LIMIT 2000""",
        package=_actor_audit_log,
    ),
    Query(
        "rate-limit hit (upsert of a window)",
        """INSERT INTO "ApiRateLimit"
           ("rateLimitId", "tenantId", "clientId", "endpoint", "requestCount",
            "windowStart", "windowEnd", "maxRequests", "windowMinutes")
           VALUES (gen_random_uuid()::text, %s, %s, %s, 1, %s, %s, %s, %s)
           ON CONFLICT ("tenantId", "clientId", "endpoint", "windowStart")
           DO UPDATE SET "requestCount" = "ApiRateLimit"."requestCount" + 1,
                         "maxRequests" = EXCLUDED."maxRequests"
           RETURNING "requestCount\"""",
        "ApiRateLimit",
        "ApiRateLimit_tenantId_clientId_endpoint_windowStart_key",
        """SELECT "tenantId", "clientId", endpoint, "windowStart", "windowMinutes",
                  "maxRequests" FROM "ApiRateLimit" ORDER BY random() LIMIT 2000""",
        params=_window_params,
        package=_rate_limit_hit,
    ),
)


def _plan_nodes(plan: dict[str, Any]) -> list[dict[str, Any]]:
    nodes = [plan]
    for child in plan.get("Plans", []):
        nodes.extend(_plan_nodes(child))
    return nodes


def explain(connection: psycopg.Connection[Any], query: Query, params: Sequence[Any]) -> str:
    """The plan's index use; raises if the intended index is not used."""
    with connection.transaction(force_rollback=True):
        document = connection.execute(f"EXPLAIN (FORMAT JSON) {query.sql}", params).fetchone()
    assert document is not None
    plan = (document[0] if isinstance(document[0], list) else json.loads(document[0]))[0]["Plan"]
    nodes = _plan_nodes(plan)
    seq = [node for node in nodes if node.get("Node Type") == "Seq Scan"]
    if any(node.get("Relation Name") == query.table for node in seq):
        raise SystemExit(f"{query.name}: sequential scan of {query.table}")
    indexes = {node["Index Name"] for node in nodes if "Index Name" in node}
    arbiters = set(plan.get("Conflict Arbiter Indexes", []))
    used = indexes | arbiters
    if query.index not in used:
        raise SystemExit(f"{query.name}: expected {query.index}, plan uses {sorted(used)}")
    kinds = sorted({node["Node Type"] for node in nodes if "Index Name" in node})
    how = ", ".join(kinds) if kinds else "conflict arbiter"
    return f"{query.index} ({how})"


@dataclass
class Latencies:
    """Milliseconds of each run, and the rows the runs returned, of one way."""

    ms: list[float]
    rows: int = 0

    def row(self, runs: int) -> list[str]:
        return [
            f"{self.rows / max(runs, 1):.1f}",
            f"{percentile(self.ms, 0.5):.3f}",
            f"{percentile(self.ms, 0.95):.3f}",
            f"{percentile(self.ms, 0.99):.3f}",
        ]


def measure(
    connection: psycopg.Connection[Any],
    sessions: Callable[[], Session],
    query: Query,
    samples: list[Sequence[Any]],
    runs: int,
) -> tuple[Latencies, Latencies]:
    """`runs` runs of `query` bare and through the package, taking turns (order alternating)."""
    chooser = random.Random(7)
    bare, package = Latencies([]), Latencies([])

    def run_bare(params: Sequence[Any]) -> None:
        started = time.perf_counter()
        if query.rollback:
            with connection.transaction(force_rollback=True):
                rows = connection.execute(query.sql, params, prepare=True).fetchall()
        else:
            rows = connection.execute(query.sql, params, prepare=True).fetchall()
        bare.ms.append((time.perf_counter() - started) * 1000)
        bare.rows += len(rows)

    def run_package(params: Sequence[Any]) -> None:
        started = time.perf_counter()
        with sessions() as session:
            got = query.package(session, params)
        package.ms.append((time.perf_counter() - started) * 1000)
        package.rows += got

    for number in range(runs):
        params = query.params(chooser.choice(samples))
        first, second = (run_bare, run_package) if number % 2 else (run_package, run_bare)
        first(params)
        second(params)
    return bare, package


def load(database: Database, users: int, per_user: int) -> int:
    engine = database.engine()
    report = fill(engine, FakeOptions(users=users, transactions_per_user=per_user))
    engine.dispose()
    return report.total_rows


def main() -> None:
    parser = arguments(__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--transactions-per-user", type=int, default=10)
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument(
        "--no-plan-check",
        action="store_true",
        help="Do not require the index (tiny tables are scanned whole, rightly).",
    )
    args = parser.parse_args()
    results = []
    with server(keep=args.keep) as srv:
        database = srv.create()
        migrate(database)
        seed(database, "devnet")
        say(f"filling {args.users:,} users x {args.transactions_per_user} transactions")
        started = time.perf_counter()
        rows = load(database, args.users, args.transactions_per_user)
        say(f"{rows:,} rows in {time.perf_counter() - started:.0f}s")
        # the package's own engine (pre-ping, pooled); the scratch database named
        # explicitly, since PGDATABASE would otherwise win over the URL's
        engine = create_engine(
            DatabaseSettings(
                database_url=database.url.render_as_string(hide_password=False),
                database=database.name,
            )
        )
        sessions = session_factory(engine)
        with psycopg.connect(**database.libpq(), autocommit=True) as connection:
            counts = {
                name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]  # type: ignore[index]
                for name in ("Transaction", "UserProfile", "OutboxCommand", "Notification")
            }
            for query in QUERIES:
                samples = [tuple(row) for row in connection.execute(query.sample).fetchall()]
                plan = (
                    "not checked"
                    if args.no_plan_check
                    else explain(connection, query, query.params(samples[0]))
                )
                measure(connection, sessions, query, samples, min(50, args.runs))  # warm up
                load_now = load_average()[0]
                bare, package = measure(connection, sessions, query, samples, args.runs)
                overhead = percentile(package.ms, 0.95) / percentile(bare.ms, 0.95)
                say(f"{query.name}: p95 {percentile(package.ms, 0.95):.2f} ms, {overhead:.1f}x")
                results.append(
                    [
                        query.name,
                        plan,
                        *bare.row(args.runs),
                        *package.row(args.runs),
                        f"{overhead:.1f}x",
                        f"{load_now:.1f}",
                    ]
                )
        engine.dispose()
        version = srv.version()
    print(f"\nMachine: {machine(version)}\n")
    table(
        f"Hot queries on {counts['UserProfile']:,} users, {counts['Transaction']:,} transactions, "
        f"{counts['OutboxCommand']:,} outbox commands, {counts['Notification']:,} notifications "
        f"({args.runs} runs each, ms)",
        [
            "query",
            "index used (EXPLAIN)",
            "rows",
            "psycopg p50",
            "p95",
            "p99",
            "rows",
            "package p50",
            "p95",
            "p99",
            "package / psycopg at p95",
            "load 1m",
        ],
        results,
    )


if __name__ == "__main__":
    main()
