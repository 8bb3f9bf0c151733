"""The plugin contract: everything a country or sector plugin may use, and nothing else.

A plugin imports from this package only (``from partage.core.contract import ...``),
plus :mod:`partage.testing` in its tests; every name it may use is listed in
``__all__`` below. What is not listed — the database models, the services, the
configuration, the faces — may change in any core release without notice; what is
listed changes only with the hook API version (:data:`HOOK_API_VERSION`), and
``partage upgrade check`` tells a plugin's author what moved.

The contract holds: the hook specifications and the ``hookimpl`` marker; the value
types hooks take and return (frozen dataclasses: identity, tax, accounting, payroll,
sectors, documents, bank statements) and the periods they speak of, with their calendar
arithmetic; exact money; law as dated parameters; identifier
checks and the sample identifiers a simulated month invents; reading a chart of
accounts; the EU VAT helpers, place of supply included; payslip arithmetic and a
period's payroll totals; the country-hooks delegation; the e-invoice building blocks
and the core's document templates; the camt.053 statement reader; declaration files.

Each name is imported from its submodule when first used (PEP 562), so that loading a
plugin, or the registry listing them, does not load what the plugin does not use yet
(lxml for e-invoices and statements, schwifty for IBANs): ``partage plugins list`` and
``partage config check`` start quickly. The ``TYPE_CHECKING`` block below states the
same names for type checkers and editors; ``tests/contract/test_contract_exports.py``
checks that it, ``__all__`` and the table of homes agree.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from partage.core.contract import einvoice, hookspecs
    from partage.core.contract.accounting import (
        AccountType,
        AppropriationRule,
        ChartAccount,
        ChartOfAccounts,
        PostingRole,
    )
    from partage.core.contract.bank import BankStatement, BankTransaction
    from partage.core.contract.camt import CamtError, read_camt053
    from partage.core.contract.charts import ChartFileError, read_chart
    from partage.core.contract.country_hooks import CountryHooks
    from partage.core.contract.declaration_files import json_declaration, two_decimals
    from partage.core.contract.documents import (
        DOCUMENT_TEMPLATES,
        Address,
        AllowanceCharge,
        Declarant,
        DeclarationFile,
        DeclaredPay,
        DocumentLine,
        DocumentParty,
        EInvoice,
        Employer,
        HireDeclaration,
        InvoiceDocument,
        ListedSale,
        PaymentInstructions,
        PeriodDeclaration,
        SalesListing,
        VatBreakdown,
        VatReturnFiling,
        Worker,
    )
    from partage.core.contract.einvoicing import COMPANY_SIZES, NETWORKS, EInvoicingRules
    from partage.core.contract.errors import (
        N_,
        Amount,
        ConfigError,
        PartageError,
        PluginError,
        Word,
    )
    from partage.core.contract.hook_status import HookDeprecationWarning, HookStatus
    from partage.core.contract.hookspecs import HOOK_API_VERSION, hookimpl
    from partage.core.contract.identifiers import check_iban, stdnum_failure
    from partage.core.contract.identity import (
        SIMULATED_MINIMUM_MONTHLY_GROSS,
        Brand,
        CountryIdentity,
        IdentifierCheck,
        IdentifierKind,
        SampleData,
    )
    from partage.core.contract.late_payment import (
        DAY_COUNT_BASIS,
        InterestSlice,
        LateCharges,
        LateClaim,
        daily_interest,
    )
    from partage.core.contract.money import (
        MoneyError,
        as_decimal,
        from_minor,
        minor_exponent,
        minor_quantum,
        round_money,
        to_minor,
    )
    from partage.core.contract.parameters import (
        Bracket,
        DatedValue,
        Parameter,
        ParameterError,
        Parameters,
    )
    from partage.core.contract.payroll import (
        ContributionTotal,
        CopyrightTaxation,
        EmploymentContract,
        InsurancePolicy,
        PayrollTotals,
        Payslip,
        PayslipLine,
    )
    from partage.core.contract.payslips import (
        PayrollError,
        assemble_payslip,
        contract_gross,
        gross_for_employer_cost,
        payroll_totals,
        payslip_line,
    )
    from partage.core.contract.periods import PERIOD_KINDS, Period
    from partage.core.contract.retention import RetentionPeriod, RetentionPeriods
    from partage.core.contract.samples import (
        UnknownSampleCountry,
        birth_date,
        digits,
        foreign_vat_number,
        iban,
        iban_known,
    )
    from partage.core.contract.sectors import (
        ActContext,
        ActKind,
        Attestation,
        AttestationKind,
        Counterpart,
        ExpenseCategory,
        Refusal,
        ReviewQuestion,
    )
    from partage.core.contract.tax import (
        ReturnBox,
        VatLineContext,
        VatMovement,
        VatRate,
        VatTreatment,
        VatTreatmentKind,
    )
    from partage.core.contract.vat import (
        EU_MEMBER_STATES,
        NORTHERN_IRELAND,
        SupplyCase,
        VatError,
        in_eu_vat_area,
        percent_label,
        place_of_supply,
        rates_in_force,
    )

#: The submodules exported as such (``from partage.core.contract import einvoice``).
_SUBMODULES = ("einvoice", "hookspecs")
#: Each submodule of the contract, with the public names it defines.
_HOMES: dict[str, tuple[str, ...]] = {
    "accounting": (
        "AccountType",
        "AppropriationRule",
        "ChartAccount",
        "ChartOfAccounts",
        "PostingRole",
    ),
    "bank": ("BankStatement", "BankTransaction"),
    "camt": ("CamtError", "read_camt053"),
    "charts": ("ChartFileError", "read_chart"),
    "country_hooks": ("CountryHooks",),
    "declaration_files": ("json_declaration", "two_decimals"),
    "documents": (
        "DOCUMENT_TEMPLATES",
        "Address",
        "AllowanceCharge",
        "DeclarationFile",
        "Declarant",
        "DeclaredPay",
        "DocumentLine",
        "DocumentParty",
        "EInvoice",
        "Employer",
        "HireDeclaration",
        "ListedSale",
        "SalesListing",
        "VatReturnFiling",
        "InvoiceDocument",
        "PaymentInstructions",
        "PeriodDeclaration",
        "VatBreakdown",
        "Worker",
    ),
    "einvoicing": ("COMPANY_SIZES", "NETWORKS", "EInvoicingRules"),
    "errors": ("N_", "Amount", "ConfigError", "PartageError", "PluginError", "Word"),
    "hook_status": ("HookDeprecationWarning", "HookStatus"),
    "hookspecs": ("HOOK_API_VERSION", "hookimpl"),
    "identifiers": ("check_iban", "stdnum_failure"),
    "identity": (
        "SIMULATED_MINIMUM_MONTHLY_GROSS",
        "Brand",
        "CountryIdentity",
        "IdentifierCheck",
        "IdentifierKind",
        "SampleData",
    ),
    "late_payment": (
        "DAY_COUNT_BASIS",
        "InterestSlice",
        "LateCharges",
        "LateClaim",
        "daily_interest",
    ),
    "money": (
        "MoneyError",
        "as_decimal",
        "from_minor",
        "minor_exponent",
        "minor_quantum",
        "round_money",
        "to_minor",
    ),
    "parameters": ("Bracket", "DatedValue", "Parameter", "ParameterError", "Parameters"),
    "payroll": (
        "ContributionTotal",
        "CopyrightTaxation",
        "EmploymentContract",
        "InsurancePolicy",
        "PayrollTotals",
        "Payslip",
        "PayslipLine",
    ),
    "payslips": (
        "PayrollError",
        "assemble_payslip",
        "contract_gross",
        "gross_for_employer_cost",
        "payroll_totals",
        "payslip_line",
    ),
    "periods": ("PERIOD_KINDS", "Period"),
    "retention": ("RetentionPeriod", "RetentionPeriods"),
    "samples": (
        "UnknownSampleCountry",
        "birth_date",
        "digits",
        "foreign_vat_number",
        "iban",
        "iban_known",
    ),
    "sectors": (
        "ActContext",
        "ActKind",
        "Attestation",
        "AttestationKind",
        "Counterpart",
        "ExpenseCategory",
        "Refusal",
        "ReviewQuestion",
    ),
    "tax": (
        "ReturnBox",
        "VatLineContext",
        "VatMovement",
        "VatRate",
        "VatTreatment",
        "VatTreatmentKind",
    ),
    "vat": (
        "EU_MEMBER_STATES",
        "NORTHERN_IRELAND",
        "SupplyCase",
        "VatError",
        "in_eu_vat_area",
        "percent_label",
        "place_of_supply",
        "rates_in_force",
    ),
}
_HOME = {name: module for module, names in _HOMES.items() for name in names}

__all__ = [
    "COMPANY_SIZES",
    "DAY_COUNT_BASIS",
    "DOCUMENT_TEMPLATES",
    "EU_MEMBER_STATES",
    "HOOK_API_VERSION",
    "NETWORKS",
    "NORTHERN_IRELAND",
    "N_",
    "PERIOD_KINDS",
    "SIMULATED_MINIMUM_MONTHLY_GROSS",
    "AccountType",
    "ActContext",
    "ActKind",
    "Address",
    "AllowanceCharge",
    "Amount",
    "AppropriationRule",
    "Attestation",
    "AttestationKind",
    "BankStatement",
    "BankTransaction",
    "Bracket",
    "Brand",
    "CamtError",
    "ChartAccount",
    "ChartFileError",
    "ChartOfAccounts",
    "ConfigError",
    "ContributionTotal",
    "CopyrightTaxation",
    "Counterpart",
    "CountryHooks",
    "CountryIdentity",
    "DatedValue",
    "Declarant",
    "DeclarationFile",
    "DeclaredPay",
    "DocumentLine",
    "DocumentParty",
    "EInvoice",
    "EInvoicingRules",
    "Employer",
    "EmploymentContract",
    "ExpenseCategory",
    "HireDeclaration",
    "HookDeprecationWarning",
    "HookStatus",
    "IdentifierCheck",
    "IdentifierKind",
    "InsurancePolicy",
    "InterestSlice",
    "InvoiceDocument",
    "LateCharges",
    "LateClaim",
    "ListedSale",
    "MoneyError",
    "Parameter",
    "ParameterError",
    "Parameters",
    "PartageError",
    "PaymentInstructions",
    "PayrollError",
    "PayrollTotals",
    "Payslip",
    "PayslipLine",
    "Period",
    "PeriodDeclaration",
    "PluginError",
    "PostingRole",
    "Refusal",
    "RetentionPeriod",
    "RetentionPeriods",
    "ReturnBox",
    "ReviewQuestion",
    "SalesListing",
    "SampleData",
    "SupplyCase",
    "UnknownSampleCountry",
    "VatBreakdown",
    "VatError",
    "VatLineContext",
    "VatMovement",
    "VatRate",
    "VatReturnFiling",
    "VatTreatment",
    "VatTreatmentKind",
    "Word",
    "Worker",
    "as_decimal",
    "assemble_payslip",
    "birth_date",
    "check_iban",
    "contract_gross",
    "daily_interest",
    "digits",
    "einvoice",
    "foreign_vat_number",
    "from_minor",
    "gross_for_employer_cost",
    "hookimpl",
    "hookspecs",
    "iban",
    "iban_known",
    "in_eu_vat_area",
    "json_declaration",
    "minor_exponent",
    "minor_quantum",
    "payroll_totals",
    "payslip_line",
    "percent_label",
    "place_of_supply",
    "rates_in_force",
    "read_camt053",
    "read_chart",
    "round_money",
    "stdnum_failure",
    "to_minor",
    "two_decimals",
]


def __getattr__(name: str) -> Any:
    """The public ``name``, imported from its submodule on first use and kept here."""
    if name in _SUBMODULES:
        value = importlib.import_module(f"{__name__}.{name}")
    elif name in _HOME:
        value = getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
