"""A quote as a member makes it, in a real browser (Debian's Chromium driven by
Playwright): three lines at two VAT rates to a business client, accepted, a deposit
invoice, then the balance invoice that deducts it; a credit note on part of an invoice
and a cheque declared on it. Skipped, with the reason, where /usr/bin/chromium is not
installed."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from partage.core.platform.db.engine import make_engine
from partage.core.sales import drafts, invoices
from partage.core.sales.models import Quote
from partage.core.web.app import create_app
from partage.core.web.site import Site
from tests.engine_support import WEB_PASSWORD
from tests.web.test_browser_flows import shot
from tests.web_support import belgian_site, served_over_http


@pytest.fixture
def served(tmp_path: Any) -> Iterator[tuple[str, Site]]:
    engine = make_engine(f"sqlite:///{tmp_path / 'web.db'}")
    site, _, _ = belgian_site(engine)
    with served_over_http(create_app(site)) as url:
        yield url, site
    engine.dispose()


def log_in(page: Any, username: str) -> None:
    page.goto("/login")
    page.fill('input[name="username"]', username)
    page.fill('input[name="password"]', WEB_PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url("**/")


def fill_line(page: Any, row: int, *values: str, rate: str = "standard") -> None:
    description, quantity, unit, price, discount = values
    page.fill(f'input[name="description_{row}"]', description)
    page.fill(f'input[name="quantity_{row}"]', quantity)
    page.select_option(f'select[name="unit_{row}"]', unit)
    page.fill(f'input[name="unit_price_{row}"]', price)
    page.select_option(f'select[name="rate_{row}"]', rate)
    page.fill(f'input[name="discount_{row}"]', discount)


def test_a_three_line_quote_is_accepted_then_invoiced_by_deposit_and_balance(
    served: tuple[str, Site], chromium: Any
) -> None:
    url, site = served
    context = chromium.new_context(base_url=url, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        log_in(page, "ada")  # a Belgian member: the pages speak French
        page.goto("/entities/E000001")
        page.click('a[href$="/quotes/new"]')
        page.select_option("#client", "C000001")  # Client SA, a Belgian business
        fill_line(page, 0, "Design", "10", "hour", "65", "10 %")
        fill_line(page, 1, "Prints", "100", "piece", "1.99", "")
        page.select_option('select[name="supply_1"]', "goods")
        page.select_option('select[name="rate_1"]', "reduced")
        fill_line(page, 2, "Delivery", "1", "flat", "45", "")
        page.fill('input[name="discount"]', "20")
        page.fill('textarea[name="notes"]', "Delivered within three weeks.")
        shot(page, "quote-editor")
        page.click("#document-editor button[value=issue]")
        page.wait_for_url("**/quotes/Q2026-*")
        assert "809" in page.locator("#quote-net").inner_text()
        with page.expect_download() as got:
            page.click("#quote-pdf")  # the PDF the member sends to the client
        assert got.value.suggested_filename.startswith("Q2026-")
        assert Path(got.value.path()).read_bytes().startswith(b"%PDF-")
        page.click('button[value="accept"]')
        page.fill('input[name="deposit"]', "30 %")
        page.click('form[action$="/deposit"] button')
        page.wait_for_url("**/invoices/F2026-*")
        deposit = page.locator("#document-number").inner_text()
        assert "242" in page.locator("#invoice-net").inner_text()
        page.go_back()
        page.reload()
        assert "242" in page.locator("#deposits").inner_text()
        page.click('form[action$="/balance"] button')
        page.wait_for_url("**/invoices/F2026-*")
        shot(page, "balance-invoice")
        balance = page.locator("#document-number").inner_text()
        assert balance != deposit
        assert "566" in page.locator("#invoice-net").inner_text()  # 809.00 - 242.70
        assert "Delivered within three weeks." in page.content()
        assert f"Acompte facturé sur {deposit}" in page.content()  # in the member's language
        # a cheque declared on the balance waits for the office
        page.select_option('select[name="method"]', "cheque")
        page.click("#payment button")
        page.wait_for_url("**/entities/E000001#pending-acts")
        waiting = page.locator("#pending-acts").inner_text()
        assert "Client SA" in waiting and "déclaré, non vu par une banque" in waiting
        # a credit note on part of the deposit
        page.goto(f"/entities/E000001/invoices/{deposit}")
        page.fill('input[name="reason"]', "Rebate agreed")
        page.check('input[value="part"]')
        page.fill('#credit input[name="amount"]', "10")
        page.click("#credit button")
        page.wait_for_url("**/invoices/C2026-*")
        assert "10" in page.locator("#invoice-net").inner_text()
    finally:
        context.close()
    with site.sessions() as session:
        progress = invoices.quote_progress(session, site.coop, "Q2026-000001")
    assert progress.balanced and progress.left == Decimal("10.00")


def test_the_office_validates_a_quote_before_it_goes_out(tmp_path: Any, chromium: Any) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'web.db'}")
    site, world, _ = belgian_site(engine)
    with world.act() as s:
        drafts.set_validation(s, world.coop.instance.offices[0].code, True, actor="t")
    with served_over_http(create_app(site)) as url:
        member = chromium.new_context(base_url=url, viewport={"width": 1280, "height": 900})
        adviser = chromium.new_context(base_url=url, viewport={"width": 1280, "height": 900})
        try:
            page = member.new_page()
            log_in(page, "ada")
            page.goto("/entities/E000001/quotes/new")
            page.select_option("#client", "C000001")
            fill_line(page, 0, "Design", "3", "day", "480", "")
            page.click('button[value="issue"]')
            page.wait_for_url("**/drafts/*")
            draft_url = page.url
            assert page.locator("#draft-status").count() == 1
            staff = adviser.new_page()
            log_in(staff, "adviser")
            staff.goto("/drafts")
            staff.click('section[data-draft] form[action$="/validate"] button')
            staff.wait_for_url("**/drafts")
            assert staff.locator("#no-drafts").count() == 1
            page.goto(draft_url)
            page.wait_for_url("**/quotes/Q2026-*")
            shot(page, "validated-quote")
            assert "440,00" in page.locator("#quote-net").inner_text()
        finally:
            member.close()
            adviser.close()
    engine.dispose()
    with site.sessions() as session:
        quote = session.scalars(select(Quote)).one()
        assert (quote.net, quote.status) == (144000, "sent")
