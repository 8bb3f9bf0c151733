"""The entity list as staff search it: what needs them first, then the entities found
by a search, filters and a sort, one page at a time.

Everything is decided in the database — the filter on funds, on advances owed to the
guarantee fund and on overdue invoices, the sort and the page (``LIMIT``/``OFFSET``) —
so an office of hundreds of entities costs the same two queries as one of ten: the
page's rows and their count. The access rules (:mod:`partage.core.access.roles`) give
the scope; the ethics committee lists names and kinds only, so it may neither filter
nor sort by a figure.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, and_, func, literal, or_, select
from sqlalchemy.orm import Session

from partage.core.access.models import Role
from partage.core.access.roles import Forbidden, Principal, entity_scope
from partage.core.acts.cooperative import Cooperative, InvalidAct
from partage.core.acts.models import PendingAct, PendingStatus
from partage.core.contract.errors import N_
from partage.core.contract.money import from_minor
from partage.core.ledger.models import Book
from partage.core.ledger.reports import funds_query
from partage.core.members.models import (
    Application,
    AttestationRecord,
    Entity,
    EntityHolder,
    Member,
    Office,
    Person,
)
from partage.core.members.review import Status
from partage.core.sales.fund_cover import ALL_ADVANCES
from partage.core.sales.models import DocumentDraft, DraftStatus
from partage.core.sales.receivables import OPEN_INVOICES
from partage.core.spending.models import Purchase
from partage.core.web.entities import schemas as s

#: Entities a page shows unless asked otherwise, and the most one page may show.
PER_PAGE, MOST_PER_PAGE = 50, 200
#: How far ahead an attestation's end counts as "expiring" for the advisers, in days.
ATTESTATION_NOTICE_DAYS = 30
#: How far back the advisers' needs count purchases bearing VAT of another country: a
#: quarter, the longest VAT return period, within which a refund claim is prepared.
FOREIGN_VAT_NOTICE_DAYS = 92


class Condition(enum.StrEnum):
    """A state an entity's list may be filtered on."""

    SHORT = "short"  # available funds below zero: the guarantee fund carries it
    BLOCKED = "blocked"  # owes the guarantee fund an advance
    OVERDUE = "overdue"  # has an invoice past its due day
    OPEN = "open"  # not closed
    CLOSED = "closed"


_E = TypeVar("_E", bound=enum.StrEnum)


class Sort(enum.StrEnum):
    """How a list is ordered (ties by code)."""

    CODE = "code"
    NAME = "name"
    FUNDS = "funds"  # lowest first: who is in trouble
    OVERDUE = "overdue"  # most overdue invoices first


@dataclass(frozen=True)
class Query:
    """What a list is asked for.

    Attributes:
        text: searched in the code, the name and the holders' names and numbers.
        kind: entities of that kind only.
        condition: entities in that state only.
        office: entities of the office of that code only.
        sort: the order.
        page: 1 for the first page.
        per_page: rows per page.
    """

    text: str = ""
    kind: str | None = None
    condition: Condition | None = None
    office: str | None = None
    sort: Sort = Sort.CODE
    page: int = 1
    per_page: int = PER_PAGE


#: The address's parameters of a list, in :func:`query_of`'s order.
ASKED = ("q", "kind", "status", "office", "sort", "page", "per_page")


def query_of(
    text: str | None,
    kind: str | None,
    condition: str | None,
    office: str | None,
    sort: str | None,
    page: str | int | None,
    per_page: str | int | None,
) -> Query:
    """A :class:`Query` from a form or an address; a bad value is refused naming it."""

    def number(raw: str | int | None, field: str, default: int, most: int) -> int:
        if raw in (None, ""):
            return default
        text = str(raw).strip()
        if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= most:
            raise InvalidAct(
                field, N_("{raw} is not a whole number from 1 to {most}"), raw=repr(raw), most=most
            )
        return int(text)

    def choice(raw: str | None, field: str, kinds: type[_E]) -> _E | None:
        if not raw:
            return None
        try:
            return kinds(raw)
        except ValueError:
            allowed = tuple(k.value for k in kinds)
            raise InvalidAct(
                field, N_("{raw} is not one of {allowed}"), raw=repr(raw), allowed=allowed
            ) from None

    return Query(
        text=(text or "").strip()[:100],
        kind=(kind or "").strip()[:32] or None,
        condition=choice(condition, "status", Condition),
        office=(office or "").strip()[:32] or None,
        sort=choice(sort, "sort", Sort) or Sort.CODE,
        page=number(page, "page", 1, 100_000),
        per_page=number(per_page, "per_page", PER_PAGE, MOST_PER_PAGE),
    )


@dataclass(frozen=True)
class Found:
    """A page of entities and how many match in all."""

    rows: list[s.EntityOut]
    total: int
    query: Query

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.query.per_page))


def _overdue_counts(today: date) -> Select[tuple[int, int]]:
    open_rows = OPEN_INVOICES.subquery()
    return (
        select(open_rows.c.entity_id, func.count().label("overdue"))
        .where(open_rows.c.due_on < today)
        .group_by(open_rows.c.entity_id)
    )


def search(
    session: Session,
    coop: Cooperative,
    principal: Principal,
    scope: ColumnElement[bool],
    query: Query,
    today: date,
) -> Found:
    """One page of the entities in ``scope`` matching ``query``, with their figures
    (funds, advance owed, overdue invoices) unless the login is the ethics committee."""
    figures = principal.role is not Role.ETHICS_COMMITTEE
    if not figures and (query.condition not in (None, Condition.OPEN, Condition.CLOSED)):
        raise Forbidden("status", N_("the ethics committee reads no entity's figures"))
    if not figures and query.sort in (Sort.FUNDS, Sort.OVERDUE):
        raise Forbidden("sort", N_("the ethics committee reads no entity's figures"))
    funds_rows = funds_query().subquery()
    advances = ALL_ADVANCES.subquery()
    overdue_rows = _overdue_counts(today).subquery()
    funds = func.coalesce(funds_rows.c.funds, literal(0))
    owed = func.coalesce(advances.c.owed, literal(0))
    overdue = func.coalesce(overdue_rows.c.overdue, literal(0))
    conditions: list[ColumnElement[bool]] = [scope]
    if query.text:
        conditions.append(_matching(query.text, figures))
    if query.kind:
        conditions.append(Entity.kind == query.kind)
    if query.office:
        conditions.append(Office.code == query.office)
    match query.condition:
        case Condition.SHORT:
            conditions.append(funds < 0)
        case Condition.BLOCKED:
            conditions.append(owed > 0)
        case Condition.OVERDUE:
            conditions.append(overdue > 0)
        case Condition.OPEN:
            conditions.append(Entity.closed_on.is_(None))
        case Condition.CLOSED:
            conditions.append(Entity.closed_on.is_not(None))
    base = (
        select(Entity, Office.code, funds, owed, overdue)
        .join(Office, Office.id == Entity.office_id)
        .outerjoin(Book, Book.code == Entity.code)
        .outerjoin(funds_rows, funds_rows.c.book_id == Book.id)
        .outerjoin(advances, advances.c.id == Entity.id)
        .outerjoin(overdue_rows, overdue_rows.c.entity_id == Entity.id)
        .where(and_(*conditions))
    )
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    orders: dict[Sort, list[Any]] = {
        Sort.CODE: [Entity.code],
        Sort.NAME: [Entity.name, Entity.code],
        Sort.FUNDS: [funds, Entity.code],
        Sort.OVERDUE: [overdue.desc(), Entity.code],
    }
    order = orders[query.sort]
    found = session.execute(
        base.order_by(*order).limit(query.per_page).offset((query.page - 1) * query.per_page)
    ).all()
    holders = _holders(session, [row[0].id for row in found]) if figures else {}
    cur = coop.currency
    rows = [
        s.EntityOut(
            code=e.code,
            name=e.name,
            kind=e.kind,
            office=office,
            opened_on=e.opened_on,
            closed_on=e.closed_on,
            available_funds=str(from_minor(int(money), cur)) if figures else None,
            advance_owed=str(from_minor(int(advance), cur)) if figures else None,
            overdue_invoices=int(late) if figures else None,
            holders=holders.get(e.id, []) if figures else None,
        )
        for e, office, money, advance, late in found
    ]
    return Found(rows, int(total), query)


def _matching(text: str, with_people: bool) -> ColumnElement[bool]:
    """Entities whose code or name contains ``text``, or (``with_people``) one of whose
    holders has that member number or a name containing it."""
    # autoescape: a % or _ typed is searched as itself, not as a wildcard
    found: list[ColumnElement[bool]] = [
        Entity.code.icontains(text, autoescape=True),
        Entity.name.icontains(text, autoescape=True),
    ]
    if with_people:
        people = (
            select(EntityHolder.entity_id)
            .join(Member, Member.id == EntityHolder.member_id)
            .join(Person, Person.id == Member.person_id)
            .where(
                or_(
                    (Person.first_name + " " + Person.last_name).icontains(text, autoescape=True),
                    *([Member.number == int(text)] if text.isdigit() and len(text) < 10 else []),
                )
            )
        )
        found.append(Entity.id.in_(people))
    return or_(*found)


def _holders(session: Session, entity_ids: list[int]) -> dict[int, list[s.HolderOut]]:
    """The holders of each entity of a page, by entity id."""
    holders: dict[int, list[s.HolderOut]] = defaultdict(list)
    if not entity_ids:
        return holders
    for entity_id, number, first, last in session.execute(
        select(EntityHolder.entity_id, Member.number, Person.first_name, Person.last_name)
        .join(Member, Member.id == EntityHolder.member_id)
        .join(Person, Person.id == Member.person_id)
        .where(EntityHolder.entity_id.in_(entity_ids))
        .order_by(Member.number)
    ):
        holders[entity_id].append(s.HolderOut(number=number, name=f"{first} {last}"))
    return holders


def needs(session: Session, principal: Principal, today: date) -> s.NeedsOut:
    """What needs the login first, counted in its reach: acts waiting for validation,
    entities short of funds or blocked, overdue invoices, attestations ending soon and
    applications to its office waiting for a decision."""
    scope = entity_scope(principal)
    in_scope = select(Entity.id).where(scope)
    pending = session.scalar(
        select(func.count())
        .select_from(PendingAct)
        .where(PendingAct.status == PendingStatus.PENDING.value, PendingAct.entity_id.in_(in_scope))
    )
    funds_rows = funds_query().subquery()
    short = session.scalar(
        select(func.count())
        .select_from(Entity)
        .join(Book, Book.code == Entity.code)
        .join(funds_rows, funds_rows.c.book_id == Book.id)
        .where(scope, funds_rows.c.funds < 0)
    )
    advances = ALL_ADVANCES.subquery()
    blocked = session.scalar(
        select(func.count())
        .select_from(advances)
        .where(advances.c.owed > 0, advances.c.id.in_(in_scope))
    )
    open_rows = OPEN_INVOICES.subquery()
    overdue = session.scalar(
        select(func.count())
        .select_from(open_rows)
        .where(open_rows.c.due_on < today, open_rows.c.entity_id.in_(in_scope))
    )
    holders_people = (
        select(Member.person_id)
        .join(EntityHolder, EntityHolder.member_id == Member.id)
        .where(EntityHolder.entity_id.in_(in_scope))
    )
    expiring = session.scalar(
        select(func.count())
        .select_from(AttestationRecord)
        .where(
            AttestationRecord.valid_until >= today,
            AttestationRecord.valid_until <= today + timedelta(days=ATTESTATION_NOTICE_DAYS),
            or_(
                AttestationRecord.entity_id.in_(in_scope),
                AttestationRecord.person_id.in_(holders_people),
            ),
        )
    )
    waiting = (
        select(func.count())
        .select_from(Application)
        .where(Application.status.in_([Status.IN_REVIEW.value, Status.APPEALED.value]))
    )
    if principal.role is not Role.ADMINISTRATOR:
        waiting = waiting.where(Application.office_id == (principal.office_id or -1))
    foreign_vat = session.scalar(
        select(func.count())
        .select_from(Purchase)
        .where(
            Purchase.foreign_vat.is_not(None),
            Purchase.on >= today - timedelta(days=FOREIGN_VAT_NOTICE_DAYS),
            Purchase.entity_id.in_(in_scope),
        )
    )
    drafts = session.scalar(
        select(func.count())
        .select_from(DocumentDraft)
        .where(
            DocumentDraft.status == DraftStatus.SUBMITTED.value,
            DocumentDraft.entity_id.in_(in_scope),
        )
    )
    return s.NeedsOut(
        drafts_to_validate=int(drafts or 0),
        pending_validations=int(pending or 0),
        short_of_funds=int(short or 0),
        blocked=int(blocked or 0),
        overdue_invoices=int(overdue or 0),
        expiring_attestations=int(expiring or 0),
        attestation_notice_days=ATTESTATION_NOTICE_DAYS,
        applications=int(session.scalar(waiting) or 0),
        foreign_vat_purchases=int(foreign_vat or 0),
        foreign_vat_notice_days=FOREIGN_VAT_NOTICE_DAYS,
    )
