"""Helpers every country plugin would otherwise write again.

Part of the public contract for plugins, beside :mod:`partage.core.contract`,
:mod:`partage.core.parameters` and :mod:`partage.core.payslips`. Three things live here
because each country needs them the same way:

- :class:`CountryHooks`: the country hooks, each answered by one function of the
  plugin. A plugin module states *which* function answers *which* hook, in one list,
  and installs the hook implementations in its own namespace; the delegation itself
  (signatures, argument names pluggy matches on) is written once, here.
- VAT rates as they are listed and printed (:func:`rates_in_force`,
  :func:`percent_label`) and the EU's VAT territory (:func:`in_eu_vat_area`).
- Identifier checks in plain words: IBANs (:func:`check_iban`, schwifty) and the
  failure of a python-stdnum check (:func:`stdnum_failure`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from schwifty import IBAN
from schwifty import exceptions as iban_errors
from stdnum import exceptions as stdnum_errors

from partage.core.contract import (
    Brand,
    ChartOfAccounts,
    CopyrightTaxation,
    CountryIdentity,
    DeclarationFile,
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
from partage.core.parameters import Parameters

F = TypeVar("F")


def _given(function: F | None) -> F:
    """The function a hook delegates to (only hooks that have one are installed)."""
    assert function is not None
    return function


@dataclass(frozen=True)
class CountryHooks:
    """The country hooks of one plugin, each answered by a function of the plugin.

    Field ``x`` answers hook ``partage_x`` of :mod:`partage.core.hookspecs`, whose
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


# --- VAT --------------------------------------------------------------------------------
#: Member states of the EU by the prefix their VAT numbers carry (Greece: EL, and GR as
#: its ISO code). Directive 2006/112/EC, art. 5 and 215.
EU_MEMBER_STATES = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "EL",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
    ]
)
#: Northern Ireland: inside the EU's VAT territory for goods only (Windsor Framework,
#: art. 8; its traders' VAT numbers start with XI).
NORTHERN_IRELAND = "XI"


def in_eu_vat_area(country: str, supply: str) -> bool:
    """Whether a counterpart in ``country`` (ISO alpha-2 or VAT prefix) trades inside the
    EU's VAT territory for a supply of ``"goods"`` or ``"services"``."""
    code = country.upper()
    return code in EU_MEMBER_STATES or (code == NORTHERN_IRELAND and supply == "goods")


def percent_label(rate: Decimal, decimal_separator: str = ",") -> str:
    """A rate as invoices print it: ``Decimal("0.055")`` → ``"5,5 %"``."""
    return f"{(rate * 100).normalize():f} %".replace(".", decimal_separator)


def rates_in_force(
    parameters: Parameters, codes: Sequence[tuple[str, str]], on: date
) -> tuple[VatRate, ...]:
    """The rates in force on ``on``, one per ``(rate code, parameter name)`` pair, in the
    order given (standard first), each with the day its value started.

    Refuses, with the parameter's :class:`~partage.core.parameters.ParameterError`, a
    day before a rate's earliest value.
    """
    found = []
    for code, name in codes:
        dated = parameters[name].at(on)
        value = parameters.value(name, on)
        found.append(VatRate(code, value, dated.start, percent_label(value)))
    return tuple(found)


# --- identifiers --------------------------------------------------------------------------
_IBAN_CHECKS: tuple[tuple[type[Exception], str], ...] = (
    (iban_errors.InvalidCountryCode, "country: the IBAN starts with an unknown country code"),
    (iban_errors.InvalidLength, "length: the IBAN does not have its country's length"),
    (iban_errors.InvalidStructure, "format: the IBAN's account part has the wrong structure"),
    (iban_errors.InvalidChecksumDigits, "checksum: the IBAN's two check digits do not match"),
    (iban_errors.InvalidBBANChecksum, "checksum: the national account check digits do not match"),
    (iban_errors.InvalidBankCode, "component: no bank has this bank code"),
    (iban_errors.InvalidBranchCode, "component: the branch code is not valid"),
    (iban_errors.InvalidAccountCode, "component: the account number is not valid"),
)


def check_iban(value: str) -> IdentifierCheck:
    """An IBAN of any country, with its national account check where one exists
    (schwifty); the failure names the check first (``country``, ``length``, ``format``,
    ``checksum``, ``component``)."""
    if not value or not value.strip():
        return IdentifierCheck(False, failed_check="format: the value is empty")
    try:
        return IdentifierCheck(True, normalized=IBAN(value, validate_bban=True).compact)
    except iban_errors.SchwiftyException as error:
        for error_type, message in _IBAN_CHECKS:
            if isinstance(error, error_type):
                return IdentifierCheck(False, failed_check=message)
        return IdentifierCheck(False, failed_check=f"format: {error}")


_STDNUM_CHECKS: tuple[tuple[type[Exception], str], ...] = (
    (stdnum_errors.InvalidLength, "length: {name} must have {length}"),
    (stdnum_errors.InvalidFormat, "format: {name} must be {form}"),
    (stdnum_errors.InvalidChecksum, "checksum: the check digits of the {name} do not match"),
    (stdnum_errors.InvalidComponent, "component: {component}"),
)


def stdnum_failure(
    error: Exception, *, name: str, length: str, form: str, component: str
) -> IdentifierCheck:
    """A failed python-stdnum check in words, naming the check first.

    :param error: what stdnum raised.
    :param name: the identifier (``"national number"``).
    :param length: its length, for a length failure (``"11 digits"``).
    :param form: its shape, for a format failure (``"BE followed by 10 digits"``).
    :param component: what a component failure means (``"the birth date is invalid"``).
    """
    for error_type, message in _STDNUM_CHECKS:
        if isinstance(error, error_type):
            words = message.format(name=name, length=length, form=form, component=component)
            return IdentifierCheck(False, failed_check=words)
    return IdentifierCheck(False, failed_check=f"format: not a valid {name}")


def two_decimals(value: Decimal) -> str:
    """An amount as declarations print it: a string with exactly two decimals."""
    return f"{value:.2f}"


def json_declaration(kind: str, filename: str, data: dict[str, Any]) -> DeclarationFile:
    """A declaration whose official schema is not available offline, written as its
    documented JSON equivalent (UTF-8, indented, non-ASCII kept)."""
    content = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    return DeclarationFile(kind, "json", filename, content)
