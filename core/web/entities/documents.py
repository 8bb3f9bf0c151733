"""An entity's lists of documents — quotes, invoices, purchases, expenses, contracts
and payslips — searched, filtered by status and period, sorted and paged in the
database, for its page, its exports (CSV, PDF) and the API alike.

Each list is described once (:class:`Listing`): the query of its rows, the columns
searched, its statuses as SQL conditions, the date its period reads and the columns it
may be sorted on. One search (:func:`search`) answers every list with two queries — the
page's rows (``LIMIT``/``OFFSET``) and their count — so an entity with thousands of
invoices costs the same as one with ten. The access rules have decided beforehand which
entity may be asked about (:func:`partage.core.access.roles.reachable_entity`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from sqlalchemy import ColumnElement, and_, case, func, literal, or_, select
from sqlalchemy.orm import Session, aliased

from partage.core.acts.cooperative import InvalidAct
from partage.core.contract.errors import N_
from partage.core.contract.money import from_minor
from partage.core.documents.pdf import FONT, FONTS
from partage.core.members.models import Entity, Member, Party, Person
from partage.core.payroll.models import Contract, PayslipRecord
from partage.core.sales.models import Invoice, InvoiceKind, Quote
from partage.core.sales.receivables import OUTSTANDING
from partage.core.spending.models import ExpenseClaim, Purchase

#: A column or condition of a list's query (SQLAlchemy's attribute and expression
#: types do not meet in one annotation).
Expression = Any

#: Rows a page shows unless asked otherwise, and the most one page may show.
PER_PAGE, MOST_PER_PAGE = 25, 200
#: The most rows one export carries (a year of a busy entity, many times over).
MOST_EXPORTED = 10_000


@dataclass(frozen=True)
class Column:
    """One column of a list: its key in a row, its heading and how it is shown
    (``text``, ``money``, ``date`` or ``status``)."""

    key: str
    label: str
    shows: str = "text"


@dataclass(frozen=True)
class Listing:
    """How one list of an entity's documents is read.

    Attributes:
        name: the list's name in addresses (``invoices``).
        title: its heading.
        columns: what each row shows, in order.
        rows: the query of the rows of an entity (``entity_id`` given), with a label per
            column key, ``link`` (the document's reference for its page) and ``status``.
        searched: the expressions a search looks into.
        statuses: each status offered as a filter and its SQL condition.
        dated: the date a period filter and the default order read.
        sorts: the columns the list may be sorted on, by name.
        link: the address of a row's page from the entity's code and the row's
            ``link``, when documents of that kind have a page.
    """

    name: str
    title: str
    columns: tuple[Column, ...]
    rows: Callable[[int, date], Any]
    searched: Callable[[], list[Expression]]
    statuses: Callable[[date], Mapping[str, Expression]]
    dated: Callable[[], Expression]
    sorts: Callable[[], Mapping[str, Expression]]
    link: str | None = None
    status_words: Mapping[str, str] = field(default_factory=dict)


# --- the lists ---------------------------------------------------------------------------
SUPPLIER = aliased(Party, name="supplier")


def _invoice_status(today: date) -> ColumnElement[str]:
    return case(
        (Invoice.kind == InvoiceKind.CREDIT_NOTE.value, literal("credit_note")),
        (Invoice.written_off_on.is_not(None), literal("written_off")),
        (OUTSTANDING <= 0, literal("paid")),
        (Invoice.due_on < today, literal("overdue")),
        else_=literal("open"),
    )


def _invoices(entity_id: int, today: date) -> Any:
    return (
        select(
            Invoice.number.label("number"),
            Party.name.label("client"),
            Invoice.issued_on.label("issued_on"),
            Invoice.due_on.label("due_on"),
            Invoice.total.label("total"),
            case(
                (Invoice.kind == InvoiceKind.CREDIT_NOTE.value, literal(0)),
                (Invoice.written_off_on.is_not(None), literal(0)),
                (OUTSTANDING > 0, OUTSTANDING),
                else_=literal(0),
            ).label("outstanding"),
            _invoice_status(today).label("status"),
            Invoice.number.label("link"),
        )
        .join(Party, Party.id == Invoice.party_id)
        .where(Invoice.entity_id == entity_id)
    )


INVOICES = Listing(
    name="invoices",
    title=N_("Invoices"),
    columns=(
        Column("number", N_("Invoice")),
        Column("client", N_("Client")),
        Column("issued_on", N_("Issued on"), "date"),
        Column("due_on", N_("Due on"), "date"),
        Column("total", N_("Total, VAT included"), "money"),
        Column("outstanding", N_("Still owed"), "money"),
        Column("status", N_("Status"), "status"),
    ),
    rows=_invoices,
    searched=lambda: [Invoice.number, Party.name, Invoice.tender_reference],
    statuses=lambda today: {
        "open": and_(
            Invoice.kind == InvoiceKind.INVOICE.value,
            Invoice.written_off_on.is_(None),
            OUTSTANDING > 0,
        ),
        "overdue": and_(
            Invoice.kind == InvoiceKind.INVOICE.value,
            Invoice.written_off_on.is_(None),
            Invoice.due_on < today,
            OUTSTANDING > 0,
        ),
        "paid": and_(
            Invoice.kind == InvoiceKind.INVOICE.value,
            Invoice.written_off_on.is_(None),
            OUTSTANDING <= 0,
        ),
        "credit_note": Invoice.kind == InvoiceKind.CREDIT_NOTE.value,
        "written_off": Invoice.written_off_on.is_not(None),
    },
    dated=lambda: Invoice.issued_on,
    sorts=lambda: {
        "date": Invoice.issued_on,
        "number": Invoice.number,
        "name": Party.name,
        "due": Invoice.due_on,
        "total": Invoice.total,
    },
    link="/entities/{code}/invoices/{ref}",
    status_words={
        "open": N_("to be paid"),
        "overdue": N_("overdue"),
        "paid": N_("paid"),
        "credit_note": N_("credit note"),
        "written_off": N_("written off"),
    },
)


def _quotes(entity_id: int, today: date) -> Any:
    return (
        select(
            Quote.reference.label("reference"),
            Quote.version.label("version"),
            Party.name.label("client"),
            Quote.issued_on.label("issued_on"),
            Quote.valid_until.label("valid_until"),
            Quote.total.label("total"),
            Quote.status.label("status"),
            Quote.reference.label("link"),
        )
        .join(Party, Party.id == Quote.party_id)
        .where(Quote.entity_id == entity_id)
    )


QUOTES = Listing(
    name="quotes",
    title=N_("Quotes"),
    columns=(
        Column("reference", N_("Quote")),
        Column("version", N_("Version")),
        Column("client", N_("Client")),
        Column("issued_on", N_("Issued on"), "date"),
        Column("valid_until", N_("Valid until"), "date"),
        Column("total", N_("Total, VAT included"), "money"),
        Column("status", N_("Status"), "status"),
    ),
    rows=_quotes,
    searched=lambda: [Quote.reference, Party.name],
    statuses=lambda today: {
        status: Quote.status == status
        for status in ("sent", "accepted", "refused", "expired", "superseded")
    },
    dated=lambda: Quote.issued_on,
    sorts=lambda: {
        "date": Quote.issued_on,
        "number": Quote.reference,
        "name": Party.name,
        "total": Quote.total,
    },
    link="/entities/{code}/quotes/{ref}",
    status_words={
        "sent": N_("sent"),
        "accepted": N_("accepted"),
        "refused": N_("refused"),
        "expired": N_("expired"),
        "superseded": N_("superseded"),
    },
)


def _purchases(entity_id: int, today: date) -> Any:
    return (
        select(
            Purchase.supplier_reference.label("reference"),
            SUPPLIER.name.label("supplier"),
            Purchase.on.label("on"),
            Purchase.due_on.label("due_on"),
            Purchase.total.label("total"),
            case(
                (Purchase.kind == InvoiceKind.CREDIT_NOTE.value, literal("credit_note")),
                (Purchase.paid_on.is_not(None), literal("paid")),
                else_=literal("open"),
            ).label("status"),
            Purchase.paid_on.label("paid_on"),
            literal(None).label("link"),
        )
        .join(SUPPLIER, SUPPLIER.id == Purchase.party_id)
        .where(Purchase.entity_id == entity_id)
    )


PURCHASES = Listing(
    name="purchases",
    title=N_("Supplier invoices"),
    columns=(
        Column("reference", N_("Reference")),
        Column("supplier", N_("Supplier")),
        Column("on", N_("Date"), "date"),
        Column("due_on", N_("Due on"), "date"),
        Column("total", N_("Total, VAT included"), "money"),
        Column("paid_on", N_("Paid on"), "date"),
        Column("status", N_("Status"), "status"),
    ),
    rows=_purchases,
    searched=lambda: [Purchase.supplier_reference, SUPPLIER.name, Purchase.description],
    statuses=lambda today: {
        "open": and_(Purchase.kind == InvoiceKind.INVOICE.value, Purchase.paid_on.is_(None)),
        "paid": and_(Purchase.kind == InvoiceKind.INVOICE.value, Purchase.paid_on.is_not(None)),
        "credit_note": Purchase.kind == InvoiceKind.CREDIT_NOTE.value,
    },
    dated=lambda: Purchase.on,
    sorts=lambda: {
        "date": Purchase.on,
        "number": Purchase.supplier_reference,
        "name": SUPPLIER.name,
        "due": Purchase.due_on,
        "total": Purchase.total,
    },
    status_words={"open": N_("to be paid"), "paid": N_("paid"), "credit_note": N_("credit note")},
)

WORKER = (Person.first_name + " " + Person.last_name).label("worker")


def _expenses(entity_id: int, today: date) -> Any:
    return (
        select(
            ExpenseClaim.on.label("on"),
            WORKER,
            ExpenseClaim.category.label("category"),
            ExpenseClaim.description.label("description"),
            ExpenseClaim.total.label("total"),
            ExpenseClaim.reimbursed_on.label("reimbursed_on"),
            case(
                (ExpenseClaim.reimbursed_on.is_not(None), literal("reimbursed")),
                else_=literal("owed"),
            ).label("status"),
            literal(None).label("link"),
        )
        .join(Member, Member.id == ExpenseClaim.member_id)
        .join(Person, Person.id == Member.person_id)
        .where(ExpenseClaim.entity_id == entity_id)
    )


EXPENSES = Listing(
    name="expenses",
    title=N_("Expenses"),
    columns=(
        Column("on", N_("Date"), "date"),
        Column("worker", N_("Worker")),
        Column("category", N_("Category"), "category"),
        Column("description", N_("Description")),
        Column("total", N_("Total, VAT included"), "money"),
        Column("reimbursed_on", N_("Reimbursed on"), "date"),
        Column("status", N_("Status"), "status"),
    ),
    rows=_expenses,
    searched=lambda: [
        ExpenseClaim.description,
        ExpenseClaim.category,
        Person.first_name + " " + Person.last_name,
    ],
    statuses=lambda today: {
        "owed": ExpenseClaim.reimbursed_on.is_(None),
        "reimbursed": ExpenseClaim.reimbursed_on.is_not(None),
    },
    dated=lambda: ExpenseClaim.on,
    sorts=lambda: {
        "date": ExpenseClaim.on,
        "name": Person.last_name,
        "total": ExpenseClaim.total,
    },
    status_words={"owed": N_("to be reimbursed"), "reimbursed": N_("reimbursed")},
)


def _contracts(entity_id: int, today: date) -> Any:
    return (
        select(
            Contract.code.label("code"),
            WORKER,
            Contract.start.label("start"),
            Contract.end.label("end"),
            Contract.monthly_gross.label("monthly_gross"),
            Contract.hourly_rate.label("hourly_rate"),
            case(
                (Contract.start > today, literal("future")),
                (and_(Contract.end.is_not(None), Contract.end < today), literal("ended")),
                else_=literal("running"),
            ).label("status"),
            literal(None).label("link"),
        )
        .join(Member, Member.id == Contract.member_id)
        .join(Person, Person.id == Member.person_id)
        .where(Contract.entity_id == entity_id)
    )


CONTRACTS = Listing(
    name="contracts",
    title=N_("Contracts"),
    columns=(
        Column("code", N_("Contract")),
        Column("worker", N_("Worker")),
        Column("start", N_("From"), "date"),
        Column("end", N_("To"), "date"),
        Column("monthly_gross", N_("Monthly gross"), "money"),
        Column("hourly_rate", N_("Hourly rate"), "money"),
        Column("status", N_("Status"), "status"),
    ),
    rows=_contracts,
    searched=lambda: [Contract.code, Person.first_name + " " + Person.last_name],
    statuses=lambda today: {
        "running": and_(
            Contract.start <= today, or_(Contract.end.is_(None), Contract.end >= today)
        ),
        "ended": and_(Contract.end.is_not(None), Contract.end < today),
        "future": Contract.start > today,
    },
    dated=lambda: Contract.start,
    sorts=lambda: {"date": Contract.start, "number": Contract.code, "name": Person.last_name},
    status_words={"running": N_("running"), "ended": N_("ended"), "future": N_("to come")},
)


def _payslips(entity_id: int, today: date) -> Any:
    return (
        select(
            PayslipRecord.period_start.label("period_start"),
            Contract.code.label("contract"),
            WORKER,
            PayslipRecord.gross.label("gross"),
            PayslipRecord.net.label("net"),
            PayslipRecord.employer_cost.label("employer_cost"),
            PayslipRecord.paid_on.label("paid_on"),
            literal("paid").label("status"),
            literal(None).label("link"),
        )
        .join(Contract, Contract.id == PayslipRecord.contract_id)
        .join(Member, Member.id == Contract.member_id)
        .join(Person, Person.id == Member.person_id)
        .where(Contract.entity_id == entity_id)
    )


PAYSLIPS = Listing(
    name="payslips",
    title=N_("Payslips"),
    columns=(
        Column("period_start", N_("Month"), "date"),
        Column("contract", N_("Contract")),
        Column("worker", N_("Worker")),
        Column("gross", N_("Gross pay"), "money"),
        Column("net", N_("Net pay"), "money"),
        Column("employer_cost", N_("Cost to the entity"), "money"),
        Column("paid_on", N_("Paid on"), "date"),
    ),
    rows=_payslips,
    searched=lambda: [Contract.code, Person.first_name + " " + Person.last_name],
    statuses=lambda today: {},
    dated=lambda: PayslipRecord.period_start,
    sorts=lambda: {
        "date": PayslipRecord.period_start,
        "number": Contract.code,
        "name": Person.last_name,
        "total": PayslipRecord.employer_cost,
    },
)

#: Every list, by its name in addresses, in the order the entity page shows them.
LISTS: dict[str, Listing] = {
    x.name: x for x in (QUOTES, INVOICES, PURCHASES, EXPENSES, CONTRACTS, PAYSLIPS)
}
#: The keys of rows holding money (minor units in the database).
MONEY = frozenset(
    c.key for listing in LISTS.values() for c in listing.columns if c.shows == "money"
)


# --- asking ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Query:
    """What a list is asked for.

    Attributes:
        text: searched in the list's references and names.
        status: one of the list's statuses, or ``None`` for all.
        period: ``YYYY`` or ``YYYY-MM``, the year or month of the list's date.
        sort: a sort key of the list, ``-`` first for descending (``-date``: newest first).
        page: 1 for the first page.
        per_page: rows per page.
    """

    text: str = ""
    status: str | None = None
    period: str | None = None
    sort: str = "-date"
    page: int = 1
    per_page: int = PER_PAGE

    def params(self, **changed: object) -> dict[str, str]:
        """The address's parameters asking for this query (with ``changed`` ones), the
        defaults left out."""
        values: dict[str, object] = {
            "q": self.text,
            "status": self.status or "",
            "period": self.period or "",
            "sort": "" if self.sort == "-date" else self.sort,
            "page": "" if self.page == 1 else self.page,
            "per_page": "" if self.per_page == PER_PAGE else self.per_page,
        }
        values.update(changed)
        return {k: str(v) for k, v in values.items() if v not in ("", None)}


#: The address's parameters of a list, in :func:`query_of`'s order.
ASKED = ("q", "status", "period", "sort", "page", "per_page")


def query_of(
    listing: Listing,
    text: str | None = None,
    status: str | None = None,
    period: str | None = None,
    sort: str | None = None,
    page: str | int | None = None,
    per_page: str | int | None = None,
) -> Query:
    """A :class:`Query` of ``listing`` from a form or an address; a bad value is refused
    naming its field."""

    def number(raw: str | int | None, name: str, default: int, most: int) -> int:
        if raw in (None, ""):
            return default
        given = str(raw).strip()
        if not (given.isascii() and given.isdigit()) or not 1 <= int(given) <= most:
            raise InvalidAct(
                name, N_("{raw} is not a whole number from 1 to {most}"), raw=repr(raw), most=most
            )
        return int(given)

    statuses = tuple(listing.statuses(date.today()))
    if status and status not in statuses:
        raise InvalidAct(
            "status", N_("{raw} is not one of {allowed}"), raw=repr(status), allowed=statuses
        )
    if period and _period(period) is None:
        raise InvalidAct(
            "period", N_("{raw} is not a year (2026) or a month (2026-03)"), raw=repr(period)
        )
    sorts = tuple(listing.sorts())
    order = (sort or "-date").strip()
    if order.removeprefix("-") not in sorts:
        allowed = tuple(k for s in sorts for k in (s, f"-{s}"))
        raise InvalidAct(
            "sort", N_("{raw} is not one of {allowed}"), raw=repr(sort), allowed=allowed
        )
    return Query(
        text=(text or "").strip()[:100],
        status=status or None,
        period=(period or "").strip() or None,
        sort=order,
        page=number(page, "page", 1, 100_000),
        per_page=number(per_page, "per_page", PER_PAGE, MOST_PER_PAGE),
    )


def _period(text: str) -> tuple[date, date] | None:
    """The first day of ``text`` (``YYYY`` or ``YYYY-MM``) and the first day after it."""
    try:
        if len(text) == 4 and text.isdigit():
            year = int(text)
            return date(year, 1, 1), date(year + 1, 1, 1)
        if len(text) == 7 and text[4] == "-" and text[:4].isdigit() and text[5:].isdigit():
            start = date(int(text[:4]), int(text[5:]), 1)
            after = date(start.year + start.month // 12, start.month % 12 + 1, 1)
            return start, after
    except ValueError:
        return None
    return None


@dataclass(frozen=True)
class Found:
    """A page of a list and how many rows match in all."""

    listing: Listing
    rows: list[dict[str, Any]]
    total: int
    query: Query

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.query.per_page))


def search(
    session: Session,
    currency: str,
    listing: Listing,
    entity: Entity,
    query: Query,
    today: date,
    *,
    everything: bool = False,
) -> Found:
    """One page of ``listing`` for ``entity`` matching ``query`` (``everything``: every
    matching row up to :data:`MOST_EXPORTED`, for an export); money as decimals."""
    conditions: list[Expression] = []
    if query.text:
        # autoescape: a % or _ typed is searched as itself, not as a wildcard
        conditions.append(
            or_(*(c.icontains(query.text, autoescape=True) for c in listing.searched()))
        )
    if query.status:
        conditions.append(listing.statuses(today)[query.status])
    if query.period:
        start, after = _period(query.period) or (date.min, date.max)
        dated = listing.dated()
        conditions.append(and_(dated >= start, dated < after))
    base = listing.rows(entity.id, today).where(*conditions)
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    sort = listing.sorts()[query.sort.removeprefix("-")]
    tie = listing.dated()
    descending = query.sort.startswith("-")
    ordered = base.order_by(
        sort.desc() if descending else sort.asc(), tie.desc() if descending else tie.asc()
    )
    if everything:
        ordered = ordered.limit(MOST_EXPORTED)
    else:
        ordered = ordered.limit(query.per_page).offset((query.page - 1) * query.per_page)
    rows = []
    for row in session.execute(ordered).mappings():
        values = dict(row)
        for key in MONEY & values.keys():
            if values[key] is not None:
                values[key] = from_minor(int(values[key]), currency)
        rows.append(values)
    return Found(listing, rows, int(total), query)


# --- exports -----------------------------------------------------------------------------
Say = Callable[[str], str]


def shown(column: Column, value: Any, say: Say, words: Mapping[str, Callable[[Any], str]]) -> str:
    """A value as a reader sees it: dates and amounts the reader's way, statuses in
    words (``words`` gives ``amount``, ``day`` and ``category``)."""
    if value is None:
        return ""
    if column.shows == "money":
        return words["amount"](value)
    if column.shows == "date":
        return words["day"](value)
    if column.shows == "category":
        return words["category"](value)
    return str(value)


def status_text(listing: Listing, status: str, say: Say) -> str:
    return say(listing.status_words[status]) if status in listing.status_words else status


def as_csv(found: Found, say: Say) -> str:
    """The rows as CSV, headed by the columns' names in the reader's language; dates in
    ISO form and amounts as plain decimals, so a spreadsheet reads them as such."""
    out = io.StringIO()
    writer = csv.writer(out)
    columns = found.listing.columns
    writer.writerow([say(c.label) for c in columns])
    for row in found.rows:
        line = []
        for c in columns:
            value = row.get(c.key)
            if value is None:
                line.append("")
            elif c.shows == "status":
                line.append(status_text(found.listing, str(value), say))
            elif isinstance(value, date):
                line.append(value.isoformat())
            elif isinstance(value, Decimal):
                line.append(str(value))
            else:
                line.append(_spreadsheet_safe(str(value)))
        writer.writerow(line)
    return out.getvalue()


def _spreadsheet_safe(text: str) -> str:
    """A text a spreadsheet shows as text: one starting like a formula (``=``, ``+``,
    ``-``, ``@``) is prefixed with an apostrophe, so a supplier's name never runs."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def as_pdf(
    found: Found,
    say: Say,
    words: Mapping[str, Callable[[Any], str]],
    *,
    heading: str,
    subtitle: str,
    on: date,
) -> bytes:
    """The rows as a landscape A4 table, headed by the entity and the filters asked."""
    pdf = FPDF(orientation="L", format="A4")
    pdf.set_title(heading)
    pdf.set_creation_date(datetime.combine(on, time(), UTC))
    pdf.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_font(FONT, "B", 14)
    pdf.multi_cell(width, 8, heading, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 9)
    pdf.multi_cell(width, 5, subtitle, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    columns = found.listing.columns
    with pdf.table(
        col_widths=tuple(
            3 if c.key in ("client", "supplier", "worker", "description") else 2 for c in columns
        ),
        text_align=tuple("RIGHT" if c.shows == "money" else "LEFT" for c in columns),
        line_height=5,
        first_row_as_headings=True,
    ) as table:
        head = table.row()
        for c in columns:
            head.cell(say(c.label))
        for row in found.rows:
            cells = table.row()
            for c in columns:
                value = row.get(c.key)
                if c.shows == "status" and value is not None:
                    cells.cell(status_text(found.listing, str(value), say))
                else:
                    cells.cell(shown(c, value, say, words))
    return bytes(pdf.output())
