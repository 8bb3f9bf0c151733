"""Consent and vouching in a real browser (Debian's Chromium driven by Playwright): a
worker accepts a contract offer from their worker account, and staff work the queue of
suppliers' bank accounts — the login that brought an account in is refused by the
four-eyes rule, another confirms it, and a rogue one is rejected with its reason.

Screenshots go to ``test-artifacts/browser/`` as for the other browser flows; skipped,
with the reason, where /usr/bin/chromium is not installed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from partage.core.banking import payees
from partage.core.members.models import Party
from partage.core.payroll import offers
from partage.core.payroll.models import Contract
from partage.core.payroll.service import Terms
from partage.core.platform.db.engine import make_engine, transaction
from partage.core.web.app import create_app
from partage.core.web.site import Site
from tests.engine_support import web_site
from tests.web.test_browser_flows import CHROMIUM, log_in, shot
from tests.web_support import served_over_http

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed (apt-get install chromium)"
)
sync_api = pytest.importorskip("playwright.sync_api")

SUPPLIER_IBAN = "BE71096123456769"
ROGUE_IBAN = "BE62510007547061"


def prepare(site: Site) -> None:
    """An offer of Ada's entity to Bob, and two accounts for the supplier Acme waiting
    for staff: one the adviser's upload named, one a member's."""
    coop = site.coop
    with transaction(site.sessions) as session:
        offers.offer_contract(
            session,
            coop,
            Terms("E000001", 2, "employee", site.today(), hourly_rate="18.00"),
            actor="user:ada",
        )
        acme = session.scalars(select(Party).where(Party.code == "C000001")).one()
        payees.propose_account(
            session, acme, SUPPLIER_IBAN, None, actor="user:adviser", document="invoice A-1"
        )
        payees.propose_account(
            session, acme, ROGUE_IBAN, None, actor="user:ada", document="invoice A-2"
        )


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Site]]:
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('consent') / 'web.db'}")
    site = web_site(engine)
    assert isinstance(site, Site)
    prepare(site)
    with served_over_http(create_app(site)) as url:
        yield url, site
    engine.dispose()


@pytest.fixture(scope="module")
def browser(chromium: Any, served: tuple[str, Site]) -> Any:
    """The session's Chromium (see ``tests/web/conftest.py``); asking for the served
    instance first keeps the server up for as long as the module's pages use it."""
    return chromium


@pytest.fixture
def page(browser: Any, served: tuple[str, Site]) -> Iterator[Any]:
    context = browser.new_context(base_url=served[0], viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    yield opened
    context.close()


def test_the_worker_accepts_an_offer_from_the_worker_account(
    page: Any, served: tuple[str, Site]
) -> None:
    site = served[1]
    log_in(page, "bob")
    page.get_by_role("link", name="Worker account").click()
    page.wait_for_url("**/worker")
    offer = page.locator("#offers tr[data-offer]")
    assert offer.count() == 1 and "Design" in offer.inner_text()
    shot(page, "consent-1-offer-waiting")
    page.get_by_role("button", name="Accept offer O000001").click()
    page.wait_for_url("**/worker?accepted=O000001")
    assert "You accepted offer O000001" in page.locator("p.notice").inner_text()
    assert "No offer waits for your answer." in page.content()
    shot(page, "consent-2-offer-accepted")
    with site.sessions() as session:
        (contract,) = session.scalars(select(Contract)).all()
    assert contract.code in page.content()


def test_staff_work_the_queue_of_suppliers_accounts(page: Any) -> None:
    log_in(page, "adviser")
    page.get_by_role("link", name="Suppliers' bank accounts").click()
    page.wait_for_url("**/payees")
    rows = page.locator("#pending tr[data-account]")
    assert rows.count() == 2
    shot(page, "payees-1-queue")

    page.get_by_role("button", name="Confirm account 1").click()
    page.wait_for_load_state()
    assert "four-eyes rule: user:adviser brought in" in page.locator("p.error").inner_text()
    assert page.locator("#pending tr[data-account]").count() == 2
    shot(page, "payees-2-four-eyes")
    page.get_by_role("button", name="Log out").click()

    log_in(page, "manager")
    page.goto("/payees")
    page.get_by_role("button", name="Confirm account 1").click()
    page.wait_for_url("**/payees?confirmed=1")
    assert "Account 1 confirmed" in page.locator("p.notice").inner_text()
    assert SUPPLIER_IBAN in page.locator("#verified").inner_text()
    conflict = page.locator('#pending tr[data-account="2"]')
    assert SUPPLIER_IBAN in conflict.inner_text()  # what it would replace
    page.get_by_label("Reason for rejecting account 2").fill("not Acme's account")
    page.get_by_role("button", name="Reject account 2").click()
    page.wait_for_url("**/payees?rejected=2")
    assert "No account waits for a decision." in page.content()
    shot(page, "payees-3-decided")
