"""Benchmark (not a test): a seed that changes nothing beside its floor, and a real seed.

    python bench/seed.py [--rounds 7] [--env devnet]

Each round, in a fresh scratch database at head, every command timed as a whole
child process (start-up included), wall seconds and the child's own CPU seconds:

1. ``gxschema seed --env <env>`` on the new database: validate every file, make and
   write every row, record each dataset's checksum;
2. the same command again: the no-op, which one query answers when the database
   records these very files (``gxschema.seeding.unchanged``), before the console
   script loads the command line (``gxschema.noop_seed``, libpq over ctypes);
   and the same no-op through the full command line (``--debug`` sends it there:
   Typer, Rich, psycopg), what it cost before;
3. the same again with ``--compare-rows``: the full no-op (read, validate, generate
   and compare every row, write nothing), what every rerun cost before;
4. the floors, in the same rounds: ``python -c pass`` (the interpreter), ``gxschema
   --version`` (the command line's own start-up), ``psql -c 'select 1'`` (C:
   connecting and asking one question), a Python child that asks the same through
   libpq over ctypes (``gxschema.libpq_client``: the least a Python process that
   connects can cost) and one that imports psycopg, connects and runs one query.

And, in this process, the parts of a full seed: ``seeding.load`` (read, validate,
generate the demo rows) and ``seeding.apply`` first and again.

Children run with bytecode caching on, as an installed package does. Reported: the
fastest and median of the rounds, each command against the issue's floor and against
psql, and the load average.
"""

from __future__ import annotations

import os
import resource
import sys
import time

from _common import (
    GXSCHEMA,
    Database,
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

ONE_QUERY = (
    "import psycopg\n"
    "with psycopg.connect('') as connection:\n"
    "    connection.execute('SELECT 1').fetchone()\n"
)

ONE_QUERY_CTYPES = "from gxschema import libpq_client\nlibpq_client.fetch('', {}, 'SELECT 1', [])\n"

LABELS = {
    "first": "gxschema seed, first run (writes every row)",
    "noop": "gxschema seed, again: the no-op (one query)",
    "noop_full": "gxschema --debug seed, again: the same no-op, full command line",
    "compare": "gxschema seed --compare-rows, again: the full no-op",
    "python": "python -c pass (the interpreter)",
    "version": "gxschema --version (the command line's start-up)",
    "ctypes": "python: libpq over ctypes, connect, SELECT 1",
    "psycopg": "python: import psycopg, connect, SELECT 1",
    "psql": "psql -c 'select 1'",
}


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds of the child, and its user+sys CPU seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    ran = run(command, env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return ran.seconds, cpu


def one_round(
    database: Database, env_name: str, psql: str | None
) -> dict[str, tuple[float, float]]:
    env = database.env()
    seed = [*GXSCHEMA, "seed", "--env", env_name]
    figures = {"first": timed(seed, env)}
    again = run(seed, env)
    if "nothing to change" not in again.stdout:
        raise SystemExit(f"the second seed changed something:\n{again.stdout}")
    figures["noop"] = timed(seed, env)
    figures["noop_full"] = timed([*GXSCHEMA, "--debug", *seed[len(GXSCHEMA) :]], env)
    figures["compare"] = timed([*seed, "--compare-rows"], env)
    figures["python"] = timed([sys.executable, "-c", "pass"], env)
    figures["version"] = timed([*GXSCHEMA, "--version"], env)
    figures["ctypes"] = timed([sys.executable, "-c", ONE_QUERY_CTYPES], env)
    figures["psycopg"] = timed([sys.executable, "-c", ONE_QUERY], env)
    if psql:
        figures["psql"] = timed([psql, "-X", "-q", "-c", "select 1"], env)
    return figures


def main() -> None:
    parser = arguments(__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--env", default="devnet")
    args = parser.parse_args()
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: bytecode cached

    from gxschema import seeding
    from gxschema.seeding.folder import default_seeds_dir

    wall: dict[str, list[float]] = {key: [] for key in LABELS}
    cpu: dict[str, list[float]] = {key: [] for key in LABELS}
    parts: dict[str, list[float]] = {"load": [], "apply first": [], "apply again": []}
    loads: list[float] = []
    inserted = datasets_count = 0
    with server(keep=args.keep) as srv:
        template = srv.create()
        migrate(template)
        psql = srv.psql()
        warm_up = srv.create(template.name)  # writes the bytecode: not timed
        one_round(warm_up, args.env, psql)
        round_trip = measure_round_trip(warm_up)
        warm_up.drop()
        for number in range(args.rounds):
            loads.append(load_average()[0])
            say(f"round {number + 1} of {args.rounds}, load average {loads[-1]:.2f}")
            database = srv.create(template.name)
            for key, (seconds, used) in one_round(database, args.env, psql).items():
                wall[key].append(seconds)
                cpu[key].append(used)
            database.drop()

            database = srv.create(template.name)
            engine = database.engine()
            started = time.perf_counter()
            datasets = seeding.load(default_seeds_dir(), args.env)
            parts["load"].append(time.perf_counter() - started)
            started = time.perf_counter()
            report = seeding.apply(engine, datasets, env=args.env)
            parts["apply first"].append(time.perf_counter() - started)
            started = time.perf_counter()
            second = seeding.apply(engine, datasets, env=args.env)
            parts["apply again"].append(time.perf_counter() - started)
            assert not second.changed, "the second apply changed something"
            datasets_count = len(report.datasets)
            inserted = sum(d.inserted for d in report.datasets)
            engine.dispose()
            database.drop()
        loads.append(load_average()[0])
        version = srv.version()

    print(f"\nMachine: {machine(version)}")
    print(
        f"Load average (1 min) over the rounds: {min(loads):.2f} to {max(loads):.2f} "
        f"on {os.cpu_count()} cores\n"
    )
    floor = min(wall["python"]) + datasets_count * round_trip
    psql_fastest = min(wall["psql"]) if wall["psql"] else None
    rows = []
    for key, label in LABELS.items():
        if not wall[key]:
            continue
        rows.append(
            [
                label,
                f"{min(wall[key]):.3f}",
                f"{median(wall[key]):.3f}",
                f"{min(cpu[key]):.3f}",
                f"{median(cpu[key]):.3f}",
                f"{min(wall[key]) / floor:.1f}x",
                f"{min(wall[key]) / psql_fastest:.2f}x" if psql_fastest else "-",
            ]
        )
    table(
        f"Seeding {args.env} ({inserted:,} rows in {datasets_count} datasets), whole "
        f"processes, {args.rounds} rounds",
        [
            "command",
            "fastest s",
            "median s",
            "CPU fastest s",
            "CPU median s",
            f"fastest vs floor ({floor:.3f} s)",
            "fastest vs psql",
        ],
        rows,
    )
    table(
        f"The parts of a full seed of {args.env}, in this process, {args.rounds} rounds",
        ["step", "fastest s", "median s"],
        [
            [
                {
                    "load": "seeding.load: read, validate, generate the demo rows",
                    "apply first": "seeding.apply, first run",
                    "apply again": "seeding.apply, again: compares every row, writes none",
                }[key],
                f"{min(values):.3f}",
                f"{median(values):.3f}",
            ]
            for key, values in parts.items()
        ],
    )
    print(
        f"floor: the interpreter's start-up (python -c pass, fastest) plus one round trip "
        f"({round_trip * 1000:.2f} ms, the median of 200 SELECT 1 on an open connection) "
        f"per dataset"
    )


def measure_round_trip(database: Database) -> float:
    """Seconds of one query's round trip on an open connection: the median of 200."""
    import psycopg

    times = []
    with psycopg.connect(**database.libpq(), autocommit=True) as connection:
        for _ in range(200):
            started = time.perf_counter()
            connection.execute("SELECT 1").fetchone()
            times.append(time.perf_counter() - started)
    return median(times)


if __name__ == "__main__":
    main()
