"""The French FEC, field by field against LPF art. A47 A-1 and BOI-CF-IOR-60-40-20,
built from the month of :mod:`tests.ledger.test_statutory` (internal flows, a paid
invoice, a default, an internal invoice) and read back."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from partage.core.acts.cooperative import InvalidAct
from partage.core.declarations import fec
from partage.core.platform.db.models import AuditRecord
from tests.engine_support import World
from tests.ledger.test_statutory import month  # noqa: F401  (the fixture)

YEAR = (date(2026, 1, 1), date(2026, 12, 31))
SIREN = "732829320"
D = Decimal


def _made(world: World, **options: str) -> fec.Fec:
    with world.act() as s:
        return fec.export_fec(s, siren=SIREN, start=YEAR[0], end=YEAR[1], actor="t", **options)


def _amount(text: str) -> Decimal:
    assert re.fullmatch(r"\d+,\d{2}", text), text
    return Decimal(text.replace(",", "."))


def test_the_fec_holds_the_legal_persons_entries_field_by_field(month: World) -> None:  # noqa: F811
    made = _made(month)
    assert made.filename == f"{SIREN}FEC20261231.txt"  # art. A47 A-1, IX: closing day
    text = made.content.decode("iso-8859-15")
    lines = text.split("\n")
    assert lines[-1] == "" and "\r" not in text  # records end with a line feed
    assert lines[0].split("\t") == list(fec.FEC_COLUMNS)  # the 18 fields, in order
    assert len(fec.FEC_COLUMNS) == 18
    records = fec.parse_fec(made.content)
    assert len(records) == made.lines == len(lines) - 2
    for r in records:
        for name in ("EcritureDate", "PieceDate", "ValidDate"):
            assert re.fullmatch(r"2026\d{4}", r[name]), (name, r[name])
        assert r["DateLet"] == "" or re.fullmatch(r"\d{8}", r["DateLet"])
        for name in ("JournalCode", "JournalLib", "EcritureNum", "CompteNum", "CompteLib",
                     "PieceRef", "EcritureLib"):  # fmt: skip
            assert r[name], (name, r)
        debit, credit = _amount(r["Debit"]), _amount(r["Credit"])
        assert (debit == 0) != (credit == 0)
        assert (r["CompAuxNum"] == "") == (r["CompAuxLib"] == "")
        assert r["Montantdevise"] == r["Idevise"] == ""
    # EcritureNum: one continuous sequence in chronological order, each entry balanced.
    numbers = [int(r["EcritureNum"]) for r in records]
    assert sorted(set(numbers)) == list(range(1, made.entries + 1))
    assert numbers == sorted(numbers)
    days = [r["EcritureDate"] for r in records]
    assert days == sorted(days)
    for n in set(numbers):
        mine = [r for r in records if int(r["EcritureNum"]) == n]
        assert sum(_amount(r["Debit"]) for r in mine) == sum(_amount(r["Credit"]) for r in mine)
        assert len({(r["JournalCode"], r["EcritureDate"], r["PieceRef"]) for r in mine}) == 1
    total = sum((_amount(r["Debit"]) for r in records), D(0))
    assert total == made.debit == made.credit
    # The statutory view: no fee on either side, no internal invoice, no current account,
    # no fund management pair; outside income 1600.00 on 7010, as the statements.
    accounts = {r["CompteNum"] for r in records}
    assert not accounts & {"2160", "2180", "1100", "1110", "7020", "6030", "6010"}
    sales = sum((_amount(r["Credit"]) for r in records if r["CompteNum"] == "7010"), D(0))
    assert sales == D("1600.00")
    # Auxiliary accounts: the client's code and name on the client lines only.
    clients = [r for r in records if r["CompAuxNum"]]
    assert {(r["CompAuxNum"], r["CompAuxLib"]) for r in clients} == {
        ("C000001", "Acme"),
        ("C000002", "Beta"),
    }
    assert {r["CompteNum"] for r in clients} == {"2010"}
    # Lettering: E000002's invoice to Acme (605.00) and Acme's payment share one code,
    # dated the payment's day; the unpaid invoice is not lettered.
    lettered = [r for r in records if r["EcritureLet"]]
    assert made.lettered == len(lettered) == 2
    assert {r["EcritureLet"] for r in lettered} == {"AAA"}
    assert {r["DateLet"] for r in lettered} == {"20260708"}
    assert sorted((r["Debit"], r["Credit"]) for r in lettered) == [
        ("0,00", "605,00"),
        ("605,00", "0,00"),
    ]
    invoice = next(r for r in clients if r["Debit"] == "1210,00")
    assert invoice["EcritureLet"] == invoice["DateLet"] == ""
    assert invoice["PieceRef"].startswith("F2026-") and invoice["PieceDate"] == "20260706"
    with month.sessions() as s:
        audited = s.scalars(select(AuditRecord).where(AuditRecord.action == "books.export")).one()
    assert audited.reason == made.filename and audited.data["entries"] == made.entries


def test_pipe_and_utf8_round_trip_and_the_choices_refused(month: World) -> None:  # noqa: F811
    tab = fec.parse_fec(_made(month).content)
    piped = _made(month, separator="pipe", encoding="utf-8")
    assert piped.content.split(b"\n", 1)[0] == "|".join(fec.FEC_COLUMNS).encode()
    assert fec.parse_fec(piped.content, encoding="utf-8") == tab
    with pytest.raises(InvalidAct, match="tab or pipe"):
        _made(month, separator="comma")
    with pytest.raises(InvalidAct, match="ISO 8859-15 or UTF-8"):
        _made(month, encoding="utf-16")
    with pytest.raises(InvalidAct, match="SIREN"), month.act() as s:
        fec.fec(s, siren="12", start=YEAR[0], end=YEAR[1])
    with pytest.raises(InvalidAct, match="18 fields"):
        fec.parse_fec(b"JournalCode\tJournalLib\n")


def test_amounts_and_days_as_the_format_writes_them() -> None:
    assert fec.fec_amount(D("1234.50")) == "1234,50"
    assert fec.fec_amount(D("0.00")) == "0,00"
    assert fec.fec_day(date(2026, 3, 5)) == "20260305"
    assert fec.fec_filename("732 829 320 00074", date(2026, 12, 31)) == "732829320FEC20261231.txt"
