"""The files for the administration in a real browser (Chromium driven by Playwright):
the administrator opens the page from the workspace, downloads the FEC of the year with
a pipe separator, and is told, naming the country, that Testland has no customer
listing. Screenshots go to ``test-artifacts/browser/exports-*.png``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from partage.core.declarations.fec import FEC_COLUMNS, parse_fec
from partage.core.platform.db.engine import make_engine
from partage.core.web.app import create_app
from partage.core.web.site import Site
from tests.documents_support import FR_SIREN, issuer
from tests.engine_support import web_site
from tests.web import test_browser_flows as flows
from tests.web.test_browser_flows import log_in, shot
from tests.web_support import served_over_http

pytestmark = flows.pytestmark
page = flows.page


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The populated instance, given the French test issuer's facts, served by uvicorn."""
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('exports') / 'web.db'}")
    site = web_site(engine)
    assert isinstance(site, Site)
    coop = site.coop
    object.__setattr__(coop, "instance", replace(coop.instance, issuer=issuer("fr")))
    with served_over_http(create_app(site)) as url:
        yield url
    engine.dispose()


@pytest.fixture(scope="module")
def browser(chromium: Any, base_url: str) -> Any:
    return chromium


def test_the_administrator_downloads_the_fec(page: Any, tmp_path: Path) -> None:
    log_in(page, "admin")
    page.goto("/admin")
    page.locator("nav.workspace").get_by_role("link", name="Files for the administration").click()
    page.wait_for_url("**/admin/exports")
    form = page.locator("#fec")
    form.get_by_label("Fiscal year").fill("2026")
    form.get_by_label("Separator").select_option("pipe")
    shot(page, "exports-0-page")
    with page.expect_download() as waited:
        form.get_by_role("button", name="Download the file").click()
    download = waited.value
    assert download.suggested_filename == f"{FR_SIREN}FEC20261231.txt"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    content = saved.read_bytes()
    assert content.split(b"\n", 1)[0].decode() == "|".join(FEC_COLUMNS)
    assert parse_fec(content)
    page.locator("#listing").get_by_role("button", name="Download the file").click()
    page.wait_for_load_state()
    assert "has no listing" in page.get_by_role("alert").inner_text()
    shot(page, "exports-1-refused")
