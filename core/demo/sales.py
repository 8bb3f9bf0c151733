"""The sales of a simulated month: quotes, invoices and credit notes.

Entities sell in proportion to their kind's activity, what their kind sells, at the
country's VAT rates (the standard one mostly; EU business clients are reverse-charged
by the engine). Some sales start as a quote: accepted (then invoiced), refused,
expired (answered too late), revised, or still waiting. A few invoices get a partial
credit note the next day. The sales planned here are what the other planners work
from: payments, purchases and expense claims follow a sale.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from partage.core.contract.money import round_money
from partage.core.demo.kinds import KIND_ACTIVITY, KIND_WORK
from partage.core.demo.schedule import MonthSchedule
from partage.core.demo.world import OpenEntity
from partage.core.members.models import EntityKind
from partage.core.sales import credit_notes, invoices
from partage.core.sales.invoices import LineInput


@dataclass(frozen=True)
class Sale:
    """An invoice the month plans.

    Attributes:
        key: the name its number is kept under once issued.
        entity: the entity that sells.
        client: the client's code.
        lines: what is sold.
        on: the day it is issued.
        quote: the key of the quote it carries out, if any.
    """

    key: str
    entity: OpenEntity
    client: str
    lines: tuple[LineInput, ...]
    on: date
    quote: str | None = None

    @property
    def needs(self) -> tuple[str, ...]:
        """An invoice carrying out a quote waits for the quote's acceptance."""
        return (f"{self.quote}:status",) if self.quote else ()

    def net(self, currency: str) -> Decimal:
        """What its lines add up to, excluding VAT, rounded to ``currency``'s minor unit."""
        total = sum((Decimal(x.quantity) * Decimal(x.unit_price) for x in self.lines), Decimal(0))
        return round_money(total, currency)


def plan_sales(month: MonthSchedule, entities: Sequence[OpenEntity]) -> list[Sale]:
    """Schedule the month's quotes and invoices, the busiest kinds most often; return
    the sales, those that carry out a quote first."""
    rng, volume = month.rng, month.volume
    codes = _vat_codes(month)
    weights = [KIND_ACTIVITY[EntityKind(e.kind)] for e in entities]
    quoted = min(volume.quotes, volume.invoices)
    sales = _plan_quotes(month, rng.choices(entities, weights, k=quoted), codes)
    for n, entity in enumerate(rng.choices(entities, weights, k=volume.invoices - len(sales))):
        on = month.day(4, month.last.day - 1)
        lines = _lines(month, entity, codes)
        sales.append(Sale(f"invoice:{n}", entity, rng.choice(entity.clients), lines, on))
    for sale in sales:
        month.at(sale.on, 2, "invoice.issue", _issue(month, sale), key=sale.key, needs=sale.needs)
    return sales


def _vat_codes(month: MonthSchedule) -> list[str | None]:
    """Rate codes to invoice at: the standard rate mostly, the others sometimes."""
    rates = month.coop.plugins.hook.partage_vat_rates(on=month.first) or ()
    others = [r.code for r in rates[1:] if r.rate > 0]
    return [None] * 8 + others


def _lines(
    month: MonthSchedule, entity: OpenEntity, codes: list[str | None]
) -> tuple[LineInput, ...]:
    """One to three lines of what the entity's kind sells, all at one VAT rate."""
    rng = month.rng
    names, unit, quantities, prices, supply = KIND_WORK[entity.kind]
    rate_code = rng.choice(codes)
    return tuple(
        LineInput(
            f"{rng.choice(names)} ({unit})",
            Decimal(rng.randint(*quantities)),
            month.money(*prices),
            rate_code=rate_code,
            supply=supply,
        )
        for _ in range(rng.choice((1, 1, 1, 2, 3)))
    )


def _plan_quotes(
    month: MonthSchedule, chosen: Sequence[OpenEntity], codes: list[str | None]
) -> list[Sale]:
    """Quotes, accepted (and invoiced), refused, expired (answered too late),
    revised, or still waiting; returns the sales the accepted ones lead to."""
    rng = month.rng
    sales = []
    for n, entity in enumerate(chosen):
        key, sent = f"quote:{n}", month.day(4, 16)
        client, lines = rng.choice(entity.clients), _lines(month, entity, codes)
        draw = rng.random()
        valid = 7 if 0.55 <= draw < 0.7 else 30
        month.at(sent, 0, "quote.send", _send(month, key, entity, client, lines, sent, valid))
        if draw < 0.1:
            lines = tuple(
                replace(x, unit_price=month.round(Decimal(x.unit_price) * Decimal("0.9")))
                for x in lines
            )
            month.at(sent, 1, "quote.send", _send(month, key, entity, client, lines, sent, valid))
        if draw >= 0.85:  # the client has not answered yet
            continue
        answered = sent + timedelta(days=rng.randint(10, 14) if valid == 7 else 3)
        if answered > month.last:
            continue
        accept = draw < 0.55 or valid == 7
        month.at(answered, 1, "quote.decide", _decide(month, key, accept, answered))
        if draw < 0.55:
            sales.append(Sale(f"invoice:q{n}", entity, client, lines, answered, key))
    return sales


def _send(
    month: MonthSchedule,
    key: str,
    entity: OpenEntity,
    client: str,
    lines: tuple[LineInput, ...],
    on: date,
    days: int,
) -> Callable[[Session], str]:
    """Sending a quote, or its revision when one was sent under ``key``."""

    def act(session: Session) -> str:
        quote = invoices.send_quote(
            session,
            month.coop,
            entity=entity.code,
            client=client,
            lines=lines,
            on=on,
            valid_days=days,
            revises=month.results.get(key),
            actor=month.actor,
        )
        month.results[key] = quote.reference
        return quote.reference

    return act


def _decide(
    month: MonthSchedule, key: str, accept: bool, on: date
) -> Callable[[Session], str | None]:
    """The client's answer to the quote sent under ``key``."""

    def act(session: Session) -> str | None:
        if key not in month.results:
            return None
        quote = invoices.decide_quote(
            session, month.coop, month.results[key], accept=accept, on=on, actor=month.actor
        )
        month.results[f"{key}:status"] = quote.status
        return quote.status

    return act


def _issue(month: MonthSchedule, sale: Sale) -> Callable[[Session], str]:
    """Issuing the sale's invoice, carrying out its quote if it has one."""

    def act(session: Session) -> str:
        return invoices.issue_invoice(
            session,
            month.coop,
            entity=sale.entity.code,
            client=sale.client,
            lines=sale.lines,
            on=sale.on,
            quote=month.results[sale.quote] if sale.quote else None,
            actor=month.actor,
        ).number

    return act


def plan_credit_notes(month: MonthSchedule, sales: Sequence[Sale]) -> None:
    """Partial credit notes: a third of an invoice's first line, the next day."""
    for sale in month.rng.sample(sales, min(len(sales), month.volume.credit_notes)):
        first = sale.lines[0]
        part = Decimal(first.quantity) * Decimal(first.unit_price) / 3
        line = replace(
            first,
            description=f"Credit: {first.description}",
            quantity=Decimal(1),
            unit_price=max(month.quantum, month.round(part)),
        )
        on = min(month.last, sale.on + timedelta(days=1))

        def act(session: Session, s: Sale = sale, x: LineInput = line, d: date = on) -> str:
            return credit_notes.issue_credit_note(
                session,
                month.coop,
                invoice=month.results[s.key],
                on=d,
                reason="Commercial gesture: part of the work was redone",
                lines=[x],
                actor=month.actor,
            ).number

        month.at(on, 3, "credit_note.issue", act, needs=(sale.key,))
