"""The interface in a real browser: Debian's Chromium driven by Playwright, against
the application served by uvicorn on a free loopback port.

Covers the quick-job flow end to end, a login by each role and access refusals, and
saves a screenshot of each screen under ``test-artifacts/browser/`` (or
``$PARTAGE_TEST_ARTIFACTS``). Skipped, with the reason shown, where /usr/bin/chromium
is not installed (``apt-get install chromium``); no browser is ever downloaded.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from partage.core.platform.db.engine import make_engine
from partage.core.web.app import create_app
from partage.core.web.site import Site
from tests.engine_support import WEB_LOGINS, WEB_PASSWORD, web_site
from tests.web_support import served_over_http

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed (apt-get install chromium)"
)
sync_api = pytest.importorskip("playwright.sync_api")
ARTIFACTS = (
    Path(os.environ.get("PARTAGE_TEST_ARTIFACTS", Path(__file__).parents[2] / "test-artifacts"))
    / "browser"
)
HOME_TEXT = {
    "member": "Each account opens its own toolbox.",
    "adviser": "Open the view of my office",
    "office_manager": "Open the view of my office",
    "administrator": "Open the consolidated view of the instance",
    "ethics_committee": "Review the activities of the entities",
    "franchisor": "Open the network report",
}


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The populated instance served by uvicorn in a thread, stopped at the end."""
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('browser') / 'web.db'}")
    site = web_site(engine)
    assert isinstance(site, Site)
    with served_over_http(create_app(site)) as url:
        yield url
    engine.dispose()


@pytest.fixture(scope="module")
def browser(chromium: Any, base_url: str) -> Any:
    """The session's Chromium (see ``tests/web/conftest.py``); asking for the served
    instance first keeps the server up for as long as the module's pages use it."""
    return chromium


@pytest.fixture
def page(browser: Any, base_url: str) -> Iterator[Any]:
    context = browser.new_context(base_url=base_url, viewport={"width": 1200, "height": 900})
    opened = context.new_page()
    yield opened
    context.close()


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def log_in(page: Any, username: str) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(WEB_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")


@pytest.mark.parametrize("username", list(WEB_LOGINS))
def test_each_role_logs_in_and_lands_on_its_home(page: Any, username: str) -> None:
    log_in(page, username)
    role = WEB_LOGINS[username][0]
    assert HOME_TEXT[role] in page.content()
    assert page.locator("header .who").inner_text().startswith(username.title())
    shot(page, f"home-{username}")
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/login")


def test_the_quick_job_flow_end_to_end(page: Any, tmp_path: Path) -> None:
    log_in(page, "ada")
    page.get_by_role("link", name="Design").click()
    page.wait_for_url("**/entities/E000001")
    shot(page, "quick-job-0-dashboard")
    page.get_by_role("link", name="Quick job: quote, invoice, expenses, contract").click()

    page.get_by_label("Name").fill("Corner Café")
    page.get_by_label("Street and number").fill("Rue Haute 1")
    page.get_by_label("Postcode").fill("1000")
    page.get_by_label("Town").fill("Bruxelles")
    page.get_by_label("What you will do").fill("Shop window painting")
    page.get_by_label("Quantity (hours, days, pieces)").fill("2")
    page.get_by_label("Price of one, excluding VAT").fill("350.00")
    shot(page, "quick-job-1-quote")
    page.get_by_role("button", name="Send the quote").click()

    page.wait_for_url("**/quick-job/quote/**")
    assert "Corner Café" in page.content()
    shot(page, "quick-job-2-invoice")
    page.get_by_role("button", name="The client agrees: issue the invoice").click()

    page.wait_for_url("**/quick-job/invoice/**")
    receipt = tmp_path / "paint-receipt.png"
    receipt.write_bytes(b"\x89PNG receipt")
    page.get_by_label("Category").select_option("supplies")
    page.get_by_label("Amount, excluding VAT").fill("24.90")
    page.get_by_label("Receipt").set_input_files(str(receipt))
    page.get_by_role("button", name="Add the expense").click()
    page.wait_for_load_state()
    assert "paint-receipt.png" in page.content()
    shot(page, "quick-job-3-expenses")
    page.get_by_role("link", name="Next: the contract").click()

    page.wait_for_url("**/contract")
    assert page.locator(".net-pay").count() == 2
    shot(page, "quick-job-4-contract")
    page.get_by_role("button", name="Sign the employment contract").click()

    page.wait_for_url("**/quick-job/done/**")
    net = page.locator("#net-pay").inner_text()
    assert "€" in net and any(ch.isdigit() for ch in net)
    shot(page, "quick-job-5-net-pay")


def test_the_simulation_updates_in_place(page: Any) -> None:
    log_in(page, "bob")
    page.goto("/entities/E000002")
    page.get_by_label("Amount to invoice, excluding VAT").fill("1500")
    page.get_by_role("button", name="Simulate").click()
    page.locator("#simulation .net-pay").wait_for()
    assert page.url.endswith("/entities/E000002")  # no page change: script did the post
    shot(page, "simulation-in-place")


def test_access_is_refused_where_the_role_does_not_reach(page: Any) -> None:
    log_in(page, "ada")
    answer = page.goto("/entities/E000002")
    assert answer is not None and answer.status == 404
    assert "no such entity" in page.content()
    shot(page, "refused-other-members-entity")
    page.get_by_role("button", name="Log out").click()
    log_in(page, "franchisor")
    answer = page.goto("/instance")
    assert answer is not None and answer.status == 403
    shot(page, "refused-franchisor-instance")


def test_the_interface_speaks_french(page: Any) -> None:
    log_in(page, "adviser")
    page.goto("/language/fr?next=/offices/cap")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert "Fonds disponibles" in page.content()
    shot(page, "office-cap-fr")
