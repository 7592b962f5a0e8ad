"""gxschema.cqrs against a real PostgreSQL: the outbox, projector checkpoints, idempotency.

Concurrency is real: threads, each with its own session and connection.
"""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from gxschema.cqrs import idempotency, outbox, projector
from gxschema.models import HttpIdempotency, OutboxCommand, ProjectorState
from gxschema.models.base import utcnow
from gxschema.models.enums import CommandType, OutboxStatus

T0 = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)


def _enqueue(session: Session, request_id: str, tenant: str = "t", **payload) -> OutboxCommand:
    return outbox.enqueue(
        session,
        tenant_id=tenant,
        service="svc-identity",
        command_type=CommandType.CREATE_USER,
        request_id=request_id,
        payload=payload or {"request": request_id},
    )


def _run_threads(count: int, target) -> None:
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            target(index)
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors


# Outbox


def test_enqueue_is_idempotent_on_tenant_and_request_id(session: Session) -> None:
    first = _enqueue(session, "req-1", name="Ada")
    again = _enqueue(session, "req-1", name="changed")
    assert again.id == first.id and again.payload == {"name": "Ada"}
    other_tenant = _enqueue(session, "req-1", tenant="u")
    assert other_tenant.id != first.id
    assert (first.status, first.attempts, first.command_type) == (
        OutboxStatus.PENDING,
        0,
        CommandType.CREATE_USER,
    )
    by_name = outbox.enqueue(
        session,
        tenant_id="t",
        service="s",
        command_type="TRANSFER_TOKENS",
        request_id="req-2",
        payload={},
    )
    assert by_name.command_type is CommandType.TRANSFER_TOKENS
    with pytest.raises(ValueError):
        _enqueue_type(session, "NOT_A_COMMAND")
    assert session.scalar(select(func.count()).select_from(OutboxCommand)) == 3


def _enqueue_type(session: Session, command_type: str) -> None:
    outbox.enqueue(
        session,
        tenant_id="t",
        service="s",
        command_type=command_type,
        request_id="x",
        payload={},
    )


def test_concurrent_enqueues_of_one_request_make_one_command(engine) -> None:
    ids: list[str] = []
    barrier = threading.Barrier(4)

    def work(_index: int) -> None:
        with Session(engine) as session:
            session.execute(text("SELECT 1"))
            barrier.wait()
            ids.append(_enqueue(session, "req-race").id)
            session.commit()

    _run_threads(4, work)
    assert len(set(ids)) == 1
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(OutboxCommand)) == 1


def test_claim_takes_the_oldest_pending_and_locks_them(session: Session) -> None:
    for n in range(5):
        session.execute(
            insert(OutboxCommand).values(
                tenant_id="t",
                service="s",
                command_type=CommandType.CREATE_USER,
                request_id=f"r{n}",
                payload={},
                created_at=T0 - timedelta(minutes=n),  # r4 is the oldest
                updated_at=T0,
            )
        )
    claimed = outbox.claim(session, "worker-a", 3, now=T0)
    assert [c.request_id for c in claimed] == ["r4", "r3", "r2"]
    assert {(c.status, c.locked_by, c.locked_at, c.attempts) for c in claimed} == {
        (OutboxStatus.LOCKED, "worker-a", T0, 1)
    }
    assert [c.request_id for c in outbox.claim(session, "worker-b", 10)] == ["r1", "r0"]
    assert outbox.claim(session, "worker-b", 10) == []
    assert outbox.claim(session, "worker-b", 0) == []


def test_four_workers_claim_each_of_1000_commands_exactly_once(engine) -> None:
    with Session(engine) as session:
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
                for n in range(1000)
            ],
        )
        session.commit()
    claims: dict[str, list[str]] = {f"worker-{i}": [] for i in range(4)}
    barrier = threading.Barrier(4)

    def work(index: int) -> None:
        worker = f"worker-{index}"
        with Session(engine) as session:
            session.execute(text("SELECT 1"))
            barrier.wait()
            while True:
                batch = outbox.claim(session, worker, 7)
                session.commit()
                if not batch:
                    return
                claims[worker].extend(c.id for c in batch)

    _run_threads(4, work)
    every = [command_id for ids in claims.values() for command_id in ids]
    assert len(every) == 1000 and len(set(every)) == 1000
    assert all(claims.values()), {w: len(ids) for w, ids in claims.items()}  # all took part
    with Session(engine) as session:
        rows = session.execute(
            select(
                OutboxCommand.id,
                OutboxCommand.locked_by,
                OutboxCommand.status,
                OutboxCommand.attempts,
            )
        ).all()
    holder = {command_id: worker for worker, ids in claims.items() for command_id in ids}
    assert all(
        status is OutboxStatus.LOCKED and attempts == 1 and holder[command_id] == locked_by
        for command_id, locked_by, status, attempts in rows
    )


def test_lifecycle_to_committed(session: Session) -> None:
    _enqueue(session, "r")
    (command,) = outbox.claim(session, "w", 1)
    with pytest.raises(outbox.OutboxStateError, match="LOCKED"):
        outbox.mark_committed(session, _pending_copy(session), commit_block=1)
    submitted = outbox.mark_submitted(session, command, fabric_tx_id="tx-1", now=T0)
    assert submitted is command
    assert (command.status, command.fabric_tx_id, command.submitted_at) == (
        OutboxStatus.SUBMITTED,
        "tx-1",
        T0,
    )
    with pytest.raises(outbox.OutboxStateError):
        outbox.mark_submitted(session, command)  # not LOCKED any more
    outbox.mark_committed(session, command, commit_block=812)
    assert (command.status, command.commit_block, command.attempts) == (
        OutboxStatus.COMMITTED,
        812,
        1,
    )
    session.commit()
    session.expire_all()
    stored = session.get(OutboxCommand, command.id)
    assert (stored.status, stored.commit_block) == (OutboxStatus.COMMITTED, 812)


def _pending_copy(session: Session) -> OutboxCommand:
    return OutboxCommand(id="nope", status=OutboxStatus.PENDING, locked_by=None)


def test_failures_retry_until_the_maximum_then_fail(session: Session) -> None:
    _enqueue(session, "r")
    for attempt in range(1, 4):
        (command,) = outbox.claim(session, "w", 1)
        assert command.attempts == attempt
        outbox.mark_failed(
            session, command, error=f"boom {attempt}", error_code="E1", max_attempts=3
        )
        expected = OutboxStatus.PENDING if attempt < 3 else OutboxStatus.FAILED
        assert (command.status, command.locked_by, command.locked_at, command.error) == (
            expected,
            None,
            None,
            f"boom {attempt}",
        )
    assert outbox.claim(session, "w", 1) == []
    # not retryable: FAILED at once
    _enqueue(session, "r2")
    (command,) = outbox.claim(session, "w", 1)
    outbox.mark_failed(session, command, error="rejected by chaincode", retryable=False)
    assert command.status is OutboxStatus.FAILED and command.attempts == 1


def test_release_stale_frees_crashed_workers_claims(session: Session) -> None:
    for n in range(3):
        _enqueue(session, f"r{n}")
    old = outbox.claim(session, "crashed", 2, now=T0)
    fresh = outbox.claim(session, "alive", 1, now=T0 + timedelta(minutes=10))
    released = outbox.release_stale(session, timedelta(minutes=5), now=T0 + timedelta(minutes=6))
    assert released == 2
    for command in old:
        session.refresh(command)
        assert (command.status, command.locked_by, command.attempts) == (
            OutboxStatus.PENDING,
            None,
            1,
        )
    session.refresh(fresh[0])
    assert fresh[0].status is OutboxStatus.LOCKED
    # the crashed worker's late outcome cannot overwrite the next worker's claim
    stale_view = OutboxCommand(
        id=old[0].id, status=OutboxStatus.LOCKED, locked_by="crashed", attempts=1
    )
    session.expunge(old[0])
    (again,) = [
        c
        for c in outbox.claim(session, "next", 5, now=T0 + timedelta(minutes=7))
        if c.id == stale_view.id
    ]
    assert again.locked_by == "next" and again.attempts == 2
    with pytest.raises(outbox.OutboxStateError, match="changed since"):
        outbox.mark_submitted(session, stale_view)
    # a command that used up its attempts while locked is failed, not released
    outbox.release_stale(
        session, T0 + timedelta(days=1), max_attempts=2, now=T0 + timedelta(days=1)
    )
    session.refresh(again)
    assert again.status is OutboxStatus.FAILED and again.error == outbox.STALE_ERROR
    assert outbox.counts(session) == {
        OutboxStatus.PENDING: 1,  # "alive" had one attempt only
        OutboxStatus.LOCKED: 0,
        OutboxStatus.SUBMITTED: 0,
        OutboxStatus.COMMITTED: 0,
        OutboxStatus.FAILED: 2,
    }


def test_release_stale_never_touches_submitted(session: Session) -> None:
    _enqueue(session, "r")
    (command,) = outbox.claim(session, "w", 1, now=T0)
    outbox.mark_submitted(session, command, now=T0)
    assert outbox.release_stale(session, T0 + timedelta(days=1)) == 0
    assert command.status is OutboxStatus.SUBMITTED


# Projector checkpoints


def test_checkpoint_moves_forward_only(session: Session) -> None:
    assert projector.load(session, "wallets", "ch", tenant_id="t") is None
    saved = projector.save(session, "wallets", "ch", 10, 3, tenant_id="t", now=T0)
    assert saved == projector.Checkpoint(10, 3) and saved.updated_at == T0
    assert projector.save(session, "wallets", "ch", 10, 4, tenant_id="t") == projector.Checkpoint(
        10, 4
    )
    assert projector.save(session, "wallets", "ch", 11, 0, tenant_id="t") == projector.Checkpoint(
        11, 0
    )
    assert projector.save(session, "wallets", "ch", 11, 0, tenant_id="t") == projector.Checkpoint(
        11, 0
    )
    for block, index in [(10, 99), (11, -1), (0, 0)]:
        with pytest.raises((projector.CheckpointRegressionError, ValueError)):
            projector.save(session, "wallets", "ch", block, index, tenant_id="t")
    with pytest.raises(projector.CheckpointRegressionError, match=r"\(11, 0\)"):
        projector.save(session, "wallets", "ch", 10, 99, tenant_id="t")
    assert projector.load(session, "wallets", "ch", tenant_id="t") == projector.Checkpoint(11, 0)
    # other projectors, channels and tenants have their own checkpoints
    assert projector.save(session, "wallets", "other", 1, 0, tenant_id="t").block == 1
    assert projector.save(session, "users", "ch", 2, 0, tenant_id="t").block == 2
    assert projector.save(session, "wallets", "ch", 3, 0, tenant_id="u").block == 3
    assert session.scalar(select(func.count()).select_from(ProjectorState)) == 4


def test_concurrent_saves_never_move_the_checkpoint_back(engine) -> None:
    positions = [(block, index) for block in range(1, 26) for index in range(4)]
    barrier = threading.Barrier(4)

    def work(offset: int) -> None:
        with Session(engine) as session:
            session.execute(text("SELECT 1"))
            barrier.wait()
            for block, index in positions[offset::4] + positions[: offset * 3 : 2]:
                try:
                    projector.save(session, "p", "ch", block, index, tenant_id="t")
                    session.commit()
                except projector.CheckpointRegressionError:
                    session.rollback()

    _run_threads(4, work)
    with Session(engine) as session:
        assert projector.load(session, "p", "ch", tenant_id="t") == projector.Checkpoint(25, 3)


# HTTP idempotency


def test_idempotency_put_get_ttl_and_purge(session: Session) -> None:
    key = {
        "tenant_id": "t",
        "method": "post",
        "path": "/v1/transfers",
        "body_hash": idempotency.body_hash(b'{"amount":5}'),
    }
    assert idempotency.get(session, **key, now=T0) is None
    stored = idempotency.put(
        session,
        **key,
        status_code=201,
        response_body={"id": "tx1"},
        response_headers={"Location": "/tx1"},
        ttl=timedelta(hours=1),
        now=T0,
    )
    assert (stored.method, stored.status_code, stored.ttl_expires_at) == (
        "POST",
        201,
        T0 + timedelta(hours=1),
    )
    found = idempotency.get(session, **key, now=T0 + timedelta(minutes=59))
    assert found is not None and found.response_body == {"id": "tx1"}
    # while it lives, the first response wins
    second = idempotency.put(
        session, **key, status_code=500, response_body={"error": "x"}, now=T0 + timedelta(minutes=1)
    )
    assert (second.status_code, second.response_body) == (201, {"id": "tx1"})
    # expired: not returned, replaceable, purged
    assert idempotency.get(session, **key, now=T0 + timedelta(hours=1)) is None
    replaced = idempotency.put(
        session,
        **key,
        status_code=202,
        response_body=[1],
        ttl=timedelta(minutes=5),
        now=T0 + timedelta(hours=2),
    )
    assert (replaced.status_code, replaced.response_body) == (202, [1])
    other = {**key, "path": "/v1/other"}
    idempotency.put(
        session, **other, status_code=200, response_body={}, ttl=timedelta(seconds=1), now=T0
    )
    idempotency.put(
        session, **{**key, "path": "/forever"}, status_code=200, response_body={}, ttl=None, now=T0
    )
    assert idempotency.purge(session, now=T0 + timedelta(hours=3)) == 2
    assert session.scalar(select(func.count()).select_from(HttpIdempotency)) == 1
    assert (
        idempotency.get(session, **{**key, "path": "/forever"}, now=T0 + timedelta(days=3650))
        is not None
    )
    with pytest.raises(ValueError):
        idempotency.put(session, **key, status_code=204, response_body=None)


def test_body_hash_is_sha256_hex() -> None:
    import hashlib

    assert idempotency.body_hash(b"abc") == hashlib.sha256(b"abc").hexdigest()


def test_attempt_counts_are_per_claim(session: Session) -> None:
    for n in range(3):
        _enqueue(session, f"r{n}")
    seen = Counter()
    for _ in range(3):
        for command in outbox.claim(session, "w", 3):
            seen[command.request_id] += 1
            outbox.mark_failed(session, command, error="again", max_attempts=10)
    assert seen == {"r0": 3, "r1": 3, "r2": 3}
    assert set(session.scalars(select(OutboxCommand.attempts))) == {3}
