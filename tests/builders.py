"""The people every test admits: one builder, whatever the country.

Testland (``"zz"``, the test country of :mod:`tests.engine_support`) takes plain
numbers; Belgium and France get national numbers and IBANs that pass their plugins'
own checks (python-stdnum, schwifty), each ``n`` its own.
"""

from __future__ import annotations

from schwifty import IBAN
from stdnum.be import nn
from stdnum.fr import nir

from partage.core.members import membership


def be_national_number(n: int) -> str:
    """A valid Belgian national number (born 30 July 1985, ``n`` the serial)."""
    body = f"850730{n:03d}"
    return f"{body}{97 - int(body) % 97:02d}"


def fr_national_number(n: int) -> str:
    """A valid French NIR (a man born in July 1985 in Paris, ``n`` the serial)."""
    body = f"1850775{n:06d}"
    return body + nir.calc_check_digits(body)


def national_number(country: str, n: int) -> str:
    """A Belgian or French national number the country's own check accepts."""
    number = be_national_number(n) if country == "be" else fr_national_number(n)
    (nn if country == "be" else nir).validate(number)
    return number


def iban(country: str, n: int) -> str:
    """A Belgian or French IBAN of its own for each ``n``, with valid check digits."""
    if country == "be":
        return IBAN.generate("BE", bank_code="539", account_code=f"{7547030 + n:07d}").compact
    return IBAN.generate("FR", bank_code="20041", account_code=f"{500013000 + n:011d}").compact


def person(n: int, country: str = "zz") -> membership.PersonDetails:
    """The ``n``-th person of ``country`` (``"zz"``, ``"be"`` or ``"fr"``)."""
    if country == "zz":
        return membership.PersonDetails(
            first_name=f"Ada{n}",
            last_name="Lovelace",
            national_id=f"{n:011d}",
            iban=f"ZZ{n:014d}",
            address="1 Main Street",
            email=f"ada{n}@example.org",
            language="en",
        )
    return membership.PersonDetails(
        first_name=f"Ada{n}",
        last_name="Lovelace",
        national_id=national_number(country, n),
        iban=iban(country, n),
        address="Rue Haute 5, 1000 Bruxelles" if country == "be" else "1 rue de l'Exemple",
        email=f"ada{n}@example.org",
        language="fr",
    )
