"""The advisers' queue of the guarantee fund's takeovers in a real browser (Chromium
driven by Playwright): the administrator runs the takeovers as of a day when the web
world's two open invoices have lapsed, and the queue lists the receivables the fund now
holds; an adviser reads it without the run button.

The web world's invoices (2026-07-06, due 30 days later) still owe 605.00 (E000001) and
363.00 (E000002); by 2026-10-15 both are past the guarantee's 60 days overdue.
"""

from __future__ import annotations

from typing import Any

from tests.web import test_browser_flows as flows
from tests.web.test_browser_flows import log_in, shot

# The browser flows' fixtures and skip rule: this module gets its own served instance.
pytestmark = flows.pytestmark
base_url = flows.base_url
browser = flows.browser
page = flows.page


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
