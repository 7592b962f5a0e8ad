"""Least-privilege roles: gx_app reads and writes rows, gx_readonly only reads.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28

Both roles are NOLOGIN group roles created if absent; operators grant them to login
users (`GRANT gx_app TO orders_service`), so no password is ever written here.
gx_app gets SELECT, INSERT, UPDATE, DELETE on every table and USAGE on the sequences
and the enum types, and no DDL (it owns nothing and has no CREATE on the schema).
gx_readonly gets SELECT only. Default privileges give tables and sequences created
later by the migrating role the same rights.

The names can be changed per run: `-x app_role=NAME -x readonly_role=NAME` (or
GXSCHEMA_APP_ROLE / GXSCHEMA_READONLY_ROLE). The downgrade revokes everything in this
database and drops a role only when nothing else (another database) still uses it.
The schema catalog does not change. (No `%` in the SQL: offline `--sql` output
would double it.)

Locks (measured from ``pg_locks`` inside the revision's transaction, PostgreSQL 15):
GRANT and ALTER DEFAULT PRIVILEGES take no lock on the tables themselves, only
ACCESS SHARE on a dozen system catalogs; they rewrite each table's ``pg_class.relacl``
row, so the services' reads and writes are not blocked, but a session that changed
the same catalog row (another GRANT or an ALTER TABLE in an open transaction) makes
them wait on that row, bounded by ``lock_timeout``, and fail ("tuple concurrently
updated") if that session commits: the run then stops at 0003, to be rerun. Each
GRANT invalidates the table's cached plans in every session, a one-off re-plan. The
downgrade's REVOKEs lock the same way.
"""

import os
import re
from collections.abc import Sequence

from alembic import context, op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def _role(option: str, variable: str, default: str) -> str:
    arguments = context.get_x_argument(as_dictionary=True)
    name = arguments.get(option) or os.environ.get(variable) or default
    if not _ROLE_NAME.match(name):
        raise ValueError(f"{option} must be a lowercase SQL identifier, not {name!r}")
    return name


def _roles() -> tuple[str, str]:
    return (
        _role("app_role", "GXSCHEMA_APP_ROLE", "gx_app"),
        _role("readonly_role", "GXSCHEMA_READONLY_ROLE", "gx_readonly"),
    )


def _create_role_if_absent(name: str) -> None:
    op.execute(
        f"""
        DO $$
        BEGIN
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{name}') THEN
                CREATE ROLE "{name}" NOLOGIN;
            END IF;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;  -- another database of this cluster created it at the same moment
        END
        $$
        """
    )


def _grant_on_enum_types(role: str) -> None:
    op.execute(
        f"""
        DO $$
        DECLARE type_name text;
        BEGIN
            FOR type_name IN
                SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                WHERE n.nspname = 'public' AND t.typtype = 'e'
            LOOP
                EXECUTE 'GRANT USAGE ON TYPE public.' || quote_ident(type_name) || ' TO "{role}"';
            END LOOP;
        END
        $$
        """
    )


def upgrade() -> None:
    app, readonly = _roles()
    for role in (app, readonly):
        _create_role_if_absent(role)
        op.execute(f'GRANT USAGE ON SCHEMA public TO "{role}"')
        _grant_on_enum_types(role)

    op.execute(f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{app}"')
    op.execute(f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{app}"')
    op.execute(
        "ALTER DEFAULT PRIVILEGES IN SCHEMA public "
        f'GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "{app}"'
    )
    op.execute(
        f'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO "{app}"'
    )

    op.execute(f'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{readonly}"')
    op.execute(f'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO "{readonly}"')


def downgrade() -> None:
    app, readonly = _roles()
    for role in (app, readonly):
        op.execute(
            f"""
            DO $$
            DECLARE type_name text;
            BEGIN
                IF EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN
                    ALTER DEFAULT PRIVILEGES IN SCHEMA public
                        REVOKE ALL ON TABLES FROM "{role}";
                    ALTER DEFAULT PRIVILEGES IN SCHEMA public
                        REVOKE ALL ON SEQUENCES FROM "{role}";
                    REVOKE ALL ON ALL TABLES IN SCHEMA public FROM "{role}";
                    REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM "{role}";
                    REVOKE ALL ON SCHEMA public FROM "{role}";
                    FOR type_name IN
                        SELECT t.typname FROM pg_type t
                        JOIN pg_namespace n ON n.oid = t.typnamespace
                        WHERE n.nspname = 'public' AND t.typtype = 'e'
                    LOOP
                        EXECUTE 'REVOKE ALL ON TYPE public.' || quote_ident(type_name)
                            || ' FROM "{role}"';
                    END LOOP;
                    BEGIN
                        DROP ROLE "{role}";
                    EXCEPTION WHEN dependent_objects_still_exist THEN
                        RAISE NOTICE 'role {role} is still used elsewhere; kept';
                    END;
                END IF;
            END
            $$
            """
        )
