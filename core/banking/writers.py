"""Writing statements in the banks' formats: CAMT.053 (ISO 20022, version 001.02) and
Belgian CODA 2.

Partage receives statements, it never sends them; these writers exist so that demos,
simulations, tests and benchmarks can produce the files a bank would deliver for given
transactions, and read them back through the same import path as real ones.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from lxml import etree

from partage.core.contract.bank import BankStatement, BankTransaction

CAMT_NS = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"


def _sub(
    parent: etree._Element, name: str, text: str | None = None, **attributes: str
) -> etree._Element:
    element = etree.SubElement(parent, f"{{{CAMT_NS}}}{name}", **attributes)
    if text is not None:
        element.text = text
    return element


def _path(parent: etree._Element, path: str, text: str | None = None) -> etree._Element:
    *heads, last = path.split("/")
    for head in heads:
        parent = _sub(parent, head)
    return _sub(parent, last, text)


def _balance(
    statement: etree._Element, code: str, amount: Decimal, currency: str, on: date
) -> None:
    balance = _sub(statement, "Bal")
    _path(balance, "Tp/CdOrPrtry/Cd", code)
    _sub(balance, "Amt", f"{abs(amount):.2f}", Ccy=currency)
    _sub(balance, "CdtDbtInd", "CRDT" if amount >= 0 else "DBIT")
    _path(balance, "Dt/Dt", on.isoformat())


def _entry(statement: etree._Element, transaction: BankTransaction, currency: str) -> None:
    entry = _sub(statement, "Ntry")
    _sub(entry, "Amt", f"{transaction.amount:.2f}", Ccy=currency)
    _sub(entry, "CdtDbtInd", "CRDT" if transaction.credit else "DBIT")
    _sub(entry, "Sts", "BOOK")
    _path(entry, "BookgDt/Dt", transaction.booked_on.isoformat())
    _path(entry, "ValDt/Dt", transaction.value_on.isoformat())
    _sub(entry, "AcctSvcrRef", transaction.key)
    domain, family_code, sub_family = (
        transaction.code or ("PMNT/RCDT/ESCT" if transaction.credit else "PMNT/ICDT/ESCT")
    ).split("/")
    code = _path(entry, "BkTxCd/Domn/Cd", domain)
    family = _sub(code.getparent(), "Fmly")
    _sub(family, "Cd", family_code)
    _sub(family, "SubFmlyCd", sub_family)
    details = _path(entry, "NtryDtls/TxDtls")
    refs = _sub(details, "Refs")
    _sub(refs, "EndToEndId", transaction.end_to_end_id or "NOTPROVIDED")
    role = "Dbtr" if transaction.credit else "Cdtr"
    if transaction.counterparty_name or transaction.counterparty_iban:
        parties = _sub(details, "RltdPties")
        if transaction.counterparty_name:
            _path(parties, f"{role}/Nm", transaction.counterparty_name)
        if transaction.counterparty_iban:
            _path(parties, f"{role}Acct/Id/IBAN", transaction.counterparty_iban)
    if transaction.remittance or transaction.structured_reference:
        remittance = _sub(details, "RmtInf")
        if transaction.remittance:
            _sub(remittance, "Ustrd", transaction.remittance)
        if transaction.structured_reference:
            reference = _sub(_sub(remittance, "Strd"), "CdtrRefInf")
            _path(reference, "Tp/CdOrPrtry/Cd", "SCOR")
            _sub(reference, "Ref", transaction.structured_reference)
    if transaction.return_reason:
        _path(details, "RtrInf/Rsn/Cd", transaction.return_reason)


def camt053(statement: BankStatement, *, created: datetime | None = None) -> bytes:
    """A camt.053.001.02 file of one statement."""
    created = created or datetime(2026, 1, 1, tzinfo=UTC)
    root = etree.Element(f"{{{CAMT_NS}}}Document", nsmap={None: CAMT_NS})
    message = _sub(root, "BkToCstmrStmt")
    header = _sub(message, "GrpHdr")
    _sub(header, "MsgId", f"MSG-{statement.statement_id}")
    _sub(header, "CreDtTm", created.strftime("%Y-%m-%dT%H:%M:%S"))
    node = _sub(message, "Stmt")
    _sub(node, "Id", statement.statement_id)
    _sub(node, "CreDtTm", created.strftime("%Y-%m-%dT%H:%M:%S"))
    account = _sub(node, "Acct")
    _path(account, "Id/IBAN", statement.account_iban)
    _sub(account, "Ccy", statement.currency)
    day = statement.transactions[0].booked_on if statement.transactions else created.date()
    opening = statement.opening_balance or Decimal(0)
    moved = sum((t.amount if t.credit else -t.amount for t in statement.transactions), Decimal(0))
    _balance(node, "OPBD", opening, statement.currency, day)
    _balance(node, "CLBD", opening + moved, statement.currency, day)
    for transaction in statement.transactions:
        _entry(node, transaction, statement.currency)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


# --- CODA -----------------------------------------------------------------------------
def _record(*fields: tuple[int, str]) -> str:
    """A 128-character record from ``(1-based position, text)`` fields."""
    line = [" "] * 128
    for position, text in fields:
        for offset, character in enumerate(text):
            line[position - 1 + offset] = character
    return "".join(line)


def _coda_amount(amount: Decimal) -> tuple[str, str]:
    return ("0" if amount >= 0 else "1"), f"{int(abs(amount) * 1000):015d}"


def coda(statement: BankStatement, *, sequence: int = 1, created: date | None = None) -> bytes:
    """A CODA 2 file of one statement of a Belgian IBAN account."""
    day = created or (
        statement.transactions[0].booked_on if statement.transactions else date(2026, 1, 1)
    )
    opening = statement.opening_balance or Decimal(0)
    moved = sum((t.amount if t.credit else -t.amount for t in statement.transactions), Decimal(0))
    paper = f"{sequence:03d}"
    records = [
        _record((1, "00000"), (6, f"{day:%d%m%y}"), (12, "000"), (15, "05"), (128, "2")),
        _record(
            (1, "12"),
            (3, paper),
            (6, statement.account_iban),
            (40, statement.currency),
            (43, "".join(_coda_amount(opening))),
            (59, f"{day:%d%m%y}"),
            (65, "PARTAGE"),
            (126, paper),
        ),
    ]
    for number, t in enumerate(statement.transactions, start=1):
        sign, digits = _coda_amount(t.amount if t.credit else -t.amount)
        if t.structured_reference:
            communication = (62, "1101" + t.structured_reference)
        else:
            communication = (62, "0" + (t.remittance or "")[:53])
        records.append(
            _record(
                (1, "21"),
                (3, f"{number:04d}0000"),
                (11, t.key[-21:]),
                (32, sign + digits),
                (48, f"{t.value_on:%d%m%y}"),
                (54, "00150000"),
                communication,
                (116, f"{t.booked_on:%d%m%y}"),
                (122, paper),
                (125, "0"),
                (126, "1"),
                (128, "0"),
            )
        )
        records.append(
            _record(
                (1, "23"),
                (3, f"{number:04d}0000"),
                (11, (t.counterparty_iban or "")[:34]),
                (48, (t.counterparty_name or "")[:35]),
                (126, "0"),
                (128, "1"),
            )
        )
    records.append(
        _record(
            (1, "8"),
            (2, paper),
            (5, statement.account_iban),
            (42, "".join(_coda_amount(opening + moved))),
            (58, f"{day:%d%m%y}"),
        )
    )
    records.append(_record((1, "9")))
    return ("\r\n".join(records) + "\r\n").encode("windows-1252")
