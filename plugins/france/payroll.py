"""French private-sector payroll: contributions, neutral-rate withholding, the inverse.

A payslip is computed with the law in force on the first day of the period paid (the
``périodes d'activité`` rule of URSSAF), from this plugin's dated parameters only. The
lines follow a French bulletin de paie: social security (maladie, vieillesse plafonnée
and déplafonnée, allocations familiales, AT/MP, CSA, FNAL), unemployment (chômage, AGS),
AGIRC-ARRCO complementary pensions by tranche with the CEG and CET (APEC for cadres),
the cadres' compulsory prévoyance, then CSG and CRDS on 98.25 % of gross (plus the
employer's prévoyance). Withholding (prélèvement à la source) applies the neutral-rate
grid to the net taxable salary: the cooperative applies the rate the tax administration
sends for each worker when it has one; this computation is the default it must use
otherwise (CGI art. 204 H III).

Ceilings follow the working time: the plafond of a part-time worker is the PMSS times
the working-time fraction (CSS art. R242-7), as are the thresholds of the reduced
maladie and famille rates; an hourly contract's fraction is its hours over the legal
full-time month.

Not modelled (see the plugin README section of the report): the general reduction of
employer contributions (réduction générale / RGDU), the contribution au dialogue social,
training and apprenticeship taxes, Alsace-Moselle, the short-contract allowance of the
neutral rate, and the employer's health-insurance share on the payslip.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from partage.core.contract import (
    DatedValue,
    EmploymentContract,
    ParameterError,
    PayrollError,
    PayrollTotals,
    Payslip,
    PayslipLine,
    Period,
    ReturnBox,
    assemble_payslip,
    contract_gross,
    gross_for_employer_cost,
    payslip_line,
    round_money,
)
from partage.plugins.france.identity import CURRENCY
from partage.plugins.france.law import LAW

#: Worker categories this plugin pays, by code. ``cadre`` adds APEC and the cadres'
#: compulsory prévoyance (ANI du 17 novembre 2017); both contribute to AGIRC-ARRCO.
CATEGORIES: dict[str, str] = {
    "non_cadre": "salarié non cadre du secteur privé",
    "cadre": "salarié cadre du secteur privé (APEC, prévoyance des cadres)",
}

#: Lines that are not deducted from the net taxable salary (CGI art. 154 quinquies).
NOT_DEDUCTIBLE = frozenset({"csg_non_deductible", "crds"})

ZERO = Decimal(0)
#: How a declaration names who pays a contribution.
PAYERS = {"employee": "salarial", "employer": "patronal", "both": "salarial et patronal"}


@dataclass(frozen=True)
class Law:
    """Every payroll parameter in force on one day, read once per day."""

    on: date
    pmss: Decimal
    smic: Decimal
    month_hours: Decimal
    maladie: Decimal
    maladie_reduced: Decimal
    maladie_threshold: Decimal
    famille: Decimal
    famille_reduced: Decimal
    famille_threshold: Decimal
    threshold_smic: Decimal
    vieillesse_capped_employee: Decimal
    vieillesse_capped_employer: Decimal
    vieillesse_employee: Decimal
    vieillesse_employer: Decimal
    accidents: Decimal
    csa: Decimal
    fnal_rate: Decimal
    fnal_capped: bool
    chomage: Decimal
    ags: Decimal
    chomage_ceiling: Decimal
    agirc_arrco_employee: DatedValue
    agirc_arrco_employer: DatedValue
    ceg_employee: DatedValue
    ceg_employer: DatedValue
    cet_employee: Decimal
    cet_employer: Decimal
    cet_ceiling: Decimal
    apec_employee: Decimal
    apec_employer: Decimal
    apec_ceiling: Decimal
    prevoyance_cadres: Decimal
    csg_deductible: Decimal
    csg_non_deductible: Decimal
    crds: Decimal
    csg_allowance: Decimal
    csg_allowance_ceiling: Decimal
    neutral_grid: DatedValue
    grid_known_until: date


@lru_cache(maxsize=512)
def law_on(day: date) -> Law:
    """The payroll law in force on ``day``; refuses a day some parameter does not cover."""
    value = LAW.value
    try:
        small = value("employeur.effectif", day) < value("cotisations.fnal.seuil_effectif", day)
        return Law(
            on=day,
            pmss=value("securite_sociale.pmss", day),
            smic=value("smic.horaire", day),
            month_hours=value("temps_de_travail.duree_mensuelle", day),
            maladie=value("cotisations.maladie.employeur", day),
            maladie_reduced=value("cotisations.maladie.taux_reduit", day),
            maladie_threshold=value("cotisations.maladie.seuil_taux_reduit", day),
            famille=value("cotisations.famille.employeur", day),
            famille_reduced=value("cotisations.famille.taux_reduit", day),
            famille_threshold=value("cotisations.famille.seuil_taux_reduit", day),
            threshold_smic=value("cotisations.smic_de_reference", day),
            vieillesse_capped_employee=value("cotisations.vieillesse.plafonnee_salarie", day),
            vieillesse_capped_employer=value("cotisations.vieillesse.plafonnee_employeur", day),
            vieillesse_employee=value("cotisations.vieillesse.deplafonnee_salarie", day),
            vieillesse_employer=value("cotisations.vieillesse.deplafonnee_employeur", day),
            accidents=value("cotisations.autres.accidents_travail", day),
            csa=value("cotisations.autres.csa", day),
            fnal_rate=value(
                "cotisations.fnal.moins_de_50" if small else "cotisations.fnal.50_et_plus", day
            ),
            fnal_capped=small,
            chomage=value("cotisations.chomage.employeur", day),
            ags=value("cotisations.chomage.ags", day),
            chomage_ceiling=value("cotisations.chomage.plafond", day),
            agirc_arrco_employee=LAW.scale(
                "cotisations.retraite_complementaire.agirc_arrco_salarie", day
            ),
            agirc_arrco_employer=LAW.scale(
                "cotisations.retraite_complementaire.agirc_arrco_employeur", day
            ),
            ceg_employee=LAW.scale("cotisations.retraite_complementaire.ceg_salarie", day),
            ceg_employer=LAW.scale("cotisations.retraite_complementaire.ceg_employeur", day),
            cet_employee=value("cotisations.retraite_complementaire.cet_salarie", day),
            cet_employer=value("cotisations.retraite_complementaire.cet_employeur", day),
            cet_ceiling=value("cotisations.retraite_complementaire.plafond_cet", day),
            apec_employee=value("cotisations.retraite_complementaire.apec_salarie", day),
            apec_employer=value("cotisations.retraite_complementaire.apec_employeur", day),
            apec_ceiling=value("cotisations.retraite_complementaire.plafond_apec", day),
            prevoyance_cadres=value("cotisations.autres.prevoyance_cadres", day),
            csg_deductible=value("cotisations.csg_crds.csg_deductible", day),
            csg_non_deductible=value("cotisations.csg_crds.csg_non_deductible", day),
            crds=value("cotisations.csg_crds.crds", day),
            csg_allowance=value("cotisations.csg_crds.abattement", day),
            csg_allowance_ceiling=value("cotisations.csg_crds.plafond_abattement", day),
            neutral_grid=LAW.scale("prelevement_a_la_source.taux_neutre_metropole", day),
            grid_known_until=date.fromisoformat(
                LAW.text("prelevement_a_la_source.grille_connue_jusqu_au", day)
            ),
        )
    except ParameterError as error:
        raise PayrollError(
            "period starting", f"French payroll law unknown: {error}", value=day
        ) from None


def check_category(category: str) -> None:
    """Refuse a worker category this plugin does not pay, listing the known ones."""
    if category not in CATEGORIES:
        raise PayrollError(
            "worker_category",
            f"{category!r} is not a French category (known: {', '.join(sorted(CATEGORIES))})",
        )


def working_time_fraction(contract: EmploymentContract, law: Law) -> Decimal:
    """The share of a full-time month the contract works (quotité de travail), at most 1."""
    if contract.hourly_rate is not None and contract.monthly_gross is None:
        if contract.hours is None:
            raise PayrollError("hours", "an hourly contract needs the hours worked in the period")
        if contract.hours < 0:
            raise PayrollError("hours", f"{contract.hours} must not be negative")
        return min(Decimal(1), contract.hours / law.month_hours)
    if not Decimal(0) < contract.part_time <= Decimal(1):
        raise PayrollError(
            "part_time", f"{contract.part_time} must be a fraction of full time in (0, 1]"
        )
    return contract.part_time


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


def contribution_lines(
    category: str, gross: Decimal, fraction: Decimal, law: Law
) -> tuple[PayslipLine, ...]:
    """Every employee and employer contribution of a month's gross, in payslip order."""
    check_category(category)
    cadre = category == "cadre"
    plafond = round_money(law.pmss * fraction, CURRENCY)
    capped = min(gross, plafond)
    smic_of_time = law.threshold_smic * law.month_hours * fraction
    lines: list[PayslipLine] = []

    def add(code: str, label: str, payer: str, base: Decimal, rate: Decimal) -> None:
        if base > 0 and rate:
            lines.append(payslip_line(code, label, payer, base, rate, CURRENCY))

    # Employer lines first: the employer's prévoyance enters the CSG/CRDS base.
    employer: list[PayslipLine] = []
    lines, employer = employer, lines
    maladie = _reduced(law.maladie, law.maladie_reduced, law.maladie_threshold, gross, smic_of_time)
    add(
        "maladie_employeur",
        "Assurance maladie, maternité, invalidité, décès",
        "employer",
        gross,
        maladie,
    )
    add(
        "vieillesse_plafonnee_employeur",
        "Assurance vieillesse plafonnée",
        "employer",
        capped,
        law.vieillesse_capped_employer,
    )
    add(
        "vieillesse_deplafonnee_employeur",
        "Assurance vieillesse déplafonnée",
        "employer",
        gross,
        law.vieillesse_employer,
    )
    famille = _reduced(law.famille, law.famille_reduced, law.famille_threshold, gross, smic_of_time)
    add("famille_employeur", "Allocations familiales", "employer", gross, famille)
    add(
        "accidents_travail",
        "Accidents du travail et maladies professionnelles (taux notifié)",
        "employer",
        gross,
        law.accidents,
    )
    add("csa", "Contribution solidarité autonomie", "employer", gross, law.csa)
    add(
        "fnal",
        "Fonds national d'aide au logement",
        "employer",
        capped if law.fnal_capped else gross,
        law.fnal_rate,
    )
    four = min(gross, law.chomage_ceiling * plafond)
    add("chomage_employeur", "Assurance chômage", "employer", four, law.chomage)
    add("ags", "Garantie des salaires (AGS)", "employer", four, law.ags)
    for number, base, rate in _tranches(law.agirc_arrco_employer, gross, plafond):
        add(
            f"agirc_arrco_t{number}_employeur",
            f"Retraite complémentaire AGIRC-ARRCO tranche {number}",
            "employer",
            base,
            rate,
        )
    for number, base, rate in _tranches(law.ceg_employer, gross, plafond):
        add(
            f"ceg_t{number}_employeur",
            f"Contribution d'équilibre général tranche {number}",
            "employer",
            base,
            rate,
        )
    cet_base = min(gross, law.cet_ceiling * plafond) if gross > plafond else ZERO
    add(
        "cet_employeur",
        "Contribution d'équilibre technique",
        "employer",
        cet_base,
        law.cet_employer,
    )
    apec_base = min(gross, law.apec_ceiling * plafond) if cadre else ZERO
    add("apec_employeur", "APEC", "employer", apec_base, law.apec_employer)
    prevoyance_base = capped if cadre else ZERO
    add(
        "prevoyance_cadres",
        "Prévoyance des cadres (tranche 1)",
        "employer",
        prevoyance_base,
        law.prevoyance_cadres,
    )
    prevoyance = sum((x.amount for x in lines if x.code == "prevoyance_cadres"), ZERO)

    lines, employer = employer, lines
    add(
        "vieillesse_plafonnee_salarie",
        "Assurance vieillesse plafonnée",
        "employee",
        capped,
        law.vieillesse_capped_employee,
    )
    add(
        "vieillesse_deplafonnee_salarie",
        "Assurance vieillesse déplafonnée",
        "employee",
        gross,
        law.vieillesse_employee,
    )
    for number, base, rate in _tranches(law.agirc_arrco_employee, gross, plafond):
        add(
            f"agirc_arrco_t{number}_salarie",
            f"Retraite complémentaire AGIRC-ARRCO tranche {number}",
            "employee",
            base,
            rate,
        )
    for number, base, rate in _tranches(law.ceg_employee, gross, plafond):
        add(
            f"ceg_t{number}_salarie",
            f"Contribution d'équilibre général tranche {number}",
            "employee",
            base,
            rate,
        )
    add("cet_salarie", "Contribution d'équilibre technique", "employee", cet_base, law.cet_employee)
    add("apec_salarie", "APEC", "employee", apec_base, law.apec_employee)
    allowance_ceiling = law.csg_allowance_ceiling * plafond
    csg_base = round_money(
        min(gross, allowance_ceiling) * (1 - law.csg_allowance)
        + max(gross - allowance_ceiling, ZERO)
        + prevoyance,
        CURRENCY,
    )
    add(
        "csg_deductible",
        "CSG déductible de l'impôt sur le revenu",
        "employee",
        csg_base,
        law.csg_deductible,
    )
    add(
        "csg_non_deductible",
        "CSG non déductible de l'impôt sur le revenu",
        "employee",
        csg_base,
        law.csg_non_deductible,
    )
    add("crds", "CRDS non déductible de l'impôt sur le revenu", "employee", csg_base, law.crds)
    return (*lines, *employer)


def net_taxable(gross: Decimal, lines: Sequence[PayslipLine]) -> Decimal:
    """Gross minus the employee contributions deductible from taxable income."""
    deducted = sum(
        (x.amount for x in lines if x.payer == "employee" and x.code not in NOT_DEDUCTIBLE), ZERO
    )
    return gross - deducted


def neutral_rate(taxable: Decimal, law: Law) -> Decimal:
    """The neutral (default) withholding rate of a monthly taxable salary, métropole."""
    if law.on > law.grid_known_until:
        raise PayrollError(
            "period starting",
            "the neutral-rate withholding grid in force after "
            f"{law.grid_known_until} is not entered in "
            "prelevement_a_la_source/taux_neutre_metropole.toml; add it from CGI art. 204 H",
            value=law.on,
        )
    if taxable <= 0:
        return ZERO
    return law.neutral_grid.bracket_for(taxable).rate or ZERO


def payslip_for_gross(category: str, gross: Decimal, fraction: Decimal, period: Period) -> Payslip:
    """The payslip of a month's gross for a worker category and working-time fraction."""
    law = law_on(period.start)
    gross = round_money(gross, CURRENCY)
    lines = contribution_lines(category, gross, fraction, law)
    taxable = net_taxable(gross, lines)
    withholding = round_money(taxable * neutral_rate(taxable, law), CURRENCY)
    return assemble_payslip(period, gross, lines, withholding, CURRENCY)


def payslip(contract: EmploymentContract, period: Period) -> Payslip:
    """The payslip of a contract for a month, with the law in force on its first day."""
    check_category(contract.worker_category)
    gross = contract_gross(contract, CURRENCY)
    fraction = working_time_fraction(contract, law_on(period.start))
    return payslip_for_gross(contract.worker_category, gross, fraction, period)


def gross_for_cost(contract: EmploymentContract, period: Period, employer_cost: Decimal) -> Decimal:
    """The largest gross whose employer cost fits the budget, same category and time."""
    check_category(contract.worker_category)
    fraction = working_time_fraction(contract, law_on(period.start))
    return gross_for_employer_cost(
        lambda gross: payslip_for_gross(contract.worker_category, gross, fraction, period),
        employer_cost,
        CURRENCY,
    )


def social_declaration(period: Period, totals: PayrollTotals) -> tuple[ReturnBox, ...]:
    """A month's DSN-like totals: gross, each contribution, withholding, net.

    Boxes are named by contribution code (each French code has one payer), so that the
    URSSAF, AGIRC-ARRCO and France Travail totals can be regrouped by the declaration
    file's writer.
    """
    head = [
        ReturnBox("effectif", "Salariés payés dans le mois", Decimal(totals.workers)),
        ReturnBox("brut", "Rémunération brute", totals.gross),
    ]
    middle = [
        ReturnBox(c.code, f"{c.label} ({PAYERS[c.payer]})", c.employee + c.employer)
        for c in totals.contributions
    ]
    tail = [
        ReturnBox(
            "total_salarial", "Total des cotisations salariales", totals.employee_contributions
        ),
        ReturnBox(
            "total_patronal", "Total des cotisations patronales", totals.employer_contributions
        ),
        ReturnBox("pas", "Prélèvement à la source", totals.withholding),
        ReturnBox("net", "Net payé", totals.net),
    ]
    return (*head, *middle, *tail)
