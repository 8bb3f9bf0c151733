"""The quick job's salary on Testland: what the invoice buys, capped by what the entity
can commit (funds plus guarantee); hiring at it, and refusing when nothing can be
committed, writing nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import Engine

from partage.core.acts.cooperative import InvalidAct, NotFound
from partage.core.members import membership
from partage.core.members import service as members
from partage.core.payroll import budget
from partage.core.payroll.quick_job import hire_for_quick_job, quick_job_salary
from partage.core.sales import credit_notes, invoices, payments
from tests.acts.test_engine import DAY, endow, issue, set_up, snapshot
from tests.builders import person
from tests.engine_support import World, build_world

D = Decimal


@pytest.fixture
def setup(engine: Engine) -> World:
    world = set_up(build_world(engine))
    endow(world)  # capacity is not what these tests are about
    return world


def salary(world: World, invoice: str = "F2026-000001", entity: str = "E000001"):  # type: ignore[no-untyped-def]
    with world.act() as s:
        return quick_job_salary(
            s, world.coop, entity=entity, invoice=invoice, on=DAY, worker_category="employee"
        )


def pay_invoice(world: World, amount: str) -> None:
    with world.act() as s:
        payments.receive_payment(
            s,
            world.coop,
            key="paid",
            entity="E000001",
            client="C000001",
            amount=amount,
            on=DAY,
            actor="t",
        )


def test_before_the_client_pays_the_entity_caps_what_the_invoice_buys(setup: World) -> None:
    issue(setup, "1000")
    found = salary(setup)
    assert found.bought == budget.simulate_invoice(
        setup.coop, invoiced="1000.00", on=DAY, worker_category="employee"
    )
    assert found.bought.gross == D("742.06")  # 935.00 of budget at 1.26 × gross
    with setup.act() as s:
        assert found.committable == budget.simulate_entity(
            s, setup.coop, entity="E000001", on=DAY, worker_category="employee"
        )
    # The guarantee covers 80 % of the 1210.00 owed, less the fee and VAT owed: 693.00.
    assert found.committable.budget == D("693.00")
    assert found.gross == found.committable.gross < found.bought.gross


def test_once_the_client_pays_the_invoice_sets_the_salary(setup: World) -> None:
    issue(setup, "1000")
    pay_invoice(setup, "1210.00")
    with setup.act() as s:  # a second invoice adds funds, not salary to this job
        invoices.issue_invoice(
            s,
            setup.coop,
            entity="E000001",
            client="C000001",
            lines=[invoices.LineInput("More work", "1", "2000")],
            on=DAY,
            actor="t",
        )
    found = salary(setup)
    assert found.committable.gross > found.bought.gross
    assert found.gross == found.bought.gross == D("742.06")


def test_hiring_for_the_job_signs_a_contract_at_that_salary(setup: World) -> None:
    issue(setup, "1000")
    expected = salary(setup).gross
    with setup.act() as s:
        contract = hire_for_quick_job(
            s,
            setup.coop,
            entity="E000001",
            invoice="F2026-000001",
            member=1,
            worker_category="employee",
            start=DAY,
            end=DAY,
            on=DAY,
            actor="t",
        )
    assert contract.monthly_gross == setup.coop.minor(expected)


def test_no_salary_and_no_hire_when_the_entity_can_commit_nothing(setup: World) -> None:
    issue(setup, "1000")
    with setup.act() as s:  # credited in full: nothing owed, nothing guaranteed
        credit_notes.issue_credit_note(
            s, setup.coop, invoice="F2026-000001", on=DAY, actor="t", reason="cancelled"
        )
    found = salary(setup)
    assert (found.committable.budget, found.gross) == (D("0.00"), D("0.00"))
    before = snapshot(setup)
    with (
        pytest.raises(InvalidAct, match="no funds to pay a salary yet") as refused,
        setup.act() as s,
    ):
        hire_for_quick_job(
            s,
            setup.coop,
            entity="E000001",
            invoice="F2026-000001",
            member=1,
            worker_category="employee",
            start=DAY,
            end=DAY,
            on=DAY,
            actor="t",
        )
    assert refused.value.field == "monthly_gross"
    assert snapshot(setup) == before


def test_an_invoice_of_another_entity_or_a_credit_note_pays_no_job(setup: World) -> None:
    issue(setup, "1000")
    with setup.act() as s:
        membership.admit_member(
            s, setup.coop, person(2), share_class="A", shares=1, on=DAY, actor="t"
        )
        members.open_entity(
            s,
            setup.coop,
            holders=[2],
            name="Other",
            kind="freelance",
            office="cap",
            on=DAY,
            actor="t",
        )
        credit_notes.issue_credit_note(
            s, setup.coop, invoice="F2026-000001", on=DAY, actor="t", reason="cancelled"
        )
    with pytest.raises(NotFound, match="no such invoice of entity E000002") as unknown:
        salary(setup, entity="E000002")
    assert unknown.value.field == "invoice"
    credit_note = "C2026-000001"
    with pytest.raises(InvalidAct, match="is a credit note") as refused:
        salary(setup, credit_note)
    assert refused.value.field == "invoice"
    before = snapshot(setup)
    with pytest.raises(InvalidAct), setup.act() as s:
        hire_for_quick_job(
            s,
            setup.coop,
            entity="E000001",
            invoice=credit_note,
            member=1,
            worker_category="employee",
            start=DAY,
            end=None,
            on=DAY,
            actor="t",
        )
    assert snapshot(setup) == before
