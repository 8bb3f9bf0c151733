"""Invoices between entities: one entity proposes, the other accepts within its funds or
refuses; accepted, both books post it at once.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import (
    ActError,
    ClosedRecord,
    Cooperative,
    InvalidAct,
    NotFound,
    credit,
    debit,
    next_number,
    positive_amount,
    reference,
)
from partage.core.contract.accounting import PostingRole
from partage.core.contract.errors import N_, Word
from partage.core.contract.money import from_minor, round_money
from partage.core.contract.sectors import ActKind
from partage.core.ledger.models import JournalKind
from partage.core.members.models import Entity
from partage.core.members.service import entity_by_code, holders_of
from partage.core.platform import audit
from partage.core.platform.db.base import utcnow
from partage.core.risk.solvency import require_funds
from partage.core.sectors.rules import check_act
from partage.core.spending.models import (
    InternalInvoice,
)


def propose_internal_invoice(
    session: Session,
    coop: Cooperative,
    *,
    seller: str,
    buyer: str,
    amount: Decimal | str,
    description: str,
    on: date,
    actor: str,
) -> InternalInvoice:
    """One entity invoices another for subcontracted work; nothing posts until the
    buyer's holder accepts. No VAT (one legal person), and no management fee unless the
    instance sets one for internal work (``[instance] internal_fee_rate``): the fee is
    otherwise taken once, on the sale to the outside client."""
    seller_entity = entity_by_code(session, seller)
    buyer_entity = entity_by_code(session, buyer)
    if seller_entity.id == buyer_entity.id:
        raise InvalidAct("buyer", N_("an entity cannot invoice itself"))
    check_act(
        session, coop, seller_entity, ActKind.INTERNAL_INVOICE, on, amount=amount, side="seller"
    )
    value = positive_amount(amount, coop.currency, field="amount")
    if not description.strip():
        raise InvalidAct("description", N_("say what work is invoiced"))
    number = reference("I", next_number(session, "I", on.year), on.year)
    internal = InternalInvoice(
        number=number,
        seller_id=seller_entity.id,
        buyer_id=buyer_entity.id,
        on=on,
        description=description.strip(),
        amount=coop.minor(value),
        status="pending",
    )
    session.add(internal)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="internal_invoice.propose",
        subject=f"internal_invoice:{number}",
        data={"seller": seller, "buyer": buyer, "amount": str(value)},
    )
    return internal


def decide_internal_invoice(
    session: Session,
    coop: Cooperative,
    number: str,
    *,
    accept: bool,
    by_member: int,
    on: date,
    actor: str,
    reason: str = "",
) -> InternalInvoice:
    """The buyer entity's holder accepts (budget moves) or refuses an internal invoice."""
    internal = session.scalars(
        select(InternalInvoice).where(InternalInvoice.number == number)
    ).one_or_none()
    if internal is None:
        raise NotFound("internal invoice", N_("no such internal invoice"), value=repr(number))
    if internal.status != "pending":
        raise ClosedRecord(
            "internal invoice",
            N_("already {internal_status}"),
            value=number,
            internal_status=Word(internal.status),
        )
    if by_member not in holders_of(session, internal.buyer_id):
        raise ActError(
            "by_member",
            N_("member {by_member} does not hold the buyer entity; only its holders decide"),
            by_member=by_member,
        )
    seller = session.get(Entity, internal.seller_id)
    buyer = session.get(Entity, internal.buyer_id)
    assert seller is not None and buyer is not None
    if accept:
        amount = from_minor(internal.amount, coop.currency)
        check_act(session, coop, buyer, ActKind.INTERNAL_INVOICE, on, amount=amount, side="buyer")
        require_funds(session, coop, buyer, amount, on=on, what=N_("internal invoice"))
        for book, lines in (
            (
                buyer.code,
                [
                    debit(PostingRole.PURCHASES, amount, partner=seller.code),
                    credit(PostingRole.ENTITY_CURRENT_ACCOUNT, amount, partner=seller.code),
                ],
            ),
            (
                seller.code,
                [
                    debit(PostingRole.ENTITY_CURRENT_ACCOUNT, amount, partner=buyer.code),
                    credit(PostingRole.SALES, amount, partner=buyer.code),
                ],
            ),
        ):
            coop.post(
                session,
                book=book,
                journal=JournalKind.MISCELLANEOUS,
                on=on,
                lines=lines,
                act=("internal_invoice", number),
                actor=actor,
                reference=number,
                description=internal.description,
            )
        fee = round_money(amount * coop.instance.internal_fee_rate, coop.currency)
        if fee > 0:
            _charge_fee(session, coop, seller, fee, number, on=on, actor=actor)
    internal.status = "accepted" if accept else "refused"
    internal.decided_by = f"member:{by_member}"
    internal.decided_at = utcnow()
    audit.record(
        session,
        actor=actor,
        action=f"internal_invoice.{'accept' if accept else 'refuse'}",
        subject=f"internal_invoice:{number}",
        reason=reason,
    )
    return internal


def _charge_fee(
    session: Session,
    coop: Cooperative,
    seller: Entity,
    fee: Decimal,
    number: str,
    *,
    on: date,
    actor: str,
) -> None:
    """The instance's fee for internal work, charged to the seller as the management
    fee of a sale is (:func:`partage.core.sales.recording.post_sale`), and income of the
    cooperative; none goes to the guarantee fund, which covers outside clients only."""
    act = ("internal_invoice", number)
    coop.post(
        session,
        book=seller.code,
        journal=JournalKind.MISCELLANEOUS,
        on=on,
        lines=[
            debit(PostingRole.MANAGEMENT_FEE_EXPENSE, fee),
            credit(PostingRole.ENTITY_CURRENT_ACCOUNT, fee, partner="cooperative"),
        ],
        act=act,
        actor=actor,
        reference=number,
        description=N_("Fee on internal invoice {number}").format(number=number),
    )
    coop.post(
        session,
        book="cooperative",
        journal=JournalKind.MISCELLANEOUS,
        on=on,
        lines=[
            debit(PostingRole.ENTITY_CURRENT_ACCOUNT, fee, partner=seller.code),
            credit(PostingRole.MANAGEMENT_FEE_INCOME, fee, partner=seller.code),
        ],
        act=act,
        actor=actor,
        reference=number,
        description=N_("Fee on internal invoice {number} ({entity_code})").format(
            number=number, entity_code=seller.code
        ),
    )
