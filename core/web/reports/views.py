"""Read models of an office as its advisers see it: its members, their entities' funds
and receivables, and the alerts. One or a few aggregate queries each; nothing here
writes, and the access rules (:mod:`partage.core.access.roles`) decide beforehand which
office may be asked for."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import Cooperative
from partage.core.contract.money import from_minor
from partage.core.ledger.periods import fiscal_year_containing
from partage.core.ledger.reports import funds_by_book
from partage.core.members.models import Entity, EntityHolder, Member, Office, Person
from partage.core.sales.models import Invoice, InvoiceKind
from partage.core.sales.receivables import outstanding_query
from partage.core.web.reports import schemas as s
from partage.core.web.schemas import money


def signed_net() -> ColumnElement[int]:
    """An invoice's net amount, negative for a credit note: sums give net sales."""
    return case((Invoice.kind == InvoiceKind.CREDIT_NOTE.value, -Invoice.net), else_=Invoice.net)


def office_view(
    session: Session, coop: Cooperative, office: Office, today: date, start_month: int
) -> s.OfficeOut:
    """An office as its advisers see it: its members, their entities and the alerts."""
    cur = coop.currency
    funds = funds_by_book(session)
    entities = session.scalars(
        select(Entity).where(Entity.office_id == office.id).order_by(Entity.code)
    ).all()
    holders = _holders(session, office)
    receivables = _receivables(session, today)
    rows = []
    short = []
    for e in entities:
        owed, overdue = receivables.get(e.id, (0, 0))
        available = funds.get(e.code, from_minor(0, cur))
        if available < 0:
            short.append(e.code)
        rows.append(
            s.OfficeEntity(
                code=e.code,
                name=e.name,
                kind=e.kind,
                holders=holders.get(e.id, []),
                available_funds=str(available),
                open_receivables=money(owed, cur),
                overdue_invoices=overdue,
            )
        )
    year = fiscal_year_containing(today, start_month)
    start, end = year.start, year.end
    invoiced = session.scalar(
        select(func.coalesce(func.sum(signed_net()), 0))
        .join(Entity, Entity.id == Invoice.entity_id)
        .where(Entity.office_id == office.id, Invoice.issued_on >= start, Invoice.issued_on <= end)
    )
    return s.OfficeOut(
        code=office.code,
        name=office.name,
        address=office.address,
        members=_members(session, office),
        entities=rows,
        invoiced_this_year=money(int(invoiced or 0), cur),
        entities_short_of_funds=short,
        advisers=[a.user_name for a in office.advisers],
    )


def _holders(session: Session, office: Office) -> dict[int, list[int]]:
    """The member numbers holding each entity of the office, by entity id."""
    holders: dict[int, list[int]] = defaultdict(list)
    for entity_id, number in session.execute(
        select(EntityHolder.entity_id, Member.number)
        .join(Member, Member.id == EntityHolder.member_id)
        .join(Entity, Entity.id == EntityHolder.entity_id)
        .where(Entity.office_id == office.id)
        .order_by(Member.number)
    ):
        holders[entity_id].append(number)
    return holders


def _receivables(session: Session, today: date) -> dict[int, tuple[int, int]]:
    """What clients still owe each entity (minor units) and how many of its invoices are
    overdue, by entity id."""
    open_rows = outstanding_query().subquery()
    receivables: dict[int, tuple[int, int]] = {}
    for entity_id, owed, overdue in session.execute(
        select(
            open_rows.c.entity_id,
            func.sum(open_rows.c.outstanding),
            func.sum(case((open_rows.c.due_on < today, 1), else_=0)),
        ).group_by(open_rows.c.entity_id)
    ):
        receivables[entity_id] = (int(owed or 0), int(overdue or 0))
    return receivables


def _members(session: Session, office: Office) -> list[s.OfficeMember]:
    """The members holding an entity of the office, each with the entities they hold."""
    people: dict[int, s.OfficeMember] = {}
    for number, first, last, email, code in session.execute(
        select(Member.number, Person.first_name, Person.last_name, Person.email, Entity.code)
        .join(Person, Person.id == Member.person_id)
        .join(EntityHolder, EntityHolder.member_id == Member.id)
        .join(Entity, Entity.id == EntityHolder.entity_id)
        .where(Entity.office_id == office.id)
        .order_by(Member.number, Entity.code)
    ):
        person = people.setdefault(
            number, s.OfficeMember(number=number, name=f"{first} {last}", email=email, entities=[])
        )
        person.entities.append(code)
    return list(people.values())
