"""The migration history: Alembic's revisions, and the one ``alembic_version`` holds.

Read by the migrator (what to apply), by adopt (which revision a database without
history matches) and by backups and status (what a database is at); none of them
needs the others for it.
"""

from __future__ import annotations

from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text

from gxschema.alembic_config import make_config
from gxschema.identifiers import table_exists
from gxschema.privileges import HISTORY_TABLE


def scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(make_config())


def chain(script: ScriptDirectory | None = None) -> list[str]:
    """Every revision, oldest first."""
    return [rev.revision for rev in reversed(list((script or scripts()).walk_revisions()))]


def current_revision(connection: Connection) -> str | None:
    """The revision ``alembic_version`` holds; None when there is no history."""
    if not table_exists(connection, HISTORY_TABLE):
        return None
    revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return str(revision) if revision is not None else None
