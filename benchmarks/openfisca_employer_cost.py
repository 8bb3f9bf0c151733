"""Record openfisca-france's employer cost of French private-sector salaries.

Writes ``tests/plugins/france/data/openfisca_employer_cost.json``: for each month and
profile (cadre and non-cadre, from the SMIC to 5 PMSS), openfisca-france's
``salaire_super_brut`` (gross plus employer contributions, minus the réduction
générale) and its ``allegement_general``. ``tests/plugins/france/test_fr_employer_cost.py``
compares the plugin's employer cost with these recorded cases on every run, and with
openfisca-france itself where it is installed (``pip install -e '.[test]'``).

The employer is the reference instance: 1,000 employees, the AT/MP rate of the
plugin's parameters, no place of work given to openfisca (its versement transport table
is not compared, see the test's docstring).

Usage::

    python benchmarks/openfisca_employer_cost.py
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

OUTPUT = (
    Path(__file__).parent.parent
    / "tests"
    / "plugins"
    / "france"
    / "data"
    / "openfisca_employer_cost.json"
)
MONTHS = ("2025-03", "2025-06", "2025-11", "2026-01", "2026-03", "2026-07")
#: Multiples of the month's SMIC, then of the PMSS, for each category.
SMIC_MULTIPLES = ("1", "1.1", "1.3", "1.6", "2", "2.5", "2.9", "3.1")
PMSS_MULTIPLES = ("1.5", "2", "3", "4", "5")
CATEGORIES = ("non_cadre", "cadre")
HEADCOUNT = 1000


def profiles(month: str) -> list[tuple[str, str]]:
    """(category, monthly gross) of one month: SMIC multiples and PMSS multiples."""
    from datetime import date

    from partage.plugins.france.law import law_on

    year, number = (int(x) for x in month.split("-"))
    law = law_on(date(year, number, 1))
    smic = law.smic * law.month_hours
    grosses = [smic * Decimal(m) for m in SMIC_MULTIPLES]
    grosses += [law.pmss * Decimal(m) for m in PMSS_MULTIPLES]
    cents = [str(g.quantize(Decimal("0.01"))) for g in grosses]
    return [(category, gross) for category in CATEGORIES for gross in cents]


def compute(month: str, cases: list[tuple[str, str]]) -> list[dict[str, str]]:
    """openfisca-france's employer cost and réduction générale of each case."""
    from datetime import date

    import openfisca_france
    from openfisca_core.simulation_builder import SimulationBuilder

    from partage.plugins.france.law import law_on

    year, number = (int(x) for x in month.split("-"))
    accident = float(law_on(date(year, number, 1)).accidents)
    system = openfisca_france.FranceTaxBenefitSystem()
    people = {
        f"p{i}": {
            "salaire_de_base": {month: float(gross)},
            "categorie_salarie": {month: f"prive_{category}"},
            "effectif_entreprise": {month: HEADCOUNT},
            "taux_accident_travail": {month: accident},
            "contrat_de_travail_debut": {month: "2020-01-01"},
            "contrat_de_travail": {month: "temps_plein"},
        }
        for i, (category, gross) in enumerate(cases)
    }
    count = range(len(cases))
    entities = {
        "individus": people,
        "familles": {f"f{i}": {"parents": [f"p{i}"]} for i in count},
        "foyers_fiscaux": {f"ff{i}": {"declarants": [f"p{i}"]} for i in count},
        "menages": {f"m{i}": {"personne_de_reference": [f"p{i}"]} for i in count},
    }
    simulation = SimulationBuilder().build_from_entities(system, entities)
    cost = simulation.calculate("salaire_super_brut", month)
    reduction = simulation.calculate("allegement_general", month)
    return [
        {
            "month": month,
            "category": category,
            "gross": gross,
            "employer_cost": f"{float(cost[i]):.2f}",
            "reduction_generale": f"{float(reduction[i]):.2f}",
        }
        for i, (category, gross) in enumerate(cases)
    ]


def record() -> list[dict[str, str]]:
    """Every month's cases computed by openfisca-france."""
    return [case for month in MONTHS for case in compute(month, profiles(month))]


def main() -> None:
    from importlib.metadata import version

    cases = record()
    data = {
        "source": f"openfisca-france {version('openfisca-france')}",
        "variable": "salaire_super_brut",
        "headcount": HEADCOUNT,
        "cases": cases,
    }
    OUTPUT.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    print(f"{len(cases)} cases written to {OUTPUT}")


if __name__ == "__main__":
    main()
