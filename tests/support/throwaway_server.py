"""The server run as ``postgres`` when the tests run as root: `gxschema.testing.throwaway`."""

from gxschema.testing.throwaway import (
    OWNER_FILE,
    RUN_AS,
    ThrowawayServer,
    cannot_run_as,
    remove_orphans,
    start,
)

__all__ = ["OWNER_FILE", "RUN_AS", "ThrowawayServer", "cannot_run_as", "remove_orphans", "start"]
