"""Reversing an entry: the only correction of the books, since a posted entry never
changes.

The reversal has the original's lines with their sides swapped, is linked to it, and
is posted as any entry is (:meth:`partage.core.ledger.posting.Ledger.reverse`). Only a
normal entry is reversed, at most once: a unique link refuses a concurrent second
reversal.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from partage.core.contract.errors import N_, Word
from partage.core.contract.money import from_minor
from partage.core.ledger.errors import AlreadyReversed, InvalidEntry, LedgerError
from partage.core.ledger.models import Account, Book, EntryKind, Journal, JournalKind
from partage.core.ledger.posting_sql import ENTRY, LINE
from partage.core.ledger.types import Entry, Line


def reversible(session: Session, entry_id: int, reason: str) -> Row[Any]:
    """The entry to reverse; refuses a reversal without a reason, an unknown entry, a
    closing or opening entry, and an entry already reversed."""
    if not reason.strip():
        raise InvalidEntry("reason", N_("a reversal needs a reason"))
    original = session.execute(select(ENTRY).where(ENTRY.c.id == entry_id)).one_or_none()
    if original is None:
        raise LedgerError("entry", N_("no such entry"), value=entry_id)
    if original.kind != EntryKind.NORMAL.value:
        raise InvalidEntry(
            "entry",
            N_("{original_kind} entries are not reversed"),
            value=entry_id,
            original_kind=Word(original.kind),
        )
    already = session.execute(
        select(ENTRY.c.id).where(ENTRY.c.reverses_id == entry_id)
    ).scalar_one_or_none()
    if already is not None:
        raise AlreadyReversed(
            "entry", N_("already reversed by entry {already}"), value=entry_id, already=already
        )
    return original


def reversing_entry(session: Session, original: Row[Any], day: date, reason: str) -> Entry:
    """The reversal of ``original`` on ``day``: its lines with the sides swapped, in
    their order, in the same book and journal."""
    book = session.execute(
        select(Book.code, Book.currency).where(Book.id == original.book_id)
    ).one()
    accounts = {r.id: r.code for r in session.execute(select(Account.id, Account.code))}
    journal = session.execute(
        select(Journal.kind).where(Journal.id == original.journal_id)
    ).scalar_one()
    lines = []
    for row in session.execute(
        select(LINE).where(LINE.c.entry_id == original.id).order_by(LINE.c.id)
    ):
        original_amount = (
            from_minor(row.original_amount, row.original_currency)
            if row.original_amount is not None
            else None
        )
        lines.append(
            Line(
                account=accounts[row.account_id],
                partner=row.partner,
                vat_code=row.vat_code,
                original_currency=row.original_currency,
                original_amount=original_amount,
                exchange_rate=row.exchange_rate,
                debit=from_minor(row.credit, book.currency) if row.credit else None,
                credit=from_minor(row.debit, book.currency) if row.debit else None,
            )
        )
    return Entry(
        book=book.code,
        journal=JournalKind(journal),
        date=day,
        lines=tuple(lines),
        reference=original.reference,
        description=f"Reversal of entry {original.id}: {reason}",
        act_type=original.act_type,
        act_id=original.act_id,
    )
