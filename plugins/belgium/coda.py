"""Belgian bank statements in the CODA format (Febelfin, "Coded statement of account",
version 2), read into the core's statement model.

CODA is fixed-width text: 128 characters a record, the record's kind in its first
position(s). The positions read here are those of the Febelfin standard (version 2.6):

=========  ===========================================================================
record     fields (1-based positions)
=========  ===========================================================================
0 header   6-11 creation date (DDMMYY), 128 version ("2")
1 old bal  2 account structure (2: Belgian IBAN at 6-21, 3: foreign IBAN at 6-39;
           currency at 40-42), 43 sign, 44-58 balance (3 decimals), 126-128 CODA
           sequence number of the statement
2.1        3-6 sequence, 7-10 detail, 11-31 bank reference, 32 sign (0 credit, 1 debit),
           33-47 amount (3 decimals), 48-53 value date, 54 type, 62 communication kind
           (1 structured: 66-77 the twelve digits), 63-115 communication, 116-121 entry
           date
2.2        11-63 communication continued
2.3        11-44 counterparty account, 48-82 counterparty name, 83-125 communication
8 new bal  42 sign, 43-57 balance
=========  ===========================================================================

A globalised movement (type 1 or 2) is replaced by its detail records (types 5 and 6),
which carry each payment's own amount and communication; details given for information
only (types 7 to 9) are left out, their amount being the movement's. Amounts are read as exact
decimals (the ``pycoda`` parser reads them as floats, which Partage refuses for money).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from partage.core.contract import N_, BankStatement, BankTransaction, PartageError, hookimpl

HEADER = re.compile(r"0{5}\d{9}05[ D] {7}")
CENTS = Decimal("0.01")
GLOBALISED = frozenset("12")  # a total whose details follow
DETAILS = frozenset("56")  # details of a customer's or the bank's globalisation
MAIN = frozenset("0123")  # amounts booked on the account (types 7-9: information only)


class CodaError(PartageError):
    """A CODA file is malformed; the message names the record and the rule."""


@dataclass
class _Movement:
    sequence: str
    detail: str
    reference: str
    credit: bool
    amount: Decimal
    value_on: date
    booked_on: date
    kind: str
    structured: str | None
    communication: str = ""
    counterparty_account: str | None = None
    counterparty_name: str | None = None


@dataclass
class _Statement:
    created: date | None = None
    account: str = ""
    currency: str = ""
    sequence: str = ""
    opening: Decimal | None = None
    closing: Decimal | None = None
    movements: list[_Movement] = field(default_factory=list)


def _day(text: str, number: int) -> date:
    try:
        return datetime.strptime(text, "%d%m%y").date()
    except ValueError:
        raise CodaError(
            "CODA record", N_("{text} is not a date DDMMYY"), value=number, text=repr(text)
        ) from None


def _amount(sign: str, digits: str, number: int) -> tuple[bool, Decimal]:
    if sign not in "01" or not digits.isdigit():
        raise CodaError(
            "CODA record",
            N_("amount {sign}{digits} is not a signed number"),
            value=number,
            sign=sign,
            digits=repr(digits),
        )
    value = Decimal(digits) / 1000
    if value != value.quantize(CENTS):
        raise CodaError(
            "CODA record", N_("amount {given} has fractions of a cent"), value=number, given=value
        )
    return sign == "0", value.quantize(CENTS)


def _text(value: str) -> str:
    return " ".join(value.split())


def _parse(text: str) -> list[_Statement]:
    statements: list[_Statement] = []
    current: _Statement | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r\n")
        if not line.strip():
            continue
        if len(line) != 128:
            raise CodaError(
                "CODA record",
                N_("{len_line} characters, a record has 128"),
                value=number,
                len_line=len(line),
            )
        kind = line[0]
        if kind == "0":
            if line[127] != "2":
                raise CodaError(
                    "CODA record",
                    N_("version {item_a}, only 2 is read"),
                    value=number,
                    item_a=repr(line[127]),
                )
            current = _Statement(created=_day(line[5:11], number))
            statements.append(current)
            continue
        if current is None:
            raise CodaError(
                "CODA record",
                N_("record {kind} before the header record 0"),
                value=number,
                kind=kind,
            )
        if kind == "1":
            structure = line[1]
            if structure == "2":
                current.account, current.currency = line[5:21].strip(), line[39:42]
            elif structure == "3":
                current.account, current.currency = line[5:39].strip(), line[39:42]
            else:
                raise CodaError(
                    "CODA record",
                    N_("account structure {structure}; only IBAN accounts (2, 3) are read"),
                    value=number,
                    structure=repr(structure),
                )
            credit, value = _amount(line[42], line[43:58], number)
            current.opening = value if credit else -value
            current.sequence = line[125:128].strip()
        elif kind == "2" and line[1] == "1":
            credit, value = _amount(line[31], line[32:47], number)
            structured = line[65:77] if line[61] == "1" else None
            current.movements.append(
                _Movement(
                    sequence=line[2:6],
                    detail=line[6:10],
                    reference=line[10:31].strip(),
                    credit=credit,
                    amount=value,
                    value_on=_day(line[47:53], number),
                    booked_on=_day(line[115:121], number),
                    kind=line[53],
                    structured=structured,
                    communication="" if structured else line[62:115],
                )
            )
        elif kind == "2" and line[1] in "23":
            if not current.movements:
                raise CodaError(
                    "CODA record",
                    N_("record 2.{item_a} without its 2.1"),
                    value=number,
                    item_a=line[1],
                )
            movement = current.movements[-1]
            if line[1] == "2":
                movement.communication += line[10:63]
            else:
                movement.counterparty_account = line[10:44].strip() or None
                movement.counterparty_name = _text(line[47:82]) or None
                movement.communication += line[82:125]
        elif kind == "8":
            credit, value = _amount(line[41], line[42:57], number)
            current.closing = value if credit else -value
        elif kind not in "349":
            raise CodaError(
                "CODA record", N_("unknown record kind {kind}"), value=number, kind=repr(kind)
            )
    return statements


def _transactions(statement: _Statement, statement_id: str) -> tuple[BankTransaction, ...]:
    detailed = {m.sequence for m in statement.movements if m.kind in DETAILS}
    kept = [
        m
        for m in statement.movements
        if (m.kind in MAIN and not (m.kind in GLOBALISED and m.sequence in detailed))
        or m.kind in DETAILS
    ]
    return tuple(
        BankTransaction(
            key=f"{statement_id}/{m.sequence}{m.detail}",
            amount=m.amount,
            credit=m.credit,
            booked_on=m.booked_on,
            value_on=m.value_on,
            counterparty_name=m.counterparty_name,
            counterparty_iban=m.counterparty_account,
            structured_reference=m.structured,
            remittance=_text(m.communication) or None,
        )
        for m in kept
    )


def read(content: bytes) -> list[BankStatement]:
    """Every statement of a CODA file (Windows-1252 text, as banks deliver it)."""
    try:
        text = content.decode("windows-1252")
    except UnicodeDecodeError as error:
        raise CodaError(
            "CODA", N_("byte {error_start} is not Windows-1252 text"), error_start=error.start
        ) from None
    found = []
    for statement in _parse(text):
        if not statement.account:
            raise CodaError(
                "CODA", N_("a statement has no old-balance record 1 (account, currency)")
            )
        assert statement.created is not None
        statement_id = f"{statement.created.year}-{statement.sequence}"
        found.append(
            BankStatement(
                format="coda",
                statement_id=statement_id,
                account_iban=statement.account,
                currency=statement.currency,
                transactions=_transactions(statement, statement_id),
                opening_balance=statement.opening,
                closing_balance=statement.closing,
            )
        )
    return found


@hookimpl
def partage_parse_bank_statement(content: bytes, filename: str) -> list[BankStatement] | None:
    if not HEADER.match(content[:24].decode("latin-1")):
        return None
    return read(content)
