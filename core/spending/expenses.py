"""Expense claims: what a worker paid for the entity, with the receipt's VAT, claimed within
the entity's funds and reimbursed from the bank.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from partage.core.acts import pending
from partage.core.acts.cooperative import (
    ClosedRecord,
    Cooperative,
    InvalidAct,
    credit,
    debit,
    positive_amount,
)
from partage.core.acts.models import PendingAct, PendingKind
from partage.core.contract.accounting import PostingRole
from partage.core.contract.errors import N_, Word
from partage.core.contract.money import from_minor, round_money
from partage.core.contract.sectors import ActKind
from partage.core.contract.tax import VatTreatment
from partage.core.ledger.models import JournalKind
from partage.core.members.membership import member_by_number
from partage.core.members.models import Entity, Member
from partage.core.members.service import entity_by_code, holders_of
from partage.core.platform import audit
from partage.core.platform.registry import root
from partage.core.risk.solvency import require_funds
from partage.core.sectors.rules import check_act, for_entity
from partage.core.spending.models import (
    ExpenseClaim,
)
from partage.core.spending.purchases import purchase_treatment
from partage.core.spending.receipts import keep_receipt, media_type_of
from partage.core.spending.settlement import pay_from_bank, unsettled

CORE_EXPENSE_CATEGORIES = ("travel", "supplies", "equipment", "meals", "phone", "training")


#: What an expense category buys, for its VAT treatment; any other category buys services.
EXPENSE_SUPPLY = {"supplies": "goods", "equipment": "goods"}


def expense_categories(coop: Cooperative) -> tuple[str, ...]:
    """The core categories and those the instance's sector plugins add."""
    extra = [c.code for group in coop.plugins.hook.partage_expense_categories() for c in group]
    return (*CORE_EXPENSE_CATEGORIES, *extra)


def expense_category_labels(coop: Cooperative) -> dict[str, str]:
    """Each expense category's label, by code, as pages translate it: a core category's
    code is its English word; a sector's label is the one its plugin marks ``N_``. Every
    installed sector's, so that a claim made while a sector was in force still reads."""
    labels = {code: code for code in CORE_EXPENSE_CATEGORIES}
    for group in root(coop.plugins).hook.partage_expense_categories():
        labels.update({c.code: c.label for c in group})
    return labels


def offered_expense_categories(
    session: Session, coop: Cooperative, entity: Entity, on: date
) -> tuple[str, ...]:
    """The expense categories a claim of ``entity`` dated ``on`` may use, as forms offer
    them: the core's and those of the sectors in force for it that day (its own trades,
    enabled by its office), never another sector's."""
    return expense_categories(for_entity(session, coop, entity, on))


def categories_in_force(
    session: Session, coop: Cooperative, entity: Entity, on: date
) -> list[tuple[str, str]]:
    """The categories an expense claim of ``entity`` dated ``on`` may take, with the
    words a form shows for each (to be translated) — exactly what :func:`claim_expense`
    accepts, so that a form never offers a category the act then refuses."""
    labels = expense_category_labels(coop)
    return [(c, labels.get(c, c)) for c in offered_expense_categories(session, coop, entity, on)]


#: How far, in minor units, a receipt's VAT may lie from ``net × rate`` and still be
#: explained by that rate: a merchant rounds each line, or the total, its own way.
VAT_TOLERANCE_MINOR = 1


@dataclass(frozen=True)
class ExpenseVat:
    """The VAT of a receipt as the country's rates explain it.

    Attributes:
        vat: the VAT claimed back.
        vat_code: the country's VAT code it is posted with, ``None`` when none applies.
        unexplained: why no rate explains it (the claim then waits for an adviser), or
            ``None``.
    """

    vat: Decimal
    vat_code: str | None
    unexplained: str | None = None


def expense_vat(
    coop: Cooperative,
    on: date,
    category: str,
    net: Decimal,
    vat: Decimal,
    rate_code: str | None,
) -> ExpenseVat:
    """The VAT of a receipt and its code, as a domestic purchase of the category's
    supply (goods or services) in the country, at the rates its dated VAT parameters
    give for ``on``.

    With ``rate_code``, the VAT is ``net × rate`` (computed when ``vat`` is zero, else it
    must be that amount, within :data:`VAT_TOLERANCE_MINOR`). Without it, a receipt's VAT
    that is ``net × rate`` for a rate in force, within the tolerance, takes the closest
    rate's code; VAT that no rate explains — a receipt mixing rates, or a figure no law
    gives — is ``unexplained``: the claim waits for an adviser, who sees the receipt.
    """
    cur = coop.currency
    tolerance = from_minor(VAT_TOLERANCE_MINOR, cur)
    supply = EXPENSE_SUPPLY.get(category, "services")
    country = coop.plugins.hook.partage_country_identity().code.upper()

    def treatment_of(code: str) -> VatTreatment | None:
        return purchase_treatment(
            coop, on, country=country, vat_number=None, rate_code=code, supply=supply
        )

    if rate_code is not None:
        treatment = treatment_of(rate_code)
        if treatment is None:
            return ExpenseVat(vat, None, _unexplained(coop, on, category, net, vat, []))
        expected = round_money(net * treatment.rate, cur)
        if vat == 0:
            return ExpenseVat(expected, treatment.vat_code)
        if abs(vat - expected) > tolerance:
            raise InvalidAct(
                "vat",
                N_(
                    "{vat} is not the net {net} at the {rate_code} rate "
                    "({treatment_rate:%}), {expected} {cur} (within {tolerance} "
                    "{cur})"
                ),
                vat=vat,
                net=net,
                rate_code=rate_code,
                treatment_rate=treatment.rate,
                expected=expected,
                cur=cur,
                tolerance=tolerance,
            )
        return ExpenseVat(vat, treatment.vat_code)
    if vat == 0:
        return ExpenseVat(vat, None)
    tried: list[tuple[str, Decimal, Decimal]] = []
    for rate in coop.plugins.hook.partage_vat_rates(on=on) or ():
        treatment = treatment_of(rate.code)
        if treatment is None or treatment.rate <= 0:
            continue
        tried.append((treatment.vat_code, treatment.rate, round_money(net * treatment.rate, cur)))
    fits = [t for t in tried if abs(vat - t[2]) <= tolerance]
    if not fits:
        return ExpenseVat(vat, None, _unexplained(coop, on, category, net, vat, tried))
    code, _, _ = min(fits, key=lambda t: abs(vat - t[2]))
    return ExpenseVat(vat, code)


def _unexplained(
    coop: Cooperative,
    on: date,
    category: str,
    net: Decimal,
    vat: Decimal,
    tried: list[tuple[str, Decimal, Decimal]],
) -> str:
    """Why a receipt's VAT waits for an adviser, with the amounts each rate gives."""
    cur = coop.currency
    rates = (
        ", ".join(f"{rate:%} gives {expected} {cur}" for _, rate, expected in tried)
        or "the country charges none"
    )
    return (
        f"vat: {vat} {cur} on a net of {net} {cur} is not the net at a VAT rate in force "
        f"on {on} for {category} ({rates}; within {from_minor(VAT_TOLERANCE_MINOR, cur)} "
        f"{cur}): the claim counts once an adviser of the entity's office validates it"
    )


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
    The funds check counts what the entity pays the claimant, net and VAT: the VAT comes
    back from the State only later, if at all. A claim whose VAT no rate explains waits
    for an adviser, written but not posted (:mod:`partage.core.acts.pending`).
    """
    holder = entity_by_code(session, entity)
    coop = check_act(
        session, coop, holder, ActKind.EXPENSE, on, amount=net, member=member, category=category
    )
    claimant = member_by_number(session, member)
    if member not in holders_of(session, holder.id):
        raise InvalidAct(
            "member",
            N_("{member} does not hold entity {entity_shown}"),
            member=member,
            entity_shown=entity,
        )
    if category not in expense_categories(coop):
        raise InvalidAct(
            "category",
            N_("{category} must be one of {item_a}"),
            category=repr(category),
            item_a=", ".join(expense_categories(coop)),
        )
    if not receipt or not receipt_name.strip():
        raise InvalidAct("receipt", N_("an expense claim needs its receipt"))
    amount = positive_amount(net, coop.currency, field="net")
    tax = Decimal(0) if Decimal(str(vat)) == 0 else positive_amount(vat, coop.currency, field="vat")
    found = expense_vat(coop, on, category, amount, tax, rate_code)
    tax = found.vat
    require_funds(session, coop, holder, amount + tax, on=on, what=N_("expense claim (net + VAT)"))
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
    if found.unexplained is not None:
        pending.enter(
            session,
            kind=PendingKind.EXPENSE_CLAIM,
            subject_id=claim.id,
            entity_id=holder.id,
            amount=claim.total,
            rule=found.unexplained,
            actor=actor,
        )
        return claim
    return _post_claim(session, coop, claim, holder, member, found.vat_code, actor=actor)


def _post_claim(
    session: Session,
    coop: Cooperative,
    claim: ExpenseClaim,
    holder: Entity,
    member: int,
    vat_code: str | None,
    *,
    actor: str,
) -> ExpenseClaim:
    """Post an expense claim: owed to the claimant, its VAT claimed from the State."""
    amount = from_minor(claim.net, coop.currency)
    tax = from_minor(claim.vat, coop.currency)
    partner = f"M{member}"
    coop.post(
        session,
        book=holder.code,
        journal=JournalKind.PURCHASES,
        on=claim.on,
        lines=[
            debit(PostingRole.EXPENSES, amount, partner=partner, vat_code=vat_code),
            debit(PostingRole.VAT_DEDUCTIBLE, tax, partner=partner, vat_code=vat_code),
            credit(PostingRole.MEMBERS_PAYABLE, amount + tax, partner=partner),
        ],
        act=("expense_claim", claim.id),
        actor=actor,
        reference=claim.receipt_name,
        description=f"Expense claim {claim.category} of member {member}",
    )
    audit.record(
        session,
        actor=actor,
        action="expense.claim",
        subject=f"expense:{claim.id}",
        reason=claim.description or claim.category,
        data={"net": str(amount), "vat": str(tax), "receipt_sha256": claim.receipt_sha256},
    )
    return claim


def book_pending_claim(
    session: Session, coop: Cooperative, row: PendingAct, *, actor: str, on: date
) -> ExpenseClaim:
    """Post an expense claim whose VAT an adviser vouches for (``row``, checked waiting
    and four-eyes by the caller), once the entity's funds bear its net and VAT on ``on``;
    its VAT is posted without a code, which the VAT return shows the accountant."""
    claim = session.get(ExpenseClaim, row.subject_id)
    assert claim is not None and row.kind == PendingKind.EXPENSE_CLAIM
    holder = session.get(Entity, claim.entity_id)
    member = session.get(Member, claim.member_id)
    assert holder is not None and member is not None  # foreign keys
    require_funds(
        session,
        coop,
        holder,
        from_minor(claim.total, coop.currency),
        on=on,
        what=N_("expense claim (net + VAT)"),
    )
    return _post_claim(session, coop, claim, holder, member.number, None, actor=actor)


def reimburse_expense(
    session: Session, coop: Cooperative, claim_id: int, *, on: date, actor: str
) -> ExpenseClaim:
    """Pay an expense claim back to the member from the entity's bank."""
    claim = unsettled(session, ExpenseClaim, claim_id, "expense claim", "reimbursed")
    waiting = pending.of_subject(session, PendingKind.EXPENSE_CLAIM, claim.id)
    if waiting is not None and waiting.status != "validated":
        raise ClosedRecord(
            "claim",
            N_("expense claim {claim_id} is {waiting_status}: {waiting_rule}"),
            value=claim.id,
            claim_id=claim.id,
            waiting_status=Word(waiting.status),
            waiting_rule=waiting.rule,
        )
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


@dataclass(frozen=True)
class ExpenseLine:
    """One receipt of a claim with several: what it was, its amounts and its file."""

    category: str
    net: Decimal | str
    receipt_name: str
    receipt: bytes
    vat: Decimal | str = "0"
    description: str = ""


#: The most receipts one claim carries.
MOST_LINES = 20


def claim_expenses(
    session: Session,
    coop: Cooperative,
    *,
    entity: str,
    member: int,
    lines: Sequence[ExpenseLine],
    on: date,
    actor: str,
) -> list[ExpenseClaim]:
    """Claim several expenses at once, each with its own receipt (a PDF or an image,
    kept with it: :mod:`.receipts`), all or none: each line is :func:`claim_expense`,
    in the same transaction, so the funds check of a line counts the lines before it.
    A refusal names the line (``lines[2].net``)."""
    if not lines:
        raise InvalidAct("lines", N_("add at least one receipt"))
    if len(lines) > MOST_LINES:
        raise InvalidAct("lines", N_("at most {most} receipts per claim"), most=MOST_LINES)
    claims = []
    for n, line in enumerate(lines, start=1):
        try:
            media_type_of(line.receipt)
            claim = claim_expense(
                session,
                coop,
                entity=entity,
                member=member,
                category=line.category,
                net=line.net,
                vat=line.vat,
                on=on,
                receipt_name=line.receipt_name,
                receipt=line.receipt,
                description=line.description,
                actor=actor,
            )
        except InvalidAct as exc:
            raise InvalidAct(
                f"lines[{n}].{exc.field}", exc.template, value=exc.value, **exc.params
            ) from None
        keep_receipt(session, "expense_claim", claim.id, line.receipt_name, line.receipt)
        claims.append(claim)
    return claims
