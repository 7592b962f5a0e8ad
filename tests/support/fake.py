"""Databases for the tests of `gxschema fake`: seeded for an environment, and digested."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, text

from gxschema import seeding
from gxschema.fake import FILLED_TABLES

from .paths import ROOT


def apply_seeds(engine: Engine, env: str) -> None:
    """Seed `engine` for `env` from the checkout's seeds/, as `gxschema seed` does."""
    seeding.apply(engine, seeding.load(ROOT / "seeds", env), env=env)


def table_hashes(engine: Engine) -> dict[str, str]:
    """A digest of every filled table's content, independent of physical row order."""
    with engine.connect() as connection:
        return {
            table: connection.execute(
                text(
                    f"SELECT md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) "
                    f'FROM "{table}" AS t'
                )
            ).scalar_one()
            for table in FILLED_TABLES
        }


@contextmanager
def devnet_databases(pg_server, template: str, engine_for, count: int) -> Iterator[list[Engine]]:
    """`count` new databases made from `template` and seeded for devnet, dropped afterwards."""
    made: list[tuple[str, Engine]] = []
    try:
        for _ in range(count):
            name = pg_server.create_database(template=template)
            engine = engine_for(name)
            made.append((name, engine))
            apply_seeds(engine, "devnet")
        yield [engine for _name, engine in made]
    finally:
        for name, engine in made:
            engine.dispose()
            pg_server.drop_database(name)
