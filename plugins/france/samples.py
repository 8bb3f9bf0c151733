"""Sample French people and companies for a simulated month (hook
``partage_sample_data``): NIRs and VAT numbers whose keys are computed with the rules
:mod:`.identifiers` validates (``stdnum.fr``), IBANs at banks schwifty's registry
knows, and the worker categories :mod:`.payroll` pays."""

from __future__ import annotations

import random
from functools import partial

from partage.core.contract import SampleData, birth_date, hookimpl, iban


def person_number(rng: random.Random) -> str:
    """NIR: sex, YY, MM, department, commune, order, then the 2-digit key
    (``stdnum.fr.nir.calc_check_digits``: 97 − the 13 digits mod 97)."""
    from stdnum.fr import nir

    born = birth_date(rng)
    department = rng.choice([d for d in range(1, 96) if d != 20])
    body = (
        f"{rng.randint(1, 2)}{born:%y%m}{department:02d}"
        f"{rng.randint(1, 990):03d}{rng.randint(1, 999):03d}"
    )
    return body + nir.calc_check_digits(body)


def vat_number(rng: random.Random) -> str:
    """``FR`` + key + SIREN: a Luhn-checked SIREN and its modulo-97 key."""
    from stdnum import luhn
    from stdnum.fr import siren

    body = str(rng.randint(30_000_000, 99_999_999))
    return "FR" + siren.to_tva(body + luhn.calc_check_digit(body))


#: Non-executives by default; the holders of business entities are executives.
SAMPLES = SampleData(
    worker_categories=("non_cadre", "cadre"),
    person_number=person_number,
    vat_number=vat_number,
    iban=partial(iban, "FR"),
    category_by_kind={"business": "cadre"},
)


@hookimpl
def partage_sample_data() -> SampleData:
    return SAMPLES
