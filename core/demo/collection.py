"""What clients pay in a simulated month, and the client who cannot.

Payments come late for earlier months' invoices, then for this month's: mostly in
full, some in two parts, some only in part, one over-paid (its excess stays on the
client's account as credit), cash in hand for some quick jobs — declared by the member,
it counts once the office's adviser, another login, has validated it, which the
simulated adviser does the same day. Each pays what is still
owed when it arrives, so a credit note issued in between is taken into account. Late
in the month a client with open invoices goes bankrupt, and its invoices are written
off against the salary guarantee fund.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import timedelta
from decimal import Decimal
from functools import partial

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from partage.core.banking import pending
from partage.core.demo.sales import Sale
from partage.core.demo.schedule import MonthSchedule, one_unless_none
from partage.core.members.models import Entity, EntityKind, Party
from partage.core.risk import fund
from partage.core.sales import invoices, payments
from partage.core.sales.models import Invoice
from partage.core.sales.receivables import outstanding_query

#: The office adviser who validates the cash members declare (another login than theirs).
ADVISER = "demo:adviser"


def plan_payments(month: MonthSchedule, sales: Sequence[Sale]) -> None:
    """Payments: late ones of earlier months' invoices first (three in ten of the
    month's payments at most), then this month's sales, in a drawn order, until the
    month's payments are planned."""
    rng = month.rng
    budget = _plan_late_payments(month, month.volume.payments)
    order = list(sales)
    rng.shuffle(order)
    over = max(1, budget // 100)
    for sale in order:
        if budget <= 0:
            break
        draw = rng.random()
        outcome = (
            "over" if over > 0 else "split" if draw < 0.12 else "part" if draw < 0.2 else "full"
        )
        first = sale.on + timedelta(days=rng.randint(2, 20))
        days = [first, first + timedelta(days=rng.randint(3, 10))]
        fraction = Decimal(rng.randint(30, 70)) / 100
        method = (
            "cash" if sale.entity.kind == EntityKind.QUICK_JOB and rng.random() < 0.3 else "bank"
        )
        for part, day in enumerate(days[: 2 if outcome == "split" else 1]):
            if day > month.last:
                break
            share = fraction if part == 0 and outcome in ("split", "part") else None
            act = _receive(month, sale.key, sale.entity.code, sale.client, method, share, outcome)
            month.at(day, 4, "payment.receive", act, needs=(sale.key,), count=one_unless_none)
            over -= outcome == "over"
            budget -= 1


def _plan_late_payments(month: MonthSchedule, budget: int) -> int:
    """Payments in full of earlier months' open invoices, drawn among them; return how
    many of the ``budget`` payments are left for this month's sales."""
    late = _open_invoices(month)
    month.rng.shuffle(late)
    for number, entity, client in late[: budget * 3 // 10]:
        month.at(
            month.day(2, month.last.day - 1),
            4,
            "payment.receive",
            _receive(month, number, entity, client, "bank", None, "late"),
            count=one_unless_none,
        )
        budget -= 1
    return budget


def _open_invoices(month: MonthSchedule) -> list[tuple[str, str, str]]:
    """Open invoices of earlier months whose clients are not in default."""
    rows = outstanding_query().subquery()

    def read(session: Session) -> list[list[str]]:
        return [
            [number, entity, client]
            for number, entity, client in session.execute(
                select(Invoice.number, Entity.code, Party.code)
                .join(rows, rows.c.id == Invoice.id)
                .join(Entity, Entity.id == Invoice.entity_id)
                .join(Party, Party.id == Invoice.party_id)
                .where(
                    Invoice.issued_on < month.first,
                    Party.defaulted_on.is_(None),
                    Entity.closed_on.is_(None),
                )
                .order_by(Invoice.id)
            )
        ]

    return [(n, e, c) for n, e, c in month.recall("open_invoices", read)]


def _receive(
    month: MonthSchedule,
    invoice: str,
    entity: str,
    client: str,
    method: str,
    share: Decimal | None,
    outcome: str,
) -> Callable[[Session], payments.Received | None]:
    """A payment of what is still owed on an invoice (or ``share`` of it) at the
    time it arrives; an over-payment adds a little to it. ``invoice`` is the key of an
    invoice of the month, or the number of an earlier one."""
    extra = month.money(5, 60) if outcome == "over" else Decimal(0)
    seq = month.next_seq()  # the payment's key, drawn when planned: a replay keeps it

    def act(session: Session) -> payments.Received | None:
        number = month.results.get(invoice, invoice)
        owed = payments.outstanding(
            session, invoices.invoice_by_number(session, number), month.coop.currency
        )
        if owed <= 0:
            return None
        amount = max(month.quantum, month.round(owed * share)) if share else owed
        received = payments.receive_payment(
            session,
            month.coop,
            key=f"{month.first:%Y-%m}/{number}/{seq}",
            entity=entity,
            client=client,
            amount=amount + extra,
            on=month.today,
            method=method,
            allocations=[(number, amount)],
            actor=month.actor,
        )
        if received.pending is not None and not received.replayed:
            pending.validate(
                session, month.coop, received.pending.id, actor=ADVISER, on=month.today
            )
        return received

    return act


def plan_defaults(month: MonthSchedule, sales: Sequence[Sale]) -> None:
    """The month's client defaults, each on a day of the month's last week."""
    for n in range(month.volume.defaults):
        on = month.day(24, 26)
        invoiced_later = {sale.client for sale in sales if sale.on >= on}
        rng = month.generator(f"default:{n}")
        act = partial(_default, month, invoiced_later=invoiced_later, rng=rng)
        month.at(on, 8, "client.default", act)


def _default(
    month: MonthSchedule, session: Session, invoiced_later: set[str], rng: random.Random
) -> list[fund.WriteOff]:
    """A client with open invoices goes bankrupt: they are written off against the
    salary guarantee fund. One the month's plan still invoices is spared, if any
    other can be chosen; the bankrupt is drawn among the quarter owing least, as
    small clients are the ones that fail most."""
    rows = outstanding_query().subquery()
    owing = session.execute(
        select(Party.code, func.sum(rows.c.outstanding))
        .join(Invoice, Invoice.party_id == Party.id)
        .join(rows, rows.c.id == Invoice.id)
        .where(Party.defaulted_on.is_(None))
        .group_by(Party.code)
        .order_by(func.sum(rows.c.outstanding), Party.code)
    ).all()
    candidates = [code for code, _ in owing]
    if not candidates:
        return []
    spared = [c for c in candidates if c not in invoiced_later] or candidates
    spared = spared[: max(1, len(spared) // 4)]
    offs = fund.declare_default(
        session,
        month.coop,
        rng.choice(spared),
        on=month.today,
        actor=month.actor,
        reason="Client declared bankrupt; its open invoices are written off",
    )
    month.write_offs.extend(offs)
    month.results["written_off"] = month.results.get("written_off", 0) + len(offs)
    return offs
