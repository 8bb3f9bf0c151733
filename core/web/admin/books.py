"""The books as an administrator reads them: the ledger's own reports (trial balance,
general ledger, balance sheet, profit and loss) of the whole instance or of one book,
their figures month by month for the charts, and the accounting periods.

Nothing here computes an account balance: the reports are
:mod:`partage.core.ledger`'s, called once per month for the monthly figures. A view is
chosen by name through :data:`VIEWS`: the management view (the books as kept, one
entity's or their sum) or the statutory view (the legal person's statements, internal
flows eliminated: :mod:`partage.core.ledger.statutory`), which exists for the whole
instance only.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import InvalidAct
from partage.core.contract.periods import Period
from partage.core.ledger import reports, statutory, trial_balances
from partage.core.ledger.models import AccountingPeriod
from partage.core.web.i18n import N_

#: The statements' sides as the ledger's reports name them, and as an accountant reads
#: them ("Charges": the profit and loss account's side, not a member's expense claims).
SIDES = {
    "Assets": N_("Assets"),
    "Liabilities and equity": N_("Liabilities and equity"),
    "Expenses": N_("Charges"),
    "Income": N_("Income"),
}
Balance = Callable[..., reports.Statement]
Trial = Callable[..., trial_balances.TrialBalance]


@dataclass(frozen=True)
class View:
    """A way of reading the books.

    Attributes:
        name: what the chooser shows.
        trial_balance: ``(session, *, book, start, end)`` to a trial balance.
        balance_sheet: ``(session, *, book, on)`` to a statement.
        profit_and_loss: ``(session, *, book, start, end)`` to a statement.
    """

    name: str
    trial_balance: Trial
    balance_sheet: Balance
    profit_and_loss: Balance


def _instance_only(book: str | None) -> None:
    """The statutory view is the legal person's: one entity's book has none."""
    if book:
        raise InvalidAct(
            "book",
            N_("the statutory view is the cooperative's as one legal person: choose no book"),
        )


def _statutory_trial(
    session: Session, *, book: str | None, start: date, end: date
) -> trial_balances.TrialBalance:
    _instance_only(book)
    return statutory.statutory_trial_balance(session, start=start, end=end)


def _statutory_balance(session: Session, *, book: str | None, on: date) -> reports.Statement:
    _instance_only(book)
    return statutory.statutory_balance_sheet(session, on=on)


def _statutory_result(
    session: Session, *, book: str | None, start: date, end: date
) -> reports.Statement:
    _instance_only(book)
    return statutory.statutory_profit_and_loss(session, start=start, end=end)


#: The views an administrator may choose, the first the default: the books as kept (each
#: entity's management view, summed for the instance), and the statutory statements.
VIEWS: dict[str, View] = {
    "management": View(
        N_("Management view"),
        trial_balances.trial_balance,
        reports.balance_sheet,
        reports.profit_and_loss,
    ),
    "statutory": View(
        N_("Statutory view (internal flows eliminated)"),
        _statutory_trial,
        _statutory_balance,
        _statutory_result,
    ),
}


def view_of(raw: object) -> tuple[str, View]:
    """The view a request names, the default one for anything else."""
    name = str(raw or "")
    if name not in VIEWS:
        name = next(iter(VIEWS))
    return name, VIEWS[name]


@dataclass(frozen=True)
class MonthResult:
    """One month of the profit and loss account.

    Attributes:
        month: ``YYYY-MM``.
        income, expenses: the month's totals.
        result: income less expenses.
    """

    month: str
    income: Decimal
    expenses: Decimal
    result: Decimal


def results_by_month(
    session: Session, view: View, book: str | None, start: date, end: date
) -> list[MonthResult]:
    """The profit and loss of each month of the range (its first and last month cut to
    the range)."""
    found = []
    for month in Period(start, end).months():
        statement = view.profit_and_loss(
            session, book=book, start=max(month.start, start), end=min(month.end, end)
        )
        income = statement.totals.get("Income", Decimal(0))
        expenses = statement.totals.get("Expenses", Decimal(0))
        found.append(MonthResult(month.label, income, expenses, statement.result))
    return found


def statement_rows(statement: reports.Statement) -> list[dict[str, Any]]:
    """A statement's sections in reading order, each with its depth (for indenting and
    for the CSV), then each side's total."""
    rows: list[dict[str, Any]] = []

    def walk(section: reports.Section, side: str, depth: int) -> None:
        rows.append(
            {
                "side": side,
                "depth": depth,
                "account": section.code,
                "name": section.name,
                "amount": section.amount,
            }
        )
        for child in section.children:
            walk(child, side, depth + 1)

    for side, sections in statement.sides.items():
        for section in sections:
            walk(section, side, 0)
        rows.append(
            {
                "side": side,
                "depth": -1,
                "account": "",
                "name": "total",
                "amount": statement.totals[side],
            }
        )
    return rows


def statement_document(statement: reports.Statement) -> dict[str, Any]:
    """The whole statement as JSON-ready data (amounts as exact strings)."""
    return _exact(asdict(statement))


def _exact(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _exact(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_exact(item) for item in value]
    return value


def exact(value: Any) -> Any:
    """A report's data with amounts and days as exact strings, ready for JSON."""
    return _exact(asdict(value) if hasattr(value, "__dataclass_fields__") else value)


def to_csv(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """Rows as CSV under ``headers`` (amounts exact, days ISO)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if cell is None else str(cell) for cell in row])
    return out.getvalue()


@dataclass(frozen=True)
class PeriodState:
    """A month or a fiscal year of the books, open or closed.

    Attributes:
        kind: ``month`` or ``year``.
        fiscal_year: the fiscal year it belongs to.
        start, end: its days.
        closed_at: when it was closed, ``None`` while open.
        closed_by: who closed it.
    """

    kind: str
    fiscal_year: int
    start: date
    end: date
    closed_at: str | None
    closed_by: str | None


def periods_of(session: Session) -> list[PeriodState]:
    """Every accounting period, newest year first, its months in order."""
    rows = session.scalars(
        select(AccountingPeriod).order_by(
            AccountingPeriod.fiscal_year.desc(),
            AccountingPeriod.kind.desc(),
            AccountingPeriod.start,
        )
    )
    return [
        PeriodState(
            p.kind,
            p.fiscal_year,
            p.start,
            p.end,
            p.closed_at.strftime("%Y-%m-%d %H:%M UTC") if p.closed_at else None,
            p.closed_by,
        )
        for p in rows
    ]
