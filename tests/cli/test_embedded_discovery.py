"""The embedded database is found from anywhere inside the project, by `gxschema` and `alembic`.

A developer runs `gxschema up` once at the top of a project and then works in its
subfolders: every command there (and `alembic upgrade head` from the checkout) must
reach that same database, as git finds ``.git/`` from any folder below it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from gxschema import embedded

from ..support.cli import Ran, clean_env, gxschema
from ..support.paths import ROOT

pytest.importorskip("pgserver", reason="the embedded PostgreSQL (pgserver) is not installed")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A project whose embedded database `gxschema up` made at its top."""
    folder = tmp_path_factory.mktemp("project")
    ran = gxschema("--json", "up", env=clean_env(), cwd=folder)
    assert ran.code == 0, ran.output
    yield folder
    gxschema("down", env=clean_env(), cwd=folder)


def _deep(project: Path) -> Path:
    folder = project / "services" / "wallet"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_find_upward_takes_the_nearest_folder_and_ignores_a_file(tmp_path: Path) -> None:
    deep = tmp_path / "a" / "b" / "c"
    deep.mkdir(parents=True)
    above = embedded.find_upward(deep)
    assert above is None or not above.is_relative_to(tmp_path)
    (tmp_path / ".gxschema").mkdir()
    assert embedded.find_upward(deep) == tmp_path / ".gxschema"
    (tmp_path / "a" / ".gxschema").write_text("not a folder")
    assert embedded.find_upward(deep) == tmp_path / ".gxschema"
    (tmp_path / "a" / "b" / ".gxschema").mkdir()
    assert embedded.find_upward(deep) == tmp_path / "a" / "b" / ".gxschema"


def test_home_named_by_gxschema_home_is_not_searched_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".gxschema").mkdir()
    deep = tmp_path / "x" / "y"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    monkeypatch.delenv("GXSCHEMA_HOME", raising=False)
    assert embedded.home() == tmp_path / ".gxschema"
    monkeypatch.setenv("GXSCHEMA_HOME", str(tmp_path / "elsewhere"))
    assert embedded.home() == tmp_path / "elsewhere"
    assert embedded.home("given") == deep / "given"


def test_status_two_levels_down_reaches_the_same_database(project: Path) -> None:
    top = gxschema("--json", "status", env=clean_env(), cwd=project)
    below = gxschema("--json", "status", env=clean_env(), cwd=_deep(project))
    assert top.code == 0 and below.code == 0, below.output
    assert json.loads(below.stdout)["current_revision"] == "0006"
    assert json.loads(below.stdout) == json.loads(top.stdout)


def test_up_in_a_subfolder_uses_the_database_above(project: Path) -> None:
    made = gxschema("--json", "up", env=clean_env(), cwd=project)
    assert made.code == 0, made.output
    first = json.loads(made.stdout)
    ran = gxschema("--json", "up", env=clean_env(), cwd=_deep(project))
    assert ran.code == 0, ran.output
    again = json.loads(ran.stdout)
    assert again["url"] == first["url"] and again["migrated"] == []
    assert not (_deep(project) / ".gxschema").exists()


def _alembic(*args: str, env: dict[str, str], cwd: Path = ROOT) -> Ran:
    """`python -m alembic`, from the checkout unless told, as a developer types it there."""
    completed = subprocess.run(
        [sys.executable, "-m", "alembic", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return Ran(completed.returncode, completed.stdout, completed.stderr)


def _nothing_configured(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in clean_env().items() if not key.startswith("PG")}
    return {**env, **extra}


def test_alembic_with_nothing_configured_says_so_in_one_line(tmp_path: Path) -> None:
    # An empty GXSCHEMA_HOME stands for "no embedded database made": the checkout may
    # hold a developer's own .gxschema/, which the test must not find.
    ran = _alembic("upgrade", "head", env=_nothing_configured(GXSCHEMA_HOME=str(tmp_path)))
    assert ran.code != 0
    assert "Traceback" not in ran.output
    lines = [line for line in ran.output.splitlines() if line.strip()]
    assert len(lines) == 1, ran.output
    assert "no database is configured" in lines[0] and "gxschema up" in lines[0]


def test_alembic_upgrade_head_uses_the_embedded_database(project: Path) -> None:
    env = _nothing_configured(GXSCHEMA_HOME=str(project / ".gxschema"))
    # Back one revision first, so that `upgrade head` has something to do on it.
    down = _alembic("downgrade", "0005", env=env)
    assert down.code == 0, down.output
    ran = _alembic("upgrade", "head", env=env)
    assert ran.code == 0, ran.output
    assert "Running upgrade 0005 -> 0006" in ran.output
    current = _alembic("current", env=env)
    assert current.code == 0 and "0006 (head)" in current.stdout, current.output
    # From a folder inside the project, with nothing named: found upward, as gxschema does.
    inside = _alembic(
        "-c", str(ROOT / "alembic.ini"), "current", env=_nothing_configured(), cwd=_deep(project)
    )
    assert inside.code == 0 and "0006 (head)" in inside.stdout, inside.output
    status = gxschema("--json", "status", env=clean_env(), cwd=project)
    assert json.loads(status.stdout)["current_revision"] == "0006"
