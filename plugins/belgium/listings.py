"""Belgian listings of clients and the VAT return, in the Intervat XML formats.

* The annual listing of VAT-registered customers (Code de la TVA, art. 53quinquies; AR
  n°23 du 29 décembre 1992): for a calendar year, each Belgian VAT-registered customer
  invoiced at least the threshold of ``listings.customer_threshold`` (250 EUR excluding
  VAT), with the turnover and the VAT invoiced (credit notes deducted). Supplies listed
  elsewhere — intra-EU supplies, exports — are left out. Format:
  ``ClientListingConsignment`` (namespace ``http://www.minfin.fgov.be/ClientListingConsignment``).
* The listing of intra-EU supplies (art. 53sexies; AR n°50 du 9 octobre 1998): for a
  month or a quarter, each customer identified for VAT in another member state, with
  the amount of intra-EU supplies of goods (code ``L``, grid 46) and of services under
  reverse charge (code ``S``, grid 44). Format: ``IntraConsignment``.
* The periodic VAT return (art. 53, § 1er, 2°; AR n°1, art. 18): the grids of
  :mod:`.vat` as ``VATConsignment``, each grid that holds an amount.

The three share Intervat's conventions: the consignment and its declaration in the
format's namespace, the declarant's identity in ``http://www.minfin.fgov.be/InputCommon``
(``VATNumber`` without its ``BE`` prefix, name, address, country, e-mail), amounts with
two decimals and a point, VAT numbers without their country prefix and with the issuing
country in ``issuedBy``.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING

from partage.core.contract import (
    N_,
    Declarant,
    DeclarationFile,
    ListedSale,
    PartageError,
    Period,
    SalesListing,
    VatReturnFiling,
    hookimpl,
    two_decimals,
)
from partage.plugins.belgium.law import PARAMETERS

if TYPE_CHECKING:
    from lxml import etree

COMMON = "http://www.minfin.fgov.be/InputCommon"
LISTING = "http://www.minfin.fgov.be/ClientListingConsignment"
INTRA = "http://www.minfin.fgov.be/IntraConsignment"
VAT = "http://www.minfin.fgov.be/VATConsignment"
#: VAT codes of supplies listed in the EU sales listing, with the listing's code.
EU_CODES = {"S-EU-GOODS": "L", "S-EU-SERVICES": "S"}
#: VAT codes of supplies the annual customer listing leaves out (listed elsewhere or
#: not supplies in Belgium).
NOT_DOMESTIC = ("S-EU-", "S-EXPORT", "S-NONEU-")


class ListingError(PartageError):
    """A Belgian listing asked for a period its law does not know."""


def _number(vat_number: str) -> str:
    """A VAT number without its country prefix or punctuation."""
    return "".join(ch for ch in vat_number[2:] if ch.isalnum())


def _declarant(parent: etree._Element, ns: str, who: Declarant) -> None:
    from lxml import etree

    node = etree.SubElement(parent, f"{{{ns}}}Declarant")
    for tag, value in (
        ("VATNumber", _number(who.vat_number)),
        ("Name", who.name),
        ("Street", who.address.street),
        ("PostCode", who.address.postcode),
        ("City", who.address.city),
        ("CountryCode", who.address.country),
        ("EmailAddress", who.email),
    ):
        if value:
            etree.SubElement(node, f"{{{COMMON}}}{tag}").text = value


def _period(parent: etree._Element, ns: str, period: Period) -> None:
    from lxml import etree

    node = etree.SubElement(parent, f"{{{ns}}}Period")
    months = len(period.months())
    if months == 1:
        etree.SubElement(node, f"{{{ns}}}Month").text = str(period.start.month)
    elif months == 3 and period == Period.quarter_of(period.start):
        etree.SubElement(node, f"{{{ns}}}Quarter").text = str((period.start.month - 1) // 3 + 1)
    else:
        raise ListingError(
            "period", N_("{given} is neither a month nor a quarter"), given=period.label
        )
    etree.SubElement(node, f"{{{ns}}}Year").text = str(period.start.year)


def _xml(root: etree._Element) -> bytes:
    from lxml import etree

    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def customers(listing: SalesListing) -> list[tuple[str, Decimal, Decimal]]:
    """The listed customers: (VAT number, turnover, VAT), those at or above the
    threshold, in VAT number order."""
    sums: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for sale in listing.sales:
        if not _belgian(sale) or sale.vat_code.startswith(NOT_DOMESTIC):
            continue
        found = sums[_number(sale.vat_number or "")]
        found[0] += sale.base
        found[1] += sale.vat
    threshold = PARAMETERS.value("listings.customer_threshold", listing.period.end)
    return [(n, b, v) for n, (b, v) in sorted(sums.items()) if b >= threshold]


def _belgian(sale: ListedSale) -> bool:
    return bool(sale.vat_number) and str(sale.vat_number).upper().startswith("BE")


def eu_supplies(listing: SalesListing) -> list[tuple[str, str, str, Decimal]]:
    """The listed supplies: (country, VAT number, code, amount) per customer and code,
    those not nil."""
    sums: dict[tuple[str, str, str], Decimal] = defaultdict(Decimal)
    for sale in listing.sales:
        code = EU_CODES.get(sale.vat_code)
        if code is None or not sale.vat_number:
            continue
        sums[(sale.vat_number[:2].upper(), _number(sale.vat_number), code)] += sale.base
    return [(c, n, k, a) for (c, n, k), a in sorted(sums.items()) if a]


def _customer_listing(listing: SalesListing) -> DeclarationFile:
    from lxml import etree

    period = listing.period
    if (period.start.month, period.start.day, period.end.month, period.end.day) != (1, 1, 12, 31):
        raise ListingError(
            "period",
            N_("the customer listing covers a calendar year, not {given}"),
            given=period.label,
        )
    listed = customers(listing)
    root = etree.Element(
        f"{{{LISTING}}}ClientListingConsignment", nsmap={None: LISTING, "common": COMMON}
    )
    root.set("ClientListingsNbr", "1")
    body = etree.SubElement(root, f"{{{LISTING}}}ClientListing")
    body.set("SequenceNumber", "1")
    body.set("ClientsNbr", str(len(listed)))
    body.set("TurnOverSum", two_decimals(sum((b for _, b, _ in listed), Decimal(0))))
    body.set("VATAmountSum", two_decimals(sum((v for _, _, v in listed), Decimal(0))))
    _declarant(body, LISTING, listing.declarant)
    etree.SubElement(body, f"{{{LISTING}}}Period").text = str(period.start.year)
    for n, (number, base, vat) in enumerate(listed, start=1):
        client = etree.SubElement(body, f"{{{LISTING}}}Client", SequenceNumber=str(n))
        etree.SubElement(client, f"{{{LISTING}}}CompanyVATNumber", issuedBy="BE").text = number
        etree.SubElement(client, f"{{{LISTING}}}TurnOver").text = two_decimals(base)
        etree.SubElement(client, f"{{{LISTING}}}VATAmount").text = two_decimals(vat)
    return DeclarationFile(
        "client_listing",
        "intervat-xml",
        f"client-listing-{period.start.year}.xml",
        _xml(root),
    )


def _eu_listing(listing: SalesListing) -> DeclarationFile:
    from lxml import etree

    listed = eu_supplies(listing)
    root = etree.Element(f"{{{INTRA}}}IntraConsignment", nsmap={None: INTRA, "common": COMMON})
    root.set("IntraListingsNbr", "1")
    body = etree.SubElement(root, f"{{{INTRA}}}IntraListing")
    body.set("SequenceNumber", "1")
    body.set("ClientsNbr", str(len(listed)))
    body.set("AmountSum", two_decimals(sum((a for *_, a in listed), Decimal(0))))
    _declarant(body, INTRA, listing.declarant)
    _period(body, INTRA, listing.period)
    for n, (country, number, code, amount) in enumerate(listed, start=1):
        client = etree.SubElement(body, f"{{{INTRA}}}IntraClient", SequenceNumber=str(n))
        etree.SubElement(client, f"{{{INTRA}}}CompanyVATNumber", issuedBy=country).text = number
        etree.SubElement(client, f"{{{INTRA}}}Code").text = code
        etree.SubElement(client, f"{{{INTRA}}}Amount").text = two_decimals(amount)
    return DeclarationFile(
        "intra_listing", "intervat-xml", f"intra-listing-{listing.period.label}.xml", _xml(root)
    )


@hookimpl
def partage_sales_listing(listing: SalesListing) -> DeclarationFile | None:
    """The annual customer listing or the EU sales listing, in Intervat XML."""
    if listing.kind == "customers":
        return _customer_listing(listing)
    if listing.kind == "eu_sales":
        return _eu_listing(listing)
    return None


@hookimpl
def partage_vat_return_file(filing: VatReturnFiling) -> DeclarationFile:
    """The periodic return as Intervat ``VATConsignment``: every grid holding an
    amount, and whether the balance (grid 72) is asked back."""
    from lxml import etree

    root = etree.Element(f"{{{VAT}}}VATConsignment", nsmap={None: VAT, "common": COMMON})
    root.set("VATDeclarationsNbr", "1")
    body = etree.SubElement(root, f"{{{VAT}}}VATDeclaration", SequenceNumber="1")
    _declarant(body, VAT, filing.declarant)
    _period(body, VAT, filing.period)
    data = etree.SubElement(body, f"{{{VAT}}}Data")
    refund = False
    for box in sorted(filing.boxes, key=lambda b: b.box):
        if box.amount:
            amount = etree.SubElement(data, f"{{{VAT}}}Amount", GridNumber=box.box)
            amount.text = two_decimals(box.amount)
            refund = refund or box.box == "72"
    etree.SubElement(body, f"{{{VAT}}}ClientListingNihil").text = "NO"
    etree.SubElement(body, f"{{{VAT}}}Ask", Restitution="YES" if refund else "NO", Payment="NO")
    return DeclarationFile(
        "vat_return", "intervat-xml", f"vat-return-{filing.period.label}.xml", _xml(root)
    )
