"""Late payers in a real browser (Debian's Chromium driven by Playwright): the member
opens the entity's late payers from its page and sends the friendly reminder, which
goes to the outbox with its PDF; the office's adviser finds the invoice in the late
payers of the office and proposes it in default, which then waits among the acts to
validate.

Screenshots go to ``test-artifacts/browser/``; skipped, with the reason, where
/usr/bin/chromium is not installed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from partage.core.documents.models import Reminder
from partage.core.platform.db.engine import make_engine
from partage.core.platform.mail.models import OutboxAttachment, OutboxMessage
from partage.core.web.app import create_app
from partage.core.web.site import Site
from tests.engine_support import web_site
from tests.web.test_browser_flows import log_in, shot
from tests.web.test_web_reminders import overdue_invoice
from tests.web_support import served_over_http


@pytest.fixture
def served(tmp_path: Any) -> Iterator[tuple[str, Site]]:
    engine = make_engine(f"sqlite:///{tmp_path / 'web.db'}")
    site = web_site(engine)
    assert isinstance(site, Site)
    with served_over_http(create_app(site)) as url:
        yield url, site
    engine.dispose()


def test_a_member_sends_a_reminder_and_the_adviser_proposes_a_default(
    served: tuple[str, Site], chromium: Any
) -> None:
    url, site = served
    number = overdue_invoice(site)
    context = chromium.new_context(base_url=url, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        log_in(page, "ada")
        page.goto("/entities/E000001")
        page.get_by_role("link", name="Late payers and reminders").click()
        page.wait_for_url("**/entities/E000001/overdue")
        row = page.locator(f'#overdue tr[data-invoice="{number}"]')
        assert "30" in row.inner_text() and "none yet" in row.inner_text()
        assert page.get_by_role("button", name=f"Propose {number} in default").count() == 0
        shot(page, "reminders-1-member-overdue")
        page.get_by_role("button", name=f"Send the friendly reminder for {number}").click()
        page.wait_for_url(f"**/entities/E000001/overdue?sent={number}")
        assert f"Reminder sent for invoice {number}." in page.locator("p.notice").inner_text()
        assert "friendly reminder" in row.inner_text()
        page.get_by_role("link", name=number).click()
        page.wait_for_url(f"**/invoices/{number}/reminders")
        assert page.locator('#reminders tr[data-step="friendly"]').count() == 1
        shot(page, "reminders-2-history")
        page.get_by_role("button", name="Log out").click()

        log_in(page, "adviser")
        page.get_by_role("link", name="Late payers").click()
        page.wait_for_url("**/overdue")
        page.get_by_label(f"Why the client will not pay {number}").fill("the client closed")
        page.get_by_role("button", name=f"Propose {number} in default").click()
        page.wait_for_url(f"**/overdue?proposed={number}")
        assert "waiting for validation" in page.locator(f'tr[data-invoice="{number}"]').inner_text()
        shot(page, "reminders-3-default-proposed")
        page.get_by_role("link", name="Acts to validate").click()
        waiting = page.locator('#waiting tr[data-kind="invoice_default"]')
        assert waiting.count() == 1 and number in waiting.inner_text()
    finally:
        context.close()
    with site.sessions() as session:
        reminder = session.scalars(select(Reminder)).one()
        message = session.get(OutboxMessage, reminder.message_id)
        assert message is not None
        attached = session.scalars(
            select(OutboxAttachment.content).where(OutboxAttachment.message_id == message.id)
        ).all()
        assert attached == [reminder.content]
