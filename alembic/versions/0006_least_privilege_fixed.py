"""Least privilege, fixed forward: read-only history, append-only audit, hidden secrets.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01

0004 granted gx_app SELECT, INSERT, UPDATE, DELETE on every table, so a service (or an
attacker inside one) could rewrite the migration history and the backup records, and
delete audit rows; gx_app and gx_readonly could read secret configuration values. A
revision that ran in production is never edited, so this one takes the rights back:

- gx_app keeps SELECT, INSERT, UPDATE, DELETE on the business tables; it only reads
  ``alembic_version`` and the operational tables (SchemaMigrationRun, SeedDataset,
  BackupRecord), and only appends to ``AuditLog`` (SELECT, INSERT).
- gx_readonly holds SELECT and nothing else; TRUNCATE, REFERENCES and TRIGGER are held
  by none of the three roles, and PUBLIC holds nothing on the tables.
- gx_secret_reader (NOLOGIN, created if absent, like 0004's roles) may read SystemConfig.
- SystemConfig gets row-level security: gx_app and gx_readonly see only the rows that
  are not ``isSecret``, gx_secret_reader sees all of them, and gx_app may insert, update
  and delete only rows that are neither secret nor the ``environment`` row (the
  environment the database serves is recorded by the migrating role). RLS is ENABLEd,
  not FORCEd: the table's owner (the migrating role: seeds, ``gxschema config``) is not
  subject to it.

The default privileges 0004 set (DML for gx_app, SELECT for gx_readonly on tables the
migrating role creates later) are already right for a new table, which is a business
table unless a revision says otherwise, so they are left as they are.

This is `gxschema.privileges`' policy; since a revision never imports the package, the
table names and policies are copied below, and a test keeps the copy equal to it.

Locks: GRANT and REVOKE take no lock on the tables (they rewrite the ACL in pg_class;
sessions re-check their rights at the next statement), so they wait for nobody.
ALTER TABLE ... ENABLE ROW LEVEL SECURITY, CREATE POLICY and DROP POLICY take ACCESS
EXCLUSIVE on SystemConfig (checked in pg_locks on PostgreSQL 15). That part therefore
comes last, right before the commit, and first takes the lock explicitly with
`gxschema.online.execute_with_lock_retries`: each attempt waits at most 50 ms, so a long
transaction reading SystemConfig never queues the other readers behind the migration
for longer than that, and the attempt is retried with backoff. Once the lock is held,
the ALTER and the CREATE POLICY statements wait for nothing.

Role names per run: ``-x app_role=NAME -x readonly_role=NAME -x secret_reader_role=NAME``
(or GXSCHEMA_APP_ROLE, GXSCHEMA_READONLY_ROLE, GXSCHEMA_SECRET_READER_ROLE). When the
secret reader role is missing and the migrating role may not create roles, the revision
fails with the CREATE ROLE statement an administrator has to run (``gxschema migrate``
says so before it starts). The downgrade restores 0004's grants, drops the policies,
turns RLS off, and drops gx_secret_reader when nothing uses it any more (no member, no
right in another database). No `%` in the SQL: offline `--sql` output would double it.
"""

import os
import re
from collections.abc import Sequence

from alembic import context, op

from gxschema import online

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A copy of gxschema.privileges (tests/schema/test_privileges.py keeps them equal).
HISTORY_TABLE = "alembic_version"
OPERATIONAL_TABLES = ("SchemaMigrationRun", "SeedDataset", "BackupRecord")
APPEND_ONLY_TABLES = ("AuditLog",)
SECRET_TABLE = "SystemConfig"
ENVIRONMENT_KEY = "environment"

NOT_SECRET = 'NOT "isSecret"'
APP_WRITABLE = f"""NOT "isSecret" AND "configKey" <> '{ENVIRONMENT_KEY}'"""

# name: (command, roles by their option name, USING, WITH CHECK)
SECRET_POLICIES: dict[str, tuple[str, tuple[str, ...], str | None, str | None]] = {
    "gx_config_read_public": ("SELECT", ("app_role", "readonly_role"), NOT_SECRET, None),
    "gx_config_read_secret": ("SELECT", ("secret_reader_role",), "true", None),
    "gx_config_app_insert": ("INSERT", ("app_role",), None, APP_WRITABLE),
    "gx_config_app_update": ("UPDATE", ("app_role",), APP_WRITABLE, APP_WRITABLE),
    "gx_config_app_delete": ("DELETE", ("app_role",), APP_WRITABLE, None),
}

_ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_ROLE_OPTIONS = {
    "app_role": ("GXSCHEMA_APP_ROLE", "gx_app"),
    "readonly_role": ("GXSCHEMA_READONLY_ROLE", "gx_readonly"),
    "secret_reader_role": ("GXSCHEMA_SECRET_READER_ROLE", "gx_secret_reader"),
}


def _roles() -> dict[str, str]:
    arguments = context.get_x_argument(as_dictionary=True)
    names = {}
    for option, (variable, default) in _ROLE_OPTIONS.items():
        name = arguments.get(option) or os.environ.get(variable) or default
        if not _ROLE_NAME.match(name):
            raise ValueError(f"{option} must be a lowercase SQL identifier, not {name!r}")
        names[option] = name
    return names


def _quoted(*tables: str) -> str:
    return ", ".join(f'public."{table}"' for table in tables)


def _create_role_if_absent(name: str) -> None:
    op.execute(
        f"""
        DO $$
        BEGIN
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{name}') THEN
                CREATE ROLE "{name}" NOLOGIN;
            END IF;
        EXCEPTION
            WHEN duplicate_object OR unique_violation THEN
                NULL;  -- another database of this cluster created it at the same moment
            WHEN insufficient_privilege THEN
                RAISE EXCEPTION USING
                    MESSAGE = 'role {name} does not exist and ' || current_user
                        || ' may not create it (neither superuser nor CREATEROLE)',
                    HINT = 'an administrator runs: CREATE ROLE {name} NOLOGIN;';
        END
        $$
        """
    )


def _lock_secret_table() -> None:
    """ACCESS EXCLUSIVE on SystemConfig, held to the commit, waiting 50 ms per attempt."""
    online.execute_with_lock_retries(f"LOCK TABLE {_quoted(SECRET_TABLE)} IN ACCESS EXCLUSIVE MODE")


def upgrade() -> None:
    roles = _roles()
    app, readonly, secret_reader = (
        roles["app_role"],
        roles["readonly_role"],
        roles["secret_reader_role"],
    )
    _create_role_if_absent(secret_reader)
    op.execute(f'GRANT USAGE ON SCHEMA public TO "{secret_reader}"')

    op.execute("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC")
    op.execute(
        "REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public "
        f'FROM "{app}", "{readonly}"'
    )
    op.execute(f'REVOKE ALL ON ALL TABLES IN SCHEMA public FROM "{secret_reader}"')

    op.execute(f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{app}"')
    op.execute(
        f"REVOKE INSERT, UPDATE, DELETE ON {_quoted(HISTORY_TABLE, *OPERATIONAL_TABLES)} "
        f'FROM "{app}"'
    )
    op.execute(f'REVOKE UPDATE, DELETE ON {_quoted(*APPEND_ONLY_TABLES)} FROM "{app}"')

    op.execute(f'REVOKE INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public FROM "{readonly}"')
    op.execute(f'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{readonly}"')
    op.execute(f'GRANT SELECT ON {_quoted(SECRET_TABLE)} TO "{secret_reader}"')

    # ACCESS EXCLUSIVE from here to the commit: keep it last and short.
    _lock_secret_table()
    op.execute(f"ALTER TABLE {_quoted(SECRET_TABLE)} ENABLE ROW LEVEL SECURITY")
    for name, (command, role_options, using, check) in SECRET_POLICIES.items():
        to = ", ".join(f'"{roles[option]}"' for option in role_options)
        clauses = f" USING ({using})" if using else ""
        clauses += f" WITH CHECK ({check})" if check else ""
        op.execute(
            f'CREATE POLICY "{name}" ON {_quoted(SECRET_TABLE)} FOR {command} TO {to}{clauses}'
        )


def downgrade() -> None:
    roles = _roles()
    app, readonly, secret_reader = (
        roles["app_role"],
        roles["readonly_role"],
        roles["secret_reader_role"],
    )
    # 0004's grants, as 0004 made them.
    op.execute(f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{app}"')
    op.execute(f'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{readonly}"')

    _lock_secret_table()
    for name in SECRET_POLICIES:
        op.execute(f'DROP POLICY IF EXISTS "{name}" ON {_quoted(SECRET_TABLE)}')
    op.execute(f"ALTER TABLE {_quoted(SECRET_TABLE)} DISABLE ROW LEVEL SECURITY")

    # The secret reader goes when nothing uses it: a role with members (services that
    # were given it) is kept, since dropping it would silently take their membership.
    op.execute(
        f"""
        DO $$
        BEGIN
            IF EXISTS (SELECT FROM pg_roles WHERE rolname = '{secret_reader}') THEN
                REVOKE ALL ON ALL TABLES IN SCHEMA public FROM "{secret_reader}";
                REVOKE ALL ON SCHEMA public FROM "{secret_reader}";
                IF EXISTS (
                    SELECT FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid
                    WHERE r.rolname = '{secret_reader}'
                ) THEN
                    RAISE NOTICE 'role {secret_reader} has members; kept';
                ELSE
                    BEGIN
                        DROP ROLE "{secret_reader}";
                    EXCEPTION
                        WHEN dependent_objects_still_exist THEN
                            RAISE NOTICE 'role {secret_reader} is still used elsewhere; kept';
                        WHEN insufficient_privilege THEN
                            RAISE NOTICE USING MESSAGE = 'role {secret_reader} kept: '
                                || current_user || ' may not drop roles';
                    END;
                END IF;
            END IF;
        END
        $$
        """
    )
