"""Exact money: Decimal in Python, integer minor units in the database."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partage.core.contract.money import MoneyError, as_decimal, from_minor, round_money, to_minor


def test_to_minor_and_back_for_two_and_zero_decimal_currencies() -> None:
    assert to_minor(Decimal("12.34"), "EUR") == 1234
    assert to_minor("0.10", "EUR") == 10
    assert from_minor(1234, "EUR") == Decimal("12.34")
    assert str(from_minor(5, "EUR")) == "0.05"
    assert to_minor("1500", "JPY") == 1500
    assert from_minor(1500, "JPY") == Decimal("1500")


def test_float_is_refused_by_name() -> None:
    with pytest.raises(MoneyError, match=r"price: 0\.1 is a float"):
        to_minor(0.1, "EUR", field="price")


def test_sub_cent_amount_must_be_rounded_explicitly() -> None:
    with pytest.raises(MoneyError, match="more than 2 decimals for EUR"):
        to_minor(Decimal("1.005"), "EUR")


@pytest.mark.parametrize(
    ("amount", "expected"),
    [("1.005", "1.01"), ("1.004", "1.00"), ("-1.005", "-1.01"), ("2.675", "2.68")],
)
def test_rounding_is_half_away_from_zero(amount: str, expected: str) -> None:
    assert round_money(Decimal(amount), "EUR") == Decimal(expected)


@pytest.mark.parametrize("bad", ["abc", "NaN", "Infinity", True, None, [1]])
def test_non_numbers_are_refused(bad: object) -> None:
    with pytest.raises(MoneyError):
        as_decimal(bad)


def test_unknown_currency_code_shape_is_refused() -> None:
    with pytest.raises(MoneyError, match="ISO 4217"):
        to_minor("1", "euro")


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_minor_units_round_trip(units: int) -> None:
    assert to_minor(from_minor(units, "EUR"), "EUR") == units
