"""VAT helpers every country needs the same way: the EU's VAT territory, rates as they
are listed and printed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from partage.core.contract.parameters import Parameters
from partage.core.contract.tax import VatRate

#: Member states of the EU by the prefix their VAT numbers carry (Greece: EL, and GR as
#: its ISO code). Directive 2006/112/EC, art. 5 and 215.
EU_MEMBER_STATES = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "EL",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
    ]
)


#: Northern Ireland: inside the EU's VAT territory for goods only (Windsor Framework,
#: art. 8; its traders' VAT numbers start with XI).
NORTHERN_IRELAND = "XI"


def in_eu_vat_area(country: str, supply: str) -> bool:
    """Whether a counterpart in ``country`` (ISO alpha-2 or VAT prefix) trades inside the
    EU's VAT territory for a supply of ``"goods"`` or ``"services"``."""
    code = country.upper()
    return code in EU_MEMBER_STATES or (code == NORTHERN_IRELAND and supply == "goods")


def percent_label(rate: Decimal, decimal_separator: str = ",") -> str:
    """A rate as invoices print it: ``Decimal("0.055")`` → ``"5,5 %"``."""
    return f"{(rate * 100).normalize():f} %".replace(".", decimal_separator)


def rates_in_force(
    parameters: Parameters, codes: Sequence[tuple[str, str]], on: date
) -> tuple[VatRate, ...]:
    """The rates in force on ``on``, one per ``(rate code, parameter name)`` pair, in the
    order given (standard first), each with the day its value started.

    Refuses, with the parameter's :class:`~partage.core.contract.parameters.ParameterError`, a
    day before a rate's earliest value.
    """
    found = []
    for code, name in codes:
        dated = parameters[name].at(on)
        value = parameters.value(name, on)
        found.append(VatRate(code, value, dated.start, percent_label(value)))
    return tuple(found)
