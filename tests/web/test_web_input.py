"""Bad input to the API: each is a 4xx problem-details body naming the field and the
rule, never a 500, and nothing is written (row counts and the audit log unchanged)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import text

from tests.web.test_web_access import BACKEND_PARAMS, Served, serve_world

TABLES = (
    "journal_line",
    "invoice",
    "quote",
    "payment",
    "expense_claim",
    "contract",
    "party",
    "entity",
    "audit_log",
    "web_user",
)
ADA = "/api/v1/entities/E000001"
LINE = {"description": "Work", "quantity": "1", "unit_price": "10.00"}


@pytest.fixture(scope="module", params=BACKEND_PARAMS)
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    """This module's instance, on each backend (refusals leave it unchanged)."""
    with serve_world(request.param, tmp_path_factory.mktemp("web")) as world:
        yield world


def counts(served: Served) -> dict[str, int]:
    with served.site.sessions() as session:
        return {t: session.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES}


def refused(
    served: Served,
    who: str,
    method: str,
    path: str,
    *,
    status: int,
    field: str | None,
    rule: str = "",
    **request: Any,
) -> dict[str, Any]:
    """Send a request that must be refused; check the problem and that nothing changed."""
    before = counts(served)
    headers = {**served.headers[who], **request.pop("headers", {})}
    answer = served.client.request(method, path, headers=headers, **request)
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    problem = answer.json()
    assert {"type", "title", "status", "detail", "field", "rule"} <= set(problem)
    assert problem["status"] == status
    assert problem["field"] == field, problem
    assert rule in problem["rule"], problem
    assert counts(served) == before
    return problem


def test_malformed_json(served: Served) -> None:
    refused(
        served,
        "ada",
        "POST",
        f"{ADA}/invoices",
        status=400,
        field="body",
        rule="well-formed JSON",
        content=b'{"client": "C000001", "lines": [',
        headers={"content-type": "application/json"},
    )


def test_wrong_types_name_the_field(served: Served) -> None:
    refused(
        served,
        "ada",
        "POST",
        f"{ADA}/invoices",
        status=400,
        field="client",
        rule="Expected `str`",
        json={"client": 5, "lines": [LINE]},
    )
    refused(
        served,
        "ada",
        "POST",
        f"{ADA}/quotes",
        status=400,
        field="valid_days",
        rule="Expected `int`",
        json={"client": "C000001", "lines": [LINE], "valid_days": "x"},
    )
    refused(
        served,
        "ada",
        "POST",
        f"{ADA}/invoices",
        status=400,
        field="data",
        rule="Expected `object`",
        json=[LINE],
    )


def test_an_amount_given_as_a_float_is_refused(served: Served) -> None:
    problem = refused(
        served,
        "ada",
        "POST",
        f"{ADA}/invoices",
        status=400,
        field="lines[0].unit_price",
        rule="decimal strings",
        json={"client": "C000001", "lines": [{**LINE, "unit_price": 10.5}]},
    )
    assert problem["errors"][0]["field"] == "lines[0].unit_price"
    refused(
        served,
        "ada",
        "POST",
        "/api/v1/simulations/budget",
        status=400,
        field="invoiced",
        rule="decimal strings",
        json={"invoiced": 1000.0, "worker_category": "employee"},
    )


def test_an_amount_with_too_many_decimals_is_refused(served: Served) -> None:
    refused(
        served,
        "ada",
        "POST",
        f"{ADA}/invoices",
        status=422,
        field="lines[1].unit_price",
        rule="more than 2 decimals",
        json={"client": "C000001", "lines": [{**LINE, "unit_price": "10.001"}]},
    )
    refused(
        served,
        "ada",
        "POST",
        f"{ADA}/payments",
        status=422,
        field="amount",
        rule="more than 2 decimals",
        json={"key": "k-decimals", "client": "C000001", "amount": "1.005"},
    )
    refused(
        served,
        "ada",
        "POST",
        f"{ADA}/invoices",
        status=400,
        field="lines[0].unit_price",
        rule="matching regex",
        json={"client": "C000001", "lines": [{**LINE, "unit_price": "1.1234567"}]},
    )


def test_an_unknown_field_is_refused(served: Served) -> None:
    refused(
        served,
        "ada",
        "POST",
        f"{ADA}/invoices",
        status=400,
        field="data",
        rule="unknown field `amount`",
        json={"client": "C000001", "lines": [LINE], "amount": "10.00"},
    )


def test_an_oversized_body_is_refused(served: Served) -> None:
    big = {
        "category": "travel",
        "net": "1.00",
        "receipt_name": "r.pdf",
        "receipt_base64": "A" * (served.site.max_body_size + 10),
    }
    refused(
        served,
        "ada",
        "POST",
        f"{ADA}/expense-claims",
        status=413,
        field="body",
        rule=f"larger than the {served.site.max_body_size:,} bytes the server accepts",
        json=big,
    )


def test_unknown_ids_are_404(served: Served) -> None:
    refused(
        served,
        "admin",
        "GET",
        "/api/v1/entities/E999999",
        status=404,
        field="entity",
        rule="no such entity",
    )
    refused(
        served,
        "ada",
        "POST",
        f"{ADA}/invoices",
        status=404,
        field="party",
        rule="no such party",
        json={"client": "C999999", "lines": [LINE]},
    )
    refused(
        served,
        "admin",
        "POST",
        f"{ADA}/contracts/K999999/payslips",
        status=404,
        field="contract",
        rule="no such contract",
        json={"month": "2026-07-01"},
    )
    refused(
        served,
        "ada",
        "POST",
        f"{ADA}/quotes/Q2026-999999/decision",
        status=404,
        field="quote",
        rule="no such quote",
        json={"accept": True},
    )
    refused(
        served,
        "admin",
        "GET",
        "/api/v1/offices/nowhere",
        status=404,
        field="office",
        rule="no such office",
    )
    refused(
        served,
        "admin",
        "GET",
        "/api/v1/no/such/route",
        status=404,
        field=None,
        rule="no such resource",
    )


@pytest.mark.parametrize("huge", [2**31, 2**64 + 1])
def test_an_id_beyond_the_columns_range_in_an_address_is_refused(served: Served, huge: int) -> None:
    """Found by the API fuzzing: an id beyond 32 bits reached PostgreSQL's integer
    column, one beyond 64 bits SQLite's driver (each a 500)."""
    for path, body in (
        (f"/api/v1/pending/{huge}/refuse", {"reason": "no"}),
        (f"/api/v1/pending/{huge}/validate", None),
        (f"/api/v1/payees/{huge}/confirm", None),
        (f"/api/v1/payees/{huge}/reject", {"reason": "no"}),
    ):
        field = path.split("/")[3]
        refused(
            served,
            "admin",
            "POST",
            path,
            status=400,
            field={"pending": "pending_id", "payees": "account"}[field],
            rule="",
            json=body,
        )


def test_another_members_ids_are_refused(served: Served) -> None:
    bobs = "/api/v1/entities/E000002"
    refused(
        served,
        "ada",
        "POST",
        f"{bobs}/invoices",
        status=404,
        field="entity",
        rule="no such entity",
        json={"client": "C000001", "lines": [LINE]},
    )
    refused(
        served,
        "ada",
        "POST",
        f"{bobs}/payments",
        status=404,
        field="entity",
        rule="no such entity",
        json={"key": "k-bob", "client": "C000002", "amount": "5.00"},
    )
    refused(
        served,
        "ada",
        "POST",
        f"{ADA}/expense-claims",
        status=403,
        field="member",
        rule="only for themselves",
        json={
            "category": "travel",
            "net": "1.00",
            "receipt_name": "r.pdf",
            "receipt_base64": "cmVjZWlwdA==",
            "member": 2,
        },
    )
    invoice = served.client.get(f"{bobs}/invoices", headers=served.headers["bob"]).json()[0]
    refused(
        served,
        "ada",
        "POST",
        f"{ADA}/invoices",
        status=404,
        field="quote",
        rule="no such quote",
        json={"client": "C000001", "lines": [LINE], "quote": invoice["number"]},
    )


def test_refusals_of_the_engine_are_typed(served: Served) -> None:
    problem = refused(
        served,
        "ada",
        "POST",
        f"{ADA}/contracts",
        status=409,
        field="entity",
        rule="missing",
        json={
            "worker_category": "employee",
            "start": "2026-07-06",
            "monthly_gross": "90000.00",
            "member": 1,
        },
    )
    assert problem["type"] == "urn:partage:problem:insufficient-funds"
    assert float(problem["missing"]) > 0  # a decimal string
    refused(
        served,
        "ada",
        "POST",
        f"{ADA}/invoices",
        status=422,
        field="on",
        rule="must be between",
        json={"client": "C000001", "lines": [LINE], "on": "1999-01-01"},
    )
    refused(
        served,
        "ada",
        "POST",
        "/api/v1/simulations/budget",
        status=422,
        field="worker_category",
        rule="must be one of",
        json={"invoiced": "100.00", "worker_category": "astronaut"},
    )
    refused(
        served,
        "ada",
        "POST",
        f"{ADA}/expense-claims",
        status=422,
        field="receipt_base64",
        rule="not valid base64",
        json={
            "category": "travel",
            "net": "1.00",
            "receipt_name": "r.pdf",
            "receipt_base64": "@@@@",
        },
    )


@pytest.mark.parametrize("payload", [b"", b"null", b"{}", b'{"lines": []}', b"\xff\xfe"])
def test_degenerate_bodies_are_4xx(served: Served, payload: bytes) -> None:
    before = counts(served)
    answer = served.client.post(
        f"{ADA}/invoices",
        content=payload,
        headers={**served.headers["ada"], "content-type": "application/json"},
    )
    assert 400 <= answer.status_code < 500, answer.text
    assert answer.json()["detail"]
    assert counts(served) == before
