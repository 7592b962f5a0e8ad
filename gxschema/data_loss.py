"""Downgrades that would drop tables holding rows: refused unless the operator says so.

A downgrade is the rollback an operator reaches for in a hurry. Most of ours change
only grants, comments or indexes, but three drop tables: 0003's drops gxschema's own
records, 0002's drops the six platform tables (SystemConfig with the environment
record, feature flags, webhooks...), and 0001's drops every table of the platform.
Run by habit against a live database, ``gxschema downgrade base`` would delete the
platform's money in one transaction. So before a downgrade starts, the tables it
would drop are compared with the tables that exist, and any of them that still holds
a row stops it (exit 2, one line naming them) unless ``--allow-data-loss`` is given.

gxschema's own operational tables (migration runs, seed and backup records) are not
counted: they describe the database rather than hold the platform's data, and every
migrated database has rows in ``SchemaMigrationRun``. Which tables a revision has is
read from the catalog snapshots the package ships (``catalog.for_revision``), so the
check needs no knowledge of what each revision's ``downgrade()`` does.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from gxschema.errors import ConfigError
from gxschema.identifiers import quote, table_exists
from gxschema.privileges import OPERATIONAL_TABLES


def destination(current: str | None, target: str) -> str | None:
    """The revision a downgrade from `current` to `target` ends at (None: base).

    `target` is ``base``, a revision, or ``-N``; the migrator has already refused a
    target it cannot reach (`migrator._check_reachable`).
    """
    from gxschema.history import chain

    if target == "base":
        return None
    if target.startswith("-"):
        revisions = chain()
        index = revisions.index(current) if current in revisions else -1
        below = index - int(target[1:])
        return revisions[below] if below >= 0 else None
    return target


def tables_at(revision: str | None) -> set[str]:
    """The tables the schema has after `revision` (none at base)."""
    if revision is None:
        return set()
    from gxschema import catalog

    return set(catalog.for_revision(revision)["tables"])


def dropped_with_rows(connection: Connection, current: str | None, target: str | None) -> list[str]:
    """Tables that exist now, are gone at `target`, and hold at least one row."""
    dropped = sorted(tables_at(current) - tables_at(target) - set(OPERATIONAL_TABLES))
    holding = []
    for table in dropped:
        if not table_exists(connection, table):
            continue
        has_rows = connection.execute(
            text(f"SELECT EXISTS (SELECT 1 FROM {quote(table)})")
        ).scalar()
        if has_rows:
            holding.append(table)
    return holding


def refuse_data_loss(
    connection: Connection, current: str | None, target: str | None, *, allowed: bool
) -> list[str]:
    """Raise when the downgrade would drop tables with rows and that was not allowed.

    Returns the tables that will lose their rows (empty when none), for the caller
    to report when the operator allowed it.
    """
    holding = dropped_with_rows(connection, current, target)
    if holding and not allowed:
        shown = ", ".join(f'"{table}"' for table in holding[:8])
        more = f" and {len(holding) - 8} more" if len(holding) > 8 else ""
        raise ConfigError(
            f"downgrading to {target or 'base'} would drop {len(holding)} table(s) that hold "
            f"rows: {shown}{more}; nothing was changed. Back up first (gxschema backup), then "
            "rerun with --allow-data-loss if losing those rows is intended"
        )
    return holding
