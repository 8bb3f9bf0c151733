"""Belgian e-invoices: Peppol BIS Billing 3.0 UBL, judged by the official UBL 2.1 XSD and
the official EN 16931 and Peppol Schematron; round trips; supplier UBL imported as
purchases; bad documents refused with the rule named and nothing written."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from sqlalchemy import func, select

from partage.core.banking.models import PayeeAccount
from partage.core.contract.einvoice import ubl
from partage.core.contract.einvoice.rules import RuleBroken
from partage.core.documents import importing, schemas, service
from partage.core.documents.build import invoice_document
from partage.core.documents.importing import ImportRefused
from partage.core.documents.models import InvoiceFile
from partage.core.sales import credit_notes, invoices
from partage.core.sales.invoices import LineInput
from partage.core.spending.models import Purchase
from tests.documents_support import (
    DAY,
    CountryWorld,
    be_vat,
    fatal,
    fund,
    issuer,
    supplier_invoice,
)

D = Decimal


def einvoice(world: CountryWorld, client: str, *lines: LineInput) -> tuple[str, bytes]:
    with world.act() as s:
        number = invoices.issue_invoice(
            s,
            world.coop,
            entity=world.entity,
            client=world.client(client),
            lines=lines,
            on=DAY,
            actor="t",
        ).number
    with world.act() as s:
        stored = service.invoice_einvoice(s, world.coop, number, issuer("be"), actor="t")
    assert stored.format == "peppol-bis-3" and stored.media_type == "application/xml"
    return number, stored.content


def conforms(content: bytes, official: Callable[..., list[dict[str, Any]]], tmp_path: Path) -> None:
    root = etree.fromstring(content)
    assert schemas.validate(root, schemas.ubl_schema(root.tag)) == []
    path = tmp_path / "invoice.xml"
    path.write_bytes(content)
    assert fatal(official("ubl", path)) == []


def test_domestic_invoice_with_two_rates_passes_the_official_rules(
    be: CountryWorld, official: Callable[..., list[dict[str, Any]]], tmp_path: Path
) -> None:
    number, content = einvoice(
        be,
        "domestic",
        LineInput("Conception graphique", "3", "150"),
        LineInput("Impression", "2", "12.50", rate_code="reduced", supply="goods"),
    )
    conforms(content, official, tmp_path)
    root = etree.fromstring(content)
    ns = ubl.NS
    assert root.findtext("cbc:ID", namespaces=ns) == number
    assert root.findtext("cbc:CustomizationID", namespaces=ns) == ubl.PEPPOL_CUSTOMIZATION
    assert (
        root.find("cac:AccountingSupplierParty/cac:Party/cbc:EndpointID", ns).get("schemeID")
        == "0208"
    )
    assert root.findtext("cac:LegalMonetaryTotal/cbc:PayableAmount", namespaces=ns) == "571.00"


def test_reverse_charge_invoice_to_an_eu_business_passes_the_official_rules(
    be: CountryWorld, official: Callable[..., list[dict[str, Any]]], tmp_path: Path
) -> None:
    _, content = einvoice(be, "eu", LineInput("Design", "1", "500"))
    conforms(content, official, tmp_path)
    document = ubl.read(etree.fromstring(content))
    assert [b.category for b in document.vat_breakdown] == ["AE"]
    assert document.vat_breakdown[0].exemption_reason.startswith("Autoliquidation")


def test_credit_note_passes_the_official_rules_and_names_the_invoice(
    be: CountryWorld, official: Callable[..., list[dict[str, Any]]], tmp_path: Path
) -> None:
    with be.act() as s:
        number = invoices.issue_invoice(
            s,
            be.coop,
            entity=be.entity,
            client=be.client("domestic"),
            lines=[LineInput("Design", "4", "100")],
            on=DAY,
            actor="t",
        ).number
    with be.act() as s:
        note = credit_notes.issue_credit_note(
            s,
            be.coop,
            invoice=number,
            on=DAY,
            actor="t",
            reason="one day less",
            lines=[LineInput("Design", "1", "100")],
        ).number
    with be.act() as s:
        content = service.invoice_einvoice(s, be.coop, note, issuer("be"), actor="t").content
    conforms(content, official, tmp_path)
    document = ubl.read(etree.fromstring(content))
    assert document.is_credit_note and document.preceding_invoice == number
    assert (document.net, document.vat, document.payable) == (D("100.00"), D("21.00"), D("121.00"))


def test_emitting_then_reading_gives_back_the_same_document(be: CountryWorld) -> None:
    number, content = einvoice(
        be,
        "domestic",
        LineInput("Conception", "2.5", "80"),
        LineInput("Tirage", "1", "40", rate_code="reduced"),
    )
    with be.act() as s:
        source = invoice_document(s, be.coop, invoices.invoice_by_number(s, number), issuer("be"))
    read = ubl.read(etree.fromstring(content))
    assert read.number == source.number and read.issued_on == source.issued_on
    assert read.due_on == source.due_on
    assert [
        (x.description, x.quantity, x.unit_price, x.net, x.vat_category, x.vat_rate)
        for x in read.lines
    ] == [
        (x.description, x.quantity, x.unit_price, x.net, x.vat_category, x.vat_rate)
        for x in source.lines
    ]
    assert read.vat_breakdown == source.vat_breakdown
    assert (read.net, read.vat, read.total) == (source.net, source.vat, source.total)
    assert read.payment == replace(source.payment, bic=source.payment.bic)
    assert read.buyer.vat_number == source.buyer.vat_number


def test_a_private_client_has_no_peppol_address_and_nothing_is_stored(be: CountryWorld) -> None:
    with be.act() as s:
        number = invoices.issue_invoice(
            s,
            be.coop,
            entity=be.entity,
            client=be.client("private"),
            lines=[LineInput("Portrait", "1", "90")],
            on=DAY,
            actor="t",
        ).number
    with pytest.raises(service.EInvoiceRefused, match="PEPPOL-EN16931-R010"), be.act() as s:
        service.invoice_einvoice(s, be.coop, number, issuer("be"), actor="t")
    with be.act() as s:
        assert s.scalar(select(func.count()).select_from(InvoiceFile)) == 0


def test_reverse_charge_without_the_buyers_vat_number_is_refused_naming_br_ae_02(
    be: CountryWorld,
) -> None:
    with be.act() as s:
        number = invoices.issue_invoice(
            s,
            be.coop,
            entity=be.entity,
            client=be.client("eu"),
            lines=[LineInput("Design", "1", "500")],
            on=DAY,
            actor="t",
        ).number
        document = invoice_document(s, be.coop, invoices.invoice_by_number(s, number), issuer("be"))
    anonymous = replace(document, buyer=replace(document.buyer, vat_number=None))
    with pytest.raises(RuleBroken) as refused:
        be.coop.plugins.hook.partage_einvoice(document=anonymous, pdf=b"")
    assert {f.rule for f in refused.value.findings} >= {"BR-AE-02", "PEPPOL-EN16931-R010"}


# --- supplier invoices received ----------------------------------------------------------
def test_a_supplier_ubl_invoice_becomes_a_purchase_and_importing_again_books_nothing(
    be: CountryWorld, official: Callable[..., list[dict[str, Any]]], tmp_path: Path
) -> None:
    content = supplier_invoice()
    conforms(content, official, tmp_path)
    fund(be)
    with be.act() as s:
        done = importing.import_purchase(
            s, be.coop, content, entity=be.entity, actor="t", issuer=issuer("be")
        )
    assert done.format == "ubl" and not done.replayed and len(done.purchases) == 1
    with be.act() as s:
        purchase = s.get(Purchase, done.purchases[0])
        assert (purchase.supplier_reference, purchase.net, purchase.vat) == ("INV-77", 60000, 12600)
        assert purchase.payee_iban == "BE71096123456769"
        account = s.scalars(
            select(PayeeAccount).where(PayeeAccount.party_id == purchase.party_id)
        ).one()  # the account the invoice names waits for staff to confirm it
        assert (account.iban, account.bic, account.status) == (
            "BE71096123456769",
            "GKCCBEBB",
            "pending",
        )
        again = importing.import_purchase(s, be.coop, content, entity=be.entity, actor="t")
        assert again.replayed and again.purchases == done.purchases
        assert s.scalar(select(func.count()).select_from(Purchase)) == 1


def test_a_malformed_supplier_invoice_is_refused_line_by_line_and_nothing_is_booked(
    be: CountryWorld,
) -> None:
    fund(be)
    content = (
        supplier_invoice()
        .replace(b"<cbc:IssueDate>", b"<cbc:IssueDay>")
        .replace(b"</cbc:IssueDate>", b"</cbc:IssueDay>")
    )
    with pytest.raises(ImportRefused) as refused, be.act() as s:
        importing.import_purchase(s, be.coop, content, entity=be.entity, actor="t")
    assert refused.value.findings[0].rule == "XSD"
    assert refused.value.findings[0].where.startswith("XML line ")
    wrong = supplier_invoice().replace(
        b'<cbc:LineExtensionAmount currencyID="EUR">600.00</cbc:LineExtensionAmount>\n    <cac:Item>',
        b'<cbc:LineExtensionAmount currencyID="EUR">650.00</cbc:LineExtensionAmount>\n    <cac:Item>',
    )
    with pytest.raises(ImportRefused) as refused, be.act() as s:
        importing.import_purchase(s, be.coop, wrong, entity=be.entity, actor="t")
    # The official EN 16931 rules refuse it, each at the XML line it is about.
    rules = {f.rule: f.where for f in refused.value.findings}
    assert set(rules) == {"BR-CO-10", "BR-S-08"}
    assert all(where and where.startswith("XML line ") for where in rules.values())
    with be.act() as s:
        assert s.scalar(select(func.count()).select_from(Purchase)) == 0
    # A price that does not give the line's net breaks no EN 16931 rule (only Peppol's
    # R120, a network rule): the importer never adds a rule of its own, and books the
    # line's net as the totals state it.
    priced = supplier_invoice().replace(
        b'<cbc:PriceAmount currencyID="EUR">200.00</cbc:PriceAmount>',
        b'<cbc:PriceAmount currencyID="EUR">210.00</cbc:PriceAmount>',
    )
    with be.act() as s:
        done = importing.import_purchase(s, be.coop, priced, entity=be.entity, actor="t")
        purchase = s.get(Purchase, done.purchases[0])
        assert (purchase.net, purchase.vat) == (60000, 12600)


def test_an_invoice_addressed_to_another_buyer_is_refused(be: CountryWorld) -> None:
    fund(be)
    other = replace(issuer("be"), vat_number=be_vat(1111111))
    with pytest.raises(ImportRefused, match="BUYER"), be.act() as s:
        importing.import_purchase(
            s, be.coop, supplier_invoice(), entity=be.entity, actor="t", issuer=other
        )
