"""The contract's :class:`Period`: the calendar arithmetic every payslip, return, fiscal
year and franchise fee asks of it."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partage.core.contract import PERIOD_KINDS, Period

DAYS = st.dates(min_value=date(1901, 1, 1), max_value=date(2199, 12, 31))


@pytest.mark.parametrize(
    ("day", "start", "end"),
    [
        (date(2026, 7, 15), date(2026, 7, 1), date(2026, 7, 31)),
        (date(2028, 2, 29), date(2028, 2, 1), date(2028, 2, 29)),
        (date(2026, 2, 1), date(2026, 2, 1), date(2026, 2, 28)),
        (date(2026, 12, 31), date(2026, 12, 1), date(2026, 12, 31)),
    ],
)
def test_the_month_of_a_day_runs_from_its_first_to_its_last_day(
    day: date, start: date, end: date
) -> None:
    assert Period.month_of(day) == Period(start, end)


@pytest.mark.parametrize(
    ("day", "start", "end"),
    [
        (date(2026, 1, 1), date(2026, 1, 1), date(2026, 3, 31)),
        (date(2026, 6, 30), date(2026, 4, 1), date(2026, 6, 30)),
        (date(2026, 8, 15), date(2026, 7, 1), date(2026, 9, 30)),
        (date(2026, 12, 31), date(2026, 10, 1), date(2026, 12, 31)),
    ],
)
def test_the_quarter_of_a_day_is_a_calendar_quarter(day: date, start: date, end: date) -> None:
    assert Period.quarter_of(day) == Period(start, end)


def test_a_fiscal_year_from_july_is_twelve_whole_months_across_two_calendar_years() -> None:
    year = Period.months_from(date(2026, 7, 14), 12)
    assert year == Period(date(2026, 7, 1), date(2027, 6, 30))
    labels = [month.label for month in year.months()]
    assert len(labels) == 12 and labels[:2] == ["2026-07", "2026-08"] and labels[-1] == "2027-06"
    assert year.kind is None and year.label == "2026-07-01..2027-06-30"
    assert year.following() == Period(date(2027, 7, 1), date(2028, 6, 30))


@pytest.mark.parametrize(
    ("label", "kind", "start", "end"),
    [
        ("2026", "year", date(2026, 1, 1), date(2026, 12, 31)),
        ("2026-H1", "half-year", date(2026, 1, 1), date(2026, 6, 30)),
        ("2026-H2", "half-year", date(2026, 7, 1), date(2026, 12, 31)),
        ("2026-Q4", "quarter", date(2026, 10, 1), date(2026, 12, 31)),
        ("2028-02", "month", date(2028, 2, 1), date(2028, 2, 29)),
    ],
)
def test_a_label_names_a_calendar_period_and_back(
    label: str, kind: str, start: date, end: date
) -> None:
    period = Period.parse(label)
    assert (period.start, period.end, period.kind, period.label) == (start, end, kind, label)


@pytest.mark.parametrize(
    ("label", "reason"),
    [
        ("2026-13", "has no month 13"),
        ("2026-00", "has no month 00"),
        ("2026-Q5", "is not a period"),
        ("2026-H3", "is not a period"),
        ("Q3-2026", "is not a period"),
        ("", "is not a period"),
    ],
)
def test_a_bad_label_is_refused_saying_why(label: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        Period.parse(label)


def test_an_unknown_kind_and_an_empty_span_are_refused_naming_the_field() -> None:
    with pytest.raises(ValueError, match="kind: 'week' is not one of month, quarter"):
        Period.of_kind("week", date(2026, 1, 1))
    with pytest.raises(ValueError, match="count: 0 months"):
        Period.months_from(date(2026, 1, 1), 0)


def test_a_period_of_loose_days_is_no_calendar_period_and_has_no_neighbour() -> None:
    loose = Period(date(2026, 7, 1), date(2026, 7, 15))
    assert loose.kind is None and loose.label == "2026-07-01..2026-07-15"
    assert loose.contains(date(2026, 7, 15)) and not loose.contains(date(2026, 7, 16))
    with pytest.raises(ValueError, match="not whole months"):
        loose.following()


@given(DAYS, st.sampled_from(PERIOD_KINDS))
def test_every_day_lies_in_its_calendar_period_whose_neighbours_touch_it(
    day: date, kind: str
) -> None:
    period = Period.of_kind(kind, day)
    assert period.contains(day) and period.kind == kind
    assert Period.parse(period.label) == period
    assert period.following().start == period.end + timedelta(days=1)
    assert period.preceding().end == period.start - timedelta(days=1)
    assert period.following().preceding() == period
    assert period.following().kind == kind


@given(DAYS, st.integers(min_value=1, max_value=36))
def test_whole_months_are_contiguous_and_cover_the_period(day: date, count: int) -> None:
    period = Period.months_from(day, count)
    months = period.months()
    assert len(months) == count
    assert months[0].start == period.start and months[-1].end == period.end
    assert all(a.end + timedelta(days=1) == b.start for a, b in pairwise(months))
