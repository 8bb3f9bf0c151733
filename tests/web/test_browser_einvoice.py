"""Sending an invoice in a real browser (Debian's Chromium driven by Playwright): the
holder opens the invoice's sending page from the entity page, sends it to a Belgian
business client, sees it waiting, and — once the job has handed it to the access point
standing in on a local HTTP server and the buyer accepted it — delivered."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from partage.core.documents.transmission import service
from partage.core.documents.transmission.jobs import channels_of
from partage.core.platform.db.engine import make_engine
from partage.core.web.app import create_app
from tests.einvoice_support import StandIn, settings_for
from tests.engine_support import WEB_PASSWORD
from tests.web_support import belgian_site, served_over_http

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed (apt-get install chromium)"
)
pytest.importorskip("playwright.sync_api")
ARTIFACTS = (
    Path(os.environ.get("PARTAGE_TEST_ARTIFACTS", Path(__file__).parents[2] / "test-artifacts"))
    / "browser"
)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Any, str, str, StandIn]]:
    standin = StandIn()
    standin.start()
    engine = make_engine(f"sqlite:///{tmp_path / 'web.db'}")
    site, world, numbers = belgian_site(engine)
    site.einvoicing = settings_for(standin)
    with served_over_http(create_app(site)) as url:
        yield url, site, world.entity, numbers["business"], standin
    standin.stop()
    engine.dispose()


def test_the_holder_sends_an_invoice_and_sees_it_delivered(
    chromium: Any, served: tuple[str, Any, str, str, StandIn]
) -> None:
    url, site, entity, number, standin = served
    context = chromium.new_context(base_url=url, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    try:
        page.goto("/language/en?next=/login")
        page.get_by_label("Username").fill("ada")
        page.get_by_label("Password").fill(WEB_PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url("**/")
        page.goto(f"/entities/{entity}")
        page.get_by_label(f"Send {number} or see how it was sent").first.click()
        page.wait_for_url(f"**/invoices/{number}/sending")
        assert page.get_by_text("This invoice was not sent yet.").is_visible()
        page.get_by_role("button", name="Send the invoice").click()
        page.wait_for_url("**/sending?sent=1")
        row = page.locator('tr[data-kind="invoice"]')
        assert "Peppol network" in row.inner_text()
        assert "waiting to be sent" in row.inner_text()

        settings = site.einvoicing
        assert service.deliver_due(site.sessions, settings, channels_of(settings)).sent == 1
        (ident,) = standin.recorded.outbound
        standin.recorded.statuses[ident] = {"status": "AP"}
        service.refresh_statuses(site.sessions, channels_of(settings))
        page.reload()
        assert "delivered to the client" in page.locator('tr[data-kind="invoice"]').inner_text()
        # delivered: there is nothing to send again
        assert (
            page.get_by_role("button", name="Send again what did not reach the client").count() == 0
        )
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "einvoice-sending.png"), full_page=True)
    finally:
        context.close()
