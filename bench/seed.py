"""Benchmark (not a test): the full reference-data seed, first run against the no-op rerun.

    python bench/seed.py [--rounds 5] [--env devnet]

Each round, in a fresh scratch database at head:

1. ``gxschema seed --env <env>`` (child process): validate every file, write every
   row, record the datasets; then the same command again, which must change nothing
   (rows equal to the files are not even updated);
2. the same two runs in this process (``gxschema.seeding.load`` + ``apply``), with the
   load (reading, validating and generating the demo rows) and the apply timed apart,
   to show what of (1) is the interpreter and imports starting.

Reported: the median and fastest of the rounds.
"""

from __future__ import annotations

import time

from _common import GXSCHEMA, arguments, machine, median, migrate, run, say, server, table


def main() -> None:
    parser = arguments(__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--env", default="devnet")
    args = parser.parse_args()

    from gxschema import seeding
    from gxschema.seeding.run import default_seeds_dir

    timings: dict[str, list[float]] = {
        key: [] for key in ("cli first", "cli again", "load", "apply first", "apply again")
    }
    inserted = datasets_count = 0
    with server(keep=args.keep) as srv:
        template = srv.create()
        migrate(template)
        for number in range(args.rounds):
            say(f"round {number + 1} of {args.rounds}")
            database = srv.create(template.name)
            first = run([*GXSCHEMA, "seed", "--env", args.env], database.env())
            again = run([*GXSCHEMA, "seed", "--env", args.env], database.env())
            if "nothing to change" not in again.stdout:
                raise SystemExit(f"the second seed changed something:\n{again.stdout}")
            timings["cli first"].append(first.seconds)
            timings["cli again"].append(again.seconds)
            database.drop()

            database = srv.create(template.name)
            engine = database.engine()
            started = time.perf_counter()
            datasets = seeding.load(default_seeds_dir(), args.env)
            timings["load"].append(time.perf_counter() - started)
            started = time.perf_counter()
            report = seeding.apply(engine, datasets, env=args.env)
            timings["apply first"].append(time.perf_counter() - started)
            started = time.perf_counter()
            second = seeding.apply(engine, datasets, env=args.env)
            timings["apply again"].append(time.perf_counter() - started)
            assert not second.changed, "the second apply changed something"
            datasets_count = len(report.datasets)
            inserted = sum(
                table_report.inserted
                for dataset in report.datasets
                for table_report in dataset.tables
            )
            engine.dispose()
            database.drop()
        version = srv.version()

    print(f"\nMachine: {machine(version)}\n")
    labels = {
        "cli first": "gxschema seed, first run (child process)",
        "cli again": "gxschema seed, second run: no-op (child process)",
        "load": "seeding.load: read, validate, generate demo rows (in process)",
        "apply first": "seeding.apply, first run (in process)",
        "apply again": "seeding.apply, second run: no-op (in process)",
    }
    table(
        f"Seeding {args.env} ({inserted:,} rows in {datasets_count} datasets), "
        f"{args.rounds} rounds",
        ["step", "median s", "fastest s"],
        [
            [label, f"{median(timings[key]):.3f}", f"{min(timings[key]):.3f}"]
            for key, label in labels.items()
        ],
    )


if __name__ == "__main__":
    main()
