"""The plugin contract: every hook a country or sector plugin may implement.

Each spec is an empty, fully typed function. Its docstring says what the hook is for,
each parameter, what it returns and in which unit, whether the first answer wins, when
it was added and which core service calls it. A country developer should need nothing
else. Amounts are ``Decimal`` in the instance currency; rates are ``Decimal`` fractions.

A plugin declares the API version it was written for as the module attribute
``PARTAGE_HOOK_API = "<major>.<minor>"``. The registry refuses a plugin of another major
version, or of a newer minor version than this core provides.

One country plugin serves an instance, so country hooks are ``firstresult``. Sector
hooks are called on the sectors the entity's office has enabled, and every one of them
answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from partage.core.contract import (
        ActContext,
        Brand,
        ChartOfAccounts,
        CopyrightTaxation,
        CountryIdentity,
        EmploymentContract,
        ExpenseCategory,
        IdentifierCheck,
        IdentifierKind,
        InsurancePolicy,
        Payslip,
        PayslipLine,
        Period,
        Refusal,
        ReturnBox,
        ReviewQuestion,
        VatLineContext,
        VatMovement,
        VatRate,
        VatTreatment,
    )

PROJECT = "partage"
HOOK_API_VERSION = "1.0"

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

    Used by: invoices, credit notes and purchases when each line is recorded.
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
