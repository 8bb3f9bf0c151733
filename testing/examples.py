"""What the conformance suite needs to know that only the country can say.

The suite checks contracts, not national law, yet some checks need national facts: a
national number and an IBAN the plugin accepts (the scripted month admits a member with
them), numbers it must refuse, a month whose law it knows, a worker category it pays and
the scale of a monthly salary in its currency. A country package states them once, as
data, in ``data/conformance.toml`` next to its plugin module::

    month = 2026-01-01                  # first day of a month whose law the plugin knows
    worker_category = "employee"
    typical_monthly_gross = "3000"      # in the plugin's currency

    [identifiers.valid]
    person = ["1234567890"]
    iban = ["DE89370400440532013000"]

    [identifiers.invalid]
    person = ["12"]

A test class may instead set ``examples = CountryExamples(...)``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import MappingProxyType

from partage.core.contract.errors import PartageError
from partage.core.contract.identity import IdentifierKind

EXAMPLES_FILE = Path("data") / "conformance.toml"
#: The identifiers the scripted month needs a valid example of.
REQUIRED_VALID = (IdentifierKind.PERSON, IdentifierKind.IBAN)


class ExamplesError(PartageError):
    """A country's examples are missing or malformed; the message names file and key."""


def _frozen(
    table: Mapping[IdentifierKind, Sequence[str]] | Mapping[str, Sequence[str]],
) -> Mapping[IdentifierKind, tuple[str, ...]]:
    return MappingProxyType({IdentifierKind(k): tuple(v) for k, v in table.items()})


@dataclass(frozen=True)
class CountryExamples:
    """National facts the conformance suite cannot guess.

    Attributes:
        valid: identifiers the plugin must accept, by kind; at least one person number
            and one IBAN, with which the scripted month admits a member.
        invalid: identifiers the plugin must refuse, naming the failed check, by kind.
        month: first day of a month whose law (VAT, payroll) the plugin knows; the
            scripted month happens then.
        worker_category: a worker category the plugin pays.
        typical_monthly_gross: a usual full-time monthly gross in the plugin's currency;
            the payroll checks draw salaries from a hundredth to ten times it.
        tax_situation: the household situation payslips are computed for.
        copyright_day: a day the copyright regime's amounts are known, if the plugin has
            a regime (defaults to ``month``).
    """

    valid: Mapping[IdentifierKind, tuple[str, ...]]
    invalid: Mapping[IdentifierKind, tuple[str, ...]]
    month: date
    worker_category: str
    typical_monthly_gross: Decimal
    tax_situation: str = "single"
    copyright_day: date | None = None
    source: str = field(default="(class attribute)", compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "valid", _frozen(self.valid))
        object.__setattr__(self, "invalid", _frozen(self.invalid))
        where = self.source
        for kind in REQUIRED_VALID:
            if not self.valid.get(kind):
                raise ExamplesError(
                    where,
                    f"identifiers.valid.{kind.value} needs at least one example "
                    "(the scripted month admits a member with it)",
                )
        if self.month.day != 1:
            raise ExamplesError(where, f"month = {self.month} must be the first day of a month")
        if self.typical_monthly_gross <= 0:
            raise ExamplesError(
                where, f"typical_monthly_gross = {self.typical_monthly_gross} must be positive"
            )


def read_examples(path: Path) -> CountryExamples:
    """Read a country's examples from its ``data/conformance.toml``."""
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise ExamplesError(str(path), "not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ExamplesError(str(path), f"not valid TOML: {exc}") from None

    def required(key: str) -> object:
        if key not in data:
            raise ExamplesError(str(path), f"{key} is required")
        return data[key]

    month = required("month")
    if not isinstance(month, date):
        raise ExamplesError(str(path), f"month = {month!r} must be a date (YYYY-MM-01)")
    copyright_day = data.get("copyright_day")
    if copyright_day is not None and not isinstance(copyright_day, date):
        raise ExamplesError(str(path), f"copyright_day = {copyright_day!r} must be a date")
    try:
        gross = Decimal(str(required("typical_monthly_gross")))
    except InvalidOperation:
        raise ExamplesError(
            str(path), 'typical_monthly_gross must be an amount such as "3000"'
        ) from None
    identifiers = data.get("identifiers", {})
    tables = {}
    for side in ("valid", "invalid"):
        table = identifiers.get(side, {})
        for kind, values in table.items():
            if kind not in set(IdentifierKind):
                raise ExamplesError(
                    str(path),
                    f"identifiers.{side}.{kind} is not one of "
                    f"{', '.join(k.value for k in IdentifierKind)}",
                )
            if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                raise ExamplesError(str(path), f"identifiers.{side}.{kind} must be a list of texts")
        tables[side] = table
    return CountryExamples(
        valid=tables["valid"],
        invalid=tables["invalid"],
        month=month,
        worker_category=str(required("worker_category")),
        typical_monthly_gross=gross,
        tax_situation=str(data.get("tax_situation", "single")),
        copyright_day=copyright_day,
        source=str(path),
    )
