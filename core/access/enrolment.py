"""A newly admitted member's login, and the invitation link to choose its password.

Admission (:mod:`partage.core.members.review`) makes the member; this gives them their
login: named ``member<number>``, with a random password nobody knows, and an invitation
link by email — a password-reset link (:mod:`partage.core.access.resets`) that lives
``[email] invitation_days`` rather than minutes — to choose their own. The message is
written in the member's language, in the transaction of the admission, and leaves
through the outbox once it commits. A member who already has a login gets none.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import timedelta

from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.orm import Session

from partage.core.access.logins import create_user, digest
from partage.core.access.models import PasswordReset, Role, WebUser
from partage.core.access.resets import Composer, address_of, language_of
from partage.core.members.models import Application, Member
from partage.core.platform import audit
from partage.core.platform.db.base import utcnow
from partage.core.platform.mail import outbox

KIND = "member_invitation"


def login_name(number: int) -> str:
    """The login of member ``number``."""
    return f"member{number}"


def invite(
    session: Session,
    hasher: PasswordHasher,
    member_number: int,
    *,
    link: Callable[[str], str],
    compose: Composer,
    lifetime: timedelta,
    actor: str,
) -> WebUser | None:
    """Create the member's login and mail them the link to choose its password;
    ``None`` when the member already has a login."""
    member = session.scalars(select(Member).where(Member.number == member_number)).one()
    if session.scalar(select(WebUser.id).where(WebUser.member_id == member.id)) is not None:
        return None
    user = create_user(
        session,
        hasher,
        username=login_name(member_number),
        password=secrets.token_urlsafe(32),
        role=Role.MEMBER,
        actor=actor,
        member=member_number,
    )
    recipient = address_of(session, user)
    if recipient is None:
        return user
    token = secrets.token_urlsafe(32)
    session.add(
        PasswordReset(token_sha256=digest(token), user_id=user.id, expires_at=utcnow() + lifetime)
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
        actor=actor,
        action="login.invited",
        subject=f"login:{user.username}",
        data={"expires_days": lifetime.days},
    )
    return user


def invite_if_admitted(
    session: Session,
    hasher: PasswordHasher,
    application: Application,
    *,
    link: Callable[[str], str],
    compose: Composer,
    lifetime: timedelta,
    actor: str,
) -> WebUser | None:
    """After a step of an application: the login of the member it admitted, if it did."""
    if application.member_id is None:
        return None
    member = session.get(Member, application.member_id)
    if member is None:
        return None
    return invite(
        session, hasher, member.number, link=link, compose=compose, lifetime=lifetime, actor=actor
    )
