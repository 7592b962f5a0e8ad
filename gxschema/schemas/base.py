"""The two kinds of schema: `CreateSchema` (input, validated) and `ReadSchema` (from rows)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, SecretStr
from pydantic.alias_generators import to_camel

if TYPE_CHECKING:
    from gxschema.models import Base


class CreateSchema(BaseModel):
    """What a service may insert: checked against everything the database would refuse,
    plus the rules of the column's meaning (a percentage is 0-100, a URL is http(s)).

    Fields are snake_case; the camelCase column names are accepted as aliases and
    produced by ``model_dump(by_alias=True)``. Unknown fields are refused.
    ``to_model()`` builds the ORM row (not added to any session).
    """

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True
    )

    def to_model(self) -> Base:
        """The ORM row of these values, not added to any session (each schema builds its own)."""
        raise NotImplementedError(f"{type(self).__name__} does not build a row")

    def column_values(self) -> dict[str, Any]:
        """The fields as ORM attribute values (secrets revealed, for the row only)."""
        return {
            name: value.get_secret_value() if isinstance(value, SecretStr) else value
            for name, value in self
        }


class ReadSchema(BaseModel):
    """A row as the services return it: ``Model.model_validate(orm_row)``.

    Only the database's own types are checked, so that any stored row can be read.
    """

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, from_attributes=True, frozen=True
    )
