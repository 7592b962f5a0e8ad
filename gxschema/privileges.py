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
so the fix goes forward), and ``gxschema verify`` compares the live grants with it
(`table_privileges`, and `SECRET_POLICIES` for the row-level security policies).
Revisions 0004 and 0006 create the roles when absent, which needs CREATEROLE; on a
managed PostgreSQL an administrator creates them instead, and `preflight` makes
``gxschema migrate`` name the missing ones with their CREATE ROLE before it starts.
The role names can be changed per deployment with ``GXSCHEMA_APP_ROLE``,
``GXSCHEMA_READONLY_ROLE`` and ``GXSCHEMA_SECRET_READER_ROLE``; revisions keep their
own copy of these rules, since a revision never imports the package.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, text

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

_NOT_SECRET = 'NOT "isSecret"'
_APP_WRITABLE = f"""NOT "isSecret" AND "configKey" <> '{ENVIRONMENT_KEY}'"""


@dataclass(frozen=True)
class Policy:
    """One row-level security policy on `SECRET_TABLE`, as revision 0006 creates it."""

    command: str
    """SELECT, INSERT, UPDATE or DELETE."""
    roles: tuple[str, ...]
    """The roles it applies to (and their members), as `Roles` field names."""
    using: str | None
    """Which existing rows the roles see (or may change, delete)."""
    check: str | None
    """Which new rows (or new versions of rows) the roles may write."""

    def role_names(self, names: Roles) -> tuple[str, ...]:
        return tuple(getattr(names, field) for field in self.roles)


SECRET_POLICIES: dict[str, Policy] = {
    "gx_config_read_public": Policy("SELECT", ("app", "readonly"), _NOT_SECRET, None),
    "gx_config_read_secret": Policy("SELECT", ("secret_reader",), "true", None),
    "gx_config_app_insert": Policy("INSERT", ("app",), None, _APP_WRITABLE),
    "gx_config_app_update": Policy("UPDATE", ("app",), _APP_WRITABLE, _APP_WRITABLE),
    "gx_config_app_delete": Policy("DELETE", ("app",), _APP_WRITABLE, None),
}
"""The policies on `SECRET_TABLE` by name. Row-level security is ENABLEd, not FORCEd:
the owner (the migrating role) reads and writes every row. Permissive policies add up,
so a service that is a member of both gx_app and gx_secret_reader sees secret rows but
still cannot change them or the ``environment`` row."""

ROLES_CREATED_BY_REVISION: dict[str, tuple[str, ...]] = {
    "0004": ("app", "readonly"),
    "0006": ("secret_reader",),
}
"""Which roles (`Roles` field names) a revision creates when they are absent."""

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
    chosen = Roles(**names)
    if len(set(chosen.all())) < len(chosen.all()):
        # One role holding two roles' rights would give the readers the writers' grants.
        raise ConfigError(
            "GXSCHEMA_APP_ROLE, GXSCHEMA_READONLY_ROLE and GXSCHEMA_SECRET_READER_ROLE must "
            f"name three different roles, not {', '.join(chosen.all())}"
        )
    return chosen


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


def create_role_sql(missing: Iterable[str]) -> str:
    """What an administrator runs to create `missing` roles (all NOLOGIN group roles)."""
    return " ".join(f"CREATE ROLE {name} NOLOGIN;" for name in missing)


def missing_roles(connection: Connection, wanted: Iterable[str]) -> list[str]:
    """The roles of `wanted` that do not exist in the cluster, in the order given."""
    wanted = list(dict.fromkeys(wanted))
    existing = set(
        connection.execute(
            text("SELECT rolname FROM pg_roles WHERE rolname = ANY(:names)"), {"names": wanted}
        ).scalars()
    )
    return [name for name in wanted if name not in existing]


def may_create_roles(connection: Connection) -> bool:
    """Whether the connected role may run CREATE ROLE (superuser or CREATEROLE)."""
    return bool(
        connection.execute(
            text("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user")
        ).scalar()
    )


def preflight(connection: Connection, pending: Iterable[str], names: Roles | None = None) -> None:
    """Refuse, before anything runs, an upgrade that would have to create a role it may not.

    On a managed PostgreSQL the migrating role usually has neither superuser nor
    CREATEROLE; the revisions accept roles an administrator created, so the only thing
    to say is which ones are missing and the SQL that creates them.
    """
    names = names or roles()
    wanted = [
        getattr(names, field)
        for revision in pending
        for field in ROLES_CREATED_BY_REVISION.get(revision, ())
    ]
    if not wanted:
        return
    user = connection.execute(text("SELECT current_user")).scalar()
    if user in names.all():
        # The revisions revoke rights from these roles: from the owner itself, they would
        # take away its own right to write alembic_version.
        raise ConfigError(
            f"the role {user} that runs the migration is also named as one of the group roles "
            f"({', '.join(names.all())}): the roles the services log in through must be "
            "other roles than the one that owns the schema; nothing was applied"
        )
    missing = missing_roles(connection, wanted)
    if not missing or may_create_roles(connection):
        return
    raise ConfigError(
        f"role(s) {', '.join(missing)} do not exist and the migrating role {user} may not "
        "create them (neither superuser nor CREATEROLE): have an administrator run "
        f"`{create_role_sql(missing)}`, or give {user} CREATEROLE; nothing was applied"
    )
