"""Bodies of the administrators' acts over the API. Each act is done only when its body
says ``"confirm": "yes"``, as the page's tick box."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from msgspec import Meta, Struct, field

from partage.core.web.schemas import Name, Request, Text
from partage.core.web.spending.schemas import Base64File

Confirm = Annotated[str, Meta(max_length=8, description='"yes" to do the act')]


class PeriodActIn(Request, kw_only=True):
    """Open a fiscal year, close a month or close a fiscal year."""

    act: Literal["open-year", "close-month", "close-year"]
    year: Annotated[str, Meta(max_length=4, description="fiscal year (open-year, close-year)")] = ""
    month: Annotated[str, Meta(max_length=7, description="YYYY-MM (close-month)")] = ""
    confirm: Confirm = ""


class SectorActIn(Request, kw_only=True):
    """Enable or disable a sector in an office from a day on."""

    act: Literal["enable", "disable"]
    sector: Annotated[str, Meta(min_length=1, max_length=64)]
    start: Annotated[str, Meta(max_length=10, description="YYYY-MM-DD (default today)")] = field(
        default="", name="from"
    )
    review: bool = False
    reason: Text = ""
    confirm: Confirm = ""


class EmploymentIn(Request, kw_only=True):
    """Make the periodic declaration of pay of a month or a quarter."""

    period: Annotated[str, Meta(max_length=16, description="YYYY-MM or YYYY-Qn")]
    confirm: Confirm = ""


class RatesIn(Request, kw_only=True):
    """The ECB's euro reference rates file, as published: ``eurofxref-hist.zip`` (or the
    CSV it holds), as base64."""

    filename: Name
    content_base64: Base64File


class RatesLoadedOut(Struct, kw_only=True):
    """What loading the ECB's file did: how many rates it gave and how many were new,
    the days it covers and the currencies it quotes."""

    read: int
    added: int
    first: date
    last: date
    currencies: list[str]


class ExportIn(Request, kw_only=True):
    """Make a file for the administration: the FEC of a fiscal year (``"fec"``,
    ``year``, ``separator``, ``encoding``), the annual customer listing (``"listing"``,
    ``year``), the EU sales listing (``"eu-sales"``, ``period``) or the VAT return as
    filed (``"vat-xml"``, ``period``)."""

    export: Annotated[str, Meta(max_length=16, description="fec, listing, eu-sales or vat-xml")]
    year: Annotated[str, Meta(max_length=4, description="fiscal or calendar year")] = ""
    period: Annotated[str, Meta(max_length=16, description="YYYY-MM or YYYY-Qn")] = ""
    separator: Annotated[str, Meta(max_length=8, description="tab or pipe (fec)")] = "tab"
    encoding: Annotated[str, Meta(max_length=16, description="iso-8859-15 or utf-8 (fec)")] = (
        "iso-8859-15"
    )
