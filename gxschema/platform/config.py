"""Typed configuration (``SystemConfig``): read and write values as their ``valueType``.

    from gxschema.platform import config

    fee_bps = config.get(session, "transactionFeeBps")          # 50 (an int)
    config.get(session, "notThere", default=None)                # None
    config.set(session, "transactionFeeBps", 40)                 # checked, flushed
    config.set(session, "transactionFeeBps", "40")               # ConfigValueError

``valueType`` is one of ``string`` (str), ``number`` (int or float, never bool),
``boolean`` (bool) and ``json`` (a dict or a list); ``configValue`` holds the bare
JSON value. The rules are the seed files' (`gxschema.seeding.schemas`): a number
must be exactly representable as a double (the TypeScript services read jsonb
numbers as doubles), and JSON values must be finite and keyed by strings.

``configKey`` alone is the table's primary key, so a key belongs to one tenant;
lookups are per tenant, with no fallback to ``global``. Nothing here commits:
`set` flushes, the caller commits. Errors are `gxschema.errors.ConfigError`
subclasses (exit code 2 in the CLI) and never contain a secret key's value.

Row-level security (revision 0006) hides secret rows from every role but the
owner and members of ``gx_secret_reader``, and lets ``gx_app`` write only rows
that are neither secret nor the ``environment`` row. A key the role cannot see
is therefore a `HiddenConfigKeyError` (it may exist), and a write the database
refuses a `ConfigAccessError`, each naming the role and what to grant; a refused
write is undone to a savepoint, so the session stays usable.
"""

from __future__ import annotations

import enum
import json
import math
import re
from typing import Any, Final, cast

from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from gxschema import privileges
from gxschema.errors import ConfigError
from gxschema.models import SystemConfig
from gxschema.models.base import utcnow
from gxschema.seeding.schemas import VALUE_TYPES, describe, is_of_type
from gxschema.seeding.schemas import _json_problem as json_problem

DEFAULT_TENANT: Final = "global"
SECRET_MASK: Final = "***"
"""What is shown in place of a secret value."""


class _Missing(enum.Enum):
    MISSING = "MISSING"


MISSING: Final = _Missing.MISSING
"""`get`'s default: raise `UnknownConfigKeyError` rather than return a default."""


class ConfigValueError(ConfigError, ValueError):
    """A value that is not of its key's ``valueType`` (or a ``valueType`` that is unknown)."""


class UnknownConfigKeyError(ConfigError, LookupError):
    """No such key for the tenant."""


class ConfigAccessError(ConfigError):
    """The connected role may not read or write a key (row-level security on SystemConfig)."""


class HiddenConfigKeyError(UnknownConfigKeyError, ConfigAccessError):
    """No such key visible to the role, which row-level security may be hiding a secret from."""


_INSUFFICIENT_PRIVILEGE = "42501"
_UNIQUE_VIOLATION = "23505"


def _hidden_from(session: Session) -> str | None:
    """The connected role's name when row-level security hides secret rows from it."""
    user, hidden = session.execute(
        text(
            """SELECT current_user::text,
                      coalesce(row_security_active(to_regclass(:table)), false)
                      AND NOT EXISTS (SELECT FROM pg_roles r WHERE r.rolname = :reader
                                      AND pg_has_role(current_user, r.oid, 'USAGE'))"""
        ),
        {
            "table": f'public."{privileges.SECRET_TABLE}"',
            "reader": privileges.roles().secret_reader,
        },
    ).one()
    return str(user) if hidden else None


def _not_found(session: Session, key: str, tenant_id: str, hint: str = "") -> UnknownConfigKeyError:
    """The "not found" error; when row-level security may hide the key, who and why."""
    user = _hidden_from(session)
    if user is None:
        return UnknownConfigKeyError(f'no config "{key}" for tenant "{tenant_id}"{hint}')
    reader = privileges.roles().secret_reader
    return HiddenConfigKeyError(
        f'no config "{key}" visible to role {user} for tenant "{tenant_id}": it does not '
        "exist, or it is secret and row-level security hides it from roles that are not "
        f"members of {reader} (an administrator runs: GRANT {reader} TO {user}){hint}"
    )


def _write_refused(session: Session, key: str) -> ConfigAccessError:
    user = session.execute(text("SELECT current_user::text")).scalar()
    return ConfigAccessError(
        f"role {user} may not write {_subject(key)}: row-level security lets services write "
        f'only values that are neither secret nor "{privileges.ENVIRONMENT_KEY}" '
        "(those are written by the migrating role, e.g. `gxschema config set`)"
    )


_INTEGER = re.compile(r"^[+-]?\d+$")
_TYPE_NAMES = {"string": "a string", "number": "a number", "boolean": "a boolean", "json": "JSON"}


def _subject(key: str) -> str:
    return f'config "{key}"'


def check(value: Any, value_type: str, *, key: str, secret: bool = False) -> Any:
    """`value` if it may be stored as `value_type`, else a `ConfigValueError` saying why.

    The message shows the offending value, unless `secret`.
    """
    if value_type not in VALUE_TYPES:
        raise ConfigValueError(
            f"{_subject(key)}: unknown valueType {value_type!r} "
            f"(expected one of {', '.join(VALUE_TYPES)})"
        )
    if not is_of_type(value, value_type):
        shown = describe(value) if not secret else "a value of another type (secret: not shown)"
        raise ConfigValueError(
            f"{_subject(key)} is {value_type} ({_TYPE_NAMES[value_type]} is required), not {shown}"
        )
    problem = json_problem(value)
    if problem:
        detail = "the value cannot be stored as JSON" if secret else problem
        raise ConfigValueError(f"{_subject(key)}: {detail}")
    return value


def parse(text: str, value_type: str, *, key: str = "value", secret: bool = False) -> Any:
    """The value that `text` (as typed on a command line) means for `value_type`.

    ``string``: the text as is. ``number``: an integer (``40``, ``-3``) or a decimal
    (``0.5``, ``1e3``), finite. ``boolean``: ``true`` or ``false`` (any case).
    ``json``: a JSON list or object. Anything else is a `ConfigValueError`.
    """
    shown = "the value (not shown: the key is secret)" if secret else json.dumps(text)
    if value_type == "string":
        return check(text, value_type, key=key, secret=secret)
    if value_type == "number":
        stripped = text.strip()
        value: Any
        if _INTEGER.match(stripped):
            value = int(stripped)
        else:
            try:
                value = float(stripped)
            except ValueError:
                value = None
            if value is None or not math.isfinite(value):
                raise ConfigValueError(f"{_subject(key)} is a number: {shown} is not a number")
        return check(value, value_type, key=key, secret=secret)
    if value_type == "boolean":
        lowered = text.strip().lower()
        if lowered not in ("true", "false"):
            raise ConfigValueError(
                f"{_subject(key)} is a boolean: {shown} is neither true nor false"
            )
        return lowered == "true"
    if value_type == "json":
        try:
            value = json.loads(text)
        except ValueError as error:
            where = "" if secret else f" ({error})"
            raise ConfigValueError(
                f"{_subject(key)} is JSON: {shown} is not valid JSON{where}"
            ) from None
        return check(value, value_type, key=key, secret=secret)
    return check(text, value_type, key=key, secret=secret)  # reports the unknown valueType


def row(session: Session, key: str, *, tenant_id: str = DEFAULT_TENANT) -> SystemConfig | None:
    """The ``SystemConfig`` row of `key` for `tenant_id`, or None."""
    return session.scalars(
        select(SystemConfig).where(
            SystemConfig.config_key == key, SystemConfig.tenant_id == tenant_id
        )
    ).one_or_none()


def value_of(entry: SystemConfig) -> Any:
    """The value of a loaded row as its ``valueType``; a stored value of the wrong type raises."""
    value: Any = entry.config_value
    return check(value, entry.value_type, key=entry.config_key, secret=entry.is_secret)


def get(
    session: Session,
    key: str,
    *,
    tenant_id: str = DEFAULT_TENANT,
    default: Any = MISSING,
) -> Any:
    """The value of `key` as its ``valueType``: str, int or float, bool, dict or list.

    A missing key returns `default`, or raises `UnknownConfigKeyError` if none is given.
    """
    entry = row(session, key, tenant_id=tenant_id)
    if entry is None:
        if default is not MISSING:
            return default
        raise _not_found(session, key, tenant_id)
    return value_of(entry)


def set(
    session: Session,
    key: str,
    value: Any,
    *,
    tenant_id: str = DEFAULT_TENANT,
    value_type: str | None = None,
    description: str | None = None,
    is_secret: bool | None = None,
) -> SystemConfig:
    """Store `value` for `key`, checked against the key's ``valueType``; flushed, not committed.

    An existing key keeps its ``valueType``; `value_type`, when given, must equal it
    (a key's type is not changed by a write). A new key needs `value_type`.
    `description` and `is_secret` are updated when given. A write the database's
    row-level security refuses is a `ConfigAccessError`, undone to a savepoint.
    """
    savepoint = session.begin_nested()
    try:
        entry = _write(session, key, value, tenant_id, value_type, description, is_secret)
        session.flush()
    except StaleDataError:  # the UPDATE matched no row: the policy hides it from writes
        savepoint.rollback()
        raise _write_refused(session, key) from None
    except DBAPIError as error:
        savepoint.rollback()
        state = getattr(error.orig, "sqlstate", None)
        if state == _INSUFFICIENT_PRIVILEGE and "row-level security" in str(error.orig):
            raise _write_refused(session, key) from None
        if state == _UNIQUE_VIOLATION and _hidden_from(session) is not None:
            raise _write_refused(session, key) from None  # it exists, hidden: a secret
        raise
    except BaseException:
        savepoint.rollback()
        raise
    savepoint.commit()
    return entry


def _write(
    session: Session,
    key: str,
    value: Any,
    tenant_id: str,
    value_type: str | None,
    description: str | None,
    is_secret: bool | None,
) -> SystemConfig:
    entry = session.get(SystemConfig, key)
    if entry is not None and entry.tenant_id != tenant_id:
        raise UnknownConfigKeyError(
            f'config "{key}" belongs to tenant "{entry.tenant_id}", not "{tenant_id}" '
            "(config keys are unique across tenants)"
        )
    if entry is None:
        if value_type is None:
            raise _not_found(session, key, tenant_id, "; give its valueType to create it")
        secret = bool(is_secret)
        checked = check(value, value_type, key=key, secret=secret)
        entry = SystemConfig(
            config_key=key,
            tenant_id=tenant_id,
            value_type=value_type,
            config_value=cast(Any, checked),
            description=description,
            is_secret=secret,
        )
        session.add(entry)
    else:
        if value_type is not None and value_type != entry.value_type:
            raise ConfigValueError(
                f"{_subject(key)} is {entry.value_type}; a write does not change its "
                f"valueType to {value_type}"
            )
        secret = entry.is_secret if is_secret is None else is_secret
        checked = check(value, entry.value_type, key=key, secret=entry.is_secret or secret)
        entry.config_value = cast(Any, checked)
        if description is not None:
            entry.description = description
        if is_secret is not None:
            entry.is_secret = is_secret
        entry.updated_at = utcnow()
    return entry


def entries(session: Session, *, tenant_id: str = DEFAULT_TENANT) -> list[SystemConfig]:
    """Every ``SystemConfig`` row of `tenant_id`, by key."""
    return list(
        session.scalars(
            select(SystemConfig)
            .where(SystemConfig.tenant_id == tenant_id)
            .order_by(SystemConfig.config_key)
        )
    )


def shown(entry: SystemConfig) -> Any:
    """The value as it may be displayed: `SECRET_MASK` for a secret, else the stored value."""
    return SECRET_MASK if entry.is_secret else entry.config_value
