"""Bulk and late acts on Testland: a payroll run (one transaction, one batch of entries,
per-payslip refusals), bulk solvency figures equal the one-entity ones and every reader
of available funds agrees, paying what an entity owes from its bank, and a quote
answered after it lapsed."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import Engine, select, text, true

from partage.core.access.models import Role
from partage.core.access.roles import Principal
from partage.core.acts.cooperative import ClosedRecord, InvalidAct, NotFound
from partage.core.ledger.reports import available_funds, funds_by_book
from partage.core.members import membership
from partage.core.members.models import Entity, Office
from partage.core.payroll import service as payroll
from partage.core.payroll.runs import PayrollItem
from partage.core.risk.solvency import END_OF_TIME, coverage, funds_by_entity, headrooms
from partage.core.sales import invoices, payments
from partage.core.sales.fund_cover import advances_owed
from partage.core.sales.invoices import LineInput
from partage.core.sales.models import QuoteStatus
from partage.core.spending import purchases, settlement
from partage.core.web.entities import listing, views
from partage.core.web.reports.views import office_view
from tests.acts.test_engine import (
    DAY,
    endow,
    funds,
    issue,
    person,
    rows,
    second_entity,
    set_up,
    snapshot,
)
from tests.engine_support import World, build_world

D = Decimal


@pytest.fixture
def setup(engine: Engine) -> World:
    """Testland with member 1 holding E000001 and clients C000001 and C000002."""
    return set_up(build_world(engine))


def hire(world: World, entity: str, member: int, **terms: object) -> str:
    with world.act() as s:
        return payroll.hire(
            s,
            world.coop,
            entity=entity,
            member=member,
            worker_category="employee",
            start=DAY,
            actor="t",
            **terms,  # type: ignore[arg-type]
        ).code


def entries_of(world: World, act_type: str) -> int:
    with world.engine.connect() as c:
        return c.execute(
            text("SELECT count(*) FROM journal_entry WHERE act_type = :a"), {"a": act_type}
        ).scalar_one()


# --- payroll runs -------------------------------------------------------------------------
def test_a_payroll_run_pays_work_done_and_the_fund_advances_what_it_leaves_short(
    setup: World,
) -> None:
    """E000001 has 1000.00 in the bank; E000002 100.00. Testland's hour at 10.00 costs
    12.50 + 0.10 premium = 12.60: 40 hours (504.00) fit E000001, a second contract of
    40 hours on E000001 leaves it 8.00 short, and 10 hours (126.00) leave E000002 26.00
    short. Wages for work done are owed: all three are paid, and the fund advances what
    each entity lacks (it is then blocked until repaid)."""
    with setup.act() as s:
        payments.receive_payment(
            s, setup.coop, key="p", entity="E000001", client="C000001", amount="1000",
            on=DAY, actor="t",
        )  # fmt: skip
    second_entity(setup, "100")
    first = hire(setup, "E000001", 1, hourly_rate="10")
    again = hire(setup, "E000001", 2, hourly_rate="10")
    other = hire(setup, "E000002", 2, hourly_rate="10")
    with setup.act() as s:
        run = payroll.run_payroll(
            s,
            setup.coop,
            [PayrollItem(first, "40"), PayrollItem(again, "40"), PayrollItem(other, "10")],
            month=DAY,
            paid_on=DAY,
            actor="t",
        )
    assert [(p.contract, p.payslip.gross, p.cost) for p in run.paid] == [
        (first, D("400.00"), D("504.00")),
        (again, D("400.00"), D("504.00")),
        (other, D("100.00"), D("126.00")),
    ]
    assert not run.refused
    assert run.total("gross") == D("900.00")
    assert (rows(setup, "payslip"), entries_of(setup, "payslip")) == (3, 3)
    assert entries_of(setup, "fund_advance") == 4  # each advance in two books
    assert funds(setup) == funds(setup, "E000002") == 0
    with setup.act() as s:
        owed = advances_owed(s, setup.coop, [1, 2])
    assert owed == {1: D("8.00"), 2: D("26.00")}


def test_december_wages_paid_in_january_are_the_closing_years_charges(setup: World) -> None:
    """Cut-off: the payslip's charges and liabilities are posted in the month worked
    (its last day), the payment settles them later; a job paid before the month ends
    is posted on the day paid."""
    with setup.act() as s:
        payments.receive_payment(
            s, setup.coop, key="p", entity="E000001", client="C000001", amount="5000",
            on=DAY, actor="t",
        )  # fmt: skip
    code = hire(setup, "E000001", 1, hourly_rate="10")
    with setup.act() as s:
        payroll.pay(
            s, setup.coop, code, month=date(2026, 11, 1), paid_on=date(2026, 11, 20),
            hours="10", actor="t",
        )  # fmt: skip
        payroll.pay(
            s, setup.coop, code, month=date(2026, 12, 1), paid_on=date(2027, 1, 5),
            hours="10", actor="t",
        )  # fmt: skip
    with setup.engine.connect() as c:
        posted = c.execute(
            text(
                "SELECT date, fiscal_year FROM journal_entry WHERE act_type = 'payslip' "
                "ORDER BY date"
            )
        ).all()
    assert [(str(d), y) for d, y in posted] == [("2026-11-20", 2026), ("2026-12-31", 2026)]


def test_a_run_posts_every_payslip_in_one_batch_with_its_audit_record(setup: World) -> None:
    with setup.act() as s:
        payments.receive_payment(
            s, setup.coop, key="p", entity="E000001", client="C000001", amount="5000",
            on=DAY, actor="t",
        )  # fmt: skip
        membership.admit_member(
            s, setup.coop, person(2), share_class="A", shares=1, on=DAY, actor="t"
        )
    codes = [
        hire(setup, "E000001", 1, hourly_rate="10"),
        hire(setup, "E000001", 2, hourly_rate="12"),
    ]
    audits = rows(setup, "audit_log")
    with setup.act() as s:
        run = payroll.run_payroll(
            s, setup.coop, [PayrollItem(c, "20") for c in codes], month=DAY, paid_on=DAY, actor="t"
        )
    assert [p.contract for p in run.paid] == codes and not run.refused
    assert entries_of(setup, "payslip") == 2
    assert rows(setup, "audit_log") == audits + 2
    with setup.engine.connect() as c:
        numbers = (
            c.execute(
                text("SELECT number FROM journal_entry WHERE act_type = 'payslip' ORDER BY number")
            )
            .scalars()
            .all()
        )
        lines = c.execute(text("SELECT lines FROM payslip ORDER BY id")).scalars().all()
    assert numbers == [numbers[0], numbers[0] + 1]  # gapless in the payroll journal
    assert all("ss_employee" in str(x) for x in lines)
    # Paying the same month again refuses each payslip alone, writing nothing.
    before = snapshot(setup)
    with setup.act() as s:
        again = payroll.run_payroll(
            s, setup.coop, [PayrollItem(c, "20") for c in codes], month=DAY, paid_on=DAY, actor="t"
        )
    assert not again.paid
    assert [type(r.error) for r in again.refused] == [ClosedRecord, ClosedRecord]
    assert "2026-07 is already paid" in again.refused[0].reason
    assert snapshot(setup) == before


@pytest.mark.parametrize(
    ("items", "error", "message"),
    [
        (lambda k: [PayrollItem("K999999", "1")], NotFound, "contract 'K999999': no such"),
        (lambda k: [PayrollItem(k, "1"), PayrollItem(k, "2")], InvalidAct, "appears twice"),
        (lambda k: [PayrollItem(k)], InvalidAct, "is hourly; it is paid for the hours worked"),
        (
            lambda k: [PayrollItem(k, "-3")],
            InvalidAct,
            "hours: -3 of contract K000001 must be more than zero",
        ),
    ],
)
def test_a_wrong_run_is_refused_whole_and_writes_nothing(
    setup: World, items: object, error: type[Exception], message: str
) -> None:
    with setup.act() as s:
        payments.receive_payment(
            s, setup.coop, key="p", entity="E000001", client="C000001", amount="1000",
            on=DAY, actor="t",
        )  # fmt: skip
    code = hire(setup, "E000001", 1, hourly_rate="10")
    before = snapshot(setup)
    with pytest.raises(error, match=message), setup.act() as s:
        payroll.run_payroll(s, setup.coop, items(code), month=DAY, paid_on=DAY, actor="t")  # type: ignore[operator]
    assert snapshot(setup) == before


def test_a_month_outside_the_contract_refuses_the_run(setup: World) -> None:
    code = hire(setup, "E000001", 1, hourly_rate="10", end=DAY + timedelta(days=3))
    with pytest.raises(InvalidAct, match="month: 2026-09 is outside the term"), setup.act() as s:
        payroll.run_payroll(
            s, setup.coop, [PayrollItem(code, "1")], month=date(2026, 9, 1), paid_on=DAY, actor="t"
        )


def test_pay_is_a_run_of_one_that_raises_its_refusal(setup: World) -> None:
    code = hire(setup, "E000001", 1, hourly_rate="10")
    with setup.act() as s:
        payroll.pay(s, setup.coop, code, month=DAY, paid_on=DAY, hours="1", actor="t")
    before = snapshot(setup)
    with pytest.raises(ClosedRecord, match="2026-07 is already paid"), setup.act() as s:
        payroll.pay(s, setup.coop, code, month=DAY, paid_on=DAY, hours="1", actor="t")
    assert snapshot(setup) == before


# --- bulk solvency figures ------------------------------------------------------------------
def test_bulk_headrooms_equal_each_entitys_funds_plus_coverage(setup: World) -> None:
    endow(setup)  # a fund whose capacity is not what this test is about
    issue(setup, "50", on=DAY - timedelta(days=100))  # overdue: no longer guaranteed
    issue(setup, "1000")
    second_entity(setup, "300")
    with setup.act() as s:
        purchases.record_purchase(
            s, setup.coop, entity="E000002", supplier="C000001", supplier_reference="S1",
            net="100", on=DAY, actor="t",
        )  # fmt: skip
        rooms = headrooms(s, setup.coop, [1, 2], DAY)
        single = {
            i: available_funds(s, book=code, on=END_OF_TIME) + coverage(s, setup.coop, i, DAY)
            for i, code in ((1, "E000001"), (2, "E000002"))
        }
    assert rooms == single
    assert rooms[2] == D("300.00") - D("100.00")  # the purchase's VAT comes back


#: An administrator, who reaches every entity, for the workspace's list.
ADMIN = Principal(1, "admin", Role.ADMINISTRATOR, "Admin", None, None, None, None, None)


def test_every_reader_of_available_funds_gives_the_same_figure(setup: World) -> None:
    """The ledger's one-book and many-book figures, the solvency rule's and the web's
    pages agree, for an entity below zero (E000001 owes the VAT of an invoice its client
    has not paid) and one above (E000002 received 300.00)."""
    issue(setup, "1000")
    second_entity(setup, "300")
    month = setup.coop.ledger.fiscal_year_start_month
    with setup.act() as s:
        entities = {e.code: e for e in s.scalars(select(Entity).order_by(Entity.id))}
        office = s.scalars(select(Office).where(Office.code == "cap")).one()
        ledger = {code: available_funds(s, book=code, on=END_OF_TIME) for code in entities}
        assert ledger["E000001"] < 0 < ledger["E000002"]
        by_id = funds_by_entity(s, setup.coop, [e.id for e in entities.values()])
        readers = {
            "ledger, many books": funds_by_book(s, list(entities)),
            "ledger, every book": {c: f for c, f in funds_by_book(s).items() if c in entities},
            "solvency": {code: by_id[e.id] for code, e in entities.items()},
            "web dashboard": {
                code: Decimal(views.dashboard(s, setup.coop, e, DAY, month).available_funds)
                for code, e in entities.items()
            },
            "web entity list": {
                e.code: Decimal(str(e.available_funds))
                for e in views.entity_list(s, setup.coop, true(), figures=True)
            },
            "web workspace list": {
                e.code: Decimal(str(e.available_funds))
                for e in listing.search(s, setup.coop, ADMIN, true(), listing.Query(), DAY).rows
            },
            "web office": {
                e.code: Decimal(e.available_funds)
                for e in office_view(s, setup.coop, office, DAY, month).entities
            },
        }
        assert {name: figures for name, figures in readers.items() if figures != ledger} == {}
        before = DAY - timedelta(days=1)
        assert funds_by_book(s, ["E000001"], on=before) == {
            "E000001": available_funds(s, book="E000001", on=before)
        }
        assert funds_by_book(s, ["ghost"]) == {}


# --- paying what an entity owes from its bank -----------------------------------------------
def test_paying_a_purchase_moves_the_bank_not_the_funds(setup: World) -> None:
    with setup.act() as s:
        payments.receive_payment(
            s, setup.coop, key="p", entity="E000001", client="C000001", amount="500",
            on=DAY, actor="t",
        )  # fmt: skip
        purchase = purchases.record_purchase(
            s, setup.coop, entity="E000001", supplier="C000001", supplier_reference="S9",
            net="100", on=DAY, actor="t",
        )  # fmt: skip
    committed = funds(setup)
    with setup.act() as s:
        settlement.pay_purchase(s, setup.coop, purchase.id, on=DAY, actor="t")
    assert funds(setup) == committed == D("400.00")
    assert entries_of(setup, "purchase_payment") == 1
    with pytest.raises(ClosedRecord, match="already paid on 2026-07-06"), setup.act() as s:
        settlement.pay_purchase(s, setup.coop, purchase.id, on=DAY, actor="t")


# --- a quote answered too late ---------------------------------------------------------------
def test_a_late_answer_records_the_expiry_and_returns_the_expired_quote(setup: World) -> None:
    with setup.act() as s:
        quote = invoices.send_quote(
            s,
            setup.coop,
            entity="E000001",
            client="C000001",
            lines=[LineInput("Logo", "1", "900")],
            on=DAY,
            valid_days=7,
            actor="t",
        )
    with setup.act() as s:
        answered = invoices.decide_quote(
            s, setup.coop, quote.reference, accept=True, on=DAY + timedelta(days=8), actor="t"
        )
    assert answered.status == QuoteStatus.EXPIRED
    with setup.engine.connect() as c:
        status = c.execute(text("SELECT status FROM quote")).scalar_one()
        trail = c.execute(
            text("SELECT reason FROM audit_log WHERE action = 'quote.expire'")
        ).scalar_one()
    assert status == "expired"
    assert trail == "answered on 2026-07-14, valid until 2026-07-13"
    with pytest.raises(ClosedRecord, match="version 1 is expired"), setup.act() as s:
        invoices.decide_quote(s, setup.coop, quote.reference, accept=True, on=DAY, actor="t")
