"""One retry policy for the whole package: connecting, lock timeouts, and polling.

Every wait gxschema does is bounded and backs off the same way: a pause that
doubles from `Backoff.first` up to `Backoff.cap` (optionally with +-50 % jitter, so
that two migrators do not retry in step), until an attempt count or a deadline runs
out; a predicate says which errors are worth another try (a lock timeout, a server
that did not answer) and an ``on_retry`` callback tells the user why we wait. What
to do when the tries run out (which message, which exit code) stays with the caller,
who catches the last error as it was raised.

Only the standard library: `gxschema.online`, which Alembic revisions import, uses it.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")

LOCK_NOT_AVAILABLE = "55P03"
"""SQLSTATE of a statement that gave up waiting for a lock (``lock_timeout``)."""


def is_lock_timeout(error: BaseException) -> bool:
    """Whether `error` (a driver error, or SQLAlchemy's wrapper of one) is a lock timeout."""
    original = getattr(error, "orig", None) or error
    return getattr(original, "sqlstate", None) == LOCK_NOT_AVAILABLE


@dataclass(frozen=True)
class Backoff:
    """Pauses between tries: `first`, doubling, at most `cap` seconds."""

    first: float
    cap: float
    jitter: bool = False
    """Scale each pause by a random 50-150 %."""

    def pause(self, retry: int) -> float:
        """Seconds to wait before retry number `retry` (1 for the first retry)."""
        pause = float(min(self.cap, self.first * 2 ** (retry - 1)))
        return pause * (0.5 + random.random()) if self.jitter else pause


@dataclass
class Retry:
    """Call a function again while its error is `retryable`, within `attempts` or `seconds`.

    ``tried`` counts the calls made by the last `call`, for the caller's message
    when it gives up.
    """

    backoff: Backoff
    retryable: Callable[[BaseException], bool]
    attempts: int | None = None
    """Calls at the most, the first one included (None: only the deadline bounds it)."""
    seconds: float | None = None
    """Retry only within this many seconds of the first call; no pause runs past it."""
    on_retry: Callable[[int, float, BaseException], None] | None = None
    """Called with the retry's number, its pause and the error, before the pause."""
    tried: int = 0

    def call(self, function: Callable[[], T]) -> T:
        if self.attempts is not None and self.attempts < 1:
            raise ValueError("attempts must be at least 1")
        deadline = None if self.seconds is None else time.monotonic() + self.seconds
        self.tried = 0
        while True:
            self.tried += 1
            try:
                return function()
            except Exception as error:
                if not self.retryable(error) or self._out_of_tries(deadline):
                    raise
                pause = self.backoff.pause(self.tried)
                if deadline is not None:
                    pause = min(pause, max(0.0, deadline - time.monotonic()))
                if self.on_retry is not None:
                    self.on_retry(self.tried, pause, error)
                time.sleep(pause)

    def _out_of_tries(self, deadline: float | None) -> bool:
        if self.attempts is not None and self.tried >= self.attempts:
            return True
        return deadline is not None and time.monotonic() >= deadline


class _NotYetError(Exception):
    """What `poll` raises inside `Retry` while its condition is still false."""


def poll(condition: Callable[[], bool], *, seconds: float, every: float) -> bool:
    """Ask `condition` every `every` seconds until it holds (True) or `seconds` pass (False)."""

    def once() -> None:
        if not condition():
            raise _NotYetError

    retry = Retry(
        Backoff(first=every, cap=every),
        retryable=lambda error: isinstance(error, _NotYetError),
        seconds=seconds,
    )
    try:
        retry.call(once)
    except _NotYetError:
        return False
    return True
