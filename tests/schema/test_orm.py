"""The models behave as the spec says when used through the ORM, table by table.

Every expectation (columns, defaults, unique indexes, foreign keys and their actions,
enum labels) is read from tests/fixtures/schema.json, never from the models; the
cases are parametrized over `metadata.sorted_tables`, so a new model is covered as
soon as it exists (and `test_every_spec_table_is_mapped` fails until the spec and
the models agree). Rows are built generically by tests/support/rows.py.

The whole module shares one database, copied from the session's head template;
every row it creates is new (fresh parents, unique values), so cases do not see
each other's rows.
"""

from __future__ import annotations

import asyncio
import re
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, create_engine, inspect, select, text
from sqlalchemy.exc import DataError, IntegrityError, InvalidRequestError, StatementError
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import DetachedInstanceError

from gxschema.db import (
    RAISE_ON_LAZY_LOAD,
    async_session_factory,
    create_async_engine,
    session_factory,
)
from gxschema.models import (
    Application,
    BusinessAccount,
    BusinessSignatory,
    Credential,
    License,
    LicensedPartner,
    PartnerGrant,
    TransactionApproval,
    TrustScore,
    UserProfile,
    Wallet,
    WebhookEndpoint,
    metadata,
)
from gxschema.settings import DatabaseSettings

from ..support import rows
from ..support.rows import NOW, NUMERIC, TABLES, Rows, utcnow

MODEL_TABLES = [table.name for table in metadata.sorted_tables]
TOLERANCE = timedelta(milliseconds=1)  # timestamp(3) rounds to the millisecond


def _spec(table: str) -> dict[str, Any]:
    empty = {
        "columns": [],
        "primary_key": {"columns": []},
        "unique_indexes": [],
        "foreign_keys": [],
    }
    return TABLES.get(table, empty)


UPDATED_AT_TABLES = [
    t for t in MODEL_TABLES if any(c.get("app_default") == "updatedAt" for c in _spec(t)["columns"])
]

# Model bugs this module finds, as expected failures until fixed (strict: a fix makes the
# case pass, and the marker must then go). The jsonb None-as-'null' bug it found is fixed.
KNOWN_BUGS: dict[str, str] = {}


def _column_case(table: str, column: str) -> Any:
    case = f"{table}.{column}"
    marks = [pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[case])] if case in KNOWN_BUGS else []
    return pytest.param(table, column, id=case, marks=marks)


NULLABLE_CASES = [
    _column_case(t, c["name"])
    for t in MODEL_TABLES
    for c in _spec(t)["columns"]
    if c["nullable"] and c["default"] is None
]
NOT_NULL_CASES = [
    # Left out: primary-key columns (the ORM refuses a NULL identity before any SQL) and
    # columns with a server or app default (on INSERT the ORM omits a None there, so that
    # the default applies).
    _column_case(t, c["name"])
    for t in MODEL_TABLES
    for c in _spec(t)["columns"]
    if not c["nullable"]
    and c["default"] is None
    and not c.get("app_default")
    and c["name"] not in _spec(t)["primary_key"]["columns"]
]
ENUM_CASES = [
    pytest.param(t, c, id=f"{t}.{c['name']}")
    for t in MODEL_TABLES
    for c in _spec(t)["columns"]
    if c["type"].startswith('"')
]
UNIQUE_CASES = [
    pytest.param(t, index, id=index["name"])
    for t in MODEL_TABLES
    for index in _spec(t)["unique_indexes"]
]
FK_CASES = [
    pytest.param(t, fk, id=fk["name"]) for t in MODEL_TABLES for fk in _spec(t)["foreign_keys"]
]


@pytest.fixture(scope="module")
def engine(pg_server: Any, head_template: str) -> Iterator[Engine]:
    """One database at head for the whole module (a copy of the session's template)."""
    name = pg_server.create_database(template=head_template)
    engine = create_engine(pg_server.url(name))
    try:
        yield engine
    finally:
        engine.dispose()
        pg_server.drop_database(name)


# -- helpers -----------------------------------------------------------------------------


def _q(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _literal(label: str) -> str:
    return "'" + label.replace("'", "''") + "'"


def _where(columns: list[str], prefix: str = "k") -> str:
    return " AND ".join(f"{_q(c)} = :{prefix}{i}" for i, c in enumerate(columns))


def _params(values: list[Any], prefix: str = "k") -> dict[str, Any]:
    return {f"{prefix}{i}": value for i, value in enumerate(values)}


def _select(conn: Connection, table: str, key: dict[str, Any], columns: list[str]) -> Any:
    """The row of `table` whose columns equal `key`, raw SQL (what the database holds)."""
    sql = f"SELECT {', '.join(_q(c) for c in columns)} FROM {_q(table)} WHERE {_where(list(key))}"
    return conn.execute(text(sql), _params(list(key.values()))).one_or_none()


def _db_now(engine: Engine) -> datetime:
    with engine.connect() as conn:
        return conn.execute(text("SELECT clock_timestamp()")).scalar_one()


@dataclass
class Stored:
    """A committed row: how to find it, what was assigned, and the keys of its parents."""

    table: str
    identity: tuple[Any, ...]
    pk: dict[str, Any]
    values: dict[str, Any]
    parent_keys: dict[str, dict[str, Any]]


def _store(engine: Engine, table: str, **kwargs: Any) -> Stored:
    with Session(engine) as session:
        built = Rows(session).make(table, **kwargs)
        session.commit()
        spec = TABLES[table]
        return Stored(
            table,
            rows.identity(built.obj),
            {c: rows.get(built.obj, c) for c in spec["primary_key"]["columns"]},
            built.values,
            {
                fk["name"]: {c: rows.get(built.parents[fk["name"]], c) for c in fk["ref_columns"]}
                for fk in spec["foreign_keys"]
                if fk["name"] in built.parents
            },
        )


def _assert_value(where: str, column: dict[str, Any], value: Any, expected: Any) -> None:
    """`value` (read back through the ORM) is `expected`, with the Python type of the spec type."""
    type_ = column["type"]
    numeric = NUMERIC.match(type_)
    if numeric:
        assert isinstance(value, Decimal), f"{where}: {value!r} is not a Decimal"
        assert value == Decimal(expected), f"{where}: {value!r} != {expected!r}"
        assert value.as_tuple().exponent == -int(numeric.group(2)), f"{where}: scale of {value!r}"
    elif type_.startswith("timestamp"):
        assert isinstance(value, datetime), f"{where}: {value!r}"
        assert value.tzinfo is not None, f"{where}: {value!r} is naive"
        assert value == expected, f"{where}: {value!r} != {expected!r}"
    elif type_ == "date":
        assert type(value) is date and value == expected, f"{where}: {value!r} != {expected!r}"
    elif type_ in ("integer", "bigint"):
        assert type(value) is int and value == expected, f"{where}: {value!r} != {expected!r}"
    elif type_ == "boolean":
        assert value is expected, f"{where}: {value!r} is not {expected!r}"
    elif type_.startswith('"'):
        assert isinstance(value, Enum), f"{where}: {value!r} is not an enum member"
        assert value == expected, f"{where}: {value!r} != {expected!r}"
        assert value.value in rows.ENUMS[type_.strip('"')], f"{where}: {value!r}"
    else:
        assert value == expected, f"{where}: {value!r} != {expected!r}"
        if type_ in ("text", "character(2)"):
            assert isinstance(value, str), f"{where}: {value!r}"


# -- every table ---------------------------------------------------------------------------


def test_every_spec_table_is_mapped() -> None:
    assert sorted(MODEL_TABLES) == sorted(TABLES)
    assert len(MODEL_TABLES) == 46
    # The parametrized cases below cover the whole spec.
    assert len(ENUM_CASES) == sum(
        c["type"].startswith('"') for t in TABLES.values() for c in t["columns"]
    )
    assert len(UNIQUE_CASES) == sum(len(t["unique_indexes"]) for t in TABLES.values())
    assert len(FK_CASES) == sum(len(t["foreign_keys"]) for t in TABLES.values())
    # Every known-bug marker names a real case (no stale marker).
    cases = {p.id for p in NULLABLE_CASES + NOT_NULL_CASES}
    assert set(KNOWN_BUGS) <= cases, set(KNOWN_BUGS) - cases


@pytest.mark.parametrize("table", MODEL_TABLES)
def test_row_round_trips_with_defaults(engine: Engine, table: str) -> None:
    """A valid row inserted through the ORM reads back as written, defaults as in the spec."""
    spec = TABLES[table]
    db_before, py_before = _db_now(engine), utcnow()
    stored = _store(engine, table)
    db_after, py_after = _db_now(engine), utcnow()
    fk_of = {c: fk for fk in spec["foreign_keys"] for c in fk["columns"]}

    with Session(engine) as session:
        obj = session.get(rows.model(table), stored.identity)
        assert obj is not None, f"{table} {stored.pk} was not stored"
        checked = []
        for column in spec["columns"]:
            name = column["name"]
            where = f"{table}.{name}"
            value = rows.get(obj, name)
            if name in stored.values:
                _assert_value(where, column, value, stored.values[name])
            elif name in fk_of:
                fk = fk_of[name]
                ref = fk["ref_columns"][fk["columns"].index(name)]
                expected = stored.parent_keys[fk["name"]][ref]
                assert value == expected, f"{where}: {value!r} is not the parent's {expected!r}"
            elif column.get("app_default") == "uuid()":
                assert isinstance(value, str), f"{where}: {value!r}"
                assert str(uuid.UUID(value)) == value, f"{where}: {value!r} is not a UUID string"
            elif column.get("app_default") == "cuid()":
                assert isinstance(value, str), f"{where}: {value!r}"
                assert re.fullmatch(r"c[0-9a-z]{24}", value), f"{where}: {value!r} is not a cuid"
            elif column.get("app_default") == "updatedAt":
                assert isinstance(value, datetime) and value.tzinfo is not None, where
                assert py_before - TOLERANCE <= value <= py_after + TOLERANCE, f"{where}: {value}"
            elif column["default"] is not None:
                expected = rows.expected_default(column)
                if expected is NOW:
                    assert isinstance(value, datetime) and value.tzinfo is not None, where
                    assert db_before - TOLERANCE <= value <= db_after + TOLERANCE, (
                        f"{where}: {value} not between {db_before} and {db_after}"
                    )
                else:
                    _assert_value(where, column, value, expected)
            else:
                raise AssertionError(f"{where}: neither assigned nor defaulted")
            checked.append(name)
        assert checked == [c["name"] for c in spec["columns"]]


@pytest.mark.parametrize(("table", "column"), NULLABLE_CASES)
def test_none_in_a_nullable_column_is_stored_as_sql_null(
    engine: Engine, table: str, column: str
) -> None:
    """Assigning None to a nullable column stores SQL NULL (not, say, JSON 'null')."""
    stored = _store(engine, table, values={column: None})
    with engine.connect() as conn:
        sql = f"SELECT {_q(column)} IS NULL, {_q(column)}::text FROM {_q(table)} WHERE "
        sql += _where(list(stored.pk))
        is_null, held = conn.execute(text(sql), _params(list(stored.pk.values()))).one()
    assert is_null is True, f"{table}.{column}: None was stored as {held!r}, not NULL"


@pytest.mark.parametrize(("table", "column"), NOT_NULL_CASES)
def test_none_in_a_not_null_column_is_refused(engine: Engine, table: str, column: str) -> None:
    """Inserting None into a NOT NULL column fails with a not-null violation of that column.

    (Rather than, say, the ORM writing JSON 'null' in its place.)
    """
    with engine.connect() as conn:
        with Session(bind=conn, join_transaction_mode="create_savepoint") as session:
            Rows(session).make(table, values={column: None})
            with pytest.raises(IntegrityError) as excinfo:
                session.flush()
        conn.rollback()
    orig = excinfo.value.orig
    assert orig.sqlstate == "23502", str(orig)  # type: ignore[union-attr]
    assert orig.diag.column_name == column, str(orig)  # type: ignore[union-attr]


def _mutable_column(table: str) -> dict[str, Any]:
    """A column an update can change without touching keys, unique indexes or timestamps."""
    spec = TABLES[table]
    excluded = set(spec["primary_key"]["columns"]) | rows.foreign_key_columns(table)
    excluded |= {c for index in spec["unique_indexes"] for c in index["columns"]}
    for column in spec["columns"]:
        if column["name"] in excluded or column.get("app_default"):
            continue
        if column["default"] == "CURRENT_TIMESTAMP":
            continue
        return column
    raise AssertionError(f"{table} has no column to update")


@pytest.mark.parametrize("table", UPDATED_AT_TABLES)
def test_updated_at_moves_forward_on_update(engine: Engine, table: str) -> None:
    stored = _store(engine, table)
    column = _mutable_column(table)
    name, attr = column["name"], rows.attribute(table, column["name"])
    has_created_at = any(c["name"] == "createdAt" for c in TABLES[table]["columns"])
    with Session(engine) as session:
        obj = session.get(rows.model(table), stored.identity)
        inserted_at = rows.get(obj, "updatedAt")
        created_at = rows.get(obj, "createdAt") if has_created_at else None
        old = getattr(obj, attr)
        if column["type"] == "boolean":
            new: Any = not old
        elif column["type"].startswith('"'):
            labels = rows.ENUMS[column["type"].strip('"')]
            new = rows.enum_value(table, name, next(label for label in labels if label != old))
        else:
            new = Rows(session).value(table, name)
        time.sleep(0.005)
        before = utcnow()
        setattr(obj, attr, new)
        session.commit()
        after = utcnow()

    with Session(engine) as session:
        obj = session.get(rows.model(table), stored.identity)
        assert getattr(obj, attr) == new, f"{table}.{name} was not updated"
        updated_at = rows.get(obj, "updatedAt")
        assert updated_at > inserted_at, f"{table}.updatedAt stayed at {inserted_at}"
        assert before - TOLERANCE <= updated_at <= after + TOLERANCE, f"{updated_at}"
        if has_created_at:
            assert rows.get(obj, "createdAt") == created_at, f"{table}.createdAt changed"


# -- enums ---------------------------------------------------------------------------------


def _bogus(column: dict[str, Any]) -> str:
    return f"NOT_A_{column['type'].strip(chr(34))}_LABEL"


@pytest.mark.parametrize(("table", "column"), ENUM_CASES)
def test_enum_column_in_database_takes_exactly_the_spec_labels(
    engine: Engine, table: str, column: dict[str, Any]
) -> None:
    """Raw SQL: the column takes every label of its spec enum and rejects any other."""
    enum_name = column["type"].strip('"')
    stored = _store(engine, table)
    update = f"UPDATE {_q(table)} SET {_q(column['name'])} = {{}} WHERE {_where(list(stored.pk))}"
    key = _params(list(stored.pk.values()))
    with engine.connect() as conn:
        for label in rows.ENUMS[enum_name]:
            assert conn.execute(text(update.format(_literal(label))), key).rowcount == 1
        with pytest.raises(DataError) as excinfo:
            conn.execute(text(update.format(_literal(_bogus(column)))), key)
        conn.rollback()
    assert excinfo.value.orig.sqlstate == "22P02"  # type: ignore[union-attr]
    assert f"invalid input value for enum {_q(enum_name)}" in str(excinfo.value.orig)
    with engine.connect() as conn:
        held = _select(conn, table, stored.pk, [column["name"]])[0]
    assert held == rows.ENUMS[enum_name][0], f"{table}.{column['name']} holds {held!r}"


@pytest.mark.parametrize(("table", "column"), ENUM_CASES)
def test_enum_column_in_orm_takes_exactly_the_spec_labels(
    engine: Engine, table: str, column: dict[str, Any]
) -> None:
    """The ORM writes every spec label and refuses a string outside the enum, before SQL."""
    name, attr = column["name"], rows.attribute(table, column["name"])
    enum_name = column["type"].strip('"')
    stored = _store(engine, table)
    with Session(engine) as session:
        obj = session.get(rows.model(table), stored.identity)
        for label in rows.ENUMS[enum_name]:
            setattr(obj, attr, label)
            session.flush()
            session.expire(obj, [attr])
            assert getattr(obj, attr) == label
        session.rollback()

    with Session(engine) as session:
        obj = session.get(rows.model(table), stored.identity)
        setattr(obj, attr, _bogus(column))
        with pytest.raises(StatementError) as on_update:
            session.flush()
        session.rollback()
    assert isinstance(on_update.value.orig, LookupError), repr(on_update.value)
    assert _bogus(column) in str(on_update.value.orig)

    with Session(engine) as session:
        Rows(session).make(table, values={name: _bogus(column)})
        with pytest.raises(StatementError) as on_insert:
            session.flush()
        session.rollback()
    assert isinstance(on_insert.value.orig, LookupError), repr(on_insert.value)

    with engine.connect() as conn:
        held = _select(conn, table, stored.pk, [name])[0]
        count = conn.execute(
            text(f"SELECT count(*) FROM {_q(table)} WHERE {_q(name)}::text = :bogus"),
            {"bogus": _bogus(column)},
        ).scalar_one()
    assert held == rows.ENUMS[enum_name][0]
    assert count == 0


# -- unique indexes ------------------------------------------------------------------------


@pytest.mark.parametrize(("table", "index"), UNIQUE_CASES)
def test_unique_index_rejects_a_duplicate(
    engine: Engine, table: str, index: dict[str, Any]
) -> None:
    """A second row copying the index's columns is refused, naming the spec's index.

    When another unique index or the primary key covers a subset of the columns
    (e.g. `SystemConfig_pkey` inside `SystemConfig_tenantId_configKey_key`), that one
    fires first; it is dropped inside the test's transaction, which is rolled back.
    """
    spec = TABLES[table]
    stored = _store(engine, table)
    with Session(engine) as session:
        obj = session.get(rows.model(table), stored.identity)
        copied = {c: rows.get(obj, c) for c in index["columns"]}
    assert all(v is not None for v in copied.values()), f"{index['name']}: NULL in {copied}"

    columns = set(index["columns"])
    with engine.connect() as conn:
        if set(spec["primary_key"]["columns"]) <= columns:
            pkey = spec["primary_key"]["name"]
            conn.execute(text(f"ALTER TABLE {_q(table)} DROP CONSTRAINT {_q(pkey)} CASCADE"))
        for other in spec["unique_indexes"]:
            if other["name"] != index["name"] and set(other["columns"]) <= columns:
                conn.execute(text(f"DROP INDEX {_q(other['name'])}"))
        with Session(bind=conn, join_transaction_mode="create_savepoint") as session:
            Rows(session).make(table, values=copied)
            with pytest.raises(IntegrityError) as excinfo:
                session.flush()
        conn.rollback()
    orig = excinfo.value.orig
    assert orig.sqlstate == "23505", str(orig)  # type: ignore[union-attr]
    assert orig.diag.constraint_name == index["name"], str(orig)  # type: ignore[union-attr]
    assert index["name"] in str(excinfo.value)


# -- foreign keys --------------------------------------------------------------------------


def _fk_state(engine: Engine, table: str, stored: Stored, fk: dict[str, Any]) -> tuple[Any, Any]:
    """(the child's foreign-key values or None if gone, whether the parent still exists)."""
    with engine.connect() as conn:
        child = _select(conn, table, stored.pk, fk["columns"])
        parent = _select(conn, fk["ref_table"], stored.parent_keys[fk["name"]], fk["ref_columns"])
    return (tuple(child) if child is not None else None), parent is not None


def _assert_on_delete_outcome(
    engine: Engine, table: str, stored: Stored, fk: dict[str, Any], error: Any
) -> None:
    child, parent_exists = _fk_state(engine, table, stored, fk)
    action = fk["on_delete"]
    name = fk["name"]
    if action in ("RESTRICT", "NO ACTION"):
        assert error is not None, f"{name}: deleting the parent was not refused"
        orig = error.value.orig
        assert orig.sqlstate == "23503", str(orig)
        assert orig.diag.constraint_name == name, str(orig)
        assert parent_exists, f"{name}: the parent is gone"
        expected = tuple(stored.parent_keys[name][c] for c in fk["ref_columns"])
        assert child == expected, f"{name}: the child holds {child}"
        return
    assert error is None, f"{name}: deleting the parent failed: {error}"
    assert not parent_exists, f"{name}: the parent is still there"
    if action == "CASCADE":
        assert child is None, f"{name}: the child survived its parent"
    elif action == "SET NULL":
        assert child == (None,) * len(fk["columns"]), f"{name}: the child holds {child}"
    else:
        raise AssertionError(f"{name}: no expectation for ON DELETE {action}")


@pytest.mark.parametrize(("table", "fk"), FK_CASES)
def test_foreign_key_on_delete_in_database(engine: Engine, table: str, fk: dict[str, Any]) -> None:
    """Raw DELETE of the parent: CASCADE deletes, SET NULL nulls, RESTRICT refuses."""
    stored = _store(engine, table)
    parent_key = stored.parent_keys[fk["name"]]
    delete = text(f"DELETE FROM {_q(fk['ref_table'])} WHERE {_where(list(parent_key))}")
    params = _params(list(parent_key.values()))
    error = None
    with engine.connect() as conn:
        if fk["on_delete"] in ("RESTRICT", "NO ACTION"):
            with pytest.raises(IntegrityError) as error:
                conn.execute(delete, params)
            conn.rollback()
        else:
            assert conn.execute(delete, params).rowcount == 1
            conn.commit()
    _assert_on_delete_outcome(engine, table, stored, fk, error)


@pytest.mark.parametrize(("table", "fk"), FK_CASES)
def test_orm_delete_of_parent_agrees_with_on_delete(
    engine: Engine, table: str, fk: dict[str, Any]
) -> None:
    """`session.delete(parent)` with the child loaded ends as the database's action does."""
    stored = _store(engine, table)
    rel = rows.relationship_for(table, fk)
    assert rel is not None and rel.back_populates, f"{fk['name']}: no two-way relationship"
    parent_model = rows.model(fk["ref_table"])
    error = None
    with Session(engine) as session:
        child = session.get(rows.model(table), stored.identity)
        parent = getattr(child, rel.key)
        getattr(parent, rel.back_populates)  # loaded: the ORM must decide about the child
        assert isinstance(parent, parent_model)
        session.delete(parent)
        if fk["on_delete"] in ("RESTRICT", "NO ACTION"):
            with pytest.raises(IntegrityError) as error:
                session.commit()
        else:
            session.commit()
    _assert_on_delete_outcome(engine, table, stored, fk, error)


@pytest.mark.parametrize(("table", "fk"), FK_CASES)
def test_foreign_key_on_update_in_database(engine: Engine, table: str, fk: dict[str, Any]) -> None:
    """Raw UPDATE of the parent's key: ON UPDATE CASCADE carries the child along."""
    stored = _store(engine, table)
    parent_key = stored.parent_keys[fk["name"]]
    with Session(engine) as session:
        new_key = {c: Rows(session).value(fk["ref_table"], c) for c in fk["ref_columns"]}
    sets = ", ".join(f"{_q(c)} = :n{i}" for i, c in enumerate(new_key))
    update = text(f"UPDATE {_q(fk['ref_table'])} SET {sets} WHERE {_where(list(parent_key))}")
    params = _params(list(parent_key.values())) | _params(list(new_key.values()), "n")
    assert fk["on_update"] == "CASCADE", f"{fk['name']}: no expectation for {fk['on_update']}"
    with engine.begin() as conn:
        assert conn.execute(update, params).rowcount == 1
    # The child's own key moves too when it includes the foreign key (TrustScore.profileId).
    key = {c: new_key.get(_ref(fk, c), v) for c, v in stored.pk.items()}
    with engine.connect() as conn:
        child = _select(conn, table, key, fk["columns"])
    assert child is not None, f"{fk['name']}: the child is gone"
    assert tuple(child) == tuple(new_key[c] for c in fk["ref_columns"]), f"{tuple(child)}"


def _ref(fk: dict[str, Any], column: str) -> str:
    """The parent column a child column of `fk` references ('' if it is not in `fk`)."""
    return dict(zip(fk["columns"], fk["ref_columns"], strict=True)).get(column, "")


# -- relationships -------------------------------------------------------------------------


@pytest.mark.parametrize(("table", "fk"), FK_CASES)
def test_relationship_navigates_both_ways(engine: Engine, table: str, fk: dict[str, Any]) -> None:
    """Each spec foreign key has a many-to-one relationship and its reverse, over its columns."""
    rel = rows.relationship_for(table, fk)
    assert rel is not None, f"{fk['name']}: no many-to-one relationship over {fk['columns']}"
    assert rel.back_populates, f"{fk['name']}: {rel} has no reverse"
    stored = _store(engine, table)
    with Session(engine) as session:
        child = session.get(rows.model(table), stored.identity)
        parent = getattr(child, rel.key)
        assert parent is not None
        assert {c: rows.get(parent, c) for c in fk["ref_columns"]} == stored.parent_keys[fk["name"]]
        reverse = getattr(parent, rel.back_populates)
        reverse_prop = inspect(type(parent)).relationships[rel.back_populates]
        assert reverse_prop.mapper.local_table.name == table
        if reverse_prop.uselist:
            assert list(reverse) == [child], f"{fk['name']}: {reverse!r}"
        else:
            assert reverse is child, f"{fk['name']}: {reverse!r}"


def test_profile_wallets_and_wallet_profile(engine: Engine) -> None:
    with Session(engine) as session:
        r = Rows(session)
        user = r.make("UserProfile").obj
        first = r.make("Wallet", parents={"profile": user}).obj
        second = Wallet(
            tenant_id=user.tenant_id, primary_account_id=f"acct-{uuid.uuid4()}", wallet_name="two"
        )
        user.wallets.append(second)  # through the collection side
        session.commit()
        profile_id, wallet_ids = user.profile_id, {first.wallet_id, second.wallet_id}

    with Session(engine) as session:
        user = session.get(UserProfile, profile_id)
        assert {w.wallet_id for w in user.wallets} == wallet_ids
        assert all(w.profile is user for w in user.wallets)
        wallet = session.get(Wallet, min(wallet_ids))
        assert wallet.profile.profile_id == profile_id


def test_wallet_transactions(engine: Engine) -> None:
    with Session(engine) as session:
        r = Rows(session)
        wallet = r.make("Wallet").obj
        txs = [r.make("Transaction", parents={"wallet": wallet}).obj for _ in range(3)]
        other = r.make("Transaction").obj  # another wallet's
        session.commit()
        wallet_id, tx_ids, other_id = wallet.wallet_id, {t.off_tx_id for t in txs}, other.off_tx_id

    with Session(engine) as session:
        wallet = session.get(Wallet, wallet_id)
        assert {t.off_tx_id for t in wallet.transactions} == tx_ids
        assert other_id not in tx_ids
        assert all(t.wallet is wallet for t in wallet.transactions)


def test_business_account_signatories_and_approvals(engine: Engine) -> None:
    with Session(engine) as session:
        r = Rows(session)
        account = r.make("BusinessAccount").obj
        signatories = [
            r.make("BusinessSignatory", parents={"business_account": account}).obj for _ in range(2)
        ]
        approval = r.make("TransactionApproval", parents={"business_account": account}).obj
        vote = r.make(
            "ApprovalVote", parents={"approval": approval, "signatory": signatories[0]}
        ).obj
        session.commit()
        account_id = account.business_account_id
        signatory_ids = {s.signatory_id for s in signatories}
        approval_id, vote_id, wallet_id = approval.approval_id, vote.vote_id, account.wallet_id

    with Session(engine) as session:
        account = session.get(BusinessAccount, account_id)
        assert {s.signatory_id for s in account.signatories} == signatory_ids
        assert [a.approval_id for a in account.approvals] == [approval_id]
        assert all(s.business_account is account for s in account.signatories)
        approval = session.get(TransactionApproval, approval_id)
        assert approval.business_account is account
        assert [v.vote_id for v in approval.votes] == [vote_id]
        assert approval.votes[0].signatory in account.signatories
        assert approval in approval.outbox_command.approvals
        assert account.wallet.business_account is account  # one-to-one
        assert account.wallet.wallet_id == wallet_id
        signatory = session.get(BusinessSignatory, min(signatory_ids))
        assert signatory in signatory.profile.signatory_roles


def test_partner_applications_grants_and_webhook_endpoints(engine: Engine) -> None:
    with Session(engine) as session:
        r = Rows(session)
        partner = r.make("LicensedPartner").obj
        apps = [r.make("Application", parents={"partner": partner}).obj for _ in range(2)]
        grant = r.make("PartnerGrant", parents={"partner": partner}).obj
        hook = r.make("WebhookEndpoint", parents={"partner": partner}).obj
        delivery = r.make("WebhookDelivery", parents={"endpoint": hook}).obj
        session.commit()
        partner_id, app_ids = partner.partner_id, {a.app_id for a in apps}
        grant_id, hook_id, delivery_id = grant.grant_id, hook.webhook_id, delivery.delivery_id

    with Session(engine) as session:
        partner = session.get(LicensedPartner, partner_id)
        assert {a.app_id for a in partner.applications} == app_ids
        assert [g.grant_id for g in partner.grants] == [grant_id]
        assert [w.webhook_id for w in partner.webhook_endpoints] == [hook_id]
        assert session.get(Application, min(app_ids)).partner is partner
        assert session.get(PartnerGrant, grant_id).partner is partner
        hook = session.get(WebhookEndpoint, hook_id)
        assert hook.partner is partner
        assert [d.delivery_id for d in hook.deliveries] == [delivery_id]
        assert partner.jurisdiction is not None
        assert partner in partner.jurisdiction.licensed_partners


def test_license_credentials(engine: Engine) -> None:
    with Session(engine) as session:
        r = Rows(session)
        license_ = r.make("License").obj
        creds = [r.make("Credential", parents={"license": license_}).obj for _ in range(2)]
        session.commit()
        license_id, cred_ids = license_.license_id, {c.credential_id for c in creds}

    with Session(engine) as session:
        license_ = session.get(License, license_id)
        assert {c.credential_id for c in license_.credentials} == cred_ids
        assert all(c.license is license_ for c in license_.credentials)
        assert session.get(Credential, min(cred_ids)).license is license_
        assert license_ in license_.application.licenses


def test_trust_score_is_one_to_one_with_user_profile(engine: Engine) -> None:
    assert inspect(UserProfile).relationships["trust_score"].uselist is False
    assert inspect(TrustScore).relationships["profile"].uselist is False
    with Session(engine) as session:
        r = Rows(session)
        user = r.make("UserProfile").obj
        score = r.make("TrustScore", parents={"profile": user}).obj
        lonely = r.make("UserProfile").obj
        session.commit()
        profile_id, lonely_id = user.profile_id, lonely.profile_id
        assert score.profile_id == profile_id  # the primary key is the profile's

    with Session(engine) as session:
        user = session.get(UserProfile, profile_id)
        assert isinstance(user.trust_score, TrustScore)
        assert user.trust_score.profile is user
        assert session.get(TrustScore, profile_id) is user.trust_score
        assert session.get(UserProfile, lonely_id).trust_score is None

    with Session(engine) as session:  # a second score for the same profile is refused
        Rows(session).make("TrustScore", values={"profileId": profile_id})
        with pytest.raises(IntegrityError) as excinfo:
            session.flush()
    assert excinfo.value.orig.diag.constraint_name == "TrustScore_pkey"  # type: ignore[union-attr]


# -- lazy loads that fail loudly (gxschema.db: raise_on_lazy, RAISE_ON_LAZY_LOAD) ------------


def _wallet_with_two_transactions(engine: Engine) -> str:
    with Session(engine) as session:
        r = Rows(session)
        wallet = r.make("Wallet").obj
        for _ in range(2):
            r.make("Transaction", parents={"wallet": wallet})
        session.commit()
        return wallet.wallet_id


def _wallet_query(wallet_id: str, *options: Any) -> Any:
    return (
        select(Wallet)
        .where(Wallet.wallet_id == wallet_id)
        .options(*options)
        .execution_options(populate_existing=True)
    )


def test_raise_on_lazy_refuses_what_the_query_did_not_load(engine: Engine) -> None:
    wallet_id = _wallet_with_two_transactions(engine)
    with session_factory(engine, raise_on_lazy=True)() as session:
        wallet = session.get(Wallet, wallet_id)
        with pytest.raises(InvalidRequestError, match=r"'Wallet\.transactions' is not available"):
            _ = wallet.transactions
        with pytest.raises(InvalidRequestError, match=r"'Wallet\.profile' is not available"):
            _ = wallet.profile

        wallet = session.scalars(_wallet_query(wallet_id, selectinload(Wallet.transactions))).one()
        assert len(wallet.transactions) == 2
        # What the eager load brought in raises too, for what it did not load itself.
        with pytest.raises(InvalidRequestError, match=r"'Transaction\.risk_score'"):
            _ = wallet.transactions[0].risk_score

        session.refresh(wallet, ["profile"])  # an explicit load still loads
        assert wallet.profile.profile_id == wallet.profile_id


def test_without_raise_on_lazy_relationships_load_lazily(engine: Engine) -> None:
    wallet_id = _wallet_with_two_transactions(engine)
    with session_factory(engine)() as session:
        wallet = session.get(Wallet, wallet_id)
        assert len(wallet.transactions) == 2
        assert wallet.profile.profile_id == wallet.profile_id


def test_a_relationship_touched_after_the_session_closed_raises_naming_it(engine: Engine) -> None:
    wallet_id = _wallet_with_two_transactions(engine)
    with session_factory(engine)() as session:
        wallet = session.get(Wallet, wallet_id)
    with pytest.raises(DetachedInstanceError, match="'transactions'"):
        _ = wallet.transactions  # SQLAlchemy's own error, with or without the flag
    with session_factory(engine, raise_on_lazy=True)() as session:
        wallet = session.get(Wallet, wallet_id)
    with pytest.raises(InvalidRequestError, match=r"'Wallet\.transactions' is not available"):
        _ = wallet.transactions


def test_the_loader_option_raises_for_one_query_only(engine: Engine) -> None:
    wallet_id = _wallet_with_two_transactions(engine)
    with Session(engine) as session:
        wallet = session.scalars(
            _wallet_query(wallet_id, RAISE_ON_LAZY_LOAD, selectinload(Wallet.transactions))
        ).one()
        assert len(wallet.transactions) == 2
        with pytest.raises(InvalidRequestError, match=r"'Wallet\.profile' is not available"):
            _ = wallet.profile
        wallet = session.scalars(_wallet_query(wallet_id)).one()
        assert wallet.profile.profile_id == wallet.profile_id  # the next query loads lazily


def test_async_raise_on_lazy_names_the_relationship_not_missing_greenlet(engine: Engine) -> None:
    wallet_id = _wallet_with_two_transactions(engine)
    settings = DatabaseSettings(database_url=engine.url.render_as_string(hide_password=False))

    async def read() -> int:
        async_engine = create_async_engine(settings)
        try:
            async with async_session_factory(async_engine, raise_on_lazy=True)() as session:
                wallet = await session.get(Wallet, wallet_id)
                assert wallet is not None
                with pytest.raises(InvalidRequestError, match=r"'Wallet\.transactions'"):
                    _ = wallet.transactions
                query = _wallet_query(wallet_id, selectinload(Wallet.transactions))
                return len((await session.scalars(query)).one().transactions)
        finally:
            await async_engine.dispose()

    assert asyncio.run(read()) == 2


def test_raise_on_lazy_refuses_a_session_class_of_the_callers(engine: Engine) -> None:
    with pytest.raises(ValueError, match="raise_on_lazy=True sets class_ itself"):
        session_factory(engine, raise_on_lazy=True, class_=Session)
