"""API of logins and personal accounts: log in and out, who am I, my member account,
my worker account, and creating logins (administrators)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.params import JSONBody, Parameter, PathParameter
from litestar.status_codes import HTTP_201_CREATED, HTTP_202_ACCEPTED

from partage.core.access import factors, resets, throttle
from partage.core.access.logins import (
    change_password,
    close_session,
    create_user,
    disable,
    enable,
    enrol_second_factor,
    list_logins,
    reset_password,
    revoke,
)
from partage.core.access.models import Role
from partage.core.access.roles import Principal, require
from partage.core.acts.cooperative import NotFound
from partage.core.contract.errors import N_
from partage.core.members.membership import subscribe_more
from partage.core.platform.db.engine import transaction
from partage.core.web.accounts import schemas as s
from partage.core.web.accounts import views
from partage.core.web.accounts.resets import send_link
from partage.core.web.accounts.signin import client_address, sign_in
from partage.core.web.deps import AUTHENTICATED, Me, SiteDep, token_of
from partage.core.web.site import Site

UserPath = Annotated[str, PathParameter(max_length=64, description="the login's name")]


def _lifecycle(
    act: Callable[..., int | None],
    request: Request[Any, Any, Any],
    username: str,
    data: s.LoginActIn,
    site: Site,
    principal: Principal,
) -> s.SessionsEndedOut:
    """Run one of an administrator's acts on a login (disable, enable, revoke), audited
    with the reason given and the client's address; the sessions it ended."""
    require(principal, Role.ADMINISTRATOR, what=N_("manage logins"))
    with transaction(site.sessions) as session:
        ended = act(
            session,
            username,
            actor=principal.actor,
            origin=client_address(request),
            reason=data.reason,
        )
    return s.SessionsEndedOut(sessions_ended=ended or 0)


class AuthController(Controller):
    """Opening and closing sessions."""

    path = "/auth"
    tags = ("authentication",)

    @post("/login", operation_id="login", security=[], status_code=200)
    async def login(self, request: Request[Any, Any, Any], data: JSONBody[s.LoginIn]) -> s.LoginOut:
        """Log in with a username and password (and ``code``, the authenticator app's
        code, for a login with a second factor: 401 naming ``code`` when it is missing
        or wrong); answers a bearer token to send as ``Authorization: Bearer <token>``
        with every other call. After repeated failures from an address, answers 429
        with ``Retry-After`` until the delay has passed. An administrator without a
        second factor reaches only ``/me`` until they enrol one."""
        signed = await sign_in(request, data.username, data.password, data.code)
        return s.LoginOut(
            token=signed.opened.token,
            token_type="bearer",
            expires_at=signed.opened.expires_at,
            role=signed.role,
        )

    @post(
        "/password-reset",
        operation_id="ask_password_reset",
        security=[],
        sync_to_thread=True,
        status_code=HTTP_202_ACCEPTED,
    )
    def ask_password_reset(
        self, request: Request[Any, Any, Any], site: SiteDep, data: JSONBody[s.PasswordResetIn]
    ) -> dict[str, str]:
        """Email a single-use link to set a new password to the login ``login`` names
        (a login's name or email address). The answer is the same whether a login
        matches or not; asking too often from one address answers 429."""
        send_link(site, data.login, client_address(request), str(request.base_url))
        return {"status": "if a login matches, a link is on its way to its email address"}

    @post(
        "/password-reset/use",
        operation_id="use_password_reset",
        security=[],
        sync_to_thread=True,
        status_code=200,
    )
    def use_password_reset(
        self, request: Request[Any, Any, Any], site: SiteDep, data: JSONBody[s.PasswordResetUseIn]
    ) -> s.PasswordResetUsedOut:
        """Set a new password with the token of an emailed link (once, before it
        expires: 422 naming ``token`` otherwise); every session of the login ends."""
        with transaction(site.sessions) as session:
            username = resets.use(
                session, site.hasher, data.token, data.password, origin=client_address(request)
            )
        return s.PasswordResetUsedOut(username=username)

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
            raise NotFound("member", N_("this login has no member account"))
        with site.sessions() as session:
            return views.member_account(session, site.coop, principal.member_id)

    @post("/member/shares", operation_id="subscribe_my_shares", sync_to_thread=True)
    def subscribe(
        self, site: SiteDep, principal: Me, data: JSONBody[s.SharesIn]
    ) -> s.MemberAccountOut:
        """Subscribe more shares of my class at nominal: they wait, with the structured
        reference my transfer must carry, until the bank statement brings it."""
        if principal.member_id is None or principal.member_number is None:
            raise NotFound("member", N_("this login has no member account"))
        with transaction(site.sessions) as session:
            subscribe_more(
                session,
                site.coop,
                principal.member_number,
                data.quantity,
                on=site.today(),
                actor=f"user:{principal.username}",
            )
        with site.sessions() as session:
            return views.member_account(session, site.coop, principal.member_id)

    @post("/password", operation_id="change_my_password", sync_to_thread=True, status_code=200)
    def password(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[s.PasswordIn],
        site: SiteDep,
        principal: Me,
    ) -> s.SessionsEndedOut:
        """Change my password: the current one is asked; every other session of mine
        ends (this token stays open)."""
        with transaction(site.sessions) as session:
            ended = change_password(
                session,
                site.hasher,
                principal.user_id,
                data.old_password,
                data.password,
                keep=token_of(request, cookie=False),
                origin=client_address(request),
            )
        return s.SessionsEndedOut(sessions_ended=ended)

    @post(
        "/second-factor/secret",
        operation_id="offer_second_factor",
        sync_to_thread=True,
        status_code=200,
    )
    def offer_factor(self, site: SiteDep, principal: Me) -> s.SecretOut:
        """A new TOTP secret and its ``otpauth://`` address, for staff logins; nothing
        is kept until ``POST /me/second-factor`` confirms it with the app's code."""
        require(principal, *factors.STAFF_ROLES, what=N_("enrol a second factor"))
        offered = factors.new_enrolment(principal.username, site.look().name)
        return s.SecretOut(secret=offered.secret, uri=offered.uri)

    @post(
        "/second-factor", operation_id="enrol_second_factor", sync_to_thread=True, status_code=200
    )
    def enrol(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[s.EnrolIn],
        site: SiteDep,
        principal: Me,
    ) -> s.EnrolledOut:
        """Enrol the offered secret as my second factor: my password and the app's
        current code are asked; from then on logging in asks the code."""
        with transaction(site.sessions) as session:
            enrol_second_factor(
                session,
                site.hasher,
                principal.user_id,
                password=data.password,
                secret=data.secret,
                code=data.code,
                origin=client_address(request),
            )
        return s.EnrolledOut(second_factor=True)

    @get("/worker", operation_id="my_worker_account", sync_to_thread=True)
    def worker(self, site: SiteDep, principal: Me) -> s.WorkerAccountOut:
        """My worker account: employment contracts and payslips."""
        with site.sessions() as session:
            return views.worker_account(session, site.coop, principal)


class UsersController(Controller):
    """Logins, created and managed by the instance's administrators."""

    path = "/users"
    tags = ("administration",)
    dependencies = AUTHENTICATED

    @get("/", operation_id="list_users", sync_to_thread=True)
    def list_users(
        self,
        site: SiteDep,
        principal: Me,
        search: Annotated[str, Parameter(max_length=64, description="part of a name")] = "",
    ) -> list[s.LoginOutline]:
        """Every login (or those whose name contains ``search``), with its state, open
        sessions, second factor and last login (administrators only)."""
        require(principal, Role.ADMINISTRATOR, what=N_("manage logins"))
        with site.sessions() as session:
            return [
                s.LoginOutline(
                    username=v.username,
                    role=v.role,
                    display_name=v.display_name,
                    member=v.member,
                    office=v.office,
                    created_at=v.created_at,
                    disabled_at=v.disabled_at,
                    second_factor=v.second_factor,
                    sessions=v.sessions,
                    last_login=v.last_login,
                )
                for v in list_logins(session, search)
            ]

    @post(
        "/{username:str}/disable", operation_id="disable_user", sync_to_thread=True, status_code=200
    )
    def disable_user(
        self,
        request: Request[Any, Any, Any],
        username: UserPath,
        data: JSONBody[s.LoginActIn],
        site: SiteDep,
        principal: Me,
    ) -> s.SessionsEndedOut:
        """Disable a login: it can no longer log in, and its sessions end at once."""
        return _lifecycle(disable, request, username, data, site, principal)

    @post(
        "/{username:str}/enable", operation_id="enable_user", sync_to_thread=True, status_code=200
    )
    def enable_user(
        self,
        request: Request[Any, Any, Any],
        username: UserPath,
        data: JSONBody[s.LoginActIn],
        site: SiteDep,
        principal: Me,
    ) -> s.SessionsEndedOut:
        """Enable a disabled login again."""
        return _lifecycle(enable, request, username, data, site, principal)

    @post(
        "/{username:str}/revoke", operation_id="revoke_user", sync_to_thread=True, status_code=200
    )
    def revoke_user(
        self,
        request: Request[Any, Any, Any],
        username: UserPath,
        data: JSONBody[s.LoginActIn],
        site: SiteDep,
        principal: Me,
    ) -> s.SessionsEndedOut:
        """End every session of a login at once (it may log in again)."""
        return _lifecycle(revoke, request, username, data, site, principal)

    @post(
        "/{username:str}/reset-password",
        operation_id="reset_user_password",
        sync_to_thread=True,
        status_code=200,
    )
    def reset_user(
        self,
        request: Request[Any, Any, Any],
        username: UserPath,
        data: JSONBody[s.ResetIn],
        site: SiteDep,
        principal: Me,
    ) -> s.ResetOut:
        """Give a login a new random password, answered this once (its sessions end);
        ``clear_second_factor`` also forgets its second factor."""
        require(principal, Role.ADMINISTRATOR, what=N_("manage logins"))
        with transaction(site.sessions) as session:
            password = reset_password(
                session,
                site.hasher,
                username,
                actor=principal.actor,
                clear_second_factor=data.clear_second_factor,
                origin=client_address(request),
                reason=data.reason,
            )
        return s.ResetOut(password=password)

    @post("/", operation_id="create_user", sync_to_thread=True, status_code=HTTP_201_CREATED)
    def create(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[s.UserIn],
        site: SiteDep,
        principal: Me,
    ) -> s.UserOut:
        """Create a login (administrators only)."""
        require(principal, Role.ADMINISTRATOR, what=N_("create logins"))
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
                origin=client_address(request),
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
        require(principal, Role.ADMINISTRATOR, what=N_("see throttled logins"))
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
        require(principal, Role.ADMINISTRATOR, what=N_("lift login delays"))
        with transaction(site.sessions) as session:
            lifted = throttle.lift(
                session, data.address, username=data.username, actor=principal.actor
            )
        return s.LiftOut(lifted=lifted)
