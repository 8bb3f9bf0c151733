"""The French Fichier des écritures comptables (FEC) of a fiscal year.

A French company hands its tax auditor a copy of its accounting entries in the format of
LPF art. A47 A-1 (LPF art. L47 A, I): a flat file whose first record names the fields
and whose records hold the 18 fields of art. A47 A-1, VII 1° (BOI-CF-IOR-60-40-20,
§ 10 to § 130), in this order: JournalCode, JournalLib, EcritureNum, EcritureDate,
CompteNum, CompteLib, CompAuxNum, CompAuxLib, PieceRef, PieceDate, EcritureLib, Debit,
Credit, EcritureLet, DateLet, ValidDate, Montantdevise, Idevise.

**Whose entries.** The FEC is the legal person's books, and the cooperative is one legal
person: it holds the entries of every book, the cooperative's and each entity's, seen
as the statutory view sees them (:mod:`partage.core.ledger.statutory`). The flows
between books — the management fee on both sides, the entity current (liaison)
accounts, the guarantee fund's management movements, internal invoices — are not
operations of the legal person with anyone, so their lines are left out, and the file's
trial balance is the statutory one the annual accounts (and the liasse fiscale the
auditor compares the FEC with) are drawn from. The entries one act posted in several
books are one écriture of the legal person: they are merged, and what remains after the
elimination balances. Should an act's remaining lines not balance (a flow between books
whose two sides were posted by different acts), the act keeps its lines on the liaison
accounts, so that every écriture balances as the administration's checking tool ("Test
Compta Demat") requires.

**Which entries.** The file covers the fiscal year: the opening entries (à-nouveaux, one
écriture, the first of the file) and every entry "après opérations d'inventaire, hors
écritures de centralisation et hors écritures de solde des comptes de charges et de
produits" (BOI-CF-IOR-60-40-20, § 20): the year's closing entries, which bring income
and expense accounts to zero, are left out.

**Fields** (art. A47 A-1, VII, and BOI-CF-IOR-60-40-20, § 30 to § 130):

* EcritureNum: one continuous sequence over the file, in chronological order;
* dates as ``AAAAMMJJ``; amounts with a comma as the decimal mark, no thousands
  separator, the side not used at ``0,00``;
* CompAuxNum/CompAuxLib: the client's or supplier's code and name, on client and
  supplier account lines only (the auxiliary accounts);
* PieceRef/PieceDate: the document's number (invoice number, bank reference; else the
  act and its identifier, ``payment-12``) and the
  entry's date, which is the document's date for invoices and payments;
* EcritureLet/DateLet: the lettering of settled lines. An invoice and the payments
  allocated to it (an allocation links a payment to the invoice it settles), or a
  purchase and its payment, are lettered with one code when their lines on the client
  or supplier account balance within the file; DateLet is the day the last of them was
  posted;
* ValidDate: the day the entry was validated. The ledger refuses any change to a posted
  entry (an error is corrected by a reversing entry), so an entry is definitive, in the
  sense of PCG art. 911-4 ("procédure de clôture destinée à figer la chronologie et à
  garantir l'intangibilité"), when it is posted: its posting day;
* Montantdevise/Idevise: the original amount and its currency on lines booked from
  another currency.

**File.** Named ``<SIREN>FEC<AAAAMMJJ>.txt`` with the closing day (art. A47 A-1, IX);
fields separated by a tab or a pipe (the separator must be unique and unambiguous in
the file, art. A47 A-1, VI 4°: a field holding it is refused); records end with a line
feed (VI 1°); characters in ISO 8859-15 (art. A47 A-1, XII) or, declared in the
file's description, UTF-8.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import InvalidAct
from partage.core.contract.accounting import PostingRole
from partage.core.contract.errors import N_
from partage.core.contract.money import from_minor
from partage.core.ledger.models import Book, EntryKind, Journal
from partage.core.ledger.queries import ACCOUNT, ENTRY, LINE, report_scope
from partage.core.ledger.statutory import INTERNAL_ACTS, INTERNAL_ROLES
from partage.core.members.models import Party
from partage.core.platform import audit
from partage.core.sales.models import Allocation, Invoice, InvoiceKind

#: The 18 fields of art. A47 A-1, VII 1°, in their order.
FEC_COLUMNS = (
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "CompAuxNum",
    "CompAuxLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "Debit",
    "Credit",
    "EcritureLet",
    "DateLet",
    "ValidDate",
    "Montantdevise",
    "Idevise",
)
#: The field separators art. A47 A-1, VI 3° allows that this export writes.
SEPARATORS = {"tab": "\t", "pipe": "|"}
#: The character sets art. A47 A-1, XII allows that this export writes.
ENCODINGS = {"iso-8859-15": "iso-8859-15", "utf-8": "utf-8"}
_AUXILIARY = (PostingRole.CLIENTS.value, PostingRole.SUPPLIERS.value)
_INTERNAL = tuple(role.value for role in INTERNAL_ROLES)
_INVOICE_ACTS = (InvoiceKind.INVOICE.value, InvoiceKind.CREDIT_NOTE.value)


def fec_day(day: date) -> str:
    """A date as the FEC writes it: ``AAAAMMJJ``."""
    return day.strftime("%Y%m%d")


def fec_amount(amount: Decimal) -> str:
    """An amount as the FEC writes it: comma decimal mark, no thousands separator."""
    return f"{amount:f}".replace(".", ",")


def fec_filename(siren: str, closing: date) -> str:
    """``<SIREN>FEC<AAAAMMJJ>.txt`` (art. A47 A-1, IX): the SIREN is the first nine
    digits of the company's identifier (a SIRET starts with it)."""
    digits = "".join(ch for ch in siren if ch.isdigit())[:9]
    if len(digits) != 9:
        raise InvalidAct(
            "company_id",
            N_("the FEC is named after the nine-digit SIREN; {given} is not one"),
            given=siren,
        )
    return f"{digits}FEC{fec_day(closing)}.txt"


@dataclass
class _Line:
    id: int
    account: str
    account_name: str
    role: str | None
    debit: int
    credit: int
    partner: str | None
    original_currency: str | None
    original_amount: int | None
    letter: str = ""
    lettered_on: date | None = None


@dataclass
class _Group:
    """One écriture of the file: the entries one act posted, in every book."""

    journal: str
    journal_name: str
    day: date
    reference: str
    description: str
    validated: date
    first_entry: int
    opening: bool
    act: tuple[str, str] | None
    lines: list[_Line] = field(default_factory=list)
    internal: list[_Line] = field(default_factory=list)


@dataclass(frozen=True)
class Fec:
    """A produced FEC.

    Attributes:
        filename: ``<SIREN>FEC<AAAAMMJJ>.txt``.
        content: the file's bytes in its encoding.
        entries: how many écritures it holds.
        lines: how many records (header excluded).
        debit, credit: the file's totals (equal).
        lettered: how many lines carry a lettering code.
    """

    filename: str
    content: bytes
    entries: int
    lines: int
    debit: Decimal
    credit: Decimal
    lettered: int


def fec(
    session: Session,
    *,
    siren: str,
    start: date,
    end: date,
    separator: str = "tab",
    encoding: str = "iso-8859-15",
) -> Fec:
    """The FEC of the fiscal year ``start``–``end`` (see the module for every choice)."""
    if separator not in SEPARATORS:
        raise InvalidAct(
            "separator", N_("the FEC separates fields by tab or pipe, not {given}"), given=separator
        )
    if encoding not in ENCODINGS:
        raise InvalidAct(
            "encoding",
            N_("the FEC is written in ISO 8859-15 or UTF-8, not {given}"),
            given=encoding,
        )
    filename = fec_filename(siren, end)
    currency = report_scope(session, None)[1]
    groups = _groups(session, start, end)
    _letter(session, groups)
    names = _partner_names(session, groups)
    rows = _rows(groups, names, currency)
    sep = SEPARATORS[separator]
    text = _write(rows, sep)
    try:
        content = text.encode(ENCODINGS[encoding])
    except UnicodeEncodeError as error:
        raise InvalidAct(
            "encoding",
            N_("{given} cannot be written in ISO 8859-15: choose UTF-8"),
            given=text[error.start : error.end],
        ) from None
    debit = sum((Decimal(r[11].replace(",", ".")) for r in rows), Decimal(0))
    credit = sum((Decimal(r[12].replace(",", ".")) for r in rows), Decimal(0))
    return Fec(
        filename,
        content,
        len(groups),
        len(rows),
        debit,
        credit,
        sum(1 for r in rows if r[13]),
    )


def _groups(session: Session, start: date, end: date) -> list[_Group]:
    """The year's entries (opening and normal, never closing) merged per act, with the
    internal lines set apart."""
    query = (
        select(
            ENTRY.c.id,
            ENTRY.c.kind,
            ENTRY.c.date,
            ENTRY.c.reference,
            ENTRY.c.description,
            ENTRY.c.act_type,
            ENTRY.c.act_id,
            ENTRY.c.posted_at,
            ENTRY.c.number,
            Book.code.label("book"),
            Journal.code.label("journal"),
            Journal.name.label("journal_name"),
            LINE.c.id.label("line_id"),
            ACCOUNT.c.code.label("account"),
            ACCOUNT.c.name.label("account_name"),
            ACCOUNT.c.role,
            LINE.c.debit,
            LINE.c.credit,
            LINE.c.partner,
            LINE.c.original_currency,
            LINE.c.original_amount,
        )
        .select_from(LINE)
        .join(ENTRY, ENTRY.c.id == LINE.c.entry_id)
        .join(Book, Book.id == LINE.c.book_id)
        .join(Journal, Journal.id == ENTRY.c.journal_id)
        .join(ACCOUNT, ACCOUNT.c.id == LINE.c.account_id)
        .where(
            and_(
                LINE.c.date >= start,
                LINE.c.date <= end,
                LINE.c.kind != EntryKind.CLOSING.value,
            )
        )
        .order_by(ENTRY.c.date, ENTRY.c.id, LINE.c.id)
    )
    groups: dict[tuple[Any, ...], _Group] = {}
    for r in session.execute(query):
        opening = r.kind == EntryKind.OPENING.value
        if opening:
            key: tuple[Any, ...] = ("opening",)
        elif r.act_type:
            key = ("act", r.act_type, r.act_id, r.date)
        else:
            key = ("entry", r.id)
        group = groups.get(key)
        validated = r.posted_at.date()
        if group is None:
            group = groups[key] = _Group(
                r.journal,
                r.journal_name,
                r.date,
                r.reference
                or (
                    f"{r.act_type}-{r.act_id}" if r.act_type else f"{r.book}-{r.journal}-{r.number}"
                ),
                r.description or r.journal_name,
                validated,
                r.id,
                opening,
                (r.act_type, r.act_id) if r.act_type else None,
            )
        group.validated = max(group.validated, validated)
        line = _Line(
            r.line_id,
            r.account,
            r.account_name,
            r.role,
            int(r.debit),
            int(r.credit),
            r.partner,
            r.original_currency,
            r.original_amount,
        )
        internal = r.role in _INTERNAL or r.act_type in INTERNAL_ACTS
        (group.internal if internal else group.lines).append(line)
    kept = []
    for group in groups.values():
        if _balance(group.lines) != 0:
            group.lines = sorted(group.lines + group.internal, key=lambda ln: ln.id)
        if group.lines:
            kept.append(group)
    return sorted(kept, key=lambda g: (not g.opening, g.day, g.first_entry))


def _balance(lines: Iterable[_Line]) -> int:
    return sum(ln.debit - ln.credit for ln in lines)


def _letter(session: Session, groups: Sequence[_Group]) -> None:
    """Give one lettering code to the client or supplier lines of an invoice and the
    payments allocated to it (a purchase and its payment), when they balance."""
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    def union(a: str, b: str) -> None:
        parent[find(a)] = find(b)

    for number, payment in session.execute(
        select(Invoice.number, Allocation.payment_id).join(
            Allocation, Allocation.invoice_id == Invoice.id
        )
    ):
        union(f"sale:{number}", f"payment:{payment}")
    members: dict[tuple[str, str], list[tuple[_Line, date]]] = defaultdict(list)
    for group in groups:
        if group.act is None:
            continue
        kind, act_id = group.act
        if kind in _INVOICE_ACTS:
            node = f"sale:{act_id}"
        elif kind == "payment":
            node = f"payment:{act_id}"
        elif kind in ("purchase", "purchase_payment"):
            node = f"purchase:{act_id}"
        else:
            continue
        for line in group.lines:
            if line.role in _AUXILIARY:
                members[(line.account, find(node))].append((line, group.day))
    counter = 0
    for key in sorted(members, key=lambda k: min(ln.id for ln, _ in members[k])):
        found = members[key]
        if len(found) < 2 or _balance(ln for ln, _ in found) != 0:
            continue
        counter += 1
        code, on = _code(counter), max(day for _, day in found)
        for line, _ in found:
            line.letter, line.lettered_on = code, on


def _code(number: int) -> str:
    """The ``number``-th lettering code: AAA, AAB, ... (three letters at least)."""
    letters = ""
    n = number - 1
    while True:
        letters = chr(ord("A") + n % 26) + letters
        n = n // 26
        if n == 0:
            break
    return letters.rjust(3, "A")


def _partner_names(session: Session, groups: Sequence[_Group]) -> dict[str, str]:
    codes = {ln.partner for g in groups for ln in g.lines if ln.partner and ln.role in _AUXILIARY}
    if not codes:
        return {}
    return dict(
        session.execute(select(Party.code, Party.name).where(Party.code.in_(sorted(codes)))).all()
    )


def _rows(groups: Sequence[_Group], names: dict[str, str], currency: str) -> list[list[str]]:
    rows = []
    for number, group in enumerate(groups, start=1):
        for line in group.lines:
            auxiliary = line.role in _AUXILIARY and bool(line.partner)
            partner = line.partner or ""
            original = ""
            if line.original_currency and line.original_amount is not None:
                original = fec_amount(from_minor(line.original_amount, line.original_currency))
            rows.append(
                [
                    group.journal,
                    group.journal_name,
                    str(number),
                    fec_day(group.day),
                    line.account,
                    line.account_name,
                    partner if auxiliary else "",
                    names.get(partner, partner) if auxiliary else "",
                    group.reference,
                    fec_day(group.day),
                    group.description,
                    fec_amount(from_minor(line.debit, currency)),
                    fec_amount(from_minor(line.credit, currency)),
                    line.letter,
                    fec_day(line.lettered_on) if line.lettered_on else "",
                    fec_day(group.validated),
                    original,
                    line.original_currency or "" if original else "",
                ]
            )
    return rows


def _write(rows: Sequence[Sequence[str]], sep: str) -> str:
    """The header record, then one record per line; a field holding the separator or a
    line break is refused (art. A47 A-1, VI 4°) after line breaks and tabs in free text
    became spaces."""
    out = io.StringIO()
    for record in [list(FEC_COLUMNS), *rows]:
        fields = [" ".join(value.split()) if value.strip() else "" for value in record]
        for value in fields:
            if sep in value:
                raise InvalidAct(
                    "separator",
                    N_("{given} holds the separator: choose the other one"),
                    given=value,
                )
        out.write(sep.join(fields) + "\n")
    return out.getvalue()


def parse_fec(content: bytes, *, encoding: str = "iso-8859-15") -> list[dict[str, str]]:
    """Read a FEC back: its records as dictionaries under :data:`FEC_COLUMNS`. The
    separator is the header's (tab or pipe); a header other than the 18 fields, or a
    record of another width, is refused (what the administration's tool checks first)."""
    text = content.decode(ENCODINGS.get(encoding, encoding))
    first = text.split("\n", 1)[0]
    sep = "\t" if "\t" in first else "|"
    reader = csv.reader(io.StringIO(text), delimiter=sep, quoting=csv.QUOTE_NONE)
    header = next(reader)
    if tuple(header) != FEC_COLUMNS:
        raise InvalidAct("header", N_("the FEC header is not the 18 fields of art. A47 A-1"))
    records = []
    for number, record in enumerate(reader, start=2):
        if len(record) != len(FEC_COLUMNS):
            raise InvalidAct(
                "record", N_("record {given} does not hold 18 fields"), given=str(number)
            )
        records.append(dict(zip(FEC_COLUMNS, record, strict=True)))
    return records


def export_fec(
    session: Session,
    *,
    siren: str,
    start: date,
    end: date,
    actor: str,
    separator: str = "tab",
    encoding: str = "iso-8859-15",
) -> Fec:
    """The FEC of a fiscal year, its hand-over recorded in the audit trail (who took
    the legal person's entries, which year, the file's digest), in the caller's
    transaction."""
    made = fec(session, siren=siren, start=start, end=end, separator=separator, encoding=encoding)
    audit.record(
        session,
        actor=actor,
        action="books.export",
        subject=f"fec:{start.isoformat()}/{end.isoformat()}",
        reason=made.filename,
        data={
            "entries": made.entries,
            "lines": made.lines,
            "debit": str(made.debit),
            "credit": str(made.credit),
            "separator": separator,
            "encoding": encoding,
            "sha256": hashlib.sha256(made.content).hexdigest(),
        },
    )
    return made
