"""Supplier documents from abroad, in a real browser: Ada uploads a German supplier's
invoice charging German VAT and an American one in dollars on her entity's page; the
page says the VAT is a cost, and the amount and ECB rate the dollars were converted
at, and the list marks both."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from partage.core.ledger import rates
from partage.core.platform.db.engine import make_engine, transaction
from partage.core.web.app import create_app
from tests.documents_support import fund
from tests.supplier_documents import D, Doc, Line, cii, ubl
from tests.web.test_browser_flows import CHROMIUM, log_in
from tests.web_support import belgian_site, served_over_http

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed (apt-get install chromium)"
)
ECB_FILE = Path(__file__).resolve().parents[1] / "data" / "ecb" / "eurofxref-hist.csv"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The Belgian site with Ada's entity funded and the ECB's rates loaded, over HTTP."""
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('abroad') / 'web.db'}")
    site, world, _numbers = belgian_site(engine)
    fund(world, "9000")
    with transaction(site.sessions) as session:
        rates.load(session, ECB_FILE.read_bytes(), actor="t")
    with served_over_http(create_app(site)) as url:
        yield url, world.entity
    engine.dispose()


@pytest.fixture
def page(chromium: Any, served: tuple[str, str]) -> Iterator[Any]:
    context = chromium.new_context(base_url=served[0], viewport={"width": 1200, "height": 900})
    opened = context.new_page()
    yield opened
    context.close()


def book(page: Any, path: Path) -> str:
    page.get_by_label("Supplier e-invoice or credit note").set_input_files(str(path))
    page.get_by_role("button", name="Book the supplier invoice").click()
    page.wait_for_load_state()
    return str(page.locator("#purchases .notice").inner_text())


def test_german_vat_and_dollars_are_said_on_the_entity_page(
    page: Any, served: tuple[str, str], tmp_path: Path
) -> None:
    page.goto("/language/en")  # the Belgian site speaks French first
    log_in(page, "ada")
    page.goto("/language/en")
    page.goto(f"/entities/{served[1]}")
    german = tmp_path / "DE-9.xml"
    german.write_bytes(cii(Doc("DE-9", (Line(D(2), D(150), "S", D("0.19")),), seller="de")))
    said = book(page, german)
    assert said.startswith("Invoice DE-9 of Druckerei Schmidt GmbH booked: €357.00")
    assert "DE VAT of €57.00: it is not deductible here, so it is booked as a cost" in said
    assert page.locator('[data-foreign-vat="DE"]').inner_text() == "DE VAT as a cost"

    dollars = tmp_path / "US-9.xml"
    dollars.write_bytes(ubl(Doc("US-9", (Line(D(2), D(500)),), currency="USD")))
    said = book(page, dollars)
    # 1,000.00 USD at 1.1720 (2026-07-06) → 853.24 EUR; 210.00 USD of VAT → 179.18 EUR
    assert said.startswith("Invoice US-9 of Imprimerie Dupont SRL booked: €1,032.42")
    assert "Converted from 1,210.00\u00a0USD at the ECB reference rate of" in said
    assert "1.1720 USD for one EUR" in said
    assert page.locator('[data-currency="USD"]').inner_text() == "1210.00 USD"
