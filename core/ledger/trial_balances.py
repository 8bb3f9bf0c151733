"""The trial balance: each account's opening balance, debits, credits and closing balance
over a range, for one book or the whole instance, in one aggregate query over the kept
balances (:mod:`.balances`): whole months from their monthly sums, and only a month
the range cuts in two from its lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from partage.core.contract.money import from_minor
from partage.core.ledger.balances import cut_after, movements
from partage.core.ledger.models import EntryKind
from partage.core.ledger.queries import ACCOUNT, check_range, report_scope


@dataclass(frozen=True)
class TrialBalanceRow:
    """One account of a trial balance.

    Attributes:
        account: account code.
        name: account name.
        type: account type.
        opening: balance before the range (debit positive).
        debit: debits within the range.
        credit: credits within the range.
        closing: balance at the range's end (debit positive).
    """

    account: str
    name: str
    type: str
    opening: Decimal
    debit: Decimal
    credit: Decimal
    closing: Decimal


@dataclass(frozen=True)
class TrialBalance:
    """A trial balance; ``rows`` lists accounts with any balance or movement.

    Attributes:
        book: the book, ``None`` for the whole instance.
        start: first day of the range.
        end: last day.
        currency: the currency of every amount.
        rows: one per account, by code.
    """

    book: str | None
    start: date
    end: date
    currency: str
    rows: tuple[TrialBalanceRow, ...]

    def _total(self, column: str) -> Decimal:
        return sum((getattr(r, column) for r in self.rows), from_minor(0, self.currency))

    @property
    def total_opening(self) -> Decimal:
        """Zero in books that balance."""
        return self._total("opening")

    @property
    def total_debit(self) -> Decimal:
        return self._total("debit")

    @property
    def total_credit(self) -> Decimal:
        return self._total("credit")

    @property
    def total_closing(self) -> Decimal:
        """Zero in books that balance."""
        return self._total("closing")


def trial_balance_query(book_id: int | None, start: date, end: date) -> Select[Any, Any, Any, Any]:
    """The aggregate behind :func:`trial_balance` (also used by the benchmark)."""

    def conditions(row: Any) -> list[Any]:
        found = [row.kind != EntryKind.OPENING.value]
        if book_id is not None:
            found.append(row.book_id == book_id)
        return found

    rows = movements(conditions, end=end, cuts=[start, *cut_after(end)]).c
    before = rows.date < start
    return select(
        rows.account_id,
        func.sum(case((before, rows.debit - rows.credit), else_=0)).label("opening"),
        func.sum(case((before, 0), else_=rows.debit)).label("debit"),
        func.sum(case((before, 0), else_=rows.credit)).label("credit"),
    ).group_by(rows.account_id)


def trial_balance(session: Session, *, book: str | None, start: date, end: date) -> TrialBalance:
    """Opening balance, debits, credits and closing balance of every account in a range."""
    check_range(start, end)
    book_id, currency = report_scope(session, book)
    sums = trial_balance_query(book_id, start, end).subquery()
    # One round trip: the accounts' names come joined to their sums.
    query = select(
        ACCOUNT.c.code, ACCOUNT.c.name, ACCOUNT.c.type, sums.c.opening, sums.c.debit, sums.c.credit
    ).join(sums, sums.c.account_id == ACCOUNT.c.id)
    rows = [
        TrialBalanceRow(
            code,
            name,
            kind,
            from_minor(int(opening), currency),
            from_minor(int(debit), currency),
            from_minor(int(credit), currency),
            from_minor(int(opening + debit - credit), currency),
        )
        for code, name, kind, opening, debit, credit in session.execute(query)
        if opening or debit or credit
    ]
    rows.sort(key=lambda r: r.account)
    return TrialBalance(book, start, end, currency, tuple(rows))


TRIAL_BALANCE_HEADERS = ("account", "name", "type", "opening", "debit", "credit", "closing")


def trial_balance_rows(report: TrialBalance) -> list[list[object]]:
    """A trial balance as rows under :data:`TRIAL_BALANCE_HEADERS`, with a total row."""
    rows: list[list[object]] = [
        [r.account, r.name, r.type, r.opening, r.debit, r.credit, r.closing] for r in report.rows
    ]
    opening_total = sum((r.opening for r in report.rows), Decimal(0))
    rows.append(
        [
            "total",
            "",
            "",
            opening_total,
            report.total_debit,
            report.total_credit,
            report.total_closing,
        ]
    )
    return rows
