"""The no-op seed: one query tells that the database already holds exactly these files.

Every seed records, per dataset, the checksum of its file and of the code that makes its
rows (`gxschema.seeding.fingerprint`). When the latest recorded checksum of every
dataset asked for is the one of the files at hand, and the database records the
environment asked for, a seed would write nothing: the full seed (reading, validating
and generating every row, then comparing each with the database) would only confirm
it. So this answers first, with one round trip, importing neither the models nor
SQLAlchemy nor psycopg (libpq itself is asked, over ctypes: `gxschema.libpq_client`)
nor the seed schemas nor Faker. The console script asks it before it loads the command
line at all (`gxschema.entry_point`), so that a no-op seed costs about the interpreter's
start-up and one connection (docs/performance.md).

What it does not do, by design, is look at the rows: a row an operator deleted, or a
value an operator changed, is not reported (nor re-inserted) by a seed whose files are
unchanged. ``gxschema seed --compare-rows`` (and ``--dry-run`` and ``--overwrite``,
which exist to compare) runs the full seed whatever the record says.

Any doubt falls through to the full seed, which then explains: a file that cannot be
read, a database without the tables, an unreachable server, another environment.
"""

from __future__ import annotations

import os

from gxschema import libpq_client
from gxschema.seeding.fingerprint import source_checksum
from gxschema.seeding.layout import files_for

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on the fast path
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from gxschema.seeding.report import SeedReport

ENVIRONMENT_KEY = "environment"
"""`gxschema.privileges.ENVIRONMENT_KEY`, repeated so as not to import SQLAlchemy with it
(a test keeps the two equal)."""

RECORDED = """
SELECT (SELECT CASE WHEN jsonb_typeof("configValue") = 'string' THEN "configValue" #>> '{}' END
          FROM "SystemConfig" WHERE "configKey" = $1),
       latest.name, latest.checksum, latest.version, latest."rowCount"::text
  FROM (VALUES (1)) AS one
  LEFT JOIN (SELECT DISTINCT ON (name) name, checksum, version, "rowCount"
               FROM "SeedDataset" WHERE "tenantId" = 'global'
              ORDER BY name, "appliedAt" DESC) AS latest ON true
"""
"""The recorded environment (a JSON string, as text) beside each dataset's latest record,
one row per dataset (one row of NULLs beside it when none is recorded): one round trip,
in text, so that neither psycopg's adapters nor a JSON parser are needed to read it."""


DEFAULT_ENVIRONMENTS = frozenset({"devnet", "testnet"})
"""Recorded environments a bare `gxschema seed` takes as its own (`gxschema.environment`:
mainnet is seeded only when named, so a bare seed recorded as mainnet takes the full path
that refuses and says why)."""


class RecordedDataset:
    """A dataset whose latest record is the checksum of the file at hand."""

    __slots__ = ("checksum", "name", "row_count", "source", "version")

    def __init__(self, name: str, source: str, version: str, checksum: str, row_count: int):
        self.name = name
        self.source = source
        """The file, as the seed reports it: the seeds folder's name, then the path in it."""
        self.version = version
        self.checksum = checksum
        self.row_count = row_count


class UnchangedSeed:
    """The answer of a seed that would change nothing: the environment and its datasets.

    Plain classes rather than dataclasses or the seed's `SeedReport`: the console
    script's fast path (`gxschema.entry_point`) prints this, and importing
    ``dataclasses`` (with ``inspect``) would cost it more than the query does.
    """

    __slots__ = ("datasets", "env")

    def __init__(self, env: str, datasets: list[RecordedDataset]) -> None:
        self.env = env
        self.datasets = datasets

    def report(self) -> SeedReport:
        """The same as the `SeedReport` the command prints: no row compared, none written."""
        from gxschema.seeding.report import DatasetReport, SeedReport

        report = SeedReport(env=self.env, dry_run=False, overwrite=False, rows_compared=False)
        for dataset in self.datasets:
            report.datasets.append(
                DatasetReport(
                    name=dataset.name,
                    source=dataset.source,
                    version=dataset.version,
                    checksum=dataset.checksum,
                    row_count=dataset.row_count,
                    previous_checksum=dataset.checksum,
                    recorded=False,
                )
            )
        return report


def unchanged_seed(
    conninfo: str,
    folder: str | os.PathLike[str],
    env: str | None,
    only: Sequence[str] | None = None,
    parameters: Mapping[str, str] | None = None,
) -> UnchangedSeed | None:
    """What a seed that changes nothing would report, if the record says so; else None.

    `conninfo` is a libpq connection string or URL, `parameters` more of libpq's
    (`gxschema.libpq_env`). `env` None is a bare seed: the recorded environment, if a
    bare seed may take it. None means "run the full seed".
    """
    found = _read_record(conninfo, parameters or {})
    if found is None:
        return None
    environment, latest = found
    if environment is None:
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
    # as `gxschema.seeding.load` names the source: the folder's own name, then the path
    source_folder = os.path.basename(os.path.realpath(folder))
    datasets = []
    for entry in entries:
        checksum = source_checksum(os.path.join(folder, entry.path), demo=entry.demo)
        record = latest.get(entry.name)
        if checksum is None or record is None or record[0] != checksum:
            return None
        version, row_count = record[1], record[2]
        datasets.append(
            RecordedDataset(
                entry.name, f"{source_folder}/{entry.path}", version, checksum, row_count
            )
        )
    return UnchangedSeed(env, datasets)


def recorded_as_files(
    conninfo: str,
    folder: str | os.PathLike[str],
    env: str | None,
    only: Sequence[str] | None = None,
    parameters: Mapping[str, str] | None = None,
) -> SeedReport | None:
    """`unchanged_seed`'s answer as the `SeedReport` the command prints; else None."""
    unchanged = unchanged_seed(conninfo, folder, env, only, parameters)
    return None if unchanged is None else unchanged.report()


def _read_record(
    conninfo: str, parameters: Mapping[str, str]
) -> tuple[str | None, dict[str, tuple[str, str, int]]] | None:
    """The recorded environment and, by dataset, its latest (checksum, version, rows).

    None when the question cannot be asked or answered (no server, no tables, a wrong
    password): the full seed asks again and says what is wrong.
    """
    try:
        rows = libpq_client.fetch(conninfo, parameters, RECORDED, [ENVIRONMENT_KEY])
    except libpq_client.LibpqError:
        return None
    if not rows:
        return None
    latest: dict[str, tuple[str, str, int]] = {}
    for _environment, name, checksum, version, row_count in rows:
        if name is None:
            continue
        if checksum is None or version is None or row_count is None:
            return None
        latest[name] = (checksum, version, int(row_count))
    return rows[0][0], latest
