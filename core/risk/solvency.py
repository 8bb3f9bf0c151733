"""The no-bankruptcy rule and the salary guarantee fund's capacity: what an entity may
commit, and what the fund may guarantee across the instance at once.

For an entity on a day, in the instance's currency:

* its **available funds** ``F`` are the ledger's figure
  (:func:`partage.core.ledger.reports.available_funds`, every posted entry counted):
  money it holds and VAT the State owes it, less what it owes within weeks;
* its **coverage** ``C`` is what the guarantee's rules offer it,
  ``min(coverage_rate × Σ eligible receivables, ceiling_per_entity)``, where a
  receivable is eligible when it is an issued invoice of the entity, not written off,
  to a client not in default, and overdue by at most ``max_days_overdue`` days; its
  outstanding amount is its total (VAT included: the VAT collected is already
  subtracted from available funds) less what was paid or credited on it;
* the coverage it **uses** is ``U = min(C, max(0, −F))``: what it has committed beyond
  its own money, as far as its coverage backs it. An entity whose funds are positive
  uses none.

Two things lower what an entity may commit beyond ``F``: what its hires still
**reserve** (``R``: each monthly contract's legal commitment, less what its payslips
cost, :func:`reservations`), which the rule counts as committed (``F − R`` stands for
``F`` below); and an **advance** it owes the fund (:mod:`partage.core.sales.fund_cover`),
which blocks every new commitment until repaid
(:class:`~partage.core.acts.cooperative.EntityBlocked`).

For the instance, the fund's **capacity** is ``K = max(0, fund balance − tied) ×
leverage``, where ``tied`` is what it paid out and may recover (receivables it took
over, advances it lent: :func:`fund_tied`),
rounded down to the minor unit: the balance is what the fund holds in the cooperative's
books (fee allocations and the general assembly's allocations, less the losses it
absorbed), the leverage is the general assembly's (``[instance.guarantee_fund]
leverage``). The fund's **exposure** is ``X = Σ U`` over every entity: the coverage
granted and in use. ``K − X``, when positive, is the **free capacity**.

The rule, for a commitment of ``amount`` by an entity (a purchase, an expense claim, a
hire's reservation, an internal invoice, a copyright cession; a payslip for work done is
owed and never refused, :mod:`partage.core.payroll.runs`):

1. the entity must stay within its coverage: ``F + C − amount ≥ 0``, or it is refused
   for lack of funds (:class:`~partage.core.acts.cooperative.InsufficientFunds`);
2. the commitment takes ``F`` to ``F − amount`` and so needs ``Δ = U(after) −
   U(before)`` more coverage. A commitment the entity pays from its own funds has
   ``Δ = 0`` and never asks the fund; otherwise it is accepted only if ``X + Δ ≤ K``,
   and refused (:class:`~partage.core.acts.cooperative.FundCapacityReached`, with the
   balance, leverage, capacity, exposure and ``Δ``) if not.

So an entity may commit ``F + G`` where ``G = U + min(C − U, free capacity)`` is the
coverage **granted** to it: what it already uses, plus what the fund can still lend it
within its own coverage. Capacity is shared first come, first served: no entity holds a
reserved part of it, each commitment takes what it needs when it is made (in a payroll
run, in the order asked), and ``ceiling_per_entity`` is what keeps one entity from
taking it all. Coverage in use is never withdrawn: when losses shrink the fund below its
exposure, commitments already made stand (salaries paid stay paid) and new ones that
need coverage wait until the fund grows or entities repay what they use. Money an
entity receives lowers its ``U`` and frees capacity for others at once.

A transfer out (:mod:`partage.core.banking.affordability`) settles a debt the funds
already count, so it moves no exposure and takes no capacity: a payment file pays an
entity at most its bank balance plus the coverage granted to it. Acts that are not
commitments — an invoice (its VAT and fee are owed at once, its coverage comes with
it), a payment received, a write-off — move ``F`` and ``C`` as the books say and are
never refused here; exposure measured after them may exceed capacity (after a loss,
say), which only closes the door to new coverage.

Concurrency: every commitment first locks its entity's row (``SELECT ... FOR UPDATE``
on PostgreSQL; SQLite already serialises writing transactions, which Partage opens with
``BEGIN IMMEDIATE``), so two commitments of one entity are checked one after the other
and cannot both pass on the same funds. A payroll run locks all its entities at once,
in id order, so that two runs cannot deadlock. A commitment that needs coverage then
takes the fund's lock (a transaction-level advisory lock on PostgreSQL,
:func:`lock_fund`) before it reads the exposure, so two entities cannot both take the
last of the capacity; commitments paid from own funds never wait for it. Entity locks
come first and the fund's last, in every act: a write-off locks its entity, then the
fund, so that a loss and a commitment see each other (a client's default locks all the
entities it touches first).

Every figure here is computed for many entities in a handful of grouped queries
(:class:`Commitments`), so that a payroll run of thousands of payslips checks them all
at once. The exposure is one grouped query over the invoices due within the guarantee's
window (read by their indexed due date), one over the funds of the entities that have
some, and the fund's balance: read once per check, and only when a commitment needs
coverage. Its cost grows with the instance (its open receivables and
the books of the entities holding them), not with the commitments checked at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, case, column, func, or_, select, table
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import (
    Cooperative,
    EntityBlocked,
    FundCapacityReached,
    InsufficientFunds,
)
from partage.core.contract.accounting import PostingRole
from partage.core.contract.errors import N_, Amount, Word
from partage.core.contract.money import from_minor, minor_quantum, to_minor
from partage.core.ledger.balances import cut_after, movements
from partage.core.ledger.books import COOPERATIVE_BOOK
from partage.core.ledger.models import Account, Book, EntryKind, JournalEntry, JournalLine
from partage.core.ledger.reports import funds_query
from partage.core.members.models import Entity
from partage.core.platform.db.engine import chunks
from partage.core.sales.coverage import ELIGIBLE, ELIGIBLE_ALL, due_after, offered
from partage.core.sales.fund_cover import (
    ADVANCE_ACT,
    HAND_OVER_ACT,
    REPAYMENT_ACT,
    TAKEOVER_ACT,
    advances_owed,
)

#: A day after every posted entry: funds count every commitment already in the books,
#: whatever its date.
END_OF_TIME = date(9999, 12, 31)

#: The key of the fund's advisory lock on PostgreSQL ("PRTGFUND"): one database serves
#: one instance, so one key serves its one fund.
FUND_LOCK_KEY = int.from_bytes(b"PRTGFUND", "big")

LINE = JournalLine.__table__


#: Available funds of entities (``entity_ids``): the ledger's rule
#: (:func:`~partage.core.ledger.reports.funds_query`) over the entities' books, so that
#: one query serves a payroll run of thousands of entities as fast as one commitment.
_BOOKS_OF = (
    select(Book.id)
    .join(Entity, Entity.code == Book.code)
    .where(Entity.id.in_(bindparam("entity_ids", expanding=True)))
)
_BALANCES = funds_query(_BOOKS_OF).subquery()
FUNDS = (
    select(Entity.id, _BALANCES.c.funds)
    .join(Book, Book.code == Entity.code)
    .join(_BALANCES, _BALANCES.c.book_id == Book.id)
)

#: The accounts that hold the fund in the management view: the reserve the general
#: assembly earmarked and the movements it has not yet appropriated (the fee share,
#: allocations, losses absorbed; see :mod:`partage.core.risk.fund`).
FUND_ROLES = (PostingRole.GUARANTEE_FUND.value, PostingRole.GUARANTEE_FUND_RESERVE.value)


def fund_balance_query(on: date | None = None) -> Select[tuple[int]]:
    """The fund's balance in the cooperative's books at the end of ``on`` (``None``:
    every entry), minor units (credit positive), read from the kept balances
    (:func:`~partage.core.ledger.balances.movements`): the fee share every act adds to
    it is not summed line by line."""

    def conditions(row: Any) -> list[ColumnElement[bool]]:
        return [
            row.account_id.in_(select(Account.id).where(Account.role.in_(FUND_ROLES))),
            row.book_id.in_(select(Book.id).where(Book.code == COOPERATIVE_BOOK)),
            row.kind == EntryKind.NORMAL.value,
        ]

    rows = movements(conditions, end=on, cuts=cut_after(on)).c
    return select(func.coalesce(func.sum(rows.credit - rows.debit), 0))


#: The fund's balance in the cooperative's books, every entry, minor units (credit
#: positive).
FUND_BALANCE = fund_balance_query()


#: Acts whose entries in the cooperative's books move what the fund holds as
#: receivables taken over and advances lent (see :mod:`partage.core.risk.takeover`).
TIED_ACTS = (TAKEOVER_ACT, HAND_OVER_ACT, "write_off", ADVANCE_ACT, REPAYMENT_ACT)

#: What the fund has paid out and may recover, minor units: receivables it took over
#: (the cooperative's ``clients`` moved by the fund's acts) and advances it lent
#: (``fund_advance``) in the cooperative's books, debit positive.
FUND_TIED = (
    select(func.coalesce(func.sum(LINE.c.debit - LINE.c.credit), 0))
    .join(Account, Account.id == LINE.c.account_id)
    .join(Book, Book.id == LINE.c.book_id)
    .join(JournalEntry.__table__, JournalEntry.__table__.c.id == LINE.c.entry_id)
    .where(
        Book.code == COOPERATIVE_BOOK,
        LINE.c.kind == EntryKind.NORMAL.value,
        Account.role.in_((PostingRole.CLIENTS.value, PostingRole.FUND_ADVANCE.value)),
        JournalEntry.__table__.c.act_type.in_(TIED_ACTS),
    )
)

# The payroll's tables, read by name: the payroll sits above this layer, and what a
# hire reserved is part of what its entity may still commit.
_CONTRACT = table("contract", column("id"), column("entity_id"), column("reserved"), column("end"))
_PAYSLIP = table("payslip", column("contract_id"), column("employer_cost"), column("insurance"))
_PAID = (
    select(func.coalesce(func.sum(_PAYSLIP.c.employer_cost + _PAYSLIP.c.insurance), 0))
    .where(_PAYSLIP.c.contract_id == _CONTRACT.c.id)
    .scalar_subquery()
)

#: What the hires of entities (``entity_ids``) still reserve on a day (``on``), minor
#: units: per contract not ended, what its hire reserved less what its payslips cost,
#: never below zero.
RESERVED = (
    select(
        _CONTRACT.c.entity_id,
        func.sum(case((_CONTRACT.c.reserved > _PAID, _CONTRACT.c.reserved - _PAID), else_=0)),
    )
    .where(
        _CONTRACT.c.entity_id.in_(bindparam("entity_ids", expanding=True)),
        _CONTRACT.c.reserved > 0,
        or_(_CONTRACT.c.end.is_(None), _CONTRACT.c.end >= bindparam("on")),
    )
    .group_by(_CONTRACT.c.entity_id)
)


def reservations(
    session: Session, coop: Cooperative, entity_ids: Sequence[int], on: date
) -> dict[int, Decimal]:
    """What each entity's hires still reserve of its funds on a day (see
    :func:`partage.core.payroll.service.reserved_months`)."""
    found: dict[int, int] = {}
    for part in chunks(entity_ids):
        found.update(session.execute(RESERVED, {"entity_ids": list(part), "on": on}).all())
    return {i: from_minor(int(found.get(i) or 0), coop.currency) for i in entity_ids}


def fund_tied(session: Session, coop: Cooperative) -> Decimal:
    """What the fund paid out and may recover: receivables it holds, advances lent."""
    return from_minor(int(session.scalar(FUND_TIED) or 0), coop.currency)


def in_use(funds: Decimal, covered: Decimal) -> Decimal:
    """The coverage an entity with these funds and this coverage uses (``U``)."""
    return min(covered, max(-funds, Decimal(0)))


def _due_after(coop: Cooperative, on: date) -> date:
    return due_after(coop.guarantee, on)


def eligible_receivables(
    session: Session, coop: Cooperative, entity_ids: Sequence[int] | None, on: date
) -> dict[int, Decimal]:
    """Each entity's eligible receivables on a day: of ``entity_ids``, or of every
    entity that has some (``None``)."""
    found: dict[int, int] = {}
    due_after = _due_after(coop, on)
    if entity_ids is None:
        rows = session.execute(ELIGIBLE_ALL, {"due_after": due_after, "on": on})
        found.update((i, int(amount)) for i, amount in rows)
    else:
        for part in chunks(entity_ids):
            found.update(
                session.execute(
                    ELIGIBLE, {"entity_ids": list(part), "due_after": due_after, "on": on}
                ).all()
            )
    ids = found if entity_ids is None else entity_ids
    return {i: from_minor(int(found.get(i) or 0), coop.currency) for i in ids}


def coverages(
    session: Session, coop: Cooperative, entity_ids: Sequence[int], on: date
) -> dict[int, Decimal]:
    """What the guarantee's rules offer each entity on a day (the module's ``C``),
    before the fund's capacity."""
    eligible = eligible_receivables(session, coop, entity_ids, on)
    return {i: offered(amount, coop.guarantee, coop.currency) for i, amount in eligible.items()}


def coverage(session: Session, coop: Cooperative, entity_id: int, on: date) -> Decimal:
    """What the guarantee's rules offer one entity on a day."""
    return coverages(session, coop, [entity_id], on)[entity_id]


def funds_by_entity(
    session: Session, coop: Cooperative, entity_ids: Sequence[int]
) -> dict[int, Decimal]:
    """Each entity's available funds, counting every posted entry (opening entries
    left out): the figure of :func:`partage.core.ledger.reports.available_funds` at
    :data:`END_OF_TIME`, by entity id, one query (:data:`FUNDS`) per chunk of ids."""
    found: dict[int, int] = {}
    for part in chunks(entity_ids):
        found.update(session.execute(FUNDS, {"entity_ids": list(part)}).all())
    return {i: from_minor(int(found.get(i) or 0), coop.currency) for i in entity_ids}


def fund_balance(session: Session, coop: Cooperative) -> Decimal:
    """What the fund holds: the reserve the general assembly earmarked, plus the
    allocations less the losses absorbed since its last appropriation, every entry."""
    return from_minor(int(session.scalar(FUND_BALANCE) or 0), coop.currency)


def fund_balance_on(session: Session, coop: Cooperative, days: Sequence[date]) -> list[Decimal]:
    """What the fund held at the end of each of ``days`` (its history, for a chart)."""
    return [
        from_minor(int(session.scalar(fund_balance_query(day)) or 0), coop.currency) for day in days
    ]


@dataclass(frozen=True)
class EntityCoverage:
    """One entity's coverage on a day.

    Attributes:
        entity_id: the entity.
        eligible: its eligible receivables.
        offered: the coverage the rules offer on them (``C``).
        funds: its available funds less what its hires reserve (``F − R``, the ``F`` of
            the rule).
        in_use: the coverage it uses (``U``), its reservations counted.
        reserved: what its hires reserve (``R``).
    """

    entity_id: int
    eligible: Decimal
    offered: Decimal
    funds: Decimal
    in_use: Decimal
    reserved: Decimal


def entity_coverages(session: Session, coop: Cooperative, on: date) -> list[EntityCoverage]:
    """The coverage of every entity that has eligible receivables (no other entity has
    any), by entity id: grouped queries (:data:`ELIGIBLE_ALL`, then :data:`FUNDS` and
    :data:`RESERVED` of those entities), whatever the number of entities. What hires
    reserve counts as committed, as in the rule for one entity (:class:`Commitments`):
    an entity whose reservations its coverage carries uses that coverage, and the fund's
    exposure counts it. Separate, not one joined statement:
    PostgreSQL, its statistics fresh or not, may re-sum a book's lines for each entity
    of such a join.

    The arithmetic is :func:`offered` and :func:`in_use` in minor units (integers: a
    fund check reads thousands of rows), rounding half away from zero as
    :func:`~partage.core.contract.money.round_money` does.
    """
    cur = coop.currency
    rules = coop.guarantee
    numerator, denominator = rules.coverage_rate.as_integer_ratio()
    ceiling = to_minor(rules.ceiling_per_entity, cur)
    params = {"due_after": _due_after(coop, on), "on": on}
    eligible = {i: int(amount) for i, amount in session.execute(ELIGIBLE_ALL, params)}
    ids = sorted(eligible)
    funds: dict[int, int] = {}
    reserved: dict[int, int] = {}
    for part in chunks(ids):
        funds.update((i, int(f or 0)) for i, f in session.execute(FUNDS, {"entity_ids": part}))
        reserved.update(
            (i, int(r or 0)) for i, r in session.execute(RESERVED, {"entity_ids": part, "on": on})
        )
    rows = []
    for entity_id in ids:
        owed, money = eligible[entity_id], funds.get(entity_id, 0) - reserved.get(entity_id, 0)
        covered = min((2 * owed * numerator + denominator) // (2 * denominator), ceiling)
        rows.append(
            EntityCoverage(
                entity_id,
                from_minor(owed, cur),
                from_minor(covered, cur),
                from_minor(money, cur),
                from_minor(min(covered, max(-money, 0)), cur),
                from_minor(reserved.get(entity_id, 0), cur),
            )
        )
    return rows


@dataclass(frozen=True)
class Capacity:
    """What the fund can bear on a day, and what it bears.

    Attributes:
        balance: what the fund holds.
        leverage: the general assembly's leverage.
        capacity: ``max(0, balance) × leverage``, rounded down to the minor unit.
        exposure: coverage in use, summed over entities (``X``).
        granted: coverage the rules offer, summed over entities (``Σ C``).
        tied: what the fund paid out and may recover (receivables it took over,
            advances it lent): not at hand, so left out of what bears the capacity.
    """

    balance: Decimal
    leverage: Decimal
    capacity: Decimal
    exposure: Decimal
    granted: Decimal
    tied: Decimal = Decimal(0)

    @property
    def free(self) -> Decimal:
        """Capacity not yet in use (zero when exposure has reached or passed it)."""
        return max(self.capacity - self.exposure, Decimal(0))


def capacity_of(coop: Cooperative, balance: Decimal) -> Decimal:
    """``max(0, balance) × leverage``, rounded down: the fund never promises a cent more
    than its balance bears."""
    bearing = max(balance, Decimal(0)) * coop.guarantee.leverage
    return bearing.quantize(minor_quantum(coop.currency), rounding=ROUND_FLOOR)


def fund_capacity(
    session: Session, coop: Cooperative, on: date, rows: Sequence[EntityCoverage] | None = None
) -> Capacity:
    """The fund's balance, capacity and exposure on a day (``rows``: the entities'
    coverage when the caller already has it)."""
    rows = entity_coverages(session, coop, on) if rows is None else rows
    balance = fund_balance(session, coop)
    tied = fund_tied(session, coop)
    zero = from_minor(0, coop.currency)
    return Capacity(
        balance,
        coop.guarantee.leverage,
        capacity_of(coop, balance - tied),
        sum((r.in_use for r in rows), zero),
        sum((r.offered for r in rows), zero),
        tied,
    )


def lock_entities(session: Session, entity_ids: Iterable[int]) -> None:
    """Hold the entities' rows until the transaction ends, taken in id order so that
    two transactions locking overlapping sets cannot deadlock (see the module)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    ids = sorted(set(entity_ids))
    for part in chunks(ids):
        session.execute(
            select(Entity.id).where(Entity.id.in_(part)).order_by(Entity.id).with_for_update()
        )


def lock_entity(session: Session, entity_id: int) -> None:
    """Hold one entity's row until the transaction ends."""
    lock_entities(session, [entity_id])


def lock_fund(session: Session) -> None:
    """Hold the fund until the transaction ends: taken after the entities' locks by a
    commitment that needs coverage, and by a write-off (see the module)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(FUND_LOCK_KEY)))


class Commitments:
    """The rule (see the module) applied to the commitments of one transaction.

    Built for the entities a transaction commits for, it reads their funds and coverage
    in grouped queries; then each :meth:`check` accepts a commitment, lowering what its
    entity may still commit, or returns its refusal. The fund's capacity is read once,
    the first time a commitment needs coverage, after taking the fund's lock when
    ``lock`` (what commitments do; a read-only figure such as a dashboard's passes
    ``lock=False`` and locks nothing).
    """

    def __init__(
        self,
        session: Session,
        coop: Cooperative,
        entity_ids: Iterable[int],
        on: date,
        *,
        lock: bool = True,
    ) -> None:
        self.session, self.coop, self.on, self.lock = session, coop, on, lock
        ids = sorted(set(entity_ids))
        if lock:
            lock_entities(session, ids)
        self.reserved = reservations(session, coop, ids, on)
        self.funds = {
            i: f - self.reserved[i] for i, f in funds_by_entity(session, coop, ids).items()
        }
        self.offered = coverages(session, coop, ids, on)
        self.advanced = advances_owed(session, coop, ids)
        self._capacity: Capacity | None = None
        self._fund_locked = False
        self._drawn = Decimal(0)  # coverage this check's accepted commitments took

    def in_use(self, entity_id: int) -> Decimal:
        """The coverage the entity uses now (``U``)."""
        return in_use(self.funds[entity_id], self.offered[entity_id])

    def capacity(self, *, lock: bool = False) -> Capacity:
        """The fund's figures, as this check has drawn on them: read once, and read
        again under the fund's lock the first time a commitment needs it."""
        if lock and self.lock and not self._fund_locked:
            lock_fund(self.session)
            self._fund_locked = True
            self._capacity = None  # a figure read before the lock may be stale
        if self._capacity is None:
            self._capacity = fund_capacity(self.session, self.coop, self.on)
        state = self._capacity
        return Capacity(
            state.balance,
            state.leverage,
            state.capacity,
            state.exposure + self._drawn,
            state.granted,
            state.tied,
        )

    def granted(self, entity_id: int) -> Decimal:
        """The coverage granted to the entity (``G``): what it uses, plus what the fund's
        free capacity can still lend it within its coverage."""
        used = self.in_use(entity_id)
        unused = self.offered[entity_id] - used
        if not unused:
            return used
        return used + min(unused, self.capacity().free)

    def headroom(self, entity_id: int) -> Decimal:
        """The most the entity may commit now, alone: ``F + G``."""
        return self.funds[entity_id] + self.granted(entity_id)

    def blocked(self, entity: Entity, what: str) -> EntityBlocked | None:
        """The refusal of any new commitment while the entity owes the fund an advance
        (see :mod:`partage.core.sales.fund_cover`), or ``None``."""
        owed = self.advanced[entity.id]
        if owed <= 0:
            return None
        cur = self.coop.currency
        return EntityBlocked(
            "entity",
            N_(
                "{what} refused: entity {entity} owes the salary guarantee fund {owed} it "
                "advanced to cover a shortfall; it commits nothing new until its receipts "
                "have repaid it"
            ),
            what=Word(what),
            entity=entity.code,
            owed=Amount(owed, cur),
            value=entity.code,
            missing=owed,
        )

    def check(self, entity: Entity, amount: Decimal, what: str) -> InsufficientFunds | None:
        """Accept a commitment of ``amount`` (``None``), or say why not (nothing changes)."""
        blocked = self.blocked(entity, what)
        if blocked is not None:
            return blocked
        funds, covered = self.funds[entity.id], self.offered[entity.id]
        if amount > funds + covered:
            return refusal(self.coop, entity, amount, funds + covered, what)
        after = funds - amount
        needed = in_use(after, covered) - in_use(funds, covered)
        if needed > 0:
            state = self.capacity(lock=True)
            if needed > state.free:
                return capacity_refusal(self.coop, entity, amount, needed, state, what)
            self._drawn += needed
        self.funds[entity.id] = after
        return None

    def take(self, entity: Entity, amount: Decimal, what: str) -> None:
        """Accept a commitment or raise its refusal."""
        error = self.check(entity, amount, what)
        if error is not None:
            raise error


def headrooms(
    session: Session, coop: Cooperative, entity_ids: Iterable[int], on: date
) -> dict[int, Decimal]:
    """What each entity may commit on a day, each on its own (``F + G``): nothing is
    locked, and each sees the whole free capacity."""
    room = Commitments(session, coop, entity_ids, on, lock=False)
    return {i: room.headroom(i) for i in room.funds}


def headroom(session: Session, coop: Cooperative, entity: Entity, on: date) -> Decimal:
    """What one entity may commit on a day."""
    return headrooms(session, coop, [entity.id], on)[entity.id]


def refusal(
    coop: Cooperative, entity: Entity, amount: Decimal, room: Decimal, what: str
) -> InsufficientFunds:
    """The refusal of a commitment of ``amount`` when only ``room`` is left."""
    missing = amount - room
    return InsufficientFunds(
        "entity",
        N_(
            "{what} of {amount} refused: available funds and guarantee cover {room}, "
            "{lacking} missing"
        ),
        what=Word(what),
        amount=Amount(amount, coop.currency),
        room=Amount(room, coop.currency),
        lacking=Amount(missing, coop.currency),
        value=entity.code,
        missing=missing,
    )


def capacity_refusal(
    coop: Cooperative,
    entity: Entity,
    amount: Decimal,
    needed: Decimal,
    state: Capacity,
    what: str,
) -> FundCapacityReached:
    """The refusal of a commitment that needs ``needed`` of coverage beyond the fund's
    free capacity, with the fund's figures."""
    cur = coop.currency
    missing = needed - state.free
    return FundCapacityReached(
        "guarantee_fund",
        N_(
            "{what} of {amount} for entity {entity_code} refused: the salary guarantee fund is "
            "at capacity: balance {fund_balance} × leverage {fund_leverage} = capacity "
            "{fund_capacity}, exposure already granted {fund_exposure}, this act needs "
            "{coverage} of coverage, {beyond} beyond capacity"
        ),
        what=Word(what),
        amount=Amount(amount, cur),
        entity_code=entity.code,
        fund_balance=Amount(state.balance, cur),
        fund_leverage=state.leverage,
        fund_capacity=Amount(state.capacity, cur),
        fund_exposure=Amount(state.exposure, cur),
        coverage=Amount(needed, cur),
        beyond=Amount(missing, cur),
        missing=missing,
        balance=state.balance,
        leverage=state.leverage,
        capacity=state.capacity,
        exposure=state.exposure,
        needed=needed,
        entity=entity.code,
    )


def require_funds(
    session: Session, coop: Cooperative, entity: Entity, amount: Decimal, *, on: date, what: str
) -> None:
    """Lock the entity and refuse ``what`` if it would take the entity below zero or
    need coverage beyond the fund's capacity (see the module)."""
    Commitments(session, coop, [entity.id], on).take(entity, amount, what)
