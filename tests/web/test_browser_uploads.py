"""An upload over its limit, in a real browser: the entity page's supplier e-invoice
form shows the page again saying the file's size, the limit and its setting, and
nothing is booked."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from partage.core.platform.db.engine import make_engine
from partage.core.platform.limits import Limits
from partage.core.spending.models import Purchase
from partage.core.web.app import create_app
from partage.core.web.site import Site
from tests.engine_support import web_site
from tests.web.test_browser_flows import CHROMIUM, log_in
from tests.web_support import served_over_http

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed (apt-get install chromium)"
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Site, str]]:
    """The populated instance, its e-invoices limited to 2,000 bytes, served by uvicorn."""
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('uploads') / 'web.db'}")
    served = web_site(engine)
    assert isinstance(served, Site)
    served.coop.limits = Limits(einvoice_bytes=2_000)
    with served_over_http(create_app(served)) as url:
        yield served, url
    engine.dispose()


@pytest.fixture
def page(chromium: Any, site: tuple[Site, str]) -> Iterator[Any]:
    context = chromium.new_context(base_url=site[1], viewport={"width": 1200, "height": 900})
    opened = context.new_page()
    yield opened
    context.close()


def test_an_einvoice_over_its_limit_is_refused_on_the_entity_page(
    page: Any, site: tuple[Site, str], tmp_path: Path
) -> None:
    with site[0].sessions() as session:
        before = session.scalar(select(func.count()).select_from(Purchase))
    log_in(page, "ada")
    page.goto("/entities/E000001")
    big = tmp_path / "big-invoice.xml"
    big.write_bytes(b"<Invoice>" + b" " * 2_500 + b"</Invoice>")
    page.get_by_label("Supplier e-invoice or credit note").set_input_files(str(big))
    page.get_by_role("button", name="Book the supplier invoice").click()
    page.wait_for_load_state()
    alert = page.locator("#purchases .error[role=alert]")
    assert alert.inner_text() == (
        "file: 2,519 bytes, more than the 2,000 accepted ([limits] einvoice_bytes)"
    )
    with site[0].sessions() as session:
        assert session.scalar(select(func.count()).select_from(Purchase)) == before
