"""Sending invoices from the API and the interface, against a real HTTP server standing
in for the Peppol access point: the holder sends and reads the status, another member
gets "not found", staff list what did not reach its client, and supplier documents
received are fetched and booked."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine

from partage.core.documents.transmission import service
from partage.core.documents.transmission.jobs import channels_of
from partage.core.platform.db.engine import make_engine
from partage.core.platform.einvoicing_settings import EInvoicingSettings
from tests.documents_support import fund, supplier_invoice
from tests.einvoice_support import StandIn, settings_for
from tests.web.test_web_ui import log_in, submit
from tests.web_support import Served, serve


@pytest.fixture
def standin() -> Iterator[StandIn]:
    server = StandIn()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def be(engine: Engine, standin: StandIn) -> Iterator[Served]:
    """The Belgian site on each backend, its access point the stand-in."""
    for served in serve(engine, fund):
        served.site.einvoicing = settings_for(standin)
        yield served


@pytest.fixture
def be_ui(sqlite_url: str, standin: StandIn) -> Iterator[Served]:
    engine = make_engine(sqlite_url)
    for served in serve(engine):
        served.site.einvoicing = settings_for(standin)
        yield served
    engine.dispose()


def deliver(served: Served) -> service.Run:
    settings = served.site.einvoicing
    return service.deliver_due(served.site.sessions, settings, channels_of(settings))


def test_the_holder_sends_an_invoice_and_reads_its_status(be: Served, standin: StandIn) -> None:
    ada = be.bearer("ada")
    url = be.url(be.business, "transmission")
    assert be.client.get(url, headers=ada).json() == []
    sent = be.client.post(url, headers=ada)
    assert sent.status_code == 200, sent.text
    (delivery,) = sent.json()
    assert (delivery["kind"], delivery["channel"], delivery["status"]) == (
        "invoice",
        "peppol",
        "queued",
    )
    assert delivery["recipient"].startswith("0208:")
    assert deliver(be).sent == 1
    (ident,) = standin.recorded.outbound
    standin.recorded.statuses[ident] = {"status": "AP"}
    service.refresh_statuses(be.site.sessions, channels_of(be.site.einvoicing))
    (shown,) = be.client.get(url, headers=ada).json()
    assert shown["status"] == "delivered"
    assert [e["status"] for e in shown["events"]] == ["queued", "sent", "delivered"]
    assert shown["updated_at"].endswith("Z")
    # another member reaches neither the status nor the act
    bob = be.bearer("bob")
    assert be.client.get(url, headers=bob).status_code == 404
    assert be.client.post(url, headers=bob).status_code == 404


def test_staff_list_what_did_not_reach_its_client(be: Served, standin: StandIn) -> None:
    standin.recorded.failures.append(400)
    be.client.post(be.url(be.business, "transmission"), headers=be.bearer("ada"))
    assert deliver(be).rejected == 1
    adviser = be.bearer("adviser")
    troubled = be.client.get("/api/v1/transmissions?troubled=true", headers=adviser)
    assert troubled.status_code == 200, troubled.text
    assert [(d["invoice"], d["status"]) for d in troubled.json()] == [(be.business, "rejected")]
    assert troubled.json()[0]["reason"] == "HTTP 400: refused with 400"
    refused = be.client.get("/api/v1/transmissions", headers=be.bearer("ada"))
    assert refused.status_code == 403


def test_staff_fetch_and_book_a_supplier_document(be: Served, standin: StandIn) -> None:
    standin.recorded.inbound.append(("in-9", "INV-77.xml", "application/xml", supplier_invoice()))
    adviser = be.bearer("adviser")
    fetched = be.client.post("/api/v1/transmissions/fetch", headers=adviser)
    assert fetched.status_code == 200 and fetched.json() == {"new": 2}  # AP and platform
    waiting = be.client.get("/api/v1/transmissions/received", headers=adviser).json()
    assert [r["status"] for r in waiting] == ["to_review", "to_review"]
    booked = be.client.post(
        f"/api/v1/transmissions/received/{waiting[-1]['id']}/book",
        headers=adviser,
        json={"entity": be.entity},
    )
    assert booked.status_code == 200, booked.text
    assert (booked.json()["status"], booked.json()["entity"]) == ("booked", be.entity)
    again = be.client.post(
        f"/api/v1/transmissions/received/{waiting[-1]['id']}/book",
        headers=adviser,
        json={"entity": be.entity},
    )
    assert again.status_code == 422 and again.json()["field"] == "document"


def test_the_invoice_page_sends_and_shows_the_status(be_ui: Served) -> None:
    client = be_ui.client
    log_in(client, "ada")
    page = client.get(f"/entities/{be_ui.entity}/invoices/{be_ui.business}/sending")
    assert page.status_code == 200 and 'id="transmission"' in page.text
    assert "data-status=" not in page.text  # the instance speaks French first
    assert "Envoyer la facture" in page.text
    answer = submit(
        client, page.text, f"/entities/{be_ui.entity}/invoices/{be_ui.business}/sending", {}
    )
    assert answer.status_code == 200, answer.text
    assert 'data-status="queued"' in answer.text and "réseau Peppol" in answer.text
    deliver(be_ui)
    shown = client.get(f"/entities/{be_ui.entity}/invoices/{be_ui.business}/sending")
    assert 'data-status="sent"' in shown.text


def test_without_a_provider_the_page_says_the_invoice_was_not_transmitted(
    be_ui: Served,
) -> None:
    be_ui.site.einvoicing = EInvoicingSettings()
    client = be_ui.client
    log_in(client, "ada")
    address = f"/entities/{be_ui.entity}/invoices/{be_ui.business}/sending"
    answer = submit(client, client.get(address).text, address, {})
    assert 'data-status="not_transmitted"' in answer.text
    assert "La loi impose ce réseau et aucun prestataire" in answer.text
    log_in(client, "adviser")
    staff: Any = client.get("/transmissions")
    assert staff.status_code == 200 and be_ui.business in staff.text
