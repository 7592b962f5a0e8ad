"""Row-level security compared with the policy of `gxschema.privileges`.

Grants say which tables a role may read; row-level security says which *rows* of
``SystemConfig`` it sees. A policy edited by hand (``USING (true)`` for gx_app) hands
out every secret while every grant still looks right, so the drift gate compares:

- which tables have row-level security enabled (exactly the secret table) and that
  none is FORCEd (the owner, the migrating role, must see every row to seed);
- each policy on those tables, both ways: its command, PERMISSIVE or RESTRICTIVE,
  roles, USING and WITH CHECK.

The expressions are compared as PostgreSQL deparses them: the policy's text from
`gxschema.privileges` is created on a temporary copy of the table in a transaction
that is always rolled back, and read back through ``pg_policies``, like the models'
index and CHECK expressions (see `gxschema.catalog_canonical`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

from gxschema import privileges
from gxschema.catalog_canonical import temporary_copy
from gxschema.catalog_compare import Difference

_TABLES_SQL = """
SELECT c.relname AS table_name, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = :schema AND c.relkind IN ('r', 'p')
"""

_POLICIES_SQL = """
SELECT tablename AS table_name, policyname AS name, cmd AS command, permissive,
       array(SELECT r FROM unnest(roles) AS r ORDER BY r)::text[] AS roles,
       qual AS using, with_check AS check
FROM pg_policies WHERE schemaname = :schema
"""

PolicyRow = dict[str, Any]


def _row(command: str, roles: Iterable[str], using: str | None, check: str | None) -> PolicyRow:
    return {
        "command": command,
        "permissive": "PERMISSIVE",
        "roles": sorted(roles),
        "using": using,
        "check": check,
    }


def _read(connection: Connection, schema: str) -> dict[tuple[str, str], PolicyRow]:
    rows = connection.execute(text(_POLICIES_SQL), {"schema": schema}).mappings()
    return {
        (row["table_name"], row["name"]): _row(
            row["command"], row["roles"], row["using"], row["check"]
        )
        | {"permissive": row["permissive"]}
        for row in rows
    }


def expected_policies(
    connection: Connection, names: privileges.Roles, schema: str = "public"
) -> dict[tuple[str, str], PolicyRow]:
    """The secret table's policies as the server writes them (the policy's text if it can't)."""
    table = privileges.SECRET_TABLE
    expected = {
        (table, name): _row(policy.command, policy.role_names(names), policy.using, policy.check)
        for name, policy in privileges.SECRET_POLICIES.items()
    }
    transaction = connection.begin_nested() if connection.in_transaction() else connection.begin()
    try:
        if not temporary_copy(connection, table, schema):
            return expected  # no such table: the catalog comparison reports it
        for name, policy in privileges.SECRET_POLICIES.items():
            to = ", ".join(f'"{role}"' for role in policy.role_names(names))
            clauses = f" USING ({policy.using})" if policy.using else ""
            clauses += f" WITH CHECK ({policy.check})" if policy.check else ""
            statement = f'CREATE POLICY "{name}" ON pg_temp."{table}" FOR {policy.command} TO {to}'
            try:
                with connection.begin_nested():
                    connection.execute(text(statement + clauses))
            except DBAPIError:
                continue  # a role is missing: that is reported; keep the policy's text
        temp_schema = connection.execute(
            text("SELECT nspname FROM pg_namespace WHERE oid = pg_my_temp_schema()")
        ).scalar_one()
        expected.update(_read(connection, temp_schema))
    finally:
        transaction.rollback()
    return expected


def compare(
    connection: Connection,
    expected: Mapping[tuple[str, str], PolicyRow],
    enabled_on: Iterable[str],
    schema: str = "public",
) -> list[Difference]:
    """Row-level security of `schema` against `enabled_on` and the `expected` policies."""
    differences: list[Difference] = []
    enabled_on = set(enabled_on)
    for row in connection.execute(text(_TABLES_SQL), {"schema": schema}).mappings():
        subject = f'table "{row["table_name"]}"'
        if row["enabled"] != (row["table_name"] in enabled_on):
            state = "on" if row["enabled"] else "off"
            differences.append(Difference("changed", subject, f"row-level security {state}"))
        if row["forced"]:
            differences.append(Difference("changed", subject, "row-level security forced"))
    actual = _read(connection, schema)
    for table, name in expected.keys() - actual.keys():
        differences.append(Difference("missing", f'policy "{name}" on "{table}"'))
    for table, name in actual.keys() - expected.keys():
        policy = actual[(table, name)]
        detail = f"{policy['command']} to {', '.join(policy['roles'])}"
        differences.append(Difference("extra", f'policy "{name}" on "{table}"', detail))
    for key in expected.keys() & actual.keys():
        for field, want in expected[key].items():
            if actual[key][field] != want:
                differences.append(
                    Difference(
                        "changed",
                        f'policy "{key[1]}" on "{key[0]}"',
                        f"{field} {actual[key][field]!r}, expected {want!r}",
                    )
                )
    return differences


def check(connection: Connection, names: privileges.Roles | None = None) -> list[Difference]:
    """Row-level security against `gxschema.privileges`: on the secret table only."""
    names = names or privileges.roles()
    return compare(connection, expected_policies(connection, names), [privileges.SECRET_TABLE])
