"""Tables of issued documents: the files of invoices and credit notes, the reminders
sent to late payers, and the employment declarations sent to social security.

A document file is written once, when it is first asked for, with the SHA-256 of its
bytes, and never changes afterwards: the ORM refuses updates and deletes, and database
triggers (migration 0006) refuse them too, as for posted journal entries. A second
request returns the stored bytes, so what the client received can always be shown
again exactly.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TypeVar

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    LargeBinary,
    String,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column

from partage.core.platform.db.base import Base, UTCDateTime, utcnow
from partage.core.platform.db.immutable import refuse_change

Row = TypeVar("Row")


class InvoiceFile(Base):
    """One file of an invoice or credit note, as issued.

    Attributes:
        invoice_id: the invoice or credit note.
        format: ``"pdf"``, or the e-invoice format (``"peppol-bis-3"``,
            ``"factur-x-en16931"``).
        media_type: ``"application/pdf"`` or ``"application/xml"``.
        filename: the file name it is sent under.
        language: ISO 639-1 code of the document's language.
        content: the bytes.
        sha256: hex digest of ``content``.
        created_at, created_by: when and by whom it was first produced.
    """

    __tablename__ = "invoice_file"
    __table_args__ = (UniqueConstraint("invoice_id", "format"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoice.id"), index=True)
    format: Mapped[str] = mapped_column(String(32))
    media_type: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(2))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(200))


event.listen(InvoiceFile, "before_update", refuse_change)
event.listen(InvoiceFile, "before_delete", refuse_change)


class Reminder(Base):
    """One reminder sent to a late payer: a step of the instance's schedule, once per
    invoice (the unique constraint is what keeps a daily run, a retry or a double click
    from sending a step twice).

    Attributes:
        invoice_id: the overdue invoice.
        step: ``friendly``, ``second`` or ``formal_notice``.
        sent_on: the day it was sent.
        days_late: days after the due date on that day.
        owed: what the client still owed, minor units.
        charged: whether the member claimed the charges the law allows.
        interest, compensation: what it claimed (zero when not charged or not allowed
            yet), minor units; a claim, posted nowhere (see
            :mod:`partage.core.documents.reminders`).
        language: the document's and the email's language.
        recipient: the address it was emailed to.
        message_id: the outbox message that carries it.
        filename, content, sha256: the PDF document, as sent.
        sent_by: the login, or ``schedule`` for the daily run.
        created_at: when it was recorded.
    """

    __tablename__ = "reminder"
    __table_args__ = (UniqueConstraint("invoice_id", "step"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoice.id"), index=True)
    step: Mapped[str] = mapped_column(String(16))
    sent_on: Mapped[date] = mapped_column(Date)
    days_late: Mapped[int] = mapped_column(BigInteger)
    owed: Mapped[int] = mapped_column(BigInteger)
    charged: Mapped[bool] = mapped_column(Boolean)
    interest: Mapped[int] = mapped_column(BigInteger)
    compensation: Mapped[int] = mapped_column(BigInteger)
    language: Mapped[str] = mapped_column(String(2))
    recipient: Mapped[str] = mapped_column(String(254))
    message_id: Mapped[int | None] = mapped_column(ForeignKey("email_outbox.id"))
    filename: Mapped[str] = mapped_column(String(200))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    sent_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


event.listen(Reminder, "before_update", refuse_change)
event.listen(Reminder, "before_delete", refuse_change)
