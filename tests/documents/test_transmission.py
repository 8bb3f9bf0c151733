"""Sending invoices as the law requires, against a real HTTP server standing in for a
Peppol access point and a French approved platform: routing by the law of the date,
retries after a 503, a 400 shown and never retried, statuses followed to paid, the
email path through the outbox to a real SMTP server, e-reporting, and supplier
documents received and booked."""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from partage.core.documents.transmission import service
from partage.core.documents.transmission.jobs import channels_of
from partage.core.documents.transmission.models import Delivery, ReceivedDocument
from partage.core.members.models import Party
from partage.core.platform.clock import FixedClock
from partage.core.platform.db.base import utcnow
from partage.core.platform.einvoicing_settings import EInvoicingSettings
from partage.core.platform.mail.outbox import deliver_due as deliver_mail
from partage.core.platform.mail.sending import sender_for
from partage.core.sales import invoices
from partage.core.sales.invoices import LineInput
from partage.core.spending.models import Purchase
from tests.documents_support import DAY, CountryWorld, be_vat, fund, issuer, supplier_invoice
from tests.einvoice_support import StandIn, settings_for
from tests.mail_support import SmtpServer

REFORM_DAY = date(2026, 9, 15)


@pytest.fixture
def standin() -> Iterator[StandIn]:
    server = StandIn()
    server.start()
    yield server
    server.stop()


def issue(world: CountryWorld, client: str, on: date = DAY) -> str:
    coop = world.coop if on == DAY else replace(world.coop, clock=FixedClock(on))
    with world.act() as s:
        return invoices.issue_invoice(
            s,
            coop,
            entity=world.entity,
            client=world.client(client),
            lines=[LineInput("Mission", "2", "450")],
            on=on,
            actor="t",
        ).number


def send(
    world: CountryWorld, settings: EInvoicingSettings, number: str
) -> list[tuple[str, str, str]]:
    with world.act() as s:
        done = service.send_invoice(
            s, world.coop, settings, number, issuer(world.country), actor="t"
        )
        return [(d.kind, d.channel, d.status) for d in done]


def deliveries(world: CountryWorld, number: str) -> list[service.DeliveryView]:
    with world.sessions() as s:
        return service.invoice_deliveries(s, number)


def give_email(world: CountryWorld, role: str, email: str) -> None:
    with world.act() as s:
        party = s.scalars(select(Party).where(Party.code == world.client(role))).one()
        party.email = email


def test_a_belgian_business_client_receives_its_invoice_over_peppol_and_its_status_is_followed(
    be: CountryWorld, standin: StandIn
) -> None:
    settings = settings_for(standin)
    number = issue(be, "domestic")
    assert send(be, settings, number) == [("invoice", "peppol", "queued")]
    channels = channels_of(settings)
    run = service.deliver_due(be.sessions, settings, channels)
    assert (run.sent, run.retried, run.rejected) == (1, 0, 0)
    ((ident, body),) = standin.recorded.outbound.items()
    enterprise = be_vat(4567890)[2:]
    assert body["receiver"] == f"iso6523-actorid-upis::0208:{enterprise}"
    assert body["sender"] == "iso6523-actorid-upis::0208:0999999999"
    assert body["processId"] == "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
    assert base64.b64decode(body["content"]).startswith(b"<?xml")
    assert b"<cbc:ID>" + number.encode() in base64.b64decode(body["content"])
    (view,) = deliveries(be, number)
    assert (view.status, view.provider, view.recipient) == ("sent", "Test AP", f"0208:{enterprise}")

    standin.recorded.statuses[ident] = {"status": "AP"}
    assert service.refresh_statuses(be.sessions, channels) == 1
    standin.recorded.statuses[ident] = {"status": "PD"}
    assert service.refresh_statuses(be.sessions, channels) == 1
    (view,) = deliveries(be, number)
    assert view.status == "paid"
    assert [e[1] for e in view.events] == ["queued", "sent", "delivered", "paid"]
    assert service.refresh_statuses(be.sessions, channels) == 0  # paid is final


def test_a_503_is_tried_again_later_and_the_invoice_then_leaves_once(
    be: CountryWorld, standin: StandIn
) -> None:
    settings = settings_for(standin)
    number = issue(be, "domestic")
    send(be, settings, number)
    standin.recorded.failures.extend([503])
    channels = channels_of(settings)
    first = service.deliver_due(be.sessions, settings, channels)
    assert (first.sent, first.retried) == (0, 1)
    (view,) = deliveries(be, number)
    assert (view.status, view.attempts) == ("queued", 1)
    assert "HTTP 503" in view.events[-1][2]
    # not due yet: nothing is sent again before the wait
    assert service.deliver_due(be.sessions, settings, channels).sent == 0
    later = utcnow() + timedelta(minutes=10)
    assert service.deliver_due(be.sessions, settings, channels, now=later).sent == 1
    assert len(standin.recorded.outbound) == 1
    (view,) = deliveries(be, number)
    assert (view.status, view.attempts) == ("sent", 2)


def test_a_provider_down_is_given_up_after_the_most_attempts(
    be: CountryWorld, standin: StandIn
) -> None:
    settings = settings_for(standin, max_attempts=2)
    number = issue(be, "domestic")
    send(be, settings, number)
    standin.recorded.failures.extend([503, 502])
    channels = channels_of(settings)
    service.deliver_due(be.sessions, settings, channels)
    last = service.deliver_due(be.sessions, settings, channels, now=utcnow() + timedelta(hours=1))
    assert last.failed == 1
    (view,) = deliveries(be, number)
    assert view.status == "failed" and "502" in view.reason


def test_a_400_is_rejected_with_its_reason_shown_and_never_retried(
    be: CountryWorld, standin: StandIn
) -> None:
    settings = settings_for(standin)
    number = issue(be, "domestic")
    send(be, settings, number)
    standin.recorded.failures.extend([400])
    channels = channels_of(settings)
    assert service.deliver_due(be.sessions, settings, channels).rejected == 1
    posts = len([r for r in standin.recorded.requests if r[0] == "POST"])
    later = utcnow() + timedelta(days=1)
    assert service.deliver_due(be.sessions, settings, channels, now=later).sent == 0
    assert len([r for r in standin.recorded.requests if r[0] == "POST"]) == posts
    (view,) = deliveries(be, number)
    assert view.status == "rejected" and view.reason == "HTTP 400: refused with 400"
    with be.sessions() as s:
        troubled = service.list_deliveries(s, troubled=True)
    assert [d.invoice for d in troubled] == [number]
    # sent again by a person once the cause is fixed
    assert send(be, settings, number) == [("invoice", "peppol", "queued")]
    assert service.deliver_due(be.sessions, settings, channels).sent == 1


def test_without_a_provider_a_belgian_business_invoice_says_it_was_not_transmitted(
    be: CountryWorld,
) -> None:
    number = issue(be, "domestic")
    assert send(be, EInvoicingSettings(), number) == [("invoice", "peppol", "not_transmitted")]
    (view,) = deliveries(be, number)
    assert "no provider is configured" in view.reason


def test_a_consumer_receives_the_pdf_by_email_through_the_outbox(be: CountryWorld) -> None:
    give_email(be, "private", "jeanne@example.org")
    number = issue(be, "private")
    server = SmtpServer()
    server.start()
    try:
        email = server.settings()
        assert send(be, EInvoicingSettings(), number) == [("invoice", "email", "queued")]
        # the mail server down: the message waits and is tried again
        server.stop()
        assert deliver_mail(be.sessions, email, sender_for(email)).failed == 1
        (view,) = deliveries(be, number)
        assert view.status == "queued"
        server.start()
        later = utcnow() + timedelta(hours=1)
        assert deliver_mail(be.sessions, email, sender_for(email), now=later).sent == 1
    finally:
        server.stop()
    (message,) = server.inbox.messages
    assert message["To"] == "jeanne@example.org" and number in message["Subject"]
    (pdf,) = [p for p in message.iter_attachments()]
    assert pdf.get_filename() == f"{number}.pdf"
    assert pdf.get_content().startswith(b"%PDF")
    (view,) = deliveries(be, number)
    assert view.status == "sent"


def test_a_client_without_an_email_address_is_shown_as_not_sent(be: CountryWorld) -> None:
    number = issue(be, "private")
    assert send(be, EInvoicingSettings(), number) == [("invoice", "email", "not_transmitted")]


def test_a_french_business_invoice_goes_to_the_approved_platform_as_factur_x(
    fr: CountryWorld, standin: StandIn
) -> None:
    settings = settings_for(standin)
    number = issue(fr, "domestic")
    assert send(fr, settings, number) == [("invoice", "platform", "queued")]
    channels = channels_of(settings)
    assert service.deliver_due(fr.sessions, settings, channels).sent == 1
    ((ident, flow),) = standin.recorded.outbound.items()
    info = flow["flowInfo"]
    assert (info["flowSyntax"], info["processingRule"], info["trackingId"]) == (
        "Factur-X",
        "B2B",
        number,
    )
    assert "factur-x.xml" in PdfReader(io.BytesIO(flow["file"])).attachments
    standin.recorded.statuses[ident] = {
        "flowId": ident,
        "acknowledgement": {"status": "Ok"},
        "lifecycle": [{"code": "200", "label": "Déposée"}, {"code": "212", "label": "Encaissée"}],
    }
    assert service.refresh_statuses(fr.sessions, channels) == 1
    (view,) = deliveries(fr, number)
    assert view.status == "paid" and view.events[-1][2] == "212 Encaissée"


def test_a_platform_refusal_of_the_buyer_is_kept_with_its_reason(
    fr: CountryWorld, standin: StandIn
) -> None:
    settings = settings_for(standin)
    number = issue(fr, "domestic")
    send(fr, settings, number)
    channels = channels_of(settings)
    service.deliver_due(fr.sessions, settings, channels)
    (ident,) = standin.recorded.outbound
    standin.recorded.statuses[ident] = {
        "acknowledgement": {"status": "Ok"},
        "lifecycle": [{"code": "210", "label": "Refusée", "reason": "commande inconnue"}],
    }
    service.refresh_statuses(fr.sessions, channels)
    (view,) = deliveries(fr, number)
    assert view.status == "rejected" and view.reason == "210 Refusée commande inconnue"


def test_after_the_french_reform_a_consumer_sale_is_emailed_and_e_reported(
    fr: CountryWorld, standin: StandIn
) -> None:
    settings = settings_for(standin)
    give_email(fr, "private", "jeanne@example.org")
    number = issue(fr, "private", REFORM_DAY)
    assert send(fr, settings, number) == [
        ("invoice", "email", "queued"),
        ("e-reporting", "platform", "queued"),
    ]
    assert service.deliver_due(fr.sessions, settings, channels_of(settings)).sent == 1
    (flow,) = standin.recorded.outbound.values()
    assert flow["flowInfo"]["processingRule"] == "B2C"
    cross_border = issue(fr, "eu", REFORM_DAY)
    send(fr, settings, cross_border)
    service.deliver_due(fr.sessions, settings, channels_of(settings))
    assert [f["flowInfo"]["processingRule"] for f in standin.recorded.outbound.values()] == [
        "B2C",
        "B2BInt",
    ]


def test_after_the_french_reform_a_business_invoice_without_a_platform_is_not_transmitted(
    fr: CountryWorld,
) -> None:
    # before the reform the invoice would still go by email, the law allowing it (issued
    # first: the numbers of a series follow the dates)
    before = issue(fr, "domestic")
    assert send(fr, EInvoicingSettings(), before) == [("invoice", "email", "not_transmitted")]
    number = issue(fr, "domestic", REFORM_DAY)
    assert send(fr, EInvoicingSettings(), number) == [("invoice", "platform", "not_transmitted")]


def test_belgium_gives_the_date_of_its_law(be: CountryWorld) -> None:
    be_rules = be.coop.plugins.hook.partage_einvoicing_rules
    assert not be_rules(on=date(2025, 12, 31), company_size="micro").issuing_mandatory
    assert be_rules(on=date(2026, 1, 1), company_size="micro").issuing_mandatory
    assert "6 février 2024" in be_rules(on=date(2026, 1, 1), company_size="large").source


def test_france_gives_the_dates_of_its_law_by_company_size(fr: CountryWorld) -> None:
    fr_rules = fr.coop.plugins.hook.partage_einvoicing_rules
    assert not fr_rules(on=date(2026, 8, 31), company_size="large").receiving_mandatory
    large = fr_rules(on=date(2026, 9, 1), company_size="large")
    assert large.issuing_mandatory and large.receiving_mandatory and large.e_reporting
    sme = fr_rules(on=date(2026, 9, 1), company_size="sme")
    assert sme.receiving_mandatory and not sme.issuing_mandatory
    assert fr_rules(on=date(2027, 9, 1), company_size="micro").issuing_mandatory
    assert "289 bis" in large.source


def test_supplier_documents_arrive_once_and_are_booked_through_the_importer(
    be: CountryWorld, standin: StandIn
) -> None:
    fund(be)
    standin.recorded.inbound.append(("in-1", "INV-77.xml", "application/xml", supplier_invoice()))
    channels = channels_of(settings_for(standin))
    # the access point and the platform both list it: kept once per provider
    assert service.fetch_received(be.sessions, {"peppol": channels["peppol"]}) == 1
    assert service.fetch_received(be.sessions, {"peppol": channels["peppol"]}) == 0
    assert service.fetch_received(be.sessions, {"platform": channels["platform"]}) == 1
    with be.act() as s:
        waiting = service.received_documents(s)
        assert [(r.provider, r.filename) for r in waiting] == [
            ("Test PA", "INV-77.xml"),
            ("Test AP", "INV-77.xml"),
        ]
        done = service.book_received(
            s, be.coop, waiting[1].id, entity=be.entity, actor="t", issuer=issuer("be")
        )
        assert len(done.purchases) == 1
    with be.sessions() as s:
        row = s.get(ReceivedDocument, waiting[1].id)
        assert row is not None and (row.status, row.entity) == ("booked", be.entity)
        purchase = s.get(Purchase, done.purchases[0])
        assert purchase is not None and purchase.supplier_reference == "INV-77"
        assert s.scalars(select(Delivery)).all() == []


def test_a_document_the_official_rules_refuse_is_kept_refused_with_its_findings(
    be: CountryWorld, standin: StandIn
) -> None:
    bad = supplier_invoice().replace(b"<cbc:IssueDate>", b"<cbc:IssueDate>x", 1)
    standin.recorded.inbound.append(("in-2", "BAD.xml", "application/xml", bad))
    channels = channels_of(settings_for(standin))
    assert service.fetch_received(be.sessions, {"peppol": channels["peppol"]}) == 1
    with be.sessions() as s:
        (row,) = service.received_documents(s, "refused")
        assert "IssueDate" in row.detail or "date" in row.detail.lower()
        ident = row.id
    with pytest.raises(service.TransmissionRefused), be.act() as s:
        service.book_received(s, be.coop, ident, entity=be.entity, actor="t")
