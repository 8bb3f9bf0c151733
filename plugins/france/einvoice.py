"""French e-invoices: Factur-X at the EN 16931 profile.

The French e-invoicing reform (loi n° 2022-1157 du 16 août 2022, art. 26; CGI art.
289 bis) is phased in from 1 September 2026; Factur-X is one of its three base formats:
a PDF/A-3 invoice a person reads, carrying the same invoice as CII XML a machine reads.
The PDF is the one the cooperative issued; the ``factur-x`` library embeds the XML
(``factur-x.xml``, relationship *Data*), writes the PDF/A-3 XMP metadata and checks the
XML against the official Factur-X XSD of the profile.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import facturx

from partage.core.contract import EInvoice, InvoiceDocument, VatTreatmentKind
from partage.core.documents import cii, rules
from partage.core.hookspecs import hookimpl

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
    rules.require(document)
    xml = cii.write(document, seller_legal_scheme=SIREN_SCHEME)
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
            "keywords": "Factur-X",
            "title": f"{title} {document.number}",
            "subject": f"{title} {document.number} — {document.buyer.name}",
        },
    )
    return EInvoice(FORMAT, "application/pdf", f"{document.number}.pdf", content)
