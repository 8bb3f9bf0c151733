"""French social contributions of a month's gross, in the order of a bulletin de paie.

Social security (maladie, vieillesse plafonnée and déplafonnée, allocations familiales,
AT/MP, CSA, FNAL), unemployment (chômage, AGS), AGIRC-ARRCO complementary pensions by
tranche with the CEG and CET (APEC for cadres), the cadres' compulsory prévoyance, then
CSG and CRDS on 98.25 % of gross (plus the employer's prévoyance); then the
employer's contributions on the payroll that depend on its headcount (forfait social on
the prévoyance, training, apprenticeship, PEEC, dialogue social, versement mobilité)
and last the réduction générale of employer contributions (CSS art. L241-13), a
negative employer line.

Ceilings follow the working time: the plafond of a part-time worker is the PMSS times
the working-time fraction (CSS art. R242-7), as are the thresholds of the reduced
maladie and famille rates.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from partage.core.contract import (
    N_,
    DatedValue,
    PayrollError,
    PayslipLine,
    Word,
    payslip_line,
    round_money,
)
from partage.plugins.france.identity import CURRENCY
from partage.plugins.france.law import Law

#: Worker categories this plugin pays, by code. ``cadre`` adds APEC and the cadres'
#: compulsory prévoyance (ANI du 17 novembre 2017); both contribute to AGIRC-ARRCO.
#: The codes are marked ``N_``: the pages name each category in the reader's language.
CATEGORIES: dict[str, str] = {
    N_("non_cadre"): "salarié non cadre du secteur privé",
    N_("cadre"): "salarié cadre du secteur privé (APEC, prévoyance des cadres)",
}

ZERO = Decimal(0)
ONE = Decimal(1)
#: The réduction générale's coefficient is rounded to four decimals, to the nearest
#: ten-thousandth (CSS art. D241-7 I).
COEFFICIENT = Decimal("0.0001")
#: The contributions the réduction générale is imputed on (CSS art. L241-13 I and
#: L241-13 II: never more than their amount), by the start of their line codes.
REDUCED = (
    "maladie_employeur",
    "vieillesse_",
    "famille_employeur",
    "accidents_travail",
    "csa",
    "fnal",
    "chomage_employeur",
    "agirc_arrco_",
    "ceg_",
)


def check_category(category: str) -> None:
    """Refuse a worker category this plugin does not pay, listing the known ones."""
    if category not in CATEGORIES:
        raise PayrollError(
            "worker_category",
            N_("{category} is not a French category (known: {known})"),
            category=repr(category),
            known=tuple(Word(c) for c in sorted(CATEGORIES)),
        )


def _tranches(
    scale: DatedValue, gross: Decimal, plafond: Decimal
) -> Iterator[tuple[int, Decimal, Decimal]]:
    """Each tranche of a scale whose thresholds are in plafonds: (number, base, rate)."""
    brackets = scale.brackets
    for index, bracket in enumerate(brackets):
        if not bracket.rate:
            continue
        low = bracket.threshold * plafond
        high = brackets[index + 1].threshold * plafond if index + 1 < len(brackets) else gross
        base = min(gross, high) - low
        if base > 0:
            yield index + 1, round_money(base, CURRENCY), bracket.rate


def _reduced(
    rate: Decimal, reduced: Decimal, threshold: Decimal, gross: Decimal, cap: Decimal
) -> Decimal:
    """The reduced rate when the salary does not exceed ``threshold`` × ``cap`` (SMIC of the
    working time); a threshold of 0 means the reduced rate does not exist that day."""
    return reduced if threshold > 0 and gross <= threshold * cap else rate


class _Lines(list[PayslipLine]):
    """Payslip lines in order; a contribution with no base or no rate prints no line."""

    def add(self, code: str, label: str, payer: str, base: Decimal, rate: Decimal) -> None:
        if base > 0 and rate:
            self.append(payslip_line(code, label, payer, base, rate, CURRENCY))


@dataclass(frozen=True)
class _Bases:
    """The bases one month's gross gives, shared by the employer and employee lines.

    Attributes:
        cadre: whether the worker is a cadre (APEC and the cadres' prévoyance).
        gross: the month's gross.
        plafond: the PMSS times the working-time fraction.
        capped: the gross up to the plafond (tranche 1).
        smic_of_time: the reference SMIC of the working time, for the reduced rates.
        four: the unemployment base, up to four plafonds.
        cet: the CET base, nothing below the plafond.
        apec: the APEC base, nothing for a non-cadre.
    """

    cadre: bool
    gross: Decimal
    plafond: Decimal
    capped: Decimal
    smic_of_time: Decimal
    four: Decimal
    cet: Decimal
    apec: Decimal


def _bases(category: str, gross: Decimal, fraction: Decimal, law: Law) -> _Bases:
    """The bases of a month's gross for a worker category and working-time fraction."""
    cadre = category == "cadre"
    plafond = round_money(law.pmss * fraction, CURRENCY)
    return _Bases(
        cadre=cadre,
        gross=gross,
        plafond=plafond,
        capped=min(gross, plafond),
        smic_of_time=law.threshold_smic * law.month_hours * fraction,
        four=min(gross, law.chomage_ceiling * plafond),
        cet=min(gross, law.cet_ceiling * plafond) if gross > plafond else ZERO,
        apec=min(gross, law.apec_ceiling * plafond) if cadre else ZERO,
    )


def _employer_social_security(lines: _Lines, b: _Bases, law: Law) -> None:
    """The employer's social security and unemployment lines."""
    gross = b.gross
    maladie = _reduced(
        law.maladie, law.maladie_reduced, law.maladie_threshold, gross, b.smic_of_time
    )
    add = lines.add
    add(
        "maladie_employeur",
        N_("Assurance maladie, maternité, invalidité, décès"),
        "employer",
        gross,
        maladie,
    )
    add(
        "vieillesse_plafonnee_employeur",
        N_("Assurance vieillesse plafonnée"),
        "employer",
        b.capped,
        law.vieillesse_capped_employer,
    )
    add(
        "vieillesse_deplafonnee_employeur",
        N_("Assurance vieillesse déplafonnée"),
        "employer",
        gross,
        law.vieillesse_employer,
    )
    famille = _reduced(
        law.famille, law.famille_reduced, law.famille_threshold, gross, b.smic_of_time
    )
    add("famille_employeur", N_("Allocations familiales"), "employer", gross, famille)
    add(
        "accidents_travail",
        N_("Accidents du travail et maladies professionnelles (taux notifié)"),
        "employer",
        gross,
        law.accidents,
    )
    add("csa", N_("Contribution solidarité autonomie"), "employer", gross, law.csa)
    add(
        "fnal",
        N_("Fonds national d'aide au logement"),
        "employer",
        b.capped if law.fnal_capped else gross,
        law.fnal_rate,
    )
    add("chomage_employeur", N_("Assurance chômage"), "employer", b.four, law.chomage)
    add("ags", N_("Garantie des salaires (AGS)"), "employer", b.four, law.ags)


def _complementary_pension(lines: _Lines, b: _Bases, payer: str, law: Law) -> None:
    """One payer's AGIRC-ARRCO tranches, CEG tranches, CET and APEC lines."""
    if payer == "employer":
        suffix, agirc_arrco, ceg = "employeur", law.agirc_arrco_employer, law.ceg_employer
        cet, apec = law.cet_employer, law.apec_employer
    else:
        suffix, agirc_arrco, ceg = "salarie", law.agirc_arrco_employee, law.ceg_employee
        cet, apec = law.cet_employee, law.apec_employee
    for number, base, rate in _tranches(agirc_arrco, b.gross, b.plafond):
        lines.add(
            f"agirc_arrco_t{number}_{suffix}",
            N_("Retraite complémentaire AGIRC-ARRCO tranche {number}").format(number=number),
            payer,
            base,
            rate,
        )
    for number, base, rate in _tranches(ceg, b.gross, b.plafond):
        lines.add(
            f"ceg_t{number}_{suffix}",
            N_("Contribution d'équilibre général tranche {number}").format(number=number),
            payer,
            base,
            rate,
        )
    lines.add(f"cet_{suffix}", N_("Contribution d'équilibre technique"), payer, b.cet, cet)
    lines.add(f"apec_{suffix}", N_("APEC"), payer, b.apec, apec)


def _csg_crds(lines: _Lines, b: _Bases, prevoyance: Decimal, law: Law) -> None:
    """CSG and CRDS on the gross after the allowance, plus the employer's prévoyance."""
    allowance_ceiling = law.csg_allowance_ceiling * b.plafond
    csg_base = round_money(
        min(b.gross, allowance_ceiling) * (1 - law.csg_allowance)
        + max(b.gross - allowance_ceiling, ZERO)
        + prevoyance,
        CURRENCY,
    )
    lines.add(
        "csg_deductible",
        N_("CSG déductible de l'impôt sur le revenu"),
        "employee",
        csg_base,
        law.csg_deductible,
    )
    lines.add(
        "csg_non_deductible",
        N_("CSG non déductible de l'impôt sur le revenu"),
        "employee",
        csg_base,
        law.csg_non_deductible,
    )
    lines.add(
        "crds", N_("CRDS non déductible de l'impôt sur le revenu"), "employee", csg_base, law.crds
    )


def _power(base: Decimal, exponent: Decimal) -> Decimal:
    """``base ** exponent`` for a base in [0, 1]; an exponent in quarters (the RGDU's
    1.75) is computed as an integer power and square roots, twenty times faster than
    Decimal's general power and as exact at the context's precision."""
    quarters = exponent * 4
    if quarters != quarters.to_integral_value() or not base:
        return base**exponent
    value = base ** int(quarters)
    return value.sqrt().sqrt()


def reduction_coefficient(gross: Decimal, fraction: Decimal, law: Law) -> Decimal:
    """The réduction générale's coefficient of a month's gross (CSS art. L241-13, D241-7).

    One formula covers both regimes: ``C = T min + T × [(S × SMIC / R − 1) / (S − 1)]^P``
    with the term between 0 and 1, where S is the exit threshold in SMIC. Until 2025
    (T min 0, P 1, S 1.6) it is D241-7's ``T / 0.6 × (1.6 × SMIC / R − 1)``; from 2026
    (RGDU: T min 0.02, P 1.75, S 3) it is ``T min + T delta × [½ × (3 × SMIC / R − 1)]^1.75``.
    The SMIC is the one the law fixes for the calendar year, for the working time; no
    reduction from S SMIC up. The monthly coefficient is the one the employer applies
    each month (the yearly regularisation over the cumulated salaries is not made here).
    """
    r = law.reduction
    smic = r.smic * law.month_hours * fraction
    if gross <= 0 or gross >= r.exit * smic:
        return ZERO
    term = min(ONE, max(ZERO, (r.exit * smic / gross - 1) / (r.exit - 1)))
    degressive = r.maximum * _power(term, r.power)
    return r.minimum + degressive.quantize(COEFFICIENT, ROUND_HALF_UP)


def _employment_contributions(lines: _Lines, b: _Bases, prevoyance: Decimal, law: Law) -> None:
    """The employer's contributions on the payroll set by its headcount (``law`` already
    holds 0 for those the headcount does not reach)."""
    add = lines.add
    add(
        "forfait_social_prevoyance",
        N_("Forfait social sur la prévoyance (8 %)"),
        "employer",
        prevoyance,
        law.forfait_social_prevoyance,
    )
    add(
        "formation_professionnelle",
        N_("Contribution à la formation professionnelle"),
        "employer",
        b.gross,
        law.formation,
    )
    add(
        "taxe_apprentissage",
        N_("Taxe d'apprentissage"),
        "employer",
        b.gross,
        law.taxe_apprentissage,
    )
    add(
        "contribution_supplementaire_apprentissage",
        N_("Contribution supplémentaire à l'apprentissage"),
        "employer",
        b.gross,
        law.apprentissage_supplementaire,
    )
    add(
        "peec",
        N_("Participation des employeurs à l'effort de construction"),
        "employer",
        b.gross,
        law.peec,
    )
    add(
        "dialogue_social",
        N_("Contribution au dialogue social"),
        "employer",
        b.gross,
        law.dialogue_social,
    )
    add("versement_mobilite", N_("Versement mobilité"), "employer", b.gross, law.versement_mobilite)


def contribution_lines(
    category: str, gross: Decimal, fraction: Decimal, law: Law
) -> tuple[PayslipLine, ...]:
    """Every employee and employer contribution of a month's gross, in payslip order.

    The employer lines are computed first: the employer's prévoyance enters the CSG/CRDS
    base. The payslip prints the employee lines first.
    """
    check_category(category)
    b = _bases(category, gross, fraction, law)
    employer = _Lines()
    _employer_social_security(employer, b, law)
    _complementary_pension(employer, b, "employer", law)
    employer.add(
        "prevoyance_cadres",
        N_("Prévoyance des cadres (tranche 1)"),
        "employer",
        b.capped if b.cadre else ZERO,
        law.prevoyance_cadres,
    )
    prevoyance = sum((x.amount for x in employer if x.code == "prevoyance_cadres"), ZERO)
    covered = sum((x.amount for x in employer if x.code.startswith(REDUCED)), ZERO)
    _employment_contributions(employer, b, prevoyance, law)
    coefficient = reduction_coefficient(gross, fraction, law)
    reduction = min(round_money(gross * coefficient, CURRENCY), covered)
    if reduction > 0:
        employer.append(
            payslip_line(
                "reduction_generale",
                N_("Réduction générale des cotisations patronales"),
                "employer",
                gross,
                -coefficient,
                CURRENCY,
                amount=-reduction,
            )
        )

    employee = _Lines()
    employee.add(
        "vieillesse_plafonnee_salarie",
        N_("Assurance vieillesse plafonnée"),
        "employee",
        b.capped,
        law.vieillesse_capped_employee,
    )
    employee.add(
        "vieillesse_deplafonnee_salarie",
        N_("Assurance vieillesse déplafonnée"),
        "employee",
        gross,
        law.vieillesse_employee,
    )
    _complementary_pension(employee, b, "employee", law)
    _csg_crds(employee, b, prevoyance, law)
    return (*employee, *employer)
