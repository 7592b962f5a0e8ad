"""What a migration run did: the one result both ways of migrating return.

`gxschema.migrator` (through Alembic) and `gxschema.migrate_from_empty` (an empty
database, through the revisions' rendered SQL) report the same fields, so the command
line, ``--json`` readers and the Job's logs do not care which one ran; ``path`` says
which. Only the standard library: the fast path must not import SQLAlchemy for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ALEMBIC_PATH = "alembic"
"""Revisions run by Alembic, one statement at a time: every case."""
RENDERED_SQL_PATH = "rendered-sql"
"""An empty database brought to head by the revisions' pre-rendered SQL."""


@dataclass
class MigrationResult:
    from_revision: str | None
    to_revision: str | None
    direction: str
    applied: list[str] = field(default_factory=list)
    duration_ms: int = 0
    waited_for_lock: bool = False
    retries: int = 0
    path: str = ALEMBIC_PATH

    @property
    def changed(self) -> bool:
        return self.from_revision != self.to_revision

    def as_dict(self) -> dict[str, Any]:
        return {
            "from_revision": self.from_revision,
            "to_revision": self.to_revision,
            "direction": self.direction,
            "applied": self.applied,
            "changed": self.changed,
            "duration_ms": self.duration_ms,
            "waited_for_lock": self.waited_for_lock,
            "lock_retries": self.retries,
            "path": self.path,
        }
