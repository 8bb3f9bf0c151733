"""A public tender's reference on an invoice: printed on its PDF in the document's
language, carried by its e-invoice as the tender or lot reference (BT-17) — a Peppol
UBL ``OriginatorDocumentReference``, a Factur-X ``AdditionalReferencedDocument`` of
type 50 — and read back; both still pass the official rules."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import facturx
import pytest
from lxml import etree

from partage.core.acts.cooperative import InvalidAct
from partage.core.contract.einvoice import cii, ubl
from partage.core.documents import schemas, service
from partage.core.sales import invoices
from partage.core.sales.invoices import LineInput
from tests.documents.test_documents_pdf import pdf_text
from tests.documents_support import DAY, CountryWorld, fatal, issuer

TENDER = "2026/S 123-456789 lot 2"


def tendered(world: CountryWorld, reference: str | None = TENDER) -> str:
    with world.act() as s:
        return invoices.issue_invoice(
            s,
            world.coop,
            entity=world.entity,
            client=world.client("domestic"),
            lines=[LineInput("Signalétique", "1", "400")],
            on=DAY,
            actor="t",
            tender_reference=reference,
        ).number


def test_a_belgian_tender_reference_in_the_pdf_and_the_peppol_ubl(
    be: CountryWorld, official: Callable[..., list[dict[str, Any]]], tmp_path: Path
) -> None:
    number = tendered(be)
    with be.act() as s:
        content = service.invoice_einvoice(s, be.coop, number, issuer("be"), actor="t").content
        pdf = service.invoice_pdf(s, be.coop, number, issuer("be"), actor="t").content
    root = etree.fromstring(content)
    assert root.findtext("cac:OriginatorDocumentReference/cbc:ID", namespaces=ubl.NS) == TENDER
    assert root.findtext("cbc:BuyerReference", namespaces=ubl.NS) == be.client("domestic")
    assert ubl.read(root).tender_reference == TENDER
    assert schemas.validate(root, schemas.ubl_schema(root.tag)) == []
    path = tmp_path / "invoice.xml"
    path.write_bytes(content)
    assert fatal(official("ubl", path)) == []
    assert f"Marché public {TENDER}" in pdf_text(pdf)


def test_a_french_tender_reference_in_the_facturx(
    fr: CountryWorld, official: Callable[..., list[dict[str, Any]]], tmp_path: Path
) -> None:
    number = tendered(fr)
    with fr.act() as s:
        content = service.invoice_einvoice(s, fr.coop, number, issuer("fr"), actor="t").content
    _, xml = facturx.get_xml_from_pdf(content, check_xsd=True)
    root = etree.fromstring(xml)
    found = root.find(
        ".//ram:ApplicableHeaderTradeAgreement/ram:AdditionalReferencedDocument", cii.NS
    )
    assert found is not None
    assert found.findtext("ram:IssuerAssignedID", namespaces=cii.NS) == TENDER
    assert found.findtext("ram:TypeCode", namespaces=cii.NS) == "50"
    assert cii.read(root).tender_reference == TENDER
    path = tmp_path / "factur-x.xml"
    path.write_bytes(xml)
    assert fatal(official("cii", path)) == []


@pytest.mark.parametrize("bad", ["x" * 65, "lot\x072"])
def test_a_bad_tender_reference_is_refused_naming_the_field(be: CountryWorld, bad: str) -> None:
    with pytest.raises(InvalidAct) as refused:
        tendered(be, bad)
    assert refused.value.field == "tender_reference"
