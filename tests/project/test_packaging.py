"""The wheel (what the Job's image installs) carries the whole package, its migrations and seeds."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from gxschema import shipped
from gxschema.alembic_config import head_revision

from ..support.paths import ROOT


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


_FROM_THE_WHEEL = """
import json, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import gxschema
from gxschema import shipped
from gxschema.alembic_config import head_revision, script_location
from gxschema.seeding import load
seeds = shipped.folder("seeds")
print(json.dumps({
    "package": str(Path(gxschema.__file__).parent),
    "migrations": str(script_location()),
    "head": head_revision(),
    "seeds": str(seeds),
    "datasets": [dataset.name for dataset in load(seeds, "devnet")],
}))
"""


def test_the_installed_wheel_migrates_and_seeds_from_its_own_files(
    wheel: zipfile.ZipFile, tmp_path: Path
) -> None:
    """The Job's image has no checkout: migrations and seeds come from the package."""
    wheel.extractall(tmp_path / "site")
    env = {k: v for k, v in os.environ.items() if k != "GXSCHEMA_SEEDS_DIR"}
    ran = subprocess.run(
        [sys.executable, "-c", _FROM_THE_WHEEL, str(tmp_path / "site")],
        capture_output=True, text=True, check=False, cwd=tmp_path, env=env,
    )
    assert ran.returncode == 0, ran.stderr
    found = json.loads(ran.stdout)
    assert found["package"] == str(tmp_path / "site" / "gxschema")
    assert found["migrations"] == str(tmp_path / "site" / "gxschema" / "migrations")
    assert found["head"] == head_revision()
    assert found["seeds"] == str(tmp_path / "site" / "gxschema" / "seeds")
    assert {"countries", "system_config", "feature_flags", "demo"} <= set(found["datasets"])


def test_the_runtime_lookup_knows_what_the_build_ships() -> None:
    """gxschema.shipped cannot read pyproject.toml in a wheel: the two must agree."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["gxschema"]["ship"]
    assert {folder: f"gxschema/{name}" for folder, name in shipped.IN_PACKAGE.items()} == {
        folder: spec["into"] for folder, spec in config.items()
    }
    # in a checkout (and an editable install) the folders beside the package
    assert shipped.folder("alembic") == ROOT / "alembic"
    assert shipped.folder("seeds") == ROOT / "seeds"


# A service that develops against a checkout: what it imports, checked as it would be.
_CONSUMER = '''\
from sqlalchemy import select

from gxschema.db import create_engine, session_scope
from gxschema.models import UserProfile


def first_email() -> str | None:
    with session_scope(create_engine()) as session:
        email: str | None = session.execute(select(UserProfile.email)).scalar()
    return email
'''
# And one mistake, which only the package's own annotations (py.typed) can reveal.
_MISTAKE = '''\
from gxschema.db import create_engine

engine = create_engine("postgresql://localhost/gx")
'''

# An install failing for one of these reasons means no package index could be reached
# (the build runs isolated, as the README's install does: it needs setuptools and wheel).
_OFFLINE = ("No matching distribution", "Could not find a version", "NewConnectionError")


def test_mypy_strict_finds_the_package_of_an_editable_install(tmp_path: Path) -> None:
    """README's `pip install -e .` must leave a plain path entry, not an import hook.

    setuptools turns a ``package-dir`` remapping into a meta-path finder, which type
    checkers cannot follow: mypy then reports ``gxschema`` as not found at all.
    """
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site_packages = Path(
        subprocess.run(
            [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    # The dependencies come from this venv as a plain path entry; its own editable
    # gxschema (whatever its mode) stays out, since a .pth line adds no .pth files.
    (site_packages / "dependencies.pth").write_text(
        next(p for p in sys.path if p.endswith("site-packages")) + "\n"
    )
    installed = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q",
         "--no-deps", "-e", str(ROOT)],
        capture_output=True,
        text=True,
        check=False,
    )
    if installed.returncode != 0 and any(reason in installed.stderr for reason in _OFFLINE):
        pytest.skip(f"pip cannot build the editable install offline: {installed.stderr[-300:]}")
    assert installed.returncode == 0, installed.stderr
    service = tmp_path / "service"
    service.mkdir()
    (service / "consumer.py").write_text(_CONSUMER)
    (service / "mistake.py").write_text(_MISTAKE)
    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--python-executable", str(python),
         "--cache-dir", str(tmp_path / "mypy-cache"), "--config-file", "", "consumer.py",
         "mistake.py"],
        capture_output=True,
        text=True,
        check=False,
        cwd=service,
    )
    errors = [line for line in checked.stdout.splitlines() if ": error: " in line]
    assert len(errors) == 1, checked.stdout + checked.stderr
    assert errors[0].startswith("mistake.py:3: error: Argument 1 to \"create_engine\""), errors
    assert "[arg-type]" in errors[0]
