"""Pages of logins and personal accounts: log in and out, the accounts a login opens,
the member account and the worker account, where the worker answers the contract offers
made to them."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.response import Template

from partage.core.access import throttle
from partage.core.access.logins import close_session
from partage.core.access.models import Role
from partage.core.access.roles import Principal, answering_offer, reachable_entity, require
from partage.core.access.throttle import Throttled
from partage.core.acts.cooperative import NotFound
from partage.core.contract.errors import PartageError
from partage.core.payroll import offers
from partage.core.platform.db.engine import transaction
from partage.core.web.accounts import views
from partage.core.web.accounts.signin import CodeNeeded, sign_in
from partage.core.web.deps import COOKIE, site_of, token_of
from partage.core.web.pages import (
    SECOND_FACTOR_PAGE,
    Form,
    Page,
    PathStr,
    UrlForm,
    guarded,
    refusal,
    see,
)
from partage.core.web.payroll import views as payroll_views
from partage.core.web.problems import Unauthenticated, kind_of


@get("/login", sync_to_thread=True)
def login_form(request: Request[Any, Any, Any]) -> Template:
    return Page(request, None).render(
        "login.html",
        next=request.query_params.get("next", "/"),
        reset_done=request.query_params.get("reset") == "done",
    )


@post("/login")
async def login(request: Request[Any, Any, Any], data: UrlForm) -> Response[Any]:
    site = site_of(request.app.state)
    target = str(data.get("next") or "/")
    if not target.startswith("/") or target.startswith("//"):
        target = "/"
    try:
        signed = await sign_in(
            request,
            str(data.get("username", "")),
            str(data.get("password", "")),
            str(data.get("code") or "")[:20] or None,
        )
    except Throttled as slowed:
        page = Page(request, None)
        answer = page.render(
            "login.html",
            status=429,
            next=target,
            error=page.words.gettext("Too many failed attempts: try again in %(seconds)s s.")
            % {"seconds": slowed.retry_after},
        )
        answer.headers["Retry-After"] = str(slowed.retry_after)
        return answer
    except CodeNeeded:
        page = Page(request, None)
        return page.render(
            "login.html",
            status=401,
            next=target,
            error=page.words.gettext(
                "Enter the 6-digit code of your authenticator app with your password."
            ),
        )
    except Unauthenticated:
        page = Page(request, None)
        return page.render(
            "login.html",
            status=401,
            next=target,
            error=page.words.gettext("Unknown username or wrong password."),
        )
    needs_factor = (
        site.administrators_need_second_factor
        and signed.role == Role.ADMINISTRATOR
        and not signed.second_factor
    )
    response = see(SECOND_FACTOR_PAGE if needs_factor else target)
    response.cookies.append(
        Cookie(
            key=COOKIE,
            value=signed.opened.token,
            httponly=True,
            samesite="lax",
            path="/",
            secure=site.secure_cookies,
            max_age=int(site.session_lifetime.total_seconds()),
        )
    )
    return response


@post("/logout", sync_to_thread=True)
def logout(request: Request[Any, Any, Any]) -> Response[Any]:
    site = site_of(request.app.state)
    token = token_of(request, cookie=True)
    if token:
        with transaction(site.sessions) as session:
            close_session(session, token)
    response = see("/login")
    response.delete_cookie(COOKIE, path="/")
    return response


@get("/", sync_to_thread=True)
def home(request: Request[Any, Any, Any]) -> Response[Any]:
    def build(page: Page, me: Principal) -> Response[Any]:
        with page.site.sessions() as session:
            mine = views.accounts(session, me)
        return page.render("home.html", accounts=mine.accounts)

    return guarded(request, build)


@get("/member", sync_to_thread=True)
def member_page(request: Request[Any, Any, Any]) -> Response[Any]:
    def build(page: Page, me: Principal) -> Response[Any]:
        if me.member_id is None:
            raise NotFound("member", "this login has no member account")
        with page.site.sessions() as session:
            account = views.member_account(session, page.site.coop, me.member_id)
        return page.render("member.html", account=account)

    return guarded(request, build)


@get("/worker", sync_to_thread=True)
def worker_page(request: Request[Any, Any, Any]) -> Response[Any]:
    def build(page: Page, me: Principal) -> Response[Any]:
        with page.site.sessions() as session:
            account = views.worker_account(session, page.site.coop, me)
        query = page.request.query_params
        return page.render(
            "worker.html",
            account=account,
            accepted=_code(query.get("accepted")),
            refused=_code(query.get("refused")),
        )

    return guarded(request, build)


@get("/logins/throttled", sync_to_thread=True)
def throttled_page(request: Request[Any, Any, Any]) -> Response[Any]:
    """Who is slowed down after failed logins (administrators)."""

    def build(page: Page, me: Principal) -> Response[Any]:
        require(me, Role.ADMINISTRATOR, what="see throttled logins")
        with page.site.sessions() as session:
            slowed = throttle.throttled(session)
        return page.render("throttled.html", slowed=slowed)

    return guarded(request, build)


@post("/logins/throttled/lift", sync_to_thread=True)
def lift_throttle(request: Request[Any, Any, Any], data: UrlForm) -> Response[Any]:
    """Lift a login delay (administrators; audited)."""

    def build(page: Page, me: Principal) -> Response[Any]:
        require(me, Role.ADMINISTRATOR, what="lift login delays")
        with transaction(page.site.sessions) as session:
            throttle.lift(
                session,
                str(data.get("address", "")),
                username=str(data["username"]) if data.get("username") else None,
                actor=me.actor,
            )
        return see("/logins/throttled")

    return guarded(request, build)


def _code(given: str | None) -> str | None:
    """An offer code carried by the address after an answer (``O000012``), else ``None``:
    never a text to show as given."""
    text = str(given or "")
    return text if text[:1] == "O" and text[1:].isdigit() and len(text) <= 16 else None


def _answer(request: Request[Any, Any, Any], code: str, data: Form, accept: bool) -> Response[Any]:
    """Accept or refuse an offer from the worker account (the worker's own login, or
    staff for them), then show the worker account again; a refusal shows the page
    with the reason, and nothing changes."""

    def build(page: Page, me: Principal) -> Response[Any]:
        site = page.site
        try:
            with transaction(site.sessions) as session:
                shown = payroll_views.reachable_offer(session, site.coop, me, code)
                on_behalf = answering_offer(me, shown.member)
                if on_behalf:
                    reachable_entity(session, me, shown.entity)
                if accept:
                    offers.accept_offer(
                        session,
                        site.coop,
                        code,
                        actor=me.actor,
                        on_behalf=on_behalf,
                        on=site.today(),
                    )
                else:
                    offers.refuse_offer(
                        session,
                        code,
                        actor=me.actor,
                        on_behalf=on_behalf,
                        reason=str(data.get("reason") or "")[:500],
                    )
        except PartageError as exc:
            if me.member_id is None:
                return refusal(page, exc)
            with site.sessions() as session:
                account = views.worker_account(session, site.coop, me)
            return page.render(
                "worker.html", status=kind_of(exc).status, account=account, error=str(exc)
            )
        done = "accepted" if accept else "refused"
        return see(f"/worker?{urlencode({done: code})}" if me.member_id else "/")

    return guarded(request, build)


@post("/offers/{code:str}/accept", sync_to_thread=True)
def accept_offer(request: Request[Any, Any, Any], code: PathStr, data: UrlForm) -> Response[Any]:
    return _answer(request, code, data, accept=True)


@post("/offers/{code:str}/refuse", sync_to_thread=True)
def refuse_offer(request: Request[Any, Any, Any], code: PathStr, data: UrlForm) -> Response[Any]:
    return _answer(request, code, data, accept=False)


PAGES = (
    login_form,
    login,
    logout,
    home,
    member_page,
    worker_page,
    throttled_page,
    lift_throttle,
    accept_offer,
    refuse_offer,
)
