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
other and cannot both pass on the same funds.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import Select, and_, func, literal, select
from sqlalchemy.orm import Session

from partage.core.acts import Cooperative, InsufficientFunds
from partage.core.ledger.reports import available_funds
from partage.core.members.models import Entity, Party
from partage.core.money import from_minor, round_money
from partage.core.trade.models import Allocation, Invoice, InvoiceKind

#: A day after every posted entry: funds count every commitment already in the books,
#: whatever its date.
END_OF_TIME = date(9999, 12, 31)


def outstanding_query(entity_id: int | None = None) -> Select[tuple[int, int, int, int]]:
    """Open invoices as ``(invoice id, entity id, due_on, outstanding minor units)``.

    Outstanding = total − allocations − credit notes on it; rows at zero or below (paid
    or over-credited) are left out.
    """
    paid = (
        select(Allocation.invoice_id, func.sum(Allocation.amount).label("paid"))
        .group_by(Allocation.invoice_id)
        .subquery()
    )
    credit_note = Invoice.__table__.alias("credit_note")
    credited = (
        select(
            credit_note.c.credits_id.label("invoice_id"),
            func.sum(credit_note.c.net + credit_note.c.vat).label("credited"),
        )
        .where(credit_note.c.kind == InvoiceKind.CREDIT_NOTE.value)
        .group_by(credit_note.c.credits_id)
        .subquery()
    )
    outstanding = (
        Invoice.net
        + Invoice.vat
        - func.coalesce(paid.c.paid, literal(0))
        - func.coalesce(credited.c.credited, literal(0))
    )
    query = (
        select(Invoice.id, Invoice.entity_id, Invoice.due_on, outstanding.label("outstanding"))
        .outerjoin(paid, paid.c.invoice_id == Invoice.id)
        .outerjoin(credited, credited.c.invoice_id == Invoice.id)
        .where(
            Invoice.kind == InvoiceKind.INVOICE.value,
            Invoice.written_off_on.is_(None),
            outstanding > 0,
        )
    )
    if entity_id is not None:
        query = query.where(Invoice.entity_id == entity_id)
    return query  # type: ignore[return-value]


def coverage(session: Session, coop: Cooperative, entity_id: int, on: date) -> Decimal:
    """What the guarantee fund covers for an entity on a day (see the module's rule)."""
    rules = coop.guarantee
    rows = outstanding_query(entity_id).subquery()
    eligible = session.scalar(
        select(func.coalesce(func.sum(rows.c.outstanding), 0))
        .select_from(rows)
        .join(Invoice, Invoice.id == rows.c.id)
        .join(Party, Party.id == Invoice.party_id)
        .where(
            and_(
                Party.defaulted_on.is_(None),
                rows.c.due_on >= on - timedelta(days=rules.max_days_overdue),
                Invoice.issued_on <= on,
            )
        )
    )
    covered = round_money(
        from_minor(int(eligible or 0), coop.currency) * rules.coverage_rate, coop.currency
    )
    return min(covered, rules.ceiling_per_entity)


def lock_entity(session: Session, entity_id: int) -> None:
    """Hold the entity's row until the transaction ends (see the module docstring)."""
    query = select(Entity.id).where(Entity.id == entity_id)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    session.execute(query)


def headroom(session: Session, coop: Cooperative, entity: Entity, on: date) -> Decimal:
    """Available funds plus guarantee coverage: the most the entity may commit now."""
    funds = available_funds(session, book=entity.code, on=END_OF_TIME)
    return funds + coverage(session, coop, entity.id, on)


def require_funds(
    session: Session, coop: Cooperative, entity: Entity, amount: Decimal, *, on: date, what: str
) -> Decimal:
    """Lock the entity and refuse ``what`` if it would take the entity below zero.

    Returns the headroom left after the commitment.
    """
    lock_entity(session, entity.id)
    room = headroom(session, coop, entity, on)
    if amount > room:
        missing = amount - room
        raise InsufficientFunds(
            f"entity {entity.code}: {what} of {amount} {coop.currency} refused: available "
            f"funds and guarantee cover {room} {coop.currency}, {missing} {coop.currency} "
            "missing",
            missing,
        )
    return room - amount
