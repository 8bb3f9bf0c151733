"""Logging in, for the API and the login page alike: throttled before anything costly,
the password hashed under a limiter of its own.

An argon2 verification takes tens of milliseconds of CPU and 64 MiB of memory by
design. Run in the thread pool every handler shares, a flood of bad logins would
occupy it and stall every other page. So a login takes its steps apart: the delay
(:mod:`partage.core.access.throttle`), the attempt's record and the lookup in the
shared pool (all quick), the hash alone under :data:`HASHING_SLOTS` slots of its own,
then the second factor's code (when the login has one) and the session. Every outcome
is audited with the client's address: a login, a failed login.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from anyio import CapacityLimiter, to_thread
from litestar import Litestar, Request

from partage.core.access import throttle
from partage.core.access.logins import (
    Opened,
    enabled_login,
    open_session,
    password_matches,
    rehash_if_outdated,
    second_factor_passes,
)
from partage.core.platform import audit
from partage.core.platform.db.engine import transaction
from partage.core.web.deps import site_of
from partage.core.web.problems import Unauthenticated
from partage.core.web.site import Site

#: How many password hashes run at once; the rest of the logins wait their turn.
HASHING_SLOTS = 2
WRONG = "unknown username or wrong password"
CODE = "this login has a second factor: send the 6-digit code of its authenticator app"


class CodeNeeded(Unauthenticated):
    """The password was right but the login's second-factor code is missing or wrong
    (answered 401 naming the field ``code``)."""


@dataclass(frozen=True)
class SignedIn:
    """A successful login.

    Attributes:
        opened: its new session.
        role: the login's role.
        second_factor: whether the login has a second factor enrolled.
    """

    opened: Opened
    role: str
    second_factor: bool


def provide_limiter(app: Litestar) -> None:
    """Give the application its hashing limiter (at start-up: a limiter belongs to the
    event loop that serves the application)."""
    app.state["hashing"] = CapacityLimiter(HASHING_SLOTS)


def client_address(request: Request[Any, Any, Any]) -> str:
    """The client's address as the server sees it (a trusted proxy's forwarded one)."""
    return request.client.host if request.client else "unknown"


def _admitted(site: Site, username: str, address: str) -> tuple[int, int | None, str | None]:
    with site.sessions() as session:  # a slowed-down attempt is told so without a write
        wait = throttle.wait(session, username, address)
    if wait:
        return wait, None, None
    with transaction(site.sessions) as session:
        wait, attempt = throttle.admit(session, username, address)
        user = None if wait else enabled_login(session, username)
        return wait, attempt, user.password_hash if user else None


def _conclude(
    site: Site,
    username: str,
    attempt: int,
    password: str,
    matched: bool,
    code: str | None,
    address: str,
) -> SignedIn | str:
    """The session of a right password (and code), else the field that was wrong."""
    with transaction(site.sessions) as session:
        user = enabled_login(session, username) if matched else None
        if user is None:
            _failed(session, username, address, "password")
            return "password"
        if not second_factor_passes(user, code):
            _failed(session, user.username, address, "code")
            return "code"
        throttle.succeeded(session, attempt)
        rehash_if_outdated(site.hasher, user, password)
        audit.record(
            session,
            actor=f"user:{user.username}",
            action="login.success",
            subject=f"login:{user.username}",
            data={"second_factor": user.totp_secret is not None},
            origin=address,
        )
        opened = open_session(session, user, site.session_lifetime)
        return SignedIn(opened, user.role, user.totp_secret is not None)


def _failed(session: Any, username: str, address: str, field: str) -> None:
    audit.record(
        session,
        actor="anonymous",
        action="login.failure",
        subject=f"login:{username.strip().lower()[:64]}",
        data={"wrong": field},
        origin=address,
    )
    throttle.failed(session, username, address)


async def sign_in(
    request: Request[Any, Any, Any], username: str, password: str, code: str | None = None
) -> SignedIn:
    """Open a session for ``username`` if ``password`` (and ``code``, for a login with a
    second factor) is theirs. Raises :class:`~partage.core.access.throttle.Throttled`
    while the address must wait, :class:`CodeNeeded` for a missing or wrong code,
    :class:`Unauthenticated` for a wrong name or password."""
    site = site_of(request.app.state)
    address = client_address(request)
    wait, attempt, stored = await to_thread.run_sync(_admitted, site, username, address)
    if attempt is None:
        raise throttle.Throttled(wait)
    matched = await to_thread.run_sync(
        password_matches, site.hasher, stored, password, limiter=request.app.state["hashing"]
    )
    outcome = await to_thread.run_sync(
        _conclude, site, username, attempt, password, matched, code, address
    )
    if outcome == "code":
        raise CodeNeeded("code", CODE)
    if not isinstance(outcome, SignedIn):
        raise Unauthenticated("password", WRONG)
    return outcome
