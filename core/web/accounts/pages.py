"""Pages of logins and personal accounts: log in and out, the accounts a login opens,
the member account and the worker account."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.response import Template

from partage.core.access.logins import close_session
from partage.core.access.roles import Principal
from partage.core.access.throttle import Throttled
from partage.core.acts.cooperative import NotFound
from partage.core.platform.db.engine import transaction
from partage.core.web.accounts import views
from partage.core.web.accounts.signin import sign_in
from partage.core.web.deps import COOKIE, site_of, token_of
from partage.core.web.pages import Page, UrlForm, guarded, see
from partage.core.web.problems import Unauthenticated


@get("/login", sync_to_thread=True)
def login_form(request: Request[Any, Any, Any]) -> Template:
    return Page(request, None).render("login.html", next=request.query_params.get("next", "/"))


@post("/login")
async def login(request: Request[Any, Any, Any], data: UrlForm) -> Response[Any]:
    site = site_of(request.app.state)
    target = str(data.get("next") or "/")
    if not target.startswith("/") or target.startswith("//"):
        target = "/"
    try:
        opened, _ = await sign_in(
            request, str(data.get("username", "")), str(data.get("password", ""))
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
    except Unauthenticated:
        page = Page(request, None)
        return page.render(
            "login.html",
            status=401,
            next=target,
            error=page.words.gettext("Unknown username or wrong password."),
        )
    response = see(target)
    response.cookies.append(
        Cookie(
            key=COOKIE,
            value=opened.token,
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
        return page.render("worker.html", account=account)

    return guarded(request, build)


PAGES = (login_form, login, logout, home, member_page, worker_page)
