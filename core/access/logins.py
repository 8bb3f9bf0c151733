"""Logins, passwords and sessions.

Passwords are hashed with argon2id (argon2-cffi): memory-hard, so a stolen table is
slow to brute-force. A session is a random 256-bit token given to the client, either
as an HttpOnly cookie (browser) or as a bearer token (API clients); the database keeps
its SHA-256 digest and an expiry, so logging out or disabling a login closes it at
once — the reason for a server-side table rather than self-contained signed tokens.

A login's life: created (:func:`create_user`), listed (:func:`list_logins`), disabled
and enabled again (:func:`disable`, :func:`enable`), its sessions revoked
(:func:`revoke`), its password reset by an administrator (:func:`reset_password`) or
changed by its owner (:func:`change_password`), a second factor enrolled
(:func:`enrol_second_factor`). Each step is audited with who, when and from where, and
each step that changes who may act ends the sessions it must, in the same transaction.
Passwords follow :mod:`partage.core.access.passwords` (NIST SP 800-63B-4).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import CursorResult, delete, func, or_, select
from sqlalchemy.orm import Session

from partage.core.access import factors
from partage.core.access.models import OFFICE_ROLES, LoginAttempt, Role, WebSession, WebUser
from partage.core.access.passwords import check_password
from partage.core.acts.cooperative import InvalidAct, NotFound
from partage.core.contract.errors import N_
from partage.core.members import offices
from partage.core.members.checks import email_address
from partage.core.members.membership import member_by_number
from partage.core.members.models import Member, Office, OfficeAdviser, Person
from partage.core.platform import audit
from partage.core.platform.db.base import utcnow

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")


def digest(token: str) -> str:
    """The SHA-256 digest a session token is stored under."""
    return hashlib.sha256(token.encode()).hexdigest()


def create_user(
    session: Session,
    hasher: PasswordHasher,
    *,
    username: str,
    password: str,
    role: str,
    actor: str,
    member: int | None = None,
    office: str | None = None,
    display_name: str = "",
    language: str | None = None,
    email: str | None = None,
    origin: str = "",
) -> WebUser:
    """Create a login; refuses a taken or malformed name, a password the policy refuses,
    a member login without its member and an office role without its office. An
    adviser or office manager is put on the office's staff roster, where their office
    access comes from. A member's login without a display name shows the member's
    name."""
    username = username.strip().lower()
    if not USERNAME.match(username):
        raise InvalidAct(
            "username",
            N_(
                "{username} must be 3-64 characters: lower-case letters, "
                "digits, dot, dash or underscore"
            ),
            username=repr(username),
        )
    check_password(password, username, second_factor=False)
    if role not in set(Role):
        raise InvalidAct(
            "role", N_("{role} must be one of {item_a}"), role=repr(role), item_a=", ".join(Role)
        )
    if email is not None:
        email = email_address(email).lower()
    if session.scalar(select(WebUser.id).where(WebUser.username == username)):
        raise InvalidAct("username", N_("{username} is already taken"), username=repr(username))
    found = member_by_number(session, member) if member is not None else None
    member_id = found.id if found is not None else None
    if found is not None and not display_name.strip():
        # the interface greets a member by the name the cooperative knows them by
        person = session.get(Person, found.person_id)
        display_name = f"{person.first_name} {person.last_name}" if person else ""
    if role == Role.MEMBER and member_id is None:
        raise InvalidAct("member", N_("a member login needs the member's number"))
    if role in OFFICE_ROLES:
        if office is None:
            raise InvalidAct("office", N_("a login of role {role} needs its office"), role=role)
        if session.scalar(select(Office.id).where(Office.code == office)) is None:
            raise NotFound("office", N_("no such office"), value=repr(office))
        if office != _roster_office(session, username):
            offices.add_adviser(session, office, username, actor=actor)
    elif office is not None:
        raise InvalidAct("office", N_("a login of role {role} works for no office"), role=role)
    user = WebUser(
        username=username,
        password_hash=hasher.hash(password),
        role=role,
        member_id=member_id,
        display_name=display_name.strip() or username,
        language=language,
        email=email,
        password_changed_at=utcnow(),
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="login.create",
        subject=f"login:{username}",
        data={"role": role, "member": member, "office": office},
        origin=origin,
    )
    return user


def _roster_office(session: Session, username: str) -> str | None:
    return session.scalar(
        select(Office.code)
        .join(OfficeAdviser, OfficeAdviser.office_id == Office.id)
        .where(OfficeAdviser.user_name == username)
        .order_by(Office.id)
        .limit(1)
    )


def login_named(session: Session, username: str) -> WebUser:
    """The login of that name, enabled or not (:class:`NotFound` otherwise)."""
    user = session.scalars(
        select(WebUser).where(WebUser.username == username.strip().lower()[:64])
    ).one_or_none()
    if user is None:
        raise NotFound("login", N_("no such login"), value=repr(username))
    return user


@dataclass(frozen=True)
class LoginView:
    """A login as administrators list it.

    Attributes:
        username, role, display_name: who.
        member: the member number behind a member login.
        office: the office whose roster names an adviser or office manager (``None``
            once removed from it: the login then reaches no office).
        created_at, disabled_at: its life.
        second_factor: whether a TOTP second factor is enrolled.
        sessions: how many of its sessions are open.
        last_login: its last successful login.
    """

    username: str
    role: str
    display_name: str
    member: int | None
    office: str | None
    created_at: datetime
    disabled_at: datetime | None
    second_factor: bool
    sessions: int
    last_login: datetime | None


def list_logins(session: Session, search: str = "", *, limit: int = 500) -> list[LoginView]:
    """Every login (or those whose name or display name contains ``search``), by name."""
    now = utcnow()
    open_sessions = (
        select(WebSession.user_id, func.count().label("n"))
        .where(WebSession.expires_at > now)
        .group_by(WebSession.user_id)
        .subquery()
    )
    last = (
        select(LoginAttempt.username, func.max(LoginAttempt.at).label("at"))
        .where(LoginAttempt.succeeded.is_(True))
        .group_by(LoginAttempt.username)
        .subquery()
    )
    roster = (
        select(OfficeAdviser.user_name, func.min(Office.code).label("code"))
        .join(Office, Office.id == OfficeAdviser.office_id)
        .group_by(OfficeAdviser.user_name)
        .subquery()
    )
    query = (
        select(WebUser, Member.number, roster.c.code, open_sessions.c.n, last.c.at)
        .outerjoin(Member, Member.id == WebUser.member_id)
        .outerjoin(roster, roster.c.user_name == WebUser.username)
        .outerjoin(open_sessions, open_sessions.c.user_id == WebUser.id)
        .outerjoin(last, last.c.username == WebUser.username)
        .order_by(WebUser.username)
        .limit(limit)
    )
    wanted = search.strip().lower()[:64]
    if wanted:
        pattern = f"%{wanted.replace('%', '').replace('_', '')}%"
        query = query.where(
            or_(WebUser.username.like(pattern), func.lower(WebUser.display_name).like(pattern))
        )
    return [
        LoginView(
            user.username,
            user.role,
            user.display_name,
            number,
            code if user.role in set(OFFICE_ROLES) else None,
            user.created_at,
            user.disabled_at,
            user.totp_secret is not None,
            int(count or 0),
            at,
        )
        for user, number, code, count, at in session.execute(query)
    ]


def end_sessions(session: Session, user: WebUser, *, keep: str | None = None) -> int:
    """Close every session of a login (but the one of token ``keep``); how many."""
    condition = [WebSession.user_id == user.id]
    if keep:
        condition.append(WebSession.token_sha256 != digest(keep))
    result = cast("CursorResult[Any]", session.execute(delete(WebSession).where(*condition)))
    return int(result.rowcount or 0)


def _last_administrator(session: Session, user: WebUser) -> bool:
    others = session.scalar(
        select(func.count()).where(
            WebUser.role == Role.ADMINISTRATOR,
            WebUser.disabled_at.is_(None),
            WebUser.id != user.id,
        )
    )
    return user.role == Role.ADMINISTRATOR and not others


def disable(
    session: Session, username: str, *, actor: str, origin: str = "", reason: str = ""
) -> int:
    """Disable a login: it can no longer log in and every session of it ends at once
    (how many did). The last enabled administrator is never disabled (no one could
    enable anyone again)."""
    user = login_named(session, username)
    if user.disabled_at is not None:
        raise InvalidAct(
            "login", N_("{user_username} is already disabled"), user_username=repr(user.username)
        )
    if _last_administrator(session, user):
        raise InvalidAct("login", N_("the last enabled administrator cannot be disabled"))
    user.disabled_at = utcnow()
    ended = end_sessions(session, user)
    audit.record(
        session,
        actor=actor,
        action="login.disable",
        subject=f"login:{user.username}",
        reason=reason,
        data={"sessions_ended": ended},
        origin=origin,
    )
    return ended


def enable(
    session: Session, username: str, *, actor: str, origin: str = "", reason: str = ""
) -> None:
    """Enable a disabled login again (its password unchanged)."""
    user = login_named(session, username)
    if user.disabled_at is None:
        raise InvalidAct(
            "login", N_("{user_username} is not disabled"), user_username=repr(user.username)
        )
    user.disabled_at = None
    audit.record(
        session,
        actor=actor,
        action="login.enable",
        subject=f"login:{user.username}",
        reason=reason,
        origin=origin,
    )


def revoke(
    session: Session, username: str, *, actor: str, origin: str = "", reason: str = ""
) -> int:
    """End every session of a login at once (a lost laptop, a stolen token); it may log
    in again with its password. How many sessions ended."""
    user = login_named(session, username)
    ended = end_sessions(session, user)
    audit.record(
        session,
        actor=actor,
        action="login.revoke",
        subject=f"login:{user.username}",
        reason=reason,
        data={"sessions_ended": ended},
        origin=origin,
    )
    return ended


def reset_password(
    session: Session,
    hasher: PasswordHasher,
    username: str,
    *,
    actor: str,
    password: str | None = None,
    clear_second_factor: bool = False,
    origin: str = "",
    reason: str = "",
) -> str:
    """Give a login a new password (``password``, else a random one of 20 characters)
    and end its sessions; answers the password, to hand over through a safe channel
    (its owner must change it at their next login before anything else).
    ``clear_second_factor`` also forgets its second factor
    (a lost phone): the new password must then stand alone."""
    user = login_named(session, username)
    if clear_second_factor:
        user.totp_secret = None
        user.totp_last_step = None
    chosen = password if password is not None else secrets.token_urlsafe(15)
    check_password(chosen, user.username, second_factor=user.totp_secret is not None)
    user.password_hash = hasher.hash(chosen)
    user.password_changed_at = utcnow()
    user.must_change_password = True  # someone else knows it: its owner changes it
    ended = end_sessions(session, user)
    audit.record(
        session,
        actor=actor,
        action="login.reset_password",
        subject=f"login:{user.username}",
        reason=reason,
        data={"sessions_ended": ended, "second_factor_cleared": clear_second_factor},
        origin=origin,
    )
    return chosen


def change_password(
    session: Session,
    hasher: PasswordHasher,
    user_id: int,
    old: str,
    new: str,
    *,
    keep: str | None = None,
    origin: str = "",
) -> int:
    """A login changes its own password: the current one is asked, the new one must
    follow the policy, and every other session of the login ends (``keep``: the token
    of the session it changes it from). How many sessions ended."""
    user = session.get(WebUser, user_id)
    if user is None or user.disabled_at is not None:
        raise NotFound("login", N_("no such enabled login"))
    if not password_matches(hasher, user.password_hash, old):
        raise InvalidAct("old_password", N_("is not your current password"))
    if new == old:
        raise InvalidAct("password", N_("must differ from the current one"))
    check_password(new, user.username, second_factor=user.totp_secret is not None)
    user.password_hash = hasher.hash(new)
    user.password_changed_at = utcnow()
    user.must_change_password = False
    ended = end_sessions(session, user, keep=keep)
    audit.record(
        session,
        actor=f"user:{user.username}",
        action="login.change_password",
        subject=f"login:{user.username}",
        data={"sessions_ended": ended},
        origin=origin,
    )
    return ended


def enrol_second_factor(
    session: Session,
    hasher: PasswordHasher,
    user_id: int,
    *,
    password: str,
    secret: str,
    code: str,
    origin: str = "",
) -> None:
    """Keep ``secret`` as the login's TOTP second factor, once its password and the
    first code from the app (proof the app holds the secret) are right. Replaces a
    factor already enrolled."""
    user = session.get(WebUser, user_id)
    if user is None or user.disabled_at is not None:
        raise NotFound("login", N_("no such enabled login"))
    if not factors.may_enrol(user.role):
        raise InvalidAct(
            "role",
            N_("a login of role {user_role} has no second factor to enrol"),
            user_role=user.role,
        )
    if not password_matches(hasher, user.password_hash, password):
        raise InvalidAct("password", N_("is not your current password"))
    cleaned = factors.valid_secret(secret)
    step = factors.accepted_step(cleaned, code, None)
    if step is None:
        raise InvalidAct("code", N_("is not the app's current code for this secret"))
    replaced = user.totp_secret is not None
    user.totp_secret = cleaned
    user.totp_last_step = step
    audit.record(
        session,
        actor=f"user:{user.username}",
        action="login.enrol_second_factor",
        subject=f"login:{user.username}",
        data={"replaced": replaced},
        origin=origin,
    )


def second_factor_passes(user: WebUser, code: str | None) -> bool:
    """Whether ``code`` opens the login's second factor (always, when it has none);
    an accepted code's step is kept so it is never accepted again."""
    if user.totp_secret is None:
        return True
    step = factors.accepted_step(user.totp_secret, code or "", user.totp_last_step)
    if step is None:
        return False
    user.totp_last_step = step
    return True


def enabled_login(session: Session, username: str) -> WebUser | None:
    """The enabled login of that name, or ``None``."""
    user = session.scalars(
        select(WebUser).where(WebUser.username == username.strip().lower()[:64])
    ).one_or_none()
    return user if user is not None and user.disabled_at is None else None


def password_matches(hasher: PasswordHasher, stored: str | None, password: str) -> bool:
    """Whether ``password`` is the one hashed in ``stored``. With no stored hash (no
    such login) a hash is still computed, as long as a verification: the time taken
    does not tell whether the login exists. The one slow step of a login: the web runs
    it under a limiter of its own."""
    if stored is None:
        hasher.hash(password)
        return False
    try:
        return bool(hasher.verify(stored, password))
    except (VerificationError, InvalidHashError):
        return False


def rehash_if_outdated(hasher: PasswordHasher, user: WebUser, password: str) -> None:
    """Rehash a password whose hash uses outdated parameters, on a successful login."""
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)


def authenticate(
    session: Session, hasher: PasswordHasher, username: str, password: str
) -> WebUser | None:
    """The enabled login whose password this is, or ``None`` (never says which part
    was wrong). Rehashes a password whose hash uses outdated parameters."""
    user = enabled_login(session, username)
    if not password_matches(hasher, user.password_hash if user else None, password):
        return None
    assert user is not None
    rehash_if_outdated(hasher, user, password)
    return user


@dataclass(frozen=True)
class Opened:
    """A session just opened.

    Attributes:
        token: the secret to hand to the client (shown once, never stored).
        expires_at: when it stops being accepted.
    """

    token: str
    expires_at: datetime


def open_session(session: Session, user: WebUser, lifetime: timedelta) -> Opened:
    """Open a session for a login; also sweeps the login's expired sessions."""
    now = utcnow()
    session.execute(
        delete(WebSession).where(WebSession.user_id == user.id, WebSession.expires_at < now)
    )
    token = secrets.token_urlsafe(32)
    expires = now + lifetime
    session.add(WebSession(token_sha256=digest(token), user_id=user.id, expires_at=expires))
    session.flush()
    return Opened(token, expires)


def user_of_token(session: Session, token: str) -> WebUser | None:
    """The enabled login of an unexpired session token, or ``None``."""
    if not token or len(token) > 200:
        return None
    row = session.execute(
        select(WebUser)
        .join(WebSession, WebSession.user_id == WebUser.id)
        .where(
            WebSession.token_sha256 == digest(token),
            WebSession.expires_at > utcnow(),
            WebUser.disabled_at.is_(None),
        )
    ).scalar_one_or_none()
    return row


def close_session(session: Session, token: str) -> bool:
    """Close (delete) a session; ``True`` when there was one."""
    # A DML statement's result is a CursorResult, which alone carries the row count.
    result = cast(
        "CursorResult[Any]",
        session.execute(delete(WebSession).where(WebSession.token_sha256 == digest(token))),
    )
    return bool(result.rowcount)
