"""The drift gate sees everything the models declare (`gxschema verify`, issue 13).

Each drift is made on a fresh head database (a template copy) with plain SQL, as an
operator or a hotfix would, and the real command must name it in one line and exit 1.
What the package's models cannot show (they declare no CHECK, no expression index,
no generated column), a table of a test-local `MetaData` shows, compared through the
same functions `verify` uses. Grants and row-level security are compared with the
policy of `gxschema.privileges`, and Alembic's own comparison is shown to add nothing.
"""

from __future__ import annotations

import json
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Computed,
    Identity,
    Index,
    Integer,
    MetaData,
    Numeric,
    PrimaryKeyConstraint,
    Table,
    Text,
    func,
    text,
)

from gxschema import catalog, drift, grants, privileges, row_security
from gxschema.models import metadata

from ..support.cli import clean_env, gxschema


def _verify(pg_server, database: str, *args: str):
    return gxschema("verify", *args, env=clean_env(**pg_server.env(database)))


def _drift(engine, *statements: str) -> None:
    with engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))


def _lines(output: str) -> list[str]:
    return [line.strip() for line in output.splitlines() if line.strip()]


def test_a_clean_head_database_verifies(pg_server, head_database) -> None:
    ran = _verify(pg_server, head_database)
    assert ran.code == 0, ran.output
    assert "the database matches the models" in ran.stdout


_INDEX = '"UserProfile_tenantId_status_createdAt_idx"'

# (what an operator did, the one line verify must print)
DRIFTS: dict[str, tuple[list[str], str]] = {
    "partial predicate on an index of the same name": (
        [
            f"DROP INDEX {_INDEX}",
            f'CREATE INDEX {_INDEX} ON "UserProfile" ("tenantId", status, "createdAt") '
            'WHERE "deletedAt" IS NULL',
        ],
        f'changed index {_INDEX} on "UserProfile": predicate \'"deletedAt" IS NULL\', '
        "expected None",
    ),
    "index made DESC": (
        [
            'DROP INDEX "Wallet_tenantId_deletedAt_idx"',
            'CREATE INDEX "Wallet_tenantId_deletedAt_idx" ON "Wallet" '
            '("tenantId", "deletedAt" DESC)',
        ],
        'changed index "Wallet_tenantId_deletedAt_idx" on "Wallet": '
        "keys ['tenantId', 'deletedAt DESC'], expected ['tenantId', 'deletedAt']",
    ),
    "index made NULLS FIRST": (
        [
            'DROP INDEX "Contact_tenantId_status_idx"',
            'CREATE INDEX "Contact_tenantId_status_idx" ON "Contact" '
            '("tenantId", status NULLS FIRST)',
        ],
        'changed index "Contact_tenantId_status_idx" on "Contact": '
        "keys ['tenantId', 'status NULLS FIRST'], expected ['tenantId', 'status']",
    ),
    "index method changed": (
        [
            'DROP INDEX "Transaction_timestamp_idx"',
            'CREATE INDEX "Transaction_timestamp_idx" ON "Transaction" USING hash (timestamp)',
        ],
        'changed index "Transaction_timestamp_idx" on "Transaction": '
        "method 'hash', expected 'btree'",
    ),
    "expression in place of a column": (
        [
            'DROP INDEX "UserProfile_tenantId_email_idx"',
            'CREATE INDEX "UserProfile_tenantId_email_idx" ON "UserProfile" '
            '("tenantId", lower(email))',
        ],
        'changed index "UserProfile_tenantId_email_idx" on "UserProfile": '
        "keys ['tenantId', '(lower(email))'], expected ['tenantId', 'email']",
    ),
    "operator class changed": (
        [
            'DROP INDEX "UserProfile_tenantId_phoneNum_idx"',
            'CREATE INDEX "UserProfile_tenantId_phoneNum_idx" ON "UserProfile" '
            '("tenantId", "phoneNum" text_pattern_ops)',
        ],
        'changed index "UserProfile_tenantId_phoneNum_idx" on "UserProfile": '
        "keys ['tenantId', 'phoneNum text_pattern_ops'], expected ['tenantId', 'phoneNum']",
    ),
    "index left invalid by an interrupted CREATE INDEX CONCURRENTLY": (
        [
            "UPDATE pg_index SET indisvalid = false "
            """WHERE indexrelid = '"Transaction_tenantId_type_timestamp_idx"'::regclass"""
        ],
        'changed index "Transaction_tenantId_type_timestamp_idx" on "Transaction": invalid',
    ),
    "index made unique": (
        [
            'DROP INDEX "Contact_tenantId_ownerProfileId_idx"',
            'CREATE UNIQUE INDEX "Contact_tenantId_ownerProfileId_idx" ON "Contact" '
            '("tenantId", "ownerProfileId")',
        ],
        'changed index "Contact_tenantId_ownerProfileId_idx" on "Contact": '
        "unique True, expected False",
    ),
    "CHECK added": (
        ['ALTER TABLE "Transaction" ADD CONSTRAINT "Transaction_fee_check" CHECK (fee >= 0)'],
        'extra check constraint "Transaction_fee_check" on "Transaction": '
        "CHECK (fee >= 0::numeric)",
    ),
    "table comment changed": (
        ["""COMMENT ON TABLE "Wallet" IS 'wallets'"""],
        "changed table \"Wallet\": comment 'wallets', expected",
    ),
    "column comment removed": (
        ['COMMENT ON COLUMN "Country"."region" IS NULL'],
        'changed column "Country"."region": comment None, expected \'Region the services',
    ),
    "identity column added": (
        ['ALTER TABLE "Country" ADD COLUMN "sequence" bigint GENERATED ALWAYS AS IDENTITY'],
        'extra column "Country"."sequence": generated always as identity',
    ),
    "generated column added": (
        [
            'ALTER TABLE "Country" ADD COLUMN "nameLower" text '
            'GENERATED ALWAYS AS (lower("countryName")) STORED'
        ],
        'extra column "Country"."nameLower": generated always as (lower("countryName")) stored',
    ),
    "collation changed": (
        ['ALTER TABLE "UserProfile" ALTER COLUMN "firstName" TYPE text COLLATE "C"'],
        'changed column "UserProfile"."firstName": collation \'C\', expected None',
    ),
    "extra unique constraint": (
        ['ALTER TABLE "Country" ADD CONSTRAINT "Country_countryName_key" UNIQUE ("countryName")'],
        'extra constraint "Country_countryName_key" on "Country"',
    ),
    "enum value added": (
        ["""ALTER TYPE "KycStatus" ADD VALUE 'ON_HOLD'"""],
        'changed enum "KycStatus": extra values ON_HOLD',
    ),
    "default changed": (
        ['ALTER TABLE "Transaction" ALTER COLUMN "fee" SET DEFAULT 1'],
        "changed column \"Transaction\".\"fee\": default '1', expected '0'",
    ),
}


@pytest.mark.parametrize("case", list(DRIFTS))
def test_each_drift_is_one_line_naming_it(case, head_database, engine_for) -> None:
    engine = engine_for(head_database)
    statements, expected = DRIFTS[case]
    _drift(engine, *statements)
    with engine.connect() as connection:
        found = [str(d) for d in drift.check(connection, check_grants=False)]
    assert len(found) == 1 and expected in found[0], found


def test_verify_names_every_drift_and_exits_1(pg_server, head_database, engine_for) -> None:
    """The real command, all the drifts above at once: one line each, nothing else."""
    for statements, _line in DRIFTS.values():
        _drift(engine_for(head_database), *statements)
    ran = _verify(pg_server, head_database)
    assert ran.code == 1, ran.output
    printed = _lines(ran.stdout)
    for _statements, expected in DRIFTS.values():
        assert sum(expected in line for line in printed) == 1, (expected, ran.output)
    assert len(printed) == len(DRIFTS), ran.output
    assert f"{len(DRIFTS)} difference(s) from the models" in ran.stderr


def test_verify_json_lists_the_differences(pg_server, head_database, engine_for) -> None:
    _drift(engine_for(head_database), *DRIFTS["CHECK added"][0])
    ran = gxschema("--json", "verify", env=clean_env(**pg_server.env(head_database)))
    assert ran.code == 1
    report = json.loads(ran.stdout)
    assert report["identical"] is False
    assert report["differences"] == [
        {
            "kind": "extra",
            "subject": 'check constraint "Transaction_fee_check" on "Transaction"',
            "detail": "CHECK (fee >= 0::numeric)",
        }
    ]


# -- grants ------------------------------------------------------------------------------


def test_verify_grants_finds_a_revoked_and_an_extra_grant(
    pg_server, head_database, engine_for
) -> None:
    engine = engine_for(head_database)
    # A head database holds exactly the policy's grants: test_a_clean_head_database_verifies.
    _drift(
        engine,
        'REVOKE SELECT ON "Wallet" FROM gx_readonly',
        'GRANT UPDATE ON "AuditLog" TO gx_app',
        'GRANT UPDATE ("eventType") ON "AuditLog" TO gx_app',
        'ALTER TABLE "SystemConfig" DISABLE ROW LEVEL SECURITY',
    )
    ran = _verify(pg_server, head_database)
    assert ran.code == 1, ran.output
    assert _lines(ran.stdout) == [
        'extra column privileges of "gx_app" on "AuditLog": UPDATE ("eventType")',
        'extra privileges of "gx_app" on "AuditLog": UPDATE',
        'missing privileges of "gx_readonly" on "Wallet": SELECT',
        'changed table "SystemConfig": row-level security off',
    ]
    assert _verify(pg_server, head_database, "--no-grants").code == 0


@pytest.fixture
def two_roles(pg_server):
    names = [f"gx_drift_{uuid.uuid4().hex[:8]}" for _ in range(2)]
    with pg_server.admin() as admin:
        for name in names:
            admin.execute(f'CREATE ROLE "{name}" NOLOGIN')
    yield names
    with pg_server.admin() as admin:
        for name in names:
            admin.execute(f'DROP ROLE IF EXISTS "{name}"')


def test_grants_compare_with_explicit_expected_values(
    two_roles, empty_database, engine_for
) -> None:
    writer, reader = two_roles
    engine = engine_for(empty_database)
    _drift(
        engine,
        'CREATE TABLE "Ledger" (id int PRIMARY KEY, note text)',
        'CREATE TABLE "Secret" (id int PRIMARY KEY)',
        f'GRANT SELECT, INSERT, TRUNCATE ON "Ledger" TO "{writer}"',
        f'GRANT SELECT ON "Secret" TO "{reader}"',
        'GRANT SELECT ON "Secret" TO PUBLIC',
    )
    policy = {
        "Ledger": {
            writer: frozenset({"SELECT", "INSERT", "UPDATE"}),
            reader: frozenset({"SELECT"}),
        },
        "Secret": {reader: frozenset({"SELECT"})},
    }
    ghost = f"gx_absent_{uuid.uuid4().hex[:8]}"
    with engine.connect() as connection:
        found = grants.compare(connection, policy, [writer, reader, ghost])
    assert sorted(map(str, found)) == sorted(
        [
            f'missing role "{ghost}"',
            f'missing privileges of "{writer}" on "Ledger": UPDATE',
            f'extra privileges of "{writer}" on "Ledger": TRUNCATE',
            f'missing privileges of "{reader}" on "Ledger": SELECT',
            'extra privileges of "PUBLIC" on "Secret": SELECT',
        ]
    )
    _drift(
        engine,
        f'GRANT UPDATE ON "Ledger" TO "{writer}"',
        f'REVOKE TRUNCATE ON "Ledger" FROM "{writer}"',
        f'GRANT SELECT ON "Ledger" TO "{reader}"',
        'REVOKE SELECT ON "Secret" FROM PUBLIC',
    )
    with engine.connect() as connection:
        assert grants.compare(connection, policy, [writer, reader]) == []


def test_row_level_security_policies_are_compared_as_the_server_writes_them(
    head_database, engine_for
) -> None:
    engine = engine_for(head_database)
    with engine.connect() as connection:  # the policy's text and the server's differ...
        expected = row_security.expected_policies(connection, privileges.roles())
        assert expected[("SystemConfig", "gx_config_read_public")]["using"] == '(NOT "isSecret")'
        # ...and a head database holds exactly the policy
        assert row_security.check(connection) == []
    _drift(
        engine,
        'ALTER POLICY "gx_config_read_public" ON "SystemConfig" USING (true)',
        'DROP POLICY "gx_config_app_delete" ON "SystemConfig"',
        'CREATE POLICY "everyone" ON "SystemConfig" FOR SELECT TO PUBLIC USING (true)',
        'ALTER TABLE "SystemConfig" FORCE ROW LEVEL SECURITY',
        'ALTER TABLE "Wallet" ENABLE ROW LEVEL SECURITY',
    )
    with engine.connect() as connection:
        found = [str(d) for d in drift.check(connection)]
    assert found == [
        'extra policy "everyone" on "SystemConfig": SELECT to public',
        'missing policy "gx_config_app_delete" on "SystemConfig"',
        'changed policy "gx_config_read_public" on "SystemConfig": using \'true\', '
        "expected '(NOT \"isSecret\")'",
        'changed table "SystemConfig": row-level security forced',
        'changed table "Wallet": row-level security on',
    ]


# -- what the package's models do not declare: a table of our own -------------------------


def _probe_metadata() -> MetaData:
    local = MetaData()
    probe = Table(
        "Probe",
        local,
        Column("id", Integer, primary_key=True, autoincrement=False),
        Column("amount", Numeric(12, 2), nullable=False, comment="An amount."),
        Column("email", Text),
        Column("status", Text, nullable=False),
        Column("code", Text(collation="C")),
        Column("deletedAt", Text),
        Column("doubled", Numeric(12, 2), Computed("amount * 2", persisted=True)),
        Column("sequence", BigInteger, Identity(always=True), nullable=False),
        CheckConstraint("amount >= 0", name="Probe_amount_check"),
        CheckConstraint("status IN ('A', 'B')", name="Probe_status_check"),
        PrimaryKeyConstraint("id", name="Probe_pkey"),
        comment="A table of this test's own.",
    )
    Index("Probe_live_idx", probe.c.status, postgresql_where=text('"deletedAt" IS NULL'))
    Index("Probe_email_lower_idx", func.lower(probe.c.email), unique=True)
    Index("Probe_amount_desc_idx", probe.c.amount.desc().nulls_last())
    Index("Probe_email_hash_idx", probe.c.email, postgresql_using="hash")
    Index("Probe_email_pattern_idx", probe.c.email, postgresql_ops={"email": "text_pattern_ops"})
    return local


def _compare(engine, local: MetaData) -> list[str]:
    with engine.connect() as connection:
        expected = catalog.canonicalise(connection, local, catalog.from_metadata(local))
        temporary = connection.execute(
            text("SELECT count(*) FROM pg_class WHERE relpersistence = 't'")
        ).scalar()
        assert temporary == 0  # canonicalising leaves nothing behind
        return [str(d) for d in catalog.diff(expected, catalog.from_database(connection))]


def test_expressions_compare_equal_when_they_mean_the_same(empty_database, engine_for) -> None:
    engine, local = engine_for(empty_database), _probe_metadata()
    local.create_all(engine)
    assert _compare(engine, local) == []
    # The models' own text is not PostgreSQL's: without the server it would differ.
    with engine.connect() as connection:
        raw = catalog.diff(catalog.from_metadata(local), catalog.from_database(connection))
    assert any("Probe_amount_check" in str(d) for d in raw)


def test_a_check_dropped_added_or_changed_is_named(empty_database, engine_for) -> None:
    engine, local = engine_for(empty_database), _probe_metadata()
    local.create_all(engine)
    _drift(
        engine,
        'ALTER TABLE "Probe" DROP CONSTRAINT "Probe_amount_check"',
        'ALTER TABLE "Probe" DROP CONSTRAINT "Probe_status_check"',
        """ALTER TABLE "Probe" ADD CONSTRAINT "Probe_status_check" CHECK (status IN ('A'))""",
        'ALTER TABLE "Probe" ADD CONSTRAINT "Probe_email_check" CHECK (email <> \'\')',
    )
    assert sorted(_compare(engine, local)) == sorted(
        [
            'missing check constraint "Probe_amount_check" on "Probe": '
            "CHECK (amount >= 0::numeric)",
            'changed check constraint "Probe_status_check" on "Probe": '
            "CHECK (status = 'A'::text), "
            "expected CHECK (status = ANY (ARRAY['A'::text, 'B'::text]))",
            'extra check constraint "Probe_email_check" on "Probe": CHECK (email <> \'\'::text)',
        ]
    )


def test_index_expressions_and_generation_that_differ_are_named(empty_database, engine_for) -> None:
    engine, local = engine_for(empty_database), _probe_metadata()
    local.create_all(engine)
    _drift(
        engine,
        'DROP INDEX "Probe_live_idx"',
        'CREATE INDEX "Probe_live_idx" ON "Probe" (status) WHERE "deletedAt" IS NOT NULL',
        'DROP INDEX "Probe_email_lower_idx"',
        'CREATE INDEX "Probe_email_lower_idx" ON "Probe" (upper(email))',
        'DROP INDEX "Probe_amount_desc_idx"',
        'CREATE INDEX "Probe_amount_desc_idx" ON "Probe" (amount DESC)',
        'ALTER TABLE "Probe" DROP COLUMN "doubled"',
        'ALTER TABLE "Probe" ADD COLUMN "doubled" numeric(12,2) '
        "GENERATED ALWAYS AS (amount * 3) STORED",
        'ALTER TABLE "Probe" ALTER COLUMN "sequence" SET GENERATED BY DEFAULT',
    )
    assert sorted(_compare(engine, local)) == sorted(
        [
            'changed column "Probe"."doubled": generated \'(amount * 3::numeric)\', '
            "expected '(amount * 2::numeric)'",
            "changed column \"Probe\".\"sequence\": identity 'by default', expected 'always'",
            'changed index "Probe_amount_desc_idx" on "Probe": keys [\'amount DESC\'], '
            "expected ['amount DESC NULLS LAST']",
            'changed index "Probe_live_idx" on "Probe": predicate '
            "'\"deletedAt\" IS NOT NULL', expected '\"deletedAt\" IS NULL'",
            'changed unique index "Probe_email_lower_idx" on "Probe": keys [\'(upper(email))\'],'
            " expected ['(lower(email))']",
            'changed unique index "Probe_email_lower_idx" on "Probe": unique False, expected True',
        ]
    )


def test_an_old_snapshot_implies_no_check_no_identity_plain_btree(
    head_database, engine_for
) -> None:
    """adopt compares with snapshots that predate these aspects; drift still shows."""
    engine = engine_for(head_database)
    _drift(engine, *DRIFTS["CHECK added"][0], *DRIFTS["index made DESC"][0])
    _drift(engine, *DRIFTS["identity column added"][0])
    with engine.connect() as connection:
        found = [
            str(d)
            for d in catalog.diff(catalog.for_revision("0005"), catalog.from_database(connection))
        ]
    assert any('extra check constraint "Transaction_fee_check"' in line for line in found)
    assert any("'deletedAt DESC'" in line for line in found)
    assert any('extra column "Country"."sequence"' in line for line in found)


# -- Alembic's comparison adds nothing ---------------------------------------------------


def _alembic_subjects(diffs: list) -> set[str]:
    """The object each of compare_metadata's operations is about, as our lines quote it.

    The indexes of a table Alembic adds or removes whole are that table's drift.
    """
    whole = {
        item[1].name for item in diffs if not isinstance(item, list) and item[0].endswith("_table")
    }
    subjects: set[str] = set()
    for item in diffs:
        if isinstance(item, list):  # modify_* of one column, grouped
            for _op, _schema, table, column, *_rest in item:
                subjects.add(f'"{table}"."{column}"')
            continue
        op, *args = item
        if op in ("add_table", "remove_table", "add_table_comment", "remove_table_comment"):
            subjects.add(f'table "{args[0].name}"')
        elif op in ("add_column", "remove_column"):
            subjects.add(f'"{args[1]}"."{args[2].name}"')
        elif args[0].table.name in whole:
            subjects.add(f'table "{args[0].table.name}"')
        else:  # indexes, unique constraints, foreign keys: named objects
            subjects.add(f'"{args[0].name}"')
    return subjects


def test_alembic_compare_metadata_finds_nothing_verify_misses(head_database, engine_for) -> None:
    engine = engine_for(head_database)
    _drift(
        engine,
        'DROP INDEX "UserProfile_tenantId_status_idx"',
        'CREATE INDEX "Wallet_extra_idx" ON "Wallet" ("createdAt")',
        'ALTER TABLE "Wallet" ADD COLUMN "nickname" text',
        'ALTER TABLE "Country" ALTER COLUMN "region" SET NOT NULL',
        'ALTER TABLE "Transaction" ALTER COLUMN "fee" SET DEFAULT 1',
        'ALTER TABLE "Transaction" ALTER COLUMN "remark" TYPE varchar(200)',
        """COMMENT ON TABLE "Wallet" IS 'wallets'""",
        'COMMENT ON COLUMN "Country"."countryName" IS NULL',
        'ALTER TABLE "Country" ADD CONSTRAINT "Country_countryName_key" UNIQUE ("countryName")',
        'ALTER TABLE "KYCDocument" DROP CONSTRAINT "KYCDocument_kycId_fkey"',
        'DROP TABLE "HealthCheckMetric"',
        *DRIFTS["index made DESC"][0],
        *DRIFTS["index method changed"][0],
        # what compare_metadata does not see
        f"DROP INDEX {_INDEX}",
        f'CREATE INDEX {_INDEX} ON "UserProfile" ("tenantId", status, "createdAt") '
        'WHERE "deletedAt" IS NULL',
        'ALTER TABLE "Transaction" ADD CONSTRAINT "Transaction_fee_check" CHECK (fee >= 0)',
    )
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "compare_server_default": True,
                "include_name": lambda name, type_, _parents: (
                    type_ != "table" or name in metadata.tables
                ),
            },
        )
        operations = compare_metadata(context, metadata)
        alembic_subjects = _alembic_subjects(operations)
        ours = [str(d) for d in drift.check(connection, check_grants=False)]
    assert len(alembic_subjects) >= 10  # each drift above but the last two
    for subject in alembic_subjects:
        assert any(subject in line for line in ours), (subject, ours)
    unseen = [s for s in alembic_subjects if _INDEX in s or "Transaction_fee_check" in s]
    assert unseen == []
    assert any(_INDEX in line and "predicate" in line for line in ours)
    assert any("Transaction_fee_check" in line for line in ours)


def test_deploy_fails_on_a_drift_only_the_full_gate_sees(pg_server, head_database, engine_for):
    _drift(
        engine_for(head_database),
        'GRANT UPDATE ON "AuditLog" TO gx_app',
        *DRIFTS["partial predicate on an index of the same name"][0],
    )
    ran = gxschema(
        "deploy",
        "--env",
        "testnet",
        "--no-backup-first",
        env=clean_env(**pg_server.env(head_database)),
    )
    assert ran.code == 1, ran.output
    assert 'extra privileges of "gx_app" on "AuditLog": UPDATE' in ran.stdout
    assert DRIFTS["partial predicate on an index of the same name"][1] in ran.stdout
    assert "differs from the models in 2 place(s)" in ran.stderr


def test_canonicalising_inside_a_transaction_and_with_a_column_gone(
    empty_database, engine_for
) -> None:
    engine, local = engine_for(empty_database), _probe_metadata()
    local.create_all(engine)
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))  # a transaction is open: it uses a savepoint
        expected = catalog.canonicalise(connection, local, catalog.from_metadata(local))
        assert connection.in_transaction()
        assert catalog.diff(expected, catalog.from_database(connection)) == []
    # The server cannot build an index on a column the live table lacks: the model's
    # text stays, and the comparison names the column and the index, not an error.
    _drift(engine, 'ALTER TABLE "Probe" DROP COLUMN "deletedAt"')
    assert _compare(engine, local) == [
        'missing column "Probe"."deletedAt"',
        'missing index "Probe_live_idx" on "Probe" (status)',
    ]


@pytest.fixture
def login_without_temp(pg_server, head_database):
    """A LOGIN member of gx_readonly on `head_database`, where PUBLIC has no TEMP right."""
    name, password = f"gx_verifier_{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    with pg_server.admin() as admin:
        admin.execute(f"CREATE ROLE \"{name}\" LOGIN PASSWORD '{password}' IN ROLE gx_readonly")
        admin.execute(f'REVOKE TEMPORARY ON DATABASE "{head_database}" FROM PUBLIC')
    yield name, password
    with pg_server.admin() as admin:
        admin.execute(f'DROP ROLE IF EXISTS "{name}"')


def test_a_role_without_temp_gets_one_line_not_false_drift(
    pg_server, head_database, login_without_temp
) -> None:
    name, password = login_without_temp
    env = clean_env(**{**pg_server.env(head_database), "PGUSER": name, "PGPASSWORD": password})
    ran = gxschema("verify", env=env)
    assert ran.code == 2, ran.output
    assert ran.stdout == ""
    [line] = ran.stderr.strip().splitlines()
    assert "needs a temporary table" in line and "grant TEMPORARY" in line
    # Without the expressions to deparse (no grants, no RLS policies), it verifies.
    assert gxschema("verify", "--no-grants", env=env).code == 0
