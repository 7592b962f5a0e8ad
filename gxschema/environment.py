"""Which environment a database serves, recorded in the database itself.

Before this record existed, commands guessed: ``seed`` and ``up`` defaulted to devnet
and wrote the demo rows (users with wallets) into whatever database the settings
named, production included, and ``fake`` inferred "mainnet" from names. Now the
database says what it is, and every command that writes demo or fake data asks it.

**The record.** One ``SystemConfig`` row, tenant ``global``, key
`gxschema.privileges.ENVIRONMENT_KEY` (``environment``), a JSON string
(``"mainnet"``, ``"testnet"`` or ``"devnet"``), never secret. ``gxschema deploy --env
E`` and ``gxschema seed --env E`` write it in the seed's transaction (a failed seed
records nothing). It is set once: recording another environment is refused unless
``--reassign-environment``. The services' role cannot change it (row-level security
on ``SystemConfig``); the migrating role owns the table and can.

**What obeys it.** ``seed`` without ``--env`` seeds the recorded environment, except
mainnet, which is written to only when named (`seed_environment`); ``seed --env`` and
``deploy --env`` refuse another environment before writing anything (`check_target`);
devnet's demo rows go only to devnet or a new database; ``fake`` refuses mainnet, and
testnet unless allowed (`fake_refusal`); ``up`` migrates and seeds only the embedded
database unless told otherwise; ``config set`` refuses the key.

**A database without a record** is judged by what it holds (`Standing`):

- nothing seeded: a developer's fresh database; devnet is welcome;
- the devnet ``demo`` dataset seeded: a devnet seeded before records existed;
- reference data (``SeedDataset`` rows or countries) but no demo dataset: seeded by
  ``seed --env mainnet`` or ``testnet``, which look the same, so it is treated as
  production: no demo or fake data until its environment is recorded.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, text

from gxschema.errors import ConfigError
from gxschema.identifiers import table_exists
from gxschema.privileges import ENVIRONMENT_KEY
from gxschema.seeding.layout import DEMO_ENVIRONMENTS, ENVIRONMENTS

RECORD_TENANT = "global"
REASSIGN_OPTION = "--reassign-environment"
DEMO_DATASET = "demo"
"""The seed dataset only devnet gets (`gxschema.seeding.layout`)."""


class EnvironmentRefusedError(ConfigError):
    """The database's environment forbids what was asked (exit 2, nothing written)."""


@dataclass(frozen=True)
class Standing:
    """What a database says about its environment: its record and, lacking one, its data."""

    recorded: str | None
    """The recorded environment (lowercase), or None when there is no record."""
    base_data: bool
    """Reference data is present: a ``SeedDataset`` row or a ``Country`` row."""
    demo_seeded: bool
    """The devnet ``demo`` dataset was seeded (only ever applied to devnet)."""

    @property
    def treated_as_production(self) -> bool:
        """No record, and reference data without the demo dataset: seeded for mainnet or
        testnet (which look the same), so no demo or fake data may go there."""
        return self.recorded is None and self.base_data and not self.demo_seeded

    def describe(self) -> str:
        """One phrase for messages and `gxschema status`."""
        if self.recorded is not None:
            return f"recorded as {self.recorded}"
        if self.demo_seeded:
            return "not recorded (devnet demo data present, so taken for devnet)"
        if self.base_data:
            return "not recorded (reference data present, so treated as production)"
        return "not recorded (no reference data: a new database)"


def recorded(connection: Connection) -> str | None:
    """The environment recorded in the database, lowercase; None without a record.

    A value that is not a JSON string comes back as its JSON text, so that it is
    never mistaken for "no record" (and matches no environment).
    """
    if not table_exists(connection, "SystemConfig"):
        return None
    value = connection.execute(
        text('SELECT "configValue" FROM "SystemConfig" WHERE "configKey" = :key'),
        {"key": ENVIRONMENT_KEY},
    ).scalar_one_or_none()
    if value is None:
        return None
    return value.strip().lower() if isinstance(value, str) else json.dumps(value)


def standing(connection: Connection) -> Standing:
    """The record and, for a database without one, what its data shows."""
    datasets: set[str] = set()
    if table_exists(connection, "SeedDataset"):
        datasets = {
            str(name)
            for name in connection.execute(text('SELECT DISTINCT name FROM "SeedDataset"'))
            .scalars()
            .all()
        }
    countries = table_exists(connection, "Country") and bool(
        connection.execute(text('SELECT EXISTS (SELECT 1 FROM "Country")')).scalar()
    )
    return Standing(
        recorded=recorded(connection),
        base_data=bool(datasets) or countries,
        demo_seeded=DEMO_DATASET in datasets,
    )


def how_to_record(env: str = "testnet") -> str:
    """The hint every refusal of an unrecorded database ends with."""
    return (
        f"record its environment with `gxschema seed --env {env}` or `gxschema deploy --env "
        f"...` (or, if it really is a developer's database, `gxschema seed --env devnet "
        f"{REASSIGN_OPTION}`)"
    )


def check_target(connection: Connection, env: str, *, reassign: bool = False) -> Standing:
    """Refuse, before anything is written, to give this database the environment `env`.

    Refused unless `reassign`: another environment is recorded; or `env` gets demo
    data (devnet) and the database, unrecorded, holds reference data without the demo
    dataset (treated as production). Returns the standing it judged.
    """
    if env not in ENVIRONMENTS:
        raise ConfigError(f"unknown environment {env!r} (choose one of {', '.join(ENVIRONMENTS)})")
    state = standing(connection)
    if reassign:
        return state
    if state.recorded is not None and state.recorded != env:
        raise EnvironmentRefusedError(
            f"this database is recorded as {state.recorded}, not {env}: nothing was written "
            f"(to change its environment, rerun with {REASSIGN_OPTION})"
        )
    if env in DEMO_ENVIRONMENTS and state.treated_as_production:
        raise EnvironmentRefusedError(
            f"refusing {env} demo data: this database holds reference data but no recorded "
            f"environment, so it is treated as production (mainnet or testnet); nothing was "
            f"written; {how_to_record()}"
        )
    return state


def demo_refusal(state: Standing) -> str | None:
    """Why devnet's demo rows must not go into this database (a clause), or None.

    For writers of demo rows that do not record an environment themselves (the seeding
    library): only the record counts here; judging an unrecorded database by its data
    is left to the commands, which can say how to record it.
    """
    if state.recorded is not None and state.recorded not in DEMO_ENVIRONMENTS:
        return f"the database is recorded as {state.recorded}"
    return None


@dataclass(frozen=True)
class Recording:
    """What `record` did."""

    environment: str
    previous: str | None
    changed: bool

    def as_dict(self) -> dict[str, Any]:
        return {"environment": self.environment, "previous": self.previous, "changed": self.changed}

    def describe(self) -> str:
        if not self.changed:
            return f"environment: {self.environment} (recorded before)"
        if self.previous is None:
            return f"environment: recorded {self.environment}"
        return f"environment: reassigned from {self.previous} to {self.environment}"


def record(
    connection: Connection, env: str, *, reassign: bool = False, by: str = "gxschema"
) -> Recording:
    """Record `env` as the database's environment, in the caller's transaction.

    The same environment again changes nothing (the row is not rewritten). Another one
    raises `EnvironmentRefusedError` unless `reassign`. Callers serialise concurrent writers
    (the seed's advisory lock); the primary key stops two first records anyway.
    """
    if env not in ENVIRONMENTS:
        raise ConfigError(f"unknown environment {env!r} (choose one of {', '.join(ENVIRONMENTS)})")
    previous = recorded(connection)
    if previous == env:
        return Recording(env, previous, changed=False)
    if previous is not None and not reassign:
        raise EnvironmentRefusedError(
            f"this database is recorded as {previous}, not {env}: nothing was written "
            f"(to change its environment, rerun with {REASSIGN_OPTION})"
        )
    description = (
        f"The environment this database serves, recorded by {by}. Commands that write "
        f"demo or fake data obey it. Change it only with `gxschema seed --env ENV "
        f"{REASSIGN_OPTION}` (or deploy); `gxschema config set` refuses."
    )
    connection.execute(
        text(
            """INSERT INTO "SystemConfig" ("configKey", "tenantId", "configValue", "valueType",
                   "description", "isSecret", "updatedAt")
               VALUES (:key, :tenant, to_jsonb(CAST(:value AS text)), 'string', :description,
                   false, now())
               ON CONFLICT ("configKey") DO UPDATE SET "tenantId" = EXCLUDED."tenantId",
                   "configValue" = EXCLUDED."configValue", "valueType" = 'string',
                   "description" = EXCLUDED."description", "isSecret" = false,
                   "updatedAt" = now()"""
        ),
        {"key": ENVIRONMENT_KEY, "tenant": RECORD_TENANT, "value": env, "description": description},
    )
    return Recording(env, previous, changed=True)


EXPLICIT_ONLY = frozenset({"mainnet"})
"""Recorded environments a seed never takes as its default: writing to them is spelled out."""


def seed_environment(connection: Connection, env: str | None) -> str:
    """The environment a seed applies: `env` when given, else the recorded one.

    Without either, refuses: guessing is how devnet's demo rows reached production.
    Mainnet is never a default either: a bare `gxschema seed` typed by habit against
    the production database refuses and names the explicit command.
    """
    if env is not None:
        return env
    current = recorded(connection)
    if current is None:
        raise EnvironmentRefusedError(
            "this database has no recorded environment: give --env (mainnet, testnet or "
            "devnet), which is then recorded; nothing was written"
        )
    if current in EXPLICIT_ONLY:
        raise EnvironmentRefusedError(
            f"this database is recorded as {current}, which is seeded only when named: "
            f"`gxschema seed --env {current}`; nothing was written"
        )
    if current not in ENVIRONMENTS:
        raise EnvironmentRefusedError(
            f"this database records an unknown environment ({current}): give --env and "
            f"{REASSIGN_OPTION} to correct it; nothing was written"
        )
    return current


def fake_refusal(state: Standing, database: str, *, allow_testnet: bool = False) -> str | None:
    """Why fake data must not go into this database (a clause after "because"), or None."""
    current = state.recorded
    if current == "mainnet":
        return "it is recorded as mainnet (--force does not override this)"
    if current == "testnet" and not allow_testnet:
        return "it is recorded as testnet; give --allow-testnet to fill a testnet on purpose"
    if current is not None and current not in ENVIRONMENTS:
        return f"it records an unknown environment ({current}); correct it with {REASSIGN_OPTION}"
    if "mainnet" in database.lower():
        return f"its name, {database!r}, says mainnet"
    if state.treated_as_production:
        return (
            "it holds reference data but no recorded environment, so it is treated as "
            f"production (mainnet or testnet); {how_to_record()}"
        )
    return None
