"""A person's data for the instance's administrators: the API's export (JSON or PDF) and
erasure, and the ``/persons`` page that finds a person or party by code, says which
records the law keeps and until when, offers both exports and the erasure.

Every other role is refused (403). Each export and erasure is recorded in the audit log
with the administrator and the client's address (:mod:`partage.core.privacy.records`).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from litestar import Controller, Request, Response, get, post
from litestar.params import JSONBody, Parameter
from msgspec import Meta, Struct

from partage.core.access.models import Role
from partage.core.access.roles import Principal, require
from partage.core.contract.errors import N_, PartageError
from partage.core.platform.db.engine import transaction
from partage.core.privacy import records
from partage.core.privacy.pdf import render
from partage.core.web.accounts.signin import client_address
from partage.core.web.deps import AUTHENTICATED, Me, SiteDep
from partage.core.web.pages import Page, PathStr, UrlForm, guarded, see
from partage.core.web.problems import kind_of
from partage.core.web.schemas import Request as Body
from partage.core.web.site import Site

SubjectPath = Annotated[
    str,
    Parameter(
        max_length=16,
        pattern=r"^[A-Za-z][0-9]{1,15}$",
        description="a person's code (P000001), a party's (C000002) or an application's (A000003)",
    ),
]
Format = Literal["json", "pdf"]


class ErasureIn(Body):
    """Why the data are erased: the person's request, its date and channel."""

    reason: Annotated[str, Meta(min_length=1, max_length=500)]


class KeptOut(Struct, kw_only=True):
    kind: str
    reference: str
    dated: date
    count: int
    kept_until: date
    source: str


class ErasureOut(Struct, kw_only=True):
    subject: str
    already: bool
    pseudonymised: list[str]
    kept: list[KeptOut]


def _kept(kept: list[records.KeptRecord]) -> list[KeptOut]:
    return [
        KeptOut(
            kind=k.kind,
            reference=k.reference,
            dated=k.dated,
            count=k.count,
            kept_until=k.kept_until,
            source=k.source,
        )
        for k in kept
    ]


def export_file(site: Site, me: Principal, code: str, fmt: str, origin: str) -> Response[bytes]:
    """The export as a file to save, recorded in the audit log."""
    require(me, Role.ADMINISTRATOR, what=N_("export a person's data"))
    if fmt not in ("json", "pdf"):
        fmt = "json"
    with transaction(site.sessions) as session:
        data = records.export(
            session,
            site.coop,
            code,
            on=site.today(),
            actor=me.actor,
            origin=origin,
            start_month=site.fiscal_year_start_month,
            fmt=fmt,
        )
    name = f"{data.subject.replace(':', '-')}-{site.today().isoformat()}.{fmt}"
    content = render(data) if fmt == "pdf" else data.to_json().encode()
    return Response(
        content,
        media_type="application/pdf" if fmt == "pdf" else "application/json",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def erase(site: Site, me: Principal, code: str, reason: str, origin: str) -> records.Erasure:
    require(me, Role.ADMINISTRATOR, what=N_("erase a person's data"))
    with transaction(site.sessions) as session:
        return records.erase(
            session,
            site.coop,
            code,
            on=site.today(),
            actor=me.actor,
            origin=origin,
            reason=reason,
            start_month=site.fiscal_year_start_month,
        )


class PersonalDataController(Controller):
    """A person's or party's data: export and erasure (administrators)."""

    path = "/persons"
    tags = ("administration",)
    dependencies = AUTHENTICATED

    @get(
        "/{code:str}/export",
        operation_id="export_personal_data",
        sync_to_thread=True,
        media_type="application/json",
        response_description="the export, as an attachment (JSON or PDF)",
    )
    def export(
        self,
        request: Request[Any, Any, Any],
        code: SubjectPath,
        site: SiteDep,
        principal: Me,
        format: Annotated[Format, Parameter(description="json or pdf")] = "json",
    ) -> Response[bytes]:
        """Everything stored about a person or party (GDPR art. 15), with the records
        the law keeps and until when; recorded in the audit log."""
        return export_file(site, principal, code, format, client_address(request))

    @post(
        "/{code:str}/erasure",
        operation_id="erase_personal_data",
        sync_to_thread=True,
        status_code=200,
    )
    def erasure(
        self,
        request: Request[Any, Any, Any],
        code: SubjectPath,
        data: JSONBody[ErasureIn],
        site: SiteDep,
        principal: Me,
    ) -> ErasureOut:
        """Erase a person's or private client's data (GDPR art. 17): mutable records
        pseudonymised at once, immutable ones kept until the law's period ends (art.
        17(3)(b)); 409 naming why while the law or an open obligation needs them; a
        second erasure changes nothing (``already``). Recorded in the audit log."""
        done = erase(site, principal, code, data.reason, client_address(request))
        return ErasureOut(
            subject=done.subject,
            already=done.already,
            pseudonymised=done.pseudonymised,
            kept=_kept(done.kept),
        )


# --- pages ------------------------------------------------------------------------------
@get("/persons", sync_to_thread=True)
def persons_page(request: Request[Any, Any, Any]) -> Response[Any]:
    """Find a person or party by code; say which records the law keeps, until when."""

    def build(page: Page, me: Principal) -> Response[Any]:
        require(me, Role.ADMINISTRATOR, what=N_("open people's data"))
        code = str(request.query_params.get("code", "")).strip().upper()[:16]
        found, error, status = None, None, 200
        if code:
            try:
                with page.site.sessions() as session:
                    _, found = records.collect(
                        session,
                        page.site.coop,
                        code,
                        on=page.site.today(),
                        start_month=page.site.fiscal_year_start_month,
                    )
            except PartageError as exc:
                error, status = page.say(exc), kind_of(exc).status
        return page.render(
            "persons.html",
            status=status,
            code=code,
            found=found,
            error=error,
            done=str(request.query_params.get("done", "")),
        )

    return guarded(request, build)


@get("/persons/{code:str}/export", sync_to_thread=True)
def persons_export_page(request: Request[Any, Any, Any], code: PathStr) -> Response[Any]:
    """The page's export links: the JSON or PDF file."""

    def build(page: Page, me: Principal) -> Response[Any]:
        fmt = str(request.query_params.get("format", "json"))
        return export_file(page.site, me, code, fmt, client_address(request))

    return guarded(request, build)


@post("/persons/{code:str}/erase", sync_to_thread=True)
def persons_erase_page(
    request: Request[Any, Any, Any], code: PathStr, data: UrlForm
) -> Response[Any]:
    """The page's erasure form: erased (or already) and back to the person, or the
    refusal shown on the page."""

    def build(page: Page, me: Principal) -> Response[Any]:
        reason = str(data.get("reason") or "").strip()[:500]
        try:
            done = erase(page.site, me, code, reason, client_address(request))
        except PartageError as exc:
            with page.site.sessions() as session:
                _, found = records.collect(
                    session,
                    page.site.coop,
                    code,
                    on=page.site.today(),
                    start_month=page.site.fiscal_year_start_month,
                )
            return page.render(
                "persons.html",
                status=kind_of(exc).status,
                code=code,
                found=found,
                error=page.say(exc),
                done="",
            )
        outcome = "already" if done.already else "erased"
        return see(f"/persons?code={code}&done={outcome}")

    return guarded(request, build)


PAGES = (persons_page, persons_export_page, persons_erase_page)
