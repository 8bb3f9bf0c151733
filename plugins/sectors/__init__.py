"""Sector plugins: a trade's rules, enabled per local office (entry point group
``partage.sectors``).

A sector plugin is a package like a country plugin: its hook implementations in
``__init__``, its dated parameters (each with its source) under ``data/parameters``.
It sees an act only through :class:`~partage.core.contract.ActContext` and answers for
the acts of entities working in its trade whose office has enabled it on the act's
date (:mod:`partage.core.sectors.rules`).
"""

from __future__ import annotations

from datetime import date

from partage.core.contract import DatedValue, Parameters


def in_force(parameters: Parameters, name: str, on: date) -> DatedValue | None:
    """The value of a sector rule in force on ``on``, ``None`` before the rule existed.

    A country's law has a value for every day a plugin serves; a sector's rule starts
    on the day its agreement or law did, and an act dated earlier is simply not subject
    to it.
    """
    parameter = parameters[name]
    if on < parameter.values[0].start:
        return None
    return parameter.at(on)
