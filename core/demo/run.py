"""``partage demo``: the main job on the embedded default.

Sets the demo national instance up as ``partage setup`` does
(:func:`~partage.core.members.instance.bootstrap`: the database migrated, the instance,
its offices and their sectors loaded, the books and the fiscal year opened) and says
what it did; then lives a month of the instance's activity
(:mod:`partage.core.demo.month`: hundreds of members, their entities, clients and
suppliers, quotes, invoices, payments, spending, payroll and a client default) and
prints the instance's consolidated figures.

Each run adds one month: the first simulates the last complete calendar month (or
``--month``), each later run the month after the last one simulated, with a few
newcomers and the activity of everyone already there (late payments of open invoices,
contracts paid again). A month already simulated is refused with a clear message, and
so is a database whose members the demo did not create — the demo never mixes
simulated activity into real records. The same seed gives the same month.

A run interrupted during its month (killed, a power cut) is finished by the next run:
the month's steps are journalled as they commit
(:class:`~partage.core.platform.db.models.SimulationStep`), so the next run recognises
its own partial work, replays the month with the seed and volume it was started with,
takes what the journal holds instead of acting again, and goes on from the first act
not committed. ``--month`` naming another month is refused until it is finished.

Only a month that has ended is simulated: "today" is the instance's clock (the
system's), and the month's acts run on a simulated clock moved day by day through the
month (:class:`~partage.core.platform.clock.SimulatedClock`), so no act is dated after
the day it is made on, nor after the real today. A run whose next month has not ended
yet simulates nothing and says when it will; ``--month`` naming such a month is refused.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import Cooperative
from partage.core.contract.errors import PartageError
from partage.core.contract.money import from_minor, minor_exponent
from partage.core.contract.periods import Period
from partage.core.demo import DEFAULT_MEMBERS
from partage.core.demo.month import (
    MONTH_MARK,
    MonthReport,
    Volume,
    interrupted_month,
    last_simulated_month,
    simulate_month,
)
from partage.core.ledger.periods import fiscal_year_containing
from partage.core.ledger.trial_balances import trial_balance
from partage.core.members.instance import bootstrap
from partage.core.members.models import (
    Entity,
    Member,
    Office,
    OfficeAdviser,
    Party,
    ShareMovement,
)
from partage.core.members.offices import add_adviser
from partage.core.payroll.models import Contract, DeclarationRecord, PayslipRecord
from partage.core.platform import clock
from partage.core.platform.db.engine import transaction
from partage.core.platform.db.models import AuditRecord
from partage.core.platform.runtime import Runtime
from partage.core.risk.fund import fund_report
from partage.core.risk.solvency import coverages, funds_by_entity
from partage.core.sales.models import Invoice, InvoiceKind, Payment, Quote
from partage.core.spending.models import ExpenseClaim, Purchase

ACTOR = "demo"
#: The demo's office staff, on the first office's roster from the first run: the
#: adviser and office manager whose logins ``partage demo`` creates when it serves
#: (:mod:`partage.core.web.accounts.demo_logins`), so ``partage office list`` names
#: them before the server ever ran.
STAFF = ("demo-adviser", "demo-manager")


class DemoRefused(PartageError):
    """The demo cannot add a month to this database (the message says why)."""


def run_demo(
    runtime: Runtime, *, members: int = DEFAULT_MEMBERS, seed: int = 0, month: date | None = None
) -> Iterator[str]:
    """Run the demo, yielding one line per thing done; ``members`` sizes the first
    month, ``month`` chooses it (default: see the module)."""
    setup = bootstrap(
        runtime.engine,
        runtime.config.instance,
        runtime.plugins,
        actor=ACTOR,
        fiscal_year_start_month=runtime.config.fiscal_year_start_month,
    )
    yield from setup.lines()
    yield from roster_staff(runtime)
    yield from live_a_month(runtime, members=members, seed=seed, month=month)


def roster_staff(runtime: Runtime) -> Iterator[str]:
    """Put the demo's office staff (:data:`STAFF`) on the first office's roster, once:
    a name already on a roster is left where it is."""
    with transaction(runtime.sessions) as session:
        office = session.scalar(select(Office.code).order_by(Office.id).limit(1))
        rostered = set(session.scalars(select(OfficeAdviser.user_name)))
        added = [name for name in STAFF if name not in rostered]
        if office is None or not added:
            return
        for name in added:
            add_adviser(session, office, name, actor=ACTOR)
    yield f"Office {office}: staff {', '.join(added)} on its roster"


class MonthNotEnded(DemoRefused):
    """The month to simulate ends on or after today: its days have not all been lived.

    Attributes:
        month: the month's first day.
    """

    def __init__(self, month: date, today: date) -> None:
        self.month = month
        ends = Period.month_of(month).end
        super().__init__(
            "month",
            f"{month:%Y-%m} ends on {ends}, and today is {today}: the demo simulates only "
            "months that have ended",
        )


def month_to_simulate(
    session: Session, wanted: date | None, today: date | None = None
) -> tuple[date, bool]:
    """The month this run simulates, and whether it is the database's first.

    Refuses a month already simulated, a month that has not ended by ``today`` (default:
    the clock's today; :class:`MonthNotEnded`), and a database holding members the demo
    did not create (the demo never mixes simulated activity into real records).
    """
    today = today or clock.today()
    chosen, fresh = _month_wanted(session, wanted, today)
    if Period.month_of(chosen).end >= today:
        raise MonthNotEnded(chosen, today)
    return chosen, fresh


def _month_wanted(session: Session, wanted: date | None, today: date) -> tuple[date, bool]:
    last = last_simulated_month(session)
    unfinished = interrupted_month(session)
    if unfinished is not None:
        interrupted = unfinished[0]
        if wanted is not None and Period.month_of(wanted).start != interrupted:
            raise DemoRefused(
                "month",
                f"{interrupted:%Y-%m} was interrupted before it ended; run the demo "
                "without --month to finish it first",
            )
        return interrupted, last is None
    if last is None and session.scalar(select(func.count(Member.id))):
        raise DemoRefused(
            "demo",
            "this database already holds members the demo did not create; "
            "run the demo on a database of its own (--database-url)",
        )
    if wanted is None and last is not None:
        return Period.month_of(last).following().start, False
    if wanted is None:
        return Period.month_of(today).preceding().start, True
    wanted = Period.month_of(wanted).start
    done = session.scalar(
        select(func.count(AuditRecord.id)).where(
            AuditRecord.action == MONTH_MARK, AuditRecord.subject == f"month:{wanted:%Y-%m}"
        )
    )
    if done:
        raise DemoRefused("month", f"{wanted:%Y-%m} is already simulated in this database")
    if last is not None and wanted < last:
        raise DemoRefused(
            "month",
            f"{wanted:%Y-%m} is before {last:%Y-%m}, the last month simulated; "
            "months are lived in order",
        )
    return wanted, last is None


def live_a_month(runtime: Runtime, *, members: int, seed: int, month: date | None) -> Iterator[str]:
    """Simulate one month of activity and print the instance's consolidated figures."""
    if members < 1:
        raise DemoRefused("members", f"{members} must be at least 1")
    coop = Cooperative.from_runtime(runtime)
    with runtime.sessions() as session:
        unfinished = interrupted_month(session)
        try:
            first, fresh = month_to_simulate(session, month, coop.today())
        except MonthNotEnded as exc:
            if month is not None:
                raise
            ends = Period.month_of(exc.month).end
            yield (
                f"Activity: nothing simulated: {exc.month:%B %Y}, the month after the last "
                f"one simulated, ends on {ends}; run the demo again after it"
            )
            return
    volume = Volume.for_members(members)
    if not fresh:
        volume = volume.growth()
    if unfinished is not None:  # finished as it was started
        _, seed, volume = unfinished
        yield (
            f"Activity: {first:%B %Y} was interrupted; finishing it as it was started "
            f"(seed {seed}), without doing again what it committed"
        )
    started = time.perf_counter()
    report = simulate_month(runtime.sessions, coop, first, volume, seed=seed, actor=ACTOR)
    seconds = time.perf_counter() - started
    meter = report.meter
    acts, refused = sum(meter.done.values()), sum(meter.refused.values())
    resumed = f"; {report.replayed} steps taken from the interrupted run" if unfinished else ""
    yield (
        f"Activity: {first:%B %Y} simulated (seed {seed}, "
        f"{'first month' if fresh else 'the month after the last one simulated'}): "
        f"{acts} acts in {seconds:.1f} s ({acts / seconds:.0f} acts/s), "
        f"{refused} refused by the engine's rules{resumed}"
    )
    yield "  acts: " + ", ".join(f"{kind} {n}" for kind, n in sorted(meter.done.items()))
    for (kind, error), n in sorted(meter.refused.items()):
        yield f"  refused: {kind} x{n} ({error}), e.g. {meter.examples[kind, error]}"
    with runtime.sessions() as session:
        yield from figures(session, coop, first, report)


def _money(amount: Decimal, currency: str) -> str:
    """An amount with the currency's decimals (two in euros, none in krónur or yen)."""
    return f"{amount:,.{minor_exponent(currency)}f} {currency}"


def _sum(session: Session, column: Any, *where: Any) -> int:
    return int(session.scalar(select(func.coalesce(func.sum(column), 0)).where(*where)) or 0)


def exchanges(
    session: Session, coop: Cooperative, first: date, last: date, report: MonthReport
) -> Iterator[str]:
    """What the month sent out: the salaries' SEPA file and the hire declarations."""
    sent = report.salary_file
    if sent is None:
        yield "  payments out: no salary file (no issuer facts, or nothing paid)"
    else:
        total = from_minor(sent["total"], coop.currency)
        yield (
            f"  payments out: salary file {sent['reference'] or '(none)'} with "
            f"{sent['orders']} transfers, {_money(total, coop.currency)}; "
            f"{sent['held']} held (the entity's bank and guarantee did not cover them)"
        )
    starting = (Contract.start >= first, Contract.start <= last)
    declared = dict(
        session.execute(
            select(DeclarationRecord.kind, func.count(DeclarationRecord.id))
            .join(Contract, Contract.code == DeclarationRecord.subject)
            .where(*starting)
            .group_by(DeclarationRecord.kind)
        ).all()
    )
    hires = session.scalar(select(func.count(Contract.id)).where(*starting))
    made = ", ".join(f"{kind} {n}" for kind, n in sorted(declared.items())) or "none"
    yield f"  declarations: {hires} contracts starting this month; hire declarations made: {made}"


def figures(session: Session, coop: Cooperative, month: date, report: MonthReport) -> Iterator[str]:
    """The instance's consolidated figures after the month, one line per topic."""
    days = Period.month_of(month)
    yield f"Figures of instance {coop.instance.code} at the end of {days.start:%B %Y}:"
    yield from _people(session, coop)
    yield from _sales(session, coop, days, report)
    yield from _spending_and_payroll(session, coop, days, report)
    yield from exchanges(session, coop, days.start, days.end, report)
    yield from _risk_and_books(session, coop, days, report)


def _shown(currency: str) -> Callable[[int | Decimal], str]:
    """How the figures show an amount, given in minor units or as a Decimal."""

    def money(minor: int | Decimal) -> str:
        amount = minor if isinstance(minor, Decimal) else from_minor(minor, currency)
        return _money(amount, currency)

    return money


def _people(session: Session, coop: Cooperative) -> Iterator[str]:
    """Members and their capital, open entities by kind and office, parties by kind."""
    money = _shown(coop.currency)
    active = session.scalar(select(func.count(Member.id)).where(Member.left_on.is_(None)))
    shares = _sum(session, ShareMovement.quantity)
    kinds = dict(
        session.execute(
            select(Entity.kind, func.count(Entity.id))
            .where(Entity.closed_on.is_(None))
            .group_by(Entity.kind)
        ).all()
    )
    offices = dict(
        session.execute(
            select(Office.code, func.count(Entity.id))
            .join(Entity, Entity.office_id == Office.id)
            .where(Entity.closed_on.is_(None))
            .group_by(Office.code)
        ).all()
    )
    yield (
        f"  members {active}, {shares} shares, capital "
        f"{money(coop.instance.share_nominal_value * shares)}"
    )
    yield (
        f"  entities {sum(kinds.values())} open: "
        + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items()))
        + "; by office: "
        + ", ".join(f"{o} {n}" for o, n in sorted(offices.items()))
    )
    parties = dict(
        session.execute(select(Party.kind, func.count(Party.id)).group_by(Party.kind)).all()
    )
    yield "  parties: " + ", ".join(f"{k} {n}" for k, n in sorted(parties.items()))


def _sales(session: Session, coop: Cooperative, days: Period, report: MonthReport) -> Iterator[str]:
    """The month's quotes, invoices and credit notes, and the payments received."""
    money = _shown(coop.currency)
    first, last = days.start, days.end
    quotes = dict(
        session.execute(
            select(Quote.status, func.count(Quote.id))
            .where(Quote.issued_on >= first, Quote.issued_on <= last)
            .group_by(Quote.status)
        ).all()
    )
    yield "  quotes of the month: " + ", ".join(f"{k} {n}" for k, n in sorted(quotes.items()))
    in_month = (Invoice.issued_on >= first, Invoice.issued_on <= last)
    invoice = Invoice.kind == InvoiceKind.INVOICE.value
    note = Invoice.kind == InvoiceKind.CREDIT_NOTE.value

    def signed(column: Any) -> Any:  # credit notes count negative
        return case((note, -column), else_=column)

    net, vat, fees = (
        _sum(session, signed(c), *in_month) for c in (Invoice.net, Invoice.vat, Invoice.fee)
    )
    count = session.scalar(select(func.count(Invoice.id)).where(invoice, *in_month))
    notes = session.scalar(select(func.count(Invoice.id)).where(note, *in_month))
    yield (
        f"  invoiced excl. VAT {money(net)} on {count} invoices and {notes} credit notes "
        f"(VAT {money(vat)}); fee income {money(fees)}"
    )
    received = (Payment.received_on >= first, Payment.received_on <= last)
    yield (
        f"  payments received {money(_sum(session, Payment.amount, *received))} "
        f"({session.scalar(select(func.count(Payment.id)).where(*received))}); "
        f"over-payments kept as client credit {money(report.credit_left)}"
    )


def _spending_and_payroll(
    session: Session, coop: Cooperative, days: Period, report: MonthReport
) -> Iterator[str]:
    """The month's purchases and expense claims, and the payslips of the month."""
    money = _shown(coop.currency)
    first, last = days.start, days.end
    bought = (Purchase.on >= first, Purchase.on <= last)
    credited = Purchase.kind == InvoiceKind.CREDIT_NOTE.value
    bought_net = case((credited, -Purchase.net), else_=Purchase.net)
    claimed = (ExpenseClaim.on >= first, ExpenseClaim.on <= last)
    claims = ExpenseClaim.total
    reimbursed = _sum(session, claims, ExpenseClaim.reimbursed_on.is_not(None), *claimed)
    yield (
        f"  purchases {money(_sum(session, bought_net, *bought))} excl. VAT; expense claims "
        f"{money(_sum(session, claims, *claimed))}, of which reimbursed {money(reimbursed)}"
    )
    paid = (PayslipRecord.period_start == first,)
    slips = session.scalar(select(func.count(PayslipRecord.id)).where(*paid))
    refused = sum(n for (kind, _), n in report.meter.refused.items() if kind == "payslip")
    yield (
        f"  payroll: {slips} payslips, gross {money(_sum(session, PayslipRecord.gross, *paid))}, "
        f"employer cost {money(_sum(session, PayslipRecord.employer_cost, *paid))}, "
        f"net {money(_sum(session, PayslipRecord.net, *paid))}, "
        f"withholding {money(_sum(session, PayslipRecord.withholding, *paid))}, "
        f"insurance {money(_sum(session, PayslipRecord.insurance, *paid))}; "
        f"{refused} refused (no-bankruptcy rule)"
    )


def _risk_and_books(
    session: Session, coop: Cooperative, days: Period, report: MonthReport
) -> Iterator[str]:
    """The guarantee fund, the year's trial balance, and the entities' available funds."""
    money = _shown(coop.currency)
    first, last = days.start, days.end
    state = fund_report(session, coop, on=last)
    ratio = "n/a (no exposure)" if state.coverage_ratio is None else f"{state.coverage_ratio}"
    yield (
        f"  guarantee fund: balance {money(state.balance)}, leverage {state.leverage}, "
        f"capacity {money(state.capacity)}, exposure {money(state.exposure)} (capacity left "
        f"{money(state.headroom)}), coverage ratio {ratio}, losses absorbed "
        f"{money(state.losses_absorbed)} "
        f"(invoices written off this month: {report.written_off}), "
        f"receivables guaranteed {money(state.guaranteed_receivables)}"
    )
    start = fiscal_year_containing(first, coop.ledger.fiscal_year_start_month).start
    balance = trial_balance(session, book=None, start=start, end=last)
    yield (
        f"  books: trial balance {start} to {last}: debits {money(balance.total_debit)}, "
        f"credits {money(balance.total_credit)}, difference "
        f"{money(balance.total_debit - balance.total_credit)}"
    )
    ids = list(session.scalars(select(Entity.id).where(Entity.closed_on.is_(None))))
    funds = funds_by_entity(session, coop, ids)
    covered = coverages(session, coop, ids, last)
    relying = sum(1 for i in ids if funds[i] < 0)
    below = sum(1 for i in ids if funds[i] + covered[i] < 0)
    yield (
        f"  available funds of entities {money(sum(funds.values(), Decimal(0)))}, guarantee "
        f"coverage {money(sum(covered.values(), Decimal(0)))}; {relying} entities rely on the "
        f"guarantee, {below} below zero"
    )
