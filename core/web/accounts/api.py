"""API of logins and personal accounts: log in and out, who am I, my member account,
my worker account, and creating logins (administrators)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import JSONBody
from litestar.status_codes import HTTP_201_CREATED

from partage.core.access.logins import authenticate, close_session, create_user, open_session
from partage.core.access.models import Role
from partage.core.access.roles import require
from partage.core.acts.cooperative import NotFound
from partage.core.platform.db.engine import transaction
from partage.core.web.accounts import schemas as s
from partage.core.web.accounts import views
from partage.core.web.deps import AUTHENTICATED, Me, SiteDep, token_of
from partage.core.web.problems import Unauthenticated


class AuthController(Controller):
    """Opening and closing sessions."""

    path = "/auth"
    tags = ("authentication",)

    @post("/login", operation_id="login", sync_to_thread=True, security=[], status_code=200)
    def login(self, data: JSONBody[s.LoginIn], site: SiteDep) -> s.LoginOut:
        """Log in with a username and password; answers a bearer token to send as
        ``Authorization: Bearer <token>`` with every other call."""
        with transaction(site.sessions) as session:
            user = authenticate(session, site.hasher, data.username, data.password)
            if user is None:
                raise Unauthenticated("password", "unknown username or wrong password")
            opened = open_session(session, user, site.session_lifetime)
            role = user.role
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
