"""Benchmark (not a test): every revision's effect on a live service, on a Prisma-made database.

    python bench/online_migration.py [--transactions 10000000] [--writers 4] [--kill-test]

1. **A production-like v2.0 database.** A scratch database gets the DDL Prisma wrote for
   v2.0 (``tests/fixtures/prisma_v2_0_init.sql``) in two halves, the way ``pg_restore``
   does: the enums and tables; then the rows, made by the server itself
   (``INSERT ... SELECT`` over ``generate_series``, every value a deterministic function of
   the row's number, so no data crosses the wire); then the indexes and foreign keys, and
   ``VACUUM ANALYZE``. `--transactions` Transaction rows, one user and one wallet per
   `--transactions-per-user`, audit rows and outbox commands in proportion. Then the real
   ``gxschema adopt`` stamps it at 0001.
2. **A service load throughout.** `--writers` processes, each on its own connection,
   insert transactions, update wallet balances and user profiles, insert audit rows,
   enqueue outbox commands and claim them (``FOR UPDATE SKIP LOCKED``, as
   `gxschema.cqrs.outbox.claim`) and mark them committed, one autocommitted statement per
   operation at `--rate` operations per second each; `--readers` processes read wallet
   histories and profiles. Every operation is timed on the monotonic clock; any exception
   counts as a failed operation (the writers report, then go on as a service retries).
3. **Revision by revision.** After `--baseline` seconds of load alone, the real command
   ``gxschema migrate REV`` moves 0001 to head one revision at a time, so each revision's
   window is known; then ``gxschema downgrade REV`` back to 0001, one at a time; then up
   to head again. A sampler polls ``pg_stat_activity`` every `--sample-ms` for sessions
   waiting on a lock and who blocks them (``pg_blocking_pids``), and what the migration
   is running, so the longest stall is attributed to a statement.
4. **Kill test** (`--kill-test`): down to 0001 again, then ``gxschema migrate`` is
   SIGKILLed while 0002 builds an index on ``Transaction`` (watched in
   ``pg_stat_progress_create_index``), and rerun: does it reach head, with no INVALID
   index left and ``gxschema verify`` finding no difference?

Per phase and revision it prints the command's wall time, the writers' longest single
write and longest gap without any write completing, their p99 against the baseline's,
failed writes, the readers' longest read, the load average, and what the longest write
waited on. Scratch databases are dropped at the end (`--keep` keeps them).
"""

from __future__ import annotations

import bisect
import contextlib
import json
import multiprocessing
import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import pairwise
from multiprocessing.connection import Connection as Pipe
from pathlib import Path
from typing import Any

import psycopg
from _common import (
    GXSCHEMA,
    ROOT,
    Database,
    arguments,
    load_average,
    machine,
    percentile,
    say,
    server,
    table,
)

PRISMA_V2_0 = ROOT / "tests" / "fixtures" / "prisma_v2_0_init.sql"
BASELINE_REVISION = "0001"
TENANTS = 4
EPOCH = "2024-01-01 00:00:00+00"
HISTORY_DAYS = 700
COUNTRIES = (
    ("US", "United States", "Americas"),
    ("GB", "United Kingdom", "Europe"),
    ("NG", "Nigeria", "Africa"),
    ("KE", "Kenya", "Africa"),
    ("IN", "India", "Asia"),
)
V2_0_COMMAND_TYPES = ("CREATE_USER", "TRANSFER_TOKENS")
"""The load only enqueues v2.0 command types: 0002's downgrade refuses rows of newer ones."""


# --------------------------------------------------------------------------------------
# The rows: one id function per table, the same in SQL (the load) and Python (the service)
# --------------------------------------------------------------------------------------


TABLE_TAGS = {"user": "a001", "wallet": "a002", "tx": "a003", "audit": "a004", "outbox": "a005"}
"""The second group of a row's UUID: which table the id belongs to."""
SCRAMBLE = 2654435761
"""Knuth's multiplicative hash: row numbers spread over the 32-bit UUID prefix, so ids come
in no order (as random UUIDs do) yet stay unique (the row number is their last group)."""


def row_id(table: str, number: int) -> str:
    """The id of row `number` of `table`: the same text as `sql_id` makes in the server."""
    return f"{number * SCRAMBLE % 2**32:08x}-{TABLE_TAGS[table]}-4000-8000-{number:012x}"


def sql_id(table: str, number: str) -> str:
    """`row_id` in SQL, about four times cheaper than ``md5(...)::uuid::text``."""
    return (
        f"lpad(to_hex(({number}) * {SCRAMBLE} % 4294967296), 8, '0') "
        f"|| '-{TABLE_TAGS[table]}-4000-8000-' || lpad(to_hex({number}), 12, '0')"
    )


def sql_hash(number: str, salt: int) -> str:
    """A 32-hex-digit value unique per row, cheaper than md5, for hash-like columns."""
    return (
        f"lpad(to_hex(({number} + {salt}) * {SCRAMBLE} % 4294967296), 8, '0') "
        f"|| lpad(to_hex({number}), 24, '0')"
    )


def sql_tenant(user: str) -> str:
    return f"'tenant-' || ({user} % {TENANTS})"


def tenant(user: int) -> str:
    return f"tenant-{user % TENANTS}"


def sql_moment(number: str, total: int) -> str:
    """Row `number` of `total`, spread evenly over the platform's history."""
    return (
        f"timestamptz '{EPOCH}' + ({number}::float8 / {max(total, 1)}) "
        f"* interval '{HISTORY_DAYS} days'"
    )


@dataclass(frozen=True)
class Sizes:
    transactions: int
    users: int
    audit: int
    outbox: int
    pending: int
    """How many of the outbox commands are still PENDING (the rest COMMITTED)."""

    @classmethod
    def of(cls, transactions: int, per_user: int, audit_ratio: float, outbox_ratio: float) -> Sizes:
        users = max(1, transactions // per_user)
        outbox = max(100, int(transactions * outbox_ratio))
        return cls(
            transactions=transactions,
            users=users,
            audit=max(100, int(transactions * audit_ratio)),
            outbox=outbox,
            pending=max(50, outbox // 20),
        )


def fill_statements(sizes: Sizes) -> dict[str, list[str]]:
    """The INSERT ... SELECT statements, in independent groups (one connection each).

    Every value satisfies the v2.0 DDL: unique columns are unique functions of the row
    number, foreign keys point at rows of the same numbering, enums take their v2.0 values.
    """
    users, total = sizes.users, sizes.transactions
    countries = ", ".join(f"('{code}', '{name}', '{region}')" for code, name, region in COUNTRIES)
    country_codes = ", ".join(f"'{code}'" for code, _name, _region in COUNTRIES)
    user_rows = f"""
        INSERT INTO "UserProfile" ("profileId", "tenantId", "firstName", "lastName", email,
            "phoneNum", "identityNum", "biometricHash", "passwordHash",
            "nationalityCountryCode", status, "createdAt", "updatedAt")
        SELECT {sql_id("user", "u")}, {sql_tenant("u")}, 'First' || (u % 997),
               'Last' || (u % 4999), 'user' || u || '@example.com',
               '+1' || lpad(u::text, 12, '0'), 'ID' || u, md5('bio-' || u),
               '$argon2id$v=19$' || md5('pw-' || u),
               (ARRAY[{country_codes}])[1 + u % {len(COUNTRIES)}],
               (CASE WHEN u % 20 = 0 THEN 'PENDING_VERIFICATION' ELSE 'VERIFIED' END)
                   ::"UserProfileStatus",
               at, at
        FROM generate_series(1::bigint, {users}) AS u,
             LATERAL (SELECT {sql_moment("u", users)}) AS m(at)"""
    wallet_rows = f"""
        INSERT INTO "Wallet" ("walletId", "tenantId", "profileId", "primaryAccountId",
            "walletName", "cachedBalance", "createdAt", "updatedAt")
        SELECT {sql_id("wallet", "u")}, {sql_tenant("u")}, {sql_id("user", "u")},
               'acct-' || u, 'Main wallet', (u % 100000) / 10.0, at, at
        FROM generate_series(1::bigint, {users}) AS u,
             LATERAL (SELECT {sql_moment("u", users)}) AS m(at)"""

    def transaction_rows(first: int, last: int) -> str:
        return f"""
        INSERT INTO "Transaction" ("offTxId", "tenantId", "onChainTxId", "walletId", type,
            counterparty, amount, fee, remark, "timestamp", "blockNumber")
        SELECT {sql_id("tx", "i")}, {sql_tenant("w")},
               CASE WHEN i % 10 <> 0 THEN {sql_hash("i", 1)} END,
               {sql_id("wallet", "w")},
               (ARRAY['SENT', 'RECEIVED', 'SENT', 'RECEIVED', 'MINT', 'TAX',
                      'LOAN_DISBURSEMENT', 'LOAN_REPAYMENT'])[1 + i % 8]::"OffChainTxType",
               {sql_id("wallet", f"(1 + (i * 7919) % {users})")},
               (1 + i % 100000) / 100.0, (1 + i % 100000) / 100000.0, NULL,
               {sql_moment("i", total)},
               CASE WHEN i % 10 <> 0 THEN i / 10 END
        FROM generate_series({first}::bigint, {last}) AS i,
             LATERAL (SELECT 1 + (i - 1) % {users}) AS x(w)"""

    audit_rows = f"""
        INSERT INTO "AuditLog" ("auditId", "tenantId", "eventType", "actorProfileId",
            "targetProfileId", "resourceType", "resourceId", "ipAddress", "userAgent",
            metadata, "eventHash", "timestamp")
        SELECT {sql_id("audit", "j")}, {sql_tenant("v")},
               (ARRAY['USER_LOGIN', 'TRANSACTION_INITIATED', 'TRANSACTION_COMPLETED',
                      'PROFILE_UPDATED', 'USER_LOGOUT', 'WALLET_CREATED'])[1 + j % 6]
                   ::"AuditEventType",
               {sql_id("user", "v")}, NULL, 'Transaction', {sql_id("tx", "j")},
               '10.' || (j % 256) || '.' || (j / 256 % 256) || '.1', 'gx-mobile/2.0',
               '{{"channel": "mobile"}}'::jsonb, {sql_hash("j", 2)},
               {sql_moment("j", sizes.audit)}
        FROM generate_series(1::bigint, {sizes.audit}) AS j,
             LATERAL (SELECT 1 + (j - 1) % {users}) AS x(v)"""
    done = sizes.outbox - sizes.pending
    outbox_rows = f"""
        INSERT INTO "OutboxCommand" (id, "tenantId", service, "commandType", "requestId",
            payload, status, attempts, "submittedAt", "fabricTxId", "commitBlock",
            "createdAt", "updatedAt")
        SELECT {sql_id("outbox", "k")}, {sql_tenant("v")}, 'svc-wallet',
               (CASE WHEN k % 5 = 0 THEN 'CREATE_USER' ELSE 'TRANSFER_TOKENS' END)
                   ::"CommandType",
               'req-' || k,
               jsonb_build_object('walletId', {sql_id("wallet", "v")}, 'amount', k % 1000),
               (CASE WHEN k > {done} THEN 'PENDING' ELSE 'COMMITTED' END)::"OutboxStatus",
               CASE WHEN k > {done} THEN 0 ELSE 1 END,
               CASE WHEN k > {done} THEN NULL ELSE at END,
               CASE WHEN k > {done} THEN NULL ELSE {sql_hash("k", 3)} END,
               CASE WHEN k > {done} THEN NULL ELSE k END,
               at, at
        FROM generate_series(1::bigint, {sizes.outbox}) AS k,
             LATERAL (SELECT 1 + (k - 1) % {users}) AS x(v),
             LATERAL (SELECT {sql_moment("k", sizes.outbox)}) AS m(at)"""
    half = total // 2
    return {
        "transactions, first half": [transaction_rows(1, half)] if half else [],
        "transactions, second half": [transaction_rows(half + 1, total)],
        "audit rows": [audit_rows],
        "the other tables": [
            f'INSERT INTO "Country" ("countryCode", "countryName", region) VALUES {countries}',
            user_rows,
            wallet_rows,
            outbox_rows,
        ],
    }


def split_ddl(ddl: str) -> tuple[str, list[str], list[str]]:
    """Prisma's migration in the order of a restore: (enums and tables, indexes, foreign keys).

    Prisma writes each statement after a ``-- CreateEnum`` / ``-- CreateTable`` /
    ``-- CreateIndex`` / ``-- AddForeignKey`` comment; the rows go in between the tables and
    their indexes, so that each index is built once, sorted, instead of row by row.
    """
    tables: list[str] = []
    indexes: list[str] = []
    keys: list[str] = []
    for chunk in ddl.split("\n-- "):
        kind, _newline, statement = chunk.lstrip("- ").partition("\n")
        statement = statement.strip()
        if not statement:
            continue
        if kind.startswith("CreateIndex"):
            indexes.append(statement)
        elif kind.startswith("AddForeignKey"):
            keys.append(statement)
        else:
            tables.append(statement)
    return "\n".join(tables), indexes, keys


def run_in_parallel(database: Database, groups: dict[str, list[str]], setup: str = "") -> None:
    """Each group's statements in order on its own connection, the groups at the same time."""
    failures: list[str] = []

    def work(name: str, statements: list[str]) -> None:
        try:
            with psycopg.connect(**database.libpq(), autocommit=True) as connection:
                if setup:
                    connection.execute(setup)
                for statement in statements:
                    connection.execute(statement)
        except Exception as error:
            failures.append(f"{name}: {error}")

    threads = [
        threading.Thread(target=work, args=(name, statements))
        for name, statements in groups.items()
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise SystemExit("loading the v2.0 database failed: " + "; ".join(failures))


def load_v2_0(database: Database, sizes: Sizes) -> dict[str, float]:
    """Prisma's v2.0 DDL and the rows; the seconds of each step."""
    timings: dict[str, float] = {}
    tables, indexes, keys = split_ddl(PRISMA_V2_0.read_text())
    started = time.monotonic()
    with psycopg.connect(**database.libpq(), autocommit=True) as connection:
        connection.execute(tables)
    run_in_parallel(database, fill_statements(sizes))
    timings["rows"] = time.monotonic() - started
    started = time.monotonic()
    build = "SET maintenance_work_mem = '1GB'"  # sorts of 10 million keys in memory
    by_table: dict[str, list[str]] = {"Transaction": [], "AuditLog": [], "the others": []}
    for statement in indexes:
        table_name = statement.split(' ON "', 1)[1].split('"', 1)[0]
        by_table[table_name if table_name in by_table else "the others"].append(statement)
    run_in_parallel(database, by_table, setup=build)
    run_in_parallel(database, {"foreign keys": keys}, setup=build)
    timings["indexes and keys"] = time.monotonic() - started
    started = time.monotonic()
    run_in_parallel(
        database,
        {
            "Transaction": ['VACUUM ANALYZE "Transaction"'],
            "AuditLog": ['VACUUM ANALYZE "AuditLog"'],
            "the others": ['VACUUM ANALYZE "Country", "UserProfile", "Wallet", "OutboxCommand"'],
        },
    )
    timings["vacuum analyze"] = time.monotonic() - started
    return timings


# --------------------------------------------------------------------------------------
# The service load: processes, each on its own connection, every operation timed
# --------------------------------------------------------------------------------------

WRITES = (
    "insert transaction",
    "update wallet balance",
    "insert audit row",
    "update user profile",
    "enqueue outbox command",
    "claim outbox commands",
    "mark outbox commands committed",
)
READS = ("read wallet history", "read user profile")
WRITE_CYCLE = (0, 1, 0, 2, 3, 4, 5, 6)
"""Indexes into WRITES: what one writer does in turn (inserting transactions twice as often)."""

CLAIM = """
    WITH picked AS (
        SELECT id FROM "OutboxCommand" WHERE status = 'PENDING'
        ORDER BY "createdAt" LIMIT %s FOR UPDATE SKIP LOCKED)
    UPDATE "OutboxCommand" SET status = 'LOCKED', "lockedBy" = %s, "lockedAt" = now(),
        attempts = attempts + 1, "updatedAt" = now()
    FROM picked WHERE "OutboxCommand".id = picked.id
    RETURNING "OutboxCommand".id"""


@dataclass(frozen=True)
class Operation:
    kind: int
    """Index into WRITES (writers) or READS (readers)."""
    started: float
    ended: float
    ok: bool
    pid: int
    """The backend that ran it (to find it in the sampler's lock waits)."""


@dataclass
class ClientReport:
    name: str
    writes: bool
    operations: list[Operation]
    errors: list[tuple[float, str, str]]
    """(monotonic moment, operation, first line of the error) of every failure."""


class Client:
    """One service connection doing its operations at a steady rate until told to stop."""

    def __init__(self, name: str, database: Database, sizes: Sizes, rate: float, seed: int):
        self.name = name
        self.libpq = database.libpq() | {"application_name": f"gxbench-{name}"}
        self.sizes = sizes
        self.interval = 1.0 / rate
        self.random = random.Random(seed)
        self.claimed: list[str] = []
        self.connection: psycopg.Connection[Any] | None = None

    def _connect(self) -> psycopg.Connection[Any]:
        if self.connection is None or self.connection.closed or self.connection.broken:
            self.connection = psycopg.connect(**self.libpq, autocommit=True)
        return self.connection

    def _discard(self) -> None:
        """Drop the connection after a failure, as a pool does: the next operation reconnects.

        Without it one failure can repeat forever: a prepared statement keeps the type of
        its parameters, so once a migration replaces an enum type (0002's downgrade
        recreates ``CommandType``) every later run of it fails with "cache lookup failed
        for type" on that connection.
        """
        if self.connection is not None:
            with contextlib.suppress(Exception):
                self.connection.close()
        self.connection = None

    def _user(self) -> int:
        return self.random.randint(1, self.sizes.users)

    def write(self, kind: int) -> None:
        connection = self._connect()
        user = self._user()
        if kind == 0:
            connection.execute(
                """INSERT INTO "Transaction" ("offTxId", "tenantId", "walletId", type,
                       counterparty, amount, fee, "timestamp")
                   VALUES (%s, %s, %s, 'SENT', %s, %s, 0.01, now())""",
                (
                    str(uuid.uuid4()),
                    tenant(user),
                    row_id("wallet", user),
                    row_id("wallet", self._user()),
                    Decimal(self.random.randint(1, 100000)) / 100,
                ),
            )
        elif kind == 1:
            connection.execute(
                """UPDATE "Wallet" SET "cachedBalance" = "cachedBalance" + %s,
                       "updatedAt" = now() WHERE "walletId" = %s""",
                (Decimal(self.random.randint(-500, 500)) / 100, row_id("wallet", user)),
            )
        elif kind == 2:
            connection.execute(
                """INSERT INTO "AuditLog" ("auditId", "tenantId", "eventType",
                       "actorProfileId", "resourceType", "resourceId", "ipAddress",
                       "userAgent", "eventHash", "timestamp")
                   VALUES (%s, %s, 'TRANSACTION_INITIATED', %s, 'Transaction', %s,
                           '10.0.0.1', 'gx-mobile/2.0', %s, now())""",
                (
                    str(uuid.uuid4()),
                    tenant(user),
                    row_id("user", user),
                    str(uuid.uuid4()),
                    uuid.uuid4().hex,
                ),
            )
        elif kind == 3:
            connection.execute(
                """UPDATE "UserProfile" SET "lastName" = %s, "updatedAt" = now()
                   WHERE "profileId" = %s""",
                (f"Last{self.random.randint(0, 4998)}", row_id("user", user)),
            )
        elif kind == 4:
            connection.execute(
                """INSERT INTO "OutboxCommand" (id, "tenantId", service, "commandType",
                       "requestId", payload, "updatedAt")
                   VALUES (%s, %s, 'svc-wallet', %s, %s, %s, now())""",
                (
                    str(uuid.uuid4()),
                    tenant(user),
                    self.random.choice(V2_0_COMMAND_TYPES),
                    f"req-live-{uuid.uuid4().hex}",
                    json.dumps({"walletId": row_id("wallet", user), "amount": 1}),
                ),
            )
        elif kind == 5:
            rows = connection.execute(CLAIM, (5, self.name)).fetchall()
            self.claimed = [row[0] for row in rows]
        elif kind == 6 and self.claimed:
            connection.execute(
                """UPDATE "OutboxCommand" SET status = 'COMMITTED', "submittedAt" = now(),
                       "updatedAt" = now() WHERE id = ANY(%s) AND status = 'LOCKED'
                       AND "lockedBy" = %s""",
                (self.claimed, self.name),
            )
            self.claimed = []

    def read(self, kind: int) -> None:
        connection = self._connect()
        user = self._user()
        if kind == 0:
            connection.execute(
                """SELECT "offTxId", type, amount, "timestamp" FROM "Transaction"
                   WHERE "tenantId" = %s AND "walletId" = %s
                   ORDER BY "timestamp" DESC LIMIT 20""",
                (tenant(user), row_id("wallet", user)),
            ).fetchall()
        else:
            connection.execute(
                """SELECT p."profileId", p.status, w."cachedBalance" FROM "UserProfile" p
                   JOIN "Wallet" w ON w."profileId" = p."profileId"
                   WHERE p."profileId" = %s""",
                (row_id("user", user),),
            ).fetchall()

    def run(self, writes: bool, stop: Any, results: Pipe) -> None:
        operations: list[Operation] = []
        errors: list[tuple[float, str, str]] = []
        cycle = WRITE_CYCLE if writes else tuple(range(len(READS)))
        act: Callable[[int], None] = self.write if writes else self.read
        names = WRITES if writes else READS
        due = time.monotonic()
        step = 0
        while not stop.is_set():
            kind = cycle[step % len(cycle)]
            step += 1
            if kind == 6 and not self.claimed:
                continue
            pid = 0
            started = time.monotonic()
            try:
                pid = self._connect().info.backend_pid
                act(kind)
                ok = True
            except Exception as error:  # every failure counts; the service then goes on
                ok = False
                errors.append((time.monotonic(), names[kind], str(error).strip().splitlines()[0]))
                self._discard()
            ended = time.monotonic()
            operations.append(Operation(kind, started, ended, ok, pid))
            due = max(due + self.interval, ended)
            pause = due - time.monotonic()
            if pause > 0:
                stop.wait(pause)
        self._discard()
        results.send(ClientReport(self.name, writes, operations, errors))
        results.close()


def _client_main(client: Client, writes: bool, stop: Any, results: Pipe) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops the clients
    client.run(writes, stop, results)


@dataclass
class Load:
    """The writer and reader processes; their reports once stopped."""

    database: Database
    sizes: Sizes
    writers: int
    readers: int
    rate: float
    reports: list[ClientReport] = field(default_factory=list)

    def __post_init__(self) -> None:
        context = multiprocessing.get_context("fork")
        self._sorted: dict[bool, list[Operation]] = {}
        self._stop = context.Event()
        self._processes: list[tuple[Any, Pipe]] = []
        for index in range(self.writers + self.readers):
            writes = index < self.writers
            name = f"writer-{index + 1}" if writes else f"reader-{index - self.writers + 1}"
            client = Client(name, self.database, self.sizes, self.rate, seed=index)
            receiving, sending = context.Pipe(duplex=False)
            process = context.Process(
                target=_client_main, args=(client, writes, self._stop, sending), daemon=True
            )
            self._processes.append((process, receiving))

    def start(self) -> None:
        for process, _pipe in self._processes:
            process.start()

    def stop(self) -> None:
        self._stop.set()
        for process, pipe in self._processes:
            self.reports.append(pipe.recv())
            process.join()

    def operations(self, writes: bool) -> list[Operation]:
        """The writers' (or readers') operations in the order they ended, once stopped."""
        if writes not in self._sorted:
            self._sorted[writes] = sorted(
                (
                    op
                    for report in self.reports
                    if report.writes == writes
                    for op in report.operations
                ),
                key=lambda op: op.ended,
            )
        return self._sorted[writes]

    def errors(self) -> list[tuple[float, str, str]]:
        return sorted(error for report in self.reports if report.writes for error in report.errors)


# --------------------------------------------------------------------------------------
# The sampler: who waits on whom, and what the migration runs
# --------------------------------------------------------------------------------------


@dataclass
class Sample:
    moment: float
    pid: int
    """The waiting session."""
    blocker: str
    """The blocking session's application name."""
    statement: str
    """What the blocking session runs (or ran last, if it is idle in a transaction)."""

    @property
    def waiting_on(self) -> str:
        return f"{self.blocker}: {self.statement}"

    @property
    def on_migration(self) -> bool:
        return self.blocker.startswith("gxschema")


@dataclass
class Sampler:
    """Polls pg_stat_activity: lock waits of the load, and the migration's statements."""

    database: Database
    every: float
    waits: list[Sample] = field(default_factory=list)
    migration: list[tuple[float, str]] = field(default_factory=list)
    """(moment, statement) the migration's session was seen running."""
    connected: list[float] = field(default_factory=list)
    """Moments the migration's session was seen connected, whatever it did."""
    _by_pid: dict[int, list[float]] | None = None
    """Moments each session was seen waiting on the migration (built once sampling ends)."""
    _stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        with psycopg.connect(
            **self.database.libpq(), autocommit=True, application_name="gxbench-sampler"
        ) as connection:
            while not self._stop.wait(self.every):
                moment = time.monotonic()
                for pid, blocker, statement in connection.execute(
                    r"""SELECT w.pid, b.application_name,
                               left(regexp_replace(b.query, '\s+', ' ', 'g'), 160)
                        FROM pg_stat_activity w
                        CROSS JOIN LATERAL unnest(pg_blocking_pids(w.pid)) AS blocking(pid)
                        JOIN pg_stat_activity b ON b.pid = blocking.pid
                        WHERE w.datname = current_database() AND w.wait_event_type = 'Lock'
                          AND w.application_name LIKE 'gxbench-%'"""
                ):
                    self.waits.append(Sample(moment, pid, blocker, statement))
                for state, statement in connection.execute(
                    r"""SELECT state, left(regexp_replace(query, '\s+', ' ', 'g'), 160)
                        FROM pg_stat_activity
                        WHERE datname = current_database()
                          AND application_name LIKE 'gxschema%'"""
                ):
                    self.connected.append(moment)
                    if state == "active":
                        self.migration.append((moment, statement))

    def stop(self) -> None:
        self._stop.set()

    def in_database(self, window: Window) -> tuple[float, float]:
        """The part of `window` during which the command's session was connected.

        What the command costs the load is measured over this part only: the interpreter's
        start and imports run in the migration Job's own pod in production, not on the
        database server as here.
        """
        seen = [moment for moment in self.connected if window.started <= moment <= window.ended]
        if not seen:
            return window.started, window.ended
        return max(window.started, seen[0] - self.every), min(window.ended, seen[-1] + self.every)

    def waited_on_migration(self, operation: Operation) -> bool:
        """Whether `operation` was seen waiting for a lock the migration held or wanted."""
        if self._by_pid is None:
            self._by_pid = {}
            for sample in self.waits:
                if sample.on_migration:
                    self._by_pid.setdefault(sample.pid, []).append(sample.moment)
        moments = self._by_pid.get(operation.pid, [])
        first = bisect.bisect_left(moments, operation.started)
        return first < len(moments) and moments[first] <= operation.ended

    def blocker_of(self, operation: Operation) -> str:
        """What `operation`'s session waited on while it ran, or what the migration ran."""
        seen = Counter(
            sample.waiting_on
            for sample in self.waits
            if sample.pid == operation.pid and operation.started <= sample.moment <= operation.ended
        )
        if seen:
            return seen.most_common(1)[0][0]
        running = Counter(
            statement
            for moment, statement in self.migration
            if operation.started <= moment <= operation.ended
        )
        if running:
            return f"no lock wait sampled; the migration ran: {running.most_common(1)[0][0]}"
        return "no lock wait sampled"


# --------------------------------------------------------------------------------------
# Windows and their figures
# --------------------------------------------------------------------------------------


@dataclass
class Window:
    phase: str
    label: str
    started: float
    ended: float
    code: int = 0
    load: float = 0.0
    output: str = ""
    db: tuple[float, float] = (0.0, 0.0)
    """The part of the window the command's database session was connected (`Sampler`)."""

    @property
    def seconds(self) -> float:
        return self.ended - self.started


@dataclass(frozen=True)
class Figures:
    writes: int
    failed: int
    p50_ms: float
    p99_ms: float
    longest_ms: float
    longest_gap_ms: float
    longest_read_ms: float
    longest: Operation | None
    blocked: int = 0
    """Writes seen waiting for a lock of the migration's session."""
    longest_blocked_ms: float = 0.0
    """The longest of those: the stall the migration itself caused, without the noise."""


def figures(
    load: Load, spans: list[tuple[float, float]], sampler: Sampler | None = None
) -> Figures:
    """The load's figures over the time `spans` (start, end): operations overlapping one count.

    The longest gap is the longest time inside one span during which no write completed.
    """
    writes = [
        op for op in load.operations(True) if any(op.started < b and op.ended > a for a, b in spans)
    ]
    reads = [
        op
        for op in load.operations(False)
        if any(op.started < b and op.ended > a for a, b in spans)
    ]
    done = [op for op in writes if op.ok]
    latencies = [(op.ended - op.started) * 1000 for op in done]
    gap = 0.0
    for start, end in spans:
        moments = [start] + [op.ended for op in done if start <= op.ended <= end] + [end]
        gap = max(gap, *(b - a for a, b in pairwise(moments)))
    longest = max(writes, key=lambda op: op.ended - op.started, default=None)
    blocked = [op for op in writes if sampler is not None and sampler.waited_on_migration(op)]
    return Figures(
        blocked=len(blocked),
        longest_blocked_ms=max(((op.ended - op.started) * 1000 for op in blocked), default=0.0),
        writes=len(writes),
        failed=sum(1 for op in writes if not op.ok),
        p50_ms=percentile(latencies, 0.5),
        p99_ms=percentile(latencies, 0.99),
        longest_ms=(longest.ended - longest.started) * 1000 if longest else float("nan"),
        longest_gap_ms=gap * 1000,
        longest_read_ms=max(((op.ended - op.started) * 1000 for op in reads), default=float("nan")),
        longest=longest,
    )


# --------------------------------------------------------------------------------------
# The commands
# --------------------------------------------------------------------------------------


def revisions() -> list[str]:
    """Every revision id, oldest first (from the scripts, so a new revision is measured too)."""
    from gxschema import migrator

    return [script.revision for script in reversed(list(migrator.scripts().walk_revisions()))]


def gxschema(database: Database, *args: str) -> Window:
    """Run the real command (a child process) and time it on the monotonic clock.

    Its sessions are named ``gxschema-bench`` (PGAPPNAME), for the sampler to find.
    """
    env = database.env() | {"PGAPPNAME": "gxschema-bench"}
    started = time.monotonic()
    ran = subprocess.run([*GXSCHEMA, *args], env=env, capture_output=True, text=True, check=False)
    ended = time.monotonic()
    return Window(
        "",
        " ".join(args),
        started,
        ended,
        ran.returncode,
        load_average()[0],
        ran.stdout + ran.stderr,
    )


def scalar(database: Database, query: str) -> Any:
    with psycopg.connect(**database.libpq(), autocommit=True) as connection:
        row = connection.execute(query).fetchone()
    return row[0] if row else None


INVALID_INDEXES = """
    SELECT coalesce(string_agg(c.relname, ', ' ORDER BY c.relname), '')
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND NOT i.indisvalid"""


def invalid_indexes(database: Database) -> list[str]:
    found = scalar(database, INVALID_INDEXES)
    return [name for name in str(found or "").split(", ") if name]


def step_by_step(
    database: Database, phase: str, targets: list[str], command: str, pause: float
) -> list[Window]:
    """`gxschema COMMAND TARGET` for each target in turn; stops at the first failure."""
    windows = []
    for target in targets:
        say(f"{phase}: gxschema {command} {target}")
        window = gxschema(database, command, target)
        window.phase = phase
        windows.append(window)
        if window.code != 0:
            say(f"gxschema {command} {target} failed ({window.code}): {window.output[-1500:]}")
            break
        time.sleep(pause)  # a quiet moment between two windows: the control
    return windows


@dataclass
class KillTest:
    killed_during: str = ""
    killed_after_s: float = 0.0
    backend_ended: str = ""
    invalid_after_kill: list[str] = field(default_factory=list)
    revision_after_kill: str = ""
    rerun: Window | None = None
    revision_after_rerun: str = ""
    invalid_after_rerun: list[str] = field(default_factory=list)
    differences: int | None = None
    verify_output: str = ""
    window: tuple[float, float] = (0.0, 0.0)
    """From the start of the killed migration to the end of the rerun."""


PROGRESS = """
    SELECT t.relname, coalesce(c.relname, ''), p.command, p.phase,
           p.blocks_done, p.blocks_total, p.tuples_done, p.tuples_total
    FROM pg_stat_progress_create_index p
    JOIN pg_class t ON t.oid = p.relid
    LEFT JOIN pg_class c ON c.oid = p.index_relid
    WHERE p.datname = current_database()"""


def kill_test(database: Database, table_name: str = "Transaction") -> KillTest:
    """SIGKILL `gxschema migrate` in the middle of an index build on `table_name`, rerun it.

    The dying client's socket closes at once (as a killed pod's does); the server only
    notices between two checks (``client_connection_check_interval``, given to the
    migration's session here; production sets it in postgresql.conf). A backend still
    running after 5 s is terminated, as TCP keepalive would end it later: both are said.
    """
    result = KillTest()
    env = database.env() | {
        "PGAPPNAME": "gxschema-bench-killed",
        "PGOPTIONS": "-c client_connection_check_interval=100",
    }
    process = subprocess.Popen(
        [*GXSCHEMA, "migrate"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    started = time.monotonic()
    with psycopg.connect(
        **database.libpq(), autocommit=True, application_name="gxbench-progress"
    ) as connection:
        while process.poll() is None:
            for row in connection.execute(PROGRESS):
                relname, index, command, phase, blocks, blocks_total, tuples, tuples_total = row
                middle = (
                    phase.startswith("building index: scanning table")
                    and blocks_total
                    and blocks >= blocks_total // 3
                ) or phase.startswith(("building index: sorting", "building index: loading"))
                if relname == table_name and middle:
                    process.send_signal(signal.SIGKILL)
                    result.killed_after_s = time.monotonic() - started
                    result.killed_during = (
                        f"{command} {index or '(new index)'} on {relname}: {phase} "
                        f"(blocks {blocks:,}/{blocks_total:,}, tuples {tuples:,}/{tuples_total:,})"
                    )
                    break
            if result.killed_during:
                break
            time.sleep(0.01)
        process.wait()
        if not result.killed_during:
            result.killed_during = "not killed: the migration finished before a build was seen"
            return result
        deadline = time.monotonic() + 5
        alive = True
        while alive and time.monotonic() < deadline:
            alive = bool(
                connection.execute(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE application_name = 'gxschema-bench-killed'"
                ).fetchone()[0]  # type: ignore[index]
            )
            time.sleep(0.05)
        if alive:
            connection.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = 'gxschema-bench-killed'"
            )
            result.backend_ended = "still running 5 s after the kill: terminated"
        else:
            result.backend_ended = "ended by the server (client_connection_check_interval)"
    time.sleep(0.5)
    result.invalid_after_kill = invalid_indexes(database)
    result.revision_after_kill = str(scalar(database, "SELECT version_num FROM alembic_version"))
    say("kill test: rerunning gxschema migrate")
    result.rerun = gxschema(database, "migrate")
    result.rerun.phase = "kill test"
    result.revision_after_rerun = str(scalar(database, "SELECT version_num FROM alembic_version"))
    result.invalid_after_rerun = invalid_indexes(database)
    verify = gxschema(database, "--json", "verify")
    result.verify_output = verify.output
    with contextlib.suppress(ValueError):
        start = verify.output.index("{")
        result.differences = len(json.loads(verify.output[start:])["differences"])
    return result


# --------------------------------------------------------------------------------------
# The report
# --------------------------------------------------------------------------------------


def ms(value: float) -> str:
    return "-" if value != value else f"{value:,.0f}" if value >= 10 else f"{value:.1f}"


def spans_of(windows: list[Window]) -> list[tuple[float, float]]:
    return [window.db for window in windows]


def between(windows: list[Window]) -> list[tuple[float, float]]:
    """The moments of a phase when no migration session was connected: the control."""
    return [
        (before.db[1], after.db[0])
        for before, after in pairwise(windows)
        if after.db[0] > before.db[1]
    ]


def row(
    label: str, seconds: str, found: Figures, base: Figures, load: str, cause: str
) -> list[str]:
    ratio = found.p99_ms / base.p99_ms if base.p99_ms else float("nan")
    return [
        label,
        seconds,
        f"{found.writes:,}",
        ms(found.longest_ms),
        ms(found.longest_gap_ms),
        f"{ms(found.p99_ms)} ({ratio:.1f}x)",
        f"{found.blocked:,} / {ms(found.longest_blocked_ms)}",
        f"{found.failed:,}",
        ms(found.longest_read_ms),
        load,
        cause,
    ]


def phase_table(
    title: str, windows: list[Window], load: Load, sampler: Sampler, base: Figures
) -> None:
    rows = []
    for window in windows:
        found = figures(load, [window.db], sampler)
        rows.append(
            row(
                window.label + ("" if window.code == 0 else f" (exit {window.code})"),
                f"{window.seconds:.1f} / {window.db[1] - window.db[0]:.1f}",
                found,
                base,
                f"{window.load:.2f}",
                sampler.blocker_of(found.longest) if found.longest else "-",
            )
        )
    quiet = between(windows)
    if quiet:
        rows.append(
            row(
                "between the commands (control)",
                f"{sum(b - a for a, b in quiet):.1f}",
                figures(load, quiet),
                base,
                "",
                "no migration session connected",
            )
        )
    table(
        title,
        [
            "command",
            "seconds: command / in database",
            "writes",
            "longest write ms",
            "longest gap ms",
            "p99 ms (x baseline)",
            "writes waiting on the migration / longest ms",
            "failed writes",
            "longest read ms",
            "load 1m",
            "what the longest write waited on",
        ],
        rows,
    )


def goals_table(run: Run, base: Figures, head: str) -> None:
    load, kill = run.load, run.kill
    rows = []
    if run.up:
        whole = figures(load, spans_of(run.up), run.sampler)
        control = figures(load, between(run.up)) if between(run.up) else base
        rows += [
            [
                f"writers' longest stall during migrate 0001 -> {head} < 100 ms",
                f"longest write {ms(whole.longest_ms)} ms (baseline {ms(base.longest_ms)} ms), "
                f"longest gap without a write {ms(whole.longest_gap_ms)} ms",
                "yes" if whole.longest_ms < 100 else "no",
            ],
            [
                "of which waiting on the migration's locks < 100 ms",
                f"{whole.blocked:,} writes waited, the longest {ms(whole.longest_blocked_ms)} ms",
                "yes" if whole.longest_blocked_ms < 100 else "no",
            ],
            [
                "p99 write latency within 2x baseline",
                f"{ms(whole.p99_ms)} ms vs {ms(base.p99_ms)} ms "
                f"({whole.p99_ms / base.p99_ms:.1f}x); the control between the commands "
                f"{ms(control.p99_ms)} ms ({whole.p99_ms / control.p99_ms:.1f}x)",
                "yes" if whole.p99_ms <= 2 * base.p99_ms else "no",
            ],
            [
                f"0 failed writes during migrate 0001 -> {head}",
                f"{whole.failed:,}",
                "yes" if whole.failed == 0 else "no",
            ],
        ]
    if kill is not None and kill.rerun is not None:
        failed = figures(load, [kill.window]).failed
        rows += [
            [
                "kill test: the rerun reaches head",
                f"revision {kill.revision_after_rerun} (exit {kill.rerun.code})",
                "yes" if kill.rerun.code == 0 and kill.revision_after_rerun == head else "no",
            ],
            [
                "kill test: no INVALID index left",
                ", ".join(kill.invalid_after_rerun) or "none",
                "yes" if not kill.invalid_after_rerun else "no",
            ],
            [
                "kill test: gxschema verify finds 0 differences",
                "unknown" if kill.differences is None else str(kill.differences),
                "yes" if kill.differences == 0 else "no",
            ],
            [
                "kill test: 0 failed writes",
                f"{failed:,}",
                "yes" if failed == 0 else "no",
            ],
        ]
    table(f"Goals at {run.sizes.transactions:,} transactions", ["goal", "result", "met"], rows)


def kill_table(kill: KillTest, setup: Window | None) -> None:
    rows = []
    if setup is not None:
        rows.append(
            [
                f"before it: gxschema {setup.label}",
                f"exit {setup.code} in {setup.seconds:.1f} s",
            ]
        )
    rows.append(["SIGKILL of gxschema migrate", kill.killed_during])
    if kill.rerun is not None:
        rows += [
            ["seconds from start to the kill", f"{kill.killed_after_s:.1f}"],
            ["the killed migration's server session", kill.backend_ended],
            ["revision after the kill", kill.revision_after_kill],
            [
                "INVALID indexes after the kill",
                ", ".join(kill.invalid_after_kill)
                or "none (the build finished before the server noticed the dead client)",
            ],
            [
                "rerun: gxschema migrate",
                f"exit {kill.rerun.code} in {kill.rerun.seconds:.1f} s, load {kill.rerun.load:.2f}",
            ],
            ["revision after the rerun", kill.revision_after_rerun],
            ["INVALID indexes after the rerun", ", ".join(kill.invalid_after_rerun) or "none"],
            [
                "gxschema verify: differences from the models",
                "unknown" if kill.differences is None else str(kill.differences),
            ],
        ]
    table("Kill test: gxschema migrate killed during 0002's index build", ["step", "result"], rows)


@contextlib.contextmanager
def running(sampler: Sampler) -> Iterator[None]:
    thread = threading.Thread(target=sampler.run, daemon=True)
    thread.start()
    try:
        yield
    finally:
        sampler.stop()
        thread.join()


@dataclass
class Run:
    """What one run measured, for the report."""

    sizes: Sizes
    timings: dict[str, float]
    version: str
    load: Load
    sampler: Sampler
    baseline: tuple[float, float] = (0.0, 0.0)
    baseline_load: float = 0.0
    up: list[Window] = field(default_factory=list)
    down: list[Window] = field(default_factory=list)
    again: list[Window] = field(default_factory=list)
    kill: KillTest | None = None
    kill_setup: Window | None = None
    """The downgrade to 0001 before the kill test, when the phases ended at head."""


def measure(run: Run, database: Database, chain: list[str], args: Any) -> None:
    """The baseline, the phases asked for and the kill test, while the load runs."""
    say(f"load alone for {args.baseline:g}s")
    started = time.monotonic()
    time.sleep(args.baseline)
    run.baseline = (started, time.monotonic())
    run.baseline_load = load_average()[0]
    at = BASELINE_REVISION
    for phase in args.phases:
        if phase == "down":
            run.down = step_by_step(
                database, "downgrade", list(reversed(chain[:-1])), "downgrade", args.pause
            )
            windows = run.down
        else:
            windows = step_by_step(
                database,
                "upgrade" if phase == "up" else "upgrade again",
                chain[1:],
                "migrate",
                args.pause,
            )
            setattr(run, phase, windows)
        if windows[-1].code != 0:
            return
        at = chain[-1] if phase != "down" else BASELINE_REVISION
    if not args.kill_test:
        return
    if at != BASELINE_REVISION:
        say(f"kill test: gxschema downgrade {BASELINE_REVISION}")
        run.kill_setup = gxschema(database, "downgrade", BASELINE_REVISION)
        run.kill_setup.phase = "kill test"
        if run.kill_setup.code != 0:
            return
        time.sleep(args.pause)
    say("kill test: gxschema migrate, killed during an index build")
    started = time.monotonic()
    run.kill = kill_test(database)
    run.kill.window = (started, time.monotonic())


def report(run: Run, args: Any, head: str) -> None:
    sizes, load = run.sizes, run.load
    for window in run.up + run.down + run.again:
        window.db = run.sampler.in_database(window)
    base = figures(load, [run.baseline])
    seconds = run.baseline[1] - run.baseline[0]
    rows_loaded = sizes.transactions + 2 * sizes.users + sizes.audit + sizes.outbox
    print(
        f"\nMachine: {machine(run.version)}; load average {run.baseline_load:.2f} at the end of "
        f"the baseline, on {os.cpu_count()} cores\n"
        f"Database: Prisma's v2.0 DDL with {sizes.transactions:,} transactions, "
        f"{sizes.users:,} users and as many wallets, {sizes.audit:,} audit rows, "
        f"{sizes.outbox:,} outbox commands ({rows_loaded:,} rows; made in "
        + ", ".join(f"{step} {took:.0f} s" for step, took in run.timings.items())
        + f"), adopted at {BASELINE_REVISION}\n"
        f"Load: {args.writers} writers and {args.readers} readers, {args.rate:g} operations/s "
        "each, one autocommitted statement per operation\n"
        "Each command's figures cover the time its database session was connected (not the "
        "interpreter's start); `between the commands` is the same load with no migration "
        "session, the control for the machine's own noise.\n"
    )
    table(
        f"Baseline: the load alone for {seconds:.0f} s",
        [
            "writes",
            "writes/s",
            "p50 ms",
            "p99 ms",
            "longest write ms",
            "longest gap ms",
            "failed writes",
            "longest read ms",
            "load 1m",
        ],
        [
            [
                f"{base.writes:,}",
                f"{base.writes / seconds:,.0f}",
                f"{base.p50_ms:.2f}",
                f"{base.p99_ms:.2f}",
                ms(base.longest_ms),
                ms(base.longest_gap_ms),
                f"{base.failed:,}",
                ms(base.longest_read_ms),
                f"{run.baseline_load:.2f}",
            ]
        ],
    )
    for title, windows in (
        (f"gxschema migrate, {BASELINE_REVISION} -> {head} one revision at a time", run.up),
        (f"gxschema downgrade, {head} -> {BASELINE_REVISION} one revision at a time", run.down),
        (f"gxschema migrate again, {BASELINE_REVISION} -> {head}", run.again),
    ):
        if windows:
            phase_table(title, windows, load, run.sampler, base)
    if run.kill is not None:
        kill_table(run.kill, run.kill_setup)
    goals_table(run, base, head)
    errors = load.errors()
    if errors:
        windows = run.up + run.down + run.again + ([run.kill_setup] if run.kill_setup else [])
        where = Counter(
            (
                next(
                    (f"{w.phase}: {w.label}" for w in windows if w.started <= moment <= w.ended),
                    "kill test"
                    if run.kill and run.kill.window[0] <= moment <= run.kill.window[1]
                    else "outside the commands",
                ),
                operation,
                message,
            )
            for moment, operation, message in errors
        )
        print(f"Failed writes: {len(errors)}, by command, operation and error:")
        for (command, operation, message), count in where.most_common(20):
            print(f"- {command}: {count} x {operation}: {message}")


def results(run: Run, args: Any, head: str) -> dict[str, Any]:
    """The figures as data (`--json`), for `--fit` and for comparing runs."""

    def of(found: Figures) -> dict[str, Any]:
        return {
            "writes": found.writes,
            "failed_writes": found.failed,
            "p50_ms": found.p50_ms,
            "p99_ms": found.p99_ms,
            "longest_write_ms": found.longest_ms,
            "longest_gap_ms": found.longest_gap_ms,
            "longest_read_ms": found.longest_read_ms,
            "writes_waiting_on_migration": found.blocked,
            "longest_wait_on_migration_ms": found.longest_blocked_ms,
        }

    def windows(phase: list[Window]) -> list[dict[str, Any]]:
        return [
            {
                "command": window.label,
                "exit": window.code,
                "seconds": window.seconds,
                "seconds_in_database": window.db[1] - window.db[0],
                "load_1m": window.load,
                "waited_on": (
                    run.sampler.blocker_of(found.longest) if found.longest is not None else ""
                ),
                **of(found),
            }
            for window in phase
            for found in [figures(run.load, [window.db], run.sampler)]
        ]

    kill = run.kill
    return {
        "transactions": run.sizes.transactions,
        "users": run.sizes.users,
        "audit_rows": run.sizes.audit,
        "outbox_commands": run.sizes.outbox,
        "load_seconds": run.timings,
        "machine": machine(run.version),
        "cores": os.cpu_count(),
        "writers": args.writers,
        "readers": args.readers,
        "rate": args.rate,
        "head": head,
        "baseline": of(figures(run.load, [run.baseline])) | {"load_1m": run.baseline_load},
        "up": windows(run.up),
        "down": windows(run.down),
        "again": windows(run.again),
        "up_whole": of(figures(run.load, spans_of(run.up), run.sampler)) if run.up else None,
        "controls": {
            phase: of(figures(run.load, between(windows)))
            for phase, windows in (("up", run.up), ("down", run.down), ("again", run.again))
            if between(windows)
        },
        "kill_test": None
        if kill is None
        else {
            "killed_during": kill.killed_during,
            "invalid_after_kill": kill.invalid_after_kill,
            "revision_after_rerun": kill.revision_after_rerun,
            "rerun_exit": kill.rerun.code if kill.rerun else None,
            "invalid_after_rerun": kill.invalid_after_rerun,
            "differences": kill.differences,
            "failed_writes": figures(run.load, [kill.window]).failed,
        },
    }


def linear_fit(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Least squares y = intercept + slope * x: (intercept, slope).

    A figure that does not grow (one point, or a negative slope: noise) is flat at its mean.
    """
    if not points:
        return float("nan"), 0.0
    mean_x = sum(x for x, _y in points) / len(points)
    mean_y = sum(y for _x, y in points) / len(points)
    spread = sum((x - mean_x) ** 2 for x, _y in points)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / spread if spread else 0.0
    if slope <= 0:
        return mean_y, 0.0
    return mean_y - slope * mean_x, slope


def fit(paths: list[Path], at: int) -> int:
    """Per revision, how its stall and its time grow with the table: fitted, extrapolated.

    What a revision makes writers wait for is work done under a lock they need, and that
    work is proportional to the rows it touches, so the fitted figure is the longest write
    seen waiting on the migration's session (the sampler's lock waits), which leaves out the
    machine's noise (the longest write of all includes it; the control rows show it). Each
    figure is fitted as fixed cost + cost per row (``y = a + b * transactions``, least
    squares over the runs' sizes; a negative slope is noise and reads as flat) and read at
    `at` transactions. With runs far apart in size the largest decides the slope.
    """
    runs = sorted(
        (json.loads(path.read_text()) for path in paths), key=lambda run: run["transactions"]
    )
    sizes = [run["transactions"] for run in runs]
    for phase, title in (("up", "gxschema migrate"), ("down", "gxschema downgrade")):
        commands = list(dict.fromkeys(w["command"] for run in runs for w in run[phase]))
        for metric, unit in (
            ("longest_wait_on_migration_ms", "longest write waiting on the migration, ms"),
            ("seconds_in_database", "seconds in the database"),
        ):
            rows = []
            for command in commands:
                points = [
                    (float(run["transactions"]), float(w[metric]))
                    for run in runs
                    for w in run[phase]
                    if w["command"] == command and w.get(metric) == w.get(metric) is not None
                ]
                by_size = dict(points)
                intercept, slope = linear_fit(points)
                rows.append(
                    [
                        command,
                        *(
                            f"{by_size[float(n)]:,.1f}" if float(n) in by_size else "-"
                            for n in sizes
                        ),
                        f"{slope * 1e6:,.2f}",
                        f"{intercept + slope * at:,.0f}",
                    ]
                )
            table(
                f"{title}: {unit} by transactions, fitted a + b * n, estimated at {at:,}",
                [
                    "command",
                    *(f"{n:,}" for n in sizes),
                    "b per million",
                    f"at {at:,} (estimate)",
                ],
                rows,
            )
    return 0


def main() -> int:
    parser = arguments(__doc__.splitlines()[0])
    parser.add_argument("--transactions", type=int, default=10_000_000)
    parser.add_argument("--transactions-per-user", type=int, default=10)
    parser.add_argument("--audit-per-transaction", type=float, default=0.5)
    parser.add_argument("--outbox-per-transaction", type=float, default=0.1)
    parser.add_argument("--writers", type=int, default=4, help="writer connections")
    parser.add_argument("--readers", type=int, default=1, help="reader connections")
    parser.add_argument("--rate", type=float, default=100.0, help="operations/s per connection")
    parser.add_argument("--baseline", type=float, default=20.0, help="seconds of load alone")
    parser.add_argument("--pause", type=float, default=2.0, help="seconds between commands")
    parser.add_argument("--sample-ms", type=float, default=25.0)
    parser.add_argument("--kill-test", action="store_true", help="also the kill test")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument(
        "--fit",
        type=Path,
        nargs="+",
        help="no run: fit the figures of earlier runs' --json files against their sizes",
    )
    parser.add_argument("--estimate", type=int, default=100_000_000, help="with --fit")
    parser.add_argument(
        "--target", default="head", help="the last revision to migrate to (default: head)"
    )
    parser.add_argument(
        "--phases",
        default="up,down,again",
        help="up (0001 -> target), up,down (and back to 0001) or up,down,again (and to "
        "the target once more; the default)",
    )
    args = parser.parse_args()
    if args.fit:
        return fit(args.fit, args.estimate)
    args.phases = [phase.strip() for phase in args.phases.split(",") if phase.strip()]
    if args.phases not in (["up"], ["up", "down"], ["up", "down", "again"]):
        parser.error("--phases must be up, up,down or up,down,again")
    if min(args.transactions, args.transactions_per_user, args.writers, args.rate) <= 0:
        parser.error("--transactions, --transactions-per-user, --writers, --rate must be > 0")
    sizes = Sizes.of(
        args.transactions,
        args.transactions_per_user,
        args.audit_per_transaction,
        args.outbox_per_transaction,
    )
    chain = revisions()
    if args.target != "head":
        if args.target not in chain[1:]:
            parser.error(f"--target must be one of {', '.join(chain[1:])}, not {args.target!r}")
        if args.kill_test:
            parser.error("--kill-test migrates to head (gxschema verify compares with head)")
        chain = chain[: chain.index(args.target) + 1]
    with server(keep=args.keep) as srv:
        database = srv.create()
        say(
            f"loading Prisma's v2.0: {sizes.transactions:,} transactions, {sizes.users:,} users "
            f"and wallets, {sizes.audit:,} audit rows, {sizes.outbox:,} outbox commands"
        )
        timings = load_v2_0(database, sizes)
        say("made in " + ", ".join(f"{step} {took:.1f}s" for step, took in timings.items()))
        adopted = gxschema(database, "adopt")
        if adopted.code != 0:
            raise SystemExit(f"gxschema adopt failed: {adopted.output[-2000:]}")
        srv.settle()
        load = Load(database, sizes, args.writers, args.readers, args.rate)
        run = Run(sizes, timings, srv.version(), load, Sampler(database, args.sample_ms / 1000))
        load.start()
        try:
            with running(run.sampler):
                measure(run, database, chain, args)
                time.sleep(args.pause)
        finally:
            load.stop()
    report(run, args, chain[-1])
    if args.json:
        args.json.write_text(json.dumps(results(run, args, chain[-1]), indent=2) + "\n")
    failed = [window for window in run.up + run.down + run.again if window.code != 0]
    if failed:
        print(f"\nA command failed: gxschema {failed[0].label}:\n{failed[0].output[-2000:]}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
