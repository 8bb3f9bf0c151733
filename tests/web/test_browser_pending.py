"""Cash a member declares, in a real browser (Debian's Chromium driven by Playwright):
declared from the entity page, it is marked pending there and the funds leave it out;
the office's adviser validates it from the queue of acts to validate, and it counts
from then on.

Screenshots go to ``test-artifacts/browser/`` as for the other browser flows; skipped,
with the reason, where /usr/bin/chromium is not installed."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from partage.core.ledger.reports import available_funds
from partage.core.platform.db.engine import make_engine
from partage.core.risk.solvency import END_OF_TIME
from partage.core.web.app import create_app
from partage.core.web.site import Site
from tests.engine_support import web_site
from tests.web.test_browser_flows import log_in, shot
from tests.web_support import served_over_http

# The session's Chromium (tests/web/conftest.py: ``chromium``) skips where it is missing.


@pytest.fixture
def served(tmp_path: Any) -> Iterator[tuple[str, Site]]:
    engine = make_engine(f"sqlite:///{tmp_path / 'web.db'}")
    site = web_site(engine)
    assert isinstance(site, Site)
    with served_over_http(create_app(site)) as url:
        yield url, site
    engine.dispose()


def funds(site: Site) -> Decimal:
    with site.sessions() as session:
        return available_funds(session, book="E000001", on=END_OF_TIME)


def test_the_adviser_validates_cash_a_member_declared(
    served: tuple[str, Site], chromium: Any
) -> None:
    url, site = served
    before = funds(site)
    context = chromium.new_context(base_url=url, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        log_in(page, "ada")
        page.goto("/entities/E000001")
        page.get_by_label("Client code").fill("C000001")
        page.get_by_label("Cash received").fill("250.00")
        page.get_by_role("button", name="Declare cash received").click()
        page.wait_for_url("**/entities/E000001#pending-acts")
        marked = page.locator('#pending-acts tr[data-kind="cash_receipt"]')
        assert marked.count() == 1 and "pending" in marked.inner_text()
        assert "cash from C000001" in marked.inner_text()
        assert "not seen by a bank" in marked.inner_text()
        assert funds(site) == before
        shot(page, "pending-1-member-sees-cash-waiting")
        page.get_by_role("button", name="Log out").click()

        log_in(page, "adviser")
        page.get_by_role("link", name="Acts to validate").click()
        page.wait_for_url("**/pending")
        row = page.locator("#waiting tr[data-pending]")
        assert row.count() == 1 and "user:ada" in row.inner_text()
        shot(page, "pending-2-queue")
        pending_id = row.get_attribute("data-pending")
        page.get_by_role("button", name=f"Validate act {pending_id}").click()
        page.wait_for_url(f"**/pending?validated={pending_id}")
        assert "it counts from now on" in page.locator("p.notice").inner_text()
        assert "No act waits for a decision." in page.content()
        assert "validated by user:adviser" in page.locator("#decided").inner_text()
        shot(page, "pending-3-validated")
        page.goto("/entities/E000001")
        assert page.locator("#pending-acts").count() == 0
    finally:
        context.close()
    assert funds(site) == before + Decimal("250.00")
