"""Sample people and companies for a simulated month (``partage demo``, hook
``partage_sample_data``).

Every number drawn here passes this package's own checks (:mod:`.identifiers`), drawing
only from the ``random.Random`` it is given so that the same seed gives the same month:

- personal numbers: 10 digits (the generic shape check takes 6 to 20 letters and digits);
- VAT numbers: the country's prefix and 9 digits;
- IBANs: built by Partage's helper in the country's IBAN format, where the country has
  IBANs. A country without them (Japan, the United States...) pays members on national
  account numbers this package does not model yet; until :mod:`.identifiers` checks
  them, sample members get IBANs of ``FALLBACK_IBAN_COUNTRY``, which the IBAN check
  (any country's IBAN) accepts.

The simulation invents prices, pay rates and salaries in euros; ``PRICE_LEVEL`` (how many
units of the currency buy what one euro buys, roughly) scales them so that a month in
this currency looks like one. It is an economic scale for invented data, not a number
set by law nor an exchange rate to keep up to date.

When :mod:`.identifiers` checks a national algorithm, compute its check digits here too
(python-stdnum has ``calc_check_digit`` functions for many countries); the conformance
suite validates a few draws of each against :mod:`.identifiers`.
"""

from __future__ import annotations

import random
from decimal import Decimal
from functools import partial

from partage.core.contract import SampleData, digits, hookimpl, iban, iban_known

from {{ cookiecutter.module }}.identifiers import VAT_PREFIX
from {{ cookiecutter.module }}.identity import CODE
from {{ cookiecutter.module }}.payroll import CATEGORIES

#: The country whose IBANs sample members get when this one has none.
FALLBACK_IBAN_COUNTRY = "DE"
IBAN_COUNTRY = CODE.upper() if iban_known(CODE) else FALLBACK_IBAN_COUNTRY
#: Units of the currency that buy what one euro buys, roughly (scales the demo's prices).
PRICE_LEVEL = Decimal("{{ cookiecutter.price_level }}")


def person_number(rng: random.Random) -> str:
    """A personal number: 10 digits, the first not 0."""
    return str(rng.randint(1, 9)) + digits(rng, 9)


def vat_number(rng: random.Random) -> str:
    """A VAT number: the country's prefix and 9 digits, the first not 0."""
    return f"{VAT_PREFIX}{rng.randint(1, 9)}{digits(rng, 8)}"


#: Every worker paid under the payroll model's category.
SAMPLES = SampleData(
    worker_categories=CATEGORIES,
    person_number=person_number,
    vat_number=vat_number,
    iban=partial(iban, IBAN_COUNTRY),
    price_level=PRICE_LEVEL,
)


@hookimpl
def partage_sample_data() -> SampleData:
    return SAMPLES
