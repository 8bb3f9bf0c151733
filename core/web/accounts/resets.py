"""Pages of a forgotten password: ask for a link by email, then set a new password
with it (:mod:`partage.core.access.resets`).

The asking page answers the same whether a login matches or not; the message is
written in the login's language (its preference, else the instance's first language)
and leaves through the outbox once the request commits.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from litestar import Request, Response, get, post

from partage.core.access import resets
from partage.core.access.models import WebUser
from partage.core.access.throttle import Throttled
from partage.core.contract.errors import PartageError
from partage.core.platform.db.engine import transaction
from partage.core.web import i18n
from partage.core.web.accounts.signin import client_address
from partage.core.web.pages import Page, UrlForm, see
from partage.core.web.site import Site


def composer(site: Site) -> resets.Composer:
    """Writes a login's reset message in its language (its preference, else its
    member's, else the instance's first)."""
    minutes = site.email.password_reset_minutes

    def compose(user: WebUser, link: str, reads: str | None) -> resets.ResetMail:
        language = i18n.choose(None, reads, "", site.languages)
        _ = i18n.catalog(language).gettext
        name = site.look().name
        subject = _("Reset your password for %(site)s") % {"site": name}
        body = "\n\n".join(
            (
                _("Hello %(name)s,") % {"name": user.display_name},
                _(
                    "Someone, hopefully you, asked to reset the password of the login "
                    "%(login)s. Follow this link to choose a new one (it works once, "
                    "within %(minutes)s minutes):"
                )
                % {"login": user.username, "minutes": minutes},
                link,
                _("If you did not ask for it, ignore this message: your password stays as it is."),
            )
        )
        return resets.ResetMail(subject, body + "\n", language)

    return compose


@get("/forgot-password", sync_to_thread=True)
def forgot_form(request: Request[Any, Any, Any]) -> Response[Any]:
    return Page(request, None).render("forgot_password.html")


def send_link(site: Site, name: str, address: str, base_url: str) -> None:
    """Ask for the links of the logins ``name`` designates, from ``address``; the
    links open ``base_url``/reset-password. Raises :class:`Throttled` when asked too
    often, and says nothing else."""
    base = base_url.rstrip("/")
    with transaction(site.sessions) as session:
        resets.ask(
            session,
            name[:254],
            address=address,
            link=lambda token: f"{base}/reset-password?{urlencode({'token': token})}",
            compose=composer(site),
            lifetime=timedelta(minutes=site.email.password_reset_minutes),
        )


@post("/forgot-password", sync_to_thread=True)
def forgot(request: Request[Any, Any, Any], data: UrlForm) -> Response[Any]:
    """Send a link if a login matches; the answer is the same either way."""
    page = Page(request, None)
    try:
        send_link(
            page.site, str(data.get("login", "")), client_address(request), str(request.base_url)
        )
    except Throttled as slowed:
        answer = page.render(
            "forgot_password.html",
            status=429,
            error=page.words.gettext("Too many requests: try again in %(seconds)s s.")
            % {"seconds": slowed.retry_after},
        )
        answer.headers["Retry-After"] = str(slowed.retry_after)
        return answer
    return page.render("forgot_password.html", asked=True)


@get("/reset-password", sync_to_thread=True)
def reset_form(request: Request[Any, Any, Any]) -> Response[Any]:
    page = Page(request, None)
    token = str(request.query_params.get("token", ""))[:200]
    try:
        with page.site.sessions() as session:
            username = resets.login_of(session, token)
    except PartageError:
        return page.render("reset_password.html", status=400, invalid=True)
    return page.render("reset_password.html", token=token, username=username)


@post("/reset-password", sync_to_thread=True)
def reset(request: Request[Any, Any, Any], data: UrlForm) -> Response[Any]:
    """Set the new password and send the login to log in with it."""
    page = Page(request, None)
    token = str(data.get("token", ""))[:200]
    password = str(data.get("password", ""))
    try:
        if password != str(data.get("confirm", "")):
            raise PartageError("confirm", page.words.gettext("The two passwords differ."))
        with transaction(page.site.sessions) as session:
            resets.use(session, page.site.hasher, token, password, origin=client_address(request))
    except PartageError as refused:
        if refused.field == "token":
            return page.render("reset_password.html", status=400, invalid=True)
        with page.site.sessions() as session:
            username = resets.login_of(session, token)
        return page.render(
            "reset_password.html",
            status=422,
            token=token,
            username=username,
            error=refused.rule if refused.field == "confirm" else str(refused),
        )
    return see("/login?reset=done")


PAGES = (forgot_form, forgot, reset_form, reset)
