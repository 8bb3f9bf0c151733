"""The country hooks of a plugin, each answered by one function of the plugin."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from partage.core.contract.accounting import ChartOfAccounts
from partage.core.contract.hookspecs import hookimpl
from partage.core.contract.identity import Brand, CountryIdentity, IdentifierCheck, IdentifierKind
from partage.core.contract.payroll import (
    CopyrightTaxation,
    EmploymentContract,
    InsurancePolicy,
    Payslip,
)
from partage.core.contract.periods import Period
from partage.core.contract.tax import ReturnBox, VatLineContext, VatMovement, VatRate, VatTreatment

F = TypeVar("F")


def _given(function: F | None) -> F:
    """The function a hook delegates to (only hooks that have one are installed)."""
    assert function is not None
    return function


@dataclass(frozen=True)
class CountryHooks:
    """The country hooks of one plugin, each answered by a function of the plugin.

    Field ``x`` answers hook ``partage_x`` of :mod:`partage.core.contract.hookspecs`, whose
    docstring says what it receives and returns; a field left ``None`` leaves that hook
    to another plugin (or unanswered). A plugin module declares one instance and
    installs its implementations, because pluggy registers the module itself::

        HOOKS = CountryHooks(country_identity=IDENTITY, vat_rates=vat.rates, ...)
        globals().update(HOOKS.implementations())

    A hook with no field here is implemented the plain way, as a module-level function
    marked ``@hookimpl`` beside these; both kinds register together.

    Attributes:
        country_identity: the country's identity.
        country_brand: its brand and the invoice's legal mentions.
        public_holidays: ``(year) -> frozenset[date]``.
        format_amount: ``(amount, locale) -> str``.
        validate_identifier: ``(kind, value) -> IdentifierCheck``.
        vat_rates: ``(on) -> Sequence[VatRate]``.
        vat_treatment: ``(line) -> VatTreatment``.
        vat_return: ``(period, movements) -> Sequence[ReturnBox]``.
        chart_of_accounts: ``() -> ChartOfAccounts``.
        payslip: ``(contract, period) -> Payslip``.
        gross_for_employer_cost: ``(contract, period, employer_cost) -> Decimal``.
        social_declaration: ``(period, payslips) -> Sequence[ReturnBox]``.
        copyright_taxation: ``(amount, on, earlier_this_year) -> CopyrightTaxation``.
        insurance_policies: ``(on) -> Sequence[InsurancePolicy]``.
    """

    country_identity: CountryIdentity
    country_brand: Brand | None = None
    public_holidays: Callable[[int], frozenset[date]] | None = None
    format_amount: Callable[[Decimal, str], str] | None = None
    validate_identifier: Callable[[IdentifierKind, str], IdentifierCheck] | None = None
    vat_rates: Callable[[date], Sequence[VatRate]] | None = None
    vat_treatment: Callable[[VatLineContext], VatTreatment] | None = None
    vat_return: Callable[[Period, Sequence[VatMovement]], Sequence[ReturnBox]] | None = None
    chart_of_accounts: Callable[[], ChartOfAccounts] | None = None
    payslip: Callable[[EmploymentContract, Period], Payslip] | None = None
    gross_for_employer_cost: Callable[[EmploymentContract, Period, Decimal], Decimal] | None = None
    social_declaration: Callable[[Period, Sequence[Payslip]], Sequence[ReturnBox]] | None = None
    copyright_taxation: Callable[[Decimal, date, Decimal], CopyrightTaxation | None] | None = None
    insurance_policies: Callable[[date], Sequence[InsurancePolicy]] | None = None

    def implementations(self) -> dict[str, Callable[..., Any]]:
        """The hook implementations of the fields given, by hook name."""
        return {
            f"partage_{f.name}": getattr(self, f"partage_{f.name}")
            for f in fields(self)
            if getattr(self, f.name) is not None
        }

    @hookimpl
    def partage_country_identity(self) -> CountryIdentity:
        return self.country_identity

    @hookimpl
    def partage_country_brand(self) -> Brand:
        return _given(self.country_brand)

    @hookimpl
    def partage_public_holidays(self, year: int) -> frozenset[date]:
        return _given(self.public_holidays)(year)

    @hookimpl
    def partage_format_amount(self, amount: Decimal, locale: str) -> str:
        return _given(self.format_amount)(amount, locale)

    @hookimpl
    def partage_validate_identifier(self, kind: IdentifierKind, value: str) -> IdentifierCheck:
        return _given(self.validate_identifier)(kind, value)

    @hookimpl
    def partage_vat_rates(self, on: date) -> Sequence[VatRate]:
        return _given(self.vat_rates)(on)

    @hookimpl
    def partage_vat_treatment(self, line: VatLineContext) -> VatTreatment:
        return _given(self.vat_treatment)(line)

    @hookimpl
    def partage_vat_return(
        self, period: Period, movements: Sequence[VatMovement]
    ) -> Sequence[ReturnBox]:
        return _given(self.vat_return)(period, movements)

    @hookimpl
    def partage_chart_of_accounts(self) -> ChartOfAccounts:
        return _given(self.chart_of_accounts)()

    @hookimpl
    def partage_payslip(self, contract: EmploymentContract, period: Period) -> Payslip:
        return _given(self.payslip)(contract, period)

    @hookimpl
    def partage_gross_for_employer_cost(
        self, contract: EmploymentContract, period: Period, employer_cost: Decimal
    ) -> Decimal:
        return _given(self.gross_for_employer_cost)(contract, period, employer_cost)

    @hookimpl
    def partage_social_declaration(
        self, period: Period, payslips: Sequence[Payslip]
    ) -> Sequence[ReturnBox]:
        return _given(self.social_declaration)(period, payslips)

    @hookimpl
    def partage_copyright_taxation(
        self, amount: Decimal, on: date, earlier_this_year: Decimal
    ) -> CopyrightTaxation | None:
        return _given(self.copyright_taxation)(amount, on, earlier_this_year)

    @hookimpl
    def partage_insurance_policies(self, on: date) -> Sequence[InsurancePolicy]:
        return _given(self.insurance_policies)(on)
