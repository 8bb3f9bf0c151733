"""Payments out: SEPA credit-transfer batches (ISO 20022 pain.001.001.03).

A batch gathers what is due (:mod:`.due`: a supplier is paid into its verified account
only, :mod:`.payees`), checks every account (IBAN and BIC, with schwifty), and holds
back what an entity cannot pay under the no-bankruptcy rule (:mod:`.affordability`).
The file is built and checked against the pain.001 schema by sepaxml; the payments are
posted and the file stored in the same transaction, so a batch is all or nothing, and
an item is paid by one batch only.

sepaxml writes remittance information as unstructured text only (``RmtInf/Ustrd``), so
that is where a supplier's structured reference goes. An invoice credited in full was
settled when the credit note was booked, and is not paid.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from lxml import etree
from sepaxml import SepaTransfer
from sqlalchemy import select
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import Cooperative, credit, debit
from partage.core.banking.affordability import PRIORITY, affordable
from partage.core.banking.due import Held, Item, due_items
from partage.core.banking.models import OrderKind, PaymentBatch, PaymentOrder
from partage.core.banking.payees import check_account
from partage.core.contract.accounting import PostingRole
from partage.core.contract.money import from_minor
from partage.core.ledger.models import JournalKind
from partage.core.ledger.types import Entry
from partage.core.members.models import Entity
from partage.core.platform import audit
from partage.core.platform.issuer import Issuer
from partage.core.spending import expenses, settlement

SCHEMA = "pain.001.001.03"


@dataclass(frozen=True)
class Batch:
    """What building a batch did.

    Attributes:
        batch: the stored batch, ``None`` when nothing could be paid.
        orders: the transfers in the file.
        held: the items held back: by the no-bankruptcy rule, or a supplier invoice
            no verified account may pay yet.
    """

    batch: PaymentBatch | None
    orders: tuple[PaymentOrder, ...]
    held: tuple[Held, ...]


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
    the payee, and nothing is written. Items an entity cannot afford, and supplier
    invoices no verified account may pay yet, are held back and returned with the reason.
    """
    debtor_iban, debtor_bic = check_account(issuer.iban, issuer.bic, who="issuer")
    due, unpaid = due_items(session, coop, kinds)
    checked = [_checked(item) for item in due]
    paid, held = affordable(session, coop, checked, execution_on)
    held = [*unpaid, *held]
    if not paid:
        return Batch(None, (), tuple(held))
    content = _pain001(coop, issuer.legal_name, debtor_iban, debtor_bic, paid, execution_on)
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


def _checked(item: Item) -> Item:
    """The item with its IBAN and BIC in compact form; refuses a bad account, naming
    the payee."""
    iban, bic = check_account(
        item.iban, item.bic, who=f"{item.kind} {item.subject_id} to {item.payee}"
    )
    return replace(item, iban=iban, bic=bic)


def _pain001(
    coop: Cooperative,
    debtor: str,
    iban: str,
    bic: str | None,
    paid: Sequence[Item],
    execution_on: date,
) -> bytes:
    """The pain.001 file of the transfers, checked against its schema by sepaxml."""
    transfer = SepaTransfer(
        {"name": debtor, "IBAN": iban, "BIC": bic, "batch": True, "currency": coop.currency},
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
    content: bytes = transfer.export(validate=True)
    return content


def _end_to_end(item: Item) -> str:
    return f"PARTAGE-{item.kind.value.upper()}-{item.subject_id}"
