"""Income besides sales that staff validate: subsidies and sponsorship received by an
entity.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from partage.core.acts.cooperative import (
    Cooperative,
    InvalidAct,
    credit,
    debit,
    positive_amount,
)
from partage.core.contract.accounting import PostingRole
from partage.core.contract.errors import N_
from partage.core.ledger.models import JournalKind
from partage.core.members.service import entity_by_code, party_by_code
from partage.core.platform import audit
from partage.core.spending.models import (
    OtherIncome,
)

OTHER_INCOME_KINDS = ("subsidy", "sponsorship")
#: Each kind's journal description (:mod:`partage.core.ledger.wording` says it again
#: in the reader's language).
INCOME_WORDS = {
    "subsidy": N_("Subsidy from {party}"),
    "sponsorship": N_("Sponsorship from {party}"),
}


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
        raise InvalidAct(
            "kind",
            N_("{kind} must be one of {item_a}"),
            kind=repr(kind),
            item_a=", ".join(OTHER_INCOME_KINDS),
        )
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
        description=INCOME_WORDS[kind].format(party=party.name),
    )
    audit.record(
        session,
        actor=actor,
        action=f"income.{kind}",
        subject=f"other_income:{income.id}",
        data={"amount": str(value), "funder": party.code},
    )
    return income
