"""From how many rows a fake run changes how it works (the defaults of `fill`).

A module of its own, importing nothing, so that `gxschema fake --help` can print the
figures without loading the generators.
"""

from __future__ import annotations

REBUILD_FROM = 200_000
"""Runs writing this many rows or more rebuild indexes and keys after the COPY by default."""
PARALLEL_FROM = 200_000
"""Runs writing this many rows or more generate them in worker processes by default
(below that, starting the workers costs more than they save)."""
