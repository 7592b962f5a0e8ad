"""The Create and Read schemas of all 46 tables, checked against what PostgreSQL holds and refuses.

One database per module, seeded for devnet and filled by `gxschema fake` (plus one row
each of the two tables neither fills). For every table, one real row is the valid
payload: the Create schema must accept it (sent as JSON, with camelCase keys) and
PostgreSQL must take the row it builds, with and without the columns that have
defaults. For every column with a limit the database enforces (length of
``character(n)``, 32/64-bit integers, ``numeric(p, s)``, enum labels, NOT NULL), a
value just past it must be refused by the Create schema, on that field, AND by
PostgreSQL, with the matching SQLSTATE; the value at the limit must pass both.

Each database check deletes the original row first (with foreign-key triggers off,
``session_replication_role = replica``), so that a refusal can only come from the
value under test, never from a duplicate key, and rolls back to a savepoint after.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal, localcontext
from typing import Any

import pytest
from pydantic import SecretStr, ValidationError
from pydantic_core import to_jsonable_python
from sqlalchemy import Column, Engine, String, cast, create_engine, delete, insert, literal, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.sql import sqltypes

from gxschema.fake import FakeOptions, fill
from gxschema.models import DOMAINS, BackupRecord, SchemaMigrationRun
from gxschema.schemas import registry
from gxschema.schemas.derive import DerivedCreate, fills_itself, is_secret

from ..support.fake import apply_seeds

TABLES = [name for names in DOMAINS.values() for name in names]
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

NONE_MEANS_DEFAULT = {("HealthCheckMetric", "timestamp")}
"""Hand-written Create fields where None is taken and means "the column's default"."""

NOT_NULL_VIOLATION = "23502"
STRING_TOO_LONG = "22001"
OUT_OF_RANGE = "22003"
BAD_TEXT_REPRESENTATION = "22P02"


@pytest.fixture(scope="module")
def filled(pg_server, head_template) -> Iterator[Engine]:
    name = pg_server.create_database(template=head_template)
    engine = create_engine(pg_server.url(name))  # pooled: hundreds of short sessions
    try:
        apply_seeds(engine, "devnet")
        options = FakeOptions(users=5, transactions_per_user=2)
        fill(engine, options, force=True, analyze=False)  # in place of the demo rows
        with Session(engine) as session:  # the two tables neither the seeds nor fake fill
            session.add(
                SchemaMigrationRun(
                    to_revision="0006",
                    direction="upgrade",
                    status="succeeded",
                    started_at=T0,
                    duration_ms=12,
                )
            )
            session.add(
                BackupRecord(
                    kind="manual",
                    target="gx",
                    location="/backups/x.dump",
                    status="succeeded",
                    size_bytes=2**40,
                    started_at=T0,
                )
            )
            session.commit()
        yield engine
    finally:
        engine.dispose()
        pg_server.drop_database(name)


class TableCase:
    """One table's model, schemas, and a real row of it (as attribute values)."""

    def __init__(self, engine: Engine, table: str) -> None:
        self.engine = engine
        self.name = table
        self.model, self.create, self.read = registry.schemas_of(table)
        self.table = self.model.__table__
        self.columns = {prop.key: prop.columns[0] for prop in sa_inspect(self.model).column_attrs}
        with Session(engine) as session:
            row = session.scalars(select(self.model).limit(1)).first()
            assert row is not None, f"{table} is empty: add a row to the `filled` fixture"
            self.read_json = self.read.model_validate(row).model_dump(by_alias=True, mode="json")
            self.values = {key: getattr(row, key) for key in self.columns}

    @property
    def derived(self) -> bool:
        return issubclass(self.create, DerivedCreate)

    def payload(self, *, with_defaults: bool = True, **changes: Any) -> dict[str, Any]:
        """The row as the JSON a service sends: camelCase keys of the Create fields."""
        body = {}
        for key, field in self.create.model_fields.items():
            if not with_defaults and fills_itself(self.columns[key]):
                continue
            body[field.alias or key] = self.values[key]
        body.update(changes)
        return json.loads(json.dumps(to_jsonable_python(body)))

    def alias(self, key: str) -> str:
        return self.create.model_fields[key].alias or key

    def row_values(self, **changes: Any) -> dict[str, Any]:
        """The original row by column name, with `changes` (attribute names) applied."""
        values = {self.columns[key].name: value for key, value in self.values.items()}
        values.update({self.columns[key].name: value for key, value in changes.items()})
        return values

    @contextmanager
    def without_original(self) -> Iterator[Session]:
        """A session where the original row is gone; everything is rolled back after."""
        with Session(self.engine) as session:
            try:
                connection = session.connection()
                connection.exec_driver_sql("SET LOCAL session_replication_role = replica")
                key = [column == self.values[k] for k, column in self._key_columns()]
                assert connection.execute(delete(self.table).where(*key)).rowcount == 1
                connection.exec_driver_sql("SET LOCAL session_replication_role = origin")
                yield session
            finally:
                session.rollback()

    def refused_by_database(self, **changes: Any) -> str:
        """The SQLSTATE PostgreSQL answers an insert of the row with `changes` with."""
        values = self.row_values(**changes)
        for key, value in changes.items():
            column = self.columns[key]
            if isinstance(column.type, sqltypes.Enum):  # past SQLAlchemy's own check
                values[column.name] = cast(literal(value, String()), column.type)
        with self.without_original() as session:
            try:
                with session.begin_nested():
                    session.connection().execute(insert(self.table).values(values))
            except DBAPIError as error:
                return str(getattr(error.orig, "sqlstate", ""))
        return "accepted"

    def _key_columns(self) -> list[tuple[str, Column[Any]]]:
        keys = {column.name for column in self.table.primary_key.columns}
        return [(key, column) for key, column in self.columns.items() if column.name in keys]


@pytest.fixture(scope="module")
def cases(filled) -> dict[str, TableCase]:
    return {}


@pytest.fixture(params=TABLES)
def case(request, filled, cases) -> TableCase:
    if request.param not in cases:
        cases[request.param] = TableCase(filled, request.param)
    return cases[request.param]


def _refused_fields(schema, payload: dict[str, Any]) -> set[str]:
    with pytest.raises(ValidationError) as caught:
        schema.model_validate_json(json.dumps(payload))
    assert "Traceback" not in str(caught.value)
    return {str(error["loc"][0]) for error in caught.value.errors()}


# What the Create schema accepts, PostgreSQL accepts


def test_create_accepts_a_real_row_and_postgresql_takes_it_back(case: TableCase) -> None:
    for with_defaults in (True, False):
        created = case.create.model_validate_json(
            json.dumps(case.payload(with_defaults=with_defaults))
        )
        with case.without_original() as session:
            row = created.to_model()
            session.add(row)
            session.flush()
            session.refresh(row)
            for key, value in created.column_values().items():
                if key in created.model_fields_set:
                    expected = value.get_secret_value() if isinstance(value, SecretStr) else value
                    assert getattr(row, key) == expected, (case.name, key)
            if with_defaults and case.derived:  # every column given: the same row again
                assert {key: getattr(row, key) for key in case.columns} == case.values


def test_create_takes_snake_case_names_too(case: TableCase) -> None:
    by_alias = case.create.model_validate_json(json.dumps(case.payload()))
    by_name = case.create.model_validate(
        {key: by_alias.model_dump()[key] for key in by_alias.model_fields_set}
    )
    assert by_name == by_alias
    aliases = {field.alias or key for key, field in case.create.model_fields.items()}
    assert set(by_alias.model_dump(by_alias=True, mode="json")) == aliases
    assert aliases <= {column.name for column in case.columns.values()}  # the Prisma names


def test_json_schema_never_offers_null_where_it_is_refused(case: TableCase) -> None:
    """The OpenAPI a service publishes: optional NOT NULL fields have no ``null`` default."""
    properties = case.create.model_json_schema()["properties"]
    for key, field in case.create.model_fields.items():
        column = case.columns[key]
        if not column.nullable and (case.name, key) not in NONE_MEANS_DEFAULT:
            assert properties[field.alias or key].get("default", "absent") is not None, key


# What it refuses, PostgreSQL refuses


def _limits(case: TableCase) -> Iterator[tuple[str, Any, Any, str]]:
    """(field, value past the limit, value at the limit or None, SQLSTATE) per constrained field."""
    for key in case.create.model_fields:
        column = case.columns[key]
        column_type = column.type
        if not column.nullable and (case.name, key) not in NONE_MEANS_DEFAULT:
            yield key, None, None, NOT_NULL_VIOLATION
        if isinstance(column_type, sqltypes.Enum):
            yield key, "NOT_A_LABEL", None, BAD_TEXT_REPRESENTATION
        elif isinstance(column_type, sqltypes.BigInteger):
            yield key, 2**63, 2**63 - 1, OUT_OF_RANGE
            yield key, -(2**63) - 1, -(2**63), OUT_OF_RANGE
        elif isinstance(column_type, sqltypes.Integer):
            yield key, 2**31, 2**31 - 1, OUT_OF_RANGE
            yield key, -(2**31) - 1, -(2**31), OUT_OF_RANGE
        elif isinstance(column_type, sqltypes.Numeric) and column_type.precision:
            whole = column_type.precision - (column_type.scale or 0)
            with localcontext(prec=60):  # the default 28 digits cannot hold numeric(36, 9)
                largest = Decimal(10) ** whole - Decimal(1).scaleb(-(column_type.scale or 0))
                smallest = -largest
            yield key, Decimal(10) ** whole, largest, OUT_OF_RANGE
            yield key, -(Decimal(10) ** whole), smallest, OUT_OF_RANGE
        elif isinstance(column_type, sqltypes.String) and column_type.length:
            length = column_type.length
            yield key, "X" * (length + 1), "X" * length, STRING_TOO_LONG


def test_create_refuses_what_postgresql_refuses(case: TableCase) -> None:
    checked = 0
    for key, past, _at, sqlstate in _limits(case):
        alias = case.alias(key)
        assert _refused_fields(case.create, case.payload(**{alias: past})) == {alias}, (
            case.name,
            key,
            past,
        )
        assert case.refused_by_database(**{key: past}) == sqlstate, (case.name, key, past)
        checked += 1
    assert checked, f"{case.name}: no constrained column was checked"


def test_create_accepts_the_values_at_the_limits(case: TableCase) -> None:
    """The value at each limit passes both (derived schemas; free of foreign keys)."""
    if not case.derived:
        pytest.skip("hand-written schemas narrow the columns to what they mean")
    for key, _past, at, _sqlstate in _limits(case):
        if at is None or case.columns[key].foreign_keys:
            continue
        created = case.create.model_validate_json(
            json.dumps(case.payload(**{case.alias(key): to_jsonable_python(at)}))
        )
        assert getattr(created, key) == at, (case.name, key)
        assert case.refused_by_database(**{key: at}) == "accepted", (case.name, key, at)


def test_character_n_cuts_trailing_spaces_as_postgresql_does() -> None:
    create = registry.create_schema("LicensedPartner")
    payload = {"tenantId": "t", "companyName": "Acme", "jurisdictionCountryCode": "DE   "}
    assert create.model_validate(payload).jurisdiction_country_code == "DE"  # type: ignore[attr-defined]
    assert _refused_fields(create, {**payload, "jurisdictionCountryCode": "DEU"}) == {
        "jurisdictionCountryCode"
    }


@pytest.mark.parametrize(("precision", "scale"), [(36, 9), (20, 4), (5, 2), (5, 4)])
def test_numeric_rounds_and_overflows_as_postgresql_does(filled, precision, scale) -> None:
    """Every numeric(p, s) of the models: the schema's value is the one PostgreSQL stores."""
    from gxschema.schemas.types import numeric

    convert = numeric(precision, scale)
    whole = "9" * (precision - scale)
    values = [
        f"{whole}.{'9' * scale}",  # the largest
        f"{whole}.{'9' * scale}5",  # rounds up past it
        f"-{whole}.{'9' * scale}4",  # rounds down to it
        f"0.{'0' * scale}5",  # a tie: away from zero, not to even
        f"-2.{'0' * (scale - 1)}25",
        "1e-400",
        f"1e{precision - scale}",
    ]
    with filled.connect() as connection:
        for value in values:
            try:
                stored = connection.exec_driver_sql(
                    f"SELECT CAST(%(v)s AS numeric({precision}, {scale}))", {"v": value}
                ).scalar_one()
            except DBAPIError as error:
                assert getattr(error.orig, "sqlstate", "") == OUT_OF_RANGE, value
                connection.rollback()
                with pytest.raises(Exception, match="must be less than"):
                    convert(value)
            else:
                assert convert(value) == stored, value


# Read: the services' JSON, without secrets


def test_read_gives_the_prisma_names_and_no_secrets(case: TableCase) -> None:
    secret = {column.name for column in case.columns.values() if is_secret(column)}
    expected = {column.name for column in case.columns.values()} - secret
    assert set(case.read_json) == expected, case.name
    assert case.read.model_config.get("from_attributes") is True


def test_the_secret_columns_are_the_credentials() -> None:
    from gxschema.models import metadata

    marked = {
        f"{table.name}.{column.name}"
        for table in metadata.tables.values()
        for column in table.columns
        if is_secret(column)
    }
    assert marked == {
        "UserProfile.passwordHash",
        "UserProfile.biometricHash",
        "Credential.clientSecretHash",
        "UserSession.refreshToken",
        "UserSession.refreshTokenHash",
        "PushToken.token",
        "WebhookEndpoint.secret",
    }


def test_a_secret_is_never_echoed() -> None:
    create = registry.create_schema("Credential")
    secret = "hash-that-must-not-leak"
    with pytest.raises(ValidationError) as caught:
        create.model_validate({"clientSecretHash": secret, "clientId": 7})
    assert secret not in str(caught.value)
    made = create.model_validate(
        {"tenantId": "t", "licenseId": "l", "clientId": "c", "clientSecretHash": secret}
    )
    assert secret not in repr(made) and secret not in made.model_dump_json()


# The package


def test_every_table_has_both_schemas_by_name() -> None:
    import gxschema.schemas as schemas

    assert len(registry.all_schemas()) == 46
    for found in registry.all_schemas():
        name = found.model.__name__
        assert (
            getattr(schemas, f"{name}Create") is found.create is schemas.create_schema(found.model)
        )
        assert getattr(schemas, f"{name}Read") is found.read is schemas.read_schema(name)
        assert f"{name}Create" in schemas.__all__ and f"{name}Read" in schemas.__all__
    with pytest.raises(AttributeError, match="no schema 'NoSuchTableCreate'"):
        schemas.NoSuchTableCreate  # noqa: B018
    with pytest.raises(KeyError, match="not one of the gxschema models"):
        registry.create_schema(int)  # type: ignore[arg-type]


def test_importing_the_package_builds_no_schema_and_threads_share_one() -> None:
    code = (
        "import sys, gxschema.schemas as s\n"
        "assert 'gxschema.schemas.derive' not in sys.modules and len(s.__all__) == 97\n"
        "import gxschema.schemas.registry as r\n"
        "from concurrent.futures import ThreadPoolExecutor\n"
        "assert r._schemas_of.cache_info().currsize == 0\n"
        "s.WalletCreate\n"
        "assert r._schemas_of.cache_info().currsize == 1\n"
        "with ThreadPoolExecutor(8) as pool:\n"
        "    made = set(pool.map(lambda _: r.create_schema('UserProfile'), range(64)))\n"
        "assert made == {s.UserProfileCreate}, made\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
