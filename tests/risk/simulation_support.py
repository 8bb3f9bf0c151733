"""The invariants of issue 16 ("money that exists"), read from a world's database, for
the adversarial simulation (:mod:`tests.risk.test_adversarial`).

Each check reads what the books and the solvency rules say, in one session, and returns
the violations it finds as sentences (an empty list when every invariant holds), so that
a failing sequence names what broke and by how much.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, case, event, func, select
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import Cooperative
from partage.core.acts.models import PendingAct, PendingStatus
from partage.core.contract.accounting import PostingRole
from partage.core.contract.money import from_minor
from partage.core.ledger.models import Account, Book, JournalLine
from partage.core.members.models import Entity
from partage.core.platform.db.engine import make_engine
from partage.core.risk.solvency import Commitments
from tests.engine_support import WORLD_DAY, World, _world_on, build_world
from tests.schema_template import _raw

LINE = JournalLine.__table__

#: How many sequences the simulation plays: a few hundred in the default suite, the
#: ``simulation`` nox session sets ten thousand or more.
EXAMPLES = int(os.environ.get("PARTAGE_SIMULATION_EXAMPLES", "300"))
#: Into how many independent runs (each its own database and seed) the sequences are
#: split, so that ``pytest -n`` plays them on several cores.
SHARDS = max(1, int(os.environ.get("PARTAGE_SIMULATION_SHARDS", "1")))
#: Whether a failing sequence is shrunk to a shortest one before it is reported: on
#: unless ``PARTAGE_SIMULATION_SHRINK=0`` (the long nox run reports it as played).
SHRINK = os.environ.get("PARTAGE_SIMULATION_SHRINK", "1") != "0"

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


#: Each book's balance (debit positive, minor units) on each role the figures read, in
#: one grouped query.
BALANCES = (
    select(Book.code, Account.role, func.sum(LINE.c.debit - LINE.c.credit))
    .join(Account, Account.id == LINE.c.account_id)
    .join(Book, Book.id == LINE.c.book_id)
    .where(Account.role.in_([r.value for r in MONEY_ROLES + CLAIM_ROLES]))
    .group_by(Book.code, Account.role)
)


#: Every entity, by id.
ENTITIES = select(Entity.id, Entity.code).order_by(Entity.id)
#: How many acts wait for staff.
WAITING = (
    select(func.count())
    .select_from(PendingAct)
    .where(PendingAct.status == PendingStatus.PENDING.value)
)


def _money(session: Session) -> dict[str, int]:
    """What each book holds on :data:`MONEY_ROLES`, plus each of :data:`CLAIM_ROLES`
    whose balance is a debit (minor units)."""
    money: dict[str, int] = {}
    claims = {r.value for r in CLAIM_ROLES}
    for code, role, amount in session.execute(BALANCES):
        amount = int(amount or 0)
        money[code] = money.get(code, 0) + (max(amount, 0) if role in claims else amount)
    return money


def figures(session: Session, coop: Cooperative, on: date) -> Figures:
    """Read every figure the invariants need."""
    entities = {i: code for i, code in session.execute(ENTITIES)}
    rule = Commitments(session, coop, list(entities), on, lock=False)
    money = _money(session)
    # the fund's figures as the rule read them (nothing drawn: a read locks and takes
    # nothing), rather than a second read of every entity's coverage
    state = rule.capacity()
    waiting = session.scalar(WAITING)
    cur = coop.currency
    return Figures(
        funds={code: rule.funds[i] for i, code in entities.items()},
        offered={code: rule.offered[i] for i, code in entities.items()},
        granted={code: rule.granted(i) for i, code in entities.items()},
        money={code: from_minor(money.get(code, 0), cur) for code in entities.values()},
        capacity=state.capacity,
        exposure=state.exposure,
        pending=int(waiting or 0),
    )


#: The books whose debits are not their credits (built once: composing a statement
#: costs more than SQLite takes to run it on a simulation's books).
UNBALANCED_BOOKS = (
    select(Book.code, func.sum(LINE.c.debit), func.sum(LINE.c.credit))
    .join(Book, Book.id == LINE.c.book_id)
    .group_by(Book.code)
    .having(func.sum(LINE.c.debit) != func.sum(LINE.c.credit))
)
#: The entries whose debits are not their credits.
UNBALANCED_ENTRIES = (
    select(LINE.c.entry_id, func.sum(LINE.c.debit), func.sum(LINE.c.credit))
    .group_by(LINE.c.entry_id)
    .having(func.sum(LINE.c.debit) != func.sum(LINE.c.credit))
)
#: How many journal lines carry a negative debit or credit.
NEGATIVE_LINES = select(func.count()).where(
    case((LINE.c.debit < 0, 1), (LINE.c.credit < 0, 1), else_=0) == 1
)


def unbalanced(session: Session) -> list[str]:
    """Every book and every entry whose debits are not its credits."""
    books = session.execute(UNBALANCED_BOOKS).all()
    entries = session.execute(UNBALANCED_ENTRIES).all()
    negative = session.scalar(NEGATIVE_LINES)
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


def _unsynchronised(dbapi_connection: Any, _record: Any) -> None:
    """No fsync at commit: the simulation's database is thrown away after the run, and
    waiting on the disk would be most of an act's time. Everything else (WAL, foreign
    keys, triggers, ``BEGIN IMMEDIATE``) is the engine's own (:func:`make_engine`)."""
    dbapi_connection.execute("PRAGMA synchronous=OFF")


class Stage:
    """One SQLite database and engine for a whole run, on which every sequence starts
    from the same opening world.

    The opening world (Testland, with what ``opening`` does to it) is built once and kept
    in memory; each sequence gets that database back through SQLite's backup API (every
    page, so nothing of the previous sequence survives) and a fresh :class:`World`
    (its ledger's caches empty). The engine, and so SQLAlchemy's cache of compiled
    statements, lasts the whole run: building, migrating and compiling for each sequence
    cost more than the sequence's acts.
    """

    def __init__(self, folder: Path, opening: Callable[[World], None], on: date) -> None:
        self.engine: Engine = make_engine(f"sqlite:///{folder / 'simulation.db'}")
        event.listen(self.engine, "connect", _unsynchronised)
        world = build_world(self.engine)
        opening(world)
        self.snapshot = sqlite3.connect(":memory:", check_same_thread=False)
        with _raw(self.engine) as raw:
            raw.backup(self.snapshot)
        with world.act() as s:
            #: The opening world's figures on ``on``: every sequence starts from them.
            self.opened = figures(s, world.coop, on)

    def world(self) -> World:
        """The opening world, afresh."""
        with _raw(self.engine) as raw:
            self.snapshot.backup(raw)
        return _world_on(self.engine, None, WORLD_DAY)

    def close(self) -> None:
        self.snapshot.close()
        self.engine.dispose()
