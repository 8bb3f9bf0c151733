"""What an administrator's request chooses: a book (the instance as a whole, the
cooperative's own, or one entity's, found by code or name), a range of days, a month or
a quarter, a page of lines. Each bad choice is refused naming its field and the rule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import InvalidAct
from partage.core.contract.errors import N_
from partage.core.contract.periods import Period
from partage.core.ledger.models import Book
from partage.core.ledger.periods import fiscal_year_containing
from partage.core.web.deps import EARLIEST, LATEST

#: How many matching books the chooser lists when a search names several.
MATCHES = 20
#: Lines of a ledger page.
PAGE_SIZE = 100


@dataclass(frozen=True)
class BookChoice:
    """The book a report is asked for.

    Attributes:
        asked: what the reader typed (blank: the whole instance).
        code: the book's code, ``None`` for the whole instance or while undecided.
        name: its name.
        matches: ``(code, name)`` of the books a search found when it found not one.
    """

    asked: str
    code: str | None
    name: str
    matches: tuple[tuple[str, str], ...] = ()

    @property
    def decided(self) -> bool:
        """Whether a report can be drawn: the whole instance, or one book found."""
        return not self.asked or self.code is not None


def choose_book(session: Session, asked: str) -> BookChoice:
    """The book whose code is ``asked``, else the one book whose code or name contains
    it, else the (at most :data:`MATCHES`) books that do; blank: the whole instance."""
    text = asked.strip()[:64]
    if not text:
        return BookChoice("", None, "")
    exact = session.execute(select(Book.code, Book.name).where(Book.code == text)).first()
    if exact is not None:
        return BookChoice(text, exact.code, exact.name)
    like = f"%{text.lower()}%"
    found = session.execute(
        select(Book.code, Book.name)
        .where(or_(func.lower(Book.code).like(like), func.lower(Book.name).like(like)))
        .order_by(Book.code)
        .limit(MATCHES + 1)
    ).all()
    if len(found) == 1:
        return BookChoice(text, found[0].code, found[0].name)
    return BookChoice(text, None, "", tuple((row.code, row.name) for row in found[:MATCHES]))


def day_of(raw: object, field: str) -> date | None:
    """A day from a form or a query, ``None`` when blank; a bad or implausible one is
    refused naming ``field``."""
    text = str(raw or "").strip()
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise InvalidAct(field, N_("{text} is not a day (YYYY-MM-DD)"), text=repr(text)) from None
    if not EARLIEST <= day <= LATEST:
        raise InvalidAct(
            field,
            N_("{day} is not between {earliest} and {latest}"),
            day=day,
            earliest=EARLIEST,
            latest=LATEST,
        )
    return day


def day_range(start: object, end: object, today: date, start_month: int) -> tuple[date, date]:
    """The range a report covers: up to ``end`` (default today) from ``start`` (default
    the start of the fiscal year ``end`` falls in), as the command line's reports."""
    last = day_of(end, "to") or today
    first = day_of(start, "from") or fiscal_year_containing(last, start_month).start
    if first > last:
        raise InvalidAct("from", N_("{first} is after the last day {last}"), first=first, last=last)
    return first, last


def period_of(raw: object, *, quarters: bool = True, default: Period | None) -> Period:
    """``YYYY-MM`` as its month, ``YYYY-Qn`` as its quarter (when ``quarters``), blank
    as ``default`` (refused when there is none); anything else refused naming
    ``period``."""
    text = str(raw or "").strip().upper()[:16]
    if not text:
        if default is None:
            raise InvalidAct("period", N_("required (YYYY-MM or YYYY-Qn)"))
        return default
    try:
        period = Period.parse(text)
    except ValueError:
        period = None
    if period is None or period.kind not in (("month", "quarter") if quarters else ("month",)):
        if quarters:
            raise InvalidAct(
                "period", N_("{text} is not a period (YYYY-MM or YYYY-Qn)"), text=repr(text)
            )
        raise InvalidAct("period", N_("{text} is not a period (YYYY-MM)"), text=repr(text))
    if not EARLIEST <= period.start <= LATEST:
        raise InvalidAct(
            "period",
            N_("{text} is not between {earliest} and {latest}"),
            text=text,
            earliest=EARLIEST.year,
            latest=LATEST.year,
        )
    return period


def page_of(raw: object) -> int:
    """A page number (1 when blank); anything else than a positive number is refused."""
    text = str(raw or "").strip()
    if not text:
        return 1
    if not text.isdigit() or not 1 <= int(text) <= 1_000_000:
        raise InvalidAct("page", N_("{text} is not a page number"), text=repr(text))
    return int(text)


def last_month(today: date) -> Period:
    """The month before ``today``'s: the one usually being declared."""
    return Period.month_of(today).preceding()
