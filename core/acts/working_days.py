"""The working-days calendar: which days of a period are worked in the instance's country.

A working day is a Monday to Friday that is not one of the country's public holidays,
which the country plugin lists year by year (hook ``partage_public_holidays``). A
country that declines that hook has no calendar: asking for one is refused, naming the
hook, rather than guessed from the weekends alone.

Payroll months are calendar months and payment terms count calendar days (the default
term of an invoice is 30 calendar days, Directive 2011/7/EU art. 3(3)); the calendar
tells how many of a month's days are worked, as ``partage payroll calendar`` shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pluggy

from partage.core.acts.cooperative import InvalidAct
from partage.core.contract.errors import N_, PluginError

#: ``date.weekday()`` of Saturday: it and Sunday are the weekly rest.
SATURDAY = 5


@dataclass(frozen=True)
class WorkingDays:
    """The working days of a period.

    Attributes:
        start: the period's first day.
        end: its last day (inclusive).
        days: the working days, in order.
        holidays: the country's public holidays in the period, in order, those falling
            on a weekend included.
    """

    start: date
    end: date
    days: tuple[date, ...]
    holidays: tuple[date, ...]

    def __len__(self) -> int:
        return len(self.days)


def public_holidays(plugins: pluggy.PluginManager, year: int) -> frozenset[date]:
    """The country's public holidays of ``year``; refused when the country lists none."""
    found = plugins.hook.partage_public_holidays(year=year)
    if found is None:
        raise PluginError(
            f"working days of {year}",
            N_(
                "the country plugin lists no public holidays "
                "(partage_public_holidays is not answered), so the calendar "
                "is unknown"
            ),
        )
    return frozenset(found)


def working_days(plugins: pluggy.PluginManager, start: date, end: date) -> WorkingDays:
    """The working days from ``start`` to ``end`` inclusive."""
    if end < start:
        raise InvalidAct("end", N_("{end} is before the start {start}"), end=end, start=start)
    holidays: set[date] = set()
    for year in range(start.year, end.year + 1):
        holidays.update(day for day in public_holidays(plugins, year) if start <= day <= end)
    span = (start + timedelta(days=n) for n in range((end - start).days + 1))
    days = tuple(day for day in span if day.weekday() < SATURDAY and day not in holidays)
    return WorkingDays(start, end, days, tuple(sorted(holidays)))
