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

from collections.abc import Sequence
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


def recorded_as_files(
    conninfo: str, folder: Path, env: str, only: Sequence[str] | None = None
) -> SeedReport | None:
    """A report of a seed that changes nothing, if the record says so; else None.

    `conninfo` is a libpq connection string or URL. None means "run the full seed".
    """
    entries = [entry for entry in files_for(env) if not only or entry.name in only]
    if not entries or (only and len(entries) != len(set(only))):
        return None  # unknown or unavailable datasets: the full seed names them
    checksums: dict[str, str] = {}
    for entry in entries:
        checksum = source_checksum(folder / entry.path, demo=entry.demo)
        if checksum is None:
            return None
        checksums[entry.name] = checksum
    found = _read_record(conninfo)
    if found is None:
        return None
    environment, latest = found
    if not isinstance(environment, str) or environment.strip().lower() != env:
        return None
    report = SeedReport(env=env, dry_run=False, overwrite=False, rows_compared=False)
    for entry in entries:
        record = latest.get(entry.name)
        if not record or record[0] != checksums[entry.name]:
            return None
        report.datasets.append(
            DatasetReport(
                name=entry.name,
                source=f"{folder.resolve().name}/{entry.path}",
                version=str(record[1]),
                checksum=checksums[entry.name],
                row_count=int(record[2]),
                previous_checksum=checksums[entry.name],
                recorded=False,
            )
        )
    return report


def _read_record(conninfo: str) -> tuple[Any, dict[str, Any]] | None:
    import psycopg

    try:
        with psycopg.connect(conninfo, autocommit=True) as connection:
            row = connection.execute(RECORDED, {"key": ENVIRONMENT_KEY}).fetchone()
    except psycopg.Error:
        return None
    if row is None:
        return None
    return row[0], row[1] or {}
