"""Belgium: the reference country plugin for the Belgian national instance.

Registered under ``partage.countries`` as ``be``. It talks to the core only through
the hook contract (:mod:`partage.core.hookspecs`) and its value types.
"""

from __future__ import annotations

from pathlib import Path

from partage.core.charts import read_chart
from partage.core.contract import ChartOfAccounts, CountryIdentity
from partage.core.hookspecs import hookimpl

PARTAGE_HOOK_API = "1.0"
DATA = Path(__file__).parent / "data"

IDENTITY = CountryIdentity(
    code="be",
    name="Belgium",
    currency="EUR",
    default_locale="fr_BE",
    languages=("fr", "nl", "de"),
    legal_form="SC (société coopérative / coöperatieve vennootschap)",
)


@hookimpl
def partage_country_identity() -> CountryIdentity:
    return IDENTITY


@hookimpl
def partage_chart_of_accounts() -> ChartOfAccounts:
    return read_chart("PCMN", DATA / "chart.csv", DATA / "chart_roles.toml")
