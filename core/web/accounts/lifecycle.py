"""Pages of a login's life: one's own account (change the password, enrol a second
factor) and the administrators' list of logins (search, disable, enable, revoke the
sessions, reset the password).

Every act here is audited with the client's address, and every one that changes who
may act ends the sessions it must before the answer leaves: disabling or revoking a
login ends all of its sessions; changing one's password ends all but the current one.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.response import Template

from partage.core.access import factors, logins
from partage.core.access.models import Role
from partage.core.access.roles import Principal, require
from partage.core.contract.errors import N_, PartageError
from partage.core.platform.db.engine import transaction
from partage.core.web.accounts.signin import client_address
from partage.core.web.deps import must_enrol, token_of
from partage.core.web.pages import Page, PathStr, UrlForm, guarded, refusal, see
from partage.core.web.problems import kind_of


def _account(page: Page, me: Principal, status: int = 200, **context: object) -> Template:
    return page.render(
        "account.html",
        status=status,
        may_enrol=factors.may_enrol(me.role),
        must_enrol=must_enrol(page.site, me),
        **context,
    )


@get("/account", sync_to_thread=True)
def account_page(request: Request[Any, Any, Any]) -> Response[Any]:
    """My login: change my password, my second factor."""

    def build(page: Page, me: Principal) -> Response[Any]:
        query = page.request.query_params
        return _account(
            page,
            me,
            changed=query.get("changed") == "1",
            enrolled=query.get("enrolled") == "1",
        )

    return guarded(request, build)


@post("/account/password", sync_to_thread=True)
def change_password(request: Request[Any, Any, Any], data: UrlForm) -> Response[Any]:
    """Change my password (the current one asked; my other sessions end)."""

    def build(page: Page, me: Principal) -> Response[Any]:
        try:
            with transaction(page.site.sessions) as session:
                logins.change_password(
                    session,
                    page.site.hasher,
                    me.user_id,
                    str(data.get("old_password", ""))[:200],
                    str(data.get("password", ""))[:1000],
                    keep=token_of(page.request, cookie=True),
                    origin=client_address(page.request),
                )
        except PartageError as exc:
            return _account(page, me, status=kind_of(exc).status, error=page.say(exc))
        return see("/account?changed=1")

    return guarded(request, build)


@get("/account/second-factor", sync_to_thread=True)
def second_factor_page(request: Request[Any, Any, Any]) -> Response[Any]:
    """Enrol a second factor: a new secret, its QR code, and the form asking the
    password and the app's first code."""

    def build(page: Page, me: Principal) -> Response[Any]:
        if not factors.may_enrol(me.role):
            require(me, *factors.STAFF_ROLES, what=N_("enrol a second factor"))
        offered = factors.new_enrolment(me.username, page.site.look().name)
        return page.render(
            "second_factor.html", offered=offered, must_enrol=must_enrol(page.site, me)
        )

    return guarded(request, build)


@post("/account/second-factor", sync_to_thread=True)
def enrol(request: Request[Any, Any, Any], data: UrlForm) -> Response[Any]:
    """Keep the offered secret once the password and the app's code are right."""

    def build(page: Page, me: Principal) -> Response[Any]:
        secret = str(data.get("secret", ""))[:100]
        try:
            with transaction(page.site.sessions) as session:
                logins.enrol_second_factor(
                    session,
                    page.site.hasher,
                    me.user_id,
                    password=str(data.get("password", ""))[:200],
                    secret=secret,
                    code=str(data.get("code", ""))[:20],
                    origin=client_address(page.request),
                )
        except PartageError as exc:
            try:
                cleaned = factors.valid_secret(secret)
            except PartageError:
                return refusal(page, exc)
            offered = factors.again(cleaned, me.username, page.site.look().name)
            return page.render(
                "second_factor.html",
                status=kind_of(exc).status,
                offered=offered,
                must_enrol=must_enrol(page.site, me),
                error=page.say(exc),
            )
        return see("/account?enrolled=1")

    return guarded(request, build)


@get("/logins", sync_to_thread=True)
def logins_page(request: Request[Any, Any, Any]) -> Response[Any]:
    """Every login, searchable, with its actions (administrators)."""

    def build(page: Page, me: Principal) -> Response[Any]:
        require(me, Role.ADMINISTRATOR, what=N_("manage logins"))
        query = page.request.query_params
        search = str(query.get("q") or "")[:64]
        with page.site.sessions() as session:
            found = logins.list_logins(session, search)
        return page.render(
            "logins.html",
            found=found,
            search=search,
            done=str(query.get("done") or "")[:32],
            who=str(query.get("who") or "")[:64],
        )

    return guarded(request, build)


def _act(request: Request[Any, Any, Any], username: str, data: UrlForm, act: str) -> Response[Any]:
    """One administrator's act on a login, then the list again (a new password is
    shown once, on a page of its own)."""

    def build(page: Page, me: Principal) -> Response[Any]:
        require(me, Role.ADMINISTRATOR, what=N_("manage logins"))
        origin = client_address(page.request)
        reason = str(data.get("reason") or "")[:500]
        with transaction(page.site.sessions) as session:
            if act == "disable":
                logins.disable(session, username, actor=me.actor, origin=origin, reason=reason)
            elif act == "enable":
                logins.enable(session, username, actor=me.actor, origin=origin, reason=reason)
            elif act == "revoke":
                logins.revoke(session, username, actor=me.actor, origin=origin, reason=reason)
            else:
                password = logins.reset_password(
                    session,
                    page.site.hasher,
                    username,
                    actor=me.actor,
                    clear_second_factor=data.get("clear_second_factor") == "1",
                    origin=origin,
                    reason=reason,
                )
                return page.render("login_reset.html", who=username, password=password)
        return see(f"/logins?done={act}&who={username}")

    return guarded(request, build)


@post("/logins/{username:str}/disable", sync_to_thread=True)
def disable_login(
    request: Request[Any, Any, Any], username: PathStr, data: UrlForm
) -> Response[Any]:
    return _act(request, username, data, "disable")


@post("/logins/{username:str}/enable", sync_to_thread=True)
def enable_login(
    request: Request[Any, Any, Any], username: PathStr, data: UrlForm
) -> Response[Any]:
    return _act(request, username, data, "enable")


@post("/logins/{username:str}/revoke", sync_to_thread=True)
def revoke_login(
    request: Request[Any, Any, Any], username: PathStr, data: UrlForm
) -> Response[Any]:
    return _act(request, username, data, "revoke")


@post("/logins/{username:str}/reset-password", sync_to_thread=True)
def reset_login(request: Request[Any, Any, Any], username: PathStr, data: UrlForm) -> Response[Any]:
    return _act(request, username, data, "reset")


PAGES = (
    account_page,
    change_password,
    second_factor_page,
    enrol,
    logins_page,
    disable_login,
    enable_login,
    revoke_login,
    reset_login,
)
