"""Every upload the web takes is bounded by ``[limits]``: a file over its limit is
refused 413 with a problem (or the page again) naming the field, the limit and its
setting, before it is decoded or parsed; a file at its limit is taken. The request body
limit follows the largest upload."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine

from partage.core.documents import importing
from partage.core.platform.db.engine import make_engine
from partage.core.platform.limits import Limits, base64_length
from partage.core.spending import expenses
from partage.core.web.app import create_app
from tests.documents_support import fund, supplier_invoice
from tests.web.test_web_purchases import body, counts, upload
from tests.web.test_web_ui import log_in, token
from tests.web_support import Served, serve


@pytest.fixture
def be(engine: Engine) -> Iterator[Served]:
    """The Belgian site on each backend, Ada's entity funded."""
    yield from serve(engine, fund)


@pytest.fixture
def be_ui(sqlite_url: str) -> Iterator[Served]:
    engine = make_engine(sqlite_url)
    yield from serve(engine, fund)
    engine.dispose()


def limit(served: Served, **sizes: int) -> None:
    """The served site's limits, changed for the test (read at each request)."""
    served.site.coop.limits = Limits(**sizes)


def never(*_: object, **__: object) -> Any:
    raise AssertionError("an oversized upload reached its parser")


def too_large(answer: Any, field: str, size: int, setting: str) -> None:
    assert answer.status_code == 413, answer.text
    problem = answer.json()
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert problem["type"] == "urn:partage:problem:too-large"
    assert problem["field"] == field
    assert f"more than the {size:,} accepted ([limits] {setting})" in problem["rule"]


def test_an_einvoice_at_its_limit_is_booked_and_one_byte_over_is_refused_unread(
    be: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = supplier_invoice()
    url = f"/api/v1/entities/{be.entity}/purchases/import"
    with monkeypatch.context() as patched:
        patched.setattr(importing, "import_purchase", never)
        limit(be, einvoice_bytes=len(document) - 1)
        answer = be.client.post(url, json=body(document), headers=be.bearer("ada"))
        too_large(answer, "content_base64", len(document) - 1, "einvoice_bytes")
        # judged by its length before decoding: text that is no base64 at all
        garbage = {"filename": "x.xml", "content_base64": "!" * (len(document) * 2)}
        answer = be.client.post(url, json=garbage, headers=be.bearer("ada"))
        too_large(answer, "content_base64", len(document) - 1, "einvoice_bytes")
    assert counts(be)["purchase"] == 0
    limit(be, einvoice_bytes=len(document))
    answer = be.client.post(url, json=body(document), headers=be.bearer("ada"))
    assert answer.status_code == 201, answer.text


def test_a_receipt_at_its_limit_is_claimed_and_one_byte_over_is_refused_unread(
    be: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    receipt = b"\xff\xd8 a receipt of thirty bytes.."
    claim = {"category": "supplies", "net": "10.00", "receipt_name": "r.jpg"}

    def sent() -> Any:
        return be.client.post(
            f"/api/v1/entities/{be.entity}/expense-claims",
            json={**claim, "receipt_base64": base64.b64encode(receipt).decode()},
            headers=be.bearer("ada"),
        )

    with monkeypatch.context() as patched:
        patched.setattr(expenses, "claim_expense", never)
        limit(be, receipt_bytes=len(receipt) - 1)
        too_large(sent(), "receipt_base64", len(receipt) - 1, "receipt_bytes")
    limit(be, receipt_bytes=len(receipt))
    assert sent().status_code == 201


def test_the_entity_page_refuses_an_oversized_einvoice_before_reading_it(
    be_ui: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = be_ui.client
    log_in(client, "ada")
    client.get("/language/en")
    document = supplier_invoice()
    monkeypatch.setattr(importing, "import_purchase", never)
    limit(be_ui, einvoice_bytes=len(document) - 1)
    answer = upload(client, be_ui.entity, document, "INV-77.xml")
    assert answer.status_code == 413 and "text/html" in answer.headers["content-type"]
    assert f"file: {len(document):,} bytes, more than the {len(document) - 1:,} accepted" in (
        answer.text
    )
    assert counts(be_ui)["purchase"] == 0


def test_the_quick_job_refuses_an_oversized_receipt_before_reading_it(
    be_ui: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = be_ui.client
    log_in(client, "ada")
    client.get("/language/en")
    page = f"/entities/{be_ui.entity}/quick-job/invoice/{be_ui.business}"
    monkeypatch.setattr(expenses, "claim_expense", never)
    limit(be_ui, receipt_bytes=100)
    answer = client.post(
        f"{page}/expense",
        data={"_csrf_token": token(client.get(page).text), "category": "supplies", "net": "1"},
        files={"receipt": ("scan.jpg", b"\xff" * 101, "image/jpeg")},
    )
    assert answer.status_code == 413 and "text/html" in answer.headers["content-type"]
    assert "receipt: 101 bytes, more than the 100 accepted ([limits] receipt_bytes)" in (
        answer.text
    )


def test_the_request_body_limit_follows_the_largest_upload(be: Served) -> None:
    be.site.coop.limits = Limits(einvoice_bytes=3_000, receipt_bytes=6_000)
    app = create_app(be.site)
    assert app.request_max_body_size == base64_length(6_000) + 64 * 1024
    assert Limits().request_body_bytes() == base64_length(Limits().receipt_bytes) + 64 * 1024


def test_the_upload_forms_say_their_limit_in_the_readers_language(be_ui: Served) -> None:
    client = be_ui.client
    log_in(client, "ada")
    limit(be_ui, einvoice_bytes=5_000_000, receipt_bytes=2_500_000)
    entity = client.get(f"/entities/{be_ui.entity}?lang=fr").text
    assert "<small>au plus 5 Mo</small>" in entity
    expenses = client.get(
        f"/entities/{be_ui.entity}/quick-job/invoice/{be_ui.business}?lang=en"
    ).text
    assert "<small>at most 2.5 MB</small>" in expenses
