"""Becoming a member in a real browser (Chromium driven by Playwright), the mail read
from a real SMTP server (aiosmtpd): a person applies on the public form, verifies their
address by the mailed link, the ethics committee admits them, they choose their password
by the invitation link, and their share, paid by a transfer the bank statement import
matches by its structured reference, shows on their member page."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from importlib import import_module
from typing import Any

import pytest
from sqlalchemy import select

from partage.core.banking import statements, writers
from partage.core.contract.bank import BankStatement, BankTransaction
from partage.core.members.models import SharePaymentDue
from partage.core.platform.db.engine import make_engine, transaction
from partage.core.web.app import create_app
from partage.core.web.site import Site
from tests.engine_support import WEB_PASSWORD, web_site
from tests.mail_support import SmtpServer
from tests.web import test_browser_flows as flows
from tests.web.test_browser_flows import shot
from tests.web_support import served_over_http

pytestmark = flows.pytestmark
PASSWORD = "seagulls above the harbour"
LINK = re.compile(r"https?://\S+")


@pytest.fixture(scope="module")
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, smtp: SmtpServer) -> Iterator[Site]:
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('membership') / 'web.db'}")
    built = web_site(engine, email=smtp.settings())
    assert isinstance(built, Site)
    built.coop.plugins.register(
        import_module("partage.plugins.sectors.couriers"), name="sector:couriers"
    )
    yield built
    engine.dispose()


@pytest.fixture(scope="module")
def base_url(site: Site) -> Iterator[str]:
    queue = site.mail_queue()
    queue.start_in_process()
    try:
        with served_over_http(create_app(site)) as url:
            yield url
    finally:
        queue.stop_in_process()


@pytest.fixture(scope="module")
def browser(chromium: Any, base_url: str) -> Any:
    return chromium


@pytest.fixture
def page(browser: Any, base_url: str) -> Iterator[Any]:
    context = browser.new_context(base_url=base_url, viewport={"width": 1200, "height": 900})
    opened = context.new_page()
    yield opened
    context.close()


def mail_to(smtp: SmtpServer, count: int) -> Any:
    deadline = time.monotonic() + 60
    while len(smtp.inbox.messages) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(smtp.inbox.messages) >= count, "the worker delivered no message"
    return smtp.inbox.messages[count - 1]


def link_in(mail: Any) -> str:
    found = LINK.search(mail.get_content())
    assert found is not None
    return found.group(0)


def test_an_applicant_applies_is_admitted_and_pays_their_share_by_transfer(
    page: Any, site: Site, smtp: SmtpServer
) -> None:
    page.goto("/login")
    page.get_by_role("link", name="Become a member").click()
    page.wait_for_url("**/apply")
    for label, value in (
        ("First name", "Grace"),
        ("Last name", "Hopper"),
        ("National number", "00000000777"),
        ("Bank account (IBAN)", "ZZ00000000000777"),
        ("Postal address", "2 Harbour Street"),
        ("Email address", "grace@example.org"),
        ("Your trade", "bike courier"),
        ("The activity you intend to run", "Meal deliveries by bike"),
        ("The clients you intend to serve", "Delivery platforms"),
    ):
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_label("Sector").select_option("couriers")
    fieldset = page.locator("fieldset[data-sector=couriers]")
    for area, answer in zip(
        fieldset.locator("textarea").all(), ("Deliveries Ltd", "My bike", "Evenings"), strict=True
    ):
        area.fill(answer)
    page.get_by_label("I accept the values charter").check()
    assert page.locator("#privacy-notice").is_visible()
    shot(page, "membership-1-apply")
    page.get_by_role("button", name="Send my application").click()
    assert "grace@example.org" in page.get_by_role("status").inner_text()

    page.goto(link_in(mail_to(smtp, 1)))
    assert page.locator("#application-state").get_attribute("data-status") == "in_review"
    shot(page, "membership-2-verified")

    flows.log_in(page, "ethics")
    page.get_by_role("link", name="Membership applications").first.click()
    row = page.locator("#applications tbody tr").filter(has_text="Grace Hopper")
    assert "00000000777" not in page.content() and "grace@example.org" not in page.content()
    row.get_by_label("Decision").select_option("admit")
    row.get_by_label("Reasons").fill("Own bike, own hours: autonomous")
    shot(page, "membership-3-committee")
    row.get_by_role("button", name="Record the decision").click()
    row = page.locator("#applications tbody tr").filter(has_text="Grace Hopper")
    assert "Own bike, own hours" in row.inner_text()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/login")

    invitation = mail_to(smtp, 2)
    assert invitation["To"] == "grace@example.org"
    login = re.search(r"member\d+", invitation.get_content())
    assert login is not None
    page.goto(link_in(invitation))
    page.get_by_label("New password (at least 15 characters)").fill(PASSWORD)
    page.get_by_label("New password again").fill(PASSWORD)
    page.get_by_role("button", name="Set my password").click()
    page.wait_for_url("**/login?reset=done")
    page.get_by_label("Username").fill(login.group(0))
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")
    page.goto("/member")
    due = page.locator("#shares-due")
    assert due.is_visible()
    with site.sessions() as session:
        reference = session.scalars(select(SharePaymentDue.reference)).one()
    assert reference[:4] in due.inner_text()
    shot(page, "membership-4-share-due")

    paid = BankTransaction(
        "G1",
        Decimal("30.00"),
        True,
        date(2026, 7, 7),
        date(2026, 7, 7),
        counterparty_name="Grace Hopper",
        structured_reference=reference,
    )
    content = writers.camt053(
        BankStatement("camt.053", "2026-07-07", "ZZ00000000000001", "EUR", (paid,), Decimal(0))
    )
    with transaction(site.sessions) as session:
        done = statements.import_statement(
            session, site.coop, content, filename="s.xml", actor="admin"
        )
    assert done.matched == 1
    page.reload()
    assert page.locator("#shares-due").count() == 0
    assert "Subscription of 1 share(s)" in page.content()
    shot(page, "membership-5-share-paid")
    assert WEB_PASSWORD != PASSWORD
