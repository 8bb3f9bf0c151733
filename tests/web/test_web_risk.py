"""The guarantee fund's risk report and allocations over the API, and a commitment the
fund's capacity refuses, answered with the fund's figures.

The web world (Testland, 2026-07-06): E000001 (office cap) invoiced 1,000.00 and was
paid 605.00, so its funds are 330.00 and it uses no coverage; E000002 (cap) invoiced
300.00 (VAT 63.00, fee 19.50 owed): funds −82.50, coverage 290.40 of which it uses
82.50. The fund holds 13.00 + 3.90 = 16.90: capacity 169.00, 86.50 left.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import func, select

from partage.core.platform.clock import FixedClock
from partage.core.platform.db.engine import make_engine
from partage.core.spending.models import ExpenseClaim
from partage.core.web.app import create_app
from partage.core.web.site import Site
from tests.engine_support import WEB_PASSWORD, web_site

REPORT = "/api/v1/risk/report"
ALLOCATIONS = "/api/v1/risk/allocations"


class Client:
    def __init__(self, site: Site, client: TestClient[Any]) -> None:
        self.site, self.client = site, client

    def bearer(self, username: str) -> dict[str, str]:
        answer = self.client.post(
            "/api/v1/auth/login", json={"username": username, "password": WEB_PASSWORD}
        )
        assert answer.status_code == 200, answer.text
        return {"Authorization": f"Bearer {answer.json()['token']}"}


@pytest.fixture
def web(tmp_path: Path) -> Iterator[Client]:
    engine = make_engine(f"sqlite:///{tmp_path / 'web.db'}")
    site = web_site(engine)
    assert isinstance(site, Site)
    with TestClient(create_app(site)) as client:
        yield Client(site, client)
    engine.dispose()


def test_the_administrator_reads_the_whole_report(web: Client) -> None:
    answer = web.client.get(REPORT, headers=web.bearer("admin"))
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert report["on"] == "2026-07-06" and report["office"] is None
    assert {k: report[k] for k in ("balance", "leverage", "capacity", "in_use", "headroom")} == {
        "balance": "16.90",
        "leverage": "10",
        "capacity": "169.00",
        "in_use": "82.50",
        "headroom": "86.50",
    }
    assert report["granted"] == "774.40"  # 80 % of 605.00 and of 363.00 still owed
    assert report["losses_absorbed"] == "0.00"
    assert [(e["entity"], e["coverage"], e["in_use"]) for e in report["entities"]] == [
        ("E000002", "290.40", "82.50"),
        ("E000001", "484.00", "0.00"),
    ]
    assert report["lapsed"] == [] and report["written_off"] == []


def test_office_staff_see_the_funds_figures_and_their_offices_entities(web: Client) -> None:
    admin = web.client.get(REPORT, headers=web.bearer("admin")).json()
    adviser = web.client.get(REPORT, headers=web.bearer("adviser")).json()  # office cap
    manager = web.client.get(REPORT, headers=web.bearer("manager")).json()  # office sea
    for seen in (adviser, manager):
        assert seen["capacity"] == admin["capacity"] and seen["in_use"] == admin["in_use"]
    assert adviser["office"] == "cap" and len(adviser["entities"]) == 2
    assert manager["office"] == "sea" and manager["entities"] == []


@pytest.mark.parametrize("login", ["ada", "ethics", "franchisor"])
def test_others_may_not_read_it(web: Client, login: str) -> None:
    answer = web.client.get(REPORT, headers=web.bearer(login))
    assert answer.status_code == 403
    assert answer.json()["field"] == "role"
    assert web.client.get(REPORT).status_code == 401


def test_an_allocation_raises_the_capacity_and_only_administrators_make_it(
    web: Client,
) -> None:
    body = {"amount": "100.00", "reason": "general assembly of 2026-06-20"}
    for login in ("adviser", "manager", "ada"):
        assert web.client.post(ALLOCATIONS, json=body, headers=web.bearer(login)).status_code == 403
    admin = web.bearer("admin")
    answer = web.client.post(ALLOCATIONS, json=body, headers=admin)
    assert answer.status_code == 201, answer.text
    assert answer.json() == {
        "reference": "G2026-000001",
        "amount": "100.00",
        "balance": "116.90",
        "capacity": "1169.00",
    }
    assert web.client.get(REPORT, headers=admin).json()["headroom"] == "1086.50"
    refused = web.client.post(ALLOCATIONS, json={"amount": "0", "reason": "x"}, headers=admin)
    assert refused.status_code == 422 and refused.json()["field"] == "amount"
    floated = web.client.post(ALLOCATIONS, json={"amount": 5, "reason": "x"}, headers=admin)
    assert floated.status_code == 400 or floated.status_code == 422


def test_a_commitment_beyond_the_capacity_answers_409_with_the_funds_figures(
    web: Client,
) -> None:
    bob = web.bearer("bob")
    claim = {
        "category": "travel",
        "net": "100.00",
        "receipt_name": "ticket.pdf",
        "receipt_base64": "dGlja2V0",
        "member": 2,
    }
    with web.site.sessions() as s:
        before = s.scalar(select(func.count(ExpenseClaim.id)))
    answer = web.client.post("/api/v1/entities/E000002/expense-claims", json=claim, headers=bob)
    assert answer.status_code == 409, answer.text
    problem = answer.json()
    assert problem["type"] == "urn:partage:problem:guarantee-fund-capacity"
    assert problem["field"] == "guarantee_fund"
    assert "at capacity" in problem["rule"]
    assert problem["missing"] == "13.50"  # needs 100.00 of coverage, 86.50 left
    assert problem["guarantee_fund"] == {
        "entity": "E000002",
        "balance": "16.90",
        "leverage": "10",
        "capacity": "169.00",
        "exposure": "82.50",
        "needed": "100.00",
    }
    with web.site.sessions() as s:
        assert s.scalar(select(func.count(ExpenseClaim.id))) == before
    claim["net"] = "86.50"  # what the capacity still bears
    answer = web.client.post("/api/v1/entities/E000002/expense-claims", json=claim, headers=bob)
    assert answer.status_code == 201, answer.text
    board = web.client.get("/api/v1/entities/E000002", headers=bob).json()
    assert Decimal(board["headroom"]) == 0


TAKEOVERS = "/api/v1/risk/takeovers/"


def test_the_fund_takes_over_lapsed_receivables_once_and_advisers_see_the_queue(
    web: Client,
) -> None:
    # the day the takeovers run: acts are dated within a window around today
    web.site.coop.clock = FixedClock(date(2026, 10, 15))
    admin, adviser = web.bearer("admin"), web.bearer("adviser")
    queue = web.client.get(TAKEOVERS, params={"on": "2026-10-15"}, headers=adviser).json()
    assert (queue["to_take_over"], queue["held"], queue["office"]) == (2, [], "cap")
    refused = web.client.post(TAKEOVERS, json={"on": "2026-10-15"}, headers=adviser)
    assert refused.status_code == 403
    run = web.client.post(TAKEOVERS, json={"on": "2026-10-15"}, headers=admin)
    assert run.status_code == 200, run.text
    assert sorted((t["entity"], t["amount"]) for t in run.json()["taken_over"]) == [
        ("E000001", "605.00"),
        ("E000002", "363.00"),
    ]
    again = web.client.post(TAKEOVERS, json={"on": "2026-10-15"}, headers=admin).json()
    assert again["taken_over"] == [] and again["advanced"] == {}
    queue = web.client.get(TAKEOVERS, params={"on": "2026-10-15"}, headers=adviser).json()
    assert queue["to_take_over"] == 0
    assert sorted(h["invoice"] for h in queue["held"]) == [
        t["invoice"] for t in sorted(run.json()["taken_over"], key=lambda t: t["invoice"])
    ]
    report = web.client.get(REPORT, params={"on": "2026-10-15"}, headers=admin).json()
    assert report["lapsed"] == [] and len(report["taken_over"]) == 2
    assert report["tied"] == "968.00" and report["capacity"] == "0.00"
    member = web.client.get(TAKEOVERS, headers=web.bearer("ada"))
    assert member.status_code == 403
