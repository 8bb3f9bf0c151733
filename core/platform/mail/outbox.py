"""The outbox: messages written with the act that sends them, delivered later.

:func:`enqueue` adds a message inside the caller's transaction (the transactional
outbox): if the act rolls back, so does its message; once the act commits, the message
waits in ``email_outbox`` until a job delivers it (:func:`deliver_due`). Each message is
claimed before it is sent (its next attempt pushed back by :data:`CLAIM`), so two
workers never send it twice at once; every attempt is recorded with its outcome, and a
failed message waits longer after each failure (``[email] first_retry_seconds``,
doubling) until ``[email] max_attempts``, when it is given up and stays listed.
"""

from __future__ import annotations

import smtplib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session, sessionmaker

from partage.core.contract.errors import PartageError
from partage.core.platform.db.base import utcnow
from partage.core.platform.db.engine import transaction
from partage.core.platform.mail.models import OutboxAttempt, OutboxMessage
from partage.core.platform.mail.sending import Sender, compose
from partage.core.platform.mail.settings import EmailSettings

#: How long a claimed message is kept from other workers while one sends it.
CLAIM = timedelta(minutes=5)
#: The key of a session's ``info`` telling that it wrote a message (see
#: :meth:`partage.core.platform.mail.jobs.MailQueue.watch`).
WROTE = "partage.outbox.wrote"
STATES = ("pending", "sent", "failed")


def enqueue(
    session: Session,
    *,
    kind: str,
    recipient: str,
    subject: str,
    body: str,
    language: str,
    attachment: tuple[str, bytes] | None = None,
) -> OutboxMessage:
    """Put a message in the outbox, in the caller's transaction; due at once
    (``attachment``: a PDF sent with it, as ``(file name, bytes)``)."""
    if "@" not in recipient or len(recipient) > 254:
        raise PartageError("recipient", f"{recipient!r} is not an email address")
    message = OutboxMessage(
        kind=kind[:64],
        recipient=recipient,
        subject=subject[:200],
        body=body,
        language=language[:2],
        next_attempt_at=utcnow(),
        attempts=0,
        attachment_name=attachment[0][:200] if attachment else None,
        attachment=attachment[1] if attachment else None,
    )
    session.add(message)
    session.flush()
    session.info[WROTE] = True
    return message


@dataclass(frozen=True)
class Delivery:
    """What one run of :func:`deliver_due` did.

    Attributes:
        sent: messages the server accepted.
        failed: messages whose attempt failed (tried again later).
        given_up: of those, the ones past the most attempts allowed.
    """

    sent: int = 0
    failed: int = 0
    given_up: int = 0


def _claim(sessions: sessionmaker[Session], now: datetime, limit: int) -> list[int]:
    """Ids of due messages this run now holds (others skip them for :data:`CLAIM`)."""
    with transaction(sessions) as session:
        due = session.execute(
            select(OutboxMessage.id, OutboxMessage.next_attempt_at)
            .where(OutboxMessage.next_attempt_at <= now)
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(limit)
        ).all()
        held = []
        for ident, due_at in due:
            result = cast(
                "CursorResult[Any]",
                session.execute(
                    update(OutboxMessage)
                    .where(OutboxMessage.id == ident, OutboxMessage.next_attempt_at == due_at)
                    .values(next_attempt_at=now + CLAIM)
                ),
            )
            if result.rowcount:
                held.append(ident)
        return held


def deliver_due(
    sessions: sessionmaker[Session],
    settings: EmailSettings,
    sender: Sender,
    *,
    now: datetime | None = None,
    limit: int = 100,
) -> Delivery:
    """Send the messages that are due (at most ``limit``), recording each attempt."""
    now = now or utcnow()
    sent = failed = given_up = 0
    for ident in _claim(sessions, now, limit):
        with sessions() as session:
            row = session.get(OutboxMessage, ident)
            assert row is not None
            mime = compose(settings, row.recipient, row.subject, row.body, row.language, row.id)
            if row.attachment is not None:
                mime.add_attachment(
                    row.attachment,
                    maintype="application",
                    subtype="pdf",
                    filename=row.attachment_name or f"document-{row.id}.pdf",
                )
                del mime["Content-Language"]  # moved to the text part: declared on the whole
                mime["Content-Language"] = row.language
        error = ""
        try:
            sender.send(mime)
        except (OSError, smtplib.SMTPException) as problem:
            error = f"{type(problem).__name__}: {problem}"[:1000]
        with transaction(sessions) as session:
            row = session.get(OutboxMessage, ident)
            assert row is not None
            row.attempts += 1
            at = utcnow()
            session.add(OutboxAttempt(message_id=ident, at=at, succeeded=not error, error=error))
            if not error:
                row.sent_at, row.next_attempt_at = at, None
                sent += 1
            elif row.attempts >= settings.max_attempts:
                row.failed_at, row.next_attempt_at = at, None
                failed += 1
                given_up += 1
            else:
                # waits from the run's "now" (a sweep catching up runs ahead of the clock)
                row.next_attempt_at = max(at, now) + settings.retry_after(row.attempts)
                failed += 1
    return Delivery(sent, failed, given_up)


@dataclass(frozen=True)
class MessageView:
    """A message as ``partage mail list`` shows it."""

    id: int
    kind: str
    recipient: str
    subject: str
    state: str
    attempts: int
    created_at: datetime
    next_attempt_at: datetime | None
    last_error: str


def state_of(row: OutboxMessage) -> str:
    """``sent``, ``failed`` (given up) or ``pending``."""
    if row.sent_at is not None:
        return "sent"
    if row.failed_at is not None:
        return "failed"
    return "pending"


def list_messages(
    session: Session, state: str | None = None, limit: int = 100
) -> list[MessageView]:
    """The newest messages (of one state), each with its last error."""
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)
    if state == "sent":
        query = query.where(OutboxMessage.sent_at.is_not(None))
    elif state == "failed":
        query = query.where(OutboxMessage.failed_at.is_not(None))
    elif state == "pending":
        query = query.where(OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None))
    elif state is not None:
        raise PartageError("state", f"{state!r} must be one of {', '.join(STATES)}")
    found = []
    for row in session.scalars(query):
        last = session.scalar(
            select(OutboxAttempt.error)
            .where(OutboxAttempt.message_id == row.id)
            .order_by(OutboxAttempt.id.desc())
            .limit(1)
        )
        found.append(
            MessageView(
                row.id,
                row.kind,
                row.recipient,
                row.subject,
                state_of(row),
                row.attempts,
                row.created_at,
                row.next_attempt_at,
                last or "",
            )
        )
    return found


def attempts_of(session: Session, message_id: int) -> Sequence[OutboxAttempt]:
    """Every attempt to send a message, oldest first."""
    return session.scalars(
        select(OutboxAttempt)
        .where(OutboxAttempt.message_id == message_id)
        .order_by(OutboxAttempt.id)
    ).all()
