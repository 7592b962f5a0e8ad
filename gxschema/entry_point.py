"""The ``gxschema`` console script (and ``python -m gxschema``): which path to take.

A seed that changes nothing is answered here, before the command line is loaded
(`gxschema.noop_seed`): importing Typer, Rich, the command modules and psycopg would
cost ten times what the answer does. Every other command line, and any seed that path
is not certain of, goes to the command line (`gxschema.cli.main`) untouched, so that
its behaviour, messages and exit codes stay the only ones. This module imports nothing
but the standard library's ``sys`` until it knows which.
"""

from __future__ import annotations

import sys


def main() -> None:
    """Answer a no-op seed at once, else run the full command line."""
    code = _noop_seed(sys.argv[1:])
    if code is not None:
        raise SystemExit(code)
    from gxschema.cli import main as command_line

    command_line()


def _noop_seed(argv: list[str]) -> int | None:
    """The no-op seed's exit code, or None (nothing printed): any error hands over."""
    if "seed" not in argv:  # every other command pays one membership test, nothing more
        return None
    try:
        from gxschema.noop_seed import answer

        return answer(argv)
    except KeyboardInterrupt:  # Ctrl-C: exit 130 without a word, as the command line does
        return 130
    except Exception:  # the full command meets it again, and explains it
        return None
