"""Helpers for inventing valid identifiers: IBANs of any country, and the VAT numbers of
the foreign clients a simulated month invoices.

A simulated month goes through the same acts as real work, so every number it invents
must pass the checks real numbers pass. National numbers of the instance's own country
come from its plugin (hook ``partage_sample_data``); what is the same for every country
lives here for plugins to call: :func:`iban` builds an IBAN with schwifty from the
country's IBAN format, at a bank its registry knows where it knows some. The foreign
clients' VAT numbers are the core's because the simulation invents them whatever the
instance's country (they are kept as given, not validated by the instance's plugin).
Each generator takes a ``random.Random`` so that a seeded simulation gives the same
numbers every time. schwifty and python-stdnum are imported by the generators that use
them, so that a plugin importing these helpers loads neither until it invents a number.
"""

from __future__ import annotations

import random
import re
import string
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from partage.core.contract.errors import PartageError

if TYPE_CHECKING:
    from schwifty.registry import IBANSpec


class UnknownSampleCountry(PartageError):
    """No generator of sample identifiers exists for that country."""


def digits(rng: random.Random, count: int) -> str:
    """``count`` random decimal digits."""
    return "".join(rng.choice(string.digits) for _ in range(count))


def birth_date(rng: random.Random) -> date:
    """A working-age birth date (1960-2004), for national numbers that encode it."""
    return date(rng.randint(1960, 2004), rng.randint(1, 12), rng.randint(1, 28))


# --- IBANs --------------------------------------------------------------------------------
#: One run of the IBAN registry's BBAN format: ``4!n`` is four digits, ``4!a`` four
#: capital letters, ``4!c`` four letters or digits.
BBAN_RUN = re.compile(r"(\d+)!([nac])")
_DRAWN = {"n": string.digits, "c": string.digits, "a": string.ascii_uppercase}


def _spec(country: str) -> IBANSpec | None:
    from schwifty import registry as iban_registry
    from schwifty.exceptions import SchwiftyException

    try:
        return iban_registry.get_iban_spec(country.upper())
    except SchwiftyException:
        return None


def iban_known(country: str) -> bool:
    """Whether schwifty knows ``country``'s IBAN format well enough for :func:`iban`."""
    from schwifty import registry as iban_registry

    spec = _spec(country)
    return spec is not None and spec.positions[iban_registry.Component.BANK_CODE].length > 0


def iban(country: str, rng: random.Random) -> str:
    """An IBAN of ``country``, national and IBAN check digits computed by schwifty.

    The bank is one its registry knows, where it knows some; every other part (the
    bank code included for countries without a registry) is drawn in the country's
    format. A draw a national account rule refuses is drawn again.
    """
    from schwifty import IBAN
    from schwifty import registry as iban_registry
    from schwifty.exceptions import SchwiftyException

    computed = {iban_registry.Component.BANK_CODE, iban_registry.Component.NATIONAL_CHECKSUM_DIGITS}
    country = country.upper()
    spec = _spec(country)
    if spec is None or not iban_known(country):
        raise UnknownSampleCountry(
            "country", "no IBAN format to build an IBAN", value=repr(country)
        )
    classes = "".join(kind * int(count) for count, kind in BBAN_RUN.findall(spec.bban_spec))
    positions = spec.positions
    bank = positions[iban_registry.Component.BANK_CODE]
    branch = positions[iban_registry.Component.BRANCH_CODE]
    banks = sorted(
        {b.bank_code for b in iban_registry.get_banks_by_country(country) if b.bank_code}
    )

    def draw(start: int, end: int) -> str:
        return "".join(rng.choice(_DRAWN[kind]) for kind in classes[start:end])

    for _ in range(100):
        parts = {
            component.value: draw(where.start, where.end)
            for component, where in positions.items()
            if where.length and component not in computed
        }
        code = rng.choice(banks) if banks else draw(bank.start, bank.end)
        if len(code) == bank.length + branch.length:
            parts.pop(iban_registry.Component.BRANCH_CODE.value, None)
        try:
            generated = IBAN.generate(country, bank_code=code, **parts)
            IBAN(generated.compact, validate_bban=True)
        except SchwiftyException:
            continue
        return generated.compact
    raise UnknownSampleCountry("country", "no valid IBAN found in 100 draws", value=repr(country))


# --- foreign clients' VAT numbers ---------------------------------------------------------
def german_vat(rng: random.Random) -> str:
    """``DE`` + 8 digits + an ISO 7064 mod 11,10 check digit (``stdnum.de.vat``)."""
    from stdnum.iso7064 import mod_11_10

    body = str(rng.randint(10_000_000, 99_999_999))
    return f"DE{body}{mod_11_10.calc_check_digit(body)}"


def austrian_vat(rng: random.Random) -> str:
    """``ATU`` + 7 digits + the check digit of ``stdnum.at.uid``."""
    from stdnum.at import uid

    body = "U" + digits(rng, 7)
    return f"AT{body}{uid.calc_check_digit(body)}"


#: EU countries whose business clients a simulated month invoices (reverse charge), by
#: preference, with the generator of their VAT numbers and the locale of their names.
FOREIGN_CLIENTS: dict[str, tuple[Callable[[random.Random], str], str]] = {
    "DE": (german_vat, "de_DE"),
    "AT": (austrian_vat, "de_AT"),
}


def foreign_vat_number(country: str, rng: random.Random) -> str:
    """A valid VAT number of a foreign client of ``country`` (one of FOREIGN_CLIENTS)."""
    try:
        make = FOREIGN_CLIENTS[country.upper()][0]
    except KeyError:
        raise UnknownSampleCountry(
            "country",
            "no sample VAT numbers of foreign clients "
            f"(known: {', '.join(sorted(FOREIGN_CLIENTS))})",
            value=repr(country),
        ) from None
    return make(rng)
