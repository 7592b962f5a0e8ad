"""Where the seed files are, and which environment names a seed accepts.

Apart from `gxschema.seeding.run` so that the no-op seed (`gxschema.seeding.unchanged`)
can find the files without importing what writes them. The rules are written with
``os.path`` (`seeds_location`), and pathlib imported only to return a `Path`: the no-op
seed's fast path (`gxschema.noop_seed`) would spend a tenth of its start-up importing it.
"""

from __future__ import annotations

import os

from gxschema.errors import ConfigError
from gxschema.seeding.layout import ENVIRONMENTS

TYPE_CHECKING = False  # typing's, without importing typing on the no-op seed's path
if TYPE_CHECKING:
    from pathlib import Path

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))


def default_seeds_dir() -> Path:
    """``$GXSCHEMA_SEEDS_DIR``, else the wheel's own seeds, else ``seeds/`` of a checkout."""
    from pathlib import Path

    return Path(_default_location())


def _default_location() -> str:
    configured = os.environ.get("GXSCHEMA_SEEDS_DIR")
    if configured:
        return configured
    for candidate in (_PACKAGE_DIR, os.path.dirname(_PACKAGE_DIR)):
        if os.path.isdir(os.path.join(candidate, "seeds")):
            return os.path.join(candidate, "seeds")
    raise ConfigError("no seed files found: give --seeds-dir or set GXSCHEMA_SEEDS_DIR")


def check_environment_name(env: str) -> None:
    """Refuse (exit 2) an environment that is none of mainnet, testnet, devnet."""
    if env not in ENVIRONMENTS:
        raise ConfigError(f"unknown environment {env!r} (choose one of {', '.join(ENVIRONMENTS)})")


def seeds_folder(seeds_dir: str | Path | None) -> Path:
    """The folder of seed files to use: `seeds_dir` if given, else `default_seeds_dir`."""
    from pathlib import Path

    return Path(seeds_location(seeds_dir))


def seeds_location(seeds_dir: str | os.PathLike[str] | None) -> str:
    """`seeds_folder`, as a string."""
    folder = os.fspath(seeds_dir) if seeds_dir else _default_location()
    if not os.path.isdir(folder):
        raise ConfigError(f"the seeds directory {folder} does not exist")
    return folder
