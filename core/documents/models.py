"""Tables of issued documents: the files of invoices and credit notes, and the
employment declarations sent to social security.

A document file is written once, when it is first asked for, with the SHA-256 of its
bytes, and never changes afterwards: the ORM refuses updates and deletes, and database
triggers (migration 0006) refuse them too, as for posted journal entries. A second
request returns the stored bytes, so what the client received can always be shown
again exactly.
"""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

from sqlalchemy import ForeignKey, LargeBinary, String, UniqueConstraint, event
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
