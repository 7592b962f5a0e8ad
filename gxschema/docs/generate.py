"""What `gxschema docs` writes, and how `--check` compares it with the committed docs.

The output folder (``docs/schema`` by default) is the generator's own:

- ``README.md``, the index, and ``<domain>.md``, one page per domain;
- ``schema.prisma``, the TypeScript services' Prisma schema (`gxschema.prisma.export`);
- ``er/overview.dot`` and ``er/<domain>.dot``, the ER diagrams' sources, and beside
  each its rendered ``.svg``.

The folder above it (``docs/``) holds hand-written pages with generated blocks (the
counts in ``schema-notes.md``, the Citus and partitioning tables in ``scaling.md``) and
hand-written diagram sources (``*.dot``) whose SVGs are rendered here too.

The check compares the Markdown pages, the ``.dot`` sources and the blocks byte for
byte with what the models generate now. It does not compare SVGs (see
`gxschema.docs.diagrams`): it checks that each exists and was rendered from the
current source. A file that looks generated (it starts with the generated marker) but
is no longer generated is reported, and removed by a write; other files are left alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from gxschema import catalog
from gxschema.alembic_config import head_revision
from gxschema.docs import blocks, diagrams, markdown, scaling
from gxschema.docs.counts import V2_1_REVISION, comparison_table, count
from gxschema.docs.schema import load
from gxschema.errors import ConfigError
from gxschema.prisma.export import render_models

BLOCKS: tuple[tuple[str, str], ...] = (
    ("schema-notes.md", "counts"),
    ("scaling.md", "citus"),
    ("scaling.md", "partitioning"),
)
"""The generated blocks: (file in the folder above the output folder, block name)."""


@dataclass
class Plan:
    """Everything the models generate, before anything is written."""

    out: Path
    files: dict[Path, str] = field(default_factory=dict)
    """Generated text files (Markdown, graphviz sources) and their content."""
    diagrams: dict[Path, tuple[Path, str]] = field(default_factory=dict)
    """SVG file -> (its graphviz source file, that source's content)."""
    blocks: list[tuple[Path, str, str]] = field(default_factory=list)
    """(hand-written file, block name, the block's content)."""

    @property
    def root(self) -> Path:
        return self.out.parent


@dataclass(frozen=True)
class Problem:
    path: Path
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"path": show(self.path), "problem": self.message}

    def __str__(self) -> str:
        return f"{show(self.path)}: {self.message}"


@dataclass
class WriteResult:
    written: list[Path] = field(default_factory=list)
    unchanged: int = 0
    removed: list[Path] = field(default_factory=list)
    rendered: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    """Hand-written files with generated blocks that do not exist beside the output."""

    def as_dict(self) -> dict[str, object]:
        return {
            "written": [show(path) for path in self.written],
            "unchanged": self.unchanged,
            "removed": [show(path) for path in self.removed],
            "rendered": [show(path) for path in self.rendered],
            "skipped": [show(path) for path in self.skipped],
        }


def show(path: Path) -> str:
    """`path` relative to the working directory when it is below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def plan(out: Path) -> Plan:
    """What the models generate for the output folder `out`."""
    schema = load()
    head = head_revision()
    head_counts = count(catalog.from_models())
    result = Plan(out=out)
    result.files[out / "README.md"] = markdown.index_page(schema, head_counts, head)
    result.files[out / "schema.prisma"] = render_models()  # the TypeScript services' schema
    for domain in schema.domains:
        result.files[out / markdown.page_of(domain.name)] = markdown.domain_page(
            schema, domain.name
        )
    sources = {"overview": diagrams.overview_dot(schema)}
    for domain in schema.domains:
        sources[domain.name] = diagrams.domain_dot(schema, domain.name)
    for name, source in sources.items():
        dot_path = out / "er" / f"{name}.dot"
        result.files[dot_path] = source
        result.diagrams[dot_path.with_suffix(".svg")] = (dot_path, source)
    if result.root.is_dir():
        for dot_path in sorted(result.root.glob("*.dot")):
            source = dot_path.read_text(encoding="utf-8")
            result.diagrams[dot_path.with_suffix(".svg")] = (dot_path, source)
    contents = {
        "counts": comparison_table(count(catalog.for_revision(V2_1_REVISION)), head_counts, head),
        "citus": scaling.citus_table(schema),
        "partitioning": scaling.partitioning_table(schema),
    }
    for file_name, block in BLOCKS:
        result.blocks.append((result.root / file_name, block, contents[block]))
    return result


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError):
        return ""


def _first_difference(expected: str, actual: str) -> int:
    want, have = expected.splitlines(), actual.splitlines()
    for number, (line, other) in enumerate(zip(want, have, strict=False), start=1):
        if line != other:
            return number
    return min(len(want), len(have)) + 1


def _looks_generated(path: Path) -> bool:
    text = _read(path) or ""
    if path.suffix == ".md":
        return text.startswith(markdown.GENERATED)
    if path.suffix == ".dot":
        return text.startswith(diagrams.GENERATED)
    if path.suffix == ".svg":
        return diagrams.stamped_hash(text) is not None
    return False


def _stale(current: Plan) -> list[Path]:
    """Generated-looking files in the output folder that the models no longer generate."""
    if not current.out.is_dir():
        return []
    expected = set(current.files) | set(current.diagrams)
    return [
        path
        for path in sorted(current.out.rglob("*"))
        if path.is_file() and path not in expected and _looks_generated(path)
    ]


def _diagram_problem(svg: Path, dot_path: Path, source: str) -> str | None:
    text = _read(svg)
    if text is None:
        return f"missing: render it from {dot_path.name} with `gxschema docs` (needs graphviz)"
    found = diagrams.stamped_hash(text)
    if found is None:
        return f"not rendered by `gxschema docs` from {dot_path.name}: run `gxschema docs`"
    if found != diagrams.sha256(source):
        return f"rendered from an older {dot_path.name}: run `gxschema docs`"
    if not diagrams.intact(text):
        return "changed after graphviz rendered it: run `gxschema docs`"
    return None


def check(current: Plan) -> list[Problem]:
    """Every way the docs on disk differ from what the models generate."""
    problems: list[Problem] = []
    for path, content in current.files.items():
        actual = _read(path)
        if actual is None:
            problems.append(Problem(path, "missing: run `gxschema docs`"))
        elif actual != content:
            line = _first_difference(content, actual)
            problems.append(
                Problem(
                    path,
                    f"differs from what the models generate (from line {line}): "
                    "run `gxschema docs`",
                )
            )
    for path in _stale(current):
        problems.append(
            Problem(path, "generated for a table or domain that no longer exists: delete it")
        )
    for svg, (dot_path, source) in current.diagrams.items():
        message = _diagram_problem(svg, dot_path, source)
        if message is not None:
            problems.append(Problem(svg, message))
    for path, name, content in current.blocks:
        text = _read(path)
        if text is None:
            problems.append(Problem(path, f"missing (it holds the generated block {name!r})"))
            continue
        try:
            actual_block = blocks.extract(text, name)
        except blocks.BlockError as error:
            problems.append(Problem(path, f"generated block {name!r}: {error}"))
            continue
        if actual_block != blocks.render(name, content):
            problems.append(
                Problem(
                    path,
                    f"the generated block {name!r} differs from what the models generate: "
                    "run `gxschema docs`",
                )
            )
    return sorted(problems, key=lambda problem: (show(problem.path), problem.message))


def write(current: Plan, dot: str | None) -> WriteResult:
    """Write what differs, remove what is stale, render the SVGs whose source changed.

    `dot` is graphviz's ``dot`` program; without it every text file is still written,
    then a `ConfigError` names the diagrams that could not be rendered.
    """
    result = WriteResult()
    for path, content in current.files.items():
        if _read(path) == content:
            result.unchanged += 1
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
        result.written.append(path)
    for path in _stale(current):
        path.unlink()
        result.removed.append(path)
    for path, name, content in current.blocks:
        text = _read(path)
        if text is None:
            if path not in result.skipped:
                result.skipped.append(path)
            continue
        try:
            updated = blocks.replace(text, name, content)
        except blocks.BlockError as error:
            raise ConfigError(f"{show(path)}: generated block {name!r}: {error}") from None
        if updated != text:
            path.write_text(updated, encoding="utf-8")
            if path not in result.written:
                result.written.append(path)
    pending = [
        (svg, dot_path, source)
        for svg, (dot_path, source) in current.diagrams.items()
        if _diagram_problem(svg, dot_path, source) is not None
    ]
    if pending and dot is None:
        names = ", ".join(show(svg) for svg, _, _ in pending)
        raise ConfigError(
            f"graphviz's `dot` is not installed, so {len(pending)} diagram(s) could not be "
            f"rendered: {names}. Install graphviz (Debian: apt-get install graphviz) and run "
            "`gxschema docs` again; the Markdown and .dot files are written"
        )
    for svg, dot_path, source in pending:
        assert dot is not None
        svg.write_text(diagrams.render(source, dot_path.name, dot), encoding="utf-8")
        result.rendered.append(svg)
    return result
