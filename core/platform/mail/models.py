"""Tables of the email outbox: the messages to send and each attempt to send them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from partage.core.platform.db.base import Base, UTCDateTime, utcnow


class OutboxMessage(Base):
    """A message waiting to be sent, or sent.

    Attributes:
        kind: what it is for (``password_reset``, ...), to list and count them.
        recipient: the address it goes to.
        subject, body: its text, already in the recipient's language.
        language: that language (ISO 639-1).
        created_at: when the act that sends it committed it.
        next_attempt_at: when it is next due (``None`` once sent or given up).
        attempts: how many attempts were made.
        sent_at: when the mail server accepted it.
        failed_at: when it was given up after the most attempts the settings allow.
        attachment_name, attachment: one PDF sent with it (a reminder's document), or
            ``None``.
    """

    __tablename__ = "email_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(2))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attachment_name: Mapped[str | None] = mapped_column(String(200))
    attachment: Mapped[bytes | None] = mapped_column(LargeBinary)


class OutboxAttempt(Base):
    """One attempt to hand a message to the mail server.

    Attributes:
        message_id: which message.
        at: when.
        succeeded: whether the server accepted it.
        error: why not (the server's or the network's words), cut to 1000 characters.
    """

    __tablename__ = "email_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("email_outbox.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    succeeded: Mapped[bool]
    error: Mapped[str] = mapped_column(String(1000), default="")
