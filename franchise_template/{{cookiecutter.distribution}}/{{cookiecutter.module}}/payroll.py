"""Payroll: a first parametric model of the payslip, its inverse, the declaration.

One month's payslip, with the law in force on the month's first day:

1. **Contribution base**: the gross, capped at the monthly ceiling when the law sets one
   (``payroll/contribution_ceiling.toml``; 0 means no ceiling).
2. **Employee contributions**: the base times ``payroll/employee_rate.toml``.
3. **Employer contributions**: the base times ``payroll/employer_rate.toml``.
4. **Withholding**: on the taxable pay (gross minus employee contributions), either a
   flat rate or a monthly scale applied bracket by bracket (``tax/withholding.toml``).

Every figure comes from ``data/parameters``; a month before a parameter's first value
is refused, never guessed. The household situation does not change this first model's
withholding: refine it, and split contributions into their branches, as the country's
law is entered. The inverse (the gross an employer-cost budget buys) is the core's
bisection over this very payslip, so the two never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from partage.core.contract import (
    DatedValue,
    EmploymentContract,
    InsurancePolicy,
    ParameterError,
    PayrollError,
    PayrollTotals,
    Payslip,
    Period,
    ReturnBox,
    assemble_payslip,
    contract_gross,
    gross_for_employer_cost,
    payslip_line,
)

from {{ cookiecutter.module }}.identity import CURRENCY
from {{ cookiecutter.module }}.law import PARAMETERS

#: Worker categories this plugin pays.
CATEGORIES = ("employee",)
ZERO = Decimal(0)


@dataclass(frozen=True)
class PayrollLaw:
    """The payroll parameters in force on one day."""

    employee_rate: Decimal
    employer_rate: Decimal
    ceiling: Decimal
    withholding: DatedValue

    def withheld(self, taxable: Decimal) -> Decimal:
        """The withholding on a month's taxable pay: flat rate, or the scale by bracket."""
        if self.withholding.brackets:
            return self.withholding.marginal(taxable)
        return taxable * Decimal(self.withholding.value or 0)


@lru_cache(maxsize=128)
def law_on(on: date) -> PayrollLaw:
    """The payroll law in force on ``on``; refuses a day some parameter does not cover."""
    try:
        return PayrollLaw(
            employee_rate=PARAMETERS.value("payroll.employee_rate", on),
            employer_rate=PARAMETERS.value("payroll.employer_rate", on),
            ceiling=PARAMETERS.value("payroll.contribution_ceiling", on),
            withholding=PARAMETERS["tax.withholding"].at(on),
        )
    except ParameterError as error:
        raise PayrollError("period starting", f"payroll law unknown: {error}", value=on) from None


def _check(contract: EmploymentContract) -> None:
    if contract.worker_category not in CATEGORIES:
        raise PayrollError(
            "worker_category",
            f"{contract.worker_category!r} is not one of {', '.join(CATEGORIES)}",
        )
    if contract.dependent_children < 0:
        raise PayrollError(
            "dependent_children", f"{contract.dependent_children} must not be negative"
        )


def payslip_for_gross(contract: EmploymentContract, period: Period, gross: Decimal) -> Payslip:
    """The payslip of a month's ``gross`` under ``contract``'s category."""
    _check(contract)
    if gross < 0:
        raise PayrollError("gross", f"{gross} must not be negative")
    law = law_on(period.start)
    base = min(gross, law.ceiling) if law.ceiling > 0 else gross
    employee = payslip_line(
        "social_security_employee",
        "Social security contributions",
        "employee",
        base,
        law.employee_rate,
        CURRENCY,
    )
    employer = payslip_line(
        "social_security_employer",
        "Social security contributions (employer)",
        "employer",
        base,
        law.employer_rate,
        CURRENCY,
    )
    withholding = law.withheld(gross - employee.amount)
    return assemble_payslip(period, gross, (employee, employer), withholding, CURRENCY)


def payslip(contract: EmploymentContract, period: Period) -> Payslip:
    """The payslip of ``contract`` for ``period``."""
    _check(contract)
    return payslip_for_gross(contract, period, contract_gross(contract, CURRENCY))


def gross_for_cost(contract: EmploymentContract, period: Period, employer_cost: Decimal) -> Decimal:
    """The largest gross, to the minor unit, whose employer cost fits in ``employer_cost``."""
    _check(contract)
    law_on(period.start)  # refuse an uncovered month before searching
    return gross_for_employer_cost(
        lambda gross: payslip_for_gross(contract, period, gross), employer_cost, CURRENCY
    )


def social_declaration(period: Period, totals: PayrollTotals) -> list[ReturnBox]:
    """The month's boxes from the totals the core sums: each contribution, then the
    workers and the wage totals."""
    boxes = [ReturnBox(c.code, c.label, c.employee + c.employer) for c in totals.contributions]
    summary = (
        ("workers", "Workers declared", Decimal(totals.workers)),
        ("gross", "Gross pay", totals.gross),
        ("withholding", "Tax withheld", totals.withholding),
        ("net", "Net pay", totals.net),
        ("employer_cost", "Employer cost", totals.employer_cost),
    )
    ordered = sorted(boxes, key=lambda box: box.box)
    return ordered + [ReturnBox(code, label, amount) for code, label, amount in summary]


def insurance_policies(on: date) -> tuple[InsurancePolicy, ...]:
    """The policies mutualised for workers: none is configured yet.

    Add each policy (work accident, civil liability...) with its premium as a dated
    parameter, as the reference countries do; payroll runs post their premiums.
    """
    return ()
