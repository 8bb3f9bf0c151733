"""The audit log for the instance's administrators: the API's filtered pages and
exports, and the ``/audit`` page with its filter form, its table and its export links.

Every other role is refused (403). An export, from the API or the page, is recorded in
the log itself with the administrator, the filter and the client's address.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get
from litestar.params import Parameter
from msgspec import Struct

from partage.core.access import audit_log
from partage.core.access.audit_log import AuditFilter, AuditPage
from partage.core.access.models import Role
from partage.core.access.roles import Principal, require
from partage.core.acts.cooperative import InvalidAct
from partage.core.contract.errors import N_, PartageError
from partage.core.platform.db.engine import transaction
from partage.core.web.deps import AUTHENTICATED, Me, SiteDep
from partage.core.web.pages import Page, guarded
from partage.core.web.problems import kind_of
from partage.core.web.reports import audit_words
from partage.core.web.site import Site

#: The export's media types (Litestar adds ``charset=utf-8`` to a text type itself).
MEDIA = {"csv": "text/csv", "json": "application/json"}
ActorQuery = Annotated[str | None, Parameter(max_length=200, description="who acted, exactly")]
ActionQuery = Annotated[
    str | None,
    Parameter(max_length=100, description="the start of the action (login matches login.failed)"),
]
SubjectQuery = Annotated[
    str | None, Parameter(max_length=200, description="the start of what it was done to")
]
OriginQuery = Annotated[
    str | None, Parameter(max_length=64, description="the client address, exactly")
]
SinceQuery = Annotated[date | None, Parameter(description="the first day, included (UTC)")]
UntilQuery = Annotated[date | None, Parameter(description="the last day, included (UTC)")]


class AuditRecordOut(Struct, kw_only=True):
    id: int
    at: datetime
    actor: str
    action: str
    subject: str
    origin: str
    reason: str
    data: dict[str, Any]


class AuditPageOut(Struct, kw_only=True):
    page: int
    per_page: int
    pages: int
    total: int
    records: list[AuditRecordOut]


def client_of(request: Request[Any, Any, Any]) -> str:
    """The client's address, as the export's own record keeps it."""
    return request.client.host if request.client else ""


def download(
    site: Site, me: Principal, criteria: AuditFilter, fmt: str, origin: str
) -> Response[str]:
    """The export as a file to save, recorded in the log."""
    require(me, Role.ADMINISTRATOR, what=N_("export the audit log"))
    with transaction(site.sessions) as session:
        text = audit_log.export(session, criteria, fmt, actor=me.actor, origin=origin)
    name = f"audit-{site.today().isoformat()}.{fmt}"
    return Response(
        text,
        media_type=MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


class AuditController(Controller):
    """The audit log, filtered (administrators)."""

    path = "/audit"
    tags = ("administration",)
    dependencies = AUTHENTICATED

    @get("/", operation_id="list_audit", sync_to_thread=True)
    def listing(
        self,
        site: SiteDep,
        principal: Me,
        actor: ActorQuery = None,
        action: ActionQuery = None,
        subject: SubjectQuery = None,
        origin: OriginQuery = None,
        since: SinceQuery = None,
        until: UntilQuery = None,
        page: Annotated[int, Parameter(ge=1, le=1_000_000)] = 1,
        per_page: Annotated[int, Parameter(ge=1, le=audit_log.MOST_PER_PAGE)] = audit_log.PER_PAGE,
    ) -> AuditPageOut:
        """One page of the audit log, newest first: who did what, when, from where."""
        require(principal, Role.ADMINISTRATOR, what=N_("read the audit log"))
        criteria = AuditFilter(actor, action, subject, origin, since, until)
        with site.sessions() as session:
            found = audit_log.search(session, criteria, page=page, per_page=per_page)
        return AuditPageOut(
            page=found.page,
            per_page=found.per_page,
            pages=found.pages,
            total=found.total,
            records=[AuditRecordOut(**audit_log.as_dict(r) | {"at": r.at}) for r in found.rows],
        )

    @get("/export", operation_id="export_audit", sync_to_thread=True)
    def export(
        self,
        request: Request[Any, Any, Any],
        site: SiteDep,
        principal: Me,
        format: Annotated[Literal["csv", "json"], Parameter(description="csv or json")] = "csv",
        actor: ActorQuery = None,
        action: ActionQuery = None,
        subject: SubjectQuery = None,
        origin: OriginQuery = None,
        since: SinceQuery = None,
        until: UntilQuery = None,
    ) -> Response[str]:
        """Every record the filter matches, as CSV or JSON (at most
        10,000; the export is itself recorded in the log)."""
        criteria = AuditFilter(actor, action, subject, origin, since, until)
        return download(site, principal, criteria, format, client_of(request))


#: The filter fields of the page, in the form's order.
FIELDS = ("actor", "action", "subject", "origin", "since", "until")


def _filter_of(query: dict[str, str]) -> AuditFilter:
    """The page's filter from its query string; a bad date names its field."""
    days: dict[str, date | None] = {}
    for field in ("since", "until"):
        text = query.get(field, "").strip()
        try:
            days[field] = date.fromisoformat(text) if text else None
        except ValueError:
            raise InvalidAct(
                field, N_("{text} is not a date (YYYY-MM-DD)"), text=repr(text)
            ) from None
    return AuditFilter(
        actor=query.get("actor", "").strip() or None,
        action=query.get("action", "").strip() or None,
        subject=query.get("subject", "").strip() or None,
        origin=query.get("origin", "").strip() or None,
        since=days["since"],
        until=days["until"],
    )


def _query_of(request: Request[Any, Any, Any]) -> dict[str, str]:
    return {f: str(request.query_params.get(f, ""))[:200] for f in (*FIELDS, "page")}


@get("/audit", sync_to_thread=True)
def audit_page(request: Request[Any, Any, Any]) -> Response[Any]:
    """The audit log page: filter form, one page of records, export links."""

    def build(page: Page, me: Principal) -> Response[Any]:
        require(me, Role.ADMINISTRATOR, what=N_("read the audit log"))
        query = _query_of(request)
        form = {f: query[f] for f in FIELDS}
        kept = {f: v for f, v in form.items() if v}
        number = int(query["page"]) if query["page"].isdigit() else 1
        error, found = None, AuditPage(rows=(), page=1, per_page=audit_log.PER_PAGE, total=0)
        status = 200
        try:
            criteria = _filter_of(query)
            with page.site.sessions() as session:
                found = audit_log.search(session, criteria, page=max(1, number))
        except PartageError as exc:
            error, status = page.say(exc), kind_of(exc).status
        return page.render(
            "audit.html",
            status=status,
            found=found,
            form=form,
            error=error,
            action_words=audit_words.action_words,
            subject_words=audit_words.subject_words,
            previous=f"/audit?{urlencode({**kept, 'page': found.page - 1})}",
            following=f"/audit?{urlencode({**kept, 'page': found.page + 1})}",
            csv_link=f"/audit/export?{urlencode({**kept, 'format': 'csv'})}",
            json_link=f"/audit/export?{urlencode({**kept, 'format': 'json'})}",
        )

    return guarded(request, build)


@get("/audit/export", sync_to_thread=True)
def audit_export_page(request: Request[Any, Any, Any]) -> Response[Any]:
    """The page's export: the filtered records as a CSV or JSON file."""

    def build(page: Page, me: Principal) -> Response[Any]:
        fmt = str(request.query_params.get("format", "csv"))
        return download(page.site, me, _filter_of(_query_of(request)), fmt, client_of(request))

    return guarded(request, build)


PAGES = (audit_page, audit_export_page)
