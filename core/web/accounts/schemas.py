"""Bodies of logins and personal accounts."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from msgspec import Meta, Struct

from partage.core.web.payroll.schemas import ContractOut, OfferOut, PayslipOut
from partage.core.web.schemas import Code, MemberNumber, Request


class LoginIn(Request):
    username: Annotated[str, Meta(min_length=1, max_length=64)]
    password: Annotated[str, Meta(min_length=1, max_length=200)]
    code: (
        Annotated[
            str,
            Meta(
                pattern=r"^[0-9]{6}$",
                description="the authenticator app's code, for a login with a second factor",
            ),
        ]
        | None
    ) = None


class PasswordResetIn(Request):
    login: Annotated[
        str, Meta(min_length=1, max_length=254, description="a login's name or email address")
    ]


class PasswordResetUseIn(Request):
    token: Annotated[
        str, Meta(min_length=1, max_length=200, description="the token of the emailed link")
    ]
    password: Annotated[str, Meta(min_length=1, max_length=200)]


class PasswordResetUsedOut(Struct, kw_only=True):
    username: str


class LoginOut(Struct, kw_only=True):
    token: str
    token_type: str
    expires_at: datetime
    role: str


class UserIn(Request):
    username: Annotated[str, Meta(min_length=3, max_length=64)]
    password: Annotated[str, Meta(min_length=8, max_length=200)]
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


class LoginOutline(Struct, kw_only=True):
    """A login as administrators list it (``office``: from the office's staff roster)."""

    username: str
    role: str
    display_name: str
    member: int | None
    office: str | None
    created_at: datetime
    disabled_at: datetime | None
    second_factor: bool
    sessions: int
    last_login: datetime | None


class LoginActIn(Request):
    reason: Annotated[str, Meta(max_length=500)] = ""


class ResetIn(Request):
    """``clear_second_factor``: also forget the login's second factor (a lost phone)."""

    reason: Annotated[str, Meta(max_length=500)] = ""
    clear_second_factor: bool = False


class SessionsEndedOut(Struct, kw_only=True):
    sessions_ended: int


class ResetOut(Struct, kw_only=True):
    """The new password, answered this once."""

    password: str


class PasswordIn(Request):
    old_password: Annotated[str, Meta(min_length=1, max_length=200)]
    password: Annotated[str, Meta(min_length=8, max_length=200)]


class SecretOut(Struct, kw_only=True):
    """A new secret to enrol (not kept until confirmed with its first code)."""

    secret: str
    uri: str


class EnrolIn(Request):
    password: Annotated[str, Meta(min_length=1, max_length=200)]
    secret: Annotated[str, Meta(min_length=16, max_length=64)]
    code: Annotated[str, Meta(pattern=r"^[0-9]{6}$")]


class EnrolledOut(Struct, kw_only=True):
    second_factor: bool


class SlowedOut(Struct, kw_only=True):
    """An address (and, for a per-account delay, a username) being slowed down."""

    address: str
    username: str | None
    failures: int
    last_failure: datetime
    wait: int


class LiftIn(Request):
    address: Annotated[str, Meta(min_length=1, max_length=64)]
    username: Annotated[str, Meta(min_length=1, max_length=64)] | None = None


class LiftOut(Struct, kw_only=True):
    lifted: int


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
    share_class: str


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
    payments_due: list[SharePaymentDueOut] = []


class SharesIn(Request):
    """How many more shares to subscribe."""

    quantity: Annotated[int, Meta(ge=1, le=999_999)]


class SharePaymentDueOut(Struct, kw_only=True):
    """Shares subscribed that wait for the member's transfer carrying ``reference``."""

    quantity: int
    amount: str
    reference: str
    due_since: date


class WorkerAccountOut(Struct, kw_only=True):
    """A worker's contracts and payslips, and the contract offers waiting for their
    answer (``offers``)."""

    member: int
    contracts: list[ContractOut]
    payslips: list[PayslipOut]
    offers: list[OfferOut]
