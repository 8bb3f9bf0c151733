"""The entity's other acts in a real browser: a paper supplier invoice booked with its
scan from the entity page's "Do" menu, and an invoice one entity sends another, accepted
by the buyer's holder on their own page."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from partage.core.platform.db.engine import make_engine
from partage.core.spending.models import ActReceipt, InternalInvoice, Purchase
from partage.core.web.app import create_app
from partage.core.web.site import Site
from tests.engine_support import web_site
from tests.web.test_browser_flows import CHROMIUM, log_in
from tests.web.test_web_other_acts import PDF
from tests.web_support import served_over_http

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed (apt-get install chromium)"
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Site, str]]:
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('acts') / 'web.db'}")
    served = web_site(engine)
    assert isinstance(served, Site)
    with served_over_http(create_app(served)) as url:
        yield served, url
    engine.dispose()


@pytest.fixture
def browser(chromium: Any, site: tuple[Site, str]) -> Iterator[Any]:
    contexts: list[Any] = []

    def opened() -> Any:
        context = chromium.new_context(base_url=site[1], viewport={"width": 1200, "height": 900})
        contexts.append(context)
        return context.new_page()

    yield opened
    for context in contexts:
        context.close()


def available(page: Any, entity: str) -> str:
    page.goto(f"/entities/{entity}")
    return str(page.locator("#available-funds").inner_text())


def test_a_paper_purchase_with_its_scan(
    browser: Any, site: tuple[Site, str], tmp_path: Path
) -> None:
    page = browser()
    log_in(page, "ada")
    page.goto("/entities/E000001")
    page.locator(".do-menu summary").click()
    page.get_by_role("link", name="A paper supplier invoice").click()
    page.wait_for_url("**/entities/E000001/purchases/new")
    scan = tmp_path / "paper-invoice.pdf"
    scan.write_bytes(PDF)
    page.locator("select[name=supplier]").select_option("C000001")
    page.get_by_label("Supplier's invoice number").fill("PAPER-2026-7")
    page.get_by_label("Amount, excluding VAT").fill("80,00")
    page.get_by_label("The invoice (PDF or photo)").set_input_files(str(scan))
    page.get_by_role("button", name="Book the supplier invoice").click()
    page.wait_for_url("**/entities/E000001#purchases")
    row = page.locator("#purchases tr", has_text="PAPER-2026-7")
    assert "Acme" in row.inner_text()
    with page.expect_download() as got:
        row.get_by_role("link", name="the document").click()
    assert Path(got.value.path()).read_bytes() == PDF
    with site[0].sessions() as session:
        purchase = session.scalars(
            select(Purchase).where(Purchase.supplier_reference == "PAPER-2026-7")
        ).one()
        assert purchase.net == 8000
        kept = session.scalars(
            select(ActReceipt).where(
                ActReceipt.subject == "purchase", ActReceipt.subject_id == purchase.id
            )
        ).one()
        assert (kept.name, kept.media_type) == ("paper-invoice.pdf", "application/pdf")


def test_a_refused_paper_purchase_keeps_what_was_typed(
    browser: Any, site: tuple[Site, str], tmp_path: Path
) -> None:
    page = browser()
    log_in(page, "ada")
    page.goto("/entities/E000001/purchases/new")
    text = tmp_path / "notes.txt"
    text.write_bytes(b"not a scan")
    page.locator("select[name=supplier]").select_option("C000001")
    page.get_by_label("Supplier's invoice number").fill("PAPER-BAD")
    page.get_by_label("Amount, excluding VAT").fill("12.00")
    page.get_by_label("The invoice (PDF or photo)").set_input_files(str(text))
    page.get_by_role("button", name="Book the supplier invoice").click()
    alert = page.locator(".error[role=alert]")
    assert "neither a PDF nor an image" in alert.inner_text()
    assert page.get_by_label("Supplier's invoice number").input_value() == "PAPER-BAD"
    assert page.get_by_label("Amount, excluding VAT").input_value() == "12.00"


def test_an_internal_invoice_accepted_by_the_other_entitys_holder(
    browser: Any, site: tuple[Site, str]
) -> None:
    ada = browser()
    log_in(ada, "ada")
    seller_before = available(ada, "E000001")
    ada.locator(".do-menu summary").click()
    ada.get_by_role("link", name="Internal invoices").click()
    ada.get_by_role("link", name="Invoice another entity").click()
    ada.get_by_label("The other entity's code").fill("e000002")
    ada.get_by_label("Amount").fill("40.00")
    ada.get_by_label("The work invoiced").fill("Shop window lettering")
    ada.get_by_role("button", name="Send the internal invoice").click()
    ada.wait_for_url("**/entities/E000001/internal-invoices")
    sent = ada.locator("tr[data-status=pending]", has_text="Shop window lettering")
    assert "waiting for the other entity" in sent.inner_text()
    number = sent.get_attribute("data-number")

    bob = browser()
    log_in(bob, "bob")
    buyer_before = available(bob, "E000002")
    bob.goto("/entities/E000002/internal-invoices")
    row = bob.locator(f"tr[data-number='{number}']")
    assert "Design" in row.inner_text() and "Shop window lettering" in row.inner_text()
    row.get_by_role("button", name="Accept").click()
    bob.wait_for_url("**/entities/E000002/internal-invoices")
    assert bob.locator(f"tr[data-number='{number}']").get_attribute("data-status") == "accepted"
    with site[0].sessions() as session:
        decided = session.scalars(
            select(InternalInvoice).where(InternalInvoice.number == number)
        ).one()
        assert (decided.status, decided.decided_by) == ("accepted", "member:2")

    def figure(text: str) -> Decimal:
        return Decimal("".join(c for c in text if c.isdigit() or c in "-.").strip("."))

    assert figure(available(bob, "E000002")) == figure(buyer_before) - Decimal("40.00")
    assert figure(available(ada, "E000001")) == figure(seller_before) + Decimal("40.00")
