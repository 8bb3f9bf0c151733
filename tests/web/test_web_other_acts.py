"""The entity's other economic acts through the API: a paper supplier invoice with its
file, expenses with several receipts, an internal invoice the buyer's holder accepts or
refuses, a copyright cession, a subsidy and a gift staff validate, a sponsorship
invoiced, a public tender's reference on an invoice — and their refusals."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine, func, select

from partage.core.ledger.models import JournalEntry
from partage.core.spending.models import ActReceipt, InternalInvoice, Purchase
from partage.core.web.app import create_app
from partage.core.web.site import Site
from tests.engine_support import web_site
from tests.web.test_web_acts import bearer

#: The smallest files each kind of receipt may be.
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
BASE = "/api/v1/entities/E000001"


def b64(content: bytes) -> str:
    return base64.b64encode(content).decode()


@pytest.fixture
def api(engine: Engine) -> Iterator[tuple[Site, TestClient[Any]]]:
    site = web_site(engine)
    assert isinstance(site, Site)
    with TestClient(create_app(site)) as client:
        yield site, client


def funds(client: TestClient[Any], entity: str, who: dict[str, str]) -> Decimal:
    return Decimal(client.get(f"/api/v1/entities/{entity}", headers=who).json()["available_funds"])


def paper(**changes: object) -> dict[str, object]:
    body: dict[str, object] = {
        "supplier": "C000001",
        "supplier_reference": "PAPER-17",
        "net": "120.00",
        "receipt_name": "invoice-17.pdf",
        "receipt_base64": b64(PDF),
    }
    return body | changes


def test_a_paper_purchase_keeps_its_file_and_commits_the_funds(
    api: tuple[Site, TestClient[Any]],
) -> None:
    _site, client = api
    ada, adviser, bob = bearer(client, "ada"), bearer(client, "adviser"), bearer(client, "bob")
    before = funds(client, "E000001", ada)
    done = client.post(f"{BASE}/purchases/paper", headers=ada, json=paper())
    assert done.status_code == 201, done.text
    body = done.json()
    assert (body["supplier_reference"], body["net"], body["receipt"]) == (
        "PAPER-17",
        "120.00",
        True,
    )
    assert funds(client, "E000001", ada) == before - Decimal("120.00")
    # the adviser of the office opens the file; another entity's holder cannot
    url = f"{BASE}/purchases/{body['id']}/receipt"
    kept = client.get(url, headers=adviser)
    assert kept.status_code == 200
    assert kept.content == PDF and kept.headers["x-receipt-type"] == "application/pdf"
    assert 'filename="invoice-17.pdf"' in kept.headers["content-disposition"]
    assert client.get(url, headers=bob).status_code in (403, 404)
    listed = client.get(f"{BASE}/purchases", headers=ada).json()
    assert [p["receipt"] for p in listed if p["id"] == body["id"]] == [True]


@pytest.mark.parametrize(
    ("changes", "status", "field"),
    [
        ({"receipt_base64": b64(b"MZ\x90\x00 not a receipt")}, 422, "receipt"),
        ({"net": "99999999.00"}, 409, None),
        ({"supplier": "C000404"}, 404, None),
        ({"supplier_reference": " "}, 422, "supplier_reference"),
    ],
)
def test_a_refused_paper_purchase_books_and_keeps_nothing(
    api: tuple[Site, TestClient[Any]], changes: dict[str, object], status: int, field: str | None
) -> None:
    site, client = api
    ada = bearer(client, "ada")
    answer = client.post(f"{BASE}/purchases/paper", headers=ada, json=paper(**changes))
    assert answer.status_code == status, answer.text
    if field is not None:
        assert answer.json()["field"] == field
    with site.sessions() as session:
        assert session.scalar(select(func.count()).select_from(ActReceipt)) == 0
        assert session.scalar(
            select(func.count()).select_from(Purchase).where(Purchase.supplier_reference != "")
        ) == session.scalar(select(func.count()).select_from(Purchase))


def test_a_paper_receipt_over_the_limit_is_refused_413(api: tuple[Site, TestClient[Any]]) -> None:
    site, client = api
    site.coop.limits = type(site.coop.limits)(receipt_bytes=100)
    big = PDF + b" " * 200
    answer = client.post(
        f"{BASE}/purchases/paper",
        headers=bearer(client, "ada"),
        json=paper(receipt_base64=b64(big)),
    )
    assert answer.status_code == 413, answer.text
    assert answer.json()["field"] == "receipt_base64"


def test_expenses_with_several_receipts_all_or_none(api: tuple[Site, TestClient[Any]]) -> None:
    site, client = api
    ada = bearer(client, "ada")
    categories = client.get(f"{BASE}/expense-categories", headers=ada).json()
    assert {"code": "travel", "label": "travel"} in categories
    assert "bike_repair" not in {c["code"] for c in categories}  # no courier sector here
    line = {"category": "travel", "net": "20.00", "receipt_name": "train.pdf"}
    lines = [
        line | {"receipt_base64": b64(PDF)},
        line | {"net": "7.50", "receipt_name": "bus.png", "receipt_base64": b64(PNG)},
    ]
    done = client.post(f"{BASE}/expense-claims/receipts", headers=ada, json={"lines": lines})
    assert done.status_code == 201, done.text
    assert [(c["net"], c["receipt_name"]) for c in done.json()] == [
        ("20.00", "train.pdf"),
        ("7.50", "bus.png"),
    ]
    with site.sessions() as session:
        kept = session.scalars(
            select(ActReceipt.media_type).where(ActReceipt.subject == "expense_claim")
        ).all()
    assert sorted(kept) == ["application/pdf", "image/png"]
    # a sector's category not in force, on the second line: nothing of the claim stays
    refused = client.post(
        f"{BASE}/expense-claims/receipts",
        headers=ada,
        json={"lines": [lines[0], lines[1] | {"category": "bike_repair"}]},
    )
    assert refused.status_code == 422, refused.text
    assert refused.json()["field"] == "lines[2].category"
    assert len(client.get(f"{BASE}/expense-claims", headers=ada).json()) == 2


def test_an_internal_invoice_accepted_by_the_buyers_holder(
    api: tuple[Site, TestClient[Any]],
) -> None:
    _site, client = api
    ada, bob, cyd = bearer(client, "ada"), bearer(client, "bob"), bearer(client, "cyd")
    seller_before, buyer_before = funds(client, "E000001", ada), funds(client, "E000002", bob)
    made = client.post(
        f"{BASE}/internal-invoices",
        headers=ada,
        json={"buyer": "E000002", "amount": "50.00", "description": "Logo for the bakery"},
    )
    assert made.status_code == 201, made.text
    number = made.json()["number"]
    assert made.json() | {"status": "pending", "buyer_name": "Bakery"} == made.json()
    # the seller cannot accept its own; a stranger does not see it
    own = client.post(
        f"{BASE}/internal-invoices/{number}/decision", headers=ada, json={"accept": True}
    )
    assert own.status_code == 403, own.text
    stranger = client.post(
        f"/api/v1/entities/E000003/internal-invoices/{number}/decision",
        headers=cyd,
        json={"accept": True},
    )
    assert stranger.status_code == 404, stranger.text
    listed = client.get("/api/v1/entities/E000002/internal-invoices", headers=bob).json()
    assert [(i["number"], i["status"]) for i in listed] == [(number, "pending")]
    accepted = client.post(
        f"/api/v1/entities/E000002/internal-invoices/{number}/decision",
        headers=bob,
        json={"accept": True},
    )
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "accepted"
    assert funds(client, "E000002", bob) == buyer_before - Decimal("50.00")
    assert funds(client, "E000001", ada) == seller_before + Decimal("50.00")
    again = client.post(
        f"/api/v1/entities/E000002/internal-invoices/{number}/decision",
        headers=bob,
        json={"accept": False},
    )
    assert again.status_code == 409, again.text


def test_an_internal_invoice_beyond_the_buyers_funds_is_refused_and_stays_pending(
    api: tuple[Site, TestClient[Any]],
) -> None:
    site, client = api
    ada, bob = bearer(client, "ada"), bearer(client, "bob")
    assert (
        client.post(
            f"{BASE}/internal-invoices",
            headers=ada,
            json={"buyer": "E000001", "amount": "1.00", "description": "x"},
        ).json()["field"]
        == "buyer"
    )
    number = client.post(
        f"{BASE}/internal-invoices",
        headers=ada,
        json={"buyer": "E000002", "amount": "900000.00", "description": "A whole shop"},
    ).json()["number"]
    with site.sessions() as session:
        entries = session.scalar(select(func.count()).select_from(JournalEntry))
    url = f"/api/v1/entities/E000002/internal-invoices/{number}/decision"
    refused = client.post(url, headers=bob, json={"accept": True})
    assert refused.status_code == 409, refused.text
    with site.sessions() as session:
        assert session.scalar(select(func.count()).select_from(JournalEntry)) == entries
        assert (
            session.scalar(select(InternalInvoice.status).where(InternalInvoice.number == number))
            == "pending"
        )
    declined = client.post(url, headers=bob, json={"accept": False, "reason": "Too dear"})
    assert declined.json()["status"] == "refused"


def test_a_copyright_cession_pays_the_author_net_of_withholding(
    api: tuple[Site, TestClient[Any]],
) -> None:
    _site, client = api
    ada, _bob = bearer(client, "ada"), bearer(client, "bob")
    done = client.post(
        f"{BASE}/copyright-cessions",
        headers=ada,
        json={"work": "Poster series", "amount": "200.00"},
    )
    assert done.status_code == 201, done.text
    assert (
        done.json() | {"flat_rate_costs": "100.00", "withholding": "15.00", "net": "185.00"}
        == done.json()
    )
    other = client.post(
        f"{BASE}/copyright-cessions", headers=ada, json={"work": "x", "amount": "1.00", "member": 2}
    )
    assert other.status_code == 403, other.text
    blank = client.post(
        f"{BASE}/copyright-cessions", headers=ada, json={"work": " ", "amount": "1.00"}
    )
    assert blank.status_code == 422 and blank.json()["field"] == "work"


def test_a_subsidy_counts_once_staff_validate_it(api: tuple[Site, TestClient[Any]]) -> None:
    _site, client = api
    ada, adviser = bearer(client, "ada"), bearer(client, "adviser")
    before = funds(client, "E000001", ada)
    declared = client.post(
        f"{BASE}/other-income",
        headers=ada,
        json={"kind": "subsidy", "funder": "C000001", "amount": "300.00", "reference": "GRANT-9"},
    )
    assert declared.status_code == 201, declared.text
    assert declared.json()["pending"] == "pending"
    assert funds(client, "E000001", ada) == before
    waiting = client.get(f"{BASE}/pending", headers=adviser).json()
    row = next(p for p in waiting if p["kind"] == "other_income")
    assert "GRANT-9" in row["what"]
    # the member cannot validate it; the adviser does
    assert client.post(f"/api/v1/pending/{row['id']}/validate", headers=ada).status_code == 403
    ok = client.post(f"/api/v1/pending/{row['id']}/validate", headers=adviser)
    assert ok.status_code == 200, ok.text
    assert funds(client, "E000001", ada) == before + Decimal("300.00")
    gift = client.post(
        f"{BASE}/other-income",
        headers=ada,
        json={"kind": "gift", "funder": "C000001", "amount": "1.00"},
    )
    assert gift.status_code == 400 or gift.status_code == 422


def test_a_sponsorship_is_invoiced_with_its_vat(api: tuple[Site, TestClient[Any]]) -> None:
    _site, client = api
    ada = bearer(client, "ada")
    done = client.post(
        f"{BASE}/sponsorships",
        headers=ada,
        json={
            "sponsor": "C000001",
            "amount": "500.00",
            "description": "Logo on the festival poster",
        },
    )
    assert done.status_code == 201, done.text
    number = done.json()["invoice"]
    invoice = next(
        i for i in client.get(f"{BASE}/invoices", headers=ada).json() if i["number"] == number
    )
    assert (invoice["net"], invoice["vat"]) == ("500.00", "105.00")


def test_a_tender_reference_travels_to_the_invoice_and_its_ubl(
    api: tuple[Site, TestClient[Any]],
) -> None:
    _site, client = api
    ada = bearer(client, "ada")
    line = {"description": "Signage", "quantity": "1", "unit_price": "100.00"}
    made = client.post(
        f"{BASE}/invoices",
        headers=ada,
        json={"client": "C000001", "lines": [line], "tender_reference": "2026/S 123-456789 lot 2"},
    )
    assert made.status_code == 201, made.text
    assert made.json()["tender_reference"] == "2026/S 123-456789 lot 2"
    too_long = client.post(
        f"{BASE}/invoices",
        headers=ada,
        json={"client": "C000001", "lines": [line], "tender_reference": "x" * 65},
    )
    assert too_long.status_code in (400, 422)


def test_the_quick_job_expense_form_keeps_a_refused_claim_and_offers_only_categories_in_force(
    api: tuple[Site, TestClient[Any]],
) -> None:
    from tests.web.test_web_ui import log_in, submit

    site, client = api
    log_in(client, "ada")
    page = client.get("/entities/E000001/quick-job").text
    step2 = submit(
        client,
        page,
        "/entities/E000001/quick-job",
        {
            "client_name": "Corner Café",
            "country": "BE",
            "street": "Rue Haute 1",
            "postcode": "1000",
            "town": "Bruxelles",
            "description": "Sign",
            "quantity": "1",
            "unit_price": "200",
        },
    )
    step3 = submit(
        client, step2.text, str(step2.url.path), {"tender_reference": "AO-2026-14 lot 3"}
    )
    number = str(step3.url.path).rsplit("/", 1)[-1]
    with site.sessions() as session:
        from partage.core.sales.models import Invoice

        tender = session.scalar(select(Invoice.tender_reference).where(Invoice.number == number))
    assert tender == "AO-2026-14 lot 3"
    options = re.findall(r'<option value="([a-z_]+)"', step3.text)
    assert options == ["travel", "supplies", "equipment", "meals", "phone", "training"]
    refused = submit(
        client,
        step3.text,
        f"{step3.url.path}/expense",
        {"category": "meals", "net": "12,345", "description": "lunch with the client"},
        files={"receipt": ("lunch.jpg", b"\xff\xd8 receipt", "image/jpeg")},
    )
    assert refused.status_code == 422, refused.text
    assert 'role="alert"' in refused.text
    assert '<option value="meals" selected>' in refused.text
    assert 'value="12,345"' in refused.text and 'value="lunch with the client"' in refused.text
    french = client.get(f"{step3.url.path}?lang=fr").text
    assert ">déplacements<" in french or ">Déplacements<" in french
