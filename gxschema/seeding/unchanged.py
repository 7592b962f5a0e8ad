"""The no-op seed: one query tells that the database already holds exactly these files.

Every seed records, per dataset, the checksum of its file and of the code that makes its
rows (`gxschema.seeding.fingerprint`). When the latest recorded checksum of every
dataset asked for is the one of the files at hand, and the database records the
environment asked for, a seed would write nothing: the full seed (reading, validating
and generating every row, then comparing each with the database) would only confirm
it. So this answers first, with one round trip, importing neither the models nor
SQLAlchemy's ORM nor the seed schemas nor Faker; the command's start-up is most of what
is left (docs/performance.md).

What it does not do, by design, is look at the rows: a row an operator deleted, or a
value an operator changed, is not reported (nor re-inserted) by a seed whose files are
unchanged. ``gxschema seed --compare-rows`` (and ``--dry-run`` and ``--overwrite``,
which exist to compare) runs the full seed whatever the record says.

Any doubt falls through to the full seed, which then explains: a file that cannot be
read, a database without the tables, an unreachable server, another environment.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from gxschema.seeding.fingerprint import source_checksum
from gxschema.seeding.layout import files_for
from gxschema.seeding.report import DatasetReport, SeedReport

ENVIRONMENT_KEY = "environment"
"""`gxschema.privileges.ENVIRONMENT_KEY`, repeated so as not to import SQLAlchemy with it
(a test keeps the two equal)."""

RECORDED = """
SELECT (SELECT "configValue" FROM "SystemConfig" WHERE "configKey" = %(key)s),
       (SELECT json_object_agg(name, json_build_array(checksum, version, "rowCount"))
          FROM (SELECT DISTINCT ON (name) name, checksum, version, "rowCount"
                  FROM "SeedDataset" WHERE "tenantId" = 'global'
                 ORDER BY name, "appliedAt" DESC) AS latest)
"""
"""The recorded environment, and each dataset's latest record: one round trip."""


DEFAULT_ENVIRONMENTS = frozenset({"devnet", "testnet"})
"""Recorded environments a bare `gxschema seed` takes as its own (`gxschema.environment`:
mainnet is seeded only when named, so a bare seed recorded as mainnet takes the full path
that refuses and says why)."""


def recorded_as_files(
    conninfo: str,
    folder: Path,
    env: str | None,
    only: Sequence[str] | None = None,
    parameters: Mapping[str, str] | None = None,
) -> SeedReport | None:
    """A report of a seed that changes nothing, if the record says so; else None.

    `conninfo` is a libpq connection string or URL, `parameters` more of libpq's
    (`gxschema.libpq_env`). `env` None is a bare seed: the recorded environment, if a
    bare seed may take it. None means "run the full seed".
    """
    found = _read_record(conninfo, parameters or {})
    if found is None:
        return None
    environment, latest = found
    if not isinstance(environment, str):
        return None
    recorded = environment.strip().lower()
    if env is None:
        if recorded not in DEFAULT_ENVIRONMENTS:
            return None
        env = recorded
    elif recorded != env:
        return None
    entries = [entry for entry in files_for(env) if not only or entry.name in only]
    if not entries or (only and len(entries) != len(set(only))):
        return None  # unknown or unavailable datasets: the full seed names them
    report = SeedReport(env=env, dry_run=False, overwrite=False, rows_compared=False)
    for entry in entries:
        checksum = source_checksum(folder / entry.path, demo=entry.demo)
        record = latest.get(entry.name)
        if checksum is None or not record or record[0] != checksum:
            return None
        report.datasets.append(
            DatasetReport(
                name=entry.name,
                source=f"{folder.resolve().name}/{entry.path}",
                version=str(record[1]),
                checksum=checksum,
                row_count=int(record[2]),
                previous_checksum=checksum,
                recorded=False,
            )
        )
    return report


def _read_record(conninfo: str, parameters: Mapping[str, str]) -> tuple[Any, dict[str, Any]] | None:
    import psycopg
    from psycopg.conninfo import make_conninfo

    try:
        target = make_conninfo(conninfo, **parameters)
        with psycopg.connect(target, autocommit=True) as connection:
            row = connection.execute(RECORDED, {"key": ENVIRONMENT_KEY}).fetchone()
    except psycopg.Error:
        return None
    if row is None:
        return None
    return row[0], row[1] or {}
