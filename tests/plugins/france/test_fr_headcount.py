"""France: the employer's headcount of CSS art. L130-1 and the thresholds it selects."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from partage.core.contract import PayrollError
from partage.core.contract.payroll import EmploymentContract
from partage.core.contract.periods import Period
from partage.plugins.france import payroll
from partage.plugins.france.headcount import Headcount, declared, from_payroll, yearly
from partage.plugins.france.law import law_on

D = Decimal
JUNE_2026 = Period.month_of(date(2026, 6, 1))


def test_the_yearly_headcount_averages_months_with_employees_rounded_down() -> None:
    # R130-1 I: months with no employee are left out, the average rounded down to 0.01
    assert yearly([D(10), D(11), D(11), D(0)]) == D("10.66")
    assert yearly([]) == D(0)


def test_a_threshold_counts_after_five_consecutive_years() -> None:
    assert Headcount((D(60),) * 5).reaches(D(50))
    assert not Headcount((D(60),) * 4).reaches(D(50))
    # one year under the threshold starts the count again (L130-1 II, second paragraph)
    assert not Headcount((D(60), D(60), D(49.99), D(60), D(60))).reaches(D(50))
    assert declared(D(11)).reaches(D(11)) and not declared(D(11)).reaches(D(50))


def test_the_payroll_months_make_the_years_before_the_day() -> None:
    months = [(date(year, m, 1), D(12)) for year in range(2021, 2026) for m in range(1, 13)]
    found = from_payroll(months, date(2026, 6, 1))
    assert found.years == (D(12),) * 5 and found.current == D(12)
    assert from_payroll(months[12:], date(2026, 6, 1)).reaches(D(11)) is False


def test_headcount_selects_fnal_training_peec_mobility_and_the_reduction() -> None:
    small = law_on(JUNE_2026.start, declared(D(10)))
    large = law_on(JUNE_2026.start, declared(D(300)))
    assert (small.fnal_rate, small.fnal_capped) == (D("0.001"), True)
    assert (large.fnal_rate, large.fnal_capped) == (D("0.005"), False)
    assert (small.formation, large.formation) == (D("0.0055"), D("0.01"))
    assert (small.peec, large.peec) == (D(0), D("0.0045"))
    assert (small.versement_mobilite, large.versement_mobilite) == (D(0), D("0.032"))
    assert (small.forfait_social_prevoyance, large.forfait_social_prevoyance) == (D(0), D("0.08"))
    assert (small.apprentissage_supplementaire, large.apprentissage_supplementaire) == (
        D(0),
        D("0.004"),
    )
    assert (small.reduction.maximum, large.reduction.maximum) == (D("0.3781"), D("0.3821"))


def test_the_declared_headcount_overrides_the_payroll() -> None:
    # The reference instance declares 1,000 employees: a payroll of two workers does not
    # change its rates.
    terms = EmploymentContract(
        "non_cadre",
        date(2020, 1, 1),
        monthly_gross=D(2500),
        employer_headcounts=((date(2025, 1, 1), D(2)),),
    )
    codes = {x.code for x in payroll.payslip(terms, JUNE_2026).lines}
    assert {"versement_mobilite", "peec", "forfait_social_prevoyance"} & codes == {
        "versement_mobilite",
        "peec",
    }


def test_the_versement_mobilite_is_the_place_of_works_authority() -> None:
    def mobility(workplace: str | None) -> Decimal:
        terms = EmploymentContract(
            "non_cadre", date(2020, 1, 1), monthly_gross=D(2500), workplace_authority=workplace
        )
        lines = {x.code: x for x in payroll.payslip(terms, JUNE_2026).lines}
        return lines["versement_mobilite"].rate if "versement_mobilite" in lines else D(0)

    assert mobility(None) == D("0.032")  # the instance's default: Paris
    assert mobility("sytral_metropole_de_lyon") == D("0.02")
    assert mobility("aucune") == D(0)
    with pytest.raises(PayrollError) as refused:
        mobility("gotham")
    assert refused.value.field == "workplace_authority"
    assert "nantes_metropole" in refused.value.rule
