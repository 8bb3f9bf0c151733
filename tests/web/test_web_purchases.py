"""Supplier e-invoices booked from the web application: the API imports a Peppol UBL
invoice or credit note for an entity its login reaches (in one transaction, a replay
booking nothing), lists the entity's purchases, and answers a refused document with
every finding; the entity page lists them and uploads one, showing a refusal's rules."""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine, select, text

from partage.core.contract.accounting import PostingRole
from partage.core.ledger.models import Account, Book, JournalEntry, JournalLine
from partage.core.members.models import Party
from partage.core.platform.db.engine import make_engine
from partage.core.platform.db.models import AuditRecord
from partage.core.spending.models import Purchase
from tests.documents_support import (
    BE_COOP_VAT,
    SELLERS,
    SUPPLIER_REFERENCE,
    be_vat,
    fund,
    supplier_document,
    supplier_invoice,
    supplier_ubl,
)
from tests.web.test_web_ui import log_in, token
from tests.web_support import Served, serve

#: What an import may write: nothing of it may remain after a refusal.
TABLES = (
    "party",
    "payee_account",
    "purchase",
    "journal_entry",
    "journal_line",
    "audit_log",
)
SUPPLIER = SELLERS["be"]


@pytest.fixture
def be(engine: Engine) -> Iterator[Served]:
    """The Belgian site on each backend, Ada's entity funded."""
    yield from serve(engine, fund)


@pytest.fixture
def be_ui(sqlite_url: str) -> Iterator[Served]:
    """The Belgian site on SQLite, for the interface (same code paths as the API)."""
    engine = make_engine(sqlite_url)
    yield from serve(engine, fund)
    engine.dispose()


# --- helpers --------------------------------------------------------------------------------
def body(content: bytes, filename: str = "INV-77.xml", **extra: object) -> dict[str, object]:
    return {
        "filename": filename,
        "content_base64": base64.b64encode(content).decode(),
        **extra,
    }


def imported(
    be: Served, content: bytes, who: str = "ada", entity: str | None = None, **extra: object
) -> Any:
    return be.client.post(
        f"/api/v1/entities/{entity or be.entity}/purchases/import",
        json=body(content, **extra),
        headers=be.bearer(who),
    )


def counts(be: Served) -> dict[str, int]:
    """Rows of each table, the audit log's login records left out (each request here
    logs in, and each login is audited)."""
    only = {"audit_log": " WHERE action NOT LIKE 'login.%'"}
    with be.site.sessions() as session:
        return {
            t: session.execute(text(f"SELECT count(*) FROM {t}{only.get(t, '')}")).scalar_one()
            for t in TABLES
        }


def posted(be: Served, act: str, act_id: int) -> dict[str, tuple[str, int, int]]:
    """The journal lines an act posted, by posting role: (book, debit, credit)."""
    roles = (PostingRole.PURCHASES, PostingRole.VAT_DEDUCTIBLE, PostingRole.SUPPLIERS)
    with be.site.sessions() as session:
        accounts = {be.site.coop.account(session, role): role.value for role in roles}
        rows = session.execute(
            select(Account.code, Book.code, JournalLine.debit, JournalLine.credit)
            .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
            .join(Account, Account.id == JournalLine.account_id)
            .join(Book, Book.id == JournalLine.book_id)
            .where(JournalEntry.act_type == act, JournalEntry.act_id == str(act_id))
        ).all()
    return {accounts[code]: (book, debit, credit) for code, book, debit, credit in rows}


def credit_note(number: str = "CN-5", preceding: str | None = "INV-77") -> bytes:
    """The supplier's credit note of one poster of three (200.00 + 21 % VAT)."""
    return supplier_ubl(
        supplier_document(
            number=number,
            lines=(("Affiches A2", "1", "200"),),
            credit_note=True,
            preceding=preceding,
        )
    )


def broken() -> bytes:
    """The supplier's invoice with a total VAT included that its parts do not make."""
    good = supplier_invoice()
    wrong = good.replace(
        b'<cbc:TaxInclusiveAmount currencyID="EUR">726.00</cbc:TaxInclusiveAmount>',
        b'<cbc:TaxInclusiveAmount currencyID="EUR">727.00</cbc:TaxInclusiveAmount>',
    )
    assert wrong != good
    return wrong


# --- the API --------------------------------------------------------------------------------
def test_the_holder_imports_a_supplier_invoice_and_the_books_show_it(be: Served) -> None:
    before = counts(be)
    answer = imported(be, supplier_invoice())
    assert answer.status_code == 201, answer.text
    done = answer.json()
    supplier = done["supplier"]
    assert {k: v for k, v in done.items() if k not in ("purchases", "supplier", "warnings")} == {
        "entity": be.entity,
        "filename": "INV-77.xml",
        "format": "ubl",
        "kind": "invoice",
        "number": "INV-77",
        "supplier_name": SUPPLIER.name,
        "total": "726.00",
        "currency": "EUR",
        "replayed": False,
        "books_currency": "EUR",
        "booked_total": "726.00",
        "exchange_rate": None,
        "exchange_rate_on": None,
        "foreign_vat": None,
    }
    assert isinstance(done["warnings"], list)
    assert all(set(w) == {"rule", "message", "where"} for w in done["warnings"])
    [purchase] = done["purchases"]
    with be.site.sessions() as session:
        row = session.get(Purchase, purchase)
        assert row is not None
        party = session.get(Party, row.party_id)
        assert party is not None and party.code == supplier
        assert party.vat_number == SUPPLIER.vat_number
        assert (row.supplier_reference, row.net, row.vat, row.category) == (
            "INV-77",
            60000,
            12600,
            "purchases",
        )
        assert row.payment_reference == SUPPLIER_REFERENCE
        actors = session.scalars(
            select(AuditRecord.actor).where(AuditRecord.action == "purchase.record")
        ).all()
    assert actors == ["user:ada"]
    assert posted(be, "purchase", purchase) == {
        "purchases": (be.entity, 60000, 0),
        "vat_deductible": (be.entity, 12600, 0),
        "suppliers": (be.entity, 0, 72600),
    }
    after = counts(be)
    assert after["purchase"] == before["purchase"] + 1
    assert after["party"] == before["party"] + 1  # the supplier, registered from the invoice

    listed = be.client.get(f"/api/v1/entities/{be.entity}/purchases", headers=be.bearer("ada"))
    assert listed.status_code == 200, listed.text
    assert listed.json() == [
        {
            "id": purchase,
            "kind": "invoice",
            "entity": be.entity,
            "supplier_reference": "INV-77",
            "supplier": supplier,
            "supplier_name": SUPPLIER.name,
            "issued_on": "2026-07-06",
            "due_on": "2026-07-31",
            "category": "purchases",
            "net": "600.00",
            "vat": "126.00",
            "total": "726.00",
            "payment_reference": SUPPLIER_REFERENCE,
            "credits": None,
            "paid_on": None,
            "payee_iban": SUPPLIER.iban,
            "payment": "no_verified_account",
            "payment_hold": f"purchase INV-77 of supplier {supplier}: the supplier has no "
            f"verified bank account; IBAN {SUPPLIER.iban} waits for staff confirmation",
            "pending": None,
            "currency": None,
            "original_total": None,
            "exchange_rate": None,
            "exchange_rate_on": None,
            "foreign_vat": None,
            "foreign_vat_country": None,
            "receipt": False,
        }
    ]


def test_a_replay_says_so_and_books_nothing(be: Served) -> None:
    first = imported(be, supplier_invoice())
    assert first.status_code == 201, first.text
    before = counts(be)
    again = imported(be, supplier_invoice(), who="adviser")
    assert again.status_code == 201, again.text
    assert again.json()["replayed"] is True
    assert again.json()["purchases"] == first.json()["purchases"]
    assert counts(be) == before


def test_a_credit_note_imports_after_its_invoice_and_the_list_shows_both(be: Served) -> None:
    invoice = imported(be, supplier_invoice())
    assert invoice.status_code == 201, invoice.text
    # A credit note gives back what its invoice was booked as, nothing else.
    before = counts(be)
    elsewhere = imported(be, credit_note(), who="adviser", category="expenses")
    assert elsewhere.status_code == 422, elsewhere.text
    assert elsewhere.json()["field"] == "category"
    assert counts(be) == before
    # The adviser of Ada's office books it.
    note = imported(be, credit_note(), who="adviser", filename="CN-5.xml")
    assert note.status_code == 201, note.text
    done = note.json()
    assert (done["kind"], done["number"], done["total"], done["replayed"]) == (
        "credit_note",
        "CN-5",
        "242.00",
        False,
    )
    [note_id] = done["purchases"]
    assert posted(be, "supplier_credit_note", note_id) == {
        "purchases": (be.entity, 0, 20000),
        "vat_deductible": (be.entity, 0, 4200),
        "suppliers": (be.entity, 24200, 0),
    }
    listed = be.client.get(
        f"/api/v1/entities/{be.entity}/purchases", headers=be.bearer("adviser")
    ).json()
    assert [(p["kind"], p["supplier_reference"], p["credits"], p["total"]) for p in listed] == [
        ("credit_note", "CN-5", "INV-77", "242.00"),
        ("invoice", "INV-77", None, "726.00"),
    ]
    assert [p["id"] for p in listed] == [note_id, *invoice.json()["purchases"]]


def test_a_credit_note_of_an_invoice_not_booked_is_refused(be: Served) -> None:
    before = counts(be)
    answer = imported(be, credit_note(preceding="INV-1"))
    assert answer.status_code == 422, answer.text
    assert [f["rule"] for f in answer.json()["findings"]] == ["BILLING-REFERENCE"]
    assert counts(be) == before


def test_a_broken_invoice_is_refused_listing_every_finding(be: Served) -> None:
    before = counts(be)
    answer = imported(be, broken())
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    problem = answer.json()
    assert problem["type"] == "urn:partage:problem:einvoice-import-refused"
    assert problem["field"] == "content_base64"
    findings = {f["rule"]: f for f in problem["findings"]}
    assert "BR-CO-15" in findings and len(problem["findings"]) >= 1
    assert re.fullmatch(r"XML line \d+", findings["BR-CO-15"]["where"])
    assert "BT-112" in findings["BR-CO-15"]["message"]
    assert all(set(f) == {"rule", "message", "where"} for f in problem["findings"])
    assert "BR-CO-15" in problem["rule"] and "BR-CO-15" in problem["detail"]
    assert counts(be) == before


def test_an_invoice_addressed_to_another_buyer_is_refused(be: Served) -> None:
    before = counts(be)
    elsewhere = supplier_invoice().replace(BE_COOP_VAT.encode(), be_vat(1234567).encode())
    answer = imported(be, elsewhere)
    assert answer.status_code == 422, answer.text
    assert [f["rule"] for f in answer.json()["findings"]] == ["BUYER"]
    assert counts(be) == before


def test_another_members_entity_is_not_found_and_nothing_is_written(be: Served) -> None:
    before = counts(be)
    bobs = imported(be, supplier_invoice(), who="bob")
    assert bobs.status_code == 404, bobs.text
    assert bobs.json()["type"] == "urn:partage:problem:not-found"
    adas = imported(be, supplier_invoice(), who="ada", entity=be.other)
    assert adas.status_code == 404
    listed = be.client.get(f"/api/v1/entities/{be.entity}/purchases", headers=be.bearer("bob"))
    assert listed.status_code == 404
    anonymous = be.client.post(
        f"/api/v1/entities/{be.entity}/purchases/import", json=body(supplier_invoice())
    )
    assert anonymous.status_code == 401
    assert counts(be) == before


def test_bad_base64_and_a_bad_category_are_refused_naming_the_field(be: Served) -> None:
    before = counts(be)
    answer = be.client.post(
        f"/api/v1/entities/{be.entity}/purchases/import",
        json={"filename": "INV-77.xml", "content_base64": "@@@@ not base64"},
        headers=be.bearer("ada"),
    )
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == "content_base64"
    assert "not valid base64" in answer.json()["rule"]
    category = imported(be, supplier_invoice(), category="travel")
    assert category.status_code == 400, category.text
    assert category.json()["field"] == "category"
    assert counts(be) == before


def test_the_entity_must_afford_the_purchase(engine: Engine) -> None:
    """Without money in the bank the purchase breaks the no-bankruptcy rule: 409."""
    for served in serve(engine):
        before = counts(served)
        answer = imported(served, supplier_invoice(price="20000"))
        assert answer.status_code == 409, answer.text
        assert answer.json()["type"] == "urn:partage:problem:insufficient-funds"
        assert counts(served) == before


def test_the_openapi_document_names_both_operations(be: Served) -> None:
    schema = be.client.get("/api/v1/schema/openapi.json").json()
    path = "/api/v1/entities/{code}/purchases"
    assert schema["paths"][path]["get"]["operationId"] == "list_purchases"
    post = schema["paths"][f"{path}/import"]["post"]
    assert post["operationId"] == "import_purchase"
    assert {"201", "404", "422"} <= set(post["responses"])


# --- the interface --------------------------------------------------------------------------
def mine_id(served: Served) -> int:
    """The id of the one purchase booked."""
    with served.site.sessions() as session:
        [found] = session.scalars(select(Purchase.id)).all()
    return found


def upload(client: TestClient[Any], entity: str, content: bytes, name: str) -> Any:
    page = client.get(f"/entities/{entity}").text
    return client.post(
        f"/entities/{entity}/purchases/import",
        data={"_csrf_token": token(page), "category": ""},
        files={"file": (name, content, "application/xml")},
    )


def test_the_entity_page_books_an_uploaded_invoice_and_lists_it(be_ui: Served) -> None:
    client = be_ui.client
    log_in(client, "ada")
    client.get("/language/en")  # Ada reads French by default
    empty = client.get(f"/entities/{be_ui.entity}").text
    assert 'id="purchases"' in empty and 'enctype="multipart/form-data"' in empty
    assert "INV-77" not in empty

    answer = upload(client, be_ui.entity, supplier_invoice(), "INV-77.xml")
    assert answer.status_code == 200, answer.text
    assert answer.url.path == f"/entities/{be_ui.entity}"
    assert "imported=" in str(answer.url)
    notice = re.search(r'<p class="notice" role="status">([^<]+)</p>', answer.text)
    assert notice is not None
    assert notice.group(1) == f"Invoice INV-77 of {SUPPLIER.name} booked: €726.00, VAT included."
    assert "<td>INV-77</td>" in answer.text and SUPPLIER.name in answer.text
    assert counts(be_ui)["purchase"] == 1

    again = upload(client, be_ui.entity, supplier_invoice(), "INV-77.xml")
    assert again.status_code == 200
    assert f"INV-77 of {SUPPLIER.name} was imported before: nothing was booked." in again.text
    assert counts(be_ui)["purchase"] == 1
    french = client.get(f"/entities/{be_ui.entity}?imported={mine_id(be_ui)}&lang=fr").text
    assert "Factures fournisseurs" in french
    assert "Facture INV-77 de Imprimerie Dupont SRL comptabilisée : 726,00" in french
    # The address carries ids only: another entity's purchase is not shown.
    log_in(client, "bob")
    bobs = client.get(f"/entities/{be_ui.other}?imported={mine_id(be_ui)}").text
    assert "INV-77" not in bobs and 'class="notice"' not in bobs


def test_the_entity_page_shows_a_refusals_rules_and_books_nothing(be_ui: Served) -> None:
    client = be_ui.client
    log_in(client, "ada")
    before = counts(be_ui)
    answer = upload(client, be_ui.entity, broken(), "broken.xml")
    assert answer.status_code == 422
    assert "text/html" in answer.headers["content-type"]
    alert = re.search(r'<div class="error" role="alert">(.*?)</div>', answer.text, re.DOTALL)
    assert alert is not None
    items = re.findall(r'<li data-rule="([^"]+)"><strong>[^<]+</strong>([^<]*)</li>', alert[1])
    rules = dict(items)
    assert "BR-CO-15" in rules and re.match(r" · XML line \d+: .+", rules["BR-CO-15"])
    assert counts(be_ui) == before

    nothing = client.post(
        f"/entities/{be_ui.entity}/purchases/import",
        data={"_csrf_token": token(client.get(f"/entities/{be_ui.entity}").text)},
        files={"file": ("empty.xml", b"", "application/xml")},
    )
    assert nothing.status_code == 422  # the French page names the field and the rule in French
    assert "Fichier : choisissez la facture électronique du fournisseur" in html.unescape(
        nothing.text
    )
    forged = client.post(
        f"/entities/{be_ui.entity}/purchases/import",
        files={"file": ("INV-77.xml", supplier_invoice(), "application/xml")},
    )
    assert forged.status_code == 403
    assert counts(be_ui) == before


def test_another_members_upload_is_not_found(be_ui: Served) -> None:
    client = be_ui.client
    log_in(client, "bob")
    before = counts(be_ui)
    page = client.get(f"/entities/{be_ui.other}").text
    answer = client.post(
        f"/entities/{be_ui.entity}/purchases/import",
        data={"_csrf_token": token(page)},
        files={"file": ("INV-77.xml", supplier_invoice(), "application/xml")},
    )
    assert answer.status_code == 404 and "INV-77" not in answer.text
    assert counts(be_ui) == before


# --- from abroad: another currency, another country's VAT --------------------------------
def test_an_invoice_in_dollars_waits_for_the_ecb_rate_then_books_in_euros(be: Served) -> None:
    from pathlib import Path

    from partage.core.ledger import rates
    from partage.core.platform.db.engine import transaction
    from tests.supplier_documents import D, Doc, Line, ubl

    doc = Doc("US-7", (Line(D(2), D("500.00")),), currency="USD", issued_on=date(2026, 7, 3))
    refused = imported(be, ubl(doc))
    assert refused.status_code == 422
    assert [f["rule"] for f in refused.json()["findings"]] == ["BT-5"]
    assert "USD" in refused.text and "2026-07-03" in refused.text
    ecb = Path(__file__).resolve().parents[1] / "data" / "ecb" / "eurofxref-hist.csv"
    with transaction(be.site.sessions) as session:
        rates.load(session, ecb.read_bytes(), actor="t")
    answer = imported(be, ubl(doc))
    assert answer.status_code == 201, answer.text
    done = answer.json()
    # 1000.00 USD / 1.1698 = 854.846 → 854.85; VAT 210.00 / 1.1698 = 179.517 → 179.52
    assert (done["total"], done["currency"]) == ("1210.00", "USD")
    assert (done["booked_total"], done["books_currency"]) == ("1034.37", "EUR")
    assert (done["exchange_rate"], done["exchange_rate_on"]) == ("1.1698", "2026-07-03")
    listed = be.client.get(
        f"/api/v1/entities/{be.entity}/purchases", headers=be.bearer("ada")
    ).json()
    assert [(p["net"], p["vat"], p["currency"], p["original_total"]) for p in listed] == [
        ("854.85", "179.52", "USD", "1210.00")
    ]


def test_the_entity_page_says_foreign_vat_is_a_cost_and_the_adviser_sees_it(
    be_ui: Served,
) -> None:
    from tests.supplier_documents import D, Doc, Line, cii

    client = be_ui.client
    log_in(client, "ada")
    client.get("/language/en")
    doc = Doc("DE-7", (Line(D(2), D(150), "S", D("0.19")),), seller="de")
    answer = upload(client, be_ui.entity, cii(doc), "DE-7.xml")
    assert answer.status_code == 200, answer.text
    notice = re.search(r'<p class="notice" role="status">([^<]+)</p>', answer.text)
    assert notice is not None
    assert html.unescape(notice.group(1)) == (
        "Invoice DE-7 of Druckerei Schmidt GmbH booked: €357.00, VAT included. "
        "The supplier charged DE VAT of €57.00: it is not deductible here, so it is "
        "booked as a cost, and your office's advisers are told."
    )
    assert 'data-foreign-vat="DE"' in answer.text and "DE VAT as a cost" in answer.text
    log_in(client, "adviser")
    client.get("/language/en")
    needs = client.get("/entities").text
    found = re.search(r'data-need="foreign-vat"><dt>([^<]+)</dt><dd>(\d+)</dd>', needs)
    assert found is not None and found.group(2) == "1", needs
