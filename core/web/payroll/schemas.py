"""Bodies of employment: contracts, contract offers, payslips and the budget
simulation."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from msgspec import Meta, Struct

from partage.core.web.schemas import (
    Amount,
    Code,
    Count,
    MemberNumber,
    Quantity,
    Rate,
    Request,
    Text,
)


class ContractOut(Struct, kw_only=True):
    code: str
    entity: str
    member: int
    worker_category: str
    start: date
    end: date | None
    monthly_gross: str | None
    hourly_rate: str | None


class PayslipOut(Struct, kw_only=True):
    contract: str
    entity: str
    member: int
    period_start: date
    period_end: date
    paid_on: date
    gross: str
    employee_contributions: str
    withholding: str
    net: str
    employer_cost: str
    insurance: str


class ContractIn(Request):
    worker_category: Code
    start: date
    member: MemberNumber | None = None
    end: date | None = None
    monthly_gross: Amount | None = None
    hourly_rate: Amount | None = None
    part_time: Rate = "1"
    tax_situation: Annotated[str, Meta(min_length=1, max_length=32)] = "single"
    dependent_children: Count = 0


class OfferIn(Request):
    """The terms of a contract offered to another member, who accepts or refuses it."""

    member: MemberNumber
    worker_category: Code
    start: date
    end: date | None = None
    monthly_gross: Amount | None = None
    hourly_rate: Amount | None = None
    part_time: Rate = "1"
    tax_situation: Annotated[str, Meta(min_length=1, max_length=32)] = "single"
    dependent_children: Count = 0


class AnswerIn(Request):
    """Why an offer is refused or withdrawn (optional)."""

    reason: Text = ""


class OfferOut(Struct, kw_only=True):
    """A contract offer: its terms, where it stands, who answered (``on_behalf``: staff
    for the worker) and the contract its acceptance made."""

    code: str
    entity: str
    entity_name: str
    member: int
    worker_category: str
    start: date
    end: date | None
    monthly_gross: str | None
    hourly_rate: str | None
    status: Literal["pending", "accepted", "refused", "withdrawn"]
    offered_by: str
    decided_by: str | None
    on_behalf: bool
    reason: str | None
    contract: str | None


class PayIn(Request):
    month: date
    paid_on: date | None = None
    hours: Quantity | None = None


class SimulationIn(Request):
    invoiced: Amount
    worker_category: Code
    on: date | None = None
    vat_rate: Rate = "0"
    tax_situation: Annotated[str, Meta(min_length=1, max_length=32)] = "single"
    dependent_children: Count = 0


class SimulationOut(Struct, kw_only=True):
    invoiced: str | None
    vat: str
    fee: str
    budget: str
    insurance: str
    employer_cost: str
    gross: str
    employee_contributions: str
    withholding: str
    net: str
    end_cost: str
