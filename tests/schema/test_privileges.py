"""Least privilege from the roles' side: log in as a member of each role and try.

Revision 0006 makes the live grants equal `gxschema.privileges`: gx_app writes the
business tables but only reads the migration history and the operational records and
only appends to the audit log; gx_readonly reads; secret SystemConfig values are
visible to gx_secret_reader's members only. Each test connects over TCP as a LOGIN
role of its own (unique name, dropped after) that is a member of the role under test,
the way a service connects, rather than `SET ROLE` from a superuser.
"""

from __future__ import annotations

import importlib.util
import threading
import time
import uuid
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import ProgrammingError
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from gxschema import migrator, privileges
from gxschema.alembic_config import script_location
from gxschema.models import metadata
from gxschema.platform import config

from ..support.cli import clean_env, gxschema

ROLES = privileges.Roles()

USER_PROFILE_ROW = """
    INSERT INTO "UserProfile" ("profileId", "tenantId", "firstName", "lastName",
                               "biometricHash", "passwordHash", "updatedAt")
    VALUES (:id, 't1', 'Ada', 'Lovelace', :id, 'hash', now())
"""
AUDIT_ROW = """
    INSERT INTO "AuditLog" ("auditId", "tenantId", "eventType", "eventHash")
    VALUES (:id, 't1', (SELECT min(e.enumlabel::text)::"AuditEventType" FROM pg_enum e
                         JOIN pg_type t ON t.oid = e.enumtypid
                         WHERE t.typname = 'AuditEventType'), 'h')
"""
CONFIG_ROW = """
    INSERT INTO "SystemConfig" ("configKey", "tenantId", "configValue", "valueType",
                                "isSecret", "updatedAt")
    VALUES (:key, 'global', CAST(:value AS jsonb), 'string', :secret, now())
"""
UPSERT_CONFIG = (
    CONFIG_ROW
    + """
    ON CONFLICT ("configKey") DO UPDATE SET "configValue" = excluded."configValue"
"""
)


LoginAs = Callable[..., Engine]


@pytest.fixture
def login_as(pg_server) -> Iterator[LoginAs]:
    """`login_as(database, *groups)`: an engine that logs in as a new member of `groups`."""
    made: list[tuple[str, str, Engine]] = []

    def make(database: str, *groups: str) -> Engine:
        name, password = f"gxt_login_{uuid.uuid4().hex[:10]}", f"pw-{uuid.uuid4().hex}"
        with pg_server.admin() as admin:
            admin.execute(f"CREATE ROLE \"{name}\" LOGIN PASSWORD '{password}'")
            admin.execute(f'GRANT CONNECT ON DATABASE "{database}" TO "{name}"')
            for group in groups:
                admin.execute(f'GRANT "{group}" TO "{name}"')
        engine = create_engine(
            pg_server.url(database, username=name, password=password), poolclass=NullPool
        )
        made.append((name, database, engine))
        return engine

    yield make
    with pg_server.admin() as admin:
        for name, database, engine in made:
            engine.dispose()
            admin.execute(f'REVOKE CONNECT ON DATABASE "{database}" FROM "{name}"')
            admin.execute(f'DROP ROLE IF EXISTS "{name}"')


def _run(engine: Engine, sql: str, **params: object) -> int:
    with engine.begin() as connection:
        return int(connection.execute(text(sql), params).rowcount or 0)


def _rows(engine: Engine, sql: str, **params: object) -> list[tuple]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(sql), params)]


def _denied(engine: Engine, sql: str, **params: object) -> None:
    with pytest.raises(ProgrammingError, match="permission denied"):
        _run(engine, sql, **params)


def _owner_writes_config(engine: Engine) -> None:
    """As the owner (the migrating role): one public, one secret value, the environment."""
    for key, value, secret in (
        ("publicFee", '"40"', False),
        ("apiToken", '"tok-123"', True),
        (privileges.ENVIRONMENT_KEY, '"mainnet"', False),
    ):
        _run(engine, CONFIG_ROW, key=key, value=value, secret=secret)


def test_the_revision_copies_the_policy_of_the_package() -> None:
    path = next((script_location() / "versions").glob("0006_*.py"))
    spec = importlib.util.spec_from_file_location("revision_0006", path)
    assert spec is not None and spec.loader is not None
    revision = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(revision)
    assert revision.HISTORY_TABLE == privileges.HISTORY_TABLE
    assert revision.OPERATIONAL_TABLES == privileges.OPERATIONAL_TABLES
    assert revision.APPEND_ONLY_TABLES == privileges.APPEND_ONLY_TABLES
    assert revision.SECRET_TABLE == privileges.SECRET_TABLE
    assert revision.ENVIRONMENT_KEY == privileges.ENVIRONMENT_KEY
    option_of = {
        "app": "app_role",
        "readonly": "readonly_role",
        "secret_reader": "secret_reader_role",
    }
    assert {
        name: (
            policy.command,
            tuple(option_of[r] for r in policy.roles),
            policy.using,
            policy.check,
        )
        for name, policy in privileges.SECRET_POLICIES.items()
    } == revision.SECRET_POLICIES
    for table in (*privileges.OPERATIONAL_TABLES, *privileges.APPEND_ONLY_TABLES):
        assert table in metadata.tables


def test_live_grants_equal_the_policy(head_database, engine_for) -> None:
    expected = privileges.table_privileges(metadata.tables, ROLES)
    with engine_for(head_database).connect() as connection:
        rows = connection.execute(
            text(
                """SELECT c.relname, a.grantee::regrole::text, a.privilege_type
                   FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace,
                        aclexplode(c.relacl) a
                   WHERE n.nspname = 'public' AND c.relkind = 'r'
                     AND a.grantee <> c.relowner"""
            )
        ).all()
        policies = {
            row.policyname: (row.cmd, tuple(sorted(row.roles)))
            for row in connection.execute(
                text("SELECT policyname, cmd, roles FROM pg_policies WHERE tablename = :t"),
                {"t": privileges.SECRET_TABLE},
            )
        }
        rls = connection.execute(
            text(
                "SELECT relrowsecurity, relforcerowsecurity FROM pg_class "
                "WHERE oid = CAST(:t AS regclass)"
            ),
            {"t": f'public."{privileges.SECRET_TABLE}"'},
        ).one()
    actual: dict[str, dict[str, set[str]]] = {}
    for table, grantee, privilege in rows:
        actual.setdefault(table, {}).setdefault(grantee, set()).add(privilege)
    assert {t: {r: frozenset(p) for r, p in g.items()} for t, g in actual.items()} == expected
    assert policies == {
        name: (policy.command, tuple(sorted(policy.role_names(ROLES))))
        for name, policy in privileges.SECRET_POLICIES.items()
    }
    assert tuple(rls) == (True, False)  # ENABLEd, not FORCEd: the owner is not subject to it


def test_gx_app_cannot_rewrite_history_operational_records_or_audit(
    head_database, engine_for, login_as
) -> None:
    owner = engine_for(head_database)
    _run(owner, AUDIT_ROW, id=str(uuid.uuid4()))
    app = login_as(head_database, ROLES.app)
    _denied(app, "UPDATE alembic_version SET version_num = '0001'")
    _denied(app, "DELETE FROM alembic_version")
    _denied(app, """INSERT INTO "SchemaMigrationRun" ("runId") VALUES ('forged')""")
    _denied(app, """UPDATE "SeedDataset" SET "tenantId" = 'x'""")
    _denied(app, 'DELETE FROM "BackupRecord"')
    _denied(app, 'DELETE FROM "AuditLog"')
    _denied(app, """UPDATE "AuditLog" SET "eventHash" = 'forged'""")
    for table in [*metadata.tables, "alembic_version"]:
        _denied(app, f'TRUNCATE "{table}"')
    assert _rows(owner, "SELECT version_num FROM alembic_version") == [
        (migrator.scripts().get_current_head(),)
    ]
    assert _rows(owner, """SELECT "eventHash" FROM "AuditLog\"""") == [("h",)]
    # reading them is fine
    assert _rows(app, 'SELECT count(*) FROM "SchemaMigrationRun"') == [(0,)]
    assert _rows(app, "SELECT count(*) FROM alembic_version") == [(1,)]


def test_gx_app_does_the_service_s_ordinary_writes(head_database, engine_for, login_as) -> None:
    owner = engine_for(head_database)
    app = login_as(head_database, ROLES.app)
    kept, removed = str(uuid.uuid4()), str(uuid.uuid4())
    _run(app, USER_PROFILE_ROW, id=kept)
    _run(app, USER_PROFILE_ROW, id=removed)
    assert (
        _run(
            app,
            """UPDATE "UserProfile" SET "firstName" = 'Ada B.' WHERE "profileId" = :id""",
            id=kept,
        )
        == 1
    )
    assert _run(app, """DELETE FROM "UserProfile" WHERE "profileId" = :id""", id=removed) == 1
    _run(app, AUDIT_ROW, id=str(uuid.uuid4()))
    _run(app, UPSERT_CONFIG, key="maxWallets", value='"5"', secret=False)
    _run(app, UPSERT_CONFIG, key="maxWallets", value='"6"', secret=False)
    assert _rows(owner, """SELECT "profileId", "firstName" FROM "UserProfile\"""") == [
        (kept, "Ada B.")
    ]
    assert _rows(owner, 'SELECT count(*) FROM "AuditLog"') == [(1,)]
    assert _rows(
        owner, """SELECT "configValue" FROM "SystemConfig" WHERE "configKey" = 'maxWallets'"""
    ) == [("6",)]


def test_gx_readonly_only_reads(head_database, login_as) -> None:
    readonly = login_as(head_database, ROLES.readonly)
    assert _rows(readonly, 'SELECT count(*) FROM "Wallet"') == [(0,)]
    _denied(readonly, USER_PROFILE_ROW, id=str(uuid.uuid4()))
    _denied(readonly, 'DELETE FROM "AuditLog"')
    _denied(readonly, 'TRUNCATE "Wallet"')


@pytest.mark.parametrize("role", [ROLES.app, ROLES.readonly])
def test_secret_config_values_are_hidden_from_services_and_readers(
    role, head_database, engine_for, login_as
) -> None:
    _owner_writes_config(engine_for(head_database))
    member = login_as(head_database, role)
    visible = _rows(member, 'SELECT "configKey", "configValue" FROM "SystemConfig" ORDER BY 1')
    assert visible == [("environment", "mainnet"), ("publicFee", "40")]
    assert _rows(
        member, """SELECT count(*) FROM "SystemConfig" WHERE "configKey" = 'apiToken'"""
    ) == [(0,)]


def test_members_of_gx_secret_reader_see_secret_values(head_database, engine_for, login_as) -> None:
    _owner_writes_config(engine_for(head_database))
    service = login_as(head_database, ROLES.app, ROLES.secret_reader)
    assert _rows(
        service, """SELECT "configValue" FROM "SystemConfig" WHERE "configKey" = 'apiToken'"""
    ) == [("tok-123",)]
    # reading a secret does not make it writable
    assert _run(service, """DELETE FROM "SystemConfig" WHERE "configKey" = 'apiToken'""") == 0
    reader = login_as(head_database, ROLES.secret_reader)
    assert _rows(reader, 'SELECT count(*) FROM "SystemConfig"') == [(3,)]
    _denied(reader, 'DELETE FROM "SystemConfig"')


def test_gx_app_cannot_change_the_environment_or_write_secrets(
    head_database, engine_for, login_as
) -> None:
    owner = engine_for(head_database)
    _owner_writes_config(owner)
    app = login_as(head_database, ROLES.app)
    key = privileges.ENVIRONMENT_KEY
    assert (
        _run(
            app,
            """UPDATE "SystemConfig" SET "configValue" = '"devnet"' WHERE "configKey" = :k""",
            k=key,
        )
        == 0
    )
    assert _run(app, """DELETE FROM "SystemConfig" WHERE "configKey" = :k""", k=key) == 0
    with pytest.raises(ProgrammingError, match="row-level security"):
        _run(app, UPSERT_CONFIG, key=key, value='"devnet"', secret=False)
    with pytest.raises(ProgrammingError, match="row-level security"):
        _run(app, CONFIG_ROW, key="newSecret", value='"x"', secret=True)
    with pytest.raises(ProgrammingError, match="row-level security"):
        _run(app, """UPDATE "SystemConfig" SET "isSecret" = true WHERE "configKey" = 'publicFee'""")
    assert (
        _run(
            app,
            """UPDATE "SystemConfig" SET "configValue" = '"x"' WHERE "configKey" = 'apiToken'""",
        )
        == 0
    )
    assert _rows(
        owner, 'SELECT "configKey", "configValue", "isSecret" FROM "SystemConfig" ORDER BY 1'
    ) == [
        ("apiToken", "tok-123", True),
        ("environment", "mainnet", False),
        ("publicFee", "40", False),
    ]


def test_config_helpers_say_when_a_secret_is_hidden(head_database, engine_for, login_as) -> None:
    _owner_writes_config(engine_for(head_database))
    app = login_as(head_database, ROLES.app)
    with Session(app) as session:
        assert config.get(session, "publicFee") == "40"
        with pytest.raises(
            config.HiddenConfigKeyError, match="GRANT gx_secret_reader TO"
        ) as raised:
            config.get(session, "apiToken")
        assert "tok-123" not in str(raised.value)
        with pytest.raises(config.ConfigAccessError, match="row-level security"):
            config.set(session, "apiToken", "forged")
        with pytest.raises(config.ConfigAccessError, match='"environment"'):
            config.set(session, privileges.ENVIRONMENT_KEY, "devnet")
        config.set(session, "publicFee", "41")  # the session is still usable
        session.commit()
    with Session(login_as(head_database, ROLES.app, ROLES.secret_reader)) as session:
        assert config.get(session, "apiToken") == "tok-123"
        assert config.get(session, "publicFee") == "41"
        with pytest.raises(config.UnknownConfigKeyError) as missing:
            config.get(session, "notThere")
        assert not isinstance(missing.value, config.HiddenConfigKeyError)


def test_downgrade_restores_0004_grants_and_upgrade_applies_again(
    pg_server, head_database, engine_for, login_as
) -> None:
    env = clean_env(**pg_server.env(head_database))
    owner = engine_for(head_database)
    _owner_writes_config(owner)
    app = login_as(head_database, ROLES.app)
    ran = gxschema("downgrade", "0005", env=env)
    assert ran.code == 0, ran.output
    assert _run(app, "UPDATE alembic_version SET version_num = version_num") == 1
    assert _run(app, """UPDATE "AuditLog" SET "eventHash" = 'x'""") == 0  # allowed again
    assert ("apiToken",) in _rows(app, 'SELECT "configKey" FROM "SystemConfig"')
    assert _rows(owner, "SELECT count(*) FROM pg_policies WHERE tablename = 'SystemConfig'") == [
        (0,)
    ]
    assert _rows(owner, "SELECT relrowsecurity FROM pg_class WHERE relname = 'SystemConfig'") == [
        (False,)
    ]
    ran = gxschema("migrate", env=env)
    assert ran.code == 0, ran.output
    _denied(app, "UPDATE alembic_version SET version_num = version_num")
    assert ("apiToken",) not in _rows(app, 'SELECT "configKey" FROM "SystemConfig"')


@pytest.fixture
def migrating_role(pg_server, empty_database) -> Iterator[tuple[str, str]]:
    """A LOGIN role without CREATEROLE that owns `empty_database` (and so its schema)."""
    name, password = f"gxt_mig_{uuid.uuid4().hex[:10]}", f"pw-{uuid.uuid4().hex}"
    with pg_server.admin() as admin:
        admin.execute(f"CREATE ROLE \"{name}\" LOGIN NOCREATEROLE PASSWORD '{password}'")
        admin.execute(f'ALTER DATABASE "{empty_database}" OWNER TO "{name}"')
    yield name, password
    pg_server.drop_database(empty_database)
    with pg_server.admin() as admin:
        admin.execute(f'DROP ROLE IF EXISTS "{name}"')


def _admin_creates_roles(pg_server, names: privileges.Roles, *which: str) -> None:
    with pg_server.admin() as admin:
        for role in which:
            admin.execute(
                f'DO $$ BEGIN CREATE ROLE "{role}" NOLOGIN; '
                "EXCEPTION WHEN duplicate_object THEN NULL; END $$"
            )


def _drop_roles(pg_server, *names: str) -> None:
    with pg_server.admin() as admin:
        for name in names:
            admin.execute(f'DROP ROLE IF EXISTS "{name}"')


def test_a_role_without_createrole_migrates_with_roles_an_administrator_made(
    pg_server, empty_database, migrating_role, engine_for
) -> None:
    suffix = uuid.uuid4().hex[:8]
    names = privileges.Roles(f"gxt_app_{suffix}", f"gxt_ro_{suffix}", f"gxt_sr_{suffix}")
    user, password = migrating_role
    env = clean_env(
        **{**pg_server.env(empty_database), "PGUSER": user, "PGPASSWORD": password},
        GXSCHEMA_APP_ROLE=names.app,
        GXSCHEMA_READONLY_ROLE=names.readonly,
        GXSCHEMA_SECRET_READER_ROLE=names.secret_reader,
    )
    _admin_creates_roles(pg_server, names, *names.all())
    try:
        ran = gxschema("migrate", env=env)
        assert ran.code == 0, ran.output
        owner = engine_for(empty_database)
        assert _rows(owner, "SELECT version_num FROM alembic_version") == [
            (migrator.scripts().get_current_head(),)
        ]
        assert _rows(owner, "SELECT relacl::text FROM pg_class WHERE relname = 'BackupRecord'") == [
            (f"{{{user}=arwdDxt/{user},{names.app}=r/{user},{names.readonly}=r/{user}}}",)
        ]
    finally:
        pg_server.drop_database(empty_database)
        _drop_roles(pg_server, *names.all())


def test_a_missing_role_the_migrating_role_may_not_create_is_named_before_anything_runs(
    pg_server, empty_database, migrating_role, engine_for
) -> None:
    suffix = uuid.uuid4().hex[:8]
    names = privileges.Roles(f"gxt_app_{suffix}", f"gxt_ro_{suffix}", f"gxt_sr_{suffix}")
    user, password = migrating_role
    env = clean_env(
        **{**pg_server.env(empty_database), "PGUSER": user, "PGPASSWORD": password},
        GXSCHEMA_APP_ROLE=names.app,
        GXSCHEMA_READONLY_ROLE=names.readonly,
        GXSCHEMA_SECRET_READER_ROLE=names.secret_reader,
    )
    _admin_creates_roles(pg_server, names, names.app)
    try:
        ran = gxschema("migrate", env=env)
        assert ran.code == 2, ran.output
        lines = ran.stderr.strip().splitlines()
        assert len(lines) == 1, ran.stderr
        assert f"{names.readonly}, {names.secret_reader} do not exist" in lines[0]
        assert (
            f"`CREATE ROLE {names.readonly} NOLOGIN; CREATE ROLE {names.secret_reader} NOLOGIN;`"
            in lines[0]
        )
        assert names.app + "," not in lines[0]
        tables = _rows(
            engine_for(empty_database),
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public'",
        )
        assert tables == [(0,)]
    finally:
        _drop_roles(pg_server, *names.all())


def test_preflight_names_only_the_roles_pending_revisions_create(
    pg_server, empty_database, migrating_role
) -> None:
    user, password = migrating_role
    absent = privileges.Roles(*(f"gxt_absent_{uuid.uuid4().hex[:8]}" for _ in range(3)))
    engine = create_engine(
        pg_server.url(empty_database, username=user, password=password), poolclass=NullPool
    )
    try:
        with engine.connect() as connection:
            privileges.preflight(connection, ["0005"], absent)  # creates no role: silent
            with pytest.raises(privileges.ConfigError) as refused:
                privileges.preflight(connection, ["0005", "0006"], absent)
            assert f"role(s) {absent.secret_reader} do not exist" in str(refused.value)
            assert absent.app not in str(refused.value)
    finally:
        engine.dispose()


def test_the_downgrade_keeps_a_secret_reader_that_services_were_given(
    pg_server, empty_database
) -> None:
    suffix = uuid.uuid4().hex[:8]
    reader, service = f"gxt_sr_{suffix}", f"gxt_svc_{suffix}"
    env = clean_env(**pg_server.env(empty_database), GXSCHEMA_SECRET_READER_ROLE=reader)

    def exists(role: str) -> bool:
        with pg_server.admin() as admin:
            found = admin.execute("SELECT FROM pg_roles WHERE rolname = %s", (role,))
            return found.fetchone() is not None

    try:
        assert gxschema("migrate", env=env).code == 0
        with pg_server.admin() as admin:
            admin.execute(f'CREATE ROLE "{service}" LOGIN IN ROLE "{reader}"')
        assert gxschema("downgrade", "0005", env=env).code == 0
        assert exists(reader)  # dropping it would silently take the service's membership
        _drop_roles(pg_server, service)
        assert gxschema("migrate", env=env).code == 0
        assert gxschema("downgrade", "0005", env=env).code == 0
        assert not exists(reader)  # unused now: gone, like 0004's roles
    finally:
        _drop_roles(pg_server, service)
        pg_server.drop_database(empty_database)
        _drop_roles(pg_server, reader)


def test_0006_waits_for_a_long_reader_without_queueing_other_readers(
    head_database, engine_for
) -> None:
    from alembic import command

    from gxschema.alembic_config import make_config

    engine = engine_for(head_database)
    with engine.connect() as connection:
        command.downgrade(make_config(connection=connection), "0005")
    outcome: list[BaseException | None] = []

    def upgrade() -> None:
        try:
            with engine.connect() as connection:
                command.upgrade(make_config(connection=connection), "0006")
            outcome.append(None)
        except BaseException as error:  # reported by the assertion below
            outcome.append(error)

    with engine.connect() as blocker:
        blocker.execute(text('SELECT count(*) FROM "SystemConfig"'))  # holds ACCESS SHARE
        worker = threading.Thread(target=upgrade)
        worker.start()
        time.sleep(1.0)  # 0006 is now trying, 50 ms at a time, for its ACCESS EXCLUSIVE lock
        with engine.connect() as reader:
            reader.execute(text("SET statement_timeout = '2s'"))
            assert reader.execute(text('SELECT count(*) FROM "SystemConfig"')).scalar() == 0
        assert worker.is_alive() and not outcome
        blocker.rollback()
    worker.join(timeout=120)
    assert outcome == [None]
    assert _rows(engine, "SELECT version_num FROM alembic_version") == [("0006",)]
