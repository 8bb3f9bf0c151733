"""Value types that cross the plugin boundary.

A country or sector plugin imports only this module, :mod:`partage.core.hookspecs`,
:mod:`partage.core.money` and :mod:`partage.core.parameters` — never the database
models or services — so that a core upgrade cannot break a franchisee's plugin
silently. Every type is a frozen dataclass: hooks take narrow, typed, immutable inputs
and return one declared type. Amounts are ``Decimal`` in the instance currency, rates
are ``Decimal`` fractions (``Decimal("0.21")`` for 21 %).
"""

from __future__ import annotations

import enum
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from types import MappingProxyType

# Documents and exchanges (added in 1.1): the neutral invoice model, statements and
# declarations live with the services that use them and are part of this contract.
from partage.core.banking.model import BankStatement as BankStatement
from partage.core.banking.model import BankTransaction as BankTransaction
from partage.core.documents.model import Address as Address
from partage.core.documents.model import DeclarationFile as DeclarationFile
from partage.core.documents.model import DeclaredPay as DeclaredPay
from partage.core.documents.model import DocumentLine as DocumentLine
from partage.core.documents.model import DocumentParty as DocumentParty
from partage.core.documents.model import EInvoice as EInvoice
from partage.core.documents.model import Employer as Employer
from partage.core.documents.model import HireDeclaration as HireDeclaration
from partage.core.documents.model import InvoiceDocument as InvoiceDocument
from partage.core.documents.model import PaymentInstructions as PaymentInstructions
from partage.core.documents.model import PeriodDeclaration as PeriodDeclaration
from partage.core.documents.model import VatBreakdown as VatBreakdown
from partage.core.documents.model import Worker as Worker
from partage.core.errors import PluginError


# --- identity and branding -------------------------------------------------------
@dataclass(frozen=True)
class CountryIdentity:
    """Who a country plugin is.

    Attributes:
        code: ISO 3166-1 alpha-2 code, lower case (``"be"``); also its entry point name.
        name: the country's name in English.
        currency: ISO 4217 code of the books (``"EUR"``).
        default_locale: CLDR locale for formatting (``"fr_BE"``).
        languages: ISO 639-1 codes of the languages documents may be issued in.
        legal_form: the cooperative's legal form in that country (``"SC"``, ``"SCOP SA"``).
    """

    code: str
    name: str
    currency: str
    default_locale: str
    languages: tuple[str, ...]
    legal_form: str


@dataclass(frozen=True)
class Brand:
    """The brand as a country shows it.

    Attributes:
        name: trading name printed on documents.
        primary_colour: ``#rrggbb``.
        secondary_colour: ``#rrggbb``.
        logo: path of the logo file, relative to the plugin package.
        invoice_legal_mentions: mentions every invoice must carry in that country.
    """

    name: str
    primary_colour: str
    secondary_colour: str
    logo: str
    invoice_legal_mentions: tuple[str, ...]


class IdentifierKind(enum.StrEnum):
    """Kinds of identifiers a country plugin validates."""

    VAT = "vat"
    COMPANY = "company"
    PERSON = "person"
    IBAN = "iban"


@dataclass(frozen=True)
class IdentifierCheck:
    """Outcome of validating one identifier.

    Attributes:
        valid: whether every check passed.
        normalized: the compact canonical form when valid.
        failed_check: when invalid, which check failed, in words
            (``"checksum digits do not match"``, ``"length must be 10 digits"``).
    """

    valid: bool
    normalized: str | None = None
    failed_check: str | None = None


@dataclass(frozen=True)
class SampleData:
    """What a simulated month needs from the country to invent people and companies.

    The simulation (``partage demo``, the month benchmark) goes through the same acts as
    real work, so every number it invents must pass the country's own checks; only the
    country knows how to compute them. Each generator takes the simulation's seeded
    ``random.Random`` and draws from it alone, so that the same seed gives the same month.

    Attributes:
        worker_categories: categories the country's payroll pays; the first is the one
            simulated contracts use unless ``category_by_kind`` says otherwise.
        person_number: ``(rng) -> str``, a valid national number of a person.
        vat_number: ``(rng) -> str``, a valid VAT number of a company of the country.
        iban: ``(rng) -> str``, an IBAN the country accepts for a member's account.
        category_by_kind: the category of the holder of an entity of some kind (the
            :class:`~partage.core.members.models.EntityKind` value, ``"maker"``), each
            one of ``worker_categories``.
        price_level: how many units of the books' currency buy what one euro buys,
            roughly (``Decimal(150)`` for Icelandic krónur); the simulation invents its
            prices, pay rates and salaries in euros and scales every amount by it, so
            that a month in krónur or yen looks like one. Not a number set by law nor an
            exchange rate to keep up to date: the plugin's economic scale for invented
            data, for which a round figure is right.
    """

    worker_categories: tuple[str, ...]
    person_number: Callable[[random.Random], str]
    vat_number: Callable[[random.Random], str]
    iban: Callable[[random.Random], str]
    category_by_kind: Mapping[str, str] = field(default_factory=dict)
    price_level: Decimal = Decimal(1)

    def __post_init__(self) -> None:
        if not self.worker_categories:
            raise PluginError("sample data: worker_categories: at least one category is required")
        level = self.price_level
        if not isinstance(level, Decimal) or not level.is_finite() or level <= 0:
            raise PluginError(
                f"sample data: price_level: {level!r} must be a positive Decimal, the units of "
                "the currency that buy what one euro buys (Decimal(1) for the euro)"
            )
        unknown = sorted(set(self.category_by_kind.values()) - set(self.worker_categories))
        if unknown:
            raise PluginError(
                f"sample data: category_by_kind: {', '.join(unknown)} not among worker_categories"
            )
        object.__setattr__(self, "category_by_kind", MappingProxyType(dict(self.category_by_kind)))

    def category_for(self, kind: str) -> str:
        """The worker category of the holder of an entity of ``kind``."""
        return self.category_by_kind.get(kind, self.worker_categories[0])


#: The smallest monthly gross a simulated month hires a member at, in euros; like every
#: amount the simulation invents, it is scaled by :attr:`SampleData.price_level`. A
#: country's usual full-time gross below it means the price level is set too high.
SIMULATED_MINIMUM_MONTHLY_GROSS = Decimal(600)


# --- tax ------------------------------------------------------------------------
@dataclass(frozen=True)
class VatRate:
    """A VAT rate in force.

    Attributes:
        code: the plugin's rate code (``"standard"``, ``"reduced"``, ``"zero"``).
        rate: a fraction, ``Decimal("0.21")``.
        in_force_from: the first day it applies.
        label: the rate as printed (``"21 %"``).
    """

    code: str
    rate: Decimal
    in_force_from: date
    label: str


class VatTreatmentKind(enum.StrEnum):
    """How VAT applies to one line."""

    DOMESTIC = "domestic"
    INTRA_EU_REVERSE_CHARGE = "intra_eu_reverse_charge"
    EXPORT = "export"
    EXEMPT = "exempt"


@dataclass(frozen=True)
class VatLineContext:
    """What the core knows about a sale or purchase line when asking for its VAT.

    Attributes:
        direction: ``"sale"`` or ``"purchase"``.
        on: the tax point (invoice date).
        rate_code: the rate the member chose (``"standard"``...), or ``None`` for the
            country's standard rate.
        supply: ``"services"`` or ``"goods"``.
        counterpart_country: ISO alpha-2 code (upper case) of the client or supplier.
        counterpart_vat_number: their VAT number when they are a taxable business.
        exemption: the plugin's exemption code the member chose, if any.
    """

    direction: str
    on: date
    rate_code: str | None
    supply: str
    counterpart_country: str
    counterpart_vat_number: str | None = None
    exemption: str | None = None


@dataclass(frozen=True)
class VatTreatment:
    """The VAT a line carries.

    Attributes:
        kind: domestic, reverse charge, export or exempt.
        vat_code: the code stored on journal lines and used by the VAT return.
        rate: the fraction charged on the line (zero unless domestic).
        legal_mention: the text the invoice must print for this treatment, if any.
    """

    kind: VatTreatmentKind
    vat_code: str
    rate: Decimal
    legal_mention: str | None = None


@dataclass(frozen=True)
class VatMovement:
    """Posted VAT-relevant amounts for one VAT code, summed over a period.

    Attributes:
        vat_code: as returned in :class:`VatTreatment`.
        direction: ``"sale"`` or ``"purchase"``.
        base: taxable base, positive for sales and purchases, negative for credit notes.
        vat: VAT amount with the same sign convention.
    """

    vat_code: str
    direction: str
    base: Decimal
    vat: Decimal


@dataclass(frozen=True)
class ReturnBox:
    """One box (grid, line) of a periodic return.

    Attributes:
        box: the official box number or line code (``"03"``, ``"A1"``).
        label: what the box holds.
        amount: in the instance currency.
    """

    box: str
    label: str
    amount: Decimal


# --- accounting -----------------------------------------------------------------
class AccountType(enum.StrEnum):
    """The five kinds of accounts of double-entry books."""

    ASSET = "asset"
    LIABILITY = "liability"
    EQUITY = "equity"
    INCOME = "income"
    EXPENSE = "expense"


class PostingRole(enum.StrEnum):
    """What the core posts, independent of any national chart of accounts.

    A country plugin maps every role to one of its accounts; the core never names an
    account number itself.
    """

    BANK = "bank"
    CLIENTS = "clients"
    SUPPLIERS = "suppliers"
    SALES = "sales"
    PURCHASES = "purchases"
    VAT_COLLECTED = "vat_collected"
    VAT_DEDUCTIBLE = "vat_deductible"
    MANAGEMENT_FEE_INCOME = "management_fee_income"
    MANAGEMENT_FEE_EXPENSE = "management_fee_expense"
    SALARIES = "salaries"
    EMPLOYER_CONTRIBUTIONS = "employer_contributions"
    SOCIAL_CONTRIBUTIONS_PAYABLE = "social_contributions_payable"
    WITHHOLDING_PAYABLE = "withholding_payable"
    NET_PAY_PAYABLE = "net_pay_payable"
    MEMBER_CAPITAL = "member_capital"
    ENTITY_CURRENT_ACCOUNT = "entity_current_account"
    RESERVE = "reserve"
    RESULT_OF_THE_YEAR = "result_of_the_year"
    GUARANTEE_FUND = "guarantee_fund"
    GUARANTEE_FUND_ALLOCATION = "guarantee_fund_allocation"
    BAD_DEBTS = "bad_debts"
    EXPENSES = "expenses"
    OTHER_INCOME = "other_income"
    INSURANCE_PREMIUMS = "insurance_premiums"
    CASH = "cash"
    MEMBERS_PAYABLE = "members_payable"
    COPYRIGHT_FEES = "copyright_fees"
    FRANCHISE_FEE = "franchise_fee"


@dataclass(frozen=True)
class ChartAccount:
    """One account of a national chart.

    Attributes:
        code: the account number (``"700000"``, ``"706"``).
        name: its title in the chart's language.
        type: asset, liability, equity, income or expense.
        parent: the code of the enclosing account, ``None`` at the top.
    """

    code: str
    name: str
    type: AccountType
    parent: str | None = None


@dataclass(frozen=True)
class ChartOfAccounts:
    """A national chart and the account each posting role goes to.

    Attributes:
        name: the chart's name (``"PCMN"``, ``"PCG"``).
        accounts: every account, parents before children.
        roles: ``(role, account code)`` pairs, one per :class:`PostingRole`.
    """

    name: str
    accounts: tuple[ChartAccount, ...]
    roles: tuple[tuple[PostingRole, str], ...]

    def account_for(self, role: PostingRole) -> str:
        """The account code a role posts to; ``KeyError`` if the chart lacks it."""
        for candidate, code in self.roles:
            if candidate is role:
                return code
        raise KeyError(role)


# --- payroll --------------------------------------------------------------------
@dataclass(frozen=True)
class Period:
    """A closed date interval, usually a calendar month.

    Attributes:
        start: first day.
        end: last day (inclusive).
    """

    start: date
    end: date


@dataclass(frozen=True)
class EmploymentContract:
    """What payroll needs to know of an employment contract.

    Attributes:
        worker_category: the plugin's category code (``"employee"``, ``"artist"``...).
        monthly_gross: agreed monthly gross for a full-time month, or ``None`` when paid
            by the hour.
        hourly_rate: gross per hour when paid by the hour.
        hours: hours worked in the period (hourly contracts).
        part_time: fraction of full time (``Decimal("0.5")``), 1 for full time.
        start: first day of the contract.
        end: last day, ``None`` when open-ended.
        tax_situation: the household situation withholding depends on, as the
            country plugin's code (``"single"``, ``"married_one_income"``...).
        dependent_children: children dependent on the worker for withholding.
    """

    worker_category: str
    start: date
    monthly_gross: Decimal | None = None
    hourly_rate: Decimal | None = None
    hours: Decimal | None = None
    part_time: Decimal = Decimal(1)
    end: date | None = None
    tax_situation: str = "single"
    dependent_children: int = 0


@dataclass(frozen=True)
class PayslipLine:
    """One contribution (or withholding) line of a payslip.

    Attributes:
        code: stable code of the contribution (``"onss_employee"``).
        label: what the payslip prints.
        payer: ``"employee"`` or ``"employer"``.
        base: the amount the rate applies to.
        rate: the fraction applied (``None`` for a flat amount).
        amount: the amount, rounded to the currency's minor unit.
    """

    code: str
    label: str
    payer: str
    base: Decimal
    rate: Decimal | None
    amount: Decimal


@dataclass(frozen=True)
class Payslip:
    """A computed payslip; totals are derived from the lines by the plugin.

    Attributes:
        period: the month paid.
        gross: gross salary.
        lines: every employee and employer contribution line.
        withholding: income tax withheld at source.
        net: what the worker receives.
        employer_cost: gross plus employer contributions.
    """

    period: Period
    gross: Decimal
    lines: tuple[PayslipLine, ...]
    withholding: Decimal
    net: Decimal
    employer_cost: Decimal

    @property
    def employee_contributions(self) -> Decimal:
        """Sum of the employee's contribution lines."""
        return sum((line.amount for line in self.lines if line.payer == "employee"), Decimal(0))

    @property
    def employer_contributions(self) -> Decimal:
        """Sum of the employer's contribution lines."""
        return sum((line.amount for line in self.lines if line.payer == "employer"), Decimal(0))


@dataclass(frozen=True)
class CopyrightTaxation:
    """How a copyright cession or licence is taxed where the country has a regime.

    Attributes:
        amount: the gross copyright income of the cession.
        flat_rate_costs: the flat-rate professional costs the law deducts from it.
        taxable: ``amount − flat_rate_costs``, the base of the withholding.
        withholding_rate: the fraction withheld on the taxable base.
        withholding: the tax withheld at source, rounded to the minor unit.
        net: what the author receives, ``amount − withholding``.
        legal_mention: the text the cession document must print, if any.
    """

    amount: Decimal
    flat_rate_costs: Decimal
    taxable: Decimal
    withholding_rate: Decimal
    withholding: Decimal
    net: Decimal
    legal_mention: str | None = None


# --- insurance ------------------------------------------------------------------
@dataclass(frozen=True)
class InsurancePolicy:
    """A policy the cooperative mutualises for its workers.

    Attributes:
        code: stable code (``"work_accident"``).
        name: the policy's name.
        premium_basis: ``"payroll_rate"`` (rate on gross salaries) or ``"flat"`` (per
            worker paid in the month).
        rate: the premium rate when the basis is payroll.
        flat_amount: the premium per worker when the basis is flat.
    """

    code: str
    name: str
    premium_basis: str
    rate: Decimal | None = None
    flat_amount: Decimal | None = None


# --- sectors --------------------------------------------------------------------
class ActKind(enum.StrEnum):
    """The economic acts of an entity that sector rules judge. Added in 1.1."""

    QUOTE = "quote"
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"
    PURCHASE = "purchase"
    EXPENSE = "expense"
    INTERNAL_INVOICE = "internal_invoice"
    COPYRIGHT_CESSION = "copyright_cession"
    CONTRACT = "contract"
    PAYSLIP = "payslip"


@dataclass(frozen=True)
class Counterpart:
    """The client or supplier an act is addressed to, as a sector rule sees it.

    Attributes:
        code: the party's reference (``"C000007"``).
        name: its registered name.
        country: ISO 3166 alpha-2 code, upper case.
        platform: the party is a registered digital work platform (it orders work
            through an application: meal delivery, rides...).

    Added in 1.1.
    """

    code: str
    name: str
    country: str
    platform: bool = False


@dataclass(frozen=True)
class Attestation:
    """An attestation the cooperative holds on file for an entity or a member.

    Attributes:
        kind: what it attests, a code a sector plugin declares
            (``"ten_year_liability"``, ``"artist_work_certificate"``).
        holder: whose it is: ``"entity:E000042"`` or ``"member:17"``.
        issuer: who issued it (the insurer, the commission).
        number: the policy or certificate number.
        valid_from: first day it covers.
        valid_until: last day it covers.

    Added in 1.1.
    """

    kind: str
    holder: str
    issuer: str
    number: str
    valid_from: date
    valid_until: date

    def covers(self, on: date) -> bool:
        """Whether the attestation is valid on ``on`` (both ends included)."""
        return self.valid_from <= on <= self.valid_until


@dataclass(frozen=True)
class AttestationKind:
    """A kind of attestation a sector's rules look at.

    Attributes:
        code: stable code (``"ten_year_liability"``).
        label: shown to advisers who record one.
        holder: ``"entity"`` or ``"member"``: who holds such an attestation.

    Added in 1.1.
    """

    code: str
    label: str
    holder: str


@dataclass(frozen=True)
class ActContext:
    """An economic act about to be recorded, as a sector rule sees it.

    Attributes:
        kind: the act, an :class:`ActKind` value.
        entity: the entity's reference.
        office: the local office's code.
        on: the act's date.
        amount: its amount excluding VAT, when it has one.
        details: further facts as ``(name, value)`` pairs (hours of a shift, expense
            category, worker category...).
        counterpart: the client or supplier, when the act has one (added in 1.1).
        member: the member the act concerns (the worker hired or paid, the author of a
            cession, the claimant of an expense), when one (added in 1.1).
        attestations: the attestations on file for the entity and for ``member`` that
            started on or before ``on``, expired ones included (added in 1.1).
    """

    kind: str
    entity: str
    office: str
    on: date
    amount: Decimal | None = None
    details: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    counterpart: Counterpart | None = None
    member: int | None = None
    attestations: tuple[Attestation, ...] = field(default_factory=tuple)

    def detail(self, name: str) -> str | None:
        """The value of one of ``details``, ``None`` when absent."""
        return dict(self.details).get(name)


@dataclass(frozen=True)
class Refusal:
    """A sector rule's refusal of an act.

    Attributes:
        sector: the sector plugin's name.
        rule: the rule, in words, with the figures that broke it.
    """

    sector: str
    rule: str


@dataclass(frozen=True)
class ExpenseCategory:
    """An expense category a sector adds.

    Attributes:
        code: stable code (``"bike_repair"``).
        label: shown to members.
        reimbursable: whether it is reimbursed to the worker as a professional expense.
    """

    code: str
    label: str
    reimbursable: bool


@dataclass(frozen=True)
class ReviewQuestion:
    """A question the membership review asks applicants of a sector.

    Attributes:
        code: stable code.
        text: the question.
    """

    code: str
    text: str
