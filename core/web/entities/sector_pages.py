"""Pages of an entity's sectors and attestations (``/entities/{code}/sectors``) and of the
attestations an office must see to (``/attestations``), with the forms office staff use:
set the entity's trades from a day, put an attestation on file with its scanned file,
mark a client as a digital work platform. A refused form shows the page again with the
reason and what was typed; nothing is written."""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Request, Response, get, post
from litestar.response import Template

from partage.core.access.roles import Principal, reachable_entity
from partage.core.acts.cooperative import InvalidAct
from partage.core.contract.errors import PartageError
from partage.core.members.follow_up import Document
from partage.core.platform.db.engine import transaction
from partage.core.web.deps import EARLIEST, LATEST
from partage.core.web.entities import sectors as views
from partage.core.web.i18n import N_
from partage.core.web.pages import MultipartForm, Page, PathStr, UrlForm, guarded, see, uploaded
from partage.core.web.problems import kind_of

#: The fields of the attestation form, kept when it is refused.
ATTESTATION_FIELDS = ("kind", "issuer", "number", "valid_from", "valid_until", "member")
#: What the page says after an act, by the ``done`` its address carries (never a text).
DONE = {
    "sectors": N_("The entity's sectors are saved."),
    "attestation": N_("The attestation is on file."),
    "platform": N_("The client is marked as a digital work platform."),
    "not-platform": N_("The client is no longer marked as a platform."),
}


def _sectors_page(
    page: Page, me: Principal, code: str, status: int = 200, **extra: Any
) -> Template:
    site = page.site
    with site.sessions() as session:
        shown = views.view(session, site, me, code)
    done = DONE.get(str(page.request.query_params.get("done") or "")) if status == 200 else None
    return page.render(
        "entity_sectors.html",
        status=status,
        v=shown,
        notice=page.words.gettext(done) if done else None,
        form=extra.pop("form", {}),
        **extra,
    )


@get("/entities/{code:str}/sectors", sync_to_thread=True)
def sectors_page(request: Request[Any, Any, Any], code: PathStr) -> Response[Any]:
    """The entity's trades, what they offer today and the attestations they look at."""
    return guarded(request, lambda page, me: _sectors_page(page, me, code))


@post("/entities/{code:str}/sectors", sync_to_thread=True)
def set_sectors_page(
    request: Request[Any, Any, Any], code: PathStr, data: UrlForm
) -> Response[Any]:
    """Set the entity's trades from a day on (office staff)."""

    def build(page: Page, me: Principal) -> Response[Any]:
        given = data.get("sectors")  # a repeated field arrives as a list
        values = given if isinstance(given, list) else [given] if given else []
        chosen = [str(v)[:64] for v in values][:20]
        since = str(data.get("since") or "").strip()
        reason = str(data.get("reason") or "").strip()[:500]
        try:
            with transaction(page.site.sessions) as session:
                views.set_sectors(
                    session,
                    page.site,
                    me,
                    code,
                    chosen,
                    since=day_of(since, "since"),
                    reason=reason,
                )
        except PartageError as exc:
            return _sectors_page(
                page,
                me,
                code,
                kind_of(exc).status,
                sectors_error=page.say(exc),
                form={"sectors": chosen, "since": since, "reason": reason},
            )
        return see(f"/entities/{code}/sectors?done=sectors#sectors")

    return guarded(request, build)


def day_of(raw: str, field: str) -> date | None:
    """A day a form gives, ``None`` when blank; a bad or implausible one is refused
    naming ``field``."""
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise InvalidAct(field, N_("{text} is not a day (YYYY-MM-DD)"), text=repr(raw)) from None
    if not EARLIEST <= day <= LATEST:
        raise InvalidAct(
            field,
            N_("{day} is not between {earliest} and {latest}"),
            day=day,
            earliest=EARLIEST,
            latest=LATEST,
        )
    return day


def _member(raw: str) -> int | None:
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 10:
        raise InvalidAct("member", N_("{raw} is not a member number"), raw=repr(raw))
    return int(raw)


@post("/entities/{code:str}/attestations", sync_to_thread=True)
def attest_page(
    request: Request[Any, Any, Any], code: PathStr, data: MultipartForm
) -> Response[Any]:
    """Put an attestation on file for the entity or one of its holders (office staff)."""

    def build(page: Page, me: Principal) -> Response[Any]:
        site = page.site
        form = {k: str(data.get(k) or "").strip()[:200] for k in ATTESTATION_FIELDS}
        try:
            content, filename = uploaded(data, "file", site.limits.receipt_bytes, "receipt_bytes")
            document = (
                Document(filename or "attestation", "application/octet-stream", content)
                if content
                else None
            )
            with transaction(site.sessions) as session:
                views.attest(
                    session,
                    site,
                    me,
                    code,
                    kind=form["kind"],
                    issuer=form["issuer"],
                    number=form["number"],
                    valid_from=day_of(form["valid_from"], "valid_from"),
                    valid_until=day_of(form["valid_until"], "valid_until"),
                    member=_member(form["member"]),
                    document=document,
                )
        except PartageError as exc:
            return _sectors_page(
                page, me, code, kind_of(exc).status, attest_error=page.say(exc), form=form
            )
        return see(f"/entities/{code}/sectors?done=attestation#attestations")

    return guarded(request, build)


@get("/entities/{code:str}/attestations/{ident:int}/file", sync_to_thread=True)
def attestation_file(request: Request[Any, Any, Any], code: PathStr, ident: int) -> Response[Any]:
    """An attestation's scanned file, as an attachment."""

    def build(page: Page, me: Principal) -> Response[Any]:
        with page.site.sessions() as session:
            record = views.attestation_file(session, me, code, ident)
            return views.download(record)

    return guarded(request, build)


@post("/entities/{code:str}/platform", sync_to_thread=True)
def platform_page(request: Request[Any, Any, Any], code: PathStr, data: UrlForm) -> Response[Any]:
    """Mark a client as a digital work platform, or no longer one (office staff)."""

    def build(page: Page, me: Principal) -> Response[Any]:
        party = str(data.get("party") or "").strip()[:32]
        platform = str(data.get("platform") or "") == "yes"
        try:
            with transaction(page.site.sessions) as session:
                reachable_entity(session, me, code)
                views.mark_platform(session, me, party, platform=platform)
        except PartageError as exc:
            return _sectors_page(
                page,
                me,
                code,
                kind_of(exc).status,
                platform_error=page.say(exc),
                form={"party": party},
            )
        done = "platform" if platform else "not-platform"
        return see(f"/entities/{code}/sectors?done={done}#platform")

    return guarded(request, build)


@get("/attestations", sync_to_thread=True)
def attestations_page(request: Request[Any, Any, Any]) -> Response[Any]:
    """The attestations of the login's office that end within the notice or have ended
    without renewal, with links to the entities they concern (office staff)."""

    def build(page: Page, me: Principal) -> Response[Any]:
        site = page.site
        with site.sessions() as session:
            ending, expired = views.office_attestations(session, site, me, site.today())
        return page.render(
            "attestations.html",
            ending=ending,
            expired=expired,
            notice_days=views.ATTESTATION_NOTICE_DAYS,
        )

    return guarded(request, build)


PAGES = (
    sectors_page,
    set_sectors_page,
    attest_page,
    attestation_file,
    platform_page,
    attestations_page,
)
