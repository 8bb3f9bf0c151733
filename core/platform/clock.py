"""Where "today" comes from: the clock an instance's acts, pages and commands read.

Why a clock rather than ``date.today()``: an act's date must lie within a window around
today (:meth:`partage.core.acts.cooperative.Cooperative.dated`), reports are drawn up
"as of today", and overdue invoices lapse as days pass. The demo simulates a past month
day by day, and tests pin the date they were written for; both need every one of those
questions to be asked of the same, settable "today".

Who holds it: each :class:`~partage.core.acts.cooperative.Cooperative` carries its
clock, and the web application asks its cooperative's. A context built without one
takes :func:`current`: the system clock, unless the calling code pinned another for
what it runs inside :func:`pinned` (a command run by a test, the demo). The pin lives in
a :class:`contextvars.ContextVar`, so it never leaks from one thread, task or test to
another.

"Today" here is a business day: it dates acts. When something happened (``created_at``,
``posted_at``, an audit line, a login's expiry) stays the wall clock's moment
(:func:`partage.core.platform.db.base.utcnow`), which no simulation may move.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from typing import Protocol, runtime_checkable


@runtime_checkable
class Clock(Protocol):
    """Anything that says which day it is."""

    def today(self) -> date:
        """The current business day."""
        ...


@dataclass(frozen=True)
class SystemClock:
    """The machine's calendar: the day in the server's local time zone."""

    def today(self) -> date:
        return date.today()


@dataclass(frozen=True)
class FixedClock:
    """A clock stopped on one day (tests, a command asked to act "as of" a day).

    Attributes:
        day: the day it always says.
    """

    day: date

    def today(self) -> date:
        return self.day


class SimulatedClock:
    """A clock a simulation moves forward day by day (the demo's month).

    It only moves forward: a simulation that tried to go back in time would date acts
    before ones it already posted. Moving it is guarded by a lock, so pages served
    while the simulation runs read a whole day.
    """

    def __init__(self, day: date) -> None:
        self._day = day
        self._lock = threading.Lock()

    def today(self) -> date:
        return self._day

    def move_to(self, day: date) -> None:
        """Set the clock to ``day``, never earlier than it says now."""
        with self._lock:
            if day < self._day:
                raise ValueError(f"the simulated clock cannot go back from {self._day} to {day}")
            self._day = day

    def __repr__(self) -> str:
        return f"SimulatedClock({self._day.isoformat()})"


SYSTEM = SystemClock()
_PINNED: ContextVar[Clock | None] = ContextVar("partage_clock", default=None)


def current() -> Clock:
    """The clock a new context takes: the one pinned here, else the system's."""
    return _PINNED.get() or SYSTEM


@contextmanager
def pinned(clock: Clock | date) -> Iterator[Clock]:
    """Run the enclosed code with ``clock`` (or a clock stopped on a day) as the clock
    every context built inside takes; the previous one is back on exit."""
    chosen = FixedClock(clock) if isinstance(clock, date) else clock
    token = _PINNED.set(chosen)
    try:
        yield chosen
    finally:
        _PINNED.reset(token)


def today() -> date:
    """Today, as the current clock says (:func:`current`): what a command asks when
    no cooperative context is at hand yet."""
    return current().today()
