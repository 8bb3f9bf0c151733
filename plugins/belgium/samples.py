"""Sample Belgians and Belgian companies for a simulated month (hook
``partage_sample_data``): national register numbers and VAT numbers whose check digits
are computed with the rules :mod:`.identifiers` validates (``stdnum.be``), IBANs at
banks schwifty's registry knows, and the worker categories :mod:`.payroll` pays."""

from __future__ import annotations

import random
from functools import partial

from partage.core.contract import SampleData, birth_date, hookimpl, iban


def national_number(rng: random.Random) -> str:
    """National register number: YYMMDD, a 3-digit serial, 2 check digits.

    Check = 97 − (the first nine digits mod 97); for people born from 2000 on, a ``2``
    is put in front of the nine digits before taking the modulus (``stdnum.be.nn``).
    """
    born = birth_date(rng)
    body = f"{born:%y%m%d}{rng.randint(1, 997):03d}"
    base = int(("2" if born.year >= 2000 else "") + body)
    return f"{body}{97 - base % 97:02d}"


def vat_number(rng: random.Random) -> str:
    """``BE0`` + 7 digits + 2 check digits (97 − the first eight digits mod 97)."""
    body = "0" + str(rng.randint(2_000_000, 9_999_999))
    return f"BE{body}{97 - int(body) % 97:02d}"


#: Employees by default; the holders of makers' and projects' entities are artists.
SAMPLES = SampleData(
    worker_categories=("employee", "artist"),
    person_number=national_number,
    vat_number=vat_number,
    iban=partial(iban, "BE"),
    category_by_kind={"maker": "artist", "project": "artist"},
)


@hookimpl
def partage_sample_data() -> SampleData:
    return SAMPLES
