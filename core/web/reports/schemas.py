"""Bodies of the wider views: an office's view and the instance's figures."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from msgspec import Meta, Struct, field

from partage.core.web.schemas import Amount, Request


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
    advisers: list[str] = field(default_factory=list)


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
    guarantee_fund_capacity: str
    months: list[MonthFigure]
    invoiced_by_office: dict[str, str]


class EntityRiskOut(Struct, kw_only=True):
    entity: str
    name: str
    office: str
    eligible: str
    coverage: str
    in_use: str
    available_funds: str


class LapsedOut(Struct, kw_only=True):
    entity: str
    invoice: str
    client: str
    due_on: str
    days_overdue: int
    outstanding: str


class WrittenOffOut(Struct, kw_only=True):
    entity: str
    invoice: str
    client: str
    written_off_on: str
    outstanding: str
    vat_recovered: str
    absorbed: str


class HeldOut(Struct, kw_only=True):
    """A receivable the guarantee fund took over and holds."""

    entity: str
    invoice: str
    client: str
    due_on: str
    taken_over_on: str
    days_overdue: int
    outstanding: str


class BlockedOut(Struct, kw_only=True):
    """An entity owing the fund an advance: it commits nothing new until repaid."""

    entity: str
    name: str
    office: str
    advanced: str


class TakeoversOut(Struct, kw_only=True):
    """The advisers' queue: receivables the fund holds, entities blocked, and how many
    lapsed receivables a run would take over now."""

    on: str
    currency: str
    office: str | None
    held: list[HeldOut]
    blocked: list[BlockedOut]
    to_take_over: int


class TakenOverOut(Struct, kw_only=True):
    invoice: str
    entity: str
    amount: str


class TakeoverRunIn(Request, kw_only=True):
    on: date | None = None


class TakeoverRunOut(Struct, kw_only=True):
    """What a run of takeovers did (amounts by invoice or entity code)."""

    on: str
    taken_over: list[TakenOverOut]
    handed_over: dict[str, str]
    repaid: dict[str, str]
    advanced: dict[str, str]


class RiskOut(Struct, kw_only=True):
    """The salary guarantee fund's risk report (amounts as decimal strings)."""

    on: str
    currency: str
    office: str | None
    balance: str
    leverage: str
    capacity: str
    granted: str
    in_use: str
    headroom: str
    losses_absorbed: str
    entities: list[EntityRiskOut]
    lapsed: list[LapsedOut]
    written_off: list[WrittenOffOut]
    taken_over: list[HeldOut]
    blocked: list[BlockedOut]
    tied: str


class AllocationIn(Request, kw_only=True):
    amount: Amount
    reason: Annotated[str, Meta(min_length=1, max_length=500)]
    on: date | None = None


class AllocationOut(Struct, kw_only=True):
    reference: str
    amount: str
    balance: str
    capacity: str


class AppropriationIn(Request, kw_only=True):
    """The general assembly's appropriation of a closed year's result; amounts left out
    take their defaults (the legal minimum, the fund's movements, the rest)."""

    year: Annotated[int, Meta(ge=2000, le=2099)]
    decided_on: date
    decision: Annotated[str, Meta(min_length=1, max_length=200)]
    legal_reserve: Amount | None = None
    guarantee_fund: Amount | None = None
    other_reserves: Amount | None = None


class AppropriationOut(Struct, kw_only=True):
    year: int
    decided_on: date
    decision: str
    result: str
    legal_reserve: str
    legal_reserve_required: str
    guarantee_fund: str
    other_reserves: str
    carried_forward: str
    rule: str
