"""Benchmark (not a test): `gxschema migrate` from empty beside `psql -f` of its offline SQL.

    python bench/migrate.py [--rounds 5]

Each round, alternating, in fresh empty scratch databases:

1. ``gxschema migrate`` as a child process (what the Job runs: advisory lock, history
   checks, a recorded SchemaMigrationRun, one transaction per revision);
2. the same migrations in this process (``gxschema.migrator.migrate``), to show what of
   (1) is the interpreter and imports starting;
3. ``psql -X -f`` of ``gxschema migrate --sql`` (the same revisions as plain SQL,
   written once before the rounds): what a DBA would run by hand. Not ``-1``: 0002
   builds its indexes CONCURRENTLY, which no transaction block allows.

Reported: the median and the fastest of the rounds, and each against psql.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from _common import GXSCHEMA, arguments, machine, median, migrate, run, say, server, table


def main() -> None:
    parser = arguments(__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    timings: dict[str, list[float]] = {"cli": [], "library": [], "psql": []}
    with server(keep=args.keep) as srv, tempfile.TemporaryDirectory(prefix="gxbench-") as tmp:
        psql = srv.psql()
        scratch = srv.create()
        offline = run([*GXSCHEMA, "migrate", "--sql"], scratch.env())
        sql_file = Path(tmp) / "migrate.sql"
        sql_file.write_text(offline.stdout)
        scratch.drop()
        say(f"offline SQL: {len(offline.stdout.splitlines()):,} lines in {offline.seconds:.1f}s")
        for number in range(args.rounds):
            say(f"round {number + 1} of {args.rounds}")
            database = srv.create()
            timings["cli"].append(run([*GXSCHEMA, "migrate"], database.env()).seconds)
            database.drop()
            database = srv.create()
            started = time.perf_counter()
            migrate(database)
            timings["library"].append(time.perf_counter() - started)
            database.drop()
            if psql:
                database = srv.create()
                command = [psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", str(sql_file)]
                timings["psql"].append(run(command, database.env()).seconds)
                database.drop()
        version = srv.version()

    reference = median(timings["psql"]) if timings["psql"] else float("nan")
    print(f"\nMachine: {machine(version)}\n")
    rows = []
    for key, label in (
        ("cli", "gxschema migrate (child process)"),
        ("library", "gxschema.migrator.migrate (in process)"),
        ("psql", "psql -f offline SQL"),
    ):
        values = timings[key]
        if not values:
            rows.append([label, "-", "-", "-"])
            continue
        rows.append(
            [
                label,
                f"{median(values):.2f}",
                f"{min(values):.2f}",
                f"{median(values) / reference:.2f}x",
            ]
        )
    table(
        f"Empty database to head (revisions 0001-head), {args.rounds} rounds",
        ["method", "median s", "fastest s", "vs psql"],
        rows,
    )


if __name__ == "__main__":
    main()
