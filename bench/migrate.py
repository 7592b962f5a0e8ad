"""Benchmark (not a test): `gxschema migrate` from empty beside psql running its offline SQL.

    python bench/migrate.py [--rounds 7]

The offline SQL is written once before the rounds (``gxschema migrate --sql``: the same
revisions as plain SQL). Each round runs every method below once, in turn, each in a
fresh empty scratch database, each timed as a whole process (start-up included):

1. ``gxschema migrate``, what the Job runs: the advisory lock, bounded timeouts, the
   history checks, the preflight of roles, one transaction per revision, a recorded
   SchemaMigrationRun; from empty, as here, through the revisions' rendered SQL and
   psycopg alone (`gxschema.migrate_from_empty`);
2. ``gxschema migrate HEAD``, the head revision named: the same through Alembic (the
   path of every database that is not empty), start-up included;
3. the Alembic path in this process (``gxschema.migrator.migrate``): (2) without
   the interpreter and the imports starting;
4. ``psql -X -v ON_ERROR_STOP=1 -f`` of the offline SQL: what a DBA runs by hand, and
   the floor the goal is measured against (issue 17: at most 2x);
5. ``psql -1`` of the same SQL with its ``CREATE INDEX CONCURRENTLY`` made plain and
   the ``BEGIN``/``COMMIT`` around them dropped: the offline SQL itself cannot run
   under ``-1`` (a concurrent build is refused in a transaction block), so this is
   the same DDL in one transaction (its guard against ``-1`` removed), the fastest
   way psql gets the schema;
6. the floors of a Python command: ``python -c pass``, the import of what the
   rendered-SQL path needs (``import psycopg``) and of what any migration through
   Alembic needs (``import alembic.command, psycopg, sqlalchemy``).

Children run with bytecode caching on (``PYTHONDONTWRITEBYTECODE`` is dropped), as an
installed package does, after one untimed warm-up run.

Reported: the fastest and the median of the rounds, each against psql -f, the client
process's own CPU seconds (the server's work is the same for all and not counted), with
the load average over the run (the machine may be shared: compare the ratios of one run).
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from _common import (
    GXSCHEMA,
    arguments,
    load_average,
    machine,
    median,
    migrate,
    run,
    say,
    server,
    table,
)

from gxschema.alembic_config import head_revision

LABELS = {
    "cli": "gxschema migrate (child process)",
    "alembic": "gxschema migrate HEAD (child process, the Alembic path)",
    "library": "gxschema.migrator.migrate (in process, no start-up)",
    "psql": "psql -v ON_ERROR_STOP=1 -f offline SQL (the floor)",
    "psql1": "psql -1 -f offline SQL, CONCURRENTLY made plain (one transaction)",
    "python": "python -c pass (no database)",
    "psycopg": "python -c 'import psycopg' (no database)",
    "imports": "python -c 'import alembic.command, psycopg, sqlalchemy' (no database)",
}


def one_transaction(offline_sql: str) -> str:
    """The offline SQL as one transaction: plain index builds, no BEGIN/COMMIT of its own.

    Its guard against ``psql -1`` (a ``DO`` block that refuses to run inside a
    transaction block) goes too: this copy is meant to run as one.
    """
    lines = [
        line.replace("CREATE INDEX CONCURRENTLY", "CREATE INDEX")
        for line in offline_sql.splitlines()
        if line.strip() not in ("BEGIN;", "COMMIT;")
        and "transaction_timestamp() <> statement_timestamp()" not in line
    ]
    return "\n".join(lines) + "\n"


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds of the child, and its own user+sys CPU seconds (not the server's)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    ran = run(command, env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ran.seconds, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = arguments(__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    # As installed (pip compiles every module, the revisions too): without bytecode the
    # revisions and env.py are compiled again by every run, some 0.15 s on this machine.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    timings: dict[str, list[float]] = {key: [] for key in LABELS}
    cpu: dict[str, list[float]] = {key: [] for key in LABELS}
    loads: list[float] = []
    with server(keep=args.keep) as srv, tempfile.TemporaryDirectory(prefix="gxbench-") as tmp:
        psql = srv.psql()
        scratch = srv.create()
        offline = run([*GXSCHEMA, "migrate", "--sql"], scratch.env())
        scratch.drop()
        sql_file = Path(tmp) / "migrate.sql"
        sql_file.write_text(offline.stdout)
        single_file = Path(tmp) / "migrate-1.sql"
        single_file.write_text(one_transaction(offline.stdout))
        say(f"offline SQL: {len(offline.stdout.splitlines()):,} lines")
        commands: dict[str, list[str]] = {
            "cli": [*GXSCHEMA, "migrate"],
            # the head named: not "head", so the rendered-SQL path steps aside
            "alembic": [*GXSCHEMA, "migrate", head_revision()],
        }
        if psql:
            base = [psql, "-X", "-q", "-v", "ON_ERROR_STOP=1"]
            commands["psql"] = [*base, "-f", str(sql_file)]
            commands["psql1"] = [*base, "-1", "-f", str(single_file)]
        floors = {
            "python": [sys.executable, "-c", "pass"],
            "psycopg": [sys.executable, "-c", "import psycopg"],
            "imports": [sys.executable, "-c", "import alembic.command, psycopg, sqlalchemy"],
        }
        for path in ("cli", "alembic"):  # writes the bytecode, fills the file cache: not timed
            warm_up = srv.create()
            run(commands[path], warm_up.env())
            warm_up.drop()
        for number in range(args.rounds):
            loads.append(load_average()[0])
            say(f"round {number + 1} of {args.rounds}, load average {loads[-1]:.2f}")
            for key, command in commands.items():
                database = srv.create()
                seconds, used = timed(command, database.env())
                timings[key].append(seconds)
                cpu[key].append(used)
                database.drop()
            database = srv.create()
            started, cpu_started = time.perf_counter(), time.process_time()
            migrate(database)
            timings["library"].append(time.perf_counter() - started)
            cpu["library"].append(time.process_time() - cpu_started)
            database.drop()
            for key, command in floors.items():
                seconds, used = timed(command, dict(os.environ))
                timings[key].append(seconds)
                cpu[key].append(used)
        loads.append(load_average()[0])
        version = srv.version()

    reference = min(timings["psql"]) if timings["psql"] else float("nan")
    reference_median = median(timings["psql"]) if timings["psql"] else float("nan")
    print(f"\nMachine: {machine(version)}")
    print(
        f"Load average (1 min) over the rounds: {min(loads):.2f} to {max(loads):.2f} "
        f"on {os.cpu_count()} cores\n"
    )
    rows = []
    for key, label in LABELS.items():
        values = timings[key]
        if not values:
            rows.append([label, "-", "-", "-", "-", "-"])
            continue
        rows.append(
            [
                label,
                f"{min(values):.3f}",
                f"{median(values):.3f}",
                f"{min(values) / reference:.2f}x",
                f"{median(values) / reference_median:.2f}x",
                f"{median(cpu[key]):.3f}" if cpu[key] else "-",
            ]
        )
    table(
        f"Empty database to head, whole processes, {args.rounds} rounds",
        [
            "method",
            "fastest s",
            "median s",
            "fastest vs psql -f",
            "median vs psql -f",
            "client CPU s (median)",
        ],
        rows,
    )


if __name__ == "__main__":
    main()
