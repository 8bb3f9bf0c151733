"""Expense claims: what a worker paid for the entity, with the receipt's VAT, claimed within
the entity's funds and reimbursed from the bank.
"""

from __future__ import annotations

import hashlib
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
from partage.core.contract.money import round_money
from partage.core.contract.sectors import ActKind
from partage.core.ledger.models import JournalKind
from partage.core.members.membership import member_by_number
from partage.core.members.models import Member
from partage.core.members.service import entity_by_code, holders_of
from partage.core.platform import audit
from partage.core.risk.solvency import require_funds
from partage.core.sectors.rules import check_act
from partage.core.spending.models import (
    ExpenseClaim,
)
from partage.core.spending.purchases import purchase_treatment
from partage.core.spending.settlement import pay_from_bank, unsettled

CORE_EXPENSE_CATEGORIES = ("travel", "supplies", "equipment", "meals", "phone", "training")


#: What an expense category buys, for its VAT treatment; any other category buys services.
EXPENSE_SUPPLY = {"supplies": "goods", "equipment": "goods"}


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
            "vat",
            f"{vat} is not the net {net} at the {rate_code} rate ({treatment.rate:%}), {expected}",
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
        raise InvalidAct("member", f"{member} does not hold entity {entity}")
    if category not in expense_categories(coop):
        raise InvalidAct(
            "category", f"{category!r} must be one of {', '.join(expense_categories(coop))}"
        )
    if not receipt or not receipt_name.strip():
        raise InvalidAct("receipt", "an expense claim needs its receipt")
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
    claim = unsettled(session, ExpenseClaim, claim_id, "expense claim", "reimbursed")
    member = session.get(Member, claim.member_id)
    assert member is not None
    pay_from_bank(
        session,
        coop,
        claim,
        amount=claim.total,
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
