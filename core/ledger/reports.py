"""Reports derived from posted lines: balance sheet, profit and loss, and an entity's
available funds.

Every report is computed by one aggregate query over the kept balances
(:mod:`.balances`: monthly sums, and the lines of a month a range cuts in two), for one book or,
with ``book=None``, for the whole instance (the sum of every book, internal flows
included: the management view; :mod:`.queries`). The legal person's statements, with
the flows between books eliminated, are :mod:`.statutory`'s. The trial balance
(:mod:`.trial_balances`), the general ledger (:mod:`.general_ledgers`) and the CSV
export of the journal (:mod:`.exports`) are built the same way. Available funds are
one query grouped by book (:func:`funds_query`), for one book or thousands: the
solvency rule, the payroll runs and the web pages all read them from it. Amounts come
back as ``Decimal``; balances are signed debit-positive unless a report says otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from partage.core.contract.accounting import AccountType, PostingRole
from partage.core.contract.money import from_minor
from partage.core.ledger.balances import cut_after, movements
from partage.core.ledger.models import Book, EntryKind
from partage.core.ledger.queries import ACCOUNT, check_range, report_scope
from partage.core.platform.db.engine import chunks


# --- balance sheet and profit and loss ----------------------------------------------------
@dataclass
class Section:
    """A node of a statement in the chart's layout: an account and what it encloses.

    Attributes:
        code: account code.
        name: account name.
        amount: the node's amount including its children, signed for the statement
            (assets and expenses debit positive; liabilities, equity and income credit
            positive).
        children: enclosed accounts with a non-zero amount.
    """

    code: str
    name: str
    amount: Decimal
    children: list[Section] = field(default_factory=list)


@dataclass(frozen=True)
class Statement:
    """A balance sheet or a profit-and-loss account.

    Attributes:
        title: the statement's name.
        currency: the currency.
        sides: named columns (``Assets``, ``Liabilities and equity``; ``Expenses``,
            ``Income``), each a list of top-level sections.
        totals: each side's total.
        result: the period's result (income minus expenses), shown in equity on the
            balance sheet until the year is closed.
    """

    title: str
    currency: str
    sides: dict[str, list[Section]]
    totals: dict[str, Decimal]
    result: Decimal


def _balances(
    session: Session,
    book_id: int | None,
    *,
    start: date | None = None,
    end: date | None = None,
    normal_only: bool = False,
    accounts: Sequence[int] | None = None,
) -> dict[int, int]:
    """Each account's balance (debit positive) in a book (``None``: every book) from
    ``start`` to ``end`` (``None``: no limit), of normal entries only or of every entry
    but opening ones, read from the kept balances (:mod:`.balances`)."""

    def conditions(row: Any) -> list[ColumnElement[bool]]:
        found = [
            row.kind == EntryKind.NORMAL.value
            if normal_only
            else row.kind != EntryKind.OPENING.value
        ]
        if book_id is not None:
            found.append(row.book_id == book_id)
        if accounts is not None:
            found.append(row.account_id.in_(accounts))
        return found

    cuts = ([] if start is None else [start]) + cut_after(end)
    rows = movements(conditions, end=end, cuts=cuts).c
    query = select(rows.account_id, func.sum(rows.debit - rows.credit)).group_by(rows.account_id)
    if start is not None:
        query = query.where(rows.date >= start)
    return {account_id: int(total) for account_id, total in session.execute(query) if total}


def chart_tree(session: Session, amounts: dict[str, Decimal], types: set[str]) -> list[Section]:
    """Roll account amounts up the chart's parent links, keeping non-zero nodes."""
    chart = {
        r.code: r
        for r in session.execute(
            select(ACCOUNT.c.code, ACCOUNT.c.name, ACCOUNT.c.type, ACCOUNT.c.parent_code)
        )
    }
    nodes: dict[str, Section] = {}

    def node(code: str) -> Section:
        if code not in nodes:
            nodes[code] = Section(code, chart[code].name, Decimal(0))
            parent = chart[code].parent_code
            if parent in chart:
                node(parent).children.append(nodes[code])
        return nodes[code]

    for code, amount in amounts.items():
        if chart[code].type in types and amount:
            current: str | None = code
            while current is not None and current in chart:
                node(current).amount += amount
                current = chart[current].parent_code
    for section in nodes.values():
        section.children.sort(key=lambda s: s.code)
    roots = [s for code, s in nodes.items() if chart[code].parent_code not in chart]
    return sorted(roots, key=lambda s: s.code)


def _signed(session: Session, balances: dict[int, int], currency: str) -> dict[str, Decimal]:
    accounts = {
        r.id: r for r in session.execute(select(ACCOUNT.c.id, ACCOUNT.c.code, ACCOUNT.c.type))
    }
    credit_positive = {
        AccountType.LIABILITY.value,
        AccountType.EQUITY.value,
        AccountType.INCOME.value,
    }
    return {
        accounts[i].code: from_minor(-b if accounts[i].type in credit_positive else b, currency)
        for i, b in balances.items()
    }


def balance_sheet(session: Session, *, book: str | None, on: date) -> Statement:
    """Assets against liabilities and equity at the end of ``on``, in the chart's layout.

    The result of years not yet closed appears as its own line in equity, so both sides
    are equal.
    """
    book_id, currency = report_scope(session, book)
    amounts = _signed(session, _balances(session, book_id, end=on), currency)
    accounts = {r.code: r.type for r in session.execute(select(ACCOUNT.c.code, ACCOUNT.c.type))}
    result = sum(
        (
            a if accounts[c] == AccountType.INCOME.value else -a
            for c, a in amounts.items()
            if accounts[c] in (AccountType.INCOME.value, AccountType.EXPENSE.value)
        ),
        Decimal(0),
    )
    assets = chart_tree(session, amounts, {AccountType.ASSET.value})
    liabilities = chart_tree(
        session, amounts, {AccountType.LIABILITY.value, AccountType.EQUITY.value}
    )
    if result:
        liabilities.append(Section("result", "Result of the period not yet closed", result))
    sides = {"Assets": assets, "Liabilities and equity": liabilities}
    totals = {name: sum((s.amount for s in side), Decimal(0)) for name, side in sides.items()}
    return Statement("Balance sheet", currency, sides, totals, result)


def profit_and_loss(session: Session, *, book: str | None, start: date, end: date) -> Statement:
    """Expenses and income of a range, in the chart's layout (closing entries left out)."""
    check_range(start, end)
    book_id, currency = report_scope(session, book)
    balances = _balances(session, book_id, start=start, end=end, normal_only=True)
    amounts = _signed(session, balances, currency)
    sides = {
        "Expenses": chart_tree(session, amounts, {AccountType.EXPENSE.value}),
        "Income": chart_tree(session, amounts, {AccountType.INCOME.value}),
    }
    totals = {name: sum((s.amount for s in side), Decimal(0)) for name, side in sides.items()}
    return Statement(
        "Profit and loss", currency, sides, totals, totals["Income"] - totals["Expenses"]
    )


# --- available funds ---------------------------------------------------------------------
#: Roles whose accounts hold money the entity has (added) or owes within weeks
#: (subtracted); see :func:`available_funds`.
FUNDS_ASSETS = (PostingRole.BANK, PostingRole.CASH, PostingRole.VAT_DEDUCTIBLE)
FUNDS_LIABILITIES = (
    PostingRole.SUPPLIERS,
    PostingRole.VAT_COLLECTED,
    PostingRole.SOCIAL_CONTRIBUTIONS_PAYABLE,
    PostingRole.WITHHOLDING_PAYABLE,
    PostingRole.NET_PAY_PAYABLE,
    PostingRole.MEMBERS_PAYABLE,
    PostingRole.ENTITY_CURRENT_ACCOUNT,
)
#: The stored values of those roles, assets first.
FUNDS_ROLES = tuple(r.value for r in (*FUNDS_ASSETS, *FUNDS_LIABILITIES))


def funds_query(
    books: Select[int] | Sequence[int] | None = None, *, on: date | None = None
) -> Select[int, int]:
    """The rule of available funds, as one query grouped by book: rows of ``(book_id,
    funds)``, funds in minor units. Every reader of the figure builds on it.

    Args:
        books: the ids of the books wanted, as a list or as a query of ids (a caller
            that knows books by another key passes its own query, so the figures of
            thousands of books still cost one round trip); ``None`` for every book.
        on: the last day counted; ``None`` counts every posted entry, whatever its date.

    A book with no line on those accounts has no row: its funds are zero. The kept
    balances (:mod:`.balances`) are found by book id and account id (their key), so
    asking about one book reads that book's few monthly rows on those accounts, plus
    the lines of ``on``'s month when ``on`` is not its last day. See
    :func:`available_funds` for what the figure means.
    """

    def conditions(row: Any) -> list[ColumnElement[bool]]:
        found = [
            row.account_id.in_(select(ACCOUNT.c.id).where(ACCOUNT.c.role.in_(FUNDS_ROLES))),
            row.kind != EntryKind.OPENING.value,
        ]
        if books is not None:
            found.append(row.book_id.in_(books))
        return found

    rows = movements(conditions, end=on, cuts=cut_after(on)).c
    return select(rows.book_id, func.sum(rows.debit - rows.credit).label("funds")).group_by(
        rows.book_id
    )


def available_funds(session: Session, *, book: str, on: date) -> Decimal:
    """The money an entity can commit on a day, before any guarantee.

    Defined as the entity book's balance, at the end of ``on`` (opening entries left
    out), of the accounts mapped to the roles

    * ``bank`` and ``cash`` (money collected for the entity) and ``vat_deductible``
      (VAT the State owes back), counted as they are (debit positive), **minus**
    * ``suppliers``, ``vat_collected``, ``social_contributions_payable``,
      ``withholding_payable``, ``net_pay_payable``, ``members_payable`` (expense claims
      and copyright fees owed to workers) and ``entity_current_account`` (what the
      entity owes the cooperative — management fees, internal invoices — or, as a
      debit, what the cooperative owes it): what it owes within weeks (credit
      balances, subtracted).

    Client receivables are not included: money not yet received is not available. The
    engine adds what the salary guarantee fund covers on top of this figure; the
    solvency rule refuses any commitment that would take the sum below zero. The
    figure is :func:`funds_query`'s for one book.
    """
    book_id, currency = report_scope(session, book)
    assert book_id is not None
    found = session.execute(funds_query([book_id], on=on)).one_or_none()
    return from_minor(int(found.funds) if found is not None else 0, currency)


def funds_by_book(
    session: Session, books: Sequence[str] | None = None, *, on: date | None = None
) -> dict[str, Decimal]:
    """The available funds (:func:`available_funds`) of many books at once, by code, each
    in its book's currency: of ``books`` (unknown codes left out), or of every book.

    ``on`` as in :func:`funds_query`: ``None`` counts every posted entry. One query per
    :data:`~partage.core.platform.db.engine.CHUNK` books.
    """
    parts: Iterable[Sequence[str] | None] = [None] if books is None else chunks(books)
    found: dict[str, Decimal] = {}
    for part in parts:
        wanted = None if part is None else select(Book.id).where(Book.code.in_(part))
        sums = funds_query(wanted, on=on).subquery()
        query = select(Book.code, Book.currency, sums.c.funds).outerjoin(
            sums, sums.c.book_id == Book.id
        )
        if part is not None:
            query = query.where(Book.code.in_(part))
        found.update(
            (code, from_minor(int(funds or 0), currency))
            for code, currency, funds in session.execute(query)
        )
    return found


def book_balance(
    session: Session,
    *,
    book: str,
    types: Sequence[AccountType] = (AccountType.ASSET, AccountType.LIABILITY),
) -> dict[str, Decimal]:
    """Every non-zero balance of a book's accounts of ``types``, debit positive, all
    dates (opening entries left out, as they repeat balances already counted)."""
    book_id, currency = report_scope(session, book)
    wanted = [t.value for t in types]
    codes = {
        r.id: r.code
        for r in session.execute(
            select(ACCOUNT.c.id, ACCOUNT.c.code).where(ACCOUNT.c.type.in_(wanted))
        )
    }
    balances = _balances(session, book_id, accounts=list(codes))
    return {codes[i]: from_minor(b, currency) for i, b in balances.items()}
