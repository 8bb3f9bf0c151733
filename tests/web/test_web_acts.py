"""A member's work through the API, end to end: the figures the API answers are the
engine's own (simulation, fee, funds), and staff views reflect the acts."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import msgspec
import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine

from partage.core.payroll import budget
from partage.core.payroll.quick_job import quick_job_salary
from partage.core.web.app import create_app
from partage.core.web.payroll.views import simulation_out
from partage.core.web.site import Site
from tests.engine_support import WEB_DAY, WEB_PASSWORD, web_site


@pytest.fixture
def api(engine: Engine) -> Iterator[tuple[Site, TestClient[Any]]]:
    site = web_site(engine)
    assert isinstance(site, Site)
    with TestClient(create_app(site)) as client:
        yield site, client


def bearer(client: TestClient[Any], username: str) -> dict[str, str]:
    answer = client.post(
        "/api/v1/auth/login", json={"username": username, "password": WEB_PASSWORD}
    )
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def test_a_quick_job_through_the_api(api: tuple[Site, TestClient[Any]]) -> None:
    site, client = api
    ada, adviser, admin = bearer(client, "ada"), bearer(client, "adviser"), bearer(client, "admin")
    base = "/api/v1/entities/E000001"
    before = Decimal(client.get(base, headers=ada).json()["available_funds"])

    quote = client.post(
        f"{base}/quotes",
        headers=ada,
        json={
            "client": "C000001",
            "lines": [{"description": "Mural", "quantity": "2", "unit_price": "400.00"}],
        },
    )
    assert quote.status_code == 201, quote.text
    sent = {"net": "800.00", "vat": "168.00", "total": "968.00", "status": "sent"}
    assert quote.json() | sent == quote.json()
    reference = quote.json()["reference"]
    decided = client.post(f"{base}/quotes/{reference}/decision", headers=ada, json={"accept": True})
    assert decided.json()["status"] == "accepted"

    invoice = client.post(
        f"{base}/invoices",
        headers=ada,
        json={
            "client": "C000001",
            "quote": reference,
            "lines": [{"description": "Mural", "quantity": "2", "unit_price": "400.00"}],
        },
    ).json()
    assert (invoice["net"], invoice["vat"], invoice["total"]) == ("800.00", "168.00", "968.00")
    assert (invoice["fee"], invoice["fee_rate"]) == ("52.00", "0.065")

    board = client.get(base, headers=ada).json()
    # The fee (52.00) and the VAT collected (168.00) are owed: funds fall by 220.00.
    assert Decimal(board["available_funds"]) == before - Decimal("220.00")
    assert invoice["number"] in {i["number"] for i in board["invoices_to_be_paid"]}
    assert {line["key"] for line in board["books"]} >= {"income", "result", "clients_owe"}

    paid = {"key": "mural-cash", "client": "C000001", "amount": "968.00", "method": "cash"}
    cash = client.post(f"{base}/payments", headers=ada, json=paid).json()
    # Cash is declared, not seen by a bank: it waits for the office's staff.
    assert (cash["status"], cash["settled"], cash["replayed"]) == ("pending", [], False)
    assert Decimal(client.get(base, headers=ada).json()["available_funds"]) == before - Decimal(
        "220.00"
    )
    again = client.post(f"{base}/payments", headers=ada, json=paid).json()
    assert again["replayed"] is True and again["id"] == cash["id"]
    assert again["status"] == "pending" and again["pending_id"] == cash["pending_id"]
    (seen,) = client.get(f"{base}/pending", headers=ada).json()
    assert (seen["id"], seen["kind"], seen["amount"], seen["status"]) == (
        cash["pending_id"],
        "cash_receipt",
        "968.00",
        "pending",
    )
    decide = f"/api/v1/pending/{cash['pending_id']}"
    assert client.post(f"{decide}/validate", headers=ada).status_code == 403  # members don't
    assert client.get("/api/v1/pending", headers=ada).status_code == 403
    # The office manager of another office does not reach it; the queue shows it to staff.
    manager = bearer(client, "manager")
    assert client.post(f"{decide}/validate", headers=manager).status_code == 404
    assert client.get("/api/v1/pending", headers=manager).json() == []
    queue = client.get("/api/v1/pending?status=pending", headers=adviser).json()
    assert [q["id"] for q in queue] == [cash["pending_id"]]
    validated = client.post(f"{decide}/validate", headers=adviser)
    assert validated.status_code == 200, validated.text
    assert (validated.json()["status"], validated.json()["decided_by"]) == (
        "validated",
        "user:adviser",
    )
    assert client.post(f"{decide}/validate", headers=admin).status_code == 409
    settled = client.post(f"{base}/payments", headers=ada, json=paid).json()
    assert settled["status"] == "received"  # the oldest invoice first, then the mural
    assert settled["settled"] == [["F2026-000001", "605.00"], [invoice["number"], "363.00"]]
    assert Decimal(client.get(base, headers=ada).json()["available_funds"]) == before + Decimal(
        "748.00"
    )

    claim = client.post(
        f"{base}/expense-claims",
        headers=ada,
        json={
            "category": "supplies",
            "net": "35.20",
            "receipt_name": "paint.pdf",
            "receipt_base64": "cGFpbnQ=",
            "rate_code": "standard",
        },
    )
    assert claim.status_code == 201 and claim.json()["member"] == 1
    assert claim.json()["vat"] == "7.39"  # 21 % of 35.20, computed from the rate given

    simulated = client.post(
        "/api/v1/simulations/budget",
        headers=ada,
        json={
            "invoiced": "800.00",
            "worker_category": "employee",
        },
    ).json()
    engine_says = budget.simulate_invoice(
        site.coop, invoiced="800.00", on=WEB_DAY, worker_category="employee"
    )
    assert simulated["net"] == str(engine_says.net) and simulated["fee"] == "52.00"

    contract = client.post(
        f"{base}/contracts",
        headers=ada,
        json={
            "worker_category": "employee",
            "start": "2026-07-06",
            "end": "2026-07-31",
            "monthly_gross": "500.00",
        },
    )
    assert contract.status_code == 201, contract.text
    code = contract.json()["code"]
    refused = client.post(
        f"{base}/contracts/{code}/payslips", headers=ada, json={"month": "2026-07-01"}
    )
    assert refused.status_code == 403
    slip = client.post(
        f"{base}/contracts/{code}/payslips", headers=adviser, json={"month": "2026-07-01"}
    )
    assert slip.status_code == 201, slip.text
    assert slip.json()["gross"] == "500.00"

    worker = client.get("/api/v1/me/worker", headers=ada).json()
    assert [p["contract"] for p in worker["payslips"]] == [code]
    assert [c["code"] for c in worker["contracts"]] == [code]

    figures = client.get("/api/v1/instance/figures", headers=admin).json()
    # Setup invoiced 1000.00 (Ada) and 300.00 (Bob); the mural adds 800.00.
    assert figures["invoiced"] == "2100.00"
    assert figures["payslips"] == 1 and figures["gross_pay"] == "500.00"
    assert figures["months"] == [{"month": "2026-07", "invoiced": "2100.00", "fee": "136.50"}]
    assert figures["invoiced_by_office"] == {"cap": "2100.00"}

    office = client.get("/api/v1/offices/cap", headers=adviser).json()
    assert office["invoiced_this_year"] == "2100.00"
    report = client.get("/api/v1/network/report", headers=bearer(client, "franchisor")).json()
    assert report["invoicing"]["invoices"] == 3


def test_a_member_opens_an_entity_of_their_own(api: tuple[Site, TestClient[Any]]) -> None:
    _, client = api
    bob = bearer(client, "bob")
    opened = client.post(
        "/api/v1/entities",
        headers=bob,
        json={
            "name": "Saturday market",
            "kind": "quick_job",
            "office": "cap",
        },
    )
    assert opened.status_code == 201
    code = opened.json()["code"]
    assert client.get(f"/api/v1/entities/{code}", headers=bob).status_code == 200
    assert client.get(f"/api/v1/entities/{code}", headers=bearer(client, "ada")).status_code == 404
    me = client.get("/api/v1/me", headers=bob).json()
    assert [a["kind"] for a in me["accounts"]] == ["member", "entity", "entity", "worker"]
    for_other = client.post(
        "/api/v1/entities",
        headers=bob,
        json={
            "name": "Not mine",
            "kind": "quick_job",
            "office": "cap",
            "holders": [1],
        },
    )
    assert for_other.status_code == 403


def test_the_quick_job_salary_and_hire_through_the_api(
    api: tuple[Site, TestClient[Any]],
) -> None:
    site, client = api
    ada, bob, adviser = bearer(client, "ada"), bearer(client, "bob"), bearer(client, "adviser")
    base = "/api/v1/entities/E000001"
    invoice = client.post(
        f"{base}/invoices",
        headers=ada,
        json={
            "client": "C000001",
            "lines": [{"description": "Mural", "quantity": "1", "unit_price": "800.00"}],
        },
    ).json()["number"]
    url = f"{base}/invoices/{invoice}/quick-job"

    offer = client.get(url, headers=ada, params={"worker_category": "employee"})
    assert offer.status_code == 200, offer.text
    with site.sessions() as session:
        engine_says = quick_job_salary(
            session,
            site.coop,
            entity="E000001",
            invoice=invoice,
            on=WEB_DAY,
            worker_category="employee",
        )
    assert offer.json() == {
        "invoice": invoice,
        "start": WEB_DAY.isoformat(),
        "monthly_gross": str(engine_says.gross),
        "bought": msgspec.to_builtins(simulation_out(engine_says.bought)),
        "committable": msgspec.to_builtins(simulation_out(engine_says.committable)),
    }
    assert offer.json()["bought"]["invoiced"] == "800.00"

    for_bob = client.post(
        url, headers=ada, json={"worker_category": "employee", "start": "2026-07-06", "member": 2}
    )
    assert for_bob.status_code == 403 and for_bob.json()["field"] == "member"
    unknown = client.get(
        f"{base}/invoices/F2099-000001/quick-job",
        headers=ada,
        params={"worker_category": "employee"},
    )
    assert unknown.status_code == 404 and unknown.json()["field"] == "invoice"
    assert client.get(url, headers=bob, params={"worker_category": "employee"}).status_code == 404

    hired = client.post(
        url, headers=ada, json={"worker_category": "employee", "start": "2026-07-06"}
    )
    assert hired.status_code == 201, hired.text
    assert hired.json()["member"] == 1
    assert hired.json()["monthly_gross"] == str(engine_says.gross)
    by_staff = client.post(
        url,
        headers=adviser,
        json={"worker_category": "employee", "start": "2026-07-06", "end": "2026-07-06"},
    )
    assert by_staff.status_code == 422 and by_staff.json()["field"] == "member"
