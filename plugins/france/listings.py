"""The French état récapitulatif des clients intracommunautaires (CGI art. 289 B).

A taxable person who supplies goods exempt under CGI art. 262 ter I, or services taxed
in another member state by the customer's reverse charge (CGI art. 259-1° and art.
283-2), files each month a recapitulative statement of those customers (CGI art. 289
B, I and III; Directive 2006/112/EC art. 262 to 264), through the customs' portal: the
état récapitulatif TVA for goods, the déclaration européenne de services (DES) for
services. Each line gives the customer's VAT identification number in its member state,
the nature of the supplies and their amount excluding VAT, credit notes of the month
deducted.

The customs' portal takes the lines keyed in or as a file; this export writes them as
CSV (UTF-8, ``;`` separated, one header line): ``ligne`` (line number), ``periode``
(``AAAA-MM``), ``pays`` (the customer's member state), ``numero_tva`` (its VAT number
with the country prefix), ``client`` (its name), ``nature`` (``biens`` or
``services``), ``montant`` (the amount in whole euros, rounded half up, as the forms
ask). France has no annual listing of domestic customers: that kind is answered
``None``.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from partage.core.contract import N_, DeclarationFile, PartageError, SalesListing, hookimpl

#: The VAT codes (:mod:`.vat`) of supplies the statement lists, with their nature.
NATURES = {"UE_BIENS": "biens", "UE_SERVICES": "services"}
HEADERS = ("ligne", "periode", "pays", "numero_tva", "client", "nature", "montant")


class StatementError(PartageError):
    """The statement asked for a period other than a month."""


def statement_lines(listing: SalesListing) -> list[tuple[str, str, str, str, Decimal]]:
    """(country, VAT number, name, nature, amount) per customer and nature, not nil, in
    VAT number order."""
    sums: dict[tuple[str, str, str], Decimal] = defaultdict(Decimal)
    names: dict[str, str] = {}
    for sale in listing.sales:
        nature = next((n for c, n in NATURES.items() if sale.vat_code.startswith(c)), None)
        if nature is None or not sale.vat_number:
            continue
        number = sale.vat_number.replace(" ", "").upper()
        names[number] = sale.name
        sums[(number[:2], number, nature)] += sale.base
    return [
        (country, number, names[number], nature, amount)
        for (country, number, nature), amount in sorted(sums.items())
        if amount
    ]


@hookimpl
def partage_sales_listing(listing: SalesListing) -> DeclarationFile | None:
    """The month's état récapitulatif as CSV; ``None`` for any other listing."""
    if listing.kind != "eu_sales":
        return None
    period = listing.period
    if len(period.months()) != 1 or period.start.day != 1 or period != period.months()[0]:
        raise StatementError(
            "period", N_("the statement is made for a month, not {given}"), given=period.label
        )
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(HEADERS)
    for n, (country, number, name, nature, amount) in enumerate(statement_lines(listing), 1):
        whole = amount.quantize(Decimal(1), rounding=ROUND_HALF_UP)
        writer.writerow([n, period.label, country, number, name, nature, f"{whole:f}"])
    return DeclarationFile(
        "etat_recapitulatif",
        "csv",
        f"etat-recapitulatif-{period.label}.csv",
        out.getvalue().encode("utf-8"),
    )
