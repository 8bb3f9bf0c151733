"""Exact money: ``Decimal`` in Python, integer minor units in the database.

Why a module of its own: every layer (ledger, invoices, payroll, plugins) converts
between the two representations, and doing it in one place keeps the rounding rule
explicit. A float is refused outright: ``0.1 + 0.2`` must never reach the books.

Rounding rule: amounts are rounded half away from zero (``ROUND_HALF_UP``) to the
currency's minor unit, the commercial rule used on invoices and payslips in the euro
area. Conversions to minor units refuse amounts that need rounding; callers round
explicitly with :func:`round_money` first, so a lost fraction of a cent is always a
decision visible in the code.

The minor units come from CLDR through babel, imported on the first currency asked
about (and each answer cached), so that importing this module stays light.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache

from partage.core.contract.errors import N_, PartageError

ROUNDING = ROUND_HALF_UP
#: The largest amount one act may carry, in minor units (a thousand billion euros): a
#: technical bound, not a rule of law. Far below the 64-bit integers both databases
#: store, so that sums over many acts and ``quantity × price`` never overflow.
MAX_ACT_MINOR = 10**14


class MoneyError(PartageError):
    """An amount is not exact money (a float, too many decimals, not a number)."""


@cache
def minor_exponent(currency: str) -> int:
    """Number of decimals of the currency's minor unit (EUR: 2, JPY: 0), from CLDR."""
    from babel.numbers import get_currency_precision, is_currency

    if len(currency) != 3 or not currency.isalpha() or not currency.isupper():
        raise MoneyError(
            "currency", N_("must be an ISO 4217 code such as 'EUR'"), value=repr(currency)
        )
    if not is_currency(currency):
        raise MoneyError(
            "currency", N_("not an ISO 4217 currency known to CLDR"), value=repr(currency)
        )
    return int(get_currency_precision(currency))


def as_decimal(value: object, *, field: str = "amount") -> Decimal:
    """Return ``value`` as a finite ``Decimal``; refuse floats and non-numbers by name."""
    if isinstance(value, float):
        raise MoneyError(
            field, N_("{given} is a float; give a Decimal or a string"), given=repr(value)
        )
    if isinstance(value, bool):
        raise MoneyError(field, N_("{given} is not a number"), given=repr(value))
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int | str):
        try:
            result = Decimal(value)
        except InvalidOperation:
            raise MoneyError(field, N_("{given} is not a number"), given=repr(value)) from None
    else:
        raise MoneyError(field, N_("{given} is not a number"), given=repr(value))
    if not result.is_finite():
        raise MoneyError(field, N_("{given} is not a finite number"), given=repr(value))
    return result


@cache
def minor_quantum(currency: str) -> Decimal:
    """The currency's minor unit as a ``Decimal`` (EUR: 0.01); cached, payroll asks often."""
    return Decimal(1).scaleb(-minor_exponent(currency))


def round_money(amount: Decimal, currency: str) -> Decimal:
    """Round to the currency's minor unit, half away from zero."""
    value = amount if type(amount) is Decimal and amount.is_finite() else as_decimal(amount)
    return value.quantize(minor_quantum(currency), rounding=ROUNDING)


def to_minor(amount: object, currency: str, *, field: str = "amount") -> int:
    """Convert an exact amount to integer minor units; refuse sub-unit fractions."""
    # a finite Decimal is already what as_decimal checks for (every posted line's amount)
    value = (
        amount
        if type(amount) is Decimal and amount.is_finite()
        else as_decimal(amount, field=field)
    )
    exponent = minor_exponent(currency)
    scaled = value.scaleb(exponent)
    if scaled != scaled.to_integral_value():
        raise MoneyError(
            field,
            N_("{given} has more than {digits} decimals for {currency}; round it explicitly first"),
            given=value,
            digits=exponent,
            currency=currency,
        )
    return int(scaled)


def from_minor(units: int, currency: str) -> Decimal:
    """Convert integer minor units back to a ``Decimal`` with the currency's decimals."""
    if not isinstance(units, int) or isinstance(units, bool):
        raise MoneyError("minor units", N_("{given} is not an integer"), given=repr(units))
    return Decimal(units).scaleb(-minor_exponent(currency)).quantize(minor_quantum(currency))


def largest_act_amount(currency: str) -> Decimal:
    """:data:`MAX_ACT_MINOR` in ``currency``: the most one act may carry."""
    return from_minor(MAX_ACT_MINOR, currency)
