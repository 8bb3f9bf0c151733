"""Bodies of the wider views: an office's view and the instance's figures."""

from __future__ import annotations

from msgspec import Struct


class OfficeEntity(Struct, kw_only=True):
    code: str
    name: str
    kind: str
    holders: list[int]
    available_funds: str
    open_receivables: str
    overdue_invoices: int


class OfficeMember(Struct, kw_only=True):
    number: int
    name: str
    email: str
    entities: list[str]


class OfficeOut(Struct, kw_only=True):
    code: str
    name: str
    address: str
    members: list[OfficeMember]
    entities: list[OfficeEntity]
    invoiced_this_year: str
    entities_short_of_funds: list[str]


class MonthFigure(Struct, kw_only=True):
    month: str
    invoiced: str
    fee: str


class InstanceOut(Struct, kw_only=True):
    instance: str
    name: str
    currency: str
    year: int
    members: int
    entities: int
    entities_by_kind: dict[str, int]
    offices: int
    invoiced: str
    fee_income: str
    payslips: int
    gross_pay: str
    net_pay: str
    available_funds_total: str
    guarantee_fund_balance: str
    guarantee_fund_exposure: str
    guarantee_fund_coverage_ratio: str | None
    months: list[MonthFigure]
    invoiced_by_office: dict[str, str]
