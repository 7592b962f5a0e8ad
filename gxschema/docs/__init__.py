"""Documentation generated from the models: what ``gxschema docs`` writes and checks.

- `schema`: the models as the docs present them (domains, tables, columns, keys, enums);
- `markdown`: the schema reference, one page per domain and an index;
- `diagrams`: the ER diagrams as graphviz sources, rendered to SVG with ``dot``;
- `counts`: the schema's size, counted alike from the models or a live database;
- `scaling`: the Citus placement and time-partitioning tables of ``docs/scaling.md``;
- `blocks`: generated blocks inside hand-written pages;
- `generate`: the plan of every generated file, `write` and `check`.
"""

from __future__ import annotations

from gxschema.docs.generate import Plan, Problem, WriteResult, check, plan, write

__all__ = ["Plan", "Problem", "WriteResult", "check", "plan", "write"]
