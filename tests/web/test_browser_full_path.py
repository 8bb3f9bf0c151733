"""The whole path of a sale in a real browser (Debian's Chromium driven by Playwright),
as a member and the office's adviser walk it, where the office validates documents:
a new business client created from the quote editor through the clients directory
(its details looked up in the Belgian enterprise register, a local stand-in on the
loopback); a three-line quote at two VAT rates, submitted, validated by the adviser,
accepted; a deposit invoice; weeks later, the friendly reminder; cash declared for the
deposit, which the adviser validates; the balance invoice that deducts the deposit.

The credit note, the paper purchase and the internal invoice have their own files
(``test_browser_quotes.py``, ``test_browser_other_acts.py``). Screenshots go to
``test-artifacts/browser/``; skipped, with the reason, where /usr/bin/chromium is not
installed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from partage.core.documents.models import Reminder
from partage.core.platform.clock import SimulatedClock
from partage.core.platform.db.engine import make_engine
from partage.core.sales import drafts, invoices, payments
from partage.core.web.app import create_app
from partage.core.web.site import Site
from tests.documents_support import DAY
from tests.registry_standin import Standin, registries_for, registry_standin
from tests.web.test_browser_flows import shot
from tests.web.test_browser_quotes import fill_line, log_in
from tests.web_support import belgian_site, served_over_http


@pytest.fixture
def served(tmp_path: Any) -> Iterator[tuple[str, Site, SimulatedClock, Standin]]:
    engine = make_engine(f"sqlite:///{tmp_path / 'web.db'}")
    site, world, _ = belgian_site(engine)
    with world.act() as s:
        drafts.set_validation(s, world.coop.instance.offices[0].code, True, actor="t")
    clock = SimulatedClock(DAY)
    site.coop.clock = clock
    with registry_standin() as standin:
        site.registries = registries_for(standin, "kbo")
        with served_over_http(create_app(site)) as url:
            yield url, site, clock, standin
    engine.dispose()


def test_a_quote_to_a_new_client_goes_all_the_way_to_the_balance_invoice(
    served: tuple[str, Site, SimulatedClock, Standin], chromium: Any
) -> None:
    url, site, clock, standin = served
    member = chromium.new_context(base_url=url, viewport={"width": 1280, "height": 900})
    office = chromium.new_context(base_url=url, viewport={"width": 1280, "height": 900})
    try:
        page = member.new_page()
        log_in(page, "ada")  # a Belgian member: the pages speak French
        page.goto("/entities/E000001")
        page.click('a[href$="/quotes/new"]')
        page.wait_for_url("**/quotes/new")
        # a new business client, from the editor, through the clients directory
        page.click('a[href*="/clients/new?next="]')
        page.wait_for_url("**/clients/new**")
        page.select_option('#lookup select[name="country"]', "BE")
        page.fill('#lookup input[name="number"]', "0403.170.701")
        page.click("#lookup button")
        page.wait_for_selector("#client-form")
        assert page.input_value('#client-form input[name="postcode"]') == "1000"
        assert any("/kbo" in path for _, path, _ in standin.asked)
        page.fill('#client-form input[name="email"]', "factures@atelier.example")
        page.click("#client-form button.primary")
        page.wait_for_url("**/quotes/new?client=C*")
        client = page.input_value("#client")
        assert "Atelier du Lin" in page.locator("#client option:checked").inner_text()
        # three lines at two VAT rates, submitted to the office
        fill_line(page, 0, "Curtains", "4", "piece", "150", "")
        page.select_option('select[name="supply_0"]', "goods")
        fill_line(page, 1, "Fitting", "6", "hour", "50", "")
        fill_line(page, 2, "Renovation work", "1", "flat", "400", "", rate="reduced")
        page.click("#document-editor button[value=issue]")
        page.wait_for_url("**/drafts/*")
        draft_url = page.url
        adviser = office.new_page()
        log_in(adviser, "adviser")
        adviser.goto("/drafts")
        adviser.click('section[data-draft] form[action$="/validate"] button')
        adviser.wait_for_url("**/drafts")
        # validated: the member finds the numbered quote and records the client's yes
        page.goto(draft_url)
        page.wait_for_url("**/quotes/Q2026-*")
        reference = page.url.rsplit("/", 1)[-1]
        assert "300,00" in page.locator("#quote-net").inner_text()  # 1 300,00
        page.click('button[value="accept"]')
        page.fill('input[name="deposit"]', "30 %")
        page.click('form[action$="/deposit"] button')
        page.wait_for_url("**/invoices/F2026-*")
        deposit = page.locator("#document-number").inner_text()
        assert "390,00" in page.locator("#invoice-net").inner_text()
        shot(page, "full-path-1-deposit")
        # weeks later, unpaid: the friendly reminder
        clock.move_to(DAY + timedelta(days=60))
        page.goto("/entities/E000001/overdue")
        page.click(f'tr[data-invoice="{deposit}"] button.primary')
        page.wait_for_url(f"**/overdue?sent={deposit}")
        shot(page, "full-path-2-reminder")
        # the client pays cash: declared by the member, validated by the adviser
        with site.sessions() as session:
            owed = payments.outstanding(
                session, invoices.invoice_by_number(session, deposit), "EUR"
            )
        page.goto(f"/entities/E000001/invoices/{deposit}")
        page.select_option('#payment select[name="method"]', "cash")
        page.fill('#payment input[name="amount"]', str(owed))
        page.click("#payment button")
        page.wait_for_url("**/entities/E000001#pending-acts")
        adviser.goto("/pending")
        adviser.click('#waiting tr[data-kind="cash_receipt"] button.primary')
        adviser.wait_for_url("**/pending?validated=*")
        # the balance invoice deducts the deposit
        page.goto(f"/entities/E000001/quotes/{reference}")
        page.click('form[action$="/balance"] button')
        page.wait_for_url("**/invoices/F2026-*")
        shot(page, "full-path-3-balance")
        assert page.locator("#document-number").inner_text() != deposit
        assert "910,00" in page.locator("#invoice-net").inner_text()  # 1300 - 390
        assert f"Acompte facturé sur {deposit}" in page.content()
    finally:
        member.close()
        office.close()
    with site.sessions() as session:
        progress = invoices.quote_progress(session, site.coop, reference)
        paid = payments.outstanding(session, invoices.invoice_by_number(session, deposit), "EUR")
        reminder = session.scalars(select(Reminder)).one()
    assert progress.balanced and client.startswith("C")
    assert paid == Decimal("0.00") and owed > 0
    assert reminder.step == "friendly"
