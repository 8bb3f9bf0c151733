"""Payroll and insurance as the core asks a country for them: a contract, a period, a
payslip and its lines, the taxation of copyright income, the policies mutualised.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from partage.core.contract.periods import Period


@dataclass(frozen=True)
class EmploymentContract:
    """What payroll needs to know of an employment contract.

    Attributes:
        worker_category: the plugin's category code (``"employee"``, ``"artist"``...).
        monthly_gross: agreed monthly gross for a full-time month, or ``None`` when paid
            by the hour.
        hourly_rate: gross per hour when paid by the hour.
        hours: hours worked in the period (hourly contracts).
        part_time: fraction of full time (``Decimal("0.5")``), 1 for full time.
        start: first day of the contract.
        end: last day, ``None`` when open-ended.
        tax_situation: the household situation withholding depends on, as the
            country plugin's code (``"single"``, ``"married_one_income"``...).
        dependent_children: children dependent on the worker for withholding.
        employer_headcounts: the cooperative's headcount in each month its payroll paid
            before the period, as ``(first day of the month, full-time equivalents)``
            (see :func:`partage.core.payroll.headcount.monthly_headcounts`); a country
            derives the thresholds its law reads from them. Empty when unknown (a
            simulation): the country's own setting applies.
        workplace_authority: the local authority of the place of work whose levy on
            salaries applies (France: the mobility authority of the versement
            mobilité), as the office's ``payroll_authority`` names it; ``None``: the
            country's own setting applies.
        paid_on: the day the pay is paid, when the law of that day decides (Belgium's
            withholding); ``None``: the period's last day.
        student_hours_before: hours of the calendar year already worked under
            contracts of this category before this period, counted against a yearly
            quota of hours where the country has one (Belgium's students): payroll runs
            give the hours paid here this year.
    """

    worker_category: str
    start: date
    monthly_gross: Decimal | None = None
    hourly_rate: Decimal | None = None
    hours: Decimal | None = None
    part_time: Decimal = Decimal(1)
    end: date | None = None
    tax_situation: str = "single"
    dependent_children: int = 0
    employer_headcounts: tuple[tuple[date, Decimal], ...] = ()
    workplace_authority: str | None = None
    paid_on: date | None = None
    student_hours_before: Decimal = Decimal(0)


@dataclass(frozen=True)
class PayslipLine:
    """One contribution (or withholding) line of a payslip.

    Attributes:
        code: stable code of the contribution (``"onss_employee"``).
        label: what the payslip prints.
        payer: ``"employee"`` or ``"employer"``.
        base: the amount the rate applies to.
        rate: the fraction applied (``None`` for a flat amount).
        amount: the amount, rounded to the currency's minor unit.
    """

    code: str
    label: str
    payer: str
    base: Decimal
    rate: Decimal | None
    amount: Decimal


@dataclass(frozen=True)
class Payslip:
    """A computed payslip; totals are derived from the lines by the plugin.

    Attributes:
        period: the month paid.
        gross: gross salary.
        lines: every employee and employer contribution line.
        withholding: income tax withheld at source.
        net: what the worker receives.
        employer_cost: gross plus employer contributions.
    """

    period: Period
    gross: Decimal
    lines: tuple[PayslipLine, ...]
    withholding: Decimal
    net: Decimal
    employer_cost: Decimal

    @property
    def employee_contributions(self) -> Decimal:
        """Sum of the employee's contribution lines."""
        return sum((line.amount for line in self.lines if line.payer == "employee"), Decimal(0))

    @property
    def employer_contributions(self) -> Decimal:
        """Sum of the employer's contribution lines."""
        return sum((line.amount for line in self.lines if line.payer == "employer"), Decimal(0))


@dataclass(frozen=True)
class CopyrightTaxation:
    """How a copyright cession or licence is taxed where the country has a regime.

    Attributes:
        amount: the gross copyright income of the cession.
        flat_rate_costs: the flat-rate professional costs the law deducts from it.
        taxable: ``amount − flat_rate_costs``, the base of the withholding.
        withholding_rate: the fraction withheld on the taxable base.
        withholding: the tax withheld at source, rounded to the minor unit.
        net: what the author receives, ``amount − withholding``.
        legal_mention: the text the cession document must print, if any.
    """

    amount: Decimal
    flat_rate_costs: Decimal
    taxable: Decimal
    withholding_rate: Decimal
    withholding: Decimal
    net: Decimal
    legal_mention: str | None = None


@dataclass(frozen=True)
class InsurancePolicy:
    """A policy the cooperative mutualises for its workers.

    Attributes:
        code: stable code (``"work_accident"``).
        name: the policy's name.
        premium_basis: ``"payroll_rate"`` (rate on gross salaries) or ``"flat"`` (per
            worker paid in the month).
        rate: the premium rate when the basis is payroll.
        flat_amount: the premium per worker when the basis is flat.
    """

    code: str
    name: str
    premium_basis: str
    rate: Decimal | None = None
    flat_amount: Decimal | None = None


@dataclass(frozen=True)
class ContributionTotal:
    """One contribution code totalled over a period's payslips.

    Attributes:
        code: the plugin's contribution code (``"onss_employee"``).
        label: what the payslips print (the first payslip's wording).
        payer: ``"employee"``, ``"employer"``, or ``"both"`` when lines of each carry it.
        workers: how many workers' payslips carry it.
        base: the sum of its bases, counted once per payslip.
        employee: the sum of its employee amounts.
        employer: the sum of its employer amounts.
    """

    code: str
    label: str
    payer: str
    workers: int
    base: Decimal
    employee: Decimal
    employer: Decimal


@dataclass(frozen=True)
class PayrollTotals:
    """The payslips of a declared period, summed once by the core for every declaration.

    Attributes:
        period: the declared period.
        payslips: how many payslips were paid for it.
        workers: how many distinct workers they pay.
        gross: the sum of the gross salaries.
        employee_contributions: the sum of the employees' contribution lines.
        employer_contributions: the sum of the employer's contribution lines.
        withholding: the sum of the tax withheld.
        net: the sum of the net pay.
        employer_cost: the sum of the employer costs.
        contributions: one total per contribution code, in the order the payslips first
            carry them.
    """

    period: Period
    payslips: int
    workers: int
    gross: Decimal
    employee_contributions: Decimal
    employer_contributions: Decimal
    withholding: Decimal
    net: Decimal
    employer_cost: Decimal
    contributions: tuple[ContributionTotal, ...]

    def contribution(self, code: str) -> ContributionTotal:
        """The total of one code; ``KeyError`` naming it if no payslip carries it."""
        for found in self.contributions:
            if found.code == code:
                return found
        raise KeyError(code)
