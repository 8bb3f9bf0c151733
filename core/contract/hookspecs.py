"""The plugin contract: every hook a country or sector plugin may implement.

Each spec is an empty, fully typed function. Its docstring says what the hook is for,
each parameter, what it returns and in which unit, whether the first answer wins, when
it was added and which core service calls it. A country developer should need nothing
else. Amounts are ``Decimal`` in the instance currency; rates are ``Decimal`` fractions.

A plugin declares the API version it was written for as the module attribute
``PARTAGE_HOOK_API = "<major>.<minor>"``. The registry refuses a plugin of another major
version, or of a newer minor version than this core provides.

One country plugin serves an instance, so country hooks are ``firstresult``. Sector
hooks are called on the sectors in force for the act: the sectors of the entity that its
office had enabled on the act's date (:mod:`partage.core.sectors.rules`), and every one of
them answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from partage.core.contract.accounting import ChartOfAccounts
    from partage.core.contract.bank import BankStatement
    from partage.core.contract.documents import (
        DeclarationFile,
        EInvoice,
        HireDeclaration,
        InvoiceDocument,
        PeriodDeclaration,
    )
    from partage.core.contract.identity import (
        Brand,
        CountryIdentity,
        IdentifierCheck,
        IdentifierKind,
        SampleData,
    )
    from partage.core.contract.payroll import (
        CopyrightTaxation,
        EmploymentContract,
        InsurancePolicy,
        Payslip,
        PayslipLine,
    )
    from partage.core.contract.periods import Period
    from partage.core.contract.sectors import (
        ActContext,
        AttestationKind,
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

PROJECT = "partage"
HOOK_API_VERSION = "1.1"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


# --- country identity and branding ------------------------------------------------
@hookspec(firstresult=True)
def partage_country_identity() -> CountryIdentity:
    """Say who the country is: code, name, currency, locale, languages, legal form.

    Returns a :class:`~partage.core.contract.CountryIdentity`. Stops at the first
    non-None result. Added in 1.0.

    Used by: the registry when listing plugins, configuration checks (the instance's
    currency must be the country's), every service that formats or posts amounts.
    """


@hookspec(firstresult=True)
def partage_country_brand() -> Brand:
    """Give the brand as this country shows it, with the invoice's legal mentions.

    Returns a :class:`~partage.core.contract.Brand`; the logo path is relative to the
    plugin package. Stops at the first non-None result. Added in 1.0.

    Used by: document rendering (invoices, credit notes, payslips) and the web UI.
    """


@hookspec(firstresult=True)
def partage_public_holidays(year: int) -> frozenset[date]:
    """List the country's public holidays of one year.

    :param year: the calendar year.

    Returns the dates as a ``frozenset``. Stops at the first non-None result.
    Added in 1.0.

    Used by: due-date and payroll calendars (working days of a month).
    """


@hookspec(firstresult=True)
def partage_format_amount(amount: Decimal, locale: str) -> str:
    """Format an amount of the instance currency for people in a locale.

    :param amount: the amount, already rounded to the minor unit.
    :param locale: a CLDR locale among the country's languages (``"nl_BE"``).

    Returns the text, currency sign included. Stops at the first non-None result.
    Added in 1.0.

    Used by: documents, the web UI and the command line's table output.
    """


# --- identifiers ----------------------------------------------------------------
@hookspec(firstresult=True)
def partage_validate_identifier(kind: IdentifierKind, value: str) -> IdentifierCheck:
    """Validate a VAT, company or personal number, or an IBAN.

    :param kind: which identifier ``value`` claims to be.
    :param value: as typed by a person (spaces and separators allowed).

    Returns an :class:`~partage.core.contract.IdentifierCheck`: normalized when valid,
    naming the failed check when not. Stops at the first non-None result. Added in 1.0.

    Used by: member admission (national number, IBAN), parties (VAT and company
    numbers), payments out (IBAN).
    """


@hookspec(firstresult=True)
def partage_sample_data() -> SampleData:
    """Give what a simulated month needs to invent the country's people and companies.

    Returns a :class:`~partage.core.contract.SampleData`: the worker categories the
    simulated contracts use and generators of national numbers, VAT numbers and IBANs
    that the country's own ``partage_validate_identifier`` accepts, each drawing from
    the ``random.Random`` it is given (same seed, same numbers), and the price level by
    which the simulation scales the amounts it invents in euros (1 unless the country's
    currency is worth much more or less than a euro). Optional: a country that does not
    answer runs normally, only its simulated month is refused. Stops at the first
    non-None result. Added in 1.1.

    Used by: the simulated month (:mod:`partage.core.demo.month`) behind ``partage
    demo`` and the month benchmark.
    """


# --- tax ------------------------------------------------------------------------
@hookspec(firstresult=True)
def partage_vat_rates(on: date) -> Sequence[VatRate]:
    """List the VAT rates in force on a date.

    :param on: the day asked about.

    Returns every rate in force that day, standard rate first, each with the date it
    started. Stops at the first non-None result. Added in 1.0.

    Used by: quotes and invoices (rate choices), the conformance suite.
    """


@hookspec(firstresult=True)
def partage_vat_treatment(line: VatLineContext) -> VatTreatment:
    """Decide the VAT of one sale or purchase line.

    :param line: the facts of the line (direction, date, rate chosen, counterpart).

    Returns a :class:`~partage.core.contract.VatTreatment` with the rate and the legal
    mention to print. Stops at the first non-None result. Added in 1.0.

    Used by: invoices, credit notes, purchases and supplier credit notes when each line is
    recorded; expense claims (a domestic purchase); the franchise fee (a service bought
    from the franchisor).
    """


@hookspec(firstresult=True)
def partage_vat_return(period: Period, movements: Sequence[VatMovement]) -> Sequence[ReturnBox]:
    """Fill the periodic VAT return from posted VAT movements.

    :param period: the return's period.
    :param movements: base and VAT per VAT code and direction, summed from the books.

    Returns the boxes of the national form (BE grids, FR CA3 lines) with amounts.
    Stops at the first non-None result. Added in 1.0.

    Used by: the declarations service at each VAT period end.
    """


# --- accounting -----------------------------------------------------------------
@hookspec(firstresult=True)
def partage_chart_of_accounts() -> ChartOfAccounts:
    """Give the national chart of accounts and the account of each posting role.

    Returns a :class:`~partage.core.contract.ChartOfAccounts` mapping every
    :class:`~partage.core.contract.PostingRole`. Stops at the first non-None result.
    Added in 1.0.

    Used by: the ledger when it opens books (one per entity and one for the
    cooperative) and whenever an act posts by role.
    """


# --- payroll --------------------------------------------------------------------
@hookspec(firstresult=True)
def partage_payslip(contract: EmploymentContract, period: Period) -> Payslip:
    """Compute the payslip of a contract for a period, with the law in force then.

    :param contract: the employment contract's terms.
    :param period: the month paid.

    Returns a :class:`~partage.core.contract.Payslip`: gross, every contribution line
    (base, rate, amount), withholding, net and employer cost, rounded to the minor unit.
    Stops at the first non-None result. Added in 1.0.

    Used by: payroll runs, the budget simulator, the payslip simulator CLI.
    """


@hookspec(firstresult=True)
def partage_gross_for_employer_cost(
    contract: EmploymentContract, period: Period, employer_cost: Decimal
) -> Decimal:
    """Find the gross salary whose employer cost is the given budget (the inverse).

    :param contract: the contract's terms (category, part time).
    :param period: the month paid.
    :param employer_cost: the budget the entity spends on this salary.

    Returns the largest gross, to the minor unit, whose payslip's employer cost does not
    exceed ``employer_cost``. Stops at the first non-None result. Added in 1.0.

    Used by: the budget simulator and hiring, which turn an entity's budget into pay.
    """


@hookspec(firstresult=True)
def partage_social_declaration(period: Period, payslips: Sequence[Payslip]) -> Sequence[ReturnBox]:
    """Summarise a month's payslips as the social declaration's totals.

    :param period: the declared month.
    :param payslips: every payslip of the instance for that month.

    Returns one box per contribution, with its total. Stops at the first non-None
    result. Added in 1.0.

    Used by: the declarations service after each payroll run.
    """


@hookspec(firstresult=True)
def partage_copyright_taxation(
    amount: Decimal, on: date, earlier_this_year: Decimal
) -> CopyrightTaxation:
    """Tax a copyright cession or licence under the country's regime, if it has one.

    :param amount: the gross copyright income of this cession, in the instance currency.
    :param on: the date of the cession (the law in force then applies).
    :param earlier_this_year: the author's copyright income already received this
        calendar year, so that yearly brackets of flat-rate costs apply to the right slice.

    Returns a :class:`~partage.core.contract.CopyrightTaxation`, or ``None`` where the
    country has no specific regime (the cession is then ordinary income). Stops at the
    first non-None result. Added in 1.0.

    Used by: the copyright-cession act of the engine, before it posts the withholding.
    """


# --- insurance ------------------------------------------------------------------
@hookspec(firstresult=True)
def partage_insurance_policies(on: date) -> Sequence[InsurancePolicy]:
    """List the insurance policies mutualised for workers on a date.

    :param on: the day asked about.

    Returns the policies with their premium rule. Stops at the first non-None result.
    Added in 1.0.

    Used by: payroll runs, which post the premiums with the salaries.
    """


# --- sector plugins -------------------------------------------------------------
@hookspec
def partage_validate_act(act: ActContext) -> Refusal | None:
    """Accept or refuse an economic act under a sector's rules.

    :param act: the act about to be recorded.

    Returns ``None`` to accept, or a :class:`~partage.core.contract.Refusal` naming
    the rule. Every enabled sector answers; any refusal stops the act. Added in 1.0.

    Used by: every economic act of an entity whose office enabled the sector, before
    anything is written.
    """


@hookspec
def partage_expense_categories() -> Sequence[ExpenseCategory]:
    """Add the sector's expense categories.

    Returns the categories; every enabled sector answers and the lists are joined.
    Added in 1.0.

    Used by: expense claims of entities whose office enabled the sector.
    """


@hookspec
def partage_payslip_extra_lines(
    contract: EmploymentContract, period: Period, payslip: Payslip
) -> Sequence[PayslipLine]:
    """Add the sector's lines to a payslip (e.g. a courier's minimum shift top-up).

    :param contract: the contract paid.
    :param period: the month paid.
    :param payslip: the country's payslip before sector lines.

    Returns extra lines (possibly none). Every enabled sector answers. Added in 1.0.

    Used by: payroll runs for entities whose office enabled the sector.
    """


@hookspec
def partage_review_questions() -> Sequence[ReviewQuestion]:
    """Add the sector's questions to the membership review.

    Returns the questions; every enabled sector answers. Added in 1.0.

    Used by: the membership review when an application names the sector's trade.
    """


@hookspec
def partage_paid_hours(contract: EmploymentContract, period: Period) -> Decimal | None:
    """Say how many hours a sector's rule pays for an hourly contract, at least.

    :param contract: the contract paid, with the hours worked in ``contract.hours``.
    :param period: the month paid.

    Returns the hours to pay when the sector guarantees more than were worked (a
    courier's minimum shift), or ``None``. Every sector in force answers; the core
    pays the largest of the answers and the hours worked, and the country computes the
    payslip on that. Added in 1.1 (a payslip line cannot raise the gross, on which
    contributions and withholding are computed).

    Used by: payroll (``compute_payslip``) before it asks the country for the payslip.
    """


@hookspec
def partage_review_required() -> bool:
    """Say whether applications to join in this sector's trade go to the ethics committee.

    Returns ``True`` when the trade needs the membership review (legal liability,
    ethics, the applicant's autonomy), ``False`` when it is admitted directly. The core
    asks the sector named by the application only; an office may also require the
    review for a sector it enables. Added in 1.1.

    Used by: the membership review (:mod:`partage.core.members.review`) when an
    application is submitted.
    """


@hookspec
def partage_attestation_kinds() -> Sequence[AttestationKind]:
    """Declare the attestations the sector's rules look at (insurance, certificates).

    Returns the kinds, each saying whether an entity or a member holds it; every
    installed sector answers and the lists are joined. Added in 1.1.

    Used by: the registration of attestations (:mod:`partage.core.sectors.records`),
    which refuses a kind no sector declares; the attestations on file reach the sector
    rules through :class:`~partage.core.contract.ActContext`.
    """


# --- documents and exchanges ------------------------------------------------------
@hookspec(firstresult=True)
def partage_document_templates() -> str:
    """Give the folder of the country's document templates (Jinja2, HTML subset).

    Returns the absolute path of a folder holding ``invoice.html`` (and any template it
    includes); a template missing there falls back to the core's default. Stops at the
    first non-None result. Added in 1.1.

    Used by: PDF rendering of invoices and credit notes
    (:mod:`partage.core.documents.pdf`).
    """


@hookspec(firstresult=True)
def partage_payment_reference(invoice_id: int, number: str) -> str:
    """Give the structured reference a client quotes when paying an invoice.

    :param invoice_id: the invoice's database id, unique in the instance.
    :param number: its printed number (``"F2026-000123"``).

    Returns the reference as printed (Belgium: ``+++123/4567/89012+++``); without an
    answer the core uses an ISO 11649 ``RF`` creditor reference. Stops at the first
    non-None result. Added in 1.1.

    Used by: invoice documents (payment instructions) and bank-statement matching, which
    recognises the reference in incoming transfers.
    """


@hookspec(firstresult=True)
def partage_einvoice_vat_category(vat_code: str, kind: VatTreatmentKind, rate: Decimal) -> str:
    """Map one of the country's VAT codes to its EN 16931 VAT category (UNCL 5305).

    :param vat_code: the code the country's VAT treatment gave the line.
    :param kind: the treatment's kind (domestic, reverse charge, export, exempt).
    :param rate: the line's rate, a fraction.

    Returns ``S``, ``Z``, ``E``, ``AE``, ``K``, ``G`` or ``O``; without an answer the
    core maps by kind and rate. Stops at the first non-None result. Added in 1.1.

    Used by: the document model that every invoice format is built from.
    """


@hookspec(firstresult=True)
def partage_einvoice(document: InvoiceDocument, pdf: bytes) -> EInvoice:
    """Produce the country's structured e-invoice of an issued invoice or credit note.

    :param document: the document's facts (the neutral model).
    :param pdf: the document's PDF as issued, for formats that carry it (Factur-X).

    Returns an :class:`~partage.core.contract.EInvoice` (Belgium: Peppol BIS Billing 3.0
    UBL; France: Factur-X EN 16931 PDF/A-3). A document the format's rules refuse
    raises an error naming the rule. Stops at the first non-None result. Added in 1.1.

    Used by: the document service when an invoice's e-invoice is first asked for; the
    result is stored with the invoice and never changes.
    """


@hookspec(firstresult=True)
def partage_parse_bank_statement(content: bytes, filename: str) -> Sequence[BankStatement] | None:
    """Read a bank statement file in a national format (Belgium: CODA).

    :param content: the file's bytes.
    :param filename: its name, as a hint of the format.

    Returns the file's statements (:class:`~partage.core.contract.BankStatement`), or
    ``None`` when the file is not in the country's format (the core reads CAMT.053
    itself). A file in the format but malformed raises an error naming the record.
    Stops at the first non-None result. Added in 1.1.

    Used by: bank-statement import (:mod:`partage.core.banking.statements`).
    """


@hookspec(firstresult=True)
def partage_hire_declaration(declaration: HireDeclaration) -> DeclarationFile:
    """Produce the declaration of a hire the State requires before work starts.

    :param declaration: the employer, the worker and the contract's term.

    Returns the file (Belgium: Dimona IN; France: DPAE). A declaration made too late
    raises an error naming the rule. Stops at the first non-None result. Added in 1.1.

    Used by: hiring (:func:`partage.core.payroll.service.hire`), in the hire's own
    transaction, when the instance has its issuer facts.
    """


@hookspec(firstresult=True)
def partage_period_declaration(declaration: PeriodDeclaration) -> DeclarationFile:
    """Produce the periodic social declaration's totals from the period's payslips.

    :param declaration: the employer, the period and each worker's summed pay.

    Returns the file (Belgium: quarterly DmfA; France: monthly DSN). A period of the
    wrong length raises an error naming the rule. Stops at the first non-None result.
    Added in 1.1.

    Used by: the employment-declarations service at each period end.
    """
