"""The EN 16931 totals a supplier's document is booked from, checked as read.

A supplier's document is booked from its VAT breakdown (one purchase per category and
rate: BT-116 and BT-117) and its totals (BT-109, BT-110, BT-112, BT-115). The official
EN 16931 rules (:mod:`.official_rules`) have judged the file before it is read; this
module checks that what the reader took from it adds up the way the booking needs, so
that a reading mistake can never book figures the document does not say.

Every check here is one the official rules make too, with the same exactness (amounts
carry two decimals at most, BR-DEC-*): the lines less document-level allowances plus
charges give BT-109 (BR-CO-13), the VAT breakdown sums to BT-110 (BR-CO-14), BT-109 plus
BT-110 is BT-112 (BR-CO-15), and BT-112 less the prepaid amount plus the rounding amount
is BT-115 (BR-CO-16). None of them can refuse a document those rules accept. The rules
the official ones state with a tolerance (a category's VAT within one unit of its base
× rate, BR-S-09; Peppol's line net within 0.02 of quantity × price over the price base
quantity, PEPPOL-EN16931-R120) are left to them: the booking takes the VAT the document
states and never recomputes a line.

The one check of our own is that the bases of the VAT breakdown add up to BT-109, which
the official rules imply (each category's base is its lines' and allowances' sum,
BR-S-08, BR-Z-08, BR-E-08...) unless a breakdown repeats a category and rate: such a
document would book its base twice, so it is refused as ``BR-CO-13`` with that reason.
"""

from __future__ import annotations

from decimal import Decimal

from partage.core.contract.documents import InvoiceDocument
from partage.core.contract.einvoice.rules import Finding


def arithmetic(document: InvoiceDocument) -> list[Finding]:
    """The EN 16931 totals the booking relies on, each reported with its official rule."""
    found = []
    lines_net = sum((line.net for line in document.lines), Decimal(0))
    allowances = sum((a.amount for a in document.allowances_charges if not a.charge), Decimal(0))
    charges = sum((a.amount for a in document.allowances_charges if a.charge), Decimal(0))
    if lines_net - allowances + charges != document.net:
        found.append(
            Finding(
                "BR-CO-13",
                f"lines {lines_net} - allowances {allowances} + charges {charges} "
                f"is not the total without VAT {document.net}",
            )
        )
    bases = sum((part.base for part in document.vat_breakdown), Decimal(0))
    if bases != document.net:
        keys = [(part.category, part.rate) for part in document.vat_breakdown]
        repeated = len(set(keys)) != len(keys)
        found.append(
            Finding(
                "BR-CO-13",
                f"the VAT breakdown's bases sum to {bases}, the total without VAT says "
                f"{document.net}" + ("; a VAT category and rate is repeated" if repeated else ""),
            )
        )
    vat = sum((part.vat for part in document.vat_breakdown), Decimal(0))
    if vat != document.vat:
        found.append(Finding("BR-CO-14", f"VAT breakdown sums to {vat}, total VAT {document.vat}"))
    if document.net + document.vat != document.total:
        found.append(
            Finding("BR-CO-15", f"{document.net} + {document.vat} is not {document.total}")
        )
    if document.total - document.prepaid + document.rounding != document.payable:
        found.append(
            Finding(
                "BR-CO-16",
                f"{document.total} - prepaid {document.prepaid} + rounding "
                f"{document.rounding} is not the amount due {document.payable}",
            )
        )
    return found
