"""The salary guarantee fund takes over a receivable whose coverage lapsed, and the
advisers' queue of what the fund holds and who is blocked.

An invoice still open more than ``max_days_overdue`` days after its due date no longer
counts for coverage (:mod:`partage.core.sales.coverage`). Left alone, its entity's
headroom would fall at once by the coverage it lost, and the salaries it already paid on
it would leave it below zero. So the fund **takes the receivable over**, by a recorded
act (:func:`take_over`, act type ``fund_takeover``):

* in the entity's books, its client account is credited with what the client still
  owes (VAT included: the VAT collected stays owed to the State as invoiced) and the
  cooperative owes the entity as much (entity current account, debit): the entity is
  paid for its work, and first repays any advance it owes the fund;
* in the cooperative's books, the receivable is the cooperative's (``clients``, debit,
  partner the client) against the entity's current account (credit). The fund's balance
  does not move: it holds a receivable instead of money, counted as tied up in its
  capacity (:func:`partage.core.risk.solvency.fund_tied`) until the client pays or
  defaults.

From then on the client's payments are the fund's (handed over as they are received,
:func:`partage.core.sales.fund_cover.hand_over`); a credit note on it lowers the
entity's funds as it would have (the fund gets back what it paid), and an advance
covers what that leaves short; if the client defaults, the write-off
(:func:`partage.core.risk.fund.write_off`) recovers the VAT in the entity's books,
passes it to the fund, and the fund's balance absorbs the rest.

:func:`run_takeovers` does all of it as of a day, idempotently: it takes over every
lapsed receivable not yet taken over, hands over to the fund what was settled on those
it holds and not yet handed over, and repays advances from what entities hold. Running
it twice on one day does nothing the second time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import ClosedRecord, Cooperative, credit, debit
from partage.core.contract.accounting import PostingRole
from partage.core.contract.errors import N_
from partage.core.contract.money import from_minor
from partage.core.ledger.books import COOPERATIVE_BOOK
from partage.core.ledger.models import JournalEntry, JournalKind, JournalLine
from partage.core.members.models import Entity, Office, Party
from partage.core.platform import audit
from partage.core.risk.solvency import lock_entities, lock_fund
from partage.core.sales.coverage import due_after
from partage.core.sales.fund_cover import (
    ALL_ADVANCES,
    TAKEOVER_ACT,
    cover_shortfall,
    hand_over,
    held_by_fund,
    repay,
)
from partage.core.sales.invoices import invoice_by_number
from partage.core.sales.models import Invoice
from partage.core.sales.receivables import OPEN_INVOICES, OUTSTANDING
from partage.core.sales.receivables import owed as owed_minor

LINE = JournalLine.__table__
ENTRY = JournalEntry.__table__


@dataclass(frozen=True)
class Takeover:
    """One receivable the fund took over.

    Attributes:
        invoice: its number.
        entity: the entity's code.
        amount: what the client still owed, paid to the entity.
    """

    invoice: str
    entity: str
    amount: Decimal


def take_over(
    session: Session, coop: Cooperative, number: str, *, on: date, actor: str, reason: str
) -> Takeover:
    """The fund takes one invoice over (see the module): under its entity's lock, then
    the fund's. Refuses an invoice written off, taken over already, or settled."""
    invoice = invoice_by_number(session, number)
    lock_entities(session, [invoice.entity_id])
    lock_fund(session)
    if invoice.written_off_on is not None:
        raise ClosedRecord(
            "invoice",
            N_("written off on {invoice_written_off_on}"),
            value=number,
            invoice_written_off_on=invoice.written_off_on,
        )
    if invoice.taken_over_on is not None:
        raise ClosedRecord(
            "invoice",
            N_("taken over by the fund on {invoice_taken_over_on}"),
            value=number,
            invoice_taken_over_on=invoice.taken_over_on,
        )
    left = owed_minor(session, invoice)
    if not left:
        raise ClosedRecord("invoice", N_("nothing is owed on it"), value=number)
    amount = from_minor(left, coop.currency)
    entity = session.get(Entity, invoice.entity_id)
    party = session.get(Party, invoice.party_id)
    assert entity is not None and party is not None
    act = (TAKEOVER_ACT, number)
    coop.post(
        session,
        book=entity.code,
        journal=JournalKind.MISCELLANEOUS,
        on=on,
        lines=[
            debit(PostingRole.ENTITY_CURRENT_ACCOUNT, amount, partner="cooperative"),
            credit(PostingRole.CLIENTS, amount, partner=party.code),
        ],
        act=act,
        actor=actor,
        reference=number,
        description=f"Guarantee fund takes over {number} ({party.name})",
    )
    coop.post(
        session,
        book=COOPERATIVE_BOOK,
        journal=JournalKind.MISCELLANEOUS,
        on=on,
        lines=[
            debit(PostingRole.CLIENTS, amount, partner=party.code),
            credit(PostingRole.ENTITY_CURRENT_ACCOUNT, amount, partner=entity.code),
        ],
        act=act,
        actor=actor,
        reference=number,
        description=f"Guarantee fund takes over {number} of {entity.code}",
    )
    invoice.taken_over_on = on
    audit.record(
        session,
        actor=actor,
        action="invoice.take_over",
        subject=f"invoice:{number}",
        reason=reason,
        data={"amount": str(amount), "entity": entity.code},
    )
    repay(session, coop, entity, on=on, actor=actor)
    return Takeover(number, entity.code, amount)


def settle_with_fund(
    session: Session, coop: Cooperative, invoice: Invoice, *, on: date, actor: str
) -> Decimal:
    """Hand over to the fund what was settled on a receivable it holds and not handed
    over yet (credit applied from an earlier payment, say); return the amount."""
    if invoice.taken_over_on is None or invoice.written_off_on is not None:
        return Decimal(0)
    pending = held_by_fund(session, coop, invoice) - from_minor(
        owed_minor(session, invoice), coop.currency
    )
    if pending > 0:
        hand_over(session, coop, invoice, pending, on=on, actor=actor, cause="settled")
    return max(pending, Decimal(0))


@dataclass
class TakeoverRun:
    """What a run of takeovers did on a day.

    Attributes:
        on: the day.
        taken_over: the receivables taken over now.
        handed_over: what was handed over to the fund, by invoice.
        repaid: what entities repaid of their advances, by entity.
        advanced: what the fund advanced, by entity.
    """

    on: date
    taken_over: list[Takeover] = field(default_factory=list)
    handed_over: dict[str, Decimal] = field(default_factory=dict)
    repaid: dict[str, Decimal] = field(default_factory=dict)
    advanced: dict[str, Decimal] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.taken_over or self.handed_over or self.repaid or self.advanced)


def run_takeovers(session: Session, coop: Cooperative, *, on: date, actor: str) -> TakeoverRun:
    """Take over every lapsed receivable, hand over what was settled on those the fund
    holds, repay advances from what entities hold (see the module); idempotent."""
    done = TakeoverRun(on)
    numbers = list(session.scalars(_lapsed_query(coop, on)))
    held = list(
        session.scalars(
            select(Invoice)
            .where(Invoice.taken_over_on.is_not(None), Invoice.written_off_on.is_(None))
            .order_by(Invoice.id)
        )
    )
    entity_ids = {i.entity_id for i in held}
    entity_ids.update(session.scalars(select(Invoice.entity_id).where(Invoice.number.in_(numbers))))
    entity_ids.update(i for i, owed in session.execute(ALL_ADVANCES) if owed)
    lock_entities(session, entity_ids)  # every entity first, then the fund
    lock_fund(session)
    for number in numbers:
        done.taken_over.append(
            take_over(
                session,
                coop,
                number,
                on=on,
                actor=actor,
                reason=f"coverage lapsed: over {coop.guarantee.max_days_overdue} days overdue",
            )
        )
    for invoice in held:
        amount = settle_with_fund(session, coop, invoice, on=on, actor=actor)
        if amount:
            done.handed_over[invoice.number] = amount
    for entity in session.scalars(
        select(Entity).where(Entity.id.in_(sorted(entity_ids))).order_by(Entity.id)
    ):
        advanced = cover_shortfall(
            session, coop, entity, on=on, actor=actor, cause=f"takeovers of {on}"
        )
        if advanced:
            done.advanced[entity.code] = advanced
        repaid = repay(session, coop, entity, on=on, actor=actor)
        if repaid:
            done.repaid[entity.code] = repaid
    if done.changed:
        audit.record(
            session,
            actor=actor,
            action="guarantee_fund.takeovers",
            subject=f"guarantee_fund:{on}",
            data={
                "taken_over": [t.invoice for t in done.taken_over],
                "handed_over": {k: str(v) for k, v in done.handed_over.items()},
                "repaid": {k: str(v) for k, v in done.repaid.items()},
                "advanced": {k: str(v) for k, v in done.advanced.items()},
            },
        )
    return done


def _lapsed_query(coop: Cooperative, on: date) -> Select[str]:
    """Numbers of the lapsed receivables not taken over yet, on a day."""
    rows = OPEN_INVOICES.subquery()
    return (
        select(Invoice.number)
        .join(rows, rows.c.id == Invoice.id)
        .join(Party, Party.id == Invoice.party_id)
        .where(
            rows.c.due_on < due_after(coop.guarantee, on),
            Invoice.issued_on <= on,
            Invoice.taken_over_on.is_(None),
            Party.defaulted_on.is_(None),
        )
        .order_by(Invoice.id)
    )


@dataclass(frozen=True)
class HeldReceivable:
    """A receivable the fund took over and still holds.

    Attributes:
        entity: the entity's code.
        invoice: its number.
        client: the client's code and name.
        due_on: its due date.
        taken_over_on: the day the fund took it over.
        days_overdue: days since its due date.
        outstanding: what the client still owes (the fund's).
    """

    entity: str
    invoice: str
    client: str
    due_on: date
    taken_over_on: date
    days_overdue: int
    outstanding: Decimal


@dataclass(frozen=True)
class BlockedEntity:
    """An entity that owes the fund an advance, and so commits nothing new.

    Attributes:
        entity, name, office: the entity's code and name, and its office's code.
        advanced: what it owes the fund.
    """

    entity: str
    name: str
    office: str
    advanced: Decimal


@dataclass(frozen=True)
class TakeoverQueue:
    """What advisers follow up: receivables the fund holds, entities blocked.

    Attributes:
        on: the day.
        currency: the instance's currency.
        held: receivables taken over and not settled or written off, oldest first.
        blocked: entities owing the fund an advance, largest first.
        to_take_over: lapsed receivables a run would take over now.
    """

    on: date
    currency: str
    held: tuple[HeldReceivable, ...]
    blocked: tuple[BlockedEntity, ...]
    to_take_over: int


def held_receivables(
    session: Session, coop: Cooperative, *, on: date, office_id: int | None = None
) -> list[HeldReceivable]:
    """Receivables the fund took over and still holds (see :class:`HeldReceivable`)."""
    query = (
        select(
            Entity.code,
            Invoice.number,
            Party.code,
            Party.name,
            Invoice.due_on,
            Invoice.taken_over_on,
            OUTSTANDING,
        )
        .join(Entity, Entity.id == Invoice.entity_id)
        .join(Party, Party.id == Invoice.party_id)
        .where(
            Invoice.taken_over_on.is_not(None),
            Invoice.taken_over_on <= on,
            Invoice.written_off_on.is_(None),
            OUTSTANDING > 0,
        )
        .order_by(Invoice.due_on, Invoice.number)
    )
    if office_id is not None:
        query = query.where(Entity.office_id == office_id)
    return [
        HeldReceivable(
            entity,
            number,
            f"{client} {name}",
            due_on,
            taken,
            (on - due_on).days,
            from_minor(int(owed), coop.currency),
        )
        for entity, number, client, name, due_on, taken, owed in session.execute(query)
        if taken is not None  # the query asks for taken-over invoices only
    ]


def blocked_entities(
    session: Session, coop: Cooperative, *, office_id: int | None = None
) -> list[BlockedEntity]:
    """Entities owing the fund an advance, largest first."""
    query = select(Entity.id, Entity.code, Entity.name, Office.code).join(
        Office, Office.id == Entity.office_id
    )
    if office_id is not None:
        query = query.where(Entity.office_id == office_id)
    owed = {i: int(amount) for i, amount in session.execute(ALL_ADVANCES) if amount}
    rows = [
        BlockedEntity(code, name, office, from_minor(owed[i], coop.currency))
        for i, code, name, office in session.execute(query.where(Entity.id.in_(list(owed))))
        if owed[i] > 0
    ]
    return sorted(rows, key=lambda r: (-r.advanced, r.entity))


def takeover_queue(
    session: Session, coop: Cooperative, *, on: date, office_id: int | None = None
) -> TakeoverQueue:
    """The advisers' queue on a day (``office_id``: one office's entities only)."""
    pending = _lapsed_query(coop, on)
    if office_id is not None:
        pending = pending.join(Entity, Entity.id == Invoice.entity_id).where(
            Entity.office_id == office_id
        )
    return TakeoverQueue(
        on,
        coop.currency,
        tuple(held_receivables(session, coop, on=on, office_id=office_id)),
        tuple(blocked_entities(session, coop, office_id=office_id)),
        len(session.scalars(pending).all()),
    )
