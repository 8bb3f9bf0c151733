"""Bodies of the follow-up records and of the workshops."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from msgspec import Meta, Struct

from partage.core.web.schemas import Code, MemberNumber, Name, Request
from partage.core.web.spending.schemas import Base64File

LongText = Annotated[str, Meta(max_length=10_000)]
Place = Annotated[str, Meta(max_length=200)]
#: An office's wall-clock time to the minute, with no time zone (it is the office's own).
LocalTime = Annotated[
    str,
    Meta(
        pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$",
        description="the office's local time, YYYY-MM-DDTHH:MM",
        examples=["2026-09-14T18:30"],
    ),
]


class FollowUpIn(Request):
    """A note, an appointment (``starts_at``, ``place``) or a document (``file_name``,
    ``file_base64``, at most [limits] receipt_bytes once decoded). ``visible``: whether
    the member sees it (default: the office's setting); ``office``: administrators
    name the office they write for, office staff write for their own."""

    kind: Literal["note", "appointment", "document"]
    subject: Name
    body: LongText = ""
    starts_at: datetime | None = None
    place: Place = ""
    file_name: Name | None = None
    file_base64: Base64File | None = None
    visible: bool | None = None
    office: Code | None = None


class FollowUpOut(Struct, kw_only=True):
    id: int
    kind: str
    subject: str
    body: str
    starts_at: LocalTime | None
    place: str
    file_name: str | None
    visible_to_member: bool
    office: str | None
    written_at: datetime
    written_by: str


class WorkshopIn(Request):
    title: Name
    starts_at: datetime
    place: Place = ""
    capacity: Annotated[int, Meta(ge=1, le=500)] = 12
    description: LongText = ""
    office: Code | None = None


class SeatIn(Request):
    member: MemberNumber


class AttendanceIn(Request):
    present: Annotated[list[MemberNumber], Meta(max_length=500)]


class SeatOut(Struct, kw_only=True):
    number: int
    name: str
    attended: bool | None


class WorkshopOut(Struct, kw_only=True):
    code: str
    office: str
    title: str
    starts_at: LocalTime
    place: str
    capacity: int
    registered: int
    description: str
    seats: list[SeatOut] | None = None


class VisibilityIn(Request):
    visible: bool
