"""The databases of a test run: a template at head, its copies, and transactions rolled back.

Migrating 46 tables takes seconds; copying a database with ``CREATE DATABASE ... TEMPLATE``
takes milliseconds. So each pytest process (each xdist worker) builds one template (migrated
to head, seeded or filled with fake data if the run asks) and never connects to it again,
since PostgreSQL copies only a database nobody is connected to; tests get copies of it.

Two ways for a test to keep its writes to itself:

- a copy of its own (`gxschema_db`), for tests that need real commits, DDL, or several
  connections that see each other's work;
- one shared copy per worker, in which each test runs inside an outer transaction that is
  rolled back at its end (`rolled_back_connection`). The session joined to it uses
  savepoints (SQLAlchemy's ``join_transaction_mode="create_savepoint"``), so code under test
  may commit and roll back as it does in the service, and still nothing outlives the test.

Names hold the run's prefix, the worker (``gw0``, ``gw1``, or ``main`` without xdist) and a
random part: workers and runs sharing one server never collide, and what a run left can be
told by its prefix.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gxschema.testing.server import Server

if TYPE_CHECKING:
    from sqlalchemy import URL, Connection, Engine
    from sqlalchemy.ext.asyncio import AsyncSession
    from sqlalchemy.orm import Session

SEEDS: tuple[str, ...] = ("none", "reference", "devnet")
"""What a template may be seeded with: nothing, the reference data every environment
gets (countries, system configuration, feature flags), or devnet's (those and the demo rows)."""

REFERENCE_DATASETS = ["countries", "system_config", "feature_flags"]


@dataclass(frozen=True)
class Contents:
    """What the template holds beyond the schema at head."""

    seed: str = "none"
    fake_users: int = 0
    """Users (with their wallets, transactions, ...) made by `gxschema.fake`; they live in the
    seeded countries, so fake data implies at least the reference seed."""

    def __post_init__(self) -> None:
        if self.seed not in SEEDS:
            raise ValueError(f"unknown seed {self.seed!r} (choose one of {', '.join(SEEDS)})")
        if self.fake_users < 0:
            raise ValueError(f"the number of fake users cannot be negative ({self.fake_users})")

    @property
    def effective_seed(self) -> str:
        return "reference" if self.seed == "none" and self.fake_users else self.seed

    def describe(self) -> str:
        what = ["migrated to head"]
        if self.effective_seed == "reference":
            what.append("reference data")
        elif self.effective_seed == "devnet":
            what.append("devnet seed (reference and demo data)")
        if self.fake_users:
            what.append(f"{self.fake_users} fake users")
        return ", ".join(what)


@dataclass(frozen=True)
class Database:
    """A database of the test server: its `name`, and `url` (SQLAlchemy, psycopg 3)."""

    server: Server
    name: str

    @property
    def url(self) -> URL:
        return self.server.url(self.name)

    def env(self) -> dict[str, str]:
        """``PG*`` variables pointing a child process (gxschema, libpq tools) at it."""
        return self.server.env(self.name)


def worker() -> str:
    """This process's xdist worker id (``gw0``, ...), or ``main`` when xdist is not used."""
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def new_name(prefix: str, role: str) -> str:
    """A database name no other run or worker uses: `prefix`, `role`, worker, random part."""
    return f"{prefix}_{role}_{worker()}_{uuid.uuid4().hex[:10]}"


def _engine(server: Server, name: str) -> Engine:
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    # NullPool: no connection outlives its use, or the template could not be copied
    return create_engine(server.url(name), poolclass=NullPool)


def build_template(server: Server, name: str, contents: Contents) -> None:
    """Create `name`, migrate it to head and fill it as `contents` says; dropped on failure."""
    server.create_database(name=name)
    engine = _engine(server, name)
    try:
        _migrate(engine)
        if contents.effective_seed != "none":
            _seed(engine, contents.effective_seed)
        if contents.fake_users:
            _fake(engine, contents.fake_users)
    except BaseException:
        engine.dispose()
        server.drop_database(name)
        raise
    engine.dispose()


def _migrate(engine: Engine) -> None:
    from alembic import command

    from gxschema.alembic_config import make_config

    with engine.connect() as connection:
        command.upgrade(make_config(connection=connection), "head")


def _seed(engine: Engine, seed: str) -> None:
    from gxschema.seeding.run import default_seeds_dir, seed_database

    only = REFERENCE_DATASETS if seed == "reference" else None
    seed_database(engine, default_seeds_dir(), env="devnet", only=only)


def _fake(engine: Engine, users: int) -> None:
    from gxschema.fake import FakeOptions, fill

    # workers=0: the rows are made in this process; a test run does not fork a pool per worker
    fill(engine, FakeOptions(users=users), workers=0)


@contextmanager
def rolled_back_connection(engine: Engine) -> Iterator[Connection]:
    """A connection inside a transaction that is rolled back when the block ends."""
    with engine.connect() as connection:
        transaction = connection.begin()
        try:
            yield connection
        finally:
            if transaction.is_active:
                transaction.rollback()


@contextmanager
def joined_session(connection: Connection) -> Iterator[Session]:
    """A `Session` on `connection`'s transaction: its commits are savepoints inside it.

    ``expire_on_commit`` is off, as in `gxschema.db.session_factory`, so the code under
    test sees the session it will get in the service.
    """
    from sqlalchemy.orm import Session

    session = Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    try:
        yield session
    finally:
        session.close()


@asynccontextmanager
async def rolled_back_async_session(database: Database) -> AsyncIterator[AsyncSession]:
    """An `AsyncSession` (psycopg 3's async driver) whose work is rolled back at the end.

    The same recipe as `rolled_back_connection` and `joined_session`. Its engine is made
    here, in the test's event loop, because an async connection belongs to the loop it was
    opened in; NullPool, so nothing is left open in a loop that is about to close.
    """
    from sqlalchemy.ext.asyncio import AsyncSession
    from sqlalchemy.pool import NullPool

    from gxschema.db import create_async_engine
    from gxschema.settings import DatabaseSettings

    server = database.server
    # every part given, so PG* variables of the developer's shell cannot point it elsewhere
    settings = DatabaseSettings(
        host=server.host,
        port=server.port,
        user=server.user,
        password=server.password,
        database=database.name,
    )
    engine = create_async_engine(settings, poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            transaction = await connection.begin()
            session = AsyncSession(
                bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
            )
            try:
                yield session
            finally:
                await session.close()
                if transaction.is_active:
                    await transaction.rollback()
    finally:
        await engine.dispose()
