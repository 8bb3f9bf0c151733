"""The risk report: what the salary guarantee fund holds, what it can bear, what it bears
now, for whom, and what it has lost — read from the books and the receivables, nothing
kept on the side.

* the fund's balance, the leverage, its capacity, the coverage the rules offer
  (granted) and the coverage in use (exposure), and the capacity left
  (:mod:`partage.core.risk.solvency` defines each);
* per entity with eligible receivables: those receivables, the coverage they give, the
  part in use, and the entity's available funds;
* lapsed receivables: invoices still open more than ``max_days_overdue`` days after
  their due date, which no longer count for coverage and which the fund has not taken
  over yet (:func:`partage.core.risk.takeover.run_takeovers` will), with their amount
  and days overdue;
* taken-over receivables: those the fund paid the entity for and holds, until the
  client pays or defaults; the entities blocked while they owe the fund an advance;
  and what the fund has tied up in both (left out of what bears its capacity);
* written-off receivables: what each write-off took off the client's account, the VAT
  recovered from the State, and the loss the fund absorbed; their sum is the fund's
  losses.

The fund's figures are the instance's; an office's staff see the rows of their office's
entities only (``office_id``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import Cooperative
from partage.core.contract.accounting import PostingRole
from partage.core.contract.money import from_minor
from partage.core.ledger.models import Account, JournalEntry, JournalLine
from partage.core.members.models import Entity, Office, Party
from partage.core.risk.fund import LOSSES
from partage.core.risk.solvency import entity_coverages, fund_capacity
from partage.core.risk.takeover import (
    BlockedEntity,
    HeldReceivable,
    blocked_entities,
    held_receivables,
)
from partage.core.sales.models import Invoice
from partage.core.sales.receivables import OPEN_INVOICES

LINE = JournalLine.__table__
ENTRY = JournalEntry.__table__


@dataclass(frozen=True)
class EntityRisk:
    """One entity's coverage.

    Attributes:
        entity, name, office: the entity's code and name, and its office's code.
        eligible: its eligible receivables.
        coverage: the coverage the rules offer on them.
        in_use: the part it uses (it committed that much beyond its own funds).
        available_funds: its available funds, less what its hires reserve.
    """

    entity: str
    name: str
    office: str
    eligible: Decimal
    coverage: Decimal
    in_use: Decimal
    available_funds: Decimal


@dataclass(frozen=True)
class LapsedReceivable:
    """An invoice open past the guarantee's ``max_days_overdue``.

    Attributes:
        entity: the entity's code.
        invoice: its number.
        client: the client's code and name.
        due_on: its due date.
        days_overdue: days since its due date.
        outstanding: what the client still owes.
    """

    entity: str
    invoice: str
    client: str
    due_on: date
    days_overdue: int
    outstanding: Decimal


@dataclass(frozen=True)
class WrittenOffReceivable:
    """A receivable the fund took over.

    Attributes:
        entity: the entity's code.
        invoice: its number.
        client: the client's code and name.
        written_off_on: the day.
        outstanding: what the client still owed then.
        vat_recovered: its VAT part, regularised with the State.
        absorbed: the loss the fund paid.
    """

    entity: str
    invoice: str
    client: str
    written_off_on: date
    outstanding: Decimal
    vat_recovered: Decimal
    absorbed: Decimal


@dataclass(frozen=True)
class RiskReport:
    """The fund and the risks it bears, on a day.

    Attributes:
        on: the day.
        currency: the instance's currency.
        balance: what the fund holds.
        leverage: the general assembly's leverage.
        capacity: ``max(0, balance) × leverage``.
        granted: the coverage the rules offer every entity, summed.
        in_use: the coverage in use, summed: the fund's exposure.
        headroom: capacity not yet in use.
        losses_absorbed: every loss the fund paid.
        entities: each entity's coverage, those using most first.
        lapsed: lapsed receivables, most overdue first.
        written_off: written-off receivables, latest first.
        taken_over: receivables the fund took over and holds, oldest due first.
        blocked: entities owing the fund an advance, largest first.
        tied: what the fund paid out and may recover (receivables it holds, advances).
    """

    on: date
    currency: str
    balance: Decimal
    leverage: Decimal
    capacity: Decimal
    granted: Decimal
    in_use: Decimal
    headroom: Decimal
    losses_absorbed: Decimal
    entities: tuple[EntityRisk, ...]
    lapsed: tuple[LapsedReceivable, ...]
    written_off: tuple[WrittenOffReceivable, ...]
    taken_over: tuple[HeldReceivable, ...] = ()
    blocked: tuple[BlockedEntity, ...] = ()
    tied: Decimal = Decimal(0)


def _entities(session: Session, ids: list[int]) -> dict[int, tuple[str, str, str, int]]:
    """Code, name, office code and office id of entities, by id."""
    found: dict[int, tuple[str, str, str, int]] = {}
    query = select(Entity.id, Entity.code, Entity.name, Office.code, Office.id).join(
        Office, Office.id == Entity.office_id
    )
    for i, code, name, office, office_id in session.execute(query.where(Entity.id.in_(ids))):
        found[i] = (code, name, office, office_id)
    return found


def _client(code: str, name: str) -> str:
    return f"{code} {name}"


def _lapsed(
    session: Session, coop: Cooperative, on: date, office_id: int | None
) -> list[LapsedReceivable]:
    rows = OPEN_INVOICES.subquery()
    lapsed_before = on - timedelta(days=coop.guarantee.max_days_overdue)
    query = (
        select(
            Entity.code, Invoice.number, Party.code, Party.name, rows.c.due_on, rows.c.outstanding
        )
        .join(Invoice, Invoice.id == rows.c.id)
        .join(Entity, Entity.id == rows.c.entity_id)
        .join(Party, Party.id == Invoice.party_id)
        .where(
            rows.c.due_on < lapsed_before,
            Invoice.issued_on <= on,
            Invoice.taken_over_on.is_(None),
        )
        .order_by(rows.c.due_on, Invoice.number)
    )
    if office_id is not None:
        query = query.where(Entity.office_id == office_id)
    return [
        LapsedReceivable(
            entity,
            number,
            _client(client, name),
            due_on,
            (on - due_on).days,
            from_minor(int(owed), coop.currency),
        )
        for entity, number, client, name, due_on, owed in session.execute(query)
    ]


def _written_off(
    session: Session, coop: Cooperative, on: date, office_id: int | None
) -> list[WrittenOffReceivable]:
    """Each written-off invoice with the amounts its write-off entries posted."""
    roles = (
        PostingRole.CLIENTS.value,
        PostingRole.VAT_COLLECTED.value,
        PostingRole.GUARANTEE_FUND.value,
    )
    amounts: dict[tuple[str, str], int] = {}
    for number, role, debit, credit in session.execute(
        select(ENTRY.c.act_id, Account.role, func.sum(LINE.c.debit), func.sum(LINE.c.credit))
        .join(ENTRY, ENTRY.c.id == LINE.c.entry_id)
        .join(Account, Account.id == LINE.c.account_id)
        .where(ENTRY.c.act_type == "write_off", Account.role.in_(roles))
        .group_by(ENTRY.c.act_id, Account.role)
    ):
        # clients are credited, the VAT collected and the fund debited
        amounts[(number, role)] = int(credit or 0) if role == roles[0] else int(debit or 0)
    query = (
        select(Entity.code, Invoice.number, Party.code, Party.name, Invoice.written_off_on)
        .join(Entity, Entity.id == Invoice.entity_id)
        .join(Party, Party.id == Invoice.party_id)
        .where(Invoice.written_off_on.is_not(None), Invoice.written_off_on <= on)
        .order_by(Invoice.written_off_on.desc(), Invoice.number)
    )
    if office_id is not None:
        query = query.where(Entity.office_id == office_id)
    cur = coop.currency
    return [
        WrittenOffReceivable(
            entity,
            number,
            _client(client, name),
            day,
            *(from_minor(amounts.get((number, role), 0), cur) for role in roles),
        )
        for entity, number, client, name, day in session.execute(query)
        if day is not None  # the query asks for written-off invoices only
    ]


def risk_report(
    session: Session, coop: Cooperative, *, on: date, office_id: int | None = None
) -> RiskReport:
    """The fund and its risks on a day; with ``office_id``, the rows of that office's
    entities only (the fund's figures stay the instance's)."""
    coverages = entity_coverages(session, coop, on)
    state = fund_capacity(session, coop, on, coverages)
    about = _entities(session, [c.entity_id for c in coverages])
    rows = [
        EntityRisk(
            about[c.entity_id][0],
            about[c.entity_id][1],
            about[c.entity_id][2],
            c.eligible,
            c.offered,
            c.in_use,
            c.funds,
        )
        for c in coverages
        if office_id is None or about[c.entity_id][3] == office_id
    ]
    rows.sort(key=lambda r: (-r.in_use, -r.coverage, r.entity))
    lapsed = _lapsed(session, coop, on, office_id)
    lapsed.sort(key=lambda r: (-r.days_overdue, r.invoice))
    return RiskReport(
        on=on,
        currency=coop.currency,
        balance=state.balance,
        leverage=state.leverage,
        capacity=state.capacity,
        granted=state.granted,
        in_use=state.exposure,
        headroom=state.free,
        losses_absorbed=from_minor(int(session.scalar(LOSSES) or 0), coop.currency),
        entities=tuple(rows),
        lapsed=tuple(lapsed),
        written_off=tuple(_written_off(session, coop, on, office_id)),
        taken_over=tuple(held_receivables(session, coop, on=on, office_id=office_id)),
        blocked=tuple(blocked_entities(session, coop, office_id=office_id)),
        tied=state.tied,
    )
