"""A month of activity of a national instance, run through the same acts as real work.

``partage demo`` and the month benchmark both use it. Given a volume (how many members
join, how many invoices, payments, payslips...) and a seed, :func:`simulate_month`
admits members with valid national numbers and IBANs, opens their entities across the
instance's offices and kinds, registers clients and suppliers with valid VAT numbers
(the country plugin computes its own, hook ``partage_sample_data``),
then lives the month day by day: quotes (accepted, refused, revised, expired),
invoices at the country's VAT rates (EU business clients are reverse-charged), credit
notes, partial and full payments and an over-payment kept as credit, cash receipts,
purchases and their payment, expense claims and their reimbursement, hiring, a client
default written off against the salary guarantee fund, and the month's payroll run. An
instance whose fund holds nothing yet (the first month) starts with its founding
general assembly's allocation to the fund, without which the fund's capacity (balance
× leverage) would refuse most of the month's coverage before fees fill it.

Every act is one transaction through the service layer, so every rule applies: a
purchase, an expense claim, a hiring or a payslip the entity cannot afford is refused
by the no-bankruptcy rule and counted as such. Members choose their pay the way the
budget simulation shows them: hours from what their entity can afford, most within it,
a few beyond it (those payslips are refused).

Prices, pay rates, salaries and spending are invented in euros and scaled by the
country's price level (:attr:`~partage.core.contract.SampleData.price_level`, how many
units of its currency buy what one euro buys), each rounded to the currency's minor
unit: a month in krónur or yen looks like one, and a month in euros is the same month
at any price level of 1.

The same seed and month give the same activity; a later month goes on from what the
database holds (open invoices of earlier months are paid late, contracts are paid
again). The :class:`~partage.core.demo.meter.Meter` counts and times each act kind, for
the benchmark.

This module holds the month's order; each family of acts has its planner beside it:
:mod:`~partage.core.demo.people` (newcomers), :mod:`~partage.core.demo.sales` (quotes,
invoices, credit notes), :mod:`~partage.core.demo.collection` (payments and the client
default), :mod:`~partage.core.demo.spending` (purchases, expense claims) and
:mod:`~partage.core.demo.payroll` (hiring, payslips, the salary file), all drawing from
the one seeded generator of :class:`~partage.core.demo.schedule.MonthSchedule`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from partage.core.acts.cooperative import Cooperative
from partage.core.banking.sepa import Batch
from partage.core.contract.errors import PartageError
from partage.core.contract.money import from_minor
from partage.core.demo import collection, payroll, sales, spending
from partage.core.demo.applications import submit_applications
from partage.core.demo.meter import Meter
from partage.core.demo.people import Newcomers
from partage.core.demo.schedule import MonthSchedule
from partage.core.demo.volume import Volume
from partage.core.demo.world import World, load_world
from partage.core.ledger.periods import ensure_year
from partage.core.ledger.posting import fiscal_year_of
from partage.core.payroll.runs import PayrollRun
from partage.core.platform import audit
from partage.core.platform.db.engine import transaction
from partage.core.platform.db.models import AuditRecord, SimulationStep
from partage.core.risk import fund
from partage.core.risk.fund import FundAllocation, WriteOff
from partage.core.risk.solvency import fund_balance
from partage.core.risk.takeover import TakeoverRun, run_takeovers
from partage.core.sales.models import Allocation, Payment

__all__ = [
    "MONTH_MARK",
    "MonthReport",
    "Volume",
    "client_credit",
    "interrupted_month",
    "last_simulated_month",
    "simulate_month",
]

MONTH_MARK = "simulation.month"


@dataclass(frozen=True)
class MonthReport:
    """What a simulated month did.

    Attributes:
        month: its first day.
        seed: the seed it was generated from.
        meter: acts done, refused and timed.
        payroll: the month's payroll run (``None`` when nobody was due pay).
        write_offs: invoices written off against the guarantee fund.
        credit_left: what over-payments left on clients' accounts as credit.
        salary_batch: the month's net pay sent as a SEPA file (``None`` without issuer
            facts, when the run was refused, or when an interrupted run sent it).
        written_off: how many invoices were written off (an interrupted run's included).
        salary_file: the salary file's reference, total in minor units, transfers and
            items held (an interrupted run's included), ``None`` when none was built.
        replayed: the steps an interrupted run had committed, taken from its journal.
    """

    month: date
    seed: int
    meter: Meter
    payroll: PayrollRun | None
    write_offs: tuple[WriteOff, ...]
    credit_left: Decimal
    salary_batch: Batch | None = None
    written_off: int = 0
    salary_file: dict[str, Any] | None = None
    replayed: int = 0


def last_simulated_month(session: Session) -> date | None:
    """The latest month a simulation generated in this database, if any."""
    subject = session.scalar(
        select(func.max(AuditRecord.subject)).where(AuditRecord.action == MONTH_MARK)
    )
    return date.fromisoformat(subject.split(":", 1)[1] + "-01") if subject else None


def simulate_month(
    sessions: sessionmaker[Session],
    coop: Cooperative,
    month: date,
    volume: Volume,
    *,
    seed: int = 0,
    actor: str = "simulation",
) -> MonthReport:
    """Live one month of the instance: newcomers, parties, then every act day by day.

    The database must be migrated and its instance and books loaded; the month's fiscal
    year is opened if it is not yet. Refusals by the engine's rules are counted in the
    report's meter, not raised.
    """
    state = MonthSchedule(sessions, coop, month, volume, seed, actor)
    _open_periods(state)
    started = {"seed": seed, "volume": asdict(volume)}
    lived = state.recall("month", lambda _: started)
    if lived != started:
        raise MonthDiffers(state.label, lived, started)
    newcomers = Newcomers(state)
    newcomers.open_entities(newcomers.admit_members())
    newcomers.register_parties()
    _plan(state, load_world(state))
    state.execute()
    submit_applications(state)
    _mark(state)
    with sessions() as session:
        credit = client_credit(session, coop)
    return MonthReport(
        state.first,
        seed,
        state.meter,
        state.results.get("payroll"),
        tuple(state.write_offs),
        credit,
        state.results.get("salary_batch"),
        written_off=state.results.get("written_off", 0),
        salary_file=state.results.get("salary_file"),
        replayed=state.replayed,
    )


class MonthDiffers(PartageError):
    """An interrupted month is being finished with another seed or volume than it was
    started with: its plan would differ from what its first run committed."""

    def __init__(self, month: str, lived: dict[str, Any], asked: dict[str, Any]) -> None:
        super().__init__(
            "month",
            f"{month} was started with seed {lived['seed']} and volume {lived['volume']}, "
            f"not seed {asked['seed']} and volume {asked['volume']}; finish it as started",
        )


def interrupted_month(session: Session) -> tuple[date, int, Volume] | None:
    """The month a simulation started in this database and did not finish (its steps
    are journalled, it is not marked as simulated), with its seed and volume."""
    done = select(AuditRecord.subject).where(AuditRecord.action == MONTH_MARK)
    row = session.execute(
        select(SimulationStep.month, SimulationStep.data)
        .where(SimulationStep.step == 1, ("month:" + SimulationStep.month).not_in(done))
        .order_by(SimulationStep.month)
    ).first()
    if row is None:
        return None
    month, data = row
    value = data["value"]
    return date.fromisoformat(f"{month}-01"), value["seed"], Volume(**value["volume"])


def _open_periods(month: MonthSchedule) -> None:
    """Open the fiscal years the month falls in, if they are not yet."""
    start_month = month.coop.ledger.fiscal_year_start_month
    with transaction(month.sessions) as session:
        for day in (month.first, month.last):
            year = fiscal_year_of(day, start_month)
            ensure_year(session, year, actor=month.actor, start_month=start_month)


#: What the founding general assembly allocates to the salary guarantee fund, per entity
#: of the first month, in euros (scaled by the price level): 100 euros an entity give
#: the fund a capacity of 1,000 euros an entity at leverage 10, above what a first
#: month's invoices (their VAT and fee are owed before clients pay) and commitments use
#: (about 800 euros an entity at its end) while the fee allocations build up.
FOUNDING_ALLOCATION_PER_ENTITY = Decimal(100)


def _plan_founding_allocation(month: MonthSchedule) -> None:
    """On the month's first day, the founding allocation to the fund, if it holds
    nothing yet."""
    if month.recall("fund_holds", lambda s: bool(fund_balance(s, month.coop))):
        return
    amount = month.scaled(FOUNDING_ALLOCATION_PER_ENTITY * month.volume.entities)

    def act(session: Session) -> FundAllocation:
        return fund.allocate(
            session,
            month.coop,
            amount,
            on=month.first,
            actor=month.actor,
            reason="founding general assembly: endowment of the salary guarantee fund",
        )

    month.at(month.first, 0, "guarantee_fund.allocate", act)


def _plan_takeovers(month: MonthSchedule) -> None:
    """Each week and on the month's last day, the fund's job: take over the receivables
    whose coverage lapsed, hand over what clients paid on those it holds, repay
    advances (an instance runs it daily; it is idempotent)."""
    days = sorted({*(month.first + timedelta(days=d) for d in (6, 13, 20, 27)), month.last})
    for day in days:
        if day > month.last:
            continue

        def act(session: Session, on: date = day) -> TakeoverRun:
            return run_takeovers(session, month.coop, on=on, actor=month.actor)

        month.at(day, 99, "guarantee_fund.takeovers", act, count=lambda r: len(r.taken_over))


def _plan(month: MonthSchedule, world: World) -> None:
    """Schedule the month's acts, each on its day. The planners draw from the month's
    one generator, so their order here is part of what a seed gives."""
    if not world.entities or not world.clients:
        return
    _plan_founding_allocation(month)
    sold = sales.plan_sales(month, world.entities)
    sales.plan_credit_notes(month, sold)
    collection.plan_payments(month, sold)
    spending.plan_purchases(month, sold, world.suppliers)
    spending.plan_expenses(month, sold)
    payroll.plan_hiring(month, world.entities)
    collection.plan_defaults(month, sold)
    payroll.plan_pay(month, world.entities)
    _plan_takeovers(month)


def _mark(month: MonthSchedule) -> None:
    """Record in the audit log that this month was simulated, and from what."""
    with transaction(month.sessions) as session:
        audit.record(
            session,
            actor=month.actor,
            action=MONTH_MARK,
            subject=f"month:{month.first:%Y-%m}",
            reason="simulated month of activity",
            data={"seed": month.seed, "volume": month.volume.__dict__},
        )


def client_credit(session: Session, coop: Cooperative) -> Decimal:
    """What payments received left on clients' accounts as credit, instance-wide."""
    received = session.scalar(select(func.coalesce(func.sum(Payment.amount), 0)))
    allocated = session.scalar(select(func.coalesce(func.sum(Allocation.amount), 0)))
    return from_minor(int(received or 0) - int(allocated or 0), coop.currency)
