"""Bodies of the quick job: the salary an invoice buys, and a hire on it."""

from __future__ import annotations

from datetime import date

from msgspec import Struct

from partage.core.web.payroll.schemas import SimulationOut
from partage.core.web.schemas import Code, MemberNumber, Request


class QuickJobOut(Struct, kw_only=True):
    """The salary a quick job pays: ``monthly_gross`` is ``bought.gross`` (what the
    invoice buys once the client pays) capped by ``committable.gross`` (what the entity
    can commit on ``start``)."""

    invoice: str
    start: date
    monthly_gross: str
    bought: SimulationOut
    committable: SimulationOut


class QuickJobIn(Request):
    """A hire for a quick job; the salary is not given: the invoice sets it."""

    worker_category: Code
    start: date
    end: date | None = None
    member: MemberNumber | None = None
