"""What dump, restore and verify share: the progress callback and one-line error text."""

from __future__ import annotations

from collections.abc import Callable

from gxschema.errors import GxSchemaError

Progress = Callable[[str], None]


def quiet(_message: str) -> None:
    """The progress callback of a caller that asked for none."""
    return None


def one_line(error: BaseException) -> str:
    if isinstance(error, GxSchemaError):
        return str(error)
    if isinstance(error, OSError):
        where = f": {error.filename}" if error.filename else ""
        return f"{error.strerror or error}{where}"
    original = getattr(error, "orig", None) or error
    lines = [line.strip() for line in str(original).splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__
