"""Where the seed files are, and which environment names a seed accepts.

Apart from `gxschema.seeding.run` so that the no-op seed (`gxschema.seeding.unchanged`)
can find the files without importing what writes them.
"""

from __future__ import annotations

import os
from pathlib import Path

from gxschema.errors import ConfigError
from gxschema.seeding.layout import ENVIRONMENTS

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def default_seeds_dir() -> Path:
    """``$GXSCHEMA_SEEDS_DIR``, else the wheel's own seeds, else ``seeds/`` of a checkout."""
    configured = os.environ.get("GXSCHEMA_SEEDS_DIR")
    if configured:
        return Path(configured)
    for candidate in (_PACKAGE_DIR / "seeds", _PACKAGE_DIR.parent / "seeds"):
        if candidate.is_dir():
            return candidate
    raise ConfigError("no seed files found: give --seeds-dir or set GXSCHEMA_SEEDS_DIR")


def check_environment_name(env: str) -> None:
    """Refuse (exit 2) an environment that is none of mainnet, testnet, devnet."""
    if env not in ENVIRONMENTS:
        raise ConfigError(f"unknown environment {env!r} (choose one of {', '.join(ENVIRONMENTS)})")


def seeds_folder(seeds_dir: str | Path | None) -> Path:
    """The folder of seed files to use: `seeds_dir` if given, else `default_seeds_dir`."""
    folder = Path(seeds_dir) if seeds_dir else default_seeds_dir()
    if not folder.is_dir():
        raise ConfigError(f"the seeds directory {folder} does not exist")
    return folder
