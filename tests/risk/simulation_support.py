"""The invariants of issue 16 ("money that exists"), read from a world's database, for
the adversarial simulation (:mod:`tests.risk.test_adversarial`).

Each check reads what the books and the solvency rules say, in one session, and returns
the violations it finds as sentences (an empty list when every invariant holds), so that
a failing sequence names what broke and by how much.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import Cooperative
from partage.core.acts.models import PendingAct, PendingStatus
from partage.core.contract.accounting import PostingRole
from partage.core.contract.money import from_minor
from partage.core.ledger.models import Account, Book, JournalLine
from partage.core.members.models import Entity
from partage.core.risk.solvency import Commitments, fund_capacity

LINE = JournalLine.__table__

#: How many sequences the simulation plays: a few dozen in the default suite, the
#: ``simulation`` nox session sets ten thousand or more.
EXAMPLES = int(os.environ.get("PARTAGE_SIMULATION_EXAMPLES", "30"))

#: Money an entity holds: the bank and the cash (both posted only once the bank or
#: staff confirmed them), and the VAT the State owes back.
MONEY_ROLES = (PostingRole.BANK, PostingRole.CASH, PostingRole.VAT_DEDUCTIBLE)
#: Claims a recorded act backs, counted when their balance is a debit: what the
#: cooperative owes the entity on its current account (the fund's write-offs), and what
#: a supplier owes back (a credit note staff validated or that names its invoice).
CLAIM_ROLES = (PostingRole.ENTITY_CURRENT_ACCOUNT, PostingRole.SUPPLIERS)


@dataclass(frozen=True)
class Figures:
    """What the invariants compare, on a day.

    Attributes:
        funds: each entity's available funds (``F``), by code.
        offered: the coverage the guarantee's rules offer each entity (``C``).
        granted: the coverage granted to each (``G``).
        money: what each holds or is owed by a recorded act (:data:`MONEY_ROLES`, and
            :data:`CLAIM_ROLES` each when a debit).
        capacity: the fund's capacity.
        exposure: the coverage in use across the instance.
        pending: how many acts wait for staff.
    """

    funds: dict[str, Decimal]
    offered: dict[str, Decimal]
    granted: dict[str, Decimal]
    money: dict[str, Decimal]
    capacity: Decimal
    exposure: Decimal
    pending: int


def _balances(session: Session, roles: tuple[PostingRole, ...]) -> dict[str, int]:
    """Each book's balance (debit positive, minor units) over the accounts of ``roles``."""
    return {
        code: int(amount or 0)
        for code, amount in session.execute(
            select(Book.code, func.sum(LINE.c.debit - LINE.c.credit))
            .join(Account, Account.id == LINE.c.account_id)
            .join(Book, Book.id == LINE.c.book_id)
            .where(Account.role.in_([r.value for r in roles]))
            .group_by(Book.code)
        )
    }


def figures(session: Session, coop: Cooperative, on: date) -> Figures:
    """Read every figure the invariants need."""
    entities = {e.id: e.code for e in session.scalars(select(Entity).order_by(Entity.id))}
    rule = Commitments(session, coop, list(entities), on, lock=False)
    held = _balances(session, MONEY_ROLES)
    claims: dict[str, int] = {}
    for role in CLAIM_ROLES:
        for code, amount in _balances(session, (role,)).items():
            claims[code] = claims.get(code, 0) + max(amount, 0)
    state = fund_capacity(session, coop, on)
    waiting = session.scalar(
        select(func.count())
        .select_from(PendingAct)
        .where(PendingAct.status == PendingStatus.PENDING.value)
    )
    cur = coop.currency
    return Figures(
        funds={code: rule.funds[i] for i, code in entities.items()},
        offered={code: rule.offered[i] for i, code in entities.items()},
        granted={code: rule.granted(i) for i, code in entities.items()},
        money={
            code: from_minor(held.get(code, 0) + claims.get(code, 0), cur)
            for code in entities.values()
        },
        capacity=state.capacity,
        exposure=state.exposure,
        pending=int(waiting or 0),
    )


def unbalanced(session: Session) -> list[str]:
    """Every book and every entry whose debits are not its credits."""
    books = session.execute(
        select(Book.code, func.sum(LINE.c.debit), func.sum(LINE.c.credit))
        .join(Book, Book.id == LINE.c.book_id)
        .group_by(Book.code)
        .having(func.sum(LINE.c.debit) != func.sum(LINE.c.credit))
    ).all()
    entries = session.execute(
        select(LINE.c.entry_id, func.sum(LINE.c.debit), func.sum(LINE.c.credit))
        .group_by(LINE.c.entry_id)
        .having(func.sum(LINE.c.debit) != func.sum(LINE.c.credit))
    ).all()
    negative = session.scalar(
        select(func.count()).where(
            case((LINE.c.debit < 0, 1), (LINE.c.credit < 0, 1), else_=0) == 1
        )
    )
    found = [f"book {code}: debits {d} ≠ credits {c}" for code, d, c in books]
    found += [f"entry {entry}: debits {d} ≠ credits {c}" for entry, d, c in entries]
    if negative:
        found.append(f"{negative} journal lines with a negative debit or credit")
    return found


def violations(
    before: Figures, after: Figures, *, commitment: bool, entered_pending: bool
) -> list[str]:
    """The invariants after one step (``before`` → ``after``).

    ``commitment``: the step was a commitment (a purchase, an expense claim, a hire, a
    payslip): it may not take the fund's exposure past its capacity.
    ``entered_pending``: the step only entered acts that wait for staff: no figure moves.
    """
    found: list[str] = []
    for code, funds in after.funds.items():
        if funds + after.offered[code] < 0:
            found.append(
                f"{code} below zero: funds {funds} + coverage {after.offered[code]} "
                f"= {funds + after.offered[code]}"
            )
    total = sum(after.funds.values(), Decimal(0))
    backed = sum(after.money.values(), Decimal(0)) + sum(after.granted.values(), Decimal(0))
    if total > backed:
        found.append(
            f"funds {total} exceed money {sum(after.money.values(), Decimal(0))} "
            f"+ coverage granted {sum(after.granted.values(), Decimal(0))}"
        )
    if commitment and after.exposure > max(after.capacity, before.exposure):
        found.append(
            f"a commitment took the exposure from {before.exposure} to {after.exposure}, "
            f"past the capacity {after.capacity}"
        )
    if entered_pending and (after.funds, after.offered) != (before.funds, before.offered):
        moved = {c: after.funds[c] - before.funds.get(c, Decimal(0)) for c in after.funds}
        found.append(f"a pending act moved funds: {moved}")
    return found
