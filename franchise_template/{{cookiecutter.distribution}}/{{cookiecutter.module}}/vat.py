"""VAT: the rates in force, the treatment of a line and the periodic return.

The rates are the dated parameters under ``data/parameters/vat`` (``standard.toml`` and
one file per other rate; the file name is the rate code). Where a line is taxed is the
contract's ``place_of_supply`` (Directive 2006/112/EC), the same for every country;
this module only gives each case its code, rate and mention: a domestic line, or a
service to a private person abroad, carries this country's VAT; inside the EU, a supply
to a business of another member state is taxed there by reverse charge (art. 44, 138
and 196); goods leaving the EU are an exempt export (art. 146), and a service to a
business outside the EU is outside this country's VAT. Purchases mirror it: the
cooperative self-assesses the VAT of what it buys from businesses of other member
states and of services bought from outside the EU; goods from outside are imports. A
country outside the EU has no intra-EU case: every foreign counterpart is abroad.

The ``vat_code`` stored on journal lines is ``<S|P>-<case>[-<RATE CODE>]``, so that the
return is rebuilt from posted movements alone. The return's boxes are generic (one per
case, then the totals): map them to the national form's boxes when it is modelled.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from partage.core.contract import (
    ParameterError,
    Period,
    ReturnBox,
    SupplyCase,
    VatError,
    VatLineContext,
    VatMovement,
    VatRate,
    VatTreatment,
    percent_label,
    place_of_supply,
    round_money,
)

from {{ cookiecutter.module }}.identity import CODE, CURRENCY
from {{ cookiecutter.module }}.law import PARAMETERS

#: Rate codes, standard first, then the other files of ``parameters/vat`` by name.
RATE_CODES = (
    "standard",
    *sorted(
        name.removeprefix("vat.")
        for name in PARAMETERS.names()
        if name.startswith("vat.") and name != "vat.standard"
    ),
)
RATE_CODES_UPPER = frozenset(code.upper() for code in RATE_CODES)
EXEMPTIONS = {"exempt": "S-EXEMPT"}
MENTIONS = {
    "S-EXEMPT": "Exempt from VAT under the national VAT law",
    "S-EU-SERVICES": "Reverse charge: VAT due by the customer "
    "(Directive 2006/112/EC, art. 44 and 196)",
    "S-EU-GOODS": "Exempt intra-Community supply of goods (Directive 2006/112/EC, art. 138)",
    "S-EXPORT": "Exempt export of goods",
    "S-ABROAD-SERVICES": "Service to a business abroad: outside the scope of this "
    "country's VAT, the customer accounts for the tax",
}
LABELS = {
    "domestic_base": "Domestic sales, taxable amount",
    "domestic_vat": "VAT due on domestic sales",
    "exempt_base": "Exempt sales",
    "eu_base": "Supplies to businesses in other EU member states (reverse charge)",
    "abroad_base": "Exports and services to businesses abroad",
    "purchases_base": "Domestic purchases, taxable amount",
    "purchases_vat": "Deductible VAT on domestic purchases",
    "reverse_charge_base": "Purchases from businesses abroad (reverse charge)",
    "reverse_charge_vat": "VAT self-assessed on reverse-charged purchases, due and deductible",
    "imports_base": "Imports of goods",
    "exempt_purchases_base": "Exempt purchases",
    "total_due": "Total VAT due",
    "total_deductible": "Total VAT deductible",
    "payable": "VAT payable",
    "credit": "VAT credit",
}


def rate(code: str, on: date) -> Decimal:
    """The fraction of rate ``code`` in force on ``on``."""
    if code not in RATE_CODES:
        raise VatError("rate_code", f"{code!r} is not one of {', '.join(RATE_CODES)}")
    return PARAMETERS.value(f"vat.{code}", on)


def rates(on: date) -> list[VatRate]:
    """Every rate in force on ``on``, standard first, with the day it started.

    Refuses a day before the standard rate's first value; a reduced rate not yet in
    force that day is left out.
    """
    found = []
    for code in RATE_CODES:
        try:
            dated = PARAMETERS[f"vat.{code}"].at(on)
        except ParameterError:
            if code == "standard":
                raise
            continue
        value = PARAMETERS.value(f"vat.{code}", on)
        found.append(VatRate(code, value, dated.start, percent_label(value)))
    return found


def treatment(line: VatLineContext) -> VatTreatment:
    """The VAT of one line, with its code, rate and the mention the invoice must print.

    Where the line is taxed is the contract's ``place_of_supply``; this maps its case to
    this country's code, rate and mention.
    """
    case = place_of_supply(line, CODE)
    code = line.rate_code or "standard"
    charged = rate(code, line.on)  # refuses an unknown code or a day before the rate
    kind = case.treatment_kind(line.direction)
    sale = line.direction == "sale"
    if case is SupplyCase.EXEMPT:
        exempt = EXEMPTIONS.get(line.exemption or "")
        if exempt is None:
            raise VatError(
                "exemption", f"{line.exemption!r} is not one of {', '.join(sorted(EXEMPTIONS))}"
            )
        if sale:
            return VatTreatment(kind, exempt, Decimal(0), MENTIONS[exempt])
        return VatTreatment(kind, "P-EXEMPT", Decimal(0))
    if case.taxed_at_home:
        return VatTreatment(kind, f"{'S' if sale else 'P'}-{code.upper()}", charged)
    if sale:
        vat_code = {
            SupplyCase.INTRA_EU_B2B: f"S-EU-{line.supply.upper()}",
            SupplyCase.EXPORT: "S-EXPORT",
            SupplyCase.OUTSIDE_EU_B2B: "S-ABROAD-SERVICES",
        }[case]
        return VatTreatment(kind, vat_code, Decimal(0), MENTIONS[vat_code])
    if case is SupplyCase.IMPORT:
        return VatTreatment(kind, "P-IMPORT", Decimal(0))
    return VatTreatment(kind, f"P-REVERSE-{code.upper()}", Decimal(0))


def vat_return(period: Period, movements: Sequence[VatMovement]) -> list[ReturnBox]:
    """The period's return from its VAT movements (credit notes are negative)."""
    box: dict[str, Decimal] = defaultdict(Decimal)
    for move in movements:
        head, _, case = move.vat_code.partition("-")
        if move.direction == "sale" and head == "S":
            if case.upper() in RATE_CODES_UPPER:
                box["domestic_base"] += move.base
                box["domestic_vat"] += move.vat
            elif case == "EXEMPT":
                box["exempt_base"] += move.base
            elif case.startswith("EU-"):
                box["eu_base"] += move.base
            elif case in ("EXPORT", "ABROAD-SERVICES"):
                box["abroad_base"] += move.base
            else:
                raise VatError("vat_code", f"{move.vat_code!r} is not a sale code of this plugin")
        elif move.direction == "purchase" and head == "P":
            if case.upper() in RATE_CODES_UPPER:
                box["purchases_base"] += move.base
                box["purchases_vat"] += move.vat
            elif case.startswith("REVERSE-"):
                self_assessed = move.vat or move.base * rate(
                    case.removeprefix("REVERSE-").lower(), period.end
                )
                box["reverse_charge_base"] += move.base
                box["reverse_charge_vat"] += round_money(self_assessed, CURRENCY)
            elif case == "IMPORT":
                box["imports_base"] += move.base
            elif case == "EXEMPT":
                box["exempt_purchases_base"] += move.base
            else:
                raise VatError(
                    "vat_code", f"{move.vat_code!r} is not a purchase code of this plugin"
                )
        else:
            raise VatError(
                "vat_code", f"{move.vat_code!r} does not match direction {move.direction!r}"
            )
    box["total_due"] = box["domestic_vat"] + box["reverse_charge_vat"]
    box["total_deductible"] = box["purchases_vat"] + box["reverse_charge_vat"]
    box["payable"] = max(box["total_due"] - box["total_deductible"], Decimal(0))
    box["credit"] = max(box["total_deductible"] - box["total_due"], Decimal(0))
    return [
        ReturnBox(name, label, round_money(box[name], CURRENCY)) for name, label in LABELS.items()
    ]
