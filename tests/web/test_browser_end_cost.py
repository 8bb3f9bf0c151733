"""In a real browser, on the Belgian demo instance: the budget simulator shows what the
end of a white-collar contract will cost (the exit holiday pay) beside the employer's
contributions."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from partage.core.cli.main import main
from partage.core.platform.db.engine import transaction
from partage.core.platform.runtime import build_runtime
from partage.core.web.accounts.demo_logins import DEMO_PASSWORD, ensure_demo_logins
from partage.core.web.app import create_app
from partage.core.web.site import Site
from tests.web_support import served_over_http

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed")
sync_api = pytest.importorskip("playwright.sync_api")
ARTIFACTS = (
    Path(os.environ.get("PARTAGE_TEST_ARTIFACTS", Path(__file__).parents[2] / "test-artifacts"))
    / "browser"
)


@pytest.fixture(scope="module")
def belgian(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The Belgian demo served over HTTP, with a member's username."""
    url = f"sqlite:///{tmp_path_factory.mktemp('be-demo') / 'demo.db'}"
    with pytest.raises(SystemExit):
        main(["--database-url", url, "demo", "--members", "4", "--no-serve"])
    runtime = build_runtime("be", None, url)
    try:
        site = Site.from_runtime(runtime)
        with transaction(runtime.sessions) as session:
            member = next(x for x in ensure_demo_logins(session, site) if x.role == "member")
        with served_over_http(create_app(site)) as served:
            yield served, member.username
    finally:
        runtime.close()


def test_the_simulation_shows_the_exit_holiday_pay(chromium: Any, belgian: tuple[str, str]) -> None:
    base_url, username = belgian
    context = chromium.new_context(base_url=base_url, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    try:
        page.goto("/login")  # the Belgian instance speaks French by default
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.press("input[name=password]", "Enter")
        page.wait_for_url(f"{base_url}/")
        page.goto("/entities")
        page.locator("a[href^='/entities/E']").first.click()
        page.fill("input[name=invoiced]", "3000")
        page.locator("form[action$='/simulate'] button").first.click()
        row = page.locator("#simulation").get_by_text("Dû à la fin du contrat")
        row.wait_for()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "simulation-exit-holiday-pay.png"), full_page=True)
    finally:
        context.close()
