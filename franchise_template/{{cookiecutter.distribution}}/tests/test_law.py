"""The payslip applies the dated parameter files, read here on their own."""

import tomllib
from decimal import Decimal

from partage.core.contract import EmploymentContract, Period, round_money

from {{ cookiecutter.module }} import payroll
from {{ cookiecutter.module }}.identity import CURRENCY
from {{ cookiecutter.module }}.law import DATA

PARAMETERS = DATA / "parameters"


def first_value(name: str) -> tuple[object, object]:
    """The first dated value of a parameter file and the day it starts."""
    with (PARAMETERS / name).open("rb") as handle:
        value = tomllib.load(handle, parse_float=Decimal)["values"][0]
    return value["from"], value.get("value", value.get("brackets"))


def test_contributions_are_the_rates_of_the_files_on_the_capped_gross() -> None:
    start, employee_rate = first_value("payroll/employee_rate.toml")
    _, employer_rate = first_value("payroll/employer_rate.toml")
    _, ceiling = first_value("payroll/contribution_ceiling.toml")
    gross = Decimal("{{ cookiecutter.typical_monthly_gross }}")
    contract = EmploymentContract("employee", start=start, monthly_gross=gross)
    slip = payroll.payslip(contract, Period.month_of(start))
    base = min(gross, Decimal(ceiling)) if ceiling else gross
    assert slip.employee_contributions == round_money(base * Decimal(employee_rate), CURRENCY)
    assert slip.employer_contributions == round_money(base * Decimal(employer_rate), CURRENCY)
    assert slip.employer_cost == gross + slip.employer_contributions
