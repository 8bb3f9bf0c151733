"""What callers hand the ledger and what it hands back.

Inputs are small frozen records checked when the ledger posts them; the ledger turns
their ``Decimal`` amounts into integer minor units of the book's currency.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from partage.core.ledger.models import EntryKind, JournalKind


@dataclass(frozen=True)
class Line:
    """One line to post: an account and exactly one of debit or credit.

    Attributes:
        account: account code of the instance's chart.
        debit: amount debited (``Decimal`` or a numeric string), or ``None``.
        credit: amount credited, or ``None``.
        currency: the currency of ``debit``/``credit``; defaults to the book's and must
            equal it.
        partner: client, supplier or worker reference.
        vat_code: the VAT code of the line.
        original_currency: when the amount was converted, the currency it came from.
        original_amount: the amount in that currency.
        exchange_rate: book-currency units per original unit.
    """

    account: str
    debit: Decimal | str | None = None
    credit: Decimal | str | None = None
    currency: str | None = None
    partner: str | None = None
    vat_code: str | None = None
    original_currency: str | None = None
    original_amount: Decimal | str | None = None
    exchange_rate: Decimal | str | None = None


@dataclass(frozen=True)
class Entry:
    """An entry to post.

    Attributes:
        book: the book's code.
        journal: which journal.
        date: the accounting date; must fall in an open month of an open year.
        lines: at least two lines, balanced.
        reference: external reference (invoice number...).
        description: what happened.
        act_type: the economic act that caused it.
        act_id: that act's identifier.
        kind: normal entries are posted by acts; closing and opening entries by the
            year-end closing only.
    """

    book: str
    journal: JournalKind
    date: date
    lines: tuple[Line, ...]
    reference: str = ""
    description: str = ""
    act_type: str | None = None
    act_id: str | None = None
    kind: EntryKind = EntryKind.NORMAL


@dataclass(frozen=True)
class Posted:
    """A posted entry's identity.

    Attributes:
        id: database id.
        book: book code.
        journal: journal kind.
        fiscal_year: the entry's fiscal year.
        number: its gapless number in book, journal and fiscal year.
        date: accounting date.
        total: the sum of its debits (= of its credits).
    """

    id: int
    book: str
    journal: JournalKind
    fiscal_year: int
    number: int
    date: date
    total: Decimal
