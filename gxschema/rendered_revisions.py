"""The revisions' own offline SQL, rendered ahead of time and shipped beside them.

    python -m gxschema.rendered_revisions --write   # after changing a revision
    python -m gxschema.rendered_revisions --check   # exit 1 if the shipped SQL is stale

``alembic/rendered/NNNN.sql`` is exactly what ``gxschema migrate --sql`` prints for that
one revision (its ``BEGIN`` ... ``COMMIT`` blocks, and the concurrent index builds
between them), without the file's preamble (how to run it, the guard against
``psql -1``, the timeouts), which whoever runs it sets itself. ``index.json`` lists the
revisions in order and the SHA-256 of every file of ``alembic/versions`` they were
rendered from. `gxschema.migrate_from_empty` runs them to bring an empty database to
head without importing Alembic or SQLAlchemy (issue 17: that start-up was most of
``gxschema migrate``'s time).

Shipped SQL that no longer matches the revisions would build another schema than
Alembic does, so it is never trusted blindly: `load` gives None (and the caller takes
the Alembic path) unless the revision files at hand hash to what ``index.json``
recorded, and ``tests/migrations/test_fast_path.py`` renders everything again and
compares, so CI fails when a revision (or what renders it) changed without a
``--write``. The SQL is rendered with the default role names
(`gxschema.privileges.Roles`) and no ``GXSCHEMA_*_ROLE`` variables set.

Only the standard library at import: the renderer imports Alembic when it runs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from gxschema import shipped

FOLDER = "rendered"
"""The folder of the rendered SQL inside the migrations' folder (``alembic/``)."""
INDEX = "index.json"

ROLE_VARIABLES = ("GXSCHEMA_APP_ROLE", "GXSCHEMA_READONLY_ROLE", "GXSCHEMA_SECRET_READER_ROLE")
"""`gxschema.privileges.ROLE_VARIABLES`, repeated so as not to import SQLAlchemy with it
(a test keeps the two equal): with any of them set, the rendered SQL names other roles."""

BEGIN = "BEGIN;"
COMMIT = "COMMIT;"


@dataclass(frozen=True)
class Step:
    """What the server is sent at once: one transaction, or one statement outside any."""

    sql: str
    in_transaction: bool


@dataclass(frozen=True)
class RenderedRevision:
    revision: str
    sql: str

    def steps(self) -> list[Step]:
        """The revision's SQL as the round trips that run it, in order.

        A ``BEGIN;`` ... ``COMMIT;`` block goes as one multi-statement query: one round
        trip per transaction, where psql makes one per statement. A statement between
        two blocks (``CREATE INDEX CONCURRENTLY`` and the guard before it, each one
        line) goes alone, since PostgreSQL runs the statements of a multi-statement
        query in one implicit transaction, which a concurrent build refuses.
        """
        steps: list[Step] = []
        block: list[str] | None = None
        for line in self.sql.splitlines():
            if block is not None:
                block.append(line)
                if line == COMMIT:
                    steps.append(Step("\n".join(block), in_transaction=True))
                    block = None
            elif line == BEGIN:
                block = [line]
            elif line.strip() and not line.startswith("--"):
                steps.append(Step(line, in_transaction=False))
        if block is not None:
            raise ValueError(f"revision {self.revision}: a BEGIN without its COMMIT")
        return steps


def folder() -> Path | None:
    """``alembic/rendered`` in a checkout, ``gxschema/migrations/rendered`` in a wheel."""
    migrations = shipped.folder("alembic")
    return None if migrations is None else migrations / FOLDER


def revision_fingerprints(migrations: Path) -> dict[str, str]:
    """The SHA-256 of each revision file (``versions/*.py``), by file name."""
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted((migrations / "versions").glob("*.py"))
    }


def load() -> list[RenderedRevision] | None:
    """The shipped SQL of every revision, oldest first; None when it cannot be trusted.

    None when the files are missing, or the revision files at hand are not the ones it
    was rendered from (a revision edited or added without ``--write``).
    """
    migrations = shipped.folder("alembic")
    if migrations is None:
        return None
    try:
        index = json.loads((migrations / FOLDER / INDEX).read_text(encoding="utf-8"))
        if index.get("rendered_from") != revision_fingerprints(migrations):
            return None
        return [
            RenderedRevision(
                revision, (migrations / FOLDER / f"{revision}.sql").read_text(encoding="utf-8")
            )
            for revision in index["revisions"]
        ]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def render() -> dict[str, str]:
    """Every file of the folder, rendered now from the revisions: name -> text."""
    import contextlib
    import io
    import os

    from alembic import command

    from gxschema import locking
    from gxschema.alembic_config import make_config
    from gxschema.history import chain

    migrations = shipped.folder("alembic")
    assert migrations is not None, "the migration scripts are not installed"
    revisions = chain()
    files: dict[str, str] = {}
    # the default role names, whatever this shell says (restored below)
    saved = {name: os.environ.pop(name) for name in ROLE_VARIABLES if name in os.environ}
    try:
        for previous, revision in zip([None, *revisions], revisions, strict=False):
            buffer = io.StringIO()
            config = make_config(
                lock_timeout=locking.DEFAULT_LOCK_TIMEOUT,
                statement_timeout=locking.DEFAULT_STATEMENT_TIMEOUT,
            )
            config.output_buffer = buffer
            span = revision if previous is None else f"{previous}:{revision}"
            with contextlib.redirect_stdout(sys.stderr):
                command.upgrade(config, span, sql=True)
            files[f"{revision}.sql"] = _without_preamble(buffer.getvalue(), revision)
    finally:
        os.environ.update(saved)
    index = {"revisions": revisions, "rendered_from": revision_fingerprints(migrations)}
    files[INDEX] = json.dumps(index, indent=2) + "\n"
    return files


def _without_preamble(offline_sql: str, revision: str) -> str:
    """The offline SQL from its first ``BEGIN;`` on, after checking what goes before it.

    Before it stand only env.py's header, its guard against ``psql -1`` and the two
    ``SET`` of the timeouts; anything else there would be lost, so it is refused.
    """
    start = offline_sql.find(f"\n{BEGIN}\n")
    if start < 0:
        raise ValueError(f"revision {revision}: no BEGIN in its offline SQL")
    statements = [
        line
        for line in offline_sql[:start].splitlines()
        if line.strip() and not line.startswith("--")
    ]
    expected = ("DO $$ ", "SET lock_timeout = ", "SET statement_timeout = ")
    if len(statements) != len(expected) or not all(
        line.startswith(prefix) for line, prefix in zip(statements, expected, strict=True)
    ):
        raise ValueError(f"revision {revision}: unexpected statements before BEGIN: {statements}")
    body = offline_sql[start + 1 :]
    rendered = RenderedRevision(revision, body)
    for step in rendered.steps():
        if not step.in_transaction and "\n" in step.sql:
            raise ValueError(f"revision {revision}: a statement outside BEGIN/COMMIT spans lines")
    return body


def stale_files(target: Path) -> list[str]:
    """The files of `target` that differ from a fresh rendering (missing or extra ones too)."""
    fresh = render()
    present = {path.name for path in target.glob("*") if path.suffix in (".sql", ".json")}
    changed = [
        name
        for name, text in fresh.items()
        if not (target / name).is_file() or (target / name).read_text(encoding="utf-8") != text
    ]
    return sorted({*changed, *(present - set(fresh))})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--write", action="store_true", help="render and write the files")
    action.add_argument("--check", action="store_true", help="exit 1 if they are stale")
    args = parser.parse_args(argv)
    target = folder()
    if target is None:
        print("the migration scripts are not installed", file=sys.stderr)
        return 2
    if args.check:
        stale = stale_files(target)
        if stale:
            print(
                f"stale: {', '.join(stale)} in {target}; run python -m "
                "gxschema.rendered_revisions --write",
                file=sys.stderr,
            )
            return 1
        return 0
    fresh = render()
    target.mkdir(exist_ok=True)
    for path in target.glob("*.sql"):
        if path.name not in fresh:
            path.unlink()
    for name, text in fresh.items():
        (target / name).write_text(text, encoding="utf-8")
    print(f"wrote {len(fresh)} files to {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
