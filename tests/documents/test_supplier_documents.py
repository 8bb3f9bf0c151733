"""Supplier documents as they come: whatever the official EN 16931 rules accept (UBL and
CII, with allowances and charges, price base quantities, price discounts, negative
lines, several VAT categories, prepaid and rounding amounts) is booked at the totals it
states, and what they refuse is refused naming their rule; documents in another
currency are booked at the ECB reference rate of their date; VAT of another country is
a cost, and the advisers are told."""

from __future__ import annotations

import io
import random
import re
import zipfile
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from partage.core.contract.money import to_minor
from partage.core.contract.periods import Period
from partage.core.declarations import returns as declarations
from partage.core.documents import importing, official_rules
from partage.core.documents.importing import ImportRefused
from partage.core.ledger import rates
from partage.core.ledger.models import ExchangeRate
from partage.core.platform.db.models import AuditRecord
from partage.core.spending.models import Purchase
from tests.documents_support import DAY, CountryWorld, fatal, fund, issuer
from tests.supplier_documents import Change, Doc, Line, cii, random_doc, ubl

D = Decimal
ECB_FILE = Path(__file__).resolve().parents[1] / "data" / "ecb" / "eurofxref-hist.csv"


def booked(
    world: CountryWorld, ids: tuple[int, ...], *, credit_note: bool = False
) -> tuple[int, int, int]:
    """The net, VAT and total the purchases ``ids`` book, minor units: an invoice's parts
    less the parts below zero booked as its credit notes (the other way round for a
    credit note)."""
    with world.act() as s:
        rows = [row for row in (s.get(Purchase, i) for i in ids) if row is not None]
    sign = {"invoice": -1 if credit_note else 1, "credit_note": 1 if credit_note else -1}
    return (
        sum(sign[r.kind] * r.net for r in rows),
        sum(sign[r.kind] * r.vat for r in rows),
        sum(sign[r.kind] * r.total for r in rows),
    )


def minor(amount: Decimal) -> int:
    return to_minor(amount, "EUR")


def load_rates(world: CountryWorld) -> None:
    with world.act() as s:
        rates.load(s, ECB_FILE.read_bytes(), actor="t")


# --- the two documents the importer used to refuse ---------------------------------------
def test_a_peppol_invoice_with_a_document_level_charge_is_booked_at_its_total(
    be: CountryWorld, official: Callable[..., list[dict[str, Any]]], tmp_path: Path
) -> None:
    doc = Doc("CH-1", (Line(D(4), D(325)),), (Change(True, D("25.00"), reason="Transport"),))
    content = ubl(doc)
    (tmp_path / "charge.xml").write_bytes(content)
    assert fatal(official("ubl", tmp_path / "charge.xml")) == []  # EN 16931 and Peppol
    fund(be, "9000")
    with be.act() as s:
        done = importing.import_purchase(
            s, be.coop, content, entity=be.entity, actor="t", issuer=issuer("be")
        )
    assert done.document.line_total == D("1300.00") and done.document.net == D("1325.00")
    assert booked(be, done.purchases) == (132500, 27825, 160325)


def test_a_peppol_invoice_with_a_price_base_quantity_is_booked(
    be: CountryWorld, official: Callable[..., list[dict[str, Any]]], tmp_path: Path
) -> None:
    doc = Doc("BQ-1", (Line(D(4), D(3250), base_quantity=D(10), discount=D("50")),))
    content = ubl(doc)
    (tmp_path / "base.xml").write_bytes(content)
    assert fatal(official("ubl", tmp_path / "base.xml")) == []
    fund(be, "9000")
    with be.act() as s:
        done = importing.import_purchase(s, be.coop, content, entity=be.entity, actor="t")
    assert done.document.lines[0].price_base_quantity == D(10)
    assert booked(be, done.purchases) == (130000, 27300, 157300)


# --- the property: the official rules decide, the books follow ---------------------------
def test_whatever_the_official_rules_accept_is_booked_at_its_totals_and_the_rest_refused(
    be: CountryWorld,
) -> None:
    fund(be, "900000")
    rng = random.Random(20261208)
    accepted = refused = 0
    features: set[str] = set()
    for n in range(48):
        doc = random_doc(rng, f"P-{n}")
        syntax, render = ("ubl", ubl) if n % 2 else ("cii", cii)
        content = render(doc)
        judged = {f.rule for f in official_rules.check(syntax, content, peppol=False)}
        judged_fatal = {
            f.rule
            for f in official_rules.check(syntax, content, peppol=False)
            if f.severity == "fatal"
        }
        if not judged_fatal:
            with be.act() as s:
                done = importing.import_purchase(s, be.coop, content, entity=be.entity, actor="t")
            read = done.document
            assert (read.net, read.vat, read.total, read.payable) == (
                doc.net,
                doc.vat,
                doc.total,
                doc.payable,
            ), (syntax, doc)
            assert booked(be, done.purchases) == (
                minor(doc.net),
                minor(doc.vat),
                minor(doc.total),
            ), (syntax, doc)
            assert len(done.purchases) == len(doc.breakdown())
            accepted += 1
            features |= {
                name
                for name, present in (
                    ("document allowance", any(not c.charge for c in doc.changes)),
                    ("document charge", any(c.charge for c in doc.changes)),
                    ("base quantity", any(x.base_quantity != 1 for x in doc.lines)),
                    ("price discount", any(x.discount for x in doc.lines)),
                    ("line allowance or charge", any(x.allowance or x.charge for x in doc.lines)),
                    ("negative line", any(x.quantity < 0 for x in doc.lines)),
                    ("several categories", len(doc.breakdown()) > 1),
                    ("category below zero", any(b < 0 for _c, _r, b, _v in doc.breakdown())),
                    ("prepaid", bool(doc.prepaid)),
                    ("rounding", bool(doc.rounding)),
                    ("price off the line (R120)", doc.damage == "price"),
                    ("VAT within the rules' tolerance", doc.damage == "vat+0.50"),
                )
                if present
            }
        else:
            with pytest.raises(ImportRefused) as refusal, be.act() as s:
                importing.import_purchase(s, be.coop, content, entity=be.entity, actor="t")
            assert {f.rule for f in refusal.value.findings} == judged_fatal, judged
            refused += 1
    assert accepted >= 20 and refused >= 4
    assert len(features) == 12, features
    with be.act() as s:
        assert s.scalar(select(func.count()).select_from(Purchase)) >= accepted


def test_a_credit_note_with_a_document_allowance_credits_its_invoice_part_by_part(
    be: CountryWorld,
) -> None:
    fund(be, "9000")
    lines = (Line(D(2), D(100)), Line(D(1), D(50), "S", D("0.06")))
    invoice = Doc("INV-9", lines)
    note = Doc(
        "CN-9",
        (Line(D(1), D(100)), Line(D(1), D(50), "S", D("0.06"))),
        (Change(False, D(10), "S", D("0.06"), reason="Discount"),),
        credit_note=True,
        preceding="INV-9",
    )
    with be.act() as s:
        first = importing.import_purchase(s, be.coop, ubl(invoice), entity=be.entity, actor="t")
    with be.act() as s:
        done = importing.import_purchase(s, be.coop, cii(note), entity=be.entity, actor="t")
    assert booked(be, done.purchases, credit_note=True) == (
        minor(note.net),
        minor(note.vat),
        minor(note.total),
    )
    with be.act() as s:
        parts = [s.get(Purchase, i) for i in done.purchases]
        credited = {p.credits_id for p in parts if p}
        assert credited == set(first.purchases)


# --- another currency --------------------------------------------------------------------
def test_the_ecb_file_loads_zipped_or_not_and_keeps_what_it_held(be: CountryWorld) -> None:
    content = ECB_FILE.read_bytes()
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as archive:
        archive.writestr("eurofxref-hist.csv", content)
    with be.act() as s:
        loaded = rates.load(s, packed.getvalue(), actor="t")
    assert (loaded.read, loaded.added) == (31, 31)  # 5 days × 7 currencies, 4 N/A
    assert (loaded.first, loaded.last) == (date(1999, 1, 4), date(2026, 7, 6))
    assert loaded.currencies == ("CHF", "CYP", "GBP", "JPY", "NOK", "SEK", "USD")
    with be.act() as s:
        again = rates.load(s, content, actor="t")
        assert again.added == 0
        assert s.get(ExchangeRate, ("USD", date(2026, 7, 6))).rate == D("1.1720")
        # A Sunday takes Friday's rate; a week without one is refused.
        assert rates.euro_rate(s, "USD", date(2026, 7, 5)) == (D("1.1698"), date(2026, 7, 3))
        with pytest.raises(rates.RateError, match="USD for 2026-06-20"):
            rates.euro_rate(s, "USD", date(2026, 6, 20))
    for bad, reason in (
        (b"Day,USD\n2026-07-06,1.1\n", "first column is not Date"),
        (b"Date,usd\n2026-07-06,1.1\n", "not an ISO 4217"),
        (b"Date,USD\n2026-07-06,-1\n", "not a positive number"),
        (b"Date,USD\n06/07/2026,1.1\n", "is not a date"),
    ):
        with pytest.raises(rates.RateError, match=reason):
            rates.read_ecb(bad)


def test_an_invoice_in_dollars_is_booked_in_euros_at_the_ecb_rate_keeping_its_amounts(
    be: CountryWorld,
) -> None:
    fund(be, "9000")
    doc = Doc(
        "US-1",
        (Line(D(3), D("333.33")), Line(D(1), D("100.01"), "S", D("0.06"))),
        currency="USD",
        issued_on=date(2026, 7, 5),  # a Sunday: Friday's rate, 1.1698
    )
    content = ubl(doc)
    with pytest.raises(ImportRefused) as refused, be.act() as s:
        importing.import_purchase(s, be.coop, content, entity=be.entity, actor="t")
    assert [f.rule for f in refused.value.findings] == ["BT-5"]
    assert "USD" in str(refused.value) and "2026-07-05" in str(refused.value)
    load_rates(be)
    with be.act() as s:
        done = importing.import_purchase(s, be.coop, content, entity=be.entity, actor="t")
    assert "CURRENCY" in {w.rule for w in done.warnings}
    with be.act() as s:
        rows = [s.get(Purchase, i) for i in done.purchases]
        # 999.99 USD / 1.1698 = 854.838... → 854.84; its VAT 210.00 / 1.1698 = 179.517... → 179.52
        # 100.01 USD / 1.1698 = 85.493... → 85.49; its VAT 6.00 / 1.1698 = 5.129... → 5.13
        assert [(r.net, r.vat) for r in rows if r] == [(85484, 17952), (8549, 513)]
        assert [(r.currency, r.original_net, r.original_vat) for r in rows if r] == [
            ("USD", 99999, 21000),
            ("USD", 10001, 600),
        ]
        assert {(r.exchange_rate, r.exchange_rate_on) for r in rows if r} == {
            (D("1.1698"), date(2026, 7, 3))
        }


def test_vat_the_supplier_states_in_euros_at_another_rate_is_said_and_the_ecb_rate_booked(
    be: CountryWorld,
) -> None:
    fund(be, "9000")
    load_rates(be)
    doc = Doc(
        "US-2",
        (Line(D(3), D("333.33")), Line(D(1), D("100.01"), "S", D("0.06"))),
        currency="USD",
        issued_on=date(2026, 7, 5),
        tax_currency_vat=D("184.00"),  # BT-111, at the supplier's own rate
    )
    content = ubl(doc)
    assert [
        f for f in official_rules.check("ubl", content, peppol=True) if f.severity == "fatal"
    ] == []
    with be.act() as s:
        done = importing.import_purchase(s, be.coop, content, entity=be.entity, actor="t")
    assert done.document.tax_currency == "EUR" and done.document.tax_currency_vat == D("184.00")
    [said] = [w for w in done.warnings if w.rule == "BT-111"]
    assert "184.00 EUR" in said.message and "184.65 EUR" in said.message
    assert booked(be, done.purchases)[1] == 17952 + 513


# --- VAT of another country -------------------------------------------------------------
def test_german_vat_charged_by_a_german_supplier_is_a_cost_and_the_advisers_are_told(
    be: CountryWorld,
) -> None:
    fund(be, "9000")
    doc = Doc("DE-1", (Line(D(2), D(150), "S", D("0.19")),), seller="de")
    with be.act() as s:
        done = importing.import_purchase(s, be.coop, cii(doc), entity=be.entity, actor="t")
    assert "FOREIGN-VAT" in {w.rule for w in done.warnings}
    assert booked(be, done.purchases) == (35700, 0, 35700)  # 300 + 57 German VAT, all cost
    with be.act() as s:
        row = s.get(Purchase, done.purchases[0])
        assert row is not None
        assert (row.vat_code, row.foreign_vat, row.foreign_vat_country) == (None, 5700, "DE")
        told = s.scalars(
            select(AuditRecord).where(AuditRecord.action == "purchase.foreign_vat")
        ).all()
        assert [r.subject for r in told] == [f"purchase:{row.id}"]
        declared = declarations.vat_return(s, be.coop, Period(date(2026, 7, 1), date(2026, 7, 31)))
    # Nothing of it reaches the Belgian return: no purchase base (81), no VAT deducted (59).
    assert (declared.box("81"), declared.box("59")) == (D(0), D(0))


def test_a_german_reverse_charge_invoice_stays_an_intra_community_acquisition(
    be: CountryWorld,
) -> None:
    fund(be, "9000")
    doc = Doc("DE-2", (Line(D(2), D(150), "AE", D(0)),), seller="de")
    with be.act() as s:
        done = importing.import_purchase(s, be.coop, cii(doc), entity=be.entity, actor="t")
    assert "FOREIGN-VAT" not in {w.rule for w in done.warnings}
    with be.act() as s:
        row = s.get(Purchase, done.purchases[0])
        assert row is not None and row.foreign_vat is None
        assert (row.net, row.vat, row.vat_code) == (30000, 0, "P-EU-GOODS-STANDARD")


# --- the official examples ----------------------------------------------------------------
EXAMPLES = Path(__file__).resolve().parents[3] / "shared" / "einvoicing" / "examples"


@pytest.mark.parametrize(
    "name",
    [
        "ubl/cen-ubl-tc434-example1.xml",
        "ubl/cen-ubl-tc434-example2.xml",
        "ubl/peppol-Allowance-example.xml",
        "ubl/peppol-Vat-category-S.xml",
        "ubl/peppol-base-example.xml",
        "ubl/peppol-vat-category-E.xml",
        "cii/CII_business_example_01.xml",
        "cii/CII_example1.xml",
        "cii/CII_example2.xml",
    ],
)
def test_the_official_example_invoices_are_booked_at_their_totals(
    be: CountryWorld, name: str
) -> None:
    """The official examples (dated anew within the books' open year): sellers from the
    Netherlands, Norway and the United Kingdom, in euros, crowns and pounds, with
    allowances and charges; each foreign VAT is a cost, each currency converted."""
    path = EXAMPLES / name
    if not path.is_file():
        pytest.skip(f"official examples not found at {EXAMPLES}")
    text = path.read_bytes()
    for old in re.findall(rb"\b(?:19|20)\d\d-\d\d-\d\d\b", text):
        text = text.replace(old, DAY.isoformat().encode())
    for old in re.findall(rb'format="102">((?:19|20)\d{6})<', text):
        text = text.replace(old, DAY.strftime("%Y%m%d").encode())
    syntax = "cii" if name.startswith("cii/") else "ubl"
    assert [
        f for f in official_rules.check(syntax, text, peppol=False) if f.severity == "fatal"
    ] == []
    fund(be, "900000")
    load_rates(be)
    with be.act() as s:
        done = importing.import_purchase(s, be.coop, text, entity=be.entity, actor="t")
        document = done.document
        conversion = (
            rates.conversion(s, document.currency, "EUR", document.issued_on)
            if document.currency != "EUR"
            else None
        )

    def eur(amount: Decimal) -> int:
        return minor(conversion.convert(amount) if conversion else amount)

    parts = [p for p in document.vat_breakdown if p.base or p.vat]
    expected_total = sum(eur(p.base) + eur(p.vat) for p in parts)
    net, vat, total = booked(be, done.purchases)
    assert total == expected_total and net + vat == total
    if conversion is None:
        assert total == minor(document.total)
    foreign = any(w.rule == "FOREIGN-VAT" for w in done.warnings)
    assert (vat == 0) if foreign else (vat == sum(eur(p.vat) for p in parts))
