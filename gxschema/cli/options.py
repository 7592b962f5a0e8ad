"""Options several commands take, declared once: same name, help and checks everywhere.

Only typer is imported here (every command module imports this one at start); what
an option's value becomes (`migration_options`) imports the migrator when called.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from gxschema.errors import ConfigError

if TYPE_CHECKING:
    from gxschema.migrator import MigrationOptions

LockTimeout = Annotated[
    str,
    typer.Option(help="How long one statement may wait for a table lock (e.g. 5s, 500ms)."),
]
LockRetries = Annotated[
    int, typer.Option(min=0, help="How often to retry a revision that hit the lock timeout.")
]
StatementTimeout = Annotated[str, typer.Option(help="How long one statement may run (e.g. 15min).")]
WaitSeconds = Annotated[
    float, typer.Option(min=0, help="How long to retry an unreachable database, in seconds.")
]

DEFAULT_BACKUP_DIR = Path("backups")
"""Where dumps go unless ``--dir``/``--backup-dir`` or ``$GXSCHEMA_BACKUP_DIR`` say."""

BackupDir = Annotated[
    Path,
    typer.Option(
        "--dir",
        envvar="GXSCHEMA_BACKUP_DIR",
        help="Folder of the dumps (default: $GXSCHEMA_BACKUP_DIR, else ./backups).",
    ),
]


def migration_options(
    lock_timeout: str, statement_timeout: str, lock_retries: int
) -> MigrationOptions:
    """The migrator's options from the command line's; a bad duration is bad input (2)."""
    from gxschema.locking import postgres_duration
    from gxschema.migrator import MigrationOptions

    try:
        lock = postgres_duration(lock_timeout)
        statement = postgres_duration(statement_timeout)
    except ValueError as error:
        raise ConfigError(str(error)) from None
    return MigrationOptions(
        lock_timeout=lock, statement_timeout=statement, lock_retries=lock_retries
    )
