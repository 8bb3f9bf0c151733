"""France: the reference country plugin for the French national instance.

Registered under ``partage.countries`` as ``fr``. It talks to the core only through
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
    code="fr",
    name="France",
    currency="EUR",
    default_locale="fr_FR",
    languages=("fr",),
    legal_form="SCIC SA (société coopérative d'intérêt collectif)",
)


@hookimpl
def partage_country_identity() -> CountryIdentity:
    return IDENTITY


@hookimpl
def partage_chart_of_accounts() -> ChartOfAccounts:
    return read_chart("PCG", DATA / "chart.csv", DATA / "chart_roles.toml")
