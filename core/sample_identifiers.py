"""Valid identifiers for simulated people and companies: national numbers, VAT numbers
and IBANs whose check digits are computed, never guessed.

A simulated month goes through the same acts as real work, so the country plugin
validates every number it is given; these generators compute each number's checks with
the algorithms python-stdnum validates (modulo 97, Luhn, ISO 7064) and build IBANs with
schwifty from a bank code its registry knows. Each takes a ``random.Random`` so that a
seeded simulation gives the same numbers every time.

Countries without a generator here are refused with :class:`UnknownSampleCountry`.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date

from schwifty import IBAN
from schwifty import registry as iban_registry
from schwifty.exceptions import SchwiftyException
from stdnum import luhn
from stdnum.fr import nir, siren
from stdnum.iso7064 import mod_11_10

from partage.core.errors import PartageError


class UnknownSampleCountry(PartageError):
    """No generator of sample identifiers exists for that country."""


def _digits(rng: random.Random, count: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(count))


def _birth_date(rng: random.Random) -> date:
    """A working-age birth date (1960-2004)."""
    return date(rng.randint(1960, 2004), rng.randint(1, 12), rng.randint(1, 28))


# --- national numbers of persons --------------------------------------------------------
def belgian_national_number(rng: random.Random) -> str:
    """Belgian national register number: YYMMDD, a 3-digit serial, 2 check digits.

    Check = 97 − (the first nine digits mod 97); for people born from 2000 on, a ``2``
    is put in front of the nine digits before taking the modulus (``stdnum.be.nn``).
    """
    born = _birth_date(rng)
    body = f"{born:%y%m%d}{rng.randint(1, 997):03d}"
    base = int(("2" if born.year >= 2000 else "") + body)
    return f"{body}{97 - base % 97:02d}"


def french_nir(rng: random.Random) -> str:
    """French NIR: sex, YY, MM, department, commune, order, then the 2-digit key
    (``stdnum.fr.nir.calc_check_digits``: 97 − the 13 digits mod 97)."""
    born = _birth_date(rng)
    department = rng.choice([d for d in range(1, 96) if d != 20])
    body = (
        f"{rng.randint(1, 2)}{born:%y%m}{department:02d}"
        f"{rng.randint(1, 990):03d}{rng.randint(1, 999):03d}"
    )
    return body + nir.calc_check_digits(body)


# --- VAT numbers --------------------------------------------------------------------------
def belgian_vat(rng: random.Random) -> str:
    """``BE0`` + 7 digits + 2 check digits (97 − the first eight digits mod 97)."""
    body = "0" + str(rng.randint(2_000_000, 9_999_999))
    return f"BE{body}{97 - int(body) % 97:02d}"


def french_vat(rng: random.Random) -> str:
    """``FR`` + key + SIREN: a Luhn-checked SIREN and its modulo-97 key."""
    body = str(rng.randint(30_000_000, 99_999_999))
    return str(siren.to_tva(body + luhn.calc_check_digit(body)))


def german_vat(rng: random.Random) -> str:
    """``DE`` + 8 digits + an ISO 7064 mod 11,10 check digit."""
    body = str(rng.randint(10_000_000, 99_999_999))
    return f"DE{body}{mod_11_10.calc_check_digit(body)}"


# --- IBANs --------------------------------------------------------------------------------
def iban(country: str, rng: random.Random) -> str:
    """An IBAN of ``country`` at a bank its registry knows, national checks computed.

    The account part is drawn at random in the country's format; schwifty computes the
    national check digits and the IBAN's own. A draw a bank's own account rule refuses
    is drawn again.
    """
    spec = iban_registry.get_iban_spec(country)
    banks = sorted(
        {b.bank_code for b in iban_registry.get_banks_by_country(country) if b.bank_code}
    )
    if not banks:
        raise UnknownSampleCountry(f"country {country!r}: no bank codes to build an IBAN")
    positions = spec.positions
    account = positions[iban_registry.Component.ACCOUNT_CODE]
    branch = positions[iban_registry.Component.BRANCH_CODE]
    for _ in range(100):
        try:
            generated = IBAN.generate(
                country,
                bank_code=rng.choice(banks),
                branch_code=_digits(rng, branch.end - branch.start),
                account_code=_digits(rng, account.end - account.start),
            )
            IBAN(generated.compact, validate_bban=True)
        except SchwiftyException:
            continue
        return generated.compact
    raise UnknownSampleCountry(f"country {country!r}: no valid IBAN found in 100 draws")


PERSON_NUMBERS: dict[str, Callable[[random.Random], str]] = {
    "BE": belgian_national_number,
    "FR": french_nir,
}
VAT_NUMBERS: dict[str, Callable[[random.Random], str]] = {
    "BE": belgian_vat,
    "FR": french_vat,
    "DE": german_vat,
}


def _generator(
    table: dict[str, Callable[[random.Random], str]], country: str, what: str
) -> Callable[[random.Random], str]:
    try:
        return table[country.upper()]
    except KeyError:
        raise UnknownSampleCountry(
            f"country {country!r}: no sample {what} (known: {', '.join(sorted(table))})"
        ) from None


def national_number(country: str, rng: random.Random) -> str:
    """A valid national number of a person of ``country``."""
    return _generator(PERSON_NUMBERS, country, "national numbers")(rng)


def vat_number(country: str, rng: random.Random) -> str:
    """A valid VAT number of a company of ``country``."""
    return _generator(VAT_NUMBERS, country, "VAT numbers")(rng)
