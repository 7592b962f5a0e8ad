"""Role names an operator may get wrong: refused before anything is applied (real PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import text

from ..support.cli import clean_env, gxschema


def _tables(engine) -> int:
    with engine.connect() as connection:
        return int(
            connection.execute(
                text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
            ).scalar_one()
        )


def test_the_same_name_for_two_group_roles_is_refused(pg_server, empty_database, engine_for):
    env = clean_env(
        **pg_server.env(empty_database),
        GXSCHEMA_APP_ROLE="gx_shared",
        GXSCHEMA_READONLY_ROLE="gx_shared",
    )
    ran = gxschema("migrate", env=env)
    assert ran.code == 2, ran.output
    assert "three different roles" in ran.stderr
    assert _tables(engine_for(empty_database)) == 0


def test_the_migrating_role_named_as_a_group_role_is_refused(pg_server, empty_database, engine_for):
    # Revoking the services' rights from the owner would take away its own right to
    # write alembic_version.
    env = clean_env(**pg_server.env(empty_database), GXSCHEMA_APP_ROLE=pg_server.user)
    ran = gxschema("migrate", env=env)
    assert ran.code == 2, ran.output
    lines = [line for line in ran.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "also named as one of the group roles" in lines[0]
    assert _tables(engine_for(empty_database)) == 0
