"""Benchmark (not a test): gxschema's helpers beside plain SQL doing the same statements.

    python bench/helpers.py [--operations 1000] [--batch 10] [--warmup 50]

Measures, on one scratch database, one transaction per operation:

- ``ratelimit.hit``: a rate-limit hit (INSERT ... ON CONFLICT DO UPDATE ... RETURNING);
- ``outbox.claim``: claiming the next `--batch` PENDING commands of the outbox
  (WITH ... FOR UPDATE SKIP LOCKED ... UPDATE ... RETURNING), from one table that
  holds enough commands for every claim of the run.

Each operation is done three ways:

1. ``helper``: the gxschema function, on a session of `gxschema.db.session_factory`;
2. ``plain SQL``: the same statement as hand-written SQL text, executed on the same
   kind of session: what a service would write without the helper. The goal is
   helper / plain SQL >= 0.80: the helper's own cost (building the statement and
   parameters, loading ORM rows, the answer object) stays small;
3. ``psycopg``: the same SQL on a bare psycopg connection, no SQLAlchemy at all. Its
   ratio shows what SQLAlchemy's session costs per transaction on this machine; it
   is the same for any code that uses a Session, helper or not.

The three ways take turns operation by operation (the order rotating), each timed
on its own, so that a burst of load on the machine (or a slow fsync) falls on all
of them alike; the first `--warmup` operations of each (connections, prepared
statements, caches) are not counted. Throughput is counted operations divided by
the time they took.

The database: $DATABASE_URL or the PG* variables, else the embedded PostgreSQL of
`gxschema up` (started if needed, and stopped again if this run started it). A
scratch database ``gxbench_<random>`` is created, migrated to head and dropped.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
import uuid
from collections.abc import Callable
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, insert, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

if __package__ in (None, ""):  # run as `python bench/helpers.py` from a checkout
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gxschema import embedded, migrator
from gxschema.cqrs import outbox
from gxschema.db import session_factory
from gxschema.models import OutboxCommand
from gxschema.models.enums import CommandType
from gxschema.platform import ratelimit
from gxschema.settings import DatabaseSettings, load_settings

GOAL = 0.80
NOW = datetime(2026, 1, 1, 12, 0, 30, tzinfo=UTC)

PSYCOPG_CLAIM = """
WITH picked AS (
    SELECT "OutboxCommand".id AS id FROM "OutboxCommand"
    WHERE "OutboxCommand".status = %(pending)s
    ORDER BY "OutboxCommand"."createdAt"
    LIMIT %(limit)s FOR UPDATE SKIP LOCKED)
UPDATE "OutboxCommand"
SET status = %(locked)s, attempts = "OutboxCommand".attempts + 1, "lockedBy" = %(worker)s,
    "lockedAt" = %(now)s, "updatedAt" = %(now)s
FROM picked WHERE "OutboxCommand".id = picked.id
RETURNING "OutboxCommand".id, "OutboxCommand"."tenantId", "OutboxCommand".service,
    "OutboxCommand"."commandType", "OutboxCommand"."requestId", "OutboxCommand".payload,
    "OutboxCommand".status, "OutboxCommand".attempts, "OutboxCommand"."lockedBy",
    "OutboxCommand"."lockedAt", "OutboxCommand"."submittedAt", "OutboxCommand"."fabricTxId",
    "OutboxCommand"."commitBlock", "OutboxCommand"."errorCode", "OutboxCommand".error,
    "OutboxCommand"."createdAt", "OutboxCommand"."updatedAt"
"""
"""What `outbox.claim` sends (see the module docstring), with psycopg placeholders."""

PSYCOPG_HIT = re.sub(r"(?<!:):(\w+)", r"%(\1)s", ratelimit.HIT_SQL.text)
"""`ratelimit.HIT_SQL` itself, with psycopg placeholders."""

SESSION_HIT = text(ratelimit.HIT_SQL.text)
SESSION_CLAIM = text(re.sub(r"%\((\w+)\)s", r":\1", PSYCOPG_CLAIM))


def server() -> tuple[URL, Callable[[], None]]:
    """The URL of a server to work on, and what to do when done (stop what was started)."""
    settings = load_settings()
    if settings.is_configured:
        return settings.url(), lambda: None
    folder = embedded.home()
    was_running = embedded.running(folder) is not None
    started = embedded.start(folder)
    url = DatabaseSettings(database_url=started.url).url()
    return url, (lambda: None) if was_running else (lambda: embedded.stop(folder) and None)


def scratch_database(url: URL) -> tuple[URL, Callable[[], None]]:
    name = f"gxbench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url.set(database=name), drop


# One operation of each way: a callable that runs one transaction.
Operation = Callable[[], object]


def hit_params(way: str, index: int) -> dict[str, Any]:
    start, end = ratelimit.window(NOW, 1)
    return {
        "tenant_id": "bench",
        "client_id": f"{way}-{index % 50}",
        "endpoint": "POST /bench",
        "window_start": start,
        "window_end": end,
        "max_requests": 1_000_000,
        "window_minutes": 1,
    }


def hit_ways(
    sessions: sessionmaker[Session], engine: Engine, stack: ExitStack
) -> dict[str, Operation]:
    helper_session = stack.enter_context(sessions())
    plain_session = stack.enter_context(sessions())
    raw = engine.raw_connection()
    stack.callback(raw.close)
    connection = raw.driver_connection
    assert connection is not None
    counter = {"helper": 0, "plain": 0, "psycopg": 0}

    def helper() -> object:
        counter["helper"] += 1
        decision = ratelimit.hit(
            helper_session,
            f"helper-{counter['helper'] % 50}",
            "POST /bench",
            limit=1_000_000,
            window_minutes=1,
            tenant_id="bench",
            now=NOW,
        )
        helper_session.commit()
        return decision

    def plain() -> object:
        counter["plain"] += 1
        count = plain_session.execute(
            SESSION_HIT, hit_params("plain", counter["plain"])
        ).scalar_one()
        plain_session.commit()
        return count

    def psycopg() -> object:
        counter["psycopg"] += 1
        with connection.cursor() as cursor:
            cursor.execute(PSYCOPG_HIT, hit_params("psycopg", counter["psycopg"]))
            row = cursor.fetchone()
        connection.commit()
        return row

    return {"helper": helper, "plain": plain, "psycopg": psycopg}


def fill_outbox(engine: Engine, commands: int) -> None:
    with Session(engine) as session:
        session.execute(
            insert(OutboxCommand),
            [
                {
                    "tenant_id": "bench",
                    "service": "bench",
                    "command_type": CommandType.TRANSFER_TOKENS,
                    "request_id": f"request-{index:07d}",
                    "payload": {"index": index, "amount": 100},
                    "created_at": NOW + timedelta(milliseconds=index),
                    "updated_at": NOW,
                }
                for index in range(commands)
            ],
        )
        session.commit()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text('VACUUM ANALYZE "OutboxCommand"'))


def claim_ways(
    sessions: sessionmaker[Session], engine: Engine, stack: ExitStack, batch: int
) -> dict[str, Operation]:
    helper_session = stack.enter_context(sessions())
    plain_session = stack.enter_context(sessions())
    raw = engine.raw_connection()
    stack.callback(raw.close)
    connection = raw.driver_connection
    assert connection is not None

    def params(way: str) -> dict[str, Any]:
        return {"pending": "PENDING", "locked": "LOCKED", "worker": way, "now": NOW, "limit": batch}

    def helper() -> object:
        claimed = outbox.claim(helper_session, "helper", batch, now=NOW)
        helper_session.commit()
        return claimed

    def plain() -> object:
        rows = plain_session.execute(SESSION_CLAIM, params("plain")).all()
        plain_session.commit()
        return rows

    def psycopg() -> object:
        with connection.cursor() as cursor:
            cursor.execute(PSYCOPG_CLAIM, params("psycopg"))
            rows = cursor.fetchall()
        connection.commit()
        return rows

    return {"helper": helper, "plain": plain, "psycopg": psycopg}


def interleaved(ways: dict[str, Operation], operations: int, warmup: int) -> dict[str, float]:
    """Operations per second of each way, the ways taking turns operation by operation."""
    names = list(ways)
    spent = dict.fromkeys(names, 0.0)
    for index in range(warmup + operations):
        shift = index % len(names)
        for name in names[shift:] + names[:shift]:
            start = time.perf_counter()
            ways[name]()
            if index >= warmup:
                spent[name] += time.perf_counter() - start
    return {name: operations / seconds for name, seconds in spent.items()}


def table(rows: list[tuple[str, str, dict[str, float]]]) -> list[str]:
    header = (
        "operation",
        "unit",
        "helper",
        "plain SQL",
        "helper/plain",
        f"goal >= {GOAL:.2f}",
        "psycopg",
        "helper/psycopg",
    )
    lines = [header]
    for name, unit, rate in rows:
        ratio = rate["helper"] / rate["plain"]
        lines.append(
            (
                name,
                unit,
                f"{rate['helper']:,.0f}",
                f"{rate['plain']:,.0f}",
                f"{ratio:.2f}",
                "ok" if ratio >= GOAL else "BELOW",
                f"{rate['psycopg']:,.0f}",
                f"{rate['helper'] / rate['psycopg']:.2f}",
            )
        )
    widths = [max(len(line[column]) for line in lines) for column in range(len(header))]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True))
        for line in lines
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="gxschema helpers beside plain SQL.")
    parser.add_argument("--operations", type=int, default=1000, help="counted, of each way")
    parser.add_argument("--batch", type=int, default=10, help="commands per claim")
    parser.add_argument("--warmup", type=int, default=50, help="uncounted, of each way")
    args = parser.parse_args(argv)

    clock = time.perf_counter()
    url, release_server = server()
    try:
        database_url, drop_database = scratch_database(url)
    except DBAPIError as error:
        release_server()
        reason = str(error.orig or error).strip().splitlines()[0]
        print(f"bench: cannot create a scratch database: {reason}", file=sys.stderr)
        return 2
    engine = create_engine(database_url, pool_size=4)
    sessions = session_factory(engine)
    total = args.operations + args.warmup
    try:
        migrator.migrate(engine, "head")
        print(f"database: {database_url.render_as_string(hide_password=True)}", file=sys.stderr)
        with ExitStack() as stack:
            hits = interleaved(hit_ways(sessions, engine, stack), args.operations, args.warmup)
        fill_outbox(engine, 3 * total * args.batch)
        with ExitStack() as stack:
            claims = interleaved(
                claim_ways(sessions, engine, stack, args.batch), args.operations, args.warmup
            )
    finally:
        engine.dispose()
        drop_database()
        release_server()

    rows = [
        ("ratelimit.hit", "hits/s", hits),
        (f"outbox.claim ({args.batch} per claim)", "claims/s", claims),
    ]
    print("\n".join(table(rows)))
    print(
        f"({args.operations} operations of each way, one transaction each, after "
        f"{args.warmup} uncounted; {time.perf_counter() - clock:.1f}s in all)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
