"""What each entity may pay out under the no-bankruptcy rule.

A transfer takes money out of the entity's bank, which the rule allows up to the
entity's bank balance plus the coverage the salary guarantee fund grants it (salaries
first: paying them before clients pay is what the fund is for), and never while the
entity's available funds and coverage are below zero. An entity that owes the fund an
advance (:mod:`partage.core.sales.fund_cover`) is paid its wages only. A transfer settles a debt its
funds already count, so it takes none of the fund's capacity; the coverage granted is
the rule's (:class:`~partage.core.risk.solvency.Commitments`: what the entity uses,
plus what the fund's free capacity can still lend it). The entities are locked first,
so that two batches cannot both spend the same room.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import Cooperative
from partage.core.banking.due import Held, Item
from partage.core.banking.models import OrderKind
from partage.core.contract.accounting import PostingRole
from partage.core.contract.money import from_minor
from partage.core.ledger.balances import movements
from partage.core.ledger.models import Account, Book, EntryKind
from partage.core.members.models import Entity
from partage.core.platform.db.engine import chunks
from partage.core.risk.solvency import Commitments

#: Order in which an entity's payments use its room: salaries first.
PRIORITY = (OrderKind.SALARY, OrderKind.EXPENSE, OrderKind.SUPPLIER)


def bank_balances(
    session: Session, coop: Cooperative, entity_ids: Sequence[int]
) -> dict[int, Decimal]:
    """Each entity's bank balance (its book's ``bank`` account), every entry counted,
    read from the kept balances (:mod:`partage.core.ledger.balances`)."""
    found: dict[int, int] = {}
    bank = coop.account(session, PostingRole.BANK)
    for part in chunks(entity_ids):
        books = select(Book.id).join(Entity, Entity.code == Book.code).where(Entity.id.in_(part))

        def conditions(row: Any, books: Any = books) -> list[Any]:
            return [
                row.book_id.in_(books),
                row.account_id.in_(select(Account.id).where(Account.code == bank)),
                row.kind != EntryKind.OPENING.value,
            ]

        rows = movements(conditions).c
        sums = (
            select(rows.book_id, func.sum(rows.debit - rows.credit).label("balance"))
            .group_by(rows.book_id)
            .subquery()
        )
        found.update(
            session.execute(
                select(Entity.id, sums.c.balance)
                .join(Book, Book.code == Entity.code)
                .join(sums, sums.c.book_id == Book.id)
            ).all()
        )
    return {i: from_minor(int(found.get(i) or 0), coop.currency) for i in entity_ids}


def affordable(
    session: Session, coop: Cooperative, items: Sequence[Item], on: date
) -> tuple[list[Item], list[Held]]:
    """Split items into those the no-bankruptcy rule lets each entity pay and the rest."""
    ids = sorted({item.entity_id for item in items})
    rule = Commitments(session, coop, ids, on)
    cash = bank_balances(session, coop, ids)
    covered = {i: rule.granted(i) for i in ids}
    # a transfer settles a debt already counted: what hires reserve does not hold it
    rooms = {i: rule.funds[i] + rule.reserved[i] + covered[i] for i in ids}
    codes = dict(session.execute(select(Entity.id, Entity.code).where(Entity.id.in_(ids))).all())
    by_entity: dict[int, list[Item]] = defaultdict(list)
    for item in items:
        by_entity[item.entity_id].append(item)
    paid: list[Item] = []
    held: list[Held] = []
    currency = coop.currency
    for entity_id, own in by_entity.items():
        own.sort(key=lambda i: (PRIORITY.index(i.kind), i.due_on, i.subject_id))
        left = cash[entity_id] + covered[entity_id]
        owed = rule.advanced[entity_id]
        for item in own:
            if owed > 0 and item.kind != OrderKind.SALARY:
                held.append(
                    Held(
                        item,
                        f"entity {codes[entity_id]} owes the salary guarantee fund {owed} "
                        f"{currency} it advanced: only wages for work done are paid out "
                        "until its receipts repay it",
                    )
                )
            elif rooms[entity_id] < 0:
                held.append(
                    Held(
                        item,
                        f"entity {codes[entity_id]}: available funds and guarantee are "
                        f"{rooms[entity_id]} {currency}, below zero: nothing is paid out",
                    )
                )
            elif item.amount > left:
                held.append(
                    Held(
                        item,
                        f"entity {codes[entity_id]}: {item.kind} of {item.amount} {currency} "
                        f"exceeds its bank balance and guarantee, {left} {currency} left",
                    )
                )
            else:
                left -= item.amount
                paid.append(item)
    return paid, held
