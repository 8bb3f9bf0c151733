"""Tables of the web application: the people who may log in and their open sessions.

A login is not a member: a member logs in to see their own accounts, but advisers,
office managers, the instance's administrators, the ethics committee and the
franchisor log in too, and none of them need to be members. Passwords are kept only
as argon2 hashes. A session is a random token handed to the browser (cookie) or API
client (bearer); the database keeps only its SHA-256 digest, so a leaked copy of the
table opens no session.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from partage.core.access.enums import Role
from partage.core.platform.db.base import Base, UTCDateTime, utcnow

#: Roles that act for one office and need it named.
OFFICE_ROLES = (Role.ADVISER, Role.OFFICE_MANAGER)


class WebUser(Base):
    """A person who may log in.

    Attributes:
        username: the login name, unique, lower case.
        password_hash: the argon2id hash of the password (PHC string).
        role: a :class:`Role`.
        member_id: the member a ``member`` login belongs to.
        display_name: how the interface greets them.
        language: preferred interface language (``None``: the instance's first).
        created_at: when the login was created.
        disabled_at: when it was disabled; a disabled login cannot log in.
        totp_secret: the base32 secret of the login's TOTP second factor (``None``: not
            enrolled). It must stay readable to check codes, so it is kept as it is: it
            is never logged, audited, shown after enrolment nor answered by the API;
            protect the database and its backups accordingly.
        totp_last_step: the 30-second step of the last code accepted, so that a code
            is never accepted twice.
        password_changed_at: when the password was last set.
        email: where a forgotten password's reset link goes (``None``: a member's
            login uses the member's own address, another login can only be reset by
            an administrator).
        must_change_password: the password was set by an administrator: its owner
            changes it before doing anything else.

    The office of an adviser or office manager is not kept here: it is the office
    whose staff roster (:class:`~partage.core.members.models.OfficeAdviser`) names the
    login, the one source of truth, so that removing them from the office removes
    their access to it.
    """

    __tablename__ = "web_user"
    __table_args__ = (
        CheckConstraint("role <> 'member' OR member_id IS NOT NULL", name="member_has_member"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"), index=True)
    display_name: Mapped[str] = mapped_column(String(200))
    language: Mapped[str | None] = mapped_column(String(2))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    email: Mapped[str | None] = mapped_column(String(254))
    must_change_password: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )


class PasswordReset(Base):
    """A password-reset link sent by email: single use, expiring.

    Attributes:
        token_sha256: hex SHA-256 of the link's token (the token itself is only in the
            message, never kept).
        user_id: whose password it resets.
        created_at: when it was asked for.
        expires_at: when it stops being accepted (``[email] password_reset_minutes``).
        used_at: when it was used (a used link is refused).
        origin: the address that asked for it.
    """

    __tablename__ = "password_reset"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("web_user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    origin: Mapped[str] = mapped_column(String(64), default="")


class WebSession(Base):
    """An open session of a login.

    Attributes:
        token_sha256: hex SHA-256 of the session token (the token itself is never kept).
        user_id: whose session.
        created_at: when it was opened.
        expires_at: when it stops being accepted.
    """

    __tablename__ = "web_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("web_user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class IdempotentRequest(Base):
    """An API request sent with an ``Idempotency-Key`` header, and the answer it got.

    A client that lost the answer to an act (a timeout, a dropped connection) sends the
    request again with the same key and gets the first answer back instead of a second
    act. Keys are the login's own and scoped to the entity the request acts on, so a key
    never reveals another login's or another entity's act.

    Attributes:
        user_id: the login that sent it.
        scope: the entity code of the address (``""`` when it names none).
        key: the header's value.
        fingerprint: hex SHA-256 of the method, path, query and body: the same key
            with another request is refused, not answered with the first one's answer.
        status: the answer's HTTP status; ``None`` while the first request runs.
        content_type, body: the answer, replayed as it was.
        created_at: when the first request came.
    """

    __tablename__ = "idempotent_request"
    __table_args__ = (UniqueConstraint("user_id", "scope", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("web_user.id"))
    scope: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(100))
    fingerprint: Mapped[str] = mapped_column(String(64))
    status: Mapped[int | None] = mapped_column(Integer)
    content_type: Mapped[str | None] = mapped_column(String(100))
    body: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class LoginAttempt(Base):
    """One attempt to log in, kept to slow down guessing and for the audit.

    Attributes:
        username: the name tried, lower case, cut to 64 characters (it may not exist).
        address: the client's address as the server saw it (after a trusted proxy).
        at: when.
        succeeded: whether the password was right.
        lifted_at: when an administrator lifted the delay this failure counted towards.
    """

    __tablename__ = "login_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    succeeded: Mapped[bool] = mapped_column(Boolean)
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
