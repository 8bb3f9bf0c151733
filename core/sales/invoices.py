"""Quotes and invoices: what the cooperative sells in an entity's name, line by line.

Issuing an invoice numbers it, posts the sale in the entity's books and the management
fee in the cooperative's, in one transaction (:mod:`partage.core.sales.recording`).
VAT comes from the country plugin line by line (treatment, rate, legal mention) and is
computed per VAT category on the sum of its lines, rounded half away from zero (EN 16931
rule BR-CO-17). The management fee is the instance's rate in force on the invoice date,
applied to the amount excluding VAT and rounded the same way. Credit notes
(:mod:`partage.core.sales.credit_notes`) price their lines here too.
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
    lookup,
    next_number,
    positive_amount,
    reference,
    within_bounds,
)
from partage.core.contract.errors import N_, Word
from partage.core.contract.money import (
    MoneyError,
    as_decimal,
    from_minor,
    largest_act_amount,
    round_money,
)
from partage.core.contract.sectors import ActKind
from partage.core.contract.tax import VatLineContext, VatTreatmentKind
from partage.core.members.clients import invoicing_address
from partage.core.members.models import Entity, Party, PartyKind
from partage.core.members.service import entity_by_code, party_by_code
from partage.core.platform import audit
from partage.core.sales.fund_cover import cover_shortfall
from partage.core.sales.models import Invoice, InvoiceKind, InvoiceLine, Quote, QuoteStatus
from partage.core.sales.recording import new_invoice, post_sale
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
class PricedLine:
    """A line with its VAT as the country plugin treats it, as an invoice stores it.

    Attributes:
        line: the line as typed.
        quantity: how many, exact.
        unit_price: price of one, excluding VAT, in the currency's minor unit.
        net: quantity times unit price, rounded to the minor unit.
        vat_code: the VAT category the line falls in.
        rate: that category's rate, a fraction.
        treatment: standard, reduced, exempt, reverse charge...
        mention: the legal mention the document prints, if any.
    """

    line: LineInput
    quantity: Decimal
    unit_price: Decimal
    net: Decimal
    vat_code: str
    rate: Decimal
    treatment: VatTreatmentKind
    mention: str | None


def price_lines(
    coop: Cooperative, lines: Sequence[LineInput], party: Party, on: date
) -> list[PricedLine]:
    """Check each line and ask the country plugin for its VAT on ``on``; refuses an empty
    document, a line without description, a non-positive quantity or price, an unknown
    supply, and a line the plugin gives no treatment."""
    if not lines:
        raise InvalidAct("lines", N_("an invoice needs at least one line"))
    priced = []
    for number, line in enumerate(lines, start=1):
        where = f"lines[{number}]"
        if not line.description.strip():
            raise InvalidAct(f"{where}.description", N_("is required"))
        if line.supply not in SUPPLIES:
            raise InvalidAct(
                f"{where}.supply",
                N_("{line_supply} must be services or goods"),
                line_supply=repr(line.supply),
            )
        try:
            quantity = as_decimal(line.quantity, field=f"{where}.quantity")
        except MoneyError as exc:
            raise InvalidAct(exc.field, exc.template, value=exc.value, **exc.params) from None
        if quantity <= 0:
            raise InvalidAct(
                f"{where}.quantity", N_("{quantity} must be positive"), quantity=quantity
            )
        price = positive_amount(line.unit_price, coop.currency, field=f"{where}.unit_price")
        net = within_bounds(
            round_money(quantity * price, coop.currency), coop.currency, field=f"{where}.quantity"
        )
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
            raise InvalidAct(where, N_("the country plugin gives no VAT treatment for this line"))
        priced.append(
            PricedLine(
                line,
                quantity,
                price,
                net,
                treatment.vat_code,
                treatment.rate,
                treatment.kind,
                treatment.legal_mention,
            )
        )
    within_bounds(sum((p.net for p in priced), Decimal(0)), coop.currency, field="lines")
    return priced


def vat_by_code(priced: Sequence[PricedLine], currency: str) -> dict[str, tuple[Decimal, Decimal]]:
    """Base and VAT per VAT code: VAT on the category's summed base (BR-CO-17)."""
    bases: dict[str, Decimal] = defaultdict(Decimal)
    rates: dict[str, Decimal] = {}
    for item in priced:
        bases[item.vat_code] += item.net
        rates[item.vat_code] = item.rate
    return {code: (base, round_money(base * rates[code], currency)) for code, base in bases.items()}


def document_totals(by_code: dict[str, tuple[Decimal, Decimal]]) -> tuple[Decimal, Decimal]:
    """Net and VAT of a document: the sums of its VAT categories."""
    net = sum((b for b, _ in by_code.values()), Decimal(0))
    return net, sum((v for _, v in by_code.values()), Decimal(0))


def payable_totals(
    by_code: dict[str, tuple[Decimal, Decimal]], currency: str
) -> tuple[Decimal, Decimal]:
    """Net and VAT of a document its client pays in one act: refused, naming the lines,
    when the total, VAT included, is more than one act may carry
    (:data:`~partage.core.contract.money.MAX_ACT_MINOR`), since no payment of it could
    then be received."""
    net, vat = document_totals(by_code)
    largest = largest_act_amount(currency)
    if net + vat > largest:
        raise InvalidAct(
            "lines",
            N_(
                "the total, VAT included, {item_a} is more than one act may "
                "carry, {largest}: no payment of it could be received"
            ),
            item_a=net + vat,
            largest=largest,
        )
    return net, vat


def fee_rate_on(coop: Cooperative, on: date) -> Decimal:
    """The management fee rate in force on a day."""
    return coop.instance.fee_rate_on(on)


def _client(session: Session, code: str) -> Party:
    party = party_by_code(session, code)
    if party.kind == PartyKind.SUPPLIER.value:
        raise InvalidAct("client", N_("party {code} is registered as a supplier only"), code=code)
    if party.defaulted_on is not None:
        raise ClosedRecord(
            "client",
            N_("party {code} is in default since {party_defaulted_on}"),
            code=code,
            party_defaulted_on=party.defaulted_on,
        )
    return party


def store_lines(
    session: Session, invoice: Invoice, priced: Sequence[PricedLine], coop: Cooperative
) -> None:
    """Store an invoice's or credit note's priced lines."""
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


#: The longest public-tender reference an invoice keeps (``invoice.tender_reference``).
TENDER_REFERENCE_LENGTH = 64


def tender_of(given: str | None) -> str | None:
    """A public tender's or lot's reference as the invoice keeps it (BT-17): trimmed,
    ``None`` when blank, refused when longer than the column or not printable."""
    if given is None or not given.strip():
        return None
    reference = " ".join(given.split())
    if len(reference) > TENDER_REFERENCE_LENGTH:
        raise InvalidAct(
            "tender_reference",
            N_("{item_a}... is longer than {length} characters"),
            item_a=repr(reference[:20]),
            length=TENDER_REFERENCE_LENGTH,
        )
    if not reference.isprintable():
        raise InvalidAct(
            "tender_reference", N_("the tender reference holds unprintable characters")
        )
    return reference


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
    a client in default, a date outside the window of act dates, a due date before the
    invoice date or beyond the longest payment term, a client with no postal address,
    and bad lines.
    """
    coop.dated(on)
    term = min(DEFAULT_TERMS_DAYS, coop.payment_term_days(on))
    due = coop.due(on, due_on or on + timedelta(days=term))
    holder = entity_by_code(session, entity)
    party = _client(session, client)
    invoicing_address(party)
    tender_reference = tender_of(tender_reference)
    check_act(session, coop, holder, ActKind.INVOICE, on, counterpart=party)
    priced = price_lines(coop, lines, party, on)
    by_code = vat_by_code(priced, coop.currency)
    net, vat = payable_totals(by_code, coop.currency)
    quote_id = None if quote is None else _carry_out(session, coop, quote, holder, party, net).id
    rate = fee_rate_on(coop, on)
    fee = round_money(net * rate, coop.currency)
    allocation = round_money(fee * coop.instance.guarantee_fund_share, coop.currency)
    invoice = new_invoice(
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
    store_lines(session, invoice, priced, coop)
    post_sale(
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
    # its VAT and fee are owed at once; beyond the coverage ceiling, the fund advances
    cover_shortfall(session, coop, holder, on=on, actor=actor, cause=f"invoice {invoice.number}")
    audit.record(
        session,
        actor=actor,
        action="invoice.issue",
        subject=f"invoice:{invoice.number}",
        reason=f"sale of entity {holder.code} to {party.code}",
        data={"net": str(net), "vat": str(vat), "fee": str(fee), "fee_rate": str(rate)},
    )
    return invoice


def _carry_out(
    session: Session, coop: Cooperative, reference_: str, holder: Entity, party: Party, net: Decimal
) -> Quote:
    """The accepted quote an invoice of ``net`` carries out, if that invoice fits in it.

    A quote is carried out once: a deposit and partial invoices may follow it, but what
    its invoices charge excluding VAT, less what credit notes gave back on them, never
    exceeds the net total the client accepted (the price agreed is the net; the VAT is
    the law's on the day of each invoice). Only the entity that made the quote may cite
    it, invoicing the client it was made to. The quote's row is locked first, so two
    invoices of one quote are checked one after the other.
    """
    accepted = session.scalars(
        select(Quote)
        .where(Quote.reference == reference_, Quote.status == QuoteStatus.ACCEPTED)
        .with_for_update()
    ).one_or_none()
    if accepted is None:
        raise InvalidAct("quote", N_("{reference} has no accepted version"), reference=reference_)
    if accepted.entity_id != holder.id:
        maker = session.get_one(Entity, accepted.entity_id).code
        raise InvalidAct(
            "quote",
            N_("{reference} was made by entity {maker}"),
            value=holder.code,
            reference=reference_,
            maker=maker,
        )
    if accepted.party_id != party.id:
        client = session.get_one(Party, accepted.party_id).code
        raise InvalidAct(
            "quote",
            N_("{reference} was made to {client}"),
            value=party.code,
            reference=reference_,
            client=client,
        )
    versions = select(Quote.id).where(Quote.reference == reference_)
    on_quote = select(Invoice.id).where(Invoice.quote_id.in_(versions))
    charged = session.scalar(select(func.coalesce(func.sum(Invoice.net), 0)).where(
        Invoice.id.in_(on_quote)
    ))  # fmt: skip
    given_back = session.scalar(select(func.coalesce(func.sum(Invoice.net), 0)).where(
        Invoice.credits_id.in_(on_quote)
    ))  # fmt: skip
    invoiced = from_minor(int(charged or 0) - int(given_back or 0), coop.currency)
    agreed = from_minor(accepted.net, coop.currency)
    if invoiced + net > agreed:
        raise InvalidAct(
            "quote",
            N_(
                "{reference} would be invoiced past its total: {invoiced} "
                "already invoiced of {agreed}, {net} more asked, at most "
                "{item_a} left"
            ),
            value=reference_,
            reference=reference_,
            invoiced=invoiced,
            agreed=agreed,
            net=net,
            item_a=agreed - invoiced,
        )
    return accepted


def invoices_of_quote(session: Session, reference_: str) -> list[Invoice]:
    """The invoices that carry out a quote (any of its versions), oldest first."""
    versions = select(Quote.id).where(Quote.reference == reference_)
    return list(
        session.scalars(select(Invoice).where(Invoice.quote_id.in_(versions)).order_by(Invoice.id))
    )


def invoice_by_number(session: Session, number: str) -> Invoice:
    """The invoice or credit note of that number; refuses an unknown one."""
    invoice = lookup(session, Invoice, "number", number, "invoice")
    assert isinstance(invoice, Invoice)
    return invoice


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
        raise InvalidAct("valid_days", N_("{valid_days} must be positive"), valid_days=valid_days)
    priced = price_lines(coop, lines, party, on)
    by_code = vat_by_code(priced, coop.currency)
    net, vat = payable_totals(by_code, coop.currency)
    version = 1
    if revises is not None:
        previous = session.scalars(
            select(Quote).where(Quote.reference == revises).order_by(Quote.version.desc())
        ).first()
        if previous is None:
            raise NotFound("quote", N_("no such quote"), value=repr(revises))
        if previous.status != QuoteStatus.SENT:
            raise ClosedRecord(
                "quote",
                N_("version {previous_version} is {previous_status}"),
                value=revises,
                previous_version=previous.version,
                previous_status=Word(previous.status),
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
        raise NotFound("quote", N_("no such quote"), value=repr(reference_))
    if quote.status != QuoteStatus.SENT:
        raise ClosedRecord(
            "quote",
            N_("version {quote_version} is {quote_status}"),
            value=reference_,
            quote_version=quote.version,
            quote_status=Word(quote.status),
        )
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
