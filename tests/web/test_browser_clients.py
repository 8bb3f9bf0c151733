"""The client directory in a real browser: from the quick job, a member creates a
business client by its VAT number, the details prefilled by a public register (a
local stand-in for VIES on the loopback), comes back with it picked, and invoices it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from partage.core.platform.db.engine import make_engine
from partage.core.web.app import create_app
from partage.core.web.site import Site
from tests.engine_support import web_site
from tests.registry_standin import Standin, registries_for, registry_standin
from tests.web.test_browser_flows import CHROMIUM, log_in, shot
from tests.web_support import served_over_http

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed (apt-get install chromium)"
)
pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def standin() -> Iterator[Standin]:
    with registry_standin() as server:
        yield server


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory, standin: Standin) -> Iterator[str]:
    """The populated instance, VIES enabled on the stand-in, served by uvicorn."""
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('clients') / 'web.db'}")
    site = web_site(engine)
    assert isinstance(site, Site)
    site.registries = registries_for(standin, "vies")
    with served_over_http(create_app(site)) as url:
        yield url
    engine.dispose()


@pytest.fixture
def page(chromium: Any, base_url: str) -> Iterator[Any]:
    context = chromium.new_context(base_url=base_url, viewport={"width": 1200, "height": 900})
    opened = context.new_page()
    yield opened
    context.close()


def test_a_business_client_prefilled_from_the_register_is_invoiced(
    page: Any, standin: Standin
) -> None:
    log_in(page, "ada")
    page.goto("/entities/E000001/quick-job")
    page.get_by_role("link", name="Create a business client (number looked up)").click()
    page.wait_for_url("**/clients/new**")

    page.get_by_label("Country").select_option("BE")
    page.get_by_label("VAT or company number").fill("0403.170.701")
    page.get_by_role("button", name="Look up").click()
    page.wait_for_selector("#client-form")
    assert "VIES" in page.locator("#lookup-note").inner_text()
    assert page.get_by_label("Name").input_value() == "NV ATELIER DU LIN"
    assert page.get_by_label("Postcode").input_value() == "1000"
    assert page.get_by_label("Town").input_value() == "BRUXELLES"
    assert page.get_by_label("VAT number").input_value() == "BE0403170701"
    assert any(path == "/vies/check-vat-number" for _, path, _ in standin.asked)
    shot(page, "client-new-prefilled")
    page.get_by_label("E-mail").fill("factures@atelier.example")
    page.get_by_role("button", name="Create the client").click()

    page.wait_for_url("**/quick-job?client=C*")
    picked = page.locator("select[name=client_code] option:checked")
    assert picked.inner_text().startswith("NV ATELIER DU LIN")
    page.get_by_label("What you will do").fill("Linen curtains")
    page.get_by_label("Quantity (hours, days, pieces)").fill("3")
    page.get_by_label("Price of one, excluding VAT").fill("120.00")
    shot(page, "client-picked-in-quick-job")
    page.get_by_role("button", name="Send the quote").click()
    page.wait_for_url("**/quick-job/quote/**")
    assert "NV ATELIER DU LIN" in page.content()
    page.get_by_role("button", name="The client agrees: issue the invoice").click()
    page.wait_for_url("**/quick-job/invoice/F*")

    page.goto("/entities/E000001/clients?q=0403170701")
    rows = page.locator("#clients tbody tr")
    assert rows.count() == 1 and "NV ATELIER DU LIN" in rows.first.inner_text()
    shot(page, "client-directory")
