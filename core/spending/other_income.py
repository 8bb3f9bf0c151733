"""Income besides sales: subsidies, patronage (gifts) and sponsorship received by an
entity.

A member's word alone never raises an entity's funds (:mod:`partage.core.acts.pending`):

* a **subsidy** or a gift under **patronage** (no VAT: nothing is given in return) is
  declared by a holder and waits for staff of the entity's office, who validate that
  the money arrived (they see the grant's or the donor's reference); only then is it
  posted, on its own date, to the bank and the entity's other income;
* **sponsorship** is a service sold — the sponsor's name shown in return — so it is
  invoiced to the sponsor as any sale, with its VAT and the management fee, and its
  money counts as an invoice's does (:func:`partage.core.sales.invoices.issue_invoice`);
  the row here ties the sponsorship to that invoice.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from partage.core.acts import pending
from partage.core.acts.cooperative import (
    Cooperative,
    InvalidAct,
    credit,
    debit,
    positive_amount,
)
from partage.core.acts.models import PendingAct, PendingKind
from partage.core.contract.accounting import PostingRole
from partage.core.contract.errors import N_
from partage.core.contract.money import from_minor
from partage.core.ledger.models import JournalKind
from partage.core.members.models import Entity, Party
from partage.core.members.service import entity_by_code, party_by_code
from partage.core.platform import audit
from partage.core.sales import invoices
from partage.core.sales.invoices import LineInput
from partage.core.spending.models import OtherIncome

#: Income a holder declares and staff validate (no VAT, no invoice).
DECLARED_KINDS = ("subsidy", "patronage")
#: Every kind of other income.
OTHER_INCOME_KINDS = (*DECLARED_KINDS, "sponsorship")
#: Each kind's journal description (:mod:`partage.core.ledger.wording` says it again
#: in the reader's language).
INCOME_WORDS = {
    "subsidy": N_("Subsidy from {party}"),
    "patronage": N_("Gift from {party}"),
    "sponsorship": N_("Sponsorship from {party}"),
}
#: The longest reference (a grant's number, a donor's letter) kept.
REFERENCE_LENGTH = 100


def _reference(given: str) -> str:
    text = " ".join(given.split())
    if len(text) > REFERENCE_LENGTH:
        raise InvalidAct(
            "reference",
            N_("{item_a}... is longer than {length} characters"),
            item_a=repr(text[:20]),
            length=REFERENCE_LENGTH,
        )
    return text


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
    """Declare a subsidy or a gift received: written, and waiting for staff of the
    entity's office to validate that the money came (:func:`book_pending_income`)."""
    if kind not in DECLARED_KINDS:
        raise InvalidAct(
            "kind",
            N_("{kind} must be one of {item_a}"),
            kind=repr(kind),
            item_a=", ".join(DECLARED_KINDS),
        )
    holder = entity_by_code(session, entity)
    coop.dated(on)
    party = party_by_code(session, funder)
    value = positive_amount(amount, coop.currency, field="amount")
    income = OtherIncome(
        kind=kind,
        entity_id=holder.id,
        party_id=party.id,
        on=on,
        amount=coop.minor(value),
        reference=_reference(reference_),
    )
    session.add(income)
    session.flush()
    pending.enter(
        session,
        kind=PendingKind.OTHER_INCOME,
        subject_id=income.id,
        entity_id=holder.id,
        amount=income.amount,
        rule=(
            f"{kind}: {value} {coop.currency} from {party.code} {party.name} counts once "
            "staff of the entity's office see the money arrived"
        ),
        actor=actor,
    )
    return income


def book_pending_income(
    session: Session, coop: Cooperative, row: PendingAct, *, actor: str
) -> OtherIncome:
    """Post a subsidy or gift staff vouch for (``row``, checked waiting and four-eyes by
    the caller): the bank and the entity's other income, on its own date."""
    income = session.get(OtherIncome, row.subject_id)
    assert income is not None and row.kind == PendingKind.OTHER_INCOME
    holder = session.get(Entity, income.entity_id)
    party = session.get(Party, income.party_id)
    assert holder is not None and party is not None  # foreign keys
    value = from_minor(income.amount, coop.currency)
    coop.post(
        session,
        book=holder.code,
        journal=JournalKind.BANK,
        on=income.on,
        lines=[
            debit(PostingRole.BANK, value, partner=party.code),
            credit(PostingRole.OTHER_INCOME, value, partner=party.code),
        ],
        act=(income.kind, income.id),
        actor=actor,
        reference=income.reference,
        description=INCOME_WORDS[income.kind].format(party=party.name),
    )
    audit.record(
        session,
        actor=actor,
        action=f"income.{income.kind}",
        subject=f"other_income:{income.id}",
        data={"amount": str(value), "funder": party.code},
    )
    return income


def invoice_sponsorship(
    session: Session,
    coop: Cooperative,
    *,
    entity: str,
    sponsor: str,
    amount: Decimal | str,
    description: str,
    on: date,
    actor: str,
    rate_code: str | None = None,
) -> tuple[OtherIncome, str]:
    """Invoice a sponsorship to the sponsor (a sale: VAT and the management fee) and
    record it as the entity's sponsorship; returns the row and the invoice's number."""
    holder = entity_by_code(session, entity)
    if not description.strip():
        raise InvalidAct("description", N_("say what the sponsor receives in return"))
    value = positive_amount(amount, coop.currency, field="amount")
    invoice = invoices.issue_invoice(
        session,
        coop,
        entity=holder.code,
        client=sponsor,
        lines=[LineInput(f"Sponsorship: {description.strip()}"[:200], "1", str(value), rate_code)],
        on=on,
        actor=actor,
    )
    income = OtherIncome(
        kind="sponsorship",
        entity_id=holder.id,
        party_id=invoice.party_id,
        on=on,
        amount=invoice.net,
        reference=invoice.number,
    )
    session.add(income)
    session.flush()
    return income, invoice.number
