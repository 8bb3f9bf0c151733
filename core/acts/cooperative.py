"""What every economic act shares: the instance's context, its refusals, gapless
counters and posting by role.

An act is a service function ``act(session, coop, ..., actor=...)``. The caller hands it
one transaction (:func:`partage.core.platform.db.engine.transaction`); the act checks everything
it can before writing, posts its journal entries through the ledger, records its audit
trail in that same transaction, and raises an :class:`ActError` for each refusal — so a
refused act leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

import pluggy
from sqlalchemy import Table, bindparam, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from partage.core.acts.models import Counter
from partage.core.contract.accounting import PostingRole
from partage.core.contract.errors import N_, PartageError, Word
from partage.core.contract.money import (
    MoneyError,
    as_decimal,
    largest_act_amount,
    round_money,
    to_minor,
)
from partage.core.ledger.books import account_for_role
from partage.core.ledger.models import JournalKind
from partage.core.ledger.posting import Ledger
from partage.core.ledger.types import Entry, Line, Posted
from partage.core.platform import clock as clocks
from partage.core.platform.clock import Clock

# GuaranteeRules is defined beside the configuration that reads it, and offered here too.
from partage.core.platform.config import GuaranteeRules, InstanceConfig
from partage.core.platform.limits import Limits

if TYPE_CHECKING:
    from partage.core.platform.runtime import Runtime

COUNTER: Table = Counter.__table__  # type: ignore[assignment]


class ActError(PartageError):
    """An economic act was refused; nothing was written. The message names the field or
    the rule, with the amounts."""


class InvalidAct(ActError):
    """An input breaks a rule of shape (a negative amount, a bad identifier...)."""


class NotFound(ActError):
    """The act names a member, entity, party or document that does not exist."""

    usage = True


class ClosedRecord(ActError):
    """The act names an entity that is closed, or a document no longer open to it."""


class InsufficientFunds(ActError):
    """A commitment would take an entity below zero (the no-bankruptcy rule).

    Attributes:
        missing: how much the entity lacks, in the instance currency.
    """

    def __init__(
        self,
        field: str | None,
        rule: str,
        *,
        missing: Decimal,
        value: object = None,
        **params: object,
    ) -> None:
        super().__init__(field, rule, value=value, **params)
        self.missing = missing


class EntityBlocked(InsufficientFunds):
    """The entity owes the salary guarantee fund an advance that covered a shortfall:
    it may commit nothing new until that is repaid (``missing`` is what it owes).
    """


class FundCapacityReached(InsufficientFunds):
    """A commitment needs more coverage than the salary guarantee fund can still bear
    (its capacity rule, :mod:`partage.core.risk.solvency`).

    Attributes:
        missing: the coverage it needs beyond the fund's free capacity.
        balance: what the fund holds.
        leverage: the instance's leverage.
        capacity: ``max(0, balance) × leverage``.
        exposure: the coverage already granted and in use across the instance.
        needed: the coverage this commitment would use.
        entity: the committing entity's code.
    """

    def __init__(
        self,
        field: str | None,
        rule: str,
        *,
        missing: Decimal,
        balance: Decimal,
        leverage: Decimal,
        capacity: Decimal,
        exposure: Decimal,
        needed: Decimal,
        entity: str,
        **params: object,
    ) -> None:
        super().__init__(field, rule, missing=missing, **params)
        self.balance, self.leverage, self.capacity = balance, leverage, capacity
        self.exposure, self.needed, self.entity = exposure, needed, entity

    def figures(self) -> dict[str, str]:
        """The fund's figures, as exact strings (what a problem body carries)."""
        return {
            "entity": self.entity,
            "balance": str(self.balance),
            "leverage": str(self.leverage),
            "capacity": str(self.capacity),
            "exposure": str(self.exposure),
            "needed": str(self.needed),
        }


class RefusedBySector(ActError):
    """A sector rule enabled in the entity's office refused the act."""


@dataclass
class Cooperative:
    """The context of one national instance's acts.

    Attributes:
        instance: the validated instance configuration (fee rate, shares, offices...).
        plugins: the instance's plugin manager (its country plugin, enabled sectors).
        ledger: the ledger service.
        guarantee: the guarantee fund's coverage rules (the instance's own, set in its
            configuration; :meth:`from_runtime` takes them from there).
        clock: where "today" comes from (:mod:`partage.core.platform.clock`): the
            system's, unless the code building the context pinned another (the demo's
            simulated day, a test's fixed one).
        limits: the most each upload may weigh (``[limits]``); the acts that read a
            file refuse a larger one before reading it.
    """

    instance: InstanceConfig
    plugins: pluggy.PluginManager
    ledger: Ledger = field(default_factory=Ledger)
    guarantee: GuaranteeRules = field(default_factory=GuaranteeRules)
    clock: Clock = field(default_factory=clocks.current)
    limits: Limits = field(default_factory=Limits)
    _accounts: dict[PostingRole, str] = field(default_factory=dict, repr=False)

    @property
    def currency(self) -> str:
        return self.instance.currency

    def today(self) -> date:
        """Today, as the context's clock says."""
        return self.clock.today()

    def date_window(self) -> tuple[date, date]:
        """The first and last day an act may be dated today (``[instance.act_dates]``)."""
        today, rules = self.clock.today(), self.instance.dates
        return today - timedelta(days=rules.days_back), today + timedelta(days=rules.days_ahead)

    def dated(self, on: date, *, field: str = "on") -> date:
        """``on`` if an act may be dated so today, else a refusal naming the field and
        the window's dates. Every act's entry is checked here (:meth:`entry`); the
        ledger checks, as it posts, that the month is open."""
        first, last = self.date_window()
        if not first <= on <= last:
            rules = self.instance.dates
            raise InvalidAct(
                field,
                N_(
                    "an act is dated from {first} to {last} ({back} days before today, "
                    "{today}, to {ahead} days after)"
                ),
                value=on.isoformat(),
                first=first,
                last=last,
                back=rules.days_back,
                today=self.clock.today(),
                ahead=rules.days_ahead,
            )
        return on

    def payment_term_days(self, on: date) -> int:
        """The longest payment term a sales invoice dated ``on`` may give, in days: the
        instance's (``max_payment_term_days``), or the country's legal cap where it is
        shorter (hook ``partage_payment_term_cap``)."""
        days = self.instance.dates.max_payment_term_days
        cap = self.plugins.hook.partage_payment_term_cap(on=on)
        return days if cap is None else min(days, int(cap))

    def due(
        self, on: date, due_on: date, *, field: str = "due_on", what: str = N_("invoice")
    ) -> date:
        """``due_on`` if it lies from ``on`` (the ``what``'s date) to the longest payment
        term after it, else a refusal naming the field and the latest due date allowed."""
        if due_on < on:
            raise InvalidAct(
                field,
                N_("{due} is before the {what} date {on}"),
                due=due_on,
                what=Word(what),
                on=on,
            )
        days = self.payment_term_days(on)
        latest = on + timedelta(days=days)
        if due_on > latest:
            raise InvalidAct(
                field,
                N_(
                    "{due} is beyond the longest payment term, {days} days: due by {latest} "
                    "at the latest for the {what} dated {on}"
                ),
                due=due_on,
                days=days,
                latest=latest,
                what=Word(what),
                on=on,
            )
        return due_on

    def account(self, session: Session, role: PostingRole) -> str:
        """The chart's account of a posting role (cached: the chart changes rarely)."""
        if role not in self._accounts:
            self._accounts[role] = account_for_role(session, role)
        return self._accounts[role]

    @classmethod
    def from_runtime(cls, runtime: Runtime) -> Cooperative:
        """The context of the runtime's instance, under the guarantee rules its
        configuration sets, with the clock pinned where it is built (else the system's)."""
        instance = runtime.config.instance
        return cls(
            instance,
            runtime.plugins,
            Ledger(runtime.config.fiscal_year_start_month),
            instance.guarantee,
            clocks.current(),
            runtime.config.limits,
        )

    def minor(self, amount: Decimal) -> int:
        return to_minor(amount, self.currency)

    def post(
        self,
        session: Session,
        *,
        book: str,
        journal: JournalKind,
        on: date,
        lines: Iterable[Posting],
        act: tuple[str, object],
        actor: str,
        reference: str = "",
        description: str = "",
    ) -> Posted:
        """Post one entry whose lines name posting roles; zero lines are left out."""
        entry = self.entry(
            session,
            book=book,
            journal=journal,
            on=on,
            lines=lines,
            act=act,
            reference=reference,
            description=description,
        )
        return self.ledger.post(session, entry, actor=actor)

    def entry(
        self,
        session: Session,
        *,
        book: str,
        journal: JournalKind,
        on: date,
        lines: Iterable[Posting],
        act: tuple[str, object],
        reference: str = "",
        description: str = "",
    ) -> Entry:
        """The entry of lines naming posting roles, zero lines left out, unposted: bulk
        acts build many and post them at once with ``ledger.post_many``. Its date must
        lie within the window of act dates (:meth:`dated`)."""
        self.dated(on)
        kept = [
            Line(
                account=self.account(session, p.role),
                debit=p.amount if p.side == "debit" else None,
                credit=p.amount if p.side == "credit" else None,
                partner=p.partner,
                vat_code=p.vat_code,
            )
            for p in lines
            if p.amount != 0
        ]
        return Entry(
            book=book,
            journal=journal,
            date=on,
            lines=tuple(kept),
            reference=reference,
            description=description,
            act_type=act[0],
            act_id=str(act[1]),
        )


@dataclass(frozen=True)
class Posting:
    """One line of an act's entry, by posting role rather than account number."""

    role: PostingRole
    side: Literal["debit", "credit"]
    amount: Decimal
    partner: str | None = None
    vat_code: str | None = None


def debit(role: PostingRole, amount: Decimal, **extra: str | None) -> Posting:
    return Posting(role, "debit", amount, **extra)


def credit(role: PostingRole, amount: Decimal, **extra: str | None) -> Posting:
    return Posting(role, "credit", amount, **extra)


def positive_amount(value: object, currency: str, *, field: str) -> Decimal:
    """An exact, strictly positive amount in the currency's minor unit, or a refusal
    naming the field."""
    try:
        amount = as_decimal(value, field=field)
        to_minor(amount, currency, field=field)
    except MoneyError as exc:
        raise InvalidAct(exc.field, exc.template, value=exc.value, **exc.params) from None
    if amount <= 0:
        raise InvalidAct(field, N_("{amount} must be a positive amount"), amount=amount)
    return within_bounds(round_money(amount, currency), currency, field=field)


def within_bounds(amount: Decimal, currency: str, *, field: str) -> Decimal:
    """``amount`` if one act may carry it (:data:`~partage.core.contract.money.MAX_ACT_MINOR`),
    else a refusal naming the field."""
    largest = largest_act_amount(currency)
    if abs(amount) > largest:
        raise InvalidAct(
            field,
            N_("{amount} is more than one act may carry, {largest}"),
            amount=amount,
            largest=largest,
        )
    return amount


def _counter_upsert(make: Callable[[Table], Any]) -> Any:
    return (
        make(COUNTER)
        .values(series=bindparam("series"), year=bindparam("year"), last_number=1)
        .on_conflict_do_update(
            index_elements=[COUNTER.c.series, COUNTER.c.year],
            set_={"last_number": COUNTER.c.last_number + 1},
        )
        .returning(COUNTER.c.last_number)
    )


#: The counter upsert of each back end, built once: every act takes numbers.
NEXT_NUMBER = {
    "postgresql": _counter_upsert(postgresql.insert),
    "sqlite": _counter_upsert(sqlite.insert),
}


def next_number(session: Session, series: str, year: int) -> int:
    """Take the next gapless number of a series for a year (see :class:`Counter`)."""
    statement = NEXT_NUMBER[session.get_bind().dialect.name]
    return int(session.execute(statement, {"series": series, "year": year}).scalar_one())


def reference(prefix: str, number: int, year: int | None = None) -> str:
    """A printed reference: ``E000042``, or ``F2026-000123`` with a year."""
    return f"{prefix}{number:06d}" if year is None else f"{prefix}{year}-{number:06d}"


_LOOKUPS: dict[tuple[type, str], Any] = {}


def lookup(session: Session, model: type, code_column: str, code: str, what: str) -> object:
    """The row of ``model`` whose ``code_column`` is ``code``, or :class:`NotFound`.

    The statement is built once per model and column: acts look rows up many times.
    """
    key = (model, code_column)
    if key not in _LOOKUPS:
        _LOOKUPS[key] = select(model).where(getattr(model, code_column) == bindparam("code"))
    row = session.scalars(_LOOKUPS[key], {"code": code}).one_or_none()
    if row is None:
        raise NotFound(what, N_("no such {what}"), value=repr(code), what=Word(what))
    return row
