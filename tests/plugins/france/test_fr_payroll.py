"""France: payroll rates at their edges, bad input, properties, declaration, insurance."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partage.core.contract.payroll import EmploymentContract, Payslip
from partage.core.contract.payslips import PayrollError, payroll_totals
from partage.core.contract.periods import Period
from partage.core.platform.registry import PluginRegistry
from partage.plugins.france import payroll
from partage.plugins.france.contributions import CATEGORIES
from partage.plugins.france.law import law_on

D = Decimal
CENT = D("0.01")


@pytest.fixture(scope="module")
def hook():  # type: ignore[no-untyped-def]
    return PluginRegistry().manager("fr").hook


def month(year: int, number: int) -> Period:
    return Period.month_of(date(year, number, 1))


MARCH_2026 = month(2026, 3)
MARCH_2025 = month(2025, 3)


def contract(
    gross: str | Decimal = "2500", category: str = "non_cadre", **kw: object
) -> EmploymentContract:
    if "hourly_rate" in kw:
        return EmploymentContract(category, date(2020, 1, 1), **kw)  # type: ignore[arg-type]
    return EmploymentContract(category, date(2020, 1, 1), monthly_gross=D(gross), **kw)  # type: ignore[arg-type]


def slip(
    gross: str | Decimal = "2500",
    category: str = "non_cadre",
    period: Period = MARCH_2026,
    **kw: object,
) -> Payslip:
    return payroll.payslip(contract(gross, category, **kw), period)


def lines(payslip: Payslip) -> dict[str, tuple[Decimal, Decimal | None, Decimal]]:
    return {x.code: (x.base, x.rate, x.amount) for x in payslip.lines}


# --- the plafond (PMSS) and tranche edges ----------------------------------------------
def test_pmss_of_2025_and_2026() -> None:
    assert law_on(date(2025, 12, 31)).pmss == D(3925)
    assert law_on(date(2026, 1, 1)).pmss == D(4005)


def test_at_the_plafond_there_is_no_tranche_2_nor_cet() -> None:
    at = lines(slip("4005.00"))
    assert at["vieillesse_plafonnee_salarie"][0] == D("4005.00")
    assert "agirc_arrco_t2_salarie" not in at and "cet_salarie" not in at
    above = lines(slip("4005.01"))
    assert above["vieillesse_plafonnee_salarie"][0] == D("4005.00")
    assert above["agirc_arrco_t2_salarie"][0] == CENT
    assert above["cet_salarie"][:2] == (D("4005.01"), D("0.0014"))


def test_four_plafonds_cap_chomage_ags_apec_and_the_csg_allowance() -> None:
    at, above = lines(slip("16020.00", "cadre")), lines(slip("16020.01", "cadre"))
    for code in ("chomage_employeur", "ags", "apec_salarie", "apec_employeur"):
        assert at[code][0] == above[code][0] == D("16020.00"), code
    assert at["csg_deductible"][0] == D("16020.00") * D("0.9825") + D("60.08")
    assert above["csg_deductible"][0] == at["csg_deductible"][0] + CENT


def test_eight_plafonds_cap_tranche_2_and_cet() -> None:
    got = lines(slip("40000", "cadre"))
    assert got["agirc_arrco_t2_salarie"][0] == D("28035.00")  # 7 × 4005
    assert got["cet_employeur"][0] == D("32040.00")
    assert got["vieillesse_deplafonnee_salarie"][0] == D("40000.00")


def test_cadres_pay_apec_and_prevoyance_non_cadres_do_not() -> None:
    cadre, other = lines(slip("3000", "cadre")), lines(slip("3000"))
    assert cadre["prevoyance_cadres"] == (D("3000.00"), D("0.015"), D("45.00"))
    assert cadre["csg_deductible"][0] == D("2992.50")  # 3000 × 98.25 % + 45.00 of prévoyance
    assert "prevoyance_cadres" not in other and "apec_salarie" not in other
    assert other["csg_deductible"][0] == D("2947.50")


def test_part_time_scales_the_plafond() -> None:
    got = lines(slip("5000", part_time=D("0.5")))
    assert got["vieillesse_plafonnee_salarie"][0] == D("2002.50")
    assert got["agirc_arrco_t2_salarie"][0] == D("497.50")


def test_hourly_contract_plafond_follows_the_hours() -> None:
    got = lines(slip(hourly_rate=D("40"), hours=D("100")))
    assert got["vieillesse_deplafonnee_salarie"][0] == D("4000.00")
    assert got["vieillesse_plafonnee_salarie"][0] == D("2640.60")  # 4005 × 100 / 151.67


# --- reduced maladie and famille rates (2025) and their end (2026) ------------------------
def test_maladie_reduced_rate_up_to_2_25_smic_in_2025() -> None:
    # 2.25 × 11.88 € × 151.67 h = 4 054.139...
    assert lines(slip("4054.13", period=MARCH_2025))["maladie_employeur"][1] == D("0.07")
    assert lines(slip("4054.14", period=MARCH_2025))["maladie_employeur"][1] == D("0.13")


def test_famille_reduced_rate_up_to_3_3_smic_in_2025() -> None:
    # 3.3 × 11.88 € × 151.67 h = 5 946.070...
    assert lines(slip("5946.07", period=MARCH_2025))["famille_employeur"][1] == D("0.0345")
    assert lines(slip("5946.08", period=MARCH_2025))["famille_employeur"][1] == D("0.0525")


def test_part_time_thresholds_follow_the_working_time() -> None:
    half = slip("4054.12", part_time=D("0.5"), period=MARCH_2025)
    assert lines(half)["maladie_employeur"][1] == D("0.07")  # 2027.06 ≤ 2027.07
    half = slip("4054.16", part_time=D("0.5"), period=MARCH_2025)
    assert lines(half)["maladie_employeur"][1] == D("0.13")


def test_the_reduced_rates_end_on_1_january_2026() -> None:
    dec, jan = (
        lines(slip("2000", period=month(2025, 12))),
        lines(slip("2000", period=month(2026, 1))),
    )
    assert (dec["maladie_employeur"][1], dec["famille_employeur"][1]) == (D("0.07"), D("0.0345"))
    assert (jan["maladie_employeur"][1], jan["famille_employeur"][1]) == (D("0.13"), D("0.0525"))


# --- the day a rate changes -----------------------------------------------------------------
def test_chomage_rate_changes_on_1_may_2025() -> None:
    assert lines(slip("3000", period=month(2025, 4)))["chomage_employeur"][1] == D("0.0405")
    assert lines(slip("3000", period=month(2025, 5)))["chomage_employeur"][1] == D("0.04")


def test_vieillesse_deplafonnee_employer_changes_on_1_january_2026() -> None:
    assert lines(slip("3000", period=month(2025, 12)))["vieillesse_deplafonnee_employeur"][1] == D(
        "0.0202"
    )
    assert lines(slip("3000", period=month(2026, 1)))["vieillesse_deplafonnee_employeur"][1] == D(
        "0.0211"
    )


def test_smic_of_june_2026() -> None:
    assert law_on(date(2026, 5, 31)).smic == D("12.02")
    assert law_on(date(2026, 6, 1)).smic == D("12.31")


# --- withholding: the neutral-rate grid ---------------------------------------------------
@pytest.mark.parametrize(
    ("day", "taxable", "rate"),
    [
        (date(2025, 1, 1), "1590.99", "0"),
        (date(2025, 1, 1), "1591.00", "0.005"),
        (date(2025, 4, 30), "54088.00", "0.43"),
        (date(2025, 5, 1), "1619.99", "0"),
        (date(2025, 5, 1), "1620.00", "0.005"),
        (date(2025, 5, 1), "2713.99", "0.053"),
        (date(2025, 5, 1), "2714.00", "0.075"),
        (date(2026, 4, 1), "55061.99", "0.38"),
        (date(2026, 4, 1), "55062.00", "0.43"),
        (date(2026, 4, 30), "1634.99", "0.005"),
        (date(2026, 5, 1), "1634.99", "0"),
        (date(2026, 5, 1), "1635.00", "0.005"),
        (date(2026, 5, 1), "2737.99", "0.053"),
        (date(2026, 5, 1), "2738.00", "0.075"),
        (date(2026, 7, 1), "55557.99", "0.38"),
        (date(2026, 7, 1), "55558.00", "0.43"),
    ],
)
def test_neutral_rate_grid_edges(day: date, taxable: str, rate: str) -> None:
    assert payroll.neutral_rate(D(taxable), law_on(day)) == D(rate)


def test_withholding_applies_the_rate_to_the_net_taxable_salary() -> None:
    got = slip("3000")
    deductible = sum(
        (
            x.amount
            for x in got.lines
            if x.payer == "employee" and x.code not in ("csg_non_deductible", "crds")
        ),
        D(0),
    )
    taxable = D("3000.00") - deductible
    assert D("2294") <= taxable < D("2714")
    assert got.withholding == (taxable * D("0.053")).quantize(CENT, ROUND_HALF_UP)
    assert got.net == got.gross - got.employee_contributions - got.withholding


def test_a_july_2026_payslip_withholds_by_the_grid_of_1_may_2026() -> None:
    got = slip("3000", period=month(2026, 7))
    taxable = payroll.net_taxable(got.gross, got.lines)
    assert D("2315") <= taxable < D("2738")
    assert got.withholding == (taxable * D("0.053")).quantize(CENT, ROUND_HALF_UP)


def test_withholding_after_the_last_known_grid_is_refused_not_guessed() -> None:
    with pytest.raises(PayrollError, match=r"grid in force after 2026-12-31 is not entered"):
        slip("3000", period=month(2027, 1))


# --- bad input ---------------------------------------------------------------------------
def test_negative_hours_are_refused() -> None:
    with pytest.raises(PayrollError, match="hours: -1"):
        slip(hourly_rate=D("15"), hours=D("-1"))


def test_a_date_before_the_earliest_parameter_is_refused() -> None:
    with pytest.raises(
        PayrollError, match=r"period starting 2024-12-01.*securite_sociale.pmss.*2025-01-01"
    ):
        slip("3000", period=month(2024, 12))


def test_an_unknown_category_is_refused_with_the_known_ones(hook) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PayrollError, match=r"worker_category: 'artist'.*known: cadre, non_cadre"):
        hook.partage_payslip(contract=contract(category="artist"), period=MARCH_2026)
    with pytest.raises(PayrollError, match="worker_category"):
        hook.partage_gross_for_employer_cost(
            contract=contract(category="artist"), period=MARCH_2026, employer_cost=D(3000)
        )


def test_part_time_outside_0_1_is_refused() -> None:
    with pytest.raises(PayrollError, match="part_time"):
        slip("3000", part_time=D("1.5"))


# --- properties ----------------------------------------------------------------------------
GROSS = st.decimals(
    min_value=D(0), max_value=D(50000), places=2, allow_nan=False, allow_infinity=False
)
CATEGORY = st.sampled_from(sorted(CATEGORIES))
PART = st.sampled_from([D(1), D("0.8"), D("0.5"), D("0.25")])
PERIOD = st.sampled_from([MARCH_2025, month(2025, 6), MARCH_2026])


@settings(max_examples=150, deadline=None)
@given(gross=GROSS, category=CATEGORY, part=PART, period=PERIOD)
def test_net_is_at_most_gross_and_gross_at_most_cost(gross, category, part, period) -> None:  # type: ignore[no-untyped-def]
    got = payroll.payslip(contract(gross, category, part_time=part), period)
    assert D(0) <= got.net <= got.gross <= got.employer_cost
    assert got.employer_cost == got.gross + got.employer_contributions


@settings(max_examples=60, deadline=None)
@given(gross=GROSS, category=CATEGORY, part=PART, period=PERIOD)
def test_the_inverse_round_trips_to_the_cent(hook, gross, category, part, period) -> None:  # type: ignore[no-untyped-def]
    """The inverse of a payslip's cost is its gross, or a larger gross of the same cost:
    the réduction générale falls as the gross rises, so two grosses a cent apart can cost
    the same once each line is rounded to the cent."""
    terms = contract(gross, category, part_time=part)
    paid = hook.partage_payslip(contract=terms, period=period)
    found = hook.partage_gross_for_employer_cost(
        contract=terms, period=period, employer_cost=paid.employer_cost
    )
    assert found >= paid.gross
    again = payroll.payslip_for_gross(category, found, part, period)
    assert again.employer_cost == paid.employer_cost


@settings(max_examples=40, deadline=None)
@given(budget=GROSS, category=CATEGORY)
def test_the_inverse_spends_at_most_the_budget_and_a_cent_more_breaks_it(
    hook, budget, category
) -> None:  # type: ignore[no-untyped-def]
    terms = contract("0", category)
    found = hook.partage_gross_for_employer_cost(
        contract=terms, period=MARCH_2026, employer_cost=budget
    )
    assert payroll.payslip_for_gross(category, found, D(1), MARCH_2026).employer_cost <= budget
    assert (
        payroll.payslip_for_gross(category, found + CENT, D(1), MARCH_2026).employer_cost > budget
    )


# --- declaration, insurance, copyright, speed ---------------------------------------------
def test_social_declaration_totals_every_contribution(hook) -> None:  # type: ignore[no-untyped-def]
    slips = [slip("2000"), slip("5000", "cadre"), slip("1200", part_time=D("0.5"))]
    totals = payroll_totals(MARCH_2026, enumerate(slips), "EUR")
    declared = hook.partage_social_declaration(period=MARCH_2026, totals=totals)
    boxes = {b.box: b.amount for b in declared}
    labels = {b.box: b.label for b in declared}
    assert labels["prevoyance_cadres"].endswith("(patronal)")
    assert boxes["effectif"] == 3 and boxes["brut"] == D("7600.00")
    assert boxes["prevoyance_cadres"] == D("60.08")
    assert boxes["csg_deductible"] == sum((lines(s)["csg_deductible"][2] for s in slips), D(0))
    assert boxes["total_patronal"] == sum((s.employer_contributions for s in slips), D(0))
    assert boxes["pas"] == sum((s.withholding for s in slips), D(0))
    assert boxes["net"] == sum((s.net for s in slips), D(0))


def test_insurance_policies_are_dated_and_contractual(hook) -> None:  # type: ignore[no-untyped-def]
    policies = {p.code: p for p in hook.partage_insurance_policies(on=date(2026, 1, 1))}
    assert (
        policies["civil_liability"].premium_basis == "flat"
        and policies["civil_liability"].flat_amount > 0
    )
    assert policies["prevoyance_non_cadres"].premium_basis == "payroll_rate"
    from partage.core.contract.parameters import ParameterError

    with pytest.raises(ParameterError, match=r"assurances\.rc_pro"):
        hook.partage_insurance_policies(on=date(2024, 12, 31))


def test_copyright_has_no_withholding_regime_in_france(hook) -> None:  # type: ignore[no-untyped-def]
    assert (
        hook.partage_copyright_taxation(amount=D(1000), on=date(2026, 1, 1), earlier_this_year=D(0))
        is None
    )


def test_a_month_of_many_workers_adds_up_payslip_by_payslip() -> None:
    """The contracts of a peak month's profile, sampled across its whole range (monthly
    gross 1,500 to 10,499, both categories): each payslip adds up and the month's totals
    are the sums of the payslips. How fast 35,000 of them go is measured by
    ``benchmarks/payroll.py``, never asserted here."""
    contracts = [
        contract(D(1500 + i % 9000), "cadre" if i % 3 == 0 else "non_cadre")
        for i in range(0, 35000, 97)
    ]
    slips = [payroll.payslip(terms, MARCH_2026) for terms in contracts]
    for terms, got in zip(contracts, slips, strict=True):
        assert got.gross == terms.monthly_gross
        assert got.net == got.gross - got.employee_contributions - got.withholding
        assert got.employer_cost == got.gross + got.employer_contributions
        assert D(0) <= got.net <= got.gross
        assert all(line.amount == line.amount.quantize(CENT) for line in got.lines)
    totals = payroll_totals(MARCH_2026, enumerate(slips), "EUR")
    assert totals.payslips == totals.workers == len(slips)
    assert totals.gross == sum((s.gross for s in slips), D(0))
    assert totals.net == sum((s.net for s in slips), D(0))
    assert totals.employer_cost == sum((s.employer_cost for s in slips), D(0))


# --- réduction générale (CSS art. L241-13, D241-7) -----------------------------------
@pytest.mark.parametrize(
    ("day", "gross", "coefficient"),
    [
        # 2025: T = 0.3233 (50 employees or more) at and under the SMIC (1,801.80)
        (date(2025, 6, 1), "1801.80", "0.3233"),
        # 0.3233 / 0.6 × (1.6 × 1,801.80 / 2,500 − 1) = 0.08248… → 0.0825
        (date(2025, 6, 1), "2500.00", "0.0825"),
        # no reduction from 1.6 SMIC (2,882.88) in 2025
        (date(2025, 6, 1), "2882.88", "0"),
        # 2026 RGDU: T min + T delta at the SMIC (1,823.07)
        (date(2026, 1, 1), "1823.07", "0.4021"),
        # 0.02 + 0.3821 × [½ × (3 × 1,823.07 / 5,000 − 1)]^1.75 = 0.0218
        (date(2026, 1, 1), "5000.00", "0.0218"),
        # under 3 SMIC T min remains; from 3 SMIC (5,469.2202) nothing
        (date(2026, 1, 1), "5469.00", "0.0200"),
        (date(2026, 1, 1), "5469.23", "0"),
        # July 2026: the SMIC rose to 12.31 but the RGDU keeps 12.02 (décret n° 2026-509):
        # the new SMIC's monthly pay is above the reference SMIC (openfisca: 707.24)
        (date(2026, 7, 1), "1867.06", "0.3788"),
    ],
)
def test_reduction_coefficient(day: date, gross: str, coefficient: str) -> None:
    from partage.plugins.france.contributions import reduction_coefficient
    from partage.plugins.france.law import law_on

    assert reduction_coefficient(D(gross), D(1), law_on(day)) == D(coefficient)


def test_the_reduction_is_a_negative_employer_line_never_above_the_contributions() -> None:
    got = payroll.payslip(contract("1823.07"), month(2026, 1))
    line = {x.code: x for x in got.lines}["reduction_generale"]
    assert (line.payer, line.rate, line.amount) == ("employer", D("-0.4021"), D("-733.06"))
    tiny = payroll.payslip(contract("0.02"), month(2026, 1))
    assert tiny.employer_cost >= tiny.gross
