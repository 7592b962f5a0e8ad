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
import os
import sys
from functools import cache

FORMAT = b"gxschema seed checksum 1\n"
"""Changes when the recipe below changes, so that no old checksum matches a new one."""

_SEEDING_CODE = os.path.dirname(os.path.realpath(__file__))
"""This package's folder; with ``os.path``, not pathlib, which the no-op seed's fast path
(`gxschema.noop_seed`) would spend a tenth of its start-up importing."""


@cache
def _code_digest() -> bytes:
    """Every module of this package, by name and bytes: the code that makes the rows."""
    digest = hashlib.sha256()
    for name in sorted(name for name in os.listdir(_SEEDING_CODE) if name.endswith(".py")):
        with open(os.path.join(_SEEDING_CODE, name), "rb") as module:
            digest.update(name.encode() + b"\0" + module.read() + b"\0")
    return digest.digest()


def _faker_version() -> str:
    """Faker's installed version, read from its metadata file, as importlib.metadata does.

    Read here rather than through ``importlib.metadata``, whose import (with the email
    parser) costs some 0.04 s of CPU, more than the rest of the no-op seed, which needs
    this for the demo data. The first folder of ``sys.path`` holding Faker's metadata
    wins, as in the import system; when none does plainly, importlib.metadata answers.
    """
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:
            continue
        for name in sorted(names):
            project, _, kind = name.rpartition(".")
            if kind not in ("dist-info", "egg-info") or _project_name(project) != "faker":
                continue
            metadata_file = "METADATA" if kind == "dist-info" else "PKG-INFO"
            version = _declared_version(os.path.join(folder or ".", name, metadata_file))
            if version is not None:
                return version
    from importlib import metadata

    try:
        return metadata.version("faker")
    except metadata.PackageNotFoundError:
        return "none"


def _project_name(distribution: str) -> str:
    """``Faker-40.1.0`` -> ``faker``: lowercased, ``-`` and ``.`` as ``_``, as importlib has it."""
    name = distribution.partition("-")[0].lower()
    return name.replace("-", "_").replace(".", "_")


def _declared_version(path: str) -> str | None:
    """The ``Version:`` header of a core metadata file, or None."""
    try:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if not line.strip():
                    return None  # the headers end at the first empty line
                if line.startswith("Version:"):
                    return line.partition(":")[2].strip() or None
    except (OSError, UnicodeDecodeError):
        return None
    return None


def source_checksum(path: str | os.PathLike[str], *, demo: bool) -> str | None:
    """SHA-256 of the file at `path` and of the code (and Faker) that makes its rows.

    None when the file cannot be read (the full seed says why).
    """
    try:
        with open(path, "rb") as source:
            content = source.read()
    except OSError:
        return None
    digest = hashlib.sha256(FORMAT)
    digest.update(_code_digest())
    if demo:  # its rows are made by Faker's providers, which change between versions
        digest.update(b"faker " + _faker_version().encode() + b"\0")
    digest.update(content)
    return digest.hexdigest()
