"""PDF invoices and credit notes: the country's brand, language and legal mentions,
stored once with their digest and never changed."""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import replace

import pytest
from pypdf import PdfReader
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import DBAPIError

from partage.core.acts.cooperative import InvalidAct
from partage.core.documents import service
from partage.core.documents.build import MissingFact, invoice_document
from partage.core.documents.models import InvoiceFile
from partage.core.documents.pdf import render_pdf
from partage.core.platform.db.immutable import ImmutableDocument
from partage.core.sales import credit_notes, invoices
from partage.core.sales.invoices import LineInput
from tests.documents_support import DAY, CountryWorld, build_country_world, issuer


def pdf_text(content: bytes) -> str:
    """The PDF's text with whitespace collapsed (lines wrap where the layout says)."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


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


def test_belgian_invoice_prints_every_element_the_vat_code_and_company_law_require(
    be: CountryWorld,
) -> None:
    number = issue(
        be,
        "domestic",
        LineInput("Conception graphique", "3", "150"),
        LineInput("Impression", "2", "12.50", rate_code="reduced", supply="goods"),
    )
    who = issuer("be")
    with be.act() as s:
        stored = service.invoice_pdf(s, be.coop, number, who, actor="t")
        client = be.client("domestic")
    words = pdf_text(stored.content)
    # AR n° 1, art. 5, § 1er: number and date, both parties with VAT numbers, the lines,
    # base per rate, rate and VAT; Code des sociétés art. 2:20: form, seat, BCE, RPM.
    for expected in (
        f"Facture {number}",
        "6 juillet 2026",
        "Partage Belgique SC",
        "Rue Coenraets 72",
        who.vat_number,
        "Client SA",
        "Avenue Louise 1",
        "Conception graphique",
        "Impression",
        "450,00 €",  # base at 21 %
        "94,50 €",  # VAT at 21 %
        "25,00 €",  # base at 6 %
        "1,50 €",  # VAT at 6 %
        "571,00 €",
        "SC (société coopérative",
        f"BCE/KBO {who.company_id}",
        "RPM Bruxelles",
        "pour le compte de Atelier Ada",
    ):
        assert expected in words, expected
    assert re.search(r"\+\+\+\d{3}/\d{4}/\d{5}\+\+\+", words), "structured communication"
    assert client.startswith("C")


def test_a_reverse_charge_invoice_prints_the_treatments_legal_mention(be: CountryWorld) -> None:
    number = issue(be, "eu", LineInput("Design", "1", "500"))
    with be.act() as s:
        words = pdf_text(service.invoice_pdf(s, be.coop, number, issuer("be"), actor="t").content)
    assert "Autoliquidation - article 21, § 2 du Code de la TVA" in words
    assert "DE136695976" in words


def test_the_document_speaks_the_language_asked_for(be: CountryWorld) -> None:
    number = issue(be, "domestic", LineInput("Ontwerp", "1", "1234.50"))
    with be.act() as s:
        words = pdf_text(
            service.invoice_pdf(s, be.coop, number, issuer("be"), actor="t", language="nl").content
        )
    assert f"Factuur {number}" in words
    assert "Vervaldag" in words
    assert "€ 1.234,50" in words  # nl_BE, through the Belgian plugin's formatting


def test_a_language_the_instance_does_not_speak_is_refused(be: CountryWorld) -> None:
    number = issue(be, "domestic", LineInput("Design", "1", "100"))
    with pytest.raises(InvalidAct, match="language: 'it'"), be.act() as s:
        service.invoice_pdf(s, be.coop, number, issuer("be"), actor="t", language="it")


def test_french_invoice_carries_every_mention_of_the_brand_filled_in(fr: CountryWorld) -> None:
    number = issue(fr, "domestic", LineInput("Accompagnement", "2", "300"))
    who = issuer("fr")
    with fr.act() as s:
        stored = service.invoice_pdf(s, fr.coop, number, who, actor="t")
        document = invoice_document(s, fr.coop, invoices.invoice_by_number(s, number), who)
    words = pdf_text(stored.content)
    brand = fr.coop.plugins.hook.partage_country_brand()
    assert len(document.notes) == len(brand.invoice_legal_mentions)
    for mention in document.notes:
        assert " ".join(mention.split()) in words, mention
    assert "SIRET de l'établissement " + who.mention_facts()["siret"] in words
    assert "5 août 2026" in words  # due date, in the document's language
    assert "Total TTC" in words  # the French plugin's own wording


def test_a_mention_naming_a_fact_the_issuer_lacks_is_refused_and_nothing_is_stored(
    fr: CountryWorld,
) -> None:
    number = issue(fr, "domestic", LineInput("Accompagnement", "1", "100"))
    lacking = replace(issuer("fr"), facts=(("siren", "1"),))
    with pytest.raises(MissingFact, match="needs the fact 'rcs_city'"), fr.act() as s:
        service.invoice_pdf(s, fr.coop, number, lacking, actor="t")
    with fr.act() as s:
        assert s.scalar(select(func.count()).select_from(InvoiceFile)) == 0


def test_a_credit_note_names_the_invoice_it_credits(be: CountryWorld) -> None:
    number = issue(be, "domestic", LineInput("Design", "1", "200"))
    with be.act() as s:
        note = credit_notes.issue_credit_note(
            s, be.coop, invoice=number, on=DAY, actor="t", reason="cancelled"
        ).number
    with be.act() as s:
        words = pdf_text(service.invoice_pdf(s, be.coop, note, issuer("be"), actor="t").content)
    assert f"Note de crédit {note}" in words
    assert f"Crédite la facture {number}" in words
    assert "communication" not in words  # nothing to pay on a credit note


def test_the_pdf_is_pdf_a_3b_with_embedded_fonts_and_deterministic(be: CountryWorld) -> None:
    number = issue(be, "domestic", LineInput("Design", "1", "100"))
    with be.act() as s:
        document = invoice_document(s, be.coop, invoices.invoice_by_number(s, number), issuer("be"))
    first = render_pdf(document, be.coop.plugins, country="be")
    assert render_pdf(document, be.coop.plugins, country="be") == first
    reader = PdfReader(io.BytesIO(first))
    xmp = reader.xmp_metadata
    assert xmp is not None
    raw = xmp.stream.get_data().decode()  # type: ignore[union-attr]
    assert "pdfaid:part" in raw and ">3<" in raw.replace('"3"', ">3<")
    fonts = reader.pages[0]["/Resources"]["/Font"]  # type: ignore[index]
    for font in fonts.values():  # type: ignore[union-attr]
        descendant = font.get_object()["/DescendantFonts"][0].get_object()
        assert "/FontFile2" in descendant["/FontDescriptor"].get_object(), "font not embedded"


def test_the_stored_pdf_is_returned_again_and_never_changes(engine: Engine) -> None:
    world = build_country_world(engine, "be")
    number = issue(world, "domestic", LineInput("Design", "1", "100"))
    with world.act() as s:
        first = service.invoice_pdf(s, world.coop, number, issuer("be"), actor="t")
    assert first.created and first.sha256 == hashlib.sha256(first.content).hexdigest()
    with world.act() as s:
        again = service.invoice_pdf(
            s, world.coop, number, replace(issuer("be"), legal_name="Renamed SC"), actor="t"
        )
    assert not again.created and again.content == first.content
    with pytest.raises(ImmutableDocument), world.act() as s:
        row = s.scalars(select(InvoiceFile)).one()
        row.content = b"forged"
    for statement in ("UPDATE invoice_file SET content = content", "DELETE FROM invoice_file"):
        with pytest.raises(DBAPIError, match="immutable"), engine.begin() as connection:
            connection.execute(text(statement))
    with world.act() as s:
        assert s.scalars(select(InvoiceFile.sha256)).one() == first.sha256
