"""Belgian copyright withholding by yearly bracket, and the mutualised insurance policies."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest

from partage.core.contract.parameters import ParameterError
from partage.core.contract.payslips import PayrollError
from partage.plugins.belgium import copyright, insurance

D = Decimal


def test_published_example_of_2018() -> None:
    # AJP (journalists' union), amounts of 2018: 20,000 EUR of copyright -> 50 % of 15,660
    # and 25 % of 4,340 as costs, 15 % of 11,085 withheld = 1,662.75 EUR.
    taxed = copyright.taxation(D("20000"), date(2018, 6, 1), D(0))
    assert (taxed.flat_rate_costs, taxed.taxable, taxed.withholding) == (
        D("8915.00"),
        D("11085.00"),
        D("1662.75"),
    )
    assert taxed.net == D("18337.25")


@pytest.mark.parametrize(
    ("amount", "earlier", "costs"),
    [
        ("10000", "0", "5000.00"),  # all in the 50 % bracket
        ("19480", "0", "9740.00"),  # exactly the first bracket
        ("5000", "18000", "1620.00"),  # 1480 x 50 % + 3520 x 25 %
        ("1000", "38970", "0.00"),  # beyond the second bracket: no flat-rate costs
        ("100", "38920", "12.50"),  # 50 x 25 % + 50 x 0 %
    ],
)
def test_brackets_of_2024_place_the_cession_in_the_year(
    amount: str, earlier: str, costs: str
) -> None:
    taxed = copyright.taxation(D(amount), date(2024, 9, 1), D(earlier))
    assert taxed.flat_rate_costs == D(costs)
    assert taxed.withholding == (taxed.taxable * D("0.15")).quantize(D("0.01"), ROUND_HALF_UP)
    assert taxed.withholding_rate == D("0.15")


def test_the_day_the_brackets_changed() -> None:
    before = copyright.taxation(D("20000"), date(2023, 12, 31), D(0))
    after = copyright.taxation(D("20000"), date(2024, 1, 1), D(0))
    assert before.flat_rate_costs == D("8915.00")  # 2018 amounts still in force
    assert after.flat_rate_costs == D("9870.00")  # 19480 x 50 % + 520 x 25 %


def test_above_the_ceiling_the_mention_says_professional_income() -> None:
    taxed = copyright.taxation(D("5000"), date(2024, 9, 1), D("70000"))
    assert "revenu professionnel" in taxed.legal_mention


@pytest.mark.parametrize(
    ("amount", "earlier", "costs"),
    [
        ("20100", "0", "10050.00"),  # exactly the first bracket of 2025
        ("20100.01", "0", "10050.00"),  # one cent into the 25 % bracket: 0.0025 rounds away
        ("100", "20050", "37.50"),  # 50 x 50 % + 50 x 25 %
        ("40190", "0", "15072.50"),  # both brackets exactly: 10050 + 20090 x 25 %
        ("1000", "40190", "0.00"),  # from the second edge on: no flat-rate costs
        ("100", "40140", "12.50"),  # 50 x 25 % + 50 x 0 %
    ],
)
def test_brackets_of_2025_at_their_edges(amount: str, earlier: str, costs: str) -> None:
    taxed = copyright.taxation(D(amount), date(2025, 7, 1), D(earlier))
    assert taxed.flat_rate_costs == D(costs)
    assert taxed.taxable == D(amount) - D(costs)
    assert taxed.withholding == (taxed.taxable * D("0.15")).quantize(D("0.01"), ROUND_HALF_UP)


def test_the_first_day_of_2025_uses_the_new_brackets() -> None:
    before = copyright.taxation(D("40190"), date(2024, 12, 31), D(0))
    after = copyright.taxation(D("40190"), date(2025, 1, 1), D(0))
    assert before.flat_rate_costs == D("14612.50")  # 19480 x 50 % + 19490 x 25 %
    assert after.flat_rate_costs == D("15072.50")  # 20100 x 50 % + 20090 x 25 %
    assert after.withholding == D("3767.63")  # 15 % of 25117.50, half up


@pytest.mark.parametrize(
    ("on", "earlier", "professional"),
    [
        (date(2025, 3, 1), "74360", False),  # exactly the 2025 ceiling of 75,360
        (date(2025, 3, 1), "74360.01", True),
        (date(2024, 3, 1), "74360", True),  # above the 2024 ceiling of 73,070
    ],
)
def test_the_ceiling_edge_of_2025(on: date, earlier: str, professional: bool) -> None:
    taxed = copyright.taxation(D("1000"), on, D(earlier))
    assert ("revenu professionnel" in taxed.legal_mention) is professional


def test_the_last_covered_day_is_accepted() -> None:
    taxed = copyright.taxation(D("100"), date(2025, 12, 31), D(0))
    assert taxed.flat_rate_costs == D("50.00")


@pytest.mark.parametrize(
    ("on", "error", "message"),
    [
        (date(2026, 1, 1), ParameterError, "cover cessions up to 2025-12-31"),
        (date(2015, 12, 31), ParameterError, "earliest applies from 2016-01-01"),
    ],
)
def test_uncovered_years_are_refused(on: date, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        copyright.taxation(D("100"), on, D(0))


def test_negative_amounts_are_refused() -> None:
    with pytest.raises(PayrollError, match="amount: -1"):
        copyright.taxation(D("-1"), date(2024, 1, 1), D(0))


def test_policies_and_their_premium_rules() -> None:
    found = {p.code: p for p in insurance.policies(date(2026, 1, 1))}
    assert found["work_accident"].premium_basis == "payroll_rate"
    assert found["work_accident"].rate == D("0.0100")
    assert found["civil_liability"].premium_basis == "flat"
    assert found["civil_liability"].flat_amount == D("2.50")
    with pytest.raises(ParameterError, match="earliest applies from 2026-01-01"):
        insurance.policies(date(2025, 12, 31))
