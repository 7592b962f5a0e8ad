"""The wheel (what the Job's image installs) carries the whole package, its migrations and seeds."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    (path,) = out.glob("gxschema-*.whl")
    return zipfile.ZipFile(path)


def _expected(folder: Path, prefix: str, patterns: tuple[str, ...]) -> set[str]:
    found = set()
    for pattern in patterns:
        for path in folder.rglob(pattern):
            if "__pycache__" not in path.parts:
                found.add(f"{prefix}/{path.relative_to(folder).as_posix()}")
    return found


def test_every_module_of_the_package_is_in_the_wheel(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    expected = _expected(ROOT / "gxschema", "gxschema", ("*.py", "*.json", "py.typed"))
    assert expected - names == set()


def test_migrations_ship_as_gxschema_migrations(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    expected = _expected(ROOT / "alembic", "gxschema/migrations", ("*.py", "*.mako"))
    assert expected and expected - names == set()


def test_seed_files_ship_as_gxschema_seeds(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    expected = _expected(ROOT / "seeds", "gxschema/seeds", ("*.csv", "*.yaml", "*.md"))
    assert "gxschema/seeds/base/countries.csv" in expected
    assert expected - names == set()
