"""`load`: read and validate every seed file of an environment, before anything is written."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from gxschema.seeding import base
from gxschema.seeding.dataset import Dataset
from gxschema.seeding.demo import load_demo
from gxschema.seeding.errors import SeedValidationError
from gxschema.seeding.fingerprint import source_checksum
from gxschema.seeding.layout import DATASET_NAMES, ENVIRONMENTS, files_for

_READERS: dict[str, Callable[[Path, str, list[str]], Dataset | None]] = {
    "countries": base.countries,
    "system_config": base.system_config,
    "feature_flags": base.feature_flags,
}


def _quoted(names: Sequence[str]) -> str:
    return ", ".join(f'"{name}"' for name in names)


def load(seeds_dir: Path, env: str, only: Sequence[str] | None = None) -> list[Dataset]:
    """The datasets `env` gets from `seeds_dir`, validated, in the order to apply them.

    Every file of the environment is read and validated, even when `only` selects
    some of them, so that a broken file is found before any seeding. On any problem
    raises `SeedValidationError` listing all of them. `only` restricts the result to
    the named datasets (``countries``, ``system_config``, ``feature_flags``, ``demo``).
    Messages name files as ``<seeds dir name>/<path inside it>``, never absolutely.
    """
    errors: list[str] = []
    if env not in ENVIRONMENTS:
        errors.append(f'unknown environment "{env}": expected one of {_quoted(ENVIRONMENTS)}')
    files = files_for(env)
    available = [entry.name for entry in files]
    for name in only or ():
        if name not in DATASET_NAMES:
            errors.append(f'unknown dataset "{name}": expected one of {_quoted(DATASET_NAMES)}')
        elif env in ENVIRONMENTS and name not in available:
            errors.append(
                f'dataset "{name}" is not seeded in environment "{env}" '
                f"(it gets {_quoted(available)})"
            )
    if not seeds_dir.is_dir():
        errors.append(f"{seeds_dir.name or seeds_dir}: the seeds directory does not exist")
    if errors:
        raise SeedValidationError(errors)

    datasets: list[Dataset] = []
    country_codes: frozenset[str] | None = None
    for entry in files:
        label = f"{seeds_dir.resolve().name}/{entry.path}"
        path = seeds_dir / entry.path
        if entry.name == "demo":
            dataset = load_demo(path, label, errors, country_codes)
        else:
            dataset = _READERS[entry.name](path, label, errors)
        if dataset is None:
            continue
        source = source_checksum(path, demo=entry.demo)
        if source is not None:
            dataset = replace(dataset, checksum=source)
        if entry.name == "countries":
            country_codes = frozenset(row["countryCode"] for row in dataset.tables[0].rows)
        datasets.append(dataset)
    if errors:
        raise SeedValidationError(errors)
    return [dataset for dataset in datasets if only is None or dataset.name in only]
