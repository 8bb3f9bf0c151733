"""Building the neutral document of an issued invoice or credit note from the books.

Everything here is read from what the invoice act stored (its lines, each with the VAT
treatment the country plugin decided on the day) plus the issuer's facts; nothing is
recomputed from today's law. The VAT breakdown is regrouped by EN 16931 category and
rate and checked against the VAT the invoice posted, so a document can never disagree
with the books.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from babel.dates import format_date
from sqlalchemy import select
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import Cooperative, InvalidAct
from partage.core.contract.documents import (
    Address,
    AllowanceCharge,
    DocumentLine,
    DocumentParty,
    InvoiceDocument,
    PaymentInstructions,
    VatBreakdown,
)
from partage.core.contract.errors import N_
from partage.core.contract.money import from_minor, round_money
from partage.core.contract.tax import VatTreatmentKind
from partage.core.members.models import Entity, Party
from partage.core.platform.issuer import Issuer
from partage.core.sales.invoices import (
    UNITS,
    document_allowances,
    line_bases,
    price_lines,
    quote_lines,
    stored_discount,
)
from partage.core.sales.models import Invoice, InvoiceKind, InvoiceLine, Quote
from partage.core.sales.references import payment_reference

#: UNCL 4461 code of a SEPA credit transfer.
SEPA_CREDIT_TRANSFER = "58"


class MissingFact(InvalidAct):
    """A legal mention names a fact the issuer does not give."""


def vat_category(coop: Cooperative, vat_code: str, kind: VatTreatmentKind, rate: Decimal) -> str:
    """The country's category for a VAT code, else the core's by kind and rate (the
    default plugin gives it)."""
    category: str = coop.plugins.hook.partage_einvoice_vat_category(
        vat_code=vat_code, kind=kind, rate=rate
    )
    return category


def parse_address(text: str, country: str) -> Address:
    """An address kept as free text (``"street\\npostcode city"`` or ``"street, postcode
    city"``) split into the parts documents need."""
    parts = [p.strip() for p in text.replace("\n", ",").split(",") if p.strip()]
    if not parts:
        return Address("", "", "", country)
    last = parts[-1].split(maxsplit=1)
    if len(parts) > 1 and len(last) == 2 and any(ch.isdigit() for ch in last[0]):
        return Address(", ".join(parts[:-1]), last[1], last[0], country)
    return Address(", ".join(parts), "", "", country)


def legal_mentions(coop: Cooperative, facts: dict[str, str]) -> tuple[str, ...]:
    """The country's invoice mentions with the issuer's facts filled in."""
    brand = coop.plugins.hook.partage_country_brand()
    if brand is None:
        return ()
    mentions = []
    for mention in brand.invoice_legal_mentions:
        try:
            mentions.append(mention.format_map(facts))
        except KeyError as missing:
            raise MissingFact(
                "issuer.facts",
                N_("the legal mention {item_a}... needs the fact {item_b}; add it to the issuer"),
                item_a=repr(mention[:40]),
                item_b=repr(missing.args[0]),
            ) from None
    return tuple(mentions)


def invoice_document(
    session: Session,
    coop: Cooperative,
    invoice: Invoice,
    issuer: Issuer,
    *,
    language: str | None = None,
) -> InvoiceDocument:
    """The neutral document of an issued invoice or credit note."""
    languages = coop.instance.languages
    chosen = language or languages[0]
    if chosen not in languages:
        raise InvalidAct(
            "language",
            N_("{chosen} is not one of the instance's languages {item_a}"),
            chosen=repr(chosen),
            item_a=", ".join(languages),
        )
    currency = coop.currency
    entity = session.get(Entity, invoice.entity_id)
    client = session.get(Party, invoice.party_id)
    assert entity is not None and client is not None
    lines, breakdown, allowances = _lines_and_breakdown(session, coop, invoice)
    facts = issuer.mention_facts()
    credit_note = invoice.kind == InvoiceKind.CREDIT_NOTE.value
    facts["due_date"] = format_date(invoice.due_on, format="long", locale=chosen)
    original = session.get(Invoice, invoice.credits_id) if invoice.credits_id else None
    goods_abroad = any(line.vat_category == "K" for line in lines)
    total = from_minor(invoice.total, currency)
    return InvoiceDocument(
        kind=invoice.kind,
        number=invoice.number,
        issued_on=invoice.issued_on,
        currency=currency,
        language=chosen,
        seller=_seller(issuer, entity),
        buyer=DocumentParty(
            name=client.name,
            address=client_address(client),
            vat_number=client.vat_number,
            email=client.email or None,
            code=client.code,
        ),
        lines=lines,
        vat_breakdown=breakdown,
        net=from_minor(invoice.net, currency),
        vat=from_minor(invoice.vat, currency),
        total=total,
        payable=total,
        due_on=None if credit_note else invoice.due_on,
        payment=None
        if credit_note
        else PaymentInstructions(
            SEPA_CREDIT_TRANSFER,
            issuer.iban,
            payment_reference(coop.plugins, invoice.id, invoice.number),
            issuer.bic,
        ),
        buyer_reference=client.code,
        tender_reference=invoice.tender_reference,
        preceding_invoice=original.number if original else None,
        preceding_issued_on=original.issued_on if original else None,
        notes=legal_mentions(coop, facts) + ((invoice.notes,) if invoice.notes else ()),
        delivery_country=client.country if goods_abroad else None,
        supplied_on=invoice.supplied_on,
        allowances_charges=allowances,
        purpose=invoice.purpose,
        quote_reference=_quote_reference(session, invoice.quote_id),
    )


def client_address(client: Party) -> Address:
    """The client's postal address: its street, postcode and town where the directory
    holds them, else the free text of older records split into those parts."""
    if client.street or client.town:
        return Address(client.street, client.town, client.postcode, client.country)
    return parse_address(client.address, client.country)


def _quote_reference(session: Session, quote_id: int | None) -> str | None:
    if quote_id is None:
        return None
    quote = session.get(Quote, quote_id)
    return quote.reference if quote is not None else None


def _lines_and_breakdown(
    session: Session, coop: Cooperative, invoice: Invoice
) -> tuple[tuple[DocumentLine, ...], tuple[VatBreakdown, ...], tuple[AllowanceCharge, ...]]:
    """The document's lines, its VAT per category and rate (each category with the
    first legal mention its lines carry) and its document-level allowances, one per
    category, as the invoice act derived them; refuses a breakdown whose VAT is not the
    VAT in the books (BR-CO-14)."""
    currency = coop.currency
    rows = session.scalars(
        select(InvoiceLine).where(InvoiceLine.invoice_id == invoice.id).order_by(InvoiceLine.id)
    ).all()
    lines = []
    bases: dict[tuple[str, Decimal], Decimal] = defaultdict(Decimal)
    code_bases: dict[str, Decimal] = defaultdict(Decimal)
    code_keys: dict[str, tuple[str, Decimal]] = {}
    reasons: dict[tuple[str, Decimal], str] = {}
    for number, row in enumerate(rows, start=1):
        rate = Decimal(row.vat_rate)
        category = vat_category(coop, row.vat_code, VatTreatmentKind(row.treatment), rate)
        net = from_minor(row.net, currency)
        lines.append(
            DocumentLine(
                number=str(number),
                description=row.description,
                quantity=Decimal(row.quantity),
                unit_price=from_minor(row.unit_price, currency),
                net=net,
                vat_code=row.vat_code,
                vat_category=category,
                vat_rate=rate,
                unit_code=UNITS.get(row.unit, "C62"),
                allowance=from_minor(row.allowance, currency),
                allowance_percent=None
                if row.discount_percent is None
                else Decimal(row.discount_percent),
            )
        )
        bases[(category, rate)] += net
        if net > 0:  # a balance invoice's deposits deducted were discounted already
            code_bases[row.vat_code] += net
        code_keys[row.vat_code] = (category, rate)
        if row.legal_mention and (category, rate) not in reasons:
            reasons[(category, rate)] = row.legal_mention
    discount = stored_discount(invoice, currency)
    per_key: dict[tuple[str, Decimal], list[Decimal]] = defaultdict(lambda: [Decimal(0)] * 2)
    for code, amount in document_allowances(dict(code_bases), discount, currency).items():
        per_key[code_keys[code]][0] += amount
        per_key[code_keys[code]][1] += code_bases[code]
    percent = None if discount is None or discount.percent is None else Decimal(discount.percent)
    allowances = tuple(
        AllowanceCharge(
            charge=False,
            amount=amount,
            vat_category=cat,
            vat_rate=rate,
            reason="Discount",
            base=base,
            percent=percent,
        )
        for (cat, rate), (amount, base) in sorted(per_key.items())
        if amount
    )
    for allowance in allowances:
        bases[(allowance.vat_category, allowance.vat_rate)] -= allowance.amount
    breakdown = tuple(
        VatBreakdown(cat, rate, base, round_money(base * rate, currency), reasons.get((cat, rate)))
        for (cat, rate), base in sorted(bases.items())
    )
    vat = from_minor(invoice.vat, currency)
    if sum((b.vat for b in breakdown), Decimal(0)) != vat:
        raise InvalidAct(
            "invoice",
            N_("VAT per category sums to {item_a}, the books hold {vat} (BR-CO-14)"),
            value=invoice.number,
            item_a=sum((b.vat for b in breakdown), Decimal(0)),
            vat=vat,
        )
    return tuple(lines), breakdown, allowances


def _seller(issuer: Issuer, entity: Entity) -> DocumentParty:
    """The cooperative as seller, trading under the entity's name."""
    return DocumentParty(
        name=issuer.legal_name,
        address=issuer.address,
        vat_number=issuer.vat_number,
        company_id=issuer.company_id,
        trading_name=entity.name,
        email=issuer.email or None,
        legal_form=issuer.register or None,
        code=entity.code,
    )


def quote_document(
    session: Session,
    coop: Cooperative,
    quote: Quote,
    issuer: Issuer,
    *,
    language: str | None = None,
) -> InvoiceDocument:
    """The printable document of a quote: its lines priced again with the VAT the
    country gave on the quote's date (a quote posts nothing, so it keeps no VAT per
    line), checked against the totals it was sent with; no payment instructions, a
    validity date instead."""
    languages = coop.instance.languages
    chosen = language or languages[0]
    if chosen not in languages:
        raise InvalidAct(
            "language",
            N_("{chosen} is not one of the instance's languages {item_a}"),
            chosen=repr(chosen),
            item_a=", ".join(languages),
        )
    currency = coop.currency
    entity = session.get(Entity, quote.entity_id)
    client = session.get(Party, quote.party_id)
    assert entity is not None and client is not None
    priced = price_lines(coop, quote_lines(quote), client, quote.issued_on)
    discount = stored_discount(quote, currency)
    allowances_by_code = document_allowances(line_bases(priced), discount, currency)
    lines = []
    bases: dict[tuple[str, Decimal], Decimal] = defaultdict(Decimal)
    keys: dict[str, tuple[str, Decimal]] = {}
    reasons: dict[tuple[str, Decimal], str] = {}
    for number, item in enumerate(priced, start=1):
        category = vat_category(coop, item.vat_code, item.treatment, item.rate)
        key = (category, item.rate)
        keys[item.vat_code] = key
        bases[key] += item.net
        if item.mention and key not in reasons:
            reasons[key] = item.mention
        lines.append(
            DocumentLine(
                number=str(number),
                description=item.line.description,
                quantity=item.quantity,
                unit_price=item.unit_price,
                net=item.net,
                vat_code=item.vat_code,
                vat_category=category,
                vat_rate=item.rate,
                unit_code=UNITS.get(item.line.unit, "C62"),
                allowance=item.allowance,
                allowance_percent=item.percent,
            )
        )
    percent = None if discount is None or discount.percent is None else Decimal(discount.percent)
    allowances = []
    for code, amount in sorted(allowances_by_code.items()):
        if not amount:
            continue
        category, rate = keys[code]
        bases[(category, rate)] -= amount
        allowances.append(
            AllowanceCharge(False, amount, category, rate, "Discount", percent=percent)
        )
    breakdown = tuple(
        VatBreakdown(cat, rate, base, round_money(base * rate, currency), reasons.get((cat, rate)))
        for (cat, rate), base in sorted(bases.items())
    )
    net, vat = from_minor(quote.net, currency), from_minor(quote.vat, currency)
    if sum((b.vat for b in breakdown), Decimal(0)) != vat:
        raise InvalidAct(
            "quote",
            N_("VAT per category sums to {item_a}, the quote was sent with {vat}"),
            value=quote.reference,
            item_a=sum((b.vat for b in breakdown), Decimal(0)),
            vat=vat,
        )
    shown = quote.reference if quote.version == 1 else f"{quote.reference}/{quote.version}"
    return InvoiceDocument(
        kind="quote",
        number=shown,
        issued_on=quote.issued_on,
        currency=currency,
        language=chosen,
        seller=_seller(issuer, entity),
        buyer=DocumentParty(
            name=client.name,
            address=client_address(client),
            vat_number=client.vat_number,
            email=client.email or None,
            code=client.code,
        ),
        lines=tuple(lines),
        vat_breakdown=breakdown,
        net=net,
        vat=vat,
        total=net + vat,
        payable=net + vat,
        buyer_reference=client.code,
        notes=(quote.notes,) if quote.notes else (),
        allowances_charges=tuple(allowances),
        quote_reference=quote.reference,
        valid_until=quote.valid_until,
    )
