"""Building payslips: the arithmetic every country's payroll shares.

Part of the public contract for plugins, beside :mod:`partage.core.contract`. A country
plugin computes its own contribution lines and withholding from its dated parameters;
this module turns a contract into the month's gross, assembles the payslip so that its
totals are always derived from its lines (never kept in sync by hand), inverts any
payslip function to find the gross an employer-cost budget buys, and sums a period's
payslips per contribution code for the declarations (:func:`payroll_totals`, which the
core computes once and hands to ``partage_social_declaration``).

Rounding: every line is rounded to the currency's minor unit, half away from zero, as
payslips print it; totals are sums of rounded lines, so a payslip adds up to the cent.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from decimal import Decimal

from partage.core.contract.errors import N_, PartageError
from partage.core.contract.money import from_minor, round_money, to_minor
from partage.core.contract.payroll import (
    ContributionTotal,
    EmploymentContract,
    PayrollTotals,
    Payslip,
    PayslipLine,
)
from partage.core.contract.periods import Period

PAYERS = frozenset({"employee", "employer"})
#: The figures of a payslip that :func:`payroll_totals` sums as they are.
TOTALS = (
    "gross",
    "employee_contributions",
    "employer_contributions",
    "withholding",
    "net",
    "employer_cost",
)


class PayrollError(PartageError):
    """A contract or a budget payroll cannot compute: the message names field and rule."""


def contract_gross(contract: EmploymentContract, currency: str) -> Decimal:
    """The gross of one month of a contract, rounded to the minor unit.

    A monthly contract earns ``monthly_gross × part_time``; an hourly one
    ``hourly_rate × hours``. Refuses what a payslip cannot be computed from, naming the
    field: negative or missing amounts, hours on a monthly contract, a part-time
    fraction outside (0, 1].
    """
    if not Decimal(0) < contract.part_time <= Decimal(1):
        raise PayrollError(
            "part_time",
            N_("{contract_part_time} must be a fraction of full time in (0, 1]"),
            contract_part_time=contract.part_time,
        )
    if contract.monthly_gross is not None:
        if contract.hourly_rate is not None:
            raise PayrollError(
                "hourly_rate", N_("give a monthly gross or an hourly rate, not both")
            )
        if contract.monthly_gross < 0:
            raise PayrollError(
                "monthly_gross",
                N_("{contract_monthly_gross} must not be negative"),
                contract_monthly_gross=contract.monthly_gross,
            )
        return round_money(contract.monthly_gross * contract.part_time, currency)
    if contract.hourly_rate is None:
        raise PayrollError(
            "monthly_gross", N_("a contract needs a monthly gross or an hourly rate")
        )
    if contract.hourly_rate < 0:
        raise PayrollError(
            "hourly_rate",
            N_("{contract_hourly_rate} must not be negative"),
            contract_hourly_rate=contract.hourly_rate,
        )
    if contract.hours is None:
        raise PayrollError("hours", N_("an hourly contract needs the hours worked in the period"))
    if contract.hours < 0:
        raise PayrollError(
            "hours", N_("{contract_hours} must not be negative"), contract_hours=contract.hours
        )
    return round_money(contract.hourly_rate * contract.hours, currency)


def payslip_line(
    code: str,
    label: str,
    payer: str,
    base: Decimal,
    rate: Decimal | None,
    currency: str,
    amount: Decimal | None = None,
) -> PayslipLine:
    """One contribution line: ``base × rate`` rounded, or a flat ``amount`` rounded."""
    if payer not in PAYERS:
        raise PayrollError(
            "payer", N_("{payer} must be 'employee' or 'employer'"), payer=repr(payer)
        )
    if amount is None:
        if rate is None:
            raise PayrollError(code, N_("a line needs a rate or an amount"))
        amount = base * rate
    return PayslipLine(code, label, payer, base, rate, round_money(amount, currency))


def assemble_payslip(
    period: Period,
    gross: Decimal,
    lines: Iterable[PayslipLine],
    withholding: Decimal,
    currency: str,
) -> Payslip:
    """A payslip whose net and employer cost are derived from its lines.

    ``net = gross − employee contributions − withholding`` and
    ``employer cost = gross + employer contributions``. A withholding larger than what
    is left after contributions is capped there: pay is never negative.
    """
    kept = tuple(lines)
    employee = sum((x.amount for x in kept if x.payer == "employee"), Decimal(0))
    employer = sum((x.amount for x in kept if x.payer == "employer"), Decimal(0))
    withholding = round_money(min(max(withholding, Decimal(0)), gross - employee), currency)
    net = round_money(gross - employee - withholding, currency)
    cost = round_money(gross + employer, currency)
    return Payslip(period, round_money(gross, currency), kept, withholding, net, cost)


def gross_for_employer_cost(
    payslip_of: Callable[[Decimal], Payslip], employer_cost: Decimal, currency: str
) -> Decimal:
    """The largest gross whose payslip's employer cost does not exceed the budget.

    ``payslip_of`` computes the payslip of a gross (the contract and period fixed); its
    employer cost must not decrease when the gross grows, which holds for every payroll
    whose employer contributions are non-negative. A bisection over minor units finds
    the answer to the cent in about log2(budget in cents) payslips.
    """
    if employer_cost < 0:
        raise PayrollError(
            "employer_cost", N_("{employer_cost} must not be negative"), employer_cost=employer_cost
        )
    low, high = 0, to_minor(round_money(employer_cost, currency), currency)
    while low < high:
        middle = (low + high + 1) // 2
        if payslip_of(from_minor(middle, currency)).employer_cost <= employer_cost:
            low = middle
        else:
            high = middle - 1
    return from_minor(low, currency)


def payroll_totals(
    period: Period, payslips: Iterable[tuple[Hashable, Payslip]], currency: str
) -> PayrollTotals:
    """Sum the payslips of a declared period, each given with its worker (any key that
    tells workers apart), into the totals every declaration reads.

    A contribution's base counts once per payslip (its employee and employer lines share
    it); its amounts are summed per payer. A payslip whose period does not lie within
    ``period`` is refused with a :class:`PayrollError` naming both periods.
    """
    labels: dict[str, str] = {}
    payers: dict[str, set[str]] = defaultdict(set)
    workers: dict[str, set[Hashable]] = defaultdict(set)
    bases: dict[str, Decimal] = defaultdict(Decimal)
    paid: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    sums: dict[str, Decimal] = defaultdict(Decimal)
    everyone: set[Hashable] = set()
    count = 0
    for worker, slip in payslips:
        if not (period.start <= slip.period.start and slip.period.end <= period.end):
            raise PayrollError(
                "payslips",
                N_(
                    "a payslip of {slip_period_start} – {slip_period_end} is not "
                    "in the declared period {period_start} – {period_end}"
                ),
                slip_period_start=slip.period.start,
                slip_period_end=slip.period.end,
                period_start=period.start,
                period_end=period.end,
            )
        count += 1
        everyone.add(worker)
        for name in TOTALS:
            sums[name] += getattr(slip, name)
        base_of: dict[str, Decimal] = {}
        for line in slip.lines:
            labels.setdefault(line.code, line.label)
            payers[line.code].add(line.payer)
            workers[line.code].add(worker)
            base_of[line.code] = max(base_of.get(line.code, line.base), line.base)
            paid[(line.code, line.payer)] += line.amount
        for code, base in base_of.items():
            bases[code] += base
    contributions = tuple(
        ContributionTotal(
            code,
            label,
            "both" if len(payers[code]) > 1 else next(iter(payers[code])),
            len(workers[code]),
            round_money(bases[code], currency),
            round_money(paid[(code, "employee")], currency),
            round_money(paid[(code, "employer")], currency),
        )
        for code, label in labels.items()
    )
    totals = {name: round_money(sums[name], currency) for name in TOTALS}
    return PayrollTotals(period, count, len(everyone), contributions=contributions, **totals)
