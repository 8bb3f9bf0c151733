"""Lines as people price them: units, a discount per line and per document, rounded
explicitly (EN 16931: a line's net is quantity × price rounded, less its allowance; a
document discount is an allowance per VAT category); deposits and the balance of an
accepted quote; a partial credit note; cheques declared like cash."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from partage.core.acts import pending
from partage.core.acts.cooperative import ClosedRecord, InvalidAct
from partage.core.acts.models import PendingKind
from partage.core.sales import credit_notes, invoices, payments
from partage.core.sales.invoices import Discount, LineInput, split_pro_rata
from partage.core.sales.models import InvoiceLine
from tests.documents_support import DAY, CountryWorld, fund, validate_pending

D = Decimal


def priced(world: CountryWorld, *lines: LineInput, client: str = "domestic") -> list:  # type: ignore[type-arg]
    with world.act() as s:
        party = invoices.party_by_code(s, world.client(client))
        return invoices.price_lines(world.coop, lines, party, DAY)


def test_a_line_net_is_rounded_then_its_discount_taken_off(be: CountryWorld) -> None:
    lines = priced(
        be,
        LineInput("a", "3.333", "10.01", discount_percent="7.5"),  # 33.363 -> 33.36; 2.502 -> 2.50
        LineInput("b", "2.5", "0.13", discount_amount="0.05", unit="hour"),  # 0.325 -> 0.33
    )
    assert [(p.net, p.allowance, p.percent) for p in lines] == [
        (D("30.86"), D("2.50"), D("7.5")),
        (D("0.28"), D("0.05"), None),
    ]


@pytest.mark.parametrize(
    ("line", "field"),
    [
        (LineInput("a", "1", "10", discount_percent="5", discount_amount="1"), "lines[1].discount"),
        (LineInput("a", "1", "10", discount_percent="101"), "lines[1].discount.percent"),
        (LineInput("a", "1", "10", discount_amount="10.01"), "lines[1].discount.amount"),
        (LineInput("a", "1", "10", discount_amount="0.001"), "lines[1].discount.amount"),
        (LineInput("a", "1", "10", unit="furlong"), "lines[1].unit"),
    ],
)
def test_a_bad_discount_or_unit_is_refused_naming_the_field(
    be: CountryWorld, line: LineInput, field: str
) -> None:
    with pytest.raises(InvalidAct) as refused:
        priced(be, line)
    assert refused.value.field == field


def test_a_document_discount_is_an_allowance_per_rate(be: CountryWorld) -> None:
    lines = priced(
        be,
        LineInput("a", "1", "100.05"),
        LineInput("b", "1", "33.33", rate_code="reduced", supply="goods"),
    )
    bases = invoices.line_bases(lines)
    by_percent = invoices.document_allowances(bases, Discount(percent="10"), "EUR")
    assert sorted(by_percent.values()) == [D("3.33"), D("10.01")]  # 10.005 -> 10.01
    by_amount = invoices.document_allowances(bases, Discount(amount="10"), "EUR")
    assert sum(by_amount.values()) == D("10")
    by_code = invoices.vat_by_code(lines, "EUR", by_percent)
    assert sorted(by_code.values()) == [(D("30.00"), D("1.80")), (D("90.04"), D("18.91"))]


def test_shares_sum_to_the_total_whatever_the_rounding() -> None:
    shares = split_pro_rata(D("100"), {"a": D("1"), "b": D("1"), "c": D("1")}, "EUR")
    assert sum(shares.values()) == D("100") and sorted(shares.values())[0] == D("33.33")


def test_deposits_then_the_balance_invoice_the_quote_exactly(be: CountryWorld) -> None:
    fund(be)
    with be.act() as s:
        quote = invoices.send_quote(
            s, be.coop, entity=be.entity, client=be.client("domestic"), on=DAY, actor="t",
            lines=[
                LineInput("Design", "10", "65", unit="hour", discount_percent="10"),
                LineInput("Prints", "100", "1.99", rate_code="reduced", supply="goods"),
                LineInput("Delivery", "1", "45", unit="flat"),
            ],
            discount=Discount(amount="20"), notes="Delivered within 3 weeks.",
        )  # fmt: skip
        invoices.decide_quote(s, be.coop, quote.reference, accept=True, on=DAY, actor="t")
        reference = quote.reference
        assert quote.net == 80900  # 650 - 10 % + 199 + 45 - 20
    with be.act() as s:
        first = invoices.issue_deposit(s, be.coop, quote=reference, percent="30", on=DAY, actor="t")
        assert first.net == 24270  # 30 % of 809.00
    with be.act() as s:
        second = invoices.issue_deposit(
            s, be.coop, quote=reference, amount="100", on=DAY, actor="t"
        )
        assert second.net == 10000
    with be.act() as s:
        progress = invoices.quote_progress(s, be.coop, reference)
        assert (progress.deposits, progress.left) == (D("342.70"), D("466.30"))
    with be.act() as s:
        balance = invoices.issue_balance(s, be.coop, quote=reference, on=DAY, actor="t")
        assert balance.net == 46630 and balance.notes == "Delivered within 3 weeks."
        rows = s.scalars(select(InvoiceLine).where(InvoiceLine.invoice_id == balance.id)).all()
        assert [r.unit for r in rows[:3]] == ["hour", "unit", "flat"]
        assert sum(r.net for r in rows[3:]) == -34270  # the deposits, deducted
    with be.act() as s:
        progress = invoices.quote_progress(s, be.coop, reference)
        assert progress.left == 0 and progress.balanced and len(progress.numbers) == 3
        with pytest.raises(ClosedRecord):
            invoices.issue_deposit(s, be.coop, quote=reference, percent="1", on=DAY, actor="t")


def test_a_deposit_beyond_the_quote_is_refused(be: CountryWorld) -> None:
    with be.act() as s:
        quote = invoices.send_quote(
            s, be.coop, entity=be.entity, client=be.client("domestic"), on=DAY, actor="t",
            lines=[LineInput("Design", "1", "100")],
        )  # fmt: skip
        invoices.decide_quote(s, be.coop, quote.reference, accept=True, on=DAY, actor="t")
        reference = quote.reference
    with be.act() as s, pytest.raises(InvalidAct) as refused:
        invoices.issue_deposit(s, be.coop, quote=reference, amount="100.01", on=DAY, actor="t")
    assert refused.value.field == "deposit.amount"


def test_a_credit_note_in_full_gives_back_the_discounted_invoice(be: CountryWorld) -> None:
    fund(be)
    with be.act() as s:
        invoice = invoices.issue_invoice(
            s, be.coop, entity=be.entity, client=be.client("domestic"), on=DAY, actor="t",
            lines=[LineInput("Design", "4", "80", discount_percent="5"),
                   LineInput("Prints", "3", "9.99", rate_code="reduced", supply="goods")],
            discount=Discount(percent="3"),
        )  # fmt: skip
        number, net, vat = invoice.number, invoice.net, invoice.vat
    with be.act() as s:
        partial = credit_notes.issue_credit_note(
            s, be.coop, invoice=number, on=DAY, actor="t", reason="one print damaged",
            lines=[LineInput("Prints", "1", "9.99", rate_code="reduced", supply="goods")],
        )  # fmt: skip
        assert (partial.net, partial.vat) == (999, 60)
    with be.act() as s, pytest.raises(InvalidAct):
        credit_notes.issue_credit_note(s, be.coop, invoice=number, on=DAY, actor="t", reason="all")
    # 304 - 9.12 at 21 % and 29.97 - 0.90 at 6 %: 61.92 and 1.74 of VAT
    assert (net, vat) == (32395, 6366)


def test_a_cheque_is_declared_and_counts_once_staff_validate_it(be: CountryWorld) -> None:
    fund(be)
    with be.act() as s:
        invoice = invoices.issue_invoice(
            s, be.coop, entity=be.entity, client=be.client("domestic"), on=DAY, actor="t",
            lines=[LineInput("Design", "1", "100")],
        )  # fmt: skip
        number = invoice.number
    with be.act() as s:
        received = payments.receive_payment(
            s, be.coop, key="chq-1", entity=be.entity, client=be.client("domestic"),
            amount="121", on=DAY, actor="member", method="cheque",
        )  # fmt: skip
        assert received.status == "pending" and received.settled == ()
        assert received.pending is not None and received.pending.kind == PendingKind.CASH_RECEIPT
        owed = payments.outstanding(s, invoices.invoice_by_number(s, number), "EUR")
        assert owed == D("121.00")
    validate_pending(be)
    with be.act() as s:
        assert payments.outstanding(s, invoices.invoice_by_number(s, number), "EUR") == 0
    assert pending  # the module that holds it
