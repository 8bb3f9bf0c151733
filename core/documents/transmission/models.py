"""Tables of transmission: each invoice's deliveries with their events, and the
supplier documents received through the same networks.

A delivery is one way an issued invoice left (or must leave): over Peppol, through an
approved platform, by email, or the e-reporting of a sale to the platform. Its status
moves forward as the provider answers — ``queued``, ``sent``, ``delivered``, ``paid`` —
or stops at ``rejected`` (the provider or the buyer refused it; the reason is kept),
``failed`` (given up after the most attempts on transient errors) or
``not_transmitted`` (the law wants it on a network and no provider is configured).
Every change is an event, so the history a member or an auditor reads is complete.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from partage.core.platform.db.base import Base, UTCDateTime, utcnow

#: Every status of a delivery, in the order a delivery moves through them.
STATUSES = (
    "queued",
    "sent",
    "delivered",
    "paid",
    "rejected",
    "failed",
    "not_transmitted",
)
#: The statuses after which nothing more is attempted.
FINAL = frozenset({"paid", "rejected", "failed", "not_transmitted"})
#: The statuses an administrator looks at: what did not reach the client.
TROUBLED = ("rejected", "failed", "not_transmitted")
#: What a delivery carries: the invoice itself, or its e-reporting record.
KINDS = ("invoice", "e-reporting")
#: The ways a delivery leaves.
CHANNELS = ("peppol", "platform", "email")
#: The states of a received supplier document.
RECEIVED_STATES = ("to_review", "booked", "refused")


class Delivery(Base):
    """One way an issued invoice or credit note leaves the cooperative.

    Attributes:
        invoice_id: the invoice or credit note.
        kind: one of :data:`KINDS`.
        channel: one of :data:`CHANNELS`.
        provider: the access point's or platform's name (empty for email).
        recipient: the buyer's network address (``0208:0123456789``, a SIREN) or
            email address.
        status: one of :data:`STATUSES`.
        reason: why it was rejected, failed or not transmitted (the provider's words).
        external_id: the provider's id of the transmission (its delivery or flow id).
        outbox_message_id: the email carrying it (email channel).
        attempts: attempts to hand it to the provider.
        next_attempt_at: when it is next due (``None`` when nothing is to be sent).
        created_at, created_by, updated_at: when and by whom it was asked; last change.
    """

    __tablename__ = "einvoice_delivery"
    __table_args__ = (UniqueConstraint("invoice_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoice.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(16))
    provider: Mapped[str] = mapped_column(String(100), default="")
    recipient: Mapped[str] = mapped_column(String(254), default="")
    status: Mapped[str] = mapped_column(String(16), index=True)
    reason: Mapped[str] = mapped_column(String(1000), default="")
    external_id: Mapped[str | None] = mapped_column(String(200), index=True)
    outbox_message_id: Mapped[int | None] = mapped_column(ForeignKey("email_outbox.id"))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class DeliveryEvent(Base):
    """One thing that happened to a delivery: an attempt, or a status the provider
    reported.

    Attributes:
        delivery_id: which delivery.
        at: when it was recorded.
        status: the delivery's status after it.
        detail: what happened (the provider's words, an HTTP status, an error).
    """

    __tablename__ = "einvoice_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("einvoice_delivery.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    status: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str] = mapped_column(String(1000), default="")


class ReceivedDocument(Base):
    """A supplier invoice or credit note that arrived over a network, kept until staff
    book it on an entity through the importer.

    Attributes:
        network: ``peppol`` or ``platform``.
        provider: the provider it came through.
        external_id: the provider's id of it (unique per provider: fetching twice
            keeps one).
        filename, media_type, content, sha256: the file as received.
        received_at: when it was fetched.
        status: one of :data:`RECEIVED_STATES`.
        detail: what the importer said (its refusal, or the purchases it booked).
        entity: the entity it was booked on.
        reviewed_by, reviewed_at: who booked or refused it, and when.
    """

    __tablename__ = "einvoice_received"
    __table_args__ = (UniqueConstraint("provider", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    network: Mapped[str] = mapped_column(String(16))
    provider: Mapped[str] = mapped_column(String(100))
    external_id: Mapped[str] = mapped_column(String(200))
    filename: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    status: Mapped[str] = mapped_column(String(16), index=True)
    detail: Mapped[str] = mapped_column(String(2000), default="")
    entity: Mapped[str | None] = mapped_column(String(64))
    reviewed_by: Mapped[str | None] = mapped_column(String(200))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
