"""Benchmark (not a test): the hot reads on a production-sized database, index by index.

    python bench/queries.py [--users 100000] [--transactions-per-user 10] [--runs 1000]

Fills a scratch database (head, seeded for devnet) with ``gxschema.fake`` (100,000
users and 1,000,000 transactions by default, then ANALYZE), and for each hot query of
the services:

- checks with ``EXPLAIN (FORMAT JSON)`` that it is answered through the index meant
  for it (and by no sequential scan of its table): the script fails otherwise;
- runs it `--runs` times with parameters drawn at random from the data, on one
  connection with prepared statements as the services use them, and reports the
  latency percentiles (client side: round trip included).

The queries: a wallet's transaction history page; the outbox poll (claiming pending
commands, rolled back so every run finds them again); a user's unread notifications;
the audit log of an actor; a rate-limit hit (the upsert of ``gxschema.platform.
ratelimit``, on windows that exist).
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
from _common import Database, arguments, machine, migrate, percentile, say, seed, server, table

from gxschema.fake import FakeOptions, fill


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


def _window_params(row: Sequence[Any]) -> Sequence[Any]:
    tenant, client, endpoint, start, minutes, limit = row
    return (tenant, client, endpoint, start, start + timedelta(minutes=minutes), limit, minutes)


QUERIES = (
    Query(
        "wallet history page (20 latest)",
        """SELECT "offTxId", type, counterparty, amount, fee, remark, "timestamp"
           FROM "Transaction" WHERE "tenantId" = %s AND "walletId" = %s
           ORDER BY "timestamp" DESC LIMIT 20""",
        "Transaction",
        "Transaction_tenantId_walletId_timestamp_idx",
        """SELECT "tenantId", "walletId" FROM "Wallet" ORDER BY random() LIMIT 2000""",
    ),
    Query(
        "outbox poll (claim 10 pending)",
        """SELECT id, "commandType", payload FROM "OutboxCommand"
           WHERE status = 'PENDING' ORDER BY "createdAt" LIMIT 10
           FOR UPDATE SKIP LOCKED""",
        "OutboxCommand",
        "OutboxCommand_status_createdAt_idx",
        "SELECT 1",
        rollback=True,
        params=lambda _row: (),
    ),
    Query(
        "unread notifications of a user",
        """SELECT "notificationId", type, title, message, "createdAt" FROM "Notification"
           WHERE "tenantId" = %s AND "recipientId" = %s AND status = 'UNREAD'
           ORDER BY "createdAt" DESC LIMIT 20""",
        "Notification",
        "Notification_tenantId_recipientId_status_idx",
        """SELECT "tenantId", "profileId" FROM "UserProfile" ORDER BY random()
           LIMIT 2000""",
    ),
    Query(
        "audit log of an actor (50 latest)",
        """SELECT "auditId", "eventType", "resourceType", "resourceId", "timestamp"
           FROM "AuditLog" WHERE "tenantId" = %s AND "actorProfileId" = %s
           ORDER BY "timestamp" DESC LIMIT 50""",
        "AuditLog",
        "AuditLog_tenantId_actorProfileId_timestamp_idx",
        """SELECT "tenantId", "profileId" FROM "UserProfile" ORDER BY random()
           LIMIT 2000""",
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


def measure(
    connection: psycopg.Connection[Any], query: Query, samples: list[Sequence[Any]], runs: int
) -> tuple[list[float], float]:
    chooser = random.Random(7)
    latencies = []
    returned = 0
    for _ in range(runs):
        params = query.params(chooser.choice(samples))
        started = time.perf_counter()
        if query.rollback:
            with connection.transaction(force_rollback=True):
                rows = connection.execute(query.sql, params, prepare=True).fetchall()
        else:
            rows = connection.execute(query.sql, params, prepare=True).fetchall()
        latencies.append((time.perf_counter() - started) * 1000)
        returned += len(rows)
    return latencies, returned / runs


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
        with psycopg.connect(**database.libpq(), autocommit=True) as connection:
            counts = {
                name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]  # type: ignore[index]
                for name in ("Transaction", "UserProfile", "OutboxCommand", "Notification")
            }
            for query in QUERIES:
                samples = [tuple(row) for row in connection.execute(query.sample).fetchall()]
                plan = explain(connection, query, query.params(samples[0]))
                measure(connection, query, samples, min(50, args.runs))  # warm up, prepare
                latencies, per_run = measure(connection, query, samples, args.runs)
                say(f"{query.name}: p50 {percentile(latencies, 0.5):.2f} ms")
                results.append(
                    [
                        query.name,
                        plan,
                        f"{per_run:.1f}",
                        f"{percentile(latencies, 0.5):.3f}",
                        f"{percentile(latencies, 0.95):.3f}",
                        f"{percentile(latencies, 0.99):.3f}",
                        f"{max(latencies):.3f}",
                    ]
                )
        version = srv.version()
    print(f"\nMachine: {machine(version)}\n")
    table(
        f"Hot queries on {counts['UserProfile']:,} users, {counts['Transaction']:,} transactions, "
        f"{counts['OutboxCommand']:,} outbox commands, {counts['Notification']:,} notifications "
        f"({args.runs} runs each, ms)",
        ["query", "index used (EXPLAIN)", "rows", "p50", "p95", "p99", "max"],
        results,
    )


if __name__ == "__main__":
    main()
