"""Write requirements/image.txt: the exact versions the Docker image installs.

    python requirements/lock.py           # resolve again and rewrite the file (needs PyPI)
    python requirements/lock.py --check   # exit 1 if pyproject.toml changed since (offline)

pyproject.toml gives ranges (``alembic>=1.13,<2``), so two builds of one commit a day
apart could install different versions. The Dockerfile installs with
``pip install -c requirements/image.txt``: every package the image gets, the project's
dependencies, those of the extras the image installs, their own dependencies, and the
build backend that makes the wheel, is pinned to one version.

The file is resolved in a fresh virtual environment by pip itself
(``pip install --dry-run --ignore-installed --report``), for the image's Python and
platform: environment markers are read from the interpreter that resolves, so this
runs only on Linux with the image's Python minor version (the ``FROM`` line), and
refuses otherwise rather than write pins for another machine.

Its header records the SHA-256 of the dependency lists it was made from (`fingerprint`);
``--check`` and ``tests/k8s/test_image_lock.py`` compare that with pyproject.toml now,
so a changed dependency without a new lock fails CI. Pins carry no ``--hash``: pip
does not enforce hashes given in a constraints file (only in requirements files, which
the project's own wheel, built in the image, could not be part of).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
import re
import subprocess
import sys
import tempfile
import tomllib
import venv
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"
DOCKERFILE = ROOT / "Dockerfile"
LOCK = ROOT / "requirements" / "image.txt"

IMAGE_EXTRAS = ("demo",)
"""The extras the Dockerfile installs (``gxschema-*.whl[demo]``)."""

FINGERPRINT_LINE = "# pyproject-sha256: "
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;#]+)$")


def image_inputs(pyproject: dict[str, Any]) -> dict[str, list[str]]:
    """What of pyproject.toml decides what the image installs, by list."""
    project = pyproject["project"]
    inputs = {
        "build-system.requires": list(pyproject["build-system"]["requires"]),
        "project.dependencies": list(project["dependencies"]),
    }
    for extra in IMAGE_EXTRAS:
        inputs[f"project.optional-dependencies.{extra}"] = list(
            project["optional-dependencies"][extra]
        )
    return inputs


def fingerprint(pyproject: dict[str, Any]) -> str:
    """SHA-256 of `image_inputs`: changes with any requirement the image installs."""
    canonical = json.dumps(image_inputs(pyproject), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def recorded_fingerprint(lock_text: str) -> str | None:
    for line in lock_text.splitlines():
        if line.startswith(FINGERPRINT_LINE):
            return line[len(FINGERPRINT_LINE) :].strip()
    return None


def pins(lock_text: str) -> dict[str, str]:
    """The lock's ``name==version`` lines, by normalized name."""
    found: dict[str, str] = {}
    for line in lock_text.splitlines():
        match = _PIN.match(line.strip())
        if match:
            found[normalize(match.group(1))] = match.group(2)
    return found


def normalize(name: str) -> str:
    """A distribution name as PyPI compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def image_python() -> tuple[int, int]:
    """The Python minor version of the image, from the Dockerfile's first FROM line."""
    for line in DOCKERFILE.read_text().splitlines():
        match = re.match(r"FROM\s+python:(\d+)\.(\d+)", line.strip())
        if match:
            return int(match.group(1)), int(match.group(2))
    raise SystemExit("lock.py: the Dockerfile has no FROM python:X.Y line")


def resolve(requirements: list[str]) -> dict[str, str]:
    """What pip installs for `requirements` into an empty environment: name -> version."""
    with tempfile.TemporaryDirectory(prefix="gxschema-lock-") as folder:
        environment = Path(folder) / "venv"
        venv.create(environment, with_pip=True)
        python = environment / "bin" / "python"
        report = Path(folder) / "report.json"
        command = [
            str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
            "--dry-run", "--ignore-installed", "--report", str(report), *requirements,
        ]  # fmt: skip
        subprocess.run(command, check=True)
        installed = json.loads(report.read_text())["install"]
    return {item["metadata"]["name"]: item["metadata"]["version"] for item in installed}


def render(resolved: dict[str, str], digest: str, python: tuple[int, int]) -> str:
    header = [
        "# Constraints of the gxschema image: the Dockerfile installs with",
        "# pip install -c requirements/image.txt, so every build of a commit gets these versions.",
        "# Generated by requirements/lock.py from pyproject.toml; do not edit. After changing",
        "# a dependency (build-system, [project] dependencies, the extras below), run",
        "#     python requirements/lock.py",
        "# and commit this file: tests/k8s/test_image_lock.py fails until then.",
        f"# Resolved for Python {python[0]}.{python[1]} on Linux; extras: {','.join(IMAGE_EXTRAS)}",
        f"{FINGERPRINT_LINE}{digest}",
    ]
    lines = [f"{name}=={resolved[name]}" for name in sorted(resolved, key=normalize)]
    return "\n".join(header + lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="exit 1 if pyproject.toml changed since the lock was written (no network)",
    )
    args = parser.parse_args(argv)
    pyproject = tomllib.loads(PYPROJECT.read_text())
    digest = fingerprint(pyproject)
    if args.check:
        recorded = recorded_fingerprint(LOCK.read_text()) if LOCK.exists() else None
        if recorded != digest:
            print(
                f"{LOCK.relative_to(ROOT)} is not current with pyproject.toml's dependencies: "
                "run python requirements/lock.py and commit it",
                file=sys.stderr,
            )
            return 1
        print(f"{LOCK.relative_to(ROOT)} is current with pyproject.toml")
        return 0
    python = image_python()
    if sys.version_info[:2] != python or platform.system() != "Linux":
        print(
            f"lock.py: run it with Python {python[0]}.{python[1]} on Linux, as the image is "
            f"(this is Python {sys.version_info[0]}.{sys.version_info[1]} on "
            f"{platform.system()}): environment markers would pick another machine's packages",
            file=sys.stderr,
        )
        return 2
    requirements = [r for group in image_inputs(pyproject).values() for r in group]
    LOCK.write_text(render(resolve(requirements), digest, python))
    print(f"wrote {LOCK.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
