"""Benchmark (not a test): gxschema's helpers beside plain SQL doing the same statements.

    python bench/helpers.py [--hits 1000] [--commands 1500] [--batch 10] [--rounds 3]

Measures, in one run on one scratch database, one transaction per operation:

- ``ratelimit.hit``: a rate-limit hit (INSERT ... ON CONFLICT DO UPDATE ... RETURNING);
- ``outbox.claim``: claiming every PENDING command of the outbox, `--batch` at a time
  (WITH ... FOR UPDATE SKIP LOCKED ... UPDATE ... RETURNING). The commands are reset
  and the table vacuumed before each run, so every run starts alike.

Each is run three ways, alternating, and the median of `--rounds` runs reported:

1. ``helper``: the gxschema function, on a session of `gxschema.db.session_factory`;
2. ``plain SQL``: the same statement as hand-written SQL text, executed on the same
   kind of session: what a service would write without the helper. The goal is
   helper / plain SQL >= 0.80: the helper's own cost (building the statement and
   parameters, loading ORM rows, the answer object) stays small;
3. ``psycopg``: the same SQL on a bare psycopg connection, no SQLAlchemy at all. Its
   ratio shows what SQLAlchemy's session costs per transaction on this machine; it
   is the same for any code that uses a Session, helper or not.

The database: $DATABASE_URL or the PG* variables, else the embedded PostgreSQL of
`gxschema up` (started if needed, and stopped again if this run started it). A
scratch database ``gxbench_<random>`` is created, migrated to head and dropped.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
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
    ORDER BY "OutboxCommand"."createdAt", "OutboxCommand".id
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


def timed(run: Callable[[], int]) -> tuple[float, int]:
    start = time.perf_counter()
    operations = run()
    return time.perf_counter() - start, operations


# rate limit


def hit_params(index: int) -> dict[str, Any]:
    start, end = ratelimit.window(NOW, 1)
    return {
        "tenant_id": "bench",
        "client_id": f"client-{index % 50}",
        "endpoint": "POST /bench",
        "window_start": start,
        "window_end": end,
        "max_requests": 1_000_000,
        "window_minutes": 1,
    }


def helper_hits(sessions: sessionmaker[Session], hits: int) -> int:
    with sessions() as session:
        for index in range(hits):
            ratelimit.hit(
                session,
                f"client-{index % 50}",
                "POST /bench",
                limit=1_000_000,
                window_minutes=1,
                tenant_id="bench",
                now=NOW,
            )
            session.commit()
    return hits


def session_hits(sessions: sessionmaker[Session], hits: int) -> int:
    with sessions() as session:
        for index in range(hits):
            session.execute(SESSION_HIT, hit_params(index)).scalar_one()
            session.commit()
    return hits


def psycopg_hits(engine: Engine, hits: int) -> int:
    raw = engine.raw_connection()
    try:
        connection = raw.driver_connection
        assert connection is not None
        for index in range(hits):
            with connection.cursor() as cursor:
                cursor.execute(PSYCOPG_HIT, hit_params(index))
                cursor.fetchone()
            connection.commit()
    finally:
        raw.close()
    return hits


# outbox


def fill_outbox(engine: Engine, commands: int) -> None:
    with Session(engine) as session:
        session.execute(
            insert(OutboxCommand),
            [
                {
                    "tenant_id": "bench",
                    "service": "bench",
                    "command_type": CommandType.TRANSFER_TOKENS,
                    "request_id": f"request-{index:06d}",
                    "payload": {"index": index, "amount": 100},
                    "updated_at": NOW,
                }
                for index in range(commands)
            ],
        )
        session.commit()


def reset_outbox(engine: Engine) -> None:
    with engine.connect() as connection:
        connection.execute(
            text(
                """UPDATE "OutboxCommand" SET status = 'PENDING', "lockedBy" = NULL,
                   "lockedAt" = NULL, attempts = 0"""
            )
        )
        connection.commit()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text('VACUUM ANALYZE "OutboxCommand"'))


def claim_params(batch: int) -> dict[str, Any]:
    return {"pending": "PENDING", "locked": "LOCKED", "worker": "bench", "now": NOW, "limit": batch}


def helper_claims(sessions: sessionmaker[Session], batch: int) -> int:
    claims = 0
    with sessions() as session:
        while outbox.claim(session, "bench", batch, now=NOW):
            session.commit()
            claims += 1
        session.commit()
    return claims


def session_claims(sessions: sessionmaker[Session], batch: int) -> int:
    claims = 0
    with sessions() as session:
        while session.execute(SESSION_CLAIM, claim_params(batch)).all():
            session.commit()
            claims += 1
        session.commit()
    return claims


def psycopg_claims(engine: Engine, batch: int) -> int:
    claims = 0
    raw = engine.raw_connection()
    try:
        connection = raw.driver_connection
        assert connection is not None
        while True:
            with connection.cursor() as cursor:
                cursor.execute(PSYCOPG_CLAIM, claim_params(batch))
                rows = cursor.fetchall()
            connection.commit()
            if not rows:
                return claims
            claims += 1
    finally:
        raw.close()


Ways = dict[str, Callable[[], int]]


def measure(rounds: int, ways: Ways, before: Callable[[], None] = lambda: None) -> dict[str, float]:
    """The median operations per second of each way over `rounds` rounds.

    Within a round every way runs once, the order rotating from round to round; a
    first round warms up (connections, prepared statements, caches) and is not counted.
    """
    names = list(ways)
    rates: dict[str, list[float]] = {name: [] for name in names}
    for round_number in range(rounds + 1):
        shift = round_number % len(names)
        for name in names[shift:] + names[:shift]:
            before()
            seconds, operations = timed(ways[name])
            if round_number:
                rates[name].append(operations / seconds)
    return {name: statistics.median(values) for name, values in rates.items()}


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
    parser.add_argument("--hits", type=int, default=1000, help="rate-limit hits per run")
    parser.add_argument("--commands", type=int, default=1500, help="outbox commands per run")
    parser.add_argument("--batch", type=int, default=10, help="commands per claim")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each way; median shown")
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
    engine = create_engine(database_url, pool_size=2)
    sessions = session_factory(engine)
    try:
        migrator.migrate(engine, "head")
        print(f"database: {database_url.render_as_string(hide_password=True)}", file=sys.stderr)
        hits = measure(
            args.rounds,
            {
                "plain": lambda: session_hits(sessions, args.hits),
                "helper": lambda: helper_hits(sessions, args.hits),
                "psycopg": lambda: psycopg_hits(engine, args.hits),
            },
        )
        fill_outbox(engine, args.commands)
        claims = measure(
            args.rounds,
            {
                "plain": lambda: session_claims(sessions, args.batch),
                "helper": lambda: helper_claims(sessions, args.batch),
                "psycopg": lambda: psycopg_claims(engine, args.batch),
            },
            before=lambda: reset_outbox(engine),
        )
    finally:
        engine.dispose()
        drop_database()
        release_server()

    rows = [
        (f"ratelimit.hit ({args.hits} per run)", "hits/s", hits),
        (f"outbox.claim ({args.commands} commands, {args.batch}/claim)", "claims/s", claims),
    ]
    print("\n".join(table(rows)))
    print(
        f"(one transaction per operation; median of {args.rounds} rotating rounds after a warm-up; "
        f"{time.perf_counter() - clock:.1f}s in all)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
