"""Which seed file holds which dataset, and which environments get it.

The layout is fixed here, not in a data file, so that no edit under ``seeds/`` can
give mainnet the demo data::

    seeds/base/countries.csv          countries       every environment
    seeds/base/system_config.yaml     system_config   every environment
    seeds/base/feature_flags.yaml     feature_flags   every environment
    seeds/devnet/demo.yaml            demo            devnet only

Datasets are applied in this order (later ones refer to earlier ones' rows).
"""

from __future__ import annotations

ENVIRONMENTS: tuple[str, ...] = ("mainnet", "testnet", "devnet")
"""The environments a seed can be applied to (namespaces ``backend-<env>``)."""

DEMO_ENVIRONMENTS: frozenset[str] = frozenset({"devnet"})
"""The only environments that may ever receive demo rows."""


class DatasetFile:
    """A dataset's name, its file (relative to the seeds directory), and who gets it.

    A plain class, not a dataclass: the no-op seed imports this module on the console
    script's fast path (`gxschema.noop_seed`), where ``dataclasses`` (which imports
    ``inspect``) would cost a fifth of its start-up.
    """

    __slots__ = ("demo", "environments", "name", "path")

    def __init__(
        self, name: str, path: str, environments: tuple[str, ...], demo: bool = False
    ) -> None:
        self.name = name
        self.path = path
        self.environments = environments
        self.demo = demo

    def __repr__(self) -> str:
        return f"DatasetFile({self.name!r}, {self.path!r}, {self.environments!r}, demo={self.demo})"


DATASET_FILES: tuple[DatasetFile, ...] = (
    DatasetFile("countries", "base/countries.csv", ENVIRONMENTS),
    DatasetFile("system_config", "base/system_config.yaml", ENVIRONMENTS),
    DatasetFile("feature_flags", "base/feature_flags.yaml", ENVIRONMENTS),
    DatasetFile("demo", "devnet/demo.yaml", ("devnet",), demo=True),
)

DATASET_NAMES: tuple[str, ...] = tuple(entry.name for entry in DATASET_FILES)


def files_for(env: str) -> list[DatasetFile]:
    """The dataset files `env` gets, in the order they are applied."""
    return [
        entry
        for entry in DATASET_FILES
        if env in entry.environments and (not entry.demo or env in DEMO_ENVIRONMENTS)
    ]
