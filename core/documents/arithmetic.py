"""The EN 16931 rules on figures, checked on a supplier e-invoice as read.

The official rules judge a file's syntax and semantics; whether its figures add up as
read (each line's net, the VAT per category, the totals) is checked here, each broken
rule reported with its official identifier and the invoice line it is about.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from partage.core.contract.documents import InvoiceDocument
from partage.core.contract.einvoice.rules import Finding
from partage.core.contract.money import round_money


def arithmetic(document: InvoiceDocument) -> list[Finding]:
    """The EN 16931 rules on figures: lines, VAT per category and totals add up."""
    found = []
    for line in document.lines:
        expected = round_money(line.quantity * line.unit_price, document.currency)
        if expected != line.net:
            found.append(
                Finding(
                    "PEPPOL-EN16931-R120",
                    f"net {line.net} is not quantity {line.quantity} × price "
                    f"{line.unit_price} = {expected}",
                    where=f"invoice line {line.number}",
                )
            )
    lines_net = sum((line.net for line in document.lines), Decimal(0))
    if lines_net != document.net:
        found.append(
            Finding("BR-CO-10", f"lines sum to {lines_net}, the total says {document.net}")
        )
    bases: dict[tuple[str, Decimal], Decimal] = defaultdict(Decimal)
    for line in document.lines:
        bases[(line.vat_category, line.vat_rate)] += line.net
    for part in document.vat_breakdown:
        base = bases.get((part.category, part.rate), Decimal(0))
        if base != part.base:
            found.append(
                Finding(
                    "BR-CO-18",
                    f"VAT base {part.base} of category {part.category} at {part.rate:%} "
                    f"is not the sum of its lines, {base}",
                )
            )
        expected = round_money(part.base * part.rate, document.currency)
        if expected != part.vat:
            found.append(
                Finding(
                    "BR-CO-17",
                    f"VAT {part.vat} of category {part.category} should be {expected}",
                )
            )
    vat = sum((part.vat for part in document.vat_breakdown), Decimal(0))
    if vat != document.vat:
        found.append(Finding("BR-CO-14", f"VAT breakdown sums to {vat}, total VAT {document.vat}"))
    if document.net + document.vat != document.total:
        found.append(
            Finding("BR-CO-15", f"{document.net} + {document.vat} is not {document.total}")
        )
    return found
