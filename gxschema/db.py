"""Engines and sessions for services, and connection errors people can read.

from gxschema.db import create_engine, session_factory

engine = create_engine()                 # settings from the environment
Session = session_factory(engine)
with Session.begin() as session:         # commits, or rolls back on error
    session.add(UserProfile(...))

Async services get the same engine settings over psycopg 3's async driver:

from gxschema.db import create_async_engine, async_session_factory

engine = create_async_engine()
Session = async_session_factory(engine)
async with Session.begin() as session:
    session.add(UserProfile(...))

`sqlalchemy.ext.asyncio` (and greenlet under it) is imported only by the async
functions, so a sync service or the CLI does not pay for it at import.

`raise_on_lazy=True` (either factory) makes a relationship that a query did not load
raise when touched, instead of quietly running one query per object, or failing later
as `DetachedInstanceError` or `MissingGreenlet`; load what a read needs in its query:

Session = session_factory(engine, raise_on_lazy=True)
wallet = session.scalars(select(Wallet).options(selectinload(Wallet.transactions))).one()
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import TYPE_CHECKING, Any, Final

import sqlalchemy
from sqlalchemy import Engine, event
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import ORMExecuteState, Session, raiseload, sessionmaker

from gxschema.settings import DatabaseSettings, load_settings, redact

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker


def _with_engine_defaults(engine_options: dict[str, Any]) -> dict[str, Any]:
    """The options every engine of ours gets unless the caller says otherwise.

    One place for both the sync and the async engine, so the two cannot drift apart.
    """
    # A pooled connection the server dropped (failover, idle timeout) is replaced before use
    # instead of failing the first statement of a request.
    engine_options.setdefault("pool_pre_ping", True)
    # `hide_parameters` keeps bound values (which may be secrets) out of error text.
    engine_options.setdefault("hide_parameters", True)
    return engine_options


def create_engine(settings: DatabaseSettings | None = None, **engine_options: Any) -> Engine:
    """An engine for the configured database (psycopg 3, pre-ping on)."""
    settings = settings or load_settings()
    return sqlalchemy.create_engine(settings.url(), **_with_engine_defaults(engine_options))


def create_async_engine(
    settings: DatabaseSettings | None = None, **engine_options: Any
) -> AsyncEngine:
    """An `AsyncEngine` for the configured database, with the same defaults as `create_engine`.

    The URL is the same `postgresql+psycopg://` one: psycopg 3 serves both, and SQLAlchemy
    picks its async dialect when the engine is made through `sqlalchemy.ext.asyncio`.
    """
    from sqlalchemy.ext import asyncio as sqlalchemy_asyncio

    settings = settings or load_settings()
    return sqlalchemy_asyncio.create_async_engine(
        settings.url(), **_with_engine_defaults(engine_options)
    )


RAISE_ON_LAZY_LOAD: Final = raiseload("*")
"""A loader option: relationships the query does not load eagerly raise when touched.

For one query, ``select(Wallet).options(RAISE_ON_LAZY_LOAD, selectinload(Wallet.transactions))``;
the relationships named in other options load as those say (a named option beats the
wildcard), the objects they load raise too. The error names the relationship:
``'Wallet.profile' is not available due to lazy='raise'``.
"""


class RaiseOnLazyLoadSession(Session):
    """A `Session` whose every query carries `RAISE_ON_LAZY_LOAD`.

    What a session's own queries (``select``, ``get``, ``scalars``) load raises on a
    lazy relationship access, whether the session is open, closed or behind an
    `AsyncSession`. Not covered: objects created in the session and never read from
    the database, and objects whose columns were reloaded after they expired (the
    reload does not carry the option); they load lazily as usual. An explicit
    ``session.refresh(obj, ["relationship"])`` still loads what it names.
    """


@event.listens_for(RaiseOnLazyLoadSession, "do_orm_execute")
def _add_raise_on_lazy_load(execute_state: ORMExecuteState) -> None:
    # The session's own SELECTs only: the loads SQLAlchemy itself runs for a relationship
    # (selectinload's second query, a named refresh) keep the options they were given.
    if execute_state.is_select and not execute_state.is_relationship_load:
        execute_state.statement = execute_state.statement.options(RAISE_ON_LAZY_LOAD)


def _choose_session_class(options: dict[str, Any], key: str, raise_on_lazy: bool) -> None:
    """Put `RaiseOnLazyLoadSession` under `key` when asked, refusing a class of the caller's."""
    if not raise_on_lazy:
        return
    if key in options:
        raise ValueError(f"raise_on_lazy=True sets {key} itself: pass one of them, not both")
    options[key] = RaiseOnLazyLoadSession


def session_factory(
    engine: Engine | None = None, *, raise_on_lazy: bool = False, **options: Any
) -> sessionmaker[Session]:
    """A `sessionmaker` bound to `engine` (or a new one from the environment).

    `raise_on_lazy` makes its sessions `RaiseOnLazyLoadSession`s.
    """
    options.setdefault("expire_on_commit", False)
    _choose_session_class(options, "class_", raise_on_lazy)
    return sessionmaker(bind=engine or create_engine(), **options)


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """A session in one transaction: committed on success, rolled back on any error."""
    with session_factory(engine).begin() as session:
        yield session


def async_session_factory(
    engine: AsyncEngine | None = None, *, raise_on_lazy: bool = False, **options: Any
) -> async_sessionmaker[AsyncSession]:
    """An `async_sessionmaker` bound to `engine` (or a new one from the environment).

    `expire_on_commit` is off as in `session_factory`, and matters more here: an expired
    attribute would be reloaded implicitly, which an `AsyncSession` cannot do (it raises
    `MissingGreenlet`), so objects stay readable after `commit()`. `raise_on_lazy` runs
    its sessions on a `RaiseOnLazyLoadSession`: a lazy relationship access raises a
    message naming the relationship rather than `MissingGreenlet`.
    """
    from sqlalchemy.ext.asyncio import async_sessionmaker

    options.setdefault("expire_on_commit", False)
    _choose_session_class(options, "sync_session_class", raise_on_lazy)
    return async_sessionmaker(bind=engine or create_async_engine(), **options)


@asynccontextmanager
async def async_session_scope(engine: AsyncEngine | None = None) -> AsyncIterator[AsyncSession]:
    """An `AsyncSession` in one transaction: committed on success, rolled back on any error.

    Pass the service's engine. Without one, an engine is made for this scope and disposed
    of at its end: an async pool left to the garbage collector keeps its connections open
    until it is collected, then drops them outside the event loop (``ResourceWarning``).
    """
    own_engine = create_async_engine() if engine is None else None
    try:
        async with async_session_factory(engine or own_engine).begin() as session:
            yield session
    finally:
        if own_engine is not None:
            await own_engine.dispose()


class DatabaseUnavailableError(RuntimeError):
    """The database cannot be reached or refused us; the message says why in one sentence."""


def explain_connection_error(error: BaseException, settings: DatabaseSettings) -> str:
    """One sentence saying why a connection failed, without any secret in it."""
    raw = str(getattr(error, "orig", None) or error)
    message = raw.lower()
    url = settings.url()
    where = f"{url.host or 'localhost'}:{url.port or 5432}"
    database = url.database or url.username or "(default)"
    user = url.username or "(default)"
    if "password authentication failed" in message or "no password supplied" in message:
        reason = f"authentication failed for user {user!r} at {where} (check the password)"
    elif "role" in message and "does not exist" in message:
        reason = f"the role {user!r} does not exist on {where}"
    elif "database" in message and "does not exist" in message:
        reason = f"the database {database!r} does not exist on {where}"
    elif "connection refused" in message or "could not connect" in message:
        reason = f"nothing accepts connections at {where} (is PostgreSQL running there?)"
    elif "timeout" in message or "timed out" in message:
        reason = f"the connection to {where} timed out"
    elif "could not translate host name" in message or "name or service not known" in message:
        reason = f"the host {url.host!r} cannot be resolved"
    else:
        first_line = raw.strip().splitlines()[0] if raw.strip() else type(error).__name__
        reason = f"cannot connect to {where}: {first_line}"
    return redact(reason, settings.secrets())


def is_connection_error(error: BaseException) -> bool:
    """Whether `error` means the connection itself failed (not a bad statement)."""
    return isinstance(error, OperationalError) or (
        isinstance(error, DBAPIError) and bool(error.connection_invalidated)
    )
