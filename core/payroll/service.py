"""Employment acts: hiring a member under a contract, paying a month's payslip, and
the budget simulation a member sees before committing.

The country plugin computes the payslip (``partage_payslip``), its inverse
(``partage_gross_for_employer_cost``) and the mutualised insurance policies; enabled
sector plugins add their lines (``partage_payslip_extra_lines``). The core checks the
no-bankruptcy rule on the employer cost plus insurance premiums, posts the payroll
entry and keeps the payslip as computed.

Payroll entry (entity's books, payroll journal): salaries (gross) and employer
contributions debited; social contributions (employee and employer), withholding and
net pay owed credited; insurance premiums debited against the insurer (suppliers).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from partage.core import audit
from partage.core.acts import (
    ClosedRecord,
    Cooperative,
    InvalidAct,
    NotFound,
    credit,
    debit,
    next_number,
    positive_amount,
    reference,
)
from partage.core.contract import EmploymentContract, Payslip, PayslipLine, Period, PostingRole
from partage.core.errors import PartageError
from partage.core.ledger.models import JournalKind
from partage.core.ledger.reports import available_funds
from partage.core.members.models import Entity, Member
from partage.core.members.service import entity_by_code, member_by_number
from partage.core.money import from_minor, round_money
from partage.core.payroll.models import Contract, PayslipRecord
from partage.core.payslips import assemble, gross_for_employer_cost
from partage.core.risk.solvency import END_OF_TIME, coverage, require_funds
from partage.core.trade.invoices import fee_rate_on


def month_of(day: date) -> Period:
    """The calendar month containing ``day``."""
    last = calendar.monthrange(day.year, day.month)[1]
    return Period(day.replace(day=1), day.replace(day=last))


def _terms(row: Contract, currency: str, hours: Decimal | None = None) -> EmploymentContract:
    return EmploymentContract(
        worker_category=row.worker_category,
        start=row.start,
        end=row.end,
        monthly_gross=from_minor(row.monthly_gross, currency) if row.monthly_gross else None,
        hourly_rate=from_minor(row.hourly_rate, currency) if row.hourly_rate else None,
        hours=hours,
        part_time=Decimal(row.part_time),
        tax_situation=row.tax_situation,
        dependent_children=row.dependent_children,
    )


def compute_payslip(coop: Cooperative, terms: EmploymentContract, period: Period) -> Payslip:
    """The country's payslip plus the enabled sectors' lines, totals re-derived."""
    try:
        payslip = coop.plugins.hook.partage_payslip(contract=terms, period=period)
    except PartageError as exc:
        raise InvalidAct(str(exc)) from None
    if payslip is None:
        raise InvalidAct("payroll: the country plugin computes no payslip")
    extra: list[PayslipLine] = [
        line
        for group in coop.plugins.hook.partage_payslip_extra_lines(
            contract=terms, period=period, payslip=payslip
        )
        for line in group
    ]
    if not extra:
        return payslip
    return assemble(
        period, payslip.gross, (*payslip.lines, *extra), payslip.withholding, coop.currency
    )


def insurance_premiums(coop: Cooperative, gross: Decimal, on: date) -> Decimal:
    """Premiums of the mutualised policies for one payslip of ``gross``."""
    total = Decimal(0)
    for policy in coop.plugins.hook.partage_insurance_policies(on=on) or ():
        if policy.premium_basis == "payroll_rate" and policy.rate is not None:
            total += gross * policy.rate
        elif policy.premium_basis == "flat" and policy.flat_amount is not None:
            total += policy.flat_amount
    return round_money(total, coop.currency)


def hire(
    session: Session,
    coop: Cooperative,
    *,
    entity: str,
    member: int,
    worker_category: str,
    start: date,
    actor: str,
    end: date | None = None,
    monthly_gross: Decimal | str | None = None,
    hourly_rate: Decimal | str | None = None,
    part_time: Decimal | str = "1",
    tax_situation: str = "single",
    dependent_children: int = 0,
) -> Contract:
    """Hire a member (often the entity's own holder) under an employment contract.

    A monthly contract is a commitment: its first month's employer cost and premiums
    must fit the entity's funds and guarantee, or the hiring is refused. An hourly one
    commits nothing until hours are paid.
    """
    holder = entity_by_code(session, entity)
    worker = member_by_number(session, member)
    if worker.left_on is not None:
        raise ClosedRecord(f"member {member}: left on {worker.left_on}")
    if end is not None and end < start:
        raise InvalidAct(f"end: {end} is before the start {start}")
    monthly = (
        positive_amount(monthly_gross, coop.currency, field="monthly_gross")
        if monthly_gross is not None
        else None
    )
    hourly = (
        positive_amount(hourly_rate, coop.currency, field="hourly_rate")
        if hourly_rate is not None
        else None
    )
    if dependent_children < 0:
        raise InvalidAct(f"dependent_children: {dependent_children} must not be negative")
    row = Contract(
        code=reference("K", next_number(session, "contract", 0)),
        entity_id=holder.id,
        member_id=worker.id,
        worker_category=worker_category,
        start=start,
        end=end,
        monthly_gross=coop.minor(monthly) if monthly else None,
        hourly_rate=coop.minor(hourly) if hourly else None,
        part_time=Decimal(str(part_time)),
        tax_situation=tax_situation,
        dependent_children=dependent_children,
    )
    probe_hours = None if monthly else Decimal(0)
    payslip = compute_payslip(coop, _terms(row, coop.currency, probe_hours), month_of(start))
    if monthly:
        cost = payslip.employer_cost + insurance_premiums(coop, payslip.gross, start)
        require_funds(session, coop, holder, cost, on=start, what="hiring (first month)")
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="contract.hire",
        subject=f"contract:{row.code}",
        reason=f"member {member} for entity {entity}",
        data={"category": worker_category, "monthly_gross": str(monthly), "hourly": str(hourly)},
    )
    return row


def pay(
    session: Session,
    coop: Cooperative,
    contract: str,
    *,
    month: date,
    paid_on: date,
    actor: str,
    hours: Decimal | str | None = None,
) -> PayslipRecord:
    """Pay a contract's month: compute, check funds, post, keep the payslip.

    The guarantee fund is what lets this pass when the job is delivered and invoiced
    but the client has not paid yet: coverage counts the open receivables.
    """
    row = session.scalars(select(Contract).where(Contract.code == contract)).one_or_none()
    if row is None:
        raise NotFound(f"contract {contract!r}: no such contract")
    period = month_of(month)
    if period.end < row.start or (row.end is not None and period.start > row.end):
        raise InvalidAct(f"month: {period.start:%Y-%m} is outside the contract's term")
    worked = Decimal(str(hours)) if hours is not None else None
    if row.hourly_rate and worked is None:
        raise InvalidAct("hours: an hourly contract is paid for the hours worked")
    payslip = compute_payslip(coop, _terms(row, coop.currency, worked), period)
    premiums = insurance_premiums(coop, payslip.gross, paid_on)
    entity = session.get(Entity, row.entity_id)
    member = session.get(Member, row.member_id)
    assert entity is not None and member is not None
    if entity.closed_on is not None:
        raise ClosedRecord(f"entity {entity.code}: closed on {entity.closed_on}")
    cost = payslip.employer_cost + premiums
    require_funds(session, coop, entity, cost, on=paid_on, what=f"payslip {period.start:%Y-%m}")
    partner = f"M{member.number}"
    employee = payslip.employee_contributions
    employer = payslip.employer_contributions
    record = PayslipRecord(
        contract_id=row.id,
        period_start=period.start,
        period_end=period.end,
        paid_on=paid_on,
        hours=worked,
        gross=coop.minor(payslip.gross),
        employee_contributions=coop.minor(employee),
        employer_contributions=coop.minor(employer),
        withholding=coop.minor(payslip.withholding),
        net=coop.minor(payslip.net),
        employer_cost=coop.minor(payslip.employer_cost),
        insurance=coop.minor(premiums),
        lines=[
            {
                "code": x.code,
                "label": x.label,
                "payer": x.payer,
                "base": str(x.base),
                "rate": None if x.rate is None else str(x.rate),
                "amount": str(x.amount),
            }
            for x in payslip.lines
        ],
    )
    session.add(record)
    session.flush()
    coop.post(
        session,
        book=entity.code,
        journal=JournalKind.PAYROLL,
        on=paid_on,
        lines=[
            debit(PostingRole.SALARIES, payslip.gross, partner=partner),
            debit(PostingRole.EMPLOYER_CONTRIBUTIONS, employer, partner=partner),
            debit(PostingRole.INSURANCE_PREMIUMS, premiums, partner="insurer"),
            credit(PostingRole.SOCIAL_CONTRIBUTIONS_PAYABLE, employee + employer, partner=partner),
            credit(PostingRole.WITHHOLDING_PAYABLE, payslip.withholding, partner=partner),
            credit(PostingRole.NET_PAY_PAYABLE, payslip.net, partner=partner),
            credit(PostingRole.SUPPLIERS, premiums, partner="insurer"),
        ],
        act=("payslip", record.id),
        actor=actor,
        reference=f"{row.code}/{period.start:%Y-%m}",
        description=f"Payslip {period.start:%Y-%m} of member {member.number}",
    )
    audit.record(
        session,
        actor=actor,
        action="payroll.pay",
        subject=f"payslip:{row.code}/{period.start:%Y-%m}",
        data={"gross": str(payslip.gross), "net": str(payslip.net), "cost": str(cost)},
    )
    return record


# --- budget simulation ----------------------------------------------------------------
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


def _simulate(
    coop: Cooperative,
    budget: Decimal,
    terms: EmploymentContract,
    on: date,
    invoiced: Decimal | None,
    vat: Decimal,
    fee: Decimal,
) -> BudgetSimulation:
    period = month_of(on)

    def with_premiums(gross: Decimal) -> Payslip:
        slip = compute_payslip(coop, _with_gross(terms, gross), period)
        extra = insurance_premiums(coop, slip.gross, on)
        return Payslip(
            slip.period,
            slip.gross,
            slip.lines,
            slip.withholding,
            slip.net,
            slip.employer_cost + extra,
        )

    gross = gross_for_employer_cost(with_premiums, max(budget, Decimal(0)), coop.currency)
    payslip = compute_payslip(coop, _with_gross(terms, gross), period)
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
    )


def _with_gross(terms: EmploymentContract, gross: Decimal) -> EmploymentContract:
    return EmploymentContract(
        worker_category=terms.worker_category,
        start=terms.start,
        monthly_gross=gross,
        part_time=Decimal(1),
        tax_situation=terms.tax_situation,
        dependent_children=terms.dependent_children,
    )


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
) -> BudgetSimulation:
    """From an entity's available funds plus guarantee: the largest salary it can pay."""
    holder = entity_by_code(session, entity)
    budget = available_funds(session, book=holder.code, on=END_OF_TIME) + coverage(
        session, coop, holder.id, on
    )
    terms = EmploymentContract(
        worker_category, on, tax_situation=tax_situation, dependent_children=dependent_children
    )
    return _simulate(coop, budget, terms, on, None, Decimal(0), Decimal(0))
