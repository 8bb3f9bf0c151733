"""What every handler needs: the site, the login it acts for, dates within range, the
entity and invoice codes of the addresses.

The JSON API authenticates with a bearer token (``Authorization: Bearer ...``); the
HTML interface with the same kind of token in an HttpOnly cookie, its forms protected
by a CSRF token. Keeping the API on bearer tokens only means no browser can be tricked
into calling it with its cookie.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any

from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.params import PathParameter

from partage.core.access.logins import user_of_token
from partage.core.access.models import Role
from partage.core.access.roles import Forbidden, Principal, principal_of
from partage.core.acts.cooperative import InvalidAct
from partage.core.contract.errors import N_
from partage.core.web.problems import Unauthenticated
from partage.core.web.site import Site

COOKIE = "partage_session"
SiteDep = NamedDependency[Site]
Me = NamedDependency[Principal]
#: Acts are dated within this range; outside it a date is a typing mistake.
EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)
#: The roles that act on entities: members on theirs, office staff, administrators.
ACTING = (Role.MEMBER, Role.ADVISER, Role.OFFICE_MANAGER, Role.ADMINISTRATOR)
CodePath = Annotated[str, PathParameter(max_length=32, description="the entity's code")]
NumberPath = Annotated[
    str, PathParameter(max_length=32, description="the invoice's or credit note's number")
]


def site_of(state: State) -> Site:
    """The site the application serves (set by ``create_app``)."""
    site = state["site"]
    assert isinstance(site, Site)
    return site


def provide_site(state: State) -> Site:
    return site_of(state)


def token_of(request: Request[Any, Any, Any], *, cookie: bool) -> str | None:
    """The session token of a request: bearer header, or the cookie for the UI."""
    if cookie:
        return request.cookies.get(COOKIE)
    return token_of_headers(request.headers)


def token_of_headers(headers: Mapping[str, str]) -> str | None:
    """The bearer token of an API request's headers, or ``None``."""
    header = headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def principal_for(site: Site, token: str | None) -> Principal | None:
    """The login of a token, or ``None``."""
    if not token:
        return None
    with site.sessions() as session:
        user = user_of_token(session, token)
        return principal_of(session, user) if user is not None else None


def must_enrol(site: Site, principal: Principal) -> bool:
    """Whether this login must enrol a second factor before anything else: an
    administrator without one, where the site requires it."""
    return (
        site.administrators_need_second_factor
        and principal.role is Role.ADMINISTRATOR
        and not principal.second_factor
    )


#: The API addresses an administrator without a second factor may still call: their
#: own account (enrolment, password) and logging out.
ENROLMENT_PREFIXES = ("/api/v1/me", "/api/v1/auth/")


def provide_principal(request: Request[Any, Any, Any], site: NamedDependency[Site]) -> Principal:
    """The API's login: a valid bearer token, else 401; an administrator who must
    enrol a second factor, or change a password an administrator set, reaches their
    own account only (403 elsewhere)."""
    principal = principal_for(site, token_of(request, cookie=False))
    if principal is None:
        raise Unauthenticated(
            "authorization",
            N_("send 'Authorization: Bearer <token>' with a token from POST /api/v1/auth/login"),
        )
    own = request.url.path.startswith(ENROLMENT_PREFIXES)
    if principal.must_change_password and not own:
        raise Forbidden(
            "password",
            N_(
                "an administrator set this login's password: change it first "
                "with POST /api/v1/me/password"
            ),
        )
    if must_enrol(site, principal) and not own:
        raise Forbidden(
            "second_factor",
            N_("an administrator enrols a second factor first: POST /api/v1/me/second-factor"),
        )
    return principal


#: The dependency of every API controller but the login: the bearer token's login.
AUTHENTICATED = {"principal": Provide(provide_principal, sync_to_thread=True)}


def day(site: Site, value: date | None, field: str) -> date:
    """An act's date: the given one within range, or today."""
    chosen = value or site.today()
    if not EARLIEST <= chosen <= LATEST:
        raise InvalidAct(
            field,
            N_("{chosen} must be between {earliest} and {latest}"),
            chosen=chosen,
            earliest=EARLIEST,
            latest=LATEST,
        )
    return chosen
