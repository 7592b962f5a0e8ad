"""Human-facing values: names by nationality, companies, addresses, devices, phrases.

Faker makes the names, companies, addresses and IP addresses, once per run, into
pools of a fixed size (so memory does not grow with the number of rows); rows pick
from the pools by a hash of their index. Calling Faker per row would be some 50 times
slower. Faker is seeded with the run's seed, so the same seed and Faker version give
the same pools.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from faker import Faker

NAMES_PER_POOL = 300
COMPANY_POOL = 1500
ADDRESSES_PER_COUNTRY = 120
IP_POOL = 2000

COUNTRIES: tuple[tuple[str, str, int], ...] = (
    # country, Faker locale of its people's names, share of users (per mille)
    ("KE", "en_KE", 230),
    ("NG", "en_NG", 210),
    ("GH", "tw_GH", 120),
    ("ZA", "zu_ZA", 110),
    ("TZ", "sw", 90),
    ("IN", "en_IN", 90),
    ("GB", "en_GB", 70),
    ("US", "en_US", 80),
)
"""Nationalities of fake users; every code is in the countries seed dataset."""

PHONE_FORMATS: dict[str, tuple[tuple[str, ...], int]] = {
    # country: (E.164 prefixes including the mobile range, digits after the prefix)
    "KE": (("+2547", "+2541"), 8),
    "NG": (("+23480", "+23481", "+23470", "+23490"), 8),
    "GH": (("+23324", "+23320", "+23354", "+23355"), 7),
    "ZA": (("+2782", "+2772", "+2783", "+2761"), 7),
    "TZ": (("+25575", "+25571", "+25568", "+25565"), 7),
    "IN": (("+919", "+918", "+917"), 9),
    "GB": (("+447",), 9),
    # never +1555: the devnet demo users' numbers are +1555..., fake ones must not collide
    "US": (("+1212", "+1312", "+1415", "+1646", "+1713", "+1917"), 7),
}

EMAIL_DOMAINS = ("example.org", "example.net", "mail.example.org", "inbox.example.net")
"""Reserved example domains; the devnet demo users are @example.com, so none collide."""

DEVICES: tuple[tuple[str, str], ...] = (
    ("Pixel 7", "Android 14"),
    ("Pixel 8 Pro", "Android 15"),
    ("Galaxy A14", "Android 13"),
    ("Galaxy A54", "Android 14"),
    ("Galaxy S23", "Android 14"),
    ("Tecno Spark 10", "Android 13"),
    ("Infinix Hot 30", "Android 13"),
    ("Redmi Note 12", "Android 13"),
    ("iPhone 12", "iOS 17.6"),
    ("iPhone 13", "iOS 18.1"),
    ("iPhone 15", "iOS 18.2"),
    ("iPad Air", "iPadOS 17.5"),
)
APP_VERSIONS = ("2.3.0", "2.3.1", "2.4.0", "2.4.2", "2.5.0")

REMARKS = (
    "Rent",
    "Groceries",
    "School fees",
    "Airtime top-up",
    "Electricity token",
    "Water bill",
    "Transport",
    "Dinner, split",
    "Market stall stock",
    "Salary advance",
    "Birthday gift",
    "Church offering",
    "Chama contribution",
    "Hospital bill",
    "Boda boda fare",
    "Fuel",
    "Internet bundle",
    "Repayment, thanks",
    "Wedding contribution",
    "Supplier invoice",
)

CONTACT_NOTES = (
    "Landlord",
    "Met at the market",
    "Pays on Fridays",
    "Cousin",
    "Supplier - maize",
    "Tailor",
    "Mechanic",
    "From church",
    "School friend",
)

ENDPOINTS = (
    "/api/v1/transactions",
    "/api/v1/wallets/balance",
    "/api/v1/transfers",
    "/api/v1/beneficiaries",
    "/api/v1/notifications",
    "/api/v1/auth/refresh",
)

SERVICES = (
    "svc-identity",
    "svc-tokenomics",
    "svc-organization",
    "svc-loanpool",
    "svc-governance",
    "svc-admin",
)


@dataclass(frozen=True)
class Names:
    first: tuple[str, ...]
    last: tuple[str, ...]


class Pools:
    """The pools of one run; built by `build`."""

    def __init__(
        self,
        names: dict[str, Names],
        companies: tuple[str, ...],
        addresses: dict[str, tuple[str, ...]],
        ips: tuple[str, ...],
    ) -> None:
        self.names = names
        self.companies = companies
        self.addresses = addresses
        self.ips = ips
        self.email_domains = EMAIL_DOMAINS
        self._country_by_mille: tuple[str, ...] = tuple(
            code for code, _locale, share in COUNTRIES for _ in range(share)
        )

    def country_for(self, mille: int) -> str:
        """The nationality at position `mille` (0-999) of the weighted list."""
        return self._country_by_mille[mille]

    @staticmethod
    def slug(text: str) -> str:
        return _slug(text)

    @staticmethod
    def phone(country: str, user: int, key: int) -> str:
        """A mobile number of `country`, unique for each `user` (< 10^7) of the run."""
        prefixes, digits = PHONE_FORMATS[country]
        space = 10**digits
        number = (user * 1_000_003 + key) % space  # 1,000,003 is prime: a bijection
        return f"{prefixes[user % len(prefixes)]}{number:0{digits}d}"


@lru_cache(maxsize=8192)
def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", ascii_text.lower()) or "user"


def _unique(values: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(value for value in values if value))


def build(seed: int) -> Pools:
    """Make the pools of a run with Faker seeded by `seed` (needs ``gxschema[demo]``)."""
    from faker import Faker

    names: dict[str, Names] = {}
    addresses: dict[str, tuple[str, ...]] = {}
    for offset, (country, locale, _share) in enumerate(COUNTRIES):
        fake = _seeded(Faker(locale), seed, offset)
        names[country] = Names(
            first=_unique([fake.first_name() for _ in range(NAMES_PER_POOL)]),
            last=_unique([fake.last_name() for _ in range(NAMES_PER_POOL)]),
        )
        addresses[country] = _unique(
            [
                fake.address().replace("\n", ", ").replace("\t", " ")
                for _ in range(ADDRESSES_PER_COUNTRY)
            ]
        )
    business = _seeded(Faker(["en_US", "en_GB", "en_KE", "en_NG"]), seed, 100)
    companies = _unique([business.company() for _ in range(COMPANY_POOL)])
    network = _seeded(Faker("en_US"), seed, 200)
    ips = _unique([network.ipv4_public() for _ in range(IP_POOL)])
    return Pools(names, companies, addresses, ips)


def _seeded(fake: Faker, seed: int, offset: int) -> Faker:
    fake.seed_instance(seed * 1000 + offset)
    return fake
