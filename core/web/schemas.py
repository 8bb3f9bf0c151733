"""What every context's request and response bodies share: the field types, the base
of request bodies, and how money travels.

Money travels as a decimal string (``"1250.00"``), never a JSON number: a float is
refused at decoding with the field's name, and the engine then refuses an amount with
more decimals than the currency has, naming the field again. Request bodies refuse
unknown fields, so a misspelt key is an error rather than a silent default.
"""

from __future__ import annotations

from typing import Annotated

from msgspec import Meta, Struct

from partage.core.contract.money import from_minor

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
#: The largest row id an address may name: ids are ``INTEGER`` columns, signed 32-bit
#: on PostgreSQL (a larger number reached the database, which refused it: a server
#: error; beyond 64 bits SQLite's driver could not even bind it).
LARGEST_ID = 2**31 - 1


class Request(Struct, kw_only=True, forbid_unknown_fields=True):
    """Base of request bodies: unknown fields are refused."""


def money(units: int | None, currency: str) -> str:
    """Minor units as the API's decimal string."""
    return str(from_minor(int(units or 0), currency))
