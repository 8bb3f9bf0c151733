"""A supplier e-invoice that would cost the server more than an invoice should is
refused with a finding, before it is inflated or judged — never a server error."""

from __future__ import annotations

import facturx
import pytest

from partage.core.acts.cooperative import InvalidAct
from partage.core.contract.errors import TooLarge
from partage.core.documents import importing, schemas
from partage.core.documents.importing import ImportRefused
from partage.core.documents.pdf import render_pdf
from partage.core.platform.limits import Limits
from tests.documents.test_einvoice_facturx import supplier_facturx
from tests.documents_support import CountryWorld, fund, supplier_document, supplier_invoice


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
    assert finding.rule == "PDF" and f"{Limits().einvoice_xml_bytes:,} bytes" in finding.message


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


def test_an_xml_over_its_limit_is_refused_before_it_is_parsed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    document = supplier_invoice()
    importing.read_einvoice(document, Limits(einvoice_xml_bytes=len(document)))

    def parsed(_content: bytes) -> object:
        raise AssertionError("an oversized XML reached the parser")

    monkeypatch.setattr(schemas, "parse", parsed)
    with pytest.raises(ImportRefused) as refused:
        importing.read_einvoice(document, Limits(einvoice_xml_bytes=len(document) - 1))
    (finding,) = refused.value.findings
    assert finding.rule == "XML"
    assert finding.message == (
        f"{len(document):,} bytes, more than the {len(document) - 1:,} bytes an e-invoice's "
        "XML may weigh ([limits] einvoice_xml_bytes)"
    )


def test_a_file_over_the_einvoice_limit_is_refused_before_anything_reads_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(importing, "_xml_of", lambda *_: pytest.fail("the file was read"))
    with pytest.raises(TooLarge, match=r"document: 1,001 bytes, more than the 1,000 accepted"):
        importing.read_einvoice(b"%PDF-" + b"x" * 996, Limits(einvoice_bytes=1_000))


def test_an_einvoice_over_the_act_maximum_is_refused_naming_the_amount(
    be: CountryWorld,
) -> None:
    """Figures read from a supplier's file meet the same bound as typed ones: no product
    or sum overflows the databases' integers."""
    fund(be)
    huge = supplier_invoice(price="900000000000000", quantity="3")
    with pytest.raises(InvalidAct, match="more than one act may carry"), be.act() as s:
        importing.import_purchase(s, be.coop, huge, entity=be.entity, actor="t")
