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
accounts; the EU VAT helpers, place of supply included; payslip arithmetic; the
country-hooks delegation; the e-invoice building blocks; declaration files.
"""

from partage.core.contract import einvoice, hookspecs
from partage.core.contract.accounting import AccountType, ChartAccount, ChartOfAccounts, PostingRole
from partage.core.contract.bank import BankStatement, BankTransaction
from partage.core.contract.charts import ChartFileError, read_chart
from partage.core.contract.country_hooks import CountryHooks
from partage.core.contract.declaration_files import json_declaration, two_decimals
from partage.core.contract.documents import (
    Address,
    DeclarationFile,
    DeclaredPay,
    DocumentLine,
    DocumentParty,
    EInvoice,
    Employer,
    HireDeclaration,
    InvoiceDocument,
    PaymentInstructions,
    PeriodDeclaration,
    VatBreakdown,
    Worker,
)
from partage.core.contract.errors import ConfigError, PartageError, PluginError
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
    CopyrightTaxation,
    EmploymentContract,
    InsurancePolicy,
    Payslip,
    PayslipLine,
)
from partage.core.contract.payslips import (
    PayrollError,
    assemble_payslip,
    contract_gross,
    gross_for_employer_cost,
    payslip_line,
)
from partage.core.contract.periods import PERIOD_KINDS, Period
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

__all__ = [
    "EU_MEMBER_STATES",
    "HOOK_API_VERSION",
    "NORTHERN_IRELAND",
    "PERIOD_KINDS",
    "SIMULATED_MINIMUM_MONTHLY_GROSS",
    "AccountType",
    "ActContext",
    "ActKind",
    "Address",
    "Attestation",
    "AttestationKind",
    "BankStatement",
    "BankTransaction",
    "Bracket",
    "Brand",
    "ChartAccount",
    "ChartFileError",
    "ChartOfAccounts",
    "ConfigError",
    "CopyrightTaxation",
    "Counterpart",
    "CountryHooks",
    "CountryIdentity",
    "DatedValue",
    "DeclarationFile",
    "DeclaredPay",
    "DocumentLine",
    "DocumentParty",
    "EInvoice",
    "Employer",
    "EmploymentContract",
    "ExpenseCategory",
    "HireDeclaration",
    "IdentifierCheck",
    "IdentifierKind",
    "InsurancePolicy",
    "InvoiceDocument",
    "MoneyError",
    "Parameter",
    "ParameterError",
    "Parameters",
    "PartageError",
    "PaymentInstructions",
    "PayrollError",
    "Payslip",
    "PayslipLine",
    "Period",
    "PeriodDeclaration",
    "PluginError",
    "PostingRole",
    "Refusal",
    "ReturnBox",
    "ReviewQuestion",
    "SampleData",
    "SupplyCase",
    "UnknownSampleCountry",
    "VatBreakdown",
    "VatError",
    "VatLineContext",
    "VatMovement",
    "VatRate",
    "VatTreatment",
    "VatTreatmentKind",
    "Worker",
    "as_decimal",
    "assemble_payslip",
    "birth_date",
    "check_iban",
    "contract_gross",
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
    "payslip_line",
    "percent_label",
    "place_of_supply",
    "rates_in_force",
    "read_chart",
    "round_money",
    "stdnum_failure",
    "to_minor",
    "two_decimals",
]
