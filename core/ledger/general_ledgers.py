"""The general ledger: every posting to one account over a range, with opening and running
balances.

A book holds up to millions of lines, so a reader may ask for one page of them
(``offset``/``limit``): the page's running balances start from the balance before its
first line, summed by the database, and the closing balance is the range's, whatever
the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from partage.core.contract.errors import N_
from partage.core.contract.money import from_minor
from partage.core.ledger.errors import UnknownAccount
from partage.core.ledger.models import Book, Journal
from partage.core.ledger.queries import (
    ACCOUNT,
    ENTRY,
    LINE,
    NOT_OPENING,
    check_range,
    in_book,
    report_scope,
)


@dataclass(frozen=True)
class LedgerLine:
    """One posting in a general ledger, with the running balance after it.

    Attributes:
        date: accounting date.
        book: the book's code.
        journal: journal code.
        number: entry number in its journal and fiscal year.
        reference: entry reference.
        description: entry description.
        partner: the line's partner.
        debit: amount debited.
        credit: amount credited.
        balance: running balance (debit positive).
    """

    date: date
    book: str
    journal: str
    number: int
    reference: str
    description: str
    partner: str | None
    debit: Decimal
    credit: Decimal
    balance: Decimal


#: A ledger line's columns, in order, as the command line and the web's CSV write them.
GENERAL_LEDGER_HEADERS = tuple(LedgerLine.__dataclass_fields__)


@dataclass(frozen=True)
class GeneralLedger:
    """The postings of one account over a range.

    Attributes:
        account: account code.
        name: account name.
        opening: balance before the range.
        lines: postings in date order (one page of them when a limit was asked).
        closing: balance at the range's end.
        total: postings in the range, all pages together.
        offset: postings of the range before the first of ``lines``.
    """

    account: str
    name: str
    currency: str
    opening: Decimal
    lines: tuple[LedgerLine, ...]
    closing: Decimal
    total: int = 0
    offset: int = 0


def general_ledger(
    session: Session,
    *,
    account: str,
    book: str | None,
    start: date,
    end: date,
    offset: int = 0,
    limit: int | None = None,
) -> GeneralLedger:
    """Every posting to ``account`` in the range, with opening and running balances;
    with ``limit``, only the ``limit`` postings after the first ``offset`` ones."""
    check_range(start, end)
    book_id, currency = report_scope(session, book)
    found = session.execute(
        select(ACCOUNT.c.id, ACCOUNT.c.name).where(ACCOUNT.c.code == account)
    ).one_or_none()
    if found is None:
        raise UnknownAccount("account", N_("not in the chart"), value=repr(account))
    opening = session.execute(
        select(func.coalesce(func.sum(LINE.c.debit - LINE.c.credit), 0)).where(
            and_(LINE.c.account_id == found.id, in_book(book_id), LINE.c.date < start, NOT_OPENING)
        )
    ).scalar_one()
    in_range = and_(
        LINE.c.account_id == found.id,
        in_book(book_id),
        LINE.c.date >= start,
        LINE.c.date <= end,
        NOT_OPENING,
    )
    query = (
        select(
            LINE.c.date,
            Book.code.label("book"),
            Journal.code.label("journal"),
            ENTRY.c.number,
            ENTRY.c.reference,
            ENTRY.c.description,
            LINE.c.partner,
            LINE.c.debit,
            LINE.c.credit,
        )
        .join(ENTRY, ENTRY.c.id == LINE.c.entry_id)
        .join(Book, Book.id == LINE.c.book_id)
        .join(Journal, Journal.id == ENTRY.c.journal_id)
        .where(in_range)
        .order_by(LINE.c.date, LINE.c.id)
    )
    running = int(opening)
    if limit is not None:
        offset = max(offset, 0)
        earlier = (
            select((LINE.c.debit - LINE.c.credit).label("amount"))
            .where(in_range)
            .order_by(LINE.c.date, LINE.c.id)
            .limit(offset)
            .subquery()
        )
        running += int(session.scalar(select(func.coalesce(func.sum(earlier.c.amount), 0))) or 0)
        total, moved = session.execute(
            select(func.count(), func.coalesce(func.sum(LINE.c.debit - LINE.c.credit), 0)).where(
                in_range
            )
        ).one()
        query = query.offset(offset).limit(limit)
    lines = []
    for row in session.execute(query):
        running += row.debit - row.credit
        lines.append(
            LedgerLine(
                row.date,
                row.book,
                row.journal,
                row.number,
                row.reference,
                row.description,
                row.partner,
                from_minor(row.debit, currency),
                from_minor(row.credit, currency),
                from_minor(running, currency),
            )
        )
    if limit is None:
        total, closing, offset = len(lines), running, 0
    else:
        closing = int(opening) + int(moved)
    return GeneralLedger(
        account,
        found.name,
        currency,
        from_minor(int(opening), currency),
        tuple(lines),
        from_minor(closing, currency),
        total,
        offset,
    )
