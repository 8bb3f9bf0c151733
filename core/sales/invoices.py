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

import enum
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
from partage.core.sales.recording import new_invoice, post_sale, series_of
from partage.core.sectors.rules import check_act

#: The payment term of an invoice that names no due date, in calendar days: the default
#: term of payments between businesses (Directive 2011/7/EU art. 3(3)(b)).
DEFAULT_TERMS_DAYS = 30
SUPPLIES = ("services", "goods")
#: The units a line may be counted in, with their UN/ECE recommendation 20 code
#: (EN 16931 BT-130): ``flat`` is a lump sum.
UNITS = {
    "piece": "H87",
    "hour": "HUR",
    "day": "DAY",
    "month": "MON",
    "km": "KMT",
    "kg": "KGM",
    "flat": "LS",
    "unit": "C62",
}
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Discount:
    """A discount as a member gives it: a percentage or an amount, never both.

    On a line it is the line's allowance (EN 16931 BT-136); on a document it is a
    document-level allowance (BG-20), one per VAT category, pro rata of its base.

    Attributes:
        percent: the percentage off, between 0 and 100.
        amount: the amount off, excluding VAT.
    """

    percent: Decimal | str | None = None
    amount: Decimal | str | None = None

    def __bool__(self) -> bool:
        return self.percent not in (None, "") or self.amount not in (None, "")


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
        unit: what the quantity counts, one of :data:`UNITS`.
        discount_percent, discount_amount: the line's discount, one or none.
    """

    description: str
    quantity: Decimal | str
    unit_price: Decimal | str
    rate_code: str | None = None
    supply: str = "services"
    exemption: str | None = None
    unit: str = "unit"
    discount_percent: Decimal | str | None = None
    discount_amount: Decimal | str | None = None


@dataclass(frozen=True)
class PricedLine:
    """A line with its VAT as the country plugin treats it, as an invoice stores it.

    Attributes:
        line: the line as typed.
        quantity: how many, exact.
        unit_price: price of one, excluding VAT, in the currency's minor unit.
        net: quantity times unit price, rounded to the minor unit, less the line's
            allowance (EN 16931 BT-131).
        vat_code: the VAT category the line falls in.
        rate: that category's rate, a fraction.
        treatment: standard, reduced, exempt, reverse charge...
        mention: the legal mention the document prints, if any.
        allowance: the line's discount, in money (BT-136).
        percent: the line's discount as the percentage typed, if it was one.
    """

    line: LineInput
    quantity: Decimal
    unit_price: Decimal
    net: Decimal
    vat_code: str
    rate: Decimal
    treatment: VatTreatmentKind
    mention: str | None
    allowance: Decimal = Decimal(0)
    percent: Decimal | None = None


def _decimal(raw: Decimal | str, field: str) -> Decimal:
    try:
        return as_decimal(raw, field=field)
    except MoneyError as exc:
        raise InvalidAct(exc.field, exc.template, value=exc.value, **exc.params) from None


def allowance_of(
    discount: Discount, base: Decimal, currency: str, field: str
) -> tuple[Decimal, Decimal | None]:
    """The money a discount takes off ``base`` and the percentage it was, if one.

    A percentage is applied to the base and rounded half away from zero to the minor
    unit; an amount is taken as typed. Refuses both at once, a negative discount, a
    percentage above 100 and an amount above the base.
    """
    has_percent = discount.percent not in (None, "")
    has_amount = discount.amount not in (None, "")
    if has_percent and has_amount:
        raise InvalidAct(field, N_("give a percentage or an amount, not both"))
    if has_percent:
        assert discount.percent is not None
        percent = _decimal(discount.percent, f"{field}.percent")
        if not Decimal(0) <= percent <= HUNDRED:
            raise InvalidAct(
                f"{field}.percent", N_("{percent} must be between 0 and 100"), percent=percent
            )
        return round_money(base * percent / HUNDRED, currency), percent
    if has_amount:
        assert discount.amount is not None
        amount = _decimal(discount.amount, f"{field}.amount")
        if amount < 0 or round_money(amount, currency) != amount:
            raise InvalidAct(
                f"{field}.amount",
                N_("{amount} must be a positive amount in cents"),
                amount=amount,
            )
        if amount > base:
            raise InvalidAct(
                f"{field}.amount",
                N_("the discount {amount} is more than the {base} it applies to"),
                amount=amount,
                base=base,
            )
        return amount, None
    return Decimal(0), None


def split_pro_rata(
    total: Decimal, weights: dict[str, Decimal], currency: str
) -> dict[str, Decimal]:
    """``total`` shared pro rata of ``weights``, each share rounded to the minor unit;
    the rounding remainder goes to the largest weight, so the shares sum to ``total``."""
    whole = sum(weights.values(), Decimal(0))
    if not weights or whole == 0:
        return {key: Decimal(0) for key in weights}
    shares = {key: round_money(total * w / whole, currency) for key, w in weights.items()}
    largest = max(sorted(weights), key=lambda key: weights[key])
    shares[largest] += total - sum(shares.values(), Decimal(0))
    return shares


def line_bases(priced: Sequence[PricedLine]) -> dict[str, Decimal]:
    """The sum of the lines' net amounts per VAT code."""
    bases: dict[str, Decimal] = defaultdict(Decimal)
    for item in priced:
        bases[item.vat_code] += item.net
    return dict(bases)


def document_allowances(
    bases: dict[str, Decimal], discount: Discount | None, currency: str
) -> dict[str, Decimal]:
    """A document discount as EN 16931 document-level allowances, one per VAT code of
    the lines (``bases``: their net sums): a percentage is taken off each code's base
    and rounded; an amount is shared pro rata of the bases (:func:`split_pro_rata`)."""
    if not discount:
        return {}
    whole = sum(bases.values(), Decimal(0))
    allowance, percent = allowance_of(discount, whole, currency, "discount")
    if percent is not None:
        return {
            code: round_money(base * percent / HUNDRED, currency) for code, base in bases.items()
        }
    return split_pro_rata(allowance, dict(bases), currency)


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
        if line.unit not in UNITS:
            raise InvalidAct(f"{where}.unit", N_("{unit} is not a unit"), unit=repr(line.unit))
        quantity = _decimal(line.quantity, f"{where}.quantity")
        if quantity <= 0:
            raise InvalidAct(
                f"{where}.quantity", N_("{quantity} must be positive"), quantity=quantity
            )
        price = positive_amount(line.unit_price, coop.currency, field=f"{where}.unit_price")
        gross = within_bounds(
            round_money(quantity * price, coop.currency), coop.currency, field=f"{where}.quantity"
        )
        allowance, percent = allowance_of(
            Discount(line.discount_percent, line.discount_amount),
            gross,
            coop.currency,
            f"{where}.discount",
        )
        net = gross - allowance
        treatment = coop.plugins.hook.partage_vat_treatment(
            line=VatLineContext(
                direction="sale",
                on=on,
                rate_code=line.rate_code,
                supply=line.supply,
                counterpart_country=party.country,
                counterpart_vat_number=party.vat_number,
                exemption=line.exemption,
                vat_on_debits=coop.instance.vat_on_debits,
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
                allowance,
                percent,
            )
        )
    within_bounds(sum((p.net for p in priced), Decimal(0)), coop.currency, field="lines")
    return priced


def vat_by_code(
    priced: Sequence[PricedLine], currency: str, allowances: dict[str, Decimal] | None = None
) -> dict[str, tuple[Decimal, Decimal]]:
    """Base and VAT per VAT code: VAT on the category's summed base less its
    document-level allowance (BR-CO-17, BR-CO-13)."""
    bases: dict[str, Decimal] = defaultdict(Decimal)
    rates: dict[str, Decimal] = {}
    for item in priced:
        bases[item.vat_code] += item.net
        rates[item.vat_code] = item.rate
    for code, allowance in (allowances or {}).items():
        bases[code] -= allowance
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
            unit=p.line.unit,
            allowance=coop.minor(p.allowance),
            discount_percent=p.percent,
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


def stored_discount(invoice: Invoice | Quote, currency: str) -> Discount | None:
    """The document discount an invoice or quote was issued with."""
    if invoice.discount_percent is not None:
        return Discount(percent=Decimal(invoice.discount_percent))
    if invoice.discount_amount is not None:
        return Discount(amount=from_minor(invoice.discount_amount, currency))
    return None


def _discount_fields(
    coop: Cooperative, discount: Discount | None, allowances: dict[str, Decimal]
) -> dict[str, object]:
    """The columns that keep a document discount as it was given."""
    if not discount or not allowances:
        return {"discount_percent": None, "discount_amount": None}
    if discount.percent not in (None, ""):
        assert discount.percent is not None
        return {"discount_percent": Decimal(discount.percent), "discount_amount": None}
    return {
        "discount_percent": None,
        "discount_amount": coop.minor(sum(allowances.values(), Decimal(0))),
    }


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
    discount: Discount | None = None,
    notes: str = "",
    purpose: str | None = None,
    deductions: Sequence[PricedLine] = (),
    supplied_on: date | None = None,
) -> Invoice:
    """Issue an invoice in an entity's name; number it gaplessly in its series and year.

    ``supplied_on`` is the day of the supply when it differs from ``on`` (kept and
    printed then: Directive 2006/112/EC art. 226 7°, BE AR n°1 art. 5 §1, FR CGI
    ann. II art. 242 nonies A I).

    ``quote`` names an accepted quote it carries out; ``tender_reference`` marks the
    answer to a public tender; ``discount`` is the document's own discount (document-
    level allowances); ``notes`` the free text it prints; ``purpose`` marks a deposit
    or balance invoice of ``quote``, whose ``deductions`` are the deposits it deducts
    (negative lines already priced). Refuses a closed or unknown entity, an unknown
    client, a client in default, a date outside the window of act dates, a due date
    before the invoice date or beyond the longest payment term, a client with no postal
    address, and bad lines.
    """
    coop.dated(on)
    term = min(DEFAULT_TERMS_DAYS, coop.payment_term_days(on))
    due = coop.due(on, due_on or on + timedelta(days=term))
    holder = entity_by_code(session, entity)
    party = _client(session, client)
    invoicing_address(party)
    tender_reference = tender_of(tender_reference)
    check_act(session, coop, holder, ActKind.INVOICE, on, counterpart=party)
    own = price_lines(coop, lines, party, on)
    # the document discount is on the lines sold; deposits deducted were discounted already
    allowances = document_allowances(line_bases(own), discount, coop.currency)
    priced = own + list(deductions)
    by_code = vat_by_code(priced, coop.currency, allowances)
    if any(base < 0 for base, _ in by_code.values()):
        raise InvalidAct("lines", N_("the deductions are more than the lines they apply to"))
    net, vat = payable_totals(by_code, coop.currency)
    if net <= 0:
        raise InvalidAct("lines", N_("an invoice must ask for more than nothing"))
    quote_id = None if quote is None else _carry_out(session, coop, quote, holder, party, net).id
    rate = fee_rate_on(coop, on)
    fee = round_money(net * rate, coop.currency)
    allocation = round_money(fee * coop.instance.guarantee_fund_share, coop.currency)
    numbered, prefix = series_of(coop, series, holder)
    invoice = new_invoice(
        session,
        InvoiceKind.INVOICE,
        numbered,
        on,
        prefix=prefix,
        supplied_on=None if supplied_on == on else supplied_on,
        entity_id=holder.id,
        party_id=party.id,
        quote_id=quote_id,
        due_on=due,
        net=coop.minor(net),
        vat=coop.minor(vat),
        fee=coop.minor(fee),
        fee_rate=rate,
        tender_reference=tender_reference,
        notes=notes.strip() or None,
        purpose=purpose,
        **_discount_fields(coop, discount, allowances),
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
        data={"net": str(net), "vat": str(vat), "fee": str(fee), "fee_rate": str(rate)}
        | ({"purpose": purpose, "quote": quote} if purpose else {}),
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
    discount: Discount | None = None,
    notes: str = "",
) -> Quote:
    """Send a quote, or a new version of one (``revises``: its reference). A quote posts
    nothing; the previous version is superseded. ``discount`` and ``notes`` are the
    document's discount and free text, kept to invoice it as offered."""
    holder = entity_by_code(session, entity)
    party = _client(session, client)
    check_act(session, coop, holder, ActKind.QUOTE, on, counterpart=party)
    if valid_days <= 0:
        raise InvalidAct("valid_days", N_("{valid_days} must be positive"), valid_days=valid_days)
    priced = price_lines(coop, lines, party, on)
    allowances = document_allowances(line_bases(priced), discount, coop.currency)
    by_code = vat_by_code(priced, coop.currency, allowances)
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
                    "unit": p.line.unit,
                    "discount_percent": None if p.percent is None else str(p.percent),
                    "discount_amount": None
                    if p.percent is not None or not p.allowance
                    else str(p.allowance),
                }
                for p in priced
            ]
        ),
        notes=notes.strip() or None,
        **_discount_fields(coop, discount, allowances),
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


# --- deposits and balance -------------------------------------------------------------
class InvoicePurpose(enum.StrEnum):
    """What an invoice of an accepted quote is: a deposit on it, or its balance."""

    DEPOSIT = "deposit"
    BALANCE = "balance"


@dataclass(frozen=True)
class QuoteProgress:
    """What has been invoiced of an accepted quote, excluding VAT.

    Attributes:
        agreed: the quote's net total.
        deposits: what its deposit invoices charged, less credit notes on them.
        invoiced: what all its invoices charged, less credit notes on them.
        left: what is left to invoice.
        numbers: the numbers of its invoices, oldest first.
        balanced: whether its balance invoice was issued.
    """

    agreed: Decimal
    deposits: Decimal
    invoiced: Decimal
    left: Decimal
    numbers: tuple[str, ...]
    balanced: bool


def latest_quote(session: Session, reference_: str) -> Quote:
    """The latest version of a quote; refuses an unknown reference."""
    quote = session.scalars(
        select(Quote).where(Quote.reference == reference_).order_by(Quote.version.desc())
    ).first()
    if quote is None:
        raise NotFound("quote", N_("no such quote"), value=repr(reference_))
    return quote


def _credited(session: Session, invoice: Invoice) -> int:
    return int(
        session.scalar(
            select(func.coalesce(func.sum(Invoice.net), 0)).where(Invoice.credits_id == invoice.id)
        )
        or 0
    )


def quote_progress(session: Session, coop: Cooperative, reference_: str) -> QuoteProgress:
    """What has been invoiced of a quote (any of its versions), to show on it."""
    quote = latest_quote(session, reference_)
    done = invoices_of_quote(session, reference_)
    deposits = invoiced = 0
    for invoice in done:
        kept = invoice.net - _credited(session, invoice)
        invoiced += kept
        if invoice.purpose == InvoicePurpose.DEPOSIT:
            deposits += kept
    agreed = from_minor(quote.net, coop.currency)
    return QuoteProgress(
        agreed=agreed,
        deposits=from_minor(deposits, coop.currency),
        invoiced=from_minor(invoiced, coop.currency),
        left=agreed - from_minor(invoiced, coop.currency),
        numbers=tuple(i.number for i in done),
        balanced=any(i.purpose == InvoicePurpose.BALANCE for i in done),
    )


def _accepted(session: Session, reference_: str) -> Quote:
    quote = latest_quote(session, reference_)
    if quote.status != QuoteStatus.ACCEPTED:
        raise InvalidAct("quote", N_("{reference} has no accepted version"), reference=reference_)
    return quote


def issue_deposit(
    session: Session,
    coop: Cooperative,
    *,
    quote: str,
    on: date,
    actor: str,
    percent: Decimal | str | None = None,
    amount: Decimal | str | None = None,
    due_on: date | None = None,
    wording: str = "Deposit ({share}) on quote {reference}",
) -> Invoice:
    """Invoice a deposit on an accepted quote: a percentage of its net total, or an
    amount excluding VAT. ``wording`` is its lines' description, in the document's
    language (the faces translate it), with ``{share}`` and ``{reference}``.

    The deposit is shared among the quote's VAT rates pro rata of what each carries
    (:func:`split_pro_rata`), one line per rate, so that its VAT is the VAT of what it
    pays in advance. Refuses a quote not accepted, after its balance, and a deposit
    beyond what is left of it.
    """
    accepted = _accepted(session, quote)
    if quote_progress(session, coop, quote).balanced:
        raise ClosedRecord("quote", N_("{reference} has its balance invoice"), reference=quote)
    agreed = from_minor(accepted.net, coop.currency)
    wanted, _ = allowance_of(Discount(percent, amount), agreed, coop.currency, "deposit")
    if wanted <= 0:
        raise InvalidAct("deposit", N_("a deposit needs a percentage or an amount"))
    groups: dict[str, tuple[LineInput, Decimal]] = {}
    party = session.get_one(Party, accepted.party_id)
    priced = price_lines(coop, quote_lines(accepted), party, accepted.issued_on)
    allowances = document_allowances(
        line_bases(priced), stored_discount(accepted, coop.currency), coop.currency
    )
    bases = line_bases(priced)
    for item in priced:
        key = f"{item.line.rate_code}|{item.line.supply}|{item.line.exemption}"
        share = item.net - (
            allowances.get(item.vat_code, Decimal(0)) * item.net / bases[item.vat_code]
            if bases[item.vat_code]
            else Decimal(0)
        )
        previous = groups.get(key)
        groups[key] = (item.line, share + (previous[1] if previous else Decimal(0)))
    shares = split_pro_rata(wanted, {k: w for k, (_, w) in groups.items()}, coop.currency)
    label = f"{percent} %" if percent not in (None, "") else f"{wanted} {coop.currency}"
    lines = [
        LineInput(
            wording.format(share=label, reference=quote),
            "1",
            shares[key],
            rate_code=line.rate_code,
            supply=line.supply,
            exemption=line.exemption,
            unit="flat",
        )
        for key, (line, _) in groups.items()
        if shares[key] > 0
    ]
    entity = session.get_one(Entity, accepted.entity_id)
    return issue_invoice(
        session,
        coop,
        entity=entity.code,
        client=party.code,
        lines=lines,
        on=on,
        actor=actor,
        due_on=due_on,
        quote=quote,
        purpose=InvoicePurpose.DEPOSIT.value,
    )


def issue_balance(
    session: Session,
    coop: Cooperative,
    *,
    quote: str,
    on: date,
    actor: str,
    due_on: date | None = None,
    wording: str = "Deposit invoiced on {number}",
) -> Invoice:
    """Invoice the balance of an accepted quote: its lines, units and discounts as
    offered, less each deposit invoiced on it (``wording``: the description of those
    lines, in the document's language, with ``{number}``) (a negative line per deposit line, at the
    deposit's VAT rate, EN 16931 allows negative quantities). Refuses a quote not
    accepted, one already balanced, and deposits partly given back by a credit note
    (credit them in full first)."""
    accepted = _accepted(session, quote)
    progress = quote_progress(session, coop, quote)
    if progress.balanced:
        raise ClosedRecord("quote", N_("{reference} has its balance invoice"), reference=quote)
    deductions: list[PricedLine] = []
    for invoice in invoices_of_quote(session, quote):
        if invoice.purpose != InvoicePurpose.DEPOSIT:
            continue
        credited = _credited(session, invoice)
        if credited == invoice.net:
            continue
        if credited:
            raise InvalidAct(
                "quote",
                N_("deposit {number} was partly credited: credit it in full first"),
                number=invoice.number,
            )
        for row in session.scalars(
            select(InvoiceLine).where(InvoiceLine.invoice_id == invoice.id).order_by(InvoiceLine.id)
        ):
            paid = from_minor(row.net, coop.currency)
            text = wording.format(number=invoice.number)
            deductions.append(
                PricedLine(
                    LineInput(text, "-1", paid, unit="flat"),
                    Decimal(-1),
                    paid,
                    -paid,
                    row.vat_code,
                    Decimal(row.vat_rate),
                    VatTreatmentKind(row.treatment),
                    row.legal_mention,
                )
            )
    entity = session.get_one(Entity, accepted.entity_id)
    party = session.get_one(Party, accepted.party_id)
    return issue_invoice(
        session,
        coop,
        entity=entity.code,
        client=party.code,
        lines=quote_lines(accepted),
        on=on,
        actor=actor,
        due_on=due_on,
        quote=quote,
        discount=stored_discount(accepted, coop.currency),
        notes=accepted.notes or "",
        purpose=InvoicePurpose.BALANCE.value,
        deductions=deductions,
    )
