"""The live grants compared with the least-privilege policy (`gxschema.privileges`).

Read from the ACLs themselves (``pg_class.relacl`` and ``pg_attribute.attacl``,
through ``aclexplode``), not from ``has_table_privilege``: that answers through role
membership and ownership, while drift is about what was *granted*. For each table of
the policy and each role it names (plus ``PUBLIC``, which must hold nothing):

- a privilege the policy gives and the role lacks: ``missing privileges``;
- any other privilege on the table, TRUNCATE, REFERENCES and TRIGGER included:
  ``extra privileges``;
- any column-level grant to these roles: ``extra column privileges`` (a column
  UPDATE on ``AuditLog`` would undo append-only as surely as a table grant);
- a role of the policy that does not exist: one ``missing role`` line, not one per table.

Which rows of ``SystemConfig`` a role sees is `gxschema.row_security`'s part.

Each a `Difference` naming the table and the role, like the rest of the drift gate.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, text

from gxschema import privileges
from gxschema.catalog_compare import Difference

PUBLIC = "PUBLIC"

_TABLE_GRANTS_SQL = """
SELECT c.relname AS table_name,
       CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE r.rolname END AS grantee,
       a.privilege_type AS privilege
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
CROSS JOIN LATERAL aclexplode(c.relacl) AS a
LEFT JOIN pg_roles r ON r.oid = a.grantee
WHERE n.nspname = :schema AND c.relkind IN ('r', 'p') AND c.relname = ANY(:tables)
"""

_COLUMN_GRANTS_SQL = """
SELECT c.relname AS table_name, att.attname AS column_name,
       CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE r.rolname END AS grantee,
       a.privilege_type AS privilege
FROM pg_attribute att
JOIN pg_class c ON c.oid = att.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
CROSS JOIN LATERAL aclexplode(att.attacl) AS a
LEFT JOIN pg_roles r ON r.oid = a.grantee
WHERE n.nspname = :schema AND c.relname = ANY(:tables) AND att.attnum > 0
  AND NOT att.attisdropped
"""

_TABLES_SQL = """
SELECT c.relname AS table_name
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = :schema AND c.relkind IN ('r', 'p') AND c.relname = ANY(:tables)
"""

Policy = Mapping[str, Mapping[str, frozenset[str]]]
"""Table -> role -> the exact privileges the role holds on it (absent: none)."""


def compare(
    connection: Connection,
    policy: Policy,
    roles: Iterable[str],
    *,
    schema: str = "public",
) -> list[Difference]:
    """Every way the grants of `roles` (and PUBLIC) on `policy`'s tables differ from it.

    Tables of the policy missing from the database are left to the catalog comparison.
    """
    params: dict[str, Any] = {"schema": schema, "tables": list(policy)}
    existing = {
        str(name)
        for name in connection.execute(
            text("SELECT rolname FROM pg_roles WHERE rolname = ANY(:roles)"),
            {"roles": list(roles)},
        ).scalars()
    }
    differences = [
        Difference("missing", f'role "{role}"') for role in roles if role not in existing
    ]
    checked = existing | {PUBLIC}

    granted: dict[tuple[str, str], set[str]] = {}
    live_tables = set(connection.execute(text(_TABLES_SQL), params).scalars())
    for row in connection.execute(text(_TABLE_GRANTS_SQL), params).mappings():
        if row["grantee"] in checked:
            granted.setdefault((row["table_name"], row["grantee"]), set()).add(row["privilege"])
    for table in sorted(live_tables):
        for role in sorted(checked):
            want = set(policy[table].get(role, frozenset()))
            have = granted.get((table, role), set())
            subject = f'privileges of "{role}" on "{table}"'
            if want - have:
                differences.append(Difference("missing", subject, ", ".join(sorted(want - have))))
            if have - want:
                differences.append(Difference("extra", subject, ", ".join(sorted(have - want))))

    columns: dict[tuple[str, str], set[str]] = {}
    for row in connection.execute(text(_COLUMN_GRANTS_SQL), params).mappings():
        if row["grantee"] in checked:
            key = (row["table_name"], row["grantee"])
            columns.setdefault(key, set()).add(f'{row["privilege"]} ("{row["column_name"]}")')
    for (table, role), held in sorted(columns.items()):
        differences.append(
            Difference(
                "extra", f'column privileges of "{role}" on "{table}"', ", ".join(sorted(held))
            )
        )
    return differences


def check(
    connection: Connection, tables: Iterable[str], names: privileges.Roles | None = None
) -> list[Difference]:
    """The grants against the policy of `gxschema.privileges`, for `tables` and alembic_version."""
    names = names or privileges.roles()
    return compare(connection, privileges.table_privileges(tables, names), names.all())
