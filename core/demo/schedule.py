"""The schedule of a simulated month: its days, its random draws and its acts.

Planning and living the month are two steps. The planners (newcomers, sales,
collection, spending, payroll) put acts on the schedule, each on a day and at an order
within the day; :meth:`MonthSchedule.execute` then runs them in that order, one
transaction each, and keeps what each returned for the acts that follow it (a payment
needs its invoice's number, a reimbursement its claim).

One seeded generator serves every draw, at planning and at run time alike, so the same
seed and month give the same month: a planner must draw in the same order every time.
Amounts are invented in euros and scaled by the country's price level, each rounded to
the currency's minor unit.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from partage.core.acts.cooperative import Cooperative
from partage.core.contract.identity import SampleData
from partage.core.contract.money import from_minor, minor_exponent, minor_quantum, round_money
from partage.core.contract.periods import Period
from partage.core.contract.samples import UnknownSampleCountry
from partage.core.demo.meter import Meter
from partage.core.demo.volume import Volume
from partage.core.platform.clock import SimulatedClock
from partage.core.risk import fund


def draw_money(
    rng: random.Random, low: int, high: int, currency: str, scale: Decimal = Decimal(1)
) -> Decimal:
    """An amount between ``low`` and ``high`` euros scaled by ``scale`` (the country's
    price level), to the currency's minor unit (to the cent in euros, whole in yen or
    krónur); one draw from ``rng`` whatever the scale, so a seed gives the same month."""
    exponent = minor_exponent(currency)

    def minor(euros: int) -> int:
        scaled = (Decimal(euros) * scale).scaleb(exponent)
        return max(1, int(scaled.to_integral_value(ROUND_HALF_UP)))

    units = rng.randint(minor(low), minor(high))
    return from_minor(units, currency)


def one_unless_none(result: object) -> int:
    """How many acts an act that may decline counts: none when it declined."""
    return 0 if result is None else 1


@dataclass(order=True)
class Event:
    """An act on the schedule.

    Attributes:
        day: the day it happens.
        order: its place among the day's acts (a quote is answered before the invoice
            that carries it out is issued).
        seq: its place among the acts of the same day and order: the order they were
            planned in.
        kind: the act kind the meter counts it under.
        act: the act, given the session of its transaction.
        key: the name its result is kept under, for the acts that need it.
        needs: keys of acts whose results it uses; it is skipped when one is missing.
        count: how many acts its result counts for.
    """

    day: date
    order: int
    seq: int
    kind: str = field(compare=False)
    act: Callable[[Session], Any] = field(compare=False)
    key: str | None = field(default=None, compare=False)
    needs: tuple[str, ...] = field(default=(), compare=False)
    count: Callable[[Any], int] = field(default=lambda _: 1, compare=False)


class MonthSchedule:
    """The state of one simulated month while it is planned and lived.

    Attributes:
        sessions, coop, volume, actor: where, for whom, how much and in whose name;
            ``coop`` is the instance's context on the month's own clock.
        clock: the simulated clock, on the day of the act running: every act of the
            month is made "today" on its own day, within the window of act dates.
        seed: the seed of the month's draws.
        first, last: the month's first and last day.
        rng: the month's one random generator.
        country, samples, currency, quantum, scale: the instance's country, its sample
            data, its currency with its minor unit, and its price level.
        meter: acts done, refused and timed.
        results: what keyed acts returned, by key.
        events: the acts planned.
        write_offs: invoices written off against the guarantee fund.
    """

    def __init__(
        self,
        sessions: sessionmaker[Session],
        coop: Cooperative,
        month: date,
        volume: Volume,
        seed: int,
        actor: str,
    ) -> None:
        days = Period.month_of(month)
        self.first, self.last = days.start, days.end
        self.clock = SimulatedClock(self.first)
        self.sessions, self.volume, self.actor = sessions, volume, actor
        self.coop = replace(coop, clock=self.clock)
        self.seed = seed
        self.rng = random.Random(f"{seed}:{self.first:%Y-%m}")
        self.country = coop.instance.country_plugin.upper()
        self.samples: SampleData = self._samples(coop)
        self.currency = coop.currency
        self.quantum = minor_quantum(coop.currency)
        self.scale = self.samples.price_level
        self.meter = Meter()
        self.results: dict[str, Any] = {}
        self.seq = 0
        self.events: list[Event] = []
        self.write_offs: list[fund.WriteOff] = []

    @property
    def today(self) -> date:
        """The day of the act running (the simulated clock's)."""
        return self.clock.today()

    @staticmethod
    def _samples(coop: Cooperative) -> SampleData:
        """The country's sample data: only its plugin knows how to compute numbers that
        its own checks accept."""
        samples = coop.plugins.hook.partage_sample_data()
        if samples is None:
            raise UnknownSampleCountry(
                None,
                f"country plugin {coop.instance.country_plugin} supplies no sample data "
                "(hook partage_sample_data)",
            )
        return samples

    def round(self, amount: Decimal) -> Decimal:
        """``amount`` rounded to the instance currency's minor unit."""
        return round_money(amount, self.currency)

    def money(self, low: int, high: int) -> Decimal:
        """An amount between ``low`` and ``high`` euros, in the instance currency at the
        country's price level."""
        return draw_money(self.rng, low, high, self.currency, self.scale)

    def scaled(self, euros: Decimal) -> Decimal:
        """An amount of euros in the instance currency at the country's price level,
        rounded to its minor unit."""
        return self.round(euros * self.scale)

    def day(self, low: int, high: int | None = None) -> date:
        """A day of the month between ``low`` and ``high`` (default: the last)."""
        last = self.last.day
        return self.first.replace(day=min(last, self.rng.randint(low, min(high or last, last))))

    def next_seq(self) -> int:
        """The next number of the month's one sequence: it orders the acts planned for
        the same day and order, and keeps payment keys unique."""
        self.seq += 1
        return self.seq

    def at(
        self,
        day: date,
        order: int,
        kind: str,
        act: Callable[[Session], Any],
        *,
        key: str | None = None,
        needs: tuple[str, ...] = (),
        count: Callable[[Any], int] = lambda _: 1,
    ) -> None:
        """Schedule an act; ``needs`` are keys of acts whose results it uses."""
        self.events.append(Event(day, order, self.next_seq(), kind, act, key, needs, count))

    def execute(self) -> None:
        """Run the scheduled acts in date order, each in its own transaction."""
        for event in sorted(self.events):
            self.clock.move_to(event.day)
            if any(need not in self.results for need in event.needs):
                self.meter.skipped[event.kind] += 1
                continue
            result = self.meter.run(self.sessions, event.kind, event.act, event.count)
            if event.key is not None and result is not None:
                self.results[event.key] = result
