"""``SchemaMigrationRun`` rows: the only code that writes them.

A run is started (``running``) once the migration lock is held, and finished
(``succeeded`` or ``failed``) whatever happens; a ``running`` row found while we
hold the lock belongs to a process that died, so it is marked failed. Revisions
before ``0003`` have no ``SchemaMigrationRun`` table: a run there is not
recorded, and an adoption waits as a comment on ``alembic_version`` until the
migration that creates the table writes it (`flush_pending_adoption`).
"""

from __future__ import annotations

import json
import os
import socket
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, text

from gxschema import __version__
from gxschema.identifiers import table_exists
from gxschema.privileges import HISTORY_TABLE

TABLE = "SchemaMigrationRun"
STALE_RUN_ERROR = "the run ended without finishing (process killed or connection lost)"
_PENDING_MARK = "gxschema-pending-adoption:"


def runner_name() -> str:
    """Who runs this: the pod name in Kubernetes (HOSTNAME), else the host name."""
    return os.environ.get("POD_NAME") or os.environ.get("HOSTNAME") or socket.gethostname()


def recordable(connection: Connection) -> bool:
    """Whether the database has the table runs are recorded in (0003 and later)."""
    return table_exists(connection, TABLE)


def mark_stale(connection: Connection) -> int:
    """Mark failed the runs still 'running': under the migration lock, their process is gone."""
    if not recordable(connection):
        return 0
    result = connection.execute(
        text(
            """UPDATE "SchemaMigrationRun"
               SET status = 'failed', "finishedAt" = CURRENT_TIMESTAMP,
                   error = coalesce(error, :error)
               WHERE status = 'running'"""
        ),
        {"error": STALE_RUN_ERROR},
    )
    connection.commit()
    return int(result.rowcount or 0)


def start(
    connection: Connection, run_id: str, direction: str, from_rev: str | None, to_rev: str
) -> bool:
    """Record a run as ``running``; False (nothing written) where there is no table yet."""
    if not recordable(connection):
        return False
    connection.execute(
        text(
            """INSERT INTO "SchemaMigrationRun"
               ("runId", "fromRevision", "toRevision", direction, status, runner, "appVersion")
               VALUES (:run_id, :from_rev, :to_rev, :direction, 'running', :runner, :version)"""
        ),
        {
            "run_id": run_id,
            "from_rev": from_rev,
            "to_rev": to_rev,
            "direction": direction,
            "runner": runner_name(),
            "version": __version__,
        },
    )
    connection.commit()
    return True


def finish(
    connection: Connection,
    *,
    run_id: str,
    started: bool,
    direction: str,
    from_rev: str | None,
    to_rev: str | None,
    status: str,
    duration_ms: int,
    error: str | None,
    started_at: datetime,
) -> None:
    """Close the run `start` opened, or (when the table appeared during it) insert it whole."""
    if connection.in_transaction():
        connection.rollback()
    if not recordable(connection):
        return
    values = {
        "run_id": run_id,
        "from_rev": from_rev,
        "to_rev": to_rev or "base",
        "direction": direction,
        "status": status,
        "runner": runner_name(),
        "version": __version__,
        "duration": duration_ms,
        "error": error,
        "started_at": started_at,
    }
    if started:
        connection.execute(
            text(
                """UPDATE "SchemaMigrationRun" SET status = :status,
                   "toRevision" = CASE WHEN :status = 'succeeded' THEN :to_rev
                                       ELSE "toRevision" END,
                   "finishedAt" = CURRENT_TIMESTAMP, "durationMs" = :duration, error = :error
                   WHERE "runId" = :run_id"""
            ),
            values,
        )
    else:
        connection.execute(
            text(
                """INSERT INTO "SchemaMigrationRun"
                   ("runId", "fromRevision", "toRevision", direction, status, runner,
                    "appVersion", error, "startedAt", "finishedAt", "durationMs")
                   VALUES (:run_id, :from_rev, :to_rev, :direction, :status, :runner,
                           :version, :error, :started_at, CURRENT_TIMESTAMP, :duration)"""
            ),
            values,
        )
    connection.commit()


def record_adoption(connection: Connection, record: dict[str, Any]) -> bool:
    """Record an adoption now (True), or stash it on ``alembic_version`` for later (False).

    `record` holds ``runId``, ``toRevision``, ``runner``, ``appVersion``,
    ``startedAt`` (ISO 8601) and ``durationMs``.
    """
    if recordable(connection):
        _insert_adoption(connection, record)
        connection.commit()
        return True
    comment = _PENDING_MARK + json.dumps(record)
    # COMMENT takes no bind parameters: the literal is quoted by the server's own rule.
    literal = connection.execute(text("SELECT quote_literal(:comment)"), {"comment": comment})
    connection.execute(text(f"COMMENT ON TABLE alembic_version IS {literal.scalar_one()}"))
    connection.commit()
    return False


def flush_pending_adoption(connection: Connection) -> bool:
    """Write an adoption that waited for the SchemaMigrationRun table; True if one did."""
    if connection.in_transaction():
        connection.rollback()
    if not table_exists(connection, HISTORY_TABLE) or not recordable(connection):
        return False
    comment = connection.execute(
        text("SELECT obj_description('public.alembic_version'::regclass, 'pg_class')")
    ).scalar()
    if not comment or not str(comment).startswith(_PENDING_MARK):
        return False
    _insert_adoption(connection, json.loads(str(comment)[len(_PENDING_MARK) :]))
    connection.execute(text("COMMENT ON TABLE alembic_version IS NULL"))
    connection.commit()
    return True


def _insert_adoption(connection: Connection, record: dict[str, Any]) -> None:
    connection.execute(
        text(
            """INSERT INTO "SchemaMigrationRun"
               ("runId", "fromRevision", "toRevision", direction, status, runner,
                "appVersion", "startedAt", "finishedAt", "durationMs")
               VALUES (:runId, NULL, :toRevision, 'adopt', 'succeeded', :runner,
                       :appVersion, CAST(:startedAt AS timestamptz), CURRENT_TIMESTAMP,
                       :durationMs)"""
        ),
        record,
    )
