"""The guarantee fund's page in a real browser (Chromium driven by Playwright): the
administrator reads the fund's capacity and exposure and allocates to it, an adviser
sees their office's entities, a member is refused.

The web world's fund holds 16.90 (capacity 169.00 at leverage 10); E000002 uses 82.50
of its coverage (see ``tests/web/test_web_risk.py``).
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


def text_of(opened: Any, selector: str) -> str:
    return "".join(opened.locator(selector).inner_text().split()).replace("\u202f", "")


def test_the_administrator_reads_the_fund_and_allocates_to_it(page: Any) -> None:
    log_in(page, "admin")
    page.get_by_role("link", name="Guarantee fund").click()
    page.wait_for_url("**/risk")
    assert "16.90" in text_of(page, "#balance")
    assert "169.00" in text_of(page, "#capacity")
    assert "82.50" in text_of(page, "#in-use")
    assert "86.50" in text_of(page, "#headroom")
    rows = page.locator("#entities tbody tr")
    assert rows.count() == 2 and "E000002" in rows.nth(0).inner_text()
    shot(page, "risk-administrator")
    page.get_by_label("Amount").fill("ten")
    page.get_by_label("General assembly decision").fill("general assembly of 2026-06-20")
    page.get_by_role("button", name="Allocate").click()
    assert "amount" in page.get_by_role("alert").inner_text()
    assert "169.00" in text_of(page, "#capacity")  # nothing allocated
    page.get_by_label("Amount").fill("100.00")
    page.get_by_role("button", name="Allocate").click()
    page.wait_for_url("**/risk")
    assert "1,169.00" in text_of(page, "#capacity") or "1169.00" in text_of(page, "#capacity")
    assert "116.90" in text_of(page, "#balance")
    shot(page, "risk-after-allocation")


def test_an_adviser_sees_their_office_and_a_member_is_refused(page: Any) -> None:
    log_in(page, "adviser")
    page.goto("/risk")
    assert "Entities of your office only" in page.content()
    assert page.get_by_role("button", name="Allocate").count() == 0
    assert page.locator("#entities tbody tr").count() == 2
    shot(page, "risk-adviser")
    page.get_by_role("button", name="Log out").click()
    log_in(page, "ada")
    answer = page.goto("/risk")
    assert answer is not None and answer.status == 403
    assert page.get_by_role("link", name="Guarantee fund").count() == 0
