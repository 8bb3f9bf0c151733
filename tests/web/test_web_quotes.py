"""Quotes and invoices through the API as an entity's holder makes them: lines with
units and discounts, a document discount, the client's answer, a deposit and the
balance, a credit note on part of an invoice, a cheque declared; another member's quote
is not found."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from pypdf import PdfReader
from sqlalchemy.engine import Engine

from partage.core.platform.db.engine import make_engine
from tests.web.test_web_ui import log_in
from tests.web_support import Served, serve

API = "/api/v1/entities"
LINES = [
    {"description": "Design", "quantity": "10", "unit_price": "65", "unit": "hour",
     "discount_percent": "10"},
    {"description": "Prints", "quantity": "100", "unit_price": "1.99", "unit": "piece",
     "rate_code": "reduced", "supply": "goods"},
    {"description": "Delivery", "quantity": "1", "unit_price": "45", "unit": "flat"},
]  # fmt: skip


@pytest.fixture
def be(sqlite_url: str) -> Iterator[Served]:
    engine: Engine = make_engine(sqlite_url)
    yield from serve(engine)
    engine.dispose()


def test_a_quote_is_accepted_then_invoiced_by_deposit_and_balance(be: Served) -> None:
    ada = be.bearer("ada")
    made = be.client.post(
        f"{API}/{be.entity}/quotes",
        json={"client": "C000001", "lines": LINES, "discount_amount": "20", "notes": "Thanks"},
        headers=ada,
    )
    assert made.status_code == 201, made.text
    quote = made.json()
    assert quote["net"] == "809.00" and quote["vat"] == "140.76"  # 614.80 at 21 %, 194.20 at 6 %
    reference = quote["reference"]
    answer = be.client.post(
        f"{API}/{be.entity}/quotes/{reference}/decision", json={"accept": True}, headers=ada
    )
    assert answer.json()["status"] == "accepted"
    deposit = be.client.post(
        f"{API}/{be.entity}/quotes/{reference}/deposit", json={"percent": "30"}, headers=ada
    )
    assert deposit.status_code == 201, deposit.text
    assert deposit.json()["net"] == "242.70"
    both = be.client.post(
        f"{API}/{be.entity}/quotes/{reference}/deposit",
        json={"percent": "30", "amount": "10"},
        headers=ada,
    )
    assert both.status_code == 422 and "deposit" in both.text
    balance = be.client.post(f"{API}/{be.entity}/quotes/{reference}/balance", json={}, headers=ada)
    assert balance.status_code == 201, balance.text
    assert balance.json()["net"] == "566.30"
    progress = be.client.get(f"{API}/{be.entity}/quotes/{reference}/progress", headers=ada).json()
    assert progress["left"] == "0.00" and progress["balanced"] is True
    assert progress["invoices"] == [deposit.json()["number"], balance.json()["number"]]
    # another member reaches neither the quote nor its progress
    bob = be.bearer("bob")
    hidden = be.client.get(f"{API}/{be.entity}/quotes/{reference}/progress", headers=bob)
    assert hidden.status_code in (403, 404)


def test_a_credit_note_on_part_and_a_cheque_declared(be: Served) -> None:
    ada = be.bearer("ada")
    issued = be.client.post(
        f"{API}/{be.entity}/invoices",
        json={"client": "C000001", "lines": LINES[:1], "discount_percent": "5"},
        headers=ada,
    )
    assert issued.status_code == 201, issued.text
    invoice = issued.json()
    assert invoice["net"] == "555.75"  # 650 - 10 % = 585, less 5 %: 29.25
    number = invoice["number"]
    note = be.client.post(
        f"{API}/{be.entity}/invoices/{number}/credit-note",
        json={"reason": "one hour less", "lines": [
            {"description": "One hour", "quantity": "1", "unit_price": "58.50", "unit": "hour"}
        ]},
        headers=ada,
    )  # fmt: skip
    assert note.status_code == 201, note.text
    assert note.json()["kind"] == "credit_note" and note.json()["net"] == "58.50"
    cheque = be.client.post(
        f"{API}/{be.entity}/payments",
        json={"key": "chq-77", "client": "C000001", "amount": "100", "method": "cheque"},
        headers=ada,
    )
    assert cheque.status_code == 201, cheque.text
    assert cheque.json()["status"] == "pending" and cheque.json()["settled"] == []
    bank = be.client.post(
        f"{API}/{be.entity}/payments",
        json={"key": "b-1", "client": "C000001", "amount": "100", "method": "bank"},
        headers=ada,
    )
    assert bank.status_code == 403


def test_a_bad_discount_is_refused_naming_the_line(be: Served) -> None:
    answer = be.client.post(
        f"{API}/{be.entity}/invoices",
        json={"client": "C000001", "lines": [
            {"description": "Design", "quantity": "1", "unit_price": "10", "discount_amount": "11"}
        ]},
        headers=be.bearer("ada"),
    )  # fmt: skip
    assert answer.status_code == 422
    assert "lines[1].discount.amount" in answer.text


def test_the_quote_pdf_is_downloaded_from_the_api_and_the_quote_page(be: Served) -> None:
    ada = be.bearer("ada")
    made = be.client.post(
        f"{API}/{be.entity}/quotes", json={"client": "C000001", "lines": LINES}, headers=ada
    )
    assert made.status_code == 201, made.text
    reference = made.json()["reference"]
    answer = be.client.get(f"{API}/{be.entity}/quotes/{reference}/pdf?language=nl", headers=ada)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.headers["content-disposition"] == f'attachment; filename="{reference}.pdf"'
    reader = PdfReader(io.BytesIO(answer.content))
    words = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
    assert f"Offerte {reference}" in words and "Voor akkoord" in words and "Geldig tot" in words
    hidden = be.client.get(f"{API}/{be.entity}/quotes/{reference}/pdf", headers=be.bearer("bob"))
    assert hidden.status_code in (403, 404) and not hidden.content.startswith(b"%PDF")

    log_in(be.client, "ada")
    page = be.client.get(f"/entities/{be.entity}/quotes/{reference}")
    link = f"/entities/{be.entity}/quotes/{reference}/pdf"
    assert link in page.text
    download = be.client.get(link)
    assert download.status_code == 200 and download.content.startswith(b"%PDF-")
