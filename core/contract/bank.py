"""A bank statement as Partage reads it, whatever file it came in.

CAMT.053 (ISO 20022) and the Belgian CODA format are two spellings of the same facts:
an account, a statement identifier, and entries each with an amount, a side, dates,
the counterparty and the remittance information. Parsers return these value types;
importing, matching and the reconciliation queue work on them only. They are part of
the plugin contract (re-exported by :mod:`partage.core.contract`), since a country
plugin parses its national format (CODA) into them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class BankTransaction:
    """One entry of a statement.

    Attributes:
        key: an identifier unique for the account, stable across imports of the same
            statement (the bank's entry reference, else statement id and entry index).
        amount: positive amount in the statement currency.
        credit: ``True`` for money received, ``False`` for money paid out.
        booked_on: booking date.
        value_on: value date.
        counterparty_name: the other party's name, if given.
        counterparty_iban: the other party's account, if given.
        structured_reference: the creditor reference (Belgian structured communication
            digits or ISO 11649 ``RF...``), if the payment carried one.
        remittance: the free-text communication, if any.
        end_to_end_id: the end-to-end identifier of a SEPA transfer, if any.
        code: the bank's transaction code as ISO 20022 spells it, domain, family and
            sub-family (``PMNT/RCDT/ESCT``, ``ACMT/MDOP/CHRG``, ``PMNT/RDDT/UPDD``), if
            given: it says a debit is a charge or the return of money received.
        return_reason: the reason code of a returned payment (an R-transaction's
            ``RtrInf/Rsn/Cd``: ``AC04``, ``MD06``...), if the entry is one.
    """

    key: str
    amount: Decimal
    credit: bool
    booked_on: date
    value_on: date
    counterparty_name: str | None = None
    counterparty_iban: str | None = None
    structured_reference: str | None = None
    remittance: str | None = None
    end_to_end_id: str | None = None
    code: str | None = None
    return_reason: str | None = None


@dataclass(frozen=True)
class BankStatement:
    """A statement of one account.

    Attributes:
        format: ``"camt.053"`` or ``"coda"``...
        statement_id: the bank's identifier of the statement.
        account_iban: the account the statement is about.
        currency: ISO 4217 code.
        opening_balance, closing_balance: signed balances (credit positive), if given.
        transactions: the entries, in the file's order.
    """

    format: str
    statement_id: str
    account_iban: str
    currency: str
    transactions: tuple[BankTransaction, ...]
    opening_balance: Decimal | None = None
    closing_balance: Decimal | None = None
