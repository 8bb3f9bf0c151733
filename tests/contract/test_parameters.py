"""Dated parameters: values in force on a date, with their legal source, read exactly."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from partage.core.contract.parameters import ParameterError, Parameters

ROOT = Path(__file__).parents[1] / "data" / "parameters"


@pytest.fixture(scope="module")
def params() -> Parameters:
    return Parameters(ROOT)


def test_value_in_force_on_each_side_of_a_change(params: Parameters) -> None:
    assert params.value("vat.standard", date(2026, 6, 30)) == Decimal("0.20")
    assert params.value("vat.standard", date(2026, 7, 1)) == Decimal("0.21")
    assert isinstance(params.value("vat.standard", date(2030, 1, 1)), Decimal)
    assert params["vat.standard"].at(date(2026, 7, 1)).reference.startswith("Testland VAT Act")


def test_before_the_earliest_value_is_an_error(params: Parameters) -> None:
    with pytest.raises(
        ParameterError,
        match=re.escape(
            "vat.standard: no value in force on 1999-12-31; the earliest applies from 2000-01-01"
        ),
    ):
        params.value("vat.standard", date(1999, 12, 31))


def test_marginal_scale_at_bracket_edges(params: Parameters) -> None:
    scale = params.scale("tax.income", date(2026, 1, 1))
    assert scale.marginal(Decimal(10000)) == Decimal("2500.00")
    assert scale.marginal(Decimal(10001)) == Decimal("2500.40")
    assert scale.marginal(Decimal(50000)) == Decimal("2500") + Decimal("12000") + Decimal("5000")
    assert scale.bracket_for(Decimal("39999.99")).rate == Decimal("0.40")
    assert scale.bracket_for(Decimal(40000)).rate == Decimal("0.50")


def test_unknown_parameter_names_the_folder(params: Parameters) -> None:
    with pytest.raises(ParameterError, match=re.escape("parameter 'vat.super': not defined")):
        params.value("vat.super", date(2026, 1, 1))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            'description = "x"\nunit = "rate"\n[[values]]\nfrom = 2020-01-01\nvalue = 0.1\n',
            "'reference' to the legal source is required",
        ),
        (
            'description = "x"\nunit = "rate"\n[[values]]\nfrom = "soon"\nvalue = 0.1\nreference = "r"\n',
            "'from' must be a date",
        ),
        (
            'description = "x"\nunit = "furlongs"\n[[values]]\nfrom = 2020-01-01\nvalue = 1\nreference = "r"\n',
            "unit 'furlongs' must be one of",
        ),
        (
            'description = "x"\nunit = "rate"\n[[values]]\nfrom = 2021-01-01\nvalue = 1\nreference = "r"\n[[values]]\nfrom = 2020-01-01\nvalue = 2\nreference = "r"\n',
            "dates must be strictly increasing",
        ),
        (
            'description = "x"\nunit = "rate"\n[[values]]\nfrom = 2020-01-01\nreference = "r"\nbrackets = [{threshold = 5, rate = 0.1}, {threshold = 1, rate = 0.2}]\n',
            "thresholds must be strictly increasing",
        ),
        (
            'unit = "rate"\n[[values]]\nfrom = 2020-01-01\nvalue = 1\nreference = "r"\n',
            "description is required",
        ),
    ],
)
def test_malformed_files_are_refused_naming_the_rule(
    tmp_path: Path, text: str, message: str
) -> None:
    (tmp_path / "p.toml").write_text(text)
    parameters = Parameters(tmp_path)  # a plugin's import reads nothing yet
    with pytest.raises(ParameterError, match=message):
        parameters.names()


def test_a_missing_folder_is_refused_at_once(tmp_path: Path) -> None:
    with pytest.raises(ParameterError, match="parameter folder not found"):
        Parameters(tmp_path / "absent")


def test_a_malformed_file_is_refused_whichever_parameter_is_asked_first(tmp_path: Path) -> None:
    good = 'description = "x"\nunit = "rate"\n[[values]]\nfrom = 2020-01-01\nvalue = 1\nreference = "r"\n'
    (tmp_path / "good.toml").write_text(good)
    (tmp_path / "bad.toml").write_text(good.replace('unit = "rate"', 'unit = "furlongs"'))
    parameters = Parameters(tmp_path)
    with pytest.raises(ParameterError, match="unit 'furlongs'"):
        parameters.value("good", date(2021, 1, 1))
    with pytest.raises(ParameterError, match="unit 'furlongs'"):
        parameters["good"]


def test_the_files_are_read_once(tmp_path: Path) -> None:
    (tmp_path / "p.toml").write_text(
        'description = "x"\nunit = "rate"\n[[values]]\nfrom = 2020-01-01\nvalue = 1\nreference = "r"\n'
    )
    parameters = Parameters(tmp_path)
    assert parameters.value("p", date(2021, 1, 1)) == Decimal(1)
    (tmp_path / "p.toml").write_text("not toml at all [")
    assert parameters.value("p", date(2021, 1, 1)) == Decimal(1)
