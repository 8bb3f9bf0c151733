"""Setting up the books: the chart of accounts, the journals, a book per entity.

The chart comes from the country plugin's ``partage_chart_of_accounts`` hook and is
loaded once per instance; loading again adds what the plugin added and never removes
an account that lines may point to.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from partage.core.contract.accounting import ChartOfAccounts, PostingRole
from partage.core.contract.errors import N_
from partage.core.contract.money import from_minor, minor_exponent
from partage.core.ledger.errors import LedgerError
from partage.core.ledger.models import Account, Book, BookKind, Journal, JournalKind, JournalLine
from partage.core.platform import audit
from partage.core.platform.db.base import utcnow

COOPERATIVE_BOOK = "cooperative"

JOURNALS = {
    JournalKind.SALES: ("SAL", "Sales"),
    JournalKind.PURCHASES: ("PUR", "Purchases"),
    JournalKind.BANK: ("BNK", "Bank"),
    JournalKind.PAYROLL: ("PAY", "Payroll"),
    JournalKind.MISCELLANEOUS: ("MSC", "Miscellaneous"),
    JournalKind.OPENING: ("OPN", "Opening"),
}


@dataclass(frozen=True)
class ChartLoad:
    """What loading the chart did.

    Attributes:
        added: account codes created now.
        roles_mapped: roles whose account was set now.
    """

    added: tuple[str, ...]
    roles_mapped: tuple[str, ...]


def load_chart(session: Session, chart: ChartOfAccounts, *, actor: str) -> ChartLoad:
    """Create the chart's missing accounts and map every posting role.

    Refuses a chart that leaves a role unmapped or maps it to an account it lacks.
    """
    codes = {account.code for account in chart.accounts}
    mapped = dict(chart.roles)
    for role in PostingRole:
        if role not in mapped:
            raise LedgerError(
                "chart",
                N_("posting role {role_value} is not mapped"),
                value=chart.name,
                role_value=repr(role.value),
            )
        if mapped[role] not in codes:
            raise LedgerError(
                "chart",
                N_("role {role_value} maps to account {item_a}, which the chart lacks"),
                value=chart.name,
                role_value=repr(role.value),
                item_a=repr(mapped[role]),
            )
    existing = {row.code: row for row in session.execute(select(Account.code, Account.role))}
    role_of = {code: role.value for role, code in mapped.items()}
    new_accounts = [a for a in chart.accounts if a.code not in existing]
    new_rows = [
        {
            "code": a.code,
            "name": a.name,
            "type": a.type.value,
            "parent_code": a.parent,
            "role": None,
        }
        for a in new_accounts
    ]
    if new_rows:
        session.execute(insert(Account), new_rows)
    changed = []
    for code, role_value in sorted(role_of.items()):
        if existing.get(code) is None or existing[code].role != role_value:
            session.execute(update(Account).where(Account.role == role_value).values(role=None))
            session.execute(update(Account).where(Account.code == code).values(role=role_value))
            changed.append(role_value)
    added = tuple(a.code for a in new_accounts)
    if added or changed:
        audit.record(
            session,
            actor=actor,
            action="ledger.load_chart",
            subject=f"chart:{chart.name}",
            reason="chart of the country plugin",
            data={"added": len(added), "roles_mapped": changed},
        )
    return ChartLoad(added, tuple(changed))


def ensure_journals(session: Session) -> list[str]:
    """Create the six journals if missing; return the codes created."""
    existing = set(session.scalars(select(Journal.kind)))
    rows = [
        {"code": code, "name": name, "kind": kind.value}
        for kind, (code, name) in JOURNALS.items()
        if kind.value not in existing
    ]
    if rows:
        session.execute(insert(Journal), rows)
    return [row["code"] for row in rows]


def open_book(
    session: Session, *, code: str, name: str, kind: BookKind, currency: str, actor: str
) -> int:
    """Open a book and return its id; refuses a code already taken."""
    minor_exponent(currency)
    if session.scalar(select(Book.id).where(Book.code == code)) is not None:
        raise LedgerError("book", N_("a book with this code already exists"), value=repr(code))
    book_id = session.execute(
        insert(Book).returning(Book.id),
        [
            {
                "code": code,
                "name": name,
                "kind": kind.value,
                "currency": currency,
                "opened_at": utcnow(),
            }
        ],
    ).scalar_one()
    audit.record(
        session,
        actor=actor,
        action="ledger.open_book",
        subject=f"book:{code}",
        reason=f"{kind.value} books",
        data={"currency": currency},
    )
    return book_id


def account_for_role(session: Session, role: PostingRole) -> str:
    """The account code a posting role goes to in this instance's chart."""
    code = session.scalar(select(Account.code).where(Account.role == role.value))
    if code is None:
        raise LedgerError(
            "posting role", N_("no account mapped; load the chart first"), value=repr(role.value)
        )
    return code


@dataclass(frozen=True)
class BooksSetup:
    """What :func:`set_up_books` did.

    Attributes:
        chart: the chart loaded.
        journals_created: journal codes created now.
        cooperative_opened: whether the cooperative's book was opened now.
        accounts: number of accounts in the chart.
    """

    chart: ChartLoad
    journals_created: tuple[str, ...]
    cooperative_opened: bool
    accounts: int


def set_up_books(
    session: Session, chart: ChartOfAccounts, *, name: str, currency: str, actor: str
) -> BooksSetup:
    """Load the chart and journals and open the cooperative's book; safe to repeat."""
    loaded = load_chart(session, chart, actor=actor)
    journals = tuple(ensure_journals(session))
    opened = session.scalar(select(Book.id).where(Book.code == COOPERATIVE_BOOK)) is None
    if opened:
        open_book(
            session,
            code=COOPERATIVE_BOOK,
            name=name,
            kind=BookKind.COOPERATIVE,
            currency=currency,
            actor=actor,
        )
    return BooksSetup(loaded, journals, opened, len(chart.accounts))


def close_account(session: Session, code: str, *, actor: str, reason: str) -> None:
    """Close an account to new postings; refused while any book holds a balance on it."""
    account = session.execute(
        select(Account.id, Account.closed_at).where(Account.code == code)
    ).one_or_none()
    if account is None:
        raise LedgerError("account", N_("not in the chart"), value=repr(code))
    if account.closed_at is not None:
        raise LedgerError("account", N_("already closed"), value=code)
    line = JournalLine.__table__.c
    balances = session.execute(
        select(Book.code, Book.currency, func.sum(line.debit - line.credit))
        .join(Book, Book.id == line.book_id)
        .where(line.account_id == account.id)
        .group_by(Book.code, Book.currency)
    ).all()
    for book, currency, total in balances:
        if total:
            raise LedgerError(
                "account",
                N_("cannot close while book {book} holds a balance of {item_a} {currency}"),
                value=code,
                book=repr(book),
                item_a=from_minor(int(total), currency),
                currency=currency,
            )
    session.execute(update(Account).where(Account.id == account.id).values(closed_at=utcnow()))
    audit.record(
        session,
        actor=actor,
        action="ledger.close_account",
        subject=f"account:{code}",
        reason=reason,
    )
