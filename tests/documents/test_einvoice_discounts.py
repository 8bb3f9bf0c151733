"""Discounts and deposits on e-invoices: line allowances, document-level allowances per
VAT category and a balance invoice's negative deduction lines pass the official EN 16931
and Peppol rules, in UBL (Belgium) and CII (France), and the figures are those of the
books."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import facturx
from lxml import etree
from pypdf import PdfReader

from partage.core.contract.einvoice import cii, ubl
from partage.core.documents import schemas, service
from partage.core.documents.build import invoice_document
from partage.core.documents.pdf import render_pdf
from partage.core.sales import invoices
from partage.core.sales.invoices import Discount, LineInput
from tests.documents_support import DAY, CountryWorld, fatal, fund, issuer

D = Decimal
LINES = (
    LineInput("Design", "3", "150", unit="hour", discount_percent="10"),
    LineInput("Prints", "7", "12.35", rate_code="reduced", supply="goods", unit="piece",
              discount_amount="5.00"),
    LineInput("Setup", "1", "99.99", unit="flat"),
)  # fmt: skip


def issue(world: CountryWorld, discount: Discount | None, client: str = "domestic") -> str:
    with world.act() as s:
        return invoices.issue_invoice(
            s, world.coop, entity=world.entity, client=world.client(client), lines=LINES,
            on=DAY, actor="t", discount=discount, notes="Thank you for your trust.",
        ).number  # fmt: skip


def ubl_of(world: CountryWorld, number: str, official: Callable[..., Any], tmp: Path) -> Any:
    with world.act() as s:
        content = service.invoice_einvoice(s, world.coop, number, issuer("be"), actor="t").content
    root = etree.fromstring(content)
    assert schemas.validate(root, schemas.ubl_schema(root.tag)) == []
    path = tmp / f"{number}.xml"
    path.write_bytes(content)
    assert fatal(official("ubl", path)) == []
    return root


def test_line_and_document_discounts_pass_the_official_ubl_rules(
    be: CountryWorld, official: Callable[..., list[dict[str, Any]]], tmp_path: Path
) -> None:
    number = issue(be, Discount(percent="5"))
    root = ubl_of(be, number, official, tmp_path)
    ns = ubl.NS
    # lines: 450 - 45 = 405.00; 86.45 - 5 = 81.45; 99.99
    nets = [n.text for n in root.findall("cac:InvoiceLine/cbc:LineExtensionAmount", ns)]
    assert nets == ["405.00", "81.45", "99.99"]
    units = [n.get("unitCode") for n in root.findall("cac:InvoiceLine/cbc:InvoicedQuantity", ns)]
    assert units == ["HUR", "H87", "LS"]
    # 5 % off each rate's base: 21 % base 504.99 -> 25.25; 6 % base 81.45 -> 4.07
    allowances = {
        a.findtext("cac:TaxCategory/cbc:Percent", namespaces=ns): a.findtext("cbc:Amount", namespaces=ns)
        for a in root.findall("cac:AllowanceCharge", ns)
    }  # fmt: skip
    assert allowances == {"21": "25.25", "6": "4.07"}
    money = root.find("cac:LegalMonetaryTotal", ns)
    assert money.findtext("cbc:LineExtensionAmount", namespaces=ns) == "586.44"
    assert money.findtext("cbc:AllowanceTotalAmount", namespaces=ns) == "29.32"
    assert money.findtext("cbc:TaxExclusiveAmount", namespaces=ns) == "557.12"
    # VAT: 479.74 x 21 % = 100.75; 77.38 x 6 % = 4.64
    assert root.findtext("cac:TaxTotal/cbc:TaxAmount", namespaces=ns) == "105.39"
    with be.act() as s:
        invoice = invoices.invoice_by_number(s, number)
        assert (invoice.net, invoice.vat) == (55712, 10539)
        document = invoice_document(s, be.coop, invoice, issuer("be"))
    assert "Thank you for your trust." in document.notes
    pdf = render_pdf(document, be.coop.plugins, country="be")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    # the line's 10 % in the lines' discount column, the document's 5 % in the totals
    for printed in ("Thank you for your trust.", "Remise", "10 %", "Remise 5 %", "forfait"):
        assert printed in text


def test_a_discount_amount_is_shared_pro_rata_of_the_rates(
    be: CountryWorld, official: Callable[..., list[dict[str, Any]]], tmp_path: Path
) -> None:
    number = issue(be, Discount(amount="50"))
    root = ubl_of(be, number, official, tmp_path)
    ns = ubl.NS
    amounts = sorted(
        a.findtext("cbc:Amount", namespaces=ns) for a in root.findall("cac:AllowanceCharge", ns)
    )
    # 50 x 504.99 / 586.44 = 43.06; 50 x 81.45 / 586.44 = 6.94
    assert amounts == ["43.06", "6.94"]


def test_a_reverse_charge_invoice_with_a_discount_passes_the_official_rules(
    be: CountryWorld, official: Callable[..., list[dict[str, Any]]], tmp_path: Path
) -> None:
    with be.act() as s:
        number = invoices.issue_invoice(
            s, be.coop, entity=be.entity, client=be.client("eu"),
            lines=[LineInput("Design", "10", "80", unit="hour", discount_percent="12.5")],
            on=DAY, actor="t", discount=Discount(percent="2"),
        ).number  # fmt: skip
    root = ubl_of(be, number, official, tmp_path)
    category = root.find("cac:AllowanceCharge/cac:TaxCategory/cbc:ID", ubl.NS)
    assert category is not None and category.text == "AE"


def test_deposit_and_balance_invoices_pass_the_official_cii_rules(
    fr: CountryWorld, official: Callable[..., list[dict[str, Any]]], tmp_path: Path
) -> None:
    fund(fr)
    with fr.act() as s:
        quote = invoices.send_quote(
            s, fr.coop, entity=fr.entity, client=fr.client("domestic"), lines=LINES, on=DAY,
            actor="t", discount=Discount(percent="5"),
        )  # fmt: skip
        invoices.decide_quote(s, fr.coop, quote.reference, accept=True, on=DAY, actor="t")
        reference = quote.reference
    with fr.act() as s:
        deposit = invoices.issue_deposit(
            s, fr.coop, quote=reference, percent="30", on=DAY, actor="t"
        ).number
    with fr.act() as s:
        balance = invoices.issue_balance(s, fr.coop, quote=reference, on=DAY, actor="t").number
    for number in (deposit, balance):
        with fr.act() as s:
            content = service.invoice_einvoice(s, fr.coop, number, issuer("fr"), actor="t").content
        _, xml = facturx.get_xml_from_pdf(content, check_xsd=True)
        path = tmp_path / f"{number}.xml"
        path.write_bytes(xml)
        assert fatal(official("cii", path)) == []
    root = etree.fromstring(xml)
    quantities = [q.text for q in root.iter(f"{{{cii.RAM}}}BilledQuantity")]
    assert quantities[-2:] == ["-1", "-1"]
    with fr.act() as s:
        progress = invoices.quote_progress(s, fr.coop, reference)
    assert progress.left == 0 and progress.balanced
    assert progress.deposits == D("167.14")  # 30 % of 557.12
