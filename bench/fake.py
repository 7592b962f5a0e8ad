r"""Benchmark (not a test): `gxschema fake` beside PostgreSQL's own fastest loaders and an ORM.

    python bench/fake.py [--users 100000] [--transactions-per-user 10] [--orm-users 2000]
    python bench/fake.py --memory 10000,100000,1000000   # fake alone, memory sampled

All in one run, on the very same rows, each method in its own scratch database made
from one template (migrated to head, seeded for devnet, demo rows removed so every
load starts from empty tables), each timed step after a CHECKPOINT (when the role may
run one), the machine's 1-minute load average recorded right after each step:

1. ``gxschema fake`` as a user runs it: default flags (indexes rebuilt from 200,000
   rows on, one worker per CPU, ANALYZE included), the whole child process (start-up,
   Faker, checks, generation, COPY, index and key rebuild, ANALYZE): wall time, rows/s,
   the child's own peak RSS (``wait4``) and its process tree's summed RSS and PSS;
2. the floor an expert reaches with PostgreSQL's tools, from the rows of run 1 dumped
   beforehand (untimed): ``pg_restore -j 2`` of a ``pg_dump -Fd`` of run 1's database
   into an empty database (schema, data, then indexes and keys two at a time; it does
   not ANALYZE, fake does; a second line adds ``vacuumdb --analyze-only -j 2``, which
   gives the same result as fake's, statistics of the filled tables included), and psql
   loading CSV the way fake itself does (drop the keys and indexes, ``\copy`` every
   table, create them again): in one script and one transaction, and with the rebuild
   split over two psql sessions (table by table, so they never wait on each other's
   locks; foreign keys then in one session, as concurrent ones would lock each other's
   tables). Every method runs with
   ``maintenance_work_mem`` at fake's 256MB;
3. ``psql -1`` with one ``\copy`` per table into the indexed tables (the slowest way
   psql loads: every index maintained row by row);
4. what a user would otherwise write: SQLAlchemy ORM objects, ``session.add_all``
   and ``flush`` per batch, one commit, for the rows of ``--orm-users`` users, timed
   twice over: the ORM alone (object creation, add_all, flush, commit: the rows are
   made by the same generators and converted before its clock starts) and the whole
   loop (making the rows included, as ``gxschema fake`` is timed); once added on top
   of run 1's database (another seed; the few values unique across a table are set
   apart), so the ORM works against indexes of the same size, and once into empty
   tables (small indexes: the ORM's best case); with ``--orm-full``, also for all the
   users of run 1, its very rows, from empty tables: the like-for-like comparison;
   ``--rounds N`` times fake and pg_restore N times each, alternately, and reports the
   median of each: on a shared machine one pair may meet very different loads;
   ``--floor-only`` runs just those pairs, round by round;
5. with ``--variants``: fake with ``--workers 0`` and with ``--indexes keep``;
6. the CPU each method had the machine spend (``/proc/stat``: every process's, the
   server's included) and its client processes' own share: on a machine whose cores
   every method keeps busy, wall time follows CPU work, and this shows where it goes;
7. peak memory of ``gxschema fake`` at a tenth of the users as well (``--small-users``),
   to show it flat. ``--memory`` runs only this, for each number of users given.

Goals (issue 17): fake >= 1.0x ``pg_restore -j 2`` of its own rows at 100,000 users,
whole process; under 300 MB summed RSS of the process tree, flat in the users.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import Any

from _common import (
    GXSCHEMA,
    Database,
    Server,
    arguments,
    load_average,
    machine,
    migrate,
    run,
    say,
    seed,
    server,
    table,
)

from gxschema.fake import FILLED_TABLES, FakeOptions, build_plan, make_pools

MAINTENANCE_MEM = "256MB"
"""What fake sets for its index builds; every psql and pg_restore run gets the same."""


class MachineCpu:
    """The CPU seconds the whole machine spent busy (every process, the server's too)
    between `start` and `stop`, from ``/proc/stat`` (Linux; NaN elsewhere).

    Both fake and pg_restore keep the two cores of the development machine busy, so
    their wall times follow the work each has the CPU do: these figures show where
    that work goes (the client's own share, measured with `client_cpu`, and the rest,
    the server's and whatever else ran).
    """

    def __init__(self) -> None:
        self.started = self._busy()
        self.seconds = float("nan")

    @staticmethod
    def _busy() -> float:
        try:
            with open("/proc/stat") as stat:
                fields = [int(value) for value in stat.readline().split()[1:9]]
        except OSError:
            return float("nan")
        user, nice, system, _idle, _iowait, irq, softirq, steal = fields
        return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> float:
        self.seconds = self._busy() - self.started
        return self.seconds


def client_cpu() -> float:
    """CPU seconds of this process's reaped children (and theirs): the commands run."""
    times = os.times()
    return times.children_user + times.children_system


def fake_command(
    database: Database, users: int, per_user: int, seed_value: int, *extra: str
) -> dict[str, Any]:
    """``gxschema --json fake`` in a child process, with `extra` flags (none: a user's run)."""
    busy, client = MachineCpu(), client_cpu()
    ran = run(
        [
            *GXSCHEMA,
            "--json",
            "fake",
            "--users",
            str(users),
            "--transactions-per-user",
            str(per_user),
            "--seed",
            str(seed_value),
            *extra,
        ],
        database.env(),
        tree=True,
    )
    report = json.loads(ran.stdout)
    report["busy"] = busy.stop()
    report["client_cpu"] = client_cpu() - client
    report["wall"] = ran.seconds
    report["load"] = load_average()[0]
    report["rss_mb"] = ran.max_rss_kb / 1024
    tree = ran.tree
    report["tree_rss_mb"] = tree.rss_kb / 1024 if tree else float("nan")
    report["tree_pss_mb"] = tree.pss_kb / 1024 if tree else float("nan")
    report["processes"] = tree.processes if tree else 0
    return report


@dataclass
class Timed:
    """One method's wall time and the 1-minute load average right after it; the machine's
    busy CPU seconds meanwhile and its client processes' own (`MachineCpu`)."""

    seconds: float = float("nan")
    load: float = float("nan")
    busy: float = float("nan")
    client: float = float("nan")


def timed(started: float, busy: MachineCpu | None = None, client: float | None = None) -> Timed:
    return Timed(
        time.perf_counter() - started,
        load_average()[0],
        float("nan") if busy is None else busy.stop(),
        float("nan") if client is None else client_cpu() - client,
    )


def _median(runs: list[Timed]) -> Timed:
    """The run of median time (the lower middle one of an even number)."""
    return sorted(runs, key=lambda run: run.seconds)[(len(runs) - 1) // 2]


def _of(runs: list[Timed]) -> str:
    return f", median of {len(runs)}" if len(runs) > 1 else ""


def with_memory(env: dict[str, str]) -> dict[str, str]:
    """`env` with fake's ``maintenance_work_mem`` for every session libpq opens."""
    options = env.get("PGOPTIONS", "")
    return {**env, "PGOPTIONS": f"{options} -c maintenance_work_mem={MAINTENANCE_MEM}".strip()}


def export_csv(database: Database, folder: Path) -> list[tuple[str, Path]]:
    """Every filled table's rows as CSV, in load order (not timed: psql reads files)."""
    import psycopg

    files = []
    with psycopg.connect(**database.libpq()) as connection, connection.cursor() as cursor:
        for name in FILLED_TABLES:
            path = folder / f"{name}.csv"
            with (
                path.open("wb") as out,
                cursor.copy(f'COPY "{name}" TO STDOUT (FORMAT csv)') as copy,
            ):
                for data in copy:
                    out.write(data)
            files.append((name, path))
    return files


def dump(database: Database, folder: Path) -> Path:
    """``pg_dump -Fd`` of the whole database (not timed: what pg_restore reads)."""
    target = folder / "dump"
    run(["pg_dump", "-Fd", "-j", "2", "-f", str(target)], database.env())
    return target


def pg_restore(srv: Server, dumped: Path, jobs: int) -> Timed:
    """``pg_restore -j`` into a new, empty database (from template0: no schema at all)."""
    return _restore(srv, dumped, jobs, analyze=False)


def pg_restore_analyze(srv: Server, dumped: Path, jobs: int) -> Timed:
    """`pg_restore`, then ``vacuumdb --analyze-only -j`` of the tables fake fills: the same
    result as fake's (which ANALYZEs them), as an expert finishes a restore (pg_restore
    leaves no statistics)."""
    return _restore(srv, dumped, jobs, analyze=True)


def _restore(srv: Server, dumped: Path, jobs: int, *, analyze: bool) -> Timed:
    empty = srv.create("template0")
    srv.settle()
    busy, client = MachineCpu(), client_cpu()
    started = time.perf_counter()
    env = with_memory(empty.env())
    run(["pg_restore", "-j", str(jobs), "-d", empty.name, "--exit-on-error", str(dumped)], env)
    if analyze:
        # the tables fake fills and ANALYZEs, no more (vacuumdb alone would also
        # analyze the catalogs and the reference tables: seconds fake does not spend)
        tables = [argument for name in FILLED_TABLES for argument in ("-t", f'"{name}"')]
        run(["vacuumdb", "--analyze-only", "-j", str(jobs), "-d", empty.name, "-q", *tables], env)
    result = timed(started, busy, client)
    empty.drop()
    return result


def _copy_lines(files: list[tuple[str, Path]]) -> list[str]:
    lines = []
    for name, path in files:
        quoted = str(path).replace("'", "''")
        lines.append(f"\\copy \"{name}\" FROM '{quoted}' WITH (FORMAT csv)")
    return lines


def _psql(psql: str, script: Path, *, single: bool = True) -> list[str]:
    return [
        psql,
        "-X",
        "-q",
        "-v",
        "ON_ERROR_STOP=1",
        *(["-1"] if single else []),
        "-f",
        str(script),
    ]


def psql_copy(database: Database, psql: str, files: list[tuple[str, Path]], folder: Path) -> Timed:
    """``psql -1``, one ``\\copy`` per table into the indexed tables."""
    script = folder / "load.sql"
    script.write_text("\n".join(_copy_lines(files)) + "\n")
    busy, client, started = MachineCpu(), client_cpu(), time.perf_counter()
    run(_psql(psql, script), with_memory(database.env()))
    return timed(started, busy, client)


def _ddl(database: Database) -> tuple[list[str], dict[str, list[str]], list[str]]:
    """What drops the filled tables' keys and indexes, what creates them (per table), the
    foreign keys' creation: the statements fake's own rebuild runs (`deferred`)."""
    from gxschema.fake import deferred

    engine = database.engine()
    with engine.connect() as connection:
        saved = deferred.save(connection, list(FILLED_TABLES))
    engine.dispose()
    drops = [item.drop + ";" for item in saved]
    per_table: dict[str, list[str]] = {}
    foreign = []
    for item in saved:
        statements = [item.create + ";", *([item.comment + ";"] if item.comment else [])]
        if item.kind == "fkey":
            foreign.extend(statements)
        else:
            per_table.setdefault(item.table, []).extend(statements)
    return drops, per_table, foreign


def psql_rebuild(
    database: Database,
    psql: str,
    files: list[tuple[str, Path]],
    folder: Path,
    rows: dict[str, int],
    *,
    sessions: int,
) -> Timed:
    """Drop keys and indexes, ``\\copy`` every table, create them again: fake's method.

    One session: all in one script and one transaction. Two or more: the drop and the
    copy are committed first, then the tables' keys and indexes are created by
    `sessions` psql processes at once (the largest tables dealt first to the least
    loaded), then the foreign keys in one.
    """
    drops, per_table, foreign = _ddl(database)
    creates = [statement for statements in per_table.values() for statement in statements]
    env = with_memory(database.env())
    if sessions <= 1:
        script = folder / "rebuild.sql"
        script.write_text("\n".join([*drops, *_copy_lines(files), *creates, *foreign]) + "\n")
        busy, client, started = MachineCpu(), client_cpu(), time.perf_counter()
        run(_psql(psql, script), env)
        return timed(started, busy, client)
    load = folder / "drop-copy.sql"
    load.write_text("\n".join([*drops, *_copy_lines(files)]) + "\n")
    shares: list[list[str]] = [[] for _ in range(sessions)]
    weights = [0] * sessions
    for name in sorted(per_table, key=lambda table: -rows.get(table, 0)):
        lightest = weights.index(min(weights))
        shares[lightest].extend(per_table[name])
        weights[lightest] += rows.get(name, 0) + 1
    scripts = []
    for number, share in enumerate(shares):
        script = folder / f"rebuild-{number}.sql"
        script.write_text("\n".join(share) + "\n")
        scripts.append(script)
    keys = folder / "foreign.sql"
    keys.write_text("\n".join(foreign) + "\n")
    busy, client, started = MachineCpu(), client_cpu(), time.perf_counter()
    run(_psql(psql, load), env)
    children = [
        subprocess.Popen(_psql(psql, script), env=env, stdout=subprocess.DEVNULL)
        for script in scripts
    ]
    if any(child.wait() != 0 for child in children):
        raise SystemExit("psql: rebuilding the indexes in parallel failed")
    run(_psql(psql, keys), env)
    return timed(started, busy, client)


SET_APART = {
    # table: {column: how to change the value} so that a second seed's rows can be added
    # to a database already holding the first seed's: the few values unique across the
    # whole table that two seeds could both produce
    "UserProfile": {
        "email": lambda value: None if value is None else f"orm.{value}",
        "phoneNum": lambda _value: None,
    },
    "LicensedPartner": {"companyName": lambda value: f"{value} (ORM)"},
    "Application": {"appName": lambda value: f"{value} (ORM)"},
}
SKIPPED_ON_TOP = {"ProjectorState"}
"""One row per tenant and projector: a second set would collide by primary key."""


@dataclass
class OrmRun:
    rows: int = 0
    write_seconds: float = 0.0
    """Object creation, add_all, flush and commit: the ORM alone (its best case)."""
    total_seconds: float = 0.0
    """All of the loop, making the rows included (as `gxschema fake` is timed)."""


def orm_load(database: Database, options: FakeOptions, *, on_top: bool = False) -> OrmRun:
    """The ORM loop a user would write, timed twice over: the ORM alone, and all of it.

    With `on_top`, the rows are added to a database that already holds a fake load
    (of another seed), so the ORM works against tables and indexes of that size.
    """
    from sqlalchemy import DateTime, Numeric
    from sqlalchemy.dialects.postgresql import JSONB
    from sqlalchemy.orm import Session

    from gxschema.models import Base

    mappers = {mapper.local_table.name: mapper for mapper in Base.registry.mappers}
    engine = database.engine()
    began = time.perf_counter()
    specs = build_plan(options, make_pools(options.seed))
    run = OrmRun()
    with Session(engine) as session:
        for spec in specs:
            if on_top and spec.table in SKIPPED_ON_TOP:
                continue
            mapper = mappers[spec.table]
            columns = [mapper.local_table.c[name] for name in spec.columns]
            keys = [mapper.get_property_by_column(column).key for column in columns]
            convert = [
                (lambda value: None if value is None else Decimal(value))
                if isinstance(column.type, Numeric)
                else (lambda value: None if value is None else json.loads(value))
                if isinstance(column.type, JSONB)
                else (lambda value: None if value is None else datetime.fromisoformat(value))
                if isinstance(column.type, DateTime)
                else (lambda value: value)
                for column in columns
            ]
            if on_top:
                for name, change in SET_APART.get(spec.table, {}).items():
                    position = spec.columns.index(name)
                    convert[position] = change
            model = mapper.class_
            rows = spec.rows()
            while chunk := list(islice(rows, options.batch)):
                values = [
                    {
                        key: change(value)
                        for key, change, value in zip(keys, convert, row, strict=True)
                    }
                    for row in chunk
                ]
                started = time.perf_counter()
                session.add_all([model(**item) for item in values])
                session.flush()
                session.expunge_all()
                run.write_seconds += time.perf_counter() - started
                run.rows += len(chunk)
        started = time.perf_counter()
        session.commit()
        run.write_seconds += time.perf_counter() - started
    run.total_seconds = time.perf_counter() - began
    engine.dispose()
    return run


def memory_only(
    srv: Server, template: Database, counts: list[int], per_user: int, seed_value: int
) -> None:
    """``gxschema fake`` alone (default flags) at each number of users, memory sampled."""
    rows = []
    for users in counts:
        say(f"gxschema fake --users {users:,} (memory sampled every 0.1 s)")
        database = srv.create(template.name)
        srv.settle()
        report = fake_command(database, users, per_user, seed_value)
        database.drop()
        rows.append(_memory_row(f"{users:,} users", users * per_user, report))
    _memory_table(rows)


def _memory_row(label: str, transactions: int, report: dict[str, Any]) -> list[str]:
    return [
        f"{label}, {report['workers']} workers",
        f"{transactions:,}",
        f"{report['total_rows']:,}",
        f"{report['wall']:.1f}",
        f"{report['processes']}",
        f"{report['rss_mb']:.0f}",
        f"{report['tree_rss_mb']:.0f}",
        f"{report['tree_pss_mb']:.0f}",
        f"{report['load']:.1f}",
    ]


def _memory_table(rows: list[list[str]]) -> None:
    table(
        "Peak memory of gxschema fake: the command's own process (wait4), and the whole "
        "process tree with its workers (sampled every 0.1 s); goal < 300 MB summed RSS",
        [
            "run",
            "transactions",
            "rows",
            "wall s",
            "processes",
            "own peak RSS MB",
            "tree: sum of RSS MB",
            "tree: sum of PSS MB",
            "load",
        ],
        rows,
    )


def floor_only(srv: Server, template: Database, folder: Path, args: Any, rounds: int) -> None:
    """Only fake (default flags) and ``pg_restore -j 2`` of its rows, alternately, `rounds`
    times each: the goal's ratio, measured without the slower methods' half hour."""
    users, per_user = args.users, args.transactions_per_user
    fakes: list[Timed] = []
    restores: list[Timed] = []
    analyzed: list[Timed] = []
    rows = 0
    for number in range(1, rounds + 1):
        say(f"round {number}: gxschema fake --users {users:,}")
        database = srv.create(template.name)
        srv.settle()
        report = fake_command(database, users, per_user, args.seed)
        rows = report["total_rows"]
        fakes.append(_fake_timed(report))
        say(f"   {rows:,} rows in {report['wall']:.1f}s (load {report['load']:.1f})")
        dumped = folder / f"dump-{number}"
        run(["pg_dump", "-Fd", "-j", "2", "-f", str(dumped)], database.env())
        database.drop()
        say(f"round {number}: pg_restore -j 2")
        restores.append(pg_restore(srv, dumped, 2))
        say(f"   {restores[-1].seconds:.1f}s (load {restores[-1].load:.1f})")
        say(f"round {number}: pg_restore -j 2, then vacuumdb --analyze-only -j 2")
        analyzed.append(pg_restore_analyze(srv, dumped, 2))
        say(f"   {analyzed[-1].seconds:.1f}s (load {analyzed[-1].load:.1f})")
    print(f"\nMachine: {machine(srv.version())}\n")
    table(
        f"gxschema fake against pg_restore -j 2 of its rows ({rows:,} rows, {users:,} users), "
        "round by round",
        [
            "round",
            "fake s",
            "load",
            "pg_restore -j 2 s",
            "load",
            "fake vs pg_restore -j 2",
            "+ vacuumdb --analyze-only s",
            "fake vs it",
        ],
        [
            [
                f"{number}",
                f"{faked.seconds:.1f}",
                f"{faked.load:.1f}",
                f"{restored.seconds:.1f}",
                f"{restored.load:.1f}",
                f"{restored.seconds / faked.seconds:.2f}x",
                f"{finished.seconds:.1f}",
                f"{finished.seconds / faked.seconds:.2f}x",
            ]
            for number, (faked, restored, finished) in enumerate(
                zip(fakes, restores, analyzed, strict=True), 1
            )
        ],
    )
    _cpu_table(
        [
            ("gxschema fake, default flags", fakes),
            ("pg_restore -j 2", restores),
            ("pg_restore -j 2, then vacuumdb --analyze-only -j 2", analyzed),
        ]
    )


def _fake_timed(report: dict[str, Any]) -> Timed:
    return Timed(report["wall"], report["load"], report["busy"], report["client_cpu"])


def _cpu_table(methods: list[tuple[str, list[Timed]]]) -> None:
    """Where each method's time goes: the machine's busy CPU seconds, the client's share.

    When a method keeps every core busy, its wall time is its CPU work over the cores;
    fake's work is pg_restore's (the same COPY, the same index sorts) plus making the
    rows and ANALYZE, so on a machine it saturates it cannot finish first.
    """
    cores = os.cpu_count() or 1
    rows = []
    for label, runs in methods:
        for number, measured in enumerate(runs, 1):
            if measured.seconds != measured.seconds:  # not run (no psql)
                continue
            rest = measured.busy - measured.client
            rows.append(
                [
                    f"{label}{f' (round {number})' if len(runs) > 1 else ''}",
                    f"{measured.seconds:.1f}",
                    f"{measured.busy:.1f}",
                    f"{100 * measured.busy / (cores * measured.seconds):.0f}%",
                    f"{measured.client:.1f}",
                    f"{rest:.1f}",
                    f"{measured.load:.1f}",
                ]
            )
    table(
        f"CPU: the machine's busy CPU seconds during each method ({cores} cores)",
        [
            "method",
            "wall s",
            "machine busy CPU s",
            "of the cores",
            "client processes' CPU s",
            "the rest (the server, anything else) s",
            "load",
        ],
        rows,
    )


def make_template(srv: Server) -> Database:
    template = srv.create()
    say(f"template {template.name}: migrate, seed devnet, remove the demo rows")
    migrate(template)
    seed(template, "devnet")
    engine = template.engine()
    with engine.begin() as connection:
        from sqlalchemy import text

        connection.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in FILLED_TABLES)))
    engine.dispose()
    return template


def main() -> None:
    parser = arguments(__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--transactions-per-user", type=int, default=10)
    parser.add_argument("--orm-users", type=int, default=2000)
    parser.add_argument("--small-users", type=int, default=None, help="default: users / 10")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--orm-full",
        action="store_true",
        help="also load all --users users' rows (fake's own) with the ORM loop from empty "
        "tables: the like-for-like comparison (some 12 minutes at 100,000 users)",
    )
    parser.add_argument(
        "--variants", action="store_true", help="also fake --workers 0 and --indexes keep"
    )
    parser.add_argument(
        "--floor-only",
        action="store_true",
        help="only fake and pg_restore -j 2, alternately, --rounds times each",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="time fake and pg_restore -j 2 this many times each, alternately, and report "
        "the median of each (on a shared machine, a single pair may meet different loads)",
    )
    parser.add_argument(
        "--memory",
        default=None,
        help="comma-separated numbers of users: only run fake at each, memory sampled",
    )
    args = parser.parse_args()
    users, per_user = args.users, args.transactions_per_user
    small = args.small_users if args.small_users is not None else max(1, users // 10)

    with server(keep=args.keep) as srv, tempfile.TemporaryDirectory(prefix="gxbench-") as tmp:
        folder = Path(tmp)
        template = make_template(srv)
        if args.memory:
            counts = [int(part.replace("_", "")) for part in args.memory.split(",")]
            memory_only(srv, template, counts, per_user, args.seed)
            print(f"\nMachine: {machine(srv.version())}")
            return
        if args.floor_only:
            floor_only(srv, template, folder, args, max(1, args.rounds))
            return
        psql = srv.psql()

        say(f"1. gxschema fake --users {users:,} --transactions-per-user {per_user}")
        target = srv.create(template.name)
        srv.settle()
        fake = fake_command(target, users, per_user, args.seed)
        rows = fake["total_rows"]
        table_rows = {item["table"]: item["rows"] for item in fake["tables"]}
        say(f"   {rows:,} rows in {fake['wall']:.1f}s, peak RSS {fake['rss_mb']:.0f} MB")

        say("   dump its database (pg_dump -Fd) and its rows as CSV (not timed)")
        dumped = dump(target, folder)
        files = export_csv(target, folder) if psql else []
        say(f"   ORM add_all loop for {args.orm_users:,} more users, on top of these rows")
        top_options = FakeOptions(
            users=args.orm_users, transactions_per_user=per_user, seed=args.seed + 1000
        )
        srv.settle()
        top = orm_load(target, top_options, on_top=True)
        target.drop()

        say("2. pg_restore -j 2 of that dump into an empty database")
        restores = [pg_restore(srv, dumped, 2)]
        say("2a. the same, then vacuumdb --analyze-only -j 2 (fake's result: statistics too)")
        analyzed = pg_restore_analyze(srv, dumped, 2)
        fakes = [_fake_timed(fake)]
        for round_number in range(2, args.rounds + 1):
            say(f"2. round {round_number}: gxschema fake, then pg_restore -j 2, again")
            again = srv.create(template.name)
            srv.settle()
            report = fake_command(again, users, per_user, args.seed)
            fakes.append(_fake_timed(report))
            again.drop()
            restores.append(pg_restore(srv, dumped, 2))
        restored, faked = _median(restores), _median(fakes)
        rebuilt_one = rebuilt_two = copied = Timed()
        if psql:
            say("2b. psql: drop keys and indexes, \\copy, rebuild (one script, one transaction)")
            database = srv.create(template.name)
            srv.settle()
            rebuilt_one = psql_rebuild(database, psql, files, folder, table_rows, sessions=1)
            database.drop()
            say("2c. the same, the rebuild over two psql sessions")
            database = srv.create(template.name)
            srv.settle()
            rebuilt_two = psql_rebuild(database, psql, files, folder, table_rows, sessions=2)
            database.drop()
            say("3. psql -1 \\copy into the indexed tables")
            database = srv.create(template.name)
            srv.settle()
            copied = psql_copy(database, psql, files, folder)
            database.drop()
            for _name, path in files:
                path.unlink()
        else:
            say("2b-3. skipped: no psql found")

        say(f"4. ORM add_all loop for {args.orm_users:,} users into empty tables")
        orm_options = FakeOptions(
            users=args.orm_users, transactions_per_user=per_user, seed=args.seed
        )
        orm_db = srv.create(template.name)
        srv.settle()
        empty = orm_load(orm_db, orm_options)
        orm_db.drop()

        full = None
        if args.orm_full:
            say(f"4b. ORM add_all loop for all {users:,} users (fake's rows) from empty tables")
            full_db = srv.create(template.name)
            srv.settle()
            full = orm_load(
                full_db, FakeOptions(users=users, transactions_per_user=per_user, seed=args.seed)
            )
            full_db.drop()

        variants: list[tuple[str, dict[str, Any]]] = []
        if args.variants:
            for label, extra in (
                ("gxschema fake --workers 0", ("--workers", "0")),
                ("gxschema fake --indexes keep", ("--indexes", "keep")),
            ):
                say(f"5. {label}")
                database = srv.create(template.name)
                srv.settle()
                variants.append((label, fake_command(database, users, per_user, args.seed, *extra)))
                database.drop()

        say(f"6. gxschema fake --users {small:,} (peak memory at a tenth of the size)")
        small_db = srv.create(template.name)
        srv.settle()
        small_run = fake_command(small_db, small, per_user, args.seed)
        small_db.drop()
        version = srv.version()

    restore_rate = rows / restored.seconds
    orm_rate = (full.rows / full.total_seconds) if full else top.rows / top.total_seconds
    orm_runs = [("on top of the loaded tables", top), ("into empty tables", empty)]
    if full:
        orm_runs.append(("(all) from empty tables: fake's own rows", full))

    def run_users(run: OrmRun) -> int:
        return users if run is full else args.orm_users

    def line(method: str, count: int, seconds: float, load: float) -> list[str]:
        rate = count / seconds
        return [
            method,
            f"{count:,}",
            f"{seconds:.1f}",
            f"{rate:,.0f}",
            f"{rate / restore_rate:.2f}x" if rate == rate else "-",
            f"{rate / orm_rate:.1f}x",
            f"{load:.1f}",
        ]

    print(f"\nMachine: {machine(version)}\n")
    table(
        f"Loading {rows:,} rows ({users:,} users, {per_user} transactions each, 39 tables)",
        ["method", "rows", "seconds", "rows/s", "vs pg_restore -j 2", "vs ORM", "load"],
        [
            line(
                f"gxschema fake, default flags ({fake['workers']} workers, indexes "
                f"{fake['indexes']}, ANALYZE included){_of(fakes)}",
                rows,
                faked.seconds,
                faked.load,
            ),
            *(line(label, rows, report["wall"], report["load"]) for label, report in variants),
            line(
                "pg_restore -j 2 of a pg_dump -Fd (schema, data, indexes, keys; no ANALYZE)"
                + _of(restores),
                rows,
                restored.seconds,
                restored.load,
            ),
            line(
                "pg_restore -j 2, then vacuumdb --analyze-only -j 2 (statistics, as fake)",
                rows,
                analyzed.seconds,
                analyzed.load,
            ),
            line(
                "psql -1: drop keys and indexes, \\copy, rebuild (fake's method)",
                rows,
                rebuilt_one.seconds,
                rebuilt_one.load,
            ),
            line(
                "psql: drop, \\copy, commit, rebuild over 2 sessions",
                rows,
                rebuilt_two.seconds,
                rebuilt_two.load,
            ),
            line(
                "psql -1 \\copy into the indexed tables",
                rows,
                copied.seconds,
                copied.load,
            ),
            *(
                line(
                    f"ORM add_all + flush, {run_users(run):,} users {where} ({what})",
                    run.rows,
                    seconds,
                    load_average()[0],
                )
                for where, run in orm_runs
                for what, seconds in (
                    ("the ORM alone", run.write_seconds),
                    ("the whole loop", run.total_seconds),
                )
            ),
        ],
    )
    print(
        "'vs pg_restore -j 2': the method's rows/s over pg_restore's (the goal: fake's "
        ">= 1.00x). The ORM lines' load is the one at the end of the run.\n"
    )
    _cpu_table(
        [
            ("gxschema fake, default flags", fakes),
            ("pg_restore -j 2", restores),
            ("pg_restore -j 2, then vacuumdb --analyze-only -j 2", [analyzed]),
            ("psql -1: drop, \\copy, rebuild (fake's method)", [rebuilt_one]),
            ("psql: the rebuild over 2 sessions", [rebuilt_two]),
            ("psql -1 \\copy into the indexed tables", [copied]),
        ]
    )
    table(
        "Inside gxschema fake (from its --json report)",
        ["run", "COPY + rebuild s", "of which rebuild s", "ANALYZE s", "wall s"],
        [
            [
                label,
                f"{report['seconds']:.1f}",
                "-" if report["rebuild_seconds"] is None else f"{report['rebuild_seconds']:.1f}",
                "-" if report["analyze_seconds"] is None else f"{report['analyze_seconds']:.1f}",
                f"{report['wall']:.1f}",
            ]
            for label, report in [("default flags", fake), *variants]
        ],
    )
    _memory_table(
        [
            _memory_row(f"{small:,} users", small * per_user, small_run),
            _memory_row(f"{users:,} users", users * per_user, fake),
            *(
                _memory_row(f"{users:,} users, {label}", users * per_user, report)
                for label, report in variants
            ),
        ]
    )


if __name__ == "__main__":
    main()
