"""The printed layout of invoices, credit notes and quotes: distinct headings, the
client's full address with the country's name, payment block with the EPC QR payload,
deposit and balance invoices, a long table continued on several pages, the quote's
agreement block."""

from __future__ import annotations

import io

from pypdf import PdfReader
from sqlalchemy import select

from partage.core.documents import service
from partage.core.documents.build import invoice_document
from partage.core.documents.epc import epc_payload
from partage.core.documents.pdf import document_payload
from partage.core.sales import invoices
from partage.core.sales.invoices import LineInput
from partage.core.sales.models import Quote
from tests.documents.test_documents_pdf import issue, pdf_text
from tests.documents_support import BE_IBAN, DAY, CountryWorld, issuer

LINES = (
    LineInput("Conception graphique", "3", "150", unit="hour"),
    LineInput(
        "Impression", "2", "12.50", rate_code="reduced", supply="goods", discount_percent="10"
    ),
)


def pages_text(content: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(content))
    return [" ".join((page.extract_text() or "").split()) for page in reader.pages]


def test_an_invoice_prints_distinct_headings_the_address_and_how_to_pay(be: CountryWorld) -> None:
    number = issue(be, "eu", *LINES)
    who = issuer("be")
    with be.act() as s:
        stored = service.invoice_pdf(s, be.coop, number, who, actor="t")
        document = invoice_document(s, be.coop, invoices.invoice_by_number(s, number), who)
    words = pdf_text(stored.content)
    for expected in (
        "Taux TVA",  # the lines' rate column
        "Montant TVA",  # the summary's VAT column: no two columns headed "TVA"
        "Base",
        "Unter den Linden 1",
        "10117 Berlin",
        "Allemagne",  # the client's country by name, in the document's language
        "Remise",
        "10 %",
        "Total TVAC",
        "BE68 5390 0754 7034",
        "GEBABEBB",
        "Communication",
        "1/1",
    ):
        assert expected in words, expected
    assert " DE " not in f" {words} "  # no bare country code
    assert document.payment is not None
    assert document_payload(document) == epc_payload(
        name="Partage Belgique SC",
        iban=BE_IBAN,
        amount=document.payable,
        currency="EUR",
        reference=document.payment.reference,
        bic="GEBABEBB",
    )
    assert document_payload(document) is not None


def test_a_long_invoice_continues_on_pages_with_the_heading_repeated(be: CountryWorld) -> None:
    lines = [LineInput(f"Atelier numéro {n}", "1", str(10 + n)) for n in range(1, 61)]
    number = issue(be, "domestic", *lines)
    with be.act() as s:
        content = service.invoice_pdf(s, be.coop, number, issuer("be"), actor="t").content
    pages = pages_text(content)
    assert len(pages) >= 2
    for page_number, text in enumerate(pages, start=1):
        assert f"{page_number}/{len(pages)}" in text
        assert "BCE/KBO" in text  # the issuer's legal line at every foot
    for text in pages[: len(pages) - 1]:
        assert "Description" in text and "Montant HTVA" in text
    assert f"Facture {number}" in pages[1]  # the continuation names the document
    everything = " ".join(pages)
    for n in (1, 30, 60):
        assert f"Atelier numéro {n} " in everything


def test_deposit_and_balance_invoices_name_the_quote_and_deduct_the_deposit(
    be: CountryWorld,
) -> None:
    with be.act() as s:
        reference = invoices.send_quote(
            s, be.coop, entity=be.entity, client=be.client("domestic"), lines=LINES, on=DAY,
            actor="t",
        ).reference  # fmt: skip
    with be.act() as s:
        invoices.decide_quote(s, be.coop, reference, accept=True, on=DAY, actor="t")
    with be.act() as s:
        deposit = invoices.issue_deposit(
            s, be.coop, quote=reference, on=DAY, actor="t", percent="30"
        ).number
    with be.act() as s:
        balance = invoices.issue_balance(s, be.coop, quote=reference, on=DAY, actor="t").number
    who = issuer("be")
    with be.act() as s:
        first = pdf_text(service.invoice_pdf(s, be.coop, deposit, who, actor="t").content)
        last = pdf_text(service.invoice_pdf(s, be.coop, balance, who, actor="t").content)
    assert f"Facture d'acompte {deposit}" in first and reference in first
    assert f"Facture de solde {balance}" in last and reference in last
    assert "Acomptes déjà facturés" in last
    assert "Total des lignes 472,50 €" in last  # 450 + 22.50, before the deposit


def test_a_quote_prints_its_validity_and_the_agreement_block(be: CountryWorld) -> None:
    with be.act() as s:
        quote = invoices.send_quote(
            s, be.coop, entity=be.entity, client=be.client("domestic"), lines=LINES, on=DAY,
            actor="t", notes="Délai de réalisation : trois semaines",
        )  # fmt: skip
        reference = quote.reference
    with be.act() as s:
        dutch = service.quote_pdf(s, be.coop, reference, issuer("be"), language="nl")
        french = service.quote_pdf(s, be.coop, reference, issuer("be"))
        again = service.quote_pdf(s, be.coop, reference, issuer("be"))
        kept = s.scalars(select(Quote).where(Quote.reference == reference)).one()
    assert french.content == again.content  # the same version renders the same bytes
    assert french.filename == f"{reference}.pdf"
    words = pdf_text(french.content)
    for expected in (
        f"Devis {reference}",
        "Valable jusqu'au",
        "5 août 2026",
        "Bon pour accord",
        "Date, nom et signature du client",
        "Délai de réalisation : trois semaines",
        "450,00 €",
        "22,50 €",
        "Total TVAC",
    ):
        assert expected in words, expected
    assert "Communication" not in words  # a quote asks for no payment
    nl = pdf_text(dutch.content)
    assert f"Offerte {reference}" in nl and "Voor akkoord" in nl and "Geldig tot" in nl
    assert kept.valid_until.isoformat() == "2026-08-05"
