"""Pages of sending: an invoice's transmission status with its "send" button, and the
staff's page of the deliveries that did not reach their clients and of the supplier
documents received.

The words of each status and channel are here, marked for translation, so no page
shows a code; what a provider answered is shown as it wrote it (``data-verbatim``).
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, Response, get, post
from litestar.params import PathParameter

from partage.core.access.roles import Principal, reachable_entity, require_staff
from partage.core.contract.errors import PartageError
from partage.core.documents.transmission import service
from partage.core.platform.db.engine import transaction
from partage.core.web.i18n import N_
from partage.core.web.pages import Page, PathStr, UrlForm, guarded, refusal, see
from partage.core.web.problems import kind_of
from partage.core.web.sales.invoice_files import entity_invoice
from partage.core.web.sales.transmission import send_and_show

#: What each status reads as.
STATUS_WORDS = {
    "queued": N_("waiting to be sent"),
    "sent": N_("sent"),
    "delivered": N_("delivered to the client"),
    "paid": N_("paid, as the client reported"),
    "rejected": N_("rejected"),
    "failed": N_("not sent: the provider did not answer"),
    "not_transmitted": N_("not transmitted"),
}
#: What each channel reads as.
CHANNEL_WORDS = {
    "peppol": N_("Peppol network"),
    "platform": N_("approved platform"),
    "email": N_("email with the PDF"),
}
#: What each kind of delivery reads as.
KIND_WORDS = {
    "invoice": N_("the invoice"),
    "e-reporting": N_("e-reporting to the tax administration"),
}
#: Why a delivery could not leave, when Partage itself stopped it.
BLOCKED_WORDS = {
    "email": N_("The client has no email address: add one to the client, then send again."),
    "network": N_(
        "The law requires this network and no provider is configured: the invoice was "
        "not transmitted. An administrator names one in [einvoicing]."
    ),
}
#: What each state of a received document reads as.
RECEIVED_WORDS = {
    "to_review": N_("to review"),
    "booked": N_("booked"),
    "refused": N_("refused"),
}


def _context(page: Page) -> dict[str, Any]:
    return {
        "status_words": STATUS_WORDS,
        "channel_words": CHANNEL_WORDS,
        "kind_words": KIND_WORDS,
        "blocked_words": BLOCKED_WORDS,
        "received_words": RECEIVED_WORDS,
    }


def _invoice_view(
    page: Page, me: Principal, code: str, number: str, status: int = 200, **extra: object
) -> Response[Any]:
    site = page.site
    with site.sessions() as session:
        entity = reachable_entity(session, me, code)
        entity_invoice(session, entity, number)
        found = service.invoice_deliveries(session, number)
    return page.render(
        "invoice_sending.html",
        status=status,
        code=code,
        number=number,
        deliveries=found,
        **_context(page),
        **extra,
    )


@get("/entities/{code:str}/invoices/{number:str}/sending", sync_to_thread=True)
def invoice_sending(
    request: Request[Any, Any, Any], code: PathStr, number: PathStr
) -> Response[Any]:
    """How an invoice left: each delivery's status and history, and the send button."""
    return guarded(request, lambda page, me: _invoice_view(page, me, code, number))


@post("/entities/{code:str}/invoices/{number:str}/sending", sync_to_thread=True)
def send_invoice(request: Request[Any, Any, Any], code: PathStr, number: PathStr) -> Response[Any]:
    """Send the invoice every way the law asks, then show how it left."""

    def build(page: Page, me: Principal) -> Response[Any]:
        try:
            send_and_show(page.site, me, code, number)
        except PartageError as exc:
            kind = kind_of(exc)
            if kind.status == 404:
                return refusal(page, exc)
            return _invoice_view(page, me, code, number, kind.status, error=page.say(exc))
        return see(f"/entities/{code}/invoices/{number}/sending?sent=1")

    return guarded(request, build)


def _staff_view(page: Page, me: Principal, status: int = 200, **extra: object) -> Response[Any]:
    require_staff(me, "list the invoices sent")
    with page.site.sessions() as session:
        troubled = service.list_deliveries(session, troubled=True)
        recent = service.list_deliveries(session, limit=50)
        received = service.received_documents(session, None)
    return page.render(
        "transmissions.html",
        status=status,
        troubled=troubled,
        recent=recent,
        received=received,
        **_context(page),
        **extra,
    )


@get("/transmissions", sync_to_thread=True)
def transmissions(request: Request[Any, Any, Any]) -> Response[Any]:
    """Staff's page: what did not reach its client, the latest deliveries, and the
    supplier documents received to review."""
    return guarded(request, _staff_view)


@post("/transmissions/fetch", sync_to_thread=True)
def fetch(request: Request[Any, Any, Any]) -> Response[Any]:
    """Fetch the supplier documents waiting at the providers."""
    from partage.core.documents.transmission.jobs import channels_of

    def build(page: Page, me: Principal) -> Response[Any]:
        require_staff(me, "fetch the supplier documents received")
        new = service.fetch_received(
            page.site.sessions, channels_of(page.site.einvoicing), page.site.limits
        )
        return see(f"/transmissions?fetched={new}#received")

    return guarded(request, build)


@post("/transmissions/received/{ident:int}/book", sync_to_thread=True)
def book(
    request: Request[Any, Any, Any],
    ident: Annotated[int, PathParameter(ge=1, le=2**31 - 1)],
    data: UrlForm,
) -> Response[Any]:
    """Book a received supplier document on the entity chosen."""

    def build(page: Page, me: Principal) -> Response[Any]:
        require_staff(me, "book a supplier document received")
        try:
            with transaction(page.site.sessions) as session:
                service.book_received(
                    session,
                    page.site.coop,
                    ident,
                    entity=str(data.get("entity") or "").strip()[:32],
                    actor=me.actor,
                    issuer=page.site.coop.instance.issuer,
                )
        except PartageError as exc:
            return _staff_view(page, me, kind_of(exc).status, error=page.say(exc))
        return see(f"/transmissions?booked={ident}#received")

    return guarded(request, build)


PAGES = (invoice_sending, send_invoice, transmissions, fetch, book)
