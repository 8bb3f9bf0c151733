"""Payroll amounts stay within what one act may carry (issue 16): the rate, the hours
and the payslip they make, and a hire's reservation, each bounded by
:data:`~partage.core.contract.money.MAX_ACT_MINOR` and refused by name before anything
is written. Found by the adversarial simulation: a rate of 999,999,999,999.00 an hour
for 100,000 hours made a gross of 9,999,999,999,990,000,000 cents, past SQLite's 64-bit
integers."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, func, select

from partage.core.acts.cooperative import InvalidAct
from partage.core.members import membership
from partage.core.members import service as members
from partage.core.payroll import service as payroll
from partage.core.payroll.models import Contract, PayslipRecord
from partage.core.risk import fund
from tests.acts.test_engine import DAY
from tests.builders import person
from tests.engine_support import World, build_world

JULY = date(2026, 7, 1)
HUGE = "999999999999.00"


@pytest.fixture
def world(engine: Engine) -> World:
    """Member 1's entity E000001 in office ``cap``, 200.00 in the fund."""
    world = build_world(engine)
    with world.act() as s:
        membership.admit_member(
            s, world.coop, person(1), share_class="A", shares=1, on=DAY, actor="t"
        )
        members.open_entity(
            s, world.coop, holders=[1], name="E", kind="freelance", office="cap", on=DAY, actor="t"
        )
        fund.allocate(s, world.coop, "200", on=DAY, actor="t", reason="assembly")
    return world


def hourly(world: World, rate: str) -> str:
    with world.act() as s:
        return payroll.hire(
            s,
            world.coop,
            entity="E000001",
            member=1,
            worker_category="employee",
            start=DAY,
            hourly_rate=rate,
            actor="t",
        ).code


def pay(world: World, contract: str, hours: str) -> None:
    with world.act() as s:
        payroll.pay(s, world.coop, contract, month=JULY, paid_on=DAY, hours=hours, actor="adviser")


def payslips(world: World) -> int:
    with world.act() as s:
        return int(s.scalar(select(func.count()).select_from(PayslipRecord)) or 0)


def contracts(world: World) -> int:
    with world.act() as s:
        return int(s.scalar(select(func.count()).select_from(Contract)) or 0)


def test_an_hourly_rate_a_month_of_hours_cannot_carry_is_refused_at_the_hire(
    world: World,
) -> None:
    with pytest.raises(InvalidAct) as refused:
        hourly(world, HUGE)
    assert refused.value.field == "hourly_rate"
    assert "744 hours of a 31-day month" in refused.value.rule
    assert "more than one act may carry, 1000000000000.00" in refused.value.rule
    assert contracts(world) == 0


def test_a_payslip_past_the_act_maximum_is_refused_naming_the_hours(world: World) -> None:
    """The highest rate a hire accepts pays 744 hours within the maximum, but not the
    employer's contributions on top: the payslip is refused, nothing written."""
    contract = hourly(world, "1344086021.50")
    with pytest.raises(InvalidAct) as refused:
        pay(world, contract, "100000")
    assert refused.value.field == "hours"
    assert "more than the 744 hours of the month starting 2026-07-01" in refused.value.rule
    with pytest.raises(InvalidAct) as refused:
        pay(world, contract, "744")
    assert refused.value.field == "hours"
    assert "the employer cost and premiums of the payslip" in refused.value.rule
    assert "more than one act may carry, 1000000000000.00" in refused.value.rule
    assert payslips(world) == 0
    pay(world, contract, "1")
    assert payslips(world) == 1


@pytest.mark.parametrize(
    ("hours", "rule"),
    [
        ("0", "must be more than zero"),
        ("-3", "must be more than zero"),
        ("NaN", "is not a finite number"),
        ("Infinity", "is not a finite number"),
        ("1E-9", "more than 2 decimals"),
        ("abc", "is not a number"),
        ("1.001", "more than 2 decimals"),
        ("745", "more than the 744 hours"),
    ],
)
def test_hours_worked_follow_a_rule_named_in_the_refusal(
    world: World, hours: str, rule: str
) -> None:
    contract = hourly(world, "15")
    with pytest.raises(InvalidAct) as refused:
        pay(world, contract, hours)
    assert refused.value.field == "hours"
    assert rule in refused.value.rule
    assert payslips(world) == 0
    pay(world, contract, "744")  # the month is still open for the hours really worked
    assert payslips(world) == 1


@pytest.mark.parametrize(
    ("gross", "field", "rule"),
    [
        ("900000000000.00", "monthly_gross", "the employer cost and premiums of the payslip"),
        ("9000000000.00", "end", "the 121 months of employer cost the hire reserves"),
    ],
)
def test_a_monthly_contract_past_the_act_maximum_is_refused_at_the_hire(
    world: World, gross: str, field: str, rule: str
) -> None:
    """A first month's cost, or the ten years of it a fixed term reserves, that one act
    may not carry."""
    with world.act() as s, pytest.raises(InvalidAct) as refused:
        payroll.hire(
            s,
            world.coop,
            entity="E000001",
            member=1,
            worker_category="employee",
            start=DAY,
            end=date(2036, 7, 5),
            monthly_gross=gross,
            actor="t",
        )
    assert refused.value.field == field
    assert rule in refused.value.rule
    assert "more than one act may carry" in refused.value.rule
    assert contracts(world) == 0
