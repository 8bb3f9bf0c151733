"""What is due to be paid out and not yet in a payment batch.

Net pay of payslips, reimbursements of expense claims (not those waiting for an
adviser), and supplier invoices less their
open credit notes (a supplier's credit note is never paid: it is deducted from its
invoice's transfer). A supplier's transfer goes to its verified account only, and
carries the structured reference the supplier asked for (its ``+++123/4567/89012+++``
or ``RF`` reference), else its invoice number; a supplier invoice that no account may
pay yet (:func:`partage.core.banking.payees.payment_holds`) is held with the reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from partage.core.acts import pending
from partage.core.acts.cooperative import Cooperative
from partage.core.acts.models import PendingKind
from partage.core.banking.models import OrderKind, PayeeAccount, PayeeStatus, PaymentOrder
from partage.core.banking.payees import payment_holds
from partage.core.contract.money import from_minor
from partage.core.members.models import Member, Party, Person
from partage.core.payroll.models import Contract, PayslipRecord
from partage.core.sales.models import InvoiceKind
from partage.core.spending import supplier_credits
from partage.core.spending.models import ExpenseClaim, Purchase


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


def _paid(kind: OrderKind) -> Select[int]:
    return select(PaymentOrder.subject_id).where(PaymentOrder.kind == kind.value)


def due_items(
    session: Session, coop: Cooperative, kinds: Iterable[OrderKind]
) -> tuple[list[Item], list[Held]]:
    """Everything of ``kinds`` that is due and not yet in a batch: what may be paid,
    and the supplier invoices no account may pay yet, with the reason."""
    wanted = set(kinds)
    items: list[Item] = []
    held: list[Held] = []
    if OrderKind.SALARY in wanted:
        items += _salaries_due(session, coop.currency)
    if OrderKind.EXPENSE in wanted:
        items += _expenses_due(session, coop.currency)
    if OrderKind.SUPPLIER in wanted:
        paid, held = _suppliers_due(session, coop.currency)
        items += paid
    return items, held


def _salaries_due(session: Session, currency: str) -> list[Item]:
    """The net pay of every payslip not yet paid, to the member's account."""
    rows = session.execute(
        select(PayslipRecord, Contract.entity_id, Person, Member.number)
        .join(Contract, Contract.id == PayslipRecord.contract_id)
        .join(Member, Member.id == Contract.member_id)
        .join(Person, Person.id == Member.person_id)
        .where(PayslipRecord.net > 0, PayslipRecord.id.not_in(_paid(OrderKind.SALARY)))
    ).all()
    return [
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


def _expenses_due(session: Session, currency: str) -> list[Item]:
    """Every expense claim not yet reimbursed, to the member's account; a claim waiting
    for an adviser (or refused) is not owed."""
    claims = session.execute(
        select(ExpenseClaim, Person)
        .join(Member, Member.id == ExpenseClaim.member_id)
        .join(Person, Person.id == Member.person_id)
        .where(
            ExpenseClaim.reimbursed_on.is_(None),
            ExpenseClaim.id.not_in(_paid(OrderKind.EXPENSE)),
            pending.counted(PendingKind.EXPENSE_CLAIM, ExpenseClaim.id),
        )
    ).all()
    return [
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


def _suppliers_due(session: Session, currency: str) -> tuple[list[Item], list[Held]]:
    """Every supplier invoice not yet paid, less its open credit notes, to the
    supplier's verified account; those no account may pay yet are held with why."""
    purchases = session.execute(
        select(Purchase, Party, PayeeAccount)
        .join(Party, Party.id == Purchase.party_id)
        .outerjoin(
            PayeeAccount,
            (PayeeAccount.party_id == Party.id)
            & (PayeeAccount.status == PayeeStatus.VERIFIED.value),
        )
        .where(
            Purchase.kind == InvoiceKind.INVOICE.value,
            Purchase.paid_on.is_(None),
            Purchase.id.not_in(_paid(OrderKind.SUPPLIER)),
        )
    ).all()
    credited = supplier_credits.open_credit_notes(
        session, [purchase.id for purchase, _, _ in purchases]
    )
    holds = payment_holds(session, [purchase for purchase, _, _ in purchases])
    items: list[Item] = []
    held: list[Held] = []
    for purchase, party, account in purchases:
        item = Item(
            OrderKind.SUPPLIER,
            purchase.id,
            purchase.entity_id,
            party.name,
            account.iban if account is not None else "",
            account.bic if account is not None else None,
            from_minor(
                supplier_credits.amount_owed(purchase, credited.get(purchase.id, ())),
                currency,
            ),
            (purchase.payment_reference or purchase.supplier_reference)[:140],
            purchase.due_on,
        )
        hold = holds.get(purchase.id)
        if hold is not None:
            held.append(Held(item, hold.reason))
        else:
            items.append(item)
    return items, held
