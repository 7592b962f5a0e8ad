"""requirements/image.txt: the image installs pinned versions, and the pins follow pyproject.

A dependency changed in pyproject.toml without `python requirements/lock.py` would
leave the image on the old pins (or unable to install): these tests fail until the
lock is written again. They need no network: the lock records the SHA-256 of the
lists it was resolved from.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from types import ModuleType

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement

from ..support.dockerfile import DOCKERFILE, parse, stages
from ..support.paths import ROOT

LOCK_SCRIPT = ROOT / "requirements" / "lock.py"


@pytest.fixture(scope="module")
def lock() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gxschema_image_lock", LOCK_SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_the_lock_is_current_with_pyproject(lock: ModuleType) -> None:
    recorded = lock.recorded_fingerprint(lock.LOCK.read_text())
    assert recorded == lock.fingerprint(_pyproject()), (
        "pyproject.toml's dependencies changed since requirements/image.txt was written: "
        "run `python requirements/lock.py` and commit the file"
    )


def test_a_changed_dependency_changes_the_fingerprint(lock: ModuleType) -> None:
    pyproject = _pyproject()
    before = lock.fingerprint(pyproject)
    pyproject["project"]["optional-dependencies"]["test"].append("something-for-tests")
    assert lock.fingerprint(pyproject) == before, "the test extra is not in the image"
    for change in (
        lambda p: p["project"]["dependencies"].append("requests>=2"),
        lambda p: p["project"]["optional-dependencies"]["demo"].__setitem__(0, "faker>=41"),
        lambda p: p["build-system"]["requires"].append("setuptools-scm"),
    ):
        changed = _pyproject()
        change(changed)
        assert lock.fingerprint(changed) != before


def test_every_requirement_of_the_image_is_pinned_within_its_range(lock: ModuleType) -> None:
    pins = lock.pins(lock.LOCK.read_text())
    assert len(pins) >= 10
    environment = {**default_environment(), "python_version": "3.11", "sys_platform": "linux"}
    for group, requirements in lock.image_inputs(_pyproject()).items():
        for line in requirements:
            requirement = Requirement(line)
            if requirement.marker and not requirement.marker.evaluate(environment):
                continue
            name = lock.normalize(requirement.name)
            assert name in pins, f"{requirement.name} ({group}) is not pinned"
            assert requirement.specifier.contains(pins[name], prereleases=True), (
                f"{name}=={pins[name]} is outside {line!r} ({group})"
            )


def test_the_image_installs_with_the_lock(lock: ModuleType) -> None:
    build = stages(parse(DOCKERFILE.read_text()))[0]
    assert ("COPY", "requirements/image.txt requirements/") in build
    runs = " ".join(arguments for keyword, arguments in build if keyword == "RUN")
    assert "pip install -c requirements/image.txt" in runs
    # the build backend that makes the wheel is pinned too
    assert re.search(r"PIP_CONSTRAINT=/src/requirements/image\.txt\s+python -m pip wheel", runs)
    extras = re.search(r"gxschema-\*\.whl'\)\[([a-z,]+)\]", runs)
    assert extras and tuple(extras.group(1).split(",")) == lock.IMAGE_EXTRAS


def test_check_says_the_lock_is_stale_and_exits_1(tmp_path: Path) -> None:
    (tmp_path / "requirements").mkdir()
    for name in ("requirements/lock.py", "requirements/image.txt", "pyproject.toml"):
        shutil.copy(ROOT / name, tmp_path / name)
    check = [sys.executable, str(tmp_path / "requirements" / "lock.py"), "--check"]
    current = subprocess.run(check, capture_output=True, text=True, check=False)
    assert current.returncode == 0, current.stderr
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('"pyyaml>=6",', '"pyyaml>=6.0.2",', 1))
    stale = subprocess.run(check, capture_output=True, text=True, check=False)
    assert stale.returncode == 1
    assert "run python requirements/lock.py" in stale.stderr
    assert "Traceback" not in stale.stderr
