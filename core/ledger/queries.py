"""What every report's query shares: the tables, the scope and the range.

A report covers one book or, with ``book=None``, the whole instance (the consolidation:
the sum of every book), in the one currency its books are kept in, over a date range
that may not end before it starts. Opening entries are left out of derived balances
because they restate history that is already counted (see
:mod:`partage.core.ledger.periods`).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, Table, select, true
from sqlalchemy.orm import Session

from partage.core.contract.errors import N_
from partage.core.ledger.errors import LedgerError, UnknownBook
from partage.core.ledger.models import Account, Book, EntryKind, JournalEntry, JournalLine

LINE: Table = JournalLine.__table__  # type: ignore[assignment]
ENTRY: Table = JournalEntry.__table__  # type: ignore[assignment]
ACCOUNT: Table = Account.__table__  # type: ignore[assignment]
NOT_OPENING = LINE.c.kind != EntryKind.OPENING.value


def report_scope(session: Session, book: str | None) -> tuple[int | None, str]:
    """The book's id (``None`` for the whole instance) and the currency of the report."""
    if book is None:
        currencies = session.scalars(select(Book.currency).distinct()).all()
        if len(currencies) > 1:
            raise LedgerError(
                None,
                N_("books are kept in several currencies ({item_a})"),
                item_a=", ".join(currencies),
            )
        return None, currencies[0] if currencies else "EUR"
    row = session.execute(select(Book.id, Book.currency).where(Book.code == book)).one_or_none()
    if row is None:
        raise UnknownBook("book", N_("no such book"), value=repr(book))
    return row.id, row.currency


def check_range(start: date, end: date) -> None:
    """Refuse a range that ends before it starts."""
    if start > end:
        raise LedgerError(None, N_("--from {start} is after --to {end}"), start=start, end=end)


def in_book(book_id: int | None) -> ColumnElement[bool]:
    """Lines of the book, or of every book for the whole instance (``None``)."""
    return LINE.c.book_id == book_id if book_id is not None else true()
