"""The journal as posted, exported as CSV: one row per line, opening entries included."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, select
from sqlalchemy.orm import Session

from partage.core.contract.money import from_minor
from partage.core.ledger.models import Book, Journal
from partage.core.ledger.queries import ACCOUNT, ENTRY, LINE, check_range, in_book, report_scope

#: The columns of the journal export, one row per posted line.
JOURNAL_CSV_HEADERS = (
    "book",
    "journal",
    "fiscal_year",
    "number",
    "date",
    "kind",
    "reference",
    "description",
    "reverses",
    "posted_by",
    "account",
    "debit",
    "credit",
    "currency",
    "partner",
    "vat_code",
    "original_currency",
    "original_amount",
    "exchange_rate",
)


def journal_csv(session: Session, *, book: str | None, start: date, end: date) -> str:
    """Every line of every entry in the range, one CSV row per line (opening entries
    included: this is the books as posted)."""
    check_range(start, end)
    book_id, currency = report_scope(session, book)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(JOURNAL_CSV_HEADERS)
    for r in session.execute(_journal_query(book_id, start, end)):
        original = (
            from_minor(r.original_amount, r.original_currency)
            if r.original_amount is not None
            else ""
        )
        writer.writerow(
            [
                r.book,
                r.journal,
                r.fiscal_year,
                r.number,
                r.date.isoformat(),
                r.kind,
                r.reference,
                r.description,
                r.reverses_id or "",
                r.posted_by,
                r.account,
                from_minor(r.debit, currency),
                from_minor(r.credit, currency),
                currency,
                r.partner or "",
                r.vat_code or "",
                r.original_currency or "",
                original,
                r.exchange_rate if r.exchange_rate is not None else "",
            ]
        )
    return buffer.getvalue()


def _journal_query(book_id: int | None, start: date, end: date) -> Select[Any]:
    """Every line in the range with its entry, book, journal and account, in journal
    order."""
    return (
        select(
            Book.code.label("book"),
            Journal.code.label("journal"),
            ENTRY.c.fiscal_year,
            ENTRY.c.number,
            ENTRY.c.date,
            ENTRY.c.kind,
            ENTRY.c.reference,
            ENTRY.c.description,
            ENTRY.c.reverses_id,
            ENTRY.c.posted_by,
            ACCOUNT.c.code.label("account"),
            LINE.c.debit,
            LINE.c.credit,
            LINE.c.partner,
            LINE.c.vat_code,
            LINE.c.original_currency,
            LINE.c.original_amount,
            LINE.c.exchange_rate,
        )
        .select_from(LINE)
        .join(ENTRY, ENTRY.c.id == LINE.c.entry_id)
        .join(Book, Book.id == LINE.c.book_id)
        .join(Journal, Journal.id == ENTRY.c.journal_id)
        .join(ACCOUNT, ACCOUNT.c.id == LINE.c.account_id)
        .where(and_(in_book(book_id), LINE.c.date >= start, LINE.c.date <= end))
        .order_by(Book.code, Journal.code, ENTRY.c.fiscal_year, ENTRY.c.number, LINE.c.id)
    )
