"""`gxschema config list|get|set`: the typed ``SystemConfig`` values, for operators.

Values are read and written through `gxschema.platform.config`, so the command line
applies the same ``valueType`` rules as the services and the seed files. A secret
value (``isSecret``) is never printed, by any command or error: ``***`` stands in
for it. `set` parses VALUE as the key's type (``40``, ``0.5``, ``true``,
``'{"a": 1}'``; a string as is; ``-`` reads it from stdin, which keeps a secret out
of the shell history), refuses a value of the wrong type with exit code 2, and
commits.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any

import typer

from gxschema.cli.context import connect, handle_errors, settings_or_embedded
from gxschema.cli.options import ConfigValueType, choices
from gxschema.cli.output import Output
from gxschema.errors import ConfigError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

Tenant = Annotated[str, typer.Option("--tenant", help="The tenant whose configuration to use.")]

DEFAULT_TENANT = "global"
"""`gxschema.platform.config.DEFAULT_TENANT`, written out so that the option's default
costs no import of the models (tests/cli/test_config_cli.py checks that they agree)."""

_TYPES = ", ".join(choices(ConfigValueType))


@contextmanager
def _session() -> Iterator[Session]:
    """A session on the configured (or embedded) database; the engine is disposed after."""
    from sqlalchemy.orm import Session

    settings, _source = settings_or_embedded()
    engine = connect(settings, wait_seconds=10.0)
    try:
        with Session(engine, expire_on_commit=False) as session:
            yield session
    finally:
        engine.dispose()


def _text(value: Any) -> str:
    """A value as one line for people: a string as is, anything else as JSON."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _shown(value: Any, secret: bool) -> Any:
    from gxschema.platform.config import SECRET_MASK

    return SECRET_MASK if secret else value


app = typer.Typer(
    name="config",
    help="Read and change the typed configuration (SystemConfig); secrets are never shown.",
    no_args_is_help=True,
)


@app.command("list")
@handle_errors
def list_command(tenant: Tenant = DEFAULT_TENANT) -> None:
    """List every key of the tenant with its type and value (secrets as ***)."""
    from gxschema.platform import config

    with _session() as session:
        rows = config.entries(session, tenant_id=tenant)
        entries = [
            {
                "key": row.config_key,
                "type": row.value_type,
                "value": config.shown(row),
                "secret": row.is_secret,
                "description": row.description,
            }
            for row in rows
        ]
    output = Output.current()
    output.table(
        f"SystemConfig (tenant {tenant})",
        ["key", "type", "value", "description"],
        [[e["key"], e["type"], _text(e["value"]), e["description"]] for e in entries],
    )
    summary = (
        f"{len(entries)} key(s) for tenant {tenant}"
        if entries
        else f"no configuration for tenant {tenant}"
    )
    output.result({"tenant": tenant, "entries": entries}, summary)


@app.command("get")
@handle_errors
def get_command(
    key: Annotated[str, typer.Argument(help="The configKey.")],
    tenant: Tenant = DEFAULT_TENANT,
) -> None:
    """Print the value of KEY (a string as is, anything else as JSON; a secret as ***)."""
    from gxschema.platform import config

    with _session() as session:
        row = config.row(session, key, tenant_id=tenant)
        if row is None:
            raise config.UnknownConfigKeyError(f'no config "{key}" for tenant "{tenant}"')
        value = config.value_of(row)  # checks the stored value against its type
        data = {
            "key": key,
            "tenant": tenant,
            "type": row.value_type,
            "value": _shown(value, row.is_secret),
            "secret": row.is_secret,
        }
    Output.current().result(data, _text(data["value"]))


@app.command("set")
@handle_errors
def set_command(
    key: Annotated[str, typer.Argument(help="The configKey.")],
    value: Annotated[
        str, typer.Argument(help="The new value, as the key's type; - reads it from stdin.")
    ],
    tenant: Tenant = DEFAULT_TENANT,
    value_type: Annotated[
        ConfigValueType | None,
        typer.Option("--type", help="Create KEY with this valueType."),
    ] = None,
    description: Annotated[str | None, typer.Option(help="Also set the description.")] = None,
    secret: Annotated[
        bool | None,
        typer.Option("--secret/--not-secret", help="Mark the value secret (or not)."),
    ] = None,
) -> None:
    """Set KEY to VALUE, parsed and checked as the key's valueType, and commit."""
    from gxschema.platform import config
    from gxschema.privileges import ENVIRONMENT_KEY

    if key == ENVIRONMENT_KEY:
        # the record that keeps demo and fake data out of production changes only
        # through the commands that check what the database holds
        raise ConfigError(
            f'"{key}" is the environment the database records; change it with '
            "`gxschema seed --env ENV --reassign-environment` (or deploy), not config set"
        )
    text = sys.stdin.read().rstrip("\n") if value == "-" else value
    with _session() as session:
        row = config.row(session, key, tenant_id=tenant)
        created = row is None
        hidden = bool(secret) or (row is not None and row.is_secret)
        kind = value_type if row is None else row.value_type
        if kind is None:
            raise config.UnknownConfigKeyError(
                f'no config "{key}" for tenant "{tenant}": give --type ({_TYPES}) to create it'
            )
        if value_type is not None and row is not None and value_type != row.value_type:
            raise config.ConfigValueError(
                f'config "{key}" is {row.value_type}; set does not change the valueType '
                f"to {value_type}"
            )
        previous = None if row is None else row.config_value
        parsed = config.parse(text, kind, key=key, secret=hidden)
        stored = config.set(
            session,
            key,
            parsed,
            tenant_id=tenant,
            value_type=kind,
            description=description,
            is_secret=secret,
        )
        session.commit()
        hidden = hidden or stored.is_secret
    data = {
        "key": key,
        "tenant": tenant,
        "type": kind,
        "value": _shown(parsed, hidden),
        "previous": None if created else _shown(previous, hidden),
        "created": created,
        "secret": hidden,
    }
    change = f"created {key} ({kind})" if created else f"was {_text(data['previous'])}"
    Output.current().result(data, f"{key} = {_text(data['value'])} ({change})")
