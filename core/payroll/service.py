"""Employment acts: hiring a member under a contract and paying payslips, one or a
whole payroll run at once.

The country plugin computes the payslip (``partage_payslip``) on the hours the sectors
in force guarantee (``partage_paid_hours``) and gives the mutualised insurance
policies; sector plugins may still add lines through the deprecated
``partage_payslip_extra_lines``. The core checks the no-bankruptcy rule on the
employer cost plus insurance premiums, posts the payroll entry and keeps the payslip
as computed.

Payroll entry (entity's books, payroll journal): salaries (gross) and employer
contributions debited; social contributions (employee and employer), withholding and
net pay owed credited; insurance premiums debited against the insurer (suppliers).

A payroll run (:func:`run_payroll`) is one transaction that posts every payslip it pays
with one ``Ledger.post_many`` and writes the payslip and audit rows with executemany.
What it refuses, and how:

* a wrong run — an unknown contract, a contract twice, a month outside a contract's
  term, hours missing on an hourly contract or given on a monthly one, a payslip the
  country plugin cannot compute — is refused whole, naming the contract: nothing is
  written, as for any act;
* a payslip whose month is already paid, or whose entity is closed, is refused alone
  and reported in :attr:`.runs.PayrollRun.refused` with the reason; the run pays the
  others;
* a payslip is never refused for lack of funds: wages for work done are owed (BE loi
  du 12 avril 1965; FR C. trav. L3242-1). The funds check is made where the
  commitment is made, at the hire (:func:`reserved_months`); what the payslips paid
  release of the hire's reservation, and what they leave short, the salary guarantee
  fund advances (:func:`partage.core.sales.fund_cover.cover_shortfall`), which blocks
  the entity's new commitments until repaid.

:func:`pay` is a run of one payslip that raises its refusal instead of reporting it.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import (
    ClosedRecord,
    Cooperative,
    InvalidAct,
    NotFound,
    next_number,
    positive_amount,
    reference,
    within_bounds,
)
from partage.core.contract.errors import N_, PartageError, Word
from partage.core.contract.money import (
    MoneyError,
    as_decimal,
    from_minor,
    largest_act_amount,
    round_money,
)
from partage.core.contract.payroll import (
    EmploymentContract,
    InsurancePolicy,
    Payslip,
    PayslipLine,
)
from partage.core.contract.payslips import assemble_payslip
from partage.core.contract.periods import Period
from partage.core.contract.sectors import ActKind
from partage.core.members.membership import member_by_number
from partage.core.members.models import Entity, Member, Office
from partage.core.members.sectors_in_force import prefetch
from partage.core.members.service import entity_by_code
from partage.core.payroll.declarations import declare_hire, declares_hires
from partage.core.payroll.headcount import monthly_headcounts
from partage.core.payroll.models import Contract, PayslipRecord
from partage.core.payroll.runs import (
    PAYSLIP,
    Candidate,
    PaidSlip,
    PayrollItem,
    PayrollRefusal,
    PayrollRun,
    affordable_slips,
    write_paid,
)
from partage.core.platform import audit
from partage.core.platform.db.engine import chunks
from partage.core.risk.solvency import require_funds
from partage.core.sales.fund_cover import cover_shortfall
from partage.core.sectors.rules import check_act, paid_terms

#: The most hours a month can hold (31 days of 24 hours): a fact of the calendar, not a
#: rule of working time (which the sectors and the country's law set), that bounds the
#: hours of one payslip and, times an hourly rate, the pay one act may carry.
HOURS_IN_LONGEST_MONTH = 31 * 24
#: Hours are counted to the hundredth (36 seconds), as timesheets and payslips print them.
HOURS_DECIMALS = 2


def _terms(
    row: Contract,
    currency: str,
    hours: Decimal | None = None,
    headcounts: tuple[tuple[date, Decimal], ...] = (),
    authority: str | None = None,
    paid_on: date | None = None,
    hours_before: Decimal = Decimal(0),
) -> EmploymentContract:
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
        employer_headcounts=headcounts,
        workplace_authority=authority,
        paid_on=paid_on,
        student_hours_before=hours_before,
    )


def hours_paid_this_year(
    session: Session, rows: Iterable[Contract], period: Period
) -> dict[tuple[int, str], Decimal]:
    """Hours each worker was paid here, in the calendar year before ``period``, under
    contracts of each category, by ``(member id, category)``: what a yearly quota of
    hours counts (Belgium's students), beside the hours declared at hiring."""
    members = {row.member_id for row in rows}
    found: dict[tuple[int, str], Decimal] = {}
    first = period.start.replace(month=1, day=1)
    for part in chunks(sorted(members)):
        query = (
            select(Contract.member_id, Contract.worker_category, PayslipRecord.hours)
            .join(PayslipRecord, PayslipRecord.contract_id == Contract.id)
            .where(
                Contract.member_id.in_(part),
                PayslipRecord.period_start >= first,
                PayslipRecord.period_start < period.start,
                PayslipRecord.hours.is_not(None),
            )
        )
        for member, category, hours in session.execute(query):
            key = (member, category)
            found[key] = found.get(key, Decimal(0)) + Decimal(hours or 0)
    return found


def workplace_authorities(
    session: Session, coop: Cooperative, entities: Iterable[Entity]
) -> dict[int, str | None]:
    """The payroll authority of each entity's office (``instance.offices[].
    payroll_authority``), by entity id: where the levies of the place of work go."""
    by_office = {o.code: o.payroll_authority for o in coop.instance.offices}
    rows = list(entities)
    query = select(Office.id, Office.code).where(Office.id.in_({e.office_id for e in rows}))
    codes: dict[int, str] = {office: code for office, code in session.execute(query)}
    return {e.id: by_office.get(codes.get(e.office_id, "")) for e in rows}


def contract_end_cost(coop: Cooperative, terms: EmploymentContract, gross: Decimal) -> Decimal:
    """What ending ``terms`` costs beyond its payslips for ``gross`` paid up to its end
    (the country's ``partage_contract_end_cost``; nothing when it does not answer)."""
    try:
        cost = coop.plugins.hook.partage_contract_end_cost(contract=terms, gross=gross)
    except PartageError as exc:
        raise InvalidAct(exc.field, exc.rule, value=exc.value) from None
    return Decimal(0) if cost is None else cost


def compute_payslip(coop: Cooperative, terms: EmploymentContract, period: Period) -> Payslip:
    """The country's payslip plus the enabled sectors' lines, totals re-derived."""
    terms = paid_terms(coop, terms, period)
    try:
        payslip = coop.plugins.hook.partage_payslip(contract=terms, period=period)
    except PartageError as exc:
        raise InvalidAct(exc.field, exc.template, value=exc.value, **exc.params) from None
    if payslip is None:
        raise InvalidAct("payroll", N_("the country plugin computes no payslip"))
    extra: list[PayslipLine] = [
        line
        for group in coop.plugins.hook.partage_payslip_extra_lines(
            contract=terms, period=period, payslip=payslip
        )
        for line in group
    ]
    if not extra:
        return payslip
    return assemble_payslip(
        period, payslip.gross, (*payslip.lines, *extra), payslip.withholding, coop.currency
    )


def insurance_premiums(coop: Cooperative, gross: Decimal, on: date) -> Decimal:
    """Premiums of the mutualised policies for one payslip of ``gross``."""
    return _premiums(_policies(coop, on), gross, coop.currency)


def _policies(coop: Cooperative, on: date) -> tuple[InsurancePolicy, ...]:
    return tuple(coop.plugins.hook.partage_insurance_policies(on=on) or ())


def _premiums(policies: Sequence[InsurancePolicy], gross: Decimal, currency: str) -> Decimal:
    total = Decimal(0)
    for policy in policies:
        if policy.premium_basis == "payroll_rate" and policy.rate is not None:
            total += gross * policy.rate
        elif policy.premium_basis == "flat" and policy.flat_amount is not None:
            total += policy.flat_amount
    return round_money(total, currency)


class Consent(enum.StrEnum):
    """How the worker agreed to a contract, as its hire's audit record keeps it."""

    SELF = "self"  # the worker hired themselves, from their own login
    STAFF = "staff"  # office staff or an administrator entered the hire
    WORKER = "worker"  # the worker accepted an offer from their own login
    STAFF_FOR_WORKER = "staff_for_worker"  # staff accepted an offer on the worker's behalf


@dataclass(frozen=True)
class Terms:
    """An employment contract's terms as a hire or an offer gives them.

    Attributes:
        entity, member: the paying entity's code and the worker's membership number.
        worker_category, start, end, monthly_gross, hourly_rate, part_time,
        tax_situation, dependent_children: as :func:`hire` takes them.
    """

    entity: str
    member: int
    worker_category: str
    start: date
    end: date | None = None
    monthly_gross: Decimal | str | None = None
    hourly_rate: Decimal | str | None = None
    part_time: Decimal | str = "1"
    tax_situation: str = "single"
    dependent_children: int = 0


@dataclass(frozen=True)
class Checked:
    """Terms checked by :func:`check_terms`: the entity, the worker, the contract row
    (not added to the session), the first month's payslip, and the cooperative as the
    entity's sectors see it."""

    entity: Entity
    worker: Member
    row: Contract
    payslip: Payslip
    coop: Cooperative


def check_terms(session: Session, coop: Cooperative, terms: Terms) -> Checked:
    """Check a contract's terms without committing anything: an open entity, a member
    who has not left, the sectors' rules on the act, amounts and a payslip the country
    can compute for the first month. Writes nothing."""
    holder = entity_by_code(session, terms.entity)
    coop = check_act(
        session,
        coop,
        holder,
        ActKind.CONTRACT,
        terms.start,
        member=terms.member,
        worker_category=terms.worker_category,
        end=terms.end,
    )
    worker = _hireable(session, terms.member, terms.start, terms.end)
    monthly = _optional_amount(terms.monthly_gross, coop.currency, "monthly_gross")
    hourly = _optional_amount(terms.hourly_rate, coop.currency, "hourly_rate")
    if hourly is not None:
        _bounded(
            hourly * HOURS_IN_LONGEST_MONTH,
            coop.currency,
            "hourly_rate",
            f"the pay of the {HOURS_IN_LONGEST_MONTH} hours of a 31-day month at {hourly} an hour",
        )
    if terms.dependent_children < 0:
        raise InvalidAct(
            "dependent_children",
            N_("{terms_dependent_children} must not be negative"),
            terms_dependent_children=terms.dependent_children,
        )
    row = Contract(
        entity_id=holder.id,
        member_id=worker.id,
        worker_category=terms.worker_category,
        start=terms.start,
        end=terms.end,
        monthly_gross=coop.minor(monthly) if monthly else None,
        hourly_rate=coop.minor(hourly) if hourly else None,
        part_time=Decimal(str(terms.part_time)),
        tax_situation=terms.tax_situation,
        dependent_children=terms.dependent_children,
    )
    probe_hours = None if monthly else Decimal(0)
    authority = workplace_authorities(session, coop, [holder])[holder.id]
    payslip = compute_payslip(
        coop,
        _terms(row, coop.currency, probe_hours, authority=authority),
        Period.month_of(terms.start),
    )
    if monthly is not None:
        _bounded_payslip(payslip, Decimal(0), coop.currency, "monthly_gross")
    return Checked(holder, worker, row, payslip, coop)


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
    on: date | None = None,
    consent: Consent = Consent.STAFF,
) -> Contract:
    """Hire a member (often the entity's own holder) under an employment contract.

    The caller vouches for the worker's consent and says how it was given
    (``consent``, kept in the audit record): the worker hiring themselves, staff
    entering the hire, or an offer the worker accepted (:mod:`.offers`). A member's
    login hires only its own member; another member is offered the contract.

    A monthly contract is a commitment: the hire reserves what the contract legally
    commits (:func:`reserved_months` months of employer cost and premiums, each with
    the share of the contract's end cost its gross brings: :func:`contract_end_cost`,
    Belgium's exit holiday pay), which must fit the entity's funds and guarantee, or the
    hiring is refused; the reservation holds those funds against other commitments and
    its payslips release it as they are paid. An hourly one commits nothing until hours
    are paid.

    The law wants the hire declared to the State before work starts (Belgium's Dimona,
    France's DPAE), so the declaration is made here, in the same transaction, on
    ``on`` (the day the hiring is recorded; the start by default), whenever the country
    plugin produces one and the instance has its issuer facts: a declaration the country
    refuses (made after the start) refuses the hiring, and nothing is written.
    """
    checked = check_terms(
        session,
        coop,
        Terms(
            entity,
            member,
            worker_category,
            start,
            end,
            monthly_gross,
            hourly_rate,
            part_time,
            tax_situation,
            dependent_children,
        ),
    )
    row, coop = checked.row, checked.coop
    if row.monthly_gross:
        cost = (
            checked.payslip.employer_cost
            + insurance_premiums(coop, checked.payslip.gross, start)
            + contract_end_cost(coop, _terms(row, coop.currency), checked.payslip.gross)
        )
        _bounded(cost, coop.currency, "monthly_gross", "a month's employer cost and premiums")
        months = reserved_months(start, end)
        reserved = _bounded(
            cost * months,
            coop.currency,
            "end",
            f"the {months} months of employer cost the hire reserves",
        )
        require_funds(
            session,
            coop,
            checked.entity,
            reserved,
            on=start,
            what=Word(N_("hiring ({months} months of employer cost reserved)"), months=months)
            if months > 1
            else N_("hiring (1 month of employer cost reserved)"),
        )
        row.reserved = coop.minor(reserved)
    row.code = reference("K", next_number(session, "contract", 0))
    session.add(row)
    session.flush()
    monthly = from_minor(row.monthly_gross, coop.currency) if row.monthly_gross else None
    hourly = from_minor(row.hourly_rate, coop.currency) if row.hourly_rate else None
    audit.record(
        session,
        actor=actor,
        action="contract.hire",
        subject=f"contract:{row.code}",
        reason=f"member {member} for entity {entity}",
        data={
            "category": worker_category,
            "monthly_gross": str(monthly),
            "hourly": str(hourly),
            "consent": consent.value,
        },
    )
    issuer = coop.instance.issuer
    if issuer is not None and declares_hires(coop):
        declare_hire(session, coop, row.code, issuer, on=on or start, actor=actor)
    return row


def reserved_months(start: date, end: date | None) -> int:
    """How many months of employer cost a monthly contract's hire reserves: what the
    contract commits the entity to pay whatever happens.

    * A fixed-term contract cannot be ended early but for serious misconduct or force
      majeure; otherwise the employer owes the pay of the remaining term (BE loi du 3
      juillet 1978 relative aux contrats de travail, art. 40; FR C. trav. L1243-4, the
      pay the worker would have received until the term). So its hire reserves every
      month of its term, counted in calendar months from the start's to the end's, a
      partial month as a whole one.
    * An open-ended contract commits its notice period and end-of-contract pay, which
      depend on seniority and which the country's payroll does not compute yet: its
      hire reserves the next month, as before.
    """
    if end is None:
        return 1
    return (end.year - start.year) * 12 + end.month - start.month + 1


def _hireable(session: Session, member: int, start: date, end: date | None) -> Member:
    """The member to hire; refuses one who left, and an end before the start."""
    worker = member_by_number(session, member)
    if worker.left_on is not None:
        raise ClosedRecord(
            "member", N_("left on {worker_left_on}"), value=member, worker_left_on=worker.left_on
        )
    if end is not None and end < start:
        raise InvalidAct("end", N_("{end} is before the start {start}"), end=end, start=start)
    return worker


def _optional_amount(value: Decimal | str | None, currency: str, field: str) -> Decimal | None:
    """A positive amount when one is given."""
    return positive_amount(value, currency, field=field) if value is not None else None


def _rows_by(
    session: Session, model: type[Any], column: str, keys: Sequence[object]
) -> dict[Any, Any]:
    """Rows of ``model`` whose ``column`` is one of ``keys``, keyed by that column."""
    found: dict[Any, Any] = {}
    attribute = getattr(model, column)
    for part in chunks(list(keys)):
        for row in session.scalars(select(model).where(attribute.in_(part))):
            found[getattr(row, column)] = row
    return found


def _bounded(amount: Decimal, currency: str, field: str, what: str) -> Decimal:
    """``amount`` if one act may carry it, else a refusal naming ``field`` and saying
    ``what`` the amount is (see :data:`~partage.core.contract.money.MAX_ACT_MINOR`)."""
    largest = largest_act_amount(currency)
    if abs(amount) > largest:
        raise InvalidAct(
            field,
            N_("{what}: {item_a}, more than one act may carry, {largest}"),
            what=what,
            item_a=round_money(amount, currency),
            largest=largest,
        )
    return amount


def _bounded_payslip(payslip: Payslip, premiums: Decimal, currency: str, field: str) -> None:
    """Refuse, naming ``field``, a payslip whose gross, net or employer cost plus
    ``premiums`` one act may not carry: checked before anything is written."""
    for what, amount in (
        ("the gross", payslip.gross),
        ("the net pay", payslip.net),
        ("the employer cost and premiums", payslip.employer_cost + premiums),
    ):
        _bounded(amount, currency, field, f"{what} of the payslip")
    within_bounds(payslip.withholding, currency, field=field)


def _hours(item: PayrollItem, row: Contract, period: Period) -> Decimal | None:
    """The hours worked in ``period`` on an hourly contract: a number of hundredths of
    an hour, more than zero, and no more than the period holds.

    Zero hours are refused, not paid as an empty payslip: wages are owed for work done
    (BE loi du 12 avril 1965 art. 2, the pay due for the work; FR C. trav. L3242-1, the
    monthly pay of the hours worked), so a month without work owes none, and a payslip
    of nothing would mark the month paid and refuse the one that pays the hours once
    they are known.
    """
    if item.hours is None:
        if row.hourly_rate:
            raise InvalidAct(
                "hours",
                N_("contract {row_code} is hourly; it is paid for the hours worked"),
                row_code=row.code,
            )
        return None
    if not row.hourly_rate:
        raise InvalidAct(
            "hours", N_("contract {row_code} is monthly; it is paid no hours"), row_code=row.code
        )
    raw = item.hours.strip() if isinstance(item.hours, str) else item.hours
    try:
        hours = as_decimal(raw, field="hours")
    except MoneyError as exc:
        raise InvalidAct(
            "hours", N_("{exc_rule} (contract {row_code})"), exc_rule=exc.rule, row_code=row.code
        ) from None
    if hours <= 0:
        raise InvalidAct(
            "hours",
            N_(
                "{hours} of contract {row_code} must be more than zero: a payslip pays hours worked"
            ),
            hours=hours,
            row_code=row.code,
        )
    most = ((period.end - period.start).days + 1) * 24
    if hours > most:
        raise InvalidAct(
            "hours",
            N_(
                "{hours} of contract {row_code} is more than the {most} hours "
                "of the month starting {period_start}"
            ),
            hours=hours,
            row_code=row.code,
            most=most,
            period_start=period.start,
        )
    if hours != round(hours, HOURS_DECIMALS):
        raise InvalidAct(
            "hours",
            N_("{hours} of contract {row_code} has more than {hours_decimals} decimals"),
            hours=hours,
            row_code=row.code,
            hours_decimals=HOURS_DECIMALS,
        )
    return hours


def _candidates(
    session: Session,
    coop: Cooperative,
    items: Sequence[PayrollItem],
    period: Period,
    paid_on: date,
) -> tuple[list[Candidate], list[PayrollRefusal]]:
    """Check the run's shape (refusing it whole) and compute its payslips; return
    those to pay and those refused for a closed entity or a month already paid."""
    codes = [i.contract for i in items]
    if len(set(codes)) != len(codes):
        twice = sorted({c for c in codes if codes.count(c) > 1})
        raise InvalidAct(
            "items", N_("contract {item_a} appears twice in the run"), item_a=", ".join(twice)
        )
    contracts = _rows_by(session, Contract, "code", codes)
    unknown = [c for c in codes if c not in contracts]
    if unknown:
        raise NotFound("contract", N_("no such contract"), value=repr(unknown[0]))
    entities = _rows_by(session, Entity, "id", [c.entity_id for c in contracts.values()])
    prefetch(session, entities.values(), paid_on)
    members = {
        m.id: m.number
        for m in _rows_by(session, Member, "id", [c.member_id for c in contracts.values()]).values()
    }
    already: set[int] = set()
    for part in chunks([c.id for c in contracts.values()]):
        already.update(
            session.scalars(
                select(PAYSLIP.c.contract_id).where(
                    PAYSLIP.c.contract_id.in_(part), PAYSLIP.c.period_start == period.start
                )
            )
        )
    policies = _policies(coop, paid_on)
    headcounts = monthly_headcounts(session, period.start)
    authorities = workplace_authorities(session, coop, entities.values())
    paid_hours = hours_paid_this_year(session, contracts.values(), period)
    kept: list[Candidate] = []
    refused: list[PayrollRefusal] = []
    for item in items:
        row = contracts[item.contract]
        if period.end < row.start or (row.end is not None and period.start > row.end):
            raise InvalidAct(
                "month",
                N_("{period_start:%Y-%m} is outside the term of contract {row_code}"),
                period_start=period.start,
                row_code=row.code,
            )
        hours = _hours(item, row, period)
        entity = entities[row.entity_id]
        if entity.closed_on is not None or row.id in already:
            error = (
                ClosedRecord(
                    "entity",
                    N_("closed on {entity_closed_on}"),
                    value=entity.code,
                    entity_closed_on=entity.closed_on,
                )
                if entity.closed_on is not None
                else ClosedRecord(
                    "contract",
                    N_("{period_start:%Y-%m} is already paid"),
                    value=row.code,
                    period_start=period.start,
                )
            )
            refused.append(PayrollRefusal(row.code, entity.code, error, Decimal(0)))
            continue
        coop = check_act(
            session,
            coop,
            entity,
            ActKind.PAYSLIP,
            paid_on,
            member=members[row.member_id],
            hours=hours,
        )
        terms = _terms(
            row,
            coop.currency,
            hours,
            headcounts,
            authorities[entity.id],
            paid_on,
            paid_hours.get((row.member_id, row.worker_category), Decimal(0)),
        )
        payslip = compute_payslip(coop, terms, period)
        premiums = _premiums(policies, payslip.gross, coop.currency)
        _bounded_payslip(payslip, premiums, coop.currency, "hours" if hours else "monthly_gross")
        kept.append(Candidate(item, row, entity, members[row.member_id], hours, payslip, premiums))
    return kept, refused


def run_payroll(
    session: Session,
    coop: Cooperative,
    items: Sequence[PayrollItem],
    *,
    month: date,
    paid_on: date,
    actor: str,
) -> PayrollRun:
    """Pay a month's payslips of many contracts in one transaction (see the module:
    a wrong run is refused whole; a payslip of a closed entity or a month already paid
    is refused alone; none is refused for lack of funds).

    The guarantee fund is what lets a payslip pass when the job is delivered and
    invoiced but the client has not paid yet: coverage counts the open receivables.
    """
    period = Period.month_of(month)
    candidates, refused = _candidates(session, coop, items, period, paid_on)
    paid, short = (
        affordable_slips(session, coop, candidates, period, paid_on) if candidates else ([], [])
    )
    ids = write_paid(session, coop, paid, period, paid_on, actor) if paid else []
    for entity in sorted({c.entity.id: c.entity for c in paid}.values(), key=lambda e: e.id):
        cover_shortfall(
            session, coop, entity, on=paid_on, actor=actor, cause=f"payslips {period.start:%Y-%m}"
        )
    order = {item.contract: n for n, item in enumerate(items)}
    return PayrollRun(
        period,
        tuple(
            PaidSlip(i, c.contract.code, c.entity.code, c.member, c.payslip, c.insurance)
            for c, i in zip(paid, ids, strict=True)
        ),
        tuple(sorted((*refused, *short), key=lambda r: order[r.contract])),
    )


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
    """Pay one contract's month: compute, check funds, post, keep the payslip; a
    refusal is raised (:class:`InsufficientFunds`, :class:`ClosedRecord`)."""
    run = run_payroll(
        session, coop, [PayrollItem(contract, hours)], month=month, paid_on=paid_on, actor=actor
    )
    if run.refused:
        raise run.refused[0].error
    record = session.get(PayslipRecord, run.paid[0].payslip_id)
    assert record is not None
    return record
