"""A forgotten password, reset by a link sent by email.

Anyone may ask for a link by giving a login's name or its email address; the answer is
the same whether a login matches or not, so the form tells a stranger nothing about who
has an account. Asking is throttled like logging in (:mod:`partage.core.access.throttle`:
each request counts as an attempt of ``reset:<name>`` from its address), so the form
cannot flood anyone's mailbox. A matching enabled login with an address (its own, or its
member's) gets a link carrying a random 256-bit token: the database keeps only its
SHA-256 digest (:class:`~partage.core.access.models.PasswordReset`), the link works once
and for ``[email] password_reset_minutes``, and the message is written to the outbox in
the same transaction (:mod:`partage.core.platform.mail.outbox`).

Following the link sets a new password under the usual policy
(:mod:`partage.core.access.passwords`), ends every session of the login and every other
link it was sent, and is audited.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from partage.core.access import throttle
from partage.core.access.logins import digest, end_sessions
from partage.core.access.models import PasswordReset, WebUser
from partage.core.access.passwords import check_password
from partage.core.acts.cooperative import InvalidAct
from partage.core.contract.errors import N_
from partage.core.members.models import Member, Person
from partage.core.platform import audit
from partage.core.platform.db.base import utcnow
from partage.core.platform.mail import outbox

#: The throttle's name for requests about ``name``: kept apart from its logins.
PREFIX = "reset:"
KIND = "password_reset"


@dataclass(frozen=True)
class ResetMail:
    """The text of a reset message, in its reader's language.

    Attributes:
        subject, body: the message.
        language: its language.
    """

    subject: str
    body: str
    language: str


#: Writes the message of a login given its link and its reader's language (``None``:
#: none known, the instance's first): ``(login, link, language) -> ResetMail``.
Composer = Callable[[WebUser, str, str | None], ResetMail]


def _member_person(session: Session, user: WebUser) -> tuple[str, str] | None:
    """The email address and language of a member login's member."""
    if user.member_id is None:
        return None
    found = session.execute(
        select(Person.email, Person.language)
        .join(Member, Member.person_id == Person.id)
        .where(Member.id == user.member_id)
    ).first()
    return (found[0], found[1]) if found is not None else None


def address_of(session: Session, user: WebUser) -> str | None:
    """Where a login's reset link goes: its own address, else its member's."""
    if user.email:
        return user.email
    person = _member_person(session, user)
    return (person[0] or None) if person is not None else None


def language_of(session: Session, user: WebUser) -> str | None:
    """The language a login reads: its interface preference, else its member's."""
    if user.language:
        return user.language
    person = _member_person(session, user)
    return person[1] if person is not None else None


def _matching(session: Session, name: str) -> list[WebUser]:
    """The enabled logins ``name`` designates: by login name, else by email address."""
    wanted = name.strip().lower()[:254]
    if not wanted:
        return []
    by_member = select(Member.id).join(Person, Person.id == Member.person_id)
    by_member = by_member.where(func.lower(Person.email) == wanted)
    return list(
        session.scalars(
            select(WebUser)
            .where(
                WebUser.disabled_at.is_(None),
                or_(
                    WebUser.username == wanted[:64],
                    func.lower(WebUser.email) == wanted,
                    WebUser.email.is_(None) & WebUser.member_id.in_(by_member),
                ),
            )
            .order_by(WebUser.id)
        )
    )


def ask(
    session: Session,
    name: str,
    *,
    address: str,
    link: Callable[[str], str],
    compose: Composer,
    lifetime: timedelta,
) -> int:
    """Send a reset link to each enabled login ``name`` designates that has an address.

    Raises :class:`~partage.core.access.throttle.Throttled` when this address asked too
    often; otherwise the caller answers the same whatever is returned (how many links
    were sent: for tests and the audit, never for the asker)."""
    key = (PREFIX + name.strip().lower())[:64]
    seconds, _attempt = throttle.admit(session, key, address)
    if seconds:
        raise throttle.Throttled(seconds)
    sent = 0
    for user in _matching(session, name):
        recipient = address_of(session, user)
        if recipient is None:
            continue
        token = secrets.token_urlsafe(32)
        session.add(
            PasswordReset(
                token_sha256=digest(token),
                user_id=user.id,
                expires_at=utcnow() + lifetime,
                origin=address[:64],
            )
        )
        mail = compose(user, link(token), language_of(session, user))
        outbox.enqueue(
            session,
            kind=KIND,
            recipient=recipient,
            subject=mail.subject,
            body=mail.body,
            language=mail.language,
        )
        audit.record(
            session,
            actor="anonymous",
            action="login.reset_requested",
            subject=f"login:{user.username}",
            data={"expires_minutes": int(lifetime.total_seconds() // 60)},
            origin=address,
        )
        sent += 1
    return sent


def _valid(session: Session, token: str) -> tuple[PasswordReset, WebUser]:
    refused = InvalidAct("token", N_("this link is unknown, used or expired: ask for a new one"))
    if not token or len(token) > 200:
        raise refused
    reset = session.scalars(
        select(PasswordReset).where(PasswordReset.token_sha256 == digest(token))
    ).one_or_none()
    if reset is None or reset.used_at is not None or reset.expires_at <= utcnow():
        raise refused
    user = session.get(WebUser, reset.user_id)
    if user is None or user.disabled_at is not None:
        raise refused
    return reset, user


def login_of(session: Session, token: str) -> str:
    """The login a valid link resets (:class:`InvalidAct` on ``token`` otherwise)."""
    return _valid(session, token)[1].username


def use(
    session: Session, hasher: PasswordHasher, token: str, password: str, *, origin: str = ""
) -> str:
    """Set the new password a valid link allows; ends every session of the login and
    every link it was sent. Answers the login's name."""
    reset, user = _valid(session, token)
    check_password(password, user.username, second_factor=user.totp_secret is not None)
    now = utcnow()
    user.password_hash = hasher.hash(password)
    user.password_changed_at = now
    user.must_change_password = False
    session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
    )
    ended = end_sessions(session, user)
    audit.record(
        session,
        actor=f"user:{user.username}",
        action="login.reset_password_by_email",
        subject=f"login:{user.username}",
        data={"sessions_ended": ended, "link_of": reset.created_at.isoformat()},
        origin=origin,
    )
    return user.username
