"""gxschema.retry: the one retry policy (no database: it only calls functions and sleeps)."""

from __future__ import annotations

import time

import pytest

from gxschema.retry import Backoff, Retry, is_lock_timeout, poll


class _LockedError(Exception):
    sqlstate = "55P03"


class _WrappedError(Exception):
    def __init__(self) -> None:
        super().__init__("wrapped")
        self.orig = _LockedError()


def test_backoff_doubles_up_to_its_cap_and_jitter_stays_within_half() -> None:
    backoff = Backoff(first=0.5, cap=3.0)
    assert [backoff.pause(retry) for retry in range(1, 6)] == [0.5, 1.0, 2.0, 3.0, 3.0]
    jittered = Backoff(first=1.0, cap=1.0, jitter=True)
    pauses = {jittered.pause(1) for _ in range(50)}
    assert all(0.5 <= pause <= 1.5 for pause in pauses) and len(pauses) > 1


def test_a_retryable_error_is_retried_until_the_call_succeeds() -> None:
    calls: list[int] = []
    seen: list[tuple[int, float]] = []

    def flaky() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise _LockedError
        return "done"

    retry = Retry(
        Backoff(first=0.0, cap=0.0),
        retryable=is_lock_timeout,
        attempts=5,
        on_retry=lambda number, pause, _error: seen.append((number, pause)),
    )
    assert retry.call(flaky) == "done"
    assert retry.tried == 3 and seen == [(1, 0.0), (2, 0.0)]


def test_the_last_error_is_raised_as_it_was_when_the_attempts_run_out() -> None:
    retry = Retry(Backoff(first=0.0, cap=0.0), retryable=is_lock_timeout, attempts=3)

    def always() -> None:
        raise _WrappedError

    with pytest.raises(_WrappedError):
        retry.call(always)
    assert retry.tried == 3


def test_an_error_that_is_not_retryable_is_raised_at_once() -> None:
    retry = Retry(Backoff(first=0.0, cap=0.0), retryable=is_lock_timeout, attempts=5)

    def broken() -> None:
        raise ValueError("not a lock timeout")

    with pytest.raises(ValueError):
        retry.call(broken)
    assert retry.tried == 1


def test_a_deadline_bounds_the_retries_and_no_pause_runs_past_it() -> None:
    retry = Retry(Backoff(first=10.0, cap=10.0), retryable=is_lock_timeout, seconds=0.3)
    started = time.monotonic()

    def always() -> None:
        raise _LockedError

    with pytest.raises(_LockedError):
        retry.call(always)
    assert 0.25 <= time.monotonic() - started < 2.0
    assert retry.tried >= 2


def test_poll_says_whether_the_condition_came_true_in_time() -> None:
    answers = iter([False, False, True])
    assert poll(lambda: next(answers), seconds=5.0, every=0.01) is True
    started = time.monotonic()
    assert poll(lambda: False, seconds=0.2, every=0.05) is False
    assert 0.15 <= time.monotonic() - started < 2.0
