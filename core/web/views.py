"""Read models of the web application: what a member, an adviser, an office sees.

Each function answers one screen or endpoint with one or a few aggregate queries, and
returns the API's structures (money as decimal strings). Nothing here writes; the
access rules (:mod:`partage.core.access.roles`) decide beforehand what may be asked.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import date
from decimal import Decimal

from sqlalchemy import ColumnElement, Table, case, func, select
from sqlalchemy.orm import Session, aliased

from partage.core.access.models import Role
from partage.core.access.roles import Principal, entity_scope
from partage.core.acts.cooperative import Cooperative, NotFound
from partage.core.contract.accounting import PostingRole
from partage.core.contract.einvoice.rules import Finding
from partage.core.contract.money import from_minor, round_money
from partage.core.documents.importing import ImportedPurchase
from partage.core.ledger.models import Account, Book, EntryKind, JournalLine
from partage.core.ledger.periods import fiscal_year_containing
from partage.core.ledger.reports import available_funds, funds_by_book, profit_and_loss
from partage.core.members.models import (
    Entity,
    EntityHolder,
    Member,
    Office,
    Party,
    Person,
    ShareMovement,
)
from partage.core.members.service import holders_of
from partage.core.payroll.models import Contract, PayslipRecord
from partage.core.risk.solvency import END_OF_TIME, coverage
from partage.core.sales.models import Invoice, InvoiceKind, Quote
from partage.core.sales.receivables import outstanding_query
from partage.core.spending.models import ExpenseClaim, Purchase
from partage.core.web import schemas as s
from partage.core.web.i18n import N_

LINE: Table = JournalLine.__table__  # type: ignore[assignment]


def money(units: int | None, currency: str) -> str:
    """Minor units as the API's decimal string."""
    return str(from_minor(int(units or 0), currency))


# --- accounts ---------------------------------------------------------------------------
def accounts(session: Session, principal: Principal) -> s.MeOut:
    """The accounts a login opens: member, one per entity held, worker."""
    refs: list[s.AccountRef] = []
    if principal.member_id is not None:
        number = principal.member_number
        refs.append(
            s.AccountRef(
                kind="member", reference=f"M{number}", title=N_("Member account"), href="/member"
            )
        )
        for code, name in session.execute(
            select(Entity.code, Entity.name)
            .join(EntityHolder, EntityHolder.entity_id == Entity.id)
            .where(EntityHolder.member_id == principal.member_id)
            .order_by(Entity.code)
        ):
            refs.append(
                s.AccountRef(kind="entity", reference=code, title=name, href=f"/entities/{code}")
            )
        refs.append(
            s.AccountRef(
                kind="worker", reference=f"W{number}", title=N_("Worker account"), href="/worker"
            )
        )
    return s.MeOut(
        username=principal.username,
        display_name=principal.display_name,
        role=principal.role.value,
        member=principal.member_number,
        office=principal.office_code,
        accounts=refs,
    )


def member_account(session: Session, coop: Cooperative, member_id: int) -> s.MemberAccountOut:
    """Shares, vote and membership documents of a member."""
    member, person = session.execute(
        select(Member, Person)
        .join(Person, Person.id == Member.person_id)
        .where(Member.id == member_id)
    ).one()
    moves = session.scalars(
        select(ShareMovement)
        .where(ShareMovement.member_id == member_id)
        .order_by(ShareMovement.on, ShareMovement.id)
    ).all()
    held = sum(m.quantity for m in moves)
    capital = sum((m.quantity * m.nominal for m in moves), 0)
    documents = [f"Admission of member {member.number} on {member.admitted_on.isoformat()}"]
    documents += [
        f"{'Subscription' if m.quantity > 0 else 'Redemption'} of {abs(m.quantity)} "
        f"share(s) of class {m.share_class} on {m.on.isoformat()}"
        for m in moves
    ]
    return s.MemberAccountOut(
        number=member.number,
        name=f"{person.first_name} {person.last_name}",
        share_class=member.share_class,
        admitted_on=member.admitted_on,
        left_on=member.left_on,
        shares=held,
        capital=money(capital, coop.currency),
        votes=1 if member.left_on is None else 0,
        movements=[
            s.ShareMove(
                on=m.on, quantity=m.quantity, amount=money(m.quantity * m.nominal, coop.currency)
            )
            for m in moves
        ],
        documents=documents,
    )


def contract_out(row: Contract, entity: str, member: int, currency: str) -> s.ContractOut:
    return s.ContractOut(
        code=row.code,
        entity=entity,
        member=member,
        worker_category=row.worker_category,
        start=row.start,
        end=row.end,
        monthly_gross=money(row.monthly_gross, currency) if row.monthly_gross else None,
        hourly_rate=money(row.hourly_rate, currency) if row.hourly_rate else None,
    )


def contracts(
    session: Session,
    coop: Cooperative,
    *,
    member_id: int | None = None,
    entity_id: int | None = None,
) -> list[s.ContractOut]:
    """Contracts of a worker or paid by an entity."""
    query = (
        select(Contract, Entity.code, Member.number)
        .join(Entity, Entity.id == Contract.entity_id)
        .join(Member, Member.id == Contract.member_id)
        .order_by(Contract.start.desc(), Contract.id.desc())
    )
    if member_id is not None:
        query = query.where(Contract.member_id == member_id)
    if entity_id is not None:
        query = query.where(Contract.entity_id == entity_id)
    return [contract_out(c, e, m, coop.currency) for c, e, m in session.execute(query)]


def payslips(
    session: Session,
    coop: Cooperative,
    *,
    member_id: int | None = None,
    entity_id: int | None = None,
    limit: int = 100,
) -> list[s.PayslipOut]:
    """Payslips of a worker or paid by an entity, the latest first."""
    query = (
        select(PayslipRecord, Contract.code, Entity.code, Member.number)
        .join(Contract, Contract.id == PayslipRecord.contract_id)
        .join(Entity, Entity.id == Contract.entity_id)
        .join(Member, Member.id == Contract.member_id)
        .order_by(PayslipRecord.period_start.desc(), PayslipRecord.id.desc())
        .limit(limit)
    )
    if member_id is not None:
        query = query.where(Contract.member_id == member_id)
    if entity_id is not None:
        query = query.where(Contract.entity_id == entity_id)
    cur = coop.currency
    return [
        s.PayslipOut(
            contract=code,
            entity=entity,
            member=number,
            period_start=p.period_start,
            period_end=p.period_end,
            paid_on=p.paid_on,
            gross=money(p.gross, cur),
            employee_contributions=money(p.employee_contributions, cur),
            withholding=money(p.withholding, cur),
            net=money(p.net, cur),
            employer_cost=money(p.employer_cost, cur),
            insurance=money(p.insurance, cur),
        )
        for p, code, entity, number in session.execute(query)
    ]


def worker_account(session: Session, coop: Cooperative, principal: Principal) -> s.WorkerAccountOut:
    if principal.member_id is None or principal.member_number is None:
        raise NotFound("member", "this login has no worker account (no member behind it)")
    return s.WorkerAccountOut(
        member=principal.member_number,
        contracts=contracts(session, coop, member_id=principal.member_id),
        payslips=payslips(session, coop, member_id=principal.member_id),
    )


# --- entities ---------------------------------------------------------------------------
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


def open_invoices(
    session: Session, coop: Cooperative, entity_id: int, today: date
) -> list[s.OpenInvoice]:
    """Invoices of an entity its clients have not paid yet, the oldest due first."""
    rows = outstanding_query(entity_id).subquery()
    query = (
        select(Invoice, Party.code, Party.name, rows.c.outstanding)
        .join(rows, rows.c.id == Invoice.id)
        .join(Party, Party.id == Invoice.party_id)
        .order_by(Invoice.due_on, Invoice.id)
    )
    return [
        s.OpenInvoice(
            number=i.number,
            client=code,
            client_name=name,
            issued_on=i.issued_on,
            due_on=i.due_on,
            total=money(i.total, coop.currency),
            outstanding=money(owed, coop.currency),
            overdue=i.due_on < today,
        )
        for i, code, name, owed in session.execute(query)
    ]


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
    funds = available_funds(session, book=entity.code, on=END_OF_TIME)
    covered = coverage(session, coop, entity.id, today)
    return s.DashboardOut(
        entity=entity_out(session, entity, funds),
        holders=holders_of(session, entity.id),
        currency=coop.currency,
        available_funds=str(funds),
        guarantee_coverage=str(covered),
        headroom=str(funds + covered),
        invoices_to_be_paid=open_invoices(session, coop, entity.id, today),
        last_payslips=payslips(session, coop, entity_id=entity.id, limit=5),
        books=plain_books(session, coop, entity.code, today, start_month),
    )


# --- documents ----------------------------------------------------------------------------
def quotes(session: Session, coop: Cooperative, entity: Entity) -> list[s.QuoteOut]:
    rows = session.execute(
        select(Quote, Party.code)
        .join(Party, Party.id == Quote.party_id)
        .where(Quote.entity_id == entity.id)
        .order_by(Quote.id.desc())
    )
    return [quote_out(q, entity.code, party, coop.currency) for q, party in rows]


def quote_out(q: Quote, entity: str, party: str, currency: str) -> s.QuoteOut:
    return s.QuoteOut(
        reference=q.reference,
        version=q.version,
        entity=entity,
        client=party,
        issued_on=q.issued_on,
        valid_until=q.valid_until,
        status=q.status,
        net=money(q.net, currency),
        vat=money(q.vat, currency),
        total=money(q.total, currency),
    )


def invoices(session: Session, coop: Cooperative, entity: Entity) -> list[s.InvoiceOut]:
    owed = {r.id: int(r.outstanding) for r in session.execute(outstanding_query(entity.id))}
    rows = session.execute(
        select(Invoice, Party.code)
        .join(Party, Party.id == Invoice.party_id)
        .where(Invoice.entity_id == entity.id)
        .order_by(Invoice.id.desc())
    )
    return [invoice_out(i, entity.code, p, owed.get(i.id, 0), coop.currency) for i, p in rows]


def invoice_out(i: Invoice, entity: str, party: str, owed: int, currency: str) -> s.InvoiceOut:
    return s.InvoiceOut(
        number=i.number,
        kind=i.kind,
        entity=entity,
        client=party,
        issued_on=i.issued_on,
        due_on=i.due_on,
        net=money(i.net, currency),
        vat=money(i.vat, currency),
        total=money(i.total, currency),
        fee=money(i.fee, currency),
        fee_rate=str(i.fee_rate),
        outstanding=money(owed, currency),
    )


def expense_claims(session: Session, coop: Cooperative, entity: Entity) -> list[s.ExpenseOut]:
    rows = session.execute(
        select(ExpenseClaim, Member.number)
        .join(Member, Member.id == ExpenseClaim.member_id)
        .where(ExpenseClaim.entity_id == entity.id)
        .order_by(ExpenseClaim.id.desc())
    )
    return [expense_out(c, entity.code, n, coop.currency) for c, n in rows]


def expense_out(c: ExpenseClaim, entity: str, member: int, currency: str) -> s.ExpenseOut:
    return s.ExpenseOut(
        id=c.id,
        entity=entity,
        member=member,
        on=c.on,
        category=c.category,
        net=money(c.net, currency),
        vat=money(c.vat, currency),
        receipt_name=c.receipt_name,
        reimbursed_on=c.reimbursed_on,
    )


def purchases(
    session: Session,
    coop: Cooperative,
    entity: Entity,
    *,
    limit: int | None = None,
    ids: Collection[int] | None = None,
) -> list[s.PurchaseOut]:
    """Supplier invoices and credit notes booked for an entity, the newest first (only
    ``ids`` when given: what one import booked)."""
    credited = aliased(Purchase)
    query = (
        select(Purchase, Party.code, Party.name, credited.supplier_reference)
        .join(Party, Party.id == Purchase.party_id)
        .outerjoin(credited, credited.id == Purchase.credits_id)
        .where(Purchase.entity_id == entity.id)
        .order_by(Purchase.on.desc(), Purchase.id.desc())
        .limit(limit)
    )
    if ids is not None:
        query = query.where(Purchase.id.in_(ids))
    cur = coop.currency
    return [
        s.PurchaseOut(
            id=p.id,
            kind=p.kind,
            entity=entity.code,
            supplier_reference=p.supplier_reference,
            supplier=code,
            supplier_name=name,
            issued_on=p.on,
            due_on=p.due_on,
            category=p.category,
            net=money(p.net, cur),
            vat=money(p.vat, cur),
            total=money(p.total, cur),
            payment_reference=p.payment_reference,
            credits=credits,
            paid_on=p.paid_on,
        )
        for p, code, name, credits in session.execute(query)
    ]


def finding_out(finding: Finding) -> s.FindingOut:
    return s.FindingOut(rule=finding.rule, message=finding.message, where=finding.where)


def imported_out(
    done: ImportedPurchase, coop: Cooperative, entity: str, filename: str
) -> s.PurchaseImportOut:
    """What importing a supplier document booked, its figures as the document states them."""
    document = done.document
    return s.PurchaseImportOut(
        entity=entity,
        filename=filename,
        format="cii" if done.format == "cii" else "ubl",
        kind="credit_note" if document.is_credit_note else "invoice",
        number=document.number,
        supplier=done.supplier,
        supplier_name=document.seller.name,
        total=str(round_money(document.total, coop.currency)),
        currency=document.currency,
        purchases=list(done.purchases),
        replayed=done.replayed,
        warnings=[finding_out(f) for f in done.warnings],
    )


# --- parties ----------------------------------------------------------------------------
def parties(
    session: Session, principal: Principal, vat_number: str | None = None
) -> list[s.PartyOut]:
    """Parties a login may see: staff and the ethics committee see all; a member sees
    those their entities deal with, and may look one up by its exact VAT number."""
    query = select(Party).order_by(Party.code)
    if principal.role is Role.MEMBER:
        mine = select(Entity.id).where(entity_scope(principal))
        dealt = (
            select(Invoice.party_id)
            .where(Invoice.entity_id.in_(mine))
            .union(select(Quote.party_id).where(Quote.entity_id.in_(mine)))
        )
        condition: ColumnElement[bool] = Party.id.in_(dealt)
        if vat_number:
            condition = condition | (Party.vat_number == "".join(vat_number.split()).upper())
        query = query.where(condition)
    elif vat_number:
        query = query.where(Party.vat_number == "".join(vat_number.split()).upper())
    return [party_out(p) for p in session.scalars(query.limit(500))]


def party_out(p: Party) -> s.PartyOut:
    return s.PartyOut(
        code=p.code, name=p.name, kind=p.kind, country=p.country, vat_number=p.vat_number
    )


def signed_net() -> ColumnElement[int]:
    """An invoice's net amount, negative for a credit note: sums give net sales."""
    return case((Invoice.kind == InvoiceKind.CREDIT_NOTE.value, -Invoice.net), else_=Invoice.net)


# --- offices ------------------------------------------------------------------------------
def office_view(
    session: Session, coop: Cooperative, office: Office, today: date, start_month: int
) -> s.OfficeOut:
    """An office as its advisers see it: its members, their entities and the alerts."""
    cur = coop.currency
    funds = funds_by_book(session)
    entities = session.scalars(
        select(Entity).where(Entity.office_id == office.id).order_by(Entity.code)
    ).all()
    holders: dict[int, list[int]] = defaultdict(list)
    for entity_id, number in session.execute(
        select(EntityHolder.entity_id, Member.number)
        .join(Member, Member.id == EntityHolder.member_id)
        .join(Entity, Entity.id == EntityHolder.entity_id)
        .where(Entity.office_id == office.id)
        .order_by(Member.number)
    ):
        holders[entity_id].append(number)
    open_rows = outstanding_query().subquery()
    receivables: dict[int, tuple[int, int]] = {}
    for entity_id, owed, overdue in session.execute(
        select(
            open_rows.c.entity_id,
            func.sum(open_rows.c.outstanding),
            func.sum(case((open_rows.c.due_on < today, 1), else_=0)),
        ).group_by(open_rows.c.entity_id)
    ):
        receivables[entity_id] = (int(owed or 0), int(overdue or 0))
    rows = []
    short = []
    for e in entities:
        owed, overdue = receivables.get(e.id, (0, 0))
        available = funds.get(e.code, from_minor(0, cur))
        if available < 0:
            short.append(e.code)
        rows.append(
            s.OfficeEntity(
                code=e.code,
                name=e.name,
                kind=e.kind,
                holders=holders.get(e.id, []),
                available_funds=str(available),
                open_receivables=money(owed, cur),
                overdue_invoices=overdue,
            )
        )
    people: dict[int, s.OfficeMember] = {}
    for number, first, last, email, code in session.execute(
        select(Member.number, Person.first_name, Person.last_name, Person.email, Entity.code)
        .join(Person, Person.id == Member.person_id)
        .join(EntityHolder, EntityHolder.member_id == Member.id)
        .join(Entity, Entity.id == EntityHolder.entity_id)
        .where(Entity.office_id == office.id)
        .order_by(Member.number, Entity.code)
    ):
        person = people.setdefault(
            number, s.OfficeMember(number=number, name=f"{first} {last}", email=email, entities=[])
        )
        person.entities.append(code)
    year = fiscal_year_containing(today, start_month)
    start, end = year.start, year.end
    invoiced = session.scalar(
        select(func.coalesce(func.sum(signed_net()), 0))
        .join(Entity, Entity.id == Invoice.entity_id)
        .where(Entity.office_id == office.id, Invoice.issued_on >= start, Invoice.issued_on <= end)
    )
    return s.OfficeOut(
        code=office.code,
        name=office.name,
        address=office.address,
        members=list(people.values()),
        entities=rows,
        invoiced_this_year=money(int(invoiced or 0), cur),
        entities_short_of_funds=short,
    )
