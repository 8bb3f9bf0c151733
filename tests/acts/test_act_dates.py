"""Dates within reason: an act is dated within the instance's window around today (as
its clock says) and in an open month; a sales invoice is due within the longest payment
term. Acts dated 2000 or 2099 in a month left open, and a due date of 2099-12-31, were
accepted before (the money-integrity issue, reproduction 11)."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import Engine

from partage.core.acts.cooperative import Cooperative, InvalidAct
from partage.core.ledger.periods import open_year
from partage.core.platform import clock
from partage.core.platform.clock import FixedClock, SimulatedClock
from partage.core.platform.config import DateRules
from partage.core.risk import fund
from tests.acts.test_engine import issue, set_up, snapshot
from tests.documents_support import CountryWorld
from tests.engine_support import WORLD_DAY, World, build_world


@pytest.fixture
def world(engine: Engine) -> World:
    """Testland with member 1's entity E000001 and its clients, the years 2000 and 2099
    opened too: the window, not a closed month, must refuse them."""
    built = set_up(build_world(engine))
    with built.act() as s:
        for year in (2000, 2099):
            open_year(s, year, actor="t")
    return built


@pytest.mark.parametrize("day", [date(2000, 3, 1), date(2099, 12, 1)])
def test_an_act_dated_far_from_today_is_refused_in_an_open_month(world: World, day: date) -> None:
    before = snapshot(world)
    with pytest.raises(InvalidAct) as refused:
        issue(world, on=day)
    assert refused.value.field == "on"
    assert str(refused.value) == (
        f"on {day}: an act is dated from 2025-12-30 to 2027-01-31 (366 days before "
        "today, 2026-12-31, to 31 days after)"
    )
    refusal = pytest.raises(InvalidAct, match="an act is dated from 2025-12-30 to 2027-01-31")
    with refusal, world.act() as s:
        fund.allocate(s, world.coop, "100", on=day, actor="t", reason="assembly")
    assert snapshot(world) == before


def test_the_window_s_first_and_last_days_are_within_it(world: World) -> None:
    first, last = world.coop.date_window()
    assert (first, last) == (WORLD_DAY - timedelta(days=366), WORLD_DAY + timedelta(days=31))
    assert issue(world, on=last).issued_on == last
    with pytest.raises(InvalidAct, match="an act is dated from"):
        issue(world, on=first - timedelta(days=1))


def test_a_due_date_lies_within_the_longest_payment_term(world: World) -> None:
    before = snapshot(world)
    with pytest.raises(InvalidAct) as refused:
        issue(world, due_on=date(2099, 12, 31))
    assert str(refused.value) == (
        "due_on: 2099-12-31 is beyond the longest payment term, 60 days: due by "
        "2026-09-04 at the latest for the invoice dated 2026-07-06"
    )
    assert snapshot(world) == before
    assert issue(world, due_on=date(2026, 9, 4)).due_on == date(2026, 9, 4)


def test_the_instance_sets_the_window_and_the_term(world: World) -> None:
    strict = DateRules(days_back=0, days_ahead=0, max_payment_term_days=20)
    world.coop = replace(world.coop, instance=replace(world.coop.instance, dates=strict))
    with pytest.raises(InvalidAct, match="from 2026-12-31 to 2026-12-31"):
        issue(world, on=WORLD_DAY - timedelta(days=1))
    # the default term (30 days) shortened to the instance's longest
    assert issue(world, on=WORLD_DAY).due_on == WORLD_DAY + timedelta(days=20)


def test_moving_the_clock_moves_the_window(world: World) -> None:
    world.coop.clock = FixedClock(date(2026, 3, 1))
    assert issue(world, on=date(2026, 3, 2)).issued_on == date(2026, 3, 2)
    with pytest.raises(InvalidAct, match="to 2026-04-01"):
        issue(world, on=date(2026, 7, 6))


# --- the clock ------------------------------------------------------------------------------
def test_a_context_takes_the_pinned_clock_and_the_system_s_elsewhere(world: World) -> None:
    assert clock.current() is clock.SYSTEM
    assert clock.today() == date.today()
    with clock.pinned(date(2026, 5, 4)) as pinned:
        coop = Cooperative(world.coop.instance, world.coop.plugins)
        assert coop.clock is pinned and coop.today() == date(2026, 5, 4)
        seen: list[clock.Clock] = []
        other = threading.Thread(target=lambda: seen.append(clock.current()))
        other.start()
        other.join()
        assert seen == [clock.SYSTEM]  # a pin never leaks into another thread
    assert clock.current() is clock.SYSTEM
    assert Cooperative(world.coop.instance, world.coop.plugins).clock is clock.SYSTEM


def test_a_simulated_clock_only_moves_forward() -> None:
    simulated = SimulatedClock(date(2026, 11, 2))
    simulated.move_to(date(2026, 11, 3))
    assert simulated.today() == date(2026, 11, 3)
    with pytest.raises(ValueError, match="cannot go back from 2026-11-03 to 2026-11-02"):
        simulated.move_to(date(2026, 11, 2))


def test_the_country_s_legal_cap_on_payment_terms_wins_when_shorter(be: CountryWorld) -> None:
    lenient = replace(be.coop.instance.dates, max_payment_term_days=90)
    coop = replace(be.coop, instance=replace(be.coop.instance, dates=lenient))
    assert coop.payment_term_days(date(2026, 7, 6)) == 60  # loi du 2 août 2002, art. 4
    assert coop.payment_term_days(date(2021, 7, 6)) == 90  # before the cap's first value
    with pytest.raises(InvalidAct, match="longest payment term, 60 days: due by 2026-09-04"):
        coop.due(date(2026, 7, 6), date(2026, 9, 5))
