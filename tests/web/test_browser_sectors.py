"""An entity's sectors in a real browser (Debian's Chromium driven by Playwright): the
adviser opens the entity's sectors page from its page, sets it working as a courier and
in construction, puts the ten-year liability attestation on file with its scan, and
follows the workspace's count of attestations ending soon to their list; the member
then reads the couriers' expense category, by its name, on their entity's page.

Screenshots go to ``test-artifacts/browser/``; skipped, with the reason, where
/usr/bin/chromium is not installed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from partage.core.platform.db.engine import make_engine
from partage.core.web.app import create_app
from partage.core.web.site import Site
from tests.engine_support import WEB_DAY, web_site
from tests.web.test_browser_flows import log_in, shot
from tests.web.test_web_sectors import SECTORS, install_sectors
from tests.web_support import served_over_http


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Site]]:
    engine = make_engine(f"sqlite:///{tmp_path / 'web.db'}")
    site = web_site(engine)
    assert isinstance(site, Site)
    install_sectors(site)
    try:
        with served_over_http(create_app(site)) as url:
            yield url, site
    finally:
        for name in SECTORS:
            site.coop.plugins.unregister(name=f"sector:{name}")
        engine.dispose()


def test_the_adviser_sets_sectors_and_the_member_sees_the_category(
    served: tuple[str, Site], chromium: Any, tmp_path: Path
) -> None:
    url, _site = served
    scan = tmp_path / "policy.pdf"
    scan.write_bytes(b"%PDF-1.4 ten-year liability policy")
    context = chromium.new_context(base_url=url, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        log_in(page, "adviser")
        page.goto("/entities/E000001")
        page.get_by_role("link", name="Sectors and attestations").click()
        page.wait_for_url("**/entities/E000001/sectors")
        assert page.locator("#offers [data-category=bike_repair]").count() == 0
        page.get_by_label("Couriers").check()
        page.get_by_label("Construction").check()
        page.get_by_role("button", name="Save the sectors").click()
        page.wait_for_url("**/entities/E000001/sectors?done=sectors#sectors")
        assert "The entity's sectors are saved." in page.locator("p.notice").inner_text()
        assert page.locator("#sectors tbody tr").count() == 2
        assert "Bike repair and upkeep" in page.locator("#offers").inner_text()
        shot(page, "sectors-1-set")

        form = page.locator("#attest")
        form.locator("select[name=kind]").select_option("ten_year_liability")
        form.get_by_label("Issuer").fill("Assurances du Bâtiment")
        form.get_by_label("Policy or certificate number").fill("RC-2026-17")
        form.get_by_label("Valid from").fill("2026-01-01")
        form.get_by_label("Valid until").fill(str(WEB_DAY + timedelta(days=20)))
        form.get_by_label("Scanned attestation").set_input_files(str(scan))
        form.get_by_role("button", name="Put on file").click()
        page.wait_for_url("**/entities/E000001/sectors?done=attestation#attestations")
        row = page.locator("#attestations tbody tr").first
        assert row.get_attribute("data-state") == "ending"
        assert "policy.pdf" in row.inner_text()
        shot(page, "sectors-2-attestation")

        page.get_by_role("link", name="Entities", exact=True).click()
        page.wait_for_url("**/entities")
        count = page.locator('#needs [data-need="attestations"] dd a')
        assert count.inner_text() == "1"
        count.click()
        page.wait_for_url("**/attestations")
        assert page.locator("#ending tbody tr").count() == 1
        shot(page, "sectors-3-attestations-to-renew")
        page.locator("#ending").get_by_role("link", name="Design (E000001)").click()
        page.wait_for_url("**/entities/E000001/sectors#attestations")
        context.clear_cookies()

        log_in(page, "ada")
        page.goto("/entities/E000001")
        page.get_by_role("link", name="Sectors and attestations").click()
        page.wait_for_url("**/entities/E000001/sectors")
        assert "Bike repair and upkeep" in page.locator("#offers").inner_text()
        assert page.locator("#set-sectors").count() == 0
        shot(page, "sectors-4-member-reads")
    finally:
        context.close()
