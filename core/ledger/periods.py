"""Opening and closing months and fiscal years.

Months close in order; a fiscal year closes once all its months are closed and the
year before it, if opened, is closed (years close in order: a year's opening balances
are the previous year's closing ones). Closing a year posts, in every book with
activity:

1. a closing entry on the year's last day that brings every income and expense
   account to zero against the result-of-the-year account (BE PCMN 14, FR PCG 120),
   where the result waits for the general assembly's appropriation
   (:mod:`partage.core.acts.appropriation`) — never straight to a reserve, which only
   the assembly may decide (BE CSA art. 3:1 and 6:119 to 6:124 on the approval of
   the annual accounts; FR C. com. art. L232-11 and L232-12);
2. an opening entry on the next year's first day, in the opening journal, restating
   every balance-sheet account's balance (the balances carried forward).

Reports derive balances from the whole history and leave opening entries out, so the
carried-forward balances are never counted twice; the tests prove the opening entry
equals the history it restates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, func, select, update
from sqlalchemy.orm import Session

from partage.core.contract.accounting import AccountType, PostingRole
from partage.core.contract.errors import N_
from partage.core.contract.money import from_minor
from partage.core.contract.periods import Period
from partage.core.ledger import balances
from partage.core.ledger.books import account_for_role
from partage.core.ledger.errors import ClosedPeriod, LedgerError
from partage.core.ledger.models import (
    Account,
    AccountingPeriod,
    Book,
    EntryKind,
    JournalKind,
    JournalLine,
    PeriodKind,
)
from partage.core.ledger.posting import Ledger, fiscal_year_of
from partage.core.ledger.types import Entry, Line
from partage.core.platform import audit
from partage.core.platform.db.base import utcnow


def fiscal_year_period(fiscal_year: int, start_month: int = 1) -> Period:
    """The days of a fiscal year: twelve months from ``start_month`` of the calendar year
    it is named after."""
    return Period.months_from(date(fiscal_year, start_month, 1), 12)


def fiscal_year_containing(day: date, start_month: int = 1) -> Period:
    """The days of the fiscal year ``day`` belongs to."""
    return fiscal_year_period(fiscal_year_of(day, start_month), start_month)


def year_opened(session: Session, fiscal_year: int) -> bool:
    """Whether the fiscal year was opened (it may have been closed since)."""
    return (
        session.scalar(
            select(AccountingPeriod.id).where(
                AccountingPeriod.kind == PeriodKind.YEAR.value,
                AccountingPeriod.fiscal_year == fiscal_year,
            )
        )
        is not None
    )


def open_year(session: Session, fiscal_year: int, *, actor: str, start_month: int = 1) -> None:
    """Open a fiscal year and its twelve months."""
    if year_opened(session, fiscal_year):
        raise LedgerError("fiscal year", N_("already opened"), value=fiscal_year)
    year = fiscal_year_period(fiscal_year, start_month)
    session.add(
        AccountingPeriod(
            kind=PeriodKind.YEAR.value, fiscal_year=fiscal_year, start=year.start, end=year.end
        )
    )
    for month in year.months():
        session.add(
            AccountingPeriod(
                kind=PeriodKind.MONTH.value,
                fiscal_year=fiscal_year,
                start=month.start,
                end=month.end,
            )
        )
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="ledger.open_year",
        subject=f"fiscal_year:{fiscal_year}",
        data={"start": year.start.isoformat(), "end": year.end.isoformat()},
    )


def ensure_year(session: Session, fiscal_year: int, *, actor: str, start_month: int = 1) -> bool:
    """Open a fiscal year unless it was opened before; whether it was opened now."""
    if year_opened(session, fiscal_year):
        return False
    open_year(session, fiscal_year, actor=actor, start_month=start_month)
    return True


def _period(session: Session, kind: PeriodKind, start: date) -> AccountingPeriod | None:
    query = select(AccountingPeriod).where(
        AccountingPeriod.kind == kind.value, AccountingPeriod.start == start
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    return session.scalars(query).one_or_none()


def close_month(session: Session, year: int, month: int, *, actor: str) -> None:
    """Close a month to new postings; earlier months of its year must be closed first.

    The month's kept balances are merged into one row per book, account and kind
    (:func:`.balances.compact`): their sums are unchanged.
    """
    period = _period(session, PeriodKind.MONTH, date(year, month, 1))
    if period is None:
        raise ClosedPeriod("month", N_("no such period"), value=f"{year}-{month:02d}")
    if period.closed_at is not None:
        raise ClosedPeriod("month", N_("already closed"), value=f"{year}-{month:02d}")
    earlier_open = session.scalar(
        select(func.min(AccountingPeriod.start)).where(
            AccountingPeriod.kind == PeriodKind.MONTH.value,
            AccountingPeriod.fiscal_year == period.fiscal_year,
            AccountingPeriod.start < period.start,
            AccountingPeriod.closed_at.is_(None),
        )
    )
    if earlier_open is not None:
        raise ClosedPeriod(
            "month",
            N_("close {earlier_open:%Y-%m} first"),
            value=f"{year}-{month:02d}",
            earlier_open=earlier_open,
        )
    period.closed_at, period.closed_by = utcnow(), actor
    session.flush()
    # the month's row is locked: no entry is being posted into it
    balances.compact(session, period.start)
    audit.record(
        session, actor=actor, action="ledger.close_month", subject=f"month:{year}-{month:02d}"
    )


@dataclass(frozen=True)
class YearClosing:
    """What closing a year did.

    Attributes:
        fiscal_year: the year closed.
        books: books that received closing or opening entries.
        closing_entries: closing entries posted.
        opening_entries: opening entries posted.
    """

    fiscal_year: int
    books: int
    closing_entries: int
    opening_entries: int


def close_year(session: Session, ledger: Ledger, fiscal_year: int, *, actor: str) -> YearClosing:
    """Close a fiscal year: result to the result-of-the-year account, balances carried
    forward (see module doc); refused while the previous year is open."""
    days = fiscal_year_period(fiscal_year, ledger.fiscal_year_start_month)
    previous = session.scalar(
        select(AccountingPeriod.closed_at).where(
            AccountingPeriod.kind == PeriodKind.YEAR.value,
            AccountingPeriod.fiscal_year == fiscal_year - 1,
        )
    )
    if previous is None and year_opened(session, fiscal_year - 1):
        raise ClosedPeriod(
            "fiscal year",
            N_("close fiscal year {previous} before fiscal year {fiscal_year}"),
            value=fiscal_year,
            previous=fiscal_year - 1,
            fiscal_year=fiscal_year,
        )
    year = _closable_year(session, fiscal_year, days)
    next_start = days.following().start
    if (
        session.scalar(
            select(AccountingPeriod.id).where(
                AccountingPeriod.kind == PeriodKind.YEAR.value, AccountingPeriod.start == next_start
            )
        )
        is None
    ):
        open_year(session, fiscal_year + 1, actor=actor, start_month=ledger.fiscal_year_start_month)
    reserve = account_for_role(session, PostingRole.RESULT_OF_THE_YEAR)
    by_book = _balances_by_book(session, days.end)
    closing, opening = [], []
    for (book, currency), rows in by_book.items():
        book_closing, book_opening = _year_end_entries(
            book, currency, rows, reserve, fiscal_year, days.end, next_start
        )
        closing.extend(book_closing)
        opening.extend(book_opening)
    ledger.post_closing(session, closing + opening, actor=actor)
    session.execute(
        update(AccountingPeriod)
        .where(AccountingPeriod.id == year.id)
        .values(closed_at=utcnow(), closed_by=actor)
    )
    audit.record(
        session,
        actor=actor,
        action="ledger.close_year",
        subject=f"fiscal_year:{fiscal_year}",
        data={
            "books": len(by_book),
            "closing_entries": len(closing),
            "opening_entries": len(opening),
        },
    )
    return YearClosing(fiscal_year, len(by_book), len(closing), len(opening))


def _closable_year(session: Session, fiscal_year: int, days: Period) -> AccountingPeriod:
    """The fiscal year's period, refused unless it exists, is open and has no open month."""
    year = _period(session, PeriodKind.YEAR, days.start)
    if year is None:
        raise ClosedPeriod("fiscal year", N_("no such period"), value=fiscal_year)
    if year.closed_at is not None:
        raise ClosedPeriod("fiscal year", N_("already closed"), value=fiscal_year)
    open_months = session.scalars(
        select(AccountingPeriod.start)
        .where(
            AccountingPeriod.kind == PeriodKind.MONTH.value,
            AccountingPeriod.fiscal_year == fiscal_year,
            AccountingPeriod.closed_at.is_(None),
        )
        .order_by(AccountingPeriod.start)
    ).all()
    if open_months:
        still_open = ", ".join(f"{month:%Y-%m}" for month in open_months)
        raise ClosedPeriod(
            "fiscal year",
            N_("months still open ({still_open})"),
            value=fiscal_year,
            still_open=still_open,
        )
    return year


def _balances_by_book(
    session: Session, end: date
) -> dict[tuple[str, str], list[tuple[str, str, int]]]:
    """Each book's (code, currency) non-zero balances up to ``end``, opening entries aside:
    (account, account type, balance in minor units, positive = debit), by account code."""
    line = JournalLine.__table__.c
    balances = session.execute(
        select(
            Book.code,
            Book.currency,
            Account.code.label("account"),
            Account.type,
            func.sum(line.debit - line.credit).label("balance"),
        )
        .select_from(JournalLine)
        .join(Book, Book.id == line.book_id)
        .join(Account, Account.id == line.account_id)
        .where(and_(line.date <= end, line.kind != EntryKind.OPENING.value))
        .group_by(Book.code, Book.currency, Account.code, Account.type)
        .order_by(Book.code, Account.code)
    ).all()
    by_book: dict[tuple[str, str], list[tuple[str, str, int]]] = {}
    for row in balances:
        if row.balance:
            by_book.setdefault((row.code, row.currency), []).append(
                (row.account, row.type, int(row.balance))
            )
    return by_book


def _year_end_entries(
    book: str,
    currency: str,
    rows: list[tuple[str, str, int]],
    reserve: str,
    fiscal_year: int,
    end: date,
    next_start: date,
) -> tuple[list[Entry], list[Entry]]:
    """One book's closing entry (result to ``reserve``, the result-of-the-year account)
    and opening entry (balances carried
    forward), each absent when it would have no line."""
    # P&L accounts only accumulate within a year: their whole-history balance up to the
    # year end is this year's, since every earlier year's closing brought them to zero.
    closing, opening = [], []
    result_lines, result = [], 0
    carried: dict[str, int] = {}
    for account, type_, balance in rows:
        if type_ in (AccountType.INCOME.value, AccountType.EXPENSE.value):
            result_lines.append(_line(account, -balance, currency))
            result += balance
        else:
            carried[account] = balance
    if result_lines:
        if result:
            result_lines.append(_line(reserve, result, currency))
            carried[reserve] = carried.get(reserve, 0) + result
        closing.append(
            Entry(
                book=book,
                journal=JournalKind.MISCELLANEOUS,
                date=end,
                lines=tuple(result_lines),
                kind=EntryKind.CLOSING,
                description=f"Closing of fiscal year {fiscal_year}: result of the year",
            )
        )
    opening_lines = [_line(a, b, currency) for a, b in sorted(carried.items()) if b]
    if opening_lines:
        opening.append(
            Entry(
                book=book,
                journal=JournalKind.OPENING,
                date=next_start,
                lines=tuple(opening_lines),
                kind=EntryKind.OPENING,
                description=f"Balances carried forward from fiscal year {fiscal_year}",
            )
        )
    return closing, opening


def _line(account: str, balance: int, currency: str) -> Line:
    """A line that restates ``balance`` (positive = debit) on ``account``."""
    amount = from_minor(abs(balance), currency)
    return (
        Line(account=account, debit=amount) if balance > 0 else Line(account=account, credit=amount)
    )
