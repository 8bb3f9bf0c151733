"""What an entity spends or receives besides its sales: purchases and the credit notes
of its suppliers, expense claims, internal invoices between entities, subsidies and
sponsorship, copyright cessions.

Every act here that commits the entity's money — a purchase, an expense claim, an
accepted internal invoice, a copyright cession — first passes the no-bankruptcy rule
(:func:`partage.core.risk.solvency.require_funds`) for the amount it takes from the
entity's available funds: deductible VAT comes back from the State, so a purchase
commits its amount excluding VAT. A supplier's credit note gives money back and needs
no such check; paying an invoice deducts its credit notes not settled yet.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import TypeVar

from sqlalchemy import String, func, select
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
from partage.core.contract.money import from_minor, round_money
from partage.core.contract.sectors import ActKind
from partage.core.contract.tax import VatLineContext, VatTreatment
from partage.core.ledger.models import JournalKind
from partage.core.members.models import Entity, Member, Party, PartyKind
from partage.core.members.service import entity_by_code, holders_of, member_by_number, party_by_code
from partage.core.platform import audit
from partage.core.platform.db.base import utcnow
from partage.core.platform.db.engine import chunks
from partage.core.risk.solvency import require_funds
from partage.core.sales.models import InvoiceKind
from partage.core.sales.references import structured_reference
from partage.core.sectors.rules import check_act
from partage.core.spending.models import (
    CopyrightCession,
    ExpenseClaim,
    InternalInvoice,
    OtherIncome,
    Purchase,
)

PURCHASE_CATEGORIES = {"purchases": PostingRole.PURCHASES, "expenses": PostingRole.EXPENSES}
CORE_EXPENSE_CATEGORIES = ("travel", "supplies", "equipment", "meals", "phone", "training")
#: What an expense category buys, for its VAT treatment; any other category buys services.
EXPENSE_SUPPLY = {"supplies": "goods", "equipment": "goods"}
OTHER_INCOME_KINDS = ("subsidy", "sponsorship")
#: The longest supplier document number the ``purchase`` table keeps.
_SUPPLIER_REFERENCE = Purchase.__table__.c.supplier_reference.type
assert isinstance(_SUPPLIER_REFERENCE, String) and _SUPPLIER_REFERENCE.length is not None
SUPPLIER_REFERENCE_LENGTH = _SUPPLIER_REFERENCE.length
Debt = TypeVar("Debt", Purchase, ExpenseClaim)


def purchase_treatment(
    coop: Cooperative,
    on: date,
    *,
    country: str,
    vat_number: str | None,
    rate_code: str | None = None,
    supply: str = "goods",
) -> VatTreatment | None:
    """The country plugin's VAT treatment of something bought on ``on`` from a seller
    of ``country`` (a business when it has ``vat_number``); ``None`` when the plugin
    has no VAT. Purchases, expense receipts and the franchise fee all ask it here."""
    return coop.plugins.hook.partage_vat_treatment(
        line=VatLineContext(
            direction="purchase",
            on=on,
            rate_code=rate_code,
            supply=supply,
            counterpart_country=country,
            counterpart_vat_number=vat_number,
        )
    )


def purchase_vat(
    coop: Cooperative, on: date, supplier: Party, rate_code: str | None
) -> tuple[str, Decimal]:
    """The VAT code and rate the country plugin gives a purchase from ``supplier``."""
    treatment = purchase_treatment(
        coop, on, country=supplier.country, vat_number=supplier.vat_number, rate_code=rate_code
    )
    if treatment is None:
        raise InvalidAct("rate_code: the country plugin gives no VAT treatment for purchases")
    return treatment.vat_code, treatment.rate


# --- purchases and supplier credit notes ------------------------------------------------
def _check_supplier(party: Party) -> None:
    if party.kind == PartyKind.CLIENT.value:
        raise InvalidAct(f"supplier: party {party.code} is registered as a client only")


def _new_reference(
    session: Session, party: Party, kind: InvoiceKind, supplier_reference: str, category: str
) -> str:
    """The supplier's document number, checked: given, not too long, not booked yet."""
    if category not in PURCHASE_CATEGORIES:
        raise InvalidAct(f"category: {category!r} must be one of {', '.join(PURCHASE_CATEGORIES)}")
    number = supplier_reference.strip()
    what = "invoice" if kind is InvoiceKind.INVOICE else "credit note"
    if not number:
        raise InvalidAct(f"supplier_reference: the supplier's {what} number is required")
    if len(number) > SUPPLIER_REFERENCE_LENGTH:
        raise InvalidAct(
            f"supplier_reference: {number[:20]!r}... is longer than "
            f"{SUPPLIER_REFERENCE_LENGTH} characters"
        )
    booked = session.scalar(
        select(Purchase.id).where(
            Purchase.party_id == party.id,
            Purchase.kind == kind.value,
            Purchase.supplier_reference == number,
        )
    )
    if booked is not None:
        raise InvalidAct(
            f"supplier_reference: {what} {number} of supplier {party.code} is already "
            f"booked (purchase {booked})"
        )
    return number


def _payment_reference(given: str | None) -> str | None:
    if given is None or not given.strip():
        return None
    try:
        return structured_reference(given)
    except ValueError as error:
        raise InvalidAct(f"payment_reference: {error}") from None


def _book(
    session: Session,
    coop: Cooperative,
    row: Purchase,
    *,
    holder: Entity,
    party: Party,
    actor: str,
) -> Purchase:
    """Store a supplier document and post it to the entity's purchases journal with its
    audit record: an invoice charges the purchase and the deductible VAT to the
    supplier's account, a credit note posts the very same lines the other way."""
    session.add(row)
    session.flush()
    invoice = row.kind == InvoiceKind.INVOICE.value
    charge, owe = (debit, credit) if invoice else (credit, debit)
    amount = from_minor(row.net, coop.currency)
    vat = from_minor(row.vat, coop.currency)
    partner = party.code
    coop.post(
        session,
        book=holder.code,
        journal=JournalKind.PURCHASES,
        on=row.on,
        lines=[
            charge(
                PURCHASE_CATEGORIES[row.category], amount, partner=partner, vat_code=row.vat_code
            ),
            charge(PostingRole.VAT_DEDUCTIBLE, vat, partner=partner, vat_code=row.vat_code),
            owe(PostingRole.SUPPLIERS, amount + vat, partner=partner),
        ],
        act=("purchase" if invoice else "supplier_credit_note", row.id),
        actor=actor,
        reference=row.supplier_reference,
        description=row.description
        or f"{'Purchase from' if invoice else 'Credit note of'} {party.name}",
    )
    audit.record(
        session,
        actor=actor,
        action="purchase.record" if invoice else "purchase.credit_note",
        subject=f"purchase:{row.id}",
        reason=f"{row.category} of {holder.code} from {party.code}",
        data={"net": str(amount), "vat": str(vat)},
    )
    return row


def record_purchase(
    session: Session,
    coop: Cooperative,
    *,
    entity: str,
    supplier: str,
    supplier_reference: str,
    net: Decimal | str,
    on: date,
    actor: str,
    category: str = "purchases",
    rate_code: str | None = None,
    due_on: date | None = None,
    description: str = "",
    payment_reference: str | None = None,
) -> Purchase:
    """Book a supplier invoice for an entity; refused if the entity cannot afford it.

    ``payment_reference`` is the structured reference the supplier asks payments to
    carry (a Belgian ``+++123/4567/89012+++`` or an ``RF`` creditor reference); it is
    checked, so that a transfer never carries one its bank would refuse or misroute.
    """
    holder = entity_by_code(session, entity)
    party = party_by_code(session, supplier)
    check_act(
        session,
        coop,
        holder,
        ActKind.PURCHASE,
        on,
        amount=net,
        counterpart=party,
        category=category,
    )
    _check_supplier(party)
    reference = _new_reference(session, party, InvoiceKind.INVOICE, supplier_reference, category)
    amount = positive_amount(net, coop.currency, field="net")
    quoted = _payment_reference(payment_reference)
    vat_code, rate = purchase_vat(coop, on, party, rate_code)
    vat = round_money(amount * rate, coop.currency)
    require_funds(session, coop, holder, amount, on=on, what=f"purchase {reference}")
    row = Purchase(
        kind=InvoiceKind.INVOICE.value,
        entity_id=holder.id,
        party_id=party.id,
        supplier_reference=reference,
        on=on,
        due_on=due_on or on + timedelta(days=30),
        category=category,
        description=description,
        net=coop.minor(amount),
        vat=coop.minor(vat),
        vat_code=vat_code,
        payment_reference=quoted,
    )
    return _book(session, coop, row, holder=holder, party=party, actor=actor)


def _credited(session: Session, holder: Entity, party: Party, credits: str) -> Purchase:
    """The supplier invoice a credit note names, locked against a concurrent credit."""
    number = credits.strip()
    invoice = session.scalars(
        select(Purchase)
        .where(
            Purchase.party_id == party.id,
            Purchase.kind == InvoiceKind.INVOICE.value,
            Purchase.supplier_reference == number,
        )
        .with_for_update()
    ).one_or_none()
    if invoice is None:
        raise NotFound(f"credits: supplier {party.code} has no invoice {number!r} booked")
    if invoice.entity_id != holder.id:
        other = session.get(Entity, invoice.entity_id)
        raise InvalidAct(
            f"credits: invoice {number} of supplier {party.code} was booked for entity "
            f"{other.code if other else invoice.entity_id}, not for {holder.code}"
        )
    return invoice


def _credit_notes(
    session: Session, invoice_ids: Sequence[int], *, open_only: bool
) -> dict[int, list[Purchase]]:
    found: dict[int, list[Purchase]] = defaultdict(list)
    for part in chunks(invoice_ids):
        query = select(Purchase).where(
            Purchase.kind == InvoiceKind.CREDIT_NOTE.value, Purchase.credits_id.in_(part)
        )
        if open_only:
            query = query.where(Purchase.paid_on.is_(None))
        for note in session.scalars(query.order_by(Purchase.id)):
            assert note.credits_id is not None
            found[note.credits_id].append(note)
    return found


def open_credit_notes(session: Session, invoice_ids: Sequence[int]) -> dict[int, list[Purchase]]:
    """The credit notes not settled yet of each supplier invoice: what paying it deducts."""
    return _credit_notes(session, invoice_ids, open_only=True)


def amount_owed(invoice: Purchase, notes: Sequence[Purchase]) -> int:
    """What paying a supplier invoice transfers, minor units: its total less its open
    credit notes ``notes``. Always above zero for an unpaid invoice: the credit note
    that cancels the rest of an invoice settles it."""
    return invoice.net + invoice.vat - sum(note.net + note.vat for note in notes)


def record_supplier_credit_note(
    session: Session,
    coop: Cooperative,
    *,
    entity: str,
    supplier: str,
    supplier_reference: str,
    net: Decimal | str,
    on: date,
    actor: str,
    credits: str | None = None,
    category: str | None = None,
    rate_code: str | None = None,
    description: str = "",
) -> Purchase:
    """Book a supplier's credit note for an entity: the mirror of a purchase.

    ``credits`` is the supplier's number of the invoice it corrects, booked for the same
    entity; the credit note then takes that invoice's category (``category`` may only
    repeat it) and VAT as it stood on the invoice's date, and never credits more than
    what earlier credit notes left of the invoice's net. Its VAT never exceeds what is
    left of the invoice's either, and the note that credits the rest of the net gives
    back the rest of the VAT, so an invoice credited in full owes exactly nothing: it
    is settled there and then, with its credit notes, and no transfer is made.

    It adds to the entity's funds, so no funds check applies; sector rules see it as a
    credit note, which corrects an act already judged.
    """
    holder = entity_by_code(session, entity)
    party = party_by_code(session, supplier)
    check_act(
        session,
        coop,
        holder,
        ActKind.CREDIT_NOTE,
        on,
        amount=net,
        counterpart=party,
        category=category,
        direction="purchase",
    )
    _check_supplier(party)
    invoice = _credited(session, holder, party, credits) if credits is not None else None
    if invoice is not None and category not in (None, invoice.category):
        raise InvalidAct(
            f"category: invoice {invoice.supplier_reference} was booked as {invoice.category}; "
            f"its credit note gives back the same, not {category}"
        )
    kept = category or (invoice.category if invoice is not None else "purchases")
    reference = _new_reference(session, party, InvoiceKind.CREDIT_NOTE, supplier_reference, kept)
    amount = positive_amount(net, coop.currency, field="net")
    vat_code, rate = purchase_vat(coop, invoice.on if invoice else on, party, rate_code)
    vat = coop.minor(round_money(amount * rate, coop.currency))
    cancels = False
    if invoice is not None:
        if on < invoice.on:
            raise InvalidAct(
                f"on: the credit note of {on} is dated before invoice "
                f"{invoice.supplier_reference} of {invoice.on}"
            )
        if vat_code != invoice.vat_code:
            raise InvalidAct(
                f"rate_code: the credit note's VAT code {vat_code} is not that of invoice "
                f"{invoice.supplier_reference}, {invoice.vat_code}"
            )
        earlier = _credit_notes(session, [invoice.id], open_only=False)[invoice.id]
        net_left = invoice.net - sum(n.net for n in earlier)
        vat_left = invoice.vat - sum(n.vat for n in earlier)
        if coop.minor(amount) > net_left:
            raise InvalidAct(
                f"net: {amount} exceeds what is left to credit of invoice "
                f"{invoice.supplier_reference}, {from_minor(net_left, coop.currency)} "
                f"({from_minor(invoice.net, coop.currency)} invoiced, "
                f"{len(earlier)} earlier credit note(s))"
            )
        cancels = coop.minor(amount) == net_left
        vat = vat_left if cancels else min(vat, vat_left)
    row = Purchase(
        kind=InvoiceKind.CREDIT_NOTE.value,
        entity_id=holder.id,
        party_id=party.id,
        supplier_reference=reference,
        credits_id=invoice.id if invoice is not None else None,
        on=on,
        due_on=on,
        category=kept,
        description=description,
        net=coop.minor(amount),
        vat=vat,
        vat_code=vat_code,
    )
    _book(session, coop, row, holder=holder, party=party, actor=actor)
    if invoice is not None and cancels and invoice.paid_on is None:
        _settle_by_credit(session, invoice, on=on, actor=actor)
    return row


def _settle_by_credit(session: Session, invoice: Purchase, *, on: date, actor: str) -> None:
    """An unpaid invoice its credit notes cancel in full: settled, and they with it."""
    notes = open_credit_notes(session, [invoice.id])[invoice.id]
    invoice.paid_on = on
    for note in notes:
        note.paid_on = on
    audit.record(
        session,
        actor=actor,
        action="purchase.cancel",
        subject=f"purchase:{invoice.id}",
        reason="credited in full by the supplier: nothing is paid",
        data={"credit_notes": [note.supplier_reference for note in notes]},
    )


def _unsettled(session: Session, model: type[Debt], row_id: int, what: str, done: str) -> Debt:
    """The purchase or claim ``row_id``, refused when unknown or already settled;
    locked, so that a concurrent payment or credit note waits and then sees this one."""
    row = session.get(model, row_id, with_for_update=True)
    if row is None:
        raise NotFound(f"{what} {row_id}: no such {what}")
    settled = row.paid_on if isinstance(row, Purchase) else row.reimbursed_on
    if settled is not None:
        raise ClosedRecord(f"{what} {row_id}: {done} on {settled}")
    return row


def _pay_from_bank(
    session: Session,
    coop: Cooperative,
    row: Purchase | ExpenseClaim,
    *,
    amount: int,
    owed: PostingRole,
    partner: str,
    act: tuple[str, int],
    action: str,
    subject: str,
    on: date,
    actor: str,
    reference: str = "",
    description: str,
    data: dict[str, object] | None = None,
) -> None:
    """Pay ``amount`` (minor units) an entity owes for a purchase or an expense claim
    (to the supplier, to the member) from its bank, with its audit record. Its funds
    already counted the debt when it was booked, so paying it changes nothing to them
    and needs no new funds check."""
    holder = session.get(Entity, row.entity_id)
    assert holder is not None
    total = from_minor(amount, coop.currency)
    coop.post(
        session,
        book=holder.code,
        journal=JournalKind.BANK,
        on=on,
        lines=[
            debit(owed, total, partner=partner),
            credit(PostingRole.BANK, total, partner=partner),
        ],
        act=act,
        actor=actor,
        reference=reference,
        description=description,
    )
    audit.record(
        session,
        actor=actor,
        action=action,
        subject=subject,
        data={"amount": str(total), "to": partner, **(data or {})},
    )


def pay_purchase(
    session: Session, coop: Cooperative, purchase_id: int, *, on: date, actor: str
) -> Purchase:
    """Pay a supplier invoice from the entity's bank, less its open credit notes,
    which this payment settles too. A supplier's credit note is not paid: the supplier
    owes it back."""
    purchase = _unsettled(session, Purchase, purchase_id, "purchase", "already paid")
    if purchase.kind != InvoiceKind.INVOICE.value:
        raise InvalidAct(
            f"purchase {purchase_id}: credit note {purchase.supplier_reference} is owed back "
            "by the supplier, not paid"
        )
    party = session.get(Party, purchase.party_id)
    assert party is not None
    notes = open_credit_notes(session, [purchase.id])[purchase.id]
    _pay_from_bank(
        session,
        coop,
        purchase,
        amount=amount_owed(purchase, notes),
        owed=PostingRole.SUPPLIERS,
        partner=party.code,
        act=("purchase_payment", purchase.id),
        action="purchase.pay",
        subject=f"purchase:{purchase.id}",
        on=on,
        actor=actor,
        reference=purchase.payment_reference or purchase.supplier_reference,
        description=f"Payment of {purchase.supplier_reference}",
        data={"credit_notes": [note.supplier_reference for note in notes]} if notes else None,
    )
    purchase.paid_on = on
    for note in notes:
        note.paid_on = on
    return purchase


# --- expense claims -------------------------------------------------------------------
def expense_categories(coop: Cooperative) -> tuple[str, ...]:
    """The core categories and those the instance's sector plugins add."""
    extra = [c.code for group in coop.plugins.hook.partage_expense_categories() for c in group]
    return (*CORE_EXPENSE_CATEGORIES, *extra)


def expense_vat(
    coop: Cooperative,
    on: date,
    category: str,
    net: Decimal,
    vat: Decimal,
    rate_code: str | None,
) -> tuple[Decimal, str | None]:
    """The VAT of a receipt and its code, as a domestic purchase of the country.

    With ``rate_code``, the VAT is ``net × rate`` (computed when ``vat`` is zero, else it
    must be that amount). Without it, a receipt's VAT that is ``net × rate`` for exactly
    one rate in force takes that rate's code; otherwise (a receipt mixing rates, a
    rounding of the merchant's own) the VAT is posted without a code, which the VAT
    return shows as *uncoded* for the accountant rather than guessing a box.
    """
    if rate_code is None:
        rates = coop.plugins.hook.partage_vat_rates(on=on) or ()
        fits = [
            r.code for r in rates if vat > 0 and round_money(net * r.rate, coop.currency) == vat
        ]
        if len(fits) != 1:
            return vat, None
        rate_code = fits[0]
    identity = coop.plugins.hook.partage_country_identity()
    treatment = purchase_treatment(
        coop,
        on,
        country=identity.code.upper(),
        vat_number=None,
        rate_code=rate_code,
        supply=EXPENSE_SUPPLY.get(category, "services"),
    )
    if treatment is None:
        return vat, None
    expected = round_money(net * treatment.rate, coop.currency)
    if vat == 0:
        return expected, treatment.vat_code
    if vat != expected:
        raise InvalidAct(
            f"vat: {vat} is not the net {net} at the {rate_code} rate "
            f"({treatment.rate:%}), {expected}"
        )
    return vat, treatment.vat_code


def claim_expense(
    session: Session,
    coop: Cooperative,
    *,
    entity: str,
    member: int,
    category: str,
    net: Decimal | str,
    on: date,
    receipt_name: str,
    receipt: bytes,
    actor: str,
    vat: Decimal | str = "0",
    description: str = "",
    rate_code: str | None = None,
) -> ExpenseClaim:
    """Record a professional expense a holder paid, owed back to them by the entity.

    A receipt is required (its digest is kept); the claimant must hold the entity. The
    deductible VAT is posted with the country's VAT code of a domestic purchase
    (:func:`expense_vat`), so that the VAT return puts it, and its base, in their boxes.
    """
    holder = entity_by_code(session, entity)
    coop = check_act(
        session, coop, holder, ActKind.EXPENSE, on, amount=net, member=member, category=category
    )
    claimant = member_by_number(session, member)
    if member not in holders_of(session, holder.id):
        raise InvalidAct(f"member: {member} does not hold entity {entity}")
    if category not in expense_categories(coop):
        raise InvalidAct(
            f"category: {category!r} must be one of {', '.join(expense_categories(coop))}"
        )
    if not receipt or not receipt_name.strip():
        raise InvalidAct("receipt: an expense claim needs its receipt")
    amount = positive_amount(net, coop.currency, field="net")
    tax = Decimal(0) if Decimal(str(vat)) == 0 else positive_amount(vat, coop.currency, field="vat")
    tax, vat_code = expense_vat(coop, on, category, amount, tax, rate_code)
    require_funds(session, coop, holder, amount, on=on, what=f"expense claim ({category})")
    claim = ExpenseClaim(
        entity_id=holder.id,
        member_id=claimant.id,
        on=on,
        category=category,
        description=description,
        net=coop.minor(amount),
        vat=coop.minor(tax),
        receipt_name=receipt_name.strip(),
        receipt_sha256=hashlib.sha256(receipt).hexdigest(),
    )
    session.add(claim)
    session.flush()
    partner = f"M{member}"
    coop.post(
        session,
        book=holder.code,
        journal=JournalKind.PURCHASES,
        on=on,
        lines=[
            debit(PostingRole.EXPENSES, amount, partner=partner, vat_code=vat_code),
            debit(PostingRole.VAT_DEDUCTIBLE, tax, partner=partner, vat_code=vat_code),
            credit(PostingRole.MEMBERS_PAYABLE, amount + tax, partner=partner),
        ],
        act=("expense_claim", claim.id),
        actor=actor,
        reference=receipt_name,
        description=f"Expense claim {category} of member {member}",
    )
    audit.record(
        session,
        actor=actor,
        action="expense.claim",
        subject=f"expense:{claim.id}",
        reason=description or category,
        data={"net": str(amount), "vat": str(tax), "receipt_sha256": claim.receipt_sha256},
    )
    return claim


def reimburse_expense(
    session: Session, coop: Cooperative, claim_id: int, *, on: date, actor: str
) -> ExpenseClaim:
    """Pay an expense claim back to the member from the entity's bank."""
    claim = _unsettled(session, ExpenseClaim, claim_id, "expense claim", "reimbursed")
    member = session.get(Member, claim.member_id)
    assert member is not None
    _pay_from_bank(
        session,
        coop,
        claim,
        amount=claim.net + claim.vat,
        owed=PostingRole.MEMBERS_PAYABLE,
        partner=f"M{member.number}",
        act=("expense_reimbursement", claim.id),
        action="expense.reimburse",
        subject=f"expense:{claim.id}",
        on=on,
        actor=actor,
        description=f"Reimbursement of expense claim {claim.id}",
    )
    claim.reimbursed_on = on
    return claim


# --- internal invoices ----------------------------------------------------------------
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
    buyer's holder accepts. No VAT (one legal person) and no management fee (the fee
    is taken once, on the sale to the outside client)."""
    seller_entity = entity_by_code(session, seller)
    buyer_entity = entity_by_code(session, buyer)
    if seller_entity.id == buyer_entity.id:
        raise InvalidAct("buyer: an entity cannot invoice itself")
    check_act(
        session, coop, seller_entity, ActKind.INTERNAL_INVOICE, on, amount=amount, side="seller"
    )
    value = positive_amount(amount, coop.currency, field="amount")
    if not description.strip():
        raise InvalidAct("description: say what work is invoiced")
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
        raise NotFound(f"internal invoice {number!r}: no such internal invoice")
    if internal.status != "pending":
        raise ClosedRecord(f"internal invoice {number}: already {internal.status}")
    if by_member not in holders_of(session, internal.buyer_id):
        raise ActError(
            f"by_member: member {by_member} does not hold the buyer entity; only its holders decide"
        )
    seller = session.get(Entity, internal.seller_id)
    buyer = session.get(Entity, internal.buyer_id)
    assert seller is not None and buyer is not None
    if accept:
        amount = from_minor(internal.amount, coop.currency)
        check_act(session, coop, buyer, ActKind.INTERNAL_INVOICE, on, amount=amount, side="buyer")
        require_funds(session, coop, buyer, amount, on=on, what=f"internal invoice {number}")
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


# --- other income ----------------------------------------------------------------------
def record_other_income(
    session: Session,
    coop: Cooperative,
    *,
    kind: str,
    entity: str,
    funder: str,
    amount: Decimal | str,
    on: date,
    actor: str,
    reference_: str = "",
) -> OtherIncome:
    """A subsidy or sponsorship received in the entity's bank (no invoice, no fee;
    public tenders are invoiced, with their tender reference)."""
    if kind not in OTHER_INCOME_KINDS:
        raise InvalidAct(f"kind: {kind!r} must be one of {', '.join(OTHER_INCOME_KINDS)}")
    holder = entity_by_code(session, entity)
    party = party_by_code(session, funder)
    value = positive_amount(amount, coop.currency, field="amount")
    income = OtherIncome(
        kind=kind,
        entity_id=holder.id,
        party_id=party.id,
        on=on,
        amount=coop.minor(value),
        reference=reference_,
    )
    session.add(income)
    session.flush()
    coop.post(
        session,
        book=holder.code,
        journal=JournalKind.BANK,
        on=on,
        lines=[
            debit(PostingRole.BANK, value, partner=party.code),
            credit(PostingRole.OTHER_INCOME, value, partner=party.code),
        ],
        act=(kind, income.id),
        actor=actor,
        reference=reference_,
        description=f"{kind.title()} from {party.name}",
    )
    audit.record(
        session,
        actor=actor,
        action=f"income.{kind}",
        subject=f"other_income:{income.id}",
        data={"amount": str(value), "funder": party.code},
    )
    return income


# --- copyright --------------------------------------------------------------------------
def cede_copyright(
    session: Session,
    coop: Cooperative,
    *,
    entity: str,
    member: int,
    work: str,
    amount: Decimal | str,
    on: date,
    actor: str,
) -> CopyrightCession:
    """A holder cedes copyright on a work; the entity pays them copyright income taxed
    as the country plugin says (flat-rate costs, withholding)."""
    holder = entity_by_code(session, entity)
    check_act(session, coop, holder, ActKind.COPYRIGHT_CESSION, on, amount=amount, member=member)
    author = member_by_number(session, member)
    if member not in holders_of(session, holder.id):
        raise InvalidAct(f"member: {member} does not hold entity {entity}")
    if not work.strip():
        raise InvalidAct("work: name the work whose rights are ceded")
    value = positive_amount(amount, coop.currency, field="amount")
    year_start = date(on.year, 1, 1)
    earlier = session.scalar(
        select(func.coalesce(func.sum(CopyrightCession.amount), 0)).where(
            CopyrightCession.member_id == author.id,
            CopyrightCession.on >= year_start,
            CopyrightCession.on <= on,
        )
    )
    taxation = coop.plugins.hook.partage_copyright_taxation(
        amount=value, on=on, earlier_this_year=from_minor(int(earlier or 0), coop.currency)
    )
    if taxation is None:
        raise ActError(
            "copyright: this country has no copyright income regime; pay the work as salary"
        )
    require_funds(session, coop, holder, value, on=on, what="copyright cession")
    cession = CopyrightCession(
        entity_id=holder.id,
        member_id=author.id,
        on=on,
        work=work.strip(),
        amount=coop.minor(value),
        flat_rate_costs=coop.minor(taxation.flat_rate_costs),
        withholding=coop.minor(taxation.withholding),
    )
    session.add(cession)
    session.flush()
    partner = f"M{member}"
    coop.post(
        session,
        book=holder.code,
        journal=JournalKind.MISCELLANEOUS,
        on=on,
        lines=[
            debit(PostingRole.COPYRIGHT_FEES, value, partner=partner),
            credit(PostingRole.WITHHOLDING_PAYABLE, taxation.withholding, partner=partner),
            credit(PostingRole.MEMBERS_PAYABLE, taxation.net, partner=partner),
        ],
        act=("copyright_cession", cession.id),
        actor=actor,
        description=f"Copyright cession: {work.strip()}",
    )
    audit.record(
        session,
        actor=actor,
        action="copyright.cede",
        subject=f"copyright:{cession.id}",
        data={
            "amount": str(value),
            "flat_rate_costs": str(taxation.flat_rate_costs),
            "withholding": str(taxation.withholding),
        },
    )
    return cession
