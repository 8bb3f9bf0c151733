"""Late payers through the API and the pages: the member lists the entity's overdue
invoices and sends a reminder, the adviser lists them across the office and proposes a
default, which another staff login validates before the fund writes the invoice off."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine, select

from partage.core.members.models import Party
from partage.core.platform.clock import SimulatedClock
from partage.core.platform.db.engine import transaction
from partage.core.platform.mail.models import OutboxAttachment, OutboxMessage
from partage.core.sales import invoices
from partage.core.sales.invoices import LineInput, invoice_by_number
from partage.core.web.app import create_app
from partage.core.web.site import Site
from tests.engine_support import WEB_DAY, web_site
from tests.web.test_web_acts import bearer
from tests.web.test_web_ui import log_in, submit


def overdue_invoice(site: Site) -> str:
    """An invoice of E000001 to Acme issued on the web world's day (invoices are numbered
    in date order) and due 30 days later; the clock then moves on 60 days, so that it is
    30 days late."""
    with transaction(site.sessions) as s:
        s.scalars(select(Party).where(Party.code == "C000001")).one().email = "acme@example.org"
        number = invoices.issue_invoice(
            s,
            site.coop,
            entity="E000001",
            client="C000001",
            lines=[LineInput("Late work", "1", "500")],
            on=WEB_DAY,
            due_on=WEB_DAY + timedelta(days=30),
            actor="t",
        ).number
        site.coop.clock = SimulatedClock(WEB_DAY + timedelta(days=60))
        return number


@pytest.fixture
def api(engine: Engine) -> Iterator[tuple[Site, TestClient[Any]]]:
    site = web_site(engine)
    assert isinstance(site, Site)
    with TestClient(create_app(site)) as client:
        yield site, client


def test_late_payers_through_the_api(api: tuple[Site, TestClient[Any]]) -> None:
    site, client = api
    number = overdue_invoice(site)
    ada, bob = bearer(client, "ada"), bearer(client, "bob")
    adviser, admin = bearer(client, "adviser"), bearer(client, "admin")
    base = "/api/v1/entities/E000001"
    listed = client.get(f"{base}/overdue", headers=ada)
    assert listed.status_code == 200, listed.text
    [row] = [r for r in listed.json() if r["invoice"] == number]
    assert (row["invoice"], row["days_late"], row["owed"]) == (number, 30, "605.00")
    assert row["next_step"] == "friendly" and row["last_reminder"] is None
    assert client.get(f"{base}/overdue", headers=bob).status_code == 404

    sent = client.post(f"{base}/invoices/{number}/reminders", headers=ada, json={"charge": False})
    assert sent.status_code == 201, sent.text
    assert sent.json() | {"step": "friendly", "charged": False, "interest": "0.00"} == sent.json()
    history = client.get(f"{base}/invoices/{number}/reminders", headers=ada).json()
    assert [h["step"] for h in history] == ["friendly"]
    with site.sessions() as s:
        message = s.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "payment_reminder")
        ).one()
        assert message.recipient == "acme@example.org"
        attached = s.scalars(
            select(OutboxAttachment.media_type).where(OutboxAttachment.message_id == message.id)
        ).all()
        assert attached == ["application/pdf"]

    across = client.get("/api/v1/overdue", headers=adviser)
    assert [r["last_reminder"] for r in across.json() if r["invoice"] == number] == ["friendly"]
    assert client.get("/api/v1/overdue", headers=ada).status_code == 403
    refused = client.post(f"{base}/invoices/{number}/default", headers=ada, json={"reason": "gone"})
    assert refused.status_code == 403
    proposed = client.post(
        f"{base}/invoices/{number}/default", headers=adviser, json={"reason": "bankrupt"}
    )
    assert proposed.status_code == 201, proposed.text
    assert proposed.json()["status"] == "pending" and proposed.json()["amount"] == "605.00"
    pending_id = proposed.json()["pending_id"]
    same = client.post(f"/api/v1/pending/{pending_id}/validate", headers=adviser)
    assert same.status_code >= 400
    done = client.post(f"/api/v1/pending/{pending_id}/validate", headers=admin)
    assert done.status_code in (200, 201), done.text
    with site.sessions() as s:
        assert invoice_by_number(s, number).written_off_on == WEB_DAY + timedelta(days=60)
    left = client.get(f"{base}/overdue", headers=ada).json()
    assert number not in [r["invoice"] for r in left]


@pytest.fixture
def ui(engine: Engine) -> Iterator[tuple[Site, TestClient[Any]]]:
    site = web_site(engine)
    assert isinstance(site, Site)
    with TestClient(create_app(site)) as client:
        yield site, client


def test_the_member_sends_a_reminder_from_the_entitys_page(
    ui: tuple[Site, TestClient[Any]],
) -> None:
    site, client = ui
    number = overdue_invoice(site)
    log_in(client, "ada")
    page = client.get("/entities/E000001/overdue")
    assert page.status_code == 200 and number in page.text
    answer = submit(
        client,
        page.text,
        f"/entities/E000001/invoices/{number}/remind",
        {"charge": "yes", "back": "/entities/E000001/overdue"},
    )
    assert answer.status_code == 200, answer.text
    assert f"Reminder sent for invoice {number}." in answer.text
    history = client.get(f"/entities/E000001/invoices/{number}/reminders")
    assert "friendly reminder" in history.text
    with site.sessions() as s:
        from partage.core.documents.models import Reminder

        reminder = s.scalars(select(Reminder)).one()
    pdf = client.get(f"/entities/E000001/invoices/{number}/reminders/{reminder.id}")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    french = client.get("/entities/E000001/overdue?lang=fr")
    assert "Retards de paiement" in french.text and "Dernier rappel" in french.text
