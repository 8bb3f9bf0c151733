"""What a late payer owes beyond the invoice: the question the core asks a country, the
answer it prints on a reminder, and the day-by-day interest arithmetic both share.

Part of the public contract for plugins. The core asks
:func:`~partage.core.contract.hookspecs.partage_late_payment_charges` with a
:class:`LateClaim` (what is owed, since when, to whom, as of which day) and prints the
:class:`LateCharges` the country answers. The rates and amounts come from the country's
dated parameters, each with its legal source; this module holds no rate.

Interest is simple interest **per calendar day** on the amount owed: each day from the
first day of lateness up to and including the day of the claim bears ``owed × rate /
365`` at the rate in force that day (EU directive 2011/7/EU, art. 2(6): the reference
rate of the half-year applies for the whole half-year). Days are grouped into slices of
one rate so that the document can print them; the slices' exact amounts are summed and
the sum is rounded **once**, half up, to the currency's minor unit — never slice by
slice, so the total does not depend on how many rate changes the period crosses. The
day count basis is 365 days, leap years included, as the Belgian and French
administrations compute it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from partage.core.contract.money import minor_quantum

#: The day count basis of late-payment interest (days in a year).
DAY_COUNT_BASIS = Decimal(365)


@dataclass(frozen=True)
class LateClaim:
    """A late payment the core asks a country to price.

    Attributes:
        owed: what the client still owes on the invoice, VAT included, in the currency.
        currency: ISO 4217 code of ``owed``.
        due_on: the invoice's due date; lateness starts the day after it.
        on: the day of the reminder; interest runs up to and including it.
        business: whether the client is a business (commercial transaction, directive
            2011/7/EU) rather than a consumer.
        first_reminder_on: the day the first reminder was sent, if one was (consumer
            rules may allow charges only some time after it).
    """

    owed: Decimal
    currency: str
    due_on: date
    on: date
    business: bool
    first_reminder_on: date | None = None


@dataclass(frozen=True)
class InterestSlice:
    """Consecutive days of lateness at one rate.

    Attributes:
        start, end: the first and last day of the slice (both included).
        days: how many days.
        rate: the yearly rate, a fraction (``0.105`` is 10.5 %).
        amount: ``owed × rate × days / 365``, exact (unrounded).
    """

    start: date
    end: date
    days: int
    rate: Decimal
    amount: Decimal


@dataclass(frozen=True)
class LateCharges:
    """What a country's law allows to claim on a late payment, as of a day.

    Attributes:
        interest: the interest, rounded once to the minor unit (see the module).
        compensation: the fixed compensation for recovery costs (business) or the
            capped damages (consumer), in the currency; zero when none may be claimed.
        slices: the interest's slices, oldest first, for the document.
        references: the legal sources of the rates and amounts applied.
        charges_from: the first day charges may be claimed; ``None`` when none may be
            claimed yet (a consumer's free first reminder).
    """

    interest: Decimal
    compensation: Decimal
    slices: tuple[InterestSlice, ...]
    references: tuple[str, ...]
    charges_from: date | None

    @property
    def total(self) -> Decimal:
        """Interest plus compensation."""
        return self.interest + self.compensation


def daily_interest(
    owed: Decimal,
    currency: str,
    start: date,
    end: date,
    rate_on: Callable[[date], Decimal],
) -> tuple[Decimal, tuple[InterestSlice, ...]]:
    """Interest on ``owed`` for each day from ``start`` to ``end`` (both included) at
    ``rate_on(day)``: the total rounded once half up to the currency's minor unit, and
    the slices of one rate (see the module). No day (``end`` before ``start``) gives
    zero."""
    slices: list[InterestSlice] = []
    day = start
    while day <= end:
        rate = rate_on(day)
        first = day
        while day + timedelta(days=1) <= end and rate_on(day + timedelta(days=1)) == rate:
            day += timedelta(days=1)
        days = (day - first).days + 1
        slices.append(InterestSlice(first, day, days, rate, owed * rate * days / DAY_COUNT_BASIS))
        day += timedelta(days=1)
    exact = sum((s.amount for s in slices), Decimal(0))
    return exact.quantize(minor_quantum(currency), rounding=ROUND_HALF_UP), tuple(slices)
