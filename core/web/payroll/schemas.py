"""Bodies of employment: contracts, payslips and the budget simulation."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from msgspec import Meta, Struct

from partage.core.web.schemas import Amount, Code, Count, MemberNumber, Quantity, Rate, Request


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
