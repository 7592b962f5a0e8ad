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

from gxschema.seeding.apply import SeedTarget, apply
from gxschema.seeding.dataset import Dataset, TableRows, stable_id
from gxschema.seeding.errors import SeedError, SeedValidationError
from gxschema.seeding.layout import DATASET_NAMES, DEMO_ENVIRONMENTS, ENVIRONMENTS
from gxschema.seeding.load import load
from gxschema.seeding.report import DatasetReport, Difference, SeedReport, TableReport

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
