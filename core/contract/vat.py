"""VAT helpers every country needs the same way: the EU's VAT territory, the place of
supply of a line, rates as they are listed and printed.

Where a line is taxed is EU law, the same for every member state: :func:`place_of_supply`
decides it once, and a country plugin only maps the :class:`SupplyCase` it returns to
its own VAT code, legal mention and rate.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from partage.core.contract.errors import N_, PartageError
from partage.core.contract.parameters import Parameters
from partage.core.contract.tax import VatLineContext, VatRate, VatTreatmentKind

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


class VatError(PartageError):
    """A line's VAT facts are not usable: a direction, supply, rate, exemption or VAT code
    the contract or the country plugin does not know. The message names the field."""


DIRECTIONS = ("sale", "purchase")
SUPPLIES = ("goods", "services")


class SupplyCase(enum.StrEnum):
    """Where a sale or purchase line is taxed, and how; the answer of
    :func:`place_of_supply`. "Home" is the cooperative's country; "business" is a
    counterpart with a VAT number.

    Attributes:
        DOMESTIC: the counterpart is at home; home VAT at the chosen rate.
        EXEMPT: the line carries an exemption (of the cooperative's sale, or of the
            supplier's); no VAT, whatever the place.
        INTRA_EU_B2B: a business in another member state. A sale of goods is an exempt
            intra-Community supply (art. 138); a sale of services is taxed where the
            customer is (art. 44), which owes the VAT (art. 196). A purchase is an
            intra-Community acquisition (art. 40 and 200) or a service taxed at home
            (art. 44): the cooperative self-assesses the VAT (reverse charge).
        INTRA_EU_B2C: a person without a VAT number in another member state: taxed at
            home, as a domestic line. Services to a non-taxable person are taxed where
            the supplier is (art. 45); goods sent to one stay taxed at home while the
            supplier's cross-border distance sales stay under the EU threshold
            (art. 33 and 59c).
        EXPORT: a sale of goods leaving the EU's VAT area, to anyone: exempt (art. 146).
        IMPORT: a purchase of goods from outside the EU's VAT area: VAT on importation
            (art. 30, 60 and 201), not charged by the supplier.
        OUTSIDE_EU_B2B: services with a counterpart outside the EU's VAT area. Sold to a
            business there, they are taxed where it is (art. 44): outside home VAT.
            Bought from anyone there, they are taxed at home (art. 44: the cooperative is
            the taxable customer) and the cooperative owes the VAT (art. 196).
        OUTSIDE_EU_B2C: services sold to a person without a VAT number outside the EU's
            VAT area: taxed at home (art. 45), as a domestic line.
    """

    DOMESTIC = "domestic"
    EXEMPT = "exempt"
    INTRA_EU_B2B = "intra_eu_b2b"
    INTRA_EU_B2C = "intra_eu_b2c"
    EXPORT = "export"
    IMPORT = "import"
    OUTSIDE_EU_B2B = "outside_eu_b2b"
    OUTSIDE_EU_B2C = "outside_eu_b2c"

    @property
    def taxed_at_home(self) -> bool:
        """Whether the line carries home VAT at the chosen rate, like a domestic one."""
        return self in _TAXED_AT_HOME

    def treatment_kind(self, direction: str) -> VatTreatmentKind:
        """The :class:`~partage.core.contract.VatTreatmentKind` of a line of this case
        in ``direction`` (``"sale"`` or ``"purchase"``): services bought from outside
        the EU are reverse-charged, sold there they are outside home VAT like an export.
        """
        if self is SupplyCase.OUTSIDE_EU_B2B and direction == "purchase":
            return VatTreatmentKind.INTRA_EU_REVERSE_CHARGE
        return _KIND[self]


_TAXED_AT_HOME = frozenset(
    {SupplyCase.DOMESTIC, SupplyCase.INTRA_EU_B2C, SupplyCase.OUTSIDE_EU_B2C}
)
_KIND = {
    SupplyCase.DOMESTIC: VatTreatmentKind.DOMESTIC,
    SupplyCase.EXEMPT: VatTreatmentKind.EXEMPT,
    SupplyCase.INTRA_EU_B2B: VatTreatmentKind.INTRA_EU_REVERSE_CHARGE,
    SupplyCase.INTRA_EU_B2C: VatTreatmentKind.DOMESTIC,
    SupplyCase.EXPORT: VatTreatmentKind.EXPORT,
    SupplyCase.IMPORT: VatTreatmentKind.EXPORT,
    SupplyCase.OUTSIDE_EU_B2B: VatTreatmentKind.EXPORT,
    SupplyCase.OUTSIDE_EU_B2C: VatTreatmentKind.DOMESTIC,
}


def _country(code: str) -> str:
    """An ISO alpha-2 code or VAT prefix, upper case, Greece as its ISO code ``GR``."""
    upper = code.upper()
    return "GR" if upper == "EL" else upper


def place_of_supply(line: VatLineContext, home: str) -> SupplyCase:
    """Where ``line`` is taxed for a cooperative established in ``home`` (ISO alpha-2),
    under Council Directive 2006/112/EC of 28 November 2006 on the common system of VAT.

    The decision, in this order:

    1. a line with an exemption is exempt, whatever the place;
    2. a counterpart at home is domestic;
    3. when home and the counterpart are both in the EU's VAT area for this supply
       (Northern Ireland, XI, is in it for goods only: Windsor Framework, art. 8), a
       business is reverse-charged (art. 44 and 196 for services; art. 138 for goods
       sold, art. 40 and 200 for goods bought) and a person without a VAT number is
       taxed at home (art. 45 for services; art. 33 and 59c for goods);
    4. otherwise goods sold are an exempt export (art. 146) and goods bought an import
       (art. 30 and 201); services sold to a business are taxed where it is (art. 44),
       to a person at home (art. 45); services bought are taxed at home and
       reverse-charged (art. 44 and 196): a supplier outside the EU has no EU VAT number
       to show, so its absence does not make it a private person.

    A home outside the EU has no intra-EU case: every foreign counterpart is step 4.
    Services with a place-of-supply rule of their own (art. 46 to 59a: immovable
    property, passenger transport, events, restaurants, electronic services to private
    persons, art. 59 services to persons outside the EU...) are not told apart here:
    each follows the general rule.

    Refuses (:class:`VatError`, naming the field) a direction other than ``"sale"`` or
    ``"purchase"`` and a supply other than ``"goods"`` or ``"services"``.
    """
    if line.direction not in DIRECTIONS:
        raise VatError(
            "direction",
            N_("{line_direction} must be 'sale' or 'purchase'"),
            line_direction=repr(line.direction),
        )
    if line.supply not in SUPPLIES:
        raise VatError(
            "supply",
            N_("{line_supply} must be 'goods' or 'services'"),
            line_supply=repr(line.supply),
        )
    if line.exemption is not None:
        return SupplyCase.EXEMPT
    country, home = _country(line.counterpart_country), _country(home)
    if country == home:
        return SupplyCase.DOMESTIC
    business = bool(line.counterpart_vat_number)
    if in_eu_vat_area(home, line.supply) and in_eu_vat_area(country, line.supply):
        return SupplyCase.INTRA_EU_B2B if business else SupplyCase.INTRA_EU_B2C
    if line.supply == "goods":
        return SupplyCase.EXPORT if line.direction == "sale" else SupplyCase.IMPORT
    if line.direction == "purchase" or business:
        return SupplyCase.OUTSIDE_EU_B2B
    return SupplyCase.OUTSIDE_EU_B2C


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
