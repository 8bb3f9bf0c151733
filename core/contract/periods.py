"""Periods of time: the month a payslip pays, the quarter a return declares, the fiscal
year the books close, the period a franchise fee covers.

Why one type with its own arithmetic: the month of a date, the last day of a quarter,
the twelve months of a fiscal year that starts in July and the month after December are
each easy to get subtly wrong, and every copy gets them wrong in its own way. The core
and the plugins ask :class:`Period` instead of counting days themselves.

A calendar period is a month, a quarter, a half-year or a year as the calendar cuts
them: quarters start in January, April, July and October, half-years in January and
July, years in January. A fiscal year that starts in another month is a period of
twelve whole months (:meth:`Period.months_from`), but not a calendar year.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

#: The kinds of calendar period, each with its length in months.
_LENGTHS = {"month": 1, "quarter": 3, "half-year": 6, "year": 12}
#: ``month``, ``quarter``, ``half-year`` and ``year``, the kinds of calendar period.
PERIOD_KINDS = tuple(_LENGTHS)
_LABEL = re.compile(r"(\d{4})(?:-(H[12]|Q[1-4]|\d{2}))?")


def _month_index(day: date) -> int:
    """Months since year 0, so that months add and subtract across years."""
    return day.year * 12 + day.month - 1


def _first_of(index: int) -> date:
    year, month = divmod(index, 12)
    return date(year, month + 1, 1)


@dataclass(frozen=True)
class Period:
    """A closed interval of days, usually a calendar month.

    Attributes:
        start: first day.
        end: last day (inclusive).
    """

    start: date
    end: date

    # --- making periods --------------------------------------------------------------
    @classmethod
    def months_from(cls, first: date, count: int) -> Period:
        """The ``count`` whole months from the month of ``first`` on (a fiscal year
        starting in July 2026 is ``Period.months_from(date(2026, 7, 1), 12)``)."""
        if count < 1:
            raise ValueError(f"count: {count} months; a period holds at least one month")
        last = _first_of(_month_index(first) + count - 1)
        return cls(
            first.replace(day=1), last.replace(day=calendar.monthrange(last.year, last.month)[1])
        )

    @classmethod
    def month_of(cls, day: date) -> Period:
        """The calendar month that contains ``day``."""
        return cls.months_from(day, 1)

    @classmethod
    def quarter_of(cls, day: date) -> Period:
        """The calendar quarter that contains ``day``."""
        return cls.of_kind("quarter", day)

    @classmethod
    def of_kind(cls, kind: str, day: date) -> Period:
        """The calendar period of ``kind`` (one of :data:`PERIOD_KINDS`) that contains
        ``day``."""
        length = _LENGTHS.get(kind)
        if length is None:
            raise ValueError(f"kind: {kind!r} is not one of {', '.join(PERIOD_KINDS)}")
        first_month = (day.month - 1) // length * length + 1
        return cls.months_from(date(day.year, first_month, 1), length)

    @classmethod
    def parse(cls, label: str) -> Period:
        """The calendar period a :attr:`label` names: ``2026``, ``2026-H2``,
        ``2026-Q3`` or ``2026-07``; ``ValueError`` for any other text."""
        found = _LABEL.fullmatch(label)
        if found is None:
            raise ValueError(
                f"{label!r} is not a period: write 2026 (year), 2026-H2 (half-year), "
                "2026-Q3 (quarter) or 2026-07 (month)"
            )
        year, part = int(found.group(1)), found.group(2)
        if part is None:
            return cls.of_kind("year", date(year, 1, 1))
        if part[0] in "HQ":
            kind = "half-year" if part[0] == "H" else "quarter"
            first_month = (int(part[1]) - 1) * _LENGTHS[kind] + 1
            return cls.of_kind(kind, date(year, first_month, 1))
        if not 1 <= int(part) <= 12:
            raise ValueError(f"{label!r} has no month {part}")
        return cls.month_of(date(year, int(part), 1))

    # --- what a period is ------------------------------------------------------------
    def contains(self, day: date) -> bool:
        """Whether ``day`` falls within the period, both ends included."""
        return self.start <= day <= self.end

    @property
    def kind(self) -> str | None:
        """``month``, ``quarter``, ``half-year`` or ``year`` when the period is exactly
        that calendar period; ``None`` for any other interval."""
        for kind in PERIOD_KINDS:
            if type(self).of_kind(kind, self.start) == self:
                return kind
        return None

    @property
    def label(self) -> str:
        """``2026-07``, ``2026-Q3``, ``2026-H2`` or ``2026`` for a calendar period;
        ``2026-07-01..2026-07-15`` for any other interval."""
        year, month = self.start.year, self.start.month
        kind = self.kind
        if kind == "month":
            return f"{year}-{month:02d}"
        if kind == "quarter":
            return f"{year}-Q{(month - 1) // 3 + 1}"
        if kind == "half-year":
            return f"{year}-H{(month - 1) // 6 + 1}"
        if kind == "year":
            return f"{year}"
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    def months(self) -> tuple[Period, ...]:
        """The calendar months the period touches, in order."""
        first, last = _month_index(self.start), _month_index(self.end)
        return tuple(type(self).month_of(_first_of(index)) for index in range(first, last + 1))

    # --- neighbours ------------------------------------------------------------------
    def _whole_months(self) -> int:
        count = _month_index(self.end) - _month_index(self.start) + 1
        if type(self).months_from(self.start, count) != self:
            raise ValueError(
                f"period {self.label}: not whole months, so it has no neighbour of its length"
            )
        return count

    def following(self) -> Period:
        """The period of as many whole months that starts the day after this one ends;
        refused (``ValueError``) for a period that is not whole months."""
        return type(self).months_from(self.end + timedelta(days=1), self._whole_months())

    def preceding(self) -> Period:
        """The period of as many whole months that ends the day before this one starts;
        refused (``ValueError``) for a period that is not whole months."""
        count = self._whole_months()
        return type(self).months_from(_first_of(_month_index(self.start) - count), count)
