"""Supplier e-invoices and credit notes written as suppliers' software writes them, in
UBL (Peppol BIS Billing 3.0) and CII (Factur-X EN 16931), with what the EN 16931 model
allows: document-level allowances and charges with their VAT categories, line
allowances and charges, price base quantities (BT-149) and gross prices with a price
discount (BT-148, BT-147), negative lines, several VAT categories, a prepaid amount
(BT-113) and a rounding amount (BT-114), in any currency.

Tests describe a document with :class:`Doc` and render it with :func:`ubl` or
:func:`cii`; :func:`random_doc` draws one for property-style tests. ``Doc.damage``
breaks one figure on purpose, so that some documents are refused by the official rules.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from xml.sax.saxutils import escape

from tests.documents_support import BE_COOP_VAT, DAY, be_vat

D = Decimal
CENT = D("0.01")
SELLERS = {
    "be": ("Imprimerie Dupont SRL", "Rue du Papier 3", "Namur", "5000", "BE", be_vat(8765432)),
    "de": ("Druckerei Schmidt GmbH", "Papierstrasse 3", "Berlin", "10115", "DE", "DE112345670"),
}
#: The VAT categories drawn: Belgian standard, intermediate, reduced and zero rates, and
#: an exemption.
CATEGORIES = (("S", D("0.21")), ("S", D("0.12")), ("S", D("0.06")), ("Z", D(0)), ("E", D(0)))


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Line:
    """An invoice line: ``price`` is the net price of ``base_quantity`` units (BT-146,
    BT-149); ``discount`` the price discount from the gross price (BT-147)."""

    quantity: Decimal
    price: Decimal
    category: str = "S"
    rate: Decimal = Decimal("0.21")
    base_quantity: Decimal = Decimal(1)
    discount: Decimal | None = None
    allowance: Decimal = Decimal(0)
    charge: Decimal = Decimal(0)
    name: str = "Affiches A2"

    @property
    def net(self) -> Decimal:
        return cents(self.quantity * self.price / self.base_quantity + self.charge - self.allowance)


@dataclass(frozen=True)
class Change:
    """A document-level allowance (``charge`` false) or charge."""

    charge: bool
    amount: Decimal
    category: str = "S"
    rate: Decimal = Decimal("0.21")
    reason: str = "Transport"


@dataclass(frozen=True)
class Doc:
    """A supplier's document; its breakdown and totals are computed as EN 16931 says,
    then ``damage`` (``"vat+0.50"``, ``"vat+1.50"``, ``"net+1"``, ``"price"``) breaks one."""

    number: str
    lines: tuple[Line, ...]
    changes: tuple[Change, ...] = ()
    prepaid: Decimal = Decimal(0)
    rounding: Decimal = Decimal(0)
    currency: str = "EUR"
    seller: str = "be"
    credit_note: bool = False
    preceding: str | None = None
    issued_on: date = DAY
    damage: str = ""
    tax_currency_vat: Decimal | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def breakdown(self) -> list[tuple[str, Decimal, Decimal, Decimal]]:
        """(category, rate, base, VAT) per category and rate, in order of appearance."""
        bases: dict[tuple[str, Decimal], Decimal] = {}
        for line in self.lines:
            key = (line.category, line.rate)
            bases[key] = bases.get(key, D(0)) + line.net
        for change in self.changes:
            key = (change.category, change.rate)
            bases[key] = bases.get(key, D(0)) + (change.amount if change.charge else -change.amount)
        parts = [(c, r, b, cents(b * r)) for (c, r), b in bases.items()]
        if self.damage.startswith("vat+") and parts:
            c, r, b, v = parts[0]
            parts[0] = (c, r, b, v + D(self.damage[4:]))
        return parts

    @property
    def line_total(self) -> Decimal:
        return sum((line.net for line in self.lines), D(0))

    @property
    def allowances(self) -> Decimal:
        return sum((c.amount for c in self.changes if not c.charge), D(0))

    @property
    def charges(self) -> Decimal:
        return sum((c.amount for c in self.changes if c.charge), D(0))

    @property
    def net(self) -> Decimal:
        net = self.line_total - self.allowances + self.charges
        return net + (D(1) if self.damage == "net+1" else D(0))

    @property
    def vat(self) -> Decimal:
        return sum((v for _c, _r, _b, v in self.breakdown()), D(0))

    @property
    def total(self) -> Decimal:
        return self.net + self.vat

    @property
    def payable(self) -> Decimal:
        return self.total - self.prepaid + self.rounding


def _reason(category: str) -> str:
    return {"E": "Exempt under article 44 of the VAT Code", "AE": "Reverse charge"}.get(
        category, ""
    )


def _percent(rate: Decimal) -> str:
    return f"{rate * 100:.2f}"


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def ubl(doc: Doc) -> bytes:
    """The document as Peppol BIS Billing 3.0 UBL."""
    cur = doc.currency
    root = "CreditNote" if doc.credit_note else "Invoice"
    ns = f"urn:oasis:names:specification:ubl:schema:xsd:{root}-2"
    name, street, city, postcode, country, vat = SELLERS[doc.seller]

    def amount(tag: str, value: Decimal) -> str:
        return f'<cbc:{tag} currencyID="{cur}">{_money(value)}</cbc:{tag}>'

    def category(tag: str, code: str, rate: Decimal, reason: str = "") -> str:
        why = f"<cbc:TaxExemptionReason>{reason}</cbc:TaxExemptionReason>" if reason else ""
        return (
            f"<cac:{tag}><cbc:ID>{code}</cbc:ID><cbc:Percent>{_percent(rate)}</cbc:Percent>"
            f"{why}<cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:{tag}>"
        )

    changes = "".join(
        f"<cac:AllowanceCharge><cbc:ChargeIndicator>{'true' if c.charge else 'false'}"
        f"</cbc:ChargeIndicator><cbc:AllowanceChargeReason>{c.reason}</cbc:AllowanceChargeReason>"
        f"{amount('Amount', c.amount)}{category('TaxCategory', c.category, c.rate)}"
        "</cac:AllowanceCharge>"
        for c in doc.changes
    )
    parts = "".join(
        f"<cac:TaxSubtotal>{amount('TaxableAmount', b)}{amount('TaxAmount', v)}"
        f"{category('TaxCategory', c, r, _reason(c))}</cac:TaxSubtotal>"
        for c, r, b, v in doc.breakdown()
    )
    tax_currency = ""
    tax_total_eur = ""
    if doc.tax_currency_vat is not None:
        tax_currency = "<cbc:TaxCurrencyCode>EUR</cbc:TaxCurrencyCode>"
        tax_total_eur = (
            f'<cac:TaxTotal><cbc:TaxAmount currencyID="EUR">{_money(doc.tax_currency_vat)}'
            "</cbc:TaxAmount></cac:TaxTotal>"
        )
    lines = []
    quantity_tag = "CreditedQuantity" if doc.credit_note else "InvoicedQuantity"
    for n, line in enumerate(doc.lines, start=1):
        line_changes = "".join(
            f"<cac:AllowanceCharge><cbc:ChargeIndicator>{flag}</cbc:ChargeIndicator>"
            f"<cbc:AllowanceChargeReason>{why}</cbc:AllowanceChargeReason>"
            f"{amount('Amount', value)}</cac:AllowanceCharge>"
            for flag, why, value in (
                ("true", "Packing", line.charge),
                ("false", "Discount", line.allowance),
            )
            if value
        )
        price = line.price + (D(1) if doc.damage == "price" and n == 1 else D(0))
        gross = ""
        if line.discount is not None:
            gross = (
                "<cac:AllowanceCharge><cbc:ChargeIndicator>false</cbc:ChargeIndicator>"
                f"{amount('Amount', line.discount)}"
                f"{amount('BaseAmount', line.price + line.discount)}</cac:AllowanceCharge>"
            )
        lines.append(
            f"<cac:{root}Line><cbc:ID>{n}</cbc:ID>"
            f'<cbc:{quantity_tag} unitCode="C62">{line.quantity}</cbc:{quantity_tag}>'
            f"{amount('LineExtensionAmount', line.net)}{line_changes}"
            f"<cac:Item><cbc:Name>{escape(line.name)}</cbc:Name>"
            f"{category('ClassifiedTaxCategory', line.category, line.rate)}</cac:Item>"
            f"<cac:Price>{amount('PriceAmount', price)}"
            f'<cbc:BaseQuantity unitCode="C62">{line.base_quantity}</cbc:BaseQuantity>'
            f"{gross}</cac:Price></cac:{root}Line>"
        )
    due = (
        ""
        if doc.credit_note
        else f"<cbc:DueDate>{(doc.issued_on + timedelta(days=30)).isoformat()}</cbc:DueDate>"
    )
    billing = (
        "<cac:BillingReference><cac:InvoiceDocumentReference>"
        f"<cbc:ID>{doc.preceding}</cbc:ID></cac:InvoiceDocumentReference></cac:BillingReference>"
        if doc.preceding
        else ""
    )
    totals = (
        f"{amount('LineExtensionAmount', doc.line_total)}"
        f"{amount('TaxExclusiveAmount', doc.net)}{amount('TaxInclusiveAmount', doc.total)}"
        + (amount("AllowanceTotalAmount", doc.allowances) if doc.allowances else "")
        + (amount("ChargeTotalAmount", doc.charges) if doc.charges else "")
        + (amount("PrepaidAmount", doc.prepaid) if doc.prepaid else "")
        + (amount("PayableRoundingAmount", doc.rounding) if doc.rounding else "")
        + amount("PayableAmount", doc.payable)
    )
    buyer_vat = BE_COOP_VAT
    xml = f"""<?xml version="1.0" encoding="UTF-8"?>
<{root} xmlns="{ns}"
 xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
 xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
<cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>
<cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>
<cbc:ID>{doc.number}</cbc:ID>
<cbc:IssueDate>{doc.issued_on.isoformat()}</cbc:IssueDate>
{due}<cbc:{root}TypeCode>{"381" if doc.credit_note else "380"}</cbc:{root}TypeCode>
<cbc:DocumentCurrencyCode>{cur}</cbc:DocumentCurrencyCode>{tax_currency}
<cbc:BuyerReference>PO-1</cbc:BuyerReference>{billing}
<cac:AccountingSupplierParty><cac:Party>
<cbc:EndpointID schemeID="{"0208" if country == "BE" else "9930"}">{vat[2:] if country == "BE" else vat}</cbc:EndpointID>
<cac:PostalAddress><cbc:StreetName>{street}</cbc:StreetName><cbc:CityName>{city}</cbc:CityName>
<cbc:PostalZone>{postcode}</cbc:PostalZone><cac:Country><cbc:IdentificationCode>{country}</cbc:IdentificationCode></cac:Country></cac:PostalAddress>
<cac:PartyTaxScheme><cbc:CompanyID>{vat}</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>
<cac:PartyLegalEntity><cbc:RegistrationName>{name}</cbc:RegistrationName></cac:PartyLegalEntity>
</cac:Party></cac:AccountingSupplierParty>
<cac:AccountingCustomerParty><cac:Party>
<cbc:EndpointID schemeID="0208">{buyer_vat[2:]}</cbc:EndpointID>
<cac:PostalAddress><cbc:StreetName>Rue Coenraets 72</cbc:StreetName><cbc:CityName>Saint-Gilles</cbc:CityName>
<cbc:PostalZone>1060</cbc:PostalZone><cac:Country><cbc:IdentificationCode>BE</cbc:IdentificationCode></cac:Country></cac:PostalAddress>
<cac:PartyTaxScheme><cbc:CompanyID>{buyer_vat}</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>
<cac:PartyLegalEntity><cbc:RegistrationName>Partage Belgique SC</cbc:RegistrationName></cac:PartyLegalEntity>
</cac:Party></cac:AccountingCustomerParty>
{changes}<cac:TaxTotal>{amount("TaxAmount", doc.vat)}{parts}</cac:TaxTotal>{tax_total_eur}
<cac:LegalMonetaryTotal>{totals}</cac:LegalMonetaryTotal>
{"".join(lines)}
</{root}>
"""
    return xml.encode()


def cii(doc: Doc) -> bytes:
    """The document as UN/CEFACT CII at the EN 16931 profile (Factur-X's XML)."""
    name, street, city, postcode, country, vat = SELLERS[doc.seller]
    cur = doc.currency

    def indicator(charge: bool) -> str:
        flag = "true" if charge else "false"
        return f"<ram:ChargeIndicator><udt:Indicator>{flag}</udt:Indicator></ram:ChargeIndicator>"

    items = []
    for n, line in enumerate(doc.lines, start=1):
        price = line.price + (D(1) if doc.damage == "price" and n == 1 else D(0))
        gross = ""
        if line.discount is not None:
            gross = (
                f"<ram:GrossPriceProductTradePrice><ram:ChargeAmount>{line.price + line.discount}"
                f'</ram:ChargeAmount><ram:BasisQuantity unitCode="C62">{line.base_quantity}'
                f"</ram:BasisQuantity><ram:AppliedTradeAllowanceCharge>{indicator(False)}"
                f"<ram:ActualAmount>{line.discount}</ram:ActualAmount>"
                "</ram:AppliedTradeAllowanceCharge></ram:GrossPriceProductTradePrice>"
            )
        line_changes = "".join(
            f"<ram:SpecifiedTradeAllowanceCharge>{indicator(charge)}"
            f"<ram:ActualAmount>{_money(value)}</ram:ActualAmount><ram:Reason>{why}</ram:Reason>"
            "</ram:SpecifiedTradeAllowanceCharge>"
            for charge, why, value in (
                (True, "Packing", line.charge),
                (False, "Discount", line.allowance),
            )
            if value
        )
        percent = f"<ram:RateApplicablePercent>{_percent(line.rate)}</ram:RateApplicablePercent>"
        items.append(
            "<ram:IncludedSupplyChainTradeLineItem>"
            f"<ram:AssociatedDocumentLineDocument><ram:LineID>{n}</ram:LineID></ram:AssociatedDocumentLineDocument>"
            f"<ram:SpecifiedTradeProduct><ram:Name>{escape(line.name)}</ram:Name></ram:SpecifiedTradeProduct>"
            f"<ram:SpecifiedLineTradeAgreement>{gross}<ram:NetPriceProductTradePrice>"
            f"<ram:ChargeAmount>{price}</ram:ChargeAmount>"
            f'<ram:BasisQuantity unitCode="C62">{line.base_quantity}</ram:BasisQuantity>'
            "</ram:NetPriceProductTradePrice></ram:SpecifiedLineTradeAgreement>"
            f'<ram:SpecifiedLineTradeDelivery><ram:BilledQuantity unitCode="C62">{line.quantity}'
            "</ram:BilledQuantity></ram:SpecifiedLineTradeDelivery>"
            "<ram:SpecifiedLineTradeSettlement><ram:ApplicableTradeTax><ram:TypeCode>VAT</ram:TypeCode>"
            f"<ram:CategoryCode>{line.category}</ram:CategoryCode>{percent}</ram:ApplicableTradeTax>"
            f"{line_changes}<ram:SpecifiedTradeSettlementLineMonetarySummation>"
            f"<ram:LineTotalAmount>{_money(line.net)}</ram:LineTotalAmount>"
            "</ram:SpecifiedTradeSettlementLineMonetarySummation></ram:SpecifiedLineTradeSettlement>"
            "</ram:IncludedSupplyChainTradeLineItem>"
        )
    taxes = "".join(
        f"<ram:ApplicableTradeTax><ram:CalculatedAmount>{_money(v)}</ram:CalculatedAmount>"
        "<ram:TypeCode>VAT</ram:TypeCode>"
        + (f"<ram:ExemptionReason>{_reason(c)}</ram:ExemptionReason>" if _reason(c) else "")
        + f"<ram:BasisAmount>{_money(b)}</ram:BasisAmount><ram:CategoryCode>{c}</ram:CategoryCode>"
        f"<ram:RateApplicablePercent>{_percent(r)}</ram:RateApplicablePercent></ram:ApplicableTradeTax>"
        for c, r, b, v in doc.breakdown()
    )
    changes = "".join(
        f"<ram:SpecifiedTradeAllowanceCharge>{indicator(c.charge)}"
        f"<ram:ActualAmount>{_money(c.amount)}</ram:ActualAmount><ram:Reason>{c.reason}</ram:Reason>"
        f"<ram:CategoryTradeTax><ram:TypeCode>VAT</ram:TypeCode><ram:CategoryCode>{c.category}"
        f"</ram:CategoryCode><ram:RateApplicablePercent>{_percent(c.rate)}</ram:RateApplicablePercent>"
        "</ram:CategoryTradeTax></ram:SpecifiedTradeAllowanceCharge>"
        for c in doc.changes
    )
    terms = (
        ""
        if doc.credit_note
        else "<ram:SpecifiedTradePaymentTerms><ram:DueDateDateTime>"
        f'<udt:DateTimeString format="102">{(doc.issued_on + timedelta(days=30)):%Y%m%d}'
        "</udt:DateTimeString></ram:DueDateDateTime></ram:SpecifiedTradePaymentTerms>"
    )
    totals = (
        f"<ram:LineTotalAmount>{_money(doc.line_total)}</ram:LineTotalAmount>"
        + (
            f"<ram:ChargeTotalAmount>{_money(doc.charges)}</ram:ChargeTotalAmount>"
            if doc.charges
            else ""
        )
        + (
            f"<ram:AllowanceTotalAmount>{_money(doc.allowances)}</ram:AllowanceTotalAmount>"
            if doc.allowances
            else ""
        )
        + f"<ram:TaxBasisTotalAmount>{_money(doc.net)}</ram:TaxBasisTotalAmount>"
        f'<ram:TaxTotalAmount currencyID="{cur}">{_money(doc.vat)}</ram:TaxTotalAmount>'
        + (
            f"<ram:RoundingAmount>{_money(doc.rounding)}</ram:RoundingAmount>"
            if doc.rounding
            else ""
        )
        + f"<ram:GrandTotalAmount>{_money(doc.total)}</ram:GrandTotalAmount>"
        + (
            f"<ram:TotalPrepaidAmount>{_money(doc.prepaid)}</ram:TotalPrepaidAmount>"
            if doc.prepaid
            else ""
        )
        + f"<ram:DuePayableAmount>{_money(doc.payable)}</ram:DuePayableAmount>"
    )
    preceding = (
        f"<ram:InvoiceReferencedDocument><ram:IssuerAssignedID>{doc.preceding}"
        "</ram:IssuerAssignedID></ram:InvoiceReferencedDocument>"
        if doc.preceding
        else ""
    )
    xml = f"""<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
 xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
 xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
 xmlns:qdt="urn:un:unece:uncefact:data:standard:QualifiedDataType:100">
<rsm:ExchangedDocumentContext><ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>urn:cen.eu:en16931:2017</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter></rsm:ExchangedDocumentContext>
<rsm:ExchangedDocument><ram:ID>{doc.number}</ram:ID><ram:TypeCode>{"381" if doc.credit_note else "380"}</ram:TypeCode>
<ram:IssueDateTime><udt:DateTimeString format="102">{doc.issued_on:%Y%m%d}</udt:DateTimeString></ram:IssueDateTime></rsm:ExchangedDocument>
<rsm:SupplyChainTradeTransaction>
{"".join(items)}
<ram:ApplicableHeaderTradeAgreement><ram:BuyerReference>PO-1</ram:BuyerReference>
<ram:SellerTradeParty><ram:Name>{name}</ram:Name><ram:PostalTradeAddress><ram:PostcodeCode>{postcode}</ram:PostcodeCode>
<ram:LineOne>{street}</ram:LineOne><ram:CityName>{city}</ram:CityName><ram:CountryID>{country}</ram:CountryID></ram:PostalTradeAddress>
<ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">{vat}</ram:ID></ram:SpecifiedTaxRegistration></ram:SellerTradeParty>
<ram:BuyerTradeParty><ram:Name>Partage Belgique SC</ram:Name><ram:PostalTradeAddress><ram:PostcodeCode>1060</ram:PostcodeCode>
<ram:LineOne>Rue Coenraets 72</ram:LineOne><ram:CityName>Saint-Gilles</ram:CityName><ram:CountryID>BE</ram:CountryID></ram:PostalTradeAddress>
<ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">{BE_COOP_VAT}</ram:ID></ram:SpecifiedTaxRegistration></ram:BuyerTradeParty>
</ram:ApplicableHeaderTradeAgreement>
<ram:ApplicableHeaderTradeDelivery/>
<ram:ApplicableHeaderTradeSettlement><ram:InvoiceCurrencyCode>{cur}</ram:InvoiceCurrencyCode>
{taxes}{changes}{terms}
<ram:SpecifiedTradeSettlementHeaderMonetarySummation>{totals}</ram:SpecifiedTradeSettlementHeaderMonetarySummation>
{preceding}</ram:ApplicableHeaderTradeSettlement>
</rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>
"""
    return xml.encode()


def random_doc(rng: random.Random, number: str) -> Doc:
    """A document drawn at random: one to four lines over one to three VAT categories,
        some negative, some with a price base quantity, a price discount or a line
        allowance or charge, document-level allowances and charges, a prepaid and a rounding
        amount; one in four damaged. A category may sum below zero (a return, a deposit given
    back), by less than the largest one charges."""
    categories = rng.sample(CATEGORIES, rng.randint(1, 3))
    while True:
        lines = []
        for _ in range(rng.randint(1, 4)):
            category, rate = rng.choice(categories)
            base_quantity = rng.choice((D(1), D(1), D(10), D(100)))
            price = D(rng.randint(100, 90000)) / 100
            quantity = D(rng.choice((1, 2, 3, 7, 12, 25))) / rng.choice((1, 1, 2, 4))
            if rng.random() < 0.2:
                quantity = -quantity  # a return, a credited line
            lines.append(
                Line(
                    quantity,
                    price,
                    category,
                    rate,
                    base_quantity,
                    discount=D(rng.randint(1, 500)) / 100 if rng.random() < 0.3 else None,
                    allowance=D(rng.randint(1, 900)) / 100 if rng.random() < 0.2 else D(0),
                    charge=D(rng.randint(1, 900)) / 100 if rng.random() < 0.2 else D(0),
                )
            )
        changes = tuple(
            Change(
                rng.random() < 0.5,
                D(rng.randint(100, 5000)) / 100,
                *rng.choice(categories),
                reason=rng.choice(("Transport", "Discount", "Handling")),
            )
            for _ in range(rng.choice((0, 0, 1, 2)))
        )
        doc = Doc(number, tuple(lines), changes)
        totals = [base + vat for _c, _r, base, vat in doc.breakdown()]
        if all(totals) and max(totals) > 0 and -min(totals) < max(totals):
            break
    prepaid = cents(doc.total * D(rng.choice((0, 0, 0, 10, 50))) / 100)
    rounding = D(rng.choice((0, 0, 0, 1, -2))) / 100
    damage = rng.choice(("", "", "", "", "", "vat+0.50", "vat+1.50", "net+1", "price"))
    return replace(doc, prepaid=prepaid, rounding=rounding, damage=damage)
