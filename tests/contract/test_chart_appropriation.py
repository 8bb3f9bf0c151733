"""The chart's dated appropriation rules: read as exact decimals with their source, the
rule in force chosen by the year's end, and a malformed table refused naming it."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from partage.core.contract.charts import ChartFileError, read_chart

DATA = Path(__file__).parents[1] / "data"


def chart_with(tmp_path: Path, appropriation: str) -> Path:
    roles = tmp_path / "chart_roles.toml"
    text = (DATA / "chart_roles.toml").read_text(encoding="utf-8")
    roles.write_text(text.split("[[appropriation]]")[0] + appropriation, encoding="utf-8")
    shutil.copy(DATA / "chart.csv", tmp_path / "chart.csv")
    return roles


RULES = """
[[appropriation]]
since = 2001-01-01
legal_reserve_rate = "0.05"
legal_reserve_ceiling = "0.10"
reserved_share_of_rest = "0"
reference = "Old law, art. 1"

[[appropriation]]
since = 2020-01-01
legal_reserve_rate = "0"
legal_reserve_ceiling = "0"
reserved_share_of_rest = "0.5"
reference = "New law, art. 2"
"""


def test_the_rule_in_force_is_the_last_one_begun_by_the_years_end(tmp_path: Path) -> None:
    chart = read_chart("T", tmp_path / "chart.csv", chart_with(tmp_path, RULES))
    old, new = (
        chart.appropriation_on(date(2019, 12, 31)),
        chart.appropriation_on(date(2020, 12, 31)),
    )
    assert old is not None and new is not None
    assert (old.legal_reserve_rate, old.reference) == (Decimal("0.05"), "Old law, art. 1")
    assert (new.reserved_share_of_rest, new.reference) == (Decimal("0.5"), "New law, art. 2")
    assert chart.appropriation_on(date(2000, 12, 31)) is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('"0.05"', "0.05"), "legal_reserve_rate must be a non-negative decimal string"),
        (
            ('reference = "Old law, art. 1"', 'reference = ""'),
            "reference must name the legal source",
        ),
        (("since = 2001-01-01", 'since = "soon"'), "since must be a date"),
        (('"0.10"', '"ten"'), "legal_reserve_ceiling must be a number written as a string"),
    ],
)
def test_a_malformed_rule_is_refused_naming_it(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    roles = chart_with(tmp_path, RULES.replace(*change, 1))
    with pytest.raises(ChartFileError, match=f"appropriation 1: {message}"):
        read_chart("T", tmp_path / "chart.csv", roles)
