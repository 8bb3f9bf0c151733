"""France: the reference country plugin for the French national instance.

Registered under ``partage.countries`` as ``fr``. It talks to the core only through
the hook contract (:mod:`partage.core.hookspecs`) and its value types; each hook below
delegates to a small module of this package (identity, identifiers, vat, payroll,
insurance), and every number set by law is a dated parameter under ``data/parameters``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from partage.core.charts import read_chart
from partage.core.contract import (
    Brand,
    ChartOfAccounts,
    CopyrightTaxation,
    CountryIdentity,
    EmploymentContract,
    IdentifierCheck,
    IdentifierKind,
    InsurancePolicy,
    Payslip,
    Period,
    ReturnBox,
    VatLineContext,
    VatMovement,
    VatRate,
    VatTreatment,
)
from partage.core.hookspecs import hookimpl
from partage.plugins.france import identifiers, identity, insurance, payroll, vat
from partage.plugins.france.law import DATA

PARTAGE_HOOK_API = "1.0"
IDENTITY = identity.IDENTITY


@hookimpl
def partage_country_identity() -> CountryIdentity:
    return identity.IDENTITY


@hookimpl
def partage_country_brand() -> Brand:
    return identity.BRAND


@hookimpl
def partage_public_holidays(year: int) -> frozenset[date]:
    return identity.public_holidays(year)


@hookimpl
def partage_format_amount(amount: Decimal, locale: str) -> str:
    return identity.format_amount(amount, locale)


@hookimpl
def partage_validate_identifier(kind: IdentifierKind, value: str) -> IdentifierCheck:
    return identifiers.validate(kind, value)


@hookimpl
def partage_vat_rates(on: date) -> Sequence[VatRate]:
    return vat.rates(on)


@hookimpl
def partage_vat_treatment(line: VatLineContext) -> VatTreatment:
    return vat.treatment(line)


@hookimpl
def partage_vat_return(period: Period, movements: Sequence[VatMovement]) -> Sequence[ReturnBox]:
    return vat.ca3(period, movements)


@hookimpl
def partage_chart_of_accounts() -> ChartOfAccounts:
    return read_chart("PCG", DATA / "chart.csv", DATA / "chart_roles.toml")


@hookimpl
def partage_payslip(contract: EmploymentContract, period: Period) -> Payslip:
    return payroll.payslip(contract, period)


@hookimpl
def partage_gross_for_employer_cost(
    contract: EmploymentContract, period: Period, employer_cost: Decimal
) -> Decimal:
    return payroll.gross_for_cost(contract, period, employer_cost)


@hookimpl
def partage_social_declaration(period: Period, payslips: Sequence[Payslip]) -> Sequence[ReturnBox]:
    return payroll.social_declaration(period, payslips)


@hookimpl
def partage_copyright_taxation(
    amount: Decimal, on: date, earlier_this_year: Decimal
) -> CopyrightTaxation | None:
    """France has no withholding regime for copyright cessions in the core's sense.

    Authors' copyright income is declared by the author as BNC (or as traitements et
    salaires, CGI art. 93-1 quater) and income tax is paid through the author's own
    instalments, not withheld by the payer; the social contributions of artistes-auteurs
    are a précompte the payer (diffuseur) declares to the URSSAF Limousin (CSS art.
    L382-4 s.), which this contract's ``CopyrightTaxation`` (flat-rate costs and a
    withholding rate) does not describe. The cession is therefore ordinary income here.
    """
    return None


@hookimpl
def partage_insurance_policies(on: date) -> Sequence[InsurancePolicy]:
    return insurance.policies(on)
