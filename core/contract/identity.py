"""Who a country plugin is: its identity, its brand, its identifiers and the
sample data a simulated month invents with.
"""

from __future__ import annotations

import enum
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType

from partage.core.contract.errors import PluginError


@dataclass(frozen=True)
class CountryIdentity:
    """Who a country plugin is.

    Attributes:
        code: ISO 3166-1 alpha-2 code, lower case (``"be"``); also its entry point name.
        name: the country's name in English.
        currency: ISO 4217 code of the books (``"EUR"``).
        default_locale: CLDR locale for formatting (``"fr_BE"``).
        languages: ISO 639-1 codes of the languages documents may be issued in.
        legal_form: the cooperative's legal form in that country (``"SC"``, ``"SCOP SA"``).
    """

    code: str
    name: str
    currency: str
    default_locale: str
    languages: tuple[str, ...]
    legal_form: str


@dataclass(frozen=True)
class Brand:
    """The brand as a country shows it.

    Attributes:
        name: trading name printed on documents.
        primary_colour: ``#rrggbb``.
        secondary_colour: ``#rrggbb``.
        logo: path of the logo file, relative to the plugin package.
        invoice_legal_mentions: mentions every invoice must carry in that country.
    """

    name: str
    primary_colour: str
    secondary_colour: str
    logo: str
    invoice_legal_mentions: tuple[str, ...]


class IdentifierKind(enum.StrEnum):
    """Kinds of identifiers a country plugin validates."""

    VAT = "vat"
    COMPANY = "company"
    PERSON = "person"
    IBAN = "iban"


@dataclass(frozen=True)
class IdentifierCheck:
    """Outcome of validating one identifier.

    Attributes:
        valid: whether every check passed.
        normalized: the compact canonical form when valid.
        failed_check: when invalid, which check failed, in words
            (``"checksum digits do not match"``, ``"length must be 10 digits"``).
    """

    valid: bool
    normalized: str | None = None
    failed_check: str | None = None


@dataclass(frozen=True)
class SampleData:
    """What a simulated month needs from the country to invent people and companies.

    The simulation (``partage demo``, the month benchmark) goes through the same acts as
    real work, so every number it invents must pass the country's own checks; only the
    country knows how to compute them. Each generator takes the simulation's seeded
    ``random.Random`` and draws from it alone, so that the same seed gives the same month.

    Attributes:
        worker_categories: categories the country's payroll pays; the first is the one
            simulated contracts use unless ``category_by_kind`` says otherwise.
        person_number: ``(rng) -> str``, a valid national number of a person.
        vat_number: ``(rng) -> str``, a valid VAT number of a company of the country.
        iban: ``(rng) -> str``, an IBAN the country accepts for a member's account.
        category_by_kind: the category of the holder of an entity of some kind (the
            :class:`~partage.core.members.models.EntityKind` value, ``"maker"``), each
            one of ``worker_categories``.
        price_level: how many units of the books' currency buy what one euro buys,
            roughly (``Decimal(150)`` for Icelandic krónur); the simulation invents its
            prices, pay rates and salaries in euros and scales every amount by it, so
            that a month in krónur or yen looks like one. Not a number set by law nor an
            exchange rate to keep up to date: the plugin's economic scale for invented
            data, for which a round figure is right.
    """

    worker_categories: tuple[str, ...]
    person_number: Callable[[random.Random], str]
    vat_number: Callable[[random.Random], str]
    iban: Callable[[random.Random], str]
    category_by_kind: Mapping[str, str] = field(default_factory=dict)
    price_level: Decimal = Decimal(1)

    def __post_init__(self) -> None:
        if not self.worker_categories:
            raise PluginError("sample data: worker_categories", "at least one category is required")
        level = self.price_level
        if not isinstance(level, Decimal) or not level.is_finite() or level <= 0:
            raise PluginError(
                "sample data: price_level",
                f"{level!r} must be a positive Decimal, the units of "
                "the currency that buy what one euro buys (Decimal(1) for the euro)",
            )
        unknown = sorted(set(self.category_by_kind.values()) - set(self.worker_categories))
        if unknown:
            raise PluginError(
                "sample data: category_by_kind",
                f"{', '.join(unknown)} not among worker_categories",
            )
        object.__setattr__(self, "category_by_kind", MappingProxyType(dict(self.category_by_kind)))

    def category_for(self, kind: str) -> str:
        """The worker category of the holder of an entity of ``kind``."""
        return self.category_by_kind.get(kind, self.worker_categories[0])


#: The smallest monthly gross a simulated month hires a member at, in euros; like every
#: amount the simulation invents, it is scaled by :attr:`SampleData.price_level`. A
#: country's usual full-time gross below it means the price level is set too high.
SIMULATED_MINIMUM_MONTHLY_GROSS = Decimal(600)
