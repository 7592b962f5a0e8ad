"""`gxschema docs`: the committed docs are what the models generate, and --check says so.

The counts the docs print are also measured here from pg_catalog in migrated databases,
so the comparison with the phase report in docs/schema-notes.md cannot go stale.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from gxschema import catalog
from gxschema.alembic_config import head_revision, make_config
from gxschema.docs import diagrams, markdown, scaling
from gxschema.docs.counts import Counts, comparison_table, count
from gxschema.docs.schema import load

from ..support.cli import clean_env, gxschema
from ..support.paths import ROOT

DOCS = ROOT / "docs"
HAND_WRITTEN = ("schema-notes.md", "scaling.md", "architecture.dot")


def _check(cwd: Path, *args: str, env: dict[str, str] | None = None):
    return gxschema("docs", "--check", *args, env=env or clean_env(), cwd=cwd)


def test_committed_docs_are_what_the_models_generate() -> None:
    ran = _check(ROOT)
    assert ran.code == 0, ran.output
    assert "docs/schema are up to date with the models" in ran.stdout


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A copy of docs/ in a folder of its own (the working directory of the command)."""
    shutil.copytree(DOCS, tmp_path / "docs")
    return tmp_path


def _edit(path: Path, old: str, new: str) -> None:
    content = path.read_text()
    assert old in content, (path, old)
    path.write_text(content.replace(old, new, 1))


def _page(root: Path) -> None:
    _edit(root / "docs/schema/wallet.md", "Name the owner gives the wallet.", "Its name.")


def _dot(root: Path) -> None:
    _edit(root / "docs/schema/er/wallet.dot", "rankdir=LR", "rankdir=TB")


def _svg_missing(root: Path) -> None:
    (root / "docs/schema/er/kyc.svg").unlink()


def _svg_unstamped(root: Path) -> None:
    path = root / "docs/schema/er/overview.svg"
    path.write_text(re.sub(r"<!-- gxschema docs: rendered from .*? -->\n", "", path.read_text()))


def _svg_edited(root: Path) -> None:
    _edit(root / "docs/schema/er/wallet.svg", "cachedBalance", "balance")


def _block(root: Path) -> None:
    _edit(root / "docs/schema-notes.md", "| tables | 46 | 43 | 46 |", "| tables | 46 | 43 | 47 |")


def _markers(root: Path) -> None:
    _edit(root / "docs/scaling.md", "<!-- END gxschema docs: citus -->", "")


def _stale_page(root: Path) -> None:
    (root / "docs/schema/retired.md").write_text(markdown.GENERATED + "\n\n# retired\n")


def _hand_written_diagram(root: Path) -> None:
    _edit(root / "docs/architecture.dot", "fontsize=11", "fontsize=12")


TAMPERED: dict[str, tuple[Callable[[Path], None], list[str]]] = {
    "page": (_page, ["docs/schema/wallet.md: differs from what the models generate"]),
    # The SVG still matches the .dot the models generate: only the source is reported.
    "dot": (_dot, ["docs/schema/er/wallet.dot: differs from what the models generate"]),
    "svg edited": (_svg_edited, ["docs/schema/er/wallet.svg: changed after graphviz rendered"]),
    "svg missing": (_svg_missing, ["docs/schema/er/kyc.svg: missing"]),
    "svg not stamped": (_svg_unstamped, ["docs/schema/er/overview.svg: not rendered by"]),
    "block": (_block, ["docs/schema-notes.md: the generated block 'counts' differs"]),
    "markers": (_markers, ["docs/scaling.md: generated block 'citus': expected one line"]),
    "stale page": (_stale_page, ["docs/schema/retired.md: generated for a table or domain"]),
    "hand-written diagram": (
        _hand_written_diagram,
        ["docs/architecture.svg: rendered from an older architecture.dot"],
    ),
}


def test_a_copy_of_the_docs_checks_clean(copy: Path) -> None:
    # once, not before each tampering below: there, exactly the expected lines and no
    # other must be printed, which an unclean copy would already break
    ran = _check(copy)
    assert ran.code == 0, ran.output


@pytest.mark.parametrize("case", list(TAMPERED))
def test_check_fails_and_names_the_file(copy: Path, case: str) -> None:
    tamper, expected = TAMPERED[case]
    tamper(copy)
    ran = _check(copy)
    assert ran.code == 1, ran.output
    for line in expected:
        assert line in ran.stdout, ran.output
    assert len(ran.stdout.strip().splitlines()) == len(expected), ran.stdout
    assert f"{len(expected)} generated doc file(s) differ from the models" in ran.stderr


def test_check_as_json_lists_the_problems(copy: Path) -> None:
    _page(copy)
    ran = gxschema("--json", "docs", "--check", env=clean_env(), cwd=copy)
    assert ran.code == 1
    report = json.loads(ran.stdout)
    assert report["up_to_date"] is False
    assert [p["path"] for p in report["problems"]] == ["docs/schema/wallet.md"]


@pytest.mark.skipif(diagrams.find_dot() is None, reason="graphviz's dot is not installed")
def test_generating_from_scratch_gives_the_committed_files_and_is_idempotent(
    tmp_path: Path,
) -> None:
    (tmp_path / "docs").mkdir()
    for name in HAND_WRITTEN:
        shutil.copy(DOCS / name, tmp_path / "docs" / name)
    _block(tmp_path)  # a stale block is brought up to date
    first = gxschema("docs", env=clean_env(), cwd=tmp_path)
    assert first.code == 0, first.output
    assert "rendered 16 diagram(s)" in first.stdout  # 15 ER diagrams + architecture
    generated = sorted(
        path.relative_to(tmp_path / "docs")
        for path in (tmp_path / "docs" / "schema").rglob("*")
        if path.suffix in (".md", ".dot")
    )
    committed = sorted(
        path.relative_to(DOCS)
        for path in (DOCS / "schema").rglob("*")
        if path.suffix in (".md", ".dot")
    )
    assert generated == committed
    for relative in [*generated, Path("schema-notes.md"), Path("scaling.md")]:
        assert (tmp_path / "docs" / relative).read_bytes() == (DOCS / relative).read_bytes()
    again = gxschema("docs", env=clean_env(), cwd=tmp_path)
    assert again.code == 0, again.output
    assert "wrote 0 file(s), 31 unchanged, rendered 0 diagram(s), removed 0" in again.stdout
    assert _check(tmp_path).code == 0


def test_without_graphviz_the_text_is_written_and_the_svgs_named(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    for name in ("schema-notes.md", "scaling.md"):
        shutil.copy(DOCS / name, tmp_path / "docs" / name)
    env = clean_env(PATH=str(tmp_path / "no-tools"))
    ran = gxschema("docs", env=env, cwd=tmp_path)
    assert ran.code == 2, ran.output
    assert "graphviz's `dot` is not installed, so 15 diagram(s) could not be rendered" in (
        ran.stderr
    )
    assert "docs/schema/er/overview.svg" in ran.stderr
    assert (tmp_path / "docs/schema/wallet.md").read_bytes() == (
        DOCS / "schema/wallet.md"
    ).read_bytes()
    checked = _check(tmp_path, env=env)
    assert checked.code == 1
    assert all(".svg: missing" in line for line in checked.stdout.strip().splitlines()), (
        checked.stdout
    )


# --------------------------------------------------------------------------- counts

_COUNTS_SQL = """
SELECT
  (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> 'alembic_version')
    AS tables,
  (SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
   JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> 'alembic_version'
     AND a.attnum > 0 AND NOT a.attisdropped) AS columns,
  (SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
   WHERE n.nspname = 'public' AND t.typtype = 'e') AS enums,
  (SELECT count(*) FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid
   WHERE t.typname = 'CommandType') AS command_types,
  (SELECT count(*) FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
   JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname = 'public' AND k.contype = 'p' AND c.relname <> 'alembic_version')
    AS primary_keys,
  (SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
   JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname = 'public' AND NOT i.indisprimary AND c.relname <> 'alembic_version')
    AS indexes,
  (SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
   JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname = 'public' AND NOT i.indisprimary AND i.indisunique
     AND c.relname <> 'alembic_version') AS unique_indexes,
  (SELECT count(*) FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace
   WHERE n.nspname = 'public' AND k.contype = 'f') AS foreign_keys
"""


def _measure(engine) -> Counts:
    """The counts, straight from pg_catalog (not through gxschema.catalog)."""
    with engine.connect() as connection:
        row = connection.execute(text(_COUNTS_SQL)).mappings().one()
    return Counts(**{key: int(value) for key, value in row.items()})


def test_counts_in_the_schema_notes_are_measured_from_the_database(
    head_database, empty_database, engine_for
) -> None:
    head = _measure(engine_for(head_database))
    with engine_for(empty_database).connect() as connection:
        command.upgrade(make_config(connection=connection), "0002")
    v2_1 = _measure(engine_for(empty_database))

    assert head == count(catalog.from_models())
    assert v2_1 == count(catalog.for_revision("0002"))
    # What docs/schema-notes.md says about v2.1 in prose.
    assert (v2_1.tables, v2_1.enums, v2_1.command_types) == (43, 22, 32)
    assert (head.tables, head.enums, head.command_types) == (46, 22, 32)
    notes = (DOCS / "schema-notes.md").read_text()
    assert comparison_table(v2_1, head, head_revision()) in notes


# --------------------------------------------------------------------------- scaling


def test_citus_placement_follows_citus_rules() -> None:
    schema = load()
    placed = scaling.placements(schema)
    assert sorted(p.table for p in placed) == sorted(schema.tables)
    kind = {p.table: p.kind for p in placed}
    position = {p.table: index for index, p in enumerate(placed)}
    distributed = {scaling.AS_IS, scaling.KEY_CHANGE, scaling.ADD_TENANT}
    for table in schema.tables.values():
        for fk in table.foreign_keys:
            assert position[fk.ref_table] < position[table.name], fk.name  # targets first
            if kind[table.name] == scaling.REFERENCE:
                assert kind[fk.ref_table] == scaling.REFERENCE, fk.name
            assert kind[fk.ref_table] != scaling.LOCAL, fk.name
        if kind[table.name] == scaling.AS_IS:
            keys = [table.primary_key, *table.unique_indexes]
            assert all(scaling.TENANT in key.columns for key in keys), table.name
            assert all(kind[fk.ref_table] not in distributed for fk in table.foreign_keys)
        if kind[table.name] == scaling.LOCAL:
            assert not table.foreign_keys and not table.referenced_by, table.name
    assert kind["ProjectorState"] == kind["HttpIdempotency"] == scaling.AS_IS
    assert kind["Country"] == scaling.REFERENCE
    assert kind["KYCVerification"] == scaling.ADD_TENANT
    assert kind["Wallet"] == scaling.KEY_CHANGE


def test_partition_keys_exist_and_are_not_null() -> None:
    schema = load()
    for table, column in scaling.PARTITIONED.items():
        assert not schema.tables[table].column(column).nullable, (table, column)


def test_the_index_names_the_module_that_defines_each_table() -> None:
    """docs/schema/README.md answers "where does this table live" for all 46 tables."""
    import ast

    from gxschema.models import metadata

    index = (DOCS / "schema" / "README.md").read_text()
    row = r"^\| \[(\w+)\]\([^)]*\) \| \[`(gxschema/models/\w+\.py)`\]"
    rows = dict(re.findall(row, index, re.M))
    assert sorted(rows) == sorted(metadata.tables)
    for table, module in rows.items():
        tree = ast.parse((ROOT / module).read_text())
        tablenames = {
            node.value.value
            for node in ast.walk(tree)
            if isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "__tablename__" for t in node.targets)
            and isinstance(node.value, ast.Constant)
        }
        assert table in tablenames, f"{table} is not defined in {module}"


# --------------------------------------------------------------------------- links


_LINK = re.compile(r"\]\(([^)\s]+)\)")
_HEADING = re.compile(r"^#{1,6} (.+)$", re.M)
_FENCE = re.compile(r"^```.*?^```", re.M | re.S)


def _anchors(path: Path) -> set[str]:
    content = _FENCE.sub("", path.read_text())
    return {markdown.anchor(heading) for heading in _HEADING.findall(content)}


@pytest.mark.parametrize(
    "page",
    [
        "README.md",
        *(str(p.relative_to(ROOT)) for p in sorted(DOCS.glob("*.md"))),
        *(str(p.relative_to(ROOT)) for p in sorted((DOCS / "schema").glob("*.md"))),
    ],
)
def test_links_between_the_docs_resolve(page: str) -> None:
    path = ROOT / page
    content = _FENCE.sub("", path.read_text())
    for target in _LINK.findall(content):
        if target.startswith(("http://", "https://", "mailto:")):
            continue
        file_part, _, fragment = target.partition("#")
        linked = (path.parent / file_part).resolve() if file_part else path
        assert linked.exists(), f"{page}: {target}"
        if fragment:
            assert fragment in _anchors(linked), f"{page}: {target}"
