"""`gxschema fake`: valid, consistent, reproducible data; refusals that write nothing.

Small runs (tens of users) against a real PostgreSQL: the database itself checks
every foreign key, unique index, enum and NOT NULL as the rows are copied in. Speed
and memory are measured by bench/fake.py, not here.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from itertools import islice

import pytest
from sqlalchemy import Engine, text

from gxschema.fake import FILLED_TABLES, FakeOptions, build_plan, fill, make_pools
from gxschema.fake.core import EPOCH, FAKE_NAMESPACE, IdMaker, TableSpec
from gxschema.models import metadata

from ..support.cli import clean_env, gxschema
from ..support.fake import apply_seeds, devnet_databases, table_hashes

ISSUE_TABLES = (
    # what the issue lists: users with KYC records and documents, trust scores, family
    # relationships, contacts, sessions, devices, push tokens, notifications; wallets and
    # transactions, beneficiaries; organisations, business accounts, signatories, rules,
    # approvals, votes; partners, apps, licenses, credentials, webhooks; audit logs;
    # outbox commands and events; hoarding-tax snapshots; health metrics
    "UserProfile",
    "KYCVerification",
    "KYCDocument",
    "TrustScore",
    "FamilyRelationship",
    "Contact",
    "UserSession",
    "TrustedDevice",
    "PushToken",
    "Notification",
    "Wallet",
    "Transaction",
    "Beneficiary",
    "OrganizationProfile",
    "BusinessAccount",
    "BusinessSignatory",
    "SignatoryRule",
    "TransactionApproval",
    "ApprovalVote",
    "LicensedPartner",
    "Application",
    "License",
    "Credential",
    "WebhookEndpoint",
    "WebhookDelivery",
    "AuditLog",
    "OutboxCommand",
    "EventLog",
    "EventDLQ",
    "HoardingTaxSnapshot",
    "HealthCheckMetric",
)


ODD_FEES = """SELECT count(*) FROM "Transaction" WHERE fee > 0 AND fee * 200 <> amount"""


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            table: connection.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one()
            for table in FILLED_TABLES
        }


@pytest.fixture
def devnet(pg_server, head_database, engine_for):
    """A database at head, seeded for devnet (with the demo rows): (env, engine)."""
    engine = engine_for(head_database)
    apply_seeds(engine, "devnet")
    return clean_env(**pg_server.env(head_database)), engine


# -- without a database -----------------------------------------------------------------


def test_ids_are_uuid5_of_table_and_index() -> None:
    namespace = uuid.uuid5(FAKE_NAMESPACE, "seed/1")
    ids = IdMaker(namespace, "Wallet")
    assert ids.of(42) == str(uuid.uuid5(namespace, "Wallet/42"))
    assert ids(3, 1) == str(uuid.uuid5(namespace, "Wallet/3/1"))


@pytest.fixture(scope="module")
def pools():
    return make_pools(1)


def test_every_spec_writes_every_column_of_its_table(pools) -> None:
    """No column is left to a server default (CURRENT_TIMESTAMP would break reproducibility)."""
    specs = build_plan(FakeOptions(users=10), pools)
    assert [spec.table for spec in specs] == list(FILLED_TABLES)
    for spec in specs:
        assert sorted(spec.columns) == sorted(metadata.tables[spec.table].columns.keys()), (
            spec.table
        )


def test_tables_come_after_the_tables_they_refer_to() -> None:
    done = {"Country"}
    for table in FILLED_TABLES:
        for key in metadata.tables[table].foreign_keys:
            assert key.column.table.name in done | {table}, f"{table} -> {key.column.table.name}"
        done.add(table)


@pytest.mark.parametrize(
    ("users", "per_user", "tenants"), [(1, 0, 1), (7, 1, 3), (3, 2, 3), (40, 3, 2)]
)
def test_generators_make_exactly_the_rows_they_announce(pools, users, per_user, tenants) -> None:
    options = FakeOptions(users=users, transactions_per_user=per_user, tenants=tenants)
    for spec in build_plan(options, pools):
        assert sum(1 for _ in spec.rows()) == spec.count, spec.table


def test_unique_keys_never_repeat(pools) -> None:
    """Every unique index's values are distinct (NULLs apart), here for 3,000 users."""
    options = FakeOptions(users=3000, transactions_per_user=4, tenants=3)
    for spec in build_plan(options, pools):
        table = metadata.tables[spec.table]
        position = {column: index for index, column in enumerate(spec.columns)}
        keys = [[column.name for column in table.primary_key.columns]]
        keys += [
            [column.name for column in index.columns] for index in table.indexes if index.unique
        ]
        seen: list[set[tuple[object, ...]]] = [set() for _ in keys]
        for row in spec.rows():
            for columns, values in zip(keys, seen, strict=True):
                value = tuple(row[position[column]] for column in columns)
                if None in value:
                    continue
                assert value not in values, f"{spec.table} {columns} repeats {value}"
                values.add(value)


def test_timestamps_lie_before_the_epoch(pools) -> None:
    specs = {spec.table: spec for spec in build_plan(FakeOptions(users=300), pools)}
    for table in ("Transaction", "UserProfile", "AuditLog", "OutboxCommand", "Notification"):
        spec = specs[table]
        column = spec.columns.index("timestamp" if "timestamp" in spec.columns else "createdAt")
        assert all(datetime.fromisoformat(row[column]) < EPOCH for row in spec.rows()), table


# -- against PostgreSQL ---------------------------------------------------------------------


@pytest.mark.slow
def test_fake_fills_every_domain_consistently_and_verify_still_passes(devnet) -> None:
    env, engine = devnet
    before = _counts(engine)
    with engine.connect() as connection:
        odd_fees_before = connection.execute(text(ODD_FEES)).scalar_one()
    ran = gxschema(
        "--json",
        "fake",
        "--users",
        "50",
        "--transactions-per-user",
        "5",
        "--tenants",
        "2",
        env=env,
    )
    assert ran.code == 0, ran.output
    report = json.loads(ran.stdout)
    assert report["replaced"] == {}  # the devnet demo rows were not in the way
    written = {item["table"]: item["rows"] for item in report["tables"]}
    after = _counts(engine)
    assert {table: after[table] - before[table] for table in FILLED_TABLES} == written
    assert report["total_rows"] == sum(written.values())
    assert all(after[table] > 0 for table in ISSUE_TABLES), after
    assert written["Transaction"] == (50 + 1) * 5  # 50 users and one organisation's wallet
    assert gxschema("verify", env=env).code == 0

    with engine.connect() as connection:
        scalar = lambda sql: connection.execute(text(sql)).scalar_one()  # noqa: E731
        statuses = set(
            connection.execute(text('SELECT DISTINCT status FROM "OutboxCommand"')).scalars()
        )
        assert statuses == {"PENDING", "LOCKED", "SUBMITTED", "COMMITTED", "FAILED"}
        kinds = set(connection.execute(text('SELECT DISTINCT type FROM "Transaction"')).scalars())
        assert {"MINT", "SENT", "RECEIVED"} <= kinds
        # counterparties of transfers are wallets of the same tenant
        assert (
            scalar(
                """SELECT count(*) FROM "Transaction" t WHERE t.type IN ('SENT', 'RECEIVED')
               AND NOT EXISTS (SELECT 1 FROM "Wallet" w WHERE w."primaryAccountId" = t.counterparty
                               AND w."tenantId" = t."tenantId")"""
            )
            == 0
        )
        # a wallet's cached balance is the sum of its history, never negative
        assert (
            scalar(
                """SELECT count(*) FROM "Wallet" w JOIN (
                 SELECT "walletId", sum(CASE WHEN type = 'SENT' THEN -(amount + fee)
                                             WHEN type IN ('TAX', 'LOAN_REPAYMENT') THEN -amount
                                             ELSE amount END) AS total
                 FROM "Transaction" GROUP BY 1) s USING ("walletId")
               WHERE w."cachedBalance" <> s.total OR w."cachedBalance" < 0"""
            )
            == 0
        )
        # fees use the 9 decimals: exactly 0.5% of the amount (the demo rows round theirs)
        assert scalar(ODD_FEES) == odd_fees_before
        # both tenants got users, wallets and transactions
        assert scalar('SELECT count(DISTINCT "tenantId") FROM "Transaction"') >= 2
        # history spreads over months
        assert scalar(
            """SELECT max(timestamp) - min(timestamp) > interval '90 days' FROM "Transaction" """
        )


@pytest.mark.slow
def test_same_seed_same_data_different_seed_different_data(
    pg_server, head_template, engine_for
) -> None:
    with devnet_databases(pg_server, head_template, engine_for, 3) as engines:
        reports = [
            fill(engine, FakeOptions(users=30, transactions_per_user=3, tenants=2, seed=seed))
            for engine, seed in zip(engines, (7, 7, 8), strict=True)
        ]
        first, again, other = (table_hashes(engine) for engine in engines)
        assert first == again
        assert reports[0].total_rows == reports[1].total_rows
        different = [table for table in FILLED_TABLES if first[table] != other[table]]
        assert {"UserProfile", "Wallet", "Transaction", "AuditLog"} <= set(different)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("seeded_env", "marker", "refused"),
    [
        ("mainnet", None, True),  # seeded for mainnet, no environment recorded
        ("devnet", "mainnet", True),  # the recorded environment wins
        ("mainnet", "testnet", False),  # ... both ways: a testnet seeded like mainnet
    ],
)
def test_mainnet_is_refused_even_with_force(
    pg_server, head_database, engine_for, seeded_env, marker, refused
) -> None:
    engine = engine_for(head_database)
    apply_seeds(engine, seeded_env)
    if marker:
        with engine.begin() as connection:
            connection.execute(
                text(
                    """INSERT INTO "SystemConfig" ("configKey", "configValue", "valueType",
                       "updatedAt") VALUES ('environment', to_jsonb(CAST(:value AS text)),
                       'string', now())"""
                ),
                {"value": marker},
            )
    before = table_hashes(engine)
    # --allow-testnet opens a recorded testnet (tests/cli/test_environment.py: not without it)
    # and never mainnet
    ran = gxschema(
        "fake",
        "--users",
        "10",
        "--force",
        "--allow-testnet",
        env=clean_env(**pg_server.env(head_database)),
    )
    if refused:
        assert ran.code == 2, ran.output
        assert "mainnet" in ran.stderr and "Nothing was written" in ran.stderr
        assert "Traceback" not in ran.output
        assert table_hashes(engine) == before
    else:
        assert ran.code == 0, ran.output


@pytest.mark.slow
def test_existing_rows_are_refused_then_replaced_with_force(devnet) -> None:
    env, engine = devnet
    first = gxschema(
        "fake", "--users", "20", "--transactions-per-user", "2", "--indexes", "keep", env=env
    )
    assert first.code == 0, first.output
    before = table_hashes(engine)
    again = gxschema("fake", "--users", "20", "--transactions-per-user", "2", env=env)
    assert again.code == 2
    assert "--force" in again.stderr and "Nothing was written" in again.stderr
    assert "Traceback" not in again.output
    assert table_hashes(engine) == before

    forced = gxschema(
        "--json",
        "fake",
        "--users",
        "12",
        "--transactions-per-user",
        "3",
        "--seed",
        "5",
        "--force",
        "--no-analyze",
        "--indexes",
        "rebuild",
        env=env,
    )
    assert forced.code == 0, forced.output
    report = json.loads(forced.stdout)
    assert report["replaced"]["UserProfile"] == 20 + 5  # the first run's and the demo's
    assert report["analyze_seconds"] is None
    counts = _counts(engine)
    assert counts == {item["table"]: item["rows"] for item in report["tables"]}
    assert counts["UserProfile"] == 12


def _failing(spec: TableSpec, after: int) -> TableSpec:
    def rows() -> Iterator[tuple[object, ...]]:
        yield from islice(spec.rows(), after)
        raise RuntimeError("the generator broke")

    return TableSpec(spec.table, spec.columns, spec.count, rows)


@pytest.mark.slow
def test_a_failed_run_leaves_the_database_as_it_was(devnet, pools) -> None:
    env, engine = devnet
    before = table_hashes(engine)
    options = FakeOptions(users=40, transactions_per_user=3)
    specs = build_plan(options, pools)
    broken = FILLED_TABLES.index("Transaction")
    specs[broken] = _failing(specs[broken], 50)
    with pytest.raises(RuntimeError, match="generator broke"):
        fill(engine, options, specs=specs, rebuild_indexes=True)
    assert table_hashes(engine) == before
    # the indexes and keys dropped for the load are back, as they were
    assert gxschema("verify", env=env).code == 0


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--users", "0"), "--users must be between"),
        (("--users", "3", "--tenants", "5"), "cannot exceed --users"),
        (("--users", "3", "--batch", "0"), "--batch must be between"),
    ],
)
def test_bad_options_exit_2_before_connecting(args, message) -> None:
    ran = gxschema("fake", *args, env=clean_env(PGHOST="127.0.0.1", PGPORT="1"))
    assert ran.code == 2
    assert message in ran.stderr and "Traceback" not in ran.output


def test_millisecond_timestamps_convert_exactly() -> None:
    import random

    from gxschema.fake.core import at, stamp

    unix = datetime(1970, 1, 1, tzinfo=UTC)
    moments = random.Random(7).sample(range(10**12, 4 * 10**12), 20_000)
    assert all(at(moment) == unix + timedelta(milliseconds=moment) for moment in moments)
    assert all(
        datetime.fromisoformat(stamp(moment)) == unix + timedelta(milliseconds=moment)
        for moment in [*moments, 0, 86_399_999, 1_767_225_600_000]
    )
    assert stamp(1_767_225_599_999) == "2025-12-31 23:59:59.999+00"
