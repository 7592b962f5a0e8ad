"""Where fake data must never go, and what it must not be mixed with.

**Environment.** The database records the environment it serves (`gxschema.environment`,
written by ``gxschema deploy --env`` and ``gxschema seed --env``), and that record
decides, whatever the options (``--force`` included):

- recorded mainnet: refused;
- recorded testnet: refused unless ``allow_testnet`` (``--allow-testnet``);
- recorded devnet: allowed;
- no record: allowed on a new database or one seeded with the devnet ``demo``
  dataset; refused on one holding reference data without it, which was seeded for
  mainnet or testnet (they look the same) and is treated as production until its
  environment is recorded.

As an extra belt, a database whose name contains ``mainnet`` is refused too.
Fake needs the seeded countries, so a new database is asked for ``gxschema seed``.

**Existing rows.** Fake refuses a database whose filled tables already hold rows,
except the devnet demo rows (recognised by their ids; fake's own values never collide
with them), unless forced; forced, it empties those tables first, in its transaction.
``SystemConfig`` (and with it the environment record) is never among them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import Connection, bindparam, text

from gxschema import environment
from gxschema.fake.plan import FILLED_TABLES
from gxschema.fake.pools import COUNTRIES
from gxschema.identifiers import quote
from gxschema.models import metadata

DEMO_DATASET = environment.DEMO_DATASET
SHOWN = 1000
"""Existing rows are counted up to this many per table (enough to say "1000+")."""

DemoKeys = Callable[[], Mapping[str, frozenset[str]]]
"""Returns the primary keys of the devnet demo rows, by table."""


@dataclass
class Target:
    """What fake needs to know about a database before writing to it."""

    database: str
    standing: environment.Standing
    seeded: list[str]
    missing_countries: list[str]
    existing: dict[str, int] = field(default_factory=dict)

    def refusal(self, *, allow_testnet: bool = False) -> str | None:
        """The message refusing fake data for this database's environment, or None."""
        return refusal_message(self.database, self.standing, allow_testnet=allow_testnet)

    def describe_existing(self, shown: int = 5) -> str:
        items = [
            f"{table}: {f'{SHOWN}+' if count >= SHOWN else count}"
            for table, count in self.existing.items()
        ]
        more = len(items) - shown
        return ", ".join(items[:shown]) + (f" and {more} more tables" if more > 0 else "")


def refusal_message(
    database: str, standing: environment.Standing, *, allow_testnet: bool = False
) -> str | None:
    """One line refusing fake data for `database` in its environment, or None."""
    reason = environment.fake_refusal(standing, database, allow_testnet=allow_testnet)
    if reason is None:
        return None
    return f"refusing to write fake data to {database}, because {reason}. Nothing was written"


def environment_refusal(connection: Connection, *, allow_testnet: bool = False) -> str | None:
    """`refusal_message` read from the database: asked before any row is generated, and
    again by `inspect` inside the load's transaction."""
    database = str(connection.execute(text("SELECT current_database()")).scalar_one())
    return refusal_message(database, environment.standing(connection), allow_testnet=allow_testnet)


def packaged_demo_keys() -> Mapping[str, frozenset[str]]:
    """Primary keys of the devnet demo rows, generated from the seed files `gxschema seed`
    uses ($GXSCHEMA_SEEDS_DIR, else the package's); empty when they cannot be read."""
    from gxschema import seeding
    from gxschema.seeding.run import default_seeds_dir

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
    """Read the environment record, the seed records, the countries and existing rows."""
    database = str(connection.execute(text("SELECT current_database()")).scalar_one())
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
        standing=environment.standing(connection),
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
    """TRUNCATE every table fake fills, in the caller's transaction (rolled back with it).

    Never the reference data nor ``SystemConfig``, which holds the environment record.
    """
    names = ", ".join(quote(table) for table in FILLED_TABLES)
    connection.execute(text(f"TRUNCATE TABLE {names}"))
