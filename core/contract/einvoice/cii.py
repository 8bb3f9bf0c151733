"""UN/CEFACT Cross Industry Invoice (CII D16B) at the EN 16931 profile, both ways: the
XML that a Factur-X PDF carries.

:func:`write` builds the XML of a document with lxml in the order of the Factur-X
EN 16931 schema; :func:`read` turns a CII invoice or credit note back into the neutral
model. The ``factur-x`` library checks the XML against the official Factur-X XSD when
it embeds or extracts it; the EN 16931 CII Schematron is run by the tests.
"""

from __future__ import annotations

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

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
NS = {"rsm": RSM, "ram": RAM, "udt": UDT, "qdt": QDT}
EN16931 = "urn:cen.eu:en16931:2017"
NO_PERCENT = frozenset({"O"})
#: UNTDID 1001 code of an additional document that is a tender or lot (BT-17).
TENDER_DOCUMENT = "50"
#: UNCL 5189 code of an allowance that is a discount.
DISCOUNT_REASON = "95"


def _el(
    parent: etree._Element, name: str, text: str | None = None, **attributes: str
) -> etree._Element:
    prefix, local = name.split(":")
    element = etree.SubElement(parent, f"{{{NS[prefix]}}}{local}", **attributes)
    if text is not None:
        element.text = text
    return element


def _amount(value: Decimal) -> str:
    return f"{value:.2f}"


def _number(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text if text not in ("-0", "") else "0"


def _date(parent: etree._Element, name: str, day: date, kind: str = "udt") -> None:
    _el(_el(parent, name), f"{kind}:DateTimeString", day.strftime("%Y%m%d"), format="102")


def _party(
    parent: etree._Element, name: str, party: DocumentParty, legal_scheme: str | None
) -> None:
    node = _el(parent, name)
    _el(node, "ram:Name", party.name)
    if party.company_id or party.trading_name:
        legal = _el(node, "ram:SpecifiedLegalOrganization")
        if party.company_id:
            extra = {"schemeID": legal_scheme} if legal_scheme else {}
            _el(legal, "ram:ID", party.company_id, **extra)
        if party.trading_name:
            _el(legal, "ram:TradingBusinessName", party.trading_name)
    address = _el(node, "ram:PostalTradeAddress")
    if party.address.postcode:
        _el(address, "ram:PostcodeCode", party.address.postcode)
    if party.address.street:
        _el(address, "ram:LineOne", party.address.street)
    if party.address.city:
        _el(address, "ram:CityName", party.address.city)
    _el(address, "ram:CountryID", party.address.country)
    if party.email:
        _el(_el(node, "ram:URIUniversalCommunication"), "ram:URIID", party.email, schemeID="EM")
    if party.vat_number:
        _el(_el(node, "ram:SpecifiedTaxRegistration"), "ram:ID", party.vat_number, schemeID="VA")


def write(document: InvoiceDocument, *, seller_legal_scheme: str | None = None) -> bytes:
    """The CII XML of a document at the EN 16931 profile."""
    root = etree.Element(f"{{{RSM}}}CrossIndustryInvoice", nsmap=NS)
    context = _el(root, "rsm:ExchangedDocumentContext")
    _el(_el(context, "ram:GuidelineSpecifiedDocumentContextParameter"), "ram:ID", EN16931)
    header = _el(root, "rsm:ExchangedDocument")
    _el(header, "ram:ID", document.number)
    _el(header, "ram:TypeCode", "381" if document.is_credit_note else "380")
    _date(header, "ram:IssueDateTime", document.issued_on)
    for note in document.notes:
        _el(_el(header, "ram:IncludedNote"), "ram:Content", note)
    trade = _el(root, "rsm:SupplyChainTradeTransaction")
    for line in document.lines:
        item = _el(trade, "ram:IncludedSupplyChainTradeLineItem")
        _el(_el(item, "ram:AssociatedDocumentLineDocument"), "ram:LineID", line.number)
        _el(_el(item, "ram:SpecifiedTradeProduct"), "ram:Name", line.description[:200])
        price = _el(_el(item, "ram:SpecifiedLineTradeAgreement"), "ram:NetPriceProductTradePrice")
        _el(price, "ram:ChargeAmount", _amount(line.unit_price))
        delivery = _el(item, "ram:SpecifiedLineTradeDelivery")
        _el(delivery, "ram:BilledQuantity", _number(line.quantity), unitCode=line.unit_code)
        settlement = _el(item, "ram:SpecifiedLineTradeSettlement")
        tax = _el(settlement, "ram:ApplicableTradeTax")
        _el(tax, "ram:TypeCode", "VAT")
        _el(tax, "ram:CategoryCode", line.vat_category)
        if line.vat_category not in NO_PERCENT:
            _el(tax, "ram:RateApplicablePercent", _number(line.vat_rate * 100))
        if line.allowance:
            charge = _el(settlement, "ram:SpecifiedTradeAllowanceCharge")
            _el(_el(charge, "ram:ChargeIndicator"), "udt:Indicator", "false")
            if line.allowance_percent is not None:
                _el(charge, "ram:CalculationPercent", _number(line.allowance_percent))
                _el(charge, "ram:BasisAmount", _amount(line.net + line.allowance))
            _el(charge, "ram:ActualAmount", _amount(line.allowance))
            _el(charge, "ram:ReasonCode", DISCOUNT_REASON)
            _el(charge, "ram:Reason", "Discount")
        summation = _el(settlement, "ram:SpecifiedTradeSettlementLineMonetarySummation")
        _el(summation, "ram:LineTotalAmount", _amount(line.net))
    agreement = _el(trade, "ram:ApplicableHeaderTradeAgreement")
    if document.buyer_reference:
        _el(agreement, "ram:BuyerReference", document.buyer_reference)
    _party(agreement, "ram:SellerTradeParty", document.seller, seller_legal_scheme)
    _party(agreement, "ram:BuyerTradeParty", document.buyer, None)
    if document.tender_reference:
        tender = _el(agreement, "ram:AdditionalReferencedDocument")
        _el(tender, "ram:IssuerAssignedID", document.tender_reference)
        _el(tender, "ram:TypeCode", TENDER_DOCUMENT)
    delivery = _el(trade, "ram:ApplicableHeaderTradeDelivery")
    if document.delivery_country:
        ship_to = _el(delivery, "ram:ShipToTradeParty")
        _el(_el(ship_to, "ram:PostalTradeAddress"), "ram:CountryID", document.delivery_country)
    if document.delivery_country or document.supplied_on:
        event = _el(delivery, "ram:ActualDeliverySupplyChainEvent")  # BT-72
        _date(event, "ram:OccurrenceDateTime", document.supplied_on or document.issued_on)
    settlement = _el(trade, "ram:ApplicableHeaderTradeSettlement")
    if document.payment is not None:
        _el(settlement, "ram:PaymentReference", document.payment.reference)
    _el(settlement, "ram:InvoiceCurrencyCode", document.currency)
    if document.payment is not None:
        means = _el(settlement, "ram:SpecifiedTradeSettlementPaymentMeans")
        _el(means, "ram:TypeCode", document.payment.means_code)
        account = _el(means, "ram:PayeePartyCreditorFinancialAccount")
        _el(account, "ram:IBANID", document.payment.iban)
        if document.payment.bic:
            institution = _el(means, "ram:PayeeSpecifiedCreditorFinancialInstitution")
            _el(institution, "ram:BICID", document.payment.bic)
    for part in document.vat_breakdown:
        tax = _el(settlement, "ram:ApplicableTradeTax")
        _el(tax, "ram:CalculatedAmount", _amount(part.vat))
        _el(tax, "ram:TypeCode", "VAT")
        if part.exemption_reason and part.category not in ("S", "Z"):
            _el(tax, "ram:ExemptionReason", part.exemption_reason)
        _el(tax, "ram:BasisAmount", _amount(part.base))
        _el(tax, "ram:CategoryCode", part.category)
        if part.category not in NO_PERCENT:
            _el(tax, "ram:RateApplicablePercent", _number(part.rate * 100))
    for allowance in document.allowances_charges:
        charge = _el(settlement, "ram:SpecifiedTradeAllowanceCharge")
        indicator = "true" if allowance.charge else "false"
        _el(_el(charge, "ram:ChargeIndicator"), "udt:Indicator", indicator)
        if allowance.percent is not None and allowance.base is not None:
            _el(charge, "ram:CalculationPercent", _number(allowance.percent))
            _el(charge, "ram:BasisAmount", _amount(allowance.base))
        _el(charge, "ram:ActualAmount", _amount(allowance.amount))
        if not allowance.charge:
            _el(charge, "ram:ReasonCode", DISCOUNT_REASON)
        _el(charge, "ram:Reason", allowance.reason or "Discount")
        tax = _el(charge, "ram:CategoryTradeTax")
        _el(tax, "ram:TypeCode", "VAT")
        _el(tax, "ram:CategoryCode", allowance.vat_category)
        if allowance.vat_category not in NO_PERCENT:
            _el(tax, "ram:RateApplicablePercent", _number(allowance.vat_rate * 100))
    if document.due_on is not None:
        _date(
            _el(settlement, "ram:SpecifiedTradePaymentTerms"),
            "ram:DueDateDateTime",
            document.due_on,
        )
    totals = _el(settlement, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    _el(totals, "ram:LineTotalAmount", _amount(document.line_total))
    if any(not a.charge for a in document.allowances_charges):
        _el(totals, "ram:AllowanceTotalAmount", _amount(document.allowance_total))
    if any(a.charge for a in document.allowances_charges):
        _el(totals, "ram:ChargeTotalAmount", _amount(document.charge_total))
    _el(totals, "ram:TaxBasisTotalAmount", _amount(document.net))
    _el(totals, "ram:TaxTotalAmount", _amount(document.vat), currencyID=document.currency)
    _el(totals, "ram:GrandTotalAmount", _amount(document.total))
    _el(totals, "ram:DuePayableAmount", _amount(document.payable))
    if document.preceding_invoice:
        reference = _el(settlement, "ram:InvoiceReferencedDocument")
        _el(reference, "ram:IssuerAssignedID", document.preceding_invoice)
        if document.preceding_issued_on:
            _date(reference, "ram:FormattedIssueDateTime", document.preceding_issued_on, "qdt")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# --- reading ---------------------------------------------------------------------------
def _text(node: etree._Element | None, path: str) -> str | None:
    if node is None:
        return None
    found = node.find(path, NS)
    return found.text.strip() if found is not None and found.text else None


def _tender(agreement: etree._Element | None) -> str | None:
    """The tender or lot reference (BT-17): the additional document of type 50."""
    if agreement is None:
        return None
    for document in agreement.findall("ram:AdditionalReferencedDocument", NS):
        if _text(document, "ram:TypeCode") == TENDER_DOCUMENT:
            return _text(document, "ram:IssuerAssignedID")
    return None


def _decimal(node: etree._Element | None, path: str) -> Decimal:
    text = _text(node, path)
    return Decimal(text) if text is not None else Decimal(0)


def _day(node: etree._Element | None, path: str) -> date | None:
    text = _text(node, path)
    if text is None:
        return None
    return date(int(text[:4]), int(text[4:6]), int(text[6:8]))


def _read_party(node: etree._Element | None) -> DocumentParty:
    address = "ram:PostalTradeAddress"
    return DocumentParty(
        name=_text(node, "ram:Name") or "",
        address=Address(
            _text(node, f"{address}/ram:LineOne") or "",
            _text(node, f"{address}/ram:CityName") or "",
            _text(node, f"{address}/ram:PostcodeCode") or "",
            _text(node, f"{address}/ram:CountryID") or "",
        ),
        vat_number=_text(node, "ram:SpecifiedTaxRegistration/ram:ID[@schemeID='VA']"),
        company_id=_text(node, "ram:SpecifiedLegalOrganization/ram:ID"),
        trading_name=_text(node, "ram:SpecifiedLegalOrganization/ram:TradingBusinessName"),
        email=_text(node, "ram:URIUniversalCommunication/ram:URIID"),
    )


def read(root: etree._Element, language: str = "") -> InvoiceDocument:
    """The neutral document of a CII invoice or credit note (already schema-valid)."""
    trade = root.find("rsm:SupplyChainTradeTransaction", NS)
    agreement = trade.find("ram:ApplicableHeaderTradeAgreement", NS) if trade is not None else None
    settlement = (
        trade.find("ram:ApplicableHeaderTradeSettlement", NS) if trade is not None else None
    )
    totals = "ram:SpecifiedTradeSettlementHeaderMonetarySummation"
    header = root.find("rsm:ExchangedDocument", NS)
    return InvoiceDocument(
        kind="credit_note" if _text(header, "ram:TypeCode") == "381" else "invoice",
        number=_text(header, "ram:ID") or "",
        issued_on=_day(header, "ram:IssueDateTime/udt:DateTimeString") or date.min,
        supplied_on=_day(
            trade,
            "ram:ApplicableHeaderTradeDelivery/ram:ActualDeliverySupplyChainEvent"
            "/ram:OccurrenceDateTime/udt:DateTimeString",
        ),
        currency=_text(settlement, "ram:InvoiceCurrencyCode") or "",
        language=language,
        seller=_read_party(
            agreement.find("ram:SellerTradeParty", NS) if agreement is not None else None
        ),
        buyer=_read_party(
            agreement.find("ram:BuyerTradeParty", NS) if agreement is not None else None
        ),
        lines=_read_lines(trade),
        vat_breakdown=_read_breakdown(settlement),
        net=_decimal(settlement, f"{totals}/ram:TaxBasisTotalAmount"),
        vat=_decimal(settlement, f"{totals}/ram:TaxTotalAmount"),
        total=_decimal(settlement, f"{totals}/ram:GrandTotalAmount"),
        payable=_decimal(settlement, f"{totals}/ram:DuePayableAmount"),
        due_on=_day(
            settlement, "ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/udt:DateTimeString"
        ),
        payment=_read_payment(settlement),
        buyer_reference=_text(agreement, "ram:BuyerReference"),
        tender_reference=_tender(agreement),
        preceding_invoice=_text(settlement, "ram:InvoiceReferencedDocument/ram:IssuerAssignedID"),
        preceding_issued_on=_day(
            settlement,
            "ram:InvoiceReferencedDocument/ram:FormattedIssueDateTime/qdt:DateTimeString",
        ),
        notes=tuple(
            n.text
            for n in root.findall("rsm:ExchangedDocument/ram:IncludedNote/ram:Content", NS)
            if n.text
        ),
        allowances_charges=_read_allowances_charges(settlement),
        tax_currency=_text(settlement, "ram:TaxCurrencyCode"),
        tax_currency_vat=_tax_currency_vat(settlement, _text(settlement, "ram:TaxCurrencyCode")),
        prepaid=_decimal(settlement, f"{totals}/ram:TotalPrepaidAmount"),
        rounding=_decimal(settlement, f"{totals}/ram:RoundingAmount"),
    )


def _read_allowances_charges(settlement: etree._Element | None) -> tuple[AllowanceCharge, ...]:
    """The document-level allowances and charges (BG-20, BG-21)."""
    return tuple(
        AllowanceCharge(
            charge=_text(node, "ram:ChargeIndicator/udt:Indicator") == "true",
            amount=_decimal(node, "ram:ActualAmount"),
            vat_category=_text(node, "ram:CategoryTradeTax/ram:CategoryCode") or "",
            vat_rate=_decimal(node, "ram:CategoryTradeTax/ram:RateApplicablePercent") / 100,
            reason=_text(node, "ram:Reason") or "",
        )
        for node in (
            settlement.findall("ram:SpecifiedTradeAllowanceCharge", NS)
            if settlement is not None
            else []
        )
    )


def _read_lines(trade: etree._Element | None) -> tuple[DocumentLine, ...]:
    """The document's lines (BG-25)."""
    lines = []
    for item in (
        trade.findall("ram:IncludedSupplyChainTradeLineItem", NS) if trade is not None else []
    ):
        quantity = item.find("ram:SpecifiedLineTradeDelivery/ram:BilledQuantity", NS)
        tax = "ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax"
        lines.append(
            DocumentLine(
                number=_text(item, "ram:AssociatedDocumentLineDocument/ram:LineID") or "",
                description=_text(item, "ram:SpecifiedTradeProduct/ram:Name") or "",
                quantity=Decimal(quantity.text) if quantity is not None else Decimal(0),
                unit_code=quantity.get("unitCode", "C62") if quantity is not None else "C62",
                unit_price=_decimal(
                    item,
                    "ram:SpecifiedLineTradeAgreement/ram:NetPriceProductTradePrice/ram:ChargeAmount",
                ),
                net=_decimal(
                    item,
                    "ram:SpecifiedLineTradeSettlement/"
                    "ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount",
                ),
                vat_code="",
                vat_category=_text(item, f"{tax}/ram:CategoryCode") or "",
                vat_rate=_decimal(item, f"{tax}/ram:RateApplicablePercent") / 100,
                price_base_quantity=_decimal(
                    item,
                    "ram:SpecifiedLineTradeAgreement/ram:NetPriceProductTradePrice/"
                    "ram:BasisQuantity",
                )
                or Decimal(1),
            )
        )
    return tuple(lines)


def _read_breakdown(settlement: etree._Element | None) -> tuple[VatBreakdown, ...]:
    """The VAT breakdown (BG-23), one part per category and rate."""
    return tuple(
        VatBreakdown(
            category=_text(tax, "ram:CategoryCode") or "",
            rate=_decimal(tax, "ram:RateApplicablePercent") / 100,
            base=_decimal(tax, "ram:BasisAmount"),
            vat=_decimal(tax, "ram:CalculatedAmount"),
            exemption_reason=_text(tax, "ram:ExemptionReason"),
        )
        for tax in (
            settlement.findall("ram:ApplicableTradeTax", NS) if settlement is not None else []
        )
    )


def _read_payment(settlement: etree._Element | None) -> PaymentInstructions | None:
    """The payment instructions (BG-16), when the document gives an account to pay into."""
    means = (
        settlement.find("ram:SpecifiedTradeSettlementPaymentMeans", NS)
        if settlement is not None
        else None
    )
    iban = _text(means, "ram:PayeePartyCreditorFinancialAccount/ram:IBANID")
    if not iban:
        return None
    return PaymentInstructions(
        _text(means, "ram:TypeCode") or "",
        iban,
        _text(settlement, "ram:PaymentReference") or "",
        _text(means, "ram:PayeeSpecifiedCreditorFinancialInstitution/ram:BICID"),
    )


def _tax_currency_vat(settlement: etree._Element | None, currency: str | None) -> Decimal | None:
    """The total VAT in the VAT accounting currency (BT-111), when the document gives it."""
    if settlement is None or currency is None:
        return None
    for node in settlement.findall(
        "ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:TaxTotalAmount", NS
    ):
        if node.get("currencyID") == currency and node.text:
            return Decimal(node.text.strip())
    return None
