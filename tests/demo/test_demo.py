"""``partage demo``: a month of activity and the instance's consolidated figures; each
run adds the next month; a month already there, a database of real members and a bad
``--month`` are refused with one line."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import create_engine, text

from partage.core.platform import clock
from tests.cli.test_cli import clean_environment, run  # noqa: F401  (autouse fixture)


def figure(out: str, pattern: str) -> str:
    found = re.search(pattern, out)
    assert found, (pattern, out)
    return found.group(1)


def test_demo_lives_a_month_and_prints_the_figures_then_the_next_month(
    capsys: pytest.CaptureFixture[str], database_url: str
) -> None:
    demo = ["--database-url", database_url, "demo", "--members", "10", "--month", "2026-03"]
    code, out, err = run(demo, capsys)
    assert code == 0, err
    assert "Instance record: created" in out
    assert "Activity: March 2026 simulated (seed 0, first month)" in out
    assert "member.admit 10," in out
    # the ten newcomers and the applicant admitted at once (a trade with no review); the
    # month's applications: admitted, with the committee, refused, appealed
    assert "members 11, " in out
    assert "application.submit 4" in out
    assert "entities 12 open" in out
    assert figure(out, r"invoiced excl\. VAT ([\d,.]+) EUR on 36 invoices") != "0.00"
    assert figure(out, r"fee income ([\d,.]+) EUR") != "0.00"
    assert re.search(
        r"guarantee fund: balance -?[\d,.]+ EUR, leverage 10, capacity [\d,.]+ EUR, exposure", out
    )
    assert "difference 0.00 EUR" in out
    assert ", 0 below zero" in out
    assert re.search(r"payroll: \d+ payslips, gross [\d,.]+ EUR", out)
    # The month's net pay leaves as one SEPA file; every hire was declared (Dimona).
    paid = figure(out, r"payroll: \d+ payslips, .*?net ([\d,.]+) EUR")
    sent = figure(out, r"payments out: salary file \S+ with \d+ transfers, ([\d,.]+) EUR")
    held = figure(out, r"EUR; (\d+) held")
    assert sent != "0.00" and (sent == paid or held != "0")
    hires = figure(out, r"declarations: (\d+) contracts starting this month")
    assert f"hire declarations made: dimona {hires}" in out
    code, out, err = run(["--database-url", database_url, "demo", "--members", "10"], capsys)
    assert code == 0, err
    assert "Instance record: already present" in out
    assert "Activity: April 2026 simulated (seed 0, the month after the last one simulated)" in out
    assert "difference 0.00 EUR" in out


@pytest.mark.sqlite
def test_a_month_already_simulated_or_before_the_last_is_refused(
    capsys: pytest.CaptureFixture[str], sqlite_url: str
) -> None:
    demo = ["--database-url", sqlite_url, "demo", "--members", "3"]
    assert run([*demo, "--month", "2026-03"], capsys)[0] == 0
    code, _, err = run([*demo, "--month", "2026-03"], capsys)
    assert (code, err.strip()) == (
        1,
        "partage: error: month: 2026-03 is already simulated in this database",
    )
    code, _, err = run([*demo, "--month", "2026-01"], capsys)
    assert code == 1 and "2026-01 is before 2026-03, the last month simulated" in err


@pytest.mark.sqlite
def test_the_demo_adds_nothing_to_a_database_of_real_members(
    capsys: pytest.CaptureFixture[str], sqlite_url: str
) -> None:
    assert run(["--database-url", sqlite_url, "demo", "--members", "2"], capsys)[0] == 0
    engine = create_engine(sqlite_url)
    with engine.begin() as c:  # as if the instance had run without the demo
        c.execute(text("DELETE FROM audit_log WHERE action = 'simulation.month'"))
        c.execute(text("DELETE FROM simulation_step"))
    engine.dispose()
    code, out, err = run(["--database-url", sqlite_url, "demo"], capsys)
    assert code == 1
    assert err.strip().endswith(
        "this database already holds members the demo did not create; "
        "run the demo on a database of its own (--database-url)"
    )
    assert "Activity" not in out


@pytest.mark.sqlite
def test_the_french_instance_lives_its_month_with_its_own_plugin(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(["--instance", "fr", "demo", "--members", "6", "--seed", "4"], capsys)
    assert code == 0, err
    assert "Figures of instance fr" in out
    assert "members 7, " in out and "difference 0.00 EUR" in out


@pytest.mark.parametrize("month", ["2026-13", "March", "2026-3-1"])
def test_a_bad_month_is_one_line_and_status_2(
    capsys: pytest.CaptureFixture[str], month: str
) -> None:
    code, _, err = run(["demo", "--month", month], capsys)
    assert code == 2
    assert err.strip() == f"partage: error: --month: {month!r} is not a month (YYYY-MM)"


@pytest.mark.sqlite
def test_a_month_that_has_not_ended_is_never_simulated(
    capsys: pytest.CaptureFixture[str], sqlite_url: str
) -> None:
    demo = ["--database-url", sqlite_url, "demo", "--members", "2", "--no-serve"]
    with clock.pinned(date(2026, 12, 7)):
        code, out, err = run(demo, capsys)
        assert code == 0, err
        assert "Activity: November 2026 simulated" in out
        code, out, err = run(demo, capsys)
        assert code == 0, err
        assert (
            "Activity: nothing simulated: December 2026, the month after the last one "
            "simulated, ends on 2026-12-31; run the demo again after it"
        ) in out
        code, _, err = run([*demo, "--month", "2026-12"], capsys)
    assert (code, err.strip()) == (
        1,
        "partage: error: month: 2026-12 ends on 2026-12-31, and today is 2026-12-07: the "
        "demo simulates only months that have ended",
    )
    engine = create_engine(sqlite_url)
    with engine.connect() as c:
        last = c.execute(text("SELECT max(date) FROM journal_entry")).scalar_one()
    engine.dispose()
    assert str(last) <= "2026-11-30"
