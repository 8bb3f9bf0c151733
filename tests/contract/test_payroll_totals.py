"""A period's payslips summed once, by the core, for every declaration: per contribution
code (base once per payslip, amounts per payer, workers concerned) and in total; a
payslip of another period is refused."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from partage.core.contract.payroll import Payslip, PayslipLine, Period
from partage.core.contract.payslips import PayrollError, assemble_payslip, payroll_totals

D = Decimal
JULY = Period(date(2026, 7, 1), date(2026, 7, 31))
QUARTER = Period(date(2026, 7, 1), date(2026, 9, 30))


def slip(gross: str, *lines: tuple[str, str, str, str], period: Period = JULY) -> Payslip:
    """A payslip of ``(code, payer, base, amount)`` lines, withholding 10 % of gross."""
    return assemble_payslip(
        period,
        D(gross),
        [
            PayslipLine(code, code.title(), payer, D(base), None, D(amount))
            for code, payer, base, amount in lines
        ],
        D(gross) / 10,
        "EUR",
    )


def test_each_code_is_summed_per_payer_with_its_base_once_per_payslip() -> None:
    ada = slip(
        "3000", ("pension", "employee", "3000", "300.00"), ("pension", "employer", "3000", "450.00")
    )
    bob = slip(
        "2000", ("pension", "employee", "2000", "200.00"), ("training", "employer", "1000", "10.00")
    )
    # Ada's second contract of the month: she is one worker with two payslips.
    ada_too = slip("500", ("pension", "employee", "500", "50.00"))
    totals = payroll_totals(JULY, [("ada", ada), ("bob", bob), ("ada", ada_too)], "EUR")
    assert (totals.payslips, totals.workers) == (3, 2)
    assert totals.gross == D("5500.00")
    assert totals.employee_contributions == D("550.00")
    assert totals.employer_contributions == D("460.00")
    assert totals.withholding == D("550.00")
    assert totals.net == D("5500.00") - D("550.00") - D("550.00")
    assert totals.employer_cost == D("5960.00")
    assert [c.code for c in totals.contributions] == ["pension", "training"]
    pension = totals.contribution("pension")
    assert (pension.label, pension.payer, pension.workers) == ("Pension", "both", 2)
    assert (pension.base, pension.employee, pension.employer) == (
        D("5500.00"),
        D("550.00"),
        D("450.00"),
    )
    training = totals.contribution("training")
    assert (training.payer, training.workers, training.employee, training.employer) == (
        "employer",
        1,
        D("0.00"),
        D("10.00"),
    )
    with pytest.raises(KeyError, match="holiday"):
        totals.contribution("holiday")


def test_no_payslip_sums_to_zero() -> None:
    totals = payroll_totals(JULY, (), "EUR")
    assert (totals.payslips, totals.workers, totals.contributions) == (0, 0, ())
    assert totals.gross == totals.net == totals.employer_cost == 0
    assert totals.period == JULY


def test_a_quarter_holds_its_months() -> None:
    september = Period(date(2026, 9, 1), date(2026, 9, 30))
    totals = payroll_totals(QUARTER, [(1, slip("100")), (1, slip("200", period=september))], "EUR")
    assert (totals.payslips, totals.workers, totals.gross) == (2, 1, D("300.00"))


@pytest.mark.parametrize(
    "paid",
    [Period(date(2026, 6, 1), date(2026, 6, 30)), Period(date(2026, 7, 1), date(2026, 8, 31))],
)
def test_a_payslip_of_another_period_is_refused_naming_both(paid: Period) -> None:
    with pytest.raises(PayrollError) as refused:
        payroll_totals(JULY, [(1, slip("100")), (2, slip("100", period=paid))], "EUR")
    assert str(refused.value) == (
        f"payslips: a payslip of {paid.start} – {paid.end} is not in the declared period "
        "2026-07-01 – 2026-07-31"
    )
