"""The French law this plugin applies, read once from its dated parameter files.

Every rate, ceiling, bracket and amount set by law lives in ``data/parameters`` (one
TOML file per parameter, each value dated and citing its legal source). They are read
once, at the first question, so that computing tens of thousands of payslips never
touches the disk while listing or checking the plugins reads none of them, and
``law_on`` gathers the payroll's parameters in force on one day once per day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from partage.core.contract import (
    N_,
    DatedValue,
    EInvoicingRules,
    ParameterError,
    Parameters,
    PayrollError,
    RetentionPeriod,
    RetentionPeriods,
    hookimpl,
)
from partage.plugins.france.headcount import COMPUTED, Headcount, declared, from_payroll

DATA = Path(__file__).parent / "data"
LAW = Parameters(DATA / "parameters")


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
    headcount: Headcount
    reduction: Reduction
    forfait_social_prevoyance: Decimal
    formation: Decimal
    taxe_apprentissage: Decimal
    apprentissage_supplementaire: Decimal
    peec: Decimal
    dialogue_social: Decimal
    versement_mobilite: Decimal


@dataclass(frozen=True)
class Reduction:
    """The réduction générale's parameters in force on one day (CSS art. L241-13, D241-7).

    Attributes:
        minimum: T min, kept by every salary under the exit threshold (0 before 2026).
        maximum: T (until 2025) or T delta (RGDU), by the employer's headcount.
        power: P of the dégressive term (1: the linear formula before 2026).
        exit: the salary, in SMIC of the working time, from which nothing is due.
        smic: the hourly SMIC the law fixes for the whole calendar year.
    """

    minimum: Decimal
    maximum: Decimal
    power: Decimal
    exit: Decimal
    smic: Decimal


def employer_headcount(monthly: tuple[tuple[date, Decimal], ...], day: date) -> Headcount:
    """The headcount the thresholds read on ``day``: the instance's declared one, or the
    one computed from the payroll's monthly headcounts (CSS art. L130-1)."""
    try:
        setting = LAW.text("employeur.effectif", day)
    except ParameterError as error:
        raise PayrollError(
            "period starting", N_("French payroll law unknown: {error}"), value=day, error=error
        ) from None
    if setting == COMPUTED:
        return from_payroll(monthly, day)
    return declared(Decimal(setting))


def mobility_authority(workplace: str | None, day: date) -> str:
    """The mobility authority of the place of work: the office's, else the instance's
    (``employeur.autorite_mobilite``); refuses one without a rate file."""
    authority = workplace or LAW.text("employeur.autorite_mobilite", day)
    if authority != "aucune" and f"versement_mobilite.{authority}" not in LAW.names():
        known = sorted(n.split(".", 1)[1] for n in LAW.names() if n.startswith("versement_mob"))
        raise PayrollError(
            "workplace_authority",
            N_("no versement mobilité rate for {authority} (known: {known}, aucune)"),
            authority=repr(authority),
            known=tuple(known),
        )
    return authority


@lru_cache(maxsize=512)
def law_on(day: date, headcount: Headcount | None = None, workplace: str | None = None) -> Law:
    """The payroll law in force on ``day`` for the employer's headcount (by default the
    one the instance declares, or nothing known of the payroll) and the mobility
    authority of the place of work (by default the instance's); refuses a day some
    parameter does not cover."""
    value = LAW.value
    if headcount is None:
        headcount = employer_headcount((), day)
    try:
        small = not headcount.reaches(value("cotisations.fnal.seuil_effectif", day))
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
            headcount=headcount,
            reduction=_reduction(headcount, day),
            **_employment_contributions(headcount, mobility_authority(workplace, day), day),
        )
    except ParameterError as error:
        raise PayrollError(
            "period starting", N_("French payroll law unknown: {error}"), value=day, error=error
        ) from None


def _reduction(headcount: Headcount, day: date) -> Reduction:
    """The réduction générale's parameters on ``day`` for the employer's headcount."""
    value = LAW.value
    name = "cotisations.reduction_generale."
    size = "50_et_plus" if headcount.reaches(value(name + "seuil_effectif", day)) else "moins_de_50"
    return Reduction(
        minimum=value(name + "coefficient_minimal", day),
        maximum=value(name + "coefficient_maximal_" + size, day),
        power=value(name + "puissance", day),
        exit=value(name + "seuil_de_sortie", day),
        smic=value(name + "smic_de_reference", day),
    )


def _employment_contributions(
    headcount: Headcount, authority: str, day: date
) -> dict[str, Decimal]:
    """The contributions on the payroll whose rate or existence depends on the headcount:
    forfait social on prévoyance, training, apprenticeship, PEEC, dialogue social and the
    versement mobilité of the workplace's authority."""
    value = LAW.value
    name = "contributions_emploi."

    def from_(threshold: str, rate: Decimal) -> Decimal:
        return rate if headcount.reaches(value(threshold, day)) else Decimal(0)

    mobility = (
        Decimal(0) if authority == "aucune" else value(f"versement_mobilite.{authority}", day)
    )
    formation_11 = headcount.reaches(value(name + "seuil_formation", day))
    alternants = value("employeur.part_alternants", day)
    return {
        "forfait_social_prevoyance": from_(
            "cotisations.forfait_social.seuil_effectif",
            value("cotisations.forfait_social.prevoyance", day),
        ),
        "formation": value(
            name + ("formation_11_et_plus" if formation_11 else "formation_moins_de_11"), day
        ),
        "taxe_apprentissage": value(name + "taxe_apprentissage", day),
        "apprentissage_supplementaire": from_(
            name + "seuil_contribution_supplementaire_apprentissage",
            LAW.scale(name + "contribution_supplementaire_apprentissage", day)
            .bracket_for(alternants)
            .rate
            or Decimal(0),
        ),
        "peec": from_(name + "seuil_peec", value(name + "peec", day)),
        "dialogue_social": value(name + "dialogue_social", day),
        "versement_mobilite": from_("versement_mobilite.seuil_effectif", mobility),
    }


@hookimpl
def partage_payment_term_cap(on: date) -> int | None:
    """The longest payment term between businesses on ``on`` (C. com. art. L441-10),
    ``None`` before the parameter's first value."""
    if LAW.since("commerce.delai_de_paiement_maximal", on) is None:
        return None
    return int(LAW.value("commerce.delai_de_paiement_maximal", on))


def _period(name: str, on: date) -> RetentionPeriod:
    found = LAW[name].at(on)
    return RetentionPeriod(int(str(found.value)), found.reference)


@hookimpl
def partage_retention_periods(on: date) -> RetentionPeriods | None:
    """How long records are kept on ``on``: accounting documents and supporting pieces
    (C. com. art. L123-22), payslips (C. trav. art. L3243-4); ``None`` before the
    parameters' first values."""
    names = ("conservation.documents_comptables", "conservation.bulletins_de_paie")
    if any(LAW.since(name, on) is None for name in names):
        return None
    return RetentionPeriods(_period(names[0], on), _period(names[1], on))


@hookimpl
def partage_einvoicing_rules(on: date, company_size: str) -> EInvoicingRules | None:
    """France's e-invoicing obligations on ``on`` for a company of ``company_size``:
    every business receives through an approved platform from 1 September 2026; large
    and mid-size companies issue (and e-report) from then, small, medium and micro
    ones from 1 September 2027 (CGI art. 289 bis, 290, 290 A; loi de finances pour
    2024, art. 91). ``None`` before the parameters' first values."""
    issuing = (
        "facturation_electronique.emission_grandes_entreprises_eti"
        if company_size in ("large", "mid")
        else "facturation_electronique.emission_pme_micro"
    )
    receiving = LAW.since("facturation_electronique.reception", on)
    issued = LAW.since(issuing, on)
    if receiving is None or issued is None:
        return None
    mandatory = issued.value == "obligatoire"
    return EInvoicingRules(
        network="platform",
        issuing_mandatory=mandatory,
        receiving_mandatory=receiving.value == "obligatoire",
        e_reporting=mandatory,
        source=str(issued.reference),
    )
