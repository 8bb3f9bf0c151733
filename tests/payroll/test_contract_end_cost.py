"""What a contract's end costs (``partage_contract_end_cost``) is part of its cost: the
budget simulator and the quick job buy a gross whose employer cost, premiums and end
cost fit the budget, and hiring reserves the end cost with each month's cost."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import Engine

from partage.core.contract import EmploymentContract, hookimpl
from partage.core.contract.money import from_minor
from partage.core.payroll import budget
from partage.core.payroll import service as payroll
from partage.core.payroll.quick_job import hire_for_quick_job, quick_job_salary
from tests.acts.test_engine import DAY, endow, issue, set_up
from tests.engine_support import World, build_world

D = Decimal
TENTH = D("0.10")


class TenPercentAtTheEnd:
    """A country whose contracts' end costs 10 % of the gross paid."""

    @hookimpl
    def partage_contract_end_cost(self, contract: EmploymentContract, gross: Decimal) -> Decimal:
        return (gross * TENTH).quantize(D("0.01"))


@pytest.fixture
def world(engine: Engine) -> Iterator[World]:
    made = set_up(build_world(engine))
    endow(made)
    yield made


def test_without_an_answer_the_end_costs_nothing(world: World) -> None:
    sim = budget.simulate_invoice(
        world.coop, invoiced="1000.00", on=DAY, worker_category="employee"
    )
    assert sim.end_cost == D("0")


def test_the_budget_buys_the_end_cost_too(world: World) -> None:
    before = budget.simulate_invoice(
        world.coop, invoiced="1000.00", on=DAY, worker_category="employee"
    )
    plugin = TenPercentAtTheEnd()
    world.coop.plugins.register(plugin, name="test:end-cost")
    try:
        after = budget.simulate_invoice(
            world.coop, invoiced="1000.00", on=DAY, worker_category="employee"
        )
    finally:
        world.coop.plugins.unregister(plugin)
    assert after.end_cost == (after.gross * TENTH).quantize(D("0.01"))
    assert after.employer_cost + after.insurance + after.end_cost <= after.budget
    assert after.gross < before.gross


def test_hiring_reserves_the_end_cost_with_each_month(world: World) -> None:
    issue(world, "1000")
    plugin = TenPercentAtTheEnd()
    world.coop.plugins.register(plugin, name="test:end-cost")
    try:
        with world.act() as s:
            found = quick_job_salary(
                s,
                world.coop,
                entity="E000001",
                invoice="F2026-000001",
                on=DAY,
                worker_category="employee",
            )
            contract = hire_for_quick_job(
                s,
                world.coop,
                entity="E000001",
                invoice="F2026-000001",
                member=1,
                worker_category="employee",
                start=DAY,
                end=DAY,
                on=DAY,
                actor="t",
            )
            reserved = from_minor(contract.reserved, world.coop.currency)
    finally:
        world.coop.plugins.unregister(plugin)
    sim = found.committable if found.committable.gross <= found.bought.gross else found.bought
    assert reserved == sim.employer_cost + sim.insurance + sim.end_cost


class Recorder:
    """Records the terms each payslip is computed on, leaving the answer to the country."""

    def __init__(self) -> None:
        self.seen: list[EmploymentContract] = []

    @hookimpl(tryfirst=True)
    def partage_payslip(self, contract: EmploymentContract, period: object) -> None:
        self.seen.append(contract)


def test_a_run_gives_the_payment_date_and_the_hours_paid_this_year(world: World) -> None:
    recorder = Recorder()  # registered before the first act scopes the plugins
    world.coop.plugins.register(recorder, name="test:recorder")
    issue(world, "3000")
    july, august = date(2026, 7, 1), date(2026, 8, 1)
    try:
        with world.act() as s:
            contract = payroll.hire(
                s,
                world.coop,
                entity="E000001",
                member=1,
                worker_category="employee",
                start=DAY,
                hourly_rate="10",
                actor="t",
            )
            payroll.pay(
                s, world.coop, contract.code, month=july, paid_on=DAY, hours="20", actor="t"
            )
            payroll.pay(
                s, world.coop, contract.code, month=august, paid_on=date(2026, 9, 3),
                hours="15", actor="t",
            )  # fmt: skip
    finally:
        world.coop.plugins.unregister(recorder)
    august_terms = recorder.seen[-1]
    assert august_terms.paid_on == date(2026, 9, 3)  # withholding's law in Belgium
    assert august_terms.student_hours_before == D("20")  # July's hours count in the year
