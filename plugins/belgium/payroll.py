"""Belgian payroll: social security, work bonus, withholding tax and the special
social-security contribution: contributions with the law of the month worked,
withholding with the key formula of the payment date.

One month's payslip, in the order the law computes it:

1. **Contribution base**: the gross, or 108 % of it for a manual worker (*ouvrier*).
2. **Employee ONSS/RSZ**: 13.07 % of the base. A student pays the 2.71 % solidarity
   contribution (employer 5.42 %) on the hours within the yearly quota and no
   withholding; beyond the quota, ordinary contributions and withholding.
3. **Work bonus** (*bonus à l'emploi*, volets A and B): a reduction of the employee
   contribution for low wages, by the full-time reference wage, pro rata of part time,
   never more than the contribution itself (volet B is cut first).
4. **Withholding tax** (*précompte professionnel*) by the key formula of Annexe III
   AR/CIR 92: taxable = gross − net contributions, annualised (× 12), minus flat-rate
   professional costs, basic scale (communal surcharge included), minus the tax on the
   tax-free sum (twice, with the marital quotient, for a spouse without income), minus
   the reduction for dependent children, back to a month (÷ 12), minus the fiscal work
   bonus. Every step is rounded to the cent, as the key formula requires.
5. **Special social-security contribution** (*CSSS*): monthly advance by household.
6. **Employer contributions**: the global basic rate with wage moderation (25 %), plus
   the annual-holiday contribution of manual workers and artists (students: 5.42 %).

Every figure comes from ``data/parameters`` (see :mod:`partage.plugins.belgium.law`);
a day before a parameter's first value is refused with a
:class:`~partage.core.contract.parameters.ParameterError`, never guessed. The law of a
day is gathered once into a :class:`SocialLaw` and a :class:`TaxLaw` and cached, so a
peak month of 35,000 payslips does arithmetic only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from functools import lru_cache

from partage.core.contract import (
    N_,
    EmploymentContract,
    PayrollError,
    PayrollTotals,
    Payslip,
    PayslipLine,
    Period,
    ReturnBox,
    Word,
    assemble_payslip,
    contract_gross,
    gross_for_employer_cost,
    round_money,
)
from partage.core.contract import payslip_line as make_line
from partage.plugins.belgium.law import CURRENCY, PARAMETERS

#: Worker categories: code -> contribution regime. The codes are marked ``N_``: the
#: pages name each category in the reader's language.
CATEGORIES = {
    N_("employee"): "employee",  # white collar (employé / bediende)
    N_("worker"): "worker",  # manual worker (ouvrier / arbeider), contributions on 108 %
    # An artist (art. 1bis loi du 27 juin 1969 or a contract of employment) has the
    # annual-holiday scheme the dated parameter payroll.artist_holiday_scheme names:
    # the manual workers' since 1 July 2003 (contributions on 108 %, holiday fund).
    N_("artist"): "artist",
    N_("student"): "student",  # student contract: solidarity contribution within the quota
}
TAX_SITUATIONS = (N_("single"), N_("married_two_incomes"), N_("married_one_income"))
ZERO = Decimal(0)
TWELVE = Decimal(12)
MONTHS_PER_YEAR = Decimal(12)
WEEKS_PER_YEAR = Decimal(52)


def cent(amount: Decimal) -> Decimal:
    """Round to the cent, half away from zero: the key formula's rule at every step."""
    return round_money(amount, CURRENCY)


@dataclass(frozen=True)
class WorkBonusLaw:
    """The work bonus of one kind of worker: each volet's full amount, threshold and slope."""

    a_amount: Decimal
    a_threshold: Decimal
    a_ceiling: Decimal
    a_slope: Decimal
    b_amount: Decimal
    b_threshold: Decimal
    b_ceiling: Decimal
    b_slope: Decimal


@dataclass(frozen=True)
class SocialLaw:
    """The social-security law of the month worked, gathered once.

    Contributions, the work bonus's social volets and the special contribution follow
    the period the pay is for (loi du 27 juin 1969, art. 14 and 23: contributions on
    the remuneration of the quarter worked, DmfA by quarter of work).
    """

    employee_rate: Decimal
    employer_rate: Decimal
    manual_base: Decimal
    manual_holiday_rate: Decimal
    student_employee_rate: Decimal
    student_employer_rate: Decimal
    student_quota_hours: Decimal
    artist_holiday_scheme: str
    exit_simple_rate: Decimal
    exit_double_rate: Decimal
    full_time_monthly_hours: Decimal
    bonus: dict[str, WorkBonusLaw]
    csss: dict[str, Decimal]


@dataclass(frozen=True)
class TaxLaw:
    """The withholding law of the payment date, gathered once.

    The précompte professionnel is due on remuneration when it is paid or granted (CIR
    92, art. 273 and 275; AR/CIR 92, art. 86 and Annexe III: the key formula applies to
    « rémunérations payées ou attribuées à partir du 1er janvier » of its year): a
    December salary paid in January is withheld with January's key formula.
    """

    fiscal_rate_a: Decimal
    fiscal_rate_b: Decimal
    costs_rate: Decimal
    costs_maximum: Decimal
    scale: tuple[tuple[Decimal, Decimal], ...]
    tax_free_tax: Decimal
    spouse_rate: Decimal
    spouse_maximum: Decimal
    children: tuple[Decimal, ...]
    children_extra: Decimal


def _bonus(on: date, kind: str) -> WorkBonusLaw:
    v = PARAMETERS.value
    return WorkBonusLaw(
        a_amount=v(f"payroll.work_bonus.a_amount_{kind}", on),
        a_threshold=v("payroll.work_bonus.a_threshold", on),
        a_ceiling=v("payroll.work_bonus.a_ceiling", on),
        a_slope=v(f"payroll.work_bonus.a_slope_{kind}", on),
        b_amount=v(f"payroll.work_bonus.b_amount_{kind}", on),
        b_threshold=v("payroll.work_bonus.b_threshold", on),
        b_ceiling=v("payroll.work_bonus.b_ceiling", on),
        b_slope=v(f"payroll.work_bonus.b_slope_{kind}", on),
    )


CSSS_NAMES = (
    "threshold_two_incomes",
    "flat_two_incomes",
    "threshold_1",
    "rate_1",
    "threshold_2",
    "amount_at_threshold_2",
    "rate_2",
    "maximum_single_income",
    "maximum_two_incomes",
)


@lru_cache(maxsize=128)
def social_law_on(on: date) -> SocialLaw:
    """The social-security law in force on ``on``; refuses a day before its first value."""
    v = PARAMETERS.value
    weekly = v("payroll.full_time_weekly_hours", on)
    return SocialLaw(
        employee_rate=v("payroll.employee_rate", on),
        employer_rate=v("payroll.employer_rate", on),
        manual_base=v("payroll.manual_worker_base", on),
        manual_holiday_rate=v("payroll.manual_worker_holiday_rate", on),
        student_employee_rate=v("payroll.student_employee_rate", on),
        student_employer_rate=v("payroll.student_employer_rate", on),
        student_quota_hours=v("payroll.student_quota_hours", on),
        artist_holiday_scheme=str(PARAMETERS["payroll.artist_holiday_scheme"].at(on).value),
        exit_simple_rate=v("payroll.exit_holiday_pay_simple_rate", on),
        exit_double_rate=v("payroll.exit_holiday_pay_double_rate", on),
        full_time_monthly_hours=weekly * WEEKS_PER_YEAR / MONTHS_PER_YEAR,
        bonus={"employee": _bonus(on, "employee"), "worker": _bonus(on, "worker")},
        csss={name: v(f"payroll.csss.{name}", on) for name in CSSS_NAMES},
    )


@lru_cache(maxsize=128)
def tax_law_on(on: date) -> TaxLaw:
    """The withholding law (key formula) for pay paid on ``on``; refuses a day before
    its first value."""
    v = PARAMETERS.value
    scale = PARAMETERS.scale("tax.withholding.scale", on)
    children = PARAMETERS.scale("tax.withholding.children_reduction", on)
    return TaxLaw(
        fiscal_rate_a=v("payroll.work_bonus.fiscal_rate_a", on),
        fiscal_rate_b=v("payroll.work_bonus.fiscal_rate_b", on),
        costs_rate=v("tax.withholding.professional_costs_rate", on),
        costs_maximum=v("tax.withholding.professional_costs_maximum", on),
        scale=tuple((b.threshold, b.rate or ZERO) for b in scale.brackets),
        tax_free_tax=v("tax.withholding.tax_free_tax", on),
        spouse_rate=v("tax.withholding.spouse_quotient_rate", on),
        spouse_maximum=v("tax.withholding.spouse_quotient_maximum", on),
        children=tuple(b.amount or ZERO for b in children.brackets),
        children_extra=v("tax.withholding.children_extra", on),
    )


def payment_day(contract: EmploymentContract, period: Period) -> date:
    """The day the pay is paid: the contract's ``paid_on``, else the period's last day."""
    return contract.paid_on or period.end


# --- the steps ------------------------------------------------------------------------
def scale_tax(income: Decimal, scale: tuple[tuple[Decimal, Decimal], ...]) -> Decimal:
    """The basic scale on a yearly income, each full bracket's tax rounded to the cent.

    The key formula publishes the tax at each bracket's lower bound rounded to the cent
    (4,469.93; 9,944.05; 20,320.38 in 2026) and adds the rate on the excess.
    """
    total = ZERO
    for index, (threshold, rate) in enumerate(scale):
        if income <= threshold:
            break
        top = scale[index + 1][0] if index + 1 < len(scale) else None
        slice_top = income if top is None else min(income, top)
        total += cent((slice_top - threshold) * rate)
    return total


def work_bonus(reference: Decimal, fraction: Decimal, law: WorkBonusLaw) -> tuple[Decimal, Decimal]:
    """Volets A and B of the work bonus for a full-time reference wage, pro rata of time."""

    def volet(amount: Decimal, threshold: Decimal, ceiling: Decimal, slope: Decimal) -> Decimal:
        if reference <= threshold:
            return amount
        if reference > ceiling:
            return ZERO
        return max(cent(amount - slope * (reference - threshold)), ZERO)

    a = volet(law.a_amount, law.a_threshold, law.a_ceiling, law.a_slope)
    b = volet(law.b_amount, law.b_threshold, law.b_ceiling, law.b_slope)
    return cent(a * fraction), cent(b * fraction)


def yearly_withholding(taxable: Decimal, situation: str, children: int, law: TaxLaw) -> Decimal:
    """Key formula, steps A to C: the yearly tax on a monthly taxable remuneration."""
    annual = cent(taxable * TWELVE)
    costs = min(cent(annual * law.costs_rate), law.costs_maximum)
    net = annual - costs
    if situation == "married_one_income":
        imputed = min(cent(net * law.spouse_rate), law.spouse_maximum)
        tax = (
            scale_tax(imputed, law.scale)
            + scale_tax(net - imputed, law.scale)
            - 2 * law.tax_free_tax
        )
    else:
        tax = scale_tax(net, law.scale) - law.tax_free_tax
    tax = max(tax, ZERO)
    if children < len(law.children):
        reduction = law.children[children]
    else:
        reduction = law.children[-1] + law.children_extra * (children - len(law.children) + 1)
    return max(tax - reduction, ZERO)


def special_contribution(base: Decimal, situation: str, law: SocialLaw) -> Decimal:
    """The monthly advance of the special social-security contribution (CSSS)."""
    c = law.csss
    two_incomes = situation == "married_two_incomes"
    if base <= c["threshold_1"]:
        return c["flat_two_incomes"] if two_incomes and base > c["threshold_two_incomes"] else ZERO
    if base <= c["threshold_2"]:
        amount = cent((base - c["threshold_1"]) * c["rate_1"])
        return max(amount, c["flat_two_incomes"]) if two_incomes else amount
    maximum = c["maximum_two_incomes"] if two_incomes else c["maximum_single_income"]
    return min(cent(c["amount_at_threshold_2"] + (base - c["threshold_2"]) * c["rate_2"]), maximum)


# --- the payslip ----------------------------------------------------------------------
def _check(contract: EmploymentContract) -> str:
    regime = CATEGORIES.get(contract.worker_category)
    if regime is None:
        raise PayrollError(
            "worker_category",
            N_("{category} is not a Belgian category (known: {known})"),
            category=repr(contract.worker_category),
            known=tuple(Word(c) for c in sorted(CATEGORIES)),
        )
    if contract.tax_situation not in TAX_SITUATIONS:
        raise PayrollError(
            "tax_situation",
            N_("{situation} is not one of {known}"),
            situation=repr(contract.tax_situation),
            known=tuple(Word(s) for s in TAX_SITUATIONS),
        )
    if contract.dependent_children < 0:
        raise PayrollError(
            "dependent_children",
            N_("{contract_dependent_children} must not be negative"),
            contract_dependent_children=contract.dependent_children,
        )
    return regime


def _time_fraction(contract: EmploymentContract, law: SocialLaw) -> Decimal:
    """The month's fraction of full time: the contract's, or hours over full-time hours."""
    if contract.monthly_gross is not None or contract.hours is None:
        return contract.part_time
    return min(contract.hours / law.full_time_monthly_hours, Decimal(1))


def _ordinary(
    contract: EmploymentContract,
    manual: bool,
    gross: Decimal,
    fraction: Decimal,
    law: SocialLaw,
    tax: TaxLaw,
    add: Callable[..., PayslipLine],
) -> Decimal:
    """Ordinary contributions, work bonus, CSSS and withholding on ``gross``; returns
    the month's withholding (the lines go through ``add``)."""
    base = cent(gross * law.manual_base) if manual else gross
    onss = add(
        "onss_employee", N_("Cotisation personnelle ONSS"), "employee", base, law.employee_rate
    )
    reference = gross / fraction if fraction > 0 else ZERO
    a, b = work_bonus(reference, fraction, law.bonus["worker" if manual else "employee"])
    if a + b > onss.amount:  # the bonus never exceeds the contribution: volet B goes first
        b = max(onss.amount - a, ZERO)
        a = min(a, onss.amount)
    if a + b:
        add(
            "work_bonus",
            N_("Bonus à l'emploi (volets A et B)"),
            "employee",
            reference,
            None,
            -(a + b),
        )
    taxable = gross - onss.amount + a + b
    yearly = yearly_withholding(taxable, contract.tax_situation, contract.dependent_children, tax)
    fiscal_bonus = cent(a * tax.fiscal_rate_a) + cent(b * tax.fiscal_rate_b)
    csss = special_contribution(base, contract.tax_situation, law)
    if csss:
        add("csss", N_("Cotisation spéciale de sécurité sociale"), "employee", base, None, csss)
    add(
        "onss_employer",
        N_("Cotisations patronales ONSS (base et modération salariale)"),
        "employer",
        base,
        law.employer_rate,
    )
    if manual:
        add(
            "onss_employer_holiday",
            N_("Cotisation patronale vacances annuelles (ouvriers)"),
            "employer",
            base,
            law.manual_holiday_rate,
        )
    return max(cent(yearly / TWELVE) - fiscal_bonus, ZERO)


def student_hours_within_quota(
    contract: EmploymentContract, law: SocialLaw, hours: Decimal
) -> Decimal:
    """How many of the month's ``hours`` still fall within the student's yearly quota.

    The quota counts every student contract of the calendar year, with every employer
    (AR du 28 novembre 1969, art. 17bis): ``contract.student_hours_before`` holds the
    hours the student declared at hiring plus those already paid here this year.
    """
    left = max(law.student_quota_hours - contract.student_hours_before, ZERO)
    return min(hours, left)


def payslip_for_gross(contract: EmploymentContract, period: Period, gross: Decimal) -> Payslip:
    """The payslip of a month's ``gross`` under ``contract``'s category and household.

    Contributions follow the law of the month worked (:func:`social_law_on` of the
    period's first day), withholding the key formula of the payment date
    (:func:`tax_law_on` of :func:`payment_day`).
    """
    regime = _check(contract)
    if gross < 0:
        raise PayrollError("gross", N_("{gross} must not be negative"), gross=gross)
    if contract.student_hours_before < 0:
        raise PayrollError(
            "student_hours_before",
            N_("{hours} must not be negative"),
            hours=contract.student_hours_before,
        )
    law = social_law_on(period.start)
    tax = tax_law_on(payment_day(contract, period))
    fraction = _time_fraction(contract, law)
    lines: list[PayslipLine] = []

    def add(
        code: str,
        label: str,
        payer: str,
        base: Decimal,
        rate: Decimal | None,
        amount: Decimal | None = None,
    ) -> PayslipLine:
        made = make_line(code, label, payer, base, rate, CURRENCY, amount)
        lines.append(made)
        return made

    if regime == "artist":
        regime = "worker" if law.artist_holiday_scheme == "manual" else "employee"
    if regime != "student":
        monthly_tax = _ordinary(contract, regime == "worker", gross, fraction, law, tax, add)
        return assemble_payslip(period, gross, lines, monthly_tax, CURRENCY)

    hours = contract.hours if contract.hours is not None else law.full_time_monthly_hours * fraction
    within_hours = student_hours_within_quota(contract, law, hours)
    within = gross if within_hours >= hours else cent(gross * within_hours / hours)
    if within:
        add(
            "student_solidarity_employee",
            N_("Cotisation de solidarité étudiant"),
            "employee",
            within,
            law.student_employee_rate,
        )
        add(
            "student_solidarity_employer",
            N_("Cotisation de solidarité étudiant (employeur)"),
            "employer",
            within,
            law.student_employer_rate,
        )
    monthly_tax = ZERO  # within the quota no withholding is due (Annexe III AR/CIR 92)
    if gross - within:
        beyond_fraction = fraction * (hours - within_hours) / hours if hours else fraction
        monthly_tax = _ordinary(contract, False, gross - within, beyond_fraction, law, tax, add)
    return assemble_payslip(period, gross, lines, monthly_tax, CURRENCY)


def payslip(contract: EmploymentContract, period: Period) -> Payslip:
    """The payslip of ``contract`` for ``period`` (the law in force on its first day)."""
    _check(contract)
    return payslip_for_gross(contract, period, contract_gross(contract, CURRENCY))


def gross_for_cost(contract: EmploymentContract, period: Period, employer_cost: Decimal) -> Decimal:
    """The largest gross, to the cent, whose employer cost fits in ``employer_cost``."""
    _check(contract)
    if contract.hours is not None and contract.hours < 0:
        raise PayrollError(
            "hours", N_("{contract_hours} must not be negative"), contract_hours=contract.hours
        )
    if not Decimal(0) < contract.part_time <= Decimal(1):
        raise PayrollError(
            "part_time",
            N_("{contract_part_time} must be a fraction in (0, 1]"),
            contract_part_time=contract.part_time,
        )
    social_law_on(period.start)  # refuse an uncovered month before searching
    tax_law_on(payment_day(contract, period))
    shape = replace(contract, monthly_gross=contract.monthly_gross or ZERO)
    if contract.hourly_rate is not None:
        shape = contract
    return gross_for_employer_cost(
        lambda gross: payslip_for_gross(shape, period, gross), employer_cost, CURRENCY
    )


def contract_end_cost(contract: EmploymentContract, gross: Decimal) -> Decimal:
    """What ending ``contract`` costs beyond its payslips, for ``gross`` paid up to then.

    A white-collar employee leaving is paid the exit holiday pay (pécule de sortie,
    AR du 30 mars 1967, art. 46): the simple part bears the employer's ordinary
    contributions, the double part none. Manual workers and artists draw their holiday
    pay from the holiday fund their employer's contributions already finance, and a
    student within the quota from no one: their end costs nothing more. A fixed-term
    contract ends without notice (loi du 3 juillet 1978, art. 37, notice only for
    open-ended contracts), so none is added.
    """
    if _check(contract) != "employee":
        return ZERO
    if gross < 0:
        raise PayrollError("gross", N_("{gross} must not be negative"), gross=gross)
    law = social_law_on(contract.end or contract.start)
    simple = cent(gross * law.exit_simple_rate)
    double = cent(gross * law.exit_double_rate)
    return simple + double + cent(simple * law.employer_rate)


#: Who pays a contribution, in the words of the declaration's other labels (French).
PAYER_WORDS = {"employee": N_("part du travailleur"), "employer": N_("part de l'employeur")}


def social_declaration(period: Period, totals: PayrollTotals) -> list[ReturnBox]:
    """The month's totals for the DmfA: each contribution code per payer, then the
    workers and the wage totals."""
    boxes = [
        ReturnBox(f"{c.code}:{payer}", f"{c.label} ({PAYER_WORDS[payer]})", amount)
        for c in totals.contributions
        for payer, amount in (("employee", c.employee), ("employer", c.employer))
        if c.payer in (payer, "both")
    ]
    summary = (
        ("workers", N_("Travailleurs déclarés"), Decimal(totals.workers)),
        ("gross", N_("Rémunérations brutes"), totals.gross),
        ("withholding", N_("Précompte professionnel retenu"), totals.withholding),
        ("net", N_("Rémunérations nettes"), totals.net),
        ("employer_cost", N_("Coût employeur"), totals.employer_cost),
    )
    ordered = sorted(boxes, key=lambda box: box.box)
    return ordered + [ReturnBox(box, label, amount) for box, label, amount in summary]
