"""The CQRS helpers from asyncio: `AsyncSession.run_sync`, real tasks, a real pool.

The same guarantees as the threaded tests (tests/cqrs/test_cqrs_helpers.py), for a
service whose workers are asyncio tasks: each outbox command claimed exactly once and
none lost, one command for concurrent enqueues of one request, no deadlock. Each task
has its own `AsyncSession` and connection; the loop is `asyncio.run`.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import Session

from gxschema.cqrs import idempotency, outbox, projector
from gxschema.db import async_session_factory
from gxschema.models import OutboxCommand
from gxschema.models.base import utcnow
from gxschema.models.enums import CommandType, OutboxStatus
from gxschema.settings import DatabaseSettings

from ..support.async_tasks import connected, run_with_engine, settings_for, started_together

T0 = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)
TASKS = 8


@pytest.fixture
def settings(pg_server, head_database: str) -> DatabaseSettings:
    """Settings naming a new database at head, as a service would configure them."""
    return settings_for(pg_server.url(head_database))


@pytest.fixture
def sync_engine(head_database: str, engine_for) -> Engine:
    return engine_for(head_database)


def test_eight_tasks_claim_each_of_600_commands_exactly_once(
    settings: DatabaseSettings, sync_engine: Engine
) -> None:
    with Session(sync_engine) as session:
        session.execute(
            insert(OutboxCommand),
            [
                {
                    "tenant_id": "t",
                    "service": "s",
                    "command_type": CommandType.TRANSFER_TOKENS,
                    "request_id": f"r{n:04}",
                    "payload": {"n": n},
                    "updated_at": utcnow(),
                }
                for n in range(600)
            ],
        )
        session.commit()

    async def body(engine: AsyncEngine) -> list[tuple[int, str, list[str]]]:
        factory = async_session_factory(engine)

        async def work(index: int, start: asyncio.Barrier) -> tuple[int, str, list[str]]:
            worker, claimed = f"worker-{index}", []
            async with factory() as session:
                pid = await connected(session)
                await start.wait()
                while batch := await session.run_sync(outbox.claim, worker, 7):
                    await session.commit()
                    claimed.extend(command.id for command in batch)
                await session.commit()
            return pid, worker, claimed

        return await started_together(TASKS, work)

    outcome = run_with_engine(settings, body, pool_size=TASKS)
    assert len({pid for pid, _, _ in outcome}) == TASKS  # a connection per task
    every = [command_id for _, _, ids in outcome for command_id in ids]
    assert len(every) == 600 and len(set(every)) == 600  # none lost, none twice
    assert all(ids for _, _, ids in outcome), {w: len(ids) for _, w, ids in outcome}
    holder = {command_id: worker for _, worker, ids in outcome for command_id in ids}
    with Session(sync_engine) as session:
        rows = session.execute(
            select(
                OutboxCommand.id,
                OutboxCommand.locked_by,
                OutboxCommand.status,
                OutboxCommand.attempts,
            )
        ).all()
    assert len(rows) == 600
    assert all(
        status is OutboxStatus.LOCKED and attempts == 1 and holder[command_id] == locked_by
        for command_id, locked_by, status, attempts in rows
    )


def test_concurrent_enqueues_of_one_request_from_tasks_make_one_command(
    settings: DatabaseSettings, sync_engine: Engine
) -> None:
    async def body(engine: AsyncEngine) -> list[str]:
        factory = async_session_factory(engine)

        async def work(_index: int, start: asyncio.Barrier) -> str:
            async with factory() as session:
                await connected(session)
                await start.wait()
                command = await session.run_sync(
                    outbox.enqueue,
                    tenant_id="t",
                    service="svc-identity",
                    command_type=CommandType.CREATE_USER,
                    request_id="req-race",
                    payload={"name": "Ada"},
                )
                await session.commit()
                return command.id

        return await started_together(TASKS, work)

    assert len(set(run_with_engine(settings, body, pool_size=TASKS))) == 1
    with Session(sync_engine) as session:
        assert session.scalar(select(func.count()).select_from(OutboxCommand)) == 1


def test_a_command_goes_through_its_lifecycle_from_async_code(
    settings: DatabaseSettings, sync_engine: Engine
) -> None:
    """The ORM objects a helper returns go back into the next helper, across awaits."""

    async def body(engine: AsyncEngine) -> tuple[OutboxStatus, str | None, int | None]:
        async with async_session_factory(engine)() as session:
            await session.run_sync(
                outbox.enqueue,
                tenant_id="t",
                service="svc-wallet",
                command_type=CommandType.TRANSFER_TOKENS,
                request_id="req-1",
                payload={"amount": "1.5"},
            )
            await session.commit()
            [command] = await session.run_sync(outbox.claim, "worker-a", 10)
            await session.commit()
            await session.run_sync(outbox.mark_submitted, command, fabric_tx_id="tx-1")
            await session.commit()
            await session.run_sync(outbox.mark_committed, command, commit_block=42)
            await session.commit()
            # Read after commit without a reload: expire_on_commit is off.
            return command.status, command.fabric_tx_id, command.commit_block

    assert run_with_engine(settings, body, pool_size=TASKS) == (OutboxStatus.COMMITTED, "tx-1", 42)
    with Session(sync_engine) as session:
        assert session.scalar(select(OutboxCommand.status)) is OutboxStatus.COMMITTED


def test_a_state_error_reaches_the_async_caller_and_changes_nothing(
    settings: DatabaseSettings, sync_engine: Engine
) -> None:
    async def body(engine: AsyncEngine) -> None:
        async with async_session_factory(engine)() as session:
            command = await session.run_sync(
                outbox.enqueue,
                tenant_id="t",
                service="s",
                command_type=CommandType.CREATE_USER,
                request_id="req-2",
                payload={},
            )
            await session.commit()
            with pytest.raises(outbox.OutboxStateError):
                await session.run_sync(outbox.mark_committed, command)  # still PENDING
            await session.commit()

    run_with_engine(settings, body, pool_size=TASKS)
    with Session(sync_engine) as session:
        assert session.scalar(select(OutboxCommand.status)) is OutboxStatus.PENDING


def test_projector_checkpoints_and_idempotency_from_async_code(
    settings: DatabaseSettings,
) -> None:
    key = {"tenant_id": "t", "method": "post", "path": "/v1/transfers", "body_hash": "ab" * 32}

    async def body(engine: AsyncEngine) -> tuple[object, ...]:
        async with async_session_factory(engine).begin() as session:
            await session.run_sync(projector.save, "p", "ch", 7, 2, tenant_id="t")
            await session.run_sync(
                idempotency.put, status_code=201, response_body={"id": "x"}, now=T0, **key
            )
        async with async_session_factory(engine)() as session:
            checkpoint = await session.run_sync(projector.load, "p", "ch", tenant_id="t")
            with pytest.raises(projector.CheckpointRegressionError):
                await session.run_sync(projector.save, "p", "ch", 7, 1, tenant_id="t")
            await session.rollback()
            stored = await session.run_sync(idempotency.get, now=T0 + timedelta(minutes=1), **key)
            expired = await session.run_sync(idempotency.get, now=T0 + timedelta(days=30), **key)
            return checkpoint, stored and stored.response_body, expired

    assert run_with_engine(settings, body, pool_size=TASKS) == (
        projector.Checkpoint(7, 2),
        {"id": "x"},
        None,
    )
