"""Quotes, invoices and credit notes: what the cooperative sells in an entity's name.

Issuing an invoice posts, in one transaction,

* in the entity's books (sales journal): the client's receivable, the sales per VAT
  category, the VAT collected, and the management fee it owes the cooperative;
* in the cooperative's books: the fee as income, and the share of it allocated to the
  salary guarantee fund.

VAT comes from the country plugin line by line (treatment, rate, legal mention) and is
computed per VAT category on the sum of its lines, rounded half away from zero (EN 16931
rule BR-CO-17). The management fee is the instance's rate in force on the invoice date,
applied to the amount excluding VAT and rounded the same way; a credit note reverses it
pro rata of the amount credited.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import (
    ClosedRecord,
    Cooperative,
    InvalidAct,
    NotFound,
    credit,
    debit,
    lookup,
    next_number,
    positive_amount,
    reference,
)
from partage.core.contract.accounting import PostingRole
from partage.core.contract.money import MoneyError, as_decimal, from_minor, round_money
from partage.core.contract.sectors import ActKind
from partage.core.contract.tax import VatLineContext, VatTreatmentKind
from partage.core.ledger.models import JournalKind
from partage.core.members.models import Entity, Party, PartyKind
from partage.core.members.service import entity_by_code, party_by_code
from partage.core.platform import audit
from partage.core.sales.models import Invoice, InvoiceKind, InvoiceLine, Quote, QuoteStatus
from partage.core.sectors.rules import check_act

#: The payment term of an invoice that names no due date, in calendar days: the default
#: term of payments between businesses (Directive 2011/7/EU art. 3(3)(b)).
DEFAULT_TERMS_DAYS = 30
SUPPLIES = ("services", "goods")


@dataclass(frozen=True)
class LineInput:
    """One line as a member types it.

    Attributes:
        description: what is sold.
        quantity: how many (hours, days, pieces), positive.
        unit_price: price of one, excluding VAT, positive.
        rate_code: the country's VAT rate code; ``None`` for the standard rate.
        supply: ``"services"`` or ``"goods"``.
        exemption: the country plugin's exemption code, if the sale is exempt.
    """

    description: str
    quantity: Decimal | str
    unit_price: Decimal | str
    rate_code: str | None = None
    supply: str = "services"
    exemption: str | None = None


@dataclass(frozen=True)
class _Priced:
    line: LineInput
    quantity: Decimal
    unit_price: Decimal
    net: Decimal
    vat_code: str
    rate: Decimal
    treatment: VatTreatmentKind
    mention: str | None


def _price(coop: Cooperative, lines: Sequence[LineInput], party: Party, on: date) -> list[_Priced]:
    if not lines:
        raise InvalidAct("lines", "an invoice needs at least one line")
    priced = []
    for number, line in enumerate(lines, start=1):
        where = f"lines[{number}]"
        if not line.description.strip():
            raise InvalidAct(f"{where}.description", "is required")
        if line.supply not in SUPPLIES:
            raise InvalidAct(f"{where}.supply", f"{line.supply!r} must be services or goods")
        try:
            quantity = as_decimal(line.quantity, field=f"{where}.quantity")
        except MoneyError as exc:
            raise InvalidAct(exc.field, exc.rule, value=exc.value) from None
        if quantity <= 0:
            raise InvalidAct(f"{where}.quantity", f"{quantity} must be positive")
        price = positive_amount(line.unit_price, coop.currency, field=f"{where}.unit_price")
        treatment = coop.plugins.hook.partage_vat_treatment(
            line=VatLineContext(
                direction="sale",
                on=on,
                rate_code=line.rate_code,
                supply=line.supply,
                counterpart_country=party.country,
                counterpart_vat_number=party.vat_number,
                exemption=line.exemption,
            )
        )
        if treatment is None:
            raise InvalidAct(where, "the country plugin gives no VAT treatment for this line")
        priced.append(
            _Priced(
                line,
                quantity,
                price,
                round_money(quantity * price, coop.currency),
                treatment.vat_code,
                treatment.rate,
                treatment.kind,
                treatment.legal_mention,
            )
        )
    return priced


def _vat_by_code(priced: Sequence[_Priced], currency: str) -> dict[str, tuple[Decimal, Decimal]]:
    """Base and VAT per VAT code: VAT on the category's summed base (BR-CO-17)."""
    bases: dict[str, Decimal] = defaultdict(Decimal)
    rates: dict[str, Decimal] = {}
    for item in priced:
        bases[item.vat_code] += item.net
        rates[item.vat_code] = item.rate
    return {code: (base, round_money(base * rates[code], currency)) for code, base in bases.items()}


def _totals(by_code: dict[str, tuple[Decimal, Decimal]]) -> tuple[Decimal, Decimal]:
    """Net and VAT of a document: the sums of its VAT categories."""
    net = sum((b for b, _ in by_code.values()), Decimal(0))
    return net, sum((v for _, v in by_code.values()), Decimal(0))


def fee_rate_on(coop: Cooperative, on: date) -> Decimal:
    """The management fee rate in force on a day."""
    return coop.instance.fee_rate_on(on)


def _client(session: Session, code: str) -> Party:
    party = party_by_code(session, code)
    if party.kind == PartyKind.SUPPLIER.value:
        raise InvalidAct("client", f"party {code} is registered as a supplier only")
    if party.defaulted_on is not None:
        raise ClosedRecord("client", f"party {code} is in default since {party.defaulted_on}")
    return party


def _post_sale(
    session: Session,
    coop: Cooperative,
    *,
    invoice: Invoice,
    entity: Entity,
    party: Party,
    by_code: dict[str, tuple[Decimal, Decimal]],
    fee: Decimal,
    allocation: Decimal,
    actor: str,
    sign: int,
) -> None:
    """Post an invoice (``sign`` 1) or a credit note (``sign`` -1) in both books."""
    out, back = (debit, credit) if sign > 0 else (credit, debit)
    total = sum((b + v for b, v in by_code.values()), Decimal(0))
    entity_lines = [out(PostingRole.CLIENTS, total, partner=party.code)]
    for code, (base, vat) in sorted(by_code.items()):
        entity_lines.append(back(PostingRole.SALES, base, partner=party.code, vat_code=code))
        entity_lines.append(back(PostingRole.VAT_COLLECTED, vat, partner=party.code, vat_code=code))
    entity_lines += [
        out(PostingRole.MANAGEMENT_FEE_EXPENSE, fee),
        back(PostingRole.ENTITY_CURRENT_ACCOUNT, fee, partner="cooperative"),
    ]
    act = (invoice.kind, invoice.number)
    what = "Credit note" if sign < 0 else "Invoice"
    coop.post(
        session,
        book=entity.code,
        journal=JournalKind.SALES,
        on=invoice.issued_on,
        lines=entity_lines,
        act=act,
        actor=actor,
        reference=invoice.number,
        description=f"{what} {invoice.number} to {party.name}",
    )
    if fee:
        coop.post(
            session,
            book="cooperative",
            journal=JournalKind.SALES,
            on=invoice.issued_on,
            lines=[
                out(PostingRole.ENTITY_CURRENT_ACCOUNT, fee, partner=entity.code),
                back(PostingRole.MANAGEMENT_FEE_INCOME, fee, partner=entity.code),
                out(PostingRole.GUARANTEE_FUND_ALLOCATION, allocation),
                back(PostingRole.GUARANTEE_FUND, allocation),
            ],
            act=act,
            actor=actor,
            reference=invoice.number,
            description=f"Management fee on {invoice.number} ({entity.code})",
        )


def _new_invoice(
    session: Session, kind: InvoiceKind, series: str, on: date, **fields: object
) -> Invoice:
    sequence = next_number(session, series, on.year)
    invoice = Invoice(
        kind=kind.value,
        series=series,
        year=on.year,
        sequence=sequence,
        number=reference(series, sequence, on.year),
        issued_on=on,
        **fields,
    )
    session.add(invoice)
    session.flush()
    return invoice


def _store_lines(
    session: Session, invoice: Invoice, priced: Sequence[_Priced], coop: Cooperative
) -> None:
    session.add_all(
        InvoiceLine(
            invoice_id=invoice.id,
            description=p.line.description.strip(),
            quantity=p.quantity,
            unit_price=coop.minor(p.unit_price),
            net=coop.minor(p.net),
            vat_code=p.vat_code,
            vat_rate=p.rate,
            treatment=p.treatment.value,
            legal_mention=p.mention,
        )
        for p in priced
    )


def issue_invoice(
    session: Session,
    coop: Cooperative,
    *,
    entity: str,
    client: str,
    lines: Sequence[LineInput],
    on: date,
    actor: str,
    due_on: date | None = None,
    series: str = "F",
    quote: str | None = None,
    tender_reference: str | None = None,
) -> Invoice:
    """Issue an invoice in an entity's name; number it gaplessly in its series and year.

    ``quote`` names an accepted quote it carries out; ``tender_reference`` marks the
    answer to a public tender. Refuses a closed or unknown entity, an unknown client,
    a client in default, a due date before the invoice date, and bad lines.
    """
    holder = entity_by_code(session, entity)
    party = _client(session, client)
    check_act(session, coop, holder, ActKind.INVOICE, on, counterpart=party)
    due = due_on or on + timedelta(days=DEFAULT_TERMS_DAYS)
    if due < on:
        raise InvalidAct("due_on", f"{due} is before the invoice date {on}")
    quote_id = None
    if quote is not None:
        accepted = session.scalars(
            select(Quote).where(Quote.reference == quote, Quote.status == QuoteStatus.ACCEPTED)
        ).one_or_none()
        if accepted is None:
            raise InvalidAct("quote", f"{quote} has no accepted version")
        quote_id = accepted.id
    priced = _price(coop, lines, party, on)
    by_code = _vat_by_code(priced, coop.currency)
    net, vat = _totals(by_code)
    rate = fee_rate_on(coop, on)
    fee = round_money(net * rate, coop.currency)
    allocation = round_money(fee * coop.instance.guarantee_fund_share, coop.currency)
    invoice = _new_invoice(
        session,
        InvoiceKind.INVOICE,
        series,
        on,
        entity_id=holder.id,
        party_id=party.id,
        quote_id=quote_id,
        due_on=due,
        net=coop.minor(net),
        vat=coop.minor(vat),
        fee=coop.minor(fee),
        fee_rate=rate,
        tender_reference=tender_reference,
    )
    _store_lines(session, invoice, priced, coop)
    _post_sale(
        session,
        coop,
        invoice=invoice,
        entity=holder,
        party=party,
        by_code=by_code,
        fee=fee,
        allocation=allocation,
        actor=actor,
        sign=1,
    )
    audit.record(
        session,
        actor=actor,
        action="invoice.issue",
        subject=f"invoice:{invoice.number}",
        reason=f"sale of entity {holder.code} to {party.code}",
        data={"net": str(net), "vat": str(vat), "fee": str(fee), "fee_rate": str(rate)},
    )
    return invoice


def invoice_by_number(session: Session, number: str) -> Invoice:
    invoice = lookup(session, Invoice, "number", number, "invoice")
    assert isinstance(invoice, Invoice)
    return invoice


def issue_credit_note(
    session: Session,
    coop: Cooperative,
    *,
    invoice: str,
    on: date,
    actor: str,
    reason: str,
    lines: Sequence[LineInput] | None = None,
    series: str = "C",
) -> Invoice:
    """Credit an invoice in full (``lines`` omitted) or in part.

    The credited amount excluding VAT may not exceed what is left of the invoice after
    earlier credit notes. The fee and the fund's allocation are reversed pro rata.
    """
    if not reason.strip():
        raise InvalidAct("reason", "a credit note needs a reason")
    original = invoice_by_number(session, invoice)
    if original.kind != InvoiceKind.INVOICE.value:
        raise InvalidAct("invoice", f"{invoice} is a credit note; credit the invoice itself")
    if on < original.issued_on:
        raise InvalidAct("on", f"{on} is before the invoice date {original.issued_on}")
    holder = session.get(Entity, original.entity_id)
    party = session.get(Party, original.party_id)
    assert holder is not None and party is not None
    check_act(session, coop, holder, ActKind.CREDIT_NOTE, on, counterpart=party)
    if lines is None:
        stored = session.scalars(
            select(InvoiceLine).where(InvoiceLine.invoice_id == original.id)
        ).all()
        lines = [
            LineInput(
                s.description,
                Decimal(s.quantity),
                from_minor(s.unit_price, coop.currency),
                supply="services",
            )
            for s in stored
        ]
        priced = [
            _Priced(
                line,
                Decimal(s.quantity),
                from_minor(s.unit_price, coop.currency),
                from_minor(s.net, coop.currency),
                s.vat_code,
                Decimal(s.vat_rate),
                VatTreatmentKind(s.treatment),
                s.legal_mention,
            )
            for line, s in zip(lines, stored, strict=True)
        ]
    else:
        priced = _price(coop, lines, party, original.issued_on)
    by_code = _vat_by_code(priced, coop.currency)
    net, vat = _totals(by_code)
    already = session.scalar(
        select(func.coalesce(func.sum(Invoice.net), 0)).where(Invoice.credits_id == original.id)
    )
    left = from_minor(original.net - int(already or 0), coop.currency)
    if net > left:
        raise InvalidAct(
            "lines",
            f"credit of {net} {coop.currency} exceeds the {left} {coop.currency} "
            f"left to credit on {original.number}",
        )
    original_net = from_minor(original.net, coop.currency)
    fee = round_money(from_minor(original.fee, coop.currency) * net / original_net, coop.currency)
    allocation = round_money(fee * coop.instance.guarantee_fund_share, coop.currency)
    note = _new_invoice(
        session,
        InvoiceKind.CREDIT_NOTE,
        series,
        on,
        entity_id=holder.id,
        party_id=party.id,
        credits_id=original.id,
        due_on=on,
        net=coop.minor(net),
        vat=coop.minor(vat),
        fee=coop.minor(fee),
        fee_rate=Decimal(original.fee_rate),
    )
    _store_lines(session, note, priced, coop)
    _post_sale(
        session,
        coop,
        invoice=note,
        entity=holder,
        party=party,
        by_code=by_code,
        fee=fee,
        allocation=allocation,
        actor=actor,
        sign=-1,
    )
    audit.record(
        session,
        actor=actor,
        action="credit_note.issue",
        subject=f"invoice:{note.number}",
        reason=reason,
        data={"credits": original.number, "net": str(net), "vat": str(vat), "fee": str(fee)},
    )
    return note


# --- quotes ---------------------------------------------------------------------------
def send_quote(
    session: Session,
    coop: Cooperative,
    *,
    entity: str,
    client: str,
    lines: Sequence[LineInput],
    on: date,
    valid_days: int = 30,
    revises: str | None = None,
    actor: str,
) -> Quote:
    """Send a quote, or a new version of one (``revises``: its reference). A quote posts
    nothing; the previous version is superseded."""
    holder = entity_by_code(session, entity)
    party = _client(session, client)
    check_act(session, coop, holder, ActKind.QUOTE, on, counterpart=party)
    if valid_days <= 0:
        raise InvalidAct("valid_days", f"{valid_days} must be positive")
    priced = _price(coop, lines, party, on)
    by_code = _vat_by_code(priced, coop.currency)
    net, vat = _totals(by_code)
    version = 1
    if revises is not None:
        previous = session.scalars(
            select(Quote).where(Quote.reference == revises).order_by(Quote.version.desc())
        ).first()
        if previous is None:
            raise NotFound("quote", "no such quote", value=repr(revises))
        if previous.status != QuoteStatus.SENT:
            raise ClosedRecord(
                "quote", f"version {previous.version} is {previous.status}", value=revises
            )
        previous.status = QuoteStatus.SUPERSEDED.value
        version, ref = previous.version + 1, revises
    else:
        ref = reference("Q", next_number(session, "Q", on.year), on.year)
    quote = Quote(
        reference=ref,
        version=version,
        entity_id=holder.id,
        party_id=party.id,
        issued_on=on,
        valid_until=on + timedelta(days=valid_days),
        status=QuoteStatus.SENT.value,
        net=coop.minor(net),
        vat=coop.minor(vat),
        lines=json.dumps(
            [
                {
                    "description": p.line.description,
                    "quantity": str(p.quantity),
                    "unit_price": str(p.unit_price),
                    "rate_code": p.line.rate_code,
                    "supply": p.line.supply,
                    "exemption": p.line.exemption,
                }
                for p in priced
            ]
        ),
    )
    session.add(quote)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="quote.send",
        subject=f"quote:{ref}/{version}",
        data={"net": str(net)},
    )
    return quote


def decide_quote(
    session: Session, coop: Cooperative, reference_: str, *, accept: bool, on: date, actor: str
) -> Quote:
    """Record the client's answer on the latest version of a quote.

    An answer after ``valid_until`` comes too late: the quote is recorded as expired,
    with its audit record, and returned with status ``expired`` — not raised, since
    raising would roll the caller's transaction back and lose the expiry. The caller
    reads ``status`` to tell the client the quote lapsed (a new quote is needed). A
    quote no longer open to an answer (accepted, refused, expired, superseded) is
    refused with :class:`ClosedRecord`.
    """
    quote = session.scalars(
        select(Quote).where(Quote.reference == reference_).order_by(Quote.version.desc())
    ).first()
    if quote is None:
        raise NotFound("quote", "no such quote", value=repr(reference_))
    if quote.status != QuoteStatus.SENT:
        raise ClosedRecord("quote", f"version {quote.version} is {quote.status}", value=reference_)
    if on > quote.valid_until:
        quote.status = QuoteStatus.EXPIRED.value
        audit.record(
            session,
            actor=actor,
            action="quote.expire",
            subject=f"quote:{reference_}/{quote.version}",
            reason=f"answered on {on}, valid until {quote.valid_until}",
        )
        session.flush()
        return quote
    quote.status = (QuoteStatus.ACCEPTED if accept else QuoteStatus.REFUSED).value
    audit.record(
        session,
        actor=actor,
        action=f"quote.{'accept' if accept else 'refuse'}",
        subject=f"quote:{reference_}/{quote.version}",
    )
    return quote


def quote_lines(quote: Quote) -> list[LineInput]:
    """The lines of a quote, to invoice it as accepted."""
    return [LineInput(**line) for line in json.loads(quote.lines)]
