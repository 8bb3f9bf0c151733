"""Refusals of the ledger. Each message says which rule failed, with the amounts."""

from __future__ import annotations

from partage.core.contract.errors import PartageError


class LedgerError(PartageError):
    """A posting, reversal or period operation was refused; nothing was written."""


class InvalidEntry(LedgerError):
    """The entry breaks a rule of shape: too few lines, a zero, negative or float amount,
    a line with both or neither side."""


class UnbalancedEntry(LedgerError):
    """Debits and credits differ."""


class UnknownBook(LedgerError):
    """No book has that code."""


class UnknownAccount(LedgerError):
    """No account of the chart has that code."""


class ClosedAccount(LedgerError):
    """The account is closed to new postings."""


class ClosedPeriod(LedgerError):
    """The date falls in a closed month or year, or in no open period at all."""


class CurrencyMismatch(LedgerError):
    """A line's currency is not the book's."""


class AlreadyReversed(LedgerError):
    """The entry was reversed before; an entry is reversed at most once."""


class ImmutableEntry(LedgerError):
    """Posted entries are never changed or deleted; post a reversing entry."""
