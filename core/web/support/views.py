"""What the follow-up and workshop endpoints and pages share: the access rules applied,
then the members services called, and their rows turned into the API's structures.

Each writing function runs inside the caller's transaction, so a refusal leaves
nothing written."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from partage.core.access.models import Role
from partage.core.access.roles import (
    Principal,
    follow_up_office,
    reachable_member,
    reachable_workshop,
    require_staff,
)
from partage.core.acts.cooperative import InvalidAct
from partage.core.contract.errors import N_
from partage.core.members import follow_up, workshops
from partage.core.members.follow_up import Document
from partage.core.members.models import FollowUpItem, FollowUpKind, Member, Office, Person
from partage.core.web.support import schemas as s


def member_name(session: Session, member: Member) -> str:
    first, last = session.execute(
        select(Person.first_name, Person.last_name).where(Person.id == member.person_id)
    ).one()
    return f"{first} {last}"


def office_codes(session: Session) -> dict[int, str]:
    return {i: code for i, code in session.execute(select(Office.id, Office.code))}


def local_text(value: datetime) -> str:
    """An office's local time as the API writes it (:data:`.schemas.LocalTime`)."""
    return value.strftime("%Y-%m-%dT%H:%M")


def item_out(item: FollowUpItem, offices: dict[int, str]) -> s.FollowUpOut:
    return s.FollowUpOut(
        id=item.id,
        kind=item.kind,
        subject=item.subject,
        body=item.body,
        starts_at=local_text(item.starts_at) if item.starts_at else None,
        place=item.place,
        file_name=item.filename,
        visible_to_member=item.visible_to_member,
        office=offices.get(item.office_id) if item.office_id else None,
        written_at=item.written_at,
        written_by=item.written_by,
    )


def record(session: Session, me: Principal, number: int) -> tuple[Member, list[s.FollowUpOut]]:
    """A member's follow-up record as the login may read it: all of it for staff who
    reach the member, the items shown to them for the member themself."""
    member = reachable_member(session, me, number)
    offices = office_codes(session)
    rows = follow_up.items(session, member, visible_only=me.role is Role.MEMBER)
    return member, [item_out(i, offices) for i in rows]


def write(
    session: Session,
    me: Principal,
    number: int,
    *,
    kind: str,
    subject: str,
    body: str = "",
    starts_at: datetime | None = None,
    place: str = "",
    document: Document | None = None,
    visible: bool | None = None,
    office: str | None = None,
) -> s.FollowUpOut:
    """Add an item to a member's record (office staff of the member's office and
    administrators)."""
    require_staff(me, "write in a member's follow-up record")
    member = reachable_member(session, me, number)
    try:
        what = FollowUpKind(kind)
    except ValueError:
        raise InvalidAct(
            "kind", N_("{kind} is not a note, an appointment or a document"), kind=repr(kind)
        ) from None
    item = follow_up.add_item(
        session,
        member=member,
        office=follow_up_office(me, office),
        kind=what,
        subject=subject,
        body=body,
        starts_at=starts_at,
        place=place,
        document=document,
        visible=visible,
        actor=me.actor,
    )
    offices = office_codes(session)
    return item_out(item, offices)


def workshop_out(listed: workshops.Listed, seats: list[workshops.Seat] | None) -> s.WorkshopOut:
    w = listed.workshop
    return s.WorkshopOut(
        code=w.code,
        office=listed.office,
        title=w.title,
        starts_at=local_text(w.starts_at),
        place=w.place,
        capacity=w.capacity,
        registered=listed.registered,
        description=w.description,
        seats=None
        if seats is None
        else [s.SeatOut(number=x.number, name=x.name, attended=x.attended) for x in seats],
    )


def workshop_list(session: Session, me: Principal) -> list[s.WorkshopOut]:
    """Workshops the login sees: its office's for office staff, every one for
    administrators, those they registered for for a member."""
    if me.role is Role.MEMBER:
        rows = workshops.listing(session, member_id=me.member_id or -1)
    elif me.role is Role.ADMINISTRATOR:
        rows = workshops.listing(session)
    else:
        require_staff(me, "read workshops")
        rows = workshops.listing(session, office_id=me.office_id or -1)
    return [workshop_out(r, None) for r in rows]


def workshop_detail(session: Session, me: Principal, code: str) -> s.WorkshopOut:
    """One workshop; staff read who registered and came, a member only the session."""
    workshop = reachable_workshop(session, me, code)
    (listed,) = [
        r
        for r in workshops.listing(session, office_id=workshop.office_id)
        if r.workshop.id == workshop.id
    ]
    seats = None if me.role is Role.MEMBER else workshops.seats(session, workshop)
    return workshop_out(listed, seats)


def plan(session: Session, me: Principal, body: s.WorkshopIn) -> s.WorkshopOut:
    require_staff(me, "plan workshops")
    office = follow_up_office(me, body.office)
    if office is None:
        raise InvalidAct("office", N_("say which office holds the workshop"))
    workshop = workshops.plan(
        session,
        office=office,
        title=body.title,
        starts_at=body.starts_at,
        place=body.place,
        capacity=body.capacity,
        description=body.description,
        actor=me.actor,
    )
    return workshop_detail(session, me, workshop.code)


def register(session: Session, me: Principal, code: str, number: int) -> s.WorkshopOut:
    """Register a member the login follows (staff of the workshop's office)."""
    require_staff(me, "register members for workshops")
    workshop = reachable_workshop(session, me, code)
    member = reachable_member(session, me, number)
    workshops.register(session, workshop, member, actor=me.actor)
    return workshop_detail(session, me, code)


def attendance(
    session: Session, me: Principal, code: str, present: list[int], on: date
) -> s.WorkshopOut:
    require_staff(me, "mark attendance")
    workshop = reachable_workshop(session, me, code)
    workshops.mark_attendance(session, workshop, set(present), on=on, actor=me.actor)
    return workshop_detail(session, me, code)
