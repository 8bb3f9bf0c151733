"""French VAT: rates in force, the treatment of a line, and the CA3 return.

Rates are dated parameters (CGI art. 278 to 281 nonies). Where a line is taxed is
decided once for every country by the contract's ``place_of_supply`` (Directive
2006/112/EC); this module gives each case its French code and mention: a domestic line
carries French VAT; a service to a business of another member state is taxed there by
reverse charge (CGI art. 259-1° and 283-2); goods delivered to a business of another
member state are exempt (CGI art. 262 ter I); goods leaving the EU are exempt exports
(CGI art. 262 I) and services to a business outside the EU are outside French VAT (CGI
art. 259-1°). Purchases mirror these: the cooperative self-assesses the VAT of goods
and services bought from businesses of other member states, of imports, and of services
bought from outside the EU.

The ``vat_code`` stored on journal lines names the treatment and, where VAT is due, the
rate (``FR20``, ``UE_SERVICES_20``...), so that the CA3 return is rebuilt from posted
movements alone.

**When VAT is due** (fait générateur and exigibilité). Goods are taxed at delivery (CGI
art. 269-1-a and 269-2-a), which an invoice of this software dates. Services are taxed
when they are paid (CGI art. 269-2-c: "lors de l'encaissement des acomptes, du prix"),
unless the company opts to pay VAT on its invoices, "d'après les débits" (same article,
and CGI ann. II art. 76), an option every invoice must then state (CGI ann. II art. 242
nonies A, 13°). A domestic service sold without the option carries the code of its rate
followed by :data:`ON_RECEIPT` (``FR20_ENC``): :func:`due_at_payment` tells the core so,
and the CA3 declares it in proportion to what the client paid in the period. With the
option the service carries the plain code and the mention :data:`DEBITS_MENTION`.

**No franchise on sales.** The franchise en base (CGI art. 293 B) is a regime of a whole
taxable person under its thresholds; the cooperative is one taxable person above them,
so no member may invoice under it. A purchase from a supplier in franchise stays
possible (``FRANCHISE``, no VAT to deduct).
"""

from __future__ import annotations

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
from partage.plugins.france.identity import CURRENCY, IDENTITY
from partage.plugins.france.law import LAW

#: Rate codes, standard first: (code, parameter, CA3 line).
RATES: tuple[tuple[str, str, str], ...] = (
    ("standard", "tva.normal", "08"),
    ("intermediate", "tva.intermediaire", "9B"),
    ("reduced", "tva.reduit", "09"),
    ("super_reduced", "tva.particulier", "14"),
)
_RATE_SUFFIX = {"standard": "20", "intermediate": "10", "reduced": "55", "super_reduced": "21"}
_SUFFIX_RATE = {suffix: code for code, suffix in _RATE_SUFFIX.items()}

#: Exemptions a member may choose, with the mention the invoice must print.
EXEMPTIONS: dict[str, tuple[str, str]] = {
    "franchise_293b": ("FRANCHISE", "TVA non applicable, art. 293 B du CGI"),
    "formation_261_4_4": (
        "EXO_261",
        "Exonération de TVA, art. 261-4-4° a du CGI (formation professionnelle continue)",
    ),
    "enseignement_261_4_4": (
        "EXO_261",
        "Exonération de TVA, art. 261-4-4° b du CGI (cours ou leçons d'enseignement)",
    ),
    "sante_261_4_1": ("EXO_261", "Exonération de TVA, art. 261-4-1° du CGI (soins médicaux)"),
}

#: The suffix of a domestic service's code whose VAT is due at payment (CGI art. 269-2-c).
ON_RECEIPT = "_ENC"

#: The mention of an invoice of a company that opted to pay VAT on its invoices for
#: services (CGI ann. II art. 242 nonies A, 13°).
DEBITS_MENTION = "Option pour le paiement de la taxe d'après les débits"

#: Exemptions a member may not choose on a sale: the franchise en base (CGI art. 293 B)
#: covers a whole taxable person under its thresholds, never one line of the cooperative.
PURCHASE_ONLY_EXEMPTIONS = frozenset({"franchise_293b"})

MENTIONS = {
    "UE_SERVICES": "Autoliquidation — TVA due par le preneur (art. 283-2 du CGI; art. 196 de la "
    "directive 2006/112/CE)",
    "UE_BIENS": "Exonération de TVA, art. 262 ter I du CGI — livraison intracommunautaire",
    "EXPORT": "Exonération de TVA, art. 262 I du CGI — exportation hors de l'Union européenne",
    "HORS_UE_SERVICES": "TVA non applicable — prestation de services située hors de France "
    "(art. 259-1° du CGI); autoliquidation par le preneur",
}


def rates(on: date) -> tuple[VatRate, ...]:
    """The rates in force on ``on``, standard first, each with its start date."""
    return rates_in_force(LAW, [(code, name) for code, name, _ in RATES], on)


def rate_of(code: str | None, on: date) -> tuple[str, Decimal]:
    """The rate code (standard when none) and its fraction on ``on``."""
    chosen = code or "standard"
    for rate in rates(on):
        if rate.code == chosen:
            return chosen, rate.rate
    raise VatError(
        "rate_code",
        N_("{code} is not a French VAT rate (known: {item_a})"),
        code=repr(code),
        item_a=", ".join(_RATE_SUFFIX),
    )


def treatment(line: VatLineContext) -> VatTreatment:
    """The VAT of one sale or purchase line, with the invoice mention.

    Where the line is taxed is the contract's :func:`~partage.core.contract.place_of_supply`;
    this maps its case to a French code, rate and mention.
    """
    case = place_of_supply(line, IDENTITY.code)
    kind = case.treatment_kind(line.direction)
    if case is SupplyCase.EXEMPT:
        exempt = EXEMPTIONS.get(line.exemption or "")
        if exempt is None:
            raise VatError(
                "exemption",
                N_("{line_exemption} is not a French exemption (known: {item_a})"),
                line_exemption=repr(line.exemption),
                item_a=", ".join(sorted(EXEMPTIONS)),
            )
        if line.direction == "sale" and line.exemption in PURCHASE_ONLY_EXEMPTIONS:
            raise VatError(
                "exemption",
                N_(
                    "{line_exemption} is not open to a sale: the cooperative is one "
                    "taxable person above the franchise thresholds (CGI art. 293 B)"
                ),
                line_exemption=repr(line.exemption),
            )
        code, mention = exempt
        return VatTreatment(kind, code, Decimal(0), mention)
    code, rate = rate_of(line.rate_code, line.on)
    suffix = _RATE_SUFFIX[code]
    if case.taxed_at_home:
        if line.direction == "sale" and line.supply == "services":
            if line.vat_on_debits:
                return VatTreatment(kind, f"FR{suffix}", rate, DEBITS_MENTION)
            return VatTreatment(kind, f"FR{suffix}{ON_RECEIPT}", rate)
        return VatTreatment(kind, f"FR{suffix}", rate)
    if case is SupplyCase.INTRA_EU_B2B:
        head = "UE_SERVICES" if line.supply == "services" else "UE_BIENS"
        return VatTreatment(kind, f"{head}_{suffix}", Decimal(0), MENTIONS[head])
    if line.direction == "sale":
        vat_code = {SupplyCase.EXPORT: "EXPORT", SupplyCase.OUTSIDE_EU_B2B: "HORS_UE_SERVICES"}[
            case
        ]
        return VatTreatment(kind, vat_code, Decimal(0), MENTIONS[vat_code])
    head = {SupplyCase.IMPORT: "IMPORT", SupplyCase.OUTSIDE_EU_B2B: "HORS_UE_SERVICES"}[case]
    return VatTreatment(kind, f"{head}_{suffix}", Decimal(0), None)


@hookimpl
def partage_vat_due_at_payment(vat_code: str) -> bool:
    """The ``partage_vat_due_at_payment`` hook: :func:`due_at_payment`."""
    return due_at_payment(vat_code)


def due_at_payment(vat_code: str) -> bool:
    """Whether the VAT of a sale of this code is due when the client pays, not at the
    invoice: a domestic service sold without the débits option (CGI art. 269-2-c)."""
    return vat_code.startswith("FR") and vat_code.endswith(ON_RECEIPT)


def _domestic_line(code: str) -> str | None:
    """The CA3 line of a domestic code (``FR20`` or ``FR20_ENC`` → ``08``)."""
    if not code.startswith("FR"):
        return None
    return _LINE_OF_RATE.get(code[2:].removesuffix(ON_RECEIPT))


# --- the CA3 return ---------------------------------------------------------------
CA3_LABELS: dict[str, str] = {
    "A1": N_("Ventes, prestations de services"),
    "A3": N_(
        "Achats de prestations de services auprès d'un assujetti non établi en France "
        "(art. 283-2 du CGI)"
    ),
    "A4": N_("Importations (autoliquidation, art. 1695 II du CGI)"),
    "B2": N_("Acquisitions intracommunautaires"),
    "E1": N_("Exportations hors UE"),
    "E2": N_("Autres opérations non imposables"),
    "F2": N_("Livraisons intracommunautaires à destination d'une personne assujettie"),
    "08-base": N_("Taux normal 20 % — base hors taxe"),
    "08-taxe": N_("Taux normal 20 % — taxe due"),
    "09-base": N_("Taux réduit 5,5 % — base hors taxe"),
    "09-taxe": N_("Taux réduit 5,5 % — taxe due"),
    "9B-base": N_("Taux réduit 10 % — base hors taxe"),
    "9B-taxe": N_("Taux réduit 10 % — taxe due"),
    "14-base": N_("Opérations imposables à un taux particulier (2,1 %, annexe 3310-A) — base"),
    "14-taxe": N_("Opérations imposables à un taux particulier (2,1 %, annexe 3310-A) — taxe"),
    "16": N_("Total de la TVA brute due"),
    "17": N_("Dont TVA sur acquisitions intracommunautaires"),
    "20": N_("TVA déductible sur autres biens et services"),
    "23": N_("Total TVA déductible"),
    "25": N_("Crédit de TVA (ligne 23 − ligne 16)"),
    "28": N_("TVA nette due (ligne 16 − ligne 23)"),
    "32": N_("Total à payer"),
}
_LINE_OF_RATE = {
    suffix: line for (code, _, line), suffix in zip(RATES, _RATE_SUFFIX.values(), strict=True)
}


def _self_assessed_suffix(code: str) -> str | None:
    """The rate suffix of a reverse-charge or import code (``UE_SERVICES_20`` → ``20``)."""
    head, _, suffix = code.rpartition("_")
    if head in ("UE_SERVICES", "UE_BIENS", "HORS_UE_SERVICES", "IMPORT") and suffix in _SUFFIX_RATE:
        return suffix
    return None


def ca3(period: Period, movements: Sequence[VatMovement]) -> tuple[ReturnBox, ...]:
    """The CA3 lines of a period from posted movements (credit notes are negative).

    Self-assessed VAT (reverse charge on services and goods bought abroad, imports) is
    computed at the rate its code names, declared as due and deducted at once.
    """
    boxes = dict.fromkeys(CA3_LABELS, Decimal(0))
    rates_then = {_RATE_SUFFIX[r.code]: r.rate for r in rates(period.end)}
    for move in movements:
        code = move.vat_code
        if move.direction == "sale":
            domestic = _domestic_line(code)
            if domestic is not None:
                line = domestic
                boxes["A1"] += move.base
                boxes[f"{line}-base"] += move.base
                boxes[f"{line}-taxe"] += move.vat
            elif code.startswith("UE_BIENS"):
                boxes["F2"] += move.base
            elif code == "EXPORT":
                boxes["E1"] += move.base
            elif code.startswith(("UE_SERVICES", "HORS_UE_SERVICES", "FRANCHISE", "EXO_")):
                boxes["E2"] += move.base
            else:
                raise VatError(
                    "vat_code", N_("{code} of a sale is not a French VAT code"), code=repr(code)
                )
        elif move.direction == "purchase":
            suffix = _self_assessed_suffix(code)
            if suffix is not None:
                due = round_money(move.base * rates_then[suffix], CURRENCY)
                line = _LINE_OF_RATE[suffix]
                target = (
                    "B2"
                    if code.startswith("UE_BIENS")
                    else "A4"
                    if code.startswith("IMPORT")
                    else "A3"
                )
                boxes[target] += move.base
                boxes[f"{line}-base"] += move.base
                boxes[f"{line}-taxe"] += due
                if target == "B2":
                    boxes["17"] += due
                boxes["20"] += due
            elif _domestic_line(code) is not None:
                boxes["20"] += move.vat
            elif code.startswith(("FRANCHISE", "EXO_")):
                continue
            else:
                raise VatError(
                    "vat_code", N_("{code} of a purchase is not a French VAT code"), code=repr(code)
                )
        else:
            raise VatError(
                "direction",
                N_("{move_direction} must be 'sale' or 'purchase'"),
                move_direction=repr(move.direction),
            )
    boxes["16"] = sum((boxes[f"{line}-taxe"] for line in _LINE_OF_RATE.values()), Decimal(0))
    boxes["23"] = boxes["20"]
    net = boxes["16"] - boxes["23"]
    boxes["28"] = max(net, Decimal(0))
    boxes["25"] = max(-net, Decimal(0))
    boxes["32"] = boxes["28"]
    return tuple(ReturnBox(box, CA3_LABELS[box], amount) for box, amount in boxes.items())
