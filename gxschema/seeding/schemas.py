"""Pydantic models of what the seed files may contain, and readable error messages.

Field aliases are the names written in the files (the database's camelCase column
names); Python attributes are snake_case. YAML files are validated strictly: a
number written as a string ("50") is an error, not silently converted.
"""

from __future__ import annotations

import json
import math
import re
from datetime import date, datetime
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

REGIONS: tuple[str, ...] = (
    "Africa",
    "Asia",
    "Europe",
    "North America",
    "South America",
    "Oceania",
)
"""The six regions the services group countries into."""

VALUE_TYPES: tuple[str, ...] = ("string", "number", "boolean", "json")

COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")
CONFIG_KEY = re.compile(r"^[a-z][A-Za-z0-9]*$")
FLAG_KEY = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")

ValueType = Literal["string", "number", "boolean", "json"]
LegalTender = Literal["RECOGNIZED", "SANDBOX", "ACTIVE_LEGAL_TENDER"]
Text = Annotated[str, Field(min_length=1)]


def describe(value: Any) -> str:
    """A value as a message shows it: ``a string "50"``, ``a number 50``, ``null``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"a boolean {json.dumps(value)}"
    if isinstance(value, int | float):
        return f"a number {value!r}"
    if isinstance(value, str):
        return f"a string {json.dumps(value, ensure_ascii=False)}"
    if isinstance(value, list):
        return f"a list {_short(value)}"
    if isinstance(value, dict):
        return f"a mapping {_short(value)}"
    if isinstance(value, datetime | date):
        return f"a date {value.isoformat()} (quote it to make it a string)"
    return f"a {type(value).__name__} {value!r}"


def _short(value: Any) -> str:
    try:
        rendered = json.dumps(value, ensure_ascii=False, default=str)
    except ValueError:
        rendered = repr(value)
    return rendered if len(rendered) <= 60 else rendered[:57] + "..."


def _json_problem(value: Any, where: str = "") -> str | None:
    """Why `value` cannot be stored in jsonb as is, or None if it can."""
    if value is None or isinstance(value, bool | str):
        return None
    if isinstance(value, int | float):
        return _number_problem(value, where)
    if isinstance(value, list):
        for index, item in enumerate(value):
            problem = _json_problem(item, f"{where}[{index}]")
            if problem:
                return problem
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                return f"{where or 'the value'} has a key that is not a string: {key!r}"
            problem = _json_problem(item, f"{where}.{key}")
            if problem:
                return problem
        return None
    return f"{where or 'the value'} is {describe(value)}, which JSON cannot hold"


def _number_problem(value: int | float, where: str = "") -> str | None:
    subject = where or "the value"
    if isinstance(value, float) and not math.isfinite(value):
        return f"{subject} is {value!r}, which JSON cannot hold"
    # The TypeScript services parse jsonb numbers as IEEE doubles.
    if isinstance(value, int) and float(value) != value:
        return f"{subject} {value} is not exactly representable as a double (JSON number)"
    return None


def check_country_code(value: str) -> str:
    """`value` if it is an ISO 3166-1 alpha-2 code in form; else a validation error."""
    if not COUNTRY_CODE.match(value):
        raise PydanticCustomError(
            "country_code",
            "must be two uppercase letters (ISO 3166-1 alpha-2), not {value}",
            {"value": json.dumps(value, ensure_ascii=False)},
        )
    return value


def is_of_type(value: Any, value_type: str) -> bool:
    """Whether `value` is a JSON value of `value_type` (string, number, boolean, json)."""
    if value_type == "string":
        return isinstance(value, str)
    if value_type == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if value_type == "boolean":
        return isinstance(value, bool)
    return isinstance(value, list | dict)


class _StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=True, frozen=True)


class CountryRow(BaseModel):
    """A row of countries.csv (every value arrives as a string)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)

    country_code: str = Field(alias="countryCode")
    country_name: str = Field(alias="countryName")
    region: str

    @field_validator("country_code")
    @classmethod
    def _code(cls, value: str) -> str:
        return check_country_code(value)

    @field_validator("country_name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not value.strip():
            raise PydanticCustomError("blank", "must not be empty")
        if value != value.strip():
            raise PydanticCustomError("padded", "must not start or end with spaces")
        return value

    @field_validator("region")
    @classmethod
    def _region(cls, value: str) -> str:
        if value not in REGIONS:
            raise PydanticCustomError(
                "region",
                "must be one of {regions}, not {value}",
                {"regions": ", ".join(REGIONS), "value": json.dumps(value, ensure_ascii=False)},
            )
        return value


class ConfigFile(_StrictModel):
    """system_config.yaml: the entries are validated one by one as `ConfigParameter`."""

    version: Text
    tenant_id: Text = Field(alias="tenantId")
    parameters: dict[str, Any] = Field(min_length=1)


class ConfigParameter(_StrictModel):
    """One SystemConfig entry: a typed value and what it means."""

    value_type: ValueType = Field(alias="valueType")
    config_value: Any = Field(alias="configValue")
    description: Text
    is_secret: bool = Field(default=False, alias="isSecret")

    @field_validator("config_value")
    @classmethod
    def _value_matches_type(cls, value: Any, info: ValidationInfo) -> Any:
        value_type = info.data.get("value_type")
        if value_type is None:
            return value  # valueType itself is wrong; that error is reported
        if not is_of_type(value, value_type):
            raise PydanticCustomError(
                "value_type",
                "valueType is {value_type} but the value is {described}",
                {"value_type": value_type, "described": describe(value)},
            )
        problem = _json_problem(value)
        if problem:
            raise PydanticCustomError("json_value", problem)
        return value


class FlagFile(_StrictModel):
    """feature_flags.yaml: the entries are validated one by one as `FlagEntry`."""

    version: Text
    tenant_id: Text = Field(alias="tenantId")
    flags: dict[str, Any] = Field(min_length=1)


class FlagEntry(_StrictModel):
    """One FeatureFlag: its meaning and its initial state."""

    description: Text
    is_enabled: bool = Field(alias="isEnabled")
    rollout_percent: int = Field(alias="rolloutPercent", ge=0, le=100)
    target_user_ids: list[str] | None = Field(default=None, alias="targetUserIds")
    target_roles: list[str] | None = Field(default=None, alias="targetRoles")


class LegalTenderEntry(_StrictModel):
    """A country and the legal standing demo data gives GX Coin there."""

    country: str
    status: LegalTender

    @field_validator("country")
    @classmethod
    def _code(cls, value: str) -> str:
        return check_country_code(value)


class DemoSpec(_StrictModel):
    """demo.yaml: how much demo data to generate, and from which Faker seed."""

    version: Text
    tenant_id: Text = Field(alias="tenantId")
    faker_seed: int = Field(alias="fakerSeed", ge=0)
    locale: Text = "en_US"
    epoch: AwareDatetime = Field(strict=False)
    legal_tender: list[LegalTenderEntry] = Field(alias="legalTender", min_length=1)
    partners: int = Field(ge=0, le=50)
    users: int = Field(ge=1, le=500)
    transactions_per_wallet: int = Field(alias="transactionsPerWallet", ge=1, le=100)


M = TypeVar("M", bound=BaseModel)


def validate(model: type[M], data: Any, where: str, errors: list[str]) -> M | None:
    """`data` as a `model`, or None with one ``<where>: <field>: <problem>`` per error."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        errors.extend(f"{where}: {message}" for message in messages(error))
        return None


def _location(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def messages(error: ValidationError) -> list[str]:
    """One ``field: what is wrong`` message per error in `error`."""
    found = []
    for item in error.errors(include_url=False):
        kind = item["type"]
        value = item.get("input")
        context = item.get("ctx") or {}
        if kind == "missing":
            text = "missing (required)"
        elif kind == "extra_forbidden":
            text = "unknown field"
        elif kind in {"string_type", "str_type"}:
            text = f"must be a string, not {describe(value)}"
        elif kind in {"int_type", "int_from_float"}:
            text = f"must be a whole number, not {describe(value)}"
        elif kind == "bool_type":
            text = f"must be true or false, not {describe(value)}"
        elif kind in {"dict_type", "model_type"}:
            text = f"must be a mapping, not {describe(value)}"
        elif kind == "list_type":
            text = f"must be a list, not {describe(value)}"
        elif kind == "literal_error":
            text = f"must be one of {context.get('expected')}, not {describe(value)}"
        elif kind == "greater_than_equal":
            text = f"must be at least {context.get('ge')}, not {value!r}"
        elif kind == "less_than_equal":
            text = f"must be at most {context.get('le')}, not {value!r}"
        elif kind in {"too_short", "string_too_short"}:
            text = "must not be empty"
        else:
            text = str(item["msg"]).removeprefix("Value error, ")
        where = _location(item["loc"])
        found.append(f"{where}: {text}" if where else text)
    return found
