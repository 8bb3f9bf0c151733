"""The working-days calendar: Monday to Friday less the country's public holidays, asked
through ``partage_public_holidays``; refused, naming the hook, for a country that lists
none; shown by ``partage payroll calendar``."""

from __future__ import annotations

import json
from datetime import date

import pluggy
import pytest

from partage.core.acts.cooperative import InvalidAct
from partage.core.acts.working_days import working_days
from partage.core.contract.errors import PluginError
from partage.core.contract.hookspecs import hookimpl
from partage.core.platform.registry import PluginKind, PluginRegistry
from tests.cli.test_cli import clean_environment, run  # noqa: F401  (autouse fixture)
from tests.conftest import CountryPlugin


class Holidayland(CountryPlugin):
    """New Year's Day and one Saturday off."""

    @hookimpl
    def partage_public_holidays(self, year: int) -> frozenset[date]:
        return frozenset({date(year, 1, 1), date(year, 1, 3)})


def manager(plugin: CountryPlugin) -> pluggy.PluginManager:
    registry = PluginRegistry(autoload=False)
    registry.add(plugin, name="zz", kind=PluginKind.COUNTRY)
    return registry.manager("zz")


def test_weekends_and_public_holidays_are_not_worked() -> None:
    # January 2027: Friday 1st (a holiday), Saturday 2nd, Sunday 3rd (a holiday too).
    found = working_days(manager(Holidayland()), date(2027, 1, 1), date(2027, 1, 10))
    assert found.days == tuple(date(2027, 1, d) for d in (4, 5, 6, 7, 8))
    assert len(found) == 5
    assert found.holidays == (date(2027, 1, 1), date(2027, 1, 3))


def test_a_period_across_years_asks_each_year() -> None:
    found = working_days(manager(Holidayland()), date(2026, 12, 30), date(2027, 1, 5))
    assert found.days == (
        date(2026, 12, 30),
        date(2026, 12, 31),
        date(2027, 1, 4),
        date(2027, 1, 5),
    )
    assert found.holidays == (date(2027, 1, 1), date(2027, 1, 3))


def test_a_country_without_holidays_has_no_calendar() -> None:
    with pytest.raises(PluginError, match="partage_public_holidays is not answered"):
        working_days(manager(CountryPlugin()), date(2026, 5, 1), date(2026, 5, 31))


def test_a_period_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(InvalidAct, match="end: 2026-04-30 is before the start 2026-05-01"):
        working_days(manager(Holidayland()), date(2026, 5, 1), date(2026, 4, 30))


def test_the_payroll_calendar_of_a_belgian_month(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--instance", "be", "payroll", "calendar", "--date", "2026-05-12"]
    code, out, err = run([*args, "--format", "json"], capsys)
    assert code == 0, err
    document = json.loads(out)
    # Labour Day (Friday 1st), Ascension (Thursday 14th), Whit Sunday and Monday (24th, 25th).
    assert document["public_holidays"] == ["2026-05-01", "2026-05-14", "2026-05-24", "2026-05-25"]
    assert document["working_days"] == 18 == len(document["days"])
    assert (document["start"], document["end"]) == ("2026-05-01", "2026-05-31")
    code, out, err = run(args, capsys)
    assert code == 0, err
    assert out.startswith("2026-05-01 to 2026-05-31: 18 working days")
    assert "2026-05-14      Thursday" in out


def test_the_payroll_calendar_refuses_csv(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--instance", "fr", "payroll", "calendar", "--date", "2026-05-12", "-f", "csv"]
    code, _, err = run(args, capsys)
    assert code != 0 and "csv is not offered here" in err
