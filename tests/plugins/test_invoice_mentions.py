"""Each mention Belgium and France require on an invoice is listed in the country's
plugin with its legal source, and a sample invoice — to a business client, supplied on
another day than its date — prints every one on its PDF and gives every one in its
e-invoice (UBL for Belgium, CII for France)."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import facturx
import pytest
from lxml import etree
from pypdf import PdfReader

from partage.core.contract.einvoice import cii, ubl
from partage.core.documents import service
from partage.core.documents.build import invoice_document
from partage.core.documents.pdf import render_pdf
from partage.core.sales import invoices
from partage.core.sales.invoices import LineInput
from partage.plugins import belgium, france
from partage.testing.mentions import MENTIONS_FILE, missing_mentions, read_mentions
from tests.documents_support import DAY, CountryWorld, fund, issuer

SUPPLIED = date(2026, 6, 30)
FOLDERS = {"be": Path(belgium.__file__).parent, "fr": Path(france.__file__).parent}


@pytest.mark.parametrize("country", ["be", "fr"])
def test_a_sample_invoice_carries_every_mention_its_country_lists(
    country: str, request: pytest.FixtureRequest
) -> None:
    world: CountryWorld = request.getfixturevalue(country)
    mentions = read_mentions(FOLDERS[country] / MENTIONS_FILE)
    fund(world)
    with world.act() as s:
        invoice = invoices.issue_invoice(
            s, world.coop, entity=world.entity, client=world.client("domestic"),
            lines=[LineInput("Design", "2", "150", unit="hour")], on=DAY, actor="t",
            supplied_on=SUPPLIED,
        )  # fmt: skip
        document = invoice_document(s, world.coop, invoice, issuer(country))
        content = service.invoice_einvoice(
            s, world.coop, invoice.number, issuer(country), actor="t"
        ).content
    pdf = render_pdf(document, world.coop.plugins, country=country)
    text = " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)
    if country == "be":
        read = ubl.read(etree.fromstring(content))
    else:  # Factur-X: the CII inside the PDF/A-3
        _, xml = facturx.get_xml_from_pdf(content, check_xsd=False)
        read = cii.read(etree.fromstring(xml))
    assert missing_mentions(mentions, document, text, read) == []
    assert document.supplied_on == read.supplied_on == SUPPLIED


def test_a_mention_left_out_is_named_with_its_source(be: CountryWorld) -> None:
    """The check is not vacuous: an invoice supplied on its own date has no supply date,
    and the list says which rule asks for it."""
    mentions = read_mentions(FOLDERS["be"] / MENTIONS_FILE)
    fund(be)
    with be.act() as s:
        invoice = invoices.issue_invoice(
            s, be.coop, entity=be.entity, client=be.client("domestic"),
            lines=[LineInput("Design", "1", "100")], on=DAY, actor="t",
        )  # fmt: skip
        document = invoice_document(s, be.coop, invoice, issuer("be"))
    missing = missing_mentions(mentions, document, "", document)
    assert any("supplied_on" in m and "226 7°" in m for m in missing)
    assert any("buyer.address.street" in m and "not printed" in m for m in missing)
