"""Read models of entities and parties: the entities a login lists, an entity's
dashboard with its books in plain words, and the parties a login may see.

Each function answers one screen or endpoint with one or a few aggregate queries, and
returns the API's structures (money as decimal strings). Nothing here writes; the
access rules (:mod:`partage.core.access.roles`) decide beforehand what may be asked.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import ColumnElement, Table, func, select
from sqlalchemy.orm import Session

from partage.core.access.models import Role
from partage.core.access.parties import party_scope, public_lookup
from partage.core.access.roles import Principal
from partage.core.acts.cooperative import Cooperative
from partage.core.contract.accounting import PostingRole
from partage.core.contract.identity import IdentifierKind
from partage.core.contract.money import from_minor
from partage.core.ledger.models import Account, Book, EntryKind, JournalLine
from partage.core.ledger.periods import fiscal_year_containing
from partage.core.ledger.reports import funds_by_book, profit_and_loss
from partage.core.members.checks import validated
from partage.core.members.models import Entity, Office, Party
from partage.core.members.service import holders_of
from partage.core.risk.solvency import Commitments
from partage.core.web.entities import schemas as s
from partage.core.web.i18n import N_
from partage.core.web.payroll.views import payslips
from partage.core.web.sales.views import open_invoices

LINE: Table = JournalLine.__table__  # type: ignore[assignment]


def entity_list(
    session: Session, coop: Cooperative, scope: ColumnElement[bool], *, figures: bool
) -> list[s.EntityOut]:
    """Entities matching ``scope``; with ``figures``, their available funds."""
    funds = funds_by_book(session) if figures else {}
    rows = session.execute(
        select(Entity, Office.code)
        .join(Office, Office.id == Entity.office_id)
        .where(scope)
        .order_by(Entity.code)
    )
    return [
        s.EntityOut(
            code=e.code,
            name=e.name,
            kind=e.kind,
            office=office,
            opened_on=e.opened_on,
            closed_on=e.closed_on,
            available_funds=str(funds.get(e.code, from_minor(0, coop.currency)))
            if figures
            else None,
        )
        for e, office in rows
    ]


def entity_out(session: Session, entity: Entity, funds: Decimal | None = None) -> s.EntityOut:
    office = session.scalar(select(Office.code).where(Office.id == entity.office_id))
    return s.EntityOut(
        code=entity.code,
        name=entity.name,
        kind=entity.kind,
        office=str(office),
        opened_on=entity.opened_on,
        closed_on=entity.closed_on,
        available_funds=None if funds is None else str(funds),
    )


def role_balances(session: Session, book: str, currency: str) -> dict[str, Decimal]:
    """Balance of each posting role in a book, debit positive, all dates."""
    rows = session.execute(
        select(Account.role, func.sum(LINE.c.debit - LINE.c.credit))
        .join(Account, Account.id == LINE.c.account_id)
        .join(Book, Book.id == LINE.c.book_id)
        .where(Book.code == book, Account.role.is_not(None), LINE.c.kind != EntryKind.OPENING.value)
        .group_by(Account.role)
    )
    return {str(role): from_minor(int(total or 0), currency) for role, total in rows}


#: The plain-words view of an entity's books: key, label, and how to compute it from
#: the balances of posting roles (debit positive) — a sign and the roles summed.
PLAIN_BALANCES: tuple[tuple[str, str, int, tuple[PostingRole, ...]], ...] = (
    (
        "collected",
        N_("Money collected for you (bank and cash)"),
        1,
        (PostingRole.BANK, PostingRole.CASH),
    ),
    ("clients_owe", N_("What your clients still owe you"), 1, (PostingRole.CLIENTS,)),
    (
        "vat_to_state",
        N_("VAT to hand over to the State"),
        -1,
        (PostingRole.VAT_COLLECTED, PostingRole.VAT_DEDUCTIBLE),
    ),
    ("owed_suppliers", N_("What you owe suppliers"), -1, (PostingRole.SUPPLIERS,)),
    (
        "pay_owed",
        N_("Pay, contributions and tax not yet paid out"),
        -1,
        (
            PostingRole.NET_PAY_PAYABLE,
            PostingRole.SOCIAL_CONTRIBUTIONS_PAYABLE,
            PostingRole.WITHHOLDING_PAYABLE,
        ),
    ),
    (
        "owed_to_workers",
        N_("Expenses and fees owed back to workers"),
        -1,
        (PostingRole.MEMBERS_PAYABLE,),
    ),
    (
        "owed_to_cooperative",
        N_("Management fees owed to the cooperative"),
        -1,
        (PostingRole.ENTITY_CURRENT_ACCOUNT,),
    ),
)


def plain_books(
    session: Session, coop: Cooperative, book: str, today: date, start_month: int
) -> list[s.BooksLine]:
    """An entity's books in plain words: this year's sales, costs and result, then
    what it has and owes."""
    year = fiscal_year_containing(today, start_month)
    start, end = year.start, year.end
    statement = profit_and_loss(session, book=book, start=start, end=end)
    lines = [
        s.BooksLine(
            key="income",
            label=N_("Earned this year (sales and other income)"),
            amount=str(statement.totals["Income"]),
        ),
        s.BooksLine(
            key="costs",
            label=N_("Spent this year (fees, purchases, pay)"),
            amount=str(statement.totals["Expenses"]),
        ),
        s.BooksLine(
            key="result", label=N_("Result of the year so far"), amount=str(statement.result)
        ),
    ]
    balances = role_balances(session, book, coop.currency)
    zero = Decimal(0).quantize(Decimal("0.01"))
    for key, label, sign, roles in PLAIN_BALANCES:
        amount = sign * sum((balances.get(r.value, zero) for r in roles), zero)
        lines.append(s.BooksLine(key=key, label=label, amount=str(amount + zero)))
    return lines


def dashboard(
    session: Session, coop: Cooperative, entity: Entity, today: date, start_month: int
) -> s.DashboardOut:
    """Everything an entity's holder sees first."""
    rule = Commitments(session, coop, [entity.id], today, lock=False)
    funds = rule.funds[entity.id] + rule.reserved[entity.id]  # the ledger's figure
    covered = rule.granted(entity.id)  # within the fund's capacity
    return s.DashboardOut(
        entity=entity_out(session, entity, funds),
        holders=holders_of(session, entity.id),
        currency=coop.currency,
        available_funds=str(funds),
        guarantee_coverage=str(covered),
        headroom=str(rule.headroom(entity.id)),  # less what hires reserve
        invoices_to_be_paid=open_invoices(session, coop, entity.id, today),
        last_payslips=payslips(session, coop, entity_id=entity.id, limit=5),
        books=plain_books(session, coop, entity.code, today, start_month),
    )


# --- parties ----------------------------------------------------------------------------
def parties(
    session: Session,
    coop: Cooperative,
    principal: Principal,
    vat_number: str | None = None,
    company_number: str | None = None,
) -> list[s.PartyOut]:
    """Parties a login may see (:mod:`partage.core.access.parties`). With a VAT or
    company number, the parties matching it exactly: for a member, among their own and
    the businesses (public data) — never another entity's private person."""
    company = (
        validated(coop, IdentifierKind.COMPANY, company_number, "company_number")
        if company_number
        else None
    )
    query = select(Party).order_by(Party.code)
    if vat_number or company:
        lookup = public_lookup(vat_number, company, coop.instance.country_plugin)
        if principal.role is Role.MEMBER:
            # a member's own private clients have no VAT number: the lookup finds
            # businesses only, whoever dealt with them
            query = query.where(lookup)
        else:
            query = query.where(party_scope(principal), lookup)
    else:
        query = query.where(party_scope(principal))
    return [party_out(p) for p in session.scalars(query.limit(500))]


def party_out(p: Party) -> s.PartyOut:
    return s.PartyOut(
        code=p.code, name=p.name, kind=p.kind, country=p.country, vat_number=p.vat_number
    )
