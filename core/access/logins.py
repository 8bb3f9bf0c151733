"""Logins, passwords and sessions.

Passwords are hashed with argon2id (argon2-cffi): memory-hard, so a stolen table is
slow to brute-force. A session is a random 256-bit token given to the client, either
as an HttpOnly cookie (browser) or as a bearer token (API clients); the database keeps
its SHA-256 digest and an expiry, so logging out or disabling a login closes it at
once — the reason for a server-side table rather than self-contained signed tokens.
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
from sqlalchemy import CursorResult, delete, select
from sqlalchemy.orm import Session

from partage.core.access.models import OFFICE_ROLES, Role, WebSession, WebUser
from partage.core.acts.cooperative import InvalidAct, NotFound
from partage.core.members.membership import member_by_number
from partage.core.members.models import Office
from partage.core.platform import audit
from partage.core.platform.db.base import utcnow

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
MIN_PASSWORD = 10


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
) -> WebUser:
    """Create a login; refuses a taken or malformed name, a short password, a member
    login without its member and an office role without its office."""
    username = username.strip().lower()
    if not USERNAME.match(username):
        raise InvalidAct(
            "username",
            f"{username!r} must be 3-64 characters: lower-case letters, digits, "
            "dot, dash or underscore",
        )
    if len(password) < MIN_PASSWORD:
        raise InvalidAct("password", f"must be at least {MIN_PASSWORD} characters long")
    if role not in set(Role):
        raise InvalidAct("role", f"{role!r} must be one of {', '.join(Role)}")
    if session.scalar(select(WebUser.id).where(WebUser.username == username)):
        raise InvalidAct("username", f"{username!r} is already taken")
    member_id = member_by_number(session, member).id if member is not None else None
    if role == Role.MEMBER and member_id is None:
        raise InvalidAct("member", "a member login needs the member's number")
    office_id = None
    if office is not None:
        office_id = session.scalar(select(Office.id).where(Office.code == office))
        if office_id is None:
            raise NotFound("office", "no such office", value=repr(office))
    if role in OFFICE_ROLES and office_id is None:
        raise InvalidAct("office", f"a login of role {role} needs its office")
    user = WebUser(
        username=username,
        password_hash=hasher.hash(password),
        role=role,
        member_id=member_id,
        office_id=office_id,
        display_name=display_name.strip() or username,
        language=language,
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="login.create",
        subject=f"login:{username}",
        data={"role": role, "member": member, "office": office},
    )
    return user


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
