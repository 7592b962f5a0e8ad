"""Generated blocks inside hand-written Markdown files.

A hand-written page (``docs/schema-notes.md``, ``docs/scaling.md``) holds a generated
part between two marker lines::

    <!-- BEGIN gxschema docs: counts -->
    ...generated...
    <!-- END gxschema docs: counts -->

`gxschema docs` replaces what is between the markers and leaves the rest of the file
alone; ``--check`` compares only that part.
"""

from __future__ import annotations

import re


class BlockError(ValueError):
    """The file does not hold the block's two markers, in order, once."""


def begin_marker(name: str) -> str:
    return f"<!-- BEGIN gxschema docs: {name} (generated from the models; do not edit) -->"


def end_marker(name: str) -> str:
    return f"<!-- END gxschema docs: {name} -->"


def _span(text: str, name: str) -> tuple[int, int]:
    begin = re.compile(rf"^<!-- BEGIN gxschema docs: {re.escape(name)}\b.*-->$", re.M)
    end = re.compile(rf"^{re.escape(end_marker(name))}$", re.M)
    begins, ends = list(begin.finditer(text)), list(end.finditer(text))
    if len(begins) != 1 or len(ends) != 1 or ends[0].start() < begins[0].end():
        raise BlockError(
            f"expected one line {begin_marker(name)!r} and, after it, one line {end_marker(name)!r}"
        )
    return begins[0].start(), ends[0].end()


def extract(text: str, name: str) -> str:
    """The block as it stands in `text`, markers included."""
    start, stop = _span(text, name)
    return text[start:stop]


def render(name: str, content: str) -> str:
    """The block with `content` between its markers."""
    return f"{begin_marker(name)}\n\n{content.strip()}\n\n{end_marker(name)}"


def replace(text: str, name: str, content: str) -> str:
    """`text` with the block `name` holding `content`."""
    start, stop = _span(text, name)
    return text[:start] + render(name, content) + text[stop:]
