"""PDF invoices and credit notes in the instance's brand and language.

The renderer is fpdf2: pure Python, installed from PyPI alone, fast (tens of
milliseconds a page), and able to write PDF/A-3B — the archival profile Factur-X
requires — with embedded fonts. WeasyPrint would read CSS, but needs the system's Pango
libraries, which a fresh machine does not have. The layout is a Jinja2 template in the
subset of HTML fpdf2 renders; a country plugin gives its own templates folder (hook
``partage_document_templates``) and any template missing there falls back to the
core's, as do labels (``labels.toml``, per language).

Rendering is deterministic: the PDF's dates are the document's issue date, so the same
document renders to the same bytes; the stored file (:mod:`.service`) is what counts.
The XMP packet PDF/A requires is therefore written here (:func:`xmp_packet`): fpdf2's
own stamps the modification date with the clock.
"""

from __future__ import annotations

import io
import logging
import re
import tomllib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pluggy
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal
from fpdf import FPDF
from fpdf import __version__ as FPDF_VERSION
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape
from lxml import etree
from schwifty import IBAN

from partage.core.contract.documents import DOCUMENT_TEMPLATES, InvoiceDocument
from partage.core.contract.errors import PartageError

HERE = Path(__file__).resolve().parent
FONTS = HERE / "fonts"
FONT = "partage-sans"
DEFAULT_COLOUR = "#333333"
#: Templates separate blocks with this comment; each is rendered on its own, because
#: fpdf2 accumulates the spacing of consecutive tables into the next paragraph.
BLOCK = "<!--block-->"

#: The XMP namespaces of a PDF/A-3B packet (XMP Specification 2005; ISO 19005-3 6.6).
XMP_NAMESPACES = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
}

# fpdf2 logs every SVG element it skips (<title>, <desc>); a logo's title is not news.
logging.getLogger("fpdf.svg").setLevel(logging.ERROR)


@cache
def _labels(folder: Path) -> dict[str, dict[str, str]]:
    with (DOCUMENT_TEMPLATES / "labels.toml").open("rb") as handle:
        labels: dict[str, dict[str, str]] = tomllib.load(handle)
    if folder != DOCUMENT_TEMPLATES and (folder / "labels.toml").is_file():
        with (folder / "labels.toml").open("rb") as handle:
            for language, words in tomllib.load(handle).items():
                labels.setdefault(language, {}).update(words)
    return labels


_FONT_ATTRIBUTE = re.compile(r"""font-family\s*=\s*("[^"]*"|'[^']*')""")
_FONT_PROPERTY = re.compile(r"font-family\s*:\s*[^;\"']+")


@cache
def _logo_svg(path: Path) -> bytes:
    """An SVG logo with its text set in the document's embedded font: PDF/A forbids
    fonts that are not embedded (a logo's ``Helvetica``)."""
    svg = path.read_text(encoding="utf-8")
    svg = _FONT_ATTRIBUTE.sub(f'font-family="{FONT}"', svg)
    return _FONT_PROPERTY.sub(f"font-family: {FONT}", svg).encode("utf-8")


def _logo(path: Path) -> io.BytesIO | str:
    return io.BytesIO(_logo_svg(path)) if path.suffix.lower() == ".svg" else str(path)


def xmp_packet(*, title: str, author: str, language: str, moment: datetime) -> str:
    """The XMP metadata of a PDF/A-3B document (without the ``<?xpacket?>`` wrapper,
    which fpdf2 adds).

    PDF/A identifies itself here (``pdfaid:part`` 3, ``pdfaid:conformance`` B, ISO
    19005-3 6.6.4) and the document's title and author live here rather than in an Info
    dictionary. Every date is ``moment``, so that the same document gives the same bytes.
    """

    def element(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
        prefix, local = name.split(":")
        child = etree.SubElement(parent, f"{{{XMP_NAMESPACES[prefix]}}}{local}")
        child.text = text
        return child

    root = etree.Element(f"{{{XMP_NAMESPACES['x']}}}xmpmeta", nsmap=XMP_NAMESPACES)
    description = element(element(root, "rdf:RDF"), "rdf:Description")
    description.set(f"{{{XMP_NAMESPACES['rdf']}}}about", "")
    element(description, "pdfaid:part", "3")
    element(description, "pdfaid:conformance", "B")
    title_item = element(element(element(description, "dc:title"), "rdf:Alt"), "rdf:li", title)
    title_item.set("{http://www.w3.org/XML/1998/namespace}lang", "x-default")
    element(element(element(description, "dc:creator"), "rdf:Seq"), "rdf:li", author)
    element(element(element(description, "dc:language"), "rdf:Bag"), "rdf:li", language)
    stamp = moment.isoformat(timespec="seconds")
    for name in ("xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"):
        element(description, name, stamp)
    element(description, "pdf:Producer", f"fpdf2 {FPDF_VERSION}")
    return etree.tostring(root, encoding="unicode", pretty_print=True)


def plugin_folder(plugins: pluggy.PluginManager) -> Path:
    """The country's templates folder, or the core's (the default plugin gives it)."""
    return Path(plugins.hook.partage_document_templates())


def logo_path(plugins: pluggy.PluginManager, country: str, logo: str) -> Path | None:
    """The brand's logo file: relative to the country plugin's package."""
    plugin = plugins.get_plugin(f"country:{country}")
    module_file = getattr(plugin, "__file__", None)
    if not logo or module_file is None:
        return None
    path = Path(module_file).resolve().parent / logo
    return path if path.is_file() else None


@dataclass(frozen=True)
class Formats:
    """How amounts, dates and rates read in one locale.

    Amounts go through the country's ``partage_format_amount`` when it answers for
    the locale, else through CLDR (babel).
    """

    plugins: pluggy.PluginManager
    language: str
    country: str
    currency: str

    @property
    def locale(self) -> str:
        return f"{self.language}_{self.country.upper()}"

    def money(self, amount: Decimal) -> str:
        try:
            given = self.plugins.hook.partage_format_amount(amount=amount, locale=self.locale)
        except PartageError:  # the plugin refuses this locale: CLDR's form of the language
            given = None
        return given or format_currency(amount, self.currency, locale=self.language)

    def day(self, value: date) -> str:
        return format_date(value, format="long", locale=self.language)

    def quantity(self, value: Decimal) -> str:
        return format_decimal(value.normalize(), locale=self.language)

    def percent(self, rate: Decimal) -> str:
        return f"{format_decimal((rate * 100).normalize(), locale=self.language)} %"


@cache
def _environment(folder: Path, formats: Formats) -> Environment:
    """The templates of a folder over the core's, with the filters of one locale: built
    once per pair and never changed afterwards, so that renderings in several languages
    can run at once."""
    loaders = [FileSystemLoader(str(path)) for path in dict.fromkeys((folder, DOCUMENT_TEMPLATES))]
    environment = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(
        money=formats.money,
        day=formats.day,
        quantity=formats.quantity,
        percent=formats.percent,
        iban=lambda value: IBAN(value).formatted,
    )
    return environment


def render_pdf(
    document: InvoiceDocument,
    plugins: pluggy.PluginManager,
    *,
    country: str,
) -> bytes:
    """Render a document to PDF/A-3B bytes with the country's templates and brand."""
    folder = plugin_folder(plugins)
    brand = plugins.hook.partage_country_brand()
    labels = _labels(folder)
    if document.language not in labels:
        raise KeyError(f"language: no labels for {document.language!r}")
    formats = Formats(plugins, document.language, country, document.currency)
    environment = _environment(folder, formats)
    context: dict[str, Any] = {
        "d": document,
        "L": labels[document.language],
        "brand": brand,
        "colour": brand.primary_colour if brand else DEFAULT_COLOUR,
    }
    html = environment.get_template("invoice.html").render(context)

    pdf = FPDF(enforce_compliance="PDF/A-3B")
    issued = datetime.combine(document.issued_on, time(), tzinfo=UTC)
    pdf.set_creation_date(issued)
    title = labels[document.language]["credit_note" if document.is_credit_note else "invoice"]
    pdf.set_title(f"{title} {document.number}")
    pdf.set_author(document.seller.name)
    pdf.set_lang(document.language)
    pdf.set_xmp_metadata(
        xmp_packet(
            title=f"{title} {document.number}",
            author=document.seller.name,
            language=document.language,
            moment=issued,
        )
    )
    pdf.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_font(FONT, size=9)
    pdf.add_page()
    logo = logo_path(plugins, country, brand.logo) if brand else None
    if logo is not None:
        pdf.image(_logo(logo), x=pdf.w - pdf.r_margin - 50, y=8, w=50)
        pdf.set_y(30)
    for block in html.split(BLOCK):
        if block.strip():
            pdf.write_html(block, font_family=FONT)
    return bytes(pdf.output())
