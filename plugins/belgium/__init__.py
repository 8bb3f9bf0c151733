"""Belgium: the reference country plugin for the Belgian national instance.

Registered under ``partage.countries`` as ``be``. It talks to the core only through
the hook contract (:mod:`partage.core.hookspecs`) and its value types. Each concern
lives in its own module; this one only declares the hook implementations, so that a
franchisee reading it sees the whole plugin on one page:

- :mod:`.identity`: identity, brand, public holidays, amount formatting;
- :mod:`.identifiers`: VAT/enterprise/national numbers and IBANs;
- :mod:`.vat`: rates, the treatment of a line, the periodic return;
- :mod:`.payroll`: payslips, the inverse, the social declaration;
- :mod:`.insurance` and :mod:`.copyright`;
- ``data/``: the chart of accounts (PCMN), the logo and the dated law parameters.
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
from partage.plugins.belgium import copyright, identifiers, identity, insurance, payroll, vat
from partage.plugins.belgium.law import DATA

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
    return identifiers.validate_identifier(kind, value)


@hookimpl
def partage_vat_rates(on: date) -> Sequence[VatRate]:
    return vat.rates(on)


@hookimpl
def partage_vat_treatment(line: VatLineContext) -> VatTreatment:
    return vat.treatment(line)


@hookimpl
def partage_vat_return(period: Period, movements: Sequence[VatMovement]) -> Sequence[ReturnBox]:
    return vat.vat_return(period, movements)


@hookimpl
def partage_chart_of_accounts() -> ChartOfAccounts:
    return read_chart("PCMN", DATA / "chart.csv", DATA / "chart_roles.toml")


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
) -> CopyrightTaxation:
    return copyright.taxation(amount, on, earlier_this_year)


@hookimpl
def partage_insurance_policies(on: date) -> Sequence[InsurancePolicy]:
    return insurance.policies(on)
