"""A downgrade that would drop tables holding rows is refused unless allowed (real PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from gxschema.alembic_config import head_revision

from ..support.cli import clean_env, gxschema


def _state(engine) -> tuple[str | None, int, int]:
    with engine.connect() as connection:
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        countries = connection.execute(text('SELECT count(*) FROM "Country"')).scalar_one()
        config = connection.execute(text('SELECT count(*) FROM "SystemConfig"')).scalar_one()
    return revision, int(countries), int(config)


@pytest.fixture
def seeded(pg_server, head_database, engine_for):
    env = clean_env(**pg_server.env(head_database))
    assert gxschema("seed", "--env", "testnet", env=env).code == 0
    return env, engine_for(head_database)


@pytest.mark.parametrize("target", ["base", "0001", "-5"])
def test_a_downgrade_that_would_drop_rows_is_refused_and_changes_nothing(
    seeded, target: str
) -> None:
    env, engine = seeded
    before = _state(engine)
    ran = gxschema("downgrade", target, env=env)
    assert ran.code == 2, ran.output
    lines = [line for line in ran.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, ran.stderr
    assert '"SystemConfig"' in lines[0] and "--allow-data-loss" in lines[0]
    if target == "base":
        assert '"Country"' in lines[0]
    assert _state(engine) == before == (head_revision(), before[1], before[2])
    assert before[1] > 0 and before[2] > 0


def test_a_downgrade_that_drops_no_table_needs_no_flag(seeded) -> None:
    env, engine = seeded
    ran = gxschema("downgrade", "0005", env=env)
    assert ran.code == 0, ran.output
    assert _state(engine)[0] == "0005"


def test_allowing_data_loss_drops_the_tables(seeded) -> None:
    env, engine = seeded
    ran = gxschema("downgrade", "base", "--allow-data-loss", env=env)
    assert ran.code == 0, ran.output
    assert "dropping" in ran.output and "Country" in ran.output
    with engine.connect() as connection:
        left = connection.execute(
            text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        ).scalar_one()
    assert left == 1  # alembic_version, empty


def test_empty_tables_and_gxschema_s_own_records_do_not_block(
    pg_server, head_database, engine_for
) -> None:
    env = clean_env(**pg_server.env(head_database))
    with engine_for(head_database).begin() as connection:  # as every migrated database has
        connection.execute(
            text(
                """INSERT INTO "SchemaMigrationRun" ("runId", "toRevision", direction, status)
                   VALUES ('run-1', '0006', 'upgrade', 'succeeded')"""
            )
        )
    ran = gxschema("downgrade", "base", env=env)
    assert ran.code == 0, ran.output
