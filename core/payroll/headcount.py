"""The cooperative's headcount month by month, counted from the payslips it paid.

Countries read thresholds of their law from the employer's headcount (in France the
yearly average of the previous calendar year, CSS art. L130-1). What a month counts is a
fact of the payroll: each worker paid that month, at their contract's working time (a
part-time worker counts for the fraction of full time, C. trav. art. L1111-2) and for
the share of the month's days the contract covers (CSS art. R130-1 II). How the months
make a yearly figure and when a threshold counts is the country's law.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from datetime import date
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from partage.core.payroll.models import Contract, PayslipRecord

#: Calendar years of payroll history a headcount rule may read (CSS art. L130-1 II
#: counts five consecutive years).
YEARS = 5


def _share(start: date, end: date | None, month: date) -> Decimal:
    """The share of ``month``'s days a contract from ``start`` to ``end`` covers."""
    days = calendar.monthrange(month.year, month.month)[1]
    last = date(month.year, month.month, days)
    first_day = max(start, month)
    last_day = min(end, last) if end is not None else last
    covered = max((last_day - first_day).days + 1, 0)
    return Decimal(covered) / Decimal(days)


def monthly_headcounts(
    session: Session, before: date, years: int = YEARS
) -> tuple[tuple[date, Decimal], ...]:
    """Full-time equivalents paid in each month of the ``years`` calendar years before
    ``before``'s year, by the month's first day, oldest first; months with no payslip
    are left out.

    Contracts covering the whole month are counted in the database by working time;
    those starting or ending within the month are read one by one for their days.
    """
    first, last = date(before.year - years, 1, 1), date(before.year - 1, 12, 1)
    paid = PayslipRecord.period_start
    in_range = paid.between(first, last)
    whole = (
        select(paid, Contract.part_time, func.count())
        .join(Contract, Contract.id == PayslipRecord.contract_id)
        .where(in_range, Contract.start <= paid)
        .where(or_(Contract.end.is_(None), Contract.end >= PayslipRecord.period_end))
        .group_by(paid, Contract.part_time)
    )
    counts: dict[date, Decimal] = defaultdict(Decimal)
    for month, part_time, count in session.execute(whole):
        counts[month] += Decimal(part_time) * count
    partial = (
        select(paid, Contract.part_time, Contract.start, Contract.end)
        .join(Contract, Contract.id == PayslipRecord.contract_id)
        .where(in_range)
        .where(or_(Contract.start > paid, Contract.end < PayslipRecord.period_end))
    )
    for month, part_time, start, end in session.execute(partial):
        counts[month] += Decimal(part_time) * _share(start, end, month)
    return tuple(sorted(counts.items()))
