"""Reference data: validate the files under ``seeds/`` and apply them to a database.

    from gxschema.seeding import apply, load

    datasets = load(Path("seeds"), "devnet")          # raises SeedValidationError
    report = apply(engine, datasets, env="devnet")    # one transaction
    print(report.summary()); json.dumps(report.to_dict())

Modules, one job each: `layout` (which file is which dataset, for which
environment), `files` (CSV/YAML reading with line numbers), `schemas` (pydantic
models of the files and error messages), `base` and `demo` (building datasets),
`dataset` (the `Dataset` type, checksums, derived ids), `load`, `apply`, `report`.
"""

from __future__ import annotations

import importlib
import sys
import types

TYPE_CHECKING = False  # typing's, without importing typing: the no-op seed imports this
if TYPE_CHECKING:
    from typing import Any

    from gxschema.seeding.apply import SeedTarget, apply
    from gxschema.seeding.dataset import Dataset, TableRows, stable_id
    from gxschema.seeding.errors import SeedError, SeedValidationError
    from gxschema.seeding.layout import DATASET_NAMES, DEMO_ENVIRONMENTS, ENVIRONMENTS
    from gxschema.seeding.load import load
    from gxschema.seeding.report import DatasetReport, Difference, SeedReport, TableReport

# Each name is imported from its module when first used, not with the package: the
# no-op seed (`gxschema.seeding.unchanged`) imports only light modules of this package,
# and importing the package itself must not load the models, SQLAlchemy's ORM, pydantic's
# seed schemas and Faker for it (docs/performance.md).
_HOMES = {
    "SeedTarget": "apply",
    "apply": "apply",
    "Dataset": "dataset",
    "TableRows": "dataset",
    "stable_id": "dataset",
    "SeedError": "errors",
    "SeedValidationError": "errors",
    "DATASET_NAMES": "layout",
    "DEMO_ENVIRONMENTS": "layout",
    "ENVIRONMENTS": "layout",
    "load": "load",
    "DatasetReport": "report",
    "Difference": "report",
    "SeedReport": "report",
    "TableReport": "report",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


class _Package(types.ModuleType):
    """This package, whose functions `load` and `apply` share their modules' names.

    The first import of a submodule binds it on its package (``gxschema.seeding.load``
    the module); the eager imports this package used to have rebound the functions
    right after. Imported lazily, the function must win whenever the module is first
    imported, so those two bindings are not kept (`sys.modules` still holds both
    modules, for ``from gxschema.seeding.load import ...``).
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name in ("apply", "load") and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


__all__ = [
    "DATASET_NAMES",
    "DEMO_ENVIRONMENTS",
    "ENVIRONMENTS",
    "Dataset",
    "DatasetReport",
    "Difference",
    "SeedError",
    "SeedReport",
    "SeedTarget",
    "SeedValidationError",
    "TableReport",
    "TableRows",
    "apply",
    "load",
    "stable_id",
]
