"""The administrators' workspace in a real browser (Chromium driven by Playwright): the
administrator goes from the workspace to the books, chooses a book, opens an account's
ledger from the trial balance, reads the profit and loss with its monthly chart, closes
a month once confirmed, and reads the instance's charts in words; other roles are
refused. Screenshots go to ``test-artifacts/browser/admin-*.png``.
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


def test_the_administrator_reads_the_books_and_closes_a_month(page: Any) -> None:
    log_in(page, "admin")
    page.get_by_role("link", name="Administration").first.click()
    page.wait_for_url("**/admin")
    shot(page, "admin-0-workspace")

    page.locator("nav.workspace").get_by_role("link", name="Books").click()
    page.wait_for_url("**/admin/books")
    assert page.locator("#trial-balance tbody tr").count() > 2
    shot(page, "admin-1-trial-balance")

    page.get_by_label("Book (code or name; empty: the whole instance)").fill("E0000")
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state()
    assert page.locator("#matches li").count() >= 2
    page.locator("#matches").get_by_role("link", name="E000001", exact=False).click()
    page.wait_for_load_state()
    assert "E000001" in page.locator("h1").inner_text()
    shot(page, "admin-2-one-book")

    page.locator("#trial-balance tbody tr td a").first.click()
    page.wait_for_url("**/admin/books/ledger**")
    assert page.locator("#ledger tbody tr").count() >= 3
    assert "Page 1 of 1" in page.locator("#pager").inner_text()
    shot(page, "admin-3-ledger")

    page.locator("nav.tabs").get_by_role("link", name="Profit and loss").click()
    page.wait_for_url("**/admin/books/profit-and-loss**")
    assert page.locator("svg.chart rect").count() > 2
    assert page.locator("#result").is_visible()
    shot(page, "admin-4-profit-and-loss")

    page.locator("nav.tabs").get_by_role("link", name="Balance sheet").click()
    page.wait_for_url("**/admin/books/balance-sheet**")
    assert page.locator("#statement table").count() == 2
    shot(page, "admin-5-balance-sheet")

    page.locator("nav.workspace").get_by_role("link", name="Periods").click()
    page.wait_for_url("**/admin/books/periods")
    close = page.locator("#close-month")
    close.get_by_role("button", name="Close the month").click()
    assert "confirm" in page.get_by_role("alert").inner_text()
    page.locator("#close-month").get_by_label("I confirm this act").check()
    page.locator("#close-month").get_by_role("button", name="Close the month").click()
    page.wait_for_load_state()
    assert "Done" in page.locator("#done").inner_text()
    assert "closed" in page.locator("#periods").inner_text()
    shot(page, "admin-6-periods")

    page.locator("nav.workspace").get_by_role("link", name="Offices & sectors").click()
    page.wait_for_url("**/admin/offices")
    assert page.locator("section.card").count() >= 2
    shot(page, "admin-7-offices")

    page.locator("nav.workspace").get_by_role("link", name="Declarations").click()
    page.wait_for_url("**/admin/declarations")
    page.locator("#employment").get_by_role("button", name="Make the declaration of pay").click()
    assert "confirm" in page.get_by_role("alert").inner_text()
    shot(page, "admin-8-declarations")

    page.locator("nav.workspace").get_by_role("link", name="VAT").click()
    page.wait_for_url("**/admin/vat")
    shot(page, "admin-8-vat-refused-by-testland")

    page.locator("nav.workspace").get_by_role("link", name="Guarantee fund").click()
    page.wait_for_url("**/risk")
    assert page.locator("#fund-history svg.chart rect").count() >= 1
    shot(page, "admin-9-guarantee-fund")

    page.locator("nav.workspace").get_by_role("link", name="Figures").click()
    page.wait_for_url("**/instance")
    charts = page.locator("svg.chart").evaluate_all("found => found.map(c => c.textContent)")
    assert charts and not any("long_term_employment" in text for text in charts)
    shot(page, "admin-10-instance")


def test_the_workspace_speaks_french(page: Any) -> None:
    log_in(page, "admin")
    page.goto("/admin/books/profit-and-loss?lang=fr")
    assert "Compte de résultats" in page.locator("h1").inner_text()
    assert "Produits et charges par mois" in page.content()
    shot(page, "admin-fr-profit-and-loss")


def test_other_roles_are_refused_and_see_no_workspace_link(page: Any) -> None:
    log_in(page, "adviser")
    assert page.get_by_role("link", name="Administration").count() == 0
    answer = page.goto("/admin/books")
    assert answer is not None and answer.status == 403


def test_the_administrator_loads_the_ecbs_rates(page: Any, tmp_path: Any) -> None:
    from pathlib import Path

    ecb = Path(__file__).resolve().parents[1] / "data" / "ecb" / "eurofxref-hist.csv"
    log_in(page, "admin")
    page.goto("/admin")
    page.locator("nav.workspace").get_by_role("link", name="Exchange rates").click()
    page.wait_for_url("**/admin/books/exchange-rates")
    page.get_by_label("The ECB's file").set_input_files(str(ecb))
    page.get_by_role("button", name="Load the rates").click()
    page.wait_for_load_state()
    assert "rates of 7 currencies" in page.locator("#done").inner_text()
    usd = page.locator("#rates tbody tr", has_text="USD")
    assert "1.1720" in usd.inner_text()
    shot(page, "admin-7-exchange-rates")
