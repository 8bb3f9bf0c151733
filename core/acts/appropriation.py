"""The general assembly's appropriation of a closed year's result.

Closing a year (:func:`partage.core.ledger.periods.close_year`) leaves its result on
the result-of-the-year account of each book; only the general assembly that approves
the annual accounts decides what becomes of it (BE: CSA art. 6:119 to 6:124 for the
SC; FR: C. com. art. L232-11 and L232-12, loi n° 47-1775 art. 16 and 19 nonies for a
SCIC). The appropriation is an act of its own, with the assembly's date and the
decision's reference, recorded once per year and posted from that record, in the
cooperative's book, on the assembly's date:

* to the **legal reserve**, at least what the country's company law requires (the
  chart's dated appropriation rules, :class:`~partage.core.contract.AppropriationRule`:
  Belgium's SC has none since the CSA; a French SCIC 15 % until it equals the capital);
* to the **salary guarantee fund's reserve**: by default the fund's movements of the
  management view not yet appropriated (the fee share, allocations, less the losses
  it absorbed), which the appropriation makes statutory: the management pair is
  cleared and the reserve credited, so the fund's balance for the coverage rules
  changes only by what the assembly decides beyond those movements;
* to the **other reserves**: by default the rest, since members' shares earn no
  dividend (the act has no dividend line); at least the share of the rest the law
  requires to be reserved (FR SCIC: half);
* what is left stays on the result account, carried forward.

The entities' own results stay in their books as their budgets carried forward (their
management view); the cooperative's book takes the whole appropriation, so that the
statutory result account of the legal person (all books summed) holds only what is
carried forward.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import (
    ClosedRecord,
    Cooperative,
    InvalidAct,
    Posting,
    credit,
    debit,
)
from partage.core.acts.models import Appropriation
from partage.core.contract.accounting import AppropriationRule, PostingRole
from partage.core.contract.errors import N_, Amount
from partage.core.contract.money import from_minor, round_money, to_minor
from partage.core.ledger.books import COOPERATIVE_BOOK
from partage.core.ledger.models import (
    Account,
    AccountingPeriod,
    Book,
    EntryKind,
    JournalKind,
    JournalLine,
    PeriodKind,
)
from partage.core.platform import audit

LINE = JournalLine.__table__
ACT = "appropriation"


@dataclass(frozen=True)
class AppropriationPlan:
    """What an appropriation does, before or after it is recorded.

    Attributes:
        fiscal_year: the year.
        result: the year's statutory result (negative for a loss).
        legal_reserve: to the legal reserve.
        legal_reserve_required: the least the law requires there.
        guarantee_fund: to the salary guarantee fund's reserve.
        fund_movements: the fund's management movements it makes statutory.
        other_reserves: to the other reserves.
        carried_forward: left on the result account.
        rule: the law applied.
    """

    fiscal_year: int
    result: Decimal
    legal_reserve: Decimal
    legal_reserve_required: Decimal
    guarantee_fund: Decimal
    fund_movements: Decimal
    other_reserves: Decimal
    carried_forward: Decimal
    rule: AppropriationRule


def _balance(
    session: Session,
    role: PostingRole,
    *,
    on: date,
    book: str | None = None,
    closing_only: bool = False,
) -> int:
    """Credit balance of a role's account up to ``on``, minor units, opening entries
    left out (they restate history already counted); with ``closing_only``, the
    closing entries of the year ending on ``on`` only."""
    query = (
        select(func.coalesce(func.sum(LINE.c.credit - LINE.c.debit), 0))
        .join(Account, Account.id == LINE.c.account_id)
        .where(
            Account.role == role.value,
            LINE.c.date <= on,
            LINE.c.kind != EntryKind.OPENING.value,
        )
    )
    if book is not None:
        query = query.join(Book, Book.id == LINE.c.book_id).where(Book.code == book)
    if closing_only:
        query = query.where(LINE.c.kind == EntryKind.CLOSING.value, LINE.c.date == on)
    return int(session.scalar(query) or 0)


def _closed_year(session: Session, fiscal_year: int) -> AccountingPeriod:
    year = session.scalars(
        select(AccountingPeriod).where(
            AccountingPeriod.kind == PeriodKind.YEAR.value,
            AccountingPeriod.fiscal_year == fiscal_year,
        )
    ).one_or_none()
    if year is None or year.closed_at is None:
        raise ClosedRecord(
            "year", N_("close the fiscal year before appropriating its result"), value=fiscal_year
        )
    return year


def plan(
    session: Session,
    coop: Cooperative,
    *,
    fiscal_year: int,
    decided_on: date,
    legal_reserve: Decimal | str | None = None,
    guarantee_fund: Decimal | str | None = None,
    other_reserves: Decimal | str | None = None,
) -> AppropriationPlan:
    """The appropriation of a closed year's result, the amounts not given taken by
    default (see the module); refused, naming the field and the law, where it breaks a
    rule."""
    year = _closed_year(session, fiscal_year)
    if decided_on <= year.end:
        raise InvalidAct(
            "date",
            N_("the general assembly meets after the year's end, {end}"),
            value=str(decided_on),
            end=year.end,
        )
    currency = coop.currency
    rule = coop.plugins.hook.partage_chart_of_accounts().appropriation_on(year.end)
    if rule is None:
        raise ClosedRecord(
            "year",
            N_(
                "the country's chart states no appropriation rule for this year "
                "([[appropriation]] in its chart_roles.toml)"
            ),
            value=fiscal_year,
        )
    money = lambda minor: from_minor(minor, currency)  # noqa: E731
    result = money(
        _balance(session, PostingRole.RESULT_OF_THE_YEAR, on=year.end, closing_only=True)
    )
    capital = money(_balance(session, PostingRole.MEMBER_CAPITAL, on=year.end))
    legal_now = money(_balance(session, PostingRole.LEGAL_RESERVE, on=decided_on))
    movements = money(
        _balance(session, PostingRole.GUARANTEE_FUND, on=year.end, book=COOPERATIVE_BOOK)
    )
    required = Decimal(0)
    if result > 0:
        room = max(
            round_money(capital * rule.legal_reserve_ceiling, currency) - legal_now, Decimal(0)
        )
        required = min(round_money(result * rule.legal_reserve_rate, currency), room)
    legal = _amount(legal_reserve, "legal_reserve", currency, required)
    if legal < required:
        raise InvalidAct(
            "legal_reserve",
            N_("the law requires at least {required} ({reference})"),
            value=str(legal),
            required=Amount(required, currency),
            reference=rule.reference,
        )
    fund = _amount(guarantee_fund, "guarantee_fund", currency, max(movements, Decimal(0)))
    rest = result - legal
    others = _amount(other_reserves, "other_reserves", currency, max(rest - fund, Decimal(0)))
    reserved = round_money(max(rest, Decimal(0)) * rule.reserved_share_of_rest, currency)
    if fund + others < reserved:
        raise InvalidAct(
            "other_reserves",
            N_(
                "the guarantee fund and the other reserves must receive at least {reserved} "
                "together ({reference})"
            ),
            value=str(fund + others),
            reserved=Amount(reserved, currency),
            reference=rule.reference,
        )
    return AppropriationPlan(
        fiscal_year,
        result,
        legal,
        required,
        fund,
        movements,
        others,
        result - legal - fund - others,
        rule,
    )


def _amount(value: Decimal | str | None, field: str, currency: str, default: Decimal) -> Decimal:
    if value is None:
        return default
    try:
        amount = Decimal(str(value))
    except ArithmeticError:
        raise InvalidAct(field, N_("not an amount"), value=repr(value)) from None
    if not amount.is_finite() or amount < 0:
        raise InvalidAct(field, N_("an amount of zero or more"), value=repr(value))
    if round_money(amount, currency) != amount:
        raise InvalidAct(
            field, N_("more decimals than {currency} has"), value=str(amount), currency=currency
        )
    return amount


def _signed(role: PostingRole, amount: Decimal, *, credit_side: bool) -> Posting:
    """A line crediting (or debiting) ``amount`` on ``role``, on the other side when
    the amount is negative."""
    if (amount >= 0) == credit_side:
        return credit(role, abs(amount))
    return debit(role, abs(amount))


def appropriate(
    session: Session,
    coop: Cooperative,
    *,
    fiscal_year: int,
    decided_on: date,
    decision: str,
    actor: str,
    legal_reserve: Decimal | str | None = None,
    guarantee_fund: Decimal | str | None = None,
    other_reserves: Decimal | str | None = None,
) -> AppropriationPlan:
    """Record the general assembly's appropriation of a closed year's result and post
    it (one transaction: the record, its entry and the audit line)."""
    if not decision.strip():
        raise InvalidAct(
            "decision", N_("name the general assembly's decision (minutes, resolution)")
        )
    if session.scalar(select(Appropriation.id).where(Appropriation.fiscal_year == fiscal_year)):
        raise ClosedRecord("year", N_("its result was appropriated already"), value=fiscal_year)
    done = plan(
        session,
        coop,
        fiscal_year=fiscal_year,
        decided_on=decided_on,
        legal_reserve=legal_reserve,
        guarantee_fund=guarantee_fund,
        other_reserves=other_reserves,
    )
    appropriated = done.legal_reserve + done.guarantee_fund + done.other_reserves
    lines = [
        _signed(PostingRole.RESULT_OF_THE_YEAR, appropriated, credit_side=False),
        credit(PostingRole.LEGAL_RESERVE, done.legal_reserve),
        credit(PostingRole.GUARANTEE_FUND_RESERVE, done.guarantee_fund),
        credit(PostingRole.RESERVE, done.other_reserves),
        # The fund's management movements become the reserve: clear the pair.
        _signed(PostingRole.GUARANTEE_FUND, done.fund_movements, credit_side=False),
        _signed(PostingRole.GUARANTEE_FUND_ALLOCATION, done.fund_movements, credit_side=True),
    ]
    if any(p.amount for p in lines):
        coop.post(
            session,
            book=COOPERATIVE_BOOK,
            journal=JournalKind.MISCELLANEOUS,
            on=decided_on,
            lines=lines,
            act=(ACT, fiscal_year),
            actor=actor,
            reference=decision.strip()[:100],
            description=f"Appropriation of the result of fiscal year {fiscal_year}",
        )
    minor = lambda amount: to_minor(amount, coop.currency)  # noqa: E731
    session.add(
        Appropriation(
            fiscal_year=fiscal_year,
            decided_on=decided_on,
            decision=decision.strip(),
            result=minor(done.result),
            legal_reserve=minor(done.legal_reserve),
            guarantee_fund=minor(done.guarantee_fund),
            other_reserves=minor(done.other_reserves),
            carried_forward=minor(done.carried_forward),
            fund_movements=minor(done.fund_movements),
            decided_by=actor,
        )
    )
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="ledger.appropriate",
        subject=f"fiscal_year:{fiscal_year}",
        reason=decision.strip(),
        data={
            "result": str(done.result),
            "legal_reserve": str(done.legal_reserve),
            "guarantee_fund": str(done.guarantee_fund),
            "other_reserves": str(done.other_reserves),
            "carried_forward": str(done.carried_forward),
            "fund_movements": str(done.fund_movements),
            "rule": done.rule.reference,
        },
    )
    return done
