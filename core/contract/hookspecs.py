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

Each spec also declares its status (:class:`HookStatus`, read with :func:`status_of`):
whether a country must answer it, may leave it to the core's default plugin
(:mod:`partage.core.platform.defaults`, registered ``trylast`` beside every country), or
may decline it; or whether it is a sector hook. The registry and the conformance suite
read these statuses here, and keep no list of their own.

What each version changed is declared here too (:data:`CHANGES`): a signature change is
a major version, and ``partage upgrade check`` tells the author of an older plugin which
of its hooks to change; a deprecated spec warns each implementation at registration
(``warn_on_impl``) until the next major version removes it.

The specs stay in one module because they are one contract: a plugin author reads it
top to bottom, and pluggy registers it as one namespace.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

import pluggy

from partage.core.contract.hook_status import (
    STATUS_ATTRIBUTE,
    ChangeKind,
    HookChange,
    HookDeprecationWarning,
    HookStatus,
    status,
)

if TYPE_CHECKING:
    from partage.core.contract.accounting import ChartOfAccounts
    from partage.core.contract.bank import BankStatement
    from partage.core.contract.documents import (
        DeclarationFile,
        EInvoice,
        HireDeclaration,
        InvoiceDocument,
        PeriodDeclaration,
        SalesListing,
        VatReturnFiling,
    )
    from partage.core.contract.einvoicing import EInvoicingRules
    from partage.core.contract.identity import (
        Brand,
        CountryIdentity,
        IdentifierCheck,
        IdentifierKind,
        SampleData,
    )
    from partage.core.contract.late_payment import LateCharges, LateClaim
    from partage.core.contract.payroll import (
        CopyrightTaxation,
        EmploymentContract,
        InsurancePolicy,
        PayrollTotals,
        Payslip,
        PayslipLine,
    )
    from partage.core.contract.periods import Period
    from partage.core.contract.retention import RetentionPeriods
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
HOOK_API_VERSION = "2.6"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)
ADDED_IN = re.compile(r"Added in (\d+)\.(\d+)")
REQUIRED, DEFAULTED, OPTIONAL, SECTOR = (
    HookStatus.REQUIRED,
    HookStatus.DEFAULTED,
    HookStatus.OPTIONAL,
    HookStatus.SECTOR,
)

#: Every change of a hook that a plugin written for an earlier version must follow,
#: oldest first; ``partage upgrade check`` lists those a plugin's declared version
#: predates.
CHANGES = (
    HookChange(
        "2.0",
        "partage_social_declaration",
        ChangeKind.SIGNATURE,
        "it receives (period, totals) instead of (period, payslips): totals is a "
        "PayrollTotals, the month's payslips summed by the core with one "
        "ContributionTotal per contribution code; build the boxes from it and drop any "
        "check of the payslips' period (payroll_totals makes it)",
    ),
    HookChange(
        "2.0",
        "partage_payslip_extra_lines",
        ChangeKind.DEPRECATED,
        "removed in 3.0: its lines come after the country computed the contributions "
        "and the withholding on the gross, so they cannot raise the pay; return the "
        "hours a sector guarantees from partage_paid_hours instead",
    ),
)


def _deprecation(hook: str) -> HookDeprecationWarning:
    """The warning every implementation of a deprecated hook gets, as :data:`CHANGES`
    words it."""
    (change,) = (c for c in CHANGES if c.hook == hook and c.kind is ChangeKind.DEPRECATED)
    return HookDeprecationWarning(str(change))


def changes_since(declared: str, target: str = HOOK_API_VERSION) -> tuple[HookChange, ...]:
    """The changes made after hook API ``declared`` up to ``target``, oldest first."""

    def version(text: str) -> tuple[int, int]:
        major, minor = text.split(".")
        return int(major), int(minor)

    return tuple(c for c in CHANGES if version(declared) < version(c.version) <= version(target))


def spec_names() -> list[str]:
    """Every hook of the contract, sorted."""
    return sorted(
        name
        for name, spec in globals().items()
        if name.startswith(f"{PROJECT}_") and hasattr(spec, f"{PROJECT}_spec")
    )


def status_of(name: str) -> HookStatus:
    """The status a spec declares; ``KeyError`` naming a hook the contract lacks."""
    spec = globals().get(name)
    if spec is None or not hasattr(spec, STATUS_ATTRIBUTE):
        raise KeyError(name)
    found: HookStatus = getattr(spec, STATUS_ATTRIBUTE)
    return found


def added_in(name: str) -> tuple[int, int]:
    """The hook API version that added a hook, as its spec's docstring says ("Added in
    1.1"); a spec that does not say counts as added in this core's version."""
    found = ADDED_IN.search(globals()[name].__doc__ or "")
    if found is None:
        major, minor = HOOK_API_VERSION.split(".")
        return int(major), int(minor)
    return int(found.group(1)), int(found.group(2))


def hooks_of(*statuses: HookStatus) -> frozenset[str]:
    """The hooks declaring one of ``statuses``."""
    return frozenset(name for name in spec_names() if status_of(name) in statuses)


# --- country identity and branding ------------------------------------------------
@hookspec(firstresult=True)
@status(REQUIRED)
def partage_country_identity() -> CountryIdentity:
    """Say who the country is: code, name, currency, locale, languages, legal form.

    Returns a :class:`~partage.core.contract.CountryIdentity`. Required. Stops at the
    first non-None result. Added in 1.0.

    Used by: the runtime's configuration check (:mod:`partage.core.platform.runtime`:
    the instance's currency must be the country's), expense claims
    (:mod:`partage.core.spending.expenses`: the home country of a purchase) and the
    instance's set-up (:mod:`partage.core.members.instance`).
    """


@hookspec(firstresult=True)
@status(REQUIRED)
def partage_country_brand() -> Brand:
    """Give the brand as this country shows it, with the invoice's legal mentions.

    Returns a :class:`~partage.core.contract.Brand`; the logo path is relative to the
    plugin package. Required. Stops at the first non-None result. Added in 1.0.

    Used by: document rendering (:mod:`partage.core.documents.pdf`;
    :mod:`partage.core.documents.build` fills the invoice's legal mentions) and the web
    UI's look (:mod:`partage.core.web.site`).
    """


@hookspec(firstresult=True)
@status(OPTIONAL)
def partage_public_holidays(year: int) -> frozenset[date]:
    """List the country's public holidays of one year.

    :param year: the calendar year.

    Returns the dates as a ``frozenset``, those falling on a weekend included. Optional:
    without an answer the country has no working-days calendar, and asking for one is
    refused naming this hook. Stops at the first non-None result. Added in 1.0.

    Used by: the working-days calendar (:mod:`partage.core.acts.working_days`) of
    payroll months, which ``partage payroll calendar`` shows.
    """


@hookspec(firstresult=True)
@status(REQUIRED)
def partage_format_amount(amount: Decimal, locale: str) -> str:
    """Format an amount of the instance currency for people in a locale.

    :param amount: the amount, already rounded to the minor unit.
    :param locale: a CLDR locale among the country's languages (``"nl_BE"``).

    Returns the text, currency sign included. Required. Stops at the first non-None
    result. Added in 1.0.

    Used by: documents (:class:`partage.core.documents.pdf.Formats`) and the web UI
    (:mod:`partage.core.web.pages`).
    """


@hookspec(firstresult=True)
@status(OPTIONAL)
def partage_payment_term_cap(on: date) -> int:
    """Give the longest payment term the country's law allows between businesses.

    :param on: the date of the invoice whose term is asked (the law in force then).

    Returns a number of days after the invoice's date (France: 60, C. com. art.
    L441-10; Belgium: 60, loi du 2 août 2002, art. 4), read from the country's dated
    parameters with their legal source. Optional: without an answer the instance's own
    ``max_payment_term_days`` is the only limit. Stops at the first non-None result.
    Added in 2.1.

    Used by: every act with a due date, through the longest term the instance allows
    (:class:`partage.core.acts.cooperative.Cooperative`, ``payment_term_days``), which
    is the shorter of this cap and the instance's setting.
    """


@hookspec(firstresult=True)
@status(OPTIONAL)
def partage_late_payment_charges(claim: LateClaim) -> LateCharges:
    """Price a late payment: the interest and the fixed compensation (business) or
    capped damages (consumer) the country's law allows on a reminder.

    :param claim: what is owed, since which due date, as of which day, whether the
        client is a business, and when the first reminder was sent.

    Returns a :class:`~partage.core.contract.late_payment.LateCharges` in the claim's
    currency: interest per day at the rates in force each day (use
    :func:`~partage.core.contract.late_payment.daily_interest`), the compensation, the
    legal sources, and the first day charges may be claimed (``None`` while a consumer
    rule allows none yet), all read from the country's dated parameters. Optional:
    without an answer reminders claim nothing beyond the invoice. Stops at the first
    non-None result. Added in 2.5.

    Used by: the reminders of late payers, when one is prepared, shown and sent
    (:func:`partage.core.documents.reminders.charges_for`).
    """


@hookspec(firstresult=True)
@status(OPTIONAL)
def partage_retention_periods(on: date) -> RetentionPeriods:
    """Give how long the country's law makes the cooperative keep its records.

    :param on: the day the question is asked (an export's or an erasure's day): the law
        in force then.

    Returns a :class:`~partage.core.contract.retention.RetentionPeriods`: whole years
    after the end of a record's fiscal year, for accounting records (posted entries,
    issued and received invoices: the longer of accounting and tax law) and for payroll
    records (payslips), each with its legal source, read from the country's dated
    parameters. Optional: without an answer a person's data can be exported but not
    erased, the erasure refused naming this hook, since the core cannot tell which
    records the law still requires. Stops at the first non-None result. Added in 2.2.

    Used by: the personal-data service (:mod:`partage.core.privacy.records`), for each
    export and erasure, to say which records are kept (GDPR art. 17(3)(b)) and until
    when.
    """


# --- identifiers ----------------------------------------------------------------
@hookspec(firstresult=True)
@status(REQUIRED)
def partage_validate_identifier(kind: IdentifierKind, value: str) -> IdentifierCheck:
    """Validate a VAT, company or personal number, or an IBAN.

    :param kind: which identifier ``value`` claims to be.
    :param value: as typed by a person (spaces and separators allowed).

    Returns an :class:`~partage.core.contract.IdentifierCheck`: normalized when valid,
    naming the failed check when not. Required. Stops at the first non-None result.
    Added in 1.0.

    Used by: member admission and parties
    (:func:`partage.core.members.checks.validated`: national numbers, IBANs, VAT and
    company numbers) and the issuer's own numbers when an instance starts
    (:func:`partage.core.platform.issuer.checked_issuer`).
    """


@hookspec(firstresult=True)
@status(OPTIONAL)
def partage_sample_data() -> SampleData:
    """Give what a simulated month needs to invent the country's people and companies.

    Returns a :class:`~partage.core.contract.SampleData`: the worker categories the
    simulated contracts use and generators of national numbers, VAT numbers and IBANs
    that the country's own ``partage_validate_identifier`` accepts, each drawing from
    the ``random.Random`` it is given (same seed, same numbers), and the price level by
    which the simulation scales the amounts it invents in euros (1 unless the country's
    currency is worth much more or less than a euro). Optional: without an answer the
    country runs normally, only its simulated month is refused. Stops at the first
    non-None result. Added in 1.1.

    Used by: the simulated month (:mod:`partage.core.demo.month`) behind ``partage
    demo`` and the month benchmark; the web's quick job (:mod:`partage.core.web.site`),
    for its worker categories.
    """


# --- tax ------------------------------------------------------------------------
@hookspec(firstresult=True)
@status(REQUIRED)
def partage_vat_rates(on: date) -> Sequence[VatRate]:
    """List the VAT rates in force on a date.

    :param on: the day asked about.

    Returns every rate in force that day, standard rate first, each with the date it
    started. Required. Stops at the first non-None result. Added in 1.0.

    Used by: expense claims (:mod:`partage.core.spending.expenses`), which find the rate
    a receipt's VAT implies; the import of received e-invoices
    (:mod:`partage.core.documents.importing`); the simulated month
    (:mod:`partage.core.demo.month`).
    """


@hookspec(firstresult=True)
@status(REQUIRED)
def partage_vat_treatment(line: VatLineContext) -> VatTreatment:
    """Decide the VAT of one sale or purchase line.

    :param line: the facts of the line (direction, date, rate chosen, counterpart).

    Returns a :class:`~partage.core.contract.VatTreatment` with the rate and the legal
    mention to print. Required. Stops at the first non-None result. Added in 1.0.

    Used by: invoices and credit notes (:mod:`partage.core.sales.invoices`), purchases
    and supplier credit notes (:mod:`partage.core.spending.purchases`) when each line is
    recorded; expense claims (a domestic purchase); the franchise fee (a service bought
    from the franchisor).
    """


@hookspec(firstresult=True)
@status(OPTIONAL)
def partage_vat_return(period: Period, movements: Sequence[VatMovement]) -> Sequence[ReturnBox]:
    """Fill the periodic VAT return from posted VAT movements.

    :param period: the return's period.
    :param movements: base and VAT per VAT code and direction, summed from the books.

    Returns the boxes of the national form (BE grids, FR CA3 lines) with amounts.
    Optional: without an answer the VAT return is refused, naming the country. Stops at
    the first non-None result. Added in 1.0.

    Used by: the declarations service
    (:func:`partage.core.declarations.returns.vat_return`) at each VAT period end.
    """


@hookspec(firstresult=True)
@status(OPTIONAL)
def partage_vat_due_at_payment(vat_code: str) -> bool:
    """Say whether the VAT of a sale of this code is due when the client pays rather
    than at the invoice (the chargeable event and the moment VAT becomes due, in the
    country's law: France's services, CGI art. 269-2-c, unless the instance opted for
    the débits; Belgium's VAT is due at the invoice or an earlier payment, Code TVA
    art. 22 § 1 and 22bis, so never later).

    :param vat_code: a code the country's ``partage_vat_treatment`` gave a sale line.

    Returns ``True`` when the return declares the code's base and VAT in the periods the
    client pays, in proportion to each payment. Optional: without an answer VAT is due
    at the invoice. Stops at the first non-None result. Added in 2.6.

    Used by: the VAT return (:func:`partage.core.declarations.returns.vat_return`).
    """


# --- accounting -----------------------------------------------------------------
@hookspec(firstresult=True)
@status(REQUIRED)
def partage_chart_of_accounts() -> ChartOfAccounts:
    """Give the national chart of accounts and the account of each posting role.

    Returns a :class:`~partage.core.contract.ChartOfAccounts` mapping every
    :class:`~partage.core.contract.PostingRole`. Required. Stops at the first non-None
    result. Added in 1.0.

    Used by: the set-up of an instance's books (:mod:`partage.core.members.instance`), which
    loads the chart and the roles into the ledger; acts then post by role through the
    roles stored.
    """


# --- payroll --------------------------------------------------------------------
@hookspec(firstresult=True)
@status(REQUIRED)
def partage_payslip(contract: EmploymentContract, period: Period) -> Payslip:
    """Compute the payslip of a contract for a period, with the law in force then.

    :param contract: the employment contract's terms.
    :param period: the month paid.

    Returns a :class:`~partage.core.contract.Payslip`: gross, every contribution line
    (base, rate, amount), withholding, net and employer cost, rounded to the minor unit.
    Required. Stops at the first non-None result. Added in 1.0.

    Used by: payroll runs, hiring and the budget simulator through
    :func:`partage.core.payroll.service.compute_payslip`; the payslip simulator
    (:mod:`partage.core.cli.payroll`).
    """


@hookspec(firstresult=True)
@status(REQUIRED)
def partage_gross_for_employer_cost(
    contract: EmploymentContract, period: Period, employer_cost: Decimal
) -> Decimal:
    """Find the gross salary whose employer cost is the given budget (the inverse).

    :param contract: the contract's terms (category, part time).
    :param period: the month paid.
    :param employer_cost: the budget the entity spends on this salary.

    Returns the largest gross, to the minor unit, whose payslip's employer cost does not
    exceed ``employer_cost``. Required. Stops at the first non-None result. Added in
    1.0.

    Used by: the payslip simulator's ``--employer-cost``
    (:mod:`partage.core.cli.payroll`). The budget simulator searches over
    ``partage_payslip`` itself, because the insurance premiums it adds are no
    contribution.
    """


@hookspec(firstresult=True)
@status(OPTIONAL)
def partage_contract_end_cost(contract: EmploymentContract, gross: Decimal) -> Decimal:
    """What ending a contract costs the employer beyond its payslips.

    :param contract: the contract's terms (its category, start and end).
    :param gross: the gross the contract pays up to its end.

    Returns the employer's cost when the contract ends, rounded to the minor unit: the
    pay the law owes at the end (Belgium: a white-collar employee's exit holiday pay,
    with the contributions due on it) and the notice where one is due. ``Decimal(0)``
    when the end costs nothing more. Optional: without an answer the end is taken to
    cost nothing. Stops at the first non-None result. Added in 2.3.

    Used by: hiring (:func:`partage.core.payroll.service.hire`), whose reservation
    holds the end's cost with the months' employer cost, and the budget simulator and
    the quick job (:mod:`partage.core.payroll.budget`), which buy the gross whose
    employer cost, premiums and end cost the budget pays.
    """


@hookspec(firstresult=True)
@status(OPTIONAL)
def partage_social_declaration(period: Period, totals: PayrollTotals) -> Sequence[ReturnBox]:
    """Fill the social declaration's boxes from a month's payroll totals.

    :param period: the declared month.
    :param totals: the month's payslips summed by the core: how many payslips and
        workers, the wage totals, and one
        :class:`~partage.core.contract.ContributionTotal` per contribution code (base,
        employee and employer amounts, workers concerned).

    Returns the boxes of the national declaration (BE DmfA, FR DSN totals) with amounts.
    Optional: without an answer the social summary is refused, naming the country. Stops
    at the first non-None result. Added in 1.0; changed in 2.0: it receives the totals
    the core sums, no longer the payslips.

    Used by: the monthly social summary
    (:func:`partage.core.declarations.returns.social_summary`) behind ``partage
    declarations social``.
    """


@hookspec(firstresult=True)
@status(OPTIONAL)
def partage_copyright_taxation(
    amount: Decimal, on: date, earlier_this_year: Decimal
) -> CopyrightTaxation:
    """Tax a copyright cession or licence under the country's regime, if it has one.

    :param amount: the gross copyright income of this cession, in the instance currency.
    :param on: the date of the cession (the law in force then applies).
    :param earlier_this_year: the author's copyright income already received this
        calendar year, so that yearly brackets of flat-rate costs apply to the right slice.

    Returns a :class:`~partage.core.contract.CopyrightTaxation`, or ``None`` where the
    country has no specific regime. Optional: without an answer the cession is ordinary
    income. Stops at the first non-None result. Added in 1.0.

    Used by: the copyright-cession act (:mod:`partage.core.spending.copyright`), before
    it posts the withholding.
    """


# --- insurance ------------------------------------------------------------------
@hookspec(firstresult=True)
@status(REQUIRED)
def partage_insurance_policies(on: date) -> Sequence[InsurancePolicy]:
    """List the insurance policies mutualised for workers on a date.

    :param on: the day asked about.

    Returns the policies with their premium rule. Required. Stops at the first non-None
    result. Added in 1.0.

    Used by: payroll runs (:mod:`partage.core.payroll.service`), which post the premiums
    with the salaries, and the budget simulator.
    """


# --- sector plugins -------------------------------------------------------------
@hookspec
@status(SECTOR)
def partage_validate_act(act: ActContext) -> Refusal | None:
    """Accept or refuse an economic act under a sector's rules.

    :param act: the act about to be recorded.

    Returns ``None`` to accept, or a :class:`~partage.core.contract.Refusal` naming the
    rule. Every enabled sector answers; any refusal stops the act. Added in 1.0.

    Used by: every economic act of an entity whose office enabled the sector
    (:func:`partage.core.sectors.rules.check_act`), before anything is written.
    """


@hookspec
@status(SECTOR)
def partage_expense_categories() -> Sequence[ExpenseCategory]:
    """Add the sector's expense categories.

    Returns the categories; every enabled sector answers and the lists are joined.
    Added in 1.0.

    Used by: expense claims (:mod:`partage.core.spending.expenses`) of entities whose
    office enabled the sector.
    """


@hookspec(warn_on_impl=_deprecation("partage_payslip_extra_lines"))
@status(SECTOR)
def partage_payslip_extra_lines(
    contract: EmploymentContract, period: Period, payslip: Payslip
) -> Sequence[PayslipLine]:
    """Add the sector's lines to a payslip the country computed (deprecated).

    :param contract: the contract paid.
    :param period: the month paid.
    :param payslip: the country's payslip before sector lines.

    Returns extra lines (possibly none). Every enabled sector answers. Added in 1.0;
    deprecated in 2.0, removed in 3.0: a line added after the country's computation
    cannot raise the gross on which contributions and withholding are computed; a sector
    guaranteeing hours answers ``partage_paid_hours`` instead. An implementation warns
    (:class:`~partage.core.contract.hook_status.HookDeprecationWarning`) when registered.

    Used by: payroll (:func:`partage.core.payroll.service.compute_payslip`) for entities
    whose office enabled the sector.
    """


@hookspec
@status(SECTOR)
def partage_review_questions() -> Sequence[ReviewQuestion]:
    """Add the sector's questions to the membership review.

    Returns the questions; every enabled sector answers. Added in 1.0.

    Used by: the membership review
    (:func:`partage.core.members.review.review_questions`) when an application names the
    sector's trade.
    """


@hookspec
@status(SECTOR)
def partage_paid_hours(contract: EmploymentContract, period: Period) -> Decimal | None:
    """Say how many hours a sector's rule pays for an hourly contract, at least.

    :param contract: the contract paid, with the hours worked in ``contract.hours``.
    :param period: the month paid.

    Returns the hours to pay when the sector guarantees more than were worked (a
    courier's minimum shift), or ``None``. Every sector in force answers; the core pays
    the largest of the answers and the hours worked, and the country computes the
    payslip on that. Added in 1.1 (a payslip line cannot raise the gross, on which
    contributions and withholding are computed).

    Used by: payroll (:func:`partage.core.sectors.rules.paid_terms`, called by
    ``compute_payslip``) before it asks the country for the payslip.
    """


@hookspec
@status(SECTOR)
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
@status(SECTOR)
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
@status(DEFAULTED)
def partage_document_templates() -> str:
    """Give the folder of the country's document words.

    Returns the absolute path of a folder holding a ``labels.toml`` (words per
    language, among them ``identity``, the issuer's legal line at each page's foot); a
    word missing there falls back to the core's own. The layout is the core's: an
    ``invoice.html`` in the folder is not read. Defaulted: the
    core's default plugin answers with the core's folder
    (:data:`~partage.core.contract.documents.DOCUMENT_TEMPLATES`). Stops at the first
    non-None result. Added in 1.1.

    Used by: PDF rendering of invoices, credit notes and quotes
    (:mod:`partage.core.documents.pdf`).
    """


@hookspec(firstresult=True)
@status(DEFAULTED)
def partage_payment_reference(invoice_id: int, number: str) -> str:
    """Give the structured reference a client quotes when paying an invoice.

    :param invoice_id: the invoice's database id, unique in the instance.
    :param number: its printed number (``"F2026-000123"``).

    Returns the reference as printed (Belgium: ``+++123/4567/89012+++``). Defaulted:
    the core's default plugin answers with an ISO 11649 ``RF`` creditor reference. Stops
    at the first non-None result. Added in 1.1.

    Used by: invoice documents (payment instructions,
    :mod:`partage.core.documents.build`) and bank-statement matching
    (:mod:`partage.core.banking.statements`), which recognises the reference in incoming
    transfers, both through :func:`partage.core.sales.references.payment_reference`.
    """


@hookspec(firstresult=True)
@status(DEFAULTED)
def partage_einvoice_vat_category(vat_code: str, kind: VatTreatmentKind, rate: Decimal) -> str:
    """Map one of the country's VAT codes to its EN 16931 VAT category (UNCL 5305).

    :param vat_code: the code the country's VAT treatment gave the line.
    :param kind: the treatment's kind (domestic, reverse charge, export, exempt).
    :param rate: the line's rate, a fraction.

    Returns ``S``, ``Z``, ``E``, ``AE``, ``K``, ``G`` or ``O``. Defaulted: the core's
    default plugin maps by kind and rate. Stops at the first non-None result. Added in
    1.1.

    Used by: the document model that every invoice format is built from
    (:func:`partage.core.documents.build.vat_category`).
    """


@hookspec(firstresult=True)
@status(OPTIONAL)
def partage_einvoice(document: InvoiceDocument, pdf: bytes) -> EInvoice:
    """Produce the country's structured e-invoice of an issued invoice or credit note.

    :param document: the document's facts (the neutral model).
    :param pdf: the document's PDF as issued, for formats that carry it (Factur-X).

    Returns an :class:`~partage.core.contract.EInvoice` (Belgium: Peppol BIS Billing 3.0
    UBL; France: Factur-X EN 16931 PDF/A-3). A document the format's rules refuse raises
    an error naming the rule. Optional: without an answer the e-invoice is refused; the
    PDF is the invoice. Stops at the first non-None result. Added in 1.1.

    Used by: the document service (:mod:`partage.core.documents.service`) when an
    invoice's e-invoice is first asked for; the result is stored with the invoice and
    never changes.
    """


@hookspec(firstresult=True)
@status(OPTIONAL)
def partage_einvoicing_rules(on: date, company_size: str) -> EInvoicingRules:
    """Give the e-invoicing obligations the country's law sets on a date.

    :param on: the date of the invoice (the law in force then).
    :param company_size: the cooperative's size as the instance declares it, one of
        :data:`~partage.core.contract.einvoicing.COMPANY_SIZES` (France phases issuing
        by size; Belgium does not).

    Returns an :class:`~partage.core.contract.EInvoicingRules`: the network invoices
    to domestic businesses travel on (Belgium: Peppol, mandatory from 1 January 2026;
    France: an approved platform, receiving from 1 September 2026 and issuing from 1
    September 2026 or 2027 by size), whether issuing and receiving are mandatory, and
    whether consumer and cross-border sales are e-reported, read from the country's
    dated parameters with their legal source. Optional: without an answer invoices go
    by email, as PDFs. Stops at the first non-None result. Added in 2.4.

    Used by: the transmission service (:mod:`partage.core.documents.transmission.routing`)
    when it decides how an issued invoice leaves.
    """


@hookspec(firstresult=True)
@status(DEFAULTED)
def partage_parse_bank_statement(content: bytes, filename: str) -> Sequence[BankStatement] | None:
    """Read a bank statement file in a national format (Belgium: CODA).

    :param content: the file's bytes.
    :param filename: its name, as a hint of the format.

    Returns the file's statements (:class:`~partage.core.contract.BankStatement`), or
    ``None`` when the file is not in the country's format. Defaulted: the core's default
    plugin reads every file no country claims as ISO 20022 camt.053. A file in the
    format but malformed raises an error naming the record. Stops at the first non-None
    result. Added in 1.1.

    Used by: bank-statement import (:mod:`partage.core.banking.statements`).
    """


@hookspec(firstresult=True)
@status(OPTIONAL)
def partage_hire_declaration(declaration: HireDeclaration) -> DeclarationFile:
    """Produce the declaration of a hire the State requires before work starts.

    :param declaration: the employer, the worker and the contract's term.

    Returns the file (Belgium: Dimona IN; France: DPAE). A declaration made too late
    raises an error naming the rule. Optional: without an answer hires are made with no
    declaration file. Stops at the first non-None result. Added in 1.1.

    Used by: hiring (:func:`partage.core.payroll.service.hire` through
    :func:`partage.core.payroll.declarations.declare_hire`), in the hire's own
    transaction, when the instance has its issuer facts.
    """


@hookspec(firstresult=True)
@status(OPTIONAL)
def partage_period_declaration(declaration: PeriodDeclaration) -> DeclarationFile:
    """Produce the periodic social declaration's totals from the period's payslips.

    :param declaration: the employer, the period and each worker's summed pay.

    Returns the file (Belgium: quarterly DmfA; France: monthly DSN). A period of the
    wrong length raises an error naming the rule. Optional: without an answer the
    periodic declaration is refused, naming the country. Stops at the first non-None
    result. Added in 1.1.

    Used by: the employment-declarations service
    (:func:`partage.core.payroll.declarations.declare_period`) at each period end.
    """


@hookspec(firstresult=True)
@status(OPTIONAL)
def partage_sales_listing(listing: SalesListing) -> DeclarationFile:
    """Write a listing of clients the country's VAT law requires.

    :param listing: its kind (``"customers"``: the annual listing of VAT-registered
        customers; ``"eu_sales"``: the recapitulative statement of intra-EU supplies),
        the cooperative, the period and every client's sales of it per VAT code.

    Returns the file in the administration's format (Belgium: Intervat
    ``ClientListingConsignment`` and ``IntraConsignment``; France: the état
    récapitulatif as CSV), the country choosing the clients and codes it lists and
    applying its thresholds; ``None`` when the country has no such listing. A period
    the listing cannot cover raises an error naming the rule. Optional: without an
    answer the listing is refused, naming the country. Stops at the first non-None
    result. Added in 2.6.

    Used by: :func:`partage.core.declarations.listings.sales_listing` (``partage
    declarations listing|eu-sales``, the administrators' declarations page).
    """


@hookspec(firstresult=True)
@status(OPTIONAL)
def partage_vat_return_file(filing: VatReturnFiling) -> DeclarationFile:
    """Write the periodic VAT return in the administration's electronic format.

    :param filing: the cooperative, the period and the boxes ``partage_vat_return``
        filled.

    Returns the file (Belgium: Intervat ``VATConsignment``); ``None`` when the country
    files its return otherwise. Optional: without an answer the file is refused,
    naming the country. Stops at the first non-None result. Added in 2.6.

    Used by: :func:`partage.core.declarations.listings.vat_return_file` (``partage
    declarations vat-xml``, the administrators' VAT page).
    """
