"""Bodies of entities and parties: an entity, its dashboard, a client or supplier."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from msgspec import Meta, Struct

from partage.core.web.payroll.schemas import PayslipOut
from partage.core.web.sales.schemas import OpenInvoice
from partage.core.web.schemas import Code, MemberNumber, Name, Request, Text


class EntityIn(Request):
    name: Name
    kind: Literal["quick_job", "project", "freelance", "maker", "business", "long_term_employment"]
    office: Code | None = None
    holders: Annotated[list[MemberNumber], Meta(max_length=20)] | None = None
    on: date | None = None


class HolderOut(Struct, kw_only=True):
    """A member holding an entity."""

    number: int
    name: str


class EntityOut(Struct, kw_only=True):
    """An entity; its figures (funds, advance owed to the guarantee fund, overdue
    invoices, holders) when the reader may see them."""

    code: str
    name: str
    kind: str
    office: str
    opened_on: date
    closed_on: date | None
    available_funds: str | None = None
    advance_owed: str | None = None
    overdue_invoices: int | None = None
    holders: list[HolderOut] | None = None


class NeedsOut(Struct, kw_only=True):
    """What needs office staff first, counted among the entities they reach."""

    pending_validations: int
    short_of_funds: int
    blocked: int
    overdue_invoices: int
    expiring_attestations: int
    attestation_notice_days: int
    applications: int
    #: Purchases of the last ``foreign_vat_notice_days`` days bearing VAT of another
    #: country, booked as a cost: the adviser judges whether to reclaim it there.
    foreign_vat_purchases: int = 0
    foreign_vat_notice_days: int = 0
    drafts_to_validate: int = 0


class BooksLine(Struct, kw_only=True):
    """One figure of the plain-words view of an entity's books."""

    key: str
    label: str
    amount: str


class DashboardOut(Struct, kw_only=True):
    entity: EntityOut
    holders: list[int]
    currency: str
    available_funds: str
    guarantee_coverage: str
    headroom: str
    invoices_to_be_paid: list[OpenInvoice]
    last_payslips: list[PayslipOut]
    books: list[BooksLine]


class PartyIn(Request):
    name: Name
    kind: Literal["client", "supplier", "both"]
    country: Annotated[str, Meta(pattern=r"^[A-Za-z]{2}$")]
    vat_number: Annotated[str, Meta(min_length=1, max_length=32)] | None = None
    address: Text = ""
    email: Annotated[str, Meta(max_length=254)] = ""


class PartyOut(Struct, kw_only=True):
    code: str
    name: str
    kind: str
    country: str
    vat_number: str | None
