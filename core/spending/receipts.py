"""The files members upload as proof of what they spent: a paper supplier invoice
scanned or photographed, an expense receipt.

Only a PDF or an image (PNG, JPEG, WebP) is kept, recognised by its first bytes rather
than by the name or the type the browser claims, so that what staff open later is what
it says it is; the size is bounded by the faces (``[limits] receipt_bytes``) before
the bytes are read. A file is kept in the act's own transaction, so a refused act keeps
no file.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import InvalidAct, NotFound
from partage.core.contract.errors import N_
from partage.core.spending.models import ActReceipt

#: The media types a receipt may be, by the bytes it starts with.
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)
#: What a refusal names as accepted.
ACCEPTED = "PDF, PNG, JPEG, WebP"


def media_type_of(content: bytes, field: str = "receipt") -> str:
    """The media type of a receipt's bytes, or a refusal naming ``field``."""
    if not content:
        raise InvalidAct(field, N_("attach the receipt (a PDF or a photo)"))
    for start, media_type in SIGNATURES:
        if content.startswith(start):
            return media_type
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    raise InvalidAct(
        field, N_("the file is neither a PDF nor an image ({accepted})"), accepted=ACCEPTED
    )


def keep_receipt(
    session: Session, subject: str, subject_id: int, name: str, content: bytes
) -> ActReceipt:
    """Keep the receipt of an act (``subject``: ``"purchase"`` or ``"expense_claim"``)."""
    media_type = media_type_of(content)
    shown = " ".join(name.split())[:200] or "receipt"
    row = ActReceipt(
        subject=subject,
        subject_id=subject_id,
        name=shown,
        media_type=media_type,
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
    )
    session.add(row)
    session.flush()
    return row


def receipt_of(session: Session, subject: str, subject_id: int) -> ActReceipt:
    """The receipt kept for an act, or :class:`NotFound`."""
    row = session.scalars(
        select(ActReceipt).where(ActReceipt.subject == subject, ActReceipt.subject_id == subject_id)
    ).one_or_none()
    if row is None:
        raise NotFound("receipt", N_("no receipt is kept for this act"), value=subject_id)
    return row


def kept_for(session: Session, subject: str, ids: list[int]) -> set[int]:
    """Which of the acts ``ids`` have a receipt kept."""
    if not ids:
        return set()
    return set(
        session.scalars(
            select(ActReceipt.subject_id).where(
                ActReceipt.subject == subject, ActReceipt.subject_id.in_(ids)
            )
        )
    )
