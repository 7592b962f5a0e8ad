"""Least privilege: which rights each gxschema role holds, as data.

Three NOLOGIN group roles; operators grant them to the login users of services
(``GRANT gx_app TO orders_service``), so no password is ever written by gxschema:

- ``gx_app`` (the services): reads and writes the rows of the business tables;
  only reads ``alembic_version`` and the operational tables (a service must not be
  able to rewrite the migration history or the backup records); ``AuditLog`` is
  append-only (INSERT and SELECT, never UPDATE, DELETE or TRUNCATE).
- ``gx_readonly`` (reporting, support): SELECT on every table, nothing else.
- ``gx_secret_reader``: the only role (besides the owner) that may read the rows
  of ``SystemConfig`` marked ``isSecret``; row-level security hides them from
  everyone else, ``gx_app`` and ``gx_readonly`` included.

Revision 0006 applies this policy (0004 granted more; revisions are never edited,
so the fix goes forward), and ``gxschema verify`` compares the live grants with it.
The role names can be changed per deployment with ``GXSCHEMA_APP_ROLE``,
``GXSCHEMA_READONLY_ROLE`` and ``GXSCHEMA_SECRET_READER_ROLE``; revisions keep their
own copy of these rules, since a revision never imports the package.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass

from gxschema.errors import ConfigError

DML = frozenset({"SELECT", "INSERT", "UPDATE", "DELETE"})
READ = frozenset({"SELECT"})
APPEND = frozenset({"SELECT", "INSERT"})

HISTORY_TABLE = "alembic_version"
OPERATIONAL_TABLES: tuple[str, ...] = ("SchemaMigrationRun", "SeedDataset", "BackupRecord")
"""gxschema's own records: written by the migrating role only."""

APPEND_ONLY_TABLES: tuple[str, ...] = ("AuditLog",)
"""Rows are added and read, never changed or removed, by the services."""

SECRET_TABLE = "SystemConfig"
"""The one table with row-level security: rows with ``isSecret`` are hidden."""

ENVIRONMENT_KEY = "environment"
"""The SystemConfig row that records which environment the database serves."""

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


@dataclass(frozen=True)
class Roles:
    """The names of the three roles in this deployment."""

    app: str = "gx_app"
    readonly: str = "gx_readonly"
    secret_reader: str = "gx_secret_reader"

    def all(self) -> tuple[str, str, str]:
        return (self.app, self.readonly, self.secret_reader)


ROLE_VARIABLES: dict[str, str] = {
    "app": "GXSCHEMA_APP_ROLE",
    "readonly": "GXSCHEMA_READONLY_ROLE",
    "secret_reader": "GXSCHEMA_SECRET_READER_ROLE",
}


def roles(environ: dict[str, str] | None = None) -> Roles:
    """The role names from the environment, refusing anything but plain identifiers."""
    environ = dict(os.environ) if environ is None else environ
    names: dict[str, str] = {}
    for field, variable in ROLE_VARIABLES.items():
        value = environ.get(variable)
        if not value:
            continue
        if not ROLE_NAME.match(value):
            raise ConfigError(
                f"{variable} must be a lowercase SQL identifier (letters, digits, _), not {value!r}"
            )
        names[field] = value
    return Roles(**names)


def table_privileges(
    tables: Iterable[str], names: Roles | None = None
) -> dict[str, dict[str, frozenset[str]]]:
    """For each table (and ``alembic_version``), the exact privileges of each role.

    A role absent from a table's entry must hold nothing on it.
    """
    names = names or roles()
    expected: dict[str, dict[str, frozenset[str]]] = {}
    for table in [*tables, HISTORY_TABLE]:
        if table == HISTORY_TABLE or table in OPERATIONAL_TABLES:
            app = READ
        elif table in APPEND_ONLY_TABLES:
            app = APPEND
        else:
            app = DML
        expected[table] = {names.app: app, names.readonly: READ}
        if table == SECRET_TABLE:
            expected[table][names.secret_reader] = READ
    return expected
