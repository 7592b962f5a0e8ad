"""Collision-resistant ids in the form Prisma's `cuid()` produces (CUID v1).

A CUID is 25 characters: ``c``, then in base 36 the time in milliseconds (8),
a per-process counter (4), a host/process fingerprint (4) and randomness (8).
It sorts roughly by creation time, which keeps B-tree inserts local, and two
processes on two machines do not collide in practice.
"""

from __future__ import annotations

import itertools
import os
import secrets
import socket
import threading
import time

_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"
_BASE = 36
_BLOCK = 4
_BLOCK_SPACE = _BASE**_BLOCK

_lock = threading.Lock()
_counter = itertools.count(secrets.randbelow(_BLOCK_SPACE))


def _base36(number: int) -> str:
    if number == 0:
        return "0"
    digits = []
    while number:
        number, rest = divmod(number, _BASE)
        digits.append(_ALPHABET[rest])
    return "".join(reversed(digits))


def _pad(value: str, width: int) -> str:
    """Left-pad with zeros, or keep the rightmost `width` characters."""
    return value.rjust(width, "0")[-width:]


def _fingerprint() -> str:
    pid = _pad(_base36(os.getpid()), 2)
    host = socket.gethostname()
    host_sum = sum(ord(char) for char in host) + len(host) + _BASE
    return pid + _pad(_base36(host_sum), 2)


_FINGERPRINT = _fingerprint()


def cuid() -> str:
    """A new CUID, e.g. ``cmiiv2tq80000abcd1x2y3z4w``."""
    timestamp = _pad(_base36(int(time.time() * 1000)), 8)
    with _lock:
        count = next(_counter) % _BLOCK_SPACE
    counter = _pad(_base36(count), _BLOCK)
    random_part = _pad(_base36(secrets.randbelow(_BLOCK_SPACE**2)), 2 * _BLOCK)
    return "c" + timestamp + counter + _FINGERPRINT + random_part
