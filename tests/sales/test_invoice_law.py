"""Invoices the law accepts: the supply date kept and printed when it differs from the
issue date, numbers that follow the dates within each series (one per entity when the
instance numbers so), and partial credit notes held to the invoice's VAT rates."""

from __future__ import annotations

import dataclasses
import io
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from decimal import Decimal

import pytest
from lxml import etree
from pypdf import PdfReader
from sqlalchemy import select

from partage.core.acts.cooperative import InvalidAct
from partage.core.contract.einvoice import cii, ubl
from partage.core.documents import service
from partage.core.documents.build import invoice_document
from partage.core.documents.pdf import render_pdf
from partage.core.sales import credit_notes, invoices
from partage.core.sales.invoices import LineInput
from partage.core.sales.models import Invoice
from tests.acts.test_engine import DAY, endow, issue, set_up, snapshot
from tests.documents_support import CountryWorld, fund, issuer
from tests.engine_support import World, build_world

D = Decimal
LINES = (
    LineInput("Design", "1", "100"),
    LineInput("Prints", "1", "10", rate_code="reduced", supply="goods"),
)


@pytest.fixture
def setup(engine) -> World:  # type: ignore[no-untyped-def]
    world = set_up(build_world(engine))
    endow(world)
    return world


def test_an_invoice_dated_before_the_last_of_its_series_is_refused(setup: World) -> None:
    issue(setup, "100", on=DAY)
    before = snapshot(setup)
    with pytest.raises(InvalidAct) as refused:
        issue(setup, "100", on=DAY - timedelta(days=1))
    assert refused.value.field == "on"
    assert "F2026-000002" in refused.value.rule and "F2026-000001" in refused.value.rule
    assert "2026-07-05" in refused.value.rule and "2026-07-06" in refused.value.rule
    assert snapshot(setup) == before
    # the refusal gave its number back: the next invoice takes it
    assert issue(setup, "100", on=DAY).number == "F2026-000002"


def test_concurrent_invoices_are_numbered_gaplessly_in_date_order(setup: World) -> None:
    """Writers race for numbers in one series, each dated a day later than the last it
    could follow: every number is taken once, none is skipped, and the dates never go
    back as the numbers go up (a writer that lost the race to a later date is refused
    and gives its number back)."""
    days = [DAY + timedelta(days=n % 3) for n in range(9)]

    def one(on: date) -> str | None:
        try:
            return issue(setup, "10", on=on).number
        except InvalidAct:
            return None

    with ThreadPoolExecutor(max_workers=3) as pool:
        made = [n for n in pool.map(one, days) if n is not None]
    with setup.act() as s:
        rows = s.execute(select(Invoice.sequence, Invoice.issued_on).order_by(Invoice.sequence))
        rows = rows.all()
    assert [r.sequence for r in rows] == list(range(1, len(made) + 1))
    dated = [r.issued_on for r in rows]
    assert dated == sorted(dated)


def test_each_entity_numbers_in_its_own_series(setup: World) -> None:
    """With ``numbering = "entity"`` one entity's earlier date does not meet another's
    later invoice: each series is continuous and chronological on its own."""
    instance = dataclasses.replace(setup.coop.instance, numbering="entity")
    setup.coop.instance = instance  # type: ignore[misc]
    first = issue(setup, "100", on=DAY)
    assert first.number == "E000001-F2026-000001" and first.series == "FE000001"
    with pytest.raises(InvalidAct):
        issue(setup, "100", on=DAY - timedelta(days=2))


def test_the_supply_date_is_kept_printed_and_in_the_einvoice(be: CountryWorld) -> None:
    fund(be)
    supplied = date(2026, 6, 30)
    with be.act() as s:
        invoice = invoices.issue_invoice(
            s, be.coop, entity=be.entity, client=be.client("domestic"), lines=LINES,
            on=be_day(), actor="t", supplied_on=supplied,
        )  # fmt: skip
        number = invoice.number
        assert invoice.supplied_on == supplied
        document = invoice_document(s, be.coop, invoice, issuer("be"))
        content = service.invoice_einvoice(s, be.coop, number, issuer("be"), actor="t").content
    text = " ".join(
        "".join(p.extract_text() for p in PdfReader(io.BytesIO(render_pdf(
            document, be.coop.plugins, country="be"))).pages).split()
    )  # fmt: skip
    assert "Date of supply" in text or "Date de livraison" in text
    assert document.buyer.address.street and document.buyer.address.street in text
    root = etree.fromstring(content)
    assert root.findtext("cac:Delivery/cbc:ActualDeliveryDate", namespaces=ubl.NS) == "2026-06-30"
    assert cii.NS  # the CII builder writes the same date (ActualDeliverySupplyChainEvent)


def be_day() -> date:
    from tests.documents_support import DAY as COUNTRY_DAY

    return COUNTRY_DAY


def test_a_supply_on_the_issue_date_is_not_kept_twice(be: CountryWorld) -> None:
    fund(be)
    with be.act() as s:
        invoice = invoices.issue_invoice(
            s, be.coop, entity=be.entity, client=be.client("domestic"), lines=LINES,
            on=be_day(), actor="t", supplied_on=be_day(),
        )  # fmt: skip
        assert invoice.supplied_on is None


def test_a_partial_credit_note_never_exceeds_what_is_left_at_a_rate(be: CountryWorld) -> None:
    fund(be)
    with be.act() as s:
        number = invoices.issue_invoice(
            s, be.coop, entity=be.entity, client=be.client("domestic"), lines=LINES,
            on=be_day(), actor="t",
        ).number  # fmt: skip
    prints = LineInput("Prints", "1", "6", rate_code="reduced", supply="goods")
    with be.act() as s:
        note = credit_notes.issue_credit_note(
            s, be.coop, invoice=number, on=be_day(), actor="t", reason="damaged", lines=[prints]
        )
        assert (note.net, note.vat) == (600, 36)
    # 6.00 of 10.00 at 6 % credited: 4.00 left at that rate, though 104.00 is left in all
    with be.act() as s, pytest.raises(InvalidAct) as refused:
        credit_notes.issue_credit_note(
            s, be.coop, invoice=number, on=be_day(), actor="t", reason="again", lines=[prints]
        )
    assert refused.value.field == "lines"
    assert "6 %" in refused.value.rule and "4.00" in refused.value.rule
    with be.act() as s:
        credit_notes.issue_credit_note(
            s, be.coop, invoice=number, on=be_day(), actor="t", reason="rest",
            lines=[LineInput("Prints", "1", "4", rate_code="reduced", supply="goods")],
        )  # fmt: skip


def test_a_credit_note_at_a_rate_the_invoice_never_charged_is_refused(be: CountryWorld) -> None:
    fund(be)
    with be.act() as s:
        number = invoices.issue_invoice(
            s, be.coop, entity=be.entity, client=be.client("domestic"), on=be_day(),
            actor="t", lines=[LineInput("Design", "1", "100")],
        ).number  # fmt: skip
    with be.act() as s, pytest.raises(InvalidAct) as refused:
        credit_notes.issue_credit_note(
            s, be.coop, invoice=number, on=be_day(), actor="t", reason="wrong",
            lines=[LineInput("Prints", "1", "5", rate_code="reduced", supply="goods")],
        )  # fmt: skip
    assert refused.value.field == "lines" and number in refused.value.rule
