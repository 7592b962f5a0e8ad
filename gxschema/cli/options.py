"""Options several commands take, declared once: same name, help and checks everywhere.

Only typer is imported here (every command module imports this one at start); what
an option's value becomes (`migration_options`) imports the migrator when called.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar, get_args

import typer

from gxschema.errors import ConfigError

if TYPE_CHECKING:
    from gxschema.migrator import MigrationOptions

# Options with a fixed set of values are typed as a Literal: Typer makes it a choice,
# so `--help` lists the values (``[devnet|testnet|mainnet]``), the shell completes
# them, and another value is refused before the command runs (exit 2). The libraries
# own the lists; these are written out so that `--help` imports none of them, and
# tests/cli/test_cli_habits.py checks that the two agree.
EnvironmentName = Literal["devnet", "testnet", "mainnet"]
"""`gxschema.seeding.layout.ENVIRONMENTS`."""
BackupKind = Literal["scheduled", "manual", "pre-migration"]
"""`gxschema.backup.KINDS`."""
ConfigValueType = Literal["string", "number", "boolean", "json"]
"""`gxschema.seeding.schemas.VALUE_TYPES`."""
PrismaVersion = Literal["5", "6", "7"]
"""`gxschema.prisma.export.STYLES`, and 5, which writes the same blocks as 6."""


def choices(kind: Any) -> tuple[str, ...]:
    """The values of one of the Literal types above."""
    return tuple(get_args(kind))


LockTimeout = Annotated[
    str,
    typer.Option(help="How long one statement may wait for a table lock (e.g. 5s, 500ms)."),
]
LockRetries = Annotated[
    int, typer.Option(min=0, help="How often to retry a revision that hit the lock timeout.")
]
StatementTimeout = Annotated[str, typer.Option(help="How long one statement may run (e.g. 15min).")]
WaitSeconds = Annotated[
    float,
    typer.Option("--wait", min=0, help="How long to retry an unreachable database, in seconds."),
]
"""The one name of the wait for the database, on every command that connects."""


T = TypeVar("T")


def deprecated_alias(old: str, new: str) -> Any:
    """A hidden option `old` that still works as `new`, with a one-line note on stderr.

    The command takes both and `renamed` settles which value counts; scripts
    and Job manifests written for the old name keep working while they move.
    """

    def note(value: Any) -> Any:
        if value is not None:
            sys.stderr.write(f"gxschema: note: {old} is deprecated; use {new}\n")
        return value

    return typer.Option(old, hidden=True, callback=note, show_default=False)


def renamed(value: T, old_value: T | None) -> T:
    """The option's value: the deprecated name's when it was given, else the new name's."""
    return value if old_value is None else old_value


DEFAULT_BACKUP_DIR = Path("backups")
"""Where dumps go unless ``--backup-dir`` or ``$GXSCHEMA_BACKUP_DIR`` say."""

BackupDir = Annotated[
    Path,
    typer.Option(
        "--backup-dir",
        envvar="GXSCHEMA_BACKUP_DIR",
        help="Folder of the dumps (default: $GXSCHEMA_BACKUP_DIR, else ./backups).",
    ),
]
"""The folder of the dumps, by one name for backup, restore and deploy."""
BackupDirBefore = Annotated[Path | None, deprecated_alias("--dir", "--backup-dir")]
"""What backup and restore called it before deploy's name became everyone's."""


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
