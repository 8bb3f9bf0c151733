"""Belgian invoices: Peppol BIS Billing 3.0 e-invoices, structured communications and
the invoice template.

Since 1 January 2026 Belgian businesses exchange structured e-invoices (loi du
6 février 2024 modifiant le Code de la TVA, art. 53, § 2; AR n° 1, art. 5); the
format is Peppol BIS Billing 3.0, a UBL 2.1 customisation of EN 16931. Parties are
addressed on the network by their enterprise number (EAS scheme ``0208``), or, for a
client of another country, by its VAT number in that country's scheme.

A client pays with the Belgian structured communication (``+++123/4567/89012+++``,
Febelfin standard: ten digits and a modulo-97 check, python-stdnum's ``be.ogm_vcs``);
its ten digits are the invoice's id in the instance, so it is unique and short.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from partage.core.contract import EInvoice, InvoiceDocument, VatTreatmentKind, einvoice, hookimpl

TEMPLATES = Path(__file__).resolve().parent / "data" / "templates"
FORMAT = "peppol-bis-3"

#: EN 16931 category of each Belgian sale code that is not a domestic rate
#: (the domestic ones are ``S``, or ``Z`` at the zero rate).
CATEGORIES = {
    "S-EU-SERVICES": "AE",
    "S-EU-GOODS": "K",
    "S-EXPORT": "G",
    "S-NONEU-SERVICES": "O",
    "S-EXEMPT": "E",
    "S-FRANCHISE": "E",
}

#: Peppol electronic address schemes (EAS code list) of VAT numbers per country.
VAT_SCHEMES = {
    "AT": "9914",
    "BE": "9925",
    "DE": "9930",
    "ES": "9920",
    "FR": "9957",
    "IT": "0211",
    "LU": "9938",
    "NL": "9944",
}
ENTERPRISE_SCHEME = "0208"


@hookimpl
def partage_document_templates() -> str:
    return str(TEMPLATES)


@hookimpl
def partage_payment_reference(invoice_id: int, number: str) -> str:
    from stdnum.be import ogm_vcs

    base = f"{invoice_id:010d}"
    return f"+++{ogm_vcs.format(base + ogm_vcs.calc_check_digits(base))}+++"


@hookimpl
def partage_einvoice_vat_category(vat_code: str, kind: VatTreatmentKind, rate: Decimal) -> str:
    if vat_code in CATEGORIES:
        return CATEGORIES[vat_code]
    return "S" if rate > 0 else "Z"


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def buyer_endpoint(document: InvoiceDocument) -> einvoice.ubl.Endpoint | None:
    """The client's Peppol address: its enterprise number in Belgium, else its VAT
    number in its country's scheme; ``None`` when it has neither."""
    vat = document.buyer.vat_number
    if not vat:
        return None
    country = vat[:2].upper()
    if country == "BE":
        return einvoice.ubl.Endpoint(ENTERPRISE_SCHEME, _digits(vat))
    scheme = VAT_SCHEMES.get(country)
    return einvoice.ubl.Endpoint(scheme, vat.upper()) if scheme else None


def legal_note(document: InvoiceDocument) -> str:
    """The company-law mentions of the seller (Code des sociétés, art. 2:20)."""
    seller = document.seller
    parts = [
        f"{seller.name}, société coopérative",
        f"siège : {seller.address.one_line()}",
        f"BCE {seller.company_id}",
    ]
    if seller.legal_form:
        parts.append(seller.legal_form)
    return " — ".join(parts)


@hookimpl
def partage_einvoice(document: InvoiceDocument, pdf: bytes) -> EInvoice:
    endpoint = buyer_endpoint(document)
    extra = []
    if endpoint is None:
        extra.append(
            einvoice.rules.Finding(
                "PEPPOL-EN16931-R010",
                f"the buyer {document.buyer.code or document.buyer.name} has no electronic "
                "address (no VAT number of a Peppol country): send the PDF instead",
            )
        )
    einvoice.rules.require(document, extra)
    enterprise = _digits(document.seller.company_id or "")
    content = einvoice.ubl.write(
        replace(document, seller=replace(document.seller, company_id=enterprise)),
        seller_endpoint=einvoice.ubl.Endpoint(ENTERPRISE_SCHEME, enterprise),
        buyer_endpoint=endpoint,
        seller_legal_scheme=ENTERPRISE_SCHEME,
        note=legal_note(document),
    )
    return EInvoice(FORMAT, "application/xml", f"{document.number}.xml", content)
