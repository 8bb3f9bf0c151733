"""Workshops and training sessions an office holds for members, with who registered
and, once held, who came.

A session has a capacity: registering past it is refused, as is registering twice.
Attendance is marked once the session's day has come — every registered member is
marked present or absent in one act, so the list is never half-marked. Each act is in
the audit log.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import InvalidAct, NotFound
from partage.core.contract.errors import N_
from partage.core.members.checks import local_time, required
from partage.core.members.models import Member, Office, Person, Workshop, WorkshopSeat
from partage.core.members.offices import office_by_code
from partage.core.platform import audit

#: The most members one session may seat (an operational bound against typing errors).
MOST_SEATS = 500


@dataclass(frozen=True)
class Seat:
    """A registered member: number, name and attendance (``None`` until marked)."""

    number: int
    name: str
    attended: bool | None


@dataclass(frozen=True)
class Listed:
    """A workshop as listed: the row, its office's code and how many registered."""

    workshop: Workshop
    office: str
    registered: int


def plan(
    session: Session,
    *,
    office: str,
    title: str,
    starts_at: datetime,
    place: str,
    capacity: int,
    description: str = "",
    actor: str,
) -> Workshop:
    """Plan a workshop or training session of an office."""
    row = office_by_code(session, office)
    title = required(title, "title")
    if len(title) > 200 or len(place) > 200:
        raise InvalidAct(
            "title" if len(title) > 200 else "place", N_("is at most {most} characters"), most=200
        )
    if not 1 <= capacity <= MOST_SEATS:
        raise InvalidAct("capacity", N_("is a number of seats from 1 to {most}"), most=MOST_SEATS)
    number = (session.scalar(select(func.max(Workshop.id))) or 0) + 1
    workshop = Workshop(
        code=f"W{number:06d}",
        office_id=row.id,
        title=title,
        starts_at=local_time(starts_at, "starts_at"),
        place=place.strip(),
        capacity=capacity,
        description=description.strip(),
        created_by=actor,
    )
    session.add(workshop)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="workshop.plan",
        subject=f"workshop:{workshop.code}",
        data={"office": office, "title": title, "starts_at": workshop.starts_at.isoformat()},
    )
    return workshop


def workshop_by_code(session: Session, code: str) -> Workshop:
    found = session.scalars(select(Workshop).where(Workshop.code == code)).one_or_none()
    if found is None:
        raise NotFound("workshop", N_("no such workshop"), value=repr(code))
    return found


def register(session: Session, workshop: Workshop, member: Member, *, actor: str) -> WorkshopSeat:
    """Register a member for a session: refused when full or already registered."""
    # the session's row is locked first: two registrations cannot both take the last seat
    session.execute(select(Workshop.id).where(Workshop.id == workshop.id).with_for_update())
    taken = session.scalar(
        select(func.count())
        .select_from(WorkshopSeat)
        .where(WorkshopSeat.workshop_id == workshop.id)
    )
    if session.get(WorkshopSeat, (workshop.id, member.id)) is not None:
        raise InvalidAct(
            "member", N_("member {number} is already registered"), number=member.number
        )
    if (taken or 0) >= workshop.capacity:
        raise InvalidAct(
            "member", N_("the session is full ({capacity} seats)"), capacity=workshop.capacity
        )
    seat = WorkshopSeat(workshop_id=workshop.id, member_id=member.id, registered_by=actor)
    session.add(seat)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="workshop.register",
        subject=f"workshop:{workshop.code}",
        data={"member": member.number},
    )
    return seat


def mark_attendance(
    session: Session, workshop: Workshop, present: Collection[int], *, on: date, actor: str
) -> list[Seat]:
    """Mark who came (member numbers in ``present``) and who did not (every other
    registered member), once the session's day has come."""
    if on < workshop.starts_at.date():
        raise InvalidAct(
            "on", N_("the session is on {day}: mark it then"), day=workshop.starts_at.date()
        )
    rows = session.execute(
        select(WorkshopSeat, Member.number)
        .join(Member, Member.id == WorkshopSeat.member_id)
        .where(WorkshopSeat.workshop_id == workshop.id)
    ).all()
    registered = {number for _, number in rows}
    strangers = sorted(set(present) - registered)
    if strangers:
        raise InvalidAct(
            "present", N_("members {strangers} are not registered for it"), strangers=str(strangers)
        )
    for seat, number in rows:
        seat.attended = number in present
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="workshop.attendance",
        subject=f"workshop:{workshop.code}",
        data={"present": sorted(present), "absent": sorted(registered - set(present))},
    )
    return seats(session, workshop)


def seats(session: Session, workshop: Workshop) -> list[Seat]:
    """The members registered for a session, by number."""
    return [
        Seat(number, f"{first} {last}", attended)
        for number, first, last, attended in session.execute(
            select(Member.number, Person.first_name, Person.last_name, WorkshopSeat.attended)
            .join(Member, Member.id == WorkshopSeat.member_id)
            .join(Person, Person.id == Member.person_id)
            .where(WorkshopSeat.workshop_id == workshop.id)
            .order_by(Member.number)
        )
    ]


def listing(
    session: Session, *, office_id: int | None = None, member_id: int | None = None
) -> list[Listed]:
    """Sessions, the latest first: of one office, or those a member registered for."""
    counts = (
        select(WorkshopSeat.workshop_id, func.count().label("n"))
        .group_by(WorkshopSeat.workshop_id)
        .subquery()
    )
    query = (
        select(Workshop, Office.code, func.coalesce(counts.c.n, 0))
        .join(Office, Office.id == Workshop.office_id)
        .outerjoin(counts, counts.c.workshop_id == Workshop.id)
        .order_by(Workshop.starts_at.desc(), Workshop.id.desc())
    )
    if office_id is not None:
        query = query.where(Workshop.office_id == office_id)
    if member_id is not None:
        query = query.where(
            Workshop.id.in_(
                select(WorkshopSeat.workshop_id).where(WorkshopSeat.member_id == member_id)
            )
        )
    return [Listed(w, code, int(n)) for w, code, n in session.execute(query)]
