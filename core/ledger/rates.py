"""Euro foreign exchange reference rates of the European Central Bank, and conversions
at them.

A supplier's document in another currency than the books' is booked in the books'
currency at the ECB reference rate of its issue date: the rate the VAT directive lets
a Member State's taxable persons use (Directive 2006/112/EC art. 91(2)), published
every TARGET working day. On a day without publication (a weekend, a holiday) the last
rate published before it applies; a rate older than :data:`LOOKBACK_DAYS` means the
file loaded is out of date, and the conversion is refused rather than made at a stale
rate.

Rates come from the ECB's own file, ``eurofxref-hist.zip`` (or the
``eurofxref-hist.csv`` it holds, or the daily ``eurofxref.csv``): a header
``Date,USD,JPY,...`` and one row per day, newest first, each rate the number of units
of the currency for one euro, ``N/A`` where a currency had none that day. The command
``partage rates load FILE`` loads it (:func:`load`); the instance never reaches the
network for them.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from partage.core.contract.errors import N_, PartageError
from partage.core.contract.money import round_money
from partage.core.ledger.models import ExchangeRate
from partage.core.platform import audit

#: The euro: every ECB rate is against it.
EURO = "EUR"
#: How far back a conversion looks for the last rate published: the ECB publishes every
#: TARGET working day, and its longest pause (Good Friday to Easter Monday, or the
#: Christmas days with a weekend) is four days; a week without one means the file
#: loaded is out of date.
LOOKBACK_DAYS = 7
#: The most the ECB's file may inflate to once unzipped: the full history since 1999
#: weighs about 2 MB.
MAX_CSV_BYTES = 20_000_000


class RateError(PartageError):
    """An exchange rate file cannot be read, or no rate is known for a conversion."""

    usage = True


@dataclass(frozen=True)
class Loaded:
    """What loading an ECB file did.

    Attributes:
        read: how many rates the file gave (currencies × days).
        added: how many were new to the instance.
        first, last: the first and last day the file covers.
        currencies: the currencies it quotes.
    """

    read: int
    added: int
    first: date
    last: date
    currencies: tuple[str, ...]


@dataclass(frozen=True)
class Conversion:
    """A conversion from a document's currency to the books'.

    Attributes:
        source: the document's currency.
        target: the books' currency.
        rate: units of ``source`` for one unit of ``target`` (for books in euros, the
            ECB rate itself: ``1.0876`` dollars for a euro).
        on: the day of the ECB rate used (the document's date or the last published
            before it).
    """

    source: str
    target: str
    rate: Decimal
    on: date

    def convert(self, amount: Decimal) -> Decimal:
        """``amount`` of the source currency in the target currency: divided by the rate
        and rounded once to the target's minor unit, half away from zero."""
        return round_money(amount / self.rate, self.target)


def read_ecb(content: bytes) -> list[tuple[date, str, Decimal]]:
    """The rates of an ECB file (the zip as published, or the CSV it holds), as
    ``(day, currency, rate)``; a file in another shape is refused saying why."""
    text = _csv_text(content)
    rows = csv.reader(io.StringIO(text))
    header = next(rows, None)
    if not header or header[0].strip() != "Date":
        raise RateError("file", N_("the file is not the ECB's: its first column is not Date"))
    columns = [name.strip() for name in header[1:]]
    for name in columns:
        if name and not (len(name) == 3 and name.isalpha() and name.isupper()):
            raise RateError(
                "file", N_("column {name} is not an ISO 4217 currency code"), name=repr(name)
            )
    found: list[tuple[date, str, Decimal]] = []
    for number, row in enumerate(rows, start=2):
        if not row or not row[0].strip():
            continue
        try:
            day = date.fromisoformat(row[0].strip())
        except ValueError:
            raise RateError(
                "file", N_("line {number}: {given} is not a date"), number=number, given=row[0]
            ) from None
        for name, value in zip(columns, row[1:], strict=False):
            value = value.strip()
            if not name or not value or value == "N/A":
                continue
            try:
                rate = Decimal(value)
            except InvalidOperation:
                rate = Decimal(0)
            if not rate.is_finite() or rate <= 0:
                raise RateError(
                    "file",
                    N_("line {number}: the {currency} rate {given} is not a positive number"),
                    number=number,
                    currency=name,
                    given=value,
                )
            found.append((day, name, rate))
    if not found:
        raise RateError("file", N_("the file gives no rate"))
    return found


def _csv_text(content: bytes) -> str:
    """The CSV of the ECB's zip, or the content itself when it is the CSV."""
    if content[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                names = [n for n in archive.namelist() if n.lower().endswith(".csv")]
                if len(names) != 1:
                    raise RateError("file", N_("the zip must hold one CSV file, as the ECB's does"))
                with archive.open(names[0]) as member:
                    data = member.read(MAX_CSV_BYTES + 1)
        except zipfile.BadZipFile as error:
            raise RateError(
                "file", N_("the zip cannot be read: {error}"), error=str(error)
            ) from None
    else:
        data = content
    if len(data) > MAX_CSV_BYTES:
        raise RateError(
            "file", N_("the rates file is larger than {limit} bytes"), limit=MAX_CSV_BYTES
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RateError("file", N_("the file is not UTF-8 text")) from None


def load(session: Session, content: bytes, *, actor: str) -> Loaded:
    """Store the rates of an ECB file the instance does not hold yet, in one
    transaction with its audit record. A rate already held is kept: the ECB never
    revises a published reference rate."""
    rates = read_ecb(content)
    days = [day for day, _name, _rate in rates]
    first, last = min(days), max(days)
    held = {
        (row.currency, row.on)
        for row in session.execute(
            select(ExchangeRate.currency, ExchangeRate.on).where(
                ExchangeRate.on >= first, ExchangeRate.on <= last
            )
        )
    }
    new = [
        {"currency": name, "on": day, "rate": rate}
        for day, name, rate in rates
        if (name, day) not in held
    ]
    if new:
        session.execute(insert(ExchangeRate), new)
    currencies = tuple(sorted({name for _day, name, _rate in rates}))
    audit.record(
        session,
        actor=actor,
        action="rates.load",
        subject="exchange_rate",
        reason=f"ECB reference rates from {first} to {last}",
        data={"read": len(rates), "added": len(new), "currencies": list(currencies)},
    )
    return Loaded(len(rates), len(new), first, last, currencies)


def euro_rate(session: Session, currency: str, on: date) -> tuple[Decimal, date]:
    """Units of ``currency`` for one euro on ``on`` (the last ECB rate published on or
    before it, within :data:`LOOKBACK_DAYS`), and the day of that rate; refused naming
    the currency and the date when none is loaded."""
    if currency == EURO:
        return Decimal(1), on
    row = session.execute(
        select(ExchangeRate.rate, ExchangeRate.on)
        .where(
            ExchangeRate.currency == currency,
            ExchangeRate.on <= on,
            ExchangeRate.on > on - timedelta(days=LOOKBACK_DAYS),
        )
        .order_by(ExchangeRate.on.desc())
        .limit(1)
    ).first()
    if row is None:
        raise RateError(
            "currency",
            N_(
                "no ECB reference rate of {currency} for {on} or the {days} days before: "
                "load the ECB's file (partage rates load)"
            ),
            currency=currency,
            on=on,
            days=LOOKBACK_DAYS - 1,
        )
    return row.rate, row.on


def conversion(session: Session, source: str, target: str, on: date) -> Conversion:
    """The conversion of an amount in ``source`` dated ``on`` into ``target``, through the
    ECB's euro rates (a cross rate when neither is the euro)."""
    source_rate, source_on = euro_rate(session, source, on)
    target_rate, target_on = euro_rate(session, target, on)
    return Conversion(source, target, source_rate / target_rate, min(source_on, target_on))


def held(session: Session) -> list[tuple[str, date, Decimal, int]]:
    """What the instance holds, per currency: its last day, that day's rate and how many
    days it has, by currency code."""
    last = (
        select(
            ExchangeRate.currency,
            func.max(ExchangeRate.on).label("on"),
            func.count().label("days"),
        )
        .group_by(ExchangeRate.currency)
        .subquery()
    )
    rows = session.execute(
        select(last.c.currency, last.c.on, ExchangeRate.rate, last.c.days)
        .join(
            ExchangeRate,
            (ExchangeRate.currency == last.c.currency) & (ExchangeRate.on == last.c.on),
        )
        .order_by(last.c.currency)
    )
    return [(row.currency, row.on, row.rate, row.days) for row in rows]
