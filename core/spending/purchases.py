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

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import String, select
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import Cooperative, InvalidAct, credit, debit, positive_amount
from partage.core.contract.accounting import PostingRole
from partage.core.contract.errors import N_
from partage.core.contract.money import MoneyError, as_decimal, from_minor, round_money
from partage.core.contract.sectors import ActKind
from partage.core.contract.tax import VatLineContext, VatTreatment
from partage.core.ledger.models import JournalKind
from partage.core.members.models import Entity, Party, PartyKind
from partage.core.members.service import entity_by_code, party_by_code
from partage.core.platform import audit
from partage.core.risk.solvency import require_funds
from partage.core.sales.models import InvoiceKind
from partage.core.sales.references import structured_reference
from partage.core.sectors.rules import check_act
from partage.core.spending.models import Purchase
from partage.core.spending.receipts import keep_receipt, media_type_of

#: A supplier invoice's term when it gives none, in days (within the longest term).
SUPPLIER_TERM_DAYS = 30
PURCHASE_CATEGORIES = {"purchases": PostingRole.PURCHASES, "expenses": PostingRole.EXPENSES}
#: The longest supplier document number the ``purchase`` table keeps.
_SUPPLIER_REFERENCE = Purchase.__table__.c.supplier_reference.type
assert isinstance(_SUPPLIER_REFERENCE, String) and _SUPPLIER_REFERENCE.length is not None
SUPPLIER_REFERENCE_LENGTH = _SUPPLIER_REFERENCE.length


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
        raise InvalidAct("rate_code", N_("the country plugin gives no VAT treatment for purchases"))
    return treatment.vat_code, treatment.rate


# --- purchases and supplier credit notes ------------------------------------------------
def check_supplier(party: Party) -> None:
    if party.kind == PartyKind.CLIENT.value:
        raise InvalidAct(
            "supplier",
            N_("party {party_code} is registered as a client only"),
            party_code=party.code,
        )


def new_supplier_reference(
    session: Session, party: Party, kind: InvoiceKind, supplier_reference: str, category: str
) -> str:
    """The supplier's document number, checked: given, not too long, not booked yet."""
    if category not in PURCHASE_CATEGORIES:
        raise InvalidAct(
            "category",
            N_("{category} must be one of {item_a}"),
            category=repr(category),
            item_a=", ".join(PURCHASE_CATEGORIES),
        )
    number = supplier_reference.strip()
    what = "invoice" if kind is InvoiceKind.INVOICE else "credit note"
    if not number:
        raise InvalidAct(
            "supplier_reference", N_("the supplier's {what} number is required"), what=what
        )
    if len(number) > SUPPLIER_REFERENCE_LENGTH:
        raise InvalidAct(
            "supplier_reference",
            N_("{item_a}... is longer than {supplier_reference_length} characters"),
            item_a=repr(number[:20]),
            supplier_reference_length=SUPPLIER_REFERENCE_LENGTH,
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
            "supplier_reference",
            N_("{what} {number} of supplier {party_code} is already booked (purchase {booked})"),
            what=what,
            number=number,
            party_code=party.code,
            booked=booked,
        )
    return number


def _payment_reference(given: str | None) -> str | None:
    if given is None or not given.strip():
        return None
    try:
        return structured_reference(given)
    except ValueError as error:
        raise InvalidAct("payment_reference", str(error)) from None


def stated_vat(
    coop: Cooperative,
    on: date,
    party: Party,
    amount: Decimal,
    *,
    rate_code: str | None,
    vat: Decimal | str | None,
    deductible: bool,
) -> tuple[str | None, Decimal]:
    """The VAT code and the deductible VAT of a supplier document's ``amount``.

    Typed in, its VAT is the amount at the rate the country plugin gives. A supplier's
    e-invoice states its own (``vat``), which the official EN 16931 rules have judged
    (they let a category's VAT differ from base × rate by less than one unit, BR-S-09):
    the VAT invoiced is the VAT the buyer deducts, so it is booked as stated. VAT of
    another country (``deductible`` false) is no VAT of this country's return: no code,
    and the caller books it within the amount, as a cost.
    """
    if not deductible:
        return None, Decimal(0)
    vat_code, rate = purchase_vat(coop, on, party, rate_code)
    if vat is None:
        return vat_code, round_money(amount * rate, coop.currency)
    try:
        given = as_decimal(vat, field="vat")
        coop.minor(given)
    except MoneyError as exc:
        raise InvalidAct(exc.field, exc.template, value=exc.value, **exc.params) from None
    if given < 0:
        raise InvalidAct("vat", N_("{amount} must not be negative"), amount=given)
    return vat_code, given


def book_purchase(
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
            owe(PostingRole.SUPPLIERS, from_minor(row.total, coop.currency), partner=partner),
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
    vat: Decimal | str | None = None,
    deductible: bool = True,
) -> Purchase:
    """Book a supplier invoice for an entity; refused if the entity cannot afford it.

    Its VAT is ``net`` at the rate the country plugin gives, or the VAT the supplier's
    document states (``vat``); ``deductible`` false books no VAT at all, for VAT of
    another country that ``net`` then includes as a cost (:func:`stated_vat`).

    Its due date (30 days after its date unless given) lies within the longest payment
    term, as a sales invoice's does (:meth:`~partage.core.acts.cooperative.Cooperative.due`):
    the laws that cap terms between businesses (BE loi du 2 août 2002 art. 4; FR C. com.
    L441-10) bind the buyer as much as the seller, and a payment put off beyond them
    would keep the supplier's money owed, and the entity's funds held, longer than the
    law lets the parties agree.

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
    check_supplier(party)
    reference = new_supplier_reference(
        session, party, InvoiceKind.INVOICE, supplier_reference, category
    )
    amount = positive_amount(net, coop.currency, field="net")
    due = coop.due(
        on,
        due_on or on + timedelta(days=min(SUPPLIER_TERM_DAYS, coop.payment_term_days(on))),
        what=N_("supplier invoice"),
    )
    quoted = _payment_reference(payment_reference)
    vat_code, charged = stated_vat(
        coop, on, party, amount, rate_code=rate_code, vat=vat, deductible=deductible
    )
    require_funds(session, coop, holder, amount, on=on, what=N_("purchase"))
    row = Purchase(
        kind=InvoiceKind.INVOICE.value,
        entity_id=holder.id,
        party_id=party.id,
        supplier_reference=reference,
        on=on,
        due_on=due,
        category=category,
        description=description,
        net=coop.minor(amount),
        vat=coop.minor(charged),
        vat_code=vat_code,
        payment_reference=quoted,
    )
    return book_purchase(session, coop, row, holder=holder, party=party, actor=actor)


# --- expense claims -------------------------------------------------------------------


# --- internal invoices ----------------------------------------------------------------


# --- other income ----------------------------------------------------------------------


# --- copyright --------------------------------------------------------------------------


def record_paper_purchase(
    session: Session,
    coop: Cooperative,
    *,
    entity: str,
    supplier: str,
    supplier_reference: str,
    net: Decimal | str,
    on: date,
    actor: str,
    receipt_name: str,
    receipt: bytes,
    category: str = "purchases",
    rate_code: str | None = None,
    due_on: date | None = None,
    description: str = "",
    payment_reference: str | None = None,
) -> Purchase:
    """Book a supplier invoice that came on paper or as a plain PDF, with the file.

    The file is required (a PDF or an image, :mod:`.receipts`) and kept with the
    purchase: nothing official checked the figures a member types, so the staff who
    verify the supplier's bank account before anything is paid
    (:mod:`partage.core.banking.payees`), and the accountant, see the document itself.
    The purchase itself is :func:`record_purchase`'s: its funds checked and committed
    at once, in the same transaction.
    """
    media_type_of(receipt)
    row = record_purchase(
        session,
        coop,
        entity=entity,
        supplier=supplier,
        supplier_reference=supplier_reference,
        net=net,
        on=on,
        actor=actor,
        category=category,
        rate_code=rate_code,
        due_on=due_on,
        description=description,
        payment_reference=payment_reference,
    )
    keep_receipt(session, "purchase", row.id, receipt_name, receipt)
    return row
