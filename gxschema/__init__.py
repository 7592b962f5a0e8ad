"""gxschema: the PostgreSQL schema of the GX Protocol backend.

`gxschema.models` holds the tables, `gxschema.settings` and `gxschema.db` connect
to the database, and the `gxschema` command line migrates, seeds and checks it.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("gxschema")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

__all__ = ["__version__"]
