"""The no-bankruptcy rule: no entity commits money it does not have or is not covered
for by the salary guarantee fund.

Guarantee coverage of an entity, on a day, is defined as

    min(coverage_rate × Σ outstanding eligible receivables, ceiling_per_entity)

where a receivable is eligible when it is an issued invoice of the entity, not written
off, to a client not in default, and overdue by at most ``max_days_overdue`` days; its
outstanding amount is its total (VAT included: the VAT collected is already subtracted
from available funds) less what was paid or credited on it. A commitment of ``amount``
is accepted when ``available funds + coverage − amount ≥ 0``.

Concurrency: every commitment first locks its entity's row (``SELECT ... FOR UPDATE``
on PostgreSQL; SQLite already serialises writing transactions, which Partage opens
with ``BEGIN IMMEDIATE``), so two commitments of one entity are checked one after the
other and cannot both pass on the same funds. A payroll run locks all its entities at
once, in id order, so that two runs cannot deadlock.

Every figure here is computed for many entities in one grouped query
(:func:`headrooms`), so that a payroll run of thousands of payslips checks them all
with a handful of queries; the one-entity functions are that query for one entity.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import Cooperative, InsufficientFunds
from partage.core.contract.money import from_minor, round_money
from partage.core.ledger.models import Book
from partage.core.ledger.reports import funds_query
from partage.core.members.models import Entity, Party
from partage.core.platform.db.engine import chunks
from partage.core.sales.models import Invoice
from partage.core.sales.receivables import OPEN_INVOICES

#: A day after every posted entry: funds count every commitment already in the books,
#: whatever its date.
END_OF_TIME = date(9999, 12, 31)


_OPEN_OF = OPEN_INVOICES.where(Invoice.entity_id.in_(bindparam("entity_ids", expanding=True)))
_ELIGIBLE_ROWS = _OPEN_OF.subquery()

#: Eligible receivables of entities (``entity_ids``) on a day (``on``, ``due_after``).
ELIGIBLE = (
    select(_ELIGIBLE_ROWS.c.entity_id, func.sum(_ELIGIBLE_ROWS.c.outstanding))
    .join(Invoice, Invoice.id == _ELIGIBLE_ROWS.c.id)
    .join(Party, Party.id == Invoice.party_id)
    .where(
        Party.defaulted_on.is_(None),
        _ELIGIBLE_ROWS.c.due_on >= bindparam("due_after"),
        Invoice.issued_on <= bindparam("on"),
    )
    .group_by(_ELIGIBLE_ROWS.c.entity_id)
)

#: Available funds of entities (``entity_ids``): the ledger's rule
#: (:func:`~partage.core.ledger.reports.funds_query`) over the entities' books, so that
#: one query serves a payroll run of thousands of entities as fast as one commitment.
_BOOKS_OF = (
    select(Book.id)
    .join(Entity, Entity.code == Book.code)
    .where(Entity.id.in_(bindparam("entity_ids", expanding=True)))
)
_BALANCES = funds_query(_BOOKS_OF).subquery()
FUNDS = (
    select(Entity.id, _BALANCES.c.funds)
    .join(Book, Book.code == Entity.code)
    .join(_BALANCES, _BALANCES.c.book_id == Book.id)
)


def coverages(
    session: Session, coop: Cooperative, entity_ids: Sequence[int], on: date
) -> dict[int, Decimal]:
    """What the guarantee fund covers for each entity on a day (the module's rule)."""
    rules = coop.guarantee
    eligible: dict[int, int] = {}
    due_after = on - timedelta(days=rules.max_days_overdue)
    for part in chunks(entity_ids):
        eligible.update(
            session.execute(
                ELIGIBLE, {"entity_ids": list(part), "due_after": due_after, "on": on}
            ).all()
        )
    covered = {}
    for entity_id in entity_ids:
        amount = from_minor(int(eligible.get(entity_id) or 0), coop.currency)
        covered[entity_id] = min(
            round_money(amount * rules.coverage_rate, coop.currency), rules.ceiling_per_entity
        )
    return covered


def coverage(session: Session, coop: Cooperative, entity_id: int, on: date) -> Decimal:
    """What the guarantee fund covers for one entity on a day."""
    return coverages(session, coop, [entity_id], on)[entity_id]


def funds_by_entity(
    session: Session, coop: Cooperative, entity_ids: Sequence[int]
) -> dict[int, Decimal]:
    """Each entity's available funds, counting every posted entry (opening entries
    left out): the figure of :func:`partage.core.ledger.reports.available_funds` at
    :data:`END_OF_TIME`, by entity id, one query (:data:`FUNDS`) per chunk of ids."""
    found: dict[int, int] = {}
    for part in chunks(entity_ids):
        found.update(session.execute(FUNDS, {"entity_ids": list(part)}).all())
    return {i: from_minor(int(found.get(i) or 0), coop.currency) for i in entity_ids}


def headrooms(
    session: Session, coop: Cooperative, entity_ids: Iterable[int], on: date
) -> dict[int, Decimal]:
    """Available funds plus guarantee coverage of each entity: the most it may commit."""
    ids = sorted(set(entity_ids))
    funds = funds_by_entity(session, coop, ids)
    covered = coverages(session, coop, ids, on)
    return {i: funds[i] + covered[i] for i in ids}


def headroom(session: Session, coop: Cooperative, entity: Entity, on: date) -> Decimal:
    """Available funds plus guarantee coverage of one entity."""
    return headrooms(session, coop, [entity.id], on)[entity.id]


def lock_entities(session: Session, entity_ids: Iterable[int]) -> None:
    """Hold the entities' rows until the transaction ends, taken in id order so that
    two transactions locking overlapping sets cannot deadlock (see the module)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    ids = sorted(set(entity_ids))
    for part in chunks(ids):
        session.execute(
            select(Entity.id).where(Entity.id.in_(part)).order_by(Entity.id).with_for_update()
        )


def lock_entity(session: Session, entity_id: int) -> None:
    """Hold one entity's row until the transaction ends."""
    lock_entities(session, [entity_id])


def refusal(
    coop: Cooperative, entity: Entity, amount: Decimal, room: Decimal, what: str
) -> InsufficientFunds:
    """The refusal of a commitment of ``amount`` when only ``room`` is left."""
    missing = amount - room
    return InsufficientFunds(
        "entity",
        f"{what} of {amount} {coop.currency} refused: available funds and guarantee cover "
        f"{room} {coop.currency}, {missing} {coop.currency} missing",
        value=entity.code,
        missing=missing,
    )


def require_funds(
    session: Session, coop: Cooperative, entity: Entity, amount: Decimal, *, on: date, what: str
) -> Decimal:
    """Lock the entity and refuse ``what`` if it would take the entity below zero.

    Returns the headroom left after the commitment.
    """
    lock_entity(session, entity.id)
    room = headroom(session, coop, entity, on)
    if amount > room:
        raise refusal(coop, entity, amount, room, what)
    return room - amount
