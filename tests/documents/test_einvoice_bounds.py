"""A supplier e-invoice that would cost the server more than an invoice should is
refused with a finding, before it is inflated or judged — never a server error."""

from __future__ import annotations

import facturx
import pytest

from partage.core.documents import importing
from partage.core.documents.importing import ImportRefused
from partage.core.documents.pdf import render_pdf
from partage.core.platform.limits import Limits
from tests.documents.test_einvoice_facturx import supplier_facturx
from tests.documents_support import CountryWorld, supplier_document


def test_a_small_pdf_inflating_into_a_huge_xml_is_refused(fr: CountryWorld) -> None:
    """26 MB of XML compress into a few kilobytes: pypdf stops at the bound."""
    _, xml = facturx.get_xml_from_pdf(supplier_facturx(fr), check_xsd=False)
    padded = xml.replace(b"?>", b"?>" + (b"<!--" + b" " * 1000 + b"-->") * 26_000, 1)
    pdf = render_pdf(supplier_document("fr", "FA-1"), fr.coop.plugins, country="fr")
    bomb = facturx.generate_from_binary(pdf, padded, check_xsd=False, level="en16931")
    assert len(bomb) < 1_000_000
    with pytest.raises(ImportRefused) as refused:
        importing.read_einvoice(bomb)
    (finding,) = refused.value.findings
    assert finding.rule == "PDF" and f"{Limits().embedded_xml_bytes:,} bytes" in finding.message


def test_an_entity_reference_is_refused_as_a_finding(fr: CountryWorld) -> None:
    _, xml = facturx.get_xml_from_pdf(supplier_facturx(fr), check_xsd=False)
    start = xml.index(b"<rsm:")
    with_entity = (
        xml[:start]
        + b'<!DOCTYPE x [<!ENTITY who "Papeterie">]>\n'
        + xml[start:].replace(b"Papeterie Martin", b"&who; Martin", 1)
    )
    with pytest.raises(ImportRefused) as refused:
        importing.read_einvoice(with_entity)
    (finding,) = refused.value.findings
    assert (finding.rule, finding.message) == ("XML", "a DOCTYPE is not allowed in an e-invoice")
