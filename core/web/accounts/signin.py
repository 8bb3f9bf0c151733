"""Logging in, for the API and the login page alike: throttled before anything costly,
the password hashed under a limiter of its own.

An argon2 verification takes tens of milliseconds of CPU and 64 MiB of memory by
design. Run in the thread pool every handler shares, a flood of bad logins would
occupy it and stall every other page. So a login takes its steps apart: the delay
(:mod:`partage.core.access.throttle`), the attempt's record and the lookup in the
shared pool (all quick), the hash alone under :data:`HASHING_SLOTS` slots of its own,
then the session.
"""

from __future__ import annotations

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
)
from partage.core.platform.db.engine import transaction
from partage.core.web.deps import site_of
from partage.core.web.problems import Unauthenticated
from partage.core.web.site import Site

#: How many password hashes run at once; the rest of the logins wait their turn.
HASHING_SLOTS = 2
WRONG = "unknown username or wrong password"


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
    site: Site, username: str, attempt: int, password: str, matched: bool
) -> tuple[Opened, str] | None:
    if not matched:
        return None
    with transaction(site.sessions) as session:
        user = enabled_login(session, username)
        if user is None:
            return None
        throttle.succeeded(session, attempt)
        rehash_if_outdated(site.hasher, user, password)
        return open_session(session, user, site.session_lifetime), user.role


async def sign_in(
    request: Request[Any, Any, Any], username: str, password: str
) -> tuple[Opened, str]:
    """Open a session for ``username`` if ``password`` is theirs: the session and the
    login's role. Raises :class:`~partage.core.access.throttle.Throttled` while the
    address must wait, :class:`Unauthenticated` for a wrong name or password."""
    site = site_of(request.app.state)
    address = client_address(request)
    wait, attempt, stored = await to_thread.run_sync(_admitted, site, username, address)
    if attempt is None:
        raise throttle.Throttled(wait)
    matched = await to_thread.run_sync(
        password_matches, site.hasher, stored, password, limiter=request.app.state["hashing"]
    )
    opened = await to_thread.run_sync(_conclude, site, username, attempt, password, matched)
    if opened is None:
        raise Unauthenticated("password", WRONG)
    return opened
