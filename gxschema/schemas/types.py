"""Field types shared by the schemas: what PostgreSQL would refuse, refused earlier.

- text never contains NUL (PostgreSQL ``text`` cannot hold ``\\x00``);
- ``integer`` and ``bigint`` values are in their 32- and 64-bit ranges;
- ``numeric(p, s)`` values are finite and fit ``p - s`` digits before the point
  (the database rounds extra decimals itself, so they are rounded here too);
- ``timestamp with time zone`` values carry a time zone (a naive one would be read
  in the session's time zone);
- ``jsonb`` values are JSON: finite numbers exactly representable as doubles (what
  the TypeScript services read), string keys, no ``\\u0000`` in any string;
- ``character(2)`` country codes are two uppercase letters (ISO 3166-1 alpha-2);
- URLs are absolute ``http://`` or ``https://`` URLs with a host.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from typing import Annotated, Any, Final
from urllib.parse import urlsplit

from pydantic import AfterValidator, AwareDatetime, BeforeValidator, Field
from pydantic_core import PydanticCustomError

from gxschema.seeding.schemas import _json_problem as json_problem
from gxschema.seeding.schemas import check_country_code

INT4_MIN: Final = -(2**31)
INT4_MAX: Final = 2**31 - 1
INT8_MIN: Final = -(2**63)
INT8_MAX: Final = 2**63 - 1


def no_nul(value: str) -> str:
    """`value` unless it contains NUL, which PostgreSQL text cannot store."""
    if "\x00" in value:
        raise PydanticCustomError("nul_character", "must not contain the NUL character (\\x00)")
    return value


def _nul_in_json(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list):
        return any(_nul_in_json(item) for item in value)
    if isinstance(value, dict):
        return any(_nul_in_json(key) or _nul_in_json(item) for key, item in value.items())
    return False


def json_value(value: Any) -> Any:
    """`value` if jsonb can store it (and the services can read it back exactly)."""
    problem = json_problem(value)
    if problem:
        raise PydanticCustomError("json_value", problem)
    if _nul_in_json(value):
        raise PydanticCustomError("json_value", "jsonb strings cannot contain \\u0000")
    return value


def http_url(value: str) -> str:
    """`value` if it is an absolute http(s) URL with a host; kept exactly as given."""
    try:
        parts = urlsplit(value)
        valid = parts.scheme in ("http", "https") and bool(parts.hostname)
        _ = parts.port  # raises ValueError for a port that is not a number or out of range
    except ValueError:
        valid = False
    if not valid or any(character.isspace() for character in value):
        raise PydanticCustomError(
            "http_url",
            "must be an absolute http:// or https:// URL with a host, not {value}",
            {"value": repr(value)},
        )
    return value


def numeric(precision: int, scale: int) -> Any:
    """A validator of ``numeric(precision, scale)``: a finite Decimal, rounded to `scale`."""
    limit = Decimal(10) ** (precision - scale)
    quantum = Decimal(1).scaleb(-scale)

    def convert(value: Any) -> Decimal:
        if isinstance(value, bool):
            raise PydanticCustomError("decimal_type", "must be a number, not a boolean")
        try:
            number = value if isinstance(value, Decimal) else Decimal(str(value))
        except (InvalidOperation, ValueError):
            raise PydanticCustomError(
                "decimal_parsing", "must be a number, not {value}", {"value": repr(value)}
            ) from None
        if not number.is_finite():
            raise PydanticCustomError("decimal_finite", "must be a finite number")
        # Rounded as PostgreSQL rounds (half away from zero) and with room for every
        # digit the column holds (the default context keeps 28, fewer than numeric(36, 9)
        # has); a number ten times past the limit is refused without rounding it.
        with localcontext() as context:
            context.prec = precision + 2
            context.rounding = ROUND_HALF_UP
            too_big = number.copy_abs() >= limit * 10
            rounded = number if too_big else number.quantize(quantum)
            too_big = too_big or rounded.copy_abs() >= limit
        if too_big:
            raise PydanticCustomError(
                "numeric_overflow",
                "must be less than 10^{digits} in absolute value (numeric({p},{s}))",
                {"digits": precision - scale, "p": precision, "s": scale},
            )
        return rounded

    return convert


Text = Annotated[str, AfterValidator(no_nul)]
"""Any ``text``."""
NonEmptyText = Annotated[str, Field(min_length=1), AfterValidator(no_nul)]
"""``text`` that identifies something: never empty."""
Int4 = Annotated[int, Field(ge=INT4_MIN, le=INT4_MAX)]
NonNegativeInt4 = Annotated[int, Field(ge=0, le=INT4_MAX)]
PositiveInt4 = Annotated[int, Field(ge=1, le=INT4_MAX)]
Int8 = Annotated[int, Field(ge=INT8_MIN, le=INT8_MAX)]
Timestamp = AwareDatetime
Numeric20_4 = Annotated[Decimal, BeforeValidator(numeric(20, 4))]
JsonObject = Annotated[dict[str, Any], AfterValidator(json_value)]
JsonValue = Annotated[Any, AfterValidator(json_value)]
HttpUrlText = Annotated[str, AfterValidator(http_url)]
CountryCode = Annotated[str, AfterValidator(check_country_code)]
"""``character(2)``: an ISO 3166-1 alpha-2 code."""
