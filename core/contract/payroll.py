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
