"""API of the advisers' support work: a member's follow-up record (notes, appointments,
documents) and the offices' workshops with their attendance.

Each act runs in one transaction; the access rules
(:func:`~partage.core.access.roles.reachable_member`,
:func:`~partage.core.access.roles.reachable_workshop`) are checked inside it, so a
refusal leaves nothing written.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from litestar import Controller, Response, get, post, put
from litestar.params import JSONBody, PathParameter
from litestar.status_codes import HTTP_201_CREATED

from partage.core.access.models import Role
from partage.core.access.roles import reachable_member, reachable_office, require
from partage.core.acts.cooperative import NotFound
from partage.core.contract.errors import N_
from partage.core.members import follow_up
from partage.core.members.follow_up import Document
from partage.core.platform.db.engine import transaction
from partage.core.web.deps import AUTHENTICATED, Me, SiteDep
from partage.core.web.spending.api import decoded
from partage.core.web.support import schemas as s
from partage.core.web.support import views

MemberPath = Annotated[int, PathParameter(ge=1, le=2_000_000_000, description="member number")]
ItemPath = Annotated[int, PathParameter(ge=1, le=2_147_483_647, description="the item's id")]
WorkshopPath = Annotated[str, PathParameter(max_length=16, description="the workshop's code")]


def attachment(item_name: str, content: bytes) -> Response[bytes]:
    """A stored file as a download, never shown inline (its bytes came from a user)."""
    return Response(
        content,
        media_type="application/octet-stream",
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(item_name)}"},
    )


class FollowUpController(Controller):
    """A member's follow-up record: notes, appointments and documents."""

    path = "/members/{number:int}/follow-up"
    tags = ("follow-up",)
    dependencies = AUTHENTICATED

    @get("/", operation_id="list_follow_up", sync_to_thread=True)
    def list_items(self, number: MemberPath, site: SiteDep, principal: Me) -> list[s.FollowUpOut]:
        """The record, the newest first: all of it for staff of the member's office and
        administrators; the member reads the items shown to them."""
        with site.sessions() as session:
            return views.record(session, principal, number)[1]

    @post("/", operation_id="add_follow_up", sync_to_thread=True, status_code=HTTP_201_CREATED)
    def add_item(
        self, number: MemberPath, data: JSONBody[s.FollowUpIn], site: SiteDep, principal: Me
    ) -> s.FollowUpOut:
        """Add a note, an appointment or a document (staff of the member's office and
        administrators); audit-logged."""
        document = None
        if data.file_base64 is not None:
            limit = site.limits.receipt_bytes
            content = decoded(data.file_base64, "file_base64", limit, "receipt_bytes")
            document = Document(data.file_name or "document", "application/octet-stream", content)
        with transaction(site.sessions) as session:
            return views.write(
                session,
                principal,
                number,
                kind=data.kind,
                subject=data.subject,
                body=data.body,
                starts_at=data.starts_at,
                place=data.place,
                document=document,
                visible=data.visible,
                office=data.office,
            )

    @get(
        "/{item:int}/file",
        operation_id="follow_up_file",
        sync_to_thread=True,
        media_type="application/octet-stream",
    )
    def file(
        self, number: MemberPath, item: ItemPath, site: SiteDep, principal: Me
    ) -> Response[bytes]:
        """A document's file, as an attachment (a member: of a document shown to them)."""
        with site.sessions() as session:
            member = reachable_member(session, principal, number)
            row = follow_up.item_of(
                session, member, item, visible_only=principal.role is Role.MEMBER
            )
            if row.content is None:
                raise NotFound("item", N_("this item has no file"), value=str(item))
            return attachment(row.filename or "document", row.content)


class WorkshopsController(Controller):
    """Workshops and training sessions, who registered and who came."""

    path = "/workshops"
    tags = ("workshops",)
    dependencies = AUTHENTICATED

    @get("/", operation_id="list_workshops", sync_to_thread=True)
    def list_workshops(self, site: SiteDep, principal: Me) -> list[s.WorkshopOut]:
        """Office staff: their office's sessions; administrators: all; a member: those
        they registered for. The latest first."""
        with site.sessions() as session:
            return views.workshop_list(session, principal)

    @post("/", operation_id="plan_workshop", sync_to_thread=True, status_code=HTTP_201_CREATED)
    def plan(self, data: JSONBody[s.WorkshopIn], site: SiteDep, principal: Me) -> s.WorkshopOut:
        """Plan a session (office staff in their office; administrators name it)."""
        with transaction(site.sessions) as session:
            return views.plan(session, principal, data)

    @get("/{code:str}", operation_id="workshop", sync_to_thread=True)
    def workshop(self, code: WorkshopPath, site: SiteDep, principal: Me) -> s.WorkshopOut:
        """A session; staff also read who registered and whether they came."""
        with site.sessions() as session:
            return views.workshop_detail(session, principal, code)

    @post(
        "/{code:str}/seats",
        operation_id="register_for_workshop",
        sync_to_thread=True,
        status_code=HTTP_201_CREATED,
    )
    def register(
        self, code: WorkshopPath, data: JSONBody[s.SeatIn], site: SiteDep, principal: Me
    ) -> s.WorkshopOut:
        """Register a member of the office (refused when full or already registered)."""
        with transaction(site.sessions) as session:
            return views.register(session, principal, code, data.member)

    @post("/{code:str}/attendance", operation_id="mark_attendance", sync_to_thread=True)
    def attendance(
        self, code: WorkshopPath, data: JSONBody[s.AttendanceIn], site: SiteDep, principal: Me
    ) -> s.WorkshopOut:
        """Mark who came (``present``); every other registered member is marked absent.
        Refused before the session's day."""
        with transaction(site.sessions) as session:
            return views.attendance(session, principal, code, data.present, site.today())


class OfficeFollowUpController(Controller):
    """An office's setting for its follow-up records."""

    path = "/offices/{code:str}/follow-up-visibility"
    tags = ("follow-up",)
    dependencies = AUTHENTICATED

    @put("/", operation_id="set_follow_up_visibility", sync_to_thread=True)
    def set_visibility(
        self,
        code: Annotated[str, PathParameter(max_length=32, description="the office's code")],
        data: JSONBody[s.VisibilityIn],
        site: SiteDep,
        principal: Me,
    ) -> s.VisibilityIn:
        """Whether what the office's staff write is shown to the member by default
        (the office's manager, administrators)."""
        require(
            principal,
            Role.OFFICE_MANAGER,
            Role.ADMINISTRATOR,
            what=N_("change an office's settings"),
        )
        with transaction(site.sessions) as session:
            office = reachable_office(session, principal, code)
            row = follow_up.set_default_visibility(
                session, office.code, data.visible, actor=principal.actor
            )
            return s.VisibilityIn(visible=row.follow_up_visible)


CONTROLLERS = (FollowUpController, WorkshopsController, OfficeFollowUpController)
