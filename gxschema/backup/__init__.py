"""Backups with pg_dump: checked, recorded, pruned, restorable, and proven restorable.

One module per concern, this package re-exporting what the rest of gxschema uses:

- `tools`: finding pg_dump/pg_restore of a fitting version, running them with the
  password only in their environment;
- `files`: dump file names, checksums, ``.partial`` files and retention (`prune`);
- `server`: database administration (scratch databases, create, drop, rename, row counts);
- `records`: the ``BackupRecord`` rows, read and written nowhere else;
- `reaping`: the advisory locks that show a run is alive, and reaping what dead runs left;
- `dumping` (`take_backup`), `restoring` (`restore`), `verifying` (`verify`).
"""

from gxschema.backup.common import Progress
from gxschema.backup.dumping import KINDS, BackupResult, take_backup
from gxschema.backup.files import (
    CHECKSUM_SUFFIX,
    DUMP_SUFFIX,
    STALE_AFTER,
    STAMP_FORMAT,
    checksum_path,
    dump_database,
    file_prefix,
    list_dumps,
    newest_dump,
    prepare_directory,
    prune,
    sha256_of,
    verify_checksum,
)
from gxschema.backup.reaping import DEAD_RUN_ERROR, reap_dead_backups, reap_scratch_databases
from gxschema.backup.restoring import RestoreResult, restore
from gxschema.backup.server import database_name, row_counts
from gxschema.backup.tools import PG_LIB_DIRS, PgTool, find_tool, libpq_environment
from gxschema.backup.verifying import VerifyResult, verify, verify_latest

__all__ = [
    "CHECKSUM_SUFFIX",
    "DEAD_RUN_ERROR",
    "DUMP_SUFFIX",
    "KINDS",
    "PG_LIB_DIRS",
    "STALE_AFTER",
    "STAMP_FORMAT",
    "BackupResult",
    "PgTool",
    "Progress",
    "RestoreResult",
    "VerifyResult",
    "checksum_path",
    "database_name",
    "dump_database",
    "file_prefix",
    "find_tool",
    "libpq_environment",
    "list_dumps",
    "newest_dump",
    "prepare_directory",
    "prune",
    "reap_dead_backups",
    "reap_scratch_databases",
    "restore",
    "row_counts",
    "sha256_of",
    "take_backup",
    "verify",
    "verify_checksum",
    "verify_latest",
]
