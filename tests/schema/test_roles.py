"""Least privilege: gx_app reads and writes rows but cannot change the schema; gx_readonly reads."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.exc import ProgrammingError

from ..support.cli import clean_env, gxschema

USER_PROFILE_ROW = """
    INSERT INTO "UserProfile" ("profileId", "tenantId", "firstName", "lastName",
                               "biometricHash", "passwordHash", "updatedAt")
    VALUES (:id, 't1', 'Ada', 'Lovelace', :id, 'hash', now())
"""


def _as_role(engine, role: str, sql: str, **params) -> None:
    with engine.begin() as connection:
        connection.execute(text(f'SET LOCAL ROLE "{role}"'))
        connection.execute(text(sql), params)


def test_roles_exist_and_cannot_log_in(head_database, engine_for) -> None:
    with engine_for(head_database).connect() as connection:
        roles = dict(
            connection.execute(
                text(
                    "SELECT rolname, rolcanlogin FROM pg_roles "
                    "WHERE rolname IN ('gx_app', 'gx_readonly', 'gx_secret_reader')"
                )
            ).all()
        )
    assert roles == {"gx_app": False, "gx_readonly": False, "gx_secret_reader": False}


def test_gx_app_writes_rows_but_cannot_change_the_schema(head_database, engine_for) -> None:
    engine = engine_for(head_database)
    profile_id = str(uuid.uuid4())
    _as_role(engine, "gx_app", USER_PROFILE_ROW, id=profile_id)
    _as_role(engine, "gx_app", 'UPDATE "UserProfile" SET "firstName" = \'Ada B.\'')
    with engine.connect() as connection:
        assert (
            connection.execute(text('SELECT "firstName" FROM "UserProfile"')).scalar() == "Ada B."
        )
    for ddl in (
        'DROP TABLE "Country"',
        'ALTER TABLE "Country" ADD COLUMN "x" integer',
        'CREATE TABLE "Sneaky" ("id" integer)',
        'TRUNCATE "UserProfile"',
    ):
        with pytest.raises(ProgrammingError, match=r"permission denied|must be owner"):
            _as_role(engine, "gx_app", ddl)
    with engine.connect() as connection:
        assert connection.execute(text('SELECT count(*) FROM "UserProfile"')).scalar() == 1


def test_gx_readonly_reads_but_cannot_write(head_database, engine_for) -> None:
    engine = engine_for(head_database)
    _as_role(engine, "gx_readonly", 'SELECT count(*) FROM "Wallet"')
    with pytest.raises(ProgrammingError, match="permission denied for table UserProfile"):
        _as_role(engine, "gx_readonly", USER_PROFILE_ROW, id=str(uuid.uuid4()))


def test_tables_added_later_get_the_same_rights(head_database, engine_for) -> None:
    engine = engine_for(head_database)
    with engine.begin() as connection:  # as the migrating role, like a later revision
        connection.execute(text('CREATE TABLE "LaterTable" ("id" serial PRIMARY KEY, "v" text)'))
    _as_role(engine, "gx_app", 'INSERT INTO "LaterTable" ("v") VALUES (\'x\')')
    _as_role(engine, "gx_readonly", 'SELECT * FROM "LaterTable"')
    with pytest.raises(ProgrammingError, match="permission denied"):
        _as_role(engine, "gx_readonly", 'DELETE FROM "LaterTable"')


def test_role_names_are_configurable(pg_server, empty_database, engine_for) -> None:
    suffix = uuid.uuid4().hex[:8]
    app, readonly, secrets = f"svc_rw_{suffix}", f"svc_ro_{suffix}", f"svc_sr_{suffix}"
    env = clean_env(
        **pg_server.env(empty_database),
        GXSCHEMA_APP_ROLE=app,
        GXSCHEMA_READONLY_ROLE=readonly,
        GXSCHEMA_SECRET_READER_ROLE=secrets,
    )
    try:
        assert gxschema("migrate", env=env).code == 0
        engine = engine_for(empty_database)
        _as_role(engine, app, USER_PROFILE_ROW, id=str(uuid.uuid4()))
        with pytest.raises(ProgrammingError, match="permission denied"):
            _as_role(engine, readonly, USER_PROFILE_ROW, id=str(uuid.uuid4()))
        # The downgrade revokes and drops the roles nothing else uses.
        assert gxschema("downgrade", "0003", env=env).code == 0
        with engine.connect() as connection:
            left = connection.execute(
                text("SELECT count(*) FROM pg_roles WHERE rolname IN (:a, :b, :c)"),
                {"a": app, "b": readonly, "c": secrets},
            ).scalar()
        assert left == 0
    finally:
        gxschema("downgrade", "0003", env=env)  # leaves no role behind on the shared server


def test_bad_role_name_is_refused(pg_server, empty_database) -> None:
    env = clean_env(**pg_server.env(empty_database), GXSCHEMA_APP_ROLE='x"; DROP TABLE y; --')
    ran = gxschema("migrate", env=env)
    assert ran.code == 2
    assert "GXSCHEMA_APP_ROLE must be a lowercase SQL identifier" in ran.stderr
