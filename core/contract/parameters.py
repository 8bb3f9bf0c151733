"""Law as dated data: parameters whose values change with the law.

Part of the public contract for plugins. Each parameter is one TOML file; its path
below the plugin's parameter folder is its name (``vat/standard.toml`` is
``vat.standard``). A file has a ``description``, a ``unit`` and a list of ``values``,
each in force from a date and citing its legal source::

    description = "Standard VAT rate"
    unit = "rate"

    [[values]]
    from = 1996-01-01
    value = 0.21
    reference = "Code de la TVA, art. 37; AR n° 20 du 20 juillet 1970, tableau A"

A scale (brackets) dates the whole scale at once; each bracket has a ``threshold``
(lower bound, in the unit) and a ``rate`` (or an ``amount``)::

    [[values]]
    from = 2026-01-01
    reference = "..."
    brackets = [{threshold = 0, rate = 0.25}, {threshold = 16320, rate = 0.40}]

Numbers are read as ``Decimal`` straight from their TOML text, never through a float.
Code asks for the value in force on a date, so a payslip of 2025 recomputed in 2027
gives the same result; asking before the earliest value is an error, never a guess.
"""

from __future__ import annotations

import tomllib
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property
from pathlib import Path

from partage.core.contract.errors import N_, PartageError

UNITS = frozenset({"rate", "currency", "hours", "days", "count", "coefficient", "text", "years"})


class ParameterError(PartageError):
    """A parameter is missing, malformed, undated, unsourced, or not in force on a date."""


@dataclass(frozen=True)
class Bracket:
    """One bracket of a scale.

    Attributes:
        threshold: lower bound of the bracket (inclusive), in the parameter's unit.
        rate: the rate applied above the threshold, if the scale is a rate scale.
        amount: the amount of the bracket, if the scale is an amount scale.
    """

    threshold: Decimal
    rate: Decimal | None = None
    amount: Decimal | None = None


@dataclass(frozen=True)
class DatedValue:
    """A value in force from a date.

    Attributes:
        start: first day it applies.
        value: the value (``None`` for a scale).
        brackets: the scale's brackets, by ascending threshold (empty for a value).
        reference: the legal source.
    """

    start: date
    value: Decimal | str | None
    brackets: tuple[Bracket, ...]
    reference: str

    def marginal(self, base: Decimal) -> Decimal:
        """Apply a rate scale marginally: each slice of ``base`` at its bracket's rate."""
        total = Decimal(0)
        for index, bracket in enumerate(self.brackets):
            if base <= bracket.threshold:
                break
            top = self.brackets[index + 1].threshold if index + 1 < len(self.brackets) else base
            total += (min(base, top) - bracket.threshold) * (bracket.rate or 0)
        return total

    def bracket_for(self, base: Decimal) -> Bracket:
        """The bracket ``base`` falls in (the last whose threshold is not above it)."""
        found = [b for b in self.brackets if b.threshold <= base]
        if not found:
            raise ParameterError(None, N_("{base} is below the scale's first threshold"), base=base)
        return found[-1]


@dataclass(frozen=True)
class Parameter:
    """A parameter and its history.

    Attributes:
        name: dotted name (``vat.standard``).
        description: what it is.
        unit: one of :data:`UNITS`.
        values: dated values, oldest first.
    """

    name: str
    description: str
    unit: str
    values: tuple[DatedValue, ...]

    def at(self, on: date) -> DatedValue:
        """The value in force on ``on``; refuses a date before the earliest value."""
        starts = [v.start for v in self.values]
        index = bisect_right(starts, on) - 1
        if index < 0:
            raise ParameterError(
                self.name,
                N_("no value in force on {on}; the earliest applies from {earliest}"),
                on=on,
                earliest=starts[0],
            )
        return self.values[index]


def _number(raw: object, where: str) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, int | Decimal):
        raise ParameterError(where, f"{raw!r} is not a number")
    return Decimal(raw)


def _read(path: Path, name: str) -> Parameter:
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise ParameterError(str(path), f"not valid TOML: {exc}") from None
    unit = data.get("unit")
    if unit not in UNITS:
        raise ParameterError(str(path), f"unit {unit!r} must be one of {', '.join(sorted(UNITS))}")
    if not str(data.get("description", "")).strip():
        raise ParameterError(str(path), "description is required")
    raw_values = data.get("values")
    if not isinstance(raw_values, list) or not raw_values:
        raise ParameterError(str(path), "at least one dated value is required")
    values = []
    for index, raw in enumerate(raw_values, start=1):
        where = f"{path} value {index}"
        start = raw.get("from")
        if not isinstance(start, date):
            raise ParameterError(where, "'from' must be a date (YYYY-MM-DD)")
        reference = str(raw.get("reference", "")).strip()
        if not reference:
            raise ParameterError(where, "'reference' to the legal source is required")
        if ("value" in raw) == ("brackets" in raw):
            raise ParameterError(where, "give either 'value' or 'brackets'")
        value: Decimal | str | None = None
        brackets: tuple[Bracket, ...] = ()
        if "value" in raw:
            value = raw["value"] if unit == "text" else _number(raw["value"], where)
        else:
            brackets = tuple(
                Bracket(
                    _number(b.get("threshold"), f"{where} bracket {i}"),
                    _number(b["rate"], f"{where} bracket {i}") if "rate" in b else None,
                    _number(b["amount"], f"{where} bracket {i}") if "amount" in b else None,
                )
                for i, b in enumerate(raw["brackets"], start=1)
            )
            if [b.threshold for b in brackets] != sorted({b.threshold for b in brackets}):
                raise ParameterError(where, "thresholds must be strictly increasing")
        values.append(DatedValue(start, value, brackets, reference))
    starts = [v.start for v in values]
    if starts != sorted(set(starts)):
        raise ParameterError(str(path), "dates must be strictly increasing")
    return Parameter(name, str(data["description"]).strip(), unit, tuple(values))


class Parameters:
    """Every parameter of a folder, read once, when the first one is asked for.

    A plugin declares its parameters at import (``LAW = Parameters(DATA / "parameters")``)
    and is imported by every command that lists or checks the plugins, most of which
    never compute with the law: the folder must exist at once, but its files are read
    (all of them, so that a malformed file is refused whichever parameter is asked
    first) by the first question: :meth:`names`, ``[name]`` or a value on a date. The
    conformance suite (:mod:`partage.testing.conformance`) reads every one.

    :param root: the folder holding the parameter files.
    """

    def __init__(self, root: Path) -> None:
        if not root.is_dir():
            raise ParameterError(str(root), "parameter folder not found")
        self.root = root

    @cached_property
    def _all(self) -> dict[str, Parameter]:
        """Every parameter of the folder by name, read at the first question."""
        return {
            name: _read(path, name)
            for path in sorted(self.root.rglob("*.toml"))
            for name in [".".join(path.relative_to(self.root).with_suffix("").parts)]
        }

    def names(self) -> list[str]:
        """Every parameter name, sorted."""
        return sorted(self._all)

    def __getitem__(self, name: str) -> Parameter:
        try:
            return self._all[name]
        except KeyError:
            raise ParameterError(
                "parameter", f"not defined under {self.root}", value=repr(name)
            ) from None

    def since(self, name: str, on: date) -> DatedValue | None:
        """The value in force on ``on``, ``None`` before the parameter's first value.

        For rules that start on a day of their own: a sector's agreement or law, unlike a
        country's law, has no value for every day a plugin serves, and an act dated
        earlier is simply not subject to it. Every other read refuses a day before the
        first value (:meth:`Parameter.at`).
        """
        parameter = self[name]
        if on < parameter.values[0].start:
            return None
        return parameter.at(on)

    def value(self, name: str, on: date) -> Decimal:
        """The number in force on ``on``."""
        found = self[name].at(on).value
        if not isinstance(found, Decimal):
            raise ParameterError(name, "is a scale or a text, not a number")
        return found

    def text(self, name: str, on: date) -> str:
        """The text in force on ``on``."""
        return str(self[name].at(on).value)

    def scale(self, name: str, on: date) -> DatedValue:
        """The scale in force on ``on``."""
        found = self[name].at(on)
        if not found.brackets:
            raise ParameterError(name, "is a value, not a scale")
        return found
