"""Adopting a database that has the schema but no migration history (made by Prisma).

The live catalog is compared with the catalog of each known revision. When it
matches one exactly, that revision is stamped (nothing else is written: no data,
no table is touched, ``_prisma_migrations`` is left alone) and the adoption is
recorded as a ``SchemaMigrationRun`` with direction ``adopt``. Revisions before
``0003`` have no ``SchemaMigrationRun`` table yet: the record then waits in a
comment on ``alembic_version`` and is written by the next migration that creates
the table. When no revision matches, nothing is written and the differences from
the closest revision are listed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from alembic import command
from sqlalchemy import Engine

from gxschema import __version__, catalog, history, locking, runs
from gxschema.alembic_config import make_config
from gxschema.errors import CheckFailedError, OperationError
from gxschema.models.base import new_uuid


@dataclass
class AdoptResult:
    revision: str
    tables: int
    recorded: bool
    compared: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "revision": self.revision,
            "tables": self.tables,
            "recorded": self.recorded,
            "differences_by_revision": self.compared,
        }


def match(live: catalog.Catalog) -> tuple[str | None, dict[str, list[catalog.Difference]]]:
    """The oldest revision whose catalog equals `live`, and the differences from each.

    The oldest, because revisions that change no catalog (roles, grants) must still run.
    """
    differences = {}
    for revision in history.chain():
        try:
            expected = catalog.for_revision(revision)
        except KeyError:
            continue
        differences[revision] = catalog.diff(expected, live)
    exact = [revision for revision, found in differences.items() if not found]
    return (exact[0] if exact else None), differences


def adopt(engine: Engine) -> AdoptResult:
    clock = time.monotonic()
    started_at = datetime.now(UTC)
    with (
        engine.connect() as connection,
        locking.migration_lock(connection, wait_seconds=locking.DEFAULT_LOCK_WAIT_SECONDS),
    ):
        current = history.current_revision(connection)
        if current is not None:
            raise OperationError(
                f"the database already has a migration history (revision {current!r}): "
                "nothing to adopt; use gxschema migrate"
            )
        live = catalog.from_database(connection)
        connection.commit()
        if not live["tables"]:
            raise OperationError(
                "the database has none of the schema's tables: nothing to adopt; "
                "run gxschema migrate to build it"
            )
        revision, differences = match(live)
        if revision is None:
            closest = min(differences, key=lambda rev: len(differences[rev]))
            listed = "\n".join(f"  {d}" for d in differences[closest])
            raise CheckFailedError(
                f"the database matches no known revision; nothing was written. The closest is "
                f"{closest!r}, with {len(differences[closest])} difference(s):\n{listed}"
            )
        command.stamp(make_config(connection=connection), revision)
        connection.commit()
        record = {
            "runId": new_uuid(),
            "toRevision": revision,
            "runner": runs.runner_name(),
            "appVersion": __version__,
            "startedAt": started_at.isoformat(),
            "durationMs": int((time.monotonic() - clock) * 1000),
        }
        recorded = runs.record_adoption(connection, record)
        return AdoptResult(
            revision=revision,
            tables=len(live["tables"]),
            recorded=recorded,
            compared={rev: len(found) for rev, found in differences.items()},
        )
