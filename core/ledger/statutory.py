"""The instance's statutory statements: the cooperative as the one legal person it is.

Every book is kept as its management view: an entity's books show the management fee
it owes, the internal invoices it bought or sold, its current account with the
cooperative; the cooperative's book shows the fee as income and the salary guarantee
fund's movements since the general assembly last appropriated a result. Summing the
books (``book=None`` in :mod:`.reports`) therefore counts every internal flow twice.

The statutory statements (trial balance, balance sheet, profit and loss, in the chart's
layout) are the annual accounts of the legal person (BE: CSA art. 3:1 and AR du 29
avril 2019, art. 3:1; FR: C. com. art. L123-12 and PCG art. 112-1). They leave out:

* the lines on accounts that only ever hold flows between books
  (:data:`INTERNAL_ROLES`): the management fee on both sides, the entity current
  (liaison) accounts, the fund's advances to entities, and the guarantee fund's
  management pair (its movements not yet appropriated by the general assembly, which
  the year's appropriation makes statutory as a reserve);
* every line of the entries of internal acts (:data:`INTERNAL_ACTS`): an internal
  invoice is a purchase in one book and a sale in another, neither for the legal
  person.

Each elimination removes both sides of an internal flow, so the consolidated result is
unchanged and income equals income from outside. What the eliminated lines sum to is
reported as :attr:`StatutoryStatements.unmatched`: zero when every internal flow was
posted on both sides.

Closing entries bring each book's income and expense accounts to zero; an account
holding internal lines closes them too. The statutory view therefore leaves closing
lines on income and expense accounts out and restates each closed year's closing from
its statutory balances; the closing lines on the result account are kept, and their sum
is the statutory result, since what was eliminated from income and expense nets to
zero.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import ColumnElement, Join, and_, case, func, not_, or_, select
from sqlalchemy.orm import Session

from partage.core.contract.accounting import AccountType, PostingRole
from partage.core.contract.money import from_minor
from partage.core.ledger.models import AccountingPeriod, EntryKind, PeriodKind
from partage.core.ledger.queries import (
    ACCOUNT,
    ENTRY,
    LINE,
    NOT_OPENING,
    check_range,
    report_scope,
)
from partage.core.ledger.reports import Section, Statement, chart_tree
from partage.core.ledger.trial_balances import TrialBalance, TrialBalanceRow

#: Roles whose accounts hold only flows between the books of the one legal person.
INTERNAL_ROLES = (
    PostingRole.MANAGEMENT_FEE_EXPENSE,
    PostingRole.MANAGEMENT_FEE_INCOME,
    PostingRole.ENTITY_CURRENT_ACCOUNT,
    PostingRole.FUND_ADVANCE,
    PostingRole.GUARANTEE_FUND,
    PostingRole.GUARANTEE_FUND_ALLOCATION,
)
#: Act types whose entries are wholly between books (an entity invoicing another).
INTERNAL_ACTS = ("internal_invoice",)

_PNL = (AccountType.INCOME.value, AccountType.EXPENSE.value)
_ROLES = tuple(role.value for role in INTERNAL_ROLES)


def internal() -> ColumnElement[bool]:
    """Lines the statutory view leaves out (needs ``ACCOUNT`` and ``ENTRY`` joined)."""
    return or_(
        and_(ACCOUNT.c.role.is_not(None), ACCOUNT.c.role.in_(_ROLES)),
        and_(ENTRY.c.act_type.is_not(None), ENTRY.c.act_type.in_(INTERNAL_ACTS)),
    )


def _kept() -> ColumnElement[bool]:
    """Lines of the statutory view, before closed years are restated."""
    closing_pnl = and_(LINE.c.kind == EntryKind.CLOSING.value, ACCOUNT.c.type.in_(_PNL))
    return and_(NOT_OPENING, not_(internal()), not_(closing_pnl))


def _joined() -> Join:
    return LINE.join(ACCOUNT, ACCOUNT.c.id == LINE.c.account_id).join(
        ENTRY, ENTRY.c.id == LINE.c.entry_id
    )


def _currency(session: Session) -> str:
    return report_scope(session, None)[1]


def _sums(session: Session, start: date, end: date) -> dict[str, list[int]]:
    """Statutory (opening, debit, credit) per account code over a range, minor units,
    closed years' closings restated (see the module)."""
    before = LINE.c.date < start
    query = (
        select(
            ACCOUNT.c.code,
            func.sum(case((before, LINE.c.debit - LINE.c.credit), else_=0)),
            func.sum(case((before, 0), else_=LINE.c.debit)),
            func.sum(case((before, 0), else_=LINE.c.credit)),
        )
        .select_from(_joined())
        .where(LINE.c.date <= end, _kept())
        .group_by(ACCOUNT.c.code)
    )
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for code, opening, debit, credit in session.execute(query):
        row = sums[code]
        row[0] += int(opening or 0)
        row[1] += int(debit or 0)
        row[2] += int(credit or 0)
    for year_start, year_end in _closed_years(session, end):
        for code, balance in _pnl_balances(session, year_start, year_end).items():
            row = sums[code]
            if year_end < start:
                row[0] -= balance
            elif balance > 0:
                row[2] += balance
            else:
                row[1] -= balance
    return sums


def _closed_years(session: Session, end: date) -> list[tuple[date, date]]:
    return [
        (row.start, row.end)
        for row in session.execute(
            select(AccountingPeriod.start, AccountingPeriod.end).where(
                AccountingPeriod.kind == PeriodKind.YEAR.value,
                AccountingPeriod.closed_at.is_not(None),
                AccountingPeriod.end <= end,
            )
        )
    ]


def _pnl_balances(session: Session, start: date, end: date) -> dict[str, int]:
    """Statutory income and expense balances of a range (debit positive), normal lines."""
    query = (
        select(ACCOUNT.c.code, func.sum(LINE.c.debit - LINE.c.credit))
        .select_from(_joined())
        .where(
            LINE.c.date >= start,
            LINE.c.date <= end,
            LINE.c.kind == EntryKind.NORMAL.value,
            ACCOUNT.c.type.in_(_PNL),
            not_(internal()),
        )
        .group_by(ACCOUNT.c.code)
    )
    return {code: int(total) for code, total in session.execute(query) if total}


def statutory_trial_balance(session: Session, *, start: date, end: date) -> TrialBalance:
    """The legal person's trial balance over a range: internal flows eliminated."""
    check_range(start, end)
    currency = _currency(session)
    chart = {
        r.code: r for r in session.execute(select(ACCOUNT.c.code, ACCOUNT.c.name, ACCOUNT.c.type))
    }
    rows = [
        TrialBalanceRow(
            code,
            chart[code].name,
            chart[code].type,
            from_minor(opening, currency),
            from_minor(debit, currency),
            from_minor(credit, currency),
            from_minor(opening + debit - credit, currency),
        )
        for code, (opening, debit, credit) in sorted(_sums(session, start, end).items())
        if opening or debit or credit
    ]
    return TrialBalance(None, start, end, currency, tuple(rows))


def _statement_amounts(
    session: Session, balances: dict[str, int], currency: str
) -> tuple[dict[str, Decimal], dict[str, str]]:
    types = {r.code: r.type for r in session.execute(select(ACCOUNT.c.code, ACCOUNT.c.type))}
    credit_positive = {
        AccountType.LIABILITY.value,
        AccountType.EQUITY.value,
        AccountType.INCOME.value,
    }
    return {
        code: from_minor(-b if types[code] in credit_positive else b, currency)
        for code, b in balances.items()
        if b
    }, types


def statutory_balance_sheet(session: Session, *, on: date) -> Statement:
    """The legal person's balance sheet at the end of ``on``, in the chart's layout."""
    currency = _currency(session)
    balances = {c: o + d - k for c, (o, d, k) in _sums(session, on, on).items()}
    amounts, types = _statement_amounts(session, balances, currency)
    result = sum(
        (
            a if types[c] == AccountType.INCOME.value else -a
            for c, a in amounts.items()
            if types[c] in _PNL
        ),
        Decimal(0),
    )
    assets = chart_tree(session, amounts, {AccountType.ASSET.value})
    liabilities = chart_tree(
        session, amounts, {AccountType.LIABILITY.value, AccountType.EQUITY.value}
    )
    if result:
        liabilities.append(Section("result", "Result of the period not yet closed", result))
    sides = {"Assets": assets, "Liabilities and equity": liabilities}
    totals = {
        name: sum((s.amount for s in side), from_minor(0, currency)) for name, side in sides.items()
    }
    return Statement("Statutory balance sheet", currency, sides, totals, result)


def statutory_profit_and_loss(session: Session, *, start: date, end: date) -> Statement:
    """The legal person's profit and loss over a range: income from outside only."""
    check_range(start, end)
    currency = _currency(session)
    amounts, _ = _statement_amounts(session, _pnl_balances(session, start, end), currency)
    sides = {
        "Expenses": chart_tree(session, amounts, {AccountType.EXPENSE.value}),
        "Income": chart_tree(session, amounts, {AccountType.INCOME.value}),
    }
    totals = {
        name: sum((s.amount for s in side), from_minor(0, currency)) for name, side in sides.items()
    }
    return Statement(
        "Statutory profit and loss",
        currency,
        sides,
        totals,
        totals["Income"] - totals["Expenses"],
    )


@dataclass(frozen=True)
class Elimination:
    """What the statutory view left out on one account over a range.

    Attributes:
        account: account code.
        name: account name.
        debit: debits eliminated.
        credit: credits eliminated.
    """

    account: str
    name: str
    debit: Decimal
    credit: Decimal


def eliminations(session: Session, *, start: date, end: date) -> list[Elimination]:
    """The internal lines left out over a range (normal entries), by account."""
    check_range(start, end)
    currency = _currency(session)
    query = (
        select(ACCOUNT.c.code, ACCOUNT.c.name, func.sum(LINE.c.debit), func.sum(LINE.c.credit))
        .select_from(_joined())
        .where(
            LINE.c.date >= start,
            LINE.c.date <= end,
            LINE.c.kind == EntryKind.NORMAL.value,
            internal(),
        )
        .group_by(ACCOUNT.c.code, ACCOUNT.c.name)
        .order_by(ACCOUNT.c.code)
    )
    return [
        Elimination(
            code, name, from_minor(int(d or 0), currency), from_minor(int(c or 0), currency)
        )
        for code, name, d, c in session.execute(query)
    ]


@dataclass(frozen=True)
class StatutoryStatements:
    """The legal person's statements over a range.

    Attributes:
        trial_balance: the statutory trial balance.
        balance_sheet: the statutory balance sheet at the range's end.
        profit_and_loss: the statutory profit and loss of the range.
        eliminated: what the statutory view left out, by account.
        unmatched: what the eliminated lines sum to (debit positive): zero when every
            internal flow was posted on both sides.
    """

    trial_balance: TrialBalance
    balance_sheet: Statement
    profit_and_loss: Statement
    eliminated: tuple[Elimination, ...]
    unmatched: Decimal


def statutory_statements(session: Session, *, start: date, end: date) -> StatutoryStatements:
    """Every statutory statement of a range at once (what the web and the CLI show)."""
    eliminated = tuple(eliminations(session, start=start, end=end))
    found = statutory_trial_balance(session, start=start, end=end)
    return StatutoryStatements(
        found,
        statutory_balance_sheet(session, on=end),
        statutory_profit_and_loss(session, start=start, end=end),
        eliminated,
        sum((e.debit - e.credit for e in eliminated), from_minor(0, found.currency)),
    )
