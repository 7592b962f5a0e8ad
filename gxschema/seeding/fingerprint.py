"""The checksum a dataset is recorded under: its file, and what turns the file into rows.

``SeedDataset.checksum`` is this, so that a seed can tell that nothing changed without
reading, validating and generating anything: the same file bytes, read by the same
seeding code (and, for the demo data, the same Faker), make the same rows. Hashing the
sources is cheap; making the rows is not (the demo's alone are generated with Faker).

Wider than the rows on purpose: a file's comment, or a change to any module of this
package, gives a new checksum, so the next seed compares every row again once and
records it. A difference the other way round (rows that changed while the checksum did
not) cannot happen, which is what the no-op seed (`gxschema.seeding.unchanged`) relies
on. Standard library only: the no-op seed imports it.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import metadata
from pathlib import Path

FORMAT = b"gxschema seed checksum 1\n"
"""Changes when the recipe below changes, so that no old checksum matches a new one."""

_SEEDING_CODE = Path(__file__).resolve().parent


@cache
def _code_digest() -> bytes:
    """Every module of this package, by name and bytes: the code that makes the rows."""
    digest = hashlib.sha256()
    for module in sorted(_SEEDING_CODE.glob("*.py")):
        digest.update(module.name.encode() + b"\0" + module.read_bytes() + b"\0")
    return digest.digest()


def _faker_version() -> str:
    try:
        return metadata.version("faker")
    except metadata.PackageNotFoundError:
        return "none"


def source_checksum(path: Path, *, demo: bool) -> str | None:
    """SHA-256 of the file at `path` and of the code (and Faker) that makes its rows.

    None when the file cannot be read (the full seed says why).
    """
    try:
        content = path.read_bytes()
    except OSError:
        return None
    digest = hashlib.sha256(FORMAT)
    digest.update(_code_digest())
    if demo:  # its rows are made by Faker's providers, which change between versions
        digest.update(b"faker " + _faker_version().encode() + b"\0")
    digest.update(content)
    return digest.hexdigest()
