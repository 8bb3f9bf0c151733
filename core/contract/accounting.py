"""Accounts as a country's chart names them, and the posting roles the core posts to."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from decimal import Decimal


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
    #: The legal reserve the general assembly's appropriation feeds where the country's
    #: company law requires one (see :class:`AppropriationRule`).
    LEGAL_RESERVE = "legal_reserve"
    #: Where a closed year's result waits for the general assembly's appropriation.
    RESULT_OF_THE_YEAR = "result_of_the_year"
    #: The salary guarantee fund's movements not yet appropriated by the general
    #: assembly (the fee share of each invoice, allocations, losses absorbed): a
    #: management account, left out of the statutory statements, credited against
    #: :attr:`GUARANTEE_FUND_ALLOCATION`.
    GUARANTEE_FUND = "guarantee_fund"
    #: The counterpart of :attr:`GUARANTEE_FUND`'s movements (an anticipated
    #: appropriation, management view only): the pair always sums to zero.
    GUARANTEE_FUND_ALLOCATION = "guarantee_fund_allocation"
    #: The reserve the general assembly earmarked for the salary guarantee fund: equity,
    #: credited only by an appropriation of the result.
    GUARANTEE_FUND_RESERVE = "guarantee_fund_reserve"
    BAD_DEBTS = "bad_debts"
    EXPENSES = "expenses"
    OTHER_INCOME = "other_income"
    INSURANCE_PREMIUMS = "insurance_premiums"
    CASH = "cash"
    MEMBERS_PAYABLE = "members_payable"
    COPYRIGHT_FEES = "copyright_fees"
    FRANCHISE_FEE = "franchise_fee"
    #: What the salary guarantee fund advanced an entity to cover a shortfall, owed back
    #: from its later receipts: a liaison account on both sides (the entity owes, the
    #: cooperative's book holds the claim), outside the entity's available funds.
    FUND_ADVANCE = "fund_advance"


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
class AppropriationRule:
    """What the country's company law requires of the appropriation of a year's result,
    from a date on (dated, with its source, like every parameter).

    Attributes:
        since: the first fiscal year end it applies to.
        legal_reserve_rate: the share of a profit the legal reserve must receive
            (``0`` where the law requires no legal reserve).
        legal_reserve_ceiling: the legal reserve's balance, as a multiple of the
            members' capital, beyond which nothing more is required.
        reserved_share_of_rest: the least share of the profit left after the legal
            reserve that must go to reserves (the guarantee fund's and the others).
        reference: the legal source.
    """

    since: date
    legal_reserve_rate: Decimal
    legal_reserve_ceiling: Decimal
    reserved_share_of_rest: Decimal
    reference: str


@dataclass(frozen=True)
class ChartOfAccounts:
    """A national chart and the account each posting role goes to.

    Attributes:
        name: the chart's name (``"PCMN"``, ``"PCG"``).
        accounts: every account, parents before children.
        roles: ``(role, account code)`` pairs, one per :class:`PostingRole`.
        appropriation: the rules of the appropriation of the result, oldest first.
    """

    name: str
    accounts: tuple[ChartAccount, ...]
    roles: tuple[tuple[PostingRole, str], ...]
    appropriation: tuple[AppropriationRule, ...] = ()

    def appropriation_on(self, year_end: date) -> AppropriationRule | None:
        """The appropriation rule in force for a year ending on ``year_end``, if any."""
        found = None
        for rule in self.appropriation:
            if rule.since <= year_end:
                found = rule
        return found

    def account_for(self, role: PostingRole) -> str:
        """The account code a role posts to; ``KeyError`` if the chart lacks it."""
        for candidate, code in self.roles:
            if candidate is role:
                return code
        raise KeyError(role)
