"""A server that never answers: a hung proxy or a firewall's tarpit, for connection timeouts."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def silent_port() -> Iterator[int]:
    """A port on 127.0.0.1 that accepts connections (the kernel completes the handshake)
    and never sends a byte, for as long as the block lasts."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        yield silent.getsockname()[1]


def silent_libpq_env(port: int, *, connect_timeout: str = "30") -> dict[str, str]:
    """libpq's variables naming the silent `port`, with the operator's `connect_timeout`."""
    return {
        "PGHOST": "127.0.0.1",
        "PGPORT": str(port),
        "PGDATABASE": "gx",
        "PGCONNECT_TIMEOUT": connect_timeout,
    }
