"""Belgian VAT: rates in force, the treatment of a line, and the periodic return's grids.

A line's treatment yields a ``vat_code`` stored on its journal lines; the return groups
posted movements by that code. Codes are ``<direction>-<case>[-<rate>]``:

======================  =========================================  ===============
code                    case                                       return grids
======================  =========================================  ===============
S-STANDARD/-INTERMEDIATE/-REDUCED/-ZERO  domestic sale at that rate  03/02/01/00, VAT 54
S-EU-SERVICES           B2B service to another member state        44 (credit notes 48)
S-EU-GOODS              intra-EU supply of goods (art. 39bis)      46 (credit notes 48)
S-EXPORT                export of goods (art. 39)                  47
S-NONEU-SERVICES        B2B service outside the EU (art. 21 § 2)   47
S-EXEMPT                exempt without deduction (art. 44)         00
P-<RATE>-GOODS/SERVICES domestic purchase                          81/82, VAT 59
P-EU-GOODS-<RATE>       intra-EU acquisition, reverse charge       81, 86, VAT 55 and 59
P-EU-SERVICES-<RATE>    EU service received, reverse charge        82, 88, VAT 55 and 59
P-NONEU-SERVICES-<RATE> non-EU service received, reverse charge    82, 87, VAT 56 and 59
P-IMPORT-GOODS          import of goods                            81, VAT 57 and 59
P-EXEMPT-<SUPPLY>       bought exempt (art. 44), no VAT            81/82
P-FRANCHISE-<SUPPLY>    bought from a franchise supplier (56bis)   81/82
======================  =========================================  ===============

No sale is made under the small-business franchise (art. 56bis): it is the regime of a
whole taxable person under its turnover threshold, and the cooperative is one taxable
person above it. A purchase from a supplier in franchise keeps its code (no VAT to
deduct).

VAT is due at the invoice, or at an earlier payment (art. 22 § 1 and 22bis, chargeable
event art. 16 and 17): never later, so no Belgian code waits for its payment
(:func:`due_at_payment`).

Which case applies (domestic, reverse charge, export, import, exempt) is the contract's
place of supply (Directive 2006/112/EC), the same in every country; this module maps
each case to these codes.

Credit notes are movements with a negative base; they go to 48/49 (sales, VAT 64) and
84/85 (purchases, VAT 63). Grid 83 (investment goods) and the regularisations 61/62
need facts the movements do not carry; they are returned at zero.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from partage.core.contract import (
    N_,
    Period,
    ReturnBox,
    SupplyCase,
    VatError,
    VatLineContext,
    VatMovement,
    VatRate,
    VatTreatment,
    hookimpl,
    place_of_supply,
    rates_in_force,
    round_money,
)
from partage.plugins.belgium.identity import IDENTITY
from partage.plugins.belgium.law import CURRENCY, PARAMETERS

RATE_CODES = ("standard", "intermediate", "reduced", "zero")

MENTIONS = {
    "S-EU-SERVICES": "Autoliquidation - article 21, § 2 du Code de la TVA; "
    "article 196 de la directive 2006/112/CE",
    "S-EU-GOODS": "Livraison intracommunautaire exemptée - article 39bis, al. 1er, 1° du Code "
    "de la TVA; article 138 de la directive 2006/112/CE",
    "S-EXPORT": "Exportation exemptée - article 39, § 1er du Code de la TVA",
    "S-NONEU-SERVICES": "Prestation non soumise à la TVA belge - article 21, § 2 du Code de la TVA",
    "S-EXEMPT": "Exemption de TVA - article 44 du Code de la TVA",
    "S-FRANCHISE": "Petite entreprise soumise au régime de la franchise de taxe - TVA non "
    "applicable (article 56bis du Code de la TVA)",
}
EXEMPTIONS = {"art44": "S-EXEMPT", "franchise": "S-FRANCHISE"}
#: Exemptions a purchase may carry but a sale may not: the franchise (art. 56bis) is a
#: whole taxable person's regime, never one line of the cooperative's.
PURCHASE_ONLY_EXEMPTIONS = frozenset({"franchise"})

LABELS = {
    "00": N_("Opérations soumises à un régime particulier, taux zéro, exemptées (art. 44, 56bis)"),
    "01": N_("Opérations pour lesquelles la TVA est due - 6 %"),
    "02": N_("Opérations pour lesquelles la TVA est due - 12 %"),
    "03": N_("Opérations pour lesquelles la TVA est due - 21 %"),
    "44": N_("Services intracommunautaires, autoliquidation par le cocontractant"),
    "45": N_("Opérations pour lesquelles la TVA est due par le cocontractant"),
    "46": N_("Livraisons intracommunautaires exemptées"),
    "47": N_("Autres opérations exemptées et opérations effectuées à l'étranger"),
    "48": N_("Notes de crédit relatives aux grilles 44 et 46"),
    "49": N_("Notes de crédit relatives aux autres opérations"),
    "54": N_("TVA due sur les opérations des grilles 01, 02 et 03"),
    "55": N_("TVA due sur les opérations des grilles 86 et 88"),
    "56": N_("TVA due sur les opérations de la grille 87"),
    "57": N_("TVA due sur les importations"),
    "59": N_("TVA déductible"),
    "61": N_("Régularisations en faveur de l'État"),
    "62": N_("Régularisations en faveur du déclarant"),
    "63": N_("TVA à reverser sur notes de crédit reçues"),
    "64": N_("TVA à récupérer sur notes de crédit délivrées"),
    "71": N_("Taxe due à l'État"),
    "72": N_("Sommes dues par l'État"),
    "81": N_("Achats de marchandises, matières premières et auxiliaires"),
    "82": N_("Services et biens divers"),
    "83": N_("Biens d'investissement"),
    "84": N_("Notes de crédit reçues relatives aux grilles 86 et 88"),
    "85": N_("Autres notes de crédit reçues"),
    "86": N_("Acquisitions intracommunautaires de biens"),
    "87": N_("Autres opérations à l'entrée avec TVA due par le déclarant"),
    "88": N_("Services intracommunautaires reçus avec autoliquidation"),
}
_RATE_GRID = {"STANDARD": "03", "INTERMEDIATE": "02", "REDUCED": "01", "ZERO": "00"}


def rate(code: str, on: date) -> Decimal:
    """The fraction of rate ``code`` in force on ``on``."""
    if code not in RATE_CODES:
        raise VatError(
            "rate_code",
            N_("{code} is not one of {item_a}"),
            code=repr(code),
            item_a=", ".join(RATE_CODES),
        )
    return PARAMETERS.value(f"vat.{code}", on)


def rates(on: date) -> tuple[VatRate, ...]:
    """Every Belgian rate in force on ``on``, standard first, with the day it started."""
    return rates_in_force(PARAMETERS, [(code, f"vat.{code}") for code in RATE_CODES], on)


def treatment(line: VatLineContext) -> VatTreatment:
    """The VAT of one line, with its code, rate and the mention the invoice must print.

    Where the line is taxed is the contract's :func:`~partage.core.contract.place_of_supply`;
    this maps its case to a Belgian code (table above), rate and mention.
    """
    case = place_of_supply(line, IDENTITY.code)
    code = line.rate_code or "standard"
    charged = rate(code, line.on)  # refuses an unknown code or a date before the rate existed
    kind = case.treatment_kind(line.direction)
    supply = line.supply.upper()
    sale = line.direction == "sale"
    if case is SupplyCase.EXEMPT:
        exempt = EXEMPTIONS.get(line.exemption or "")
        if exempt is None:
            raise VatError(
                "exemption",
                N_("{line_exemption} is not one of {item_a}"),
                line_exemption=repr(line.exemption),
                item_a=", ".join(sorted(EXEMPTIONS)),
            )
        if sale:
            if line.exemption in PURCHASE_ONLY_EXEMPTIONS:
                raise VatError(
                    "exemption",
                    N_(
                        "{line_exemption} is not open to a sale: the cooperative is one "
                        "taxable person above the franchise threshold (Code TVA art. 56bis)"
                    ),
                    line_exemption=repr(line.exemption),
                )
            return VatTreatment(kind, exempt, Decimal(0), MENTIONS[exempt])
        return VatTreatment(kind, f"P-{exempt.removeprefix('S-')}-{supply}", Decimal(0))
    if case.taxed_at_home:
        # Belgium, or a private person whom Belgian VAT reaches (art. 21bis, distance
        # sales under the EU threshold): domestic VAT at the chosen rate.
        vat_code = f"S-{code.upper()}" if sale else f"P-{code.upper()}-{supply}"
        return VatTreatment(kind, vat_code, charged)
    if sale:
        vat_code = {
            SupplyCase.INTRA_EU_B2B: f"S-EU-{supply}",
            SupplyCase.EXPORT: "S-EXPORT",
            SupplyCase.OUTSIDE_EU_B2B: "S-NONEU-SERVICES",
        }[case]
        return VatTreatment(kind, vat_code, Decimal(0), MENTIONS[vat_code])
    vat_code = {
        SupplyCase.INTRA_EU_B2B: f"P-EU-{supply}-{code.upper()}",
        SupplyCase.IMPORT: "P-IMPORT-GOODS",
        SupplyCase.OUTSIDE_EU_B2B: f"P-NONEU-SERVICES-{code.upper()}",
    }[case]
    return VatTreatment(kind, vat_code, Decimal(0))


@hookimpl
def partage_vat_due_at_payment(vat_code: str) -> bool:
    """The ``partage_vat_due_at_payment`` hook: :func:`due_at_payment`."""
    return due_at_payment(vat_code)


def due_at_payment(vat_code: str) -> bool:
    """Never: Belgian VAT becomes due at the invoice, or at a payment received before
    it (Code TVA art. 22 § 1 and 22bis; chargeable event art. 16 and 17), so no sale
    waits for its payment to be declared."""
    del vat_code
    return False


def _self_assessed(movement: VatMovement, on: date) -> Decimal:
    """VAT the buyer declares on a reverse-charged purchase: as posted, else base × rate."""
    if movement.vat:
        return movement.vat
    code = movement.vat_code.rsplit("-", 1)[-1].lower()
    return round_money(movement.base * rate(code, on), CURRENCY)


def vat_return(period: Period, movements: Sequence[VatMovement]) -> list[ReturnBox]:
    """Fill the grids of the Belgian periodic return from the period's VAT movements."""
    grid: dict[str, Decimal] = defaultdict(Decimal)
    for m in movements:
        parts = m.vat_code.split("-")
        credit = m.base < 0
        base, tax = abs(m.base), abs(m.vat)
        if m.direction == "sale" and parts[0] == "S":
            if parts[1] in ("EU",):
                grid["48" if credit else ("46" if parts[2] == "GOODS" else "44")] += base
            elif parts[1] in ("EXPORT", "NONEU"):
                grid["49" if credit else "47"] += base
            elif parts[1] in ("EXEMPT", "FRANCHISE"):
                grid["49" if credit else "00"] += base
            elif parts[1] in _RATE_GRID:
                grid["49" if credit else _RATE_GRID[parts[1]]] += base
                grid["64" if credit else "54"] += tax
            else:
                raise VatError(
                    "vat_code",
                    N_("{m_vat_code} is not a Belgian sale code"),
                    m_vat_code=repr(m.vat_code),
                )
        elif m.direction == "purchase" and parts[0] == "P":
            goods = "GOODS" in parts
            if parts[1] in ("EU", "NONEU"):
                own = abs(_self_assessed(m, period.end))
                box = {"EU": "86" if goods else "88", "NONEU": "87"}[parts[1]]
                if credit:
                    # The buyer both owed and deducted the VAT: a credit note undoes both.
                    grid["84" if parts[1] == "EU" else "85"] += base
                    grid["63"] += own
                    grid["62"] += own
                else:
                    grid["81" if goods else "82"] += base
                    grid[box] += base
                    grid["55" if parts[1] == "EU" else "56"] += own
                    grid["59"] += own
            elif parts[1] == "IMPORT":
                grid["85" if credit else "81"] += base
                grid["63" if credit else "57"] += tax
                if not credit:
                    grid["59"] += tax
            elif parts[1] in _RATE_GRID:
                grid["85" if credit else ("81" if goods else "82")] += base
                grid["63" if credit else "59"] += tax
            elif parts[1] in ("EXEMPT", "FRANCHISE"):
                grid["85" if credit else ("81" if goods else "82")] += base
            else:
                raise VatError(
                    "vat_code",
                    N_("{m_vat_code} is not a Belgian purchase code"),
                    m_vat_code=repr(m.vat_code),
                )
        else:
            raise VatError(
                "vat_code",
                N_("{m_vat_code} does not match direction {m_direction}"),
                m_vat_code=repr(m.vat_code),
                m_direction=repr(m.direction),
            )
    due = sum((grid[b] for b in ("54", "55", "56", "57", "61", "63")), Decimal(0))
    deductible = sum((grid[b] for b in ("59", "62", "64")), Decimal(0))
    grid["71"] = max(due - deductible, Decimal(0))
    grid["72"] = max(deductible - due, Decimal(0))
    return [
        ReturnBox(box, label, round_money(grid[box], CURRENCY)) for box, label in LABELS.items()
    ]
