"""PDF invoices and credit notes in the instance's brand and language.

The renderer is fpdf2: pure Python, installed from PyPI alone, fast (tens of
milliseconds a page), and able to write PDF/A-3B — the archival profile Factur-X
requires — with embedded fonts. WeasyPrint would read CSS, but needs the system's Pango
libraries, which a fresh machine does not have. The layout is drawn here on one column
grid, so that the VAT summary and the totals stand under the lines' columns they sum;
a long table continues on the next page under its repeated heading, and every page
says "page/pages". A country plugin gives its words (hook
``partage_document_templates``, a folder with ``labels.toml``; missing words fall back
to the core's), including the issuer's legal line at the foot of each page.

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
from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal
from fpdf import FPDF
from fpdf import __version__ as FPDF_VERSION
from lxml import etree
from schwifty import IBAN

from partage.core.contract.documents import DOCUMENT_TEMPLATES, Address, InvoiceDocument
from partage.core.contract.errors import PartageError
from partage.core.documents.epc import epc_payload, epc_qr

HERE = Path(__file__).resolve().parent
FONTS = HERE / "fonts"
FONT = "partage-sans"
DEFAULT_COLOUR = "#333333"

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


#: The page: A4 with 14 mm margins; the body stops above the foot's legal line.
MARGIN = 14.0
FOOT = 22.0
LINE = 4.2
PAD = 1.2
QR_SIZE = 30.0


def _rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _tint(rgb: tuple[int, int, int], share: float) -> tuple[int, int, int]:
    """The colour mixed with white: ``share`` of the colour, the rest white."""
    red, green, blue = (round(255 - (255 - c) * share) for c in rgb)
    return red, green, blue


def country_name(code: str, language: str) -> str:
    """A country's name in the document's language (CLDR), else its code."""
    try:
        return str(Locale.parse(language).territories.get(code.upper(), code))
    except (ValueError, UnknownLocaleError):
        return code


def address_lines(address: Address, language: str, *, home: str | None = None) -> list[str]:
    """An address as an envelope prints it: street, postcode and town, the country's
    name in the document's language (left out only for ``home``, the issuer's own
    country, when the caller asks)."""
    lines = [address.street, f"{address.postcode} {address.city}".strip()]
    if address.country and address.country.upper() != (home or "").upper():
        lines.append(country_name(address.country, language))
    return [line for line in lines if line]


@dataclass(frozen=True)
class Column:
    """One column of the lines table: its key, heading, width (mm) and alignment."""

    key: str
    heading: str
    width: float
    align: str


class _Pages(FPDF):
    """A4 pages whose foot carries the issuer's legal line and "page/pages", and whose
    head, from the second page on, recalls the document."""

    foot_text = ""
    head_text = ""
    ink: tuple[int, int, int] = (51, 51, 51)

    def header(self) -> None:
        if self.page_no() > 1:
            self.set_font(FONT, size=7.5)
            self.set_text_color(*self.ink)
            self.set_xy(self.l_margin, 8)
            self.cell(self.epw, 4, self.head_text, align="R")
            self.set_y(MARGIN + 2)

    def footer(self) -> None:
        self.set_draw_color(200, 200, 200)
        self.line(self.l_margin, self.h - FOOT + 4, self.w - self.r_margin, self.h - FOOT + 4)
        self.set_xy(self.l_margin, self.h - FOOT + 5)
        self.set_font(FONT, size=6.5)
        self.set_text_color(90, 90, 90)
        self.multi_cell(self.epw - 16, 3, self.foot_text, align="L")
        self.set_xy(self.w - self.r_margin - 16, self.h - FOOT + 5)
        self.set_font(FONT, size=7.5)
        self.cell(16, 3, f"{self.page_no()}/{{nb}}", align="R")


class _Layout:
    """Draws one document on :class:`_Pages`: the state shared by its blocks."""

    def __init__(
        self,
        pdf: _Pages,
        document: InvoiceDocument,
        words: dict[str, str],
        formats: Formats,
        colour: tuple[int, int, int],
    ) -> None:
        self.pdf = pdf
        self.d = document
        self.L = words
        self.f = formats
        self.colour = colour
        self.columns = self._columns()

    # --- helpers ---------------------------------------------------------------------
    def word(self, key: str) -> str:
        return self.L.get(key, "")

    def title(self) -> str:
        d = self.d
        if d.is_quote:
            return self.word("quote")
        if d.is_credit_note:
            return self.word("credit_note")
        if d.purpose in ("deposit", "balance"):
            return self.word(f"{d.purpose}_invoice") or self.word("invoice")
        return self.word("invoice")

    def x_of(self, key: str) -> float:
        x = self.pdf.l_margin
        for column in self.columns:
            if column.key == key:
                return x
            x += column.width
        raise KeyError(key)

    def width_of(self, *keys: str) -> float:
        return sum(c.width for c in self.columns if c.key in keys)

    def _columns(self) -> list[Column]:
        discounted = any(line.allowance for line in self.d.lines)
        fixed = [
            Column("quantity", self.word("quantity"), 14, "R"),
            Column("unit", self.word("unit"), 15, "L"),
            Column("unit_price", self.word("unit_price"), 24, "R"),
        ]
        if discounted:
            fixed.append(Column("discount", self.word("discount"), 17, "R"))
        fixed += [
            Column("vat_rate", self.word("vat_rate"), 20, "R"),
            Column("net", self.word("amount"), 28, "R"),
        ]
        rest = self.pdf.epw - sum(c.width for c in fixed)
        return [Column("description", self.word("description"), rest, "L"), *fixed]

    def row(
        self,
        cells: list[tuple[float, float, str, str]],
        *,
        bold: bool = False,
        size: float = 8.5,
        fill: tuple[int, int, int] | None = None,
        rule: bool = True,
        repeat: bool = False,
    ) -> None:
        """One row of cells ``(x, width, text, align)``, each wrapping within its width,
        moved whole to the next page when it does not fit (under the repeated heading
        when ``repeat``)."""
        pdf = self.pdf
        pdf.set_font(FONT, "B" if bold else "", size)
        heights = [_line_count(pdf, w, text) for _, w, text, _ in cells]
        height = max(heights, default=1) * LINE + 2 * PAD
        if pdf.will_page_break(height):
            pdf.add_page()
            if repeat:
                self.heading()
            pdf.set_font(FONT, "B" if bold else "", size)
        top = pdf.get_y()
        if fill is not None:
            pdf.set_fill_color(*fill)
            start = min(x for x, _, _, _ in cells)
            end = max(x + w for x, w, _, _ in cells)
            pdf.rect(start, top, end - start, height, style="F")
        for x, w, text, align in cells:
            pdf.set_xy(x, top + PAD)
            pdf.multi_cell(w, LINE, text, align=align, new_x="RIGHT", new_y="TOP")
        pdf.set_y(top + height)
        if rule:
            pdf.set_draw_color(215, 215, 215)
            end = max(x + w for x, w, _, _ in cells)
            start = min(x for x, _, _, _ in cells)
            pdf.line(start, top + height, end, top + height)

    def heading(self) -> None:
        """The lines table's heading, on the first page and each continuation."""
        pdf = self.pdf
        pdf.set_text_color(255, 255, 255)
        cells = []
        x = pdf.l_margin
        for column in self.columns:
            cells.append((x, column.width, column.heading, column.align))
            x += column.width
        self.row(cells, bold=True, size=7.5, fill=self.colour, rule=False)
        pdf.set_text_color(40, 40, 40)

    # --- blocks ----------------------------------------------------------------------
    def issuer(self, logo: Path | None, brand_name: str) -> float:
        """The issuer: the entity's trade name as the brand, then the cooperative's legal
        identity; the brand's logo on the right. Returns the block's bottom."""
        pdf, seller = self.pdf, self.d.seller
        top = MARGIN
        if logo is not None:
            pdf.image(_logo(logo), x=pdf.w - pdf.r_margin - 42, y=top - 2, w=42)
        pdf.set_xy(pdf.l_margin, top)
        pdf.set_text_color(*self.colour)
        pdf.set_font(FONT, "B", 15)
        pdf.cell(
            110, 7, seller.trading_name or seller.name or brand_name, new_x="LMARGIN", new_y="NEXT"
        )
        pdf.set_text_color(70, 70, 70)
        pdf.set_font(FONT, "B", 8)
        first = seller.name
        if seller.trading_name:
            first = f"{seller.name} — {self.word('trading_as')} {seller.trading_name}"
        pdf.multi_cell(110, 3.8, first, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, size=8)
        lines = address_lines(seller.address, self.d.language)
        if seller.vat_number:
            lines.append(f"{self.word('vat_number')} {seller.vat_number}")
        if seller.company_id:
            lines.append(f"{self.word('company_id')} {seller.company_id}")
        if seller.email:
            lines.append(seller.email)
        for line in lines:
            pdf.cell(110, 3.8, line, new_x="LMARGIN", new_y="NEXT")
        return pdf.get_y()

    def meta_and_client(self, top: float) -> None:
        """The document's title and facts on the left, the client on the right (where
        a window envelope shows it)."""
        pdf, d = self.pdf, self.d
        f = self.f
        pdf.set_xy(pdf.l_margin, top)
        pdf.set_text_color(*self.colour)
        pdf.set_font(FONT, "B", 16)
        pdf.cell(95, 8, f"{self.title()} {d.number}", new_x="LMARGIN", new_y="NEXT")
        facts: list[tuple[str, str]] = [(self.word("issued_on"), f.day(d.issued_on))]
        if d.supplied_on and d.supplied_on != d.issued_on:
            facts.append((self.word("supplied_on"), f.day(d.supplied_on)))
        if d.due_on and not d.is_quote:
            facts.append((self.word("due_on"), f.day(d.due_on)))
        if d.valid_until:
            facts.append((self.word("valid_until"), f.day(d.valid_until)))
        if d.buyer_reference:
            facts.append((self.word("client_code"), d.buyer_reference))
        if d.quote_reference and not d.is_quote:
            facts.append((self.word("quote_reference"), d.quote_reference))
        if d.tender_reference:
            facts.append((self.word("tender"), d.tender_reference))
        if d.preceding_invoice:
            preceding = d.preceding_invoice
            if d.preceding_issued_on:
                preceding += f" {self.word('of')} {f.day(d.preceding_issued_on)}"
            facts.append((self.word("credits"), preceding))
        pdf.ln(1)
        pdf.set_font(FONT, size=8)
        label_width = min(48.0, max(pdf.get_string_width(label) for label, _ in facts) + 4)
        for label, value in facts:
            pdf.set_font(FONT, size=8)
            pdf.set_text_color(110, 110, 110)
            pdf.cell(label_width, 4.4, label)
            pdf.set_font(FONT, "B", 8.5)
            pdf.set_text_color(40, 40, 40)
            pdf.multi_cell(95 - label_width, 4.4, value, new_x="LMARGIN", new_y="NEXT")
        left_bottom = pdf.get_y()

        buyer = d.buyer
        x = pdf.l_margin + 100
        width = pdf.epw - 100
        pdf.set_draw_color(*_tint(self.colour, 0.35))
        pdf.set_xy(x + 3, top + 1)
        pdf.set_font(FONT, "B", 7.5)
        pdf.set_text_color(*self.colour)
        pdf.cell(width - 6, 4, self.word("buyer").upper(), new_x="LEFT", new_y="NEXT")
        pdf.set_text_color(30, 30, 30)
        pdf.set_font(FONT, "B", 10)
        pdf.multi_cell(width - 6, 5, buyer.name, new_x="LEFT", new_y="NEXT")
        pdf.set_font(FONT, size=9)
        lines = address_lines(buyer.address, d.language)
        if buyer.vat_number:
            lines.append(f"{self.word('vat_number')} {buyer.vat_number}")
        for line in lines:
            pdf.multi_cell(width - 6, 4.6, line, new_x="LEFT", new_y="NEXT")
        bottom = pdf.get_y() + 2
        pdf.rect(x, top, width, bottom - top, style="D", round_corners=True, corner_radius=1.5)
        pdf.set_y(max(left_bottom, bottom) + 7)

    def lines(self) -> None:
        d, f = self.d, self.f
        self.heading()
        for line in d.lines:
            values = {
                "description": line.description,
                "quantity": f.quantity(line.quantity),
                "unit": self.word("unit_" + line.unit_code),
                "unit_price": f.money(line.unit_price),
                "discount": "",
                "vat_rate": f.percent(line.vat_rate),
                "net": f.money(line.net),
            }
            if line.allowance:
                values["discount"] = (
                    f"{f.quantity(line.allowance_percent)} %"
                    if line.allowance_percent is not None
                    else f"−{f.money(line.allowance)}"
                )
            cells = []
            x = self.pdf.l_margin
            for column in self.columns:
                cells.append((x, column.width, values[column.key], column.align))
                x += column.width
            self.row(cells, repeat=True)

    def vat_summary(self) -> None:
        """VAT per rate under the columns it sums: the base under the prices, the rate
        under the lines' rates, the VAT under their amounts."""
        pdf, d, f = self.pdf, self.d, self.f
        pdf.ln(4)
        left = pdf.l_margin
        label_w = self.x_of("unit_price") - left
        base_x = self.x_of("unit_price")
        base_w = self.x_of("vat_rate") - base_x
        rate_x, rate_w = self.x_of("vat_rate"), self.width_of("vat_rate")
        net_x, net_w = self.x_of("net"), self.width_of("net")
        pdf.set_text_color(*self.colour)
        self.row(
            [
                (left, label_w, self.word("vat_breakdown"), "L"),
                (base_x, base_w, self.word("base"), "R"),
                (rate_x, rate_w, self.word("rate"), "R"),
                (net_x, net_w, self.word("vat_amount"), "R"),
            ],
            bold=True,
            size=8,
            fill=_tint(self.colour, 0.12),
        )
        pdf.set_text_color(40, 40, 40)
        for b in d.vat_breakdown:
            self.row(
                [
                    (left, label_w, b.exemption_reason or "", "L"),
                    (base_x, base_w, f.money(b.base), "R"),
                    (rate_x, rate_w, f.percent(b.rate), "R"),
                    (net_x, net_w, f.money(b.vat), "R"),
                ],
                size=8,
            )

    def totals(self) -> None:
        pdf, d, f = self.pdf, self.d, self.f
        pdf.ln(3)
        net_x, net_w = self.x_of("net"), self.width_of("net")
        label_x = self.x_of("unit_price")
        label_w = net_x - label_x
        rows: list[tuple[str, str, bool]] = []
        deducted = sum((line.net for line in d.lines if line.net < 0), Decimal(0))
        if d.allowances_charges or (d.purpose == "balance" and deducted):
            gross = d.line_total - deducted
            rows.append((self.word("line_total"), f.money(gross), False))
            if deducted:
                rows.append((self.word("deposits_deducted"), f.money(deducted), False))
            for a in d.allowances_charges:
                label = self.word("discount")
                if a.percent is not None:
                    label += f" {f.quantity(a.percent)} %"
                label += f" ({self.word('vat_rate')} {f.percent(a.vat_rate)})"
                rows.append((label, f"{'' if a.charge else '−'}{f.money(a.amount)}", False))
        rows.append((self.word("net_total"), f.money(d.net), False))
        rows.append((self.word("vat_total"), f.money(d.vat), False))
        rows.append((self.word("total"), f.money(d.total), True))
        if d.prepaid:
            rows.append((self.word("prepaid"), f"−{f.money(d.prepaid)}", False))
        if d.payment and d.payable != d.total:
            rows.append((self.word("payable"), f.money(d.payable), True))
        for label, value, strong in rows:
            if strong:
                pdf.set_text_color(255, 255, 255)
            self.row(
                [(label_x, label_w, label, "R"), (net_x, net_w, value, "R")],
                bold=strong,
                size=9.5 if strong else 8.5,
                fill=self.colour if strong else None,
                rule=not strong,
            )
            pdf.set_text_color(40, 40, 40)

    def notes(self) -> None:
        pdf, d = self.pdf, self.d
        if not d.notes:
            return
        pdf.ln(5)
        if pdf.will_page_break(10):
            pdf.add_page()
        pdf.set_font(FONT, "B", 7.5)
        pdf.set_text_color(*self.colour)
        pdf.cell(pdf.epw, 4, self.word("legal"), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, size=7)
        pdf.set_text_color(70, 70, 70)
        for note in d.notes:
            pdf.multi_cell(pdf.epw, 3.3, note, new_x="LMARGIN", new_y="NEXT")

    def payment(self, payload: str | None) -> None:
        """How to pay: amount, due date, account and structured reference, with the EPC
        QR code on the right when the transfer allows one."""
        pdf, d, f = self.pdf, self.d, self.f
        instructions = d.payment
        if instructions is None:
            return
        height = QR_SIZE + 8
        pdf.ln(6)
        if pdf.will_page_break(height):
            pdf.add_page()
        top = pdf.get_y()
        pdf.set_fill_color(*_tint(self.colour, 0.08))
        pdf.set_draw_color(*_tint(self.colour, 0.35))
        pdf.rect(
            pdf.l_margin, top, pdf.epw, height, style="DF", round_corners=True, corner_radius=1.5
        )
        x = pdf.l_margin + 4
        pdf.set_xy(x, top + 3)
        pdf.set_font(FONT, "B", 8)
        pdf.set_text_color(*self.colour)
        pdf.cell(100, 4.5, self.word("payment").upper(), new_x="LEFT", new_y="NEXT")
        pdf.set_text_color(30, 30, 30)
        facts = [(self.word("payable"), f.money(d.payable), True)]
        if d.due_on:
            facts.append((self.word("due_on"), f.day(d.due_on), False))
        facts.append((self.word("iban"), IBAN(instructions.iban).formatted, False))
        if instructions.bic:
            facts.append((self.word("bic"), instructions.bic, False))
        facts.append((self.word("structured_reference"), instructions.reference, True))
        for label, value, strong in facts:
            pdf.set_x(x)
            pdf.set_font(FONT, size=8.5)
            pdf.set_text_color(90, 90, 90)
            pdf.cell(44, 5, label)
            pdf.set_font(FONT, "B" if strong else "", 10 if strong else 9)
            pdf.set_text_color(30, 30, 30)
            pdf.cell(80, 5, value, new_x="LMARGIN", new_y="NEXT")
        if payload is not None:
            qr_x = pdf.w - pdf.r_margin - QR_SIZE - 4
            _draw_qr(pdf, epc_qr(payload), qr_x, top + 2, QR_SIZE)
            pdf.set_font(FONT, size=6.5)
            pdf.set_text_color(80, 80, 80)
            pdf.set_xy(qr_x - 42, top + 10)
            pdf.multi_cell(40, 3.2, self.word("scan_to_pay"), align="R")
        pdf.set_y(top + height)

    def acceptance(self) -> None:
        """A quote's agreement: the client signs "good for agreement"."""
        pdf = self.pdf
        height = 34
        pdf.ln(6)
        if pdf.will_page_break(height):
            pdf.add_page()
        top = pdf.get_y()
        x = pdf.l_margin + pdf.epw / 2
        width = pdf.epw / 2
        pdf.set_draw_color(*_tint(self.colour, 0.5))
        pdf.rect(x, top, width, height, style="D", round_corners=True, corner_radius=1.5)
        pdf.set_xy(x + 3, top + 3)
        pdf.set_font(FONT, "B", 10)
        pdf.set_text_color(*self.colour)
        pdf.cell(width - 6, 5, self.word("acceptance"), new_x="LEFT", new_y="NEXT")
        pdf.set_font(FONT, size=7.5)
        pdf.set_text_color(90, 90, 90)
        pdf.cell(width - 6, 4, self.word("acceptance_note"))
        pdf.set_y(top + height)


def _line_count(pdf: FPDF, width: float, text: str) -> int:
    """How many lines ``text`` takes in a cell of ``width`` in the current font."""
    lines = pdf.multi_cell(width, LINE, text, dry_run=True, output="LINES")
    return len(lines) if isinstance(lines, list) else 1


def _draw_qr(pdf: FPDF, code: Any, x: float, y: float, size: float) -> None:
    """A QR code as filled rectangles (one per run of dark modules in a row): vector,
    sharp at any zoom, and nothing PDF/A could object to."""
    matrix = [list(row) for row in code.matrix]
    count = len(matrix)
    module = size / (count + 8)  # the quiet zone of four modules on each side
    pdf.set_fill_color(255, 255, 255)
    pdf.rect(x, y, size, size, style="F")
    pdf.set_fill_color(0, 0, 0)
    for r, modules in enumerate(matrix):
        c = 0
        while c < count:
            if modules[c]:
                start = c
                while c < count and modules[c]:
                    c += 1
                pdf.rect(
                    x + (start + 4) * module, y + (r + 4) * module, (c - start) * module, module,
                    style="F",
                )  # fmt: skip
            else:
                c += 1


def identity_line(document: InvoiceDocument, words: dict[str, str]) -> str:
    """The issuer's legal line at the foot of each page, in the country's words, with
    the register appended when the issuer gives one."""
    seller = document.seller
    line = words.get("identity", "{name} — {address} — {company_id}").format(
        name=seller.name,
        address=seller.address.one_line(),
        company_id=seller.company_id or "",
    )
    if seller.legal_form:
        line += f" — {seller.legal_form}"
    return line


def document_payload(document: InvoiceDocument) -> str | None:
    """The EPC QR payload of a document asking to be paid, else ``None``."""
    instructions = document.payment
    if instructions is None or document.is_credit_note or document.is_quote:
        return None
    return epc_payload(
        name=document.seller.name,
        iban=instructions.iban,
        amount=document.payable,
        currency=document.currency,
        reference=instructions.reference,
        bic=instructions.bic,
    )


def render_pdf(
    document: InvoiceDocument,
    plugins: pluggy.PluginManager,
    *,
    country: str,
) -> bytes:
    """Render a document (invoice, credit note or quote) to PDF/A-3B bytes with the
    country's words and brand."""
    folder = plugin_folder(plugins)
    brand = plugins.hook.partage_country_brand()
    labels = _labels(folder)
    if document.language not in labels:
        raise KeyError(f"language: no labels for {document.language!r}")
    words = labels[document.language]
    formats = Formats(plugins, document.language, country, document.currency)
    colour = _rgb(brand.primary_colour if brand else DEFAULT_COLOUR)

    pdf = _Pages(format="A4", enforce_compliance="PDF/A-3B")
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=FOOT + 2)
    issued = datetime.combine(document.issued_on, time(), tzinfo=UTC)
    pdf.set_creation_date(issued)
    layout = _Layout(pdf, document, words, formats, colour)
    title = f"{layout.title()} {document.number}"
    pdf.set_title(title)
    pdf.set_author(document.seller.name)
    pdf.set_lang(document.language)
    pdf.set_xmp_metadata(
        xmp_packet(
            title=title, author=document.seller.name, language=document.language, moment=issued
        )
    )
    pdf.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.foot_text = identity_line(document, words)
    pdf.head_text = f"{title} — {document.seller.trading_name or document.seller.name}"
    pdf.ink = colour
    pdf.add_page()
    logo = logo_path(plugins, country, brand.logo) if brand else None
    bottom = layout.issuer(logo, brand.name if brand else "")
    layout.meta_and_client(max(bottom, MARGIN + 30) + 8)
    layout.lines()
    layout.vat_summary()
    layout.totals()
    if document.is_quote:
        layout.acceptance()
    else:
        layout.payment(document_payload(document))
    layout.notes()
    return bytes(pdf.output())
