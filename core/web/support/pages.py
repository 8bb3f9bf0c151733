"""Pages of the advisers' support work: a member's follow-up record (staff write notes,
appointments and documents; the member reads what is shown to them) and the offices'
workshops, with the forms to plan one, register members and mark who came. A refused
form shows the page again with the reason, nothing written."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from litestar import Request, Response, get, post
from litestar.response import Template
from sqlalchemy import select

from partage.core.access.models import Role, WebUser
from partage.core.access.roles import Principal, reachable_member
from partage.core.acts.cooperative import InvalidAct
from partage.core.contract.errors import N_, PartageError
from partage.core.members import follow_up
from partage.core.members.follow_up import Document
from partage.core.members.models import Office
from partage.core.platform.db.engine import transaction
from partage.core.web.pages import MultipartForm, Page, PathStr, UrlForm, guarded, see, uploaded
from partage.core.web.problems import kind_of
from partage.core.web.support import schemas as s
from partage.core.web.support import views
from partage.core.web.support.api import attachment


def _moment(raw: object, field: str) -> datetime | None:
    """A day and time from a form (``None`` when blank); a bad one is refused."""
    text = str(raw or "").strip()
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise InvalidAct(
            field, N_("{text} is not a day and time (YYYY-MM-DD HH:MM)"), text=repr(text)
        ) from None


def _number(raw: str) -> int:
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= 2_000_000_000:
        raise InvalidAct("member", N_("{raw} is not a member number"), raw=repr(raw))
    return int(raw)


def _record_page(
    page: Page, me: Principal, number: str, status: int = 200, **extra: Any
) -> Template:
    site = page.site
    with site.sessions() as session:
        member, items = views.record(session, me, _number(number))
        name = views.member_name(session, member)
        sessions = views.workshop_list(session, me) if me.role is Role.MEMBER else []
        logins = {i.written_by.removeprefix("user:") for i in items}
        writers = {
            username: name
            for username, name in session.execute(
                select(WebUser.username, WebUser.display_name).where(WebUser.username.in_(logins))
            )
        }
        default = False
        if me.office_id is not None:
            office = session.get(Office, me.office_id)
            default = bool(office and office.follow_up_visible)
    return page.render(
        "follow_up.html",
        status=status,
        member=member,
        member_name=name,
        items=items,
        workshops=sessions,
        default_visible=default,
        # who wrote each item, by the login's name rather than its audit code
        writer=lambda actor: writers.get(actor.removeprefix("user:"), actor),
        form=extra.pop("form", {}),
        **extra,
    )


@get("/members/{number:str}", sync_to_thread=True)
def record_page(request: Request[Any, Any, Any], number: PathStr) -> Response[Any]:
    """A member's follow-up record (staff who follow them; the member: what is shown)."""
    return guarded(request, lambda page, me: _record_page(page, me, number))


@post("/members/{number:str}/follow-up", sync_to_thread=True)
def add_item_page(
    request: Request[Any, Any, Any], number: PathStr, data: MultipartForm
) -> Response[Any]:
    """Add a note, an appointment or a document from the record's page."""

    def build(page: Page, me: Principal) -> Response[Any]:
        site = page.site
        form = {
            k: str(data.get(k) or "").strip()
            for k in ("kind", "subject", "body", "starts_at", "place")
        }
        try:
            content, filename = uploaded(data, "file", site.limits.receipt_bytes, "receipt_bytes")
            document = (
                Document(filename or "document", "application/octet-stream", content)
                if form["kind"] == "document" and content
                else None
            )
            with transaction(site.sessions) as session:
                views.write(
                    session,
                    me,
                    _number(number),
                    kind=form["kind"],
                    subject=form["subject"],
                    body=form["body"],
                    starts_at=_moment(form["starts_at"], "starts_at"),
                    place=form["place"],
                    document=document,
                    visible=data.get("visible") == "yes",
                )
        except PartageError as exc:
            return _record_page(
                page, me, number, kind_of(exc).status, error=page.say(exc), form=form
            )
        return see(f"/members/{number}#record")

    return guarded(request, build)


@get("/members/{number:str}/follow-up/{item:int}/file", sync_to_thread=True)
def item_file(request: Request[Any, Any, Any], number: PathStr, item: int) -> Response[Any]:
    def build(page: Page, me: Principal) -> Response[Any]:
        with page.site.sessions() as session:
            member = reachable_member(session, me, _number(number))
            row = follow_up.item_of(session, member, item, visible_only=me.role is Role.MEMBER)
            if row.content is None:
                raise InvalidAct("item", N_("this item has no file"))
            return attachment(row.filename or "document", row.content)

    return guarded(request, build)


def _workshops_page(page: Page, me: Principal, status: int = 200, **extra: Any) -> Template:
    with page.site.sessions() as session:
        rows = views.workshop_list(session, me)
    return page.render(
        "workshops.html", status=status, workshops=rows, form=extra.pop("form", {}), **extra
    )


@get("/workshops", sync_to_thread=True)
def workshops_page(request: Request[Any, Any, Any]) -> Response[Any]:
    """The office's workshops and training sessions, and the form to plan one."""
    return guarded(request, _workshops_page)


@post("/workshops", sync_to_thread=True)
def plan_page(request: Request[Any, Any, Any], data: UrlForm) -> Response[Any]:
    def build(page: Page, me: Principal) -> Response[Any]:
        form = {
            k: str(data.get(k) or "").strip()
            for k in ("title", "starts_at", "place", "capacity", "description")
        }
        try:
            starts_at = _moment(form["starts_at"], "starts_at")
            if starts_at is None:
                raise InvalidAct("starts_at", N_("say when the session is (day and time)"))
            capacity = form["capacity"]
            if not (capacity.isascii() and capacity.isdigit()) or len(capacity) > 4:
                raise InvalidAct(
                    "capacity", N_("{capacity} is not a number of seats"), capacity=repr(capacity)
                )
            body = s.WorkshopIn(
                title=form["title"],
                starts_at=starts_at,
                place=form["place"][:200],
                capacity=int(capacity),
                description=form["description"][:10_000],
            )
            with transaction(page.site.sessions) as session:
                made = views.plan(session, me, body)
        except PartageError as exc:
            return _workshops_page(page, me, kind_of(exc).status, error=page.say(exc), form=form)
        return see(f"/workshops/{made.code}")

    return guarded(request, build)


def _workshop_page(
    page: Page, me: Principal, code: str, status: int = 200, **extra: Any
) -> Template:
    with page.site.sessions() as session:
        workshop = views.workshop_detail(session, me, code)
    marked = status == 200 and page.request.query_params.get("marked") == "1"
    return page.render("workshop.html", status=status, workshop=workshop, marked=marked, **extra)


@get("/workshops/{code:str}", sync_to_thread=True)
def workshop_page(request: Request[Any, Any, Any], code: PathStr) -> Response[Any]:
    return guarded(request, lambda page, me: _workshop_page(page, me, code))


@post("/workshops/{code:str}/seats", sync_to_thread=True)
def register_page(request: Request[Any, Any, Any], code: PathStr, data: UrlForm) -> Response[Any]:
    def build(page: Page, me: Principal) -> Response[Any]:
        try:
            number = _number(str(data.get("member") or "").strip())
            with transaction(page.site.sessions) as session:
                views.register(session, me, code, number)
        except PartageError as exc:
            return _workshop_page(page, me, code, kind_of(exc).status, error=page.say(exc))
        return see(f"/workshops/{code}#seats")

    return guarded(request, build)


@post("/workshops/{code:str}/attendance", sync_to_thread=True)
def attendance_page(request: Request[Any, Any, Any], code: PathStr, data: UrlForm) -> Response[Any]:
    def build(page: Page, me: Principal) -> Response[Any]:
        try:
            given = data.get("present")  # a repeated field arrives as a list
            values = given if isinstance(given, list) else [] if given is None else [given]
            present = [_number(str(v)) for v in values]
            with transaction(page.site.sessions) as session:
                views.attendance(session, me, code, present, page.site.today())
        except PartageError as exc:
            return _workshop_page(page, me, code, kind_of(exc).status, error=page.say(exc))
        return see(f"/workshops/{code}?marked=1#seats")

    return guarded(request, build)


PAGES = (
    record_page,
    add_item_page,
    item_file,
    workshops_page,
    plan_page,
    workshop_page,
    register_page,
    attendance_page,
)
