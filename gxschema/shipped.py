"""Where the folders shipped from the repository root are: in the wheel, or in a checkout.

The migrations (``alembic/``) and the seed files (``seeds/``) live at the repository
root. The wheel carries them inside the package, as ``gxschema/migrations`` and
``gxschema/seeds`` (setup.py copies them, as ``[tool.gxschema.ship]`` in
pyproject.toml says), because the Job's image has no checkout. An editable install
copies nothing: the package then sits beside them. One lookup serves both, for the
migrations (`gxschema.alembic_config`) and the seeds (`gxschema.seeding`).
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent

IN_PACKAGE: dict[str, str] = {"alembic": "migrations", "seeds": "seeds"}
"""Each shipped root folder and its name inside the package (a test keeps it equal to
pyproject.toml's ``[tool.gxschema.ship]``, which the build reads)."""


def folder(name: str) -> Path | None:
    """The root folder `name` (``alembic`` or ``seeds``) as this installation has it.

    The package's own copy when there is one (an installed wheel), else the folder
    beside the package (a checkout, or an editable install of it); None if neither.
    """
    for candidate in (_PACKAGE_DIR / IN_PACKAGE[name], _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    return None
