"""Credit notes: an invoice credited in full or in part, in one transaction.

A credit note is an invoice of its own kind and series, priced and posted as an invoice
is (:mod:`partage.core.sales.invoices`, :mod:`partage.core.sales.recording`) with the
signs reversed. It reverses the management fee and the fund's allocation pro rata of
the amount credited, and never credits more than the invoice has left.

A credit note correcting a wrong invoice cannot lawfully be refused for lack of funds:
the client is owed it. It is accepted even when it takes the entity below zero; the
salary guarantee fund then advances the shortfall and the entity is blocked from new
commitments until it is made good (:mod:`partage.core.sales.fund_cover`). On an invoice
the fund took over, what it credits is handed over to the fund first.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import ClosedRecord, Cooperative, InvalidAct
from partage.core.contract.errors import N_
from partage.core.contract.money import from_minor, round_money
from partage.core.contract.sectors import ActKind
from partage.core.contract.tax import VatTreatmentKind
from partage.core.members.models import Entity, Party
from partage.core.platform import audit
from partage.core.sales.fund_cover import cover_shortfall, hand_over
from partage.core.sales.invoices import (
    LineInput,
    PricedLine,
    document_allowances,
    document_totals,
    invoice_by_number,
    line_bases,
    price_lines,
    store_lines,
    stored_discount,
    vat_by_code,
)
from partage.core.sales.models import Invoice, InvoiceKind, InvoiceLine
from partage.core.sales.recording import new_invoice, post_sale, series_of
from partage.core.sectors.rules import check_act


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
    earlier credit notes, in total and at each VAT rate the invoice charged: a credit
    note corrects the invoice, so it carries the invoice's rates (its lines are priced
    on the invoice's date) and gives back no more VAT at a rate than was charged at it
    (Directive 2006/112/EC art. 90 and 219; BE Code TVA art. 79 §1; FR CGI art. 272-1).
    The fee and the fund's allocation are reversed pro rata.
    """
    if not reason.strip():
        raise InvalidAct("reason", N_("a credit note needs a reason"))
    original, holder, party = _creditable(session, coop, invoice, on)
    discount = None
    if lines is None:
        priced = _lines_in_full(session, coop, original)
        discount = stored_discount(original, coop.currency)
    else:
        priced = price_lines(coop, lines, party, original.issued_on)
    allowances = document_allowances(line_bases(priced), discount, coop.currency)
    by_code = vat_by_code(priced, coop.currency, allowances)
    net, vat = document_totals(by_code)
    _check_left_to_credit(session, coop, original, net)
    _check_left_per_rate(session, coop, original, by_code)
    original_net = from_minor(original.net, coop.currency)
    fee = round_money(from_minor(original.fee, coop.currency) * net / original_net, coop.currency)
    allocation = round_money(fee * coop.instance.guarantee_fund_share, coop.currency)
    numbered, prefix = series_of(coop, series, holder)
    note = new_invoice(
        session,
        InvoiceKind.CREDIT_NOTE,
        numbered,
        on,
        prefix=prefix,
        entity_id=holder.id,
        party_id=party.id,
        credits_id=original.id,
        due_on=on,
        net=coop.minor(net),
        vat=coop.minor(vat),
        fee=coop.minor(fee),
        fee_rate=Decimal(original.fee_rate),
        discount_percent=original.discount_percent if discount else None,
        discount_amount=original.discount_amount if discount else None,
    )
    store_lines(session, note, priced, coop)
    post_sale(
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
    hand_over(
        session,
        coop,
        original,
        from_minor(note.total, coop.currency),
        on=on,
        actor=actor,
        cause=f"credit note {note.number}",
    )
    cover_shortfall(session, coop, holder, on=on, actor=actor, cause=f"credit note {note.number}")
    audit.record(
        session,
        actor=actor,
        action="credit_note.issue",
        subject=f"invoice:{note.number}",
        reason=reason,
        data={"credits": original.number, "net": str(net), "vat": str(vat), "fee": str(fee)},
    )
    return note


def _creditable(
    session: Session, coop: Cooperative, number: str, on: date
) -> tuple[Invoice, Entity, Party]:
    """The invoice to credit, its entity and its client; refuses a credit note, a date
    before the invoice's, an invoice written off, and what the entity's sectors refuse."""
    original = invoice_by_number(session, number)
    if original.kind != InvoiceKind.INVOICE.value:
        raise InvalidAct(
            "invoice", N_("{number} is a credit note; credit the invoice itself"), number=number
        )
    if on < original.issued_on:
        raise InvalidAct(
            "on",
            N_("{on} is before the invoice date {original_issued_on}"),
            on=on,
            original_issued_on=original.issued_on,
        )
    if original.written_off_on is not None:
        raise ClosedRecord(
            "invoice",
            N_(
                "{number} was written off on {original_written_off_on}: the "
                "guarantee fund absorbed what was unpaid and its VAT was "
                "recovered; crediting it would give both back a second time"
            ),
            value=number,
            number=number,
            original_written_off_on=original.written_off_on,
        )
    holder = session.get(Entity, original.entity_id)
    party = session.get(Party, original.party_id)
    assert holder is not None and party is not None
    check_act(session, coop, holder, ActKind.CREDIT_NOTE, on, counterpart=party)
    return original, holder, party


def _lines_in_full(session: Session, coop: Cooperative, original: Invoice) -> list[PricedLine]:
    """Every line of the invoice as it was priced, to credit it in full."""
    stored = session.scalars(select(InvoiceLine).where(InvoiceLine.invoice_id == original.id)).all()
    lines = [
        LineInput(
            s.description,
            Decimal(s.quantity),
            from_minor(s.unit_price, coop.currency),
            supply="services",
            unit=s.unit,
        )
        for s in stored
    ]
    return [
        PricedLine(
            line,
            Decimal(s.quantity),
            from_minor(s.unit_price, coop.currency),
            from_minor(s.net, coop.currency),
            s.vat_code,
            Decimal(s.vat_rate),
            VatTreatmentKind(s.treatment),
            s.legal_mention,
            from_minor(s.allowance, coop.currency),
            None if s.discount_percent is None else Decimal(s.discount_percent),
        )
        for line, s in zip(lines, stored, strict=True)
    ]


def _check_left_to_credit(
    session: Session, coop: Cooperative, original: Invoice, net: Decimal
) -> None:
    """Refuse a credit beyond what earlier credit notes left of the invoice's net."""
    already = session.scalar(
        select(func.coalesce(func.sum(Invoice.net), 0)).where(Invoice.credits_id == original.id)
    )
    left = from_minor(original.net - int(already or 0), coop.currency)
    if net > left:
        raise InvalidAct(
            "lines",
            N_(
                "credit of {net} {coop_currency} exceeds the {left} "
                "{coop_currency} left to credit on {original_number}"
            ),
            net=net,
            coop_currency=coop.currency,
            left=left,
            original_number=original.number,
        )


def _bases_per_code(
    session: Session, coop: Cooperative, invoice_ids: Sequence[int] | Select[Any]
) -> dict[str, tuple[Decimal, Decimal]]:
    """Base excluding VAT (after document allowances) and rate, per VAT code, of the
    lines of some invoices or credit notes."""
    rows = session.execute(
        select(
            InvoiceLine.vat_code,
            InvoiceLine.vat_rate,
            func.sum(InvoiceLine.net - InvoiceLine.allowance),
        )
        .where(InvoiceLine.invoice_id.in_(invoice_ids))
        .group_by(InvoiceLine.vat_code, InvoiceLine.vat_rate)
    ).all()
    return {
        code: (from_minor(int(base or 0), coop.currency), Decimal(rate))
        for code, rate, base in rows
    }


def _check_left_per_rate(
    session: Session,
    coop: Cooperative,
    original: Invoice,
    by_code: dict[str, tuple[Decimal, Decimal]],
) -> None:
    """Refuse a credit at a VAT rate the invoice did not charge, or beyond what is left
    at that rate after earlier credit notes, naming the rate and the amount left."""
    charged = _bases_per_code(session, coop, [original.id])
    notes = select(Invoice.id).where(Invoice.credits_id == original.id)
    credited = _bases_per_code(session, coop, notes)
    for code, (base, _vat) in sorted(by_code.items()):
        if base <= 0:
            continue
        if code not in charged:
            raise InvalidAct(
                "lines",
                N_("{original_number} charged no VAT under {code}: a credit note carries "
                   "the invoice's rates"),
                value=code,
                original_number=original.number,
                code=code,
            )  # fmt: skip
        left = charged[code][0] - credited.get(code, (Decimal(0), Decimal(0)))[0]
        if base > left:
            raise InvalidAct(
                "lines",
                N_("credit of {base} {coop_currency} at {rate} % exceeds the {left} "
                   "{coop_currency} left to credit at that rate on {original_number}"),
                value=base,
                base=base,
                rate=_percent(charged[code][1]),
                left=left,
                coop_currency=coop.currency,
                original_number=original.number,
            )  # fmt: skip


def _percent(rate: Decimal) -> str:
    """A rate as its percentage, without trailing zeros: ``0.21`` as ``21``."""
    text = f"{rate * 100:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
