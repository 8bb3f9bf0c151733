"""Belgian payroll: contributions, work bonus, the 2026 key formula, CSSS, the inverse.

Sources of the expected figures:
- KEY: SPF Finances, formule-clé du précompte professionnel, rémunérations payées à
  partir du 1er janvier 2026 (Annexe III AR/CIR 92, AR du 11 décembre 2025,
  ESS-SR/2025-0928). Its worked example "isolé, rémunération imposable 3.000 EUR"
  withholds 596.93 EUR; it publishes the scale's cumulative amounts 4,469.93 /
  9,944.05 / 20,320.38, the tax on the tax-free sum 2,987.98 and the children table.
  We read these figures through public transcriptions of the document, not the PDF.
- The other withholding profiles have NO official worked example that we could find:
  their expected values are hand computations from the published key formula, each
  step written in the comment, never the output of this plugin.
"""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partage.core.contract.parameters import ParameterError
from partage.core.contract.payroll import EmploymentContract
from partage.core.contract.payslips import PayrollError, payroll_totals
from partage.core.contract.periods import Period
from partage.plugins.belgium import payroll

D = Decimal
JAN = Period(date(2026, 1, 1), date(2026, 1, 31))
APR = Period(date(2026, 4, 1), date(2026, 4, 30))
LAW = payroll.tax_law_on(JAN.end)
SOCIAL = payroll.social_law_on(JAN.start)


def contract(gross: str = "3000", **terms: object) -> EmploymentContract:
    return EmploymentContract(
        **{
            "worker_category": "employee",
            "start": date(2026, 1, 1),
            "monthly_gross": D(gross),
            **terms,
        }  # type: ignore[arg-type]
    )


def monthly_withholding(taxable: str, situation: str = "single", children: int = 0) -> Decimal:
    yearly = payroll.yearly_withholding(D(taxable), situation, children, LAW)
    return payroll.cent(yearly / 12)


# --- the key formula ----------------------------------------------------------------
def test_official_example_single_3000() -> None:
    assert monthly_withholding("3000") == D("596.93")


@pytest.mark.parametrize(
    ("income", "tax"),
    [
        ("16710", "4469.93"),  # published cumulative amounts at each bracket edge
        ("16710.01", "4469.93"),  # + 0.01 x 42.80 % rounds away
        ("16710.02", "4469.94"),
        ("29500", "9944.05"),
        ("51050", "20320.38"),
        ("51051", "20320.92"),  # 20,320.38 + 0.535
    ],
)
def test_scale_at_its_bracket_edges(income: str, tax: str) -> None:
    assert payroll.scale_tax(D(income), LAW.scale) == D(tax)


def test_tax_free_sum_and_cost_ceiling_parameters() -> None:
    assert LAW.tax_free_tax == payroll.cent(D(11170) * D("0.2675"))  # 2,987.98
    # Costs reach their 6,070 ceiling at 20,233.33 a year (taxable 1,686.11 a month).
    assert min(payroll.cent(D("20233.33") * LAW.costs_rate), LAW.costs_maximum) == D("6070.00")
    assert min(payroll.cent(D("20233.30") * LAW.costs_rate), LAW.costs_maximum) == D("6069.99")


@pytest.mark.parametrize(
    ("taxable", "situation", "children", "expected"),
    [
        # 1500 x 12 = 18000; costs 5400; 12600 x 26.75 % = 3370.50; -2987.98 = 382.52; /12
        ("1500", "single", 0, "31.88"),
        # 24000 - 6070 = 17930; 4469.93 + 1220 x 42.8 % = 4992.09; -2987.98; /12 = 167.009
        ("2000", "single", 0, "167.01"),
        # 48000 - 6070 = 41930; 9944.05 + 12430 x 48.15 % = 15929.10; -2987.98; /12
        ("4000", "single", 0, "1078.43"),
        # 72000 - 6070 = 65930; 20320.38 + 14880 x 53.5 % = 28281.18; -2987.98; /12
        ("6000", "single", 0, "2107.77"),
        # two incomes use the same scale as a single person
        ("4000", "married_two_incomes", 0, "1078.43"),
        # official 7163.12 a year minus 1656 for two children = 5507.12; /12
        ("3000", "single", 2, "458.93"),
        # 12941.12 - 4404 (three children) = 8537.12; /12
        ("4000", "single", 3, "711.43"),
        # nine children: 21996 + 3864 = 25860 > 7163.12, nothing withheld
        ("3000", "single", 9, "0.00"),
        # spouse without income: net 29930, 30 % = 8979 imputed; 2401.88 + (4469.93 + 4241 x
        # 42.8 % = 6285.08) - 2 x 2987.98 = 2711.00; /12
        ("3000", "married_one_income", 0, "225.92"),
        # net 65930, imputed capped at 13790: 3688.83 + (20320.38 + 1090 x 53.5 % = 20903.53)
        # - 5975.96 = 18616.40; /12
        ("6000", "married_one_income", 0, "1551.37"),
        # 12000 - 3600 = 8400 x 26.75 % = 2247 < 2987.98: nothing withheld
        ("1000", "single", 0, "0.00"),
    ],
)
def test_withholding_profiles(taxable: str, situation: str, children: int, expected: str) -> None:
    assert monthly_withholding(taxable, situation, children) == D(expected)


# --- contributions, bonus, CSSS ------------------------------------------------------
def test_full_payslip_of_an_employee_by_hand() -> None:
    slip = payroll.payslip(contract("3500"), JAN)
    lines = {x.code: x for x in slip.lines}
    assert lines["onss_employee"].amount == D("457.45")  # 3500 x 13.07 %
    assert "work_bonus" not in lines  # 3500 is above the volet A ceiling 3336.98
    # taxable 3042.55 -> 36510.60 - 6070 = 30440.60; 9944.05 + 940.60 x 48.15 % = 10396.95
    # - 2987.98 = 7408.97; /12 = 617.41
    assert slip.withholding == D("617.41")
    assert lines["csss"].amount == D("33.01")  # 18.60 + (3500 - 2190.18) x 1.1 %
    assert lines["onss_employer"].amount == D("875.00")  # 25 %
    assert (slip.net, slip.employer_cost) == (D("2392.13"), D("4375.00"))


def test_manual_worker_contributions_on_108_percent() -> None:
    slip = payroll.payslip(contract("2500", worker_category="worker"), JAN)
    lines = {x.code: x for x in slip.lines}
    assert lines["onss_employee"].base == D("2700.00")
    assert lines["onss_employee"].amount == D("352.89")  # 2700 x 13.07 %
    assert lines["onss_employer"].amount == D("675.00")
    assert lines["onss_employer_holiday"].amount == D("427.68")  # 2700 x 15.84 %


def test_student_pays_the_solidarity_contribution_only() -> None:
    slip = payroll.payslip(contract("1000", worker_category="student"), JAN)
    assert {x.code: x.amount for x in slip.lines} == {
        "student_solidarity_employee": D("27.10"),
        "student_solidarity_employer": D("54.20"),
    }


@pytest.mark.parametrize(
    ("reference", "period", "a", "b"),
    [
        ("2218.73", JAN, "123.00", "165.87"),  # both volets in full up to the B threshold
        ("2833.36", JAN, "123.00", "0.00"),  # B has run out at the A threshold
        ("3000.00", JAN, "82.31", "0.00"),  # 123 - 0.2442 x 166.64
        ("3336.99", JAN, "0.00", "0.00"),  # above the A ceiling
        ("2218.73", APR, "125.04", "168.62"),  # indexed amounts from 1 April 2026
        ("2833.36", APR, "125.04", "12.66"),  # 168.62 - 0.2699 x 577.86 (= 155.96)
    ],
)
def test_work_bonus_at_its_thresholds(reference: str, period: Period, a: str, b: str) -> None:
    law = payroll.social_law_on(period.start).bonus["employee"]
    assert payroll.work_bonus(D(reference), D(1), law) == (D(a), D(b))


def test_work_bonus_is_pro_rata_and_never_above_the_contribution() -> None:
    half = payroll.payslip(contract("3000", part_time=D("0.5")), JAN)
    bonus = {x.code: x for x in half.lines}["work_bonus"]
    assert bonus.base == D("3000")  # the full-time reference wage
    assert bonus.amount == D("-41.16")  # half of 82.31, rounded per volet
    low = payroll.payslip(contract("1000"), JAN)
    lines = {x.code: x.amount for x in low.lines}
    assert lines["work_bonus"] == -lines["onss_employee"]


@pytest.mark.parametrize(
    ("base", "situation", "expected"),
    [
        ("1095.09", "married_two_incomes", "0.00"),
        ("1095.10", "married_two_incomes", "9.30"),
        ("1945.38", "single", "0.00"),
        ("1945.39", "single", "0.00"),  # 7.6 % of 0.01 rounds to nothing
        ("2190.18", "single", "18.60"),
        ("6038.82", "single", "60.94"),
        ("9000.00", "single", "60.94"),
        ("9000.00", "married_two_incomes", "51.64"),
        ("9000.00", "married_one_income", "60.94"),
    ],
)
def test_special_contribution_scale(base: str, situation: str, expected: str) -> None:
    assert payroll.special_contribution(D(base), situation, SOCIAL) == D(expected)


def test_a_month_uses_the_law_of_its_first_day() -> None:
    march = payroll.payslip(contract("2500"), Period(date(2026, 3, 1), date(2026, 3, 31)))
    april = payroll.payslip(contract("2500"), APR)
    assert march.net < april.net  # the indexed work bonus of April is larger


# --- bad input ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("terms", "message"),
    [
        (
            {"worker_category": "boss"},
            r"worker_category: 'boss' is not a Belgian category \(known: "
            r"artist, employee, student, worker\)",
        ),
        ({"tax_situation": "widow"}, "tax_situation: 'widow' is not one of"),
        ({"dependent_children": -1}, "dependent_children: -1 must not be negative"),
        ({"monthly_gross": None, "hourly_rate": D(20), "hours": D(-3)}, "hours: -3 must not be"),
        ({"part_time": D("1.5")}, "part_time: 1.5"),
    ],
)
def test_bad_contracts_are_refused_by_name(terms: dict[str, object], message: str) -> None:
    with pytest.raises(PayrollError, match=message):
        payroll.payslip(contract(**terms), JAN)


def test_a_month_before_the_earliest_parameter_is_refused() -> None:
    with pytest.raises(ParameterError, match="earliest applies from 2026-01-01"):
        payroll.payslip(contract(), Period(date(2025, 12, 1), date(2025, 12, 31)))


# --- properties ---------------------------------------------------------------------------
CATEGORIES = st.sampled_from(sorted(payroll.CATEGORIES))
SITUATIONS = st.sampled_from(payroll.TAX_SITUATIONS)
CENTS = st.integers(min_value=0, max_value=2_000_000).map(lambda c: D(c) / 100)


@settings(max_examples=300, deadline=None)
@given(
    gross=CENTS,
    category=CATEGORIES,
    situation=SITUATIONS,
    children=st.integers(0, 10),
    part=st.sampled_from(["1", "0.8", "0.5", "0.2"]),
    april=st.booleans(),
)
def test_net_within_gross_within_employer_cost(
    gross: Decimal, category: str, situation: str, children: int, part: str, april: bool
) -> None:
    terms = contract(
        "0",
        worker_category=category,
        tax_situation=situation,
        dependent_children=children,
        part_time=D(part),
    )
    slip = payroll.payslip_for_gross(terms, APR if april else JAN, gross)
    assert D(0) <= slip.net <= slip.gross <= slip.employer_cost
    assert slip.net == slip.gross - slip.employee_contributions - slip.withholding


@settings(max_examples=150, deadline=None)
@given(budget=CENTS, category=CATEGORIES, part=st.sampled_from(["1", "0.5"]))
def test_inverse_round_trips_to_the_cent(budget: Decimal, category: str, part: str) -> None:
    terms = contract("0", worker_category=category, part_time=D(part))
    gross = payroll.gross_for_cost(terms, JAN, budget)
    assert payroll.payslip_for_gross(terms, JAN, gross).employer_cost <= budget
    assert payroll.payslip_for_gross(terms, JAN, gross + D("0.01")).employer_cost > budget


def test_inverse_of_a_full_time_employee_through_the_contract() -> None:
    gross = payroll.gross_for_cost(contract("0"), JAN, D("3750"))
    assert gross == D("3000.00")
    assert payroll.payslip(replace(contract(), monthly_gross=gross), JAN).employer_cost == D("3750")


# --- declaration and speed -------------------------------------------------------------
def test_social_declaration_totals_per_contribution() -> None:
    slips = [payroll.payslip(contract(g), JAN) for g in ("2000", "3000", "3500")]
    totals = payroll_totals(JAN, enumerate(slips), "EUR")
    declared = payroll.social_declaration(JAN, totals)
    boxes = {b.box: b.amount for b in declared}
    assert boxes["onss_employee:employee"] == D("261.40") + D("392.10") + D("457.45")
    assert "onss_employee:employer" not in boxes
    assert boxes["onss_employer:employer"] == sum((s.employer_contributions for s in slips), D(0))
    assert boxes["workers"] == 3
    assert boxes["gross"] == D("8500.00")
    assert boxes["employer_cost"] == sum((s.employer_cost for s in slips), D(0))
    codes = [b.box for b in declared]
    assert codes[-5:] == ["workers", "gross", "withholding", "net", "employer_cost"]
    assert codes[:-5] == sorted(codes[:-5])


def test_a_peak_month_of_35000_payslips_takes_seconds() -> None:
    terms = [
        contract(
            str(1500 + (i % 400) * 10),
            worker_category=("employee", "worker")[i % 2],
            tax_situation=payroll.TAX_SITUATIONS[i % 3],
            dependent_children=i % 4,
        )
        for i in range(35_000)
    ]
    started = time.perf_counter()
    for t in terms:
        payroll.payslip(t, JAN)
    elapsed = time.perf_counter() - started
    assert elapsed < 10, f"35,000 payslips took {elapsed:.1f} s"


# --- 2024 and 2025: the law of each date ---------------------------------------------
@pytest.mark.parametrize(
    ("day", "quota"),
    [
        (date(2022, 12, 31), "475"),  # AR 28.11.1969 art. 17bis, from 2017
        (date(2023, 1, 1), "600"),  # raised for 2023 and 2024
        (date(2024, 12, 31), "600"),
        (date(2025, 1, 1), "650"),  # structural 650 hours, retroactive to 1 January 2025
    ],
)
def test_student_quota_by_year(day: date, quota: str) -> None:
    assert payroll.PARAMETERS.value("payroll.student_quota_hours", day) == D(quota)


@pytest.mark.parametrize(
    ("day", "reference", "a", "b"),
    [
        # Partena Professional, 1 April 2024: A 115.91 up to 2,669.96; B 156.30 up to 2,090.78
        (date(2024, 4, 1), "2000.00", "115.91", "156.30"),
        # B: 156.30 - 0.2699 x (2,500 - 2,090.78) = 156.30 - 110.45 = 45.85
        (date(2024, 4, 1), "2500.00", "115.91", "45.85"),
        # Easypay Group, 1 February 2025: A 120.59 up to 2,777.83; B 162.62 up to 2,175.25
        (date(2025, 2, 1), "2000.00", "120.59", "162.62"),
        # B: 162.62 - 0.2699 x 324.75 = 162.62 - 87.65 = 74.97
        (date(2025, 2, 1), "2500.00", "120.59", "74.97"),
        # A: 120.59 - 0.2443 x (3,000 - 2,777.83) = 120.59 - 54.28 = 66.31
        (date(2025, 2, 1), "3000.00", "66.31", "0.00"),
    ],
)
def test_work_bonus_of_2024_and_2025(day: date, reference: str, a: str, b: str) -> None:
    law = payroll.social_law_on(day).bonus["employee"]
    assert payroll.work_bonus(D(reference), D(1), law) == (D(a), D(b))


def test_contributions_of_2024_and_2025_are_the_same_rates() -> None:
    for day in (date(2024, 4, 1), date(2025, 6, 1)):
        law = payroll.social_law_on(day)
        assert (law.employee_rate, law.employer_rate) == (D("0.1307"), D("0.25"))
        assert (law.student_employee_rate, law.student_employer_rate) == (
            D("0.0271"),
            D("0.0542"),
        )


def test_withholding_follows_the_payment_date_contributions_the_month_worked() -> None:
    december = Period(date(2025, 12, 1), date(2025, 12, 31))
    paid_in_january = contract("2500", paid_on=date(2026, 1, 5))
    slip = payroll.payslip(paid_in_january, december)
    lines = {x.code: x.amount for x in slip.lines}
    # contributions and the social work bonus of December 2025 (amounts of 1 Feb 2025):
    # 2,500 x 13.07 % = 326.75; bonus 120.59 + 74.97 = 195.56
    assert lines["onss_employee"] == D("326.75")
    assert lines["work_bonus"] == D("-195.56")
    # withholding with the 2026 key formula: taxable 2,500 - 326.75 + 195.56 = 2,368.81
    # x 12 = 28,425.72 - 6,070 = 22,355.72; 4,469.93 + 5,645.72 x 42.80 % (2,416.37)
    # = 6,886.30 - 2,987.98 = 3,898.32; / 12 = 324.86; fiscal bonus 120.59 x 33.14 %
    # (39.96) + 74.97 x 52.54 % (39.39) = 79.35; 324.86 - 79.35 = 245.51
    assert slip.withholding == D("245.51")
    # paid in December 2025 itself, the 2025 key formula is asked for, not guessed
    with pytest.raises(ParameterError):
        payroll.payslip(contract("2500", paid_on=date(2025, 12, 31)), december)


# --- students, artists --------------------------------------------------------------
def test_student_within_the_quota_has_no_withholding() -> None:
    slip = payroll.payslip(contract("1800", worker_category="student"), JAN)
    assert slip.withholding == D("0.00")
    assert slip.net == D("1751.22")  # 1,800 - 2.71 % (48.78)


def test_student_beyond_the_quota_pays_ordinary_contributions_on_the_excess() -> None:
    # 100 hours at 15.00 with 600 of the 650 hours already used: 50 within, 50 beyond
    terms = contract(
        "0",
        worker_category="student",
        monthly_gross=None,
        hourly_rate=D("15"),
        hours=D("100"),
        student_hours_before=D("600"),
    )
    slip = payroll.payslip(terms, JAN)
    lines = {x.code: x for x in slip.lines}
    assert lines["student_solidarity_employee"].base == D("750.00")
    assert lines["student_solidarity_employee"].amount == D("20.33")  # 750 x 2.71 %
    assert lines["onss_employee"].base == D("750.00")
    assert lines["onss_employee"].amount == D("98.03")  # 750 x 13.07 %
    assert lines["onss_employer"].amount == D("187.50")  # 750 x 25 %


def test_student_hours_before_cannot_be_negative() -> None:
    with pytest.raises(PayrollError, match="student_hours_before"):
        payroll.payslip(
            contract("1000", worker_category="student", student_hours_before=D("-1")), JAN
        )


def test_artist_has_the_holiday_regime_of_manual_workers() -> None:
    slip = payroll.payslip(contract("2500", worker_category="artist"), JAN)
    lines = {x.code: x for x in slip.lines}
    assert lines["onss_employee"].base == D("2700.00")  # 108 %
    assert lines["onss_employer_holiday"].amount == D("427.68")  # 2,700 x 15.84 %


# --- the end of a contract ----------------------------------------------------------
def test_exit_holiday_pay_of_a_white_collar_employee() -> None:
    # Securex: 15.34 % of the gross of the holiday service year; 3 months of 3,000:
    # simple 7.67 % of 9,000 = 690.30, double 690.30, employer 25 % on the simple 172.58
    terms = contract("3000", end=date(2026, 3, 31))
    assert payroll.contract_end_cost(terms, D("9000")) == D("1553.18")


@pytest.mark.parametrize("category", ["worker", "artist", "student"])
def test_holiday_fund_or_students_leave_no_end_cost(category: str) -> None:
    terms = contract("3000", worker_category=category, end=date(2026, 3, 31))
    assert payroll.contract_end_cost(terms, D("9000")) == D("0")
