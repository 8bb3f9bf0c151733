"""French e-invoices: Factur-X at the EN 16931 profile.

The French e-invoicing reform (loi n° 2022-1157 du 16 août 2022, art. 26; CGI art.
289 bis) is phased in from 1 September 2026; Factur-X is one of its three base formats:
a PDF/A-3 invoice a person reads, carrying the same invoice as CII XML a machine reads.
The PDF is the one the cooperative issued; the ``factur-x`` library embeds the XML
(``factur-x.xml``, relationship *Data*), writes the PDF/A-3 XMP metadata and checks the
XML against the official Factur-X XSD of the profile.

Its result is then written once more through pypdf (:func:`info_from_xmp`), for two
reasons. The library fills the Info dictionary and the XMP packet separately and they
disagree (its Info has /Keywords where its XMP has no pdf:Keywords, and each reads the
clock on its own), while PDF/A wants each Info entry equal to its XMP analogue (ISO
19005-1 6.7.3); and it writes the new file into the one it read from the reader's last
position, so that a fragment of the original PDF and a second header precede the real
content. The rewrite takes the Info entries from the XMP packet, the authoritative
metadata of a PDF/A file, and leaves a file with one header and nothing unreferenced.

Both libraries are imported by the functions that use them: registering the plugin, as
``partage plugins list`` does, loads neither.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from partage.core.contract import EInvoice, InvoiceDocument, VatTreatmentKind, einvoice, hookimpl

TEMPLATES = Path(__file__).resolve().parent / "data" / "templates"
FORMAT = "factur-x-en16931"
#: ISO 6523 ICD of the SIRENE register, the scheme of a SIREN number (BT-30).
SIREN_SCHEME = "0002"

#: EN 16931 category of each French sale code that is not a domestic rate.
CATEGORY_PREFIXES = (
    ("UE_SERVICES", "AE"),
    ("UE_BIENS", "K"),
    ("EXPORT", "G"),
    ("HORS_UE_SERVICES", "O"),
    ("FRANCHISE", "E"),
    ("EXO_", "E"),
)


@hookimpl
def partage_document_templates() -> str:
    return str(TEMPLATES)


@hookimpl
def partage_einvoice_vat_category(vat_code: str, kind: VatTreatmentKind, rate: Decimal) -> str:
    for prefix, category in CATEGORY_PREFIXES:
        if vat_code.startswith(prefix):
            return category
    return "S" if rate > 0 else "Z"


@hookimpl
def partage_einvoice(document: InvoiceDocument, pdf: bytes) -> EInvoice:
    import facturx

    einvoice.rules.require(document)
    xml = einvoice.cii.write(document, seller_legal_scheme=SIREN_SCHEME)
    title = "Avoir" if document.is_credit_note else "Facture"
    content = facturx.generate_from_binary(
        pdf,
        xml,
        flavor="factur-x",
        level="en16931",
        check_xsd=True,
        lang=f"{document.language}-FR",
        pdf_metadata={
            "author": document.seller.name,
            "title": f"{title} {document.number}",
            "subject": f"{title} {document.number} — {document.buyer.name}",
        },
    )
    return EInvoice(FORMAT, "application/pdf", f"{document.number}.pdf", info_from_xmp(content))


def _pdf_date(moment: datetime | None) -> str | None:
    """A PDF date string (ISO 32000-1 7.9.4) in UTC; pypdf reads XMP dates as naive UTC."""
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("D:%Y%m%d%H%M%S+00'00'")


def info_from_xmp(content: bytes) -> bytes:
    """The PDF rewritten whole, its Info dictionary rebuilt from its XMP packet: each
    entry that has an XMP analogue takes that value, and an entry whose analogue is
    absent is dropped. The header's version is the one the file declared."""
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(io.BytesIO(content))
    xmp = reader.xmp_metadata
    if xmp is None:
        raise ValueError("Factur-X: the PDF has no XMP metadata to align its Info on")
    creators = xmp.dc_creator or []
    values = {
        "/Title": (xmp.dc_title or {}).get("x-default"),
        "/Author": creators[0] if len(creators) == 1 else None,
        "/Subject": (xmp.dc_description or {}).get("x-default"),
        "/Keywords": xmp.pdf_keywords,
        "/Creator": xmp.xmp_creator_tool,
        "/Producer": xmp.pdf_producer,
        "/CreationDate": _pdf_date(xmp.xmp_create_date),
        "/ModDate": _pdf_date(xmp.xmp_modify_date),
    }
    writer = PdfWriter(clone_from=reader)
    writer.pdf_header = reader.pdf_header
    writer.metadata = {key: value for key, value in values.items() if value}
    aligned = io.BytesIO()
    writer.write(aligned)
    return aligned.getvalue()
