"""Payments out: SEPA credit-transfer batches (ISO 20022 pain.001.001.03).

A batch gathers what is due — net pay of payslips, reimbursements of expense claims,
supplier invoices less their open credit notes — checks every account (IBAN and BIC,
with schwifty), and holds back what an entity cannot pay: a transfer takes money out of
the entity's bank, which the no-bankruptcy rule allows up to the entity's bank balance
plus what the salary guarantee fund covers (salaries first: paying them before clients
pay is what the fund is for), and never while the entity's available funds and coverage
are below zero. The file is built and checked against the pain.001 schema by sepaxml;
the payments are posted and the file stored in the same transaction, so a batch is all
or nothing, and an item is paid by one batch only.

A supplier's transfer carries the structured reference the supplier asked for (its
``+++123/4567/89012+++`` or ``RF`` reference), else its invoice number. sepaxml writes
remittance information as unstructured text only (``RmtInf/Ustrd``), so that is where
the reference goes. A supplier's credit note is never paid: it is deducted from its
invoice's transfer, and an invoice credited in full was settled when the credit note
was booked.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from lxml import etree
from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException
from sepaxml import SepaTransfer
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import Cooperative, InvalidAct, credit, debit
from partage.core.banking.models import OrderKind, PayeeAccount, PaymentBatch, PaymentOrder
from partage.core.contract.accounting import PostingRole
from partage.core.contract.money import from_minor
from partage.core.ledger.models import Account, Book, EntryKind, JournalKind, JournalLine
from partage.core.ledger.types import Entry
from partage.core.members.models import Entity, Member, Party, Person
from partage.core.payroll.models import Contract, PayslipRecord
from partage.core.platform import audit
from partage.core.platform.db.engine import chunks
from partage.core.platform.issuer import Issuer
from partage.core.risk.solvency import coverages, headrooms, lock_entities
from partage.core.sales.models import InvoiceKind
from partage.core.spending import expenses, settlement, supplier_credits
from partage.core.spending.models import ExpenseClaim, Purchase

SCHEMA = "pain.001.001.03"
#: Order in which an entity's payments use its room: salaries first.
PRIORITY = (OrderKind.SALARY, OrderKind.EXPENSE, OrderKind.SUPPLIER)


@dataclass(frozen=True)
class Item:
    """Something due to be paid.

    Attributes:
        kind: salary, expense or supplier.
        subject_id: the payslip, expense claim or purchase.
        entity_id: whose money.
        payee: who is paid; iban, bic: where.
        amount: in the instance currency.
        remittance: the communication sent with the transfer.
        due_on: when it became due (orders the payments of one entity).
        partner: the payee's code on journal lines (``"M12"`` for a member).
    """

    kind: OrderKind
    subject_id: int
    entity_id: int
    payee: str
    iban: str
    bic: str | None
    amount: Decimal
    remittance: str
    due_on: date
    partner: str | None = None


@dataclass(frozen=True)
class Held:
    """An item left out of the batch, and why.

    Attributes:
        item: the item.
        reason: the rule that held it back, with the figures.
    """

    item: Item
    reason: str


@dataclass(frozen=True)
class Batch:
    """What building a batch did.

    Attributes:
        batch: the stored batch, ``None`` when nothing could be paid.
        orders: the transfers in the file.
        held: the items held back by the no-bankruptcy rule.
    """

    batch: PaymentBatch | None
    orders: tuple[PaymentOrder, ...]
    held: tuple[Held, ...]


def check_account(iban: str, bic: str | None, *, who: str) -> tuple[str, str | None]:
    """The IBAN and BIC in compact form, or a refusal naming the payee and the check."""
    try:
        account = IBAN(iban, validate_bban=True)
    except SchwiftyException as error:
        raise InvalidAct(who, f"IBAN {iban!r} is not valid: {error}") from None
    if not bic:
        return account.compact, None
    try:
        code = BIC(bic)
    except SchwiftyException as error:
        raise InvalidAct(who, f"BIC {bic!r} is not valid: {error}") from None
    if code.country_code != account.country_code:
        raise InvalidAct(
            who, f"BIC {bic} is of {code.country_code}, the IBAN of {account.country_code}"
        )
    return account.compact, str(code)


def set_payee_account(
    session: Session, party_code: str, iban: str, bic: str | None, *, actor: str
) -> PayeeAccount:
    """Record (or replace) the account a supplier is paid into, after checking it."""
    party = session.scalars(select(Party).where(Party.code == party_code)).one_or_none()
    if party is None:
        raise InvalidAct("party", "no such party", value=repr(party_code))
    iban, bic = check_account(iban, bic, who=f"supplier {party_code}")
    row = session.get(PayeeAccount, party.id)
    if row is None:
        row = PayeeAccount(party_id=party.id, iban=iban, bic=bic)
        session.add(row)
    else:
        row.iban, row.bic = iban, bic
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="payee_account.set",
        subject=f"party:{party_code}",
        data={"iban": iban, "bic": bic},
    )
    return row


def _paid(kind: OrderKind) -> Select[int]:
    return select(PaymentOrder.subject_id).where(PaymentOrder.kind == kind.value)


def due_items(session: Session, coop: Cooperative, kinds: Iterable[OrderKind]) -> list[Item]:
    """Everything of ``kinds`` that is due and not yet in a batch."""
    wanted = set(kinds)
    items: list[Item] = []
    currency = coop.currency
    if OrderKind.SALARY in wanted:
        rows = session.execute(
            select(PayslipRecord, Contract.entity_id, Person, Member.number)
            .join(Contract, Contract.id == PayslipRecord.contract_id)
            .join(Member, Member.id == Contract.member_id)
            .join(Person, Person.id == Member.person_id)
            .where(PayslipRecord.net > 0, PayslipRecord.id.not_in(_paid(OrderKind.SALARY)))
        ).all()
        items += [
            Item(
                OrderKind.SALARY,
                slip.id,
                entity_id,
                f"{person.first_name} {person.last_name}",
                person.iban,
                None,
                from_minor(slip.net, currency),
                f"Salaire / loon {slip.period_start:%Y-%m}",
                slip.paid_on,
                f"M{number}",
            )
            for slip, entity_id, person, number in rows
        ]
    if OrderKind.EXPENSE in wanted:
        claims = session.execute(
            select(ExpenseClaim, Person)
            .join(Member, Member.id == ExpenseClaim.member_id)
            .join(Person, Person.id == Member.person_id)
            .where(
                ExpenseClaim.reimbursed_on.is_(None),
                ExpenseClaim.id.not_in(_paid(OrderKind.EXPENSE)),
            )
        ).all()
        items += [
            Item(
                OrderKind.EXPENSE,
                claim.id,
                claim.entity_id,
                f"{person.first_name} {person.last_name}",
                person.iban,
                None,
                from_minor(claim.total, currency),
                f"Frais / onkosten {claim.receipt_name}"[:140],
                claim.on,
            )
            for claim, person in claims
        ]
    if OrderKind.SUPPLIER in wanted:
        purchases = session.execute(
            select(Purchase, Party, PayeeAccount)
            .join(Party, Party.id == Purchase.party_id)
            .outerjoin(PayeeAccount, PayeeAccount.party_id == Party.id)
            .where(
                Purchase.kind == InvoiceKind.INVOICE.value,
                Purchase.paid_on.is_(None),
                Purchase.id.not_in(_paid(OrderKind.SUPPLIER)),
            )
        ).all()
        credited = supplier_credits.open_credit_notes(
            session, [purchase.id for purchase, _, _ in purchases]
        )
        for purchase, party, account in purchases:
            if account is None:
                raise InvalidAct(
                    "supplier",
                    f"no bank account recorded to pay purchase {purchase.supplier_reference}",
                    value=f"{party.code} ({party.name})",
                )
            items.append(
                Item(
                    OrderKind.SUPPLIER,
                    purchase.id,
                    purchase.entity_id,
                    party.name,
                    account.iban,
                    account.bic,
                    from_minor(
                        supplier_credits.amount_owed(purchase, credited.get(purchase.id, ())),
                        currency,
                    ),
                    (purchase.payment_reference or purchase.supplier_reference)[:140],
                    purchase.due_on,
                )
            )
    return items


def bank_balances(
    session: Session, coop: Cooperative, entity_ids: Sequence[int]
) -> dict[int, Decimal]:
    """Each entity's bank balance (its book's ``bank`` account), every entry counted."""
    found: dict[int, int] = {}
    bank = coop.account(session, PostingRole.BANK)
    line = JournalLine.__table__
    for part in chunks(entity_ids):
        found.update(
            session.execute(
                select(Entity.id, func.sum(line.c.debit - line.c.credit))
                .select_from(line)
                .join(Book, Book.id == line.c.book_id)
                .join(Entity, Entity.code == Book.code)
                .join(Account, Account.id == line.c.account_id)
                .where(
                    Entity.id.in_(part),
                    Account.code == bank,
                    line.c.kind != EntryKind.OPENING.value,
                )
                .group_by(Entity.id)
            ).all()
        )
    return {i: from_minor(int(found.get(i) or 0), coop.currency) for i in entity_ids}


def affordable(
    session: Session, coop: Cooperative, items: Sequence[Item], on: date
) -> tuple[list[Item], list[Held]]:
    """Split items into those the no-bankruptcy rule lets each entity pay and the rest."""
    ids = sorted({item.entity_id for item in items})
    lock_entities(session, ids)
    cash = bank_balances(session, coop, ids)
    covered = coverages(session, coop, ids, on)
    rooms = headrooms(session, coop, ids, on)
    codes = dict(session.execute(select(Entity.id, Entity.code).where(Entity.id.in_(ids))).all())
    by_entity: dict[int, list[Item]] = defaultdict(list)
    for item in items:
        by_entity[item.entity_id].append(item)
    paid: list[Item] = []
    held: list[Held] = []
    currency = coop.currency
    for entity_id, own in by_entity.items():
        own.sort(key=lambda i: (PRIORITY.index(i.kind), i.due_on, i.subject_id))
        left = cash[entity_id] + covered[entity_id]
        for item in own:
            if rooms[entity_id] < 0:
                held.append(
                    Held(
                        item,
                        f"entity {codes[entity_id]}: available funds and guarantee are "
                        f"{rooms[entity_id]} {currency}, below zero: nothing is paid out",
                    )
                )
            elif item.amount > left:
                held.append(
                    Held(
                        item,
                        f"entity {codes[entity_id]}: {item.kind} of {item.amount} {currency} "
                        f"exceeds its bank balance and guarantee, {left} {currency} left",
                    )
                )
            else:
                left -= item.amount
                paid.append(item)
    return paid, held


def _post(session: Session, coop: Cooperative, item: Item, on: date, actor: str) -> None:
    if item.kind is OrderKind.EXPENSE:
        expenses.reimburse_expense(session, coop, item.subject_id, on=on, actor=actor)
    elif item.kind is OrderKind.SUPPLIER:
        settlement.pay_purchase(session, coop, item.subject_id, on=on, actor=actor)


def _salary_entries(
    session: Session, coop: Cooperative, items: Sequence[Item], on: date, reference: str
) -> list[Entry]:
    codes = dict(
        session.execute(
            select(Entity.id, Entity.code).where(Entity.id.in_({i.entity_id for i in items}))
        ).all()
    )
    return [
        coop.entry(
            session,
            book=codes[item.entity_id],
            journal=JournalKind.BANK,
            on=on,
            lines=[
                debit(PostingRole.NET_PAY_PAYABLE, item.amount, partner=item.partner),
                credit(PostingRole.BANK, item.amount, partner=item.partner),
            ],
            act=("salary_transfer", item.subject_id),
            reference=reference,
            description=f"Net pay to {item.payee}",
        )
        for item in items
        if item.kind is OrderKind.SALARY
    ]


def build_batch(
    session: Session,
    coop: Cooperative,
    issuer: Issuer,
    *,
    execution_on: date,
    actor: str,
    kinds: Iterable[OrderKind] = PRIORITY,
) -> Batch:
    """Pay what is due of ``kinds`` in one pain.001 file, within each entity's means.

    Every account is checked first: one bad IBAN or BIC refuses the whole batch, naming
    the payee, and nothing is written. Items an entity cannot afford are held back and
    returned with the reason.
    """
    debtor_iban, debtor_bic = check_account(issuer.iban, issuer.bic, who="issuer")
    items = due_items(session, coop, kinds)
    checked = []
    for item in items:
        iban, bic = check_account(
            item.iban, item.bic, who=f"{item.kind} {item.subject_id} to {item.payee}"
        )
        checked.append(replace(item, iban=iban, bic=bic))
    paid, held = affordable(session, coop, checked, execution_on)
    if not paid:
        return Batch(None, (), tuple(held))
    transfer = SepaTransfer(
        {
            "name": issuer.legal_name,
            "IBAN": debtor_iban,
            "BIC": debtor_bic,
            "batch": True,
            "currency": coop.currency,
        },
        schema=SCHEMA,
    )
    for item in paid:
        payment = {
            "name": item.payee,
            "IBAN": item.iban,
            "amount": coop.minor(item.amount),
            "execution_date": execution_on,
            "description": item.remittance,
            "endtoend_id": _end_to_end(item),
        }
        if item.bic:
            payment["BIC"] = item.bic
        transfer.add_payment(payment)
    content = transfer.export(validate=True)
    message_id = (
        etree.fromstring(content).findtext(".//{*}GrpHdr/{*}MsgId")
        or f"batch-{execution_on:%Y%m%d}"
    )
    batch = PaymentBatch(
        reference=message_id[:35],
        execution_on=execution_on,
        debtor_iban=debtor_iban,
        count=len(paid),
        total=sum(coop.minor(i.amount) for i in paid),
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        created_by=actor,
    )
    session.add(batch)
    session.flush()
    orders = [
        PaymentOrder(
            batch_id=batch.id,
            kind=item.kind.value,
            subject_id=item.subject_id,
            entity_id=item.entity_id,
            payee_name=item.payee[:200],
            iban=item.iban,
            bic=item.bic,
            amount=coop.minor(item.amount),
            end_to_end_id=_end_to_end(item),
            remittance=item.remittance,
        )
        for item in paid
    ]
    session.add_all(orders)
    session.flush()
    coop.ledger.post_many(
        session, _salary_entries(session, coop, paid, execution_on, batch.reference), actor=actor
    )
    for item in paid:
        _post(session, coop, item, execution_on, actor)
    audit.record(
        session,
        actor=actor,
        action="payment_batch.create",
        subject=f"payment_batch:{batch.reference}",
        data={
            "count": len(paid),
            "total": str(from_minor(batch.total, coop.currency)),
            "held": [[h.item.kind, h.item.subject_id, h.reason] for h in held],
        },
    )
    return Batch(batch, tuple(orders), tuple(held))


def _end_to_end(item: Item) -> str:
    return f"PARTAGE-{item.kind.value.upper()}-{item.subject_id}"
