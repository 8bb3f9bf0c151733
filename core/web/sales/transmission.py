"""Sending invoices as the law requires, on the API and in the interface: an invoice's
deliveries and the "send" act for the logins that reach its entity; the deliveries
that did not reach their clients and the supplier documents received, for staff.

The rules live in :mod:`partage.core.documents.transmission.service`; this module only
checks who may ask and shapes the answers. Sending runs in one transaction; the
network deliveries it queued are handed to the provider by the job queue as it
commits (or by ``partage einvoice deliver``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from litestar import Controller, get, post
from litestar.params import JSONBody, Parameter, PathParameter
from litestar.status_codes import HTTP_200_OK
from msgspec import Meta, Struct

from partage.core.access.roles import Principal, reachable_entity, require_staff
from partage.core.documents.transmission import service
from partage.core.platform.db.engine import transaction
from partage.core.web.deps import AUTHENTICATED, CodePath, Me, NumberPath, SiteDep
from partage.core.web.problems import problem_spec
from partage.core.web.sales.invoice_files import entity_invoice, issuer_of
from partage.core.web.schemas import Code, Request
from partage.core.web.site import Site

#: A moment in UTC to the second, as the API writes it.
Moment = Annotated[
    str,
    Meta(
        pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$",
        description="a moment in UTC, YYYY-MM-DDTHH:MM:SSZ",
        examples=["2026-09-14T18:30:05Z"],
    ),
]


def moment(at: datetime) -> str:
    """A UTC moment as :data:`Moment` writes it."""
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


class EventOut(Struct, kw_only=True):
    at: Moment
    status: str
    detail: str


class DeliveryOut(Struct, kw_only=True):
    """One way an invoice left (or must leave): ``kind`` invoice or e-reporting;
    ``channel`` peppol, platform or email; ``status`` queued, sent, delivered, paid,
    rejected, failed or not_transmitted, with the ``reason`` of the last three."""

    invoice: str
    entity: str
    kind: str
    channel: str
    provider: str
    recipient: str
    status: str
    reason: str
    attempts: int
    updated_at: Moment
    events: list[EventOut]


class ReceivedOut(Struct, kw_only=True):
    """A supplier document received over a network: ``status`` to_review, booked or
    refused."""

    id: int
    network: str
    provider: str
    filename: str
    received_at: Moment
    status: str
    entity: str | None
    detail: str


class BookIn(Request):
    entity: Code


class FetchOut(Struct, kw_only=True):
    new: int


def delivery_out(view: service.DeliveryView) -> DeliveryOut:
    return DeliveryOut(
        invoice=view.invoice,
        entity=view.entity,
        kind=view.kind,
        channel=view.channel,
        provider=view.provider,
        recipient=view.recipient,
        status=view.status,
        reason=view.reason,
        attempts=view.attempts,
        updated_at=moment(view.updated_at),
        events=[EventOut(at=moment(a), status=st, detail=d) for a, st, d in view.events],
    )


def send_and_show(site: Site, principal: Principal, code: str, number: str) -> list[DeliveryOut]:
    """Send an invoice the login reaches (one transaction) and answer its deliveries."""
    with transaction(site.sessions) as session:
        entity = reachable_entity(session, principal, code)
        entity_invoice(session, entity, number)
        service.send_invoice(
            session, site.coop, site.einvoicing, number, issuer_of(site.coop), actor=principal.actor
        )
    with site.sessions() as session:
        return [delivery_out(v) for v in service.invoice_deliveries(session, number)]


ERRORS = {
    404: problem_spec("no such entity or invoice among those the login reaches"),
    409: problem_spec("the instance has no [instance.issuer] table: it issues no documents"),
}


class InvoiceTransmissionController(Controller):
    """How one invoice left: its deliveries, and sending it."""

    path = "/entities/{code:str}/invoices/{number:str}/transmission"
    tags = ("sales",)
    dependencies = AUTHENTICATED

    @get("/", operation_id="invoice_transmission", sync_to_thread=True, responses=ERRORS)
    def show(
        self, code: CodePath, number: NumberPath, site: SiteDep, principal: Me
    ) -> list[DeliveryOut]:
        """The invoice's deliveries with their history (empty: not sent yet)."""
        with site.sessions() as session:
            entity_invoice(session, reachable_entity(session, principal, code), number)
            return [delivery_out(v) for v in service.invoice_deliveries(session, number)]

    @post(
        "/",
        operation_id="send_invoice",
        sync_to_thread=True,
        status_code=HTTP_200_OK,
        responses=ERRORS,
    )
    def send(
        self, code: CodePath, number: NumberPath, site: SiteDep, principal: Me
    ) -> list[DeliveryOut]:
        """Send the invoice every way the law asks: Peppol to a Belgian business, the
        approved platform to a French one, email with the PDF to others, plus France's
        e-reporting. Asking again resends only what did not reach the client."""
        return send_and_show(site, principal, code, number)


StatusQuery = Annotated[
    str | None,
    Parameter(max_length=16, description="to_review (default), booked or refused; all: every one"),
]


class TransmissionsController(Controller):
    """The instance's deliveries and the supplier documents received, for staff."""

    path = "/transmissions"
    tags = ("sales",)
    dependencies = AUTHENTICATED

    @get("/", operation_id="list_transmissions", sync_to_thread=True)
    def list_deliveries(
        self,
        site: SiteDep,
        principal: Me,
        troubled: Annotated[
            bool, Parameter(description="only what did not reach the client")
        ] = False,
    ) -> list[DeliveryOut]:
        """The newest deliveries of the instance."""
        require_staff(principal, "list the invoices sent")
        with site.sessions() as session:
            return [delivery_out(v) for v in service.list_deliveries(session, troubled=troubled)]

    @post("/fetch", operation_id="fetch_received", sync_to_thread=True, status_code=HTTP_200_OK)
    def fetch(self, site: SiteDep, principal: Me) -> FetchOut:
        """Fetch the supplier documents waiting at the providers (each kept once)."""
        from partage.core.documents.transmission.jobs import channels_of

        require_staff(principal, "fetch the supplier documents received")
        channels = channels_of(site.einvoicing)
        return FetchOut(new=service.fetch_received(site.sessions, channels, site.limits))

    @get("/received", operation_id="list_received", sync_to_thread=True)
    def received(
        self, site: SiteDep, principal: Me, status: StatusQuery = None
    ) -> list[ReceivedOut]:
        """The supplier documents received, newest first."""
        require_staff(principal, "list the supplier documents received")
        wanted = None if status == "all" else (status or "to_review")
        with site.sessions() as session:
            return [
                ReceivedOut(
                    id=r.id,
                    network=r.network,
                    provider=r.provider,
                    filename=r.filename,
                    received_at=moment(r.received_at),
                    status=r.status,
                    entity=r.entity,
                    detail=r.detail,
                )
                for r in service.received_documents(session, wanted)
            ]

    @post(
        "/received/{ident:int}/book",
        operation_id="book_received",
        sync_to_thread=True,
        status_code=HTTP_200_OK,
        responses={404: problem_spec("no such received document")},
    )
    def book(
        self,
        ident: Annotated[int, PathParameter(ge=1, le=2**31 - 1, description="the document's id")],
        data: JSONBody[BookIn],
        site: SiteDep,
        principal: Me,
    ) -> ReceivedOut:
        """Book a received supplier document on an entity through the importer."""
        require_staff(principal, "book a supplier document received")
        with transaction(site.sessions) as session:
            service.book_received(
                session,
                site.coop,
                ident,
                entity=data.entity,
                actor=principal.actor,
                issuer=site.coop.instance.issuer,
            )
        with site.sessions() as session:
            (row,) = [r for r in service.received_documents(session, None) if r.id == ident]
            return ReceivedOut(
                id=row.id,
                network=row.network,
                provider=row.provider,
                filename=row.filename,
                received_at=moment(row.received_at),
                status=row.status,
                entity=row.entity,
                detail=row.detail,
            )
