"""The employer's headcount as the French social law reads it (CSS art. L130-1, R130-1).

The yearly headcount is the average of the monthly headcounts of the previous calendar
year, months with no employee left out, rounded down to the hundredth (CSS art. L130-1 I
and R130-1 I). A threshold counts once the yearly headcount has reached it for five
consecutive calendar years; one year under it starts the count again (L130-1 II). The
monthly headcounts come from the payroll itself (the contract's ``employer_headcounts``).

An instance may declare its headcount instead (``employeur.effectif``, dated): a number
is the headcount every threshold compares with, as if reached for five years;
``calculé`` computes it from the payroll.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal

#: What ``employeur.effectif`` says when the headcount is computed from the payroll.
COMPUTED = "calculé"
#: Consecutive calendar years a threshold must be reached to count (CSS art. L130-1 II).
YEARS = 5
HUNDREDTH = Decimal("0.01")


@dataclass(frozen=True)
class Headcount:
    """The yearly headcounts a day's thresholds read, that day's year first.

    Attributes:
        years: the yearly headcount of the day's year (the average of the previous
            calendar year), then of each year before, as far as known.
    """

    years: tuple[Decimal, ...]

    @property
    def current(self) -> Decimal:
        """The yearly headcount of the day's year (0 when nothing is known)."""
        return self.years[0] if self.years else Decimal(0)

    def reaches(self, threshold: Decimal) -> bool:
        """Whether the threshold counts: reached for five consecutive calendar years."""
        recent = self.years[:YEARS]
        return len(recent) == YEARS and all(count >= threshold for count in recent)


def declared(count: Decimal) -> Headcount:
    """A headcount the instance declares: every year of the rule at that count."""
    return Headcount((count,) * YEARS)


def yearly(monthly: Sequence[Decimal]) -> Decimal:
    """The average of a calendar year's monthly headcounts, months with none left out,
    rounded down to the hundredth (CSS art. R130-1 I)."""
    months = [count for count in monthly if count > 0]
    if not months:
        return Decimal(0)
    return (sum(months, Decimal(0)) / len(months)).quantize(HUNDREDTH, ROUND_DOWN)


def from_payroll(monthly: Sequence[tuple[date, Decimal]], on: date) -> Headcount:
    """The yearly headcounts in force on ``on`` from the payroll's monthly headcounts."""
    by_year: dict[int, list[Decimal]] = {}
    for month, count in monthly:
        by_year.setdefault(month.year, []).append(count)
    return Headcount(tuple(yearly(by_year.get(on.year - n, [])) for n in range(1, YEARS + 1)))
