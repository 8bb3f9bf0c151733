"""The schedule of a simulated month: its days, its random draws and its acts.

Planning and living the month are two steps. The planners (newcomers, sales,
collection, spending, payroll) put acts on the schedule, each on a day and at an order
within the day; :meth:`MonthSchedule.execute` then runs them in that order, one
transaction each, and keeps what each returned for the acts that follow it (a payment
needs its invoice's number, a reimbursement its claim).

One seeded generator serves every draw of the plan, so the same seed and month give the
same month: a planner must draw in the same order every time, and draw at planning time;
an act that draws as it runs (the payroll run, a client default) uses a generator of
its own (:meth:`MonthSchedule.generator`), so that the month's generator does not
depend on which acts ran. Amounts are invented in euros and scaled by the country's
price level, each rounded to the currency's minor unit.

A month is resumable. Every step — each act, and each read of the database the plan is
drawn from — is journalled (:class:`~partage.core.platform.db.models.SimulationStep`)
in its own transaction: an act's step in the act's transaction, so that an act and its
record commit together. A run killed half-way leaves a journal of what it committed;
the next run replays the month from the same seed: each step the journal holds gives
back what it gave (the read's rows, the act's results and counts) without reading or
acting again, and the first step it lacks runs on a database in the very state the
interrupted run left it in. The reads are journalled because the database changes as
the month goes on: read again after the interruption, they would give another plan.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from partage.core.acts.cooperative import ActError, Cooperative
from partage.core.contract.errors import PartageError
from partage.core.contract.identity import SampleData
from partage.core.contract.money import from_minor, minor_exponent, minor_quantum, round_money
from partage.core.contract.periods import Period
from partage.core.contract.samples import UnknownSampleCountry
from partage.core.demo.meter import ACT_KIND, Meter
from partage.core.demo.volume import Volume
from partage.core.platform.clock import SimulatedClock
from partage.core.platform.db.engine import transaction
from partage.core.platform.db.models import SimulationStep
from partage.core.risk import fund

T = TypeVar("T")


def jsonable(value: object) -> bool:
    """Whether ``value`` is plain JSON (what a journalled step can give back)."""
    if value is None or isinstance(value, str | int | bool):
        return True
    if isinstance(value, list | tuple):
        return all(jsonable(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and jsonable(v) for k, v in value.items())
    return False


class Results(dict[str, Any]):
    """What keyed acts returned, by key, remembering the keys set since :meth:`watch`
    (the results an act leaves for the acts after it, which its journal step keeps)."""

    def __init__(self) -> None:
        super().__init__()
        self.written: list[str] = []

    def __setitem__(self, key: str, value: Any) -> None:
        super().__setitem__(key, value)
        self.written.append(key)

    def watch(self) -> None:
        """Start remembering the keys set from now on."""
        self.written = []

    def kept(self) -> dict[str, Any]:
        """The plain-JSON results set since :meth:`watch`, for the journal."""
        return {k: self[k] for k in dict.fromkeys(self.written) if jsonable(self[k])}


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
        step: the number of the month's last step, run or taken from the journal.
        journal: the steps an earlier run of this month committed, by number: their
            kind, outcome and data.
        replayed: how many steps were taken from the journal.
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
        self.results = Results()
        self.seq = 0
        self.events: list[Event] = []
        self.write_offs: list[fund.WriteOff] = []
        self.step = 0
        self.replayed = 0
        self.journal = self._journal()

    @property
    def label(self) -> str:
        """The month as the journal names it, ``"YYYY-MM"``."""
        return f"{self.first:%Y-%m}"

    def _journal(self) -> dict[int, tuple[str, str, dict[str, Any]]]:
        with self.sessions() as session:
            return {
                step: (kind, outcome, data)
                for step, kind, outcome, data in session.execute(
                    select(
                        SimulationStep.step,
                        SimulationStep.kind,
                        SimulationStep.outcome,
                        SimulationStep.data,
                    ).where(SimulationStep.month == self.label)
                )
            }

    def _journalled(self, kind: str) -> dict[str, Any] | None:
        """The next step's record, if an earlier run committed it; the step must be
        the same kind, or the month is not the one that run lived."""
        self.step += 1
        entry = self.journal.get(self.step)
        if entry is None:
            return None
        if entry[0] != kind:
            raise JournalMismatch(self.label, self.step, entry[0], kind)
        self.replayed += 1
        return entry[2]

    def _record(self, session: Session, kind: str, outcome: str, data: dict[str, Any]) -> None:
        session.add(
            SimulationStep(month=self.label, step=self.step, kind=kind, outcome=outcome, data=data)
        )

    def recall(self, name: str, read: Callable[[Session], T]) -> T:
        """What ``read`` gives, journalled: a later run of the month gets the rows the
        first one read (as JSON: tuples and sets come back as lists)."""
        data = self._journalled(name)
        if data is not None:
            return data["value"]
        with transaction(self.sessions) as session:
            value = read(session)
            self._record(session, name, "read", {"value": value})
        return value

    def generator(self, name: str) -> random.Random:
        """A generator of its own for an act that draws as it runs, seeded from the
        month's seed and ``name``."""
        return random.Random(f"{self.seed}:{self.first:%Y-%m}:{name}")

    def run(
        self,
        kind: str,
        act: Callable[[Session], Any],
        count: Callable[[Any], int] = lambda _: 1,
        key: str | None = None,
    ) -> Any:
        """Run ``act`` in one transaction with its journal step, counting it in the
        meter; or, when an earlier run of the month committed it, give back what it
        left (its results, its counts, and its value when plain JSON)."""
        data = self._journalled(kind)
        if data is not None:
            dict.update(self.results, data["results"])
            self.meter.restore(data["meter"])
            return data["value"]
        self.results.watch()
        mark = self.meter.mark()
        started = time.perf_counter()
        try:
            with transaction(self.sessions) as session:
                running = ACT_KIND.set(kind)
                try:
                    result = act(session)
                finally:
                    ACT_KIND.reset(running)
                self.meter.done[kind] += count(result)
                if key is not None and result is not None:
                    self.results[key] = result
                value = result if jsonable(result) else None
                entry = {"value": value, "results": self.results.kept()}
                self._record(session, kind, "done", entry | {"meter": self.meter.since(mark)})
        except ActError as error:
            self.meter.refuse(kind, error)
            result = None
            with transaction(self.sessions) as session:
                kept = self.results.kept()  # what the act left before it was refused
                entry = {"value": None, "results": kept, "meter": self.meter.since(mark)}
                self._record(session, kind, "refused", entry)
        finally:
            self.meter.seconds[kind] += time.perf_counter() - started
        return result

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
            self.run(event.kind, event.act, event.count, event.key)


class JournalMismatch(PartageError):
    """The journal of an interrupted month does not match the month being replayed:
    another seed, volume or code lived it."""

    def __init__(self, month: str, step: int, journalled: str, planned: str) -> None:
        super().__init__(
            "month",
            f"{month}: step {step} of the interrupted run was {journalled}, this run "
            f"plans {planned}; the month cannot be finished by this version of the demo",
        )
