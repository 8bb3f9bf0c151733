"""Sending issued invoices as the law requires, and receiving supplier documents.

:func:`send_invoice` decides how an invoice leaves (:mod:`.routing`), produces its files
(:mod:`partage.core.documents.service`: the PDF and the country's e-invoice, stored
once) and records one :class:`~.models.Delivery` per way, in the caller's transaction:
a rolled-back act sends nothing, a committed one loses nothing. An email delivery is a
message of the email outbox with the PDF attached, sent and retried by the outbox's
jobs; a network delivery waits as ``queued`` until :func:`deliver_due` — run by the job
queue (:mod:`.jobs`) or ``partage einvoice deliver`` — hands it to the provider.

Each network delivery is claimed before it is sent (its next attempt pushed back), so
two workers never send it twice at once. A transient error (the provider down, 429,
5xx) is tried again after a growing wait, up to ``[einvoicing] max_attempts``, then the
delivery is ``failed``; a permanent refusal (4xx) makes it ``rejected`` with the
provider's reason at once, never retried: sending the same document again would be
refused again, and a person must look at it. :func:`refresh_statuses` asks the provider
where each sent document stands (delivered, refused by the buyer, paid).

:func:`fetch_received` keeps the supplier documents waiting at the providers (once
each), and :func:`book_received` hands one to the importer
(:func:`partage.core.documents.importing.import_purchase`) on the entity staff chose.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session, sessionmaker

from partage.core.acts.cooperative import Cooperative, InvalidAct, NotFound
from partage.core.contract.errors import N_, PartageError
from partage.core.documents import importing
from partage.core.documents import service as documents
from partage.core.documents.models import InvoiceFile
from partage.core.documents.transmission.channels import (
    Channel,
    Incoming,
    Outgoing,
    Refused,
    Transient,
)
from partage.core.documents.transmission.models import (
    FINAL,
    TROUBLED,
    Delivery,
    DeliveryEvent,
    ReceivedDocument,
)
from partage.core.documents.transmission.routing import Route, routes
from partage.core.members.models import Entity, Party
from partage.core.platform import audit
from partage.core.platform.db.base import utcnow
from partage.core.platform.db.engine import transaction
from partage.core.platform.einvoicing_settings import EInvoicingSettings
from partage.core.platform.issuer import Issuer
from partage.core.platform.limits import Limits
from partage.core.platform.mail.models import OutboxMessage
from partage.core.platform.mail.outbox import enqueue, state_of
from partage.core.platform.mail.sending import Attachment
from partage.core.sales.invoices import invoice_by_number
from partage.core.sales.models import Invoice, InvoiceKind

#: How long a claimed delivery is kept from other workers while one sends it.
CLAIM = timedelta(minutes=5)
#: The key of a session's ``info`` telling that it queued a network delivery.
QUEUED = "partage.einvoice.queued"
#: Why a route cannot leave, in the words a delivery keeps.
BLOCKED = {
    "no_provider": "no provider is configured for this network: the invoice was not transmitted",
    "no_email": "the client has no email address: the invoice was not sent",
}
#: The email a client receives with its PDF, per language (subject, body).
EMAIL_TEXT = {
    "en": ("Invoice {number}", "Please find attached invoice {number} from {seller}."),
    "fr": ("Facture {number}", "Veuillez trouver ci-joint la facture {number} de {seller}."),
    "nl": ("Factuur {number}", "In bijlage vindt u factuur {number} van {seller}."),
    "de": ("Rechnung {number}", "Anbei erhalten Sie die Rechnung {number} von {seller}."),
}


class TransmissionRefused(InvalidAct):
    """An invoice cannot be sent as asked (it is a draft, it was already sent)."""


@dataclass(frozen=True)
class DeliveryView:
    """A delivery as the pages, the API and the command line show it.

    Attributes:
        id, invoice, entity, kind, channel, provider, recipient: what and where.
        status: its status (an email's is its outbox message's).
        reason: why it was rejected, failed or not transmitted.
        attempts: attempts made.
        updated_at: its last change.
        events: its history, oldest first, as ``(at, status, detail)``.
    """

    id: int
    invoice: str
    entity: str
    kind: str
    channel: str
    provider: str
    recipient: str
    status: str
    reason: str
    attempts: int
    updated_at: datetime
    events: tuple[tuple[datetime, str, str], ...] = ()


def _event(session: Session, delivery: Delivery, status: str, detail: str = "") -> None:
    delivery.status = status
    delivery.updated_at = utcnow()
    session.add(
        DeliveryEvent(
            delivery_id=delivery.id, at=delivery.updated_at, status=status, detail=detail[:1000]
        )
    )


def _email(
    session: Session,
    coop: Cooperative,
    invoice: Invoice,
    route: Route,
    issuer: Issuer,
    actor: str,
) -> OutboxMessage:
    pdf = documents.invoice_pdf(session, coop, invoice.number, issuer, actor=actor)
    language = session.scalars(
        select(InvoiceFile.language).where(
            InvoiceFile.invoice_id == invoice.id, InvoiceFile.format == documents.PDF
        )
    ).one()
    subject, body = EMAIL_TEXT.get(language, EMAIL_TEXT["en"])
    words = {"number": invoice.number, "seller": issuer.legal_name}
    return enqueue(
        session,
        kind="invoice",
        recipient=route.recipient,
        subject=subject.format(**words),
        body=body.format(**words),
        language=language,
        attachments=[Attachment(pdf.filename, pdf.media_type, pdf.content)],
    )


def send_invoice(
    session: Session,
    coop: Cooperative,
    settings: EInvoicingSettings,
    number: str,
    issuer: Issuer,
    *,
    actor: str,
) -> list[Delivery]:
    """Send an issued invoice or credit note every way the law asks (see the module).

    Asking again sends again only what did not reach the client: a ``rejected``,
    ``failed`` or ``not_transmitted`` delivery is routed anew (a provider configured
    since, an email address added), the others are left as they are.
    """
    invoice = invoice_by_number(session, number)
    client = session.get(Party, invoice.party_id)
    assert client is not None
    existing = {
        d.kind: d
        for d in session.scalars(select(Delivery).where(Delivery.invoice_id == invoice.id))
    }
    done = []
    for route in routes(coop, invoice, client, settings):
        delivery = existing.get(route.kind)
        if delivery is not None and delivery.status not in TROUBLED:
            done.append(delivery)
            continue
        if delivery is None:
            delivery = Delivery(
                invoice_id=invoice.id, kind=route.kind, status="queued", created_by=actor
            )
            session.add(delivery)
        delivery.channel = route.channel
        delivery.recipient = route.recipient
        delivery.provider = (
            settings.provider(route.channel).name if route.channel != "email" else ""
        )
        delivery.reason = ""
        delivery.attempts = 0
        delivery.next_attempt_at = None
        delivery.external_id = None
        session.flush()
        if route.blocked:
            delivery.reason = BLOCKED[route.blocked]
            _event(session, delivery, "not_transmitted", delivery.reason)
        elif route.channel == "email":
            message = _email(session, coop, invoice, route, issuer, actor)
            delivery.outbox_message_id = message.id
            _event(session, delivery, "queued", f"email to {route.recipient}")
        else:
            documents.invoice_einvoice(session, coop, invoice.number, issuer, actor=actor)
            delivery.next_attempt_at = utcnow()
            session.info[QUEUED] = True
            _event(session, delivery, "queued", f"{route.channel}: {delivery.provider}")
        done.append(delivery)
    audit.record(
        session,
        actor=actor,
        action="einvoice.send",
        subject=f"invoice:{invoice.number}",
        data={d.kind: f"{d.channel}:{d.status}" for d in done},
    )
    return done


@dataclass(frozen=True)
class Run:
    """What one run of :func:`deliver_due` did.

    Attributes:
        sent: deliveries the provider took.
        retried: transient failures, tried again later.
        rejected: permanent refusals (not retried).
        failed: deliveries given up after the most attempts.
    """

    sent: int = 0
    retried: int = 0
    rejected: int = 0
    failed: int = 0


def _claim(sessions: sessionmaker[Session], now: datetime, limit: int) -> list[int]:
    with transaction(sessions) as session:
        due = session.execute(
            select(Delivery.id, Delivery.next_attempt_at)
            .where(Delivery.status == "queued", Delivery.next_attempt_at <= now)
            .order_by(Delivery.next_attempt_at, Delivery.id)
            .limit(limit)
        ).all()
        held = []
        for ident, due_at in due:
            result = cast(
                "CursorResult[Any]",
                session.execute(
                    update(Delivery)
                    .where(Delivery.id == ident, Delivery.next_attempt_at == due_at)
                    .values(next_attempt_at=now + CLAIM)
                ),
            )
            if result.rowcount:
                held.append(ident)
        return held


def _outgoing(session: Session, delivery: Delivery) -> Outgoing:
    invoice = session.get(Invoice, delivery.invoice_id)
    assert invoice is not None
    file = session.scalars(
        select(InvoiceFile).where(
            InvoiceFile.invoice_id == invoice.id, InvoiceFile.format != documents.PDF
        )
    ).one()
    rule = "B2B"
    if delivery.kind == "e-reporting":
        party = session.get(Party, invoice.party_id)
        rule = "B2BInt" if party is not None and party.vat_number else "B2C"
    return Outgoing(
        number=invoice.number,
        filename=file.filename,
        media_type=file.media_type,
        content=file.content,
        recipient=delivery.recipient,
        credit_note=invoice.kind == InvoiceKind.CREDIT_NOTE.value,
        processing_rule=rule,
    )


def deliver_due(
    sessions: sessionmaker[Session],
    settings: EInvoicingSettings,
    channels: Mapping[str, Channel],
    *,
    now: datetime | None = None,
    limit: int = 100,
) -> Run:
    """Hand the queued network deliveries that are due to their providers."""
    now = now or utcnow()
    sent = retried = rejected = failed = 0
    for ident in _claim(sessions, now, limit):
        with sessions() as session:
            delivery = session.get(Delivery, ident)
            assert delivery is not None
            channel = channels.get(delivery.channel)
            document = _outgoing(session, delivery)
        external = error = ""
        permanent = False
        if channel is None:
            error, permanent = BLOCKED["no_provider"], True
        else:
            try:
                external = channel.send(document)
            except Refused as exc:
                error, permanent = str(exc), True
            except Transient as exc:
                error = str(exc)
        with transaction(sessions) as session:
            delivery = session.get(Delivery, ident)
            assert delivery is not None
            delivery.attempts += 1
            if not error:
                delivery.external_id = external[:200]
                delivery.next_attempt_at = None
                _event(session, delivery, "sent", f"{delivery.provider}: {external}")
                sent += 1
            elif permanent:
                delivery.reason = error[:1000]
                delivery.next_attempt_at = None
                _event(session, delivery, "rejected", error)
                rejected += 1
            elif delivery.attempts >= settings.max_attempts:
                delivery.reason = error[:1000]
                delivery.next_attempt_at = None
                _event(session, delivery, "failed", error)
                failed += 1
            else:
                delivery.next_attempt_at = max(utcnow(), now) + settings.retry_after(
                    delivery.attempts
                )
                session.add(
                    DeliveryEvent(
                        delivery_id=ident, at=utcnow(), status="queued", detail=error[:1000]
                    )
                )
                retried += 1
    return Run(sent, retried, rejected, failed)


def refresh_statuses(
    sessions: sessionmaker[Session], channels: Mapping[str, Channel], *, limit: int = 500
) -> int:
    """Ask the providers where each sent document stands; answers how many changed.
    A provider that cannot answer now is asked again at the next run."""
    with sessions() as session:
        pending = session.execute(
            select(Delivery.id, Delivery.channel, Delivery.external_id)
            .where(Delivery.status.in_(("sent", "delivered")), Delivery.external_id.is_not(None))
            .order_by(Delivery.updated_at)
            .limit(limit)
        ).all()
    changed = 0
    for ident, name, external in pending:
        channel = channels.get(name)
        if channel is None:
            continue
        try:
            remote = channel.status(str(external))
        except (Transient, Refused):
            continue
        with transaction(sessions) as session:
            delivery = session.get(Delivery, ident)
            assert delivery is not None
            if remote.status == delivery.status:
                continue
            if remote.status == "rejected":
                delivery.reason = remote.detail[:1000]
            _event(session, delivery, remote.status, remote.detail)
            changed += 1
    return changed


def _view(session: Session, delivery: Delivery, with_events: bool) -> DeliveryView:
    invoice = session.get(Invoice, delivery.invoice_id)
    assert invoice is not None
    entity = session.get(Entity, invoice.entity_id)
    status, reason = delivery.status, delivery.reason
    if delivery.channel == "email" and delivery.outbox_message_id is not None:
        message = session.get(OutboxMessage, delivery.outbox_message_id)
        if message is not None:
            state = state_of(message)
            status = {"pending": "queued", "sent": "sent", "failed": "failed"}[state]
            if state == "failed":
                reason = "the mail server did not take the message"
    events: tuple[tuple[datetime, str, str], ...] = ()
    if with_events:
        events = tuple(
            (e.at, e.status, e.detail)
            for e in session.scalars(
                select(DeliveryEvent)
                .where(DeliveryEvent.delivery_id == delivery.id)
                .order_by(DeliveryEvent.id)
            )
        )
    return DeliveryView(
        delivery.id,
        invoice.number,
        entity.code if entity is not None else "",
        delivery.kind,
        delivery.channel,
        delivery.provider,
        delivery.recipient,
        status,
        reason,
        delivery.attempts,
        delivery.updated_at,
        events,
    )


def invoice_deliveries(session: Session, number: str) -> list[DeliveryView]:
    """An invoice's deliveries with their history (none: it was not sent yet)."""
    invoice = invoice_by_number(session, number)
    return [
        _view(session, d, True)
        for d in session.scalars(
            select(Delivery).where(Delivery.invoice_id == invoice.id).order_by(Delivery.id)
        )
    ]


def list_deliveries(
    session: Session, *, troubled: bool = False, limit: int = 200
) -> list[DeliveryView]:
    """The newest deliveries; with ``troubled``, only those that did not reach the
    client (rejected, failed, not transmitted, an email given up)."""
    query = select(Delivery).order_by(Delivery.updated_at.desc(), Delivery.id.desc())
    found = [
        _view(session, d, False)
        for d in session.scalars(query.limit(limit * 4 if troubled else limit))
    ]
    if troubled:
        found = [d for d in found if d.status in TROUBLED][:limit]
    return found


def is_final(status: str) -> bool:
    """Whether nothing more will happen to a delivery of that status."""
    return status in FINAL


# --- reception ------------------------------------------------------------------------
def fetch_received(
    sessions: sessionmaker[Session],
    channels: Mapping[str, Channel],
    limits: Limits | None = None,
) -> int:
    """Keep the supplier documents waiting at each provider, each once (a document
    fetched again is recognised by its provider's id); answers how many are new. A
    provider that cannot answer now is asked again at the next run.

    Each document is read as the importer reads it (its syntax, the official EN 16931
    rules, its figures): one they refuse is kept as ``refused`` with every finding, so
    staff see why without trying to book it; the others wait ``to_review``."""
    new = 0
    for network, channel in channels.items():
        try:
            waiting: Sequence[Incoming] = channel.receive()
        except (Transient, Refused):
            continue
        with transaction(sessions) as session:
            known = set(
                session.scalars(
                    select(ReceivedDocument.external_id).where(
                        ReceivedDocument.provider == channel.name,
                        ReceivedDocument.external_id.in_([w.external_id for w in waiting]),
                    )
                )
            )
            for item in waiting:
                if item.external_id in known:
                    continue
                known.add(item.external_id)
                status, detail = "to_review", ""
                try:
                    _, document, _ = importing.read_einvoice(item.content, limits)
                    detail = f"{document.number} · {document.seller.name} · {document.total}"
                except importing.ImportRefused as exc:
                    status, detail = "refused", "; ".join(str(f) for f in exc.findings)
                except PartageError as exc:
                    status, detail = "refused", str(exc)
                session.add(
                    ReceivedDocument(
                        network=network,
                        provider=channel.name,
                        external_id=item.external_id[:200],
                        filename=item.filename[:200],
                        media_type=item.media_type[:64],
                        content=item.content,
                        sha256=hashlib.sha256(item.content).hexdigest(),
                        status=status,
                        detail=detail[:2000],
                    )
                )
                new += 1
    return new


def received_documents(
    session: Session, status: str | None = "to_review"
) -> list[ReceivedDocument]:
    """The supplier documents received (of one status), newest first."""
    query = select(ReceivedDocument).order_by(ReceivedDocument.id.desc()).limit(200)
    if status is not None:
        query = query.where(ReceivedDocument.status == status)
    return list(session.scalars(query))


def book_received(
    session: Session,
    coop: Cooperative,
    ident: int,
    *,
    entity: str,
    actor: str,
    issuer: Issuer | None = None,
) -> importing.ImportedPurchase:
    """Book a received supplier document on ``entity`` through the importer; a
    document the importer refuses stays to review with its refusal kept."""
    row = session.get(ReceivedDocument, ident)
    if row is None:
        raise NotFound("document", N_("no such received document"), value=str(ident))
    if row.status == "booked":
        raise TransmissionRefused(
            "document",
            N_("already booked on {entity_code}"),
            value=str(ident),
            entity_code=row.entity,
        )
    if row.status == "refused":
        raise TransmissionRefused(
            "document", N_("refused by the official rules: it cannot be booked"), value=str(ident)
        )
    done = importing.import_purchase(
        session, coop, row.content, entity=entity, actor=actor, issuer=issuer
    )
    row.status = "booked"
    row.entity = entity
    row.reviewed_by = actor
    row.reviewed_at = utcnow()
    row.detail = f"purchases {', '.join(str(p) for p in done.purchases)}"
    return done
