"""An invoice supplied on another day than its date, as a member issues it in a real
browser (Debian's Chromium driven by Playwright): the editor takes the date of supply,
the invoice's page shows it, and the books keep it. Skipped, with the reason, where
/usr/bin/chromium is not installed."""

from __future__ import annotations

from datetime import date
from typing import Any

from partage.core.sales import invoices
from partage.core.web.site import Site
from tests.web.test_browser_quotes import fill_line, log_in, served  # noqa: F401  (fixture)


def test_a_member_gives_the_date_of_supply_in_the_editor(
    served: tuple[str, Site],  # noqa: F811
    chromium: Any,
) -> None:
    url, site = served
    context = chromium.new_context(base_url=url, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        log_in(page, "ada")
        page.goto("/entities/E000001/invoices/new")
        page.select_option("#client", "C000001")
        fill_line(page, 0, "Design", "2", "day", "480", "")
        page.fill('input[name="supplied_on"]', "2026-06-30")
        page.click('#document-editor button[value="issue"]')
        page.wait_for_url("**/invoices/F2026-*")
        number = page.locator("#document-number").inner_text()
        assert "2026" in page.locator("#supplied-on").inner_text()
    finally:
        context.close()
    with site.sessions() as session:
        assert invoices.invoice_by_number(session, number).supplied_on == date(2026, 6, 30)
