"""The pay of a simulated month: hiring, the payroll run and the salary transfer.

Each entity's holder is hired once: by the hour early in the month (a contract that
commits nothing until hours are paid), or, for the kinds that pay a monthly salary,
late in the month for a gross the entity's funds can pay. On the last day the payroll
run pays monthly contracts at their gross and hourly ones for the hours each holder
chose the way the budget simulation shows them — most within what the entity can
afford, a few beyond it (the run refuses those by the no-bankruptcy rule). The net pay
then leaves as one SEPA file, when the cooperative has a bank account to pay from.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from partage.core.banking import sepa
from partage.core.banking.models import OrderKind
from partage.core.contract.identity import SIMULATED_MINIMUM_MONTHLY_GROSS
from partage.core.contract.money import from_minor, minor_quantum
from partage.core.contract.payroll import EmploymentContract
from partage.core.contract.periods import Period
from partage.core.demo.kinds import MONTHLY_KINDS
from partage.core.demo.schedule import MonthSchedule, one_unless_none
from partage.core.demo.world import OpenEntity
from partage.core.payroll import service as payroll
from partage.core.payroll.models import Contract
from partage.core.payroll.runs import PayrollItem, PayrollRun
from partage.core.platform.issuer import Issuer
from partage.core.risk.solvency import headrooms

#: Hourly rates of contracts paid by the hour, in euros.
HOURLY_RATES = tuple(Decimal(r) for r in (14, 16, 18, 20, 22, 25, 28, 32, 36, 40))
#: What a monthly gross costs its entity, roughly (employer contributions and premiums):
#: a monthly contract is hired for a share of the entity's headroom divided by it.
EMPLOYER_COST_FACTOR = Decimal("1.45")
#: Monthly grosses are round figures: multiples of this many euros, to the nearest power
#: of ten once scaled (10 euros, 1 000 krónur or yen).
SALARY_STEP = Decimal(10)
#: The most hours a holder chooses to be paid for in a month.
MOST_HOURS = Decimal(169)


def salary_step(scale: Decimal, currency: str) -> Decimal:
    """The step monthly grosses are rounded down to: :data:`SALARY_STEP` euros scaled by
    the price level, to the nearest power of ten (10 in euros, 1000 in krónur at 150 a
    euro), never below the currency's minor unit."""
    power = (SALARY_STEP * scale).log10().to_integral_value(ROUND_HALF_UP)
    return max(Decimal(10) ** int(power), minor_quantum(currency))


def plan_hiring(month: MonthSchedule, entities: Sequence[OpenEntity]) -> None:
    """Each entity's holder gets a contract once: by the hour early in the month
    (it commits nothing until hours are paid), or monthly late in the month, for a
    gross its funds can pay."""
    rng = month.rng
    for entity in entities[: month.volume.payslips]:
        if entity.contract is not None:
            continue
        category = month.samples.category_for(entity.kind)
        monthly = entity.kind in MONTHLY_KINDS
        on = month.day(18, 22) if monthly else month.day(4, 10)
        rate = month.scaled(rng.choice(HOURLY_RATES))
        share = Decimal(rng.randint(40, 80)) / 100
        month.at(
            on,
            7 if monthly else 0,
            "contract.hire",
            _hire(month, entity, category, on, None if monthly else rate, share),
            count=one_unless_none,
        )


def _hire(
    month: MonthSchedule,
    entity: OpenEntity,
    category: str,
    on: date,
    rate: Decimal | None,
    share: Decimal,
) -> Callable[[Session], str | None]:
    """Hiring the entity's holder at ``rate`` an hour or, without a rate, for a monthly
    gross of ``share`` of what the entity can afford that day (none below the minimum
    monthly gross: the entity's activity does not pay a salary yet)."""

    def act(session: Session) -> str | None:
        gross = None
        if rate is None:
            room = headrooms(session, month.coop, [entity.id], on)[entity.id]
            step = salary_step(month.scale, month.currency)
            steps = (room * share / (EMPLOYER_COST_FACTOR * step)).to_integral_value(ROUND_FLOOR)
            gross = month.round(steps * step)
            if gross < month.scaled(SIMULATED_MINIMUM_MONTHLY_GROSS):
                return None  # not enough activity yet for a monthly salary
        contract = payroll.hire(
            session,
            month.coop,
            entity=entity.code,
            member=entity.holder,
            worker_category=category,
            start=on,
            monthly_gross=gross,
            hourly_rate=rate,
            actor=month.actor,
            consent=payroll.Consent.SELF,  # each holder hires themselves
        )
        month.results[f"contract:{entity.code}"] = [contract.code, rate is None]
        return contract.code

    return act


def plan_pay(month: MonthSchedule, entities: Sequence[OpenEntity]) -> None:
    """On the month's last day, the payroll run, then the salary transfer when the
    cooperative has facts to issue it from."""
    month.at(month.last, 9, "payslip", _pay_month(month, entities), count=lambda r: len(r.paid))
    issuer = month.coop.instance.issuer
    if issuer is not None:  # a cooperative not yet registered has no account to pay from
        month.at(
            month.last,
            10,
            "salary.transfer",
            lambda s: _transfer_salaries(month, s, issuer),
            count=lambda batch: len(batch.orders),
        )


def _pay_month(
    month: MonthSchedule, entities: Sequence[OpenEntity]
) -> Callable[[Session], PayrollRun]:
    """The month's payroll run: monthly contracts at their gross; hourly ones for
    the hours each holder chose from what the entity can afford — most within it,
    some beyond (the run refuses those)."""
    costs: dict[tuple[str, Decimal], Decimal] = {}
    rng = month.generator("payroll")

    def act(session: Session) -> PayrollRun:
        for entity in entities:  # hired this month (a replayed hiring left only this)
            if f"contract:{entity.code}" in month.results:
                entity.contract, entity.monthly = month.results[f"contract:{entity.code}"]
        hired = [e for e in entities if e.contract is not None][: month.volume.payslips]
        rooms = headrooms(session, month.coop, [e.id for e in hired], month.last)
        rates = _hourly_rates(session)
        items = []
        for entity in hired:
            if entity.monthly:
                items.append(PayrollItem(str(entity.contract)))
                continue
            assert entity.contract is not None  # hired: only entities with a contract
            rate = from_minor(int(rates[entity.contract]), month.currency)
            reach = (
                Decimal(rng.randint(35, 95))
                if rng.random() < 0.88
                else Decimal(rng.randint(102, 125))
            ) / 100
            hours = rooms[entity.id] * reach / _hour_cost(month, costs, entity, rate)
            hours = min(MOST_HOURS, hours).to_integral_value(rounding=ROUND_FLOOR)
            if hours >= 1:
                items.append(PayrollItem(str(entity.contract), hours))
        run = payroll.run_payroll(
            session, month.coop, items, month=month.first, paid_on=month.last, actor=month.actor
        )
        for refused in run.refused:
            month.meter.refuse("payslip", refused.error)
        month.results["payroll"] = run
        return run

    return act


def _hourly_rates(session: Session) -> dict[str, int]:
    """The hourly rate of each contract paid by the hour, in minor units, by code."""
    return {
        code: rate
        for code, rate in session.execute(
            select(Contract.code, Contract.hourly_rate).where(Contract.hourly_rate.is_not(None))
        )
        if rate is not None  # the query's own filter, said again for the type
    }


def _hour_cost(
    month: MonthSchedule,
    costs: dict[tuple[str, Decimal], Decimal],
    entity: OpenEntity,
    rate: Decimal,
) -> Decimal:
    """What one hour at ``rate`` costs the entity (employer cost and premiums),
    from a 100-hour payslip of its category, kept in ``costs`` by category and rate."""
    category = month.samples.category_for(entity.kind)
    if (category, rate) not in costs:
        terms = EmploymentContract(category, month.first, hourly_rate=rate, hours=Decimal(100))
        slip = payroll.compute_payslip(month.coop, terms, Period.month_of(month.first))
        premiums = payroll.insurance_premiums(month.coop, slip.gross, month.last)
        costs[category, rate] = (slip.employer_cost + premiums) / 100
    return costs[category, rate]


def _transfer_salaries(month: MonthSchedule, session: Session, issuer: Issuer) -> sepa.Batch:
    """The month's net pay sent as one SEPA file on its last day, each entity within
    its means (what does not fit is held, as the cooperative's treasurer would)."""
    batch = sepa.build_batch(
        session,
        month.coop,
        issuer,
        execution_on=month.last,
        actor=month.actor,
        kinds=[OrderKind.SALARY],
    )
    month.results["salary_batch"] = batch
    sent = batch.batch
    month.results["salary_file"] = {
        "reference": sent.reference if sent is not None else None,
        "total": sent.total if sent is not None else 0,
        "orders": len(batch.orders),
        "held": len(batch.held),
    }
    return batch
