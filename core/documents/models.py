"""Tables of issued documents: the files of invoices and credit notes, and the
employment declarations sent to social security.

A document file is written once, when it is first asked for, with the SHA-256 of its
bytes, and never changes afterwards: the ORM refuses updates and deletes, and database
triggers (migration 0006) refuse them too, as for posted journal entries. A second
request returns the stored bytes, so what the client received can always be shown
again exactly.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from sqlalchemy import ForeignKey, LargeBinary, String, UniqueConstraint, event
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from partage.core.contract.errors import PartageError
from partage.core.platform.db.base import Base, UTCDateTime, utcnow

IMMUTABLE_MESSAGE = "issued documents are immutable; issue a credit note or a new declaration"
Row = TypeVar("Row")


def store_once(session: Session, row: Row, stored: Callable[[], Row | None]) -> tuple[Row, bool]:
    """Insert a document ``row`` unless another transaction stored the same one first.

    Two first requests of one document (a double click, two advisers) both find nothing
    stored and both produce it; the table's unique key lets one insert through and
    makes the other wait, then fail. The loser's insert is undone in a savepoint and the
    winner's row, now committed, is returned instead, so that both callers get the same
    bytes. Returns the row kept and whether this call inserted it.
    """
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        found = stored()
        if found is None:
            raise
        return found, False
    return row, True


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


class DeclarationRecord(Base):
    """An employment declaration as produced for social security.

    Attributes:
        kind: ``"dimona"``, ``"dmfa"``, ``"dpae"``, ``"dsn"``...
        subject: what it declares: a contract's code for a hire, ``"2026-07-01/2026-09-30"``
            for a period.
        format: ``"json"`` or the official format's name.
        filename: the file name.
        content: the bytes; sha256: their digest.
        created_at, created_by: when and by whom.
    """

    __tablename__ = "declaration_file"
    __table_args__ = (UniqueConstraint("kind", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(64))
    format: Mapped[str] = mapped_column(String(32))
    filename: Mapped[str] = mapped_column(String(200))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(200))


class ImmutableDocument(PartageError):
    """An issued document was about to be changed or deleted."""


def refuse_change(_mapper: object, _connection: object, target: object) -> None:
    raise ImmutableDocument(
        f"{type(target).__name__} {getattr(target, 'id', '?')}: {IMMUTABLE_MESSAGE}"
    )


for _model in (InvoiceFile, DeclarationRecord):
    event.listen(_model, "before_update", refuse_change)
    event.listen(_model, "before_delete", refuse_change)
