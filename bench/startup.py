"""How much CPU the `gxschema` command costs before it does anything.

Runs, side by side and interleaved (so that a change in the machine's load hits
every line alike), ``python -c pass`` (the interpreter alone: the floor),
``python -c "import typer"`` (the command-line library, which no command can do
without), ``python -c "import sqlalchemy"`` (what the commands that touch a database
import, and what ``--version`` and ``--help`` must not), ``gxschema --version`` and
``gxschema --help``, and prints the user+sys CPU
seconds of each child process: the minimum (the figure to compare) and the median
over ``--runs`` runs, with the load average before and after. CPU time rather than
wall time, since it counts what the process itself did and barely moves when other
processes share the cores. Needs no database.

    python bench/startup.py [--runs 15] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys

COMMANDS: dict[str, list[str]] = {
    "python -c pass": [sys.executable, "-c", "pass"],
    'python -c "import typer"': [sys.executable, "-c", "import typer"],
    'python -c "import sqlalchemy"': [sys.executable, "-c", "import sqlalchemy"],
    "gxschema --version": [sys.executable, "-m", "gxschema", "--version"],
    "gxschema --help": [sys.executable, "-m", "gxschema", "--help"],
}


GOAL_SECONDS = 0.3
"""`gxschema --version` and `--help` must cost less CPU than this (median)."""


def cpu_seconds(argv: list[str]) -> float:
    """User+sys CPU seconds of one run of `argv` (its children's usage before and after)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="Runs of each command.")
    parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")
    args = parser.parse_args()

    load_before = os.getloadavg()
    for argv in COMMANDS.values():  # warm the file cache and the bytecode
        cpu_seconds(argv)
    samples: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(args.runs):
        for name, argv in COMMANDS.items():
            samples[name].append(cpu_seconds(argv))
    load_after = os.getloadavg()

    figures = {
        name: {"min_s": round(min(times), 3), "median_s": round(statistics.median(times), 3)}
        for name, times in samples.items()
    }
    machine = {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_before": [round(value, 2) for value in load_before],
        "load_after": [round(value, 2) for value in load_after],
        "runs": args.runs,
    }
    if args.json:
        print(json.dumps({"cpu_seconds": figures, "machine": machine}, indent=2))
        return
    print(
        f"CPU seconds (user+sys) of one process, {args.runs} runs each; Python "
        f"{machine['python']}, {machine['cpus']} CPUs, load average {load_before[0]:.2f} "
        f"before, {load_after[0]:.2f} after"
    )
    print(f"{'command':<32} {'min':>7} {'median':>7}")
    for name, figure in figures.items():
        print(f"{name:<32} {figure['min_s']:>7.3f} {figure['median_s']:>7.3f}")
    slowest = max(figures["gxschema --version"]["median_s"], figures["gxschema --help"]["median_s"])
    verdict = "met" if slowest < GOAL_SECONDS else "missed"
    print(f"goal (issue 17): --version and --help under {GOAL_SECONDS} s CPU: {verdict}")


if __name__ == "__main__":
    main()
