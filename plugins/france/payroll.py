"""French private-sector payroll: the payslip, neutral-rate withholding, the inverse.

A payslip is computed with the law in force on the first day of the period paid (the
``périodes d'activité`` rule of URSSAF), from this plugin's dated parameters only; its
contribution lines come from ``contributions``. Withholding (prélèvement à la source)
applies the neutral-rate grid to the net taxable salary: the cooperative applies the
rate the tax administration sends for each worker when it has one; this computation is
the default it must use otherwise (CGI art. 204 H III). An hourly contract's
working-time fraction is its hours over the legal full-time month.

The employer's headcount, which selects FNAL, the réduction générale's coefficient and
the contributions due from 11, 50 or 250 employees, is the instance's declared one or is
computed from the payroll's monthly headcounts (``headcount``, CSS art. L130-1).

Not modelled: the yearly regularisation of the réduction générale on cumulated
salaries (CSS art. D241-7 II: each month's coefficient is applied), Alsace-Moselle, the
short-contract allowance of the neutral rate, and the employer's health-insurance
share on the payslip.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from partage.core.contract import (
    N_,
    EmploymentContract,
    PayrollError,
    PayrollTotals,
    Payslip,
    PayslipLine,
    Period,
    ReturnBox,
    assemble_payslip,
    contract_gross,
    gross_for_employer_cost,
    round_money,
)
from partage.plugins.france.contributions import check_category, contribution_lines
from partage.plugins.france.headcount import Headcount
from partage.plugins.france.identity import CURRENCY
from partage.plugins.france.law import Law, employer_headcount, law_on

ZERO = Decimal(0)
#: Lines that are not deducted from the net taxable salary (CGI art. 154 quinquies).
NOT_DEDUCTIBLE = frozenset({"csg_non_deductible", "crds"})

#: How a declaration names who pays a contribution.
PAYERS = {"employee": "salarial", "employer": "patronal", "both": "salarial et patronal"}


def working_time_fraction(contract: EmploymentContract, law: Law) -> Decimal:
    """The share of a full-time month the contract works (quotité de travail), at most 1."""
    if contract.hourly_rate is not None and contract.monthly_gross is None:
        if contract.hours is None:
            raise PayrollError(
                "hours", N_("an hourly contract needs the hours worked in the period")
            )
        if contract.hours < 0:
            raise PayrollError(
                "hours", N_("{contract_hours} must not be negative"), contract_hours=contract.hours
            )
        return min(Decimal(1), contract.hours / law.month_hours)
    if not Decimal(0) < contract.part_time <= Decimal(1):
        raise PayrollError(
            "part_time",
            N_("{contract_part_time} must be a fraction of full time in (0, 1]"),
            contract_part_time=contract.part_time,
        )
    return contract.part_time


def net_taxable(gross: Decimal, lines: Sequence[PayslipLine]) -> Decimal:
    """Gross minus the employee contributions deductible from taxable income."""
    deducted = sum(
        (x.amount for x in lines if x.payer == "employee" and x.code not in NOT_DEDUCTIBLE), ZERO
    )
    return gross - deducted


def neutral_rate(taxable: Decimal, law: Law) -> Decimal:
    """The neutral (default) withholding rate of a monthly taxable salary, métropole."""
    if law.on > law.grid_known_until:
        raise PayrollError(
            "period starting",
            N_(
                "the neutral-rate withholding grid in force after "
                "{law_grid_known_until} is not entered in "
                "prelevement_a_la_source/taux_neutre_metropole.toml; add it "
                "from CGI art. 204 H"
            ),
            value=law.on,
            law_grid_known_until=law.grid_known_until,
        )
    if taxable <= 0:
        return ZERO
    return law.neutral_grid.bracket_for(taxable).rate or ZERO


def payslip_for_gross(
    category: str,
    gross: Decimal,
    fraction: Decimal,
    period: Period,
    headcount: Headcount | None = None,
    workplace: str | None = None,
) -> Payslip:
    """The payslip of a month's gross for a worker category and working-time fraction,
    for the employer's headcount (by default the one the instance declares) and the
    mobility authority of the place of work (by default the instance's)."""
    law = law_on(period.start, headcount, workplace)
    gross = round_money(gross, CURRENCY)
    lines = contribution_lines(category, gross, fraction, law)
    taxable = net_taxable(gross, lines)
    withholding = round_money(taxable * neutral_rate(taxable, law), CURRENCY)
    return assemble_payslip(period, gross, lines, withholding, CURRENCY)


def payslip(contract: EmploymentContract, period: Period) -> Payslip:
    """The payslip of a contract for a month, with the law in force on its first day."""
    check_category(contract.worker_category)
    gross = contract_gross(contract, CURRENCY)
    headcount = employer_headcount(contract.employer_headcounts, period.start)
    workplace = contract.workplace_authority
    fraction = working_time_fraction(contract, law_on(period.start, headcount, workplace))
    return payslip_for_gross(
        contract.worker_category, gross, fraction, period, headcount, workplace
    )


def gross_for_cost(contract: EmploymentContract, period: Period, employer_cost: Decimal) -> Decimal:
    """The largest gross whose employer cost fits the budget, same category and time."""
    check_category(contract.worker_category)
    headcount = employer_headcount(contract.employer_headcounts, period.start)
    workplace = contract.workplace_authority
    fraction = working_time_fraction(contract, law_on(period.start, headcount, workplace))
    return gross_for_employer_cost(
        lambda gross: payslip_for_gross(
            contract.worker_category, gross, fraction, period, headcount, workplace
        ),
        employer_cost,
        CURRENCY,
    )


def social_declaration(period: Period, totals: PayrollTotals) -> tuple[ReturnBox, ...]:
    """A month's DSN-like totals: gross, each contribution, withholding, net.

    Boxes are named by contribution code (each French code has one payer), so that the
    URSSAF, AGIRC-ARRCO and France Travail totals can be regrouped by the declaration
    file's writer.
    """
    head = [
        ReturnBox("effectif", N_("Salariés payés dans le mois"), Decimal(totals.workers)),
        ReturnBox("brut", N_("Rémunération brute"), totals.gross),
    ]
    middle = [
        ReturnBox(c.code, f"{c.label} ({PAYERS[c.payer]})", c.employee + c.employer)
        for c in totals.contributions
    ]
    tail = [
        ReturnBox(
            "total_salarial", N_("Total des cotisations salariales"), totals.employee_contributions
        ),
        ReturnBox(
            "total_patronal", N_("Total des cotisations patronales"), totals.employer_contributions
        ),
        ReturnBox("pas", N_("Prélèvement à la source"), totals.withholding),
        ReturnBox("net", N_("Net payé"), totals.net),
    ]
    return (*head, *middle, *tail)
