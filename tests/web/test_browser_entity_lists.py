"""A member's entity page in a real browser (Debian's Chromium driven by Playwright):
the books in sentences and charts, then the invoices of an entity of 2,000 — searched,
sorted by a column, paged — exported as CSV with the same filters.

Screenshots (English and French) go to ``test-artifacts/browser/``; skipped, with the
reason, where /usr/bin/chromium is not installed."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from partage.core.platform.db.engine import make_engine
from partage.core.web.app import create_app
from partage.core.web.site import Site
from tests.engine_support import web_site
from tests.web.test_browser_flows import log_in, shot
from tests.web.test_web_access import Served
from tests.web.test_web_entity_lists import _fill
from tests.web_support import served_over_http


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    engine = make_engine(f"sqlite:///{tmp_path / 'web.db'}")
    site = web_site(engine)
    assert isinstance(site, Site)
    _fill(Served(site, None, {}))  # type: ignore[arg-type]
    with served_over_http(create_app(site)) as url:
        yield url
    engine.dispose()


def test_a_member_searches_sorts_pages_and_exports_invoices(served: str, chromium: Any) -> None:
    context = chromium.new_context(
        base_url=served, viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    try:
        page = context.new_page()
        log_in(page, "ada")
        page.goto("/entities/E000001")
        assert page.locator("#plain-words li").count() == 4
        assert page.locator("#plain-words svg.chart").count() == 3
        shot(page, "entity-1-overview-en")
        page.goto("/entities/E000001?lang=fr")
        assert "Vos clients vous doivent" in page.locator("#plain-words").inner_text()
        shot(page, "entity-1-overview-fr")
        page.goto("/entities/E000001?lang=en")

        page.locator("nav.tabs").get_by_role("link", name="Invoices", exact=True).click()
        page.wait_for_url("**/entities/E000001/invoices")
        page.get_by_label("Search").fill("quillon")
        page.get_by_label("Status").select_option("overdue")
        page.get_by_role("button", name="Show").click()
        found = page.locator("#found").inner_text()
        total = int(found.split(":")[1].split("(")[0])
        assert total > 25 and "page 1 of" in found
        rows = page.locator("table.list tbody tr")
        assert rows.count() == 25
        assert {r.get_attribute("data-status") for r in rows.all()} == {"overdue"}

        page.locator('a[data-sort="total"]').click()  # smallest first
        page.wait_for_url("**sort=total**")
        page.locator('a[data-sort="total"]').click()  # then largest first
        page.wait_for_url("**sort=-total**")
        assert page.locator('th[aria-sort="descending"] a[data-sort="total"]').count() == 1
        first_page = rows.first.inner_text()
        page.get_by_role("link", name="Next page").click()
        page.wait_for_url("**page=2**")
        assert "page 2 of" in page.locator("#found").inner_text()
        assert rows.first.inner_text() != first_page
        shot(page, "entity-2-invoices-searched")

        with page.expect_download() as waiting:
            page.get_by_role("link", name="Export as CSV").click()
        download = waiting.value
        assert download.suggested_filename.startswith("E000001-invoices-")
        text = Path(download.path()).read_text(encoding="utf-8")
        lines = list(csv.reader(io.StringIO(text)))
        assert lines[0][0] == "Invoice" and len(lines) - 1 == total  # every page, same filter
        assert {line[1] for line in lines[1:]} == {"Quillon Bakery"}
        totals = [float(line[4]) for line in lines[1:]]
        assert totals == sorted(totals, reverse=True)  # the same order

        page.goto("/entities/E000001/invoices?lang=fr&q=quillon")
        assert page.get_by_role("link", name="Exporter en CSV").count() == 1
        shot(page, "entity-3-invoices-fr")
    finally:
        context.close()
