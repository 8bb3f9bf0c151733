"""Bodies of the client directory: a client as a directory shows it, what creating or
changing one gives, and what a business number's lookup finds."""

from __future__ import annotations

from typing import Annotated, Literal

from msgspec import Meta, Struct

from partage.core.web.schemas import Name, Request

Short = Annotated[str, Meta(max_length=200)]


class ClientOut(Struct, kw_only=True):
    """A client; its e-mail and street only where the reader sees it in full (staff,
    or a member's own client) — a business seen as public data shows its name, numbers
    and town."""

    code: str
    name: str
    business: bool
    country: str
    vat_number: str | None
    company_number: str | None
    postcode: str
    town: str
    street: str | None = None
    email: str | None = None
    own: bool = False


class ClientIn(Request):
    """A client to create: a business (with its VAT or company number) or a private
    person (with an e-mail, no number). The address is required."""

    kind: Literal["business", "person"]
    name: Name
    country: Annotated[str, Meta(min_length=2, max_length=2)]
    street: Short
    postcode: Annotated[str, Meta(max_length=16)]
    town: Annotated[str, Meta(max_length=100)]
    email: Annotated[str, Meta(max_length=254)] = ""
    vat_number: Annotated[str, Meta(max_length=32)] = ""
    company_number: Annotated[str, Meta(max_length=32)] = ""


class ClientChange(Request):
    """A client's name, address and e-mail as they now are (its country and numbers
    stay, as the documents issued to it say them)."""

    name: Name
    street: Short
    postcode: Annotated[str, Meta(max_length=16)]
    town: Annotated[str, Meta(max_length=100)]
    email: Annotated[str, Meta(max_length=254)] = ""
    reason: Annotated[str, Meta(max_length=500)] = ""


class RegisteredOut(Struct, kw_only=True):
    """What a public register says of a business, to prefill the form."""

    name: str
    street: str
    postcode: str
    town: str
    country: str
    vat_number: str | None
    company_number: str | None
    source: str


class LookupOut(Struct, kw_only=True):
    """A business number checked (``vat_number`` or ``company_number`` as normalised),
    the client the cooperative already has under it, or what a register says; the
    registers that did not answer."""

    vat_number: str | None
    company_number: str | None
    known: ClientOut | None
    registered: RegisteredOut | None
    registries_down: list[str]
