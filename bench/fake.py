"""Benchmark (not a test): `gxschema fake` beside psql \\copy and a plain ORM loop.

    python bench/fake.py [--users 100000] [--transactions-per-user 10] [--orm-users 2000]

All in one run, each in its own scratch database made from one template (migrated
to head, seeded for devnet, demo rows removed so every load starts from empty
tables), each timed step after a CHECKPOINT (when the role may run one) so that none
pays for writing out the pages of the one before:

1. ``gxschema fake``, the command as a user runs it (a child process: start-up,
   Faker, checks, COPY, rebuilding indexes and keys; no ANALYZE): wall time, rows/s
   and the child's own peak RSS (``wait4``);
2. the same in one process (``--workers 0``), and with ``--indexes keep`` (indexes
   maintained row by row during COPY);
3. the ceiling: the very rows of run 1, exported to CSV beforehand, loaded by
   ``psql -1`` with one ``\\copy`` per table, in the same order, into the same indexed
   tables;
4. what a user would otherwise write: SQLAlchemy ORM objects, ``session.add_all``
   and ``flush`` per batch, one commit, for the rows of ``--orm-users`` users, timed
   twice over: the ORM alone (object creation, add_all, flush, commit: the rows are
   made by the same generators and converted before its clock starts) and the whole
   loop (making the rows included, as ``gxschema fake`` is timed); once added on top
   of run 1's database (another seed; the few values unique across a table are set
   apart), so the ORM works against indexes of the same size, and once into empty
   tables (small indexes: the ORM's best case); with ``--orm-full``, also for all the
   users of run 1, its very rows, from empty tables: the like-for-like comparison.
   "vs ORM" is relative to the whole loop of that full load, or without it to the
   whole loop on top of the loaded tables;
5. peak memory of ``gxschema fake`` at a tenth of the users as well, to show it flat:
   the command's own process, and the whole tree with its worker processes.

Goals (issue 7): fake >= 0.9x the \\copy ceiling, >= 10x the ORM loop, and under
300 MB peak RSS for 1,000,000 transactions.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import Any

from _common import GXSCHEMA, Database, arguments, machine, migrate, run, say, seed, server, table

from gxschema.fake import FILLED_TABLES, FakeOptions, build_plan, make_pools


def fake_command(
    database: Database, users: int, per_user: int, seed_value: int, *extra: str
) -> dict[str, Any]:
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
            "--no-analyze",
            *extra,
        ],
        database.env(),
        tree=True,
    )
    report = json.loads(ran.stdout)
    report["wall"] = ran.seconds
    report["rss_mb"] = ran.max_rss_kb / 1024
    tree = ran.tree
    report["tree_rss_mb"] = tree.rss_kb / 1024 if tree else float("nan")
    report["tree_pss_mb"] = tree.pss_kb / 1024 if tree else float("nan")
    report["processes"] = tree.processes if tree else 0
    return report


def export_csv(database: Database, folder: Path) -> list[tuple[str, Path]]:
    """Every filled table's rows as CSV, in load order (not timed: the ceiling reads files)."""
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


def psql_copy(database: Database, psql: str, files: list[tuple[str, Path]], folder: Path) -> float:
    script = folder / "load.sql"
    lines = []
    for name, path in files:
        quoted = str(path).replace("'", "''")
        lines.append(f"\\copy \"{name}\" FROM '{quoted}' WITH (FORMAT csv)")
    script.write_text("\n".join(lines) + "\n")
    ran = run([psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-1", "-f", str(script)], database.env())
    return ran.seconds


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
    args = parser.parse_args()
    users, per_user = args.users, args.transactions_per_user
    small = args.small_users if args.small_users is not None else max(1, users // 10)

    with server(keep=args.keep) as srv, tempfile.TemporaryDirectory(prefix="gxbench-") as tmp:
        folder = Path(tmp)
        psql = srv.psql()
        template = srv.create()
        say(f"template {template.name}: migrate, seed devnet, remove the demo rows")
        migrate(template)
        seed(template, "devnet")
        engine = template.engine()
        with engine.begin() as connection:
            from sqlalchemy import text

            connection.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in FILLED_TABLES)))
        engine.dispose()

        say(f"1. gxschema fake --users {users:,} --transactions-per-user {per_user}")
        target = srv.create(template.name)
        srv.settle()
        fake = fake_command(target, users, per_user, args.seed, "--indexes", "rebuild")
        rows = fake["total_rows"]
        say(f"   {rows:,} rows in {fake['wall']:.1f}s, peak RSS {fake['rss_mb']:.0f} MB")

        files: list[tuple[str, Path]] = []
        if psql:
            say("   export its rows to CSV for psql (not timed)")
            files = export_csv(target, folder)
        say(f"   ORM add_all loop for {args.orm_users:,} more users, on top of these rows")
        top_options = FakeOptions(
            users=args.orm_users, transactions_per_user=per_user, seed=args.seed + 1000
        )
        srv.settle()
        top = orm_load(target, top_options, on_top=True)
        target.drop()

        say("2. the same in one process (--workers 0)")
        alone_db = srv.create(template.name)
        srv.settle()
        alone = fake_command(
            alone_db, users, per_user, args.seed, "--indexes", "rebuild", "--workers", "0"
        )
        alone_db.drop()

        say("2b. the same with --indexes keep")
        kept_db = srv.create(template.name)
        srv.settle()
        kept = fake_command(kept_db, users, per_user, args.seed, "--indexes", "keep")
        kept_db.drop()

        copy_seconds = float("nan")
        if psql:
            say("3. psql \\copy of the same rows")
            copy_db = srv.create(template.name)
            srv.settle()
            copy_seconds = psql_copy(copy_db, psql, files, folder)
            copy_db.drop()
            for _name, path in files:
                path.unlink()
        else:
            say("3. skipped: no psql found")

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

        say(f"5. gxschema fake --users {small:,} (peak RSS at a tenth of the size)")
        small_db = srv.create(template.name)
        srv.settle()
        small_run = fake_command(small_db, small, per_user, args.seed)
        small_db.drop()
        version = srv.version()

    fake_rate = rows / fake["wall"]
    alone_rate = rows / alone["wall"]
    kept_rate = rows / kept["wall"]
    copy_rate = rows / copy_seconds
    orm_rate = (full.rows / full.total_seconds) if full else top.rows / top.total_seconds
    orm_runs = [("on top of the loaded tables", top), ("into empty tables", empty)]
    if full:
        orm_runs.append(("(all) from empty tables: fake's own rows", full))

    def run_users(run: OrmRun) -> int:
        return users if run is full else args.orm_users

    print(f"\nMachine: {machine(version)}; load average at the end {os.getloadavg()[0]:.1f}\n")
    table(
        f"Loading {rows:,} rows ({users:,} users, {per_user} transactions each, 39 tables)",
        ["method", "rows", "seconds", "rows/s", "vs \\copy", "vs ORM"],
        [
            [
                f"gxschema fake --indexes rebuild ({fake['workers']} workers)",
                f"{rows:,}",
                f"{fake['wall']:.1f}",
                f"{fake_rate:,.0f}",
                f"{fake_rate / copy_rate:.2f}x",
                f"{fake_rate / orm_rate:.1f}x",
            ],
            [
                "gxschema fake --indexes rebuild --workers 0",
                f"{rows:,}",
                f"{alone['wall']:.1f}",
                f"{alone_rate:,.0f}",
                f"{alone_rate / copy_rate:.2f}x",
                f"{alone_rate / orm_rate:.1f}x",
            ],
            [
                "gxschema fake --indexes keep",
                f"{rows:,}",
                f"{kept['wall']:.1f}",
                f"{kept_rate:,.0f}",
                f"{kept_rate / copy_rate:.2f}x",
                f"{kept_rate / orm_rate:.1f}x",
            ],
            [
                "psql -1 \\copy from CSV (ceiling)",
                f"{rows:,}",
                f"{copy_seconds:.1f}",
                f"{copy_rate:,.0f}",
                "1.00x",
                f"{copy_rate / orm_rate:.1f}x",
            ],
            *(
                [
                    f"ORM add_all + flush, {run_users(run):,} users {where} ({what})",
                    f"{run.rows:,}",
                    f"{seconds:.1f}",
                    f"{run.rows / seconds:,.0f}",
                    f"{run.rows / seconds / copy_rate:.2f}x",
                    f"{run.rows / seconds / orm_rate:.1f}x",
                ]
                for where, run in orm_runs
                for what, seconds in (
                    ("the ORM alone", run.write_seconds),
                    ("the whole loop", run.total_seconds),
                )
            ),
        ],
    )
    table(
        "Inside gxschema fake (from its --json report)",
        ["run", "COPY + rebuild s", "of which rebuild s", "rows/s in the load", "wall s"],
        [
            [
                f"--indexes rebuild ({fake['workers']} workers)",
                f"{fake['seconds']:.1f}",
                f"{fake['rebuild_seconds']:.1f}",
                f"{fake['rows_per_second']:,}",
                f"{fake['wall']:.1f}",
            ],
            [
                "--indexes rebuild --workers 0",
                f"{alone['seconds']:.1f}",
                f"{alone['rebuild_seconds']:.1f}",
                f"{alone['rows_per_second']:,}",
                f"{alone['wall']:.1f}",
            ],
            [
                "--indexes keep",
                f"{kept['seconds']:.1f}",
                "-",
                f"{kept['rows_per_second']:,}",
                f"{kept['wall']:.1f}",
            ],
        ],
    )
    table(
        "Peak memory of gxschema fake: the command's own process (wait4), and the whole "
        "process tree with its workers (sampled every 0.1 s)",
        [
            "run",
            "transactions",
            "processes",
            "own peak RSS MB",
            "tree: sum of RSS MB",
            "tree: sum of PSS MB",
            "goal",
        ],
        [
            [
                f"{label}",
                f"{count * per_user:,}",
                f"{report['processes']}",
                f"{report['rss_mb']:.0f}",
                f"{report['tree_rss_mb']:.0f}",
                f"{report['tree_pss_mb']:.0f}",
                "< 300 MB",
            ]
            for label, count, report in (
                (f"{small:,} users, {small_run['workers']} workers", small, small_run),
                (f"{users:,} users, {fake['workers']} workers", users, fake),
                (f"{users:,} users, --workers 0", users, alone),
            )
        ],
    )


if __name__ == "__main__":
    main()
