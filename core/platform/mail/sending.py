"""Backends that hand a message over: an SMTP server (stdlib :mod:`smtplib`), a folder
of ``.eml`` files, or the console (the demo's and a developer's)."""

from __future__ import annotations

import smtplib
import ssl
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Protocol, TextIO

from partage.core.platform.db.base import utcnow
from partage.core.platform.mail.settings import EmailSettings


class Sender(Protocol):
    """Hands one message over; raises :class:`OSError` or :class:`smtplib.SMTPException`
    when it could not (the attempt is then recorded as failed and retried)."""

    def send(self, message: EmailMessage) -> None: ...


@dataclass(frozen=True)
class Attachment:
    """A file sent with a message.

    Attributes:
        filename, media_type, content: the file (``application/pdf``...).
    """

    filename: str
    media_type: str
    content: bytes


def compose(
    settings: EmailSettings,
    recipient: str,
    subject: str,
    body: str,
    language: str,
    ref: int,
    attachments: Sequence[Attachment] = (),
) -> EmailMessage:
    """The MIME message of an outbox row (plain text, UTF-8, its language declared),
    with its attachments."""
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = recipient
    message["Subject"] = subject
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = make_msgid(idstring=f"outbox{ref}")
    message.set_content(body)  # clears the Content-* headers: the language comes after
    message["Content-Language"] = language
    for attached in attachments:
        main, _, sub = attached.media_type.partition("/")
        message.add_attachment(
            attached.content,
            maintype=main,
            subtype=sub or "octet-stream",
            filename=attached.filename,
        )
    if attachments:  # the first attachment moved the Content-* headers to the text part
        del message["Content-Language"]
        message["Content-Language"] = language
    return message


class SmtpSender:
    """Delivers through the configured mail server, one connection per batch."""

    def __init__(self, settings: EmailSettings) -> None:
        self.settings = settings

    def send(self, message: EmailMessage) -> None:
        s = self.settings
        context = ssl.create_default_context()
        smtp: smtplib.SMTP
        if s.security == "ssl":
            smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout_seconds, context=context)
        else:
            smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout_seconds)
        with smtp:
            if s.security == "starttls":
                smtp.starttls(context=context)
            if s.username:
                smtp.login(s.username, s.password)
            smtp.send_message(message)


class FileSender:
    """Writes each message as an ``.eml`` file in a folder (a demo's inbox)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def send(self, message: EmailMessage) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = str(message["Message-ID"]).strip("<>").replace("/", "_")
        (self.folder / f"{name}.eml").write_bytes(bytes(message))


class ConsoleSender:
    """Prints each message on standard output (or the stream given)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream

    def send(self, message: EmailMessage) -> None:
        out = self.stream or sys.stdout
        out.write(f"--- email to {message['To']}: {message['Subject']}\n")
        body = message.get_body(preferencelist=("plain",))
        out.write(str(body.get_content() if body is not None else ""))
        for part in message.iter_attachments():
            out.write(f"[attached: {part.get_filename()}]\n")
        out.write("--- end of email\n")
        out.flush()


def sender_for(settings: EmailSettings) -> Sender:
    """The backend the settings name."""
    if settings.backend == "smtp":
        return SmtpSender(settings)
    if settings.backend == "file":
        return FileSender(Path(settings.folder))
    return ConsoleSender()
