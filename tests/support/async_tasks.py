"""Asyncio tasks against the test database: one event loop per test, a pooled async engine.

The async tests run their coroutines with `asyncio.run` (no pytest plugin): each task
gets an `AsyncSession` and a connection of its own, the tasks start together once all
are connected, and a deadlock fails the test by timeout instead of hanging the run.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy import URL, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from gxschema.db import create_async_engine
from gxschema.settings import DatabaseSettings

T = TypeVar("T")
TIMEOUT_S = 120


def settings_for(url: URL) -> DatabaseSettings:
    """The settings a service would have for the database at `url`."""
    return DatabaseSettings(database_url=url.render_as_string(hide_password=False))


def run_with_engine(
    settings: DatabaseSettings, body: Callable[[AsyncEngine], Awaitable[T]], *, pool_size: int = 8
) -> T:
    """`body(engine)` on a new event loop; the engine is disposed of after."""

    async def main() -> T:
        engine = create_async_engine(settings, pool_size=pool_size, max_overflow=0)
        try:
            return await asyncio.wait_for(body(engine), timeout=TIMEOUT_S)
        finally:
            await engine.dispose()

    return asyncio.run(main())


async def started_together(
    count: int, work: Callable[[int, asyncio.Barrier], Awaitable[T]]
) -> list[T]:
    """Run `work(index, start)` as `count` tasks; each awaits `start` once it is connected."""
    start = asyncio.Barrier(count)
    return await asyncio.gather(*(work(index, start) for index in range(count)))


async def connected(session: AsyncSession) -> int:
    """Check out the session's connection before a race; its backend pid shows it is its own."""
    pid = int(await session.scalar(text("SELECT pg_backend_pid()")))
    await session.commit()
    return pid
