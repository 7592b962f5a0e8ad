"""The two ways seeding refuses to go on."""

from __future__ import annotations

from collections.abc import Sequence


class SeedError(Exception):
    """Seeding cannot go on (e.g. demo data offered to mainnet); the message says why."""


class SeedValidationError(SeedError):
    """The seed files are not valid; `errors` lists every problem found, one message each.

    Each message names the file, the row or key, the field, and what is wrong, e.g.
    ``seeds/base/countries.csv row 12 (line 40, code "X1"): countryCode: must be two
    uppercase letters (ISO 3166-1 alpha-2), not "X1"``. Nothing has been written when
    this is raised: files are validated before any database work starts.
    """

    def __init__(self, errors: Sequence[str]) -> None:
        self.errors: list[str] = list(errors)
        super().__init__(self.errors)

    def __str__(self) -> str:
        count = len(self.errors)
        noun = "problem" if count == 1 else "problems"
        lines = [f"The seed data is not valid ({count} {noun}); nothing was applied:"]
        lines += [f"  - {error}" for error in self.errors]
        return "\n".join(lines)
