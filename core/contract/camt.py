"""Reading ISO 20022 bank-to-customer statements (camt.053, versions 001.02 to 001.13).

Parsed with lxml's incremental parser, entry by entry, so that a statement of fifty
thousand entries is read in a few seconds without holding the whole tree: each entry is
turned into a :class:`~partage.core.contract.bank.BankTransaction` and its element freed,
so the time and memory grow with the number of entries, never faster. Entities are not
expanded and nothing is fetched from the network; the file's size is bounded before it
gets here (``[limits] statement_bytes``).
The maintained CAMT parsers on PyPI were weighed and not kept: they read balances as
floats and drop the statement's identifier, which Partage needs exactly (amounts) and
for idempotency (the statement's key).

The structure is checked as it is read: a missing or malformed amount, side, date or
account is refused with the element's line in the file, and nothing is imported. The
elements read are those common to every version (``Pty`` wraps party names from
version 08 on; both shapes are accepted).

It is the core's own reading of statements: the default plugin
(:mod:`partage.core.platform.defaults`) answers ``partage_parse_bank_statement`` with it
for every file no country format claims.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from lxml import etree

from partage.core.contract.bank import BankStatement, BankTransaction
from partage.core.contract.errors import PartageError

NAMESPACE_PREFIX = "urn:iso:std:iso:20022:tech:xsd:camt.053.001."


class CamtError(PartageError):
    """A camt.053 file is malformed. The message names the element, its line and the
    rule."""


@dataclass
class _Reader:
    namespace: str
    paths: dict[str, str] = field(default_factory=dict)

    def q(self, path: str) -> str:
        """The path with every step in the file's namespace (computed once per path)."""
        found = self.paths.get(path)
        if found is None:
            found = "/".join(f"{{{self.namespace}}}{part}" for part in path.split("/"))
            self.paths[path] = found
        return found

    def text(self, node: etree._Element, path: str) -> str | None:
        value = node.findtext(self.q(path))
        return value.strip() or None if value else None

    def first(self, node: etree._Element, *paths: str) -> str | None:
        for path in paths:
            value = self.text(node, path)
            if value:
                return value
        return None

    def required(self, node: etree._Element, path: str, what: str) -> str:
        value = self.text(node, path)
        if value is None:
            raise CamtError(
                "camt.053 line",
                f"{etree.QName(node).localname} has no {path} ({what})",
                value=node.sourceline,
            )
        return value

    def amount(self, node: etree._Element, path: str) -> Decimal:
        text = self.required(node, path, "amount")
        try:
            value = Decimal(text)
        except InvalidOperation:
            value = Decimal(-1)
        if not value.is_finite() or value < 0 or value.as_tuple().exponent < -2:  # type: ignore[operator]
            raise CamtError(
                "camt.053 line",
                f"{path} {text!r} is not a positive amount with at most two decimals",
                value=node.sourceline,
            )
        return value

    def day(self, node: etree._Element, path: str) -> date:
        text = self.first(node, f"{path}/Dt", f"{path}/DtTm")
        if text is None:
            raise CamtError("camt.053 line", f"{path} has no date", value=node.sourceline)
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            raise CamtError(
                "camt.053 line", f"{path} {text!r} is not a date", value=node.sourceline
            ) from None

    def credit(self, node: etree._Element) -> bool:
        side = self.required(node, "CdtDbtInd", "credit or debit")
        if side not in ("CRDT", "DBIT"):
            raise CamtError(
                "camt.053 line", f"CdtDbtInd {side!r} must be CRDT or DBIT", value=node.sourceline
            )
        return side == "CRDT"


def _party(reader: _Reader, details: etree._Element, credit: bool) -> tuple[str | None, str | None]:
    """Name and IBAN of the other party: the debtor of money in, the creditor of money out."""
    role = "Dbtr" if credit else "Cdtr"
    name = reader.first(details, f"RltdPties/{role}/Nm", f"RltdPties/{role}/Pty/Nm")
    iban = reader.text(details, f"RltdPties/{role}Acct/Id/IBAN")
    return name, iban


def _transactions(
    reader: _Reader, entry: etree._Element, statement_id: str, index: int
) -> list[BankTransaction]:
    amount = reader.amount(entry, "Amt")
    credit = reader.credit(entry)
    booked = reader.day(entry, "BookgDt")
    value = reader.day(entry, "ValDt") if entry.find(reader.q("ValDt")) is not None else booked
    base_key = reader.first(entry, "AcctSvcrRef", "NtryRef") or f"{statement_id}#{index}"
    details = entry.findall(reader.q("NtryDtls/TxDtls"))
    if len(details) <= 1:
        parts = [(details[0] if details else None, amount, base_key)]
    else:
        parts = [
            (
                d,
                reader.amount(d, "Amt")
                if d.find(reader.q("Amt")) is not None
                else reader.amount(d, "AmtDtls/TxAmt/Amt"),
                f"{base_key}/{n}",
            )
            for n, d in enumerate(details, start=1)
        ]
        total = sum((a for _, a, _ in parts), Decimal(0))
        if total != amount:
            raise CamtError(
                "camt.053 line",
                f"the entry's {len(parts)} transactions sum to {total}, the entry says {amount}",
                value=entry.sourceline,
            )
    entry_code = _code(reader, entry)
    found = []
    for node, part_amount, key in parts:
        name = iban = reference = remittance = end_to_end = reason = None
        code = entry_code
        if node is not None:
            code = _code(reader, node) or entry_code
            reason = reader.first(node, "RtrInf/Rsn/Cd", "RtrInf/Rsn/Prtry")
            name, iban = _party(reader, node, credit)
            reference = reader.text(node, "RmtInf/Strd/CdtrRefInf/Ref")
            lines = [e.text.strip() for e in node.findall(reader.q("RmtInf/Ustrd")) if e.text]
            remittance = " ".join(lines) or None
            end_to_end = reader.text(node, "Refs/EndToEndId")
            if end_to_end == "NOTPROVIDED":
                end_to_end = None
        found.append(
            BankTransaction(
                key=key,
                amount=part_amount,
                credit=credit,
                booked_on=booked,
                value_on=value,
                counterparty_name=name,
                counterparty_iban=iban,
                structured_reference=reference,
                remittance=remittance,
                end_to_end_id=end_to_end,
                code=code,
                return_reason=reason,
            )
        )
    return found


def _code(reader: _Reader, node: etree._Element) -> str | None:
    """The ISO bank transaction code of an entry or a transaction (``BkTxCd/Domn``),
    as ``DOMAIN/FAMILY/SUBFAMILY``, if given."""
    domain = reader.text(node, "BkTxCd/Domn/Cd")
    if domain is None:
        return None
    family = reader.text(node, "BkTxCd/Domn/Fmly/Cd") or ""
    sub = reader.text(node, "BkTxCd/Domn/Fmly/SubFmlyCd") or ""
    return f"{domain}/{family}/{sub}"


def _balance(reader: _Reader, statement: etree._Element, code: str) -> Decimal | None:
    for balance in statement.findall(reader.q("Bal")):
        if reader.first(balance, "Tp/CdOrPrtry/Cd") == code:
            value = reader.amount(balance, "Amt")
            return value if reader.credit(balance) else -value
    return None


def _currency(reader: _Reader, statement: etree._Element) -> str:
    """The account's currency, else the currency of its first balance."""
    given = reader.text(statement, "Acct/Ccy")
    if given:
        return given
    amount = statement.find(reader.q("Bal/Amt"))
    if amount is None or not amount.get("Ccy"):
        raise CamtError(
            "camt.053 line", "the statement gives no currency", value=statement.sourceline
        )
    return str(amount.get("Ccy"))


def _root(content: bytes) -> etree._Element:
    """The root element alone, read from the file's first start tag."""
    try:
        for _event, element in etree.iterparse(
            io.BytesIO(content), events=("start",), resolve_entities=False, no_network=True
        ):
            return element
    except etree.XMLSyntaxError as error:
        raise CamtError(
            "camt.053 line", f"not well-formed XML: {error.msg}", value=error.lineno
        ) from None
    raise CamtError("camt.053", "the file is empty")


def read_camt053(content: bytes) -> list[BankStatement]:
    """Every statement of a camt.053 file, or :class:`CamtError`."""
    statements: list[BankStatement] = []
    pending: list[BankTransaction] = []
    index = 0
    root = _root(content)
    namespace = etree.QName(root).namespace or ""
    if etree.QName(root).localname != "Document" or not namespace.startswith(NAMESPACE_PREFIX):
        raise CamtError(
            "camt.053 line",
            f"the root element is {root.tag}, not a camt.053 Document",
            value=root.sourceline,
        )
    reader = _Reader(namespace)
    ntry, stmt = f"{{{namespace}}}Ntry", f"{{{namespace}}}Stmt"
    parser = etree.iterparse(
        io.BytesIO(content),
        events=("end",),
        tag=(ntry, stmt),
        resolve_entities=False,
        no_network=True,
        huge_tree=True,
    )
    statement_id = "statement"
    try:
        for _event, element in parser:
            if element.tag == ntry:
                index += 1
                if index == 1:
                    statement_id = reader.text(element.getparent(), "Id") or statement_id
                pending.extend(_transactions(reader, element, statement_id, index))
                element.clear(keep_tail=False)  # its content is freed now, the shell next
                previous = element.getprevious()
                if previous is not None and previous.tag == ntry:
                    element.getparent().remove(previous)
            else:
                statements.append(
                    BankStatement(
                        format="camt.053",
                        statement_id=reader.required(element, "Id", "statement identifier"),
                        account_iban=reader.required(element, "Acct/Id/IBAN", "account IBAN"),
                        currency=_currency(reader, element),
                        transactions=tuple(pending),
                        opening_balance=_balance(reader, element, "OPBD"),
                        closing_balance=_balance(reader, element, "CLBD"),
                    )
                )
                pending, index = [], 0
                element.clear(keep_tail=False)
    except etree.XMLSyntaxError as error:
        raise CamtError(
            "camt.053 line", f"not well-formed XML: {error.msg}", value=error.lineno
        ) from None
    if not statements:
        raise CamtError("camt.053", "the file holds no statement (Stmt)")
    return statements
