"""Where fake data must never go, and what it must not be mixed with.

**Mainnet.** Nothing in the schema records which environment a database serves:
``gxschema seed --env mainnet`` writes the same ``SeedDataset`` records (countries,
system_config, feature_flags) as ``--env testnet``; only devnet adds ``demo``. So a
database is taken for mainnet, and refused whatever the options, when any of these
holds:

1. ``SystemConfig`` has a key ``environment`` or ``network`` whose value is
   ``"mainnet"`` (an operator's explicit mark);
2. the database's name contains ``mainnet``;
3. reference data was seeded but never the devnet ``demo`` dataset (seeded for
   mainnet or testnet, which cannot be told apart), unless rule 1's key names
   another environment (``testnet``, ``devnet``, ``local``...).

A database with no seed records at all is a developer's; fake needs its countries,
so it asks for ``gxschema seed`` first.

**Existing rows.** Fake refuses a database whose filled tables already hold rows,
except the devnet demo rows (recognised by their ids; fake's own values never collide
with them), unless forced; forced, it empties those tables first, in its transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import Connection, bindparam, text

from gxschema.fake.plan import FILLED_TABLES
from gxschema.fake.pools import COUNTRIES
from gxschema.models import metadata

ENVIRONMENT_KEYS = ("environment", "network")
DEMO_DATASET = "demo"
SHOWN = 1000
"""Existing rows are counted up to this many per table (enough to say "1000+")."""

DemoKeys = Callable[[], Mapping[str, frozenset[str]]]
"""Returns the primary keys of the devnet demo rows, by table."""


@dataclass
class Target:
    """What fake needs to know about a database before writing to it."""

    database: str
    environment: str | None
    seeded: list[str]
    missing_countries: list[str]
    existing: dict[str, int] = field(default_factory=dict)

    def mainnet_reason(self) -> str | None:
        """Why the database is taken for mainnet, or None."""
        if self.environment == "mainnet":
            return "its SystemConfig marks it as mainnet (environment = 'mainnet')"
        if "mainnet" in self.database.lower():
            return f"its name, {self.database!r}, says mainnet"
        if self.environment is None and self.seeded and DEMO_DATASET not in self.seeded:
            return (
                "its reference data was seeded without the devnet demo dataset, as "
                "`gxschema seed --env mainnet` (or testnet, which looks the same) seeds it. "
                'If it is not mainnet, say so: INSERT INTO "SystemConfig" ("configKey", '
                '"configValue", "valueType", "updatedAt") VALUES (\'environment\', '
                "'\"testnet\"', 'string', now())"
            )
        return None

    def describe_existing(self, shown: int = 5) -> str:
        items = [
            f"{table}: {f'{SHOWN}+' if count >= SHOWN else count}"
            for table, count in self.existing.items()
        ]
        more = len(items) - shown
        return ", ".join(items[:shown]) + (f" and {more} more tables" if more > 0 else "")


def packaged_demo_keys() -> Mapping[str, frozenset[str]]:
    """Primary keys of the devnet demo rows, generated from the seed files `gxschema seed`
    uses ($GXSCHEMA_SEEDS_DIR, else the package's); empty when they cannot be read."""
    from gxschema import seeding
    from gxschema.cli.seed_command import default_seeds_dir

    try:
        datasets = seeding.load(default_seeds_dir(), "devnet", only=[DEMO_DATASET])
    except Exception:  # no readable demo spec: no row is taken for a demo row
        return {}
    keys: dict[str, frozenset[str]] = {}
    for dataset in datasets:
        for rows in dataset.tables:
            column = rows.key[0]
            keys[rows.table] = frozenset(str(row[column]) for row in rows.rows)
    return keys


def inspect(connection: Connection, demo_keys: DemoKeys | None = packaged_demo_keys) -> Target:
    """Read the environment marks, the seed records, the countries and existing rows."""
    database = str(connection.execute(text("SELECT current_database()")).scalar_one())
    environment = connection.execute(
        text(
            """SELECT lower("configValue" #>> '{}') FROM "SystemConfig"
               WHERE lower("configKey") IN ('environment', 'network')
               ORDER BY ("configValue" #>> '{}') = 'mainnet' DESC LIMIT 1"""
        )
    ).scalar_one_or_none()
    seeded = sorted(
        str(name)
        for name in connection.execute(text('SELECT DISTINCT name FROM "SeedDataset"'))
        .scalars()
        .all()
    )
    codes = [code for code, _locale, _share in COUNTRIES]
    present = set(
        connection.execute(
            text('SELECT "countryCode" FROM "Country" WHERE "countryCode" IN :codes').bindparams(
                bindparam("codes", expanding=True)
            ),
            {"codes": codes},
        ).scalars()
    )
    target = Target(
        database=database,
        environment=None if environment is None else str(environment),
        seeded=seeded,
        missing_countries=[code for code in codes if code not in present],
    )
    target.existing = _existing(connection, {})
    if target.existing and demo_keys is not None and DEMO_DATASET in seeded:
        allowed = demo_keys()
        if set(target.existing) <= set(allowed):
            target.existing = _existing(connection, allowed)
    return target


def _existing(connection: Connection, allowed: Mapping[str, frozenset[str]]) -> dict[str, int]:
    """Rows in the filled tables that are not in `allowed` (by primary key), per table."""
    found: dict[str, int] = {}
    for table in FILLED_TABLES:
        keys = allowed.get(table)
        if keys:
            (key,) = metadata.tables[table].primary_key.columns
            query = text(
                f'SELECT count(*) FROM (SELECT 1 FROM "{table}" '
                f'WHERE "{key.name}" NOT IN :keys LIMIT {SHOWN}) AS rows'
            ).bindparams(bindparam("keys", expanding=True))
            count = connection.execute(query, {"keys": sorted(keys)}).scalar_one()
        else:
            count = connection.execute(
                text(f'SELECT count(*) FROM (SELECT 1 FROM "{table}" LIMIT {SHOWN}) AS rows')
            ).scalar_one()
        if count:
            found[table] = int(count)
    return found


def empty_filled_tables(connection: Connection) -> None:
    """TRUNCATE every table fake fills, in the caller's transaction (rolled back with it)."""
    names = ", ".join(f'"{table}"' for table in FILLED_TABLES)
    connection.execute(text(f"TRUNCATE TABLE {names}"))
