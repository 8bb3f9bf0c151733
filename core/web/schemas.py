"""Request and response bodies of the JSON API, as msgspec structures.

Money travels as a decimal string (``"1250.00"``), never a JSON number: a float is
refused at decoding with the field's name, and the engine then refuses an amount with
more decimals than the currency has, naming the field again. Request bodies refuse
unknown fields, so a misspelt key is an error rather than a silent default.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from msgspec import Meta, Struct

Amount = Annotated[
    str,
    Meta(
        pattern=r"^[0-9]{1,12}(\.[0-9]{1,6})?$",
        description='an amount as a decimal string, e.g. "1250.00" (never a JSON number)',
        examples=["1250.00"],
    ),
]
Quantity = Annotated[
    str,
    Meta(
        pattern=r"^[0-9]{1,9}(\.[0-9]{1,4})?$",
        description="a quantity as a decimal string",
        examples=["2", "7.5"],
    ),
]
Rate = Annotated[
    str,
    Meta(pattern=r"^(0(\.[0-9]{1,4})?|1(\.0{1,4})?)$", description='a fraction, e.g. "0.21"'),
]
Code = Annotated[str, Meta(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_.\-/]+$")]
Text = Annotated[str, Meta(max_length=500)]
Name = Annotated[str, Meta(min_length=1, max_length=200)]
Count = Annotated[int, Meta(ge=0, le=99)]
MemberNumber = Annotated[int, Meta(ge=1, le=2_000_000_000)]


class Request(Struct, kw_only=True, forbid_unknown_fields=True):
    """Base of request bodies: unknown fields are refused."""


# --- authentication and accounts ----------------------------------------------------
class LoginIn(Request):
    username: Annotated[str, Meta(min_length=1, max_length=64)]
    password: Annotated[str, Meta(min_length=1, max_length=200)]


class LoginOut(Struct, kw_only=True):
    token: str
    token_type: str
    expires_at: datetime
    role: str


class UserIn(Request):
    username: Annotated[str, Meta(min_length=3, max_length=64)]
    password: Annotated[str, Meta(min_length=10, max_length=200)]
    role: Literal[
        "member", "adviser", "office_manager", "administrator", "ethics_committee", "franchisor"
    ]
    member: MemberNumber | None = None
    office: Code | None = None
    display_name: Annotated[str, Meta(max_length=200)] = ""
    language: Annotated[str, Meta(pattern=r"^[a-z]{2}$")] | None = None


class UserOut(Struct, kw_only=True):
    username: str
    role: str
    member: int | None
    office: str | None
    display_name: str


class AccountRef(Struct, kw_only=True):
    """One of the three kinds of account a person has, with its toolbox's address."""

    kind: Literal["member", "entity", "worker"]
    reference: str
    title: str
    href: str


class MeOut(Struct, kw_only=True):
    username: str
    display_name: str
    role: str
    member: int | None
    office: str | None
    accounts: list[AccountRef]


class ShareMove(Struct, kw_only=True):
    on: date
    quantity: int
    amount: str


class MemberAccountOut(Struct, kw_only=True):
    number: int
    name: str
    share_class: str
    admitted_on: date
    left_on: date | None
    shares: int
    capital: str
    votes: int
    movements: list[ShareMove]
    documents: list[str]


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


class WorkerAccountOut(Struct, kw_only=True):
    member: int
    contracts: list[ContractOut]
    payslips: list[PayslipOut]


# --- entities ----------------------------------------------------------------------
class EntityIn(Request):
    name: Name
    kind: Literal["quick_job", "project", "freelance", "maker", "business", "long_term_employment"]
    office: Code | None = None
    holders: Annotated[list[MemberNumber], Meta(max_length=20)] | None = None
    on: date | None = None


class EntityOut(Struct, kw_only=True):
    code: str
    name: str
    kind: str
    office: str
    opened_on: date
    closed_on: date | None
    available_funds: str | None = None


class OpenInvoice(Struct, kw_only=True):
    number: str
    client: str
    client_name: str
    issued_on: date
    due_on: date
    total: str
    outstanding: str
    overdue: bool


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


# --- parties -----------------------------------------------------------------------
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


# --- documents ---------------------------------------------------------------------
class LineIn(Request):
    description: Name
    quantity: Quantity
    unit_price: Amount
    rate_code: Code | None = None
    supply: Literal["services", "goods"] = "services"


Lines = Annotated[list[LineIn], Meta(min_length=1, max_length=100)]


class QuoteIn(Request):
    client: Code
    lines: Lines
    on: date | None = None
    valid_days: Annotated[int, Meta(ge=1, le=365)] = 30
    revises: Code | None = None


class DecisionIn(Request):
    accept: bool
    on: date | None = None


class QuoteOut(Struct, kw_only=True):
    reference: str
    version: int
    entity: str
    client: str
    issued_on: date
    valid_until: date
    status: str
    net: str
    vat: str
    total: str


class InvoiceIn(Request):
    client: Code
    lines: Lines
    on: date | None = None
    due_on: date | None = None
    quote: Code | None = None


class InvoiceOut(Struct, kw_only=True):
    number: str
    kind: str
    entity: str
    client: str
    issued_on: date
    due_on: date
    net: str
    vat: str
    total: str
    fee: str
    fee_rate: str
    outstanding: str


class PaymentIn(Request):
    key: Annotated[str, Meta(min_length=1, max_length=100)]
    client: Code
    amount: Amount
    method: Literal["bank", "cash"] = "cash"
    on: date | None = None
    reference: Annotated[str, Meta(max_length=100)] = ""


class PaymentOut(Struct, kw_only=True):
    id: int
    amount: str
    method: str
    received_on: date
    settled: list[list[str]]
    credit_left: str
    replayed: bool


class ExpenseIn(Request):
    category: Code
    net: Amount
    receipt_name: Name
    receipt_base64: Annotated[str, Meta(min_length=4, max_length=1_400_000)]
    vat: Amount = "0"
    rate_code: Code | None = None
    on: date | None = None
    description: Text = ""
    member: MemberNumber | None = None


class ExpenseOut(Struct, kw_only=True):
    id: int
    entity: str
    member: int
    on: date
    category: str
    net: str
    vat: str
    receipt_name: str
    reimbursed_on: date | None


class PurchaseImportIn(Request):
    """A supplier's e-invoice or credit note to book: Peppol UBL, Factur-X PDF or CII XML."""

    filename: Name
    content_base64: Annotated[str, Meta(min_length=4, max_length=1_400_000)]
    category: Literal["purchases", "expenses"] | None = None


class FindingOut(Struct, kw_only=True):
    """One official rule a supplier document breaks or advises against, and where."""

    rule: str
    message: str
    where: str | None


class PurchaseImportOut(Struct, kw_only=True):
    """What importing a supplier document booked (nothing new when ``replayed``)."""

    entity: str
    filename: str
    format: Literal["ubl", "cii"]
    kind: Literal["invoice", "credit_note"]
    number: str
    supplier: str
    supplier_name: str
    total: str
    currency: str
    purchases: list[int]
    replayed: bool
    warnings: list[FindingOut]


class PurchaseOut(Struct, kw_only=True):
    """A supplier invoice or credit note booked for an entity; ``credits`` is the supplier
    reference of the invoice a credit note corrects."""

    id: int
    kind: str
    entity: str
    supplier_reference: str
    supplier: str
    supplier_name: str
    issued_on: date
    due_on: date
    category: str
    net: str
    vat: str
    total: str
    payment_reference: str | None
    credits: str | None
    paid_on: date | None


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


# --- simulation --------------------------------------------------------------------
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


# --- the quick job -------------------------------------------------------------------
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


# --- offices, instance, network -------------------------------------------------------
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
