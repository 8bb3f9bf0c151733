"""The budget simulation a member sees before committing: from an amount to invoice,
or from an entity's available funds, what it buys in pay.

The payroll hooks run backwards: the gross an employer-cost budget buys is found by
:func:`partage.core.contract.payslips.gross_for_employer_cost` over the country's payslip (plus
the enabled sectors' lines, the mutualised insurance premiums and what the contract's end
will cost: Belgium's exit holiday pay), so the figures shown
are exactly those a payslip of that gross would carry.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_FLOOR, Decimal

from sqlalchemy.orm import Session

from partage.core.acts.cooperative import Cooperative, positive_amount
from partage.core.contract.money import minor_quantum, round_money
from partage.core.contract.payroll import EmploymentContract, Payslip
from partage.core.contract.payslips import gross_for_employer_cost
from partage.core.contract.periods import Period
from partage.core.members.service import entity_by_code
from partage.core.payroll.service import (
    compute_payslip,
    contract_end_cost,
    insurance_premiums,
    workplace_authorities,
)
from partage.core.risk.solvency import headroom
from partage.core.sales.invoices import fee_rate_on
from partage.core.sectors.rules import for_entity


@dataclass(frozen=True)
class BudgetSimulation:
    """What an invoice (or an entity's funds) buys in pay, in plain figures.

    Attributes:
        invoiced: amount invoiced excluding VAT (``None`` when simulating from funds).
        vat: VAT the client pays on top, collected for the State.
        fee: the management fee taken on it.
        budget: what is left for pay (invoiced − fee, or the funds and guarantee).
        insurance: mutualised insurance premiums on that pay.
        employer_cost: gross plus employer contributions.
        gross: the gross salary the budget buys.
        employee_contributions: social security paid by the worker.
        withholding: income tax withheld at source.
        net: what the worker receives.
        payslip: the full payslip.
        end_cost: what the contract's end will cost for this month's gross (Belgium's
            exit holiday pay), paid from the budget with the month's cost.
    """

    invoiced: Decimal | None
    vat: Decimal
    fee: Decimal
    budget: Decimal
    insurance: Decimal
    employer_cost: Decimal
    gross: Decimal
    employee_contributions: Decimal
    withholding: Decimal
    net: Decimal
    payslip: Payslip
    end_cost: Decimal = Decimal(0)


def _simulate(
    coop: Cooperative,
    budget: Decimal,
    terms: EmploymentContract,
    on: date,
    invoiced: Decimal | None,
    vat: Decimal,
    fee: Decimal,
) -> BudgetSimulation:
    period = Period.month_of(on)

    def with_premiums(gross: Decimal) -> Payslip:
        shaped = _with_gross(terms, gross)
        slip = compute_payslip(coop, shaped, period)
        extra = insurance_premiums(coop, slip.gross, on) + contract_end_cost(
            coop, shaped, slip.gross
        )
        return Payslip(
            slip.period,
            slip.gross,
            slip.lines,
            slip.withholding,
            slip.net,
            slip.employer_cost + extra,
        )

    gross = gross_for_employer_cost(with_premiums, max(budget, Decimal(0)), coop.currency)
    shaped = _with_gross(terms, gross)
    payslip = compute_payslip(coop, shaped, period)
    premiums = insurance_premiums(coop, payslip.gross, on)
    return BudgetSimulation(
        invoiced,
        vat,
        fee,
        budget,
        premiums,
        payslip.employer_cost,
        payslip.gross,
        payslip.employee_contributions,
        payslip.withholding,
        payslip.net,
        payslip,
        contract_end_cost(coop, shaped, payslip.gross),
    )


def _with_gross(terms: EmploymentContract, gross: Decimal) -> EmploymentContract:
    """The full-time monthly contract of ``gross``, at the same place of work."""
    return replace(terms, monthly_gross=gross, hourly_rate=None, hours=None, part_time=Decimal(1))


def simulate_invoice(
    coop: Cooperative,
    *,
    invoiced: Decimal | str,
    on: date,
    worker_category: str,
    vat_rate: Decimal = Decimal(0),
    tax_situation: str = "single",
    dependent_children: int = 0,
) -> BudgetSimulation:
    """From an amount to invoice (excl. VAT): fee, budget, and the pay it buys in one
    month's salary. ``vat_rate`` only shows what the client pays on top."""
    amount = positive_amount(invoiced, coop.currency, field="invoiced")
    fee = round_money(amount * fee_rate_on(coop, on), coop.currency)
    vat = round_money(amount * vat_rate, coop.currency)
    terms = EmploymentContract(
        worker_category, on, tax_situation=tax_situation, dependent_children=dependent_children
    )
    return _simulate(coop, amount - fee, terms, on, amount, vat, fee)


def simulate_entity(
    session: Session,
    coop: Cooperative,
    *,
    entity: str,
    on: date,
    worker_category: str,
    tax_situation: str = "single",
    dependent_children: int = 0,
    months: int = 1,
) -> BudgetSimulation:
    """From an entity's available funds plus guarantee: the largest salary it can pay
    for ``months`` months (what a hire of that term reserves), rounded down."""
    holder = entity_by_code(session, entity)
    coop = for_entity(session, coop, holder, on)
    budget = headroom(session, coop, holder, on)
    if months > 1:
        budget = (budget / months).quantize(minor_quantum(coop.currency), rounding=ROUND_FLOOR)
    terms = EmploymentContract(
        worker_category,
        on,
        tax_situation=tax_situation,
        dependent_children=dependent_children,
        workplace_authority=workplace_authorities(session, coop, [holder])[holder.id],
    )
    return _simulate(coop, budget, terms, on, None, Decimal(0), Decimal(0))
