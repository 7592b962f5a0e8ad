"""Who holds the locks a migration statement could not get: named in every give-up message.

Shared by the migrator (a whole revision hit ``lock_timeout``) and by
`gxschema.online` (one strong-lock statement ran out of retries). It imports only
SQLAlchemy, so revisions can reach it through `gxschema.online` without loading
the live models.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, text

_HOLDERS_SQL = """
SELECT DISTINCT a.pid, a.state, a.query_start, a.xact_start,
       left(regexp_replace(a.query, '\\s+', ' ', 'g'), 120) AS query,
       c.relname AS relation, l.mode
FROM pg_locks l
JOIN pg_stat_activity a ON a.pid = l.pid
JOIN pg_class c ON c.oid = l.relation
WHERE l.granted AND l.pid <> pg_backend_pid()
  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND (CAST(:relations AS text[]) IS NULL OR c.relname = ANY(CAST(:relations AS text[])))
  AND c.relnamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)
ORDER BY a.xact_start NULLS LAST
"""


def lock_holders(
    connection: Connection, relations: Iterable[str] | None = None
) -> list[dict[str, Any]]:
    """Other sessions holding granted locks on `relations` (all tables when None).

    Read after a lock wait gave up, when our own request is no longer queued, so
    `pg_blocking_pids` cannot say who blocked us: the sessions holding locks on the
    tables the statement needed are the likely blockers, oldest transaction first.
    """
    names = sorted(set(relations)) if relations is not None else None
    rows = connection.execute(text(_HOLDERS_SQL), {"relations": names}).mappings()
    return [dict(row) for row in rows]


def describe_holders(holders: list[dict[str, Any]]) -> str:
    """One line naming each blocking session: pid, state, since when, what it holds and runs."""
    if not holders:
        return "no session holds a lock on its tables now (the blocker has ended)"
    by_pid: dict[int, dict[str, Any]] = {}
    for holder in holders:
        entry = by_pid.setdefault(holder["pid"], {**holder, "relations": []})
        entry["relations"].append(f'"{holder["relation"]}" ({holder["mode"]})')
    parts = []
    for pid, holder in by_pid.items():
        started = (
            holder["query_start"].isoformat(timespec="seconds") if holder["query_start"] else "?"
        )
        parts.append(
            f"pid {pid}, state {holder['state']}, query started {started}, "
            f"holding {', '.join(holder['relations'][:3])}, query: {holder['query']!r}"
        )
    return "blocked by " + "; ".join(parts)
