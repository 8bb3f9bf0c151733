"""What an entity's books say, for its holders and advisers: a sentence each for its
funds, what its clients owe it, what it owes and what the guarantee covers, and the
figures of its charts — funds at the end of each month, invoiced against received per
month, and the guarantee's part in what it may commit.

Each month's funds are the ledger's own rule (:func:`funds_query`) at that month's end;
invoiced and received are summed per month by the database, a year at a time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import case, extract, func, literal, select
from sqlalchemy.orm import Session

from partage.core.contract.money import from_minor
from partage.core.ledger.models import Book
from partage.core.ledger.reports import funds_query
from partage.core.members.models import Entity
from partage.core.sales.models import Invoice, InvoiceKind, Payment
from partage.core.web.entities import schemas as s
from partage.core.web.i18n import N_

#: How many months the charts show, the current one last.
MONTHS = 12
#: The books' lines that are what the entity owes (see ``views.PLAIN_BALANCES``).
OWED_KEYS = ("vat_to_state", "owed_suppliers", "pay_owed", "owed_to_workers", "owed_to_cooperative")


def months_until(today: date, count: int = MONTHS) -> list[date]:
    """The first days of the ``count`` months ending with ``today``'s, oldest first."""
    firsts = []
    year, month = today.year, today.month
    for _ in range(count):
        firsts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return firsts[::-1]


def _month_end(first: date) -> date:
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return following - timedelta(days=1)


@dataclass(frozen=True)
class Overview:
    """The figures behind the entity page's sentences and charts (decimals)."""

    months: list[date]
    funds: list[Decimal]
    invoiced: list[Decimal]
    received: list[Decimal]
    clients_owe: Decimal
    open_invoices: int
    overdue: Decimal
    overdue_invoices: int
    owes: Decimal


def overview(
    session: Session, currency: str, entity: Entity, board: s.DashboardOut, today: date
) -> Overview:
    """The charts' figures over the last :data:`MONTHS` months, and the sums the
    sentences say."""
    months = months_until(today)
    book_id = session.scalar(select(Book.id).where(Book.code == entity.code))
    funds = []
    for first in months:
        end = min(_month_end(first), today)
        figure = (
            session.execute(funds_query([book_id], on=end)).first() if book_id is not None else None
        )
        funds.append(from_minor(int(figure[1]) if figure else 0, currency))
    start = months[0]
    sign = case((Invoice.kind == InvoiceKind.CREDIT_NOTE.value, literal(-1)), else_=literal(1))
    invoiced = _by_month(
        session,
        select(
            extract("year", Invoice.issued_on),
            extract("month", Invoice.issued_on),
            func.sum(sign * Invoice.total),
        )
        .where(Invoice.entity_id == entity.id, Invoice.issued_on >= start)
        .group_by(extract("year", Invoice.issued_on), extract("month", Invoice.issued_on)),
    )
    received = _by_month(
        session,
        select(
            extract("year", Payment.received_on),
            extract("month", Payment.received_on),
            func.sum(Payment.amount),
        )
        .where(Payment.entity_id == entity.id, Payment.received_on >= start)
        .group_by(extract("year", Payment.received_on), extract("month", Payment.received_on)),
    )
    zero = from_minor(0, currency)
    open_rows = board.invoices_to_be_paid
    late = [i for i in open_rows if i.overdue]
    owes = sum(
        (max(Decimal(line.amount), zero) for line in board.books if line.key in OWED_KEYS), zero
    )
    return Overview(
        months=months,
        funds=funds,
        invoiced=[from_minor(invoiced.get((m.year, m.month), 0), currency) for m in months],
        received=[from_minor(received.get((m.year, m.month), 0), currency) for m in months],
        clients_owe=sum((Decimal(i.outstanding) for i in open_rows), zero),
        open_invoices=len(open_rows),
        overdue=sum((Decimal(i.outstanding) for i in late), zero),
        overdue_invoices=len(late),
        owes=owes,
    )


def _by_month(session: Session, query: object) -> dict[tuple[int, int], int]:
    return {
        (int(year), int(month)): int(total or 0)
        for year, month, total in session.execute(query)  # type: ignore[call-overload]
    }


def sentences(
    view: Overview,
    board: s.DashboardOut,
    say: Callable[[str], str],
    amount: Callable[[object], str],
) -> dict[str, str]:
    """The books in one sentence each, in the reader's words."""
    funds = Decimal(board.available_funds)
    said = {
        "funds": (
            say(
                N_(
                    "Your entity has %(funds)s available. After what your contracts set "
                    "aside and with the guarantee fund's cover, you can commit %(headroom)s "
                    "today."
                )
            )
            if funds >= 0
            else say(
                N_(
                    "Your entity is short of %(short)s: the guarantee fund carries it "
                    "until your clients pay. You can commit %(headroom)s today."
                )
            )
        )
        % {"funds": amount(funds), "short": amount(-funds), "headroom": amount(board.headroom)},
        "clients": (
            say(
                N_(
                    "Your clients owe you %(owed)s on %(count)s invoices; %(late)s of it, on "
                    "%(late_count)s invoices, is past its due date."
                )
            )
            % {
                "owed": amount(view.clients_owe),
                "count": view.open_invoices,
                "late": amount(view.overdue),
                "late_count": view.overdue_invoices,
            }
            if view.open_invoices
            else say(N_("Your clients owe you nothing: every invoice is paid."))
        ),
        "owes": say(
            N_(
                "Your entity owes %(owed)s in all: to suppliers, pay not yet paid out, "
                "expenses owed back to workers, VAT for the State and fees for the "
                "cooperative."
            )
        )
        % {"owed": amount(view.owes)},
        "guarantee": say(
            N_(
                "The salary guarantee fund covers %(covered)s for you: money it would lend "
                "your entity against what your clients owe, so that pay is never late."
            )
        )
        % {"covered": amount(board.guarantee_coverage)},
    }
    return said
