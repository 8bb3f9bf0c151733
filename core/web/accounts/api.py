"""API of logins and personal accounts: log in and out, who am I, my member account,
my worker account, and creating logins (administrators)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import JSONBody
from litestar.status_codes import HTTP_201_CREATED

from partage.core.access import throttle
from partage.core.access.logins import close_session, create_user
from partage.core.access.models import Role
from partage.core.access.roles import require
from partage.core.acts.cooperative import NotFound
from partage.core.platform.db.engine import transaction
from partage.core.web.accounts import schemas as s
from partage.core.web.accounts import views
from partage.core.web.accounts.signin import sign_in
from partage.core.web.deps import AUTHENTICATED, Me, SiteDep, token_of


class AuthController(Controller):
    """Opening and closing sessions."""

    path = "/auth"
    tags = ("authentication",)

    @post("/login", operation_id="login", security=[], status_code=200)
    async def login(self, request: Request[Any, Any, Any], data: JSONBody[s.LoginIn]) -> s.LoginOut:
        """Log in with a username and password; answers a bearer token to send as
        ``Authorization: Bearer <token>`` with every other call. After repeated
        failures from an address, answers 429 with ``Retry-After`` until the delay has
        passed."""
        opened, role = await sign_in(request, data.username, data.password)
        return s.LoginOut(
            token=opened.token, token_type="bearer", expires_at=opened.expires_at, role=role
        )

    @post(
        "/logout",
        operation_id="logout",
        sync_to_thread=True,
        dependencies=AUTHENTICATED,
        status_code=200,
    )
    def logout(
        self, request: Request[Any, Any, Any], site: SiteDep, principal: Me
    ) -> dict[str, bool]:
        """Close the session of the bearer token."""
        token = token_of(request, cookie=False) or ""
        with transaction(site.sessions) as session:
            closed = close_session(session, token)
        return {"closed": closed}


class MeController(Controller):
    """The three accounts of the logged-in person."""

    path = "/me"
    tags = ("my accounts",)
    dependencies = AUTHENTICATED

    @get("/", operation_id="me", sync_to_thread=True)
    def me(self, site: SiteDep, principal: Me) -> s.MeOut:
        """Who is logged in, and the accounts they open: member account, one per entity
        held, and the worker account."""
        with site.sessions() as session:
            return views.accounts(session, principal)

    @get("/member", operation_id="my_member_account", sync_to_thread=True)
    def member(self, site: SiteDep, principal: Me) -> s.MemberAccountOut:
        """My member account: shares, vote, membership documents."""
        if principal.member_id is None:
            raise NotFound("member", "this login has no member account")
        with site.sessions() as session:
            return views.member_account(session, site.coop, principal.member_id)

    @get("/worker", operation_id="my_worker_account", sync_to_thread=True)
    def worker(self, site: SiteDep, principal: Me) -> s.WorkerAccountOut:
        """My worker account: employment contracts and payslips."""
        with site.sessions() as session:
            return views.worker_account(session, site.coop, principal)


class UsersController(Controller):
    """Logins, created by the instance's administrators."""

    path = "/users"
    tags = ("administration",)
    dependencies = AUTHENTICATED

    @post("/", operation_id="create_user", sync_to_thread=True, status_code=HTTP_201_CREATED)
    def create(self, data: JSONBody[s.UserIn], site: SiteDep, principal: Me) -> s.UserOut:
        """Create a login (administrators only)."""
        require(principal, Role.ADMINISTRATOR, what="create logins")
        with transaction(site.sessions) as session:
            create_user(
                session,
                site.hasher,
                username=data.username,
                password=data.password,
                role=data.role,
                member=data.member,
                office=data.office,
                display_name=data.display_name,
                language=data.language,
                actor=principal.actor,
            )
        return s.UserOut(
            username=data.username.strip().lower(),
            role=data.role,
            member=data.member,
            office=data.office,
            display_name=data.display_name or data.username,
        )


class ThrottleController(Controller):
    """Who is being slowed down after failed logins, and lifting a delay (administrators)."""

    path = "/users/throttled"
    tags = ("administration",)
    dependencies = AUTHENTICATED

    @get("/", operation_id="list_throttled", sync_to_thread=True)
    def throttled(self, site: SiteDep, principal: Me) -> list[s.SlowedOut]:
        """Addresses and account-address pairs whose next login attempt must wait."""
        require(principal, Role.ADMINISTRATOR, what="see throttled logins")
        with site.sessions() as session:
            return [
                s.SlowedOut(
                    address=t.address,
                    username=t.username,
                    failures=t.failures,
                    last_failure=t.last_failure,
                    wait=t.wait,
                )
                for t in throttle.throttled(session)
            ]

    @post("/lift", operation_id="lift_throttle", sync_to_thread=True, status_code=200)
    def lift(self, data: JSONBody[s.LiftIn], site: SiteDep, principal: Me) -> s.LiftOut:
        """Lift the delay of an address, or of one account from it (audited)."""
        require(principal, Role.ADMINISTRATOR, what="lift login delays")
        with transaction(site.sessions) as session:
            lifted = throttle.lift(
                session, data.address, username=data.username, actor=principal.actor
            )
        return s.LiftOut(lifted=lifted)
