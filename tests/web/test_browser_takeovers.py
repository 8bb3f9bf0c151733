"""The advisers' queue of the guarantee fund's takeovers in a real browser (Chromium
driven by Playwright): the administrator runs the takeovers as of a day when the web
world's two open invoices have lapsed, and the queue lists the receivables the fund now
holds; an adviser reads it without the run button.

The web world's invoices (2026-07-06, due 30 days later) still owe 605.00 (E000001) and
363.00 (E000002); by 2026-10-15 both are past the guarantee's 60 days overdue.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from partage.core.platform.clock import FixedClock
from partage.core.platform.db.engine import make_engine
from partage.core.web.app import create_app
from partage.core.web.site import Site
from tests.engine_support import web_site
from tests.web import test_browser_flows as flows
from tests.web.test_browser_flows import log_in, shot
from tests.web_support import served_over_http

# The browser flows' fixtures and skip rule; this module serves its own instance, its
# clock on the day the takeovers run (acts are dated within a window around today).
pytestmark = flows.pytestmark
browser = flows.browser
page = flows.page


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('takeovers') / 'web.db'}")
    site = web_site(engine)
    assert isinstance(site, Site)
    site.coop.clock = FixedClock(date(2026, 10, 15))
    with served_over_http(create_app(site)) as url:
        yield url
    engine.dispose()


def test_the_administrator_runs_the_takeovers_and_the_queue_lists_them(page: Any) -> None:
    log_in(page, "admin")
    page.goto("/risk")
    page.get_by_role("link", name="Takeovers by the guarantee fund").first.click()
    page.wait_for_url("**/risk/takeovers")
    assert page.locator("#held tbody tr").inner_text().strip() == "None"
    page.get_by_label("As of").fill("2026-10-15")
    page.get_by_role("button", name="Run the takeovers").click()
    assert "2" in page.get_by_role("status").inner_text()
    rows = page.locator("#held tbody tr")
    assert rows.count() == 2
    held = rows.all_inner_texts()
    assert any("E000001" in r and "605.00" in r for r in held)
    assert any("E000002" in r and "363.00" in r for r in held)
    assert "0" in page.locator("#to-take-over").inner_text()
    shot(page, "risk-takeovers")
    page.get_by_role("button", name="Log out").click()
    log_in(page, "adviser")
    page.goto("/risk/takeovers?on=2026-10-15")
    assert page.locator("#held tbody tr").count() == 2
    assert page.get_by_role("button", name="Run the takeovers").count() == 0
