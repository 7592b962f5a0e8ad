"""The one build step pyproject.toml cannot declare: ship alembic/ and seeds/ in the wheel.

The migrations and the seed files stay at the repository root (where Alembic, the
Dockerfile and people look for them), yet the wheel that the Job's image installs
must carry them, since an installed package migrates and seeds with no checkout.
``[tool.gxschema.ship]`` in pyproject.toml says which folders go where; this copies
them into the build, after setuptools' own ``build_py``.

Why not ``[tool.setuptools.package-dir]`` (``gxschema.migrations = "alembic"``), as
before: with any remapping, ``pip install -e .`` installs an import hook instead of
a plain path entry, and type checkers cannot follow an import hook, so a service
developed against a checkout saw no ``gxschema`` at all. Without it the editable
install is one ``.pth`` line (the repository root), and in a checkout
`gxschema.alembic_config` and `gxschema.seeding` find ``alembic/`` and ``seeds/``
where they are; an editable build therefore copies nothing.
"""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path
from typing import Any

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


def shipped() -> dict[str, dict[str, Any]]:
    """``[tool.gxschema.ship]``: each root folder, with where it goes and which files."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    ship: dict[str, dict[str, Any]] = config["tool"]["gxschema"]["ship"]
    return ship


class BuildPyShippingRootFolders(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        for folder, spec in shipped().items():
            source = ROOT / folder
            target = Path(self.build_lib, spec["into"])
            # build/ outlives a build: a revision deleted from alembic/ must not come
            # back from an earlier build's copy and rejoin the history.
            shutil.rmtree(target, ignore_errors=True)
            patterns: list[str] = spec["files"]
            files = {path for pattern in patterns for path in source.rglob(pattern)}
            if not files:
                raise FileNotFoundError(f"{folder}/ has no {', '.join(patterns)} to ship")
            for path in sorted(files):
                if "__pycache__" in path.parts:
                    continue
                destination = target / path.relative_to(source)
                self.mkpath(str(destination.parent))
                self.copy_file(str(path), str(destination))


setup(cmdclass={"build_py": BuildPyShippingRootFolders})
