"""The drift gate: everything the models declare, compared with the live database.

`check` is what ``gxschema verify`` and the last step of ``gxschema deploy`` run:
the models' catalog, its expressions canonicalised by the server
(`gxschema.catalog_canonical`), against `catalog.from_database` (columns, types,
defaults, keys, indexes in full, CHECKs, comments, identity and generated columns,
enums and their order), and the grants and row-level security against the
least-privilege policy (`gxschema.grants`, `gxschema.row_security`), which revision
0006 applies; ``verify --no-grants`` leaves those out, for a database whose roles an
administrator manages otherwise.
Every difference is one line naming the object.
"""

from __future__ import annotations

from sqlalchemy import Connection

from gxschema import catalog, grants, privileges, row_security


def check(connection: Connection, *, check_grants: bool = True) -> list[catalog.Difference]:
    """Every difference of the live database from the models (and the grant policy)."""
    from gxschema.models import metadata

    expected = catalog.canonicalise(connection, metadata, catalog.from_models())
    differences = catalog.diff(expected, catalog.from_database(connection))
    if check_grants:
        names = privileges.roles()
        differences += grants.check(connection, expected["tables"], names)
        differences += row_security.check(connection, names)
    return sorted(differences, key=lambda d: (d.subject, d.kind, d.detail))
