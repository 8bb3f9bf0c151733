"""Tables of the books.

One chart of accounts serves the whole instance (the country plugin's), and every book
posts to it; a line's ``book_id`` says whose books it belongs to. Periods are the
cooperative's: the cooperative is one legal person, so a closed month is closed in
every book. Lines repeat their entry's book and date so that reports aggregate one
table over one index.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column

from partage.core.contract.errors import N_
from partage.core.platform.db.base import Base, DecimalText, UTCDateTime, utcnow


class BookKind(enum.StrEnum):
    """Whose books: the cooperative's own, or an autonomous entity's."""

    COOPERATIVE = "cooperative"
    ENTITY = "entity"


class JournalKind(enum.StrEnum):
    """The journals every book posts to."""

    SALES = "sales"
    PURCHASES = "purchases"
    BANK = "bank"
    PAYROLL = "payroll"
    MISCELLANEOUS = "miscellaneous"
    OPENING = "opening"


class EntryKind(enum.StrEnum):
    """Ordinary entries, year-end closing entries, and next-year opening entries."""

    NORMAL = "normal"
    CLOSING = "closing"
    OPENING = "opening"


class PeriodKind(enum.StrEnum):
    """The accounting periods the books open and close."""

    MONTH = "month"
    YEAR = "year"


# 64-bit keys on PostgreSQL; SQLite's rowid alias must be declared INTEGER.
BigKey = BigInteger().with_variant(Integer(), "sqlite")


class Book(Base):
    """A set of books: the cooperative's, or one entity's.

    Attributes:
        code: stable reference (``"cooperative"``, or the entity's reference).
        name: display name.
        kind: cooperative or entity.
        currency: ISO 4217 code of every amount posted to it.
        opened_at: when it was opened.
    """

    __tablename__ = "book"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    currency: Mapped[str] = mapped_column(String(3))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Account(Base):
    """An account of the instance's chart (from the country plugin).

    Attributes:
        code: account number.
        name: title.
        type: asset, liability, equity, income or expense.
        parent_code: enclosing account's code, ``None`` at the top.
        role: the core posting role mapped to it, if any.
        closed_at: when it was closed to new postings, ``None`` while open.
    """

    __tablename__ = "account"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(16))
    parent_code: Mapped[str | None] = mapped_column(String(32))
    role: Mapped[str | None] = mapped_column(String(64), unique=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Journal(Base):
    """A journal (sales, purchases, bank, payroll, miscellaneous, opening).

    Attributes:
        code: short code printed in entry numbers (``"SAL"``).
        name: display name.
        kind: which of the six journals.
    """

    __tablename__ = "journal"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(16), unique=True)


class AccountingPeriod(Base):
    """A month or a fiscal year of the cooperative's books, open or closed: a row of the
    books' period table, which postings check before they are written.

    Attributes:
        kind: month or year.
        fiscal_year: the fiscal year it belongs to (the calendar year it starts in).
        start: first day.
        end: last day.
        closed_at: when it was closed, ``None`` while open.
        closed_by: who closed it.
    """

    __tablename__ = "period"
    __table_args__ = (UniqueConstraint("kind", "start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))
    fiscal_year: Mapped[int] = mapped_column(Integer, index=True)
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_by: Mapped[str | None] = mapped_column(String(200))


class EntrySequence(Base):
    """The last entry number given per book, journal and fiscal year.

    Incremented by one atomic UPDATE inside the posting transaction: the row stays
    locked until commit, so numbers are unique, and a rolled-back post gives its number
    back, so they are gapless.
    """

    __tablename__ = "entry_sequence"

    book_id: Mapped[int] = mapped_column(ForeignKey("book.id"), primary_key=True)
    journal_id: Mapped[int] = mapped_column(ForeignKey("journal.id"), primary_key=True)
    fiscal_year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer)


class JournalEntry(Base):
    """A posted journal entry. Never updated, never deleted.

    Attributes:
        book_id: whose books.
        journal_id: which journal.
        fiscal_year: the fiscal year of ``date``.
        number: gapless number within book, journal and fiscal year.
        date: accounting date.
        kind: normal, closing or opening.
        reference: external reference (invoice number, statement line...).
        description: what happened, in words.
        act_type: the economic act that caused it (``"invoice"``), if any.
        act_id: that act's identifier.
        reverses_id: the entry this one reverses; an entry is reversed at most once.
        reason: why it was posted (mandatory for reversals).
        posted_by: who posted it.
        posted_at: when (UTC).
    """

    __tablename__ = "journal_entry"
    __table_args__ = (
        UniqueConstraint("book_id", "journal_id", "fiscal_year", "number"),
        Index("ix_journal_entry_act", "act_type", "act_id"),
    )

    id: Mapped[int] = mapped_column(BigKey, primary_key=True)
    book_id: Mapped[int] = mapped_column(ForeignKey("book.id"))
    journal_id: Mapped[int] = mapped_column(ForeignKey("journal.id"))
    fiscal_year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    date: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(8), default=EntryKind.NORMAL.value)
    reference: Mapped[str] = mapped_column(String(100), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    act_type: Mapped[str | None] = mapped_column(String(32))
    act_id: Mapped[str | None] = mapped_column(String(64))
    reverses_id: Mapped[int | None] = mapped_column(
        BigKey, ForeignKey("journal_entry.id"), unique=True
    )
    reason: Mapped[str] = mapped_column(Text, default="")
    posted_by: Mapped[str] = mapped_column(String(200))
    posted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class JournalLine(Base):
    """One line of an entry: a debit or a credit, in the book's currency's minor units.

    Attributes:
        entry_id: the entry.
        book_id: the entry's book (repeated for reports).
        date: the entry's date (repeated for reports).
        kind: the entry's kind (repeated for reports).
        account_id: the account.
        debit: minor units, zero on a credit line.
        credit: minor units, zero on a debit line.
        partner: client, supplier or worker reference, if any.
        vat_code: the VAT code of the line, if any.
        original_currency: currency of the original amount, when another than the book's.
        original_amount: that amount in its minor units.
        exchange_rate: book-currency units per original-currency unit.
    """

    __tablename__ = "journal_line"
    __table_args__ = (
        CheckConstraint(
            "(debit > 0 AND credit = 0) OR (credit > 0 AND debit = 0)", name="one_positive_side"
        ),
        Index("ix_journal_line_book_date", "book_id", "date"),
        Index("ix_journal_line_account_date", "account_id", "date"),
    )

    id: Mapped[int] = mapped_column(BigKey, primary_key=True)
    entry_id: Mapped[int] = mapped_column(BigKey, ForeignKey("journal_entry.id"), index=True)
    book_id: Mapped[int] = mapped_column(ForeignKey("book.id"))
    date: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(8))
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    debit: Mapped[int] = mapped_column(BigInteger, default=0)
    credit: Mapped[int] = mapped_column(BigInteger, default=0)
    partner: Mapped[str | None] = mapped_column(String(64))
    vat_code: Mapped[str | None] = mapped_column(String(32))
    original_currency: Mapped[str | None] = mapped_column(String(3))
    original_amount: Mapped[int | None] = mapped_column(BigInteger)
    exchange_rate: Mapped[Decimal | None] = mapped_column(DecimalText())


def _refuse_change(_mapper: object, _connection: object, target: object) -> None:
    from partage.core.ledger.errors import ImmutableEntry

    raise ImmutableEntry(
        type(target).__name__,
        N_("posted entries are never changed or deleted; post a reversing entry"),
        value=getattr(target, "id", "?"),
    )


for _model in (JournalEntry, JournalLine):
    event.listen(_model, "before_update", _refuse_change)
    event.listen(_model, "before_delete", _refuse_change)


class AccountBalance(Base):
    """The debits and credits of one book's account in one month, kept as lines are
    posted, so that reports read a number of rows proportional to accounts and months,
    not to lines (:mod:`partage.core.ledger.balances`).

    Several rows may hold parts of the same month: concurrent posters add to different
    ``slot`` rows, so that accounts every act touches (the cooperative's fee and VAT)
    do not make them wait on one another; closing the month merges the parts into
    slot 0. Readers sum the parts.

    Attributes:
        book_id: whose books.
        account_id: the account.
        month: the month's first day.
        kind: the kind of the entries counted (normal, closing or opening).
        slot: which part of the month's sums.
        debit: sum of debits, minor units.
        credit: sum of credits, minor units.
    """

    __tablename__ = "account_balance"
    # SQLite: stored in key order, so that an add searches one tree, not an index then
    # the table.
    __table_args__ = ({"sqlite_with_rowid": False},)

    book_id: Mapped[int] = mapped_column(ForeignKey("book.id"), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    slot: Mapped[int] = mapped_column(Integer, primary_key=True)
    debit: Mapped[int] = mapped_column(BigInteger, default=0)
    credit: Mapped[int] = mapped_column(BigInteger, default=0)


class ExchangeRate(Base):
    """A euro foreign exchange reference rate as the European Central Bank published it.

    A document in another currency than the books' is booked at the rate of its date
    (:mod:`partage.core.ledger.rates`); the rates are loaded from the ECB's own file.

    Attributes:
        currency: ISO 4217 code (``"USD"``).
        on: the day the ECB published it for.
        rate: units of ``currency`` for one euro, exactly as published (``1.0876``).
    """

    __tablename__ = "exchange_rate"

    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    on: Mapped[date] = mapped_column(Date, primary_key=True)
    rate: Mapped[Decimal] = mapped_column(DecimalText())
