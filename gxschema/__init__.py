"""gxschema: the PostgreSQL schema of the GX Protocol backend.

`gxschema.models` holds the tables, `gxschema.settings` and `gxschema.db` connect
to the database, and the `gxschema` command line migrates, seeds and checks it.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing's, without importing typing: the no-op seed starts with this

__all__ = ["__version__"]

if TYPE_CHECKING:
    __version__: str


def __getattr__(name: str) -> str:
    # Read from the installed metadata on first use, not at import: importlib.metadata
    # (and the email parser it loads) costs some 0.04 s of CPU that `gxschema --help`
    # and every import of the models need not pay (docs/performance.md, "Start-up").
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("gxschema")
    except PackageNotFoundError:  # running from a source tree that is not installed
        found = "0.0.0"
    globals()["__version__"] = found
    return found
