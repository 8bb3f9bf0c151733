"""A member's follow-up record: what office staff note, the appointments they make and
the documents they keep, item by item, in order.

Half of a shared enterprise's staff coach members; the record is where that work is
kept, so that whoever meets the member next knows what was said. Each item is shown to
the member or not: the writer says so, and when they do not, the setting of the office
whose staff write it decides (:attr:`Office.follow_up_visible`). Items are added,
never changed (a correction is a new note), and each addition is in the audit log —
without the text, which is personal data kept in one place only.

Who may write and read whose record is :func:`partage.core.access.roles.reachable_member`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import InvalidAct, NotFound
from partage.core.contract.errors import N_
from partage.core.members.checks import local_time, required
from partage.core.members.models import FollowUpItem, FollowUpKind, Member, Office
from partage.core.members.offices import office_by_code
from partage.core.platform import audit

#: The longest note or agenda kept, in characters.
MOST_TEXT = 10_000


@dataclass(frozen=True)
class Document:
    """A document's file as uploaded: its name, media type and bytes."""

    filename: str
    media_type: str
    content: bytes


def add_item(
    session: Session,
    *,
    member: Member,
    office: str | None,
    kind: FollowUpKind,
    subject: str,
    body: str = "",
    starts_at: datetime | None = None,
    place: str = "",
    document: Document | None = None,
    visible: bool | None = None,
    actor: str,
) -> FollowUpItem:
    """Add a note, an appointment or a document to a member's record.

    Args:
        member: the member followed up.
        office: the code of the office whose staff write it (``None``: an
            administrator writing for no office; the item is then hidden unless
            ``visible`` says otherwise).
        kind: what it is; an appointment needs ``starts_at``, a document its file.
        subject: one line (required, at most 200 characters).
        visible: whether the member sees it; ``None`` takes the office's setting.
    """
    subject = required(subject, "subject")
    if len(subject) > 200:
        raise InvalidAct("subject", N_("is at most {most} characters"), most=200)
    if len(body) > MOST_TEXT:
        raise InvalidAct("body", N_("is at most {most} characters"), most=MOST_TEXT)
    if len(place) > 200:
        raise InvalidAct("place", N_("is at most {most} characters"), most=200)
    if kind is FollowUpKind.APPOINTMENT and starts_at is None:
        raise InvalidAct("starts_at", N_("say when the appointment is (day and time)"))
    if kind is not FollowUpKind.APPOINTMENT and (starts_at is not None or place):
        raise InvalidAct("starts_at", N_("only an appointment has a time and a place"))
    if starts_at is not None:
        starts_at = local_time(starts_at, "starts_at")
    if kind is FollowUpKind.DOCUMENT and (document is None or not document.content):
        raise InvalidAct("file", N_("choose the document's file"))
    if kind is not FollowUpKind.DOCUMENT and document is not None:
        raise InvalidAct("file", N_("only a document has a file"))
    row = office_by_code(session, office) if office else None
    if visible is None:
        visible = bool(row and row.follow_up_visible)
    item = FollowUpItem(
        member_id=member.id,
        office_id=row.id if row else None,
        kind=kind.value,
        subject=subject,
        body=body.strip(),
        starts_at=starts_at.replace(second=0, microsecond=0) if starts_at else None,
        place=place.strip(),
        filename=document.filename[:200] if document else None,
        media_type=document.media_type[:100] if document else None,
        content=document.content if document else None,
        sha256=hashlib.sha256(document.content).hexdigest() if document else None,
        visible_to_member=visible,
        written_by=actor,
    )
    session.add(item)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action=f"follow_up.{kind.value}",
        subject=f"member:{member.number}",
        data={"item": item.id, "office": office, "visible_to_member": visible},
    )
    return item


def items(session: Session, member: Member, *, visible_only: bool) -> list[FollowUpItem]:
    """A member's record, the newest first (``visible_only``: what the member sees)."""
    query = select(FollowUpItem).where(FollowUpItem.member_id == member.id)
    if visible_only:
        query = query.where(FollowUpItem.visible_to_member.is_(True))
    return list(session.scalars(query.order_by(FollowUpItem.id.desc())))


def item_of(session: Session, member: Member, item_id: int, *, visible_only: bool) -> FollowUpItem:
    """One item of a member's record; "not found" when it is another's or hidden."""
    item = session.get(FollowUpItem, item_id)
    if item is None or item.member_id != member.id or (visible_only and not item.visible_to_member):
        raise NotFound("item", N_("no such item in this member's record"), value=str(item_id))
    return item


def set_default_visibility(session: Session, office: str, visible: bool, *, actor: str) -> Office:
    """Whether what the office's staff write is shown to the member by default."""
    row = office_by_code(session, office)
    row.follow_up_visible = visible
    audit.record(
        session,
        actor=actor,
        action="office.follow_up_visible",
        subject=f"office:{office}",
        data={"visible": visible},
    )
    return row
