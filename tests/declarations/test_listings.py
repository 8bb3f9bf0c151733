"""The files an accountant files beside the return: the Belgian annual customer
listing, EU sales listing and VAT return in Intervat XML, the French état récapitulatif
as CSV, each checked field by field against the documented format, on the month of
:func:`tests.declarations.test_declarations.post_belgian_month`."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from lxml import etree
from sqlalchemy import select

from partage.core.acts.cooperative import InvalidAct
from partage.core.contract import Declarant, ListedSale, PartageError, Period, SalesListing
from partage.core.contract.documents import Address
from partage.core.declarations import listings
from partage.core.platform.db.models import AuditRecord
from partage.core.sales.invoices import LineInput
from partage.plugins.belgium import listings as belgian_listings
from tests.declarations.test_declarations import (  # noqa: F401  (fixtures)
    belgian,
    french,
    invoice,
    post_belgian_month,
)
from tests.engine_support import World

COMMON = "http://www.minfin.fgov.be/InputCommon"
YEAR = Period(date(2026, 1, 1), date(2026, 12, 31))
Q3 = Period(date(2026, 7, 1), date(2026, 9, 30))
JULY = Period(date(2026, 7, 1), date(2026, 7, 31))
D = Decimal


def _file(world: World, kind: str, period: Period) -> etree._Element:
    with world.act() as s:
        made = listings.sales_listing(
            s, world.coop, world.coop.instance.issuer, kind, period, actor="t"
        )
    assert made.format == "intervat-xml"
    return etree.fromstring(made.content)


def _declarant_checked(root: etree._Element, ns: str, world: World) -> None:
    declarant = root.find(f"{{{ns}}}*/{{{ns}}}Declarant")
    assert declarant is not None
    fields = {etree.QName(e).localname: e.text for e in declarant}
    assert {etree.QName(e).namespace for e in declarant} == {COMMON}
    issuer = world.coop.instance.issuer
    assert fields["VATNumber"] == "".join(c for c in issuer.vat_number[2:] if c.isalnum())
    assert fields["Name"] == issuer.legal_name
    assert fields["CountryCode"] == "BE"


def test_the_annual_customer_listing(belgian: World) -> None:  # noqa: F811
    post_belgian_month(belgian)
    root = _file(belgian, "customers", YEAR)
    ns = "http://www.minfin.fgov.be/ClientListingConsignment"
    assert root.tag == f"{{{ns}}}ClientListingConsignment"
    assert root.get("ClientListingsNbr") == "1"
    body = root.find(f"{{{ns}}}ClientListing")
    assert body is not None
    # C000001: 1600.00 in July, less the 200.00 credit note, plus 999.00 in August;
    # VAT 276.00 - 42.00 + 209.79. The German client is in the EU listing instead.
    assert body.attrib == {
        "SequenceNumber": "1",
        "ClientsNbr": "1",
        "TurnOverSum": "2399.00",
        "VATAmountSum": "443.79",
    }
    _declarant_checked(root, ns, belgian)
    assert body.findtext(f"{{{ns}}}Period") == "2026"
    (client,) = body.findall(f"{{{ns}}}Client")
    assert client.get("SequenceNumber") == "1"
    number = client.find(f"{{{ns}}}CompanyVATNumber")
    assert number is not None and (number.get("issuedBy"), number.text) == ("BE", "0403019261")
    assert client.findtext(f"{{{ns}}}TurnOver") == "2399.00"
    assert client.findtext(f"{{{ns}}}VATAmount") == "443.79"
    with belgian.sessions() as s:
        audited = s.scalars(
            select(AuditRecord).where(AuditRecord.action == "declaration.export")
        ).one()
    assert audited.subject == "customers:2026" and audited.data["kind"] == "client_listing"
    with pytest.raises(PartageError, match="calendar year"), belgian.act() as s:
        listings.sales_listing(s, belgian.coop, belgian.coop.instance.issuer, "customers", Q3,
                               actor="t")  # fmt: skip


def _sale(vat_number: str, code: str, base: str) -> ListedSale:
    return ListedSale("C1", "Client", vat_number[:2], vat_number, code, D(base), D(0))


def test_the_listing_threshold_is_the_plugins_parameter() -> None:
    """AR n°23, art. 1er: 250.00 excluding VAT or more is listed, 249.99 is not."""
    declarant = Declarant("Coop", "BE0123456749", "0123456749", Address("", "", "", "BE"))
    listing = SalesListing(
        "customers",
        declarant,
        YEAR,
        "EUR",
        (
            _sale("BE0403019261", "S-STANDARD", "249.99"),
            _sale("BE0202239951", "S-STANDARD", "200.00"),
            _sale("BE0202239951", "S-REDUCED", "50.00"),
            _sale("BE0403019261", "S-EU-SERVICES", "1000.00"),
        ),
    )
    assert belgian_listings.customers(listing) == [("0202239951", D("250.00"), D("0"))]


def test_the_eu_sales_listing(belgian: World) -> None:  # noqa: F811
    post_belgian_month(belgian)
    root = _file(belgian, "eu_sales", Q3)
    ns = "http://www.minfin.fgov.be/IntraConsignment"
    assert root.tag == f"{{{ns}}}IntraConsignment" and root.get("IntraListingsNbr") == "1"
    body = root.find(f"{{{ns}}}IntraListing")
    assert body is not None
    assert body.attrib == {"SequenceNumber": "1", "ClientsNbr": "1", "AmountSum": "2000.00"}
    _declarant_checked(root, ns, belgian)
    period = body.find(f"{{{ns}}}Period")
    assert period is not None
    assert [(etree.QName(e).localname, e.text) for e in period] == [
        ("Quarter", "3"),
        ("Year", "2026"),
    ]
    (client,) = body.findall(f"{{{ns}}}IntraClient")
    number = client.find(f"{{{ns}}}CompanyVATNumber")
    assert number is not None and (number.get("issuedBy"), number.text) == ("DE", "136695976")
    assert client.findtext(f"{{{ns}}}Code") == "S"
    assert client.findtext(f"{{{ns}}}Amount") == "2000.00"


def test_the_vat_return_in_intervat_xml(belgian: World) -> None:  # noqa: F811
    post_belgian_month(belgian)
    with belgian.act() as s:
        made = listings.vat_return_file(
            s, belgian.coop, belgian.coop.instance.issuer, JULY, actor="t"
        )
    root = etree.fromstring(made.content)
    ns = "http://www.minfin.fgov.be/VATConsignment"
    assert root.tag == f"{{{ns}}}VATConsignment" and root.get("VATDeclarationsNbr") == "1"
    _declarant_checked(root, ns, belgian)
    declaration = root.find(f"{{{ns}}}VATDeclaration")
    assert declaration is not None
    period = declaration.find(f"{{{ns}}}Period")
    assert period is not None and [e.text for e in period] == ["7", "2026"]
    grids = {
        a.get("GridNumber"): a.text for a in declaration.findall(f"{{{ns}}}Data/{{{ns}}}Amount")
    }
    assert grids["03"] == "1000.00" and grids["44"] == "2000.00" and grids["49"] == "200.00"
    assert grids["54"] == "276.00" and grids["64"] == "42.00"
    assert "00" not in grids  # a grid holding nothing is left out
    ask = declaration.find(f"{{{ns}}}Ask")
    assert ask is not None and ask.get("Payment") == "NO"
    assert ask.get("Restitution") == ("YES" if "72" in grids else "NO")


def test_the_french_eu_sales_statement(french: World) -> None:  # noqa: F811
    invoice(french, "C000001", [LineInput("Conseil", "1", "1000")])
    invoice(french, "C000002", [LineInput("Beratung", "1", "400.50")])
    with french.act() as s:
        made = listings.sales_listing(
            s, french.coop, french.coop.instance.issuer, "eu_sales", JULY, actor="t"
        )
    assert made.format == "csv" and made.filename == "etat-recapitulatif-2026-07.csv"
    rows = list(csv.reader(io.StringIO(made.content.decode("utf-8")), delimiter=";"))
    assert rows == [
        ["ligne", "periode", "pays", "numero_tva", "client", "nature", "montant"],
        ["1", "2026-07", "DE", "DE136695976", "Kunde Berlin", "services", "401"],
    ]
    issuer = french.coop.instance.issuer
    with pytest.raises(InvalidAct, match="has no listing"), french.act() as s:
        listings.sales_listing(s, french.coop, issuer, "customers", YEAR, actor="t")
    with pytest.raises(InvalidAct, match="no electronic format"), french.act() as s:
        listings.vat_return_file(s, french.coop, issuer, JULY, actor="t")
    with pytest.raises(PartageError, match="for a month"), french.act() as s:
        listings.sales_listing(s, french.coop, issuer, "eu_sales", Q3, actor="t")
