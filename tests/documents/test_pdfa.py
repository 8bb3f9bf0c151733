"""PDF/A-3B: our invoices and credit notes (Belgium, France) and the French Factur-X keep
to the main requirements of ISO 19005-3, as the structural checker of ``tests/pdfa.py``
reads them; the checker itself catches each kind of defect it claims to.

This is a structural check with pikepdf, not veraPDF: see ``tests/pdfa.py``.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import fpdf.output
import pikepdf
import pytest
from lxml import etree
from pluggy import PluginManager

from partage.core.contract.documents import InvoiceDocument
from partage.core.documents import service
from partage.core.documents.build import invoice_document
from partage.core.documents.pdf import render_pdf
from partage.core.platform.db.engine import make_engine
from partage.core.sales import credit_notes, invoices
from partage.core.sales.invoices import LineInput
from partage.plugins.france.einvoice import info_from_xmp
from tests.documents_support import DAY, CountryWorld, build_country_world, issuer
from tests.pdfa import FACTURX_NS, check


@dataclass(frozen=True)
class Rendered:
    """The files under test, rendered once per worker, and one document to render again."""

    files: dict[str, bytes]
    document: InvoiceDocument
    plugins: PluginManager


def _issue_and_credit(world: CountryWorld) -> tuple[str, str]:
    with world.act() as s:
        number = invoices.issue_invoice(
            s,
            world.coop,
            entity=world.entity,
            client=world.client("domestic"),
            lines=[
                LineInput("Conception", "3", "150"),
                LineInput("Impression", "2", "12.50", rate_code="reduced", supply="goods"),
            ],
            on=DAY,
            actor="t",
        ).number
    with world.act() as s:
        note = credit_notes.issue_credit_note(
            s, world.coop, invoice=number, on=DAY, actor="t", reason="remise"
        ).number
    return number, note


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    """An invoice and a credit note of each country as stored PDFs, and the French
    invoice as Factur-X; each country on a SQLite file of its own."""
    files: dict[str, bytes] = {}
    document: InvoiceDocument | None = None
    plugins: PluginManager | None = None
    for country in ("be", "fr"):
        folder = tmp_path_factory.mktemp(f"pdfa-{country}")
        world = build_country_world(make_engine(f"sqlite:///{folder / 'partage.db'}"), country)
        number, note = _issue_and_credit(world)
        who = issuer(country)
        with world.act() as s:
            files[f"{country}-invoice"] = service.invoice_pdf(
                s, world.coop, number, who, actor="t"
            ).content
            files[f"{country}-credit-note"] = service.invoice_pdf(
                s, world.coop, note, who, actor="t"
            ).content
            if country == "fr":
                files["fr-facturx"] = service.invoice_einvoice(
                    s, world.coop, number, who, actor="t"
                ).content
            else:
                document = invoice_document(
                    s, world.coop, invoices.invoice_by_number(s, number), who
                )
                plugins = world.coop.plugins
    assert document is not None and plugins is not None
    return Rendered(files, document, plugins)


@pytest.mark.parametrize("name", ["be-invoice", "be-credit-note", "fr-invoice", "fr-credit-note"])
def test_invoices_and_credit_notes_of_both_countries_pass_every_checked_clause(
    rendered: Rendered, name: str
) -> None:
    assert check(rendered.files[name]) == []


def test_the_facturx_file_passes_and_carries_its_xml_as_associated_data(
    rendered: Rendered,
) -> None:
    content = rendered.files["fr-facturx"]
    assert check(content) == []
    assert content.count(b"%PDF-") == 1  # one file, not one written over another
    with pikepdf.open(io.BytesIO(content)) as pdf:
        (spec,) = pdf.Root.AF
        assert (str(spec.UF), spec.AFRelationship) == ("factur-x.xml", "/Data")
        assert spec.EF.F.Subtype == "/text/xml"
        xmp = etree.fromstring(pdf.Root.Metadata.read_bytes())
        info = pdf.trailer.Info
        assert "/Keywords" not in info  # factur-x's Info has it, its XMP does not
    assert xmp.findtext(f".//{{{FACTURX_NS}}}ConformanceLevel") == "EN 16931"
    assert xmp.findtext(f".//{{{FACTURX_NS}}}DocumentFileName") == "factur-x.xml"


def test_the_xmp_dates_are_the_issue_date_whatever_the_clock(
    rendered: Rendered, monkeypatch: pytest.MonkeyPatch
) -> None:
    """fpdf2 stamps its own XMP with the clock; ours carries the issue date, so a
    document renders to the same bytes at any moment."""

    class Ticking(datetime):
        ticks = 0

        @classmethod
        def now(cls, tz: object = None) -> Ticking:  # type: ignore[override]
            cls.ticks += 1
            return cls(2030, 1, 1, tzinfo=UTC) + timedelta(minutes=cls.ticks)  # type: ignore[return-value]

    monkeypatch.setattr(fpdf.output, "datetime", Ticking)
    first = render_pdf(rendered.document, rendered.plugins, country="be")
    assert render_pdf(rendered.document, rendered.plugins, country="be") == first
    with pikepdf.open(io.BytesIO(first)) as pdf:
        xmp = etree.fromstring(pdf.Root.Metadata.read_bytes())
    stamps = {
        xmp.findtext(f".//{{http://ns.adobe.com/xap/1.0/}}{name}")
        for name in ("CreateDate", "ModifyDate", "MetadataDate")
    }
    assert stamps == {datetime.combine(DAY, datetime.min.time(), UTC).isoformat()}
    assert check(first) == []


def test_an_info_dictionary_out_of_step_with_the_xmp_is_realigned_on_it(
    rendered: Rendered,
) -> None:
    with pikepdf.open(io.BytesIO(rendered.files["be-invoice"])) as pdf:
        pdf.trailer.Info = pdf.make_indirect(
            pikepdf.Dictionary(
                Title="Another title",
                Keywords="Factur-X",
                CreationDate="D:20000101000000Z",
                Author="Partage Belgique SC",
            )
        )
        out = io.BytesIO()
        pdf.save(out)
    stale = out.getvalue()
    assert {clause for clause, _ in check(stale)} == {"6.7.3"}
    aligned = info_from_xmp(stale)
    assert check(aligned) == []
    with pikepdf.open(io.BytesIO(aligned)) as pdf:
        info = pdf.trailer.Info
        assert str(info.Title).startswith("Facture ")
        assert "/Keywords" not in info
        assert str(info.CreationDate) == "D:20260706000000+00'00'"


# --- the checker catches what it claims to ---------------------------------------------
Mutation = Callable[[pikepdf.Pdf], None]


def _first_font(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
    return next(iter(pdf.pages[0].Resources.Font.values()))


def _xmp_replace(old: bytes, new: bytes) -> Mutation:
    def mutate(pdf: pikepdf.Pdf) -> None:
        data = pdf.Root.Metadata.read_bytes()
        assert old in data
        pdf.Root.Metadata.write(data.replace(old, new))

    return mutate


def _drop_xmp(pdf: pikepdf.Pdf) -> None:
    del pdf.Root["/Metadata"]


def _unembed_font(pdf: pikepdf.Pdf) -> None:
    del _first_font(pdf).DescendantFonts[0].FontDescriptor["/FontFile2"]


def _drop_to_unicode(pdf: pikepdf.Pdf) -> None:
    del _first_font(pdf)["/ToUnicode"]


def _drop_cid_to_gid(pdf: pikepdf.Pdf) -> None:
    del _first_font(pdf).DescendantFonts[0]["/CIDToGIDMap"]


def _drop_output_intent(pdf: pikepdf.Pdf) -> None:
    del pdf.Root["/OutputIntents"]


def _wrong_icc_components(pdf: pikepdf.Pdf) -> None:
    pdf.Root.OutputIntents[0].DestOutputProfile.N = 4


def _stale_info(pdf: pikepdf.Pdf) -> None:
    pdf.trailer.Info = pdf.make_indirect(pikepdf.Dictionary(Title="Not the XMP title"))


def _javascript(pdf: pikepdf.Pdf) -> None:
    pdf.Root.OpenAction = pikepdf.Dictionary(
        Type=pikepdf.Name.Action, S=pikepdf.Name.JavaScript, JS="app.alert(1)"
    )


def _unprinted_annotation(pdf: pikepdf.Pdf) -> None:
    pdf.pages[0].Annots = pdf.make_indirect(
        pikepdf.Array(
            [
                pikepdf.Dictionary(
                    Type=pikepdf.Name.Annot,
                    Subtype=pikepdf.Name.Link,
                    Rect=[0, 0, 10, 10],
                    A=pikepdf.Dictionary(S=pikepdf.Name.Launch, F="calc.exe"),
                )
            ]
        )
    )


def _lzw_stream(pdf: pikepdf.Pdf) -> None:
    stream = pikepdf.Stream(pdf, b"")
    stream.write(b"\x80\x0b\x60\x50\x22\x0c\x0c\x85\x01", filter=pikepdf.Name.LZWDecode)
    pdf.Root["/PieceInfo"] = stream


def _detach_xml(pdf: pikepdf.Pdf) -> None:
    spec = pdf.Root.AF[0]
    del spec["/AFRelationship"]
    del spec.EF.F.Params["/ModDate"]
    del pdf.Root["/AF"]


NEGATIVE: list[tuple[str, str, Mutation, set[str]]] = [
    ("be-invoice", "XMP removed", _drop_xmp, {"6.6.2.1"}),
    ("be-invoice", "font not embedded", _unembed_font, {"6.2.11.4.1"}),
    ("be-invoice", "no ToUnicode", _drop_to_unicode, {"6.2.11.7.2"}),
    ("be-invoice", "no CIDToGIDMap", _drop_cid_to_gid, {"6.2.11.3.2"}),
    ("be-invoice", "no output intent", _drop_output_intent, {"6.2.4.3"}),
    ("be-invoice", "ICC /N wrong", _wrong_icc_components, {"6.2.3"}),
    ("fr-invoice", "Info title differs", _stale_info, {"6.7.3"}),
    ("fr-invoice", "JavaScript", _javascript, {"6.5.1"}),
    ("fr-invoice", "Launch link unprinted", _unprinted_annotation, {"6.3.2", "6.5.1"}),
    ("fr-invoice", "LZW", _lzw_stream, {"6.1.7.2"}),
    (
        "be-credit-note",
        "PDF/A-2U claimed",
        _xmp_replace(
            b"<pdfaid:part>3</pdfaid:part>\n      <pdfaid:conformance>B",
            b"<pdfaid:part>2</pdfaid:part>\n      <pdfaid:conformance>U",
        ),
        {"6.6.4"},
    ),
    (
        "be-credit-note",
        "undeclared XMP properties",
        _xmp_replace(
            b"<pdf:Producer>",
            b'<xmp:Colour>blue</xmp:Colour><ex:Thing xmlns:ex="urn:example:">1</ex:Thing>'
            b"<pdf:Producer>",
        ),
        {"6.6.2.3.1"},
    ),
    (
        "be-credit-note",
        "malformed XMP",
        _xmp_replace(b"</dc:title>", b"</dc:titel>"),
        {"6.6.2.1"},
    ),
    (
        "fr-facturx",
        "fx: schema undeclared",
        _xmp_replace(
            b"urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#</pdfaSchema:namespaceURI>",
            b"urn:example:other#</pdfaSchema:namespaceURI>",
        ),
        {"6.6.2.3.1", "Factur-X XMP"},
    ),
    ("fr-facturx", "XML detached", _detach_xml, {"6.8"}),
]


def _mutated(content: bytes, mutate: Mutation | None) -> bytes:
    with pikepdf.open(io.BytesIO(content)) as pdf:
        if mutate is not None:
            mutate(pdf)
        out = io.BytesIO()
        # Keep every stream as it is: qpdf would otherwise re-encode an LZW stream, and
        # pikepdf would rewrite the XMP packet.
        pdf.save(
            out,
            compress_streams=False,
            stream_decode_level=pikepdf.StreamDecodeLevel.none,
            fix_metadata_version=False,
        )
    return out.getvalue()


@pytest.mark.parametrize("name", ["be-invoice", "fr-facturx"])
def test_a_file_rewritten_unchanged_still_passes(rendered: Rendered, name: str) -> None:
    """The control of the cases below: the rewriting alone introduces no failure."""
    assert check(_mutated(rendered.files[name], None)) == []


@pytest.mark.parametrize(
    ("name", "defect", "mutate", "clauses"),
    NEGATIVE,
    ids=[defect for _, defect, _, _ in NEGATIVE],
)
def test_the_checker_catches_each_defect(
    rendered: Rendered, name: str, defect: str, mutate: Mutation, clauses: set[str]
) -> None:
    failures = check(_mutated(rendered.files[name], mutate))
    assert {clause for clause, _ in failures} == clauses, failures


def test_an_encrypted_file_fails_the_trailer_clause(rendered: Rendered) -> None:
    with pikepdf.open(io.BytesIO(rendered.files["be-invoice"])) as pdf:
        out = io.BytesIO()
        pdf.save(out, encryption=pikepdf.Encryption(owner="o", user="", R=6))
    assert ("6.1.3", "the trailer has an /Encrypt entry") in check(out.getvalue())


def test_a_file_written_over_another_is_caught(rendered: Rendered) -> None:
    """What the factur-x library leaves when it writes its result into the file it read
    from: the start of the original, then a whole second file."""
    content = rendered.files["fr-facturx"]
    assert ("6.1.2", "a second %PDF- header at byte 1200") in check(
        rendered.files["fr-invoice"][:1200] + content
    )
